//! Output for people and for programs: the run as CSV or as a table, and
//! numbers in plain English style (148,500; 26.2).

use std::fmt::Write as _;

use crate::model::{CompiledModel, Run};
use crate::numfmt::time;

/// `<time unit>,<variable ids>` (`year,...` in a yearly model) then one
/// row per saved time, numbers in full precision.
pub fn to_csv(model: &CompiledModel, run: &Run) -> String {
    let m = model.model();
    let mut s = String::from(m.time.unit.id());
    // One column per series: an arrayed variable's elements `jobs[crm]`.
    for v in 0..model.n_vars() {
        s.push(',');
        s.push_str(&model.series(v).id);
    }
    s.push('\n');
    for (yi, &t) in run.times().iter().enumerate() {
        let _ = write!(s, "{}", time(t));
        for vi in 0..model.n_vars() {
            let _ = write!(s, ",{}", run.series(vi)[yi]);
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
