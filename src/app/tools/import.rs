//! File > Import observations…: a spreadsheet's sheet or a delimited text
//! file, previewed as a spreadsheet shows it, its columns (or rows) mapped
//! to the model's series, a source given, and what the import will do shown
//! before it does it: new observations, the ones it replaces (old → new),
//! every cell skipped by its place. Applying sends one model edit (one undo
//! step). The reading and merging are `formats::observations` and
//! `model::observations`; this file only draws them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;

use super::{Tool, ToolWindow};
use crate::app::command::Command;
use crate::app::i18n::{Lang, Msg, colon, fmt_auto, tr};
use crate::app::shell::files::FileRequest;
use crate::app::theme;
use crate::app::view::Cx;
use crate::formats::observations::{self as table, Choice, Layout, Mapping, Reading, TableFile};
use crate::formats::sd_common::sheets::{Grid, column_letters};
use crate::model::def::{Model, Source};
use crate::model::observations::{MergePlan, merge, plan};

/// Rows and columns the preview shows.
const PREVIEW_ROWS: u32 = 8;
const PREVIEW_COLS: u32 = 10;
/// Replaced observations and problems listed before "… and N more".
const LISTED: usize = 12;

/// The import window: the file being imported, how it maps, its source.
#[derive(Default)]
pub struct ImportPanel {
    loaded: Option<Loaded>,
    /// Why the last file picked could not be read.
    error: Option<String>,
    source: SourceForm,
}

/// What the user says of the figures' source.
struct SourceForm {
    title: String,
    date: String,
    url: String,
    definition: String,
    fit: bool,
}

impl Default for SourceForm {
    fn default() -> Self {
        SourceForm {
            title: String::new(),
            date: String::new(),
            url: String::new(),
            definition: String::new(),
            fit: true,
        }
    }
}

struct Loaded {
    path: PathBuf,
    file: TableFile,
    sheet: usize,
    mapping: Mapping,
    /// The reading of `mapping` on a model, kept until either changes.
    cache: Option<Cached>,
}

struct Cached {
    sheet: usize,
    mapping: Mapping,
    model: Arc<Model>,
    choices: Vec<Choice>,
    items: Vec<(u32, String)>,
    reading: Reading,
}

impl ImportPanel {
    /// Opens `path` for import on `model` (the table's layout guessed, its
    /// headers matched); an unreadable file is said in the window.
    pub fn load(&mut self, path: &Path, lang: Lang, model: &crate::model::CompiledModel) {
        self.error = None;
        self.loaded = None;
        let file = match TableFile::open(path, lang) {
            Ok(f) => f,
            Err(e) => {
                self.error = Some(format!("{}{}{e}", path.display(), colon(lang)));
                return;
            }
        };
        let mapping = Mapping {
            layout: Layout::YearsDown,
            names: 0,
            years: 0,
            targets: Default::default(),
            text_numbers: file.text_numbers(),
        };
        let mut loaded = Loaded {
            path: path.to_path_buf(),
            file,
            sheet: 0,
            mapping,
            cache: None,
        };
        // A sheet that cannot be read is said by `contents`, which reads it again.
        let _ = loaded.reset(lang, model, true);
        self.loaded = Some(loaded);
    }
}

impl Loaded {
    /// Maps afresh every header of the sheet that names a series of
    /// `model`; with `guess`, the layout guessed first, names and years
    /// from the top left.
    fn reset(
        &mut self,
        lang: Lang,
        model: &crate::model::CompiledModel,
        guess: bool,
    ) -> Result<(), String> {
        let (grid, _) = self.file.grid(self.sheet, lang)?;
        if guess {
            self.mapping.layout = table::guess_layout(grid, &model.model().years());
            self.mapping.names = 0;
            self.mapping.years = 0;
        }
        self.mapping.targets = table::prefill(grid, &self.mapping, &table::choices(model));
        self.cache = None;
        Ok(())
    }
}

impl ToolWindow for ImportPanel {
    fn contents(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let lang = cx.lang;
        ui.horizontal(|ui| {
            if let Some(l) = &self.loaded {
                let name = l.path.file_name().unwrap_or_default().to_string_lossy();
                ui.label(format!(
                    "{}{}{name}",
                    tr(lang, Msg::ImportFileLabel),
                    colon(lang)
                ));
            } else {
                ui.label(tr(lang, Msg::ImportNoFile));
            }
            if ui.button(tr(lang, Msg::ImportChooseFile)).clicked() {
                cx.send(Command::File(FileRequest::ImportObservations));
            }
        });
        if let Some(e) = &self.error {
            ui.colored_label(theme::bad(cx.dark), e);
        }
        let Some(loaded) = &mut self.loaded else {
            return;
        };
        ui.separator();
        let mut applied = false;
        // The table and its mapping on the left; the source and what the
        // import will do on the right, Import always in view.
        ui.horizontal_top(|ui| {
            let ok = ui
                .vertical(|ui| {
                    ui.set_width(LEFT_WIDTH);
                    loaded.table_side_ui(ui, cx)
                })
                .inner;
            if !ok {
                return;
            }
            ui.separator();
            ui.vertical(|ui| {
                self.source.ui(ui, lang);
                ui.separator();
                applied = check_ui(ui, loaded, &self.source, cx);
            });
        });
        if applied {
            self.loaded = None;
            self.source = SourceForm::default();
            cx.send(Command::Tool(Tool::Import));
        }
    }
}

/// The width of the table's side of the window.
const LEFT_WIDTH: f32 = 560.0;

impl Loaded {
    /// The sheet, layout, preview and mapping, the reading brought up to
    /// date first; false (the error said) when the sheet cannot be read.
    fn table_side_ui(&mut self, ui: &mut egui::Ui, cx: &Cx) -> bool {
        let lang = cx.lang;
        // A new sheet: its layout guessed afresh.
        let mut ready = match self.sheet_ui(ui, lang) {
            true => self.reset(lang, &cx.doc.model, true),
            false => Ok(()),
        };
        let model = cx.doc.model.model_arc();
        let stale = self.cache.as_ref().is_none_or(|c| {
            c.sheet != self.sheet || c.mapping != self.mapping || !Arc::ptr_eq(&c.model, model)
        });
        if ready.is_ok() && stale {
            ready = self.compute(cx);
        }
        if let Err(e) = ready.and_then(|()| self.table_ui(ui, cx)) {
            ui.colored_label(theme::bad(cx.dark), e);
            return false;
        }
        ui.separator();
        self.mapping_ui(ui, cx);
        true
    }
}

impl Loaded {
    /// Reads the sheet through the mapping, for the current model.
    fn compute(&mut self, cx: &Cx) -> Result<(), String> {
        let model = cx.doc.model.shared_model();
        let choices = table::choices(&cx.doc.model);
        let (grid, sheet) = self.file.grid(self.sheet, cx.lang)?;
        let items = table::items(grid, &self.mapping);
        let reading = table::read(grid, sheet, &self.mapping, model.years());
        self.cache = Some(Cached {
            sheet: self.sheet,
            mapping: self.mapping.clone(),
            model,
            choices,
            items,
            reading,
        });
        Ok(())
    }

    /// The sheet to import (workbooks only); whether the user changed it.
    fn sheet_ui(&mut self, ui: &mut egui::Ui, lang: Lang) -> bool {
        let before = self.sheet;
        if !self.file.sheets.is_empty() {
            ui.horizontal(|ui| {
                let l = ui.label(tr(lang, Msg::ImportSheet));
                let sheets = &self.file.sheets;
                egui::ComboBox::from_id_salt("import-sheet")
                    .selected_text(sheets.get(self.sheet).map_or("", String::as_str))
                    .show_ui(ui, |ui| {
                        for (k, s) in sheets.iter().enumerate() {
                            ui.selectable_value(&mut self.sheet, k, s);
                        }
                    })
                    .response
                    .labelled_by(l.id);
            });
        }
        self.sheet != before
    }

    /// The layout, where the names and years are, and the preview.
    fn table_ui(&mut self, ui: &mut egui::Ui, cx: &Cx) -> Result<(), String> {
        let lang = cx.lang;
        let before = (self.mapping.layout, self.mapping.names, self.mapping.years);
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{}{}", tr(lang, Msg::ImportLayout), colon(lang)));
            let m = &mut self.mapping;
            ui.radio_value(
                &mut m.layout,
                Layout::YearsDown,
                tr(lang, Msg::ImportYearsDown),
            );
            ui.radio_value(
                &mut m.layout,
                Layout::YearsAcross,
                tr(lang, Msg::ImportYearsAcross),
            );
        });
        let (grid, _) = self.file.grid(self.sheet, lang)?;
        lines_ui(ui, grid, &mut self.mapping, lang);
        ui.label(egui::RichText::new(tr(lang, Msg::ImportPreview)).strong());
        preview_ui(ui, grid, &self.mapping, lang);
        let after = (self.mapping.layout, self.mapping.names, self.mapping.years);
        if before != after {
            // A new layout starts from the top left.
            if before.0 != after.0 {
                self.mapping.names = 0;
                self.mapping.years = 0;
            }
            self.reset(lang, &cx.doc.model, false)?;
        }
        Ok(())
    }
}

/// Which row holds the headers and which column the years (or, years
/// across, which column the names and which row the years).
fn lines_ui(ui: &mut egui::Ui, grid: &Grid, m: &mut Mapping, lang: Lang) {
    let (rows, cols) = grid.end();
    let (names_msg, years_msg) = match m.layout {
        Layout::YearsDown => (Msg::ImportHeaderRow, Msg::ImportYearColumn),
        Layout::YearsAcross => (Msg::ImportNameColumn, Msg::ImportYearRow),
    };
    ui.horizontal(|ui| {
        let (names_is_row, max_names, max_years) = match m.layout {
            Layout::YearsDown => (true, rows, cols),
            Layout::YearsAcross => (false, cols, rows),
        };
        line_picker(
            ui,
            tr(lang, names_msg),
            &mut m.names,
            names_is_row,
            max_names,
        );
        ui.add_space(16.0);
        line_picker(
            ui,
            tr(lang, years_msg),
            &mut m.years,
            !names_is_row,
            max_years,
        );
    });
}

/// A row number (1-based, as a spreadsheet writes it) or a column's
/// letters, for a 0-based `index` up to `max`.
fn line_picker(ui: &mut egui::Ui, label: &str, index: &mut u32, is_row: bool, max: u32) {
    let l = ui.label(label);
    if is_row {
        let mut shown = *index + 1;
        ui.add(egui::DragValue::new(&mut shown).range(1..=max + 1))
            .labelled_by(l.id);
        *index = shown - 1;
    } else {
        egui::ComboBox::from_id_salt(("import-col", label))
            .selected_text(column_letters(*index))
            .width(60.0)
            .show_ui(ui, |ui| {
                for c in 0..=max.min(table::MAX_ITEMS) {
                    ui.selectable_value(index, c, column_letters(c));
                }
            })
            .response
            .labelled_by(l.id);
    }
}

/// The first rows and columns, with the letters and numbers a spreadsheet
/// shows; the names line and the years in bold.
fn preview_ui(ui: &mut egui::Ui, grid: &Grid, m: &Mapping, lang: Lang) {
    let (rows, cols) = grid.end();
    let (rows, cols) = (rows.min(PREVIEW_ROWS - 1), cols.min(PREVIEW_COLS - 1));
    egui::ScrollArea::horizontal()
        .id_salt("import-preview")
        .show(ui, |ui| {
            egui::Grid::new("import-preview-grid")
                .striped(true)
                .min_col_width(40.0)
                .show(ui, |ui| {
                    ui.label("");
                    for c in 0..=cols {
                        ui.weak(column_letters(c));
                    }
                    ui.end_row();
                    for r in 0..=rows {
                        ui.weak((r + 1).to_string());
                        for c in 0..=cols {
                            let (line, item) = match m.layout {
                                Layout::YearsDown => (r, c),
                                Layout::YearsAcross => (c, r),
                            };
                            let mut text = table::cell_text(grid.cell(r, c), lang);
                            if text.chars().count() > 24 {
                                text = text.chars().take(23).chain(['…']).collect();
                            }
                            let t = egui::RichText::new(text);
                            ui.label(if line == m.names || item == m.years {
                                t.strong()
                            } else {
                                t
                            });
                        }
                        ui.end_row();
                    }
                });
        });
}

impl Loaded {
    /// A combo box for each column (or row) that holds something: a series
    /// of the model, or ignore.
    fn mapping_ui(&mut self, ui: &mut egui::Ui, cx: &Cx) {
        let lang = cx.lang;
        let Some(cache) = &self.cache else {
            return;
        };
        let across = self.mapping.layout == Layout::YearsAcross;
        let head = if across {
            Msg::ImportMapRows
        } else {
            Msg::ImportMapColumns
        };
        ui.label(egui::RichText::new(tr(lang, head)).strong());
        if cache.items.is_empty() {
            ui.weak(tr(lang, Msg::ImportNothingToMap));
            return;
        }
        let name_of = |id: &str| {
            cache
                .choices
                .iter()
                .find(|c| c.id == id)
                .map_or_else(|| id.to_string(), |c| c.label.get(lang).to_string())
        };
        egui::Grid::new("import-mapping")
            .num_columns(3)
            .show(ui, |ui| {
                for (item, header) in &cache.items {
                    let name = if across {
                        tr(lang, Msg::ImportRow).replace("{r}", &(item + 1).to_string())
                    } else {
                        tr(lang, Msg::ImportColumn).replace("{c}", &column_letters(*item))
                    };
                    ui.label(&name);
                    ui.label(egui::RichText::new(header).monospace());
                    let current = self.mapping.targets.get(item).cloned();
                    let mut chosen = current.clone();
                    let shown = chosen
                        .as_deref()
                        .map_or_else(|| tr(lang, Msg::ImportIgnore).to_string(), name_of);
                    egui::ComboBox::from_id_salt(("import-map", *item))
                        .selected_text(shown)
                        .width(240.0)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut chosen, None, tr(lang, Msg::ImportIgnore));
                            for c in &cache.choices {
                                let text = format!("{} ({})", c.label.get(lang), c.id);
                                ui.selectable_value(&mut chosen, Some(c.id.clone()), text);
                            }
                        })
                        .response
                        .accessible_name(&name);
                    ui.end_row();
                    if chosen != current {
                        match chosen {
                            Some(id) => self.mapping.targets.insert(*item, id),
                            None => self.mapping.targets.remove(item),
                        };
                    }
                }
            });
    }
}

impl SourceForm {
    /// The figures' source (its title required), definition and fit.
    fn ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.label(egui::RichText::new(tr(lang, Msg::Source)).strong());
        egui::Grid::new("import-source")
            .num_columns(2)
            .show(ui, |ui| {
                let fields = [
                    (Msg::ImportSourceTitle, &mut self.title),
                    (Msg::DateField, &mut self.date),
                    (Msg::ImportUrl, &mut self.url),
                    (Msg::ImportDefinition, &mut self.definition),
                ];
                for (msg, text) in fields {
                    let l = ui.label(tr(lang, msg));
                    ui.add(egui::TextEdit::singleline(text).desired_width(360.0))
                        .labelled_by(l.id);
                    ui.end_row();
                }
            });
        ui.checkbox(&mut self.fit, tr(lang, Msg::ImportFit));
    }

    fn source(&self) -> Source {
        Source {
            title: self.title.clone(),
            date: self.date.clone(),
            url: Some(self.url.clone()),
            note: None,
        }
    }
}

/// What the import will do, and Import. True once it is applied.
fn check_ui(ui: &mut egui::Ui, loaded: &Loaded, f: &SourceForm, cx: &mut Cx) -> bool {
    let (lang, doc, bad) = (cx.lang, cx.doc, theme::bad(cx.dark));
    let Some(cache) = &loaded.cache else {
        return false;
    };
    let model = doc.model.model();
    ui.label(egui::RichText::new(tr(lang, Msg::ImportCheck)).strong());
    let points = &cache.reading.points;
    let observations = table::observations(points, &f.source(), &f.definition, f.fit);
    match table::refusal(points, &f.source()) {
        None => {
            if ui.button(tr(lang, Msg::ImportApply)).clicked() {
                cx.send(Command::EditModel {
                    model: Box::new(merge(model, &observations)),
                    merge: None,
                });
                return true;
            }
        }
        Some(refusal) => {
            ui.add_enabled(false, egui::Button::new(tr(lang, Msg::ImportApply)));
            ui.colored_label(bad, refusal.describe(lang));
        }
    }
    let p = plan(model, &observations);
    summary_ui(ui, &p, &cache.reading, &cache.choices, lang);
    false
}

/// The counts, each replaced observation (old → new) and each skipped cell.
fn summary_ui(ui: &mut egui::Ui, p: &MergePlan, r: &Reading, choices: &[Choice], lang: Lang) {
    let count = |msg, n: usize| tr(lang, msg).replace("{n}", &n.to_string());
    ui.label(count(Msg::ImportNew, p.added));
    ui.label(count(Msg::ImportReplaced, p.replaced.len()));
    let label = |id: &str| {
        choices
            .iter()
            .find(|c| c.id == id)
            .map_or(id, |c| c.label.get(lang))
            .to_string()
    };
    ui.indent("import-replaced", |ui| {
        for x in p.replaced.iter().take(LISTED) {
            ui.label(format!(
                "{} {}{}{} → {}",
                label(&x.variable),
                x.year,
                colon(lang),
                fmt_auto(lang, x.old),
                fmt_auto(lang, x.new)
            ));
        }
        more_ui(ui, p.replaced.len(), lang);
    });
    ui.label(count(Msg::ImportSkipped, r.problems.len()));
    ui.indent("import-problems", |ui| {
        for problem in r.problems.iter().take(LISTED) {
            ui.label(problem.describe(lang));
        }
        more_ui(ui, r.problems.len(), lang);
    });
}

fn more_ui(ui: &mut egui::Ui, n: usize, lang: Lang) {
    if n > LISTED {
        ui.weak(tr(lang, Msg::ImportMore).replace("{n}", &(n - LISTED).to_string()));
    }
}
