//! One frame of the whole window: presenting, or the explorer (menu, levers,
//! compared scenarios, headline, charts, tool windows, dialogs). Commands
//! the views send are applied before the charts are drawn, so a drag
//! re-simulates and redraws in the same frame.

use std::path::PathBuf;

use eframe::egui::{self, Modifiers, ViewportCommand};

use super::command::Command;
use super::{Pending, Prefs, TrajectoireApp};
use crate::app::charts;
use crate::app::document::Document;
use crate::app::panels::{compare, headline};
use crate::app::present::Request;
use crate::app::theme;
use crate::app::view::Cx;

impl TrajectoireApp {
    /// One frame of the whole window.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !self.chrome.fonts_installed {
            super::super::theme::install_fonts(&ctx);
            self.chrome.fonts_installed = true;
        }
        self.sync_window(&ctx);
        if self.present_ui(ui) {
            return;
        }
        self.input(&ctx);
        let cmds = egui::Panel::top("menu")
            .show(ui, |ui| self.menu_bar(ui))
            .inner;
        self.apply_all(&ctx, cmds);
        self.panels_ui(ui);
        self.windows_ui(&ctx);
    }

    fn apply_all(&mut self, ctx: &egui::Context, cmds: Vec<Command>) {
        for cmd in cmds {
            self.apply(ctx, cmd);
        }
    }

    /// Theme, zoom and title, told to egui and the OS only when they change.
    fn sync_window(&mut self, ctx: &egui::Context) {
        let style = (self.prefs.dark, self.prefs.zoom);
        if self.chrome.applied_style != Some(style) {
            ctx.set_visuals(theme::visuals(self.prefs.dark));
            ctx.set_zoom_factor(self.prefs.zoom);
            self.chrome.applied_style = Some(style);
        }
        let title = self.window_title();
        if title != self.chrome.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.chrome.title = title;
        }
    }

    /// Presenting: the deck fills the screen; Esc comes back here. Closing
    /// the window leaves presenting first, so unsaved work is asked about.
    /// Returns whether the frame was the presenter's.
    fn present_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let ctx = ui.ctx().clone();
        let closing = ctx.input(|i| i.viewport().close_requested());
        let Some(p) = &mut self.presenter else {
            return false;
        };
        let leave = closing || p.ui(ui, self.prefs.lang, self.prefs.dark) == Some(Request::Leave);
        if leave {
            self.presenter = None;
            ctx.send_viewport_cmd(ViewportCommand::Fullscreen(false));
            if let Some(size) = self.png.restore_size.take() {
                ctx.send_viewport_cmd(ViewportCommand::InnerSize(size));
            }
            // Back to the user's own zoom.
            self.chrome.applied_style = None;
        }
        !closing
    }

    /// The window closing, files dropped on it, and keyboard shortcuts.
    fn input(&mut self, ctx: &egui::Context) {
        // Closing the window with unsaved changes asks first.
        if ctx.input(|i| i.viewport().close_requested())
            && !self.chrome.allow_close
            && self.doc.is_dirty()
        {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.confirm = Some(Pending::Quit);
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            self.apply(ctx, Command::OpenPath(p));
        }
        if !self.files.is_open() && self.confirm.is_none() {
            let cmds = shortcuts(ctx);
            self.apply_all(ctx, cmds);
        }
    }

    /// Levers (left), compared scenarios (bottom), headline (top), charts.
    fn panels_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let mut cx = view_cx(&self.doc, &self.prefs);
        egui::Panel::left("levers")
            .resizable(true)
            .default_size(310.0)
            .min_size(240.0)
            .show(ui, |ui| self.levers.ui(ui, &mut cx));
        let cmds = cx.into_commands();
        self.apply_all(&ctx, cmds);
        if !self.compared.is_empty() {
            let mut cx = view_cx(&self.doc, &self.prefs);
            egui::Panel::bottom("compare")
                .resizable(true)
                .default_size(170.0)
                .min_size(80.0)
                .show(ui, |ui| compare::table_ui(ui, &mut cx, &self.compared));
            let cmds = cx.into_commands();
            self.apply_all(&ctx, cmds);
        }

        // The bands follow the levers as set this frame: a first estimate
        // now, refined in the background while more frames are asked for.
        let bands = self.prefs.bands.then(|| self.bands.view(&ctx, &self.doc));
        let cx = view_cx(&self.doc, &self.prefs);
        egui::Panel::top("headline").show(ui, |ui| {
            let odds = bands
                .as_ref()
                .and_then(|b| b.summary)
                .map(|s| s.target_prob.as_slice());
            headline::ui(ui, &cx, odds);
        });
        let shown = egui::CentralPanel::default().show(ui, |ui| {
            charts::ui(ui, &cx, &self.compared, bands.as_ref());
        });
        self.png.charts_rect = Some(shown.response.rect);
        self.take_png(&ctx);
    }

    /// Help, about, notices, tool windows, questions, autosave, dialogs.
    fn windows_ui(&mut self, ctx: &egui::Context) {
        self.help_windows(ctx);
        self.notice_ui(ctx);
        let mut cx = view_cx(&self.doc, &self.prefs);
        cx.map = self.tools.map_step();
        self.tools.show_all(ctx, &mut cx);
        let cmds = cx.into_commands();
        self.apply_all(ctx, cmds);
        self.recovery_ui(ctx);
        self.confirm_ui(ctx);
        self.autosave(ctx);
        if !self.files.is_open() {
            return;
        }
        let dir = self.dialog_dir();
        if let Some((req, path)) = self.files.ui(ctx, self.prefs.lang, &dir) {
            self.picked(ctx, req, path);
        }
    }
}

/// What the views are drawn with: the document and the window's preferences.
fn view_cx<'a>(doc: &'a Document, prefs: &Prefs) -> Cx<'a> {
    Cx::new(doc, prefs.lang, prefs.dark).with_view(prefs.by_segment, prefs.bands)
}

/// The commands whose shortcuts were pressed this frame.
fn shortcuts(ctx: &egui::Context) -> Vec<Command> {
    // While a text field has the keyboard, Ctrl+Z belongs to it.
    let typing = ctx.egui_wants_keyboard_input();
    let mut out = Vec::new();
    for cmd in Command::WITH_SHORTCUTS {
        let Some(sc) = cmd.shortcut() else { continue };
        if typing && sc.modifiers != Modifiers::NONE {
            continue;
        }
        if ctx.input_mut(|i| i.consume_shortcut(&sc)) {
            out.push(cmd.clone());
        }
    }
    // Ctrl+Shift+Z is redo too, on systems where that is the habit.
    let redo2 = egui::KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, egui::Key::Z);
    if !typing && ctx.input_mut(|i| i.consume_shortcut(&redo2)) {
        out.push(Command::Redo);
    }
    out
}
