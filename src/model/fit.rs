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
    for v in &m.variables {
        let Some(vi) = model.var_index(&v.id) else {
            continue;
        };
        let points: Vec<FitPoint> = m
            .observations
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                o.variable == v.id
                    && o.fit != Some(false)
                    && o.value != 0.0
                    && years.contains(&o.year)
            })
            .filter_map(|(i, o)| {
                let value = run.value(vi, o.year)?;
                Some(FitPoint {
                    observation: i,
                    variable: v.id.clone(),
                    year: o.year,
                    observed: o.value,
                    model: value,
                    error: (value - o.value) / o.value.abs(),
                })
            })
            .collect();
        if points.is_empty() {
            continue;
        }
        let mape_pct =
            100.0 * points.iter().map(|p| p.error.abs()).sum::<f64>() / points.len() as f64;
        out.push(VariableFit {
            variable: v.id.clone(),
            points,
            mape_pct,
        });
    }
    out
}
