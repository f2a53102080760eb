//! File actions. A [`FileRequest`] is what the user asked for that needs a
//! path: the same value goes from the menu command (`Command::File`)
//! through the unsaved-changes question and the dialog (`dialogs.rs`) to
//! [`TrajectoireApp::picked`], which carries it out on the path chosen.

use std::path::{Path, PathBuf};

use eframe::egui::{self, ViewportCommand};

use super::{Pending, TrajectoireApp};
use crate::app::i18n::{Lang, Msg, tr};
use crate::app::panels::compare::{self, Compared};
use crate::app::present::Presenter;
use crate::formats::{self, Intent};
use crate::scenario;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRequest {
    /// Open a model or scenario (it replaces the document).
    Open,
    /// Save the scenario under a new name.
    SaveAs,
    /// Overlay a saved scenario.
    Compare,
    /// Write the shown series as CSV.
    ExportCsv,
    /// Present a deck.
    PresentDeck,
    /// Save the deck.
    SaveDeck,
    /// Write the charts on screen as PNG.
    ExportPng,
    /// Write the model alone, for another sector's work.
    SaveModel,
    /// Write every step of the deck as PNG (NAME_01.png, NAME_02.png...).
    ExportDeckPng,
    /// Write the scenario as a document (`crate::brief`): PDF, or HTML.
    ExportBrief,
    ExportBriefHtml,
    /// Write the deck as a document, a section per step (PDF).
    ExportDeckBrief,
    /// Write the scenario as one HTML page that runs offline (`crate::publish`).
    PublishExplorer,
    /// Read a table of figures into the import window (`tools::import`).
    ImportObservations,
    /// The data file a Vensim model's data variables read, asked for when
    /// the model opened without one (`TrajectoireApp::awaiting_data`).
    RunData,
}

impl FileRequest {
    /// Whether the request writes a file (a save dialog) or reads one.
    pub fn writes(self) -> bool {
        match self {
            FileRequest::Open
            | FileRequest::Compare
            | FileRequest::PresentDeck
            | FileRequest::ImportObservations
            | FileRequest::RunData => false,
            FileRequest::SaveAs
            | FileRequest::ExportCsv
            | FileRequest::SaveDeck
            | FileRequest::SaveModel
            | FileRequest::ExportPng
            | FileRequest::ExportDeckPng
            | FileRequest::ExportBrief
            | FileRequest::ExportBriefHtml
            | FileRequest::ExportDeckBrief
            | FileRequest::PublishExplorer => true,
        }
    }

    /// What the file registry knows of this dialog: the kinds of file it
    /// lists and filters on, and the suffix a written file gets.
    pub fn intent(self) -> Intent {
        match self {
            FileRequest::Open => Intent::Open,
            FileRequest::SaveAs => Intent::SaveScenario,
            FileRequest::Compare => Intent::Compare,
            FileRequest::ExportCsv => Intent::ExportCsv,
            FileRequest::PresentDeck => Intent::Present,
            FileRequest::SaveDeck => Intent::SaveDeck,
            FileRequest::ExportPng | FileRequest::ExportDeckPng => Intent::ExportPng,
            FileRequest::SaveModel => Intent::SaveModel,
            FileRequest::ExportBrief | FileRequest::ExportDeckBrief => Intent::ExportBrief,
            FileRequest::ExportBriefHtml => Intent::ExportBriefHtml,
            FileRequest::PublishExplorer => Intent::PublishExplorer,
            FileRequest::ImportObservations | FileRequest::RunData => Intent::ImportData,
        }
    }

    /// The menu entry, and the dialog's title.
    pub fn label(self, lang: Lang) -> &'static str {
        let msg = match self {
            FileRequest::Open => Msg::Open,
            FileRequest::SaveAs => Msg::SaveAs,
            FileRequest::Compare => Msg::CompareWith,
            FileRequest::ExportCsv => Msg::ExportCsv,
            FileRequest::PresentDeck => Msg::PresentDeck,
            FileRequest::SaveDeck => Msg::SaveDeck,
            FileRequest::SaveModel => Msg::SaveModelAs,
            FileRequest::ExportPng => Msg::ExportPng,
            FileRequest::ExportDeckPng => Msg::ExportDeckPng,
            FileRequest::ExportBrief => Msg::ExportBrief,
            FileRequest::ExportBriefHtml => Msg::ExportBriefHtml,
            FileRequest::ExportDeckBrief => Msg::ExportDeckBrief,
            FileRequest::PublishExplorer => Msg::PublishExplorer,
            FileRequest::ImportObservations => Msg::ImportObservations,
            FileRequest::RunData => Msg::RunDataTitle,
        };
        tr(lang, msg)
    }

    pub fn shortcut(self) -> Option<egui::KeyboardShortcut> {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let cmd = Modifiers::COMMAND;
        match self {
            FileRequest::Open => Some(KeyboardShortcut::new(cmd, Key::O)),
            FileRequest::SaveAs => Some(KeyboardShortcut::new(cmd | Modifiers::SHIFT, Key::S)),
            FileRequest::ExportCsv => Some(KeyboardShortcut::new(cmd, Key::E)),
            FileRequest::ExportPng => Some(KeyboardShortcut::new(cmd | Modifiers::SHIFT, Key::E)),
            FileRequest::Compare
            | FileRequest::PresentDeck
            | FileRequest::SaveDeck
            | FileRequest::SaveModel
            | FileRequest::ExportDeckPng
            | FileRequest::ExportBrief
            | FileRequest::ExportBriefHtml
            | FileRequest::ExportDeckBrief
            | FileRequest::PublishExplorer
            | FileRequest::ImportObservations
            | FileRequest::RunData => None,
        }
    }
}

/// The format an export of the brief writes.
fn brief_format(req: FileRequest) -> crate::brief::Format {
    match req {
        FileRequest::ExportBriefHtml => crate::brief::Format::Html,
        _ => crate::brief::Format::Pdf,
    }
}

impl TrajectoireApp {
    /// Starts `req`: asks about unsaved work where it replaces the document,
    /// refuses what cannot be done now, else opens the dialog.
    pub(super) fn request(&mut self, ctx: &egui::Context, req: FileRequest) {
        match req {
            FileRequest::Open => return self.guarded(ctx, Pending::Open),
            FileRequest::Compare if self.compared.len() >= compare::MAX_COMPARED => {
                let why = tr(self.lang(), Msg::CompareLimit).to_string();
                return self.tell(Msg::Compared, why);
            }
            // No deck yet: the deck window makes one.
            FileRequest::ExportDeckPng if self.tools.deck.deck.is_none() => {
                return self.tools.toggle(crate::app::tools::Tool::Deck);
            }
            FileRequest::SaveDeck | FileRequest::ExportDeckBrief
                if self.tools.deck.deck.is_none() =>
            {
                return;
            }
            _ => {}
        }
        let dir = match req {
            FileRequest::PresentDeck => formats::example_dir().unwrap_or_else(|| self.dialog_dir()),
            _ => self.dialog_dir(),
        };
        let name = self.suggested_name(req);
        self.files.start(req, dir, name, self.lang());
    }

    /// The file name a save dialog proposes.
    fn suggested_name(&self, req: FileRequest) -> String {
        let stem = |f: Option<&PathBuf>| {
            f.and_then(|f| f.file_stem())
                .map(|s| s.to_string_lossy().into_owned())
        };
        match req {
            FileRequest::SaveAs => self
                .doc
                .file
                .as_ref()
                .filter(|_| self.doc.file_is_scenario)
                .and_then(|f| f.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "scenario.ron".into()),
            FileRequest::SaveModel => format!("{}.ron", self.doc.model.model().id),
            FileRequest::ExportCsv => {
                format!(
                    "{}.csv",
                    stem(self.doc.file.as_ref()).unwrap_or_else(|| "trajectoire".into())
                )
            }
            FileRequest::ExportBrief | FileRequest::ExportBriefHtml => format!(
                "{}.brief.{}",
                stem(self.doc.file.as_ref()).unwrap_or_else(|| "trajectoire".into()),
                brief_format(req).extension()
            ),
            FileRequest::ExportDeckBrief => format!("{}.brief.pdf", self.deck_name()),
            FileRequest::PublishExplorer => format!(
                "{}.explorer.html",
                stem(self.doc.file.as_ref()).unwrap_or_else(|| "trajectoire".into())
            ),
            // Named after the deck: talk.deck.ron gives talk_01.png...
            FileRequest::ExportDeckPng => format!("{}.png", self.deck_name()),
            FileRequest::Open
            | FileRequest::Compare
            | FileRequest::PresentDeck
            | FileRequest::SaveDeck
            | FileRequest::ExportPng
            | FileRequest::ImportObservations
            | FileRequest::RunData => String::new(),
        }
    }

    /// The deck's file name without `.deck.ron` (`talk` for
    /// `talk.deck.ron`), or `deck` for one not saved.
    fn deck_name(&self) -> String {
        let deck = self.tools.deck.deck.as_ref().and_then(|d| d.file.as_ref());
        deck.and_then(|f| f.file_name())
            .map(|n| n.to_string_lossy().replace(crate::deck::DECK_SUFFIX, ""))
            .unwrap_or_else(|| "deck".into())
    }

    /// Carries out `req` on the path the user picked.
    pub(super) fn picked(&mut self, ctx: &egui::Context, req: FileRequest, path: PathBuf) {
        match req {
            FileRequest::Open => self.open_path(&path),
            FileRequest::SaveAs => {
                if self.save_to(&path)
                    && let Some(action) = self.after_save.take()
                {
                    self.proceed(ctx, action);
                }
            }
            FileRequest::Compare => self.add_compare(path),
            FileRequest::ExportCsv => self.export_csv(&path),
            FileRequest::PresentDeck => self.present_path(ctx, &path),
            FileRequest::SaveDeck => self.save_deck(&path),
            FileRequest::SaveModel => self.save_model(&path),
            FileRequest::ExportPng => self.png.pending = Some(path),
            FileRequest::ExportDeckPng => self.export_deck_png(ctx, path),
            FileRequest::ExportBrief | FileRequest::ExportBriefHtml => {
                self.export_brief(&path, brief_format(req))
            }
            FileRequest::ExportDeckBrief => self.export_deck_brief(&path),
            FileRequest::PublishExplorer => self.publish_explorer(&path),
            FileRequest::RunData => {
                if let Some(model) = self.awaiting_data.take() {
                    self.open_path_with(&model, &[path]);
                }
            }
            FileRequest::ImportObservations => {
                let lang = self.lang();
                self.tools.import.load(&path, lang, &self.doc.model);
                self.tools.set_open(crate::app::tools::Tool::Import, true);
            }
        }
    }

    /// Where dialogs open: the document's folder, else the examples'.
    pub(super) fn dialog_dir(&self) -> PathBuf {
        self.doc
            .file
            .as_ref()
            .and_then(|f| f.parent().map(Path::to_path_buf))
            .filter(|d| !d.as_os_str().is_empty())
            .or_else(formats::example_dir)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// Saves the scenario where it came from, or asks where.
    pub(super) fn save(&mut self, ctx: &egui::Context) {
        match self.doc.file.clone() {
            Some(path) if self.doc.file_is_scenario => {
                self.save_to(&path);
            }
            _ => self.request(ctx, FileRequest::SaveAs),
        }
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
        let s = self.scenario_named(&name);
        match scenario::save(path, &s) {
            Ok(()) => {
                self.doc.name = name;
                self.doc.mark_saved(path.to_path_buf());
                self.prefs.last_file = Some(path.to_path_buf());
                self.remember(path);
                true
            }
            Err(e) => {
                self.tell(Msg::SaveError, format!("{}: {e}", path.display()));
                false
            }
        }
    }

    /// The document as a scenario called `name`, with the window's views.
    pub(super) fn scenario_named(&self, name: &str) -> scenario::Scenario {
        scenario::from_document(
            &self.doc.model,
            &self.doc.levers,
            name,
            &self.doc.notes,
            scenario::Views {
                by_segment: self.prefs.by_segment,
            },
            self.doc.monte_carlo,
        )
    }

    /// Runs an action that would replace or close the document, asking first
    /// when there are unsaved changes.
    pub(super) fn guarded(&mut self, ctx: &egui::Context, action: Pending) {
        if self.doc.is_dirty() {
            self.confirm = Some(action);
        } else {
            self.proceed(ctx, action);
        }
    }

    pub(super) fn proceed(&mut self, ctx: &egui::Context, action: Pending) {
        match action {
            Pending::New => {
                self.doc = crate::app::document::Document::default_document();
                self.levers = Default::default();
            }
            Pending::NewModel(t) => {
                let model = t.model();
                let levers = model.default_levers();
                self.doc = crate::app::document::Document::new(model, levers, None);
                self.levers = Default::default();
            }
            Pending::Open => {
                let dir = self.dialog_dir();
                self.files
                    .start(FileRequest::Open, dir, String::new(), self.lang());
            }
            Pending::OpenPath(p) => self.open_path(&p),
            Pending::Quit => {
                // The user chose: nothing is left to recover.
                if let Some(p) = &self.autosave.path {
                    super::recovery::remove(p);
                }
                self.chrome.allow_close = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
        }
    }

    /// Overlays the scenario at `path`; an error is shown and nothing changes.
    pub fn add_compare(&mut self, path: PathBuf) {
        if self.compared.len() >= compare::MAX_COMPARED {
            return;
        }
        match Compared::open(path) {
            Ok(c) => self.compared.push(c),
            Err(errs) => self.tell(Msg::CompareError, errs.to_string()),
        }
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
            self.tell(Msg::ExportError, format!("{}: {e}", path.display()));
        }
    }

    /// Writes the scenario's brief in the window's language: the levers
    /// as they are, the bands and odds when they are shown, the saved
    /// file's fingerprint (none for unsaved changes).
    pub fn export_brief(&mut self, path: &Path, format: crate::brief::Format) {
        let doc = &self.doc;
        let saved = doc.file.as_ref().filter(|_| !doc.is_dirty());
        let fingerprint = saved
            .and_then(|f| crate::io::read_text(f).ok())
            .map(|t| crate::model::compile::content_hash(t.as_bytes()));
        let today = crate::brief::today();
        // The charts the window shows (by segment, when it shows those).
        let shown: Vec<String> =
            crate::app::charts::shown_charts(&doc.model, self.prefs.by_segment)
                .iter()
                .map(|c| c.id.clone())
                .collect();
        let name = if doc.name.is_empty() {
            doc.model.model().name.get(self.lang()).to_string()
        } else {
            doc.name.clone()
        };
        let input = crate::brief::Input {
            model: &doc.model,
            levers: &doc.levers,
            scenario_name: &name,
            notes: &doc.notes,
            fingerprint,
            date: &today,
            lang: self.lang(),
            uncertainty: self.bands.summary.as_ref().filter(|_| self.prefs.bands),
            charts: Some(&shown),
        };
        let written = crate::brief::write(&input, format)
            .and_then(|bytes| crate::atomic::write(path, &bytes).map_err(|e| e.to_string()));
        if let Err(e) = written {
            self.tell(Msg::ExportError, format!("{}: {e}", path.display()));
        }
    }

    /// Writes the scenario as the published explorer, in the window's
    /// language first: the levers as they are, the views shown.
    pub fn publish_explorer(&mut self, path: &Path) {
        let doc = &self.doc;
        let name = if doc.name.is_empty() {
            doc.model.model().name.get(self.lang()).to_string()
        } else {
            doc.name.clone()
        };
        let page = crate::publish::page::Page {
            model: &doc.model,
            levers: &doc.levers,
            name: &name,
            notes: &doc.notes,
            views: scenario::Views {
                by_segment: self.prefs.by_segment,
            },
            monte_carlo: doc.monte_carlo,
        };
        let written = crate::publish::page::explorer_html(&page, self.lang())
            .map_err(|e| e.to_string())
            .and_then(|html| {
                crate::atomic::write(path, html.as_bytes()).map_err(|e| e.to_string())
            });
        if let Err(e) = written {
            self.tell(Msg::PublishError, format!("{}: {e}", path.display()));
        }
    }

    /// Writes the deck's brief (PDF) in the window's language, a section
    /// per step.
    pub fn export_deck_brief(&mut self, path: &Path) {
        let Some(deck) = &self.tools.deck.deck else {
            return;
        };
        let fingerprint = (deck.file.as_ref())
            .and_then(|f| crate::io::read_text(f).ok())
            .map(|t| crate::model::compile::content_hash(t.as_bytes()));
        let today = crate::brief::today();
        let runs = crate::brief::DEFAULT_RUNS;
        let brief = crate::brief::deck(deck, self.lang(), &today, fingerprint, runs);
        let written = brief
            .ok_or_else(|| "the deck has no step".to_string())
            .and_then(|b| crate::brief::write_brief(&b, crate::brief::Format::Pdf))
            .and_then(|bytes| crate::atomic::write(path, &bytes).map_err(|e| e.to_string()));
        if let Err(e) = written {
            self.tell(Msg::ExportError, format!("{}: {e}", path.display()));
        }
    }

    /// Variables shown on the charts, in chart order, without repeats.
    fn shown_variables(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in crate::app::charts::shown_charts(&self.doc.model, self.prefs.by_segment) {
            for v in &c.series {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
        }
        out
    }

    /// Writes the model alone (edits included) as a model file that
    /// Trajectoire, the command line and another sector's work can open.
    pub fn save_model(&mut self, path: &Path) {
        if let Err(e) = crate::formats::save_model(path, self.doc.model.model()) {
            self.tell(Msg::SaveError, format!("{}: {e}", path.display()));
        }
    }

    /// Opens the deck at `path` and presents it; an error is shown instead.
    pub fn present_path(&mut self, ctx: &egui::Context, path: &Path) {
        match crate::deck::open(path) {
            Ok(d) => {
                self.tools.deck.deck = Some(d.clone());
                self.start_presenting(ctx, d);
            }
            Err(errs) => self.tell(Msg::DeckError, errs.to_string()),
        }
    }

    /// Presents the last deck opened, the example deck at first, else asks
    /// for one.
    pub(super) fn present(&mut self, ctx: &egui::Context) {
        if let Some(d) = self.tools.deck.deck.clone() {
            return self.start_presenting(ctx, d);
        }
        let example = formats::example_dir()
            .map(|d| d.join("story.deck.ron"))
            .filter(|p| p.is_file());
        match example {
            Some(p) => self.present_path(ctx, &p),
            None => self.request(ctx, FileRequest::PresentDeck),
        }
    }

    pub(super) fn start_presenting(&mut self, ctx: &egui::Context, deck: crate::deck::LoadedDeck) {
        self.presenter = Some(Presenter::new(deck));
        ctx.send_viewport_cmd(ViewportCommand::Fullscreen(true));
    }

    /// Saves the deck at `path` (`NAME.deck.ron`). Steps that name scenario
    /// files travel inline when the deck moves to another folder, so that it
    /// still opens there.
    pub fn save_deck(&mut self, path: &Path) {
        use crate::deck::{DECK_SUFFIX, StepScenario};
        let lang = self.prefs.lang;
        let Some(d) = &mut self.tools.deck.deck else {
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
                    let name = step.title.get(lang).to_string();
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
            Err(e) => self.tell(Msg::SaveError, format!("{}: {e}", path.display())),
        }
    }

    /// Presents the deck full screen (at the chosen size, a window of exactly
    /// that many pixels) and writes each step as a PNG named after `path`.
    fn export_deck_png(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(d) = self.tools.deck.deck.clone() else {
            return;
        };
        let size = self.tools.deck.export_size;
        match size {
            None => self.start_presenting(ctx, d),
            Some([w, h]) => {
                self.png.restore_size = ctx.input(|i| i.viewport().inner_rect).map(|r| r.size());
                self.presenter = Some(Presenter::new(d));
                let native = ctx.native_pixels_per_point().unwrap_or(1.0);
                ctx.send_viewport_cmd(ViewportCommand::InnerSize(egui::vec2(
                    w as f32 / native,
                    h as f32 / native,
                )));
            }
        }
        if let Some(pr) = &mut self.presenter {
            pr.export_pngs(path, self.png.errors.clone(), size);
        }
    }
}
