//! "What does it take?": the lever value that meets a target (goal seek),
//! the cheapest single lever (ranking), and the smallest joint move of
//! several levers that meets several targets.

use super::compile::CompiledModel;
use super::sim::Run;

/// The answer of a goal seek.
#[derive(Clone, Debug, PartialEq)]
pub struct Seek {
    pub lever: usize,
    /// The lever value found: meets the target where `reached`, else the
    /// value that comes closest within the lever's range.
    pub value: f64,
    /// The target variable's value in the target year with that lever value.
    pub achieved: f64,
    pub reached: bool,
    /// Model runs spent.
    pub runs: usize,
}

/// Relative precision of a goal seek on the target value.
pub const SEEK_TOLERANCE: f64 = 1e-5;

/// Intervals a goal seek first scans the lever's range in.
const SCAN: usize = 8;

struct Probe<'a> {
    model: &'a CompiledModel,
    levers: Vec<f64>,
    lever: usize,
    var: usize,
    year: i32,
    target: f64,
    run: Run,
    runs: usize,
}

impl Probe<'_> {
    /// value - target at lever value `x` (NaN when the run breaks).
    fn gap(&mut self, x: f64) -> f64 {
        self.levers[self.lever] = x;
        self.model.run_into(&self.levers, &mut self.run);
        self.runs += 1;
        match self.run.value(self.var, self.year) {
            Some(v) if self.run.is_ok() && v.is_finite() => v - self.target,
            _ => f64::NAN,
        }
    }
}

/// Finds the value of `lever` that makes target `target` met exactly (to
/// [`SEEK_TOLERANCE`]), with the other levers at `levers`. Within the
/// lever's range only; where no value meets it, the closest one.
pub fn goal_seek(
    model: &CompiledModel,
    levers: &[f64],
    target: usize,
    lever: usize,
) -> Option<Seek> {
    let m = model.model();
    let t = m.targets.get(target)?;
    let def = model.levers().get(lever)?;
    let var = model.var_index(&t.variable)?;
    let mut p = Probe {
        model,
        levers: levers.to_vec(),
        lever,
        var,
        year: t.year,
        target: t.value,
        run: Run::default(),
        runs: 0,
    };
    let tol = SEEK_TOLERANCE * t.value.abs().max(1e-12);

    // Scan the range for a sign change: the target may not be monotonic in the lever.
    let xs: Vec<f64> = (0..=SCAN)
        .map(|i| def.min + (def.max - def.min) * i as f64 / SCAN as f64)
        .collect();
    let gs: Vec<f64> = xs.iter().map(|&x| p.gap(x)).collect();
    // Prefer the bracket nearest the lever's current value.
    let current = levers[lever];
    let bracket = (0..SCAN)
        .filter(|&i| {
            gs[i].is_finite() && gs[i + 1].is_finite() && gs[i].signum() != gs[i + 1].signum()
                || gs[i] == 0.0
        })
        .min_by(|&a, &b| {
            let da = ((xs[a] + xs[a + 1]) / 2.0 - current).abs();
            let db = ((xs[b] + xs[b + 1]) / 2.0 - current).abs();
            da.total_cmp(&db)
        });
    let width = def.max - def.min;
    match bracket {
        Some(i) => bracketed(&mut p, [xs[i], xs[i + 1]], [gs[i], gs[i + 1]], tol, width),
        None => closest(&mut p, &xs, &gs, current, tol, width),
    }
}

/// No lever value meets the target: the closest point of the scan `xs`
/// (gaps `gs`), refined around it by golden-section search on |gap|.
fn closest(
    p: &mut Probe,
    xs: &[f64],
    gs: &[f64],
    current: f64,
    tol: f64,
    width: f64,
) -> Option<Seek> {
    // Unreachable: the closest point of the scan, refined around it.
    let best = (0..=SCAN)
        .filter(|&i| gs[i].is_finite())
        .min_by(|&a, &b| gs[a].abs().total_cmp(&gs[b].abs()))?;
    let (mut lo, mut hi) = (xs[best.saturating_sub(1)], xs[(best + 1).min(SCAN)]);
    // Golden-section search on |gap|.
    let phi = 0.618_033_988_749_895;
    let mut best_x = xs[best];
    let mut best_g = gs[best];
    // Where the lever makes no difference, its current value is as good as any.
    let g_current = p.gap(current);
    if g_current.is_finite() && g_current.abs() <= best_g.abs() + tol {
        return Some(Seek {
            lever: p.lever,
            value: current,
            achieved: g_current + p.target,
            reached: false,
            runs: p.runs,
        });
    }
    // Each step keeps one interior point and probes one new one.
    let mut c = hi - phi * (hi - lo);
    let mut d = lo + phi * (hi - lo);
    let (mut gc, mut gd) = (p.gap(c), p.gap(d));
    for _ in 0..40 {
        for (x, g) in [(c, gc), (d, gd)] {
            if g.is_finite() && g.abs() < best_g.abs() {
                best_x = x;
                best_g = g;
            }
        }
        if hi - lo < 1e-9 * width {
            break;
        }
        if gc.abs() < gd.abs() {
            hi = d;
            (d, gd) = (c, gc);
            c = hi - phi * (hi - lo);
            gc = p.gap(c);
        } else {
            lo = c;
            (c, gc) = (d, gd);
            d = lo + phi * (hi - lo);
            gd = p.gap(d);
        }
    }
    Some(Seek {
        lever: p.lever,
        value: best_x,
        achieved: best_g + p.target,
        reached: false,
        runs: p.runs,
    })
}

/// The value meeting the target between `x0` and `x1`, whose gaps have
/// opposite signs (or the first is zero): Illinois false position.
fn bracketed(
    p: &mut Probe,
    [x0, x1]: [f64; 2],
    [g0, g1]: [f64; 2],
    tol: f64,
    width: f64,
) -> Option<Seek> {
    let (mut a, mut b, mut ga, mut gb) = (x0, x1, g0, g1);
    if ga == 0.0 {
        b = a;
        gb = ga;
    }
    // The gaps at a and b as run (Illinois halves ga / gb to speed up).
    let (mut fa, mut fb) = (ga, gb);
    // Illinois false position: bracketing, superlinear.
    let mut side = 0;
    for _ in 0..200 {
        if fb.abs() <= tol || fa.abs() <= tol || (b - a).abs() <= 1e-12 * width {
            break;
        }
        let c = (a * gb - b * ga) / (gb - ga);
        let c = if c.is_finite() && c > a.min(b) && c < a.max(b) {
            c
        } else {
            (a + b) / 2.0
        };
        let gc = p.gap(c);
        if !gc.is_finite() {
            break;
        }
        if gc.signum() == gb.signum() {
            b = c;
            gb = gc;
            fb = gc;
            if side == -1 {
                ga /= 2.0;
            }
            side = -1;
        } else {
            a = c;
            ga = gc;
            fa = gc;
            if side == 1 {
                gb /= 2.0;
            }
            side = 1;
        }
    }
    // Of the two ends, the one that meets the target (gap >= 0), closest to it.
    let (ga, gb) = (fa, fb);
    let (x, g) = match (ga >= -tol, gb >= -tol) {
        (true, true) => {
            if ga.abs() <= gb.abs() {
                (a, ga)
            } else {
                (b, gb)
            }
        }
        (true, false) => (a, ga),
        (false, true) => (b, gb),
        (false, false) => {
            if ga.abs() <= gb.abs() {
                (a, ga)
            } else {
                (b, gb)
            }
        }
    };
    Some(Seek {
        lever: p.lever,
        value: x,
        achieved: g + p.target,
        reached: g.abs() <= tol || g >= 0.0,
        runs: p.runs,
    })
}

/// One lever's answer in a ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub seek: Seek,
    /// How far the value is from the lever's default, as a share of its range.
    pub move_frac: f64,
}

/// For one target, the value each policy lever alone would need, the
/// cheapest (smallest move from its default, relative to its range) first;
/// unreachable levers last, by how close they come. Calibration levers
/// (parameters of the past) are left out.
pub fn rank_levers(model: &CompiledModel, levers: &[f64], target: usize) -> Vec<Ranked> {
    let m = model.model();
    let mut out: Vec<Ranked> = (0..model.levers().len())
        .filter(|&l| !model.levers()[l].calibration)
        .filter_map(|l| {
            let seek = goal_seek(model, levers, target, l)?;
            let def = &model.levers()[l];
            let move_frac = (seek.value - def.default).abs() / (def.max - def.min);
            Some(Ranked { seek, move_frac })
        })
        .collect();
    let t = m.targets[target].value;
    out.sort_by(|a, b| {
        b.seek.reached.cmp(&a.seek.reached).then(if a.seek.reached {
            a.move_frac.total_cmp(&b.move_frac)
        } else {
            (a.seek.achieved - t)
                .abs()
                .total_cmp(&(b.seek.achieved - t).abs())
        })
    });
    out
}

/// The answer for several targets at once.
#[derive(Clone, Debug, PartialEq)]
pub struct Joint {
    /// All lever values (the chosen ones moved, the others as given).
    pub levers: Vec<f64>,
    /// Each target's value with those levers, in the order asked.
    pub achieved: Vec<f64>,
    /// The targets (model indices) still not met.
    pub unmet: Vec<usize>,
    pub runs: usize,
}

/// How far above each target [`meet_targets`] aims, as a share of it.
const AIM: f64 = 1e-5;

/// Moves `chosen` levers as little as possible (sum of squared changes, each
/// as a share of its range) so that every target in `targets` is met.
/// Targets that cannot be met together are listed in `unmet`, and the levers
/// come as close as they can. Levers stay within their ranges.
pub fn meet_targets(
    model: &CompiledModel,
    levers: &[f64],
    targets: &[usize],
    chosen: &[usize],
) -> Joint {
    let m = model.model();
    let n = chosen.len();
    let ranges: Vec<(f64, f64)> = chosen
        .iter()
        .map(|&l| (model.levers()[l].min, model.levers()[l].max))
        .collect();
    let base: Vec<f64> = chosen.iter().map(|&l| levers[l]).collect();
    let tvars: Vec<(Option<usize>, i32, f64)> = targets
        .iter()
        .map(|&t| {
            let t = &m.targets[t];
            (model.var_index(&t.variable), t.year, t.value)
        })
        .collect();
    let mut run = Run::default();
    let mut runs = 0;
    let mut all = levers.to_vec();
    // Shortfall of each target, as a share of the target (0 when met).
    let mut eval = |u: &[f64], all: &mut Vec<f64>| -> (Vec<f64>, Vec<f64>) {
        for (k, &l) in chosen.iter().enumerate() {
            let (lo, hi) = ranges[k];
            all[l] = (base[k] + u[k] * (hi - lo)).clamp(lo, hi);
        }
        model.run_into(all, &mut run);
        runs += 1;
        let values: Vec<f64> = tvars
            .iter()
            .map(|(v, y, _)| v.and_then(|v| run.value(v, *y)).unwrap_or(f64::NAN))
            .collect();
        let short = values
            .iter()
            .zip(&tvars)
            .map(|(v, (_, _, t))| {
                if v.is_finite() {
                    // Aimed a hair above the target: the penalty's optimum
                    // stops a hair short of what it aims at.
                    ((t + AIM * t.abs() - v) / t.abs().max(1e-12)).max(0.0)
                } else {
                    1.0
                }
            })
            .collect();
        (values, short)
    };
    // Penalty weight: a 1 % shortfall weighs like moving a lever its whole range, x100.
    const W: f64 = 1e6;
    // Unknowns: each lever's change as a share of its range, kept in range.
    let lo: Vec<f64> = (0..n)
        .map(|k| (ranges[k].0 - base[k]) / (ranges[k].1 - ranges[k].0))
        .collect();
    let hi: Vec<f64> = (0..n)
        .map(|k| (ranges[k].1 - base[k]) / (ranges[k].1 - ranges[k].0))
        .collect();
    let u = least_squares(&vec![0.0; n], &lo, &hi, 60, |u| {
        let (_, s) = eval(u, &mut all);
        u.iter()
            .copied()
            .chain(s.iter().map(|x| W.sqrt() * x))
            .collect()
    });
    let (mut achieved, mut s) = eval(&u, &mut all);
    // The penalty's optimum may still stop a hair short of a target it
    // nearly meets: the move is stretched along its own direction, a little
    // more each time, until every target is met (or the tries run out).
    let short = |s: &[f64]| s.iter().any(|&x| x > AIM && x <= 1e-3 + AIM);
    if short(&s) {
        let met = |s: &[f64]| s.iter().all(|&x| x <= AIM);
        let mut stretch = 1e-4;
        let mut found = false;
        while !found && stretch < 0.1 {
            let v: Vec<f64> = (0..n)
                .map(|k| (u[k] * (1.0 + stretch)).clamp(lo[k], hi[k]))
                .collect();
            (achieved, s) = eval(&v, &mut all);
            found = met(&s);
            stretch *= 2.0;
        }
        if !found {
            (achieved, s) = eval(&u, &mut all);
        }
    }
    let unmet = targets
        .iter()
        .zip(&s)
        .filter(|(_, sj)| **sj > 1e-3 + AIM)
        .map(|(t, _)| *t)
        .collect();
    Joint {
        levers: all,
        achieved,
        unmet,
        runs,
    }
}

/// Bounded Levenberg-Marquardt: the `x` within `[lo, hi]` (per coordinate)
/// that minimises the sum of squares of `residuals(x)`, from `x0`, in at most
/// `max_iter` steps. The Jacobian comes from forward differences, so `x`
/// should be scaled to about unit size. Non-finite residuals reject a step.
pub(crate) fn least_squares(
    x0: &[f64],
    lo: &[f64],
    hi: &[f64],
    max_iter: usize,
    mut residuals: impl FnMut(&[f64]) -> Vec<f64>,
) -> Vec<f64> {
    let n = x0.len();
    let cost = |r: &[f64]| -> f64 {
        let c: f64 = r.iter().map(|x| x * x).sum();
        if c.is_finite() { c } else { f64::INFINITY }
    };
    let mut x = x0.to_vec();
    let mut r = residuals(&x);
    let mut c = cost(&r);
    let mut lambda = 1e-3;
    if n == 0 || !c.is_finite() {
        return x;
    }
    for _ in 0..max_iter {
        // Forward differences, stepping inwards at the upper bound.
        let mut jac = vec![vec![0.0; n]; r.len()];
        for k in 0..n {
            let h = if x[k] + 1e-4 <= hi[k] { 1e-4 } else { -1e-4 };
            let mut xk = x.clone();
            xk[k] += h;
            let rk = residuals(&xk);
            for (j, row) in jac.iter_mut().enumerate() {
                let d = (rk[j] - r[j]) / h;
                row[k] = if d.is_finite() { d } else { 0.0 };
            }
        }
        // Normal equations (J^T J + lambda diag) dx = -J^T r.
        let mut a = vec![vec![0.0; n]; n];
        let mut g = vec![0.0; n];
        for k in 0..n {
            for q in 0..n {
                a[k][q] = jac.iter().map(|row| row[k] * row[q]).sum::<f64>();
            }
            g[k] = jac.iter().zip(&r).map(|(row, rj)| row[k] * rj).sum::<f64>();
        }
        let mut improved = false;
        for _ in 0..8 {
            let mut ad = a.clone();
            for (k, row) in ad.iter_mut().enumerate() {
                // Marquardt's scaling, floored so that a flat direction stays solvable.
                row[k] += lambda * row[k].max(1e-6);
            }
            let Some(dx) = solve_linear(ad, g.iter().map(|x| -x).collect()) else {
                lambda *= 10.0;
                continue;
            };
            let xn: Vec<f64> = (0..n).map(|k| (x[k] + dx[k]).clamp(lo[k], hi[k])).collect();
            let rn = residuals(&xn);
            let cn = cost(&rn);
            if cn < c {
                let done = (c - cn) < 1e-12 * c.max(1e-12);
                x = xn;
                r = rn;
                c = cn;
                lambda = (lambda / 3.0).max(1e-9);
                improved = !done;
                break;
            }
            lambda *= 10.0;
        }
        if !improved {
            break;
        }
    }
    x
}

/// Gaussian elimination with partial pivoting; `None` when singular.
fn solve_linear(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let piv = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[piv][col].abs() < 1e-14 {
            return None;
        }
        a.swap(col, piv);
        b.swap(col, piv);
        let pivot_row = a[col].clone();
        for row in col + 1..n {
            let f = a[row][col] / pivot_row[col];
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| a[i][k] * x[k]).sum();
        x[i] = (b[i] - s) / a[i][i];
    }
    Some(x)
}
