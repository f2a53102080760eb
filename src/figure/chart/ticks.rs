//! Axis ranges and nice ticks: steps of 1, 2 or 5 times a power of ten.
//!
//! The step is the smallest 1-2-5 step that gives at most `max_ticks`
//! ticks. With `max_ticks` = 7 a covering axis ([`nice_ticks`]) then always
//! has 4 to 7 ticks: the step below gave 8 or more, so the span is more
//! than 5 of those steps, hence more than 2 of this one (the steps grow by
//! 2 or 2.5), which is at least 4 ticks once both ends are rounded out.

/// Ticks along an axis: values `step` apart, increasing.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    /// The distance between two ticks: 1, 2 or 5 times a power of ten.
    pub step: f64,
    /// The tick values, increasing (computed as `k × step`, not summed, so
    /// they do not drift).
    pub values: Vec<f64>,
}

/// The largest magnitude a chart draws: values beyond it (or not finite)
/// are left out, so spans and positions stay finite.
pub const MAX_ABS: f64 = 1e300;

/// Whether a chart can draw `v`.
pub fn usable(v: f64) -> bool {
    v.is_finite() && v.abs() <= MAX_ABS
}

/// A 1-2-5 step: `multiple` × 10^`exponent`.
#[derive(Debug, Clone, Copy)]
struct Step {
    /// 1, 2 or 5.
    multiple: u8,
    exponent: i32,
}

impl Step {
    /// The smallest step tried for `span`: about a hundredth of it.
    fn first(span: f64) -> Step {
        Step {
            multiple: 1,
            exponent: span.log10().floor() as i32 - 2,
        }
    }

    /// `k` steps, dividing by a power of ten rather than multiplying by its
    /// inexact inverse so that 3 × 0.1 is 0.3.
    fn times(self, k: f64) -> f64 {
        if self.exponent >= 0 {
            k * f64::from(self.multiple) * 10f64.powi(self.exponent)
        } else {
            k * f64::from(self.multiple) / 10f64.powi(-self.exponent)
        }
    }

    fn next(self) -> Step {
        match self.multiple {
            1 => Step {
                multiple: 2,
                ..self
            },
            2 => Step {
                multiple: 5,
                ..self
            },
            _ => Step {
                multiple: 1,
                exponent: self.exponent + 1,
            },
        }
    }
}

/// A tolerance for rounding `q` (a value in steps) to a whole number of
/// steps despite floating-point noise: a billionth of a step, or a few
/// units in the last place of `q` when it is large.
fn fuzz(q: f64) -> f64 {
    1e-9 + 4.0 * f64::EPSILON * q.abs()
}

/// The whole numbers of steps from the first tick to the last: `outward`
/// rounds the ends out (the ticks cover `lo..hi`), otherwise in (the ticks
/// lie inside).
fn tick_range(lo: f64, hi: f64, step: Step, outward: bool) -> (f64, f64) {
    let (a, b) = (lo / step.times(1.0), hi / step.times(1.0));
    if outward {
        ((a + fuzz(a)).floor(), (b - fuzz(b)).ceil())
    } else {
        ((a - fuzz(a)).ceil(), (b + fuzz(b)).floor())
    }
}

/// The smallest step of at least `min_step` giving at most `max_ticks`.
fn choose(lo: f64, hi: f64, max_ticks: usize, min_step: f64, outward: bool) -> Step {
    let mut step = Step::first(hi - lo);
    // 3 decades past the first step are always enough; 40 tries cover 13.
    for _ in 0..40 {
        let (first, last) = tick_range(lo, hi, step, outward);
        let count = last - first + 1.0;
        if step.times(1.0) >= min_step * (1.0 - 1e-9) && count <= max_ticks as f64 {
            return step;
        }
        step = step.next();
    }
    step
}

fn ticks(lo: f64, hi: f64, step: Step, outward: bool) -> Ticks {
    let (first, last) = tick_range(lo, hi, step, outward);
    let count = (last - first + 1.0).max(0.0) as usize;
    Ticks {
        step: step.times(1.0),
        values: (0..count).map(|i| step.times(first + i as f64)).collect(),
    }
}

/// The range `lo..hi` made drawable: ordered, finite, and at least a
/// little wide (an empty range is widened around its value).
fn drawable(lo: f64, hi: f64) -> (f64, f64) {
    if !(usable(lo) && usable(hi)) {
        return (0.0, 1.0);
    }
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if hi - lo > 1e-12 * lo.abs().max(hi.abs()) {
        return (lo, hi);
    }
    let pad = if lo == 0.0 { 0.5 } else { 0.05 * lo.abs() };
    (lo - pad, hi + pad)
}

/// Nice ticks covering `lo..hi`: the first at or below `lo`, the last at or
/// above `hi`, at most `max_ticks` (at least 2) of them, and 4 or more when
/// `max_ticks` is 7 (see the module's note). Unusable bounds give `0..1`;
/// an empty range is widened around its value.
pub fn nice_ticks(lo: f64, hi: f64, max_ticks: usize) -> Ticks {
    let (lo, hi) = drawable(lo, hi);
    let max_ticks = max_ticks.max(2);
    ticks(lo, hi, choose(lo, hi, max_ticks, 0.0, true), true)
}

/// Nice ticks inside `lo..hi`, at most `max_ticks` (at least 2) of them, a
/// step of at least `min_step` (1 for years, 0 for none). They may be as few
/// as 0 when the range is shorter than `min_step`.
pub fn inner_ticks(lo: f64, hi: f64, max_ticks: usize, min_step: f64) -> Ticks {
    let (lo, hi) = drawable(lo, hi);
    let max_ticks = max_ticks.max(2);
    ticks(lo, hi, choose(lo, hi, max_ticks, min_step, false), false)
}

/// The share of the value axis that may stay empty below data that are all
/// positive (or above data all negative) so that the axis starts at zero.
pub const ZERO_SLACK: f64 = 0.4;

/// The value range to draw for data from `lo` to `hi` (`None`: no data).
///
/// The axis starts at zero when all the data are ≥ 0 and the empty strip
/// that adds below them would take at most 40 % of the axis (`lo ≤ 0.4 ×
/// hi`); the same for data all ≤ 0 (the axis then ends at zero). Otherwise
/// the data's own range, so a series far from zero keeps its detail.
/// Constant data include zero (a flat line at 100 shows on a 0-100 axis);
/// all-zero or no data give `0..1`.
pub fn value_range(extent: Option<(f64, f64)>) -> (f64, f64) {
    let Some((lo, hi)) = extent else {
        return (0.0, 1.0);
    };
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if hi - lo <= 1e-12 * lo.abs().max(hi.abs()) {
        return if lo == 0.0 && hi == 0.0 {
            (0.0, 1.0)
        } else {
            (lo.min(0.0), hi.max(0.0))
        };
    }
    if lo >= 0.0 && lo <= ZERO_SLACK * hi {
        (0.0, hi)
    } else if hi <= 0.0 && hi >= ZERO_SLACK * lo {
        (lo, 0.0)
    } else {
        (lo, hi)
    }
}

/// The year range to draw: the data's own (no padding, the lines reach the
/// plot's edges), or one unit around a single year, `0..1` without data.
pub fn year_range(extent: Option<(f64, f64)>) -> (f64, f64) {
    match extent {
        None => (0.0, 1.0),
        Some((lo, hi)) if hi - lo <= 1e-12 * lo.abs().max(hi.abs()) => (lo - 0.5, hi + 0.5),
        Some((lo, hi)) => (lo, hi),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `step` is 1, 2 or 5 times a power of ten.
    fn is_nice(step: f64) -> bool {
        let mantissa = step / 10f64.powf(step.log10().floor());
        [1.0, 2.0, 5.0, 10.0]
            .iter()
            .any(|m| (mantissa - m).abs() < 1e-6)
    }

    fn ranges() -> Vec<(f64, f64)> {
        let mut out = vec![
            (0.0, 1.0),
            (0.0, 148_500.0),
            (26.2, 26.9),
            (-3.0, 7.0),
            (-1e9, -2e8),
            (1e-7, 3e-7),
            (2020.0, 2050.0),
            (1e15, 1e15 + 3e4),
        ];
        for i in 0..400 {
            let lo = (i as f64 * 7.31).sin() * 10f64.powi(i % 9 - 3);
            let span = (1.0 + (i as f64 * 3.7).cos().abs() * 99.0) * 10f64.powi(i % 7 - 2);
            out.push((lo, lo + span));
        }
        out
    }

    #[test]
    fn nice_ticks_are_nice_cover_the_data_and_number_4_to_7() {
        for (lo, hi) in ranges() {
            let t = nice_ticks(lo, hi, 7);
            let n = t.values.len();
            assert!((4..=7).contains(&n), "{lo}..{hi}: {n} ticks {t:?}");
            assert!(is_nice(t.step), "{lo}..{hi}: step {}", t.step);
            let tol = 1e-9 * t.step;
            assert!(
                t.values[0] <= lo + tol && t.values[n - 1] >= hi - tol,
                "{lo}..{hi}: {t:?}"
            );
            assert!(
                t.values[0] > lo - t.step,
                "{lo}..{hi}: first tick too low {t:?}"
            );
            assert!(
                t.values[n - 1] < hi + t.step,
                "{lo}..{hi}: last tick too high"
            );
        }
    }

    #[test]
    fn tick_values_are_exact_multiples() {
        let t = nice_ticks(0.0, 0.55, 7);
        assert_eq!(t.step, 0.1);
        assert_eq!(t.values, vec![0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
        let t = nice_ticks(0.0, 148_500.0, 7);
        assert_eq!(t.step, 50_000.0);
        assert_eq!(t.values.last(), Some(&150_000.0));
    }

    #[test]
    fn fewer_ticks_when_asked() {
        for (lo, hi) in ranges() {
            let t = nice_ticks(lo, hi, 3);
            assert!((2..=3).contains(&t.values.len()), "{lo}..{hi}: {t:?}");
        }
    }

    #[test]
    fn inner_ticks_stay_inside_and_respect_the_minimum_step() {
        let t = inner_ticks(2020.0, 2050.0, 7, 1.0);
        assert_eq!(
            t.values,
            vec![2020.0, 2025.0, 2030.0, 2035.0, 2040.0, 2045.0, 2050.0]
        );
        let t = inner_ticks(2023.0, 2026.0, 7, 1.0);
        assert_eq!(t.step, 1.0);
        assert_eq!(t.values, vec![2023.0, 2024.0, 2025.0, 2026.0]);
        let t = inner_ticks(2024.5, 2025.5, 7, 1.0);
        assert_eq!(t.values, vec![2025.0]);
        for (lo, hi) in ranges() {
            let t = inner_ticks(lo, hi, 7, 0.0);
            assert!(
                t.values.len() <= 7 && t.values.len() >= 2,
                "{lo}..{hi}: {t:?}"
            );
            let inside = |v: f64| v >= lo - 1e-9 * t.step && v <= hi + 1e-9 * t.step;
            assert!(t.values.iter().all(|&v| inside(v)), "{lo}..{hi}: {t:?}");
        }
    }

    #[test]
    fn degenerate_ranges_still_give_ticks() {
        for (lo, hi) in [
            (5.0, 5.0),
            (0.0, 0.0),
            (f64::NAN, 1.0),
            (1.0, f64::INFINITY),
            (9.0, 1.0),
            (-1e300, 1e300),
        ] {
            let t = nice_ticks(lo, hi, 7);
            assert!(t.values.len() >= 2, "{lo}..{hi}: {t:?}");
            assert!(t.values.iter().all(|v| v.is_finite()) && t.step > 0.0);
        }
    }

    #[test]
    fn value_axis_starts_at_zero_only_when_little_space_is_lost() {
        assert_eq!(value_range(Some((30.0, 100.0))), (0.0, 100.0));
        assert_eq!(value_range(Some((40.0, 100.0))), (0.0, 100.0));
        assert_eq!(value_range(Some((50.0, 100.0))), (50.0, 100.0));
        assert_eq!(value_range(Some((-100.0, -30.0))), (-100.0, 0.0));
        assert_eq!(value_range(Some((-100.0, -50.0))), (-100.0, -50.0));
        assert_eq!(value_range(Some((-5.0, 100.0))), (-5.0, 100.0));
        assert_eq!(value_range(Some((7.0, 7.0))), (0.0, 7.0));
        assert_eq!(value_range(Some((-7.0, -7.0))), (-7.0, 0.0));
        assert_eq!(value_range(Some((0.0, 0.0))), (0.0, 1.0));
        assert_eq!(value_range(None), (0.0, 1.0));
    }

    #[test]
    fn year_range_pads_a_single_year() {
        assert_eq!(year_range(Some((2020.0, 2050.0))), (2020.0, 2050.0));
        assert_eq!(year_range(Some((2030.0, 2030.0))), (2029.5, 2030.5));
        assert_eq!(year_range(None), (0.0, 1.0));
    }

    #[test]
    fn usable_leaves_out_what_cannot_be_drawn() {
        assert!(usable(0.0) && usable(-1e300) && usable(1e12));
        assert!(!usable(f64::NAN) && !usable(f64::INFINITY) && !usable(1e301));
    }
}
