//! A table of figures read as observations (File > Import observations…):
//! a spreadsheet's sheet or a delimited text file, read as a grid by
//! `sd_common::sheets` (never a second reader), years down a column or
//! across a row, each data column (or row) mapped to a model series. What
//! cannot be read is never dropped silently: every cell whose figure is
//! skipped is a [`Problem`] named by its place (`Sheet1!C7`, or `line 7,
//! column 3` in a text file). Merging into the model is
//! `model::observations`. No egui here.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::Path;

use super::sd_common::sheets::{Book, Cell, Grid, SheetError, column_letters};
use crate::i18n::{Msg, tr};
use crate::model::def::{Observation, Source, Text};
use crate::model::{CompiledModel, Lang};

/// How the years run in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One row per year, one column per variable.
    YearsDown,
    /// One row per variable, one column per year.
    YearsAcross,
}

/// How a grid's cells become figures.
///
/// A *line* is a row (years down) or a column (years across): the line
/// `names` holds the series' names, the lines after it the figures. An
/// *item* is a column (years down) or a row (years across): item `years`
/// holds the years, each item in `targets` one series. Indices are 0-based.
#[derive(Clone, Debug, PartialEq)]
pub struct Mapping {
    pub layout: Layout,
    pub names: u32,
    pub years: u32,
    /// Item → series id (`jobs`, `jobs[crm]`); items not here are ignored.
    pub targets: BTreeMap<u32, String>,
    /// How numbers written as text read (`27,1`): French for a file
    /// separated by semicolons, English otherwise (`numfmt::parse_num`).
    pub text_numbers: Lang,
}

impl Mapping {
    /// The (row, column) of item `item` on line `line`.
    pub fn cell_at(&self, line: u32, item: u32) -> (u32, u32) {
        match self.layout {
            Layout::YearsDown => (line, item),
            Layout::YearsAcross => (item, line),
        }
    }

    /// The last line and item the grid holds.
    fn extent(&self, grid: &Grid) -> (u32, u32) {
        let (r, c) = grid.end();
        match self.layout {
            Layout::YearsDown => (r, c),
            Layout::YearsAcross => (c, r),
        }
    }
}

/// Where a cell is, as the user's program shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The sheet of a workbook; `None` for delimited text.
    pub sheet: Option<String>,
    pub row: u32,
    pub col: u32,
}

impl Place {
    /// `Sheet1!C7` (`'My sheet'!C7`) in a workbook, `line 7, column 3` in text.
    pub fn describe(&self, lang: Lang) -> String {
        match &self.sheet {
            Some(s) => {
                let plain = s.chars().all(|c| c.is_alphanumeric() || c == '_');
                let sheet = if plain {
                    s.clone()
                } else {
                    format!("'{}'", s.replace('\'', "''"))
                };
                format!("{sheet}!{}{}", column_letters(self.col), self.row + 1)
            }
            None => tr(lang, Msg::ImportLineColumn)
                .replace("{line}", &(self.row + 1).to_string())
                .replace("{col}", &(self.col + 1).to_string()),
        }
    }
}

/// Why a cell's figure is skipped.
#[derive(Clone, Debug, PartialEq)]
pub enum ProblemKind {
    /// A figure that is not a number (the cell's text).
    NotANumber(String),
    /// A year that is not a number (the cell's text).
    NotAYear(String),
    YearNotWhole(f64),
    /// A year outside the model's time axis `first..=last`.
    YearOutside {
        year: f64,
        first: i32,
        last: i32,
    },
    /// Figures on a line whose year cell is empty.
    NoYear,
    /// A second figure for the same series and year; the first's place.
    Repeated {
        variable: String,
        year: i32,
        first: Place,
    },
}

/// A cell that cannot be read, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub place: Place,
    pub kind: ProblemKind,
}

impl Problem {
    /// The problem as one line: `Sheet1!C7: "n/a" is not a number`.
    pub fn describe(&self, lang: Lang) -> String {
        let place = self.place.describe(lang);
        let text = match &self.kind {
            ProblemKind::NotANumber(t) => tr(lang, Msg::ImportNotNumber).replace("{text}", t),
            ProblemKind::NotAYear(t) => tr(lang, Msg::ImportNotYear).replace("{text}", t),
            ProblemKind::YearNotWhole(y) => tr(lang, Msg::ImportYearNotWhole)
                .replace("{year}", &crate::numfmt::fmt_time(lang, *y)),
            ProblemKind::YearOutside { year, first, last } => tr(lang, Msg::ImportYearOutside)
                .replace("{year}", &crate::numfmt::time(*year))
                .replace("{first}", &first.to_string())
                .replace("{last}", &last.to_string()),
            ProblemKind::NoYear => tr(lang, Msg::ImportNoYear).to_string(),
            ProblemKind::Repeated {
                variable,
                year,
                first,
            } => tr(lang, Msg::ImportRepeated)
                .replace("{variable}", variable)
                .replace("{year}", &year.to_string())
                .replace("{first}", &first.describe(lang)),
        };
        text.replace("{place}", &place)
    }
}

/// A figure read from the table, before it has a source.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub variable: String,
    pub year: i32,
    pub value: f64,
    pub place: Place,
}

/// What a grid read through a mapping gives: the figures, and every cell
/// skipped with why.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reading {
    pub points: Vec<Point>,
    pub problems: Vec<Problem>,
}

/// Why an import is refused as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The source has no title: every figure needs one.
    NoSource,
    /// No figure to import (nothing mapped, or nothing read).
    Nothing,
}

impl Refusal {
    pub fn describe(self, lang: Lang) -> &'static str {
        match self {
            Refusal::NoSource => tr(lang, Msg::ImportNeedSource),
            Refusal::Nothing => tr(lang, Msg::ImportNothing),
        }
    }
}

/// Reads `grid` (sheet `sheet`, `None` for text) through `mapping`: a
/// figure for each mapped item on each line after the names, whose year is
/// a whole number within `years`. An empty cell is no figure; a cell that
/// holds one that cannot be taken is a [`Problem`].
pub fn read(
    grid: &Grid,
    sheet: Option<&str>,
    mapping: &Mapping,
    years: RangeInclusive<i32>,
) -> Reading {
    let place = |line, item| {
        let (row, col) = mapping.cell_at(line, item);
        Place {
            sheet: sheet.map(str::to_string),
            row,
            col,
        }
    };
    let cell = |line, item| {
        let (r, c) = mapping.cell_at(line, item);
        grid.cell(r, c)
    };
    let mut out = Reading::default();
    let mut seen: BTreeMap<(String, i32), Place> = BTreeMap::new();
    let (last_line, _) = mapping.extent(grid);
    let Some(first_line) = mapping.names.checked_add(1) else {
        return out;
    };
    for line in first_line..=last_line {
        // The figures of this line, each a number or the text it holds.
        let figures: Vec<(u32, &String, Cell)> = mapping
            .targets
            .iter()
            .filter(|(item, _)| **item != mapping.years)
            .map(|(item, v)| (*item, v, cell(line, *item)))
            .filter(|(_, _, c)| *c != Cell::Empty)
            .collect();
        if figures.is_empty() {
            continue;
        }
        let year = match year_of(cell(line, mapping.years), &years) {
            Ok(y) => y,
            Err(kind) => {
                out.problems.push(Problem {
                    place: place(line, mapping.years),
                    kind,
                });
                continue;
            }
        };
        for (item, variable, c) in figures {
            let at = place(line, item);
            let value = match c {
                Cell::Number(v) if v.is_finite() => v,
                Cell::Text(t) => match crate::numfmt::parse_num(mapping.text_numbers, t) {
                    Some(v) => v,
                    None => {
                        let kind = ProblemKind::NotANumber(t.to_string());
                        out.problems.push(Problem { place: at, kind });
                        continue;
                    }
                },
                _ => {
                    let kind = ProblemKind::NotANumber(String::new());
                    out.problems.push(Problem { place: at, kind });
                    continue;
                }
            };
            let key = (variable.clone(), year);
            if let Some(first) = seen.get(&key) {
                let kind = ProblemKind::Repeated {
                    variable: variable.clone(),
                    year,
                    first: first.clone(),
                };
                out.problems.push(Problem { place: at, kind });
                continue;
            }
            seen.insert(key, at.clone());
            out.points.push(Point {
                variable: variable.clone(),
                year,
                value,
                place: at,
            });
        }
    }
    out
}

/// The year in a year cell, or why there is none.
fn year_of(c: Cell, years: &RangeInclusive<i32>) -> Result<i32, ProblemKind> {
    match c {
        Cell::Empty => Err(ProblemKind::NoYear),
        Cell::Text(t) => Err(ProblemKind::NotAYear(t.to_string())),
        Cell::Number(y) if y.fract() != 0.0 || !y.is_finite() => Err(ProblemKind::YearNotWhole(y)),
        Cell::Number(y) => {
            let (first, last) = (*years.start(), *years.end());
            if (f64::from(first)..=f64::from(last)).contains(&y) {
                Ok(y as i32)
            } else {
                Err(ProblemKind::YearOutside {
                    year: y,
                    first,
                    last,
                })
            }
        }
    }
}

/// Why the figures cannot be imported with `source`, if they cannot: no
/// source title, or nothing to import.
pub fn refusal(points: &[Point], source: &Source) -> Option<Refusal> {
    if source.title.trim().is_empty() {
        Some(Refusal::NoSource)
    } else if points.is_empty() {
        Some(Refusal::Nothing)
    } else {
        None
    }
}

/// The figures as observations with their source (fields trimmed, a blank
/// address none), `definition` (empty for none) and whether they enter the
/// calibration fit.
pub fn observations(
    points: &[Point],
    source: &Source,
    definition: &str,
    fit: bool,
) -> Vec<Observation> {
    let source = Source {
        title: source.title.trim().to_string(),
        date: source.date.trim().to_string(),
        url: source
            .url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string),
        note: source.note.clone(),
    };
    let definition = Some(definition.trim())
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    points
        .iter()
        .map(|p| Observation {
            variable: p.variable.clone(),
            year: p.year,
            value: p.value,
            source: source.clone(),
            definition: definition.clone(),
            fit: (!fit).then_some(false),
        })
        .collect()
}

/// [`observations`], refused as [`refusal`] says.
pub fn with_source(
    points: &[Point],
    source: &Source,
    definition: &str,
    fit: bool,
) -> Result<Vec<Observation>, Refusal> {
    match refusal(points, source) {
        Some(r) => Err(r),
        None => Ok(observations(points, source, definition, fit)),
    }
}

/// A series a column or row can be mapped to.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// `jobs`, or `jobs[crm]` for one element of an arrayed variable.
    pub id: String,
    /// `Jobs`, or `Jobs [CRM]`, in both languages.
    pub label: Text,
}

/// Every series of `model` an observation can be of: each scalar variable
/// and each element of an arrayed one, in the model's order.
pub fn choices(model: &CompiledModel) -> Vec<Choice> {
    (0..model.n_vars())
        .map(|v| {
            let s = model.series(v);
            Choice {
                id: s.id.clone(),
                label: s.label.clone(),
            }
        })
        .collect()
}

/// The series a header names: its id or its label in either language,
/// whatever the case and the spaces around.
pub fn guess<'a>(choices: &'a [Choice], header: &str) -> Option<&'a Choice> {
    let h = header.trim().to_lowercase();
    if h.is_empty() {
        return None;
    }
    choices.iter().find(|c| {
        [&c.id, &c.label.fr, &c.label.en]
            .iter()
            .any(|s| s.trim().to_lowercase() == h)
    })
}

/// The most items (columns or rows) the mapping lists.
pub const MAX_ITEMS: u32 = 200;

/// The lines looked at to tell whether an item holds anything.
const LOOKED_AT: u32 = 1000;

/// The items that hold something after the names line, other than the
/// years, with their header (the cell on the names line): what the user
/// maps. At most [`MAX_ITEMS`].
pub fn items(grid: &Grid, mapping: &Mapping) -> Vec<(u32, String)> {
    let (last_line, last_item) = mapping.extent(grid);
    let cell = |line, item| {
        let (r, c) = mapping.cell_at(line, item);
        grid.cell(r, c)
    };
    (0..=last_item.min(MAX_ITEMS - 1))
        .filter(|&i| i != mapping.years)
        .filter(|&i| {
            let first = mapping.names.saturating_add(1);
            let last = last_line.min(first.saturating_add(LOOKED_AT));
            cell(mapping.names, i) != Cell::Empty
                || (first..=last).any(|l| cell(l, i) != Cell::Empty)
        })
        .map(|i| (i, cell_text(cell(mapping.names, i), Lang::En)))
        .collect()
}

/// A cell as the preview shows it: numbers ungrouped (a year stays
/// `2024`), with `lang`'s decimal point.
pub fn cell_text(c: Cell, lang: Lang) -> String {
    match c {
        Cell::Number(v) => crate::numfmt::fmt_time(lang, v),
        Cell::Text(t) => t.to_string(),
        Cell::Empty => String::new(),
    }
}

/// Each item whose header names a series, mapped to it.
pub fn prefill(grid: &Grid, mapping: &Mapping, choices: &[Choice]) -> BTreeMap<u32, String> {
    items(grid, mapping)
        .into_iter()
        .filter_map(|(i, h)| guess(choices, &h).map(|c| (i, c.id.clone())))
        .collect()
}

/// The layout the grid seems to have: years across when the first row
/// holds more years of the model than the first column.
pub fn guess_layout(grid: &Grid, years: &RangeInclusive<i32>) -> Layout {
    let (rows, cols) = grid.end();
    let is_year =
        |c: Cell| matches!(c, Cell::Number(y) if y.fract() == 0.0 && years.contains(&(y as i32)));
    let across = (1..=cols.min(MAX_ITEMS))
        .filter(|&c| is_year(grid.cell(0, c)))
        .count();
    let down = (1..=rows.min(MAX_ITEMS))
        .filter(|&r| is_year(grid.cell(r, 0)))
        .count();
    if across > down {
        Layout::YearsAcross
    } else {
        Layout::YearsDown
    }
}

/// A file of tables opened for import: its sheets (none for text) and how
/// its text is split.
pub struct TableFile {
    book: Book,
    pub sheets: Vec<String>,
    /// The separator of a text file; `None` for a workbook.
    pub separator: Option<char>,
}

impl TableFile {
    /// Opens `path` through the size-limited reader; the error said in `lang`.
    pub fn open(path: &Path, lang: Lang) -> Result<TableFile, String> {
        let book = Book::open(path).map_err(|e| sheet_error(e, lang))?;
        let sheets = book.sheet_names();
        let separator = book.text_separator();
        Ok(TableFile {
            book,
            sheets,
            separator,
        })
    }

    /// The grid of sheet `sheet` (ignored for text), and the sheet's name
    /// for the places of its cells.
    pub fn grid(&mut self, sheet: usize, lang: Lang) -> Result<(&Grid, Option<&str>), String> {
        let name = match self.separator {
            Some(sep) => sep.to_string(),
            None => self.sheets.get(sheet).cloned().unwrap_or_default(),
        };
        let grid = self.book.sheet(&name).map_err(|e| sheet_error(e, lang))?;
        let sheet_name = match self.separator {
            Some(_) => None,
            None => self.sheets.get(sheet).map(String::as_str),
        };
        Ok((grid, sheet_name))
    }

    /// How numbers written as text read in this file.
    pub fn text_numbers(&self) -> Lang {
        if self.separator == Some(';') {
            Lang::Fr
        } else {
            Lang::En
        }
    }
}

fn sheet_error(e: SheetError, lang: Lang) -> String {
    match e {
        SheetError::Io(e) => e.to_string(),
        SheetError::Format(m) => m,
        SheetError::NoSheet(names) => {
            format!(
                "{}{}{}",
                tr(lang, Msg::ImportSheet),
                crate::i18n::colon(lang),
                names.join(", ")
            )
        }
    }
}

#[cfg(test)]
#[path = "observations_tests.rs"]
mod tests;
