//! Editing a model's structure safely: where a name is used, renaming a
//! variable with every reference updated, deleting one only when nothing uses
//! it. Each edit returns a new model (the caller compiles it and keeps the old
//! one while the new one is invalid).

use super::Lang;
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

impl Use {
    /// Where it is used, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        match (self, fr) {
            (Use::Equation { variable, field }, true) => {
                format!("la variable «\u{a0}{variable}\u{a0}» ({})", field_fr(field))
            }
            (Use::Equation { variable, field }, false) => {
                format!("variable `{variable}` ({field})")
            }
            (Use::Observation(i), true) => format!("l’observation {}", i + 1),
            (Use::Observation(i), false) => format!("observation {}", i + 1),
            (Use::Target(id), true) => format!("l’objectif «\u{a0}{id}\u{a0}»"),
            (Use::Target(id), false) => format!("target `{id}`"),
            (Use::Chart(id), true) => format!("le graphique «\u{a0}{id}\u{a0}»"),
            (Use::Chart(id), false) => format!("chart `{id}`"),
            (Use::SeriesBreak(i), true) => format!("la rupture de série {}", i + 1),
            (Use::SeriesBreak(i), false) => format!("series break {}", i + 1),
            (Use::Ratio(id), true) => format!("le ratio «\u{a0}{id}\u{a0}»"),
            (Use::Ratio(id), false) => format!("ratio `{id}`"),
        }
    }
}

/// An equation field's name in French.
fn field_fr(field: &str) -> &str {
    match field {
        "equation" => "équation",
        "initial" => "valeur initiale",
        "change" => "variation",
        "flows" => "flux",
        "by_element" => "par élément",
        other => other,
    }
}

impl std::fmt::Display for Use {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// Why a name cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    NotAName,
    Reserved,
    Taken,
    DimensionTaken,
    LastElement,
    PartOfAnother,
    NoSuchElement,
    ElementTaken,
}

impl Why {
    fn text(self, lang: Lang) -> &'static str {
        let (fr, en) = match self {
            Why::NotAName => (
                "un nom s’écrit en lettres, chiffres et _, en commençant par une lettre",
                "a name is letters, digits and _, starting with a letter",
            ),
            Why::Reserved => (
                "c’est un mot du langage des équations",
                "it is a word of the equation language",
            ),
            Why::Taken => (
                "une variable, un levier ou une table le porte déjà",
                "a variable, lever or table already has it",
            ),
            Why::DimensionTaken => (
                "une dimension ou un élément le porte déjà",
                "a dimension or an element already has it",
            ),
            Why::LastElement => (
                "une dimension garde au moins un élément",
                "a dimension keeps at least one element",
            ),
            Why::PartOfAnother => (
                "c’est une partie d’une autre dimension\u{a0}: modifiez-en les éléments là",
                "it is a part of another dimension: edit the elements there",
            ),
            Why::NoSuchElement => (
                "la dimension n’a pas cet élément",
                "the dimension has no such element",
            ),
            Why::ElementTaken => ("la dimension l’a déjà", "the dimension already has it"),
        };
        if lang == Lang::Fr { fr } else { en }
    }
}

/// Why an edit was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    /// No variable, lever or table has this name.
    NoSuchName(String),
    /// The new name is not a name, is reserved, or is taken.
    BadName(String, Why),
    /// Still used: every place, so the user can go and change them.
    InUse(String, Vec<Use>),
}

impl EditError {
    /// Why, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        match (self, fr) {
            (EditError::NoSuchName(id), true) => {
                format!("rien dans le modèle ne s’appelle «\u{a0}{id}\u{a0}»")
            }
            (EditError::NoSuchName(id), false) => {
                format!("no variable, lever or table is called `{id}`")
            }
            (EditError::BadName(id, why), true) => {
                format!(
                    "«\u{a0}{id}\u{a0}» ne convient pas\u{a0}: {}",
                    why.text(lang)
                )
            }
            (EditError::BadName(id, why), false) => {
                format!("`{id}` cannot be used: {}", why.text(lang))
            }
            (EditError::InUse(id, uses), _) => {
                let list: Vec<String> = uses.iter().map(|u| u.text(lang)).collect();
                if fr {
                    format!(
                        "«\u{a0}{id}\u{a0}» sert encore dans {}\u{a0}; changez-les d’abord",
                        list.join(", ")
                    )
                } else {
                    format!(
                        "`{id}` is still used by {}; change those first",
                        list.join(", ")
                    )
                }
            }
        }
    }
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
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

/// How a name is read in equations: a variable's or a lever's as a value
/// (`jobs`, `jobs[crm]`), a table's as a call (`effect(x)`,
/// `effect[crm](x)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Read {
    Value,
    Call,
}

/// What `id` names in `m`, and how equations read it.
fn read_of(m: &Model, id: &str) -> Option<Read> {
    if m.lookups.iter().any(|l| l.id == id) {
        Some(Read::Call)
    } else if m.variable(id).is_some() || m.levers.iter().any(|l| l.id == id) {
        Some(Read::Value)
    } else {
        None
    }
}

/// The byte ranges of `name` in `src`, read as `read` says.
fn name_spans(src: &str, name: &str, read: Read) -> Vec<(usize, usize)> {
    let Ok(tokens) = lex(src) else {
        return Vec::new();
    };
    // Inside `[...]` a name is a dimension or an element, never a value.
    let mut depth = 0usize;
    let inside: Vec<bool> = tokens
        .iter()
        .map(|t| {
            match t.tok {
                Tok::LBracket => depth += 1,
                Tok::RBracket => depth = depth.saturating_sub(1),
                _ => {}
            }
            depth > 0
        })
        .collect();
    tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            let next = tokens.get(i + 1).map(|n| &n.tok);
            matches!(&t.tok, Tok::Ident(s) if s == name)
                && !inside[*i]
                && match read {
                    Read::Value => !matches!(next, Some(Tok::LParen)),
                    Read::Call => matches!(next, Some(Tok::LParen | Tok::LBracket)),
                }
        })
        .map(|(_, t)| (t.span.start, t.span.end))
        .collect()
}

/// Every place variable, lever or table `id` is used.
pub fn uses_of(m: &Model, id: &str) -> Vec<Use> {
    let mut out = Vec::new();
    let read = read_of(m, id).unwrap_or(Read::Value);
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
            if !name_spans(eq, id, read).is_empty() {
                out.push(Use::Equation {
                    variable: v.id.clone(),
                    field,
                });
            }
        }
    }
    for v in &m.variables {
        if let VariableKind::Stock {
            inflows, outflows, ..
        } = &v.kind
            && inflows.iter().chain(outflows).any(|f| of(f))
        {
            out.push(Use::Equation {
                variable: v.id.clone(),
                field: "flows",
            });
        }
    }
    if read == Read::Value {
        out.extend(series_uses(m, of));
    }
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

/// `src` with every use of `old` (read as `read` says) replaced by `new`.
fn rename_in(src: &str, old: &str, new: &str, read: Read) -> String {
    let mut out = String::with_capacity(src.len());
    let mut at = 0;
    for (a, b) in name_spans(src, old, read) {
        out.push_str(&src[at..a]);
        out.push_str(new);
        at = b;
    }
    out.push_str(&src[at..]);
    out
}

/// The model with variable, lever or table `old` renamed `new`, and every
/// equation, observation, target, chart, series break and ratio that names
/// it updated.
pub fn rename(m: &Model, old: &str, new: &str) -> Result<Model, EditError> {
    let Some(read) = read_of(m, old) else {
        return Err(EditError::NoSuchName(old.to_string()));
    };
    check_new_name(m, old, new)?;
    let mut out = m.clone();
    rename_ids(&mut out, old, new);
    // A series name follows too: `jobs[crm]` of an arrayed `jobs`.
    let fix = |s: &mut String| {
        if s == old {
            *s = new.to_string();
        } else if let Some(rest) = s.strip_prefix(old).filter(|r| r.starts_with('[')) {
            *s = format!("{new}{rest}");
        }
    };
    for v in &mut out.variables {
        match &mut v.kind {
            VariableKind::Stock {
                initial,
                change,
                inflows,
                outflows,
                ..
            } => {
                *initial = rename_in(initial, old, new, read);
                *change = rename_in(change, old, new, read);
                inflows.iter_mut().chain(outflows).for_each(&fix);
            }
            VariableKind::Aux { equation } => *equation = rename_in(equation, old, new, read),
            VariableKind::Data { .. } => {}
        }
        for e in &mut v.by_element {
            for text in [&mut e.equation, &mut e.initial, &mut e.change] {
                *text = rename_in(text, old, new, read);
            }
        }
    }
    if read == Read::Value {
        fix_series_names(&mut out, fix);
        rename_on_map(&mut out.map, old, new);
    }
    Ok(out)
}

/// The map's place of `old` and the keys of the loops through it, renamed.
fn rename_on_map(map: &mut super::def::ModelMap, old: &str, new: &str) {
    use super::structure::{KEY_SEPARATOR, loop_key};
    for p in map.places.iter_mut().filter(|p| p.id == old) {
        p.id = new.to_string();
    }
    for l in &mut map.loop_names {
        let ids: Vec<&str> = l
            .key
            .split(KEY_SEPARATOR)
            .map(|id| if id == old { new } else { id })
            .collect();
        l.key = loop_key(&ids);
    }
}

/// Refuses `new` unless it is a free name of the equation language.
fn check_new_name(m: &Model, old: &str, new: &str) -> Result<(), EditError> {
    if !is_identifier(new) {
        return Err(EditError::BadName(new.to_string(), Why::NotAName));
    }
    if is_reserved(new) {
        return Err(EditError::BadName(new.to_string(), Why::Reserved));
    }
    let dimension = m
        .dimensions
        .iter()
        .any(|d| d.id == new || d.elements.iter().any(|e| e.id == new));
    if dimension {
        return Err(EditError::BadName(new.to_string(), Why::DimensionTaken));
    }
    if new != old && read_of(m, new).is_some() {
        return Err(EditError::BadName(new.to_string(), Why::Taken));
    }
    Ok(())
}

/// The variable, lever or table `old` called `new`; a label that was its
/// name (as a new one's is) follows.
fn rename_ids(m: &mut Model, old: &str, new: &str) {
    let labelled = m
        .variables
        .iter_mut()
        .map(|v| (&mut v.id, Some(&mut v.label)))
        .chain(m.levers.iter_mut().map(|l| (&mut l.id, Some(&mut l.label))))
        .chain(m.lookups.iter_mut().map(|l| (&mut l.id, None)));
    for (id, label) in labelled.filter(|(id, _)| *id == old) {
        *id = new.into();
        for text in label.into_iter().flat_map(|l| [&mut l.fr, &mut l.en]) {
            if text == old {
                *text = new.into();
            }
        }
    }
}

/// The first of `stem_1`, `stem_2`, ... that nothing in `m` is called: the
/// name a new variable, lever, table or chart starts with.
pub fn free_name(m: &Model, stem: &str) -> String {
    let taken = |id: &str| read_of(m, id).is_some() || m.charts.iter().any(|c| c.id == id);
    (1..)
        .map(|k| format!("{stem}_{k}"))
        .find(|id| !taken(id))
        .unwrap_or_else(|| stem.to_string())
}

/// The model without variable, lever or table `id`: refused, with every
/// use, while anything still names it.
pub fn delete(m: &Model, id: &str) -> Result<Model, EditError> {
    if read_of(m, id).is_none() {
        return Err(EditError::NoSuchName(id.to_string()));
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
    out.levers.retain(|l| l.id != id);
    out.lookups.retain(|l| l.id != id);
    Ok(out)
}
