//! Spreadsheets and delimited text as grids of cells, for the models that
//! read their data from them (Vensim's `GET XLS …`/`GET DIRECT …`):
//! `.xlsx`, `.xlsm`, `.xlsb`, `.xls` and `.ods` through calamine, `.csv`,
//! `.tab` and `.txt` as text. Every file is read whole through the
//! size-limited reader first; nothing here opens a file itself.
//!
//! Rows and columns are 0-based here (`B11` is row 10, column 1).

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Sheets};

use crate::model::error::ModelError;

/// One cell's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    Number(f64),
    Text(&'a str),
    Empty,
}

/// One sheet: its cells by row and column.
pub struct Grid(Range<Data>);

impl Grid {
    /// The cell at `row`, `col` (empty outside what the sheet holds).
    pub fn cell(&self, row: u32, col: u32) -> Cell<'_> {
        match self.0.get_value((row, col)) {
            Some(Data::Float(v)) => Cell::Number(*v),
            Some(Data::Int(v)) => Cell::Number(*v as f64),
            Some(Data::String(s)) => match s.trim().parse::<f64>() {
                Ok(v) => Cell::Number(v),
                Err(_) if s.trim().is_empty() => Cell::Empty,
                Err(_) => Cell::Text(s),
            },
            Some(Data::Bool(b)) => Cell::Number(f64::from(u8::from(*b))),
            Some(Data::DateTime(d)) => Cell::Number(d.as_f64()),
            Some(Data::DateTimeIso(s) | Data::DurationIso(s)) => Cell::Text(s),
            Some(Data::Error(_)) => Cell::Text("#error"),
            Some(Data::Empty) | None => Cell::Empty,
        }
    }

    /// The cell's number, if it holds one.
    pub fn number(&self, row: u32, col: u32) -> Option<f64> {
        match self.cell(row, col) {
            Cell::Number(v) => Some(v),
            _ => None,
        }
    }

    /// The last row and column holding anything (0, 0 for an empty sheet).
    pub fn end(&self) -> (u32, u32) {
        self.0.end().unwrap_or((0, 0))
    }

    /// Delimited `text` as a grid, fields split at `sep` (as a `.csv` or
    /// `.tab` file is read).
    pub fn from_text(text: &str, sep: char) -> Grid {
        Grid(delimited(text, sep))
    }
}

/// A rectangle of cells on a sheet, corners included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Area {
    pub sheet: String,
    pub first: (u32, u32),
    pub last: (u32, u32),
}

enum Source {
    Workbook(Box<Sheets<Cursor<Vec<u8>>>>),
    /// Delimited text, and its separator when the file's name tells it.
    Text(String, Option<char>),
}

/// An opened file of sheets, each sheet read once.
pub struct Book {
    source: Source,
    grids: HashMap<String, Grid>,
}

/// Why a file or sheet could not be read.
#[derive(Debug)]
pub enum SheetError {
    /// The file could not be read (missing, too large): the reader's error.
    Io(ModelError),
    /// The file is not a spreadsheet calamine reads, with its message.
    Format(String),
    /// No sheet of that name; the sheets the file has.
    NoSheet(Vec<String>),
}

/// Whether `path` is a delimited text file (by its extension).
fn is_text(path: &Path) -> Option<Option<char>> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Some(Some(',')),
        "tab" | "tsv" => Some(Some('\t')),
        "txt" => Some(None),
        _ => None,
    }
}

impl Book {
    /// Reads `path` whole (through the size-limited reader) and opens it.
    pub fn open(path: &Path) -> Result<Book, SheetError> {
        let source = match is_text(path) {
            Some(sep) => Source::Text(crate::io::read_text(path).map_err(SheetError::Io)?, sep),
            None => {
                let bytes = crate::io::read_bytes(path).map_err(SheetError::Io)?;
                let book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
                    .map_err(|e| SheetError::Format(e.to_string()))?;
                Source::Workbook(Box::new(book))
            }
        };
        Ok(Book {
            source,
            grids: HashMap::new(),
        })
    }

    /// The sheet `name`: for delimited text, `name` is the separator when
    /// it is one character (Vensim's convention), else the file's own.
    pub fn sheet(&mut self, name: &str) -> Result<&Grid, SheetError> {
        if !self.grids.contains_key(name) {
            let grid = match &mut self.source {
                Source::Text(text, sep) => {
                    let mut chars = name.chars();
                    let sep = match (chars.next(), chars.next()) {
                        (Some(c), None) => c,
                        _ if name == "\\t" => '\t',
                        _ => sep.unwrap_or('\t'),
                    };
                    Grid(delimited(text, sep))
                }
                Source::Workbook(book) => {
                    let names = book.sheet_names();
                    let Some(real) = names
                        .iter()
                        .find(|s| *s == name)
                        .or_else(|| names.iter().find(|s| s.eq_ignore_ascii_case(name)))
                        .cloned()
                    else {
                        return Err(SheetError::NoSheet(names));
                    };
                    Grid(
                        book.worksheet_range(&real)
                            .map_err(|e| SheetError::Format(e.to_string()))?,
                    )
                }
            };
            self.grids.insert(name.to_string(), grid);
        }
        Ok(&self.grids[name])
    }

    /// The sheets of a workbook, in its order; none for delimited text
    /// (one grid, which any name gives).
    pub fn sheet_names(&self) -> Vec<String> {
        match &self.source {
            Source::Workbook(book) => book.sheet_names(),
            Source::Text(..) => Vec::new(),
        }
    }

    /// For delimited text, its separator: the file name's (`,` for
    /// `.csv`, a tab for `.tab`), except that a `.csv` whose first line
    /// holds semicolons and no comma is read at `;` (as spreadsheets in
    /// French write CSV); `None` for a workbook.
    pub fn text_separator(&self) -> Option<char> {
        let Source::Text(text, sep) = &self.source else {
            return None;
        };
        let first = text.lines().next().unwrap_or("");
        match sep {
            Some(',') if first.contains(';') && !first.contains(',') => Some(';'),
            Some(c) => Some(*c),
            None => Some('\t'),
        }
    }

    /// The area a defined name gives (`Sheet1!$B$3:$B$6`), the one on
    /// `sheet` first when the name is defined on several sheets.
    pub fn named(&self, name: &str, sheet: &str) -> Option<Area> {
        let Source::Workbook(book) = &self.source else {
            return None;
        };
        let areas: Vec<Area> = book
            .defined_names()
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .filter_map(|(_, f)| area(f))
            .collect();
        areas
            .iter()
            .find(|a| a.sheet.eq_ignore_ascii_case(sheet))
            .or(areas.first())
            .cloned()
    }
}

/// `Sheet1!$B$3:$B$6` (or `'My sheet'!$B$3`) as an area.
fn area(formula: &str) -> Option<Area> {
    let formula = formula.trim().trim_start_matches('=');
    let (sheet, cells) = formula.rsplit_once('!')?;
    let sheet = sheet.trim_matches('\'').replace("''", "'");
    let (a, b) = cells.split_once(':').unwrap_or((cells, cells));
    let strip = |s: &str| s.replace('$', "");
    let first = cell_ref(&strip(a))?;
    let last = cell_ref(&strip(b))?;
    Some(Area {
        sheet,
        first: (first.0.min(last.0), first.1.min(last.1)),
        last: (first.0.max(last.0), first.1.max(last.1)),
    })
}

/// The largest column (`XFD`) and row spreadsheets have.
const MAX_COL: u32 = 16_383;
const MAX_ROW: u32 = 1_048_575;

/// A column's letters (`A`, `AB`) as its 0-based index, within `XFD`.
pub fn column(letters: &str) -> Option<u32> {
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let n = letters.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    (n - 1 <= MAX_COL).then_some(n - 1)
}

/// A column's letters from its 0-based index: `A` for 0, `AB` for 27.
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let d = (n - 1) % 26;
        out.push(b'A' + d as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A row's number (1-based, as written) as its 0-based index.
pub fn row(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    (1..=MAX_ROW + 1).contains(&n).then(|| n - 1)
}

/// A cell written `B11` as (row, column), 0-based.
pub fn cell_ref(s: &str) -> Option<(u32, u32)> {
    let split = s.find(|c: char| c.is_ascii_digit())?;
    Some((row(&s[split..])?, column(&s[..split])?))
}

/// Delimited text as a grid: numbers where a field reads as one, text
/// elsewhere; a field in double quotes may hold the separator (`""` a
/// quote).
fn delimited(text: &str, sep: char) -> Range<Data> {
    let mut cells = Vec::new();
    for (r, line) in text.lines().enumerate() {
        for (c, field) in fields(line, sep).into_iter().enumerate() {
            let f = field.trim();
            if f.is_empty() {
                continue;
            }
            let value = match f.parse::<f64>() {
                Ok(v) => Data::Float(v),
                Err(_) => Data::String(f.to_string()),
            };
            let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c)) else {
                continue;
            };
            cells.push(calamine::Cell::new((r, c), value));
        }
    }
    Range::from_sparse(cells)
}

/// A line's fields.
fn fields(line: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            c if c == sep && !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_areas_read_as_spreadsheets_write_them() {
        assert_eq!(cell_ref("B11"), Some((10, 1)));
        assert_eq!(cell_ref("AA1"), Some((0, 26)));
        assert_eq!(cell_ref("value1"), None);
        assert_eq!(cell_ref("XFE1"), None);
        assert_eq!(column("XFD"), Some(16_383));
        for c in [0, 1, 25, 26, 27, 701, 702, 16_383] {
            assert_eq!(column(&column_letters(c)), Some(c));
        }
        assert_eq!(column_letters(27), "AB");
        assert_eq!(row("0"), None);
        assert_eq!(
            area("'tab 1'!$C$5:$E$7"),
            Some(Area {
                sheet: "tab 1".into(),
                first: (4, 2),
                last: (6, 4)
            })
        );
        assert_eq!(area("Sheet2!$B$3").map(|a| a.last), Some((2, 1)));
    }

    #[test]
    fn delimited_text_is_a_grid_of_numbers_and_text() {
        let g = Grid(delimited("time,\"a, b\",x\n1,2.5,\n2,,nope\n", ','));
        assert_eq!(g.cell(0, 1), Cell::Text("a, b"));
        assert_eq!(g.number(1, 1), Some(2.5));
        assert_eq!(g.cell(1, 2), Cell::Empty);
        assert_eq!(g.cell(2, 1), Cell::Empty);
        assert_eq!(g.cell(2, 2), Cell::Text("nope"));
        assert_eq!(g.end(), (2, 2));
    }
}
