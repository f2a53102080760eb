//! The shell: the app's state ([`TrajectoireApp`]), what it remembers between
//! sessions ([`Prefs`]), and the rooms that run the window around the views:
//!
//! - `command.rs`: everything a user can ask ([`command::Command`]), with its
//!   label and shortcut; `dispatch.rs`: the one place commands are applied;
//! - `menu.rs`: the menu bar; `frame.rs`: one frame of the whole window;
//! - `files.rs`: file actions, from the request ([`files::FileRequest`]) to
//!   the file written or opened; `dialogs.rs`: the native dialog or the
//!   in-app browser that picks the path;
//! - `recovery.rs`: autosave and restoring after a crash; `modal.rs`:
//!   questions, notices, help and about; `png_export.rs`: images.

pub mod command;
pub mod dialogs;
mod dispatch;
pub mod files;
mod frame;
mod menu;
mod modal;
pub mod png_export;
pub mod recovery;

use std::path::{Path, PathBuf};

use eframe::egui;
use serde::{Deserialize, Serialize};

use super::bands::Bands;
use super::document::Document;
use super::i18n::{Lang, Msg, tr};
use super::panels::compare::Compared;
use super::panels::levers::LeverPanel;
use super::present::Presenter;
use super::tools::Tools;
use crate::model::{ErrorKind, ModelErrors};
use crate::scenario;

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

/// An action that replaces or closes the document, held while the user says
/// what to do with unsaved changes.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    New,
    NewModel(crate::model::templates::Template),
    /// Pick a file to open.
    Open,
    /// Open this file (recent files, examples, a file dropped on the window).
    OpenPath(PathBuf),
    Quit,
}

/// A message the user must see: an error or a notice, with details.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub title: Msg,
    pub details: String,
}

/// Autosave: where unsaved work goes, how often, and what an earlier run left.
pub struct Autosave {
    /// Where unsaved work is autosaved; `None` turns autosave off.
    pub path: Option<PathBuf>,
    last: Option<f64>,
    /// Unsaved work from an earlier run, offered for restoring.
    pub recovered: Option<recovery::Recovery>,
}

/// The window's own state, besides the document: what it last told egui and
/// the OS, and which small windows are open.
#[derive(Default)]
struct Chrome {
    show_help: bool,
    show_about: bool,
    title: String,
    /// Theme and zoom last given to egui.
    applied_style: Option<(bool, f32)>,
    /// The user chose to quit: the next close request goes through.
    allow_close: bool,
    /// The fallback font is given to egui on the first frame.
    fonts_installed: bool,
}

pub struct TrajectoireApp {
    pub prefs: Prefs,
    pub doc: Document,
    /// Saved scenarios overlaid on the charts.
    pub compared: Vec<Compared>,
    /// The Monte Carlo behind the fan bands and the headline odds.
    pub bands: Bands,
    pub tools: Tools,
    /// The deck being presented, if any.
    pub presenter: Option<Presenter>,
    pub files: dialogs::FileDialogs,
    /// An action held back until the user says what to do with unsaved changes.
    pub confirm: Option<Pending>,
    /// An action to carry out once the current "Save as" completes.
    after_save: Option<Pending>,
    pub notice: Option<Notice>,
    /// A Vensim model that opened without the data file its data variables
    /// read: opened again once the user picks one (`FileRequest::RunData`).
    pub awaiting_data: Option<PathBuf>,
    levers: LeverPanel,
    pub autosave: Autosave,
    pub autosave_every: std::time::Duration,
    png: png_export::PngState,
    chrome: Chrome,
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

    /// The app without eframe storage: used by tests and benchmarks.
    pub fn with_prefs(prefs: Prefs, file: Option<&Path>) -> Self {
        let mut app = TrajectoireApp {
            prefs,
            doc: Document::default_document(),
            compared: Vec::new(),
            bands: Bands::default(),
            tools: Tools::default(),
            presenter: None,
            files: dialogs::FileDialogs::default(),
            confirm: None,
            after_save: None,
            notice: None,
            awaiting_data: None,
            levers: LeverPanel::default(),
            autosave: Autosave {
                path: None,
                last: None,
                recovered: None,
            },
            autosave_every: recovery::AUTOSAVE_EVERY,
            png: Default::default(),
            chrome: Chrome::default(),
        };
        if let Some(path) = file {
            app.open_path(path);
        }
        app
    }

    pub fn lang(&self) -> Lang {
        self.prefs.lang
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
        self.levers = LeverPanel::default();
        // Answers about the previous document go with it.
        self.tools.calibration.result = None;
    }

    /// Opens a file of any kind the registry knows: a model or a scenario
    /// becomes the document; a deck becomes the Deck window's deck (F5
    /// presents it). On any error the document already open stays as it is
    /// and the error is shown.
    pub fn open_path(&mut self, path: &Path) {
        self.open_path_with(path, &[]);
    }

    /// [`Self::open_path`], a Vensim model's data variables read from the
    /// `data` files. A Vensim model that needs a data file and has none
    /// asks for one (the notice says why); the document stays as it is.
    pub fn open_path_with(&mut self, path: &Path, data: &[PathBuf]) {
        match crate::formats::open_with(path, data) {
            Ok(crate::formats::OpenedFile::Deck(deck)) => {
                self.tools.deck.deck = Some(deck);
                self.tools.set_open(crate::app::tools::Tool::Deck, true);
                self.remember(path);
            }
            Ok(
                crate::formats::OpenedFile::Model(opened)
                | crate::formats::OpenedFile::Scenario(opened),
            ) => {
                let lang = self.prefs.lang;
                let warnings: Vec<String> = opened
                    .warnings
                    .iter()
                    .map(|w| w.get(lang).to_string())
                    .collect();
                self.adopt(opened, Some(path.to_path_buf()));
                if !data.is_empty() {
                    // The notice that asked for the data file has its answer.
                    self.notice = None;
                }
                self.prefs.last_file = Some(path.to_path_buf());
                self.remember(path);
                if !warnings.is_empty() {
                    self.tell(Msg::FileError, warnings.join("\n"));
                }
            }
            Err(errs)
                if data.is_empty() && errs.0.iter().any(|e| e.kind == ErrorKind::NeedsData) =>
            {
                let lang = self.lang();
                self.tell(
                    Msg::RunDataTitle,
                    format!("{}\n\n{errs}", tr(lang, Msg::RunDataNeeded)),
                );
                self.awaiting_data = Some(path.to_path_buf());
                let dir = path
                    .parent()
                    .map_or_else(|| self.dialog_dir(), Path::to_path_buf);
                self.files
                    .start(files::FileRequest::RunData, dir, String::new(), lang);
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

    /// Shows a notice: `title`, with `details`.
    fn tell(&mut self, title: Msg, details: String) {
        self.notice = Some(Notice { title, details });
    }

    fn show_errors(&mut self, errs: ModelErrors) {
        self.tell(Msg::FileError, errs.to_string());
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

    /// Makes an edited model the document's (one undo step, or merged with
    /// the edits of the same `merge` key); a model that does not compile is
    /// refused with every error, and nothing changes.
    fn edit_model(&mut self, m: crate::model::Model, merge: Option<String>) {
        if let Err(errs) = self.doc.set_model_merging(m, merge) {
            self.tell(Msg::ModelError, errs.to_string());
        }
    }
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
