//! The `trajectoire:model` extension read back (`write.rs` writes it): what
//! XMILE has no words for, laid over the model read from the XMILE itself.
//! The XMILE stays the authority on equations and structure (a model edited
//! in Stella keeps its edits); the extension brings back labels in both
//! languages, units, descriptions, lever settings, observations, targets,
//! sources and charts, for the variables and levers that are still there;
//! the model map's loop names, and its places where the XMILE's own diagram
//! (`views.rs`) has none (the diagram, edited in Stella, is the authority).

use std::collections::{HashMap, HashSet};

use crate::model::def::{Model, ModelMap, VariableKind};
use crate::model::expr::{self, BinOp, Expr, ExprKind};

/// Lays `ours` (the extension's model) over `read` (the XMILE's).
pub fn merge(read: &mut Model, ours: Model) {
    let has_var = |m: &Model, id: &str| m.variable(id).is_some();
    constants_back(read, &ours);
    read.id = ours.id;
    read.version = ours.version;
    read.name = ours.name;
    read.sector = ours.sector;
    read.country = ours.country;
    read.currency = ours.currency;
    read.description = ours.description;
    read.last_observed_year = ours.last_observed_year;
    read.time.save_step = ours.time.save_step;
    read.groups = ours.groups;
    levers(read, ours.levers);
    for v in &mut read.variables {
        if let Some(o) = ours.variables.iter().find(|o| o.id == v.id) {
            v.label = o.label.clone();
            v.unit = o.unit.clone();
            v.unit_expr = o.unit_expr.clone();
            v.description = o.description.clone();
            if let Some(kind) = restored_stock(&v.kind, &o.kind) {
                v.kind = kind;
            }
        }
    }
    for t in &mut read.lookups {
        if let Some(o) = ours.lookups.iter().find(|o| o.id == t.id) {
            t.description = o.description.clone();
            t.unit_expr = o.unit_expr.clone();
            t.input_unit_expr = o.input_unit_expr.clone();
        }
    }
    read.units = ours.units;
    let observations = ours.observations.into_iter();
    read.observations = observations
        .filter(|o| has_var(read, &o.variable))
        .collect();
    read.series_breaks = ours
        .series_breaks
        .into_iter()
        .filter(|b| has_var(read, &b.variable))
        .collect();
    read.targets = ours
        .targets
        .into_iter()
        .filter(|t| has_var(read, &t.variable))
        .collect();
    read.charts = ours
        .charts
        .into_iter()
        .filter(|c| c.series.iter().all(|s| has_var(read, s)))
        .collect();
    read.ratios = ours
        .ratios
        .into_iter()
        .filter(|r| has_var(read, &r.variable))
        .collect();
    map(read, ours.map);
}

/// The model map back. The places are the diagram's when it has some,
/// each at ours exactly when the diagram has it where we wrote it (within
/// half a point: the diagram's numbers are rounded), in our order; else
/// ours. Loop names are ours, for loops through nodes still there.
fn map(read: &mut Model, ours: ModelMap) {
    let ids = read.variables.iter().map(|v| &v.id);
    let known: HashSet<String> = ids
        .chain(read.levers.iter().map(|l| &l.id))
        .cloned()
        .collect();
    if read.map.places.is_empty() {
        read.map.places = ours
            .places
            .into_iter()
            .filter(|p| known.contains(&p.id))
            .collect();
    } else {
        let rank: HashMap<&str, (usize, [f32; 2])> = ours
            .places
            .iter()
            .enumerate()
            .map(|(k, p)| (p.id.as_str(), (k, p.at)))
            .collect();
        let close = |a: [f32; 2], b: [f32; 2]| (0..2).all(|i| (a[i] - b[i]).abs() <= 0.5);
        for p in &mut read.map.places {
            if let Some(&(_, at)) = rank.get(p.id.as_str())
                && close(at, p.at)
            {
                p.at = at;
            }
        }
        read.map
            .places
            .sort_by_key(|p| rank.get(p.id.as_str()).map_or(usize::MAX, |r| r.0));
    }
    read.map.loop_names = ours
        .loop_names
        .into_iter()
        .filter(|l| {
            l.key
                .split(crate::model::structure::KEY_SEPARATOR)
                .all(|id| known.contains(id))
        })
        .collect();
}

/// Constants the XMILE reading offered as levers that were our
/// variables become variables again; then variables and levers take our
/// order (those the XMILE added after).
fn constants_back(read: &mut Model, ours: &Model) {
    let (was_var, levers): (Vec<_>, Vec<_>) = std::mem::take(&mut read.levers)
        .into_iter()
        .partition(|l| ours.lever(&l.id).is_none() && ours.variable(&l.id).is_some());
    read.levers = levers;
    for l in was_var {
        read.variables.push(crate::model::def::Variable {
            id: l.id.clone(),
            label: l.label,
            unit: l.unit,
            unit_expr: l.unit_expr,
            dimensions: Vec::new(),
            by_element: Vec::new(),
            kind: VariableKind::Aux {
                equation: crate::formats::xmile::translate::number(l.default),
            },
            description: l.description,
        });
    }
    let var_rank = |id: &str| ours.variables.iter().position(|o| o.id == id);
    read.variables
        .sort_by_key(|v| var_rank(&v.id).unwrap_or(usize::MAX));
    let lever_rank = |id: &str| ours.levers.iter().position(|o| o.id == id);
    read.levers
        .sort_by_key(|l| lever_rank(&l.id).unwrap_or(usize::MAX));
}

/// Our levers' settings for the levers the XMILE still has, their
/// defaults the XMILE's values (the range widened to hold them).
fn levers(read: &mut Model, ours: Vec<crate::model::def::Lever>) {
    for l in &mut read.levers {
        if let Some(o) = ours.iter().find(|o| o.id == l.id) {
            let default = l.default;
            *l = o.clone();
            l.default = default;
            l.min = l.min.min(default);
            l.max = l.max.max(default);
        }
    }
}

/// A stock given by its change that `write` wrote as the auxiliary
/// `if time == start_time then initial else previous(s, 0) + dt * (change)`
/// is that stock again, with the initial value and change now in the
/// auxiliary (edited or not).
fn restored_stock(read: &VariableKind, ours: &VariableKind) -> Option<VariableKind> {
    let (VariableKind::Aux { equation }, VariableKind::Stock { change, .. }) = (read, ours) else {
        return None;
    };
    if change.trim().is_empty() {
        return None;
    }
    let e = expr::parse(equation).ok()?;
    let ExprKind::If(c, initial, later) = &e.kind else {
        return None;
    };
    let is_name = |x: &Expr, n: &str| matches!(&x.kind, ExprKind::Name(m) if m == n);
    let first_step = matches!(&c.kind, ExprKind::Binary(BinOp::Eq, a, b)
        if is_name(a, "time") && is_name(b, "start_time"));
    let ExprKind::Binary(BinOp::Add, prev, step) = &later.kind else {
        return None;
    };
    let ExprKind::Binary(BinOp::Mul, dt, change) = &step.kind else {
        return None;
    };
    let is_prev = matches!(&prev.kind, ExprKind::Call { name, args, .. }
        if name == "previous" && args.len() == 2);
    (first_step && is_prev && is_name(dt, "dt"))
        .then(|| VariableKind::stock(initial.to_string(), change.to_string()))
}
