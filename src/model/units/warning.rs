//! What the units check reports: a warning, never blocking, said in both of
//! the app's languages, with the item, field and span it is about.

use std::fmt;

use crate::model::def::Lang;
use crate::model::error::{ErrorKind, Item, ModelError};
use crate::model::expr::Span;

/// One place where units do not add up.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitWarning {
    /// The item, field, span and (once located) file position, with the
    /// English text: what the command line prints.
    pub error: ModelError,
    pub problem: Problem,
}

impl UnitWarning {
    pub fn new(item: Item, field: &str, span: Option<Span>, problem: Problem) -> Self {
        let mut error = ModelError::new(ErrorKind::Units, item, field, problem.text(Lang::En));
        error.span = span;
        UnitWarning { error, problem }
    }

    /// The warning in `lang`, without its item and field.
    pub fn text(&self, lang: Lang) -> String {
        self.problem.text(lang)
    }
}

impl fmt::Display for UnitWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

/// Two operands whose units must agree.
#[derive(Clone, Debug, PartialEq)]
pub enum Operands {
    Add,
    Sub,
    Compare,
    /// The two branches of an `if`.
    Branches,
    /// The arguments of a function that takes one unit: `min`, `max`...
    Arguments(String),
}

/// What is expected of a field, to say why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// The variable's own unit.
    Variable,
    /// A stock's change: its unit per time unit.
    Change,
    /// A stock's initial value: its unit.
    Initial,
}

/// Why a warning was raised. Units are written in the model's own names
/// (`kMAD/job`); `source` is the part of the equation concerned.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// `a + b`, `a < b`, the branches of an `if`, `min(a, b)`: a and b in
    /// units that differ.
    Operands {
        what: Operands,
        source: String,
        left: String,
        right: String,
    },
    /// The equation gives another unit than its field is in.
    Declared {
        source: String,
        found: String,
        expected: String,
        why: Expected,
    },
    /// A stock's flow is not in the stock's unit per time unit.
    Flow {
        flow: String,
        found: String,
        expected: String,
    },
    /// A function's argument (counted from 1) in the wrong unit.
    Argument {
        source: String,
        function: String,
        index: usize,
        found: String,
        expected: String,
    },
    /// A lookup table called with an input in another unit than its input's.
    LookupInput {
        source: String,
        table: String,
        found: String,
        expected: String,
    },
    /// An exponent with a unit.
    Exponent { source: String, found: String },
    /// A quantity with a unit raised to a power that is not a constant.
    Power { source: String, base: String },
    /// A unit expression that cannot be read, at a column of its text.
    Malformed {
        text: String,
        column: usize,
        reason: String,
    },
    /// A unit definition of the model that cannot be used.
    Definition { name: String, reason: String },
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        match self {
            Problem::Operands {
                what,
                source,
                left,
                right,
            } => operands_text(fr, what, source, left, right),
            Problem::Declared {
                source,
                found,
                expected,
                why,
            } => declared_text(fr, source, found, expected, *why),
            _ => self.other_text(fr),
        }
    }

    /// The problems about one part: a flow, an argument, an exponent, a
    /// unit text.
    fn other_text(&self, fr: bool) -> String {
        match self {
            Problem::Operands { .. } | Problem::Declared { .. } => {
                self.text(if fr { Lang::Fr } else { Lang::En })
            }
            Problem::Flow {
                flow,
                found,
                expected,
            } => match fr {
                true => format!(
                    "le flux `{flow}` est en {found}, mais {expected} est attendu (l’unité du stock par unité de temps)"
                ),
                false => format!(
                    "flow `{flow}` is in {found}, but {expected} is expected (the stock's unit per time unit)"
                ),
            },
            Problem::Argument {
                source,
                function,
                index,
                found,
                expected,
            } => match fr {
                true => format!(
                    "`{source}`\u{a0}: l’argument {index} de `{function}` est en {found}, mais {expected} est attendu"
                ),
                false => format!(
                    "`{source}`: argument {index} of `{function}` is in {found}, but {expected} is expected"
                ),
            },
            Problem::LookupInput {
                source,
                table,
                found,
                expected,
            } => match fr {
                true => format!(
                    "`{source}`\u{a0}: la table `{table}` est lue en {found}, mais son entrée est en {expected}"
                ),
                false => format!(
                    "`{source}`: lookup `{table}` is read with {found}, but its input is in {expected}"
                ),
            },
            Problem::Exponent { source, found } => match fr {
                true => format!(
                    "`{source}`\u{a0}: l’exposant est en {found}\u{a0}; un exposant est sans dimension"
                ),
                false => {
                    format!("`{source}`: the exponent is in {found}; an exponent has no unit")
                }
            },
            Problem::Power { source, base } => match fr {
                true => format!(
                    "`{source}`\u{a0}: {base} élevé à une puissance qui n’est pas un nombre constant n’a pas d’unité"
                ),
                false => format!(
                    "`{source}`: {base} raised to a power that is not a constant number has no unit"
                ),
            },
            Problem::Malformed {
                text,
                column,
                reason,
            } => match fr {
                true => format!(
                    "l’unité `{text}` est illisible à la colonne {column} ({reason})\u{a0}; elle n’est pas vérifiée"
                ),
                false => format!(
                    "the unit `{text}` cannot be read at column {column} ({reason}); it is not checked"
                ),
            },
            Problem::Definition { name, reason } => match fr {
                true => format!("l’unité `{name}` ne peut pas être définie\u{a0}: {reason}"),
                false => format!("unit `{name}` cannot be defined: {reason}"),
            },
        }
    }
}

fn operands_text(fr: bool, what: &Operands, source: &str, l: &str, r: &str) -> String {
    match (what, fr) {
        (Operands::Add, false) => format!("`{source}` adds {r} to {l}"),
        (Operands::Add, true) => format!("`{source}` additionne {l} et {r}"),
        (Operands::Sub, false) => format!("`{source}` subtracts {r} from {l}"),
        (Operands::Sub, true) => format!("`{source}` soustrait {r} de {l}"),
        (Operands::Compare, false) => format!("`{source}` compares {l} with {r}"),
        (Operands::Compare, true) => format!("`{source}` compare {l} et {r}"),
        (Operands::Branches, false) => format!("`{source}`: the branches give {l} and {r}"),
        (Operands::Branches, true) => {
            format!("`{source}`\u{a0}: les branches donnent {l} et {r}")
        }
        (Operands::Arguments(f), false) => {
            format!("`{source}`: the arguments of `{f}` are in {l} and {r}; they must agree")
        }
        (Operands::Arguments(f), true) => format!(
            "`{source}`\u{a0}: les arguments de `{f}` sont en {l} et en {r}\u{a0}; ils doivent être dans la même unité"
        ),
    }
}

fn declared_text(fr: bool, source: &str, found: &str, expected: &str, why: Expected) -> String {
    let why = match (why, fr) {
        (Expected::Variable, false) => "the variable's unit",
        (Expected::Variable, true) => "l’unité de la variable",
        (Expected::Change, false) => "the stock's unit per time unit",
        (Expected::Change, true) => "l’unité du stock par unité de temps",
        (Expected::Initial, false) => "the stock's unit",
        (Expected::Initial, true) => "l’unité du stock",
    };
    match fr {
        true => format!("`{source}` donne {found}, mais {expected} est attendu ({why})"),
        false => format!("`{source}` gives {found}, but {expected} is expected ({why})"),
    }
}
