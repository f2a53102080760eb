//! Uncertainty: Monte Carlo with Latin hypercube sampling, percentile bands
//! kept as histograms (memory does not grow with the number of runs), the
//! probability of meeting each target, and sensitivity (tornado, Sobol).
//!
//! A lever's `uncertainty` describes it around the lever's default; when the
//! lever is moved, its distribution moves with it (shifted, or scaled for a
//! lognormal), and samples stay within the lever's range.
//!
//! Samples are drawn with a generator written here (SplitMix64), so that a
//! seed gives the same bands in every build, whatever crate versions change.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::compile::CompiledModel;
pub use super::def::Distribution;
use super::sim::time_index;

mod block;

/// Samples that advance together through each instruction.
pub const BLOCK: usize = 16;
/// Runs in the first estimate (and the histograms' ranges come from them).
pub const PILOT: usize = 256;
/// Bins of each percentile histogram.
pub const BINS: usize = 512;
/// The percentiles kept: 5, 25, 50, 75, 95.
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

// ---------------------------------------------------------------- sampling

/// SplitMix64's step: Monte Carlo's samples and the random functions
/// (`expr::random::Stream`) mix with it.
pub(crate) fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform number in [0, 1) for (seed, stream, index): random access, so
/// that results do not depend on how the runs are split between threads.
fn unit(seed: u64, stream: u64, index: u64) -> f64 {
    let h = splitmix(splitmix(seed ^ stream.wrapping_mul(0xD6E8_FEB8_6659_FD93)) ^ index);
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A random permutation of 0..n (Fisher-Yates).
fn permutation(n: usize, seed: u64, stream: u64) -> Vec<u32> {
    let mut p: Vec<u32> = (0..n as u32).collect();
    for i in (1..n).rev() {
        let j = (unit(seed, stream, i as u64) * (i + 1) as f64) as usize;
        p.swap(i, j.min(i));
    }
    p
}

/// The standard normal quantile (Acklam's algorithm, relative error < 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// The standard normal distribution function (erfc, W. J. Cody's rational
/// approximation as in Numerical Recipes: relative error < 1.2e-7).
pub fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let erfc = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

impl Distribution {
    /// The value below which a share `p` of the distribution lies, bounds
    /// (`lo`, `hi`) applied by truncation.
    pub fn quantile(&self, p: f64) -> f64 {
        let p = p.clamp(0.0, 1.0);
        match *self {
            Distribution::Normal { mean, sd, lo, hi } => {
                let a = lo.map_or(0.0, |lo| normal_cdf((lo - mean) / sd));
                let b = hi.map_or(1.0, |hi| normal_cdf((hi - mean) / sd));
                let x = mean + sd * normal_quantile(a + p * (b - a));
                clamp_opt(x, lo, hi)
            }
            Distribution::LogNormal {
                median,
                sigma,
                lo,
                hi,
            } => {
                let z = |x: Option<f64>, none: f64| {
                    x.map_or(none, |x| {
                        if x <= 0.0 {
                            0.0
                        } else {
                            normal_cdf((x / median).ln() / sigma)
                        }
                    })
                };
                let (a, b) = (z(lo, 0.0), z(hi, 1.0));
                let x = median * (sigma * normal_quantile(a + p * (b - a))).exp();
                clamp_opt(x, lo, hi)
            }
            Distribution::Triangular { lo, mode, hi } => {
                let f = (mode - lo) / (hi - lo);
                if p < f {
                    lo + (p * (hi - lo) * (mode - lo)).sqrt()
                } else {
                    hi - ((1.0 - p) * (hi - lo) * (hi - mode)).sqrt()
                }
            }
            Distribution::Uniform { lo, hi } => lo + p * (hi - lo),
        }
    }
}

fn clamp_opt(x: f64, lo: Option<f64>, hi: Option<f64>) -> f64 {
    let x = lo.map_or(x, |lo| x.max(lo));
    hi.map_or(x, |hi| x.min(hi))
}

/// One uncertain lever's column of the design.
#[derive(Clone, Debug)]
struct Column {
    lever: usize,
    default: f64,
    lognormal: bool,
    min: f64,
    max: f64,
    /// Samples around the default, before the move and the range.
    base: Vec<f64>,
}

/// Whether any lever of `model` is uncertain: what Monte Carlo varies.
pub fn has_uncertainty(model: &CompiledModel) -> bool {
    model.levers().iter().any(|l| l.uncertainty.is_some())
}

/// A Latin hypercube design over the model's uncertain levers: `runs`
/// samples, each lever's range of probability cut in `runs` equal strata,
/// each stratum used once, in an order shuffled per lever.
#[derive(Clone, Debug)]
pub struct Design {
    pub seed: u64,
    pub runs: usize,
    columns: Vec<Column>,
}

impl Design {
    pub fn new(model: &CompiledModel, seed: u64, runs: usize) -> Design {
        Design::with_stream(model, seed, runs, 0)
    }

    /// A design from stream `stream` of `seed` (independent designs for Sobol).
    fn with_stream(model: &CompiledModel, seed: u64, runs: usize, stream: u64) -> Design {
        let m = model.model();
        let columns = model
            .levers()
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let d = l.uncertainty.as_ref()?;
                // The elements of an arrayed lever share their draws: one
                // uncertain quantity, each element moved with its value.
                let of = model.lever_series(i).lever;
                let s = stream * 1_000 + of as u64;
                let perm = permutation(runs, seed, 2 * s + 1);
                let base = (0..runs)
                    .map(|k| {
                        let u = (perm[k] as f64 + unit(seed, 2 * s, k as u64)) / runs as f64;
                        d.quantile(u)
                    })
                    .collect();
                Some(Column {
                    lever: i,
                    // The distribution is around the model lever's default.
                    default: m.levers[of].default,
                    lognormal: matches!(d, Distribution::LogNormal { .. }),
                    min: l.min,
                    max: l.max,
                    base,
                })
            })
            .collect();
        Design {
            seed,
            runs,
            columns,
        }
    }

    /// The levers that vary, in model order.
    pub fn uncertain_levers(&self) -> Vec<usize> {
        self.columns.iter().map(|c| c.lever).collect()
    }

    /// Sample `i`'s value of column `c`, moved with the lever's current value.
    fn value(&self, c: usize, i: usize, current: f64) -> f64 {
        let col = &self.columns[c];
        moved_with_lever(
            col.base[i],
            col.lognormal,
            col.default,
            current,
            col.min..=col.max,
        )
    }

    /// Fills `block` with samples `start..start + lanes`, one per lane;
    /// spare lanes repeat the block's first sample (their results are not kept).
    fn fill_block(
        &self,
        start: usize,
        lanes: usize,
        levers: &[f64],
        sample: &mut [f64],
        block: &mut [[f64; BLOCK]],
    ) {
        for lane in 0..BLOCK {
            self.sample(start + if lane < lanes { lane } else { 0 }, levers, sample);
            for (row, x) in block.iter_mut().zip(sample.iter()) {
                row[lane] = *x;
            }
        }
    }

    /// Every lever's value for sample `i`: `levers` with the uncertain ones drawn.
    pub fn sample(&self, i: usize, levers: &[f64], out: &mut [f64]) {
        out.copy_from_slice(levers);
        for c in 0..self.columns.len() {
            let l = self.columns[c].lever;
            out[l] = self.value(c, i, levers[l]);
        }
    }
}

/// A value `x` drawn around a lever's `default`, moved with the lever to
/// `current` (shifted, or scaled for a lognormal) and kept within `range`.
fn moved_with_lever(
    x: f64,
    lognormal: bool,
    default: f64,
    current: f64,
    range: std::ops::RangeInclusive<f64>,
) -> f64 {
    let moved = if lognormal && default > 0.0 {
        x * current / default
    } else {
        x + current - default
    };
    moved.clamp(*range.start(), *range.end())
}

// ------------------------------------------------------------- accumulating

mod accumulate;
pub use accumulate::{Accumulator, Summary};

/// The first estimate: the design's first [`PILOT`] runs, which also set the
/// histograms' ranges for the rest.
pub fn pilot(
    model: &CompiledModel,
    levers: &[f64],
    design: &Design,
    vars: &[usize],
) -> Accumulator {
    let mut acc = pilot_ranges(model, levers, design, vars, 1);
    acc.run(model, levers, design, 0..PILOT.min(design.runs), None);
    acc
}

/// An empty accumulator whose histograms' ranges the design's first
/// [`PILOT`] runs set (each cell's extremes over them), its blocks split
/// over `threads`.
fn pilot_ranges(
    model: &CompiledModel,
    levers: &[f64],
    design: &Design,
    vars: &[usize],
    threads: usize,
) -> Accumulator {
    let n = PILOT.min(design.runs);
    let blocks = n.div_ceil(BLOCK);
    let threads = threads.clamp(1, blocks.max(1));
    let per = blocks.div_ceil(threads) * BLOCK;
    let parts: Vec<Vec<(f64, f64)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let runs = (t * per).min(n)..((t + 1) * per).min(n);
                s.spawn(move || extremes(model, levers, design, vars, runs))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a pilot thread panicked"))
            .collect()
    });
    let mut ranges = parts[0].clone();
    for part in &parts[1..] {
        for (r, p) in ranges.iter_mut().zip(part) {
            r.0 = r.0.min(p.0);
            r.1 = r.1.max(p.1);
        }
    }
    Accumulator::with_ranges(model, vars, &ranges)
}

/// Each cell's finite extremes over the design's runs `runs` (year-major,
/// as the accumulator keeps its cells).
fn extremes(
    model: &CompiledModel,
    levers: &[f64],
    design: &Design,
    vars: &[usize],
    runs: std::ops::Range<usize>,
) -> Vec<(f64, f64)> {
    let n_years = model.times().len();
    let mut ranges = vec![(f64::INFINITY, f64::NEG_INFINITY); vars.len() * n_years];
    let mut regs: Vec<[f64; BLOCK]> = Vec::new();
    let mut block = vec![[0.0; BLOCK]; levers.len()];
    let mut sample = levers.to_vec();
    let mut start = runs.start;
    while start < runs.end {
        let lanes = (runs.end - start).min(BLOCK);
        design.fill_block(start, lanes, levers, &mut sample, &mut block);
        model.run_lanes::<BLOCK>(
            &mut regs,
            |l, lane| block[l][lane],
            |yi, _, values| {
                for (k, &v) in vars.iter().enumerate() {
                    let r = &mut ranges[yi * vars.len() + k];
                    for &x in &values[v][..lanes] {
                        if x.is_finite() {
                            r.0 = r.0.min(x);
                            r.1 = r.1.max(x);
                        }
                    }
                }
            },
        );
        start += lanes;
    }
    ranges
}

/// A whole Monte Carlo: the pilot's ranges, then every run split over
/// `threads` (the pilot's runs among them: the same sums as adding them
/// first, with less done on one thread alone).
pub fn monte_carlo(
    model: &CompiledModel,
    levers: &[f64],
    design: &Design,
    vars: &[usize],
    threads: usize,
) -> Summary {
    let runs = design.runs;
    let threads = threads.clamp(1, 64).min(runs.div_ceil(BLOCK).max(1));
    let acc = pilot_ranges(model, levers, design, vars, threads);
    let per = runs.div_ceil(threads);
    let mut parts: Vec<Accumulator> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let acc = &acc;
                let a = (t * per).min(runs);
                let b = (a + per).min(runs);
                s.spawn(move || {
                    let mut part = acc.empty_like();
                    part.run(model, levers, design, a..b, None);
                    part
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a Monte Carlo thread panicked"))
            .collect()
    });
    // The first thread's part takes the others in (the pilot's empty
    // accumulator, never written, stays untouched).
    let mut all = parts.remove(0);
    for p in &parts {
        all.merge(p);
    }
    all.summary_on(threads)
}

/// The threads to use: every core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

// ------------------------------------------------------------ in background

/// A Monte Carlo refined in the background: the pilot is ready at once, the
/// rest arrives chunk by chunk from worker threads. Dropping it (or
/// [`McJob::cancel`]) stops the workers at their next chunk.
pub struct McJob {
    shared: Arc<Mutex<Accumulator>>,
    done: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
    total: usize,
    /// Runs merged when `summary` was last computed.
    seen: usize,
}

/// Runs per chunk a worker adds up before merging.
const CHUNK: usize = 512;

impl McJob {
    /// Starts `design.runs` runs around `levers`; the first estimate (pilot)
    /// is computed before this returns.
    pub fn start(
        model: Arc<CompiledModel>,
        levers: Vec<f64>,
        design: Arc<Design>,
        vars: &[usize],
        threads: usize,
    ) -> McJob {
        let acc = pilot(&model, &levers, &design, vars);
        let first = acc.runs;
        let template = acc.empty_like();
        let shared = Arc::new(Mutex::new(acc));
        let done = Arc::new(AtomicUsize::new(first));
        let cancel = Arc::new(AtomicBool::new(false));
        let next = Arc::new(AtomicUsize::new(first));
        let total = design.runs;
        for _ in 0..threads.max(1) {
            let (model, levers, design) = (model.clone(), levers.clone(), design.clone());
            let (shared, done, cancel, next) =
                (shared.clone(), done.clone(), cancel.clone(), next.clone());
            let mut part = template.clone();
            std::thread::spawn(move || {
                loop {
                    let a = next.fetch_add(CHUNK, Ordering::Relaxed);
                    if a >= total || cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    let b = (a + CHUNK).min(total);
                    part.run(&model, &levers, &design, a..b, Some(&cancel));
                    if cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    if let Ok(mut acc) = shared.lock() {
                        acc.merge(&part);
                    }
                    done.fetch_add(b - a, Ordering::Relaxed);
                    part = part.empty_like();
                }
            });
        }
        McJob {
            shared,
            done,
            cancel,
            total,
            seen: 0,
        }
    }

    /// Runs merged so far, and the total.
    pub fn progress(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed).min(self.total),
            self.total,
        )
    }

    pub fn is_done(&self) -> bool {
        self.progress().0 >= self.total
    }

    /// The bands from every run merged so far, when more arrived since the
    /// last call (`None` otherwise).
    pub fn fresh_summary(&mut self) -> Option<Summary> {
        let acc = self.shared.lock().ok()?;
        if acc.runs == self.seen {
            return None;
        }
        self.seen = acc.runs;
        Some(acc.summary())
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

impl Drop for McJob {
    fn drop(&mut self) {
        self.cancel();
    }
}

// ------------------------------------------------------------- sensitivity

/// One lever's bar of a tornado chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub lever: usize,
    /// The lever's low and high ends: its 5th and 95th percentiles where it
    /// is uncertain, else its range.
    pub low: f64,
    pub high: f64,
    /// The output with the lever at its low and at its high end.
    pub out_low: f64,
    pub out_high: f64,
}

/// The output `var` in `year` as each lever goes from its low to its high
/// end, the others held at `levers`; widest swing first. Calibration levers
/// without an uncertainty are left out (they set the past, not a choice).
pub fn tornado(model: &CompiledModel, levers: &[f64], var: usize, year: i32) -> (f64, Vec<Bar>) {
    let m = model.model();
    let out = |ls: &[f64]| {
        let r = model.run(ls);
        r.value(var, year).unwrap_or(f64::NAN)
    };
    let base = out(levers);
    let mut bars: Vec<Bar> = model
        .levers()
        .iter()
        .enumerate()
        .filter(|(_, l)| l.uncertainty.is_some() || !l.calibration)
        .map(|(i, l)| {
            let (low, high) = match &l.uncertainty {
                Some(d) => {
                    let lognormal = matches!(d, Distribution::LogNormal { .. });
                    // Around the model lever's default (an element's may differ).
                    let centre = m.levers[model.lever_series(i).lever].default;
                    let moved =
                        |x: f64| moved_with_lever(x, lognormal, centre, levers[i], l.min..=l.max);
                    (moved(d.quantile(0.05)), moved(d.quantile(0.95)))
                }
                None => (l.min, l.max),
            };
            let mut ls = levers.to_vec();
            ls[i] = low;
            let out_low = out(&ls);
            ls[i] = high;
            let out_high = out(&ls);
            Bar {
                lever: i,
                low,
                high,
                out_low,
                out_high,
            }
        })
        .collect();
    let swing = |b: &Bar| {
        let s = (b.out_high - b.out_low).abs();
        if s.is_finite() { s } else { -1.0 }
    };
    bars.sort_by(|a, b| swing(b).total_cmp(&swing(a)));
    (base, bars)
}

/// Variance-based sensitivity of one output to each uncertain lever.
#[derive(Clone, Debug, PartialEq)]
pub struct Sobol {
    pub levers: Vec<usize>,
    /// First-order index: the share of the output's variance this lever
    /// explains alone.
    pub first: Vec<f64>,
    /// Total index: the share it explains with all its interactions.
    pub total: Vec<f64>,
    pub variance: f64,
    pub runs: usize,
}

/// Sobol indices of `var` in `year` (Saltelli's design and first-order
/// estimator, Jansen's total-order one) from `n` base samples: `n * (k + 2)`
/// runs for `k` uncertain levers. `None` without an uncertain lever, or when
/// a run gives a value that is not a number.
pub fn sobol(
    model: &CompiledModel,
    levers: &[f64],
    var: usize,
    year: i32,
    n: usize,
    seed: u64,
) -> Option<Sobol> {
    let yi = time_index(model.times(), f64::from(year))?;
    let a = Design::with_stream(model, seed, n, 1);
    let b = Design::with_stream(model, seed, n, 2);
    let cols = a.uncertain_levers();
    let k = cols.len();
    if k == 0 || n < 2 {
        return None;
    }
    // Matrix j of n rows: 0 = A, 1 = B, 2 + c = A with column c from B.
    let total = n * (k + 2);
    let mut outputs = vec![0.0; total];
    let mut regs: Vec<[f64; BLOCK]> = Vec::new();
    let mut block = vec![[0.0; BLOCK]; levers.len()];
    let mut sa = levers.to_vec();
    let mut sb = levers.to_vec();
    let mut start = 0;
    while start < total {
        let lanes = (total - start).min(BLOCK);
        for lane in 0..BLOCK {
            let idx = start + lane.min(lanes - 1);
            let (mat, row) = (idx / n, idx % n);
            a.sample(row, levers, &mut sa);
            b.sample(row, levers, &mut sb);
            for (l, row) in block.iter_mut().enumerate() {
                row[lane] = match mat {
                    0 => sa[l],
                    1 => sb[l],
                    c if cols[c - 2] == l => sb[l],
                    _ => sa[l],
                };
            }
        }
        model.run_lanes::<BLOCK>(
            &mut regs,
            |l, lane| block[l][lane],
            |y, _, values| {
                if y == yi {
                    outputs[start..start + lanes].copy_from_slice(&values[var][..lanes]);
                }
            },
        );
        start += lanes;
    }
    // A run that breaks (a division by zero) leaves no meaningful variance.
    if outputs.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let fa = &outputs[..n];
    let fb = &outputs[n..2 * n];
    let all = fa.iter().chain(fb);
    let mean = all.clone().sum::<f64>() / (2 * n) as f64;
    let variance = all.map(|x| (x - mean).powi(2)).sum::<f64>() / (2 * n - 1) as f64;
    let (mut first, mut tot) = (Vec::with_capacity(k), Vec::with_capacity(k));
    for c in 0..k {
        let fab = &outputs[(2 + c) * n..(3 + c) * n];
        // Saltelli (2010): exactly 0 for a lever that changes nothing.
        let s = (0..n).map(|i| fb[i] * (fab[i] - fa[i])).sum::<f64>() / n as f64;
        // Jansen (1999).
        let t = (0..n).map(|i| (fa[i] - fab[i]).powi(2)).sum::<f64>() / (2 * n) as f64;
        if variance > 0.0 {
            first.push(s / variance);
            tot.push(t / variance);
        } else {
            first.push(0.0);
            tot.push(0.0);
        }
    }
    Some(Sobol {
        levers: cols,
        first,
        total: tot,
        variance,
        runs: total,
    })
}
