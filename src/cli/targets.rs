//! `trajectoire targets`: every target, the scenario's value, the gap, the
//! first year it is reached and the growth it requires; then the tensions.

use std::fmt::Write as _;
use std::path::Path;

use super::{CommandResult, Outcome, format_number, open_with_levers};

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |g| format!("{:+.1}%", 100.0 * g))
}

pub(super) fn targets(file: Option<&Path>, set: &[String]) -> CommandResult {
    use crate::model::targets::{target_statuses, tensions};
    let (opened, levers) = open_with_levers(file, set, &[])?;
    let model = &opened.model;
    let m = model.model();
    let run = model.run(&levers);
    let mut out = format!(
        "{:<22} {:>5} {:>12} {:>12} {:>12} {:>8} {:>7} {:>9} {:>9} {:>9}  {}\n",
        "target",
        "year",
        "target",
        "scenario",
        "gap",
        "gap",
        "reached",
        "required",
        "scenario",
        "history",
        "label"
    );
    for s in target_statuses(model, &run) {
        let t = &m.targets[s.target];
        let _ = writeln!(
            out,
            "{:<22} {:>5} {:>12} {:>12} {:>12} {:>7.1}% {:>7} {:>9} {:>9} {:>9}  {}",
            t.id,
            t.year,
            format_number(t.value),
            format_number(s.value),
            format_number(s.gap),
            100.0 * s.gap_frac,
            s.first_reached
                .map_or_else(|| "-".into(), crate::numfmt::time),
            pct(s.required_growth),
            pct(s.run_growth),
            pct(s.historical_growth),
            t.label.en
        );
    }
    for t in tensions(model, &run) {
        let r = &m.ratios[t.ratio];
        let unit = m.variable(&r.variable).map_or("", |v| v.unit.en.as_str());
        let _ = write!(out, "\n{}: {} {unit}", r.label.en, format_number(t.implied));
        if let Some((y, v)) = t.current {
            let _ = write!(out, " against {} in {y}", format_number(v));
        }
        out.push('\n');
    }
    Ok(Outcome::ok(out))
}
