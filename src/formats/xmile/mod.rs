//! XMILE 1.0 models (`.xmile`, `.xml`, Stella's `.stmx`) read into our
//! [`Model`]: the clock from `<sim_specs>`, stocks by their flows, flows and
//! auxiliaries with their equations written in our language, graphical
//! functions as lookups, constants offered as levers, the stocks charted.
//!
//! What we cannot simulate faithfully is refused with one message naming it
//! and where it is (line and column in the file): numbered arrays, modules,
//! recursive macros, conveyors and queues, unknown functions, event
//! posters. Macros are written out at each call (`macros.rs`). Elements in
//! other namespaces (vendors' extensions) are ignored; of the diagram
//! (`<views>`), only where the first view places each entity is read, as
//! the model map's places. The reading goes:
//!
//! - `xml.rs`: the XML, its namespaces and positions;
//! - `specs.rs`: the clock and the non-negative behaviour;
//! - `build.rs`: the variables, each into a variable, a lever or a lookup;
//! - `gf.rs`: graphical functions;
//! - `views.rs`: the diagram's places;
//! - `expr.rs` and `translate.rs`: equations, from XMILE's syntax to ours;
//! - `sd_common/names.rs` (shared with Vensim): names and the ids they
//!   become.

mod arrays;
mod build;
mod expr;
mod extension;
mod gf;
mod macros;
mod specs;
pub(crate) mod translate;
mod views;
mod write;
mod xml;

pub use write::{NAMESPACE, write};

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use crate::model::error::{ErrorKind, Item, Location, ModelError, ModelErrors};
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
pub enum XmileErrorKind {
    /// Not well-formed XML.
    Malformed,
    /// XML, but not a model XMILE allows (a missing `<stop>`, an unknown
    /// name in an equation).
    Invalid,
    /// Valid XMILE that Trajectoire does not simulate yet (arrays, modules,
    /// macros, an unknown function): refused rather than approximated.
    Unsupported,
}

/// What is wrong, where in the file, and in which variable if in one.
#[derive(Clone, Debug, PartialEq)]
pub struct XmileError {
    pub kind: XmileErrorKind,
    pub message: String,
    pub pos: Pos,
    pub item: Item,
}

impl XmileError {
    fn new(kind: XmileErrorKind, message: impl Into<String>, pos: Pos) -> Self {
        XmileError {
            kind,
            message: message.into(),
            pos,
            item: Item::Model,
        }
    }

    fn malformed(message: impl Into<String>, pos: Pos) -> Self {
        Self::new(XmileErrorKind::Malformed, message, pos)
    }

    fn invalid(message: impl Into<String>, pos: Pos) -> Self {
        Self::new(XmileErrorKind::Invalid, message, pos)
    }

    fn unsupported(message: impl Into<String>, pos: Pos) -> Self {
        Self::new(XmileErrorKind::Unsupported, message, pos)
    }

    fn in_item(mut self, item: Item) -> Self {
        self.item = item;
        self
    }

    /// The error as every loader reports one, located in `file`.
    pub fn into_model_error(self, file: Option<&Path>) -> ModelError {
        let kind = match self.kind {
            XmileErrorKind::Malformed => ErrorKind::Format,
            XmileErrorKind::Invalid | XmileErrorKind::Unsupported => ErrorKind::Invalid,
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

impl fmt::Display for XmileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.pos.line, self.pos.col)?;
        if self.item != Item::Model {
            write!(f, "{}: ", self.item)?;
        }
        f.write_str(&self.message)
    }
}

/// Where an item of the imported model came from in the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Place {
    /// Its element.
    element: Pos,
    /// Its `<eqn>`, when it has one.
    eqn: Option<Pos>,
}

/// A model read from an XMILE file, not compiled yet, with where each of
/// its items came from (for the compiler's errors).
#[derive(Clone, Debug)]
pub struct Imported {
    pub model: Model,
    places: HashMap<String, Place>,
}

/// Reads an XMILE document. `fallback_name` names the model when its
/// header does not (the file's name).
pub fn read(text: &str, fallback_name: &str) -> Result<Imported, XmileError> {
    let prepared = xml::prepare(text)?;
    let doc =
        roxmltree::Document::parse_with_options(&prepared.xml, xml::options()).map_err(|e| {
            XmileError::malformed(
                format!("the file is not well-formed XML: {e}"),
                Pos::default(),
            )
        })?;
    let ours = our_extension(&prepared, doc.root_element())?;
    // An arrayed model of ours, unedited since we wrote it, comes back
    // whole: the XMILE is exactly what `write` makes of the extension.
    // Reading XMILE's arrays themselves is not supported yet.
    if let Some(ours) = &ours
        && !ours.dimensions.is_empty()
        && write::write(ours).is_ok_and(|w| w == text)
    {
        return Ok(Imported {
            model: ours.clone(),
            places: HashMap::new(),
        });
    }
    let mut imported = build::build(&prepared, doc.root_element(), fallback_name)?;
    if let Some(ours) = ours {
        extension::merge(&mut imported.model, ours);
    }
    Ok(imported)
}

/// The model in our `trajectoire:model` extension, when the file has one
/// (`write` puts it there).
fn our_extension(p: &xml::Prepared, root: roxmltree::Node) -> Result<Option<Model>, XmileError> {
    let Some(node) = root
        .children()
        .find(|n| n.tag_name().namespace() == Some(NAMESPACE) && n.tag_name().name() == "model")
    else {
        return Ok(None);
    };
    let text: String = node
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect();
    crate::model::load::parse_model(&text, None)
        .map(Some)
        .map_err(|e| {
            XmileError::invalid(
                format!("the Trajectoire extension (trajectoire:model) is not a valid model: {e}"),
                p.node_pos(node),
            )
        })
}

impl Imported {
    /// Compiles the model; every error is located at the element it came
    /// from in `file`.
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

/// Points a compiler error at the element its item came from.
fn locate(mut e: ModelError, places: &HashMap<String, Place>, file: Option<&Path>) -> ModelError {
    if e.location.is_some() {
        return e;
    }
    let id = match &e.item {
        Item::Variable(id) | Item::Lever(id) | Item::Lookup(id) => Some(id.as_str()),
        _ => None,
    };
    let place = id
        .and_then(|id| places.get(id))
        .copied()
        .unwrap_or_default();
    let pos = match e.field.as_str() {
        "equation" | "initial" | "change" => place.eqn.unwrap_or(place.element),
        _ => place.element,
    };
    e.location = Some(Box::new(Location {
        file: file.map(Path::to_path_buf),
        line: pos.line.max(1),
        col: pos.col.max(1),
    }));
    e
}

/// Opens an XMILE file as a model with its levers at their defaults. The
/// file is read through the size-limited reader.
pub fn open(path: &Path) -> Result<Opened, ModelErrors> {
    crate::formats::sd_common::open::open_file(path, |text, name| {
        let imported =
            read(text, name).map_err(|e| ModelErrors(vec![e.into_model_error(Some(path))]))?;
        imported.compile(Some(path))
    })
}
