//! The functions native code calls: `extern "C"` wrappers of the very
//! functions the interpreter (`exec`) calls, so a transcendental or
//! library-defined op gives the interpreter's bits.
//!
//! None of them can unwind: each is a pure function of its arguments that
//! does not panic (and an `extern "C"` function aborts rather than unwind).

use crate::model::compile::Table;
use crate::model::expr::allocation;
use crate::model::expr::builtins::{floored_mod, safe_div, xidz};
use crate::model::expr::random::{self, Dist};

pub(super) extern "C" fn pow(x: f64, y: f64) -> f64 {
    x.powf(y)
}
pub(super) extern "C" fn exp(x: f64) -> f64 {
    x.exp()
}
pub(super) extern "C" fn ln(x: f64) -> f64 {
    x.ln()
}
pub(super) extern "C" fn log10(x: f64) -> f64 {
    x.log10()
}
pub(super) extern "C" fn round(x: f64) -> f64 {
    x.round()
}
pub(super) extern "C" fn sin(x: f64) -> f64 {
    x.sin()
}
pub(super) extern "C" fn cos(x: f64) -> f64 {
    x.cos()
}
pub(super) extern "C" fn tan(x: f64) -> f64 {
    x.tan()
}
pub(super) extern "C" fn asin(x: f64) -> f64 {
    x.asin()
}
pub(super) extern "C" fn acos(x: f64) -> f64 {
    x.acos()
}
pub(super) extern "C" fn atan(x: f64) -> f64 {
    x.atan()
}
pub(super) extern "C" fn sinh(x: f64) -> f64 {
    x.sinh()
}
pub(super) extern "C" fn cosh(x: f64) -> f64 {
    x.cosh()
}
pub(super) extern "C" fn tanh(x: f64) -> f64 {
    x.tanh()
}
pub(super) extern "C" fn modulo(x: f64, y: f64) -> f64 {
    floored_mod(x, y)
}
pub(super) extern "C" fn safediv(a: f64, b: f64, x: f64) -> f64 {
    safe_div(a, b, x)
}
pub(super) extern "C" fn xidz_(a: f64, b: f64, x: f64) -> f64 {
    xidz(a, b, x)
}
/// A `Draw` op's value in lane `lane` of a register file of `lanes`
/// lanes: distribution `dist` (`Dist::from_code`) over the `n` argument
/// slots from `base` on, as `exec` computes it.
///
/// # Safety
/// Slots `base..base + n` are within the register file `regs` points to.
#[allow(clippy::too_many_arguments)]
pub(super) unsafe extern "C" fn draw(
    regs: *const f64,
    base: u64,
    n: u64,
    lane: u64,
    lanes: u64,
    dist: u64,
    seed: u64,
    time: f64,
) -> f64 {
    let Some(dist) = u32::try_from(dist).ok().and_then(Dist::from_code) else {
        return f64::NAN;
    };
    let (base, lane, lanes) = (base as usize, lane as usize, lanes as usize);
    // SAFETY: see the function's contract.
    let arg = |j: usize| unsafe { *regs.add((base + j) * lanes + lane) };
    random::draw(dist, n as usize, arg, seed, time)
}

/// `tables[i].eval(x)`, the caller having computed `&tables[i]`.
///
/// # Safety
/// `t` points to a live `Table` (the program's, whose index the compiler
/// checked).
pub(super) unsafe extern "C" fn lookup(t: *const Table, x: f64) -> f64 {
    // SAFETY: see the function's contract.
    unsafe { &*t }.eval(x)
}

/// `allocate_available` over the `n` slots from `base` on, lane `lane` of
/// a register file of `lanes` lanes, as `exec` computes it.
///
/// # Safety
/// Slots `base..base + n` are within the register file `regs` points to.
pub(super) unsafe extern "C" fn allocate(
    regs: *const f64,
    base: u64,
    n: u64,
    lane: u64,
    lanes: u64,
) -> f64 {
    let (base, lane, lanes) = (base as usize, lane as usize, lanes as usize);
    // SAFETY: see the function's contract.
    let arg = |j: usize| unsafe { *regs.add((base + j) * lanes + lane) };
    allocation::call(n as usize, arg).unwrap_or(f64::NAN)
}
