//! What both importers build the same way: a lever's range and step
//! from a constant, and the default charts.

use crate::model::def::{Chart, Lever, Model, Text, TimeUnit};

/// A time unit by its name: XMILE's recommended ones and their aliases
/// (XMILE 3.3.6), which Vensim's control section also uses (`Month`); any
/// other unit counts as years (the unit only labels the time axis).
pub fn time_unit(unit: &str) -> TimeUnit {
    let u = unit.trim().to_lowercase();
    match u.strip_suffix('s').unwrap_or(&u) {
        "quarter" | "qtr" => TimeUnit::Quarter,
        "month" | "mo" => TimeUnit::Month,
        "week" | "wk" => TimeUnit::Week,
        "day" => TimeUnit::Day,
        _ => TimeUnit::Year,
    }
}

/// The unit expression the units check reads from a model's units text
/// (`people/year`, `Dmnl`), when it is one; else none, and the item is not
/// checked (its text stays the label).
pub fn unit_expr(units: &str) -> String {
    let u = units.trim();
    if u.is_empty() || crate::model::units::parse::parse_unit(u).is_err() {
        String::new()
    } else {
        u.to_string()
    }
}

/// A constant offered as a lever: over the model's own `range` when it
/// has one, else around its value.
pub fn lever(
    id: &str,
    label: &str,
    unit: Text,
    description: Text,
    value: f64,
    range: Option<(f64, f64)>,
) -> Lever {
    let (min, max) = range.unwrap_or_else(|| around(value));
    let (min, max) = (min.min(value), max.max(value));
    let (min, max) = if min < max { (min, max) } else { around(value) };
    Lever {
        label: Text::new(label, label),
        unit_expr: unit_expr(&unit.en),
        unit,
        description,
        ..Lever::new(id, min, max, value, step(max - min))
    }
}

/// A range for a lever whose model gives none: from 0 to twice its value
/// (0 to 1 for 0).
pub fn around(value: f64) -> (f64, f64) {
    match value.partial_cmp(&0.0) {
        Some(std::cmp::Ordering::Greater) => (0.0, 2.0 * value),
        Some(std::cmp::Ordering::Less) => (2.0 * value, 0.0),
        _ => (0.0, 1.0),
    }
}

/// A slider step: the power of ten nearest below a hundredth of `span`.
pub fn step(span: f64) -> f64 {
    let s = 10f64.powf((span / 100.0).log10().floor());
    if s.is_finite() && s > 0.0 {
        s
    } else {
        span / 100.0
    }
}

/// A chart per stock (the first few), else per variable.
pub fn charts(model: &Model) -> Vec<Chart> {
    model.default_charts()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levers_get_a_range_and_a_step() {
        assert_eq!(around(5.0), (0.0, 10.0));
        assert_eq!(around(-2.0), (-4.0, 0.0));
        assert_eq!(around(0.0), (0.0, 1.0));
        assert_eq!(step(10.0), 0.1);
        assert_eq!(step(0.74), 0.001);
    }
}
