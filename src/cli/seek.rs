//! `trajectoire seek`: the value of one lever that meets one target, the
//! other levers held; or every lever ranked, cheapest first.

use std::fmt::Write as _;
use std::path::Path;

use super::{CommandResult, Outcome, format_number, open_with_levers};
use crate::model::CompiledModel;

pub(super) fn seek(
    file: Option<&Path>,
    target: &str,
    lever: Option<&str>,
    set: &[String],
) -> CommandResult {
    let (opened, levers) = open_with_levers(file, set, &[])?;
    let model = &opened.model;
    let m = model.model();
    let Some(ti) = m.targets.iter().position(|t| t.id == target) else {
        return Err(format!(
            "no target is called `{target}`; the targets are: {}\n",
            m.targets
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    match lever {
        Some(id) => seek_one(model, &levers, ti, id),
        None => Ok(rank(model, &levers, ti)),
    }
}

/// The unit of target `ti`'s variable, for messages.
fn target_unit(model: &CompiledModel, ti: usize) -> &str {
    let m = model.model();
    m.variable(&m.targets[ti].variable)
        .map_or("", |v| v.unit.en.as_str())
}

/// Seeks lever `id` alone: its value on stdout, or exit 1 with the closest.
fn seek_one(model: &CompiledModel, levers: &[f64], ti: usize, id: &str) -> CommandResult {
    use crate::model::solve::goal_seek;
    let m = model.model();
    let t = &m.targets[ti];
    let target = &t.id;
    let unit = target_unit(model, ti);
    let Some(li) = model.lever_index(id) else {
        return Err(format!("no lever is called `{id}`\n"));
    };
    let l = &model.levers()[li];
    let Some(s) = goal_seek(model, levers, ti, li) else {
        return Err(format!("target `{target}` cannot be computed\n"));
    };
    if !s.reached {
        return Err(format!(
            "no value of {id} between {} and {} meets {target}: the closest is {} {}, giving {} {unit} against {} {unit}\n",
            l.min,
            l.max,
            format_number(s.value),
            l.unit.en,
            format_number(s.achieved),
            format_number(t.value)
        ));
    }
    Ok(Outcome::ok(format!(
        "{id}={}\n{} {}: {} {unit} (target {} {unit}) with {} {} ({} runs)\n",
        s.value,
        t.variable,
        t.year,
        format_number(s.achieved),
        format_number(t.value),
        format_number(s.value),
        l.unit.en,
        s.runs
    )))
}

/// Every lever ranked by how far it must move to meet target `ti`.
fn rank(model: &CompiledModel, levers: &[f64], ti: usize) -> Outcome {
    use crate::model::solve::rank_levers;
    let unit = target_unit(model, ti);
    let mut out = format!(
        "{:<22} {:>14} {:>14} {:>8}  {}\n",
        "lever", "value", "default", "move", "result"
    );
    for r in rank_levers(model, levers, ti) {
        let l = &model.levers()[r.seek.lever];
        let _ = writeln!(
            out,
            "{:<22} {:>14} {:>14} {:>7.0}%  {}",
            l.id,
            format_number(r.seek.value),
            format_number(l.default),
            100.0 * r.move_frac,
            if r.seek.reached {
                "meets the target".to_string()
            } else {
                format!("cannot: at best {} {unit}", format_number(r.seek.achieved))
            }
        );
    }
    Outcome::ok(out)
}
