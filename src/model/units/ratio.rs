//! Exact rational numbers, for the exponents of units: `m^(1/2)`, `year^-1`.
//!
//! Arithmetic is checked: an overflow gives `None`, never a panic or a wrong
//! value.

use std::fmt;

/// How close [`Ratio::from_f64`] wants its fraction to the number.
const F64_TOLERANCE: f64 = 1e-9;

/// A rational number `num/den`, always normalised: gcd 1, `den > 0`, and
/// `num` never `i32::MIN` (so that negating cannot overflow).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: i32,
    den: i32,
}

// `add`, `mul` and `neg` are checked and keep these names on purpose, so they
// are not the `std::ops` traits.
#[allow(clippy::should_implement_trait)]
impl Ratio {
    /// Zero.
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    /// One.
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// `num/den` normalised; `None` when `den` is 0 or the result does not fit.
    pub fn new(num: i64, den: i64) -> Option<Ratio> {
        Self::from_wide(i128::from(num), i128::from(den))
    }

    /// `num/den` in a wide type (no product of two `i64` overflows it).
    fn from_wide(num: i128, den: i128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let g = i128::try_from(gcd(num.unsigned_abs(), den.unsigned_abs())).ok()?;
        let (num, den) = if den < 0 { (-num, -den) } else { (num, den) };
        let num = i32::try_from(num / g).ok().filter(|&n| n != i32::MIN)?;
        let den = i32::try_from(den / g).ok()?;
        Some(Ratio { num, den })
    }

    /// The integer `n` (`i32::MIN`, which has no opposite, becomes `-i32::MAX`).
    pub fn int(n: i32) -> Ratio {
        Ratio {
            num: n.max(-i32::MAX),
            den: 1,
        }
    }

    /// The numerator (carries the sign).
    pub fn num(self) -> i32 {
        self.num
    }

    /// The denominator, always above 0.
    pub fn den(self) -> i32 {
        self.den
    }

    /// Whether this is 0.
    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// Whether this is a whole number.
    pub fn is_integer(self) -> bool {
        self.den == 1
    }

    /// `self + o`, `None` on overflow.
    pub fn add(self, o: Ratio) -> Option<Ratio> {
        let (a, b) = (self.wide(), o.wide());
        Self::from_wide(a.0 * b.1 + b.0 * a.1, a.1 * b.1)
    }

    /// `self * o`, `None` on overflow.
    pub fn mul(self, o: Ratio) -> Option<Ratio> {
        let (a, b) = (self.wide(), o.wide());
        Self::from_wide(a.0 * b.0, a.1 * b.1)
    }

    /// `-self` (cannot overflow: `num` is never `i32::MIN`).
    pub fn neg(self) -> Ratio {
        Ratio {
            num: -self.num,
            den: self.den,
        }
    }

    /// The nearest `f64`.
    pub fn to_f64(self) -> f64 {
        f64::from(self.num) / f64::from(self.den)
    }

    /// The fraction with the smallest denominator, at most `max_den`, within
    /// 1e-9 of `x`, if any: turns a folded exponent such as 0.5 into 1/2.
    pub fn from_f64(x: f64, max_den: i32) -> Option<Ratio> {
        if !x.is_finite() || max_den < 1 || x.abs() > f64::from(i32::MAX) {
            return None;
        }
        let (p, q) = simplest_near(x.abs(), i128::from(max_den))?;
        let p = if x < 0.0 { -p } else { p };
        Self::from_wide(p, q)
    }

    /// Numerator and denominator in a wide type.
    fn wide(self) -> (i128, i128) {
        (i128::from(self.num), i128::from(self.den))
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

/// Greatest common divisor (`gcd(0, 0)` is 1, so that it can divide).
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// The fraction `p/q` with the smallest `q <= max_den` within the tolerance of
/// `x >= 0`. Such a fraction is a best approximation, hence a convergent or a
/// semiconvergent of the continued fraction of `x`: those are walked in order
/// of growing denominator, a binary search inside each partial quotient.
fn simplest_near(x: f64, max_den: i128) -> Option<(i128, i128)> {
    let close = |(p, q): (i128, i128)| (p as f64 / q as f64 - x).abs() <= F64_TOLERANCE;
    let a0 = x.floor();
    // The convergent before (h0/k0) and the last one (h1/k1).
    let (mut h0, mut k0) = (1i128, 0i128);
    let (mut h1, mut k1) = (a0 as i128, 1i128);
    if close((h1, k1)) {
        return Some((h1, k1));
    }
    let mut frac = x - a0;
    for _ in 0..80 {
        if frac <= 0.0 {
            return None;
        }
        let r = 1.0 / frac;
        let a = r.floor();
        frac = r - a;
        // The largest step the denominator bound allows.
        let cap = (max_den - k0) / k1;
        if cap < 1 {
            return None;
        }
        let steps = if a >= cap as f64 { cap } else { a as i128 };
        let semi = |t: i128| (t * h1 + h0, t * k1 + k0);
        // Semiconvergents approach `x` monotonically as `t` grows.
        if close(semi(steps)) {
            let (mut lo, mut hi) = (1, steps);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if close(semi(mid)) {
                    hi = mid
                } else {
                    lo = mid + 1
                }
            }
            return Some(semi(lo));
        }
        if (steps as f64) < a {
            return None;
        }
        (h0, k0, h1, k1) = (h1, k1, steps * h1 + h0, steps * k1 + k0);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64, d: i64) -> Ratio {
        Ratio::new(n, d).unwrap()
    }

    #[test]
    fn normalises() {
        assert_eq!(r(2, 4), r(1, 2));
        assert_eq!((r(2, 4).num(), r(2, 4).den()), (1, 2));
        assert_eq!((r(3, -6).num(), r(3, -6).den()), (-1, 2));
        assert_eq!(r(0, -5), Ratio::ZERO);
        assert_eq!(r(7, 7), Ratio::ONE);
        assert_eq!(Ratio::new(1, 0), None);
        assert_eq!(Ratio::new(1 << 40, 1), None);
        assert_eq!(Ratio::new(i64::MIN, 1), None);
        assert_eq!(Ratio::new(i64::from(i32::MIN), 1), None);
        assert_eq!(Ratio::new(i64::MIN, i64::MIN), Some(Ratio::ONE));
        assert_eq!(Ratio::int(i32::MIN).neg(), Ratio::int(i32::MAX));
        assert!(Ratio::int(4).is_integer() && !r(1, 2).is_integer());
        assert!(Ratio::ZERO.is_zero() && !Ratio::ONE.is_zero());
    }

    #[test]
    fn arithmetic() {
        assert_eq!(r(1, 2).add(r(1, 3)), Some(r(5, 6)));
        assert_eq!(r(1, 2).add(r(-1, 2)), Some(Ratio::ZERO));
        assert_eq!(r(2, 3).mul(r(3, 4)), Some(r(1, 2)));
        assert_eq!(r(-2, 3).neg(), r(2, 3));
        assert_eq!(r(3, 4).to_f64(), 0.75);
        let big = Ratio::int(i32::MAX);
        assert_eq!(big.add(Ratio::ONE), None);
        assert_eq!(big.mul(Ratio::int(2)), None);
        assert_eq!(big.mul(big.neg()), None);
        assert_eq!(big.add(big.neg()), Some(Ratio::ZERO));
        let tiny = r(1, i64::from(i32::MAX));
        assert_eq!(tiny.add(r(1, i64::from(i32::MAX) - 1)), None);
        assert_eq!(tiny.mul(Ratio::int(i32::MAX)), Some(Ratio::ONE));
    }

    #[test]
    fn displays() {
        assert_eq!(Ratio::int(2).to_string(), "2");
        assert_eq!(Ratio::int(-1).to_string(), "-1");
        assert_eq!(r(1, 2).to_string(), "1/2");
        assert_eq!(r(3, -4).to_string(), "-3/4");
        assert_eq!(Ratio::ZERO.to_string(), "0");
    }

    #[test]
    fn from_f64_finds_simple_fractions() {
        assert_eq!(Ratio::from_f64(0.5, 12), Some(r(1, 2)));
        assert_eq!(Ratio::from_f64(2.0, 12), Some(Ratio::int(2)));
        assert_eq!(Ratio::from_f64(-0.75, 12), Some(r(-3, 4)));
        assert_eq!(Ratio::from_f64(1.0 / 3.0, 12), Some(r(1, 3)));
        assert_eq!(Ratio::from_f64(-7.0 / 12.0, 12), Some(r(-7, 12)));
        assert_eq!(Ratio::from_f64(0.0, 1), Some(Ratio::ZERO));
        assert_eq!(Ratio::from_f64(1e-12, 1), Some(Ratio::ZERO));
        assert_eq!(Ratio::from_f64(0.999_999_999_9, 1), Some(Ratio::ONE));
        assert_eq!(Ratio::from_f64(1.0 / 13.0, 12), None);
        assert_eq!(Ratio::from_f64(std::f64::consts::PI, 1000), None);
        assert_eq!(Ratio::from_f64(f64::NAN, 12), None);
        assert_eq!(Ratio::from_f64(f64::INFINITY, 12), None);
        assert_eq!(Ratio::from_f64(1e12, 12), None);
        assert_eq!(Ratio::from_f64(0.5, 0), None);
        assert_eq!(Ratio::from_f64(355.0 / 113.0, i32::MAX), Some(r(355, 113)));
        let e = Ratio::from_f64(std::f64::consts::E, i32::MAX).unwrap();
        assert!((e.to_f64() - std::f64::consts::E).abs() <= 1e-9);
    }

    #[test]
    fn from_f64_matches_brute_force() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let q = (seed % 60 + 1) as i64;
            let p = (seed >> 20) as i64 % (5 * q) - 2 * q;
            let noise = ((seed >> 40) % 3) as f64 * 3e-10 - 3e-10;
            let x = p as f64 / q as f64 + noise;
            let max_den = (seed >> 50) as i32 % 80 + 1;
            let brute = (1..=i64::from(max_den)).find_map(|d| {
                let n = (x * d as f64).round();
                ((n / d as f64 - x).abs() <= 1e-9).then(|| r(n as i64, d))
            });
            assert_eq!(
                Ratio::from_f64(x, max_den),
                brute,
                "x = {x}, max_den = {max_den}"
            );
        }
    }
}
