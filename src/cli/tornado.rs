//! `trajectoire tornado`: each lever from its low to its high end, the
//! others held, then the Sobol indices over the uncertain levers.

use std::fmt::Write as _;
use std::path::Path;

use super::{CommandResult, Outcome, format_number, open_with_levers, var_or_fail};

pub(super) fn tornado(
    file: Option<&Path>,
    output: &str,
    year: i32,
    n_sobol: usize,
    seed: u64,
    set: &[String],
) -> CommandResult {
    use crate::model::mc::{sobol, tornado as swings};
    let (opened, levers) = open_with_levers(file, set, &[])?;
    let model = &opened.model;
    let m = model.model();
    let var = var_or_fail(model, output)?;
    if !m.years().contains(&year) {
        return Err(format!(
            "--year {year}: the model runs from {} to {}\n",
            m.start_year, m.end_year
        ));
    }
    let unit = &model.series(var).unit.en;
    let (base, bars) = swings(model, &levers, var, year);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{output} in {year}: {} {unit} with the levers as set. Each lever from its low to its high end, the others held:",
        format_number(base)
    );
    let _ = writeln!(
        out,
        "{:<26} {:>12} {:>12} {:>16} {:>16} {:>14}",
        "lever", "low", "high", "output at low", "output at high", "swing"
    );
    for b in &bars {
        let _ = writeln!(
            out,
            "{:<26} {:>12} {:>12} {:>16} {:>16} {:>14}",
            model.levers()[b.lever].id,
            format_number(b.low),
            format_number(b.high),
            format_number(b.out_low),
            format_number(b.out_high),
            format_number(b.out_high - b.out_low)
        );
    }
    if n_sobol > 0 {
        match sobol(model, &levers, var, year, n_sobol.max(2), seed) {
            Some(s) => {
                let _ = writeln!(
                    out,
                    "\nSobol indices ({} runs): the share of the variance of {output} in {year} each uncertain lever explains alone (first order) and with its interactions (total):",
                    s.runs
                );
                let _ = writeln!(out, "{:<26} {:>12} {:>12}", "lever", "first order", "total");
                for (k, &l) in s.levers.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "{:<26} {:>12.3} {:>12.3}",
                        model.levers()[l].id,
                        s.first[k],
                        s.total[k]
                    );
                }
            }
            None => {
                let _ = writeln!(out, "\nNo lever has an uncertainty: no Sobol indices.");
            }
        }
    }
    Ok(Outcome::ok(out))
}
