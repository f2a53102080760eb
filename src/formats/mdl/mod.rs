//! Vensim's text models (`.mdl`) read into our [`Model`]: the clock from
//! the control section (`INITIAL TIME`, `FINAL TIME`, `TIME STEP`,
//! `SAVEPER`), each `INTEG` a stock by its flows (Vensim's Euler adds
//! `dt * rate(t)`), lookups (named, or `WITH LOOKUP`), Vensim's functions
//! written in our language with Vensim's meaning, constants offered as
//! levers, the stocks charted. Units and comments become the variables'
//! unit labels and descriptions; the sketch after `\\\---///` gives the
//! model map its places (`sketch.rs`).
//! Subscripts are read: ranges as dimensions (subranges, numeric ranges,
//! equivalences), a variable's records per element or part (`:EXCEPT:`
//! included) as one arrayed variable, lists of numbers (rows over the
//! last range), `SUM`/`PROD`/`VMIN`/`VMAX` with `!`, within the engine's
//! limits (dimensions, elements per variable and in all), checked before
//! anything is built.
//!
//! What we cannot simulate faithfully is refused with one message naming
//! it and where it is (line and column): subscript mappings onto listed
//! elements, array functions (`VECTOR …` but `VECTOR SELECT`, `VECTOR SORT ORDER`,
//! `VECTOR RANK` and `VECTOR REORDER` as a whole equation, `ALLOCATE …` but
//! `ALLOCATE BY PRIORITY` and `ALLOCATE AVAILABLE`, matrices but
//! `INVERT MATRIX` of at most 4 rows),
//! a recursive macro or one with subscripts, indirect data files
//! (`?name`), unknown functions, control variables that
//! change with a stock or a lookup. Control variables that read only
//! `Time` and constants are stepped through before the run: a `FINAL
//! TIME`'s stop, a `TIME STEP` or `SAVEPER` as the model's schedule of
//! steps (`build/schedule.rs`), an `INITIAL TIME` at its value at time 0;
//! an equation reading one of them that changes is refused (but `TIME
//! STEP`, the engine's `dt`, the step in force). The reading goes:
//!
//! - `records.rs`: the file cut into its `name = expr ~ units ~ comment |`
//!   records; `macros.rs`: the macros' definitions (`:MACRO:`) set apart,
//!   then each call written out as records of its own;
//! - `lex.rs` and `parse.rs`: a record's equation, into a tree;
//! - `ranges.rs`: the subscript ranges, into dimensions;
//! - `sort.rs`: `VECTOR SORT ORDER`, `VECTOR RANK` and `VECTOR REORDER`,
//!   written out element by element with comparisons of the vector's
//!   elements; `mapping.rs`: records reading a range through a mapping
//!   (`->`), written out element by element; `matrix.rs`: `INVERT
//!   MATRIX`, too;
//! - `arrays.rs`: a subscripted variable's dimensions from its records;
//! - `external.rs`: `GET XLS …`/`GET DIRECT …` data read from the files
//!   beside the model (`sd_common/sheets.rs`), into numbers, points and
//!   elements; `build/series.rs` a data variable as a lookup over time;
//!   `given.rs`: the data files named for the run, for the data variables
//!   that have no equation (`name :RAW:`);
//! - `consts.rs`: values known before the run (the clock, delay times);
//! - `build.rs`: the records, each into a variable, a lever or a lookup;
//! - `translate.rs`: Vensim's equations written in ours; `select.rs`:
//!   `VECTOR SELECT`, with our reductions; `allocate.rs`: `ALLOCATE BY
//!   PRIORITY`, in closed form, and `ALLOCATE AVAILABLE`, as our
//!   `allocate_available`.

mod allocate;
mod arrays;
mod build;
mod consts;
mod external;
mod given;
mod lex;
mod macros;
mod mapping;
mod matrix;
mod parse;
mod ranges;
mod records;
mod select;
mod sketch;
mod sort;
mod translate;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::error::{ErrorKind, Item, Location, ModelError, ModelErrors};
use crate::model::expr::line_col;
use crate::model::{CompiledModel, Model};
use crate::scenario::Opened;

pub use crate::formats::sd_common::names::canonical;

/// A line and column in the file, 1-based, columns in characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// Why a file could not be read as a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MdlErrorKind {
    /// Not Vensim's text format (an unclosed parenthesis, a record without
    /// its `~`).
    Malformed,
    /// Well formed, but not a model Vensim allows (an unknown name, a
    /// missing `FINAL TIME`).
    Invalid,
    /// A valid model that Trajectoire does not simulate yet (a recursive
    /// macro, external data, an unknown function): refused rather than
    /// approximated.
    Unsupported,
    /// A data variable with no equation, and no data file named for the
    /// run (`given.rs`).
    NeedsData,
}

/// What is wrong, where in the file, and in which variable if in one.
#[derive(Clone, Debug, PartialEq)]
pub struct MdlError {
    pub kind: MdlErrorKind,
    pub message: String,
    pub pos: Pos,
    pub item: Item,
}

/// An error at a byte offset of the (normalised) text, placed later.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Raw {
    pub kind: MdlErrorKind,
    pub message: String,
    pub offset: usize,
}

impl Raw {
    pub fn malformed(offset: usize, message: impl Into<String>) -> Self {
        Raw {
            kind: MdlErrorKind::Malformed,
            message: message.into(),
            offset,
        }
    }

    pub fn invalid(offset: usize, message: impl Into<String>) -> Self {
        Raw {
            kind: MdlErrorKind::Invalid,
            message: message.into(),
            offset,
        }
    }

    pub fn unsupported(offset: usize, message: impl Into<String>) -> Self {
        Raw {
            kind: MdlErrorKind::Unsupported,
            message: message.into(),
            offset,
        }
    }

    fn place(self, text: &str, item: Item) -> MdlError {
        let (line, col) = line_col(text, self.offset);
        MdlError {
            kind: self.kind,
            message: self.message,
            pos: Pos { line, col },
            item,
        }
    }
}

impl MdlError {
    /// The error as every loader reports one, located in `file`.
    pub fn into_model_error(self, file: Option<&Path>) -> ModelError {
        let kind = match self.kind {
            MdlErrorKind::Malformed => ErrorKind::Format,
            MdlErrorKind::Invalid | MdlErrorKind::Unsupported => ErrorKind::Invalid,
            MdlErrorKind::NeedsData => ErrorKind::NeedsData,
        };
        let mut e = ModelError::new(kind, self.item, "", self.message);
        e.location = Some(Box::new(Location {
            file: file.map(Path::to_path_buf),
            line: self.pos.line,
            col: self.pos.col,
        }));
        e
    }
}

impl fmt::Display for MdlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.pos.line, self.pos.col)?;
        if self.item != Item::Model {
            write!(f, "{}: ", self.item)?;
        }
        f.write_str(&self.message)
    }
}

/// A model read from a `.mdl` file, not compiled yet, with where each of
/// its items came from (for the compiler's errors).
#[derive(Clone, Debug)]
pub struct Imported {
    pub model: Model,
    places: HashMap<String, Pos>,
}

/// Reads a Vensim model. `fallback_name` names it (the file's name). A
/// model that reads data files (`GET XLS …`) needs [`read_in`].
pub fn read(text: &str, fallback_name: &str) -> Result<Imported, MdlError> {
    read_in(text, fallback_name, None)
}

/// Reads a Vensim model whose data files (`GET XLS …`, `GET DIRECT …`)
/// are named relative to `folder`, the model file's: they are read now,
/// through the size-limited reader, and their values become the model's.
pub fn read_in(
    text: &str,
    fallback_name: &str,
    folder: Option<&Path>,
) -> Result<Imported, MdlError> {
    read_with(text, fallback_name, folder, &[])
}

/// [`read_in`], the data variables with no equation (`name :RAW:`) read
/// from the `given` data files (`given.rs`), as Vensim reads the data
/// files named for a run.
pub fn read_with(
    text: &str,
    fallback_name: &str,
    folder: Option<&Path>,
    given: &[PathBuf],
) -> Result<Imported, MdlError> {
    // Old Mac files end lines with `\r` alone.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut imported = build::build(&text, fallback_name, folder, given)?;
    sketch::place(&mut imported.model, &text);
    Ok(imported)
}

impl Imported {
    /// Compiles the model; every error is located at the record its item
    /// came from in `file`.
    pub fn compile(self, file: Option<&Path>) -> Result<CompiledModel, ModelErrors> {
        let Imported { model, places } = self;
        crate::model::compile(model).map_err(|errs| {
            ModelErrors(
                errs.0
                    .into_iter()
                    .map(|e| locate(e, &places, file))
                    .collect(),
            )
        })
    }
}

/// Points a compiler error at the record its item came from.
fn locate(mut e: ModelError, places: &HashMap<String, Pos>, file: Option<&Path>) -> ModelError {
    if e.location.is_some() {
        return e;
    }
    let pos = match &e.item {
        Item::Variable(id) | Item::Lever(id) | Item::Lookup(id) => places.get(id).copied(),
        _ => None,
    }
    .unwrap_or_default();
    e.location = Some(Box::new(Location {
        file: file.map(Path::to_path_buf),
        line: pos.line.max(1),
        col: pos.col.max(1),
    }));
    e
}

/// Opens a `.mdl` file as a model with its levers at their defaults. The
/// file is read through the size-limited reader.
pub fn open(path: &Path) -> Result<Opened, ModelErrors> {
    open_with(path, &[])
}

/// [`open`], with the data files `given` for its data variables.
pub fn open_with(path: &Path, given: &[PathBuf]) -> Result<Opened, ModelErrors> {
    crate::formats::sd_common::open::open_file(path, |text, name| {
        let imported = read_with(text, name, path.parent(), given)
            .map_err(|e| ModelErrors(vec![e.into_model_error(Some(path))]))?;
        imported.compile(Some(path))
    })
}
