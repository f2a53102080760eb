//! Running a compiled model: one lever set, or many at once (one lane each).

use super::compile::{Code, CompiledModel, Op, Table, YEAR_SLOT};
use super::expr::builtins::{floored_mod, safe_div, xidz};

/// A value that stopped being a number: reported, never plotted.
#[derive(Clone, Debug, PartialEq)]
pub struct RunProblem {
    pub var: usize,
    pub variable: String,
    pub year: i32,
    pub value: f64,
}

impl std::fmt::Display for RunProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.value.is_nan() {
            "is not a number (NaN)".to_string()
        } else {
            format!("is {} (a division by zero or an overflow)", self.value)
        };
        write!(f, "variable `{}` in {} {what}", self.variable, self.year)
    }
}

/// Every variable's value for every year of one run.
#[derive(Clone, Debug, Default)]
pub struct Run {
    years: Vec<i32>,
    n_vars: usize,
    /// Variable-major: `values[var * years.len() + year_index]`.
    values: Vec<f64>,
    /// The first non-finite value of each variable that has one, earliest first.
    pub problems: Vec<RunProblem>,
    scratch: Vec<[f64; 1]>,
}

impl PartialEq for Run {
    fn eq(&self, other: &Self) -> bool {
        self.years == other.years
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
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// One variable's values, a value per year.
    pub fn series(&self, var: usize) -> &[f64] {
        let n = self.years.len();
        &self.values[var * n..(var + 1) * n]
    }

    pub fn year_index(&self, year: i32) -> Option<usize> {
        let first = *self.years.first()?;
        let i = usize::try_from(year.checked_sub(first)?).ok()?;
        (i < self.years.len()).then_some(i)
    }

    pub fn value(&self, var: usize, year: i32) -> Option<f64> {
        Some(self.series(var)[self.year_index(year)?])
    }

    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// The run `t` of the way from `a` to `b` (0 gives `a`, 1 gives `b`),
    /// value by value: for animating from one scenario to the next. `None`
    /// when the two runs do not have the same variables and years.
    pub fn lerp(a: &Run, b: &Run, t: f64) -> Option<Run> {
        if a.years != b.years || a.n_vars != b.n_vars || a.values.len() != b.values.len() {
            return None;
        }
        let t = t.clamp(0.0, 1.0);
        Some(Run {
            years: b.years.clone(),
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
        if self.years != model.years {
            self.years = model.years.clone();
        }
        self.n_vars = model.n_vars;
        self.values.resize(model.n_vars * model.years.len(), 0.0);
        self.problems.clear();
    }
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
        regs.resize(self.n_slots(), [0.0; N]);
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
        let n_years = self.years.len();
        self.simulate_with::<N>(regs, |yi, year, values| {
            for (lane, out) in outs.iter_mut().enumerate() {
                let mut bad = false;
                for (v, x) in values.iter().enumerate() {
                    let x = x[lane];
                    out.values[v * n_years + yi] = x;
                    bad |= !x.is_finite();
                }
                if bad {
                    for (v, x) in values.iter().enumerate() {
                        let x = x[lane];
                        if !x.is_finite() && !out.problems.iter().any(|p| p.var == v) {
                            out.problems.push(RunProblem {
                                var: v,
                                variable: self.model.variables[v].id.clone(),
                                year,
                                value: x,
                            });
                        }
                    }
                }
            }
        });
    }

    /// Runs `N` lever sets together (lane `k` takes `lever(l, k)` for lever
    /// `l`), handing each year's values to `sink(year_index, year, values)`:
    /// one `[f64; N]` per variable, in model order. Nothing is allocated once
    /// `regs` has grown: the path for many samples (Monte Carlo), which keeps
    /// what it needs of each year and never a whole run.
    pub fn run_lanes<const N: usize>(
        &self,
        regs: &mut Vec<[f64; N]>,
        lever: impl Fn(usize, usize) -> f64,
        sink: impl FnMut(usize, i32, &[[f64; N]]),
    ) {
        self.prepare(regs, lever);
        self.simulate_with::<N>(regs, sink);
    }

    fn simulate_with<const N: usize>(
        &self,
        regs: &mut [[f64; N]],
        mut sink: impl FnMut(usize, i32, &[[f64; N]]),
    ) {
        let cur = self.cur_base();
        let prev = self.prev_base();
        // Runs see the model's variables; hidden ones follow them in the
        // slots and are carried to next year with them.
        let nv = self.n_vars;
        let all = nv + self.n_hidden;
        for (yi, &year) in self.years.iter().enumerate() {
            regs[YEAR_SLOT as usize] = [year as f64; N];
            for d in &self.data {
                regs[cur + d.var] = [d.values[yi]; N];
            }
            let ops = if yi == 0 {
                &self.init_ops
            } else {
                &self.step_ops
            };
            assert!(
                regs.len() > self.max_slot,
                "register file covers every slot"
            );
            // SAFETY: every slot an op names is <= max_slot (checked by the
            // compiler) and the register file is longer (asserted above).
            unsafe { exec::<N>(ops, regs, &self.tables) };
            sink(yi, year, &regs[cur..cur + nv]);
            regs.copy_within(cur..cur + all, prev);
        }
    }
}

/// Runs straight-line code over `N` lanes.
///
/// # Safety
/// Every slot named by an op (`dst`, `a`, and `b`/`c` where used) must be
/// within `r`, and every `Lookup` op's table index within `tables`. The
/// compiler checks both for the programs it builds (`CompiledModel::max_slot`);
/// the caller checks that the register file is long enough. Skipping the
/// bounds checks halves the instructions per op on this hot path.
#[inline(never)]
unsafe fn exec<const N: usize>(ops: &[Op], r: &mut [[f64; N]], tables: &[Table]) {
    macro_rules! get {
        ($i:expr) => {
            // SAFETY: see the function's contract.
            *unsafe { r.get_unchecked($i as usize) }
        };
    }
    macro_rules! set {
        ($i:expr, $v:expr) => {
            // SAFETY: see the function's contract.
            *unsafe { r.get_unchecked_mut($i as usize) } = $v
        };
    }
    macro_rules! un {
        ($op:expr, $f:expr) => {{
            let x = get!($op.a);
            let mut o = [0.0; N];
            for i in 0..N {
                o[i] = $f(x[i]);
            }
            set!($op.dst, o);
        }};
    }
    macro_rules! bin {
        ($op:expr, $f:expr) => {{
            let x = get!($op.a);
            let y = get!($op.b);
            let mut o = [0.0; N];
            for i in 0..N {
                o[i] = $f(x[i], y[i]);
            }
            set!($op.dst, o);
        }};
    }
    macro_rules! tri {
        ($op:expr, $f:expr) => {{
            let (x, y, z) = (get!($op.a), get!($op.b), get!($op.c));
            let mut o = [0.0; N];
            for i in 0..N {
                o[i] = $f(x[i], y[i], z[i]);
            }
            set!($op.dst, o);
        }};
    }
    let b = |c: bool| if c { 1.0 } else { 0.0 };
    for op in ops {
        match op.code {
            Code::Copy => set!(op.dst, get!(op.a)),
            Code::Add => bin!(op, |x, y| x + y),
            Code::Sub => bin!(op, |x, y| x - y),
            Code::Mul => bin!(op, |x, y| x * y),
            Code::Div => bin!(op, |x, y| x / y),
            Code::Pow => bin!(op, |x: f64, y| x.powf(y)),
            Code::Lt => bin!(op, |x, y| b(x < y)),
            Code::Le => bin!(op, |x, y| b(x <= y)),
            Code::Gt => bin!(op, |x, y| b(x > y)),
            Code::Ge => bin!(op, |x, y| b(x >= y)),
            Code::Eq => bin!(op, |x, y| b(x == y)),
            Code::Ne => bin!(op, |x, y| b(x != y)),
            Code::And => bin!(op, |x, y| b(x != 0.0 && y != 0.0)),
            Code::Or => bin!(op, |x, y| b(x != 0.0 || y != 0.0)),
            Code::Min => bin!(op, |x: f64, y| x.min(y)),
            Code::Max => bin!(op, |x: f64, y| x.max(y)),
            Code::Neg => un!(op, |x: f64| -x),
            Code::Not => un!(op, |x| b(x == 0.0)),
            Code::Abs => un!(op, |x: f64| x.abs()),
            Code::Exp => un!(op, |x: f64| x.exp()),
            Code::Ln => un!(op, |x: f64| x.ln()),
            Code::Sqrt => un!(op, |x: f64| x.sqrt()),
            Code::Round => un!(op, |x: f64| x.round()),
            Code::Floor => un!(op, |x: f64| x.floor()),
            Code::Mod => bin!(op, floored_mod),
            Code::Sin => un!(op, |x: f64| x.sin()),
            Code::Cos => un!(op, |x: f64| x.cos()),
            Code::Tan => un!(op, |x: f64| x.tan()),
            Code::Asin => un!(op, |x: f64| x.asin()),
            Code::Acos => un!(op, |x: f64| x.acos()),
            Code::Atan => un!(op, |x: f64| x.atan()),
            Code::Log10 => un!(op, |x: f64| x.log10()),
            Code::SafeDiv => tri!(op, safe_div),
            Code::Xidz => tri!(op, xidz),
            Code::Select => {
                let (c, x, y) = (get!(op.a), get!(op.b), get!(op.c));
                let mut o = [0.0; N];
                for i in 0..N {
                    o[i] = if c[i] != 0.0 { x[i] } else { y[i] };
                }
                set!(op.dst, o);
            }
            Code::Clamp => {
                let (x, lo, hi) = (get!(op.a), get!(op.b), get!(op.c));
                let mut o = [0.0; N];
                for i in 0..N {
                    o[i] = x[i].max(lo[i]).min(hi[i]);
                }
                set!(op.dst, o);
            }
            Code::MulDiv => {
                let (x, y, z) = (get!(op.a), get!(op.b), get!(op.c));
                let mut o = [0.0; N];
                for i in 0..N {
                    o[i] = x[i] * y[i] / z[i];
                }
                set!(op.dst, o);
            }
            Code::Add3 => {
                let (x, y, z) = (get!(op.a), get!(op.b), get!(op.c));
                let mut o = [0.0; N];
                for i in 0..N {
                    o[i] = x[i] + y[i] + z[i];
                }
                set!(op.dst, o);
            }
            Code::SelLt | Code::SelGe => {
                let (x, y, p, q) = (get!(op.a), get!(op.b), get!(op.c), get!(op.d));
                let lt = op.code == Code::SelLt;
                let mut o = [0.0; N];
                for i in 0..N {
                    let c = if lt { x[i] < y[i] } else { x[i] >= y[i] };
                    o[i] = if c { p[i] } else { q[i] };
                }
                set!(op.dst, o);
            }
            Code::Lookup => {
                // SAFETY: see the function's contract.
                let t = unsafe { tables.get_unchecked(op.b as usize) };
                un!(op, |x| t.eval(x))
            }
        }
    }
}
