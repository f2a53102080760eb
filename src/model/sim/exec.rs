//! The interpreter: straight-line ops over `N` lanes at once.

use crate::model::compile::{Code, Op, Table};
use crate::model::expr::allocation;
use crate::model::expr::builtins::{floored_mod, safe_div, xidz};
use crate::model::expr::random::{self, Dist};

/// Runs straight-line code over `N` lanes.
///
/// # Safety
/// Every slot named by an op (`dst`, `a`, and `b`/`c` where used, the
/// block `a..a + b` of `AllocateAvailable` and `Draw`) must be
/// within `r`, and every `Lookup` op's table index within `tables`. The
/// compiler checks both for the programs it builds (`CompiledModel::max_slot`);
/// the caller checks that the register file is long enough. Skipping the
/// bounds checks halves the instructions per op on this hot path.
#[inline(never)]
pub(super) unsafe fn exec<const N: usize>(
    ops: &[Op],
    r: &mut [[f64; N]],
    tables: &[Table],
    (seed, step_time): (u64, f64),
) {
    macro_rules! get {
        ($i:expr) => {
            // SAFETY: see the function's contract.
            *unsafe { r.get_unchecked($i as usize) }
        };
    }
    macro_rules! set {
        ($i:expr, $v:expr) => {
            // SAFETY: see the function's contract.
            *unsafe { r.get_unchecked_mut($i as usize) } = $v
        };
    }
    macro_rules! un {
        ($op:expr, $f:expr) => {{
            let x = get!($op.a);
            let mut o = [0.0; N];
            for i in 0..N {
                o[i] = $f(x[i]);
            }
            set!($op.dst, o);
        }};
    }
    macro_rules! bin {
        ($op:expr, $f:expr) => {{
            let x = get!($op.a);
            let y = get!($op.b);
            let mut o = [0.0; N];
            for i in 0..N {
                o[i] = $f(x[i], y[i]);
            }
            set!($op.dst, o);
        }};
    }
    macro_rules! tri {
        ($op:expr, $f:expr) => {{
            let (x, y, z) = (get!($op.a), get!($op.b), get!($op.c));
            let mut o = [0.0; N];
            for i in 0..N {
                o[i] = $f(x[i], y[i], z[i]);
            }
            set!($op.dst, o);
        }};
    }
    let b = |c: bool| if c { 1.0 } else { 0.0 };
    for op in ops {
        match op.code {
            Code::Copy => set!(op.dst, get!(op.a)),
            Code::Add => bin!(op, |x, y| x + y),
            Code::Sub => bin!(op, |x, y| x - y),
            Code::Mul => bin!(op, |x, y| x * y),
            Code::Div => bin!(op, |x, y| x / y),
            Code::Pow => bin!(op, |x: f64, y| x.powf(y)),
            Code::Lt => bin!(op, |x, y| b(x < y)),
            Code::Le => bin!(op, |x, y| b(x <= y)),
            Code::Gt => bin!(op, |x, y| b(x > y)),
            Code::Ge => bin!(op, |x, y| b(x >= y)),
            Code::Eq => bin!(op, |x, y| b(x == y)),
            Code::Ne => bin!(op, |x, y| b(x != y)),
            Code::And => bin!(op, |x, y| b(x != 0.0 && y != 0.0)),
            Code::Or => bin!(op, |x, y| b(x != 0.0 || y != 0.0)),
            Code::Min => bin!(op, |x: f64, y| x.min(y)),
            Code::Max => bin!(op, |x: f64, y| x.max(y)),
            Code::Neg => un!(op, |x: f64| -x),
            Code::Not => un!(op, |x| b(x == 0.0)),
            Code::Abs => un!(op, |x: f64| x.abs()),
            Code::Exp => un!(op, |x: f64| x.exp()),
            Code::Ln => un!(op, |x: f64| x.ln()),
            Code::Sqrt => un!(op, |x: f64| x.sqrt()),
            Code::Round => un!(op, |x: f64| x.round()),
            Code::Floor => un!(op, |x: f64| x.floor()),
            Code::Mod => bin!(op, floored_mod),
            Code::Sin => un!(op, |x: f64| x.sin()),
            Code::Cos => un!(op, |x: f64| x.cos()),
            Code::Tan => un!(op, |x: f64| x.tan()),
            Code::Asin => un!(op, |x: f64| x.asin()),
            Code::Acos => un!(op, |x: f64| x.acos()),
            Code::Atan => un!(op, |x: f64| x.atan()),
            Code::Sinh => un!(op, |x: f64| x.sinh()),
            Code::Cosh => un!(op, |x: f64| x.cosh()),
            Code::Tanh => un!(op, |x: f64| x.tanh()),
            Code::Log10 => un!(op, |x: f64| x.log10()),
            Code::SafeDiv => tri!(op, safe_div),
            Code::Xidz => tri!(op, xidz),
            Code::Select => {
                let (c, x, y) = (get!(op.a), get!(op.b), get!(op.c));
                let mut o = [0.0; N];
                for i in 0..N {
                    o[i] = if c[i] != 0.0 { x[i] } else { y[i] };
                }
                set!(op.dst, o);
            }
            Code::Clamp => {
                let (x, lo, hi) = (get!(op.a), get!(op.b), get!(op.c));
                let mut o = [0.0; N];
                for i in 0..N {
                    o[i] = x[i].max(lo[i]).min(hi[i]);
                }
                set!(op.dst, o);
            }
            Code::MulDiv => {
                let (x, y, z) = (get!(op.a), get!(op.b), get!(op.c));
                let mut o = [0.0; N];
                for i in 0..N {
                    o[i] = x[i] * y[i] / z[i];
                }
                set!(op.dst, o);
            }
            Code::MulAdd => {
                let (x, y, z) = (get!(op.a), get!(op.b), get!(op.c));
                let mut o = [0.0; N];
                for i in 0..N {
                    o[i] = x[i] + y[i] * z[i];
                }
                set!(op.dst, o);
            }
            Code::Add3 => {
                let (x, y, z) = (get!(op.a), get!(op.b), get!(op.c));
                let mut o = [0.0; N];
                for i in 0..N {
                    o[i] = x[i] + y[i] + z[i];
                }
                set!(op.dst, o);
            }
            Code::SelLt | Code::SelGe => {
                let (x, y, p, q) = (get!(op.a), get!(op.b), get!(op.c), get!(op.d));
                let lt = op.code == Code::SelLt;
                let mut o = [0.0; N];
                for i in 0..N {
                    let c = if lt { x[i] < y[i] } else { x[i] >= y[i] };
                    o[i] = if c { p[i] } else { q[i] };
                }
                set!(op.dst, o);
            }
            // The step's time, not the slot's: under RK4 a step's draws
            // hold through its four stages.
            Code::Draw => {
                let (base, n) = (op.a as usize, op.b as usize);
                let mut o = [f64::NAN; N];
                if let Some(dist) = Dist::from_code(op.d) {
                    for (i, o) in o.iter_mut().enumerate() {
                        // SAFETY: see the function's contract.
                        let arg = |j: usize| unsafe { r.get_unchecked(base + j)[i] };
                        *o = random::draw(dist, n, arg, seed, step_time);
                    }
                }
                set!(op.dst, o);
            }
            Code::AllocateAvailable => {
                let (base, n) = (op.a as usize, op.b as usize);
                let mut o = [0.0; N];
                for (i, o) in o.iter_mut().enumerate() {
                    // SAFETY: see the function's contract.
                    let arg = |j: usize| unsafe { r.get_unchecked(base + j)[i] };
                    *o = allocation::call(n, arg).unwrap_or(f64::NAN);
                }
                set!(op.dst, o);
            }
            Code::Lookup => {
                // SAFETY: see the function's contract.
                let t = unsafe { tables.get_unchecked(op.b as usize) };
                un!(op, |x| t.eval(x))
            }
        }
    }
}
