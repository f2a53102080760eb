//! The time grid a run steps along (`Clock`), and what Runge-Kutta needs
//! beyond Euler's program (`Rk4`).

use super::codegen::{Compiled, VarKind};
use super::program::{Op, TAG_PREV};
use crate::model::def::{Method, Model, VariableKind};

/// Steps of `dt` from `start`: step `k` is at `start + k * dt` (computed,
/// not accumulated, so that times stay exact), `n_steps` of them after the
/// first, every `save_every`-th saved.
#[derive(Clone, Debug, PartialEq)]
pub struct Clock {
    pub start: f64,
    pub dt: f64,
    pub n_steps: usize,
    pub save_every: usize,
    pub method: Method,
}

impl Clock {
    /// The model's grid. An invalid time axis (which `validate` reports)
    /// gives a grid of one step per time unit, so that compiling goes on
    /// and finds the other problems.
    pub fn of(m: &Model) -> Clock {
        let t = &m.time;
        let dt = Some(t.step())
            .filter(|d| d.is_finite() && *d > 0.0)
            .unwrap_or(1.0);
        let span = f64::from(m.end_year) - f64::from(m.start_year);
        let steps = (span / dt).round();
        let n_steps = if (0.0..=crate::model::validate::MAX_STEPS).contains(&steps) {
            steps as usize
        } else {
            0
        };
        let every = (t.save_interval() / dt).round();
        Clock {
            start: f64::from(m.start_year),
            dt,
            n_steps,
            save_every: if every >= 1.0 && every.is_finite() {
                every as usize
            } else {
                1
            },
            method: t.method,
        }
    }

    /// The time of step `k`.
    pub fn time(&self, k: usize) -> f64 {
        self.start + k as f64 * self.dt
    }

    /// The saved steps' times.
    pub fn saved_times(&self) -> Vec<f64> {
        (0..=self.n_steps)
            .step_by(self.save_every)
            .map(|k| self.time(k))
            .collect()
    }
}

/// A stock as Runge-Kutta integrates it: its rate is the sum of its
/// inflows less its outflows, evaluated at each stage.
#[derive(Clone, Debug)]
pub(crate) struct RkStock {
    pub var: usize,
    pub inflows: Vec<usize>,
    pub outflows: Vec<usize>,
    pub non_negative: bool,
}

/// What a Runge-Kutta run needs: the stocks with their flows, and the
/// step program without the stocks (they are set by the integrator).
#[derive(Clone, Debug)]
pub(crate) struct Rk4 {
    pub stocks: Vec<RkStock>,
    pub aux_ops: Vec<Op>,
}

impl Rk4 {
    /// `None` for Euler. `link` builds a program of the variables that
    /// `skip` does not name (the stocks). Every stock is given by its flows
    /// (`validate` refuses a change under RK4), or is a hidden stock whose
    /// change is one flow's last value.
    pub(crate) fn new(
        m: &Model,
        clock: &Clock,
        step: &[Option<Compiled>],
        kinds: &[VarKind],
        link: impl FnOnce(&dyn Fn(usize) -> bool) -> Vec<Op>,
    ) -> Option<Rk4> {
        if clock.method != Method::Rk4 {
            return None;
        }
        let id = |name: &String| m.variables.iter().position(|v| &v.id == name);
        let stocks: Vec<RkStock> = kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| **k == VarKind::Stock)
            .filter_map(|(i, _)| match m.variables.get(i).map(|v| &v.kind) {
                Some(VariableKind::Stock {
                    inflows,
                    outflows,
                    non_negative,
                    ..
                }) => Some(RkStock {
                    var: i,
                    inflows: inflows.iter().filter_map(id).collect(),
                    outflows: outflows.iter().filter_map(id).collect(),
                    non_negative: *non_negative,
                }),
                Some(_) => None,
                None => hidden_flow(step[i].as_ref()?).map(|f| RkStock {
                    var: i,
                    inflows: vec![f],
                    outflows: Vec::new(),
                    non_negative: false,
                }),
            })
            .collect();
        let is_stock = |i: usize| kinds[i] == VarKind::Stock;
        Some(Rk4 {
            stocks,
            aux_ops: link(&is_stock),
        })
    }
}

/// A hidden stock's flow: its change is that variable's last value, and
/// nothing else (`hidden::last_years_change`).
fn hidden_flow(c: &Compiled) -> Option<usize> {
    (c.ops.is_empty() && c.result & TAG_PREV == TAG_PREV).then_some((c.result & !TAG_PREV) as usize)
}
