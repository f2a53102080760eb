//! Adding runs up: a percentile histogram per cell (a variable at a saved
//! time), the cell's finite extremes and samples, and how many runs met
//! each target. Memory does not grow with the number of runs; threads fill
//! their own accumulators and merge them.
//!
//! This is the innermost work of a Monte Carlo of every variable (each value
//! of every run passes here once), so the layout follows the order values
//! arrive in: a saved time's cells side by side, and the cells the pilot
//! found constant (the model's past, say) listed apart from the others, so
//! that a block of runs is checked against them without a histogram.

use super::block::{all_equal, bin_block};
use super::{BINS, BLOCK, Design, QUANTILES};
use crate::model::compile::CompiledModel;
use crate::model::sim::time_index;
use std::sync::atomic::{AtomicBool, Ordering};

/// One cell's histogram range and what it has seen.
#[derive(Clone, Copy, Debug)]
struct Cell {
    /// Where bin 0 starts, and bins per unit of the variable.
    lo: f64,
    iw: f64,
    /// Every pilot run gave this value: runs that give it again are only
    /// counted, not binned.
    constant: Option<f64>,
    /// Finite extremes and finite samples.
    min: f64,
    max: f64,
    n: u32,
}

impl Cell {
    /// Adds `xs` one value at a time (a block cut short, a value that is not
    /// finite, a constant cell's value that moved): marks the lanes whose
    /// value is not finite in `bad`.
    fn add_each(&mut self, xs: &[f64], hist: &mut [u32; BINS], bad: &mut [bool; BLOCK]) {
        let (mut mn, mut mx, mut n) = (self.min, self.max, 0);
        for (lane, &x) in xs.iter().enumerate() {
            if Some(x) == self.constant {
                n += 1;
            } else if x.is_finite() {
                let b = ((x - self.lo) * self.iw).clamp(0.0, (BINS - 1) as f64) as usize;
                hist[b.min(BINS - 1)] += 1;
                mn = mn.min(x);
                mx = mx.max(x);
                n += 1;
            } else {
                bad[lane] = true;
            }
        }
        self.min = mn;
        self.max = mx;
        self.n += n;
    }
}

/// Percentile histograms for chosen variables, every year, plus target hits.
/// Mergeable: threads fill their own and add them up.
#[derive(Clone, Debug)]
pub struct Accumulator {
    vars: Vec<usize>,
    n_years: usize,
    /// Year-major: cell `yi * vars.len() + k` is variable `vars[k]` at saved
    /// time `yi`; `BINS` counts per cell in `counts`.
    cells: Vec<Cell>,
    counts: Vec<u32>,
    /// Per saved time, the constant cells as (variable, k, value) and the
    /// others as (variable, k).
    fixed: Vec<Vec<(usize, usize, f64)>>,
    varied: Vec<Vec<(usize, usize)>>,
    /// Targets: (variable, year index, value) and how many runs met them.
    targets: Vec<Option<(usize, usize, f64)>>,
    hits: Vec<u32>,
    pub runs: usize,
    /// Runs with a value that is not a number in a tracked cell.
    pub nonfinite: usize,
}

impl Accumulator {
    /// An empty accumulator whose histogram ranges cover `[lo, hi]` per cell
    /// (year-major, widened by a quarter on each side).
    pub(super) fn with_ranges(
        model: &CompiledModel,
        vars: &[usize],
        ranges: &[(f64, f64)],
    ) -> Self {
        let n_years = model.times().len();
        let cells: Vec<Cell> = ranges.iter().map(|&r| cell_of(r)).collect();
        let (mut fixed, mut varied) = (vec![Vec::new(); n_years], vec![Vec::new(); n_years]);
        for (i, c) in cells.iter().enumerate() {
            let (yi, k) = (i / vars.len(), i % vars.len());
            match c.constant {
                Some(value) => fixed[yi].push((vars[k], k, value)),
                None => varied[yi].push((vars[k], k)),
            }
        }
        let m = model.model();
        let targets = m
            .targets
            .iter()
            .map(|t| {
                let v = model.var_index(&t.variable)?;
                let yi = time_index(model.times(), f64::from(t.year))?;
                Some((v, yi, t.value))
            })
            .collect();
        Accumulator {
            vars: vars.to_vec(),
            n_years,
            counts: vec![0; cells.len() * BINS],
            cells,
            fixed,
            varied,
            hits: vec![0; m.targets.len()],
            targets,
            runs: 0,
            nonfinite: 0,
        }
    }

    /// An empty accumulator with the same ranges and cells.
    /// (The counts are allocated zeroed, not copied and cleared: a thread
    /// that makes its own touches only the pages it bins into.)
    pub fn empty_like(&self) -> Self {
        let empty = |c: &Cell| Cell {
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            n: 0,
            ..*c
        };
        Accumulator {
            vars: self.vars.clone(),
            n_years: self.n_years,
            cells: self.cells.iter().map(empty).collect(),
            counts: vec![0; self.counts.len()],
            fixed: self.fixed.clone(),
            varied: self.varied.clone(),
            targets: self.targets.clone(),
            hits: vec![0; self.hits.len()],
            runs: 0,
            nonfinite: 0,
        }
    }

    /// Adds `other` (same ranges) to this one.
    pub fn merge(&mut self, other: &Accumulator) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.n += b.n;
            a.min = a.min.min(b.min);
            a.max = a.max.max(b.max);
        }
        for (a, b) in self.hits.iter_mut().zip(&other.hits) {
            *a += b;
        }
        self.runs += other.runs;
        self.nonfinite += other.nonfinite;
    }

    /// Runs samples `range` of `design` around `levers` and adds them up.
    /// Stops early (between blocks) when `cancel` is set.
    pub fn run(
        &mut self,
        model: &CompiledModel,
        levers: &[f64],
        design: &Design,
        range: std::ops::Range<usize>,
        cancel: Option<&AtomicBool>,
    ) {
        let mut regs: Vec<[f64; BLOCK]> = Vec::new();
        let mut block = vec![[0.0; BLOCK]; levers.len()];
        let mut sample = levers.to_vec();
        let mut start = range.start;
        while start < range.end {
            if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return;
            }
            let lanes = (range.end - start).min(BLOCK);
            design.fill_block(start, lanes, levers, &mut sample, &mut block);
            let mut bad = [false; BLOCK];
            model.run_lanes::<BLOCK>(
                &mut regs,
                |l, lane| block[l][lane],
                |yi, _, values| self.add_year(yi, values, lanes, &mut bad),
            );
            self.runs += lanes;
            self.nonfinite += bad[..lanes].iter().filter(|b| **b).count();
            start += lanes;
        }
    }

    /// Adds one saved time `yi` of a block of `lanes` runs (`values` per
    /// model slot, a value per lane); lanes with a value that is not finite
    /// are marked in `bad`.
    pub(super) fn add_year(
        &mut self,
        yi: usize,
        values: &[[f64; BLOCK]],
        lanes: usize,
        bad: &mut [bool; BLOCK],
    ) {
        let base = yi * self.vars.len();
        let (cells, counts) = (&mut self.cells[..], &mut self.counts[..]);
        if lanes < BLOCK {
            for (k, &v) in self.vars.iter().enumerate() {
                let (cell, hist) = cell_and_bins(cells, counts, base + k);
                cell.add_each(&values[v][..lanes], hist, bad);
            }
        } else {
            // A cell every pilot run gave the same value (the past): counted.
            for &(v, k, value) in &self.fixed[yi] {
                let (cell, hist) = cell_and_bins(cells, counts, base + k);
                if all_equal(&values[v], value) {
                    cell.n += BLOCK as u32;
                } else {
                    cell.add_each(&values[v], hist, bad);
                }
            }
            // The others, a whole block at a time when every value is finite.
            for &(v, k) in &self.varied[yi] {
                let (cell, hist) = cell_and_bins(cells, counts, base + k);
                if bin_block(
                    &values[v],
                    (cell.lo, cell.iw),
                    hist,
                    (&mut cell.min, &mut cell.max),
                ) {
                    cell.n += BLOCK as u32;
                } else {
                    cell.add_each(&values[v], hist, bad);
                }
            }
        }
        for (t, target) in self.targets.iter().enumerate() {
            if let Some((v, tyi, value)) = *target
                && tyi == yi
            {
                self.hits[t] += values[v][..lanes].iter().filter(|x| **x >= value).count() as u32;
            }
        }
    }

    /// The percentiles of one cell (5, 25, 50, 75, 95), `None` without samples.
    fn quantiles(&self, cell: usize) -> Option<[f64; 5]> {
        let Cell {
            lo,
            iw,
            constant,
            min: mut mn,
            max: mut mx,
            n,
        } = self.cells[cell];
        if n == 0 {
            return None;
        }
        // Runs equal to a constant cell's value were counted, not binned.
        let hist = &self.counts[cell * BINS..(cell + 1) * BINS];
        let binned: u32 = hist.iter().sum();
        let mut extra = (0, 0);
        if let Some(c) = constant
            && n > binned
        {
            mn = mn.min(c);
            mx = mx.max(c);
            let b = ((c - lo) * iw).clamp(0.0, (BINS - 1) as f64);
            extra = (b as usize, n - binned);
        }
        if mn == mx {
            return Some([mn; 5]);
        }
        let width = 1.0 / iw;
        let mut out = [0.0; 5];
        let mut q = 0;
        let mut cum = 0.0;
        for (b, &c) in hist.iter().enumerate() {
            let c = if b == extra.0 { c + extra.1 } else { c };
            let next = cum + c as f64;
            while q < 5 && next >= QUANTILES[q] * n as f64 && c > 0 {
                let f = (QUANTILES[q] * n as f64 - cum) / c as f64;
                out[q] = (lo + (b as f64 + f) * width).clamp(mn, mx);
                q += 1;
            }
            cum = next;
        }
        out[q..].fill(mx);
        Some(out)
    }

    /// What the histograms say: bands for every tracked cell (variable-major,
    /// as [`Summary`] keeps them), target odds.
    pub fn summary(&self) -> Summary {
        self.summary_on(1)
    }

    /// The same, the cells' percentiles split over `threads`.
    pub fn summary_on(&self, threads: usize) -> Summary {
        let (nk, ny) = (self.vars.len(), self.n_years);
        let cells = nk * ny;
        let band = |c: usize| self.quantiles((c % ny) * nk + c / ny);
        let bands = if threads <= 1 {
            (0..cells).map(band).collect()
        } else {
            let (band, per) = (&band, cells.div_ceil(threads));
            std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        let part = (t * per).min(cells)..((t + 1) * per).min(cells);
                        s.spawn(move || part.map(band).collect::<Vec<_>>())
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("a percentile thread panicked"))
                    .collect()
            })
        };
        Summary {
            runs: self.runs,
            vars: self.vars.clone(),
            n_years: ny,
            bands,
            target_prob: self
                .targets
                .iter()
                .zip(&self.hits)
                .map(|(t, &h)| {
                    t.filter(|_| self.runs > 0)
                        .map(|_| h as f64 / self.runs as f64)
                })
                .collect(),
            nonfinite: self.nonfinite,
        }
    }
}

/// Cell `i` and its bins.
fn cell_and_bins<'a>(
    cells: &'a mut [Cell],
    counts: &'a mut [u32],
    i: usize,
) -> (&'a mut Cell, &'a mut [u32; BINS]) {
    let bins = (&mut counts[i * BINS..(i + 1) * BINS])
        .try_into()
        .expect("a cell has BINS bins");
    (&mut cells[i], bins)
}

/// A cell whose histogram covers `[a, b]` widened by a quarter on each side
/// (a cell of no finite value, or `a == b`, a tiny range around `a`).
fn cell_of((a, b): (f64, f64)) -> Cell {
    let constant = (a == b && a.is_finite()).then_some(a);
    let (a, b) = if a.is_finite() && b.is_finite() && a <= b {
        (a, b)
    } else {
        (0.0, 0.0)
    };
    let span = (b - a).max(a.abs().max(1.0) * 1e-9);
    Cell {
        lo: a - 0.25 * span,
        iw: BINS as f64 / (1.5 * span),
        constant,
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
        n: 0,
    }
}

/// Percentile bands and target probabilities from a number of runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub runs: usize,
    /// The variables with bands, in the order asked.
    pub vars: Vec<usize>,
    pub n_years: usize,
    /// Per variable then year: the 5, 25, 50, 75 and 95th percentiles.
    pub bands: Vec<Option<[f64; 5]>>,
    /// Per model target: the share of runs that meet it (`None` when the
    /// target's variable or year is not in the model).
    pub target_prob: Vec<Option<f64>>,
    pub nonfinite: usize,
}

impl Summary {
    /// The bands of variable `var` (a model index), a `[p5..p95]` per year.
    pub fn bands_of(&self, var: usize) -> Option<&[Option<[f64; 5]>]> {
        let k = self.vars.iter().position(|&v| v == var)?;
        Some(&self.bands[k * self.n_years..(k + 1) * self.n_years])
    }
}
