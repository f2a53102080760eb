//! The random functions' draws (`random_*`), in one place: which
//! distribution each built-in draws from, its parameters, and the draw
//! itself, a function of the call's arguments, a stream key and the
//! step's time, so that the simulator (`Code::Draw`), every lane of a
//! batch and the published page's JavaScript (`runtime.js`, `drw`) give
//! the same numbers.
//!
//! **Streams.** A call draws from a stream of uniform numbers keyed by a
//! seed, the call's site (a hash of its variable, field and place in the
//! text: [`site_key`]) and the step's time: SplitMix64's mixing of the
//! three, then SplitMix64's sequence from that key. The seed is the run's
//! (the scenario's, `CompiledModel::set_seed`: Monte Carlo runs each draw
//! another stream) unless the call gives one other than 0: Vensim's rule,
//! and Stella's: that call's draws are then fixed by its seed and its
//! site, the same in every run whatever the run's seed (a seeded call does
//! not vary between Monte Carlo runs). Two calls with the same seed still
//! draw apart (their sites differ), and so do an arrayed variable's
//! elements.
//!
//! **Bounds.** A draw outside `[lo, hi]` (the optional last two arguments,
//! Vensim's `min` and `max`) is drawn again from the same stream, so the
//! distribution is truncated, not clamped; after [`MAX_TRIES`] draws
//! outside, the call gives not a number (the run reports it).
//!
//! The samplers use only IEEE arithmetic, `sqrt` and the `ln`, `exp`,
//! `cos` and `powf` the rest of the engine uses, by inversion where it has
//! a closed form and by rejection where it has not (Marsaglia and Tsang's
//! gamma). The numbers cannot match Vensim's or Stella's generators.

use crate::model::mc::{normal_quantile, splitmix};

/// A distribution a random built-in draws from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dist {
    /// `(lo, hi)`: uniform on [lo, hi).
    Uniform,
    /// `(mean, sd)`.
    Normal,
    /// `(mean, sd)`: the draws' own mean and standard deviation.
    Lognormal,
    /// `(mean)`: whole numbers.
    Poisson,
    /// `(mean)`: exponential of that mean.
    Exponential,
    /// `(lo, mode, hi)`.
    Triangular,
    /// `(shape, scale)`: mean shape × scale.
    Gamma,
    /// `(a, b)`: on [0, 1].
    Beta,
    /// `(shape, scale)`.
    Weibull,
    /// `(n, p)`: successes in n trials (n rounded down).
    Binomial,
    /// `(n, p)`: failures before the n-th success.
    NegativeBinomial,
}

impl Dist {
    pub const ALL: [Dist; 11] = [
        Dist::Uniform,
        Dist::Normal,
        Dist::Lognormal,
        Dist::Poisson,
        Dist::Exponential,
        Dist::Triangular,
        Dist::Gamma,
        Dist::Beta,
        Dist::Weibull,
        Dist::Binomial,
        Dist::NegativeBinomial,
    ];

    /// The number of the distribution's own parameters.
    pub fn n_params(self) -> usize {
        match self {
            Dist::Poisson | Dist::Exponential => 1,
            Dist::Triangular => 3,
            Dist::Uniform
            | Dist::Normal
            | Dist::Lognormal
            | Dist::Gamma
            | Dist::Beta
            | Dist::Weibull
            | Dist::Binomial
            | Dist::NegativeBinomial => 2,
        }
    }

    /// Whether its draws may be bounded (`[, lo, hi]` after the seed): all
    /// but the uniform, whose parameters are its bounds.
    pub fn truncates(self) -> bool {
        self != Dist::Uniform
    }

    /// Its number in `Code::Draw` (the op's `d`).
    pub fn code(self) -> u32 {
        self as u32
    }

    pub fn from_code(c: u32) -> Option<Dist> {
        Dist::ALL.get(c as usize).copied()
    }
}

/// The most draws a bounded call makes before it gives not a number.
pub const MAX_TRIES: usize = 10_000;

/// The layout of a draw's arguments, as `Code::Draw` reads them: the
/// site key, the seed (0: the run's), the parameters, then the bounds
/// (`-inf`, `inf` when the call has none). Its length is
/// `n_params + 4`.
pub const SITE: usize = 0;
pub const SEED: usize = 1;
pub const PARAMS: usize = 2;

/// A call's site as a number the draw reads: FNV-1a of its variable's id,
/// its field and the call's start in the text, kept to 53 bits so that it
/// is a whole `f64` (JavaScript reads it back exactly).
pub fn site_key(variable: &str, field: &str, start: usize) -> f64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    let bytes = variable
        .bytes()
        .chain([0])
        .chain(field.bytes())
        .chain([0])
        .chain((start as u64).to_le_bytes());
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    (h >> 11) as f64
}

/// SplitMix64's increment.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
/// Mixed with a call's own seed, so that its stream is not a run seed's.
const SEEDED: u64 = 0x5EED_5EED_5EED_5EED;

/// The uniform numbers one call draws at one step.
pub struct Stream {
    key: u64,
    k: u64,
}

impl Stream {
    /// The stream of the call at `site` with seed `seed` (0: the run's,
    /// `run_seed`) at the step of `time`.
    pub fn new(run_seed: u64, seed: f64, site: f64, time: f64) -> Stream {
        let base = if seed == 0.0 || seed.is_nan() {
            splitmix(run_seed)
        } else {
            splitmix(SEEDED ^ seed.to_bits())
        };
        let key = splitmix(base ^ site as u64) ^ time.to_bits();
        Stream { key, k: 0 }
    }

    /// The next uniform number on [0, 1) (53 bits).
    pub fn uniform(&mut self) -> f64 {
        self.k += 1;
        let z = splitmix(self.key.wrapping_add(self.k.wrapping_mul(GOLDEN)));
        (z >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal draw by Box-Muller from two uniform ones:
    /// `sqrt(-2 ln(1 - u1)) cos(2 pi u2)` (`1 - u1` is in (0, 1]).
    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * (1.0 - u1).ln()).sqrt() * (u2 * std::f64::consts::TAU).cos()
    }

    /// A gamma draw of shape `a` and scale 1 (Marsaglia and Tsang, 2000;
    /// below shape 1, `gamma(a + 1) u^(1/a)`); not a number past
    /// [`MAX_TRIES`] rejections or for a shape that is not positive.
    fn gamma(&mut self, a: f64) -> f64 {
        if a.is_nan() || a <= 0.0 || a.is_infinite() {
            return f64::NAN;
        }
        if a < 1.0 {
            let g = self.gamma(a + 1.0);
            return g * self.uniform().powf(1.0 / a);
        }
        let d = a - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        for _ in 0..MAX_TRIES {
            let z = self.normal();
            let v = 1.0 + c * z;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.uniform();
            if (1.0 - u).ln() < 0.5 * z * z + d - d * v + d * v.ln() {
                return d * v;
            }
        }
        f64::NAN
    }

    /// One draw of `dist` with parameters `p`, unbounded.
    fn sample(&mut self, dist: Dist, p: &[f64]) -> f64 {
        match dist {
            Dist::Uniform => p[0] + (p[1] - p[0]) * self.uniform(),
            Dist::Normal => p[0] + p[1] * self.normal(),
            Dist::Lognormal => {
                let z = self.normal();
                let cv = p[1] / p[0];
                let s2 = (cv * cv + 1.0).ln();
                let mu = p[0].ln() - s2 * 0.5;
                (mu + s2.sqrt() * z).exp()
            }
            Dist::Poisson => poisson_quantile(p[0], self.uniform()),
            Dist::Exponential => -p[0] * (1.0 - self.uniform()).ln(),
            Dist::Triangular => triangular(p[0], p[1], p[2], self.uniform()),
            Dist::Gamma => p[1] * self.gamma(p[0]),
            Dist::Beta => {
                let x = self.gamma(p[0]);
                let y = self.gamma(p[1]);
                x / (x + y)
            }
            Dist::Weibull => p[1] * (-(1.0 - self.uniform()).ln()).powf(1.0 / p[0]),
            Dist::Binomial => binomial(p[0], p[1], self.uniform()),
            Dist::NegativeBinomial => {
                let (n, q) = (p[0], p[1]);
                if q.is_nan() || n.is_nan() || q <= 0.0 || q > 1.0 || n <= 0.0 {
                    return f64::NAN;
                }
                if q == 1.0 {
                    return 0.0;
                }
                let mean = self.gamma(n) * (1.0 - q) / q;
                poisson_quantile(mean, self.uniform())
            }
        }
    }
}

/// A call's draw: `args` laid out as [`SITE`], [`SEED`], the parameters
/// and the bounds (`n_args` of them, `dist.n_params() + 4`), for the run
/// of seed `run_seed` at the step of `time`. Not a number for another
/// number of arguments.
pub fn draw(
    dist: Dist,
    n_args: usize,
    args: impl Fn(usize) -> f64,
    run_seed: u64,
    time: f64,
) -> f64 {
    let n = dist.n_params();
    if n_args != n + 4 {
        return f64::NAN;
    }
    let mut params = [0.0; 3];
    for (i, p) in params.iter_mut().enumerate().take(n) {
        *p = args(PARAMS + i);
    }
    let (lo, hi) = (args(PARAMS + n), args(PARAMS + n + 1));
    let mut s = Stream::new(run_seed, args(SEED), args(SITE), time);
    if !(lo > f64::NEG_INFINITY || hi < f64::INFINITY) {
        return s.sample(dist, &params[..n]);
    }
    for _ in 0..MAX_TRIES {
        let x = s.sample(dist, &params[..n]);
        if x.is_nan() || (lo <= x && x <= hi) {
            return x;
        }
    }
    f64::NAN
}

/// The triangular distribution's inverse at `u`: `lo + sqrt(u (hi - lo)
/// (mode - lo))` below the mode's share, `hi - sqrt((1 - u) (hi - lo) (hi
/// - mode))` above. Not a number unless `lo <= mode <= hi`.
fn triangular(lo: f64, mode: f64, hi: f64, u: f64) -> f64 {
    if !(lo <= mode && mode <= hi) {
        return f64::NAN;
    }
    let width = hi - lo;
    if width == 0.0 {
        return lo;
    }
    if u * width < mode - lo {
        lo + (u * width * (mode - lo)).sqrt()
    } else {
        hi - ((1.0 - u) * width * (hi - mode)).sqrt()
    }
}

/// The smallest whole k whose Poisson(`mean`) distribution function
/// reaches `u`: the inverse-transform draw. Up to a mean of 500 by summing
/// the probabilities; above, by the normal approximation (mean, variance
/// `mean`, Monte Carlo's `normal_quantile`), rounded, whose error is then
/// below a tenth of a percent of the mean. A mean of zero or less gives 0;
/// not a number gives not a number.
pub fn poisson_quantile(mean: f64, u: f64) -> f64 {
    if mean.is_nan() || u.is_nan() {
        return f64::NAN;
    }
    if mean <= 0.0 {
        return 0.0;
    }
    if mean > 500.0 {
        let x = mean + mean.sqrt() * normal_quantile(u);
        return x.round().max(0.0);
    }
    let (mut k, mut p) = (0.0, (-mean).exp());
    let mut cdf = p;
    while cdf <= u && k < 10.0 * mean + 100.0 {
        k += 1.0;
        p *= mean / k;
        cdf += p;
    }
    k
}

/// The smallest whole k whose binomial(`n`, `p`) distribution function
/// reaches `u` (`n` rounded down). Above `p` 1/2 by symmetry (`n` less the
/// draw for `1 - p`); when the mean `n p` passes 500, by the normal
/// approximation, rounded and held to [0, n], as [`poisson_quantile`].
/// Not a number for `n < 0` or `p` outside [0, 1].
fn binomial(n: f64, p: f64, u: f64) -> f64 {
    if n.is_nan() || p.is_nan() || n < 0.0 || !(0.0..=1.0).contains(&p) || n.is_infinite() {
        return f64::NAN;
    }
    let n = n.floor();
    if p > 0.5 {
        return n - binomial(n, 1.0 - p, 1.0 - u);
    }
    let mean = n * p;
    if mean > 500.0 {
        let x = mean + (mean * (1.0 - p)).sqrt() * normal_quantile(u);
        return x.round().max(0.0).min(n);
    }
    if p == 0.0 {
        return 0.0;
    }
    let q = 1.0 - p;
    let ratio = p / q;
    let (mut k, mut pk) = (0.0, q.powf(n));
    let mut cdf = pk;
    while cdf <= u && k < n {
        pk *= (n - k) / (k + 1.0) * ratio;
        k += 1.0;
        cdf += pk;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `count` draws of one call at successive times.
    fn draws(dist: Dist, params: &[f64], seed: f64, bounds: (f64, f64), count: usize) -> Vec<f64> {
        let mut args = vec![site_key("x", "equation", 0), seed];
        args.extend_from_slice(params);
        args.extend([bounds.0, bounds.1]);
        (0..count)
            .map(|k| draw(dist, args.len(), |i| args[i], 1, k as f64 * 0.25))
            .collect()
    }

    fn mean_var(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
        (m, v)
    }

    const FREE: (f64, f64) = (f64::NEG_INFINITY, f64::INFINITY);

    #[test]
    fn each_distribution_has_its_mean_and_variance() {
        // (dist, params, mean, variance)
        let cases: [(Dist, &[f64], f64, f64); 11] = [
            (Dist::Uniform, &[2.0, 12.0], 7.0, 100.0 / 12.0),
            (Dist::Normal, &[5.0, 2.0], 5.0, 4.0),
            (Dist::Lognormal, &[4.0, 1.0], 4.0, 1.0),
            (Dist::Poisson, &[3.0], 3.0, 3.0),
            (Dist::Exponential, &[2.0], 2.0, 4.0),
            (Dist::Triangular, &[0.0, 1.0, 4.0], 5.0 / 3.0, 13.0 / 18.0),
            (Dist::Gamma, &[2.5, 2.0], 5.0, 10.0),
            (Dist::Beta, &[2.0, 3.0], 0.4, 0.04),
            // Weibull(2, 1): mean sqrt(pi)/2, variance 1 - pi/4.
            (
                Dist::Weibull,
                &[2.0, 1.0],
                std::f64::consts::PI.sqrt() / 2.0,
                1.0 - std::f64::consts::PI / 4.0,
            ),
            (Dist::Binomial, &[20.0, 0.3], 6.0, 4.2),
            // Failures before the 3rd success at p 0.4: n q / p, n q / p^2.
            (Dist::NegativeBinomial, &[3.0, 0.4], 4.5, 11.25),
        ];
        for (dist, params, mean, var) in cases {
            let xs = draws(dist, params, 0.0, FREE, 40_000);
            let (m, v) = mean_var(&xs);
            let se = (var / xs.len() as f64).sqrt();
            assert!(
                (m - mean).abs() < 5.0 * se,
                "{dist:?}: mean {m} against {mean}"
            );
            assert!(
                (v - var).abs() < 0.05 * var,
                "{dist:?}: variance {v} against {var}"
            );
        }
        // Below shape 1 the gamma takes its other path.
        let (m, _) = mean_var(&draws(Dist::Gamma, &[0.5, 1.0], 0.0, FREE, 40_000));
        assert!((m - 0.5).abs() < 0.02, "{m}");
        // Large means: the normal approximations.
        let (m, v) = mean_var(&draws(Dist::Binomial, &[10_000.0, 0.8], 0.0, FREE, 20_000));
        assert!(
            (m - 8000.0).abs() < 3.0 && (v - 1600.0).abs() < 100.0,
            "{m} {v}"
        );
    }

    #[test]
    fn bounds_truncate_the_distribution() {
        let xs = draws(Dist::Normal, &[0.0, 1.0], 0.0, (-0.5, 2.0), 20_000);
        assert!(xs.iter().all(|&x| (-0.5..=2.0).contains(&x)));
        // Truncated, not clamped: no mass piles on the bounds.
        assert!(xs.iter().filter(|&&x| x == -0.5 || x == 2.0).count() == 0);
        // The truncated normal's mean on [-0.5, 2]: (phi(a) - phi(b)) / (Phi(b) - Phi(a)).
        let phi = |x: f64| (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let want = (phi(-0.5) - phi(2.0)) / (0.977_249_868 - 0.308_537_539);
        let (m, _) = mean_var(&xs);
        assert!((m - want).abs() < 0.01, "{m} against {want}");
        let p = draws(Dist::Poisson, &[4.0], 0.0, (2.0, 5.0), 5000);
        assert!(p.iter().all(|&x| [2.0, 3.0, 4.0, 5.0].contains(&x)));
        // A window nothing reaches: not a number, not a bound.
        let none = draws(Dist::Uniform, &[0.0, 1.0], 0.0, (2.0, 3.0), 1);
        assert!(none[0].is_nan());
        let none = draws(Dist::Exponential, &[1.0], 0.0, (-2.0, -1.0), 1);
        assert!(none[0].is_nan());
    }

    #[test]
    fn a_seeded_call_draws_its_own_stream_whatever_the_runs_seed() {
        let at = |run_seed: u64, seed: f64, site: f64| {
            let args = [site, seed, 0.0, 1.0, f64::NEG_INFINITY, f64::INFINITY];
            (0..50)
                .map(|k| draw(Dist::Uniform, 6, |i| args[i], run_seed, f64::from(k)))
                .collect::<Vec<f64>>()
        };
        let site = site_key("x", "equation", 3);
        // Seeded: the same in every run.
        assert_eq!(at(1, 7.0, site), at(99, 7.0, site));
        // Another seed, or another site: other draws.
        assert_ne!(at(1, 7.0, site), at(1, 8.0, site));
        assert_ne!(at(1, 7.0, site), at(1, 7.0, site_key("y", "equation", 3)));
        // Seed 0: the run's stream, which the run's seed moves.
        assert_ne!(at(1, 0.0, site), at(99, 0.0, site));
        assert_eq!(at(5, 0.0, site), at(5, 0.0, site));
        // A seeded stream is none of the run's.
        assert_ne!(at(7, 0.0, site), at(7, 7.0, site));
    }

    #[test]
    fn site_keys_are_whole_numbers_apart_for_each_place() {
        let a = site_key("x[a]", "equation", 0);
        let b = site_key("x[b]", "equation", 0);
        let c = site_key("x[a]", "initial", 0);
        let d = site_key("x[a]", "equation", 1);
        for k in [a, b, c, d] {
            assert!(k.fract() == 0.0 && k < 2f64.powi(53), "{k}");
        }
        assert!(a != b && a != c && a != d && b != c);
    }

    #[test]
    fn quantiles_and_invalid_parameters() {
        assert_eq!(poisson_quantile(0.0, 0.5), 0.0);
        assert!(poisson_quantile(f64::NAN, 0.5).is_nan());
        assert_eq!(binomial(10.0, 0.0, 0.9), 0.0);
        assert_eq!(binomial(10.0, 1.0, 0.1), 10.0);
        assert_eq!(binomial(0.0, 0.5, 0.7), 0.0);
        assert!(binomial(-1.0, 0.5, 0.5).is_nan());
        assert!(binomial(3.0, 1.5, 0.5).is_nan());
        assert_eq!(triangular(1.0, 1.0, 1.0, 0.3), 1.0);
        assert!(triangular(2.0, 1.0, 3.0, 0.3).is_nan());
        assert_eq!(triangular(0.0, 0.0, 1.0, 0.0), 0.0);
        let g = draws(Dist::Gamma, &[-1.0, 1.0], 0.0, FREE, 1);
        assert!(g[0].is_nan());
        assert!(draw(Dist::Normal, 3, |_| 0.0, 1, 0.0).is_nan());
    }
}
