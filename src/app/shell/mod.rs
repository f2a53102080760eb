//! The explorer window. One lever, followed from slider to plot:
//! `levers.rs` sends `Command::SetLever` -> `TrajectoireApp::apply` ->
//! `Document::set_lever` re-runs the model -> `plots.rs` draws the run.

pub mod calibration_panel;
pub mod command;
pub mod compare;
pub mod deck_panel;
pub mod document;
pub mod files;
pub mod headline;
pub mod i18n;
pub mod levers;
pub mod model_editor;
pub mod model_editor_tabs;
pub mod plots;
pub mod png_export;
pub mod present;
pub mod recovery;
pub mod targets_panel;
pub mod theme;
pub mod tool_window;
pub mod uncertainty;

use std::path::{Path, PathBuf};

use eframe::egui::{self, Id, Modifiers, RichText, ViewportCommand};
use serde::{Deserialize, Serialize};

use crate::model::ModelErrors;
use crate::scenario;
use command::Command;
use document::Document;
use i18n::{Lang, Msg, tr};

/// Preferences remembered between sessions (never the scenario itself).
/// `#[serde(default)]`: a field added later never wipes a user's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub lang: Lang,
    pub dark: bool,
    pub by_segment: bool,
    /// Uncertainty bands on the charts and odds on the headline.
    pub bands: bool,
    pub zoom: f32,
    pub last_file: Option<PathBuf>,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            lang: Lang::En,
            dark: false,
            by_segment: false,
            bands: false,
            zoom: 1.0,
            last_file: None,
            recent: Vec::new(),
        }
    }
}

const PREFS_KEY: &str = "trajectoire-prefs";
const RECENT_MAX: usize = 8;

/// What waits for the user's answer about unsaved changes.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    New,
    Open,
    OpenPath(PathBuf),
    Quit,
}

/// A message the user must see: an error or a notice, with details.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub title: Msg,
    pub details: String,
}

pub struct TrajectoireApp {
    pub prefs: Prefs,
    pub doc: Document,
    pub levers: levers::LeverPanel,
    pub notice: Option<Notice>,
    pub files: files::FileDialogs,
    /// Saved scenarios overlaid on the charts.
    pub compared: Vec<compare::Compared>,
    pub targets: targets_panel::TargetsPanel,
    pub calibration: calibration_panel::CalibrationPanel,
    pub bands: uncertainty::Bands,
    pub sensitivity: uncertainty::SensitivityPanel,
    /// The deck being presented, if any.
    pub presenter: Option<present::Presenter>,
    /// The last deck opened, presented again by F5.
    pub deck: Option<crate::deck::LoadedDeck>,
    pub deck_panel: deck_panel::DeckPanel,
    pub editor: model_editor::ModelEditor,
    /// Where the charts were drawn last frame (for PNG export).
    charts_rect: Option<egui::Rect>,
    /// A PNG of the charts to take once the file dialog has gone.
    png_pending: Option<PathBuf>,
    /// The window's size before a deck export at a chosen size.
    restore_size: Option<egui::Vec2>,
    /// Errors reported by screenshot callbacks (they run on the render thread).
    png_errors: png_export::Errors,
    /// An action held back until the user says what to do with unsaved changes.
    pub confirm: Option<Pending>,
    /// An action to carry out once the current "Save as" completes.
    after_save: Option<Pending>,
    allow_close: bool,
    /// Where unsaved work is autosaved; `None` turns autosave off.
    pub recovery_path: Option<PathBuf>,
    pub autosave_every: std::time::Duration,
    last_autosave: Option<f64>,
    /// Unsaved work from an earlier run, offered for restoring.
    pub recovered: Option<recovery::Recovery>,
    show_help: bool,
    show_about: bool,
    title: String,
    /// Theme and zoom last given to egui.
    applied_style: Option<(bool, f32)>,
}

impl TrajectoireApp {
    /// The app as eframe starts it: preferences restored, `file` opened if given.
    pub fn new(cc: &eframe::CreationContext<'_>, file: Option<PathBuf>) -> Self {
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default();
        let mut app = Self::with_prefs(prefs, file.as_deref());
        app.set_recovery_path(recovery::default_path());
        app
    }

    /// Turns autosave on at `path` and offers what an earlier run left there.
    pub fn set_recovery_path(&mut self, path: Option<PathBuf>) {
        self.recovered = path.as_deref().and_then(recovery::read);
        self.recovery_path = path;
    }

    /// Writes unsaved work to the recovery file every `autosave_every`, and
    /// removes the file once nothing is unsaved.
    fn autosave(&mut self, ctx: &egui::Context) {
        let Some(path) = self.recovery_path.clone() else {
            return;
        };
        if self.recovered.is_some() {
            return; // Never overwrite work the user has not answered about.
        }
        let now = ctx.input(|i| i.time);
        if !self.doc.is_dirty() {
            if self.last_autosave.take().is_some() {
                recovery::remove(&path);
            }
            return;
        }
        let due = self
            .last_autosave
            .is_none_or(|t| now - t >= self.autosave_every.as_secs_f64());
        if due {
            let r = recovery::Recovery {
                // Only a scenario file may be saved over after a restore: a
                // model file the work started from is not remembered.
                file: self.doc.file.clone().filter(|_| self.doc.file_is_scenario),
                scenario: scenario::from_document(
                    &self.doc.model,
                    &self.doc.levers,
                    &self.doc.name,
                    &self.doc.notes,
                    scenario::Views {
                        by_segment: self.prefs.by_segment,
                    },
                    self.doc.monte_carlo,
                ),
            };
            // A failed autosave must not disturb the work: it is retried.
            let _ = recovery::write(&path, &r);
            self.last_autosave = Some(now);
        }
        ctx.request_repaint_after(self.autosave_every);
    }

    fn recovery_ui(&mut self, ctx: &egui::Context) {
        let Some(r) = self.recovered.clone() else {
            return;
        };
        let lang = self.lang();
        let detail = r.file.as_ref().map(|f| f.display().to_string());
        let answer = ask(
            ctx,
            "recovery",
            tr(lang, Msg::RecoveryTitle),
            tr(lang, Msg::RecoveryBody),
            detail.as_deref(),
            &[tr(lang, Msg::Restore), tr(lang, Msg::Discard)],
            None,
        )
        .map(|i| i == 0);
        match answer {
            Some(true) => {
                let text = scenario::to_ron(&r.scenario);
                match scenario::open_text(&text, None) {
                    Ok(opened) => {
                        self.adopt(opened, r.file.clone());
                        // Restored work is unsaved until the user saves it.
                        self.doc.mark_unsaved();
                    }
                    Err(errs) => self.show_errors(errs),
                }
                self.recovered = None;
            }
            Some(false) => {
                if let Some(p) = &self.recovery_path {
                    recovery::remove(p);
                }
                self.recovered = None;
            }
            None => {}
        }
    }

    /// The app without eframe storage: used by tests and benchmarks.
    pub fn with_prefs(prefs: Prefs, file: Option<&Path>) -> Self {
        let mut app = TrajectoireApp {
            prefs,
            doc: Document::default_document(),
            levers: levers::LeverPanel::default(),
            notice: None,
            files: files::FileDialogs::default(),
            compared: Vec::new(),
            targets: targets_panel::TargetsPanel::default(),
            calibration: calibration_panel::CalibrationPanel::default(),
            bands: uncertainty::Bands::default(),
            sensitivity: uncertainty::SensitivityPanel::default(),
            presenter: None,
            deck: None,
            deck_panel: deck_panel::DeckPanel::default(),
            editor: model_editor::ModelEditor::default(),
            charts_rect: None,
            png_pending: None,
            restore_size: None,
            png_errors: Default::default(),
            confirm: None,
            after_save: None,
            allow_close: false,
            recovery_path: None,
            autosave_every: recovery::AUTOSAVE_EVERY,
            last_autosave: None,
            recovered: None,
            show_help: false,
            show_about: false,
            title: String::new(),
            applied_style: None,
        };
        if let Some(path) = file {
            app.open_path(path);
        }
        app
    }

    /// Makes an opened model or scenario the document: its levers, name,
    /// notes and views; `file` is where it came from.
    fn adopt(&mut self, opened: scenario::Opened, file: Option<PathBuf>) {
        let mut doc = Document::new(opened.model, opened.levers, file);
        if let Some(s) = &opened.scenario {
            doc.file_is_scenario = doc.file.is_some();
            doc.name = s.name.clone();
            doc.notes = s.notes.clone();
            doc.set_opened_monte_carlo(s.monte_carlo);
            self.prefs.by_segment = s.views.by_segment;
        }
        self.doc = doc;
        self.levers = levers::LeverPanel::default();
        // Answers about the previous document go with it.
        self.calibration.result = None;
    }

    /// Opens a model or scenario file. On any error the document already
    /// open stays as it is and the error is shown.
    pub fn open_path(&mut self, path: &Path) {
        match scenario::open(path) {
            Ok(opened) => {
                let warnings = opened.warnings.clone();
                self.adopt(opened, Some(path.to_path_buf()));
                self.prefs.last_file = Some(path.to_path_buf());
                self.remember(path);
                if !warnings.is_empty() {
                    self.notice = Some(Notice {
                        title: Msg::FileError,
                        details: warnings.join("\n"),
                    });
                }
            }
            Err(errs) => self.show_errors(errs),
        }
    }

    fn remember(&mut self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.prefs.recent.retain(|p| p != &path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(RECENT_MAX);
    }

    /// Saves the document as a scenario at `path`; on failure the file on
    /// disk and the document stay as they were, and the error is shown.
    pub fn save_to(&mut self, path: &Path) -> bool {
        let name = if self.doc.name.is_empty() {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            self.doc.name.clone()
        };
        let s = scenario::from_document(
            &self.doc.model,
            &self.doc.levers,
            &name,
            &self.doc.notes,
            scenario::Views {
                by_segment: self.prefs.by_segment,
            },
            self.doc.monte_carlo,
        );
        match scenario::save(path, &s) {
            Ok(()) => {
                self.doc.name = name;
                self.doc.mark_saved(path.to_path_buf());
                self.prefs.last_file = Some(path.to_path_buf());
                self.remember(path);
                true
            }
            Err(e) => {
                self.notice = Some(Notice {
                    title: Msg::SaveError,
                    details: format!("{}: {e}", path.display()),
                });
                false
            }
        }
    }

    fn dialog_dir(&self) -> PathBuf {
        self.doc
            .file
            .as_ref()
            .and_then(|f| f.parent().map(Path::to_path_buf))
            .filter(|d| !d.as_os_str().is_empty())
            .or_else(files::example_dir)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."))
    }

    fn start_save_as(&mut self) {
        let name = self
            .doc
            .file
            .as_ref()
            .filter(|_| self.doc.file_is_scenario)
            .and_then(|f| f.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario.ron".into());
        let dir = self.dialog_dir();
        self.files
            .start(files::Purpose::SaveAs, dir, name, self.lang());
    }

    /// Runs an action that would replace or close the document, asking first
    /// when there are unsaved changes.
    fn guarded(&mut self, ctx: &egui::Context, action: Pending) {
        if self.doc.is_dirty() {
            self.confirm = Some(action);
        } else {
            self.proceed(ctx, action);
        }
    }

    fn proceed(&mut self, ctx: &egui::Context, action: Pending) {
        match action {
            Pending::New => {
                self.doc = Document::default_document();
                self.levers = levers::LeverPanel::default();
            }
            Pending::Open => {
                let dir = self.dialog_dir();
                self.files
                    .start(files::Purpose::Open, dir, String::new(), self.lang());
            }
            Pending::OpenPath(p) => self.open_path(&p),
            Pending::Quit => {
                // The user chose: nothing is left to recover.
                if let Some(p) = &self.recovery_path {
                    recovery::remove(p);
                }
                self.allow_close = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
        }
    }

    fn confirm_ui(&mut self, ctx: &egui::Context) {
        let Some(action) = self.confirm.clone() else {
            return;
        };
        let lang = self.lang();
        let answer = ask(
            ctx,
            "unsaved",
            tr(lang, Msg::UnsavedTitle),
            tr(lang, Msg::UnsavedBody),
            None,
            &[
                tr(lang, Msg::Save),
                tr(lang, Msg::Discard),
                tr(lang, Msg::Cancel),
            ],
            Some(2),
        );
        match answer {
            Some(0) => {
                self.confirm = None;
                if self.doc.file_is_scenario {
                    let path = self.doc.file.clone().expect("a scenario has a file");
                    if self.save_to(&path) {
                        self.proceed(ctx, action);
                    }
                } else {
                    self.after_save = Some(action);
                    self.start_save_as();
                }
            }
            Some(1) => {
                self.confirm = None;
                self.proceed(ctx, action);
            }
            Some(_) => self.confirm = None,
            None => {}
        }
    }

    /// Overlays the scenario at `path`; an error is shown and nothing changes.
    pub fn add_compare(&mut self, path: PathBuf) {
        if self.compared.len() >= compare::MAX_COMPARED {
            return;
        }
        match compare::Compared::open(path) {
            Ok(c) => self.compared.push(c),
            Err(errs) => {
                self.notice = Some(Notice {
                    title: Msg::CompareError,
                    details: errs.to_string(),
                })
            }
        }
    }

    /// Makes an edited model the document's (one undo step); a model that
    /// does not compile is refused with every error, and nothing changes.
    fn edit_model(&mut self, m: crate::model::Model) {
        if let Err(errs) = self.doc.set_model(m) {
            self.notice = Some(Notice {
                title: Msg::ModelError,
                details: errs.to_string(),
            });
        }
    }

    /// Opens the deck at `path` and presents it; an error is shown instead.
    pub fn present_path(&mut self, ctx: &egui::Context, path: &Path) {
        match crate::deck::open(path) {
            Ok(d) => {
                self.deck = Some(d.clone());
                self.start_presenting(ctx, d);
            }
            Err(errs) => {
                self.notice = Some(Notice {
                    title: Msg::DeckError,
                    details: errs.to_string(),
                })
            }
        }
    }

    /// Writes the model alone (edits included) as a model file that
    /// Trajectoire, the command line and another sector's work can open.
    pub fn save_model(&mut self, path: &Path) {
        if let Err(e) = crate::model::load::save_model(path, self.doc.model.model()) {
            self.notice = Some(Notice {
                title: Msg::SaveError,
                details: format!("{}: {e}", path.display()),
            });
        }
    }

    /// Saves the deck at `path` (`NAME.deck.ron`). Steps that name scenario
    /// files travel inline when the deck moves to another folder, so that it
    /// still opens there.
    pub fn save_deck(&mut self, path: &Path) {
        use crate::deck::{DECK_SUFFIX, StepScenario};
        let Some(d) = &mut self.deck else {
            return;
        };
        let mut path = path.to_path_buf();
        let s = path.to_string_lossy().into_owned();
        if !s.ends_with(DECK_SUFFIX) {
            path = PathBuf::from(format!("{}{DECK_SUFFIX}", s.trim_end_matches(".ron")));
        }
        let moved = d.file.as_ref().and_then(|f| f.parent()) != path.parent();
        if moved {
            for (step, loaded) in d.deck.steps.iter_mut().zip(&d.steps) {
                if matches!(step.scenario, StepScenario::File(_)) {
                    let name = step.title.get(self.prefs.lang).to_string();
                    step.scenario = StepScenario::Inline(Box::new(scenario::from_document(
                        &loaded.model,
                        &loaded.levers,
                        &name,
                        "",
                        scenario::Views::default(),
                        scenario::MonteCarlo::default(),
                    )));
                }
            }
        }
        match crate::deck::save(&path, &d.deck) {
            Ok(()) => d.file = Some(path),
            Err(e) => {
                self.notice = Some(Notice {
                    title: Msg::SaveError,
                    details: format!("{}: {e}", path.display()),
                })
            }
        }
    }

    /// Asks for a screenshot of the charts once no dialog covers them; the
    /// callback cuts it to the charts and writes the PNG. Errors come back
    /// through `png_errors` and are shown.
    fn take_png(&mut self, ctx: &egui::Context) {
        if let Ok(mut errs) = self.png_errors.lock()
            && !errs.is_empty()
        {
            self.notice = Some(Notice {
                title: Msg::PngError,
                details: errs.join("\n"),
            });
            errs.clear();
        }
        if self.files.is_open() || self.confirm.is_some() {
            return;
        }
        let (Some(path), Some(rect)) = (self.png_pending.take(), self.charts_rect) else {
            return;
        };
        let ppp = ctx.pixels_per_point();
        let errors = self.png_errors.clone();
        let repaint = ctx.clone();
        ctx.send_viewport_cmd(ViewportCommand::Screenshot(egui::ScreenshotCallback::new(
            move |image| {
                let cut = png_export::crop(&image, rect, ppp);
                png_export::write_or_report(&path, &cut, &errors);
                repaint.request_repaint();
            },
        )));
    }

    fn start_presenting(&mut self, ctx: &egui::Context, deck: crate::deck::LoadedDeck) {
        self.presenter = Some(present::Presenter::new(deck));
        ctx.send_viewport_cmd(ViewportCommand::Fullscreen(true));
    }

    /// Overlays the calibration panel's hindcast (replacing an earlier one).
    fn show_hindcast(&mut self) {
        let Some(f) = &self.calibration.result else {
            return;
        };
        let c = &f.calibration;
        let name = format!("{} {}", tr(self.lang(), Msg::HindcastName), c.up_to);
        self.compared.retain(|x| x.path.is_some());
        if self.compared.len() >= compare::MAX_COMPARED {
            self.compared.pop();
        }
        self.compared.push(compare::Compared {
            name,
            path: None,
            model: f.model.clone(),
            run: c.run.clone(),
        });
    }

    /// Variables shown on the charts, in chart order, without repeats.
    fn shown_variables(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in plots::shown_charts(self.doc.model.model(), self.prefs.by_segment) {
            for v in &c.series {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
        }
        out
    }

    /// Writes the shown series (scenario, baseline, compared, observations).
    pub fn export_csv(&mut self, path: &Path) {
        use crate::scenario::export::{Series, to_csv};
        let mut series = vec![
            Series {
                name: "scenario",
                model: &self.doc.model,
                run: &self.doc.run,
            },
            Series {
                name: "baseline",
                model: &self.doc.model,
                run: &self.doc.baseline,
            },
        ];
        for c in &self.compared {
            series.push(Series {
                name: &c.name,
                model: &c.model,
                run: &c.run,
            });
        }
        let csv = to_csv(&series, &self.shown_variables(), self.lang());
        if let Err(e) = crate::atomic::write(path, csv.as_bytes()) {
            self.notice = Some(Notice {
                title: Msg::ExportError,
                details: format!("{}: {e}", path.display()),
            });
        }
    }

    fn show_errors(&mut self, errs: ModelErrors) {
        self.notice = Some(Notice {
            title: Msg::FileError,
            details: errs.to_string(),
        });
    }

    pub fn lang(&self) -> Lang {
        self.prefs.lang
    }

    /// The one place where commands change the app.
    pub fn apply(&mut self, ctx: &egui::Context, cmd: Command) {
        // Charts adapt their axes to new values over one more frame: ask for it,
        // so the window never rests on a half-laid-out frame.
        ctx.request_repaint();
        match cmd {
            Command::New => self.guarded(ctx, Pending::New),
            Command::Open => self.guarded(ctx, Pending::Open),
            Command::OpenPath(p) => self.guarded(ctx, Pending::OpenPath(p)),
            Command::Save => match self.doc.file.clone() {
                Some(path) if self.doc.file_is_scenario => {
                    self.save_to(&path);
                }
                _ => self.start_save_as(),
            },
            Command::SaveAs => self.start_save_as(),
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
            Command::EndGesture => self.doc.end_gesture(),
            Command::SetLang(lang) => self.prefs.lang = lang,
            Command::ToggleTheme => self.prefs.dark = !self.prefs.dark,
            Command::ToggleSegments => self.prefs.by_segment = !self.prefs.by_segment,
            Command::ToggleFullscreen => {
                let full = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
                ctx.send_viewport_cmd(ViewportCommand::Fullscreen(!full));
            }
            Command::ZoomIn => self.prefs.zoom = (self.prefs.zoom + 0.1).min(3.0),
            Command::ZoomOut => self.prefs.zoom = (self.prefs.zoom - 0.1).max(0.5),
            Command::ZoomReset => self.prefs.zoom = 1.0,
            Command::ShowHelp => self.show_help = true,
            Command::ShowTargets => self.targets.open = !self.targets.open,
            Command::ShowCalibration => self.calibration.open = !self.calibration.open,
            Command::SetLevers(values) => self.doc.set_levers(values),
            Command::SetTarget { index, target } => {
                let mut m = self.doc.model.model().clone();
                match index {
                    Some(i) if i < m.targets.len() => m.targets[i] = *target,
                    _ => m.targets.push(*target),
                }
                self.edit_model(m);
            }
            Command::RemoveTarget(i) => {
                let mut m = self.doc.model.model().clone();
                if i < m.targets.len() {
                    let id = m.targets.remove(i).id;
                    m.ratios
                        .retain(|r| r.numerator != id && r.denominator != id);
                    self.edit_model(m);
                }
            }
            Command::ShowHindcast => self.show_hindcast(),
            Command::ToggleBands => {
                self.prefs.bands = !self.prefs.bands;
                if !self.prefs.bands {
                    self.bands.stop();
                }
            }
            Command::ShowSensitivity => self.sensitivity.open = !self.sensitivity.open,
            Command::Present => match self.deck.clone() {
                Some(d) => self.start_presenting(ctx, d),
                None => match files::example_dir()
                    .map(|d| d.join("story.deck.ron"))
                    .filter(|p| p.is_file())
                {
                    Some(p) => self.present_path(ctx, &p),
                    None => self.apply(ctx, Command::PresentDeck),
                },
            },
            Command::ShowDeck => self.deck_panel.open = !self.deck_panel.open,
            Command::ShowModelEditor => self.editor.open = !self.editor.open,
            Command::SaveModelAs => {
                let dir = self.dialog_dir();
                let name = format!("{}.ron", self.doc.model.model().id);
                self.files
                    .start(files::Purpose::SaveModel, dir, name, self.lang());
            }
            Command::EditModel { model, merge } => {
                if let Err(errs) = self.doc.set_model_merging(*model, merge) {
                    self.notice = Some(Notice {
                        title: Msg::ModelError,
                        details: errs.to_string(),
                    });
                }
            }
            Command::ExportPng => {
                let dir = self.dialog_dir();
                self.files
                    .start(files::Purpose::ExportPng, dir, String::new(), self.lang());
            }
            Command::ExportDeckPng => {
                if self.deck.is_none() {
                    self.apply(ctx, Command::ShowDeck);
                } else {
                    let dir = self.dialog_dir();
                    // Named after the deck: talk.deck.ron gives talk_01.png...
                    let name = self
                        .deck
                        .as_ref()
                        .and_then(|d| d.file.as_ref())
                        .and_then(|f| f.file_name())
                        .map(|n| n.to_string_lossy().replace(crate::deck::DECK_SUFFIX, ""))
                        .unwrap_or_else(|| "deck".into());
                    self.files.start(
                        files::Purpose::ExportDeckPng,
                        dir,
                        format!("{name}.png"),
                        self.lang(),
                    );
                }
            }
            Command::SaveDeck => {
                if self.deck.is_some() {
                    let dir = self.dialog_dir();
                    self.files
                        .start(files::Purpose::SaveDeck, dir, String::new(), self.lang());
                }
            }
            Command::PresentDeck => {
                let dir = files::example_dir().unwrap_or_else(|| self.dialog_dir());
                self.files
                    .start(files::Purpose::Present, dir, String::new(), self.lang());
            }
            Command::SetMonteCarlo(mc) => {
                if (1..=scenario::MAX_RUNS).contains(&mc.runs) {
                    self.doc.monte_carlo = mc;
                }
            }
            Command::ShowAbout => self.show_about = true,
            Command::AddCompare => {
                if self.compared.len() >= compare::MAX_COMPARED {
                    self.notice = Some(Notice {
                        title: Msg::Compared,
                        details: tr(self.lang(), Msg::CompareLimit).to_string(),
                    });
                } else {
                    let dir = self.dialog_dir();
                    self.files
                        .start(files::Purpose::Compare, dir, String::new(), self.lang());
                }
            }
            Command::RemoveCompare(i) => {
                if i < self.compared.len() {
                    self.compared.remove(i);
                }
            }
            Command::ExportCsv => {
                let stem = self
                    .doc
                    .file
                    .as_ref()
                    .and_then(|f| f.file_stem())
                    .map_or_else(
                        || "trajectoire".to_string(),
                        |s| s.to_string_lossy().into_owned(),
                    );
                let dir = self.dialog_dir();
                self.files.start(
                    files::Purpose::ExportCsv,
                    dir,
                    format!("{stem}.csv"),
                    self.lang(),
                );
            }
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) -> Vec<Command> {
        // While a text field has the keyboard, Ctrl+Z belongs to it.
        let typing = ctx.egui_wants_keyboard_input();
        let mut out = Vec::new();
        for cmd in Command::WITH_SHORTCUTS {
            let Some(sc) = cmd.shortcut() else { continue };
            if typing && sc.modifiers != Modifiers::NONE {
                continue;
            }
            if cmd.available() && ctx.input_mut(|i| i.consume_shortcut(&sc)) {
                out.push(cmd.clone());
            }
        }
        // Ctrl+Shift+Z is redo too, on systems where that is the habit.
        let redo2 =
            egui::KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, egui::Key::Z);
        if !typing && ctx.input_mut(|i| i.consume_shortcut(&redo2)) {
            out.push(Command::Redo);
        }
        out
    }

    fn menu_bar(&self, ui: &mut egui::Ui) -> Vec<Command> {
        let lang = self.lang();
        let mut out = Vec::new();
        let item = |ui: &mut egui::Ui, cmd: Command, enabled: bool, out: &mut Vec<Command>| {
            let mut button = egui::Button::new(cmd.label(lang));
            if let Some(sc) = cmd.shortcut() {
                button = button.shortcut_text(ui.ctx().format_shortcut(&sc));
            }
            let available = cmd.available();
            let r = ui.add_enabled(enabled && available, button);
            let r = if available {
                r
            } else {
                r.on_disabled_hover_text(tr(lang, Msg::ComingWithScenarios))
            };
            if r.clicked() {
                out.push(cmd);
                ui.close();
            }
        };
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(tr(lang, Msg::File), |ui| {
                item(ui, Command::New, true, &mut out);
                item(ui, Command::Open, true, &mut out);
                let recent = &self.prefs.recent;
                ui.add_enabled_ui(!recent.is_empty(), |ui| {
                    ui.menu_button(tr(lang, Msg::Recent), |ui| {
                        for p in recent {
                            let name = p
                                .file_name()
                                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                            if ui
                                .button(name)
                                .on_hover_text(p.display().to_string())
                                .clicked()
                            {
                                out.push(Command::OpenPath(p.clone()));
                                ui.close();
                            }
                        }
                    });
                });
                let examples = files::examples();
                ui.add_enabled_ui(!examples.is_empty(), |ui| {
                    ui.menu_button(tr(lang, Msg::Examples), |ui| {
                        for p in examples {
                            let name = p
                                .file_stem()
                                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                            if ui.button(name).clicked() {
                                out.push(Command::OpenPath(p.clone()));
                                ui.close();
                            }
                        }
                    });
                });
                ui.separator();
                item(ui, Command::Save, true, &mut out);
                item(ui, Command::SaveAs, true, &mut out);
                item(ui, Command::SaveModelAs, true, &mut out);
                ui.separator();
                item(
                    ui,
                    Command::AddCompare,
                    self.compared.len() < compare::MAX_COMPARED,
                    &mut out,
                );
                item(ui, Command::ExportCsv, true, &mut out);
                item(ui, Command::ExportPng, true, &mut out);
                ui.separator();
                item(ui, Command::Present, true, &mut out);
                item(ui, Command::PresentDeck, true, &mut out);
                item(ui, Command::ExportDeckPng, self.deck.is_some(), &mut out);
                ui.separator();
                item(ui, Command::Quit, true, &mut out);
            });
            ui.menu_button(tr(lang, Msg::Edit), |ui| {
                item(ui, Command::Undo, self.doc.can_undo(), &mut out);
                item(ui, Command::Redo, self.doc.can_redo(), &mut out);
                ui.separator();
                item(ui, Command::ResetAll, true, &mut out);
                ui.separator();
                item(ui, Command::ShowTargets, true, &mut out);
                item(ui, Command::ShowCalibration, true, &mut out);
                item(ui, Command::ShowSensitivity, true, &mut out);
                item(ui, Command::ShowDeck, true, &mut out);
                item(ui, Command::ShowModelEditor, true, &mut out);
            });
            ui.menu_button(tr(lang, Msg::View), |ui| {
                let mut seg = self.prefs.by_segment;
                let sc = Command::ToggleSegments
                    .shortcut()
                    .map(|s| ui.ctx().format_shortcut(&s))
                    .unwrap_or_default();
                if ui
                    .checkbox(&mut seg, tr(lang, Msg::BySegment))
                    .on_hover_text(sc)
                    .clicked()
                {
                    out.push(Command::ToggleSegments);
                    ui.close();
                }
                let mut bands = self.prefs.bands;
                let sc = Command::ToggleBands
                    .shortcut()
                    .map(|s| ui.ctx().format_shortcut(&s))
                    .unwrap_or_default();
                if ui
                    .checkbox(&mut bands, tr(lang, Msg::ShowBands))
                    .on_hover_text(sc)
                    .clicked()
                {
                    out.push(Command::ToggleBands);
                    ui.close();
                }
                let theme = if self.prefs.dark {
                    Msg::ThemeLight
                } else {
                    Msg::ThemeDark
                };
                if ui.button(tr(lang, theme)).clicked() {
                    out.push(Command::ToggleTheme);
                    ui.close();
                }
                ui.separator();
                item(ui, Command::ToggleFullscreen, true, &mut out);
                item(ui, Command::ZoomIn, true, &mut out);
                item(ui, Command::ZoomOut, true, &mut out);
                item(ui, Command::ZoomReset, true, &mut out);
            });
            ui.menu_button(tr(lang, Msg::Help), |ui| {
                item(ui, Command::ShowHelp, true, &mut out);
                item(ui, Command::ShowAbout, true, &mut out);
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                for (l, text, tip) in [(Lang::En, "EN", "English"), (Lang::Fr, "FR", "Français")] {
                    let r = ui
                        .selectable_label(self.prefs.lang == l, text)
                        .on_hover_text(tip);
                    if r.clicked() && self.prefs.lang != l {
                        out.push(Command::SetLang(l));
                    }
                }
                ui.label(tr(lang, Msg::Language));
                ui.separator();
                let m = self.doc.model.model();
                ui.label(RichText::new(m.name.get(lang)).strong());
            });
        });
        out
    }

    fn windows(&mut self, ctx: &egui::Context) {
        let lang = self.lang();
        let mut open = self.show_help;
        egui::Window::new(tr(lang, Msg::Help))
            .open(&mut open)
            .default_width(460.0)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label(tr(lang, Msg::HelpText));
            });
        self.show_help = open;

        let mut open = self.show_about;
        let m = self.doc.model.model();
        egui::Window::new(tr(lang, Msg::About))
            .open(&mut open)
            .default_width(520.0)
            .default_height(420.0)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.heading(format!(
                    "Trajectoire — {} {}",
                    tr(lang, Msg::Version),
                    env!("CARGO_PKG_VERSION")
                ));
                ui.label(format!(
                    "{}: {} ({} {})",
                    tr(lang, Msg::ModelLabel),
                    m.name.get(lang),
                    m.id,
                    m.version
                ));
                ui.label(m.description.get(lang));
                ui.separator();
                ui.strong(tr(lang, Msg::DataSources));
                egui::ScrollArea::vertical()
                    .max_height(260.0)
                    .show(ui, |ui| {
                        for (title, date, url) in sources(m) {
                            ui.horizontal_wrapped(|ui| {
                                match url {
                                    Some(u) => {
                                        ui.hyperlink_to(title, u);
                                    }
                                    None => {
                                        ui.label(title);
                                    }
                                }
                                if !date.is_empty() {
                                    ui.weak(date);
                                }
                            });
                        }
                    });
            });
        self.show_about = open;

        if let Some(notice) = self.notice.clone() {
            let mut keep = true;
            egui::Modal::new(Id::unique("notice")).show(ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading(tr(lang, notice.title));
                egui::ScrollArea::vertical()
                    .max_height(300.0)
                    .show(ui, |ui| {
                        ui.label(RichText::new(&notice.details).monospace());
                    });
                if ui.button(tr(lang, Msg::Dismiss)).clicked() {
                    keep = false;
                }
            });
            if !keep {
                self.notice = None;
            }
        }
    }

    /// The file name (or the model's name), a `*` when there are unsaved changes.
    pub fn window_title(&self) -> String {
        let m = self.doc.model.model();
        let name = match &self.doc.file {
            Some(f) => f
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            None => m.name.get(self.lang()).to_string(),
        };
        let mark = if self.doc.is_dirty() { "*" } else { "" };
        format!("{name}{mark} — Trajectoire")
    }

    /// One frame of the whole window. Lever changes are applied before the
    /// plots are drawn, so a drag re-simulates and redraws in the same frame.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        // Style changes only when the preference does, not every frame.
        if self.applied_style != Some((self.prefs.dark, self.prefs.zoom)) {
            ctx.set_visuals(theme::visuals(self.prefs.dark));
            ctx.set_zoom_factor(self.prefs.zoom);
            self.applied_style = Some((self.prefs.dark, self.prefs.zoom));
        }
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }

        // Presenting: the deck fills the screen; Esc comes back here. Closing
        // the window leaves presenting first, so unsaved work is asked about.
        if ctx.input(|i| i.viewport().close_requested()) && self.presenter.is_some() {
            self.presenter = None;
            ctx.send_viewport_cmd(ViewportCommand::Fullscreen(false));
            self.applied_style = None;
        }
        if let Some(p) = &mut self.presenter {
            let lang = self.prefs.lang;
            if p.ui(ui, lang, self.prefs.dark) == Some(present::Request::Leave) {
                self.presenter = None;
                ctx.send_viewport_cmd(ViewportCommand::Fullscreen(false));
                if let Some(size) = self.restore_size.take() {
                    ctx.send_viewport_cmd(ViewportCommand::InnerSize(size));
                }
                // Back to the user's own zoom.
                self.applied_style = None;
            }
            return;
        }

        // Closing the window with unsaved changes asks first.
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close && self.doc.is_dirty()
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
            self.apply(&ctx, Command::OpenPath(p));
        }
        if !self.files.is_open() && self.confirm.is_none() {
            for cmd in self.shortcuts(&ctx) {
                self.apply(&ctx, cmd);
            }
        }

        let cmds = egui::Panel::top("menu")
            .show(ui, |ui| self.menu_bar(ui))
            .inner;
        for cmd in cmds {
            self.apply(&ctx, cmd);
        }

        let lang = self.lang();
        let cmds = egui::Panel::left("levers")
            .resizable(true)
            .default_size(310.0)
            .min_size(240.0)
            .show(ui, |ui| self.levers.ui(ui, &self.doc, lang))
            .inner;
        for cmd in cmds {
            self.apply(&ctx, cmd);
        }

        if !self.compared.is_empty() {
            let cmds = egui::Panel::bottom("compare")
                .resizable(true)
                .default_size(170.0)
                .min_size(80.0)
                .show(ui, |ui| {
                    compare::table_ui(ui, &self.doc, &self.compared, lang, self.prefs.dark)
                })
                .inner;
            for cmd in cmds {
                self.apply(&ctx, cmd);
            }
        }

        // The bands follow the levers as set this frame: a first estimate
        // now, refined in the background while more frames are asked for.
        let bands = self.prefs.bands.then(|| self.bands.view(&ctx, &self.doc));
        egui::Panel::top("headline").show(ui, |ui| {
            let odds = bands
                .as_ref()
                .and_then(|b| b.summary)
                .map(|s| s.target_prob.as_slice());
            headline::ui(ui, &self.doc, lang, self.prefs.dark, odds);
        });

        let shown = egui::CentralPanel::default().show(ui, |ui| {
            plots::ui(
                ui,
                &self.doc,
                &self.compared,
                lang,
                self.prefs.dark,
                self.prefs.by_segment,
                bands.as_ref(),
            );
        });
        self.charts_rect = Some(shown.response.rect);
        self.take_png(&ctx);

        self.windows(&ctx);
        let mut cmds = self.targets.ui(&ctx, &self.doc, lang, self.prefs.dark);
        cmds.extend(self.calibration.ui(&ctx, &self.doc, lang, self.prefs.dark));
        cmds.extend(self.sensitivity.ui(&ctx, &self.doc, lang, self.prefs.dark));
        cmds.extend(self.editor.ui(&ctx, &self.doc, lang, self.prefs.dark));
        {
            let doc = &self.doc;
            let (by_segment, bands) = (self.prefs.by_segment, self.prefs.bands);
            cmds.extend(self.deck_panel.ui(
                &ctx,
                &mut self.deck,
                || deck_panel::step_from_view(doc, by_segment, bands, lang),
                lang,
            ));
        }
        for cmd in cmds {
            self.apply(&ctx, cmd);
        }
        self.recovery_ui(&ctx);
        self.confirm_ui(&ctx);
        self.autosave(&ctx);
        if !self.files.is_open() {
            return;
        }
        let dir = self.dialog_dir();
        match self.files.ui(&ctx, lang, &dir) {
            Some(files::Picked::Open(p)) => self.open_path(&p),
            Some(files::Picked::Compare(p)) => self.add_compare(p),
            Some(files::Picked::ExportCsv(p)) => self.export_csv(&p),
            Some(files::Picked::Present(p)) => self.present_path(&ctx, &p),
            Some(files::Picked::SaveDeck(p)) => self.save_deck(&p),
            Some(files::Picked::SaveModel(p)) => self.save_model(&p),
            Some(files::Picked::ExportPng(p)) => self.png_pending = Some(p),
            Some(files::Picked::ExportDeckPng(p)) => {
                if let Some(d) = self.deck.clone() {
                    let size = self.deck_panel.export_size;
                    match size {
                        None => self.start_presenting(&ctx, d),
                        // A chosen size: a window of exactly that many pixels.
                        Some([w, h]) => {
                            self.restore_size =
                                ctx.input(|i| i.viewport().inner_rect).map(|r| r.size());
                            self.presenter = Some(present::Presenter::new(d));
                            let native = ctx.native_pixels_per_point().unwrap_or(1.0);
                            ctx.send_viewport_cmd(ViewportCommand::InnerSize(egui::vec2(
                                w as f32 / native,
                                h as f32 / native,
                            )));
                        }
                    }
                    if let Some(pr) = &mut self.presenter {
                        pr.export_pngs(p, self.png_errors.clone(), size);
                    }
                }
            }
            Some(files::Picked::SaveAs(p)) => {
                if self.save_to(&p)
                    && let Some(action) = self.after_save.take()
                {
                    self.proceed(&ctx, action);
                }
            }
            None => {}
        }
    }
}

/// A modal question: a title, a text, an optional detail and buttons. Returns
/// the index of the button clicked (Escape counts as `escape`), once.
fn ask(
    ctx: &egui::Context,
    id: &str,
    title: &str,
    body: &str,
    detail: Option<&str>,
    buttons: &[&str],
    escape: Option<usize>,
) -> Option<usize> {
    let mut answer = None;
    egui::Modal::new(Id::unique(id)).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.heading(title);
        ui.label(body);
        if let Some(d) = detail {
            ui.label(RichText::new(d).monospace());
        }
        ui.horizontal(|ui| {
            for (i, b) in buttons.iter().enumerate() {
                if ui.button(*b).clicked() {
                    answer = Some(i);
                }
            }
        });
        if escape.is_some() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            answer = escape;
        }
    });
    answer
}

/// Every distinct source of the model's observations, targets and breaks.
fn sources(m: &crate::model::Model) -> Vec<(String, String, Option<String>)> {
    let mut out: Vec<(String, String, Option<String>)> = Vec::new();
    let all = m
        .observations
        .iter()
        .map(|o| &o.source)
        .chain(m.targets.iter().map(|t| &t.source))
        .chain(m.series_breaks.iter().map(|b| &b.source));
    for s in all {
        if !out.iter().any(|(t, _, _)| *t == s.title) {
            out.push((s.title.clone(), s.date.clone(), s.url.clone()));
        }
    }
    out
}

impl eframe::App for TrajectoireApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }
}

/// Opens the window; `file` is a model or scenario to open in it.
pub fn run(file: Option<PathBuf>) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Trajectoire")
            .with_inner_size([1200.0, 660.0])
            .with_min_inner_size([800.0, 500.0]),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "trajectoire",
        options,
        Box::new(move |cc| {
            cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
            Ok(Box::new(TrajectoireApp::new(cc, file)))
        }),
    )
}
