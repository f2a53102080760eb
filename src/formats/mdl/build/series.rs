//! A data variable's points (read from its file by `external.rs`) built
//! as a lookup over `time`, read as Vensim reads data:
//!
//! - `:INTERPOLATE:` (Vensim's default): linear between points, the first
//!   value before the first and the last after the last (our continuous
//!   lookup);
//! - `:HOLD BACKWARD:`: the value of the last point at or before the time,
//!   the first before it (our discrete lookup);
//! - `:LOOK FORWARD:`: the value of the first point at or after the time,
//!   the last after it: the discrete lookup of the points at `-x`, read at
//!   `-time`;
//! - `:RAW:`: the values at the points alone, Vensim's `:NA:` (a missing
//!   value, read as `parse::NA`) at any other time: a discrete lookup
//!   holding each value from a hair before its time to a hair after it,
//!   `:NA:` between (the hair: 1e-9 of the time, within a quarter of the
//!   gap to the neighbours), so that a step that lands on a point's time
//!   up to rounding reads it.

use super::Builder;
use crate::formats::mdl::parse::{DataMode, NA};
use crate::model::def::{Lookup, LookupMode, Text};

impl Builder<'_, '_> {
    /// The lookup `table` of a data variable's `points`, read by `mode`,
    /// and the equation that reads it.
    pub(super) fn series(&mut self, table: &str, points: &[(f64, f64)], mode: DataMode) -> String {
        let (points, lookup_mode, input) = match mode {
            DataMode::Interpolate => (points.to_vec(), LookupMode::Continuous, "time"),
            DataMode::HoldBackward => (points.to_vec(), LookupMode::Discrete, "time"),
            DataMode::LookForward => {
                let mut p: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (-x, y)).collect();
                p.reverse();
                (p, LookupMode::Discrete, "-time")
            }
            DataMode::Raw => (raw(points), LookupMode::Discrete, "time"),
        };
        self.model.lookups.push(Lookup {
            id: table.to_string(),
            points,
            description: Text::default(),
            mode: lookup_mode,
            unit_expr: String::new(),
            input_unit_expr: String::new(),
            dimensions: Vec::new(),
            by_element: Vec::new(),
        });
        format!("{table}({input})")
    }
}

/// `:RAW:` points as a discrete lookup: each value around its time, `:NA:`
/// before, between and after.
fn raw(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(2 * points.len() + 1);
    for (i, &(x, y)) in points.iter().enumerate() {
        let gap = |j: Option<usize>| {
            j.and_then(|j| points.get(j))
                .map_or(f64::INFINITY, |p| (p.0 - x).abs())
        };
        let hair = (1e-9 * x.abs().max(1.0))
            .min(gap(i.checked_sub(1)) / 4.0)
            .min(gap(Some(i + 1)) / 4.0);
        if i == 0 {
            out.push((x - 2.0 * hair, NA));
        }
        out.push((x - hair, y));
        out.push((x + hair, NA));
    }
    out
}
