//! Output for people and for programs: the run as CSV or as a table, and
//! numbers in plain English style (148,500; 26.2).

use std::fmt::Write as _;

use crate::io::delimited::{self, Separator};
use crate::model::{CompiledModel, Run};
use crate::numfmt::time;

/// How a run's columns are named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Names {
    /// Trajectoire's ids: `jobs[crm]`, an imported name made an id
    /// (`inflow_a[entry_1,column_1]`).
    Canonical,
    /// As the model spells them for people (`Series::original`): an
    /// imported model's own names (`Inflow A[Entry 1,Column 1]`).
    Original,
}

/// The run as CSV with Trajectoire's ids: [`to_delimited`].
pub fn to_csv(model: &CompiledModel, run: &Run, levers: &[f64]) -> String {
    to_delimited(model, run, levers, Names::Canonical, Separator::Comma)
}

/// The run as a table for other programs: the time (headed by the time
/// unit, `year`), every variable with each element of an arrayed one,
/// then every lever (the model's constants, each element of an arrayed
/// one) at the value the run used, in each row; one row per saved time,
/// every number in full precision (`io::delimited`: RFC 4180 quoting, so
/// `"stock[a,b]"` stays one column).
pub fn to_delimited(
    model: &CompiledModel,
    run: &Run,
    levers: &[f64],
    names: Names,
    sep: Separator,
) -> String {
    let n_levers = model.levers().len().min(levers.len());
    let mut header: Vec<&str> = vec![model.model().time.unit.id()];
    header.extend((0..model.n_vars()).map(|v| {
        let s = model.series(v);
        match names {
            Names::Canonical => s.id.as_str(),
            Names::Original => s.original.as_str(),
        }
    }));
    header.extend((0..n_levers).map(|i| match names {
        Names::Canonical => model.levers()[i].id.as_str(),
        Names::Original => model.lever_series(i).original.as_str(),
    }));
    let mut s = String::new();
    delimited::line(header, sep, &mut s);
    let sep = sep.char();
    for (ti, &t) in run.times().iter().enumerate() {
        delimited::time(t, &mut s);
        for v in 0..model.n_vars() {
            s.push(sep);
            delimited::number(run.series(v)[ti], &mut s);
        }
        for &x in &levers[..n_levers] {
            s.push(sep);
            delimited::number(x, &mut s);
        }
        s.push('\n');
    }
    s
}

/// A table for people: one block of variables at a time, a row a year.
pub fn to_table(model: &CompiledModel, run: &Run) -> String {
    let m = model.model();
    let mut s = format!("{} ({}-{})\n", m.name.en, m.start_year, m.end_year);
    let per_block = 6;
    let ids: Vec<usize> = (0..model.n_vars()).collect();
    for block in ids.chunks(per_block) {
        let cells: Vec<Vec<String>> = block
            .iter()
            .map(|&v| run.series(v).iter().map(|&x| format_number(x)).collect())
            .collect();
        let widths: Vec<usize> = block
            .iter()
            .zip(&cells)
            .map(|(&v, c)| {
                let var = model.series(v);
                let head = var.id.len().max(var.unit.en.len() + 2);
                c.iter().map(String::len).max().unwrap_or(0).max(head)
            })
            .collect();
        s.push('\n');
        let _ = write!(s, "{:>8}", m.time.unit.id());
        for (&v, w) in block.iter().zip(&widths) {
            let _ = write!(s, "  {:>w$}", model.series(v).id);
        }
        s.push('\n');
        let _ = write!(s, "{:>8}", "");
        for (&v, w) in block.iter().zip(&widths) {
            let _ = write!(s, "  {:>w$}", format!("[{}]", model.series(v).unit.en));
        }
        s.push('\n');
        for (yi, &t) in run.times().iter().enumerate() {
            let _ = write!(s, "{:>8}", time(t));
            for (c, w) in cells.iter().zip(&widths) {
                let _ = write!(s, "  {:>w$}", c[yi]);
            }
            s.push('\n');
        }
    }
    s
}

/// Readable numbers: 148,500 not 1.485e5; small values with decimals.
pub fn format_number(x: f64) -> String {
    let a = x.abs();
    let decimals = if a >= 1000.0 {
        0
    } else if a >= 100.0 {
        1
    } else if a >= 1.0 {
        2
    } else if a == 0.0 {
        0
    } else {
        4
    };
    crate::numfmt::grouped(x, decimals, ',', '.', '-').unwrap_or_else(|| format!("{x}"))
}
