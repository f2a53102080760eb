//! Data given when the model is run: Vensim's data variables with no
//! equation (`name :INTERPOLATE:`, `name[dim] :RAW:`, or `name` alone),
//! whose values Vensim takes from the data files named at simulation
//! (its `.vdf` runs). Here a data file is a `.tab`, `.csv` or a
//! spreadsheet's first sheet, named by `trajectoire run MODEL --data
//! FILE` or picked when the window opens such a model.
//!
//! A file holds `Time` and one series per variable or element, named as
//! Vensim prints them (`var 1dim[A]`, compared as the model's names are:
//! case, spaces and underscores aside): the times down the first column
//! with the names across the first row (Vensim's `.tab` export), or the
//! times across the first row with the names down the first column. A
//! cell that is not a number is a missing value, left out as `GET DATA`
//! leaves it out. Where several files hold a series, the first named
//! wins; a column the model defines by an equation is not read (the
//! equation wins, as in Vensim).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Raw, canonical};
use crate::formats::sd_common::sheets::{Book, Cell, Grid, SheetError};

/// One data file's series, by key (`canonical name[element, …]`).
type Series = HashMap<String, Vec<(f64, f64)>>;

/// The data files named for the run, read at the first data variable.
#[derive(Default)]
pub struct Given {
    paths: Vec<PathBuf>,
    read: Option<Vec<Series>>,
}

/// The key of a printed name, `Var 1dim[A, b]` -> `var 1dim[a,b]`.
pub fn key(name: &str) -> String {
    match name.split_once('[') {
        Some((base, rest)) => {
            let inner = rest.trim_end().trim_end_matches(']');
            let elements: Vec<String> = inner.split(',').map(canonical).collect();
            format!("{}[{}]", canonical(base), elements.join(","))
        }
        None => canonical(name),
    }
}

impl Given {
    pub fn new(paths: &[PathBuf]) -> Self {
        Given {
            paths: paths.to_vec(),
            read: None,
        }
    }

    /// The points of `name` (a key, [`key`]), for the record at `at`.
    pub fn series(&mut self, name: &str, label: &str, at: usize) -> Result<Vec<(f64, f64)>, Raw> {
        if self.paths.is_empty() {
            return Err(Raw {
                kind: super::MdlErrorKind::NeedsData,
                message: format!(
                    "`{label}` is a data variable: its values come from a data file named \
                     when the model is run (`trajectoire run MODEL --data FILE`, or the file \
                     the window asks for)"
                ),
                offset: at,
            });
        }
        if self.read.is_none() {
            let read: Result<Vec<Series>, Raw> =
                self.paths.iter().map(|p| read_file(p, at)).collect();
            self.read = Some(read?);
        }
        let files = self.read.as_ref().expect("just read");
        if let Some(points) = files.iter().find_map(|f| f.get(name)) {
            return Ok(points.clone());
        }
        let names: Vec<String> = self.paths.iter().map(|p| file_name(p)).collect();
        Err(Raw::invalid(
            at,
            format!(
                "`{label}` is a data variable, and no data file has its series ({})",
                names.join(", ")
            ),
        ))
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The series of the data file `path` (the first sheet of a workbook).
fn read_file(path: &Path, at: usize) -> Result<Series, Raw> {
    let name = file_name(path);
    let fail = |why: String| Raw::invalid(at, format!("the data file `{name}`: {why}"));
    let why = |e: SheetError| match e {
        SheetError::Io(e) => e.message,
        SheetError::Format(m) => m,
        SheetError::NoSheet(_) => "it has no sheet".into(),
    };
    let mut book = Book::open(path).map_err(|e| fail(why(e)))?;
    let sheet = match book.text_separator() {
        Some(sep) => sep.to_string(),
        None => book.sheet_names().into_iter().next().unwrap_or_default(),
    };
    let grid = book.sheet(&sheet).map_err(|e| fail(why(e)))?;
    let is_time = |c: Cell| matches!(c, Cell::Text(t) if canonical(t) == "time");
    if !is_time(grid.cell(0, 0)) {
        return Err(fail(
            "its first cell must be `Time`, the times following it down the first column or \
             across the first row"
                .into(),
        ));
    }
    Ok(
        if grid.number(1, 0).is_some() || grid.number(0, 1).is_none() {
            series(grid, false)
        } else {
            series(grid, true)
        },
    )
}

/// Every named series of `grid`: times down column 0 and names across row
/// 0, or (`across`) times across row 0 and names down column 0.
fn series(grid: &Grid, across: bool) -> Series {
    let (rows, cols) = grid.end();
    let (names, times) = if across { (rows, cols) } else { (cols, rows) };
    let at = |name: u32, time: u32| {
        if across { (name, time) } else { (time, name) }
    };
    let mut out = Series::new();
    for n in 1..=names {
        let (r, c) = at(n, 0);
        let Cell::Text(label) = grid.cell(r, c) else {
            continue;
        };
        let points: Vec<(f64, f64)> = (1..=times)
            .filter_map(|t| {
                let (tr, tc) = at(0, t);
                let (vr, vc) = at(n, t);
                Some((grid.number(tr, tc)?, grid.number(vr, vc)?))
            })
            .collect();
        out.entry(key(label)).or_insert(points);
    }
    out
}
