//! The one place where commands change the app.

use eframe::egui::{self, ViewportCommand};

use super::command::Command;
use super::{Pending, TrajectoireApp};
use crate::app::i18n::{Msg, tr};
use crate::app::panels::compare::{self, Compared};
use crate::formats::FileKind;

impl TrajectoireApp {
    /// Carries out `cmd`. Views send commands; only this changes the app.
    pub fn apply(&mut self, ctx: &egui::Context, cmd: Command) {
        // Charts adapt their axes to new values over one more frame: ask for it,
        // so the window never rests on a half-laid-out frame.
        ctx.request_repaint();
        match cmd {
            Command::New => self.guarded(ctx, Pending::New),
            Command::NewModel(t) => self.guarded(ctx, Pending::NewModel(t)),
            Command::File(req) => self.request(ctx, req),
            // A deck does not replace the document: nothing to ask first.
            Command::OpenPath(p) if FileKind::by_name(&p) == [FileKind::Deck] => self.open_path(&p),
            Command::OpenPath(p) => self.guarded(ctx, Pending::OpenPath(p)),
            Command::Save => self.save(ctx),
            Command::Quit => self.guarded(ctx, Pending::Quit),
            Command::Undo => self.doc.undo(),
            Command::Redo => self.doc.redo(),
            Command::ResetAll => self.doc.reset_all(),
            Command::ResetLever(l) => self.doc.reset_lever(l),
            Command::SetLever {
                lever,
                value,
                merge,
            } => self.doc.set_lever(lever, value, merge),
            Command::SetArrayedLever {
                lever,
                value,
                merge,
            } => {
                let range = self.doc.model.lever_elements(lever);
                self.doc.set_lever_range(range, value, merge);
            }
            Command::EndGesture => self.doc.end_gesture(),
            Command::SetLevers(values) => self.doc.set_levers(values),
            Command::SetMonteCarlo(mc) => {
                if (1..=crate::scenario::MAX_RUNS).contains(&mc.runs) {
                    self.doc.monte_carlo = mc;
                }
            }
            Command::SetTarget { index, target } => {
                let mut m = self.doc.model.model().clone();
                match index {
                    Some(i) if i < m.targets.len() => m.targets[i] = *target,
                    _ => m.targets.push(*target),
                }
                self.edit_model(m, None);
            }
            Command::RemoveTarget(i) => self.remove_target(i),
            Command::EditModel { model, merge } => self.edit_model(*model, merge),
            Command::Tool(tool) => self.tools.toggle(tool),
            Command::EditItem(id) => {
                self.tools
                    .set_open(crate::app::tools::Tool::ModelEditor, true);
                let m = self.doc.model.model();
                self.tools.editor.show_item(m, &id);
            }
            Command::ShowHindcast => self.show_hindcast(),
            Command::RemoveCompare(i) => {
                if i < self.compared.len() {
                    self.compared.remove(i);
                }
            }
            Command::Present => self.present(ctx),
            Command::ShowHelp => self.chrome.show_help = true,
            Command::ShowAbout => self.chrome.show_about = true,
            view @ (Command::SetLang(_)
            | Command::ToggleTheme
            | Command::ToggleSegments
            | Command::ToggleBands
            | Command::ToggleFullscreen
            | Command::ZoomIn
            | Command::ZoomOut
            | Command::ZoomReset) => self.apply_view(ctx, view),
        }
    }

    /// Commands that change how the window looks, never the document.
    fn apply_view(&mut self, ctx: &egui::Context, cmd: Command) {
        let prefs = &mut self.prefs;
        match cmd {
            Command::SetLang(lang) => prefs.lang = lang,
            Command::ToggleTheme => prefs.dark = !prefs.dark,
            Command::ToggleSegments => prefs.by_segment = !prefs.by_segment,
            Command::ToggleBands => {
                prefs.bands = !prefs.bands;
                if !prefs.bands {
                    self.bands.stop();
                }
            }
            Command::ToggleFullscreen => {
                let full = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
                ctx.send_viewport_cmd(ViewportCommand::Fullscreen(!full));
            }
            Command::ZoomIn => prefs.zoom = (prefs.zoom + 0.1).min(3.0),
            Command::ZoomOut => prefs.zoom = (prefs.zoom - 0.1).max(0.5),
            Command::ZoomReset => prefs.zoom = 1.0,
            // `apply` sends only the commands above.
            _ => {}
        }
    }

    /// Removes target `i` and the ratios built on it (one undo step).
    fn remove_target(&mut self, i: usize) {
        let mut m = self.doc.model.model().clone();
        if i < m.targets.len() {
            let id = m.targets.remove(i).id;
            m.ratios
                .retain(|r| r.numerator != id && r.denominator != id);
            self.edit_model(m, None);
        }
    }

    /// Overlays the calibration window's hindcast (replacing an earlier one).
    fn show_hindcast(&mut self) {
        let Some(f) = &self.tools.calibration.result else {
            return;
        };
        let c = &f.calibration;
        let name = format!("{} {}", tr(self.lang(), Msg::HindcastName), c.up_to);
        self.compared.retain(|x| x.path.is_some());
        if self.compared.len() >= compare::MAX_COMPARED {
            self.compared.pop();
        }
        self.compared.push(Compared {
            name,
            path: None,
            model: f.model.clone(),
            run: c.run.clone(),
        });
    }
}
