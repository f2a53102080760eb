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
//! - `:RAW:`: the values at the points alone; taken only when every step
//!   of the run is one of the points (else Vensim's missing values would
//!   be needed between them), and then read exactly.

use super::{Builder, Entry, Raw};
use crate::formats::mdl::parse::DataMode;
use crate::model::def::{Lookup, LookupMode, Text};

/// The most steps `:RAW:` data is checked at.
const MAX_RAW_STEPS: u64 = 10_000_000;

impl Builder<'_, '_> {
    /// The lookup `table` of a data variable's `points`, read by `mode`,
    /// and the equation that reads it (`at` the record's place).
    pub(super) fn series(
        &mut self,
        e: &Entry,
        table: &str,
        points: &[(f64, f64)],
        mode: DataMode,
        at: usize,
    ) -> Result<String, Raw> {
        let (points, lookup_mode, input) = match mode {
            DataMode::Interpolate => (points.to_vec(), LookupMode::Continuous, "time"),
            DataMode::HoldBackward => (points.to_vec(), LookupMode::Discrete, "time"),
            DataMode::LookForward => {
                let mut p: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (-x, y)).collect();
                p.reverse();
                (p, LookupMode::Discrete, "-time")
            }
            DataMode::Raw => {
                self.raw_on_points(e, points, at)?;
                (points.to_vec(), LookupMode::Continuous, "time")
            }
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
        Ok(format!("{table}({input})"))
    }

    /// Refuses `:RAW:` data unless every step of the run is one of its
    /// points' times.
    fn raw_on_points(&self, e: &Entry, points: &[(f64, f64)], at: usize) -> Result<(), Raw> {
        let refused = |why: String| {
            Raw::unsupported(
                at,
                format!(
                    "`{}` is `:RAW:` data {why}: Vensim leaves it missing between its \
                     points, which Trajectoire does not simulate",
                    super::name_label(&e.name)
                ),
            )
        };
        if !self.model.time.schedule.is_empty() {
            return Err(refused("on a clock whose step changes".into()));
        }
        let (start, dt) = (self.scope.start, self.scope.dt);
        let stop = f64::from(self.model.end_year);
        let steps = ((stop - start) / dt).round().max(0.0) as u64;
        if steps > MAX_RAW_STEPS {
            return Err(refused(format!("over more than {MAX_RAW_STEPS} steps")));
        }
        for k in 0..=steps {
            let t = start + k as f64 * dt;
            let tol = 1e-9 * t.abs().max(1.0);
            let i = points.partition_point(|p| p.0 < t - tol);
            if points.get(i).is_none_or(|p| (p.0 - t).abs() > tol) {
                return Err(refused(format!("and has no point at time {t}")));
            }
        }
        Ok(())
    }
}
