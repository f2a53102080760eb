//! What can be wrong with a model, said so that a person can find and fix it.

use std::fmt;
use std::path::PathBuf;

use super::expr::Span;

/// The part of a model a problem is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Model,
    Lever(String),
    Variable(String),
    Lookup(String),
    /// By position in the list, counting from 0.
    Observation(usize),
    SeriesBreak(usize),
    Target(String),
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Model => f.write_str("model"),
            Item::Lever(id) => write!(f, "lever `{id}`"),
            Item::Variable(id) => write!(f, "variable `{id}`"),
            Item::Lookup(id) => write!(f, "lookup table `{id}`"),
            Item::Observation(i) => write!(f, "observation #{}", i + 1),
            Item::SeriesBreak(i) => write!(f, "series break #{}", i + 1),
            Item::Target(id) => write!(f, "target `{id}`"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file is not well-formed RON, or a field has the wrong type.
    Format,
    /// A value is out of range, duplicated or inconsistent.
    Invalid,
    Syntax,
    UnknownName,
    Arity,
    Misuse,
    Cycle,
    /// The file is from a newer Trajectoire.
    Version,
    Io,
    /// An equation whose units do not add up: a warning, never blocking.
    Units,
    /// A model whose data variables take their values from data files
    /// named when it is run (Vensim's), opened with none.
    NeedsData,
}

/// Where in a file a problem is, 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: Option<PathBuf>,
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(p) => write!(f, "{}:{}:{}", p.display(), self.line, self.col),
            None => write!(f, "{}:{}", self.line, self.col),
        }
    }
}

/// One problem in a model.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct ModelError {
    pub kind: ErrorKind,
    pub item: Item,
    /// The field inside the item: `change`, `min`, `equation`...
    pub field: String,
    /// For an equation: the part of its text to underline.
    pub span: Option<Span>,
    pub message: String,
    /// Filled in when the model came from a file.
    pub location: Option<Box<Location>>,
}

impl ModelError {
    pub fn new(kind: ErrorKind, item: Item, field: &str, message: impl Into<String>) -> Self {
        ModelError {
            kind,
            item,
            field: field.to_string(),
            span: None,
            message: message.into(),
            location: None,
        }
    }

    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        match (&self.item, self.field.is_empty()) {
            (Item::Model, true) => {}
            (Item::Model, false) => write!(f, "field `{}`: ", self.field)?,
            (item, true) => write!(f, "{item}: ")?,
            (item, false) => write!(f, "{item}, field `{}`: ", self.field)?,
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in a model, in file order where known.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct ModelErrors(pub Vec<ModelError>);

impl fmt::Display for ModelErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Levenshtein distance, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// The closest of `candidates` to `name`, if close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
