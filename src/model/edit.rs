//! Editing a model's structure safely: where a name is used, renaming a
//! variable with every reference updated, deleting one only when nothing uses
//! it. Each edit returns a new model (the caller compiles it and keeps the old
//! one while the new one is invalid).

use super::def::{Model, VariableKind};
use super::expr::lexer::{Tok, lex};
use super::expr::{is_identifier, is_reserved};

/// One place a name is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Use {
    /// In the equation of variable `variable` (`field`: equation, initial, change).
    Equation {
        variable: String,
        field: &'static str,
    },
    Observation(usize),
    Target(String),
    Chart(String),
    SeriesBreak(usize),
    Ratio(String),
}

impl std::fmt::Display for Use {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Use::Equation { variable, field } => write!(f, "variable `{variable}` ({field})"),
            Use::Observation(i) => write!(f, "observation {}", i + 1),
            Use::Target(id) => write!(f, "target `{id}`"),
            Use::Chart(id) => write!(f, "chart `{id}`"),
            Use::SeriesBreak(i) => write!(f, "series break {}", i + 1),
            Use::Ratio(id) => write!(f, "ratio `{id}`"),
        }
    }
}

/// Why an edit was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    NoSuchVariable(String),
    /// The new name is not a name, is reserved, or is taken.
    BadName(String, &'static str),
    /// Still used: every place, so the user can go and change them.
    InUse(String, Vec<Use>),
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::NoSuchVariable(id) => write!(f, "no variable is called `{id}`"),
            EditError::BadName(id, why) => write!(f, "`{id}` cannot be used: {why}"),
            EditError::InUse(id, uses) => write!(
                f,
                "`{id}` is still used by {}; change those first",
                uses.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// The equations of a variable, with their field names.
fn equations(kind: &VariableKind) -> Vec<(&'static str, &String)> {
    match kind {
        VariableKind::Stock {
            initial, change, ..
        } => vec![("initial", initial), ("change", change)],
        VariableKind::Aux { equation } => vec![("equation", equation)],
        VariableKind::Data { .. } => Vec::new(),
    }
}

/// The byte ranges of `name` used as a value in `src` (not called as a function).
fn name_spans(src: &str, name: &str) -> Vec<(usize, usize)> {
    let Ok(tokens) = lex(src) else {
        return Vec::new();
    };
    tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            matches!(&t.tok, Tok::Ident(s) if s == name)
                && !tokens
                    .get(i + 1)
                    .is_some_and(|n| matches!(n.tok, Tok::LParen))
        })
        .map(|(_, t)| (t.span.start, t.span.end))
        .collect()
}

/// Every place variable (or lever) `id` is used.
pub fn uses_of(m: &Model, id: &str) -> Vec<Use> {
    let mut out = Vec::new();
    let of = |s: &str| s == id || s.strip_prefix(id).is_some_and(|r| r.starts_with('['));
    for v in &m.variables {
        let overrides = v
            .by_element
            .iter()
            .flat_map(|e| [&e.equation, &e.initial, &e.change]);
        let texts = equations(&v.kind)
            .into_iter()
            .chain(overrides.map(|t| ("by_element", t)));
        for (field, eq) in texts {
            if !name_spans(eq, id).is_empty() {
                out.push(Use::Equation {
                    variable: v.id.clone(),
                    field,
                });
            }
        }
    }
    out.extend(series_uses(m, of));
    out
}

/// Where a series is named outside equations (observations, targets,
/// charts, series breaks, ratios), for the names `named` picks.
pub(crate) fn series_uses(m: &Model, named: impl Fn(&str) -> bool) -> Vec<Use> {
    let mut out = Vec::new();
    for (i, o) in m.observations.iter().enumerate() {
        if named(&o.variable) {
            out.push(Use::Observation(i));
        }
    }
    for t in m.targets.iter().filter(|t| named(&t.variable)) {
        out.push(Use::Target(t.id.clone()));
    }
    for c in m
        .charts
        .iter()
        .filter(|c| c.series.iter().any(|s| named(s)))
    {
        out.push(Use::Chart(c.id.clone()));
    }
    for (i, b) in m.series_breaks.iter().enumerate() {
        if named(&b.variable) {
            out.push(Use::SeriesBreak(i));
        }
    }
    for r in m.ratios.iter().filter(|r| named(&r.variable)) {
        out.push(Use::Ratio(r.id.clone()));
    }
    out
}

/// Every series name outside equations, `fix`ed in place.
pub(crate) fn fix_series_names(out: &mut Model, fix: impl Fn(&mut String)) {
    out.observations
        .iter_mut()
        .for_each(|o| fix(&mut o.variable));
    out.targets.iter_mut().for_each(|t| fix(&mut t.variable));
    out.series_breaks
        .iter_mut()
        .for_each(|b| fix(&mut b.variable));
    out.ratios.iter_mut().for_each(|r| fix(&mut r.variable));
    for c in &mut out.charts {
        c.series.iter_mut().for_each(&fix);
    }
}

/// `src` with every use of `old` as a value replaced by `new`.
fn rename_in(src: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut at = 0;
    for (a, b) in name_spans(src, old) {
        out.push_str(&src[at..a]);
        out.push_str(new);
        at = b;
    }
    out.push_str(&src[at..]);
    out
}

/// The model with variable `old` renamed `new`, and every equation,
/// observation, target, chart, series break and ratio that names it updated.
pub fn rename_variable(m: &Model, old: &str, new: &str) -> Result<Model, EditError> {
    if m.variable(old).is_none() {
        return Err(EditError::NoSuchVariable(old.to_string()));
    }
    if !is_identifier(new) {
        return Err(EditError::BadName(
            new.to_string(),
            "a name is letters, digits and _, starting with a letter",
        ));
    }
    if is_reserved(new) {
        return Err(EditError::BadName(
            new.to_string(),
            "it is a word of the equation language",
        ));
    }
    let taken = m.variables.iter().any(|v| v.id == new)
        || m.levers.iter().any(|l| l.id == new)
        || m.lookups.iter().any(|l| l.id == new);
    if taken && new != old {
        return Err(EditError::BadName(
            new.to_string(),
            "a variable, lever or table already has it",
        ));
    }
    let mut out = m.clone();
    // A series name follows too: `jobs[crm]` of an arrayed `jobs`.
    let fix = |s: &mut String| {
        if s == old {
            *s = new.to_string();
        } else if let Some(rest) = s.strip_prefix(old).filter(|r| r.starts_with('[')) {
            *s = format!("{new}{rest}");
        }
    };
    for v in &mut out.variables {
        if v.id == old {
            v.id = new.to_string();
        }
        match &mut v.kind {
            VariableKind::Stock {
                initial,
                change,
                inflows,
                outflows,
                ..
            } => {
                *initial = rename_in(initial, old, new);
                *change = rename_in(change, old, new);
                inflows.iter_mut().chain(outflows).for_each(&fix);
            }
            VariableKind::Aux { equation } => *equation = rename_in(equation, old, new),
            VariableKind::Data { .. } => {}
        }
        for e in &mut v.by_element {
            for text in [&mut e.equation, &mut e.initial, &mut e.change] {
                *text = rename_in(text, old, new);
            }
        }
    }
    fix_series_names(&mut out, fix);
    Ok(out)
}

/// The model without variable `id`: refused, with every use, while anything
/// still names it.
pub fn delete_variable(m: &Model, id: &str) -> Result<Model, EditError> {
    if m.variable(id).is_none() {
        return Err(EditError::NoSuchVariable(id.to_string()));
    }
    let uses: Vec<Use> = uses_of(m, id)
        .into_iter()
        .filter(|u| !matches!(u, Use::Equation { variable, .. } if variable == id))
        .collect();
    if !uses.is_empty() {
        return Err(EditError::InUse(id.to_string(), uses));
    }
    let mut out = m.clone();
    out.variables.retain(|v| v.id != id);
    Ok(out)
}
