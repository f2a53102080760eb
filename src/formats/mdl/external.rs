//! Vensim's external data, read when the model is read: `GET XLS …` and
//! `GET DIRECT …` (the same for us) `CONSTANTS`, `LOOKUPS`, `DATA` and
//! `SUBSCRIPT`, from spreadsheets (`.xlsx`, `.xls`, `.ods`…) and
//! delimited text (`.csv`, `.tab`), files named relative to the model's
//! folder. The values become the model's own: numbers, lookups' points,
//! a data variable's points (built as a lookup over `time`, read by its
//! mode, `build/series.rs`), a range's elements. A record over a range
//! is written out element by element, each its own cells.
//!
//! Vensim's layout, as its manual and the SDXorg suite give it:
//! - constants start at a cell (`B5`) or a defined name's first cell; one
//!   range runs across a row, two run the first down the rows and the
//!   last across the columns; a `*` after the cell reads them transposed
//!   (`C8*` down a column);
//! - data and lookups have their time (their x) in a row (`'4'`), a
//!   column (`'A'`) or a defined name, from the first cell's column (row)
//!   to the sheet's last; each element's values in the next row (column);
//!   a point whose time or value is not a number is left out (Vensim
//!   interpolates over the gap, suite model `get_with_missing_values_xlsx`);
//! - a subscript's elements are the cells from the first to the last (or
//!   to the sheet's end when the last is not given), after a prefix.
//!
//! Refused with the record's place: a missing file, sheet, name or
//! number (kind Invalid), `?name` indirect files and `GET` inside a
//! larger equation (Unsupported, left to `translate.rs`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::given::{self, Given};
use super::parse::{DataMode, Equation, Expr, Node, Rhs};
use super::ranges::{Ranges, Subscript};
use super::{Raw, canonical};
use crate::formats::sd_common::sheets::{self, Book, Cell, Grid, SheetError};
use crate::model::compile::arrays::MAX_ELEMENTS;

/// The data files a model reads, each opened once: those its `GET`s name
/// and those given for the run (`given.rs`).
pub struct Files<'a> {
    folder: Option<&'a Path>,
    books: HashMap<PathBuf, Book>,
    given: Given,
}

/// What a `GET` reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum What {
    Constants,
    Lookups,
    Data,
    Subscript,
}

/// A `GET …(…)` call: what it reads, its text arguments, where it is.
struct Get {
    what: What,
    name: String,
    args: Vec<String>,
    at: usize,
}

/// The call `e` if it is a `GET` of external data; refused when its
/// arguments are not texts, or name a file indirectly (`?name`).
fn get(e: &Expr) -> Result<Option<Get>, Raw> {
    let Node::Call { name, args, .. } = &e.node else {
        return Ok(None);
    };
    let key = canonical(name);
    let Some(rest) = key
        .strip_prefix("get xls ")
        .or_else(|| key.strip_prefix("get direct "))
    else {
        return Ok(None);
    };
    let what = match rest {
        "constants" => What::Constants,
        "lookups" => What::Lookups,
        "data" => What::Data,
        "subscript" => What::Subscript,
        _ => return Ok(None),
    };
    let mut texts = Vec::new();
    for a in args {
        let text = match &a.node {
            Node::Name(s) if s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') => {
                s[1..s.len() - 1].trim().to_string()
            }
            _ => {
                return Err(Raw::invalid(
                    a.span.0,
                    format!("the arguments of `{name}` are texts in single quotes"),
                ));
            }
        };
        if text.starts_with('?') {
            return Err(Raw::unsupported(
                a.span.0,
                format!(
                    "`{text}` names its file indirectly (`?name`, defined in Vensim's \
                     settings): not supported; write the file's name"
                ),
            ));
        }
        texts.push(text);
    }
    let want = match what {
        What::Constants => 3..=3,
        What::Lookups | What::Data => 4..=4,
        What::Subscript => 4..=5,
    };
    if !want.contains(&texts.len()) {
        return Err(Raw::invalid(
            e.span.0,
            format!(
                "`{name}` takes {} arguments, not {}",
                if what == What::Subscript {
                    "4 or 5".to_string()
                } else {
                    want.start().to_string()
                },
                texts.len()
            ),
        ));
    }
    Ok(Some(Get {
        what,
        name: name.clone(),
        args: texts,
        at: e.span.0,
    }))
}

/// Where a run of values starts and which way the next element goes.
struct Start {
    sheet: String,
    cell: (u32, u32),
    /// A defined name's extent, when the cell came from one.
    last: Option<(u32, u32)>,
}

impl<'a> Files<'a> {
    /// Data files are read relative to `folder`, the model's; with none
    /// (a model that came from no file) every `GET` is refused.
    pub fn new(folder: Option<&'a Path>, given: &[PathBuf]) -> Self {
        Files {
            folder,
            books: HashMap::new(),
            given: Given::new(given),
        }
    }

    /// The file `name` opened, and its sheet `sheet`.
    fn sheet(&mut self, g: &Get, name: &str, sheet: &str) -> Result<&Grid, Raw> {
        let book = self.book(g, name)?;
        book.sheet(sheet).map_err(|e| match e {
            SheetError::NoSheet(names) => Raw::invalid(
                g.at,
                format!(
                    "`{name}` has no sheet `{sheet}` (its sheets: {})",
                    names.join(", ")
                ),
            ),
            SheetError::Format(m) => Raw::invalid(g.at, format!("`{name}`: {m}")),
            SheetError::Io(e) => Raw::invalid(g.at, e.message),
        })
    }

    fn book(&mut self, g: &Get, name: &str) -> Result<&mut Book, Raw> {
        let Some(folder) = self.folder else {
            return Err(Raw::unsupported(
                g.at,
                format!(
                    "`{}` reads `{name}`, and this model came from no file: data files are \
                     read from the model's folder",
                    g.name
                ),
            ));
        };
        let path = folder.join(name.replace('\\', "/"));
        if !self.books.contains_key(&path) {
            let book = Book::open(&path).map_err(|e| match e {
                SheetError::Io(e) => Raw::invalid(
                    g.at,
                    format!(
                        "cannot read the data file `{name}` ({}): {}",
                        path.display(),
                        e.message
                    ),
                ),
                SheetError::Format(m) => Raw::invalid(
                    g.at,
                    format!("`{name}` is not a spreadsheet Trajectoire reads: {m}"),
                ),
                SheetError::NoSheet(_) => Raw::invalid(g.at, format!("`{name}` has no sheet")),
            })?;
            self.books.insert(path.clone(), book);
        }
        Ok(self.books.get_mut(&path).expect("just opened"))
    }

    /// A cell (`B5`, `C8*`) or a defined name (`value1`, `var_dim*`): where
    /// it starts, on which sheet, and whether it is transposed.
    fn start(&mut self, g: &Get, sheet: &str, text: &str) -> Result<(Start, bool), Raw> {
        let (text, transposed) = match text.strip_suffix('*') {
            Some(t) => (t.trim(), true),
            None => (text, false),
        };
        if let Some(cell) = sheets::cell_ref(text) {
            let start = Start {
                sheet: sheet.to_string(),
                cell,
                last: None,
            };
            return Ok((start, transposed));
        }
        let file = &g.args[0];
        let area = self.book(g, file)?.named(text, sheet).ok_or_else(|| {
            Raw::invalid(
                g.at,
                format!("`{text}` is neither a cell (`B5`) nor a name defined in `{file}`"),
            )
        })?;
        let start = Start {
            sheet: area.sheet,
            cell: area.first,
            last: Some(area.last),
        };
        Ok((start, transposed))
    }

    /// `GET … CONSTANTS(file, sheet, cell)` for `shape` (one or two ranges'
    /// sizes): the numbers, row-major over the ranges.
    fn constants(&mut self, g: &Get, shape: &[usize]) -> Result<Vec<f64>, Raw> {
        let (rows, cols) = match *shape {
            [] => (1, 1),
            [n] => (1, n),
            [a, b] => (a, b),
            _ => {
                return Err(Raw::unsupported(
                    g.at,
                    format!(
                        "`{}` over more than two ranges (Vensim reads them from several \
                         sheets) is not supported",
                        g.name
                    ),
                ));
            }
        };
        let (file, sheet) = (g.args[0].clone(), g.args[1].clone());
        let (start, transposed) = self.start(g, &sheet, &g.args[2])?;
        let grid = self.sheet(g, &file, &start.sheet)?;
        let mut out = Vec::with_capacity(rows * cols);
        for i in 0..rows {
            for j in 0..cols {
                let (di, dj) = if transposed { (j, i) } else { (i, j) };
                let at = offset(start.cell, di, dj);
                let v = at.and_then(|(r, c)| grid.number(r, c)).ok_or_else(|| {
                    no_number(g, &file, &start.sheet, at.unwrap_or((u32::MAX, u32::MAX)))
                })?;
                out.push(v);
            }
        }
        Ok(out)
    }

    /// `GET … DATA` or `LOOKUPS(file, sheet, time, first cell)`: `n`
    /// series of points (time or x, value), one per element.
    fn series(&mut self, g: &Get, n: usize) -> Result<Vec<Vec<(f64, f64)>>, Raw> {
        let (file, sheet) = (g.args[0].clone(), g.args[1].clone());
        let (first, _) = self.start(g, &sheet, &g.args[3])?;
        let time = g.args[2].clone();
        // The times' cells, and the step from one element's values to the next's.
        let (times, across): (Vec<(u32, u32)>, bool) = if let Some(r) = sheets::row(&time) {
            let grid = self.sheet(g, &file, &first.sheet)?;
            let end = grid.end().1;
            (
                (first.cell.1..=end.max(first.cell.1))
                    .map(|c| (r, c))
                    .collect(),
                true,
            )
        } else if let Some(c) = sheets::column(&time) {
            let grid = self.sheet(g, &file, &first.sheet)?;
            let end = grid.end().0;
            (
                (first.cell.0..=end.max(first.cell.0))
                    .map(|r| (r, c))
                    .collect(),
                false,
            )
        } else {
            let (t, _) = self.start(g, &first.sheet, &time)?;
            let last = t.last.unwrap_or(t.cell);
            if t.cell.0 == last.0 {
                ((t.cell.1..=last.1).map(|c| (t.cell.0, c)).collect(), true)
            } else {
                ((t.cell.0..=last.0).map(|r| (r, t.cell.1)).collect(), false)
            }
        };
        let grid = self.sheet(g, &file, &first.sheet)?;
        let mut out = Vec::with_capacity(n);
        for k in 0..n {
            let mut points = Vec::new();
            for (j, &(tr, tc)) in times.iter().enumerate() {
                let at = if across {
                    offset(first.cell, k, j)
                } else {
                    offset(first.cell, j, k)
                };
                let (Some(x), Some(y)) =
                    (grid.number(tr, tc), at.and_then(|(r, c)| grid.number(r, c)))
                else {
                    continue;
                };
                points.push((x, y));
            }
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            if let Some(w) = points.windows(2).find(|w| w[0].0 == w[1].0) {
                return Err(Raw::invalid(
                    g.at,
                    format!(
                        "`{}` reads the time (x) {} twice in `{file}`",
                        g.name, w[0].0
                    ),
                ));
            }
            if points.is_empty() {
                return Err(Raw::invalid(
                    g.at,
                    format!(
                        "`{}` finds no number in `{file}`, sheet `{}`, from {}",
                        g.name,
                        first.sheet,
                        cell_name(offset(first.cell, 0, 0).unwrap_or_default())
                    ),
                ));
            }
            out.push(points);
        }
        Ok(out)
    }

    /// `GET … SUBSCRIPT(file, sheet, first, last, prefix)`: the elements'
    /// names, the prefix before each cell's text.
    fn subscript(&mut self, g: &Get) -> Result<Vec<String>, Raw> {
        let (file, sheet) = (g.args[0].clone(), g.args[1].clone());
        let (first, _) = self.start(g, &sheet, &g.args[2])?;
        let prefix = g.args.get(4).cloned().unwrap_or_default();
        let grid = self.sheet(g, &file, &first.sheet)?;
        let last = match sheets::cell_ref(g.args[3].trim_end_matches('*')) {
            Some(c) => c,
            None if g.args[3].is_empty() => grid.end(),
            None => {
                return Err(Raw::invalid(
                    g.at,
                    format!("`{}` is not a cell (`D3`)", g.args[3]),
                ));
            }
        };
        let cells: Vec<(u32, u32)> = if last.0 == first.cell.0 {
            (first.cell.1..=last.1.max(first.cell.1))
                .map(|c| (first.cell.0, c))
                .collect()
        } else {
            (first.cell.0..=last.0.max(first.cell.0))
                .map(|r| (r, first.cell.1))
                .collect()
        };
        let mut out = Vec::new();
        for (r, c) in cells {
            let name = match grid.cell(r, c) {
                Cell::Number(v) => crate::io::delimited::number_text(v),
                Cell::Text(s) => s.to_string(),
                Cell::Empty => continue,
            };
            out.push(format!("{prefix}{name}"));
        }
        if out.is_empty() || out.len() > MAX_ELEMENTS {
            return Err(Raw::invalid(
                g.at,
                format!(
                    "`{}` reads {} elements from `{file}`: a range has 1 to {MAX_ELEMENTS}",
                    g.name,
                    out.len()
                ),
            ));
        }
        Ok(out)
    }
}

/// `cell` moved `down` rows and `right` columns, if still on a sheet.
fn offset(cell: (u32, u32), down: usize, right: usize) -> Option<(u32, u32)> {
    let r = cell.0.checked_add(u32::try_from(down).ok()?)?;
    let c = cell.1.checked_add(u32::try_from(right).ok()?)?;
    Some((r, c))
}

/// `(4, 2)` as `C5`.
fn cell_name((r, c): (u32, u32)) -> String {
    let mut letters = Vec::new();
    let mut n = c + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), r + 1)
}

fn no_number(g: &Get, file: &str, sheet: &str, at: (u32, u32)) -> Raw {
    Raw::invalid(
        g.at,
        format!(
            "`{}`: cell {} of sheet `{sheet}` in `{file}` holds no number",
            g.name,
            cell_name(at)
        ),
    )
}

/// The subscript ranges whose elements a file gives (`GET DIRECT
/// SUBSCRIPT`), read: each becomes a range of those elements.
pub fn subscripts(
    mut eqns: Vec<(usize, Equation)>,
    files: &mut Files,
) -> Result<Vec<(usize, Equation)>, Raw> {
    for (_, q) in &mut eqns {
        let Rhs::RangeFrom(call) = &q.rhs else {
            continue;
        };
        let g = get(call)?
            .filter(|g| g.what == What::Subscript)
            .ok_or_else(|| {
                Raw::unsupported(
                    call.span.0,
                    format!(
                        "`{}`'s elements come from a function other than `GET DIRECT \
                         SUBSCRIPT`: not supported",
                        q.name
                    ),
                )
            })?;
        let span = call.span;
        let members = files.subscript(&g)?;
        q.rhs = Rhs::Range(members.into_iter().map(|m| (m, span)).collect(), Vec::new());
    }
    Ok(eqns)
}

/// Every record that is a `GET` of constants, lookups or data, read: a
/// record over ranges written out element by element, each with its own
/// numbers, points or data.
pub fn read(
    eqns: Vec<(usize, Equation)>,
    ranges: &Ranges,
    files: &mut Files,
) -> Result<Vec<(usize, Equation)>, Raw> {
    let mut out = Vec::with_capacity(eqns.len());
    for (i, q) in eqns {
        let (mode, call) = match &q.rhs {
            Rhs::Eqn(e) => (None, e),
            Rhs::Data(mode, e) => (Some(*mode), e),
            Rhs::Given(mode) => {
                let mode = *mode;
                let (varying, shape) = varying(&q, ranges);
                let rhs = given_series(&q, &varying, &shape, ranges, files, mode)?;
                write_out(i, q, &varying, &shape, rhs, ranges, &mut out);
                continue;
            }
            _ => {
                out.push((i, q));
                continue;
            }
        };
        // `x := GET XLS CONSTANTS(…)` is read as `=` (suite model
        // `get_constants`); another mode on constants or lookups is refused.
        let Some(g) = get(call)? else {
            if mode.is_some() {
                return Err(Raw::unsupported(
                    call.span.0,
                    "a data equation (`:=`) other than `GET … DATA` is not supported",
                ));
            }
            out.push((i, q));
            continue;
        };
        if !q.except.is_empty() {
            return Err(Raw::unsupported(
                q.name_span.0,
                format!("`{}` with `:EXCEPT:` is not supported", g.name),
            ));
        }
        let (varying, shape) = varying(&q, ranges);
        let n = shape.iter().product::<usize>();
        let rhs: Vec<Rhs> = match (g.what, mode) {
            (What::Constants, None | Some(DataMode::Interpolate)) => files
                .constants(&g, &shape)?
                .into_iter()
                .map(|v| Rhs::Eqn(super::parse::number(v)))
                .collect(),
            (What::Lookups, None | Some(DataMode::Interpolate)) => {
                files.series(&g, n)?.into_iter().map(Rhs::Lookup).collect()
            }
            (What::Data, mode) => {
                let mode = mode.unwrap_or(DataMode::Interpolate);
                files
                    .series(&g, n)?
                    .into_iter()
                    .map(|p| Rhs::Series(p, mode))
                    .collect()
            }
            (What::Subscript, _) => {
                return Err(Raw::invalid(
                    g.at,
                    format!(
                        "`{}` defines a range's elements (`range: {}(…)`)",
                        g.name, g.name
                    ),
                ));
            }
            (_, Some(_)) => {
                return Err(Raw::invalid(
                    g.at,
                    format!(
                        "`:HOLD BACKWARD:`, `:LOOK FORWARD:` and `:RAW:` apply to `GET … DATA`, \
                         not `{}`",
                        g.name
                    ),
                ));
            }
        };
        write_out(i, q, &varying, &shape, rhs, ranges, &mut out);
    }
    Ok(out)
}

/// The left-hand side's ranges, (which subscript, its range), and their
/// sizes.
fn varying(q: &Equation, ranges: &Ranges) -> (Vec<(usize, usize)>, Vec<usize>) {
    let varying: Vec<(usize, usize)> = q
        .subs
        .iter()
        .enumerate()
        .filter_map(|(k, s)| match ranges.subscript(&s.name) {
            Some(Subscript::Range(d)) => Some((k, d)),
            _ => None,
        })
        .collect();
    let shape = varying
        .iter()
        .map(|&(_, d)| ranges.places[d].len())
        .collect();
    (varying, shape)
}

/// `q`'s subscripts at the `k`-th element of its ranges (row-major).
fn subs_at(
    q: &Equation,
    varying: &[(usize, usize)],
    shape: &[usize],
    ranges: &Ranges,
    k: usize,
) -> Vec<String> {
    let mut subs: Vec<String> = q.subs.iter().map(|s| s.name.clone()).collect();
    let mut rest = k;
    for (&(sub, d), &size) in varying.iter().zip(shape).rev() {
        subs[sub] = ranges.element_key(d, rest % size).to_string();
        rest /= size;
    }
    subs
}

/// `q` with `rhs`, one a record over its ranges' elements (row-major),
/// pushed to `out`.
fn write_out(
    i: usize,
    q: Equation,
    varying: &[(usize, usize)],
    shape: &[usize],
    rhs: Vec<Rhs>,
    ranges: &Ranges,
    out: &mut Vec<(usize, Equation)>,
) {
    if varying.is_empty() {
        let mut q = q;
        q.rhs = rhs.into_iter().next().expect("one value");
        out.push((i, q));
        return;
    }
    for (k, rhs) in rhs.into_iter().enumerate() {
        let mut c = q.clone();
        for (s, name) in c
            .subs
            .iter_mut()
            .zip(subs_at(&q, varying, shape, ranges, k))
        {
            s.name = name;
        }
        c.rhs = rhs;
        out.push((i, c));
    }
}

/// A data variable given at run time (`name :MODE:`): each element's
/// series from the run's data files, by its printed name.
fn given_series(
    q: &Equation,
    varying: &[(usize, usize)],
    shape: &[usize],
    ranges: &Ranges,
    files: &mut Files,
    mode: DataMode,
) -> Result<Vec<Rhs>, Raw> {
    if !q.except.is_empty() {
        return Err(Raw::unsupported(
            q.name_span.0,
            format!(
                "`{}`: a data variable with `:EXCEPT:` is not supported",
                q.name
            ),
        ));
    }
    let n = shape.iter().product::<usize>();
    (0..n)
        .map(|k| {
            let subs = subs_at(q, varying, shape, ranges, k);
            let label = if subs.is_empty() {
                q.name.clone()
            } else {
                format!("{}[{}]", q.name, subs.join(","))
            };
            let points = files
                .given
                .series(&given::key(&label), &label, q.name_span.0)?;
            Ok(Rhs::Series(points, mode))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name((4, 2)), "C5");
        assert_eq!(cell_name((0, 26)), "AA1");
        assert_eq!(offset((1, 1), 2, 3), Some((3, 4)));
    }
}
