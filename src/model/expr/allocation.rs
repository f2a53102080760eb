//! `allocate_available`: Vensim's `ALLOCATE AVAILABLE`, a supply shared
//! among requesters by priority profiles (Vensim's "Allocation Overview").
//!
//! Each requester has a request and a profile: a type, a priority (the
//! curve's midpoint) and a width. At a level `x` it takes its request times
//! a falling curve of `z = (x - priority) / width`, the complement of the
//! cumulative of the type's shape:
//!
//! | type | shape | the fraction taken at `z` |
//! |---|---|---|
//! | 1 | rectangular, `width` wide | `clamp(1/2 - z, 0, 1)` |
//! | 2 | triangular, `width` at its base | `1 - 2 (z + 1/2)²` below 0, `2 (1/2 - z)²` above, within `±1/2` |
//! | 3 | normal, `width` its standard deviation | `P(Z > z)`, as Vensim computes it |
//! | 4 | exponential, `exp(-abs(z)) / 2` | `1 - exp(z) / 2` below 0, `exp(-z) / 2` above |
//!
//! The level is where the takings add up to the supply: a supply of at
//! least the requests' sum fills every request, one of 0 or less gives
//! nothing. The sum falls with `x`, and has no closed form for the normal
//! and exponential curves: the level is found by bisection, within a fixed
//! number of halvings (never a hang), on an interval where the sum goes
//! from every request to nothing. PySD's `allocate_available` does the
//! same with a least-squares solver and the exact normal.
//!
//! Where we differ from Vensim: types 0 (a fixed quantity) and 5 (constant
//! elasticity) are not computed, nor integer allocation; any type but 1 to
//! 4, a width not above 0, a negative or unknown request, or a priority that
//! is not finite, in a requester that asks for something, makes every
//! allocation of the call not a number (Vensim stops the run; we cannot).
//! A requester that asks for nothing gets nothing, whatever its profile.
//! Vensim's search stops short of the level (its allocations add up to
//! the supply within about 1.5e-5 of it); ours goes on to neighbouring
//! floats, so an allocation far in a curve's tail, a millionth of the
//! supply, may differ from Vensim's in its printed digits.

/// One requester: its request and priority profile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Requester {
    pub ptype: f64,
    pub request: f64,
    pub priority: f64,
    pub width: f64,
}

/// The most requesters a call allocates among: each requester's
/// allocation searches the level over all of them, so a call costs the
/// square of their number.
pub const MAX_REQUESTERS: usize = 64;

/// The most halvings of the level's interval. Bisection reaches
/// neighbouring floats in about 60 from the widest intervals met; the cap
/// only matters for a level near 0, where 200 leave an interval of 1e-60
/// of the first.
const MAX_HALVINGS: usize = 200;

/// The fraction of its request a requester of type `ptype` takes at
/// `z = (level - priority) / width`: from 1 (far below its priority) to 0
/// (far above); not a number for a type we do not compute.
pub fn fraction(ptype: f64, z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    if ptype == 1.0 {
        (0.5 - z).clamp(0.0, 1.0)
    } else if ptype == 2.0 {
        triangular(z)
    } else if ptype == 3.0 {
        normal_tail(z)
    } else if ptype == 4.0 {
        if z < 0.0 {
            1.0 - 0.5 * z.exp()
        } else {
            0.5 * (-z).exp()
        }
    } else {
        f64::NAN
    }
}

/// The normal curve, `P(Z > z)`, as Vensim computes it: by Hastings'
/// approximation (Abramowitz and Stegun 26.2.16, within 1e-5 of the
/// normal's), which Vensim's outputs follow to 1e-5 where the exact
/// normal misses them by up to 3% in the tails.
fn normal_tail(z: f64) -> f64 {
    let upper = |x: f64| {
        let t = 1.0 / (1.0 + 0.332_67 * x);
        let density = (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
        density * t * (0.436_183_6 + t * (-0.120_167_6 + t * 0.937_298))
    };
    if z >= 0.0 { upper(z) } else { 1.0 - upper(-z) }
}

/// The triangular curve: the complement of the cumulative of a triangle
/// over `[-1/2, 1/2]`.
fn triangular(z: f64) -> f64 {
    if z <= -0.5 {
        1.0
    } else if z < 0.0 {
        1.0 - 2.0 * (z + 0.5) * (z + 0.5)
    } else if z < 0.5 {
        2.0 * (0.5 - z) * (0.5 - z)
    } else {
        0.0
    }
}

/// How many widths from its priority a curve of type `ptype` is 1 below
/// and 0 above, in floating point; `None` for a type we do not compute.
/// (the normal's density underflows past about 38.6 standard deviations,
/// `exp(-z)` past 745.)
fn reach(ptype: f64) -> Option<f64> {
    if ptype == 1.0 || ptype == 2.0 {
        Some(0.5)
    } else if ptype == 3.0 {
        Some(40.0)
    } else if ptype == 4.0 {
        Some(750.0)
    } else {
        None
    }
}

impl Requester {
    /// What it takes at `level` (0 when it asks for nothing).
    pub fn served(&self, level: f64) -> f64 {
        if self.request == 0.0 {
            return 0.0;
        }
        self.request * fraction(self.ptype, (level - self.priority) / self.width)
    }

    /// The levels between which its curve goes from 1 to 0, or `None` for
    /// a profile we cannot compute.
    fn span(&self) -> Option<(f64, f64)> {
        let r = reach(self.ptype)?;
        let valid = self.request >= 0.0 && self.width > 0.0 && self.priority.is_finite();
        // A width so large that the span overflows is refused too.
        let (lo, hi) = (
            self.priority - r * self.width,
            self.priority + r * self.width,
        );
        (valid && lo.is_finite() && hi.is_finite()).then_some((lo, hi))
    }
}

/// The level at which the `n` requesters `at(0)`, …, `at(n - 1)` take
/// `supply` in all: `-inf` when the supply fills every request, `+inf`
/// when it is 0 or less, not a number when a profile cannot be computed
/// (see the module's doc).
pub fn level(supply: f64, n: usize, at: impl Fn(usize) -> Requester) -> f64 {
    let (mut total, mut lo, mut hi) = (0.0, f64::INFINITY, f64::NEG_INFINITY);
    for i in 0..n {
        let r = at(i);
        if r.request == 0.0 {
            continue;
        }
        let Some((a, b)) = r.span() else {
            return f64::NAN;
        };
        total += r.request;
        lo = lo.min(a);
        hi = hi.max(b);
    }
    if supply.is_nan() {
        return f64::NAN;
    }
    if supply <= 0.0 {
        return f64::INFINITY;
    }
    if supply >= total {
        return f64::NEG_INFINITY;
    }
    // Here every request is taken at `lo` (more than the supply), none at
    // `hi`; the sum falls in between.
    let taken = |x: f64| (0..n).map(|i| at(i).served(x)).sum::<f64>();
    for _ in 0..MAX_HALVINGS {
        let mid = 0.5 * lo + 0.5 * hi;
        if mid <= lo || mid >= hi {
            break;
        }
        if taken(mid) > supply {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * lo + 0.5 * hi
}

/// What `own` takes when `supply` is allocated among the `n` requesters
/// `at(0)`, …, `at(n - 1)` (`own` among them).
pub fn allocated(supply: f64, own: Requester, n: usize, at: impl Fn(usize) -> Requester) -> f64 {
    own.served(level(supply, n, at))
}

/// The requester whose four values start at `args[k]`: type, request,
/// priority, width (the order of `allocate_available`'s arguments).
pub fn requester_at(arg: impl Fn(usize) -> f64, k: usize) -> Requester {
    Requester {
        ptype: arg(k),
        request: arg(k + 1),
        priority: arg(k + 2),
        width: arg(k + 3),
    }
}

/// The number of requesters in a call of `n_args` arguments: `supply`,
/// the requester's own four values, then four for each requester; `None`
/// when `n_args` is not such a count.
pub fn requesters(n_args: usize) -> Option<usize> {
    let groups = n_args.checked_sub(5)?;
    let n = groups / 4;
    (groups % 4 == 0 && (1..=MAX_REQUESTERS).contains(&n)).then_some(n)
}

/// `allocate_available(supply, type, request, priority, width, type1,
/// request1, priority1, width1, …)` on a flat argument list `arg(0..)` of
/// `n_args` values: the first requester's allocation among all the others.
/// `None` for a count of arguments the function does not take.
pub fn call(n_args: usize, arg: impl Fn(usize) -> f64) -> Option<f64> {
    let n = requesters(n_args)?;
    let own = requester_at(&arg, 1);
    Some(allocated(arg(0), own, n, |i| requester_at(&arg, 5 + 4 * i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(ptype: f64, request: f64, priority: f64, width: f64) -> Requester {
        Requester {
            ptype,
            request,
            priority,
            width,
        }
    }

    /// Each requester's allocation of `supply`.
    fn shares(supply: f64, rs: &[Requester]) -> Vec<f64> {
        let l = level(supply, rs.len(), |i| rs[i]);
        rs.iter().map(|r| r.served(l)).collect()
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    /// The three requesters of the SDXorg test (`demand1`, `priority1` to
    /// `priority4`), of type `t`: widths 2, 4, 4 for types 1 and 2, 1, 2, 2
    /// for types 3 and 4.
    fn three(t: f64) -> Vec<Requester> {
        let w = if t < 3.0 { 2.0 } else { 1.0 };
        vec![
            req(t, 500.0, 5.0, w),
            req(t, 300.0, 7.0, 2.0 * w),
            req(t, 750.0, 3.0, 2.0 * w),
        ]
    }

    #[test]
    fn curves_fall_from_one_to_zero_through_a_half_at_the_priority() {
        for t in [1.0, 2.0, 3.0, 4.0] {
            assert_eq!(fraction(t, f64::NEG_INFINITY), 1.0, "{t}");
            assert_eq!(fraction(t, f64::INFINITY), 0.0, "{t}");
            // Vensim's normal is an approximation, within 1e-5.
            assert!(close(fraction(t, 0.0), 0.5, 1e-5), "{t}");
            let zs: Vec<f64> = (-40..=40).map(|k| f64::from(k) * 0.1).collect();
            for w in zs.windows(2) {
                assert!(fraction(t, w[0]) >= fraction(t, w[1]), "{t} at {}", w[0]);
            }
            // Symmetric: what is taken above the midpoint is left below.
            for z in [0.1, 0.3, 0.45, 1.0, 2.5] {
                let sum = fraction(t, z) + fraction(t, -z);
                assert!(close(sum, 1.0, 1e-15), "{t} at {z}");
            }
        }
        assert_eq!(fraction(1.0, 0.25), 0.25);
        assert_eq!(fraction(2.0, 0.25), 0.125);
        assert!(close(fraction(3.0, 1.0), 0.158_655_253_931_457_05, 1e-5));
        assert!(close(fraction(3.0, 3.0), 0.001_349_898_031_630_094_6, 1e-5));
        assert!(close(fraction(4.0, 1.0), 0.5 / std::f64::consts::E, 1e-15));
        assert!(fraction(1.0, f64::NAN).is_nan());
    }

    #[test]
    fn unknown_types_are_not_a_number() {
        for t in [0.0, 5.0, 1.5, -1.0, f64::NAN] {
            assert!(fraction(t, 0.3).is_nan(), "{t}");
            assert!(
                shares(100.0, &[req(t, 50.0, 1.0, 1.0), req(1.0, 80.0, 2.0, 1.0)])
                    .iter()
                    .all(|s| s.is_nan())
            );
        }
    }

    #[test]
    fn each_type_allocates_the_supply_in_priority_order() {
        for t in [1.0, 2.0, 3.0, 4.0] {
            // One width: the curves differ by their priorities alone.
            let rs: Vec<Requester> = three(t)
                .iter()
                .map(|r| req(t, r.request, r.priority, 2.0))
                .collect();
            for supply in [20.0, 100.0, 400.0, 800.0, 1200.0, 1549.0] {
                let s = shares(supply, &rs);
                let sum: f64 = s.iter().sum();
                assert!(close(sum, supply, 1e-12), "{t} {supply}: {s:?}");
                for (x, r) in s.iter().zip(&rs) {
                    assert!((0.0..=r.request).contains(x), "{t} {supply}: {s:?}");
                }
                // The highest priority (7) takes the largest part of its
                // request, the lowest (3) the smallest.
                let part: Vec<f64> = s.iter().zip(&rs).map(|(x, r)| x / r.request).collect();
                assert!(
                    part[1] >= part[0] && part[0] >= part[2],
                    "{t} {supply}: {part:?}"
                );
            }
        }
    }

    #[test]
    fn rectangular_and_triangular_match_by_hand() {
        // At 100, only requester 2 (priority 7, width 4, over [5, 9]) takes:
        // 300 (1/2 - (x - 7) / 4) = 100 at x = 23/3.
        let s = shares(100.0, &three(1.0));
        assert!(
            close(s[1], 100.0, 1e-12) && s[0] == 0.0 && s[2] == 0.0,
            "{s:?}"
        );
        // The reference output (Vensim) at time 8, supply 160: 0, 160, 0.
        let s = shares(160.0, &three(1.0));
        assert!(close(s[1], 160.0, 1e-12), "{s:?}");
        // Triangular, requester 2 alone: 300 * 2 (1/2 - z)^2 = 96 at z = 0.1.
        let s = shares(96.0, &three(2.0));
        assert!(
            close(s[1], 96.0, 1e-12) && s[0] == 0.0 && s[2] == 0.0,
            "{s:?}"
        );
        let l = level(96.0, 3, |i| three(2.0)[i]);
        assert!(close(l, 7.4, 1e-12), "{l}");
    }

    #[test]
    fn normal_and_exponential_match_vensim_s_output() {
        // output.tab (Vensim, 6 digits) at time 4, a supply of 80:
        // `allocation3` (normal) and `allocation4` (exponential).
        let cases = [
            (3.0, [0.233_115, 76.792_6, 2.973_21]),
            (4.0, [4.753_29, 56.222_8, 19.022_3]),
        ];
        for (t, want) in cases {
            let s = shares(80.0, &three(t));
            for (got, want) in s.iter().zip(want) {
                assert!((got - want).abs() <= 1e-4 * want, "{t}: {s:?}");
            }
        }
    }

    #[test]
    fn a_supply_above_the_requests_fills_them_and_none_gives_nothing() {
        for t in [1.0, 2.0, 3.0, 4.0] {
            let rs = three(t);
            assert_eq!(shares(1550.0, &rs), [500.0, 300.0, 750.0], "{t}");
            assert_eq!(shares(1e9, &rs), [500.0, 300.0, 750.0], "{t}");
            assert_eq!(shares(0.0, &rs), [0.0; 3], "{t}");
            assert_eq!(shares(-5.0, &rs), [0.0; 3], "{t}");
            assert!(shares(f64::NAN, &rs).iter().all(|s| s.is_nan()));
        }
    }

    #[test]
    fn a_requester_that_asks_nothing_gets_nothing_whatever_its_profile() {
        for bad in [req(1.0, 0.0, 5.0, 50.0), req(9.0, 0.0, f64::NAN, -1.0)] {
            let rs = [req(1.0, 500.0, 5.0, 2.0), bad, req(1.0, 750.0, 23.0, 4.0)];
            let s = shares(600.0, &rs);
            assert_eq!(s[1], 0.0);
            // The other two share as they would alone.
            let alone = shares(600.0, &[rs[0], rs[2]]);
            assert_eq!([s[0], s[2]], [alone[0], alone[1]]);
            assert!(close(s[0] + s[2], 600.0, 1e-12), "{s:?}");
        }
        assert_eq!(shares(10.0, &[req(3.0, 0.0, 1.0, 1.0)]), [0.0]);
    }

    #[test]
    fn bad_widths_and_requests_are_not_a_number() {
        for bad in [
            req(3.0, 10.0, 1.0, 0.0),
            req(3.0, 10.0, 1.0, -2.0),
            req(3.0, 10.0, 1.0, f64::NAN),
            req(3.0, -10.0, 1.0, 1.0),
            req(3.0, f64::NAN, 1.0, 1.0),
            req(3.0, 10.0, f64::INFINITY, 1.0),
            req(4.0, 10.0, 1.0, 1e307),
        ] {
            let s = shares(5.0, &[bad, req(3.0, 10.0, 2.0, 1.0)]);
            assert!(s.iter().all(|x| x.is_nan()), "{bad:?}: {s:?}");
        }
    }

    #[test]
    fn the_flat_call_reads_its_arguments_in_order() {
        let rs = three(2.0);
        let mut args = vec![400.0];
        for r in std::iter::once(&rs[1]).chain(&rs) {
            args.extend([r.ptype, r.request, r.priority, r.width]);
        }
        let got = call(args.len(), |i| args[i]).unwrap();
        assert_eq!(got, shares(400.0, &rs)[1]);
        for n in [0, 4, 5, 6, 8, 10, 12, 14] {
            assert_eq!(call(n, |_| 1.0), None, "{n}");
        }
        assert_eq!(requesters(9), Some(1));
        assert_eq!(requesters(17), Some(3));
        assert_eq!(requesters(5 + 4 * MAX_REQUESTERS), Some(MAX_REQUESTERS));
        assert_eq!(requesters(9 + 4 * MAX_REQUESTERS), None);
    }
}
