//! Binning one block of a Monte Carlo's values (one variable at one saved
//! time, [`BLOCK`] runs): the innermost loop of a Monte Carlo of every
//! variable, run once per value of every run.
//!
//! On x86-64 it runs two values per instruction with SSE2 (part of every
//! x86-64 processor); elsewhere the same arithmetic one value at a time.
//! Both give the same bins and extremes (a test holds them to it).

use super::{BINS, BLOCK};

/// The top bin, as a value.
const TOP: f64 = (BINS - 1) as f64;

/// Bins a block of values into `hist` and widens `(min, max)` to them, when
/// every value is finite (else changes nothing and says `false`). A value's
/// bin is `(x - lo) * iw`, held within `[0, BINS - 1]` and truncated.
pub(super) fn bin_block(
    xs: &[f64; BLOCK],
    (lo, iw): (f64, f64),
    hist: &mut [u32; BINS],
    (min, max): (&mut f64, &mut f64),
) -> bool {
    let Some((bins, lo_x, hi_x)) = bins_and_extremes(xs, lo, iw) else {
        return false;
    };
    for b in bins {
        hist[(b as usize).min(BINS - 1)] += 1;
    }
    *min = if lo_x < *min { lo_x } else { *min };
    *max = if hi_x > *max { hi_x } else { *max };
    true
}

/// Whether every value of the block is `c` (`==`: never for NaN).
pub(super) fn all_equal(xs: &[f64; BLOCK], c: f64) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is x86-64's baseline; each load reads two f64 within
        // the array, unaligned access allowed.
        unsafe {
            let c = _mm_set1_pd(c);
            let mut all = _mm_cmpeq_pd(_mm_loadu_pd(xs.as_ptr()), c);
            for pair in xs[2..].chunks_exact(2) {
                all = _mm_and_pd(all, _mm_cmpeq_pd(_mm_loadu_pd(pair.as_ptr()), c));
            }
            _mm_movemask_pd(all) == 3
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    xs.iter().fold(true, |all, &x| all & (x == c))
}

/// Each value's bin and the block's extremes; `None` when a value is not
/// finite.
#[cfg(target_arch = "x86_64")]
fn bins_and_extremes(xs: &[f64; BLOCK], lo: f64, iw: f64) -> Option<([i32; BLOCK], f64, f64)> {
    use std::arch::x86_64::*;
    let mut bins = [0i32; BLOCK];
    let (mut m, mut n) = ([0.0; 2], [0.0; 2]);
    // SAFETY: SSE2 is part of every x86-64 processor (the target's
    // baseline), so its intrinsics are always there; each load and store
    // reads or writes within its array (two f64, or two i32 in 64 bits),
    // unaligned access allowed.
    let finite = unsafe {
        let (lo_v, iw_v) = (_mm_set1_pd(lo), _mm_set1_pd(iw));
        let (zero, top) = (_mm_setzero_pd(), _mm_set1_pd(TOP));
        let (mut finite, mut mn, mut mx) = (3, _mm_set1_pd(xs[0]), _mm_set1_pd(xs[0]));
        for (pair, out) in xs.chunks_exact(2).zip(bins.chunks_exact_mut(2)) {
            let x = _mm_loadu_pd(pair.as_ptr());
            // x * 0 is ±0 for a finite x, NaN otherwise.
            finite &= _mm_movemask_pd(_mm_cmpeq_pd(_mm_mul_pd(x, zero), zero));
            // min_pd(a, b) is a < b ? a : b; max_pd a > b ? a : b.
            mn = _mm_min_pd(x, mn);
            mx = _mm_max_pd(x, mx);
            let t = _mm_mul_pd(_mm_sub_pd(x, lo_v), iw_v);
            let t = _mm_min_pd(_mm_max_pd(t, zero), top);
            // Truncation toward zero, as `as` casts do.
            _mm_storel_epi64(out.as_mut_ptr().cast(), _mm_cvttpd_epi32(t));
        }
        _mm_storeu_pd(m.as_mut_ptr(), mn);
        _mm_storeu_pd(n.as_mut_ptr(), mx);
        finite
    };
    if finite != 3 {
        return None;
    }
    let lo_x = if m[1] < m[0] { m[1] } else { m[0] };
    let hi_x = if n[1] > n[0] { n[1] } else { n[0] };
    Some((bins, lo_x, hi_x))
}

#[cfg(not(target_arch = "x86_64"))]
fn bins_and_extremes(xs: &[f64; BLOCK], lo: f64, iw: f64) -> Option<([i32; BLOCK], f64, f64)> {
    portable(xs, lo, iw)
}

/// The same, a value at a time.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn portable(xs: &[f64; BLOCK], lo: f64, iw: f64) -> Option<([i32; BLOCK], f64, f64)> {
    if !xs.iter().all(|x| x.is_finite()) {
        return None;
    }
    let mut bins = [0i32; BLOCK];
    for (b, &x) in bins.iter_mut().zip(xs) {
        let t = (x - lo) * iw;
        let t = if t > 0.0 { t } else { 0.0 };
        *b = (if t < TOP { t } else { TOP }) as i32;
    }
    let lo_x = xs.iter().fold(xs[0], |m, &x| if x < m { x } else { m });
    let hi_x = xs.iter().fold(xs[0], |m, &x| if x > m { x } else { m });
    Some((bins, lo_x, hi_x))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block of varied values: inside the range, below, above, on bin
    /// edges, zeros of both signs, huge ones.
    fn block(k: u64) -> [f64; BLOCK] {
        let mut s = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        std::array::from_fn(|i| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let u = (s >> 11) as f64 / (1u64 << 53) as f64;
            match (i + k as usize) % 7 {
                0 => -0.0,
                1 => 0.0,
                2 => 1e300 * (u - 0.5),
                3 => (u * 10.0).floor() / 10.0,
                _ => u * 1.6 - 0.3,
            }
        })
    }

    #[test]
    fn the_fast_path_gives_the_portable_bins_and_extremes() {
        for k in 0..2000 {
            let xs = block(k);
            let (lo, iw) = (-0.05, BINS as f64 / 1.1);
            let a = bins_and_extremes(&xs, lo, iw).expect("finite");
            let b = portable(&xs, lo, iw).expect("finite");
            assert_eq!(a.0, b.0, "bins of block {k}");
            assert_eq!(a.1, b.1, "min of block {k}");
            assert_eq!(a.2, b.2, "max of block {k}");
        }
    }

    #[test]
    fn a_block_is_all_equal_only_when_every_lane_is() {
        let c = 2.5;
        assert!(all_equal(&[c; BLOCK], c));
        for lane in 0..BLOCK {
            for other in [f64::NAN, 2.5000000000000004, -c, f64::INFINITY] {
                let mut xs = [c; BLOCK];
                xs[lane] = other;
                assert!(!all_equal(&xs, c), "lane {lane} is {other}");
            }
        }
        assert!(!all_equal(&[f64::NAN; BLOCK], f64::NAN));
        assert!(all_equal(&[-0.0; BLOCK], 0.0), "as `==` says");
    }

    #[test]
    fn a_value_that_is_not_finite_leaves_everything_as_it_was() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            for lane in [0, 7, BLOCK - 1] {
                let mut xs = block(lane as u64);
                xs[lane] = bad;
                let mut hist = [0u32; BINS];
                let (mut mn, mut mx) = (1.0, 2.0);
                assert!(!bin_block(&xs, (0.0, 1.0), &mut hist, (&mut mn, &mut mx)));
                assert_eq!((mn, mx), (1.0, 2.0));
                assert!(hist.iter().all(|&c| c == 0));
            }
        }
    }

    #[test]
    fn every_value_is_counted_in_its_bin_and_the_extremes_widen() {
        let xs: [f64; BLOCK] = std::array::from_fn(|i| i as f64);
        let mut hist = [0u32; BINS];
        let (mut mn, mut mx) = (3.0, 4.0);
        // Bin width 2: values 2k and 2k + 1 share bin k; lo -4 shifts by two.
        assert!(bin_block(&xs, (-4.0, 0.5), &mut hist, (&mut mn, &mut mx)));
        assert_eq!((mn, mx), (0.0, 15.0));
        assert_eq!(hist.iter().sum::<u32>(), BLOCK as u32);
        assert_eq!(&hist[..10], &[0, 0, 2, 2, 2, 2, 2, 2, 2, 2]);
    }
}
