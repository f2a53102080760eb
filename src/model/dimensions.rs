//! Editing a dimension's elements: add, rename, remove. Every arrayed
//! quantity follows: lists of numbers grow or shrink (a new element starts
//! from the last one's numbers), element names in equations, `by_element`
//! entries, observations, targets and charts are renamed; an element still
//! named somewhere is not removed. Each edit returns a new model, as in
//! `edit.rs`.

use super::def::{Element, Model, Text, Variable, VariableKind};
use super::edit::{EditError, Use, fix_series_names, series_uses};
use super::expr::{self, Expr, ExprKind, Span, Sub, is_identifier, is_reserved};

/// The model with `id` added at the end of root dimension `dim`.
pub fn add_element(m: &Model, dim: &str, id: &str, label: Text) -> Result<Model, EditError> {
    let d = root(m, dim)?;
    check_name(m, d, id)?;
    let n = m.dimensions[d].elements.len();
    let mut out = m.clone();
    out.dimensions[d].elements.push(Element {
        id: id.to_string(),
        label,
    });
    // The new element starts from the last one's numbers.
    let picks: Vec<usize> = (0..=n).map(|k| k.min(n - 1)).collect();
    for v in &mut out.variables {
        reshape_lists(m, v, dim, &picks);
    }
    Ok(out)
}

/// The model with element `old` of root dimension `dim` called `new`,
/// everywhere it is named.
pub fn rename_element(m: &Model, dim: &str, old: &str, new: &str) -> Result<Model, EditError> {
    let d = root(m, dim)?;
    element_index(m, d, old)?;
    if old == new {
        return Ok(m.clone());
    }
    check_name(m, d, new)?;
    let mut out = m.clone();
    for x in &mut out.dimensions {
        if x.id == dim || x.subrange_of.as_deref() == Some(dim) {
            x.elements
                .iter_mut()
                .filter(|e| e.id == old)
                .for_each(|e| e.id = new.into());
        }
    }
    for v in &mut out.variables {
        let over = over_root(m, v, dim);
        for text in texts_mut(v) {
            *text = rename_in_subscripts(m, text, dim, old, new);
        }
        for e in &mut v.by_element {
            e.at = rename_parts(&e.at, ",", &over, old, new);
        }
    }
    fix_series_names(&mut out, |s| *s = rename_series(m, s, dim, old, new));
    Ok(out)
}

/// The model without element `id` of root dimension `dim`: refused, with
/// every use, while an equation, observation, target or chart names it.
pub fn remove_element(m: &Model, dim: &str, id: &str) -> Result<Model, EditError> {
    let d = root(m, dim)?;
    let k = element_index(m, d, id)?;
    if m.dimensions[d].elements.len() == 1 {
        return Err(EditError::BadName(id.into(), super::edit::Why::LastElement));
    }
    // The element's own equations go with it; any other mention stays.
    let mut out = m.clone();
    for v in &mut out.variables {
        let over = over_root(m, v, dim);
        v.by_element.retain(|e| {
            let mut parts = e.at.split(',').map(str::trim).enumerate();
            !parts.any(|(i, p)| over.contains(&i) && p == id)
        });
    }
    let uses = element_uses(&out, dim, id);
    if !uses.is_empty() {
        return Err(EditError::InUse(format!("{dim}.{id}"), uses));
    }
    let n = m.dimensions[d].elements.len();
    let picks: Vec<usize> = (0..n).filter(|&j| j != k).collect();
    for v in &mut out.variables {
        reshape_lists(m, v, dim, &picks);
    }
    for x in &mut out.dimensions {
        if x.id == dim || x.subrange_of.as_deref() == Some(dim) {
            x.elements.retain(|e| e.id != id);
        }
    }
    Ok(out)
}

/// Where element `id` of `dim` is named: equations, `by_element` entries
/// aside (they go with it), and series names.
pub fn element_uses(m: &Model, dim: &str, id: &str) -> Vec<Use> {
    let mut out = Vec::new();
    for v in &m.variables {
        let whole: &[&'static str] = match &v.kind {
            VariableKind::Aux { .. } => &["equation"],
            VariableKind::Stock { .. } => &["initial", "change"],
            VariableKind::Data { .. } => &[],
        };
        let names = whole.iter().copied().chain(std::iter::repeat("by_element"));
        for (text, field) in texts(v).into_iter().zip(names) {
            if !element_spans(m, text, dim, id).is_empty() {
                out.push(Use::Equation {
                    variable: v.id.clone(),
                    field,
                });
            }
        }
    }
    // Series breaks and ratios too: an element they name cannot go.
    out.extend(series_uses(m, |s| {
        rename_series(m, s, dim, id, "\u{0}") != s
    }));
    out
}

fn root(m: &Model, dim: &str) -> Result<usize, EditError> {
    match m.dimensions.iter().position(|d| d.id == dim) {
        Some(d) if m.dimensions[d].subrange_of.is_none() => Ok(d),
        Some(_) => Err(EditError::BadName(
            dim.into(),
            super::edit::Why::PartOfAnother,
        )),
        None => Err(EditError::NoSuchName(dim.into())),
    }
}

fn element_index(m: &Model, d: usize, id: &str) -> Result<usize, EditError> {
    m.dimensions[d]
        .elements
        .iter()
        .position(|e| e.id == id)
        .ok_or_else(|| EditError::BadName(id.into(), super::edit::Why::NoSuchElement))
}

fn check_name(m: &Model, d: usize, id: &str) -> Result<(), EditError> {
    if !is_identifier(id) || is_reserved(id) {
        return Err(EditError::BadName(id.into(), super::edit::Why::NotAName));
    }
    if m.dimensions[d].elements.iter().any(|e| e.id == id) {
        return Err(EditError::BadName(
            id.into(),
            super::edit::Why::ElementTaken,
        ));
    }
    Ok(())
}

/// The root dimension of dimension `d`.
fn root_id<'m>(m: &'m Model, d: &'m str) -> &'m str {
    m.dimensions
        .iter()
        .find(|x| x.id == d)
        .and_then(|x| x.subrange_of.as_deref())
        .unwrap_or(d)
}

/// The positions of `v`'s dimensions that belong to root `dim`.
fn over_root(m: &Model, v: &Variable, dim: &str) -> Vec<usize> {
    (0..v.dimensions.len())
        .filter(|&i| root_id(m, &v.dimensions[i]) == dim)
        .collect()
}

fn texts(v: &Variable) -> Vec<&String> {
    let mut out: Vec<&String> = match &v.kind {
        VariableKind::Aux { equation } => vec![equation],
        VariableKind::Stock {
            initial, change, ..
        } => vec![initial, change],
        VariableKind::Data { .. } => Vec::new(),
    };
    out.extend(
        v.by_element
            .iter()
            .flat_map(|e| [&e.equation, &e.initial, &e.change]),
    );
    out
}

fn texts_mut(v: &mut Variable) -> Vec<&mut String> {
    let mut out: Vec<&mut String> = match &mut v.kind {
        VariableKind::Aux { equation } => vec![equation],
        VariableKind::Stock {
            initial, change, ..
        } => vec![initial, change],
        VariableKind::Data { .. } => Vec::new(),
    };
    out.extend(
        v.by_element
            .iter_mut()
            .flat_map(|e| [&mut e.equation, &mut e.initial, &mut e.change]),
    );
    out
}

/// The spans of element `id` of root `dim` written in subscripts of `text`.
fn element_spans(m: &Model, text: &str, dim: &str, id: &str) -> Vec<Span> {
    let Ok(tree) = expr::parse(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk(&tree, &mut |e| {
        let ExprKind::Subscript { name, subs, .. } = &e.kind else {
            return;
        };
        let Some(v) = m.variable(name) else {
            return;
        };
        for (i, (s, span)) in subs.iter().enumerate() {
            let on_root = v.dimensions.get(i).is_some_and(|d| root_id(m, d) == dim);
            if on_root && matches!(s, Sub::Name(n) if n == id) {
                out.push(*span);
            }
        }
    });
    out
}

fn walk<'a>(e: &'a Expr, f: &mut impl FnMut(&'a Expr)) {
    f(e);
    match &e.kind {
        ExprKind::Num(_) | ExprKind::Name(_) | ExprKind::Subscript { .. } => {}
        ExprKind::Call { args, .. } => args.iter().for_each(|a| walk(a, f)),
        ExprKind::Unary(_, a) => walk(a, f),
        ExprKind::Binary(_, a, b) => {
            walk(a, f);
            walk(b, f);
        }
        ExprKind::If(c, a, b) => {
            walk(c, f);
            walk(a, f);
            walk(b, f);
        }
    }
}

fn rename_in_subscripts(m: &Model, text: &str, dim: &str, old: &str, new: &str) -> String {
    let mut out = text.to_string();
    let mut spans = element_spans(m, text, dim, old);
    spans.sort_by_key(|s| std::cmp::Reverse(s.start));
    for s in spans {
        out.replace_range(s.start..s.end, new);
    }
    out
}

/// `parts` joined by `sep`, the ones at `positions` equal to `old` renamed.
fn rename_parts(parts: &str, sep: &str, positions: &[usize], old: &str, new: &str) -> String {
    parts
        .split(',')
        .enumerate()
        .map(|(i, p)| {
            if positions.contains(&i) && p.trim() == old {
                new.to_string()
            } else {
                p.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// A series name (`x[a,b]`) with element `old` of `dim` renamed.
fn rename_series(m: &Model, s: &str, dim: &str, old: &str, new: &str) -> String {
    let Some((id, rest)) = s.split_once('[') else {
        return s.to_string();
    };
    let (Some(v), Some(inner)) = (m.variable(id), rest.strip_suffix(']')) else {
        return s.to_string();
    };
    format!(
        "{id}[{}]",
        rename_parts(inner, ",", &over_root(m, v, dim), old, new)
    )
}

/// A list of numbers over `v`'s elements, reshaped for root `dim`'s new
/// elements: the new element `k` takes its numbers from old element
/// `picks[k]`.
fn reshape_lists(m: &Model, v: &mut Variable, dim: &str, picks: &[usize]) {
    let Some(at) = v.dimensions.iter().position(|d| d == dim) else {
        return;
    };
    let sizes: Vec<usize> = v
        .dimensions
        .iter()
        .map(|d| {
            m.dimensions
                .iter()
                .find(|x| &x.id == d)
                .map_or(0, |x| x.elements.len())
        })
        .collect();
    let fields: Vec<&mut String> = match &mut v.kind {
        VariableKind::Aux { equation } => vec![equation],
        VariableKind::Stock {
            initial, change, ..
        } => vec![initial, change],
        VariableKind::Data { .. } => Vec::new(),
    };
    for text in fields {
        let Some(list) = crate::model::compile::arrays::list_literal(text) else {
            continue;
        };
        if list.len() != sizes.iter().product::<usize>() {
            continue;
        }
        *text = reshaped(&list, &sizes, at, picks)
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", ");
    }
}

/// Row-major `list` of shape `sizes`, its dimension `at` made of the old
/// elements `picks`, in that order.
fn reshaped(list: &[f64], sizes: &[usize], at: usize, picks: &[usize]) -> Vec<f64> {
    let inner: usize = sizes[at + 1..].iter().product();
    let outer: usize = sizes[..at].iter().product();
    let mut out = Vec::with_capacity(outer * picks.len() * inner);
    for o in 0..outer {
        for &k in picks {
            let start = (o * sizes[at] + k) * inner;
            out.extend_from_slice(&list[start..start + inner]);
        }
    }
    out
}
