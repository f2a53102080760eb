//! Calibration and hindcast: the lever values that best reproduce the
//! observations up to a chosen year (least squares on relative errors), the
//! fit they give, and how well they predict the observations after that year.

use super::compile::CompiledModel;
use super::fit::{VariableFit, fit_years};
use super::sim::Run;
use super::solve::least_squares;

/// The result of a calibration.
#[derive(Clone, Debug)]
pub struct Calibration {
    /// Every lever's value: the chosen ones fitted, the others as given.
    pub levers: Vec<f64>,
    pub chosen: Vec<usize>,
    /// Observations up to this year (included) were fitted.
    pub up_to: i32,
    /// The run with the fitted levers.
    pub run: Run,
    /// Fit on the observations used, per variable (MAPE in percent).
    pub fit: Vec<VariableFit>,
    /// The observations after `up_to`, which the calibration did not see:
    /// the hindcast's errors.
    pub holdout: Vec<VariableFit>,
    /// Model runs spent.
    pub runs: usize,
    /// The chosen levers a hindcast started from their prior
    /// (`Lever::prior`) rather than from the values given.
    pub from_prior: Vec<usize>,
}

/// Why a calibration could not start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalibrateError {
    /// No lever was chosen.
    NoLevers,
    /// No observation that counts for the fit is dated up to this year.
    NoObservations(i32),
}

impl std::fmt::Display for CalibrateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalibrateError::NoLevers => write!(f, "choose at least one lever to calibrate"),
            CalibrateError::NoObservations(y) => {
                write!(f, "no observation up to {y} counts for the fit")
            }
        }
    }
}

/// Weight of the pull towards the starting values, per lever range: small,
/// so that it only decides where the data say nothing (a lever that does not
/// act before `up_to` stays where it was).
const ANCHOR: f64 = 1e-3;

/// Fits the `chosen` levers to the observations dated up to `up_to`:
/// minimises the sum of squared relative errors (model - observed) /
/// observed, from the values in `levers`, within each lever's range. A
/// hindcast (`up_to` before the model's last observed year) starts each
/// chosen lever that has a prior from it: a shipped value fitted on the
/// later observations would otherwise carry them into the prediction
/// (and the pull towards the start would keep it where no earlier
/// observation moves it).
pub fn calibrate(
    model: &CompiledModel,
    levers: &[f64],
    chosen: &[usize],
    up_to: i32,
) -> Result<Calibration, CalibrateError> {
    let chosen: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|&l| l < model.levers().len())
        .collect();
    if chosen.is_empty() {
        return Err(CalibrateError::NoLevers);
    }
    // The points to fit: (variable slot, year, observation).
    let start = model.run(levers);
    let observations = &model.model().observations;
    let points: Vec<(usize, i32, usize)> = fit_years(model, &start, i32::MIN..=up_to)
        .iter()
        .flat_map(|f| {
            let v = model.var_index(&f.variable);
            f.points
                .iter()
                .filter_map(move |p| Some((v?, p.year, p.observation)))
        })
        .collect();
    if points.is_empty() {
        return Err(CalibrateError::NoObservations(up_to));
    }
    let range = |l: usize| {
        (
            model.levers()[l].min,
            model.levers()[l].max - model.levers()[l].min,
        )
    };
    let hindcast = up_to < model.model().last_observed_year;
    let prior = |l: usize| model.levers()[l].prior.filter(|_| hindcast);
    let from_prior: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|&l| prior(l).is_some())
        .collect();
    // Unknowns: each lever's position in its range, 0 to 1.
    let x0: Vec<f64> = chosen
        .iter()
        .map(|&l| {
            let (lo, w) = range(l);
            (prior(l).unwrap_or(levers[l]) - lo) / w
        })
        .collect();
    let mut all = levers.to_vec();
    let mut run = Run::default();
    let mut runs = 0;
    let set = |x: &[f64], all: &mut Vec<f64>| {
        for (k, &l) in chosen.iter().enumerate() {
            let (lo, w) = range(l);
            all[l] = (lo + x[k] * w).clamp(lo, lo + w);
        }
    };
    let x = least_squares(
        &x0,
        &vec![0.0; chosen.len()],
        &vec![1.0; chosen.len()],
        100,
        |x| {
            set(x, &mut all);
            model.run_into(&all, &mut run);
            runs += 1;
            points
                .iter()
                .map(|&(v, y, o)| match run.value(v, y) {
                    Some(val) if run.is_ok() => super::fit::residual(&observations[o], val),
                    _ => f64::NAN,
                })
                .chain(x.iter().zip(&x0).map(|(a, b)| ANCHOR * (a - b)))
                .collect()
        },
    );
    set(&x, &mut all);
    let run = model.run(&all);
    let fit = fit_years(model, &run, i32::MIN..=up_to);
    let holdout = fit_years(model, &run, up_to.saturating_add(1)..=i32::MAX);
    Ok(Calibration {
        levers: all,
        chosen,
        up_to,
        run,
        fit,
        holdout,
        runs: runs + 2,
        from_prior,
    })
}
