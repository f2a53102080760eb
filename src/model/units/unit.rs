//! A unit: a product of base units with rational exponents, times a scale
//! (`kMAD` is `MAD` with scale 1000, `%` is dimensionless with scale 0.01).
//!
//! Base units are numbers handed out by the model's unit table; this module
//! knows nothing of names.

use std::cmp::Ordering;

use super::ratio::Ratio;

/// The relative tolerance of [`scale_close`].
const SCALE_TOLERANCE: f64 = 1e-12;

/// A product of base units with rational exponents, times a scale.
#[derive(Clone, Debug)]
pub struct Unit {
    /// `(base id, exponent)`, sorted by base id, no zero exponent.
    factors: Vec<(u32, Ratio)>,
    /// What a number in this unit is multiplied by to get base units.
    scale: f64,
}

impl Unit {
    /// Dimensionless, scale 1: the unit `1`.
    pub fn one() -> Unit {
        Unit::dimensionless(1.0)
    }

    /// Dimensionless with this scale (`%` is 0.01).
    pub fn dimensionless(scale: f64) -> Unit {
        Unit {
            factors: Vec::new(),
            scale,
        }
    }

    /// The base unit number `id`, exponent 1, scale 1.
    pub fn base(id: u32) -> Unit {
        Unit {
            factors: vec![(id, Ratio::ONE)],
            scale: 1.0,
        }
    }

    /// `(base id, exponent)` pairs, sorted by id, no zero exponent.
    pub fn factors(&self) -> &[(u32, Ratio)] {
        &self.factors
    }

    /// What a number in this unit is multiplied by to get base units.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// The same dimensions with this scale.
    pub fn with_scale(mut self, scale: f64) -> Unit {
        self.scale = scale;
        self
    }

    /// The same dimensions with the scale multiplied by `by`.
    pub fn scaled(&self, by: f64) -> Unit {
        self.clone().with_scale(self.scale * by)
    }

    /// The product. An exponent that would overflow saturates at `±i32::MAX`.
    pub fn mul(&self, o: &Unit) -> Unit {
        let (a, b) = (&self.factors, &o.factors);
        let mut factors = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        loop {
            let next = match (a.get(i), b.get(j)) {
                (None, None) => break,
                (Some(&x), None) => {
                    i += 1;
                    x
                }
                (None, Some(&y)) => {
                    j += 1;
                    y
                }
                (Some(&(ia, ea)), Some(&(ib, eb))) => match ia.cmp(&ib) {
                    Ordering::Less => {
                        i += 1;
                        (ia, ea)
                    }
                    Ordering::Greater => {
                        j += 1;
                        (ib, eb)
                    }
                    Ordering::Equal => {
                        i += 1;
                        j += 1;
                        (ia, saturating_add(ea, eb))
                    }
                },
            };
            if !next.1.is_zero() {
                factors.push(next);
            }
        }
        Unit {
            factors,
            scale: self.scale * o.scale,
        }
    }

    /// The quotient (exponents saturate as in [`Unit::mul`]).
    pub fn div(&self, o: &Unit) -> Unit {
        self.mul(&o.inv())
    }

    /// The inverse: exponents negated, scale inverted.
    pub fn inv(&self) -> Unit {
        Unit {
            factors: self.factors.iter().map(|&(id, e)| (id, e.neg())).collect(),
            scale: 1.0 / self.scale,
        }
    }

    /// This unit raised to `r` (the scale with `powf`); `None` when an
    /// exponent overflows.
    pub fn pow(&self, r: Ratio) -> Option<Unit> {
        let mut factors = Vec::with_capacity(self.factors.len());
        for &(id, e) in &self.factors {
            let p = e.mul(r)?;
            if !p.is_zero() {
                factors.push((id, p));
            }
        }
        Some(Unit {
            factors,
            scale: self.scale.powf(r.to_f64()),
        })
    }

    /// The square root: [`Unit::pow`] with 1/2.
    pub fn sqrt(&self) -> Option<Unit> {
        self.pow(Ratio::new(1, 2)?)
    }

    /// Whether there is no base unit in it (any scale: `%` is dimensionless).
    pub fn is_dimensionless(&self) -> bool {
        self.factors.is_empty()
    }

    /// Whether both have the same base units and exponents (scales ignored).
    pub fn same_dims(&self, o: &Unit) -> bool {
        self.factors == o.factors
    }

    /// Whether both are the same unit: same dimensions, scales equal within
    /// [`scale_close`].
    pub fn same(&self, o: &Unit) -> bool {
        self.same_dims(o) && scale_close(self.scale, o.scale)
    }
}

/// Whether two scales are equal within a relative 1e-12 (NaN is close to nothing).
pub fn scale_close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= SCALE_TOLERANCE * a.abs().max(b.abs())
}

/// `a + b`, or `±i32::MAX` (the sign of the sum) when it does not fit.
fn saturating_add(a: Ratio, b: Ratio) -> Ratio {
    a.add(b).unwrap_or_else(|| {
        let bound = Ratio::int(i32::MAX);
        if a.to_f64() + b.to_f64() > 0.0 {
            bound
        } else {
            bound.neg()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64, d: i64) -> Ratio {
        Ratio::new(n, d).unwrap()
    }

    /// A small deterministic xorshift generator.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }

        /// A unit of up to 4 factors among 6 bases, exponents in -3..=3 over
        /// 1, 2 or 3, scale a power of ten.
        fn unit(&mut self) -> Unit {
            let mut u = Unit::dimensionless(10f64.powi(self.below(13) as i32 - 6));
            for _ in 0..self.below(5) {
                let e = r(self.below(7) as i64 - 3, self.below(3) as i64 + 1);
                let f = Unit::base(self.below(6) as u32).pow(e).unwrap();
                u = u.mul(&f);
            }
            u
        }
    }

    #[test]
    fn algebra() {
        let (m, s) = (Unit::base(0), Unit::base(1));
        let speed = m.div(&s);
        assert_eq!(speed.factors(), &[(0, Ratio::ONE), (1, r(-1, 1))]);
        assert!(speed.mul(&s).same(&m));
        assert!(m.div(&m).same(&Unit::one()));
        assert!(m.div(&m).is_dimensionless());
        assert_eq!(s.inv().factors(), &[(1, r(-1, 1))]);
        let m2 = m.mul(&m);
        assert_eq!(m2.factors(), &[(0, Ratio::int(2))]);
        assert!(m2.sqrt().unwrap().same(&m));
        assert!(m.sqrt().unwrap().pow(Ratio::int(2)).unwrap().same(&m));
        assert_eq!(m.sqrt().unwrap().factors(), &[(0, r(1, 2))]);
        assert!(speed.pow(Ratio::ZERO).unwrap().same(&Unit::one()));
    }

    #[test]
    fn scales() {
        let k = Unit::base(0).with_scale(1000.0);
        assert_eq!(k.scale(), 1000.0);
        assert!(k.same_dims(&Unit::base(0)) && !k.same(&Unit::base(0)));
        assert_eq!(k.mul(&k).scale(), 1e6);
        assert_eq!(k.inv().scale(), 1e-3);
        assert_eq!(k.pow(r(1, 2)).unwrap().scale(), 1000f64.sqrt());
        assert_eq!(k.scaled(0.5).scale(), 500.0);
        let pct = Unit::dimensionless(0.01);
        assert!(pct.is_dimensionless() && !pct.same(&Unit::one()));
        assert!(pct.same_dims(&Unit::one()));
        assert!(scale_close(0.1 + 0.2, 0.3));
        assert!(!scale_close(1.0, 1.0 + 1e-9));
        assert!(!scale_close(f64::NAN, f64::NAN));
        assert!(scale_close(0.0, 0.0));
    }

    #[test]
    fn overflow_never_panics() {
        let big = Unit::base(3).pow(Ratio::int(i32::MAX)).unwrap();
        assert!(big.pow(Ratio::int(2)).is_none());
        assert_eq!(big.mul(&big).factors(), &[(3, Ratio::int(i32::MAX))]);
        assert_eq!(big.inv().div(&big).factors(), &[(3, Ratio::int(-i32::MAX))]);
        let odd = Unit::base(3).pow(r(1, i64::from(i32::MAX))).unwrap();
        let other = Unit::base(3).pow(r(1, i64::from(i32::MAX) - 1)).unwrap();
        assert_eq!(odd.mul(&other).factors(), &[(3, Ratio::int(i32::MAX))]);
    }

    #[test]
    fn product_then_quotient_gives_back() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..500 {
            let (a, b) = (rng.unit(), rng.unit());
            let back = a.mul(&b).div(&b);
            assert!(back.same(&a), "{a:?} * {b:?} / {b:?} = {back:?}");
            assert!(a.div(&b).mul(&b).same(&a));
            assert!(a.mul(&b).same(&b.mul(&a)));
            assert!(a.mul(&a.inv()).same(&Unit::one()));
            assert!(a.factors().windows(2).all(|w| w[0].0 < w[1].0));
            assert!(a.factors().iter().all(|f| !f.1.is_zero()));
        }
    }
}
