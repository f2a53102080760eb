//! How a run stands against each target: value in the target year, gap,
//! the yearly growth the target requires and the growth the run delivers.

use super::compile::CompiledModel;
use super::sim::Run;

#[derive(Clone, Debug, PartialEq)]
pub struct TargetStatus {
    pub target: usize,
    pub var: usize,
    /// The run's value in the target year.
    pub value: f64,
    /// value - target.
    pub gap: f64,
    /// gap / |target|, as a fraction.
    pub gap_frac: f64,
    /// The latest observation of the target's variable, as (year, value).
    pub last_observation: Option<(i32, f64)>,
    /// Yearly growth from the last observation to the target, as a fraction.
    pub required_growth: Option<f64>,
    /// Yearly growth of the run over the same years, as a fraction.
    pub run_growth: Option<f64>,
    /// Yearly growth of the observations themselves, from the earliest to the
    /// latest observation before the target year (same definition), as a fraction.
    pub historical_growth: Option<f64>,
    /// The first saved time at which the run reaches the target's value.
    pub first_reached: Option<f64>,
    /// The run reaches the target in its year.
    pub met: bool,
    /// The target year is past the last observed year.
    pub future: bool,
}

/// Compound yearly growth from `from` to `to` over `years`.
pub fn yearly_growth(from: f64, to: f64, years: i32) -> Option<f64> {
    if years <= 0 || from <= 0.0 || to <= 0.0 || !from.is_finite() || !to.is_finite() {
        return None;
    }
    Some((to / from).powf(1.0 / years as f64) - 1.0)
}

/// Every target of the model against `run`, in model order. A target whose
/// variable or year the run lacks is left out.
pub fn target_statuses(model: &CompiledModel, run: &Run) -> Vec<TargetStatus> {
    let m = model.model();
    m.targets
        .iter()
        .enumerate()
        .filter_map(|(ti, t)| {
            let var = model.var_index(&t.variable)?;
            let value = run.value(var, t.year)?;
            let gap = value - t.value;
            let usable = || {
                m.observations
                    .iter()
                    .filter(|o| o.variable == t.variable && o.year < t.year && o.fit != Some(false))
            };
            let last_observation = usable().max_by_key(|o| o.year).map(|o| (o.year, o.value));
            let first_observation = usable().min_by_key(|o| o.year).map(|o| (o.year, o.value));
            let historical_growth = match (first_observation, last_observation) {
                (Some((y0, v0)), Some((y1, v1))) => yearly_growth(v0, v1, y1 - y0),
                _ => None,
            };
            let first_reached = run
                .times()
                .iter()
                .zip(run.series(var))
                .find(|(_, v)| **v >= t.value)
                .map(|(y, _)| *y);
            let (required_growth, run_growth) = match last_observation {
                Some((y0, v0)) => (
                    yearly_growth(v0, t.value, t.year - y0),
                    run.value(var, y0)
                        .and_then(|r0| yearly_growth(r0, value, t.year - y0)),
                ),
                None => (None, None),
            };
            Some(TargetStatus {
                target: ti,
                var,
                value,
                gap,
                gap_frac: if t.value != 0.0 {
                    gap / t.value.abs()
                } else {
                    0.0
                },
                last_observation,
                required_growth,
                run_growth,
                historical_growth,
                first_reached,
                met: value >= t.value,
                future: t.year > m.last_observed_year,
            })
        })
        .collect()
}

/// What two targets imply together, against what is observed: the 2030
/// export and jobs targets imply a revenue per job to compare with today's.
#[derive(Clone, Debug, PartialEq)]
pub struct Tension {
    pub ratio: usize,
    /// numerator target / denominator target x scale.
    pub implied: f64,
    /// The compared variable's latest observed-year value in the run, and the year.
    pub current: Option<(i32, f64)>,
}

pub fn tensions(model: &CompiledModel, run: &Run) -> Vec<Tension> {
    let m = model.model();
    m.ratios
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let num = m.targets.iter().find(|t| t.id == r.numerator)?;
            let den = m.targets.iter().find(|t| t.id == r.denominator)?;
            if den.value == 0.0 {
                return None;
            }
            let implied = num.value / den.value * r.scale;
            let current = model
                .var_index(&r.variable)
                .and_then(|v| run.value(v, m.last_observed_year))
                .map(|v| (m.last_observed_year, v));
            Some(Tension {
                ratio: i,
                implied,
                current,
            })
        })
        .collect()
}
