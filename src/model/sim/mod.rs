//! Running a compiled model: one lever set, or many at once (one lane each).

mod backend;
mod exec;
#[cfg(feature = "jit")]
mod jit;
mod rk4;

use super::compile::{CompiledModel, YEAR_SLOT};
pub(crate) use backend::Natives;
pub use backend::{Backend, VM_RUNS};

/// A value that stopped being a number: reported, never plotted.
#[derive(Clone, Debug, PartialEq)]
pub struct RunProblem {
    pub var: usize,
    pub variable: String,
    /// The saved time it was found at (or the first saved time after the
    /// step it appeared in).
    pub time: f64,
    pub value: f64,
}

impl std::fmt::Display for RunProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.value.is_nan() {
            "is not a number (NaN)".to_string()
        } else {
            format!("is {} (a division by zero or an overflow)", self.value)
        };
        write!(
            f,
            "variable `{}` in {} {what}",
            self.variable,
            crate::numfmt::time(self.time)
        )
    }
}

/// Every variable's value at every saved time of one run.
#[derive(Clone, Debug, Default)]
pub struct Run {
    times: Vec<f64>,
    n_vars: usize,
    /// Variable-major: `values[var * times.len() + time_index]`.
    values: Vec<f64>,
    /// The first non-finite value of each variable that has one, earliest first.
    pub problems: Vec<RunProblem>,
    scratch: Vec<[f64; 1]>,
}

impl PartialEq for Run {
    fn eq(&self, other: &Self) -> bool {
        self.times == other.times
            && self.n_vars == other.n_vars
            && self.problems == other.problems
            && self.values.len() == other.values.len()
            && self
                .values
                .iter()
                .zip(&other.values)
                .all(|(a, b)| a.to_bits() == b.to_bits())
    }
}

impl Run {
    /// The saved times, in the model's time unit.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// One variable's values, a value per saved time.
    pub fn series(&self, var: usize) -> &[f64] {
        let n = self.times.len();
        &self.values[var * n..(var + 1) * n]
    }

    /// Where `time` is among the saved times (within a millionth of the
    /// save interval, so that 2030 is found after steps of 0.1).
    pub fn time_index(&self, time: f64) -> Option<usize> {
        time_index(&self.times, time)
    }

    /// `var`'s value at a saved time; `None` when `time` was not saved.
    pub fn value(&self, var: usize, time: impl Into<f64>) -> Option<f64> {
        Some(self.series(var)[self.time_index(time.into())?])
    }

    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// The run `t` of the way from `a` to `b` (0 gives `a`, 1 gives `b`),
    /// value by value: for animating from one scenario to the next. `None`
    /// when the two runs do not have the same variables and years.
    pub fn lerp(a: &Run, b: &Run, t: f64) -> Option<Run> {
        if a.times != b.times || a.n_vars != b.n_vars || a.values.len() != b.values.len() {
            return None;
        }
        let t = t.clamp(0.0, 1.0);
        Some(Run {
            times: b.times.clone(),
            n_vars: b.n_vars,
            values: a
                .values
                .iter()
                .zip(&b.values)
                .map(|(x, y)| if t >= 1.0 { *y } else { x + (y - x) * t })
                .collect(),
            problems: b.problems.clone(),
            scratch: Vec::new(),
        })
    }

    fn reset(&mut self, model: &CompiledModel) {
        if self.times != model.times {
            self.times = model.times.clone();
        }
        self.n_vars = model.n_vars;
        self.values.resize(model.n_vars * model.times.len(), 0.0);
        self.problems.clear();
    }
}

/// Where `time` is in `times` (increasing), within a millionth of their
/// spacing there. Evenly spaced times (every clock but one whose step
/// changes) are found at once; others by bisection.
pub fn time_index(times: &[f64], time: f64) -> Option<usize> {
    let first = *times.first()?;
    let step = if times.len() > 1 {
        times[1] - first
    } else {
        1.0
    };
    let k = ((time - first) / step).round();
    if k >= 0.0 && k < times.len() as f64 {
        let i = k as usize;
        if (times[i] - time).abs() <= 1e-6 * step {
            return Some(i);
        }
    }
    // Uneven times: the nearest of the two around `time`.
    let j = times.partition_point(|&t| t < time);
    let gap = |i: usize| {
        let before = i.checked_sub(1).map(|h| times[i] - times[h]);
        let after = times.get(i + 1).map(|t| t - times[i]);
        match (before, after) {
            (Some(b), Some(a)) => b.min(a),
            (Some(g), None) | (None, Some(g)) => g,
            (None, None) => 1.0,
        }
    };
    [j.checked_sub(1), Some(j)]
        .into_iter()
        .flatten()
        .filter(|&i| i < times.len())
        .find(|&i| (times[i] - time).abs() <= 1e-6 * gap(i))
}

/// Writes time `ti`'s value of every variable, lane `lane` of `values`, into
/// `series` (variable-major, `n_times` values each); says whether all are
/// finite. A function of its own so that the compiler knows the two do not
/// overlap: the loop is then a load and a store a variable.
fn save_column<const N: usize>(
    series: &mut [f64],
    (n_times, ti): (usize, usize),
    values: &[[f64; N]],
    lane: usize,
) -> bool {
    assert!(ti < n_times && lane < N && values.len() * n_times <= series.len());
    // x * 0 is ±0 for a finite x, NaN otherwise: the sum says if all are.
    let mut nonzero_if_not_finite = 0.0;
    for (v, x) in values.iter().enumerate() {
        let x = x[lane];
        // SAFETY: v < values.len() and ti < n_times, so the index is below
        // values.len() * n_times <= series.len() (asserted above).
        unsafe { *series.get_unchecked_mut(v * n_times + ti) = x };
        nonzero_if_not_finite += x * 0.0;
    }
    nonzero_if_not_finite == 0.0
}

/// Lever values in model order. A lever set shorter than the model's levers,
/// or a value outside a lever's range, is refused by `CompiledModel::levers_from`.
pub type LeverValues = [f64];

/// Lanes per batch step: eight lever sets advance through each instruction together.
pub const LANES: usize = 8;

impl CompiledModel {
    /// Runs once with `levers` (one value per lever, in model order).
    pub fn run(&self, levers: &LeverValues) -> Run {
        let mut run = Run::default();
        self.run_into(levers, &mut run);
        run
    }

    /// Runs into `out`, reusing its memory: no allocation after the first call.
    pub fn run_into(&self, levers: &LeverValues, out: &mut Run) {
        assert_eq!(
            levers.len(),
            self.n_levers,
            "one value per lever, in model order"
        );
        out.reset(self);
        self.count_single_run();
        let mut regs = std::mem::take(&mut out.scratch);
        self.prepare(&mut regs, |lever, _| levers[lever]);
        self.simulate::<1>(&mut regs, &mut [out]);
        out.scratch = regs;
    }

    /// Runs every lever set, [`LANES`] at a time through the same instructions.
    pub fn run_batch(&self, sets: &[&LeverValues]) -> Vec<Run> {
        let mut runs: Vec<Run> = sets.iter().map(|_| Run::default()).collect();
        let mut regs: Vec<[f64; LANES]> = Vec::new();
        for (chunk, outs) in sets.chunks(LANES).zip(runs.chunks_mut(LANES)) {
            for s in chunk {
                assert_eq!(
                    s.len(),
                    self.n_levers,
                    "one value per lever, in model order"
                );
            }
            // Spare lanes repeat the first set; their results are not kept.
            self.prepare(&mut regs, |lever, lane| {
                chunk[lane.min(chunk.len() - 1)][lever]
            });
            let mut outs: Vec<&mut Run> = outs.iter_mut().collect();
            for o in outs.iter_mut() {
                o.reset(self);
            }
            self.simulate::<LANES>(&mut regs, &mut outs);
        }
        runs
    }

    fn prepare<const N: usize>(
        &self,
        regs: &mut Vec<[f64; N]>,
        lever: impl Fn(usize, usize) -> f64,
    ) {
        regs.clear();
        regs.resize(self.n_slots() + self.rk4_extra(), [0.0; N]);
        for l in 0..self.n_levers {
            let slot = &mut regs[self.lever_base() + l];
            for (lane, x) in slot.iter_mut().enumerate() {
                *x = lever(l, lane);
            }
        }
        let cb = self.const_base();
        for (i, c) in self.consts.iter().enumerate() {
            regs[cb + i] = [*c; N];
        }
    }

    fn simulate<const N: usize>(&self, regs: &mut [[f64; N]], outs: &mut [&mut Run]) {
        let n_times = self.times.len();
        self.simulate_with::<N>(regs, |ti, time, values| {
            for (lane, out) in outs.iter_mut().enumerate() {
                if !save_column(&mut out.values, (n_times, ti), values, lane) {
                    for (v, x) in values.iter().enumerate() {
                        let x = x[lane];
                        if !x.is_finite() && !out.problems.iter().any(|p| p.var == v) {
                            out.problems.push(RunProblem {
                                var: v,
                                variable: self.series(v).id.clone(),
                                time,
                                value: x,
                            });
                        }
                    }
                }
            }
        });
    }

    /// Runs `N` lever sets together (lane `k` takes `lever(l, k)` for lever
    /// `l`), handing each saved time's values to `sink(time_index, time,
    /// values)`: one `[f64; N]` per variable, in model order. Nothing is
    /// allocated once `regs` has grown: the path for many samples (Monte
    /// Carlo), which keeps what it needs of each time and never a whole run.
    pub fn run_lanes<const N: usize>(
        &self,
        regs: &mut Vec<[f64; N]>,
        lever: impl Fn(usize, usize) -> f64,
        sink: impl FnMut(usize, f64, &[[f64; N]]),
    ) {
        self.prepare(regs, lever);
        self.simulate_with::<N>(regs, sink);
    }

    /// Steps along the clock: the first step runs the initial program,
    /// the others the step program (Euler) or the program without stocks
    /// between Runge-Kutta's updates; every `save_every`-th step goes to
    /// `sink`.
    fn simulate_with<const N: usize>(
        &self,
        regs: &mut [[f64; N]],
        mut sink: impl FnMut(usize, f64, &[[f64; N]]),
    ) {
        let cur = self.cur_base();
        let prev = self.prev_base();
        // Runs see the model's variables; hidden ones follow them in the
        // slots and are carried to the next step with them.
        let nv = self.n_vars;
        let all = nv + self.n_hidden;
        assert!(
            regs.len() > self.max_slot && regs.len() >= self.n_slots() + self.rk4_extra(),
            "register file covers every slot"
        );
        let clock = &self.clock;
        let mut saved = 0;
        for k in 0..=clock.n_steps {
            let time = clock.time(k);
            regs[YEAR_SLOT as usize] = [time; N];
            for d in &self.data {
                regs[cur + d.var] = [d.values[k]; N];
            }
            let ops = match (k, &self.rk4) {
                (0, _) => &self.init_ops,
                (_, Some(rk)) => &rk.aux_ops,
                (_, None) => &self.step_ops,
            };
            // SAFETY: every slot an op names is <= max_slot (checked by the
            // compiler) and the register file is longer (asserted above).
            unsafe { self.exec_program::<N>(ops, regs, time) };
            if clock.is_saved(k, saved) {
                sink(saved, time, &regs[cur..cur + nv]);
                saved += 1;
            }
            match &self.rk4 {
                Some(rk) if k < clock.n_steps => self.rk4_step(rk, regs, time),
                Some(_) => regs.copy_within(cur..cur + all, prev),
                // Only what the next step reads of this one.
                None => {
                    for r in &self.carried {
                        regs.copy_within(cur + r.start..cur + r.end, prev + r.start);
                    }
                }
            }
        }
    }
}
