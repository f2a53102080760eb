//! Units: the algebra of unit expressions (`job/year`, `kMAD/job`, `%`)
//! and the check that every equation's units add up.
//!
//! - `ratio`: rational exponents (`m^(1/2)`), exact.
//! - `unit`: a unit as base units with exponents, times a scale.
//! - `parse`: unit expressions as XMILE writes them.
//! - `table`: the model's unit names: built-ins (dimensionless, `%`, the
//!   time units), the model's definitions and aliases, names met on the way.
//! - `check`: each equation's unit inferred and compared with its field's;
//!   `warning`: what it reports, in both languages.
//!
//! No egui here, as in all of `model/`.

pub mod check;
pub mod parse;
pub mod ratio;
pub mod table;
pub mod unit;
pub mod warning;

pub use check::check_units;
pub use table::{Definition, UnitTable};
pub use unit::Unit;
pub use warning::{Problem, UnitWarning};

/// The table of `m`'s unit names (its time unit, its `units`), and each
/// definition that cannot be used, by index, with why.
pub fn model_table(m: &crate::model::def::Model) -> (UnitTable, Vec<(usize, String)>) {
    let mut table = UnitTable::new(m.time.unit.id());
    let defs: Vec<Definition> = m
        .units
        .iter()
        .map(|d| Definition {
            name: d.name.clone(),
            equation: d.equation.clone(),
            scale: d.scale,
            aliases: d.aliases.clone(),
        })
        .collect();
    let refused = table.define(&defs);
    (table, refused)
}
