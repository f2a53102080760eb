//! `trajectoire calibrate`: fit levers to the observations up to a year and
//! print the fitted values, the fit and the hindcast.

use std::fmt::Write as _;
use std::path::Path;

use super::{CommandResult, Outcome, format_number, open_with_levers};
use crate::model::fit::VariableFit;

pub(super) fn calibrate(
    file: Option<&Path>,
    up_to: Option<i32>,
    ids: &[String],
    set: &[String],
) -> CommandResult {
    let (opened, levers) = open_with_levers(file, set, &[])?;
    let model = &opened.model;
    let m = model.model();
    let mut chosen = Vec::new();
    for id in ids {
        match model.lever_index(id) {
            Some(l) => chosen.push(l),
            None => return Err(format!("--lever {id}: no lever is called `{id}`\n")),
        }
    }
    if ids.is_empty() {
        chosen = (0..model.levers().len())
            .filter(|&l| model.levers()[l].calibration)
            .collect();
    }
    let up_to = up_to.unwrap_or(m.end_year);
    let c = crate::model::calibrate::calibrate(model, &levers, &chosen, up_to)
        .map_err(|e| format!("{e}\n"))?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Fitted to the observations up to {up_to} ({} runs):",
        c.runs
    );
    for &l in &c.chosen {
        let def = &model.levers()[l];
        let start = match def.prior.filter(|_| c.from_prior.contains(&l)) {
            Some(p) => format!(
                "from its prior {}; was {}",
                format_number(p),
                format_number(levers[l])
            ),
            None => format!("was {}", format_number(levers[l])),
        };
        let _ = writeln!(
            out,
            "  {}={} {} ({start})",
            def.id,
            format_number(c.levers[l]),
            def.unit.en,
        );
    }
    fit_table(&mut out, "Fit:", &c.fit);
    if !c.holdout.is_empty() {
        fit_table(
            &mut out,
            &format!("Hindcast, observations after {up_to} (not used in the fit):"),
            &c.holdout,
        );
    }
    Ok(Outcome::ok(out))
}

/// A line per variable: its MAPE, its number of points and its worst one.
fn fit_table(out: &mut String, title: &str, fits: &[VariableFit]) {
    let _ = writeln!(out, "{title}");
    for f in fits {
        let worst = f
            .points
            .iter()
            .max_by(|a, b| a.error.abs().total_cmp(&b.error.abs()));
        let _ = write!(
            out,
            "  {:<28} MAPE {:>5.1}%  ({} point{}",
            f.variable,
            f.mape_pct,
            f.points.len(),
            if f.points.len() == 1 { "" } else { "s" }
        );
        if let Some(w) = worst {
            let _ = write!(
                out,
                "; worst {}: {} against {} observed, {:+.1}%",
                w.year,
                format_number(w.model),
                format_number(w.observed),
                100.0 * w.error
            );
        }
        let _ = writeln!(out, ")");
    }
}
