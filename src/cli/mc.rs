//! `trajectoire mc`: Monte Carlo over the uncertain levers: percentiles of
//! every variable every year, and the probability of meeting each target.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::io::delimited::{self, Separator};
use crate::numfmt::time;

use super::{CommandResult, Format, Outcome, format_number, open_with_levers, var_or_fail};
use crate::model::CompiledModel;
use crate::model::mc::{Design, Summary, default_threads, monte_carlo};

pub(super) fn mc(
    file: Option<&Path>,
    runs: Option<usize>,
    seed: Option<u64>,
    format: Format,
    ids: &[String],
    (set, data): (&[String], &[PathBuf]),
) -> CommandResult {
    let (opened, levers) = open_with_levers(file, set, data)?;
    let saved = opened
        .scenario
        .as_ref()
        .map(|s| s.monte_carlo)
        .unwrap_or_default();
    let runs = runs.unwrap_or(saved.runs);
    let seed = seed.unwrap_or(saved.seed);
    if runs == 0 || runs > crate::scenario::MAX_RUNS {
        return Err(format!(
            "--runs {runs}: choose between 1 and {}\n",
            crate::scenario::MAX_RUNS
        ));
    }
    let model = &opened.model;
    let vars = if ids.is_empty() {
        (0..model.n_vars()).collect()
    } else {
        ids.iter()
            .map(|id| var_or_fail(model, id))
            .collect::<Result<Vec<_>, _>>()?
    };
    let design = Design::new(model, seed, runs);
    if design.uncertain_levers().is_empty() {
        return Err("no lever of this model has an uncertainty: nothing varies\n".into());
    }
    let s = monte_carlo(model, &levers, &design, &vars, default_threads());
    let stdout = match format {
        Format::Csv => to_delimited(model, &vars, &s, Separator::Comma),
        Format::Tsv => to_delimited(model, &vars, &s, Separator::Tab),
        Format::Table => to_table(model, &vars, &s, &design, seed),
    };
    let stderr = if s.nonfinite > 0 {
        format!(
            "{} runs of {} hit a value that is not a number; they are left out of the bands\n",
            s.nonfinite, s.runs
        )
    } else {
        String::new()
    };
    Ok(Outcome {
        stdout,
        stderr,
        status: 0,
    })
}

/// `kind,id,year,p05,p25,p50,p75,p95,probability`: the bands, then the
/// odds, as CSV or TSV (`io::delimited`).
fn to_delimited(model: &CompiledModel, vars: &[usize], s: &Summary, sep: Separator) -> String {
    let m = model.model();
    let mut out = String::new();
    let head = ["kind", "id", m.time.unit.id()];
    let tail = ["p05", "p25", "p50", "p75", "p95", "probability"];
    delimited::line(head.into_iter().chain(tail), sep, &mut out);
    for (k, &v) in vars.iter().enumerate() {
        for (yi, &y) in model.times().iter().enumerate() {
            if let Some(b) = s.bands[k * s.n_years + yi] {
                let mut row = vec!["variable".to_string(), model.series(v).id.clone()];
                row.push(delimited::time_text(y));
                row.extend(b.iter().map(|&x| delimited::number_text(x)));
                row.push(String::new());
                delimited::line(row.iter().map(String::as_str), sep, &mut out);
            }
        }
    }
    for (t, p) in m.targets.iter().zip(&s.target_prob) {
        if let Some(p) = p {
            let year = t.year.to_string();
            let p = delimited::number_text(*p);
            let row = ["target", &t.id, &year, "", "", "", "", "", &p];
            delimited::line(row, sep, &mut out);
        }
    }
    out
}

/// A block of percentiles per variable, then the odds of each target.
fn to_table(
    model: &CompiledModel,
    vars: &[usize],
    s: &Summary,
    design: &Design,
    seed: u64,
) -> String {
    let m = model.model();
    let times = model.times();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} runs, seed {seed}, uncertain levers: {}",
        s.runs,
        design
            .uncertain_levers()
            .iter()
            .map(|&l| model.levers()[l].id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (k, &v) in vars.iter().enumerate() {
        let var = model.series(v);
        let _ = writeln!(out, "\n{} ({})", var.id, var.unit.en);
        let _ = writeln!(
            out,
            "{:>6} {:>14} {:>14} {:>14} {:>14} {:>14}",
            m.time.unit.id(),
            "p5",
            "p25",
            "median",
            "p75",
            "p95"
        );
        for (yi, &y) in times.iter().enumerate() {
            if let Some(b) = s.bands[k * s.n_years + yi] {
                let _ = write!(out, "{:>6}", time(y));
                for x in b {
                    let _ = write!(out, " {:>14}", format_number(x));
                }
                out.push('\n');
            }
        }
    }
    let _ = writeln!(out, "\nProbability of meeting each target:");
    for (t, p) in m.targets.iter().zip(&s.target_prob) {
        if let Some(p) = p {
            let _ = writeln!(
                out,
                "  {:<24} {:>5.1}%  ({} {} >= {})",
                t.id,
                100.0 * p,
                t.variable,
                t.year,
                format_number(t.value)
            );
        }
    }
    out
}
