//! How well a run matches the observations: the calibration check.

use super::compile::CompiledModel;
use super::sim::Run;

/// One observation against the model's value in the same year.
#[derive(Clone, Debug, PartialEq)]
pub struct FitPoint {
    pub observation: usize,
    pub variable: String,
    pub year: i32,
    pub observed: f64,
    pub model: f64,
    /// (model - observed) / |observed|, as a fraction.
    pub error: f64,
}

/// Fit of one variable: its points and mean absolute percentage error.
#[derive(Clone, Debug, PartialEq)]
pub struct VariableFit {
    pub variable: String,
    pub points: Vec<FitPoint>,
    /// Mean absolute percentage error, in percent.
    pub mape_pct: f64,
}

/// How far `value` is from observation `o`, as a fraction of it: `(value -
/// observed) / |observed|`, or, for a bound (`definition: Some("lower
/// bound")` or `"upper bound"`), how far it is on the wrong side (0 when
/// the bound holds).
pub fn residual(o: &crate::model::def::Observation, value: f64) -> f64 {
    let e = (value - o.value) / o.value.abs();
    match o.definition.as_deref() {
        Some("lower bound") => e.min(0.0),
        Some("upper bound") => e.max(0.0),
        _ => e,
    }
}

/// Compares `run` with every observation that counts for the fit: inside the
/// model's years, not marked `fit: Some(false)`, and not zero.
/// Variables come in model order.
pub fn fit(model: &CompiledModel, run: &Run) -> Vec<VariableFit> {
    fit_years(model, run, i32::MIN..=i32::MAX)
}

/// [`fit`] on the observations of `years` only.
pub fn fit_years(
    model: &CompiledModel,
    run: &Run,
    years: std::ops::RangeInclusive<i32>,
) -> Vec<VariableFit> {
    let m = model.model();
    let mut out: Vec<VariableFit> = Vec::new();
    // Run variables, so an observation of one element (`exports[crm]`)
    // counts as one of a scalar does.
    for vi in 0..model.n_vars() {
        let id = &model.series(vi).id;
        let points: Vec<FitPoint> = m
            .observations
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                &o.variable == id
                    && o.fit != Some(false)
                    && o.value != 0.0
                    && years.contains(&o.year)
            })
            .filter_map(|(i, o)| {
                let value = run.value(vi, o.year)?;
                Some(FitPoint {
                    observation: i,
                    variable: id.clone(),
                    year: o.year,
                    observed: o.value,
                    model: value,
                    error: residual(o, value),
                })
            })
            .collect();
        if points.is_empty() {
            continue;
        }
        let mape_pct =
            100.0 * points.iter().map(|p| p.error.abs()).sum::<f64>() / points.len() as f64;
        out.push(VariableFit {
            variable: id.clone(),
            points,
            mape_pct,
        });
    }
    out
}
