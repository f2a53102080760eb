//! One op to Cranelift IR: each of its `N` lanes as scalar `f64`
//! instructions, with the interpreter's order of operations, comparisons
//! and NaN rules (`exec`), and calls of `calls` for everything a library
//! defines.

use std::collections::HashMap;

use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{AbiParam, InstBuilder, MemFlagsData, SigRef, Signature, Value, types};
use cranelift_frontend::FunctionBuilder;

use super::calls;
use crate::model::compile::{Code, Op, Table};

/// The signatures of the functions native code calls, imported into the
/// function being built.
pub(super) struct Sigs {
    f1: SigRef,
    f2: SigRef,
    f3: SigRef,
    lookup: SigRef,
    draw: SigRef,
    allocate: SigRef,
}

impl Sigs {
    pub(super) fn import(b: &mut FunctionBuilder, base: &Signature) -> Sigs {
        let sig = |params: &[types::Type]| {
            let mut s = Signature::new(base.call_conv);
            s.params.extend(params.iter().map(|&t| AbiParam::new(t)));
            s.returns.push(AbiParam::new(types::F64));
            s
        };
        let (f, i) = (types::F64, types::I64);
        Sigs {
            f1: b.import_signature(sig(&[f])),
            f2: b.import_signature(sig(&[f, f])),
            f3: b.import_signature(sig(&[f, f, f])),
            lookup: b.import_signature(sig(&[i, f])),
            draw: b.import_signature(sig(&[i, i, i, i, i, i, i, f])),
            allocate: b.import_signature(sig(&[i, i, i, i, i])),
        }
    }
}

/// The function's parameters, as IR values.
#[derive(Clone, Copy)]
pub(super) struct Params {
    pub regs: Value,
    pub tables: Value,
    pub seed: Value,
    pub time: Value,
}

/// Builds a program's ops into the current block of `b`. Values loaded or
/// stored are kept (per slot and lane) so that an op reading the one
/// before does not reload it; the cache is dropped every few ops and at
/// every call, so that no value stays live long (register pressure and
/// Cranelift's allocation time both grow with it).
pub(super) struct Lower<'a, 'b, const N: usize> {
    pub b: &'a mut FunctionBuilder<'b>,
    pub sigs: &'a Sigs,
    pub p: Params,
    cache: HashMap<u64, Value>,
    ops_since_flush: usize,
}

/// Ops between two drops of the value cache.
const FLUSH_EVERY: usize = 32;

/// Memory accesses of the register file: aligned, never trapping (the
/// slots are checked before the program runs, as for the interpreter).
fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// A binary function of `f64`s, as native code calls it.
type F2 = extern "C" fn(f64, f64) -> f64;

impl<'a, 'b, const N: usize> Lower<'a, 'b, N> {
    pub(super) fn new(b: &'a mut FunctionBuilder<'b>, sigs: &'a Sigs, p: Params) -> Self {
        Lower {
            b,
            sigs,
            p,
            cache: HashMap::new(),
            ops_since_flush: 0,
        }
    }

    /// The byte offset of slot `s`, lane `l` (checked to fit beforehand).
    fn offset(s: u32, l: usize) -> i32 {
        ((u64::from(s) * N as u64 + l as u64) * 8) as i32
    }

    fn get(&mut self, s: u32, l: usize) -> Value {
        let key = u64::from(s) * N as u64 + l as u64;
        if let Some(v) = self.cache.get(&key) {
            return *v;
        }
        let v = self
            .b
            .ins()
            .load(types::F64, flags(), self.p.regs, Self::offset(s, l));
        self.cache.insert(key, v);
        v
    }

    fn set(&mut self, s: u32, l: usize, v: Value) {
        self.b
            .ins()
            .store(flags(), v, self.p.regs, Self::offset(s, l));
        self.cache.insert(u64::from(s) * N as u64 + l as u64, v);
    }

    fn lanes(&mut self, s: u32) -> [Value; N] {
        std::array::from_fn(|l| self.get(s, l))
    }

    fn f64(&mut self, x: f64) -> Value {
        self.b.ins().f64const(x)
    }

    /// 1.0 when `c`, else 0.0 (the interpreter's booleans).
    fn bool(&mut self, c: Value) -> Value {
        let (one, zero) = (self.f64(1.0), self.f64(0.0));
        self.b.ins().select(c, one, zero)
    }

    fn cmp(&mut self, cc: FloatCC, x: Value, y: Value) -> Value {
        self.b.ins().fcmp(cc, x, y)
    }

    /// `x != 0.0`, true for NaN as in Rust.
    fn nonzero(&mut self, x: Value) -> Value {
        let zero = self.f64(0.0);
        self.cmp(FloatCC::NotEqual, x, zero)
    }

    /// Rust's `x.min(y)` as this host's `exec` computes it (x86-64, LLVM's
    /// lowering of `minnum`): `y` when `x` is NaN, else `y < x ? y : x`,
    /// so that NaN gives the other operand and of two zeros `x` is kept.
    fn min(&mut self, x: Value, y: Value) -> Value {
        let lt = self.cmp(FloatCC::LessThan, y, x);
        let m = self.b.ins().select(lt, y, x);
        let nan = self.cmp(FloatCC::Unordered, x, x);
        self.b.ins().select(nan, y, m)
    }

    /// Rust's `x.max(y)`, as `min`: `y` when `x` is NaN, else `y > x ? y : x`.
    fn max(&mut self, x: Value, y: Value) -> Value {
        let gt = self.cmp(FloatCC::GreaterThan, y, x);
        let m = self.b.ins().select(gt, y, x);
        let nan = self.cmp(FloatCC::Unordered, x, x);
        self.b.ins().select(nan, y, m)
    }

    fn call(&mut self, sig: SigRef, f: *const (), args: &[Value]) -> Value {
        let callee = self.b.ins().iconst(types::I64, f as usize as i64);
        let call = self.b.ins().call_indirect(sig, callee, args);
        self.b.inst_results(call)[0]
    }

    fn un(&mut self, op: &Op, f: impl Fn(&mut Self, Value) -> Value) {
        let x = self.lanes(op.a);
        for (l, x) in x.into_iter().enumerate() {
            let v = f(self, x);
            self.set(op.dst, l, v);
        }
    }

    fn bin(&mut self, op: &Op, f: impl Fn(&mut Self, Value, Value) -> Value) {
        let (x, y) = (self.lanes(op.a), self.lanes(op.b));
        for l in 0..N {
            let v = f(self, x[l], y[l]);
            self.set(op.dst, l, v);
        }
    }

    fn tri(&mut self, op: &Op, f: impl Fn(&mut Self, Value, Value, Value) -> Value) {
        let (x, y, z) = (self.lanes(op.a), self.lanes(op.b), self.lanes(op.c));
        for l in 0..N {
            let v = f(self, x[l], y[l], z[l]);
            self.set(op.dst, l, v);
        }
    }

    fn call1(&mut self, op: &Op, f: extern "C" fn(f64) -> f64) {
        let sig = self.sigs.f1;
        self.un(op, |s, x| s.call(sig, f as *const (), &[x]));
        self.cache.clear();
    }

    fn call2(&mut self, op: &Op, f: F2) {
        let sig = self.sigs.f2;
        self.bin(op, |s, x, y| s.call(sig, f as *const (), &[x, y]));
        self.cache.clear();
    }

    fn call3(&mut self, op: &Op, f: extern "C" fn(f64, f64, f64) -> f64) {
        let sig = self.sigs.f3;
        self.tri(op, |s, x, y, z| s.call(sig, f as *const (), &[x, y, z]));
        self.cache.clear();
    }

    fn fcmp(&mut self, op: &Op, cc: FloatCC) {
        self.bin(op, |s, x, y| {
            let c = s.cmp(cc, x, y);
            s.bool(c)
        });
    }

    /// One op, every lane. No wildcard: a new `Code` fails to compile
    /// until it is lowered here.
    pub(super) fn op(&mut self, op: &Op) {
        match op.code {
            Code::Copy => {
                for l in 0..N {
                    let v = self.get(op.a, l);
                    self.set(op.dst, l, v);
                }
            }
            Code::Add => self.bin(op, |s, x, y| s.b.ins().fadd(x, y)),
            Code::Sub => self.bin(op, |s, x, y| s.b.ins().fsub(x, y)),
            Code::Mul => self.bin(op, |s, x, y| s.b.ins().fmul(x, y)),
            Code::Div => self.bin(op, |s, x, y| s.b.ins().fdiv(x, y)),
            Code::Pow => self.call2(op, calls::pow),
            Code::Lt => self.fcmp(op, FloatCC::LessThan),
            Code::Le => self.fcmp(op, FloatCC::LessThanOrEqual),
            Code::Gt => self.fcmp(op, FloatCC::GreaterThan),
            Code::Ge => self.fcmp(op, FloatCC::GreaterThanOrEqual),
            Code::Eq => self.fcmp(op, FloatCC::Equal),
            // Unordered or not equal: Rust's `!=`, true for NaN.
            Code::Ne => self.fcmp(op, FloatCC::NotEqual),
            Code::And | Code::Or => self.bin(op, |s, x, y| {
                let (p, q) = (s.nonzero(x), s.nonzero(y));
                let c = match op.code {
                    Code::And => s.b.ins().band(p, q),
                    _ => s.b.ins().bor(p, q),
                };
                s.bool(c)
            }),
            Code::Neg => self.un(op, |s, x| s.b.ins().fneg(x)),
            Code::Not => self.un(op, |s, x| {
                let zero = s.f64(0.0);
                let c = s.cmp(FloatCC::Equal, x, zero);
                s.bool(c)
            }),
            Code::Min => self.bin(op, |s, x, y| s.min(x, y)),
            Code::Max => self.bin(op, |s, x, y| s.max(x, y)),
            Code::Abs => self.un(op, |s, x| s.b.ins().fabs(x)),
            Code::Exp => self.call1(op, calls::exp),
            Code::Ln => self.call1(op, calls::ln),
            Code::Sqrt => self.un(op, |s, x| s.b.ins().sqrt(x)),
            // Half away from zero, not Cranelift's `nearest` (half to even).
            Code::Round => self.call1(op, calls::round),
            Code::Floor => self.un(op, |s, x| s.b.ins().floor(x)),
            Code::Mod => self.call2(op, calls::modulo),
            Code::Sin => self.call1(op, calls::sin),
            Code::Cos => self.call1(op, calls::cos),
            Code::Tan => self.call1(op, calls::tan),
            Code::Asin => self.call1(op, calls::asin),
            Code::Acos => self.call1(op, calls::acos),
            Code::Atan => self.call1(op, calls::atan),
            Code::Sinh => self.call1(op, calls::sinh),
            Code::Cosh => self.call1(op, calls::cosh),
            Code::Tanh => self.call1(op, calls::tanh),
            Code::Log10 => self.call1(op, calls::log10),
            Code::SafeDiv => self.call3(op, calls::safediv),
            Code::Xidz => self.call3(op, calls::xidz_),
            Code::Select => self.tri(op, |s, c, x, y| {
                let c = s.nonzero(c);
                s.b.ins().select(c, x, y)
            }),
            Code::Clamp => self.tri(op, |s, x, lo, hi| {
                let m = s.max(x, lo);
                s.min(m, hi)
            }),
            Code::MulDiv => self.tri(op, |s, x, y, z| {
                let m = s.b.ins().fmul(x, y);
                s.b.ins().fdiv(m, z)
            }),
            Code::Add3 => self.tri(op, |s, x, y, z| {
                let m = s.b.ins().fadd(x, y);
                s.b.ins().fadd(m, z)
            }),
            // Not an FMA: a multiplication rounded, then an addition.
            Code::MulAdd => self.tri(op, |s, x, y, z| {
                let m = s.b.ins().fmul(y, z);
                s.b.ins().fadd(x, m)
            }),
            Code::SelLt | Code::SelGe => {
                let cc = if op.code == Code::SelLt {
                    FloatCC::LessThan
                } else {
                    FloatCC::GreaterThanOrEqual
                };
                let (x, y) = (self.lanes(op.a), self.lanes(op.b));
                let (p, q) = (self.lanes(op.c), self.lanes(op.d));
                for l in 0..N {
                    let c = self.cmp(cc, x[l], y[l]);
                    let v = self.b.ins().select(c, p[l], q[l]);
                    self.set(op.dst, l, v);
                }
            }
            // Each lane draws from its own arguments (a block of slots, as
            // `AllocateAvailable` reads), the run's seed and the step's time.
            Code::Draw => {
                let i = |s: &mut Self, x: u64| s.b.ins().iconst(types::I64, x as i64);
                let (base, n, lanes, dist) = (
                    i(self, op.a.into()),
                    i(self, op.b.into()),
                    i(self, N as u64),
                    i(self, op.d.into()),
                );
                let (regs, seed, time, sig) =
                    (self.p.regs, self.p.seed, self.p.time, self.sigs.draw);
                for l in 0..N {
                    let lane = i(self, l as u64);
                    let f = calls::draw as *const ();
                    let v = self.call(sig, f, &[regs, base, n, lane, lanes, dist, seed, time]);
                    self.set(op.dst, l, v);
                }
                self.cache.clear();
            }
            Code::AllocateAvailable => {
                // Reads its block from memory, which every op's store keeps
                // up to date.
                let i = |s: &mut Self, x: u64| s.b.ins().iconst(types::I64, x as i64);
                let (base, n, lanes) = (
                    i(self, op.a.into()),
                    i(self, op.b.into()),
                    i(self, N as u64),
                );
                let (regs, sig) = (self.p.regs, self.sigs.allocate);
                for l in 0..N {
                    let lane = i(self, l as u64);
                    let f = calls::allocate as *const ();
                    let v = self.call(sig, f, &[regs, base, n, lane, lanes]);
                    self.set(op.dst, l, v);
                }
                self.cache.clear();
            }
            Code::Lookup => {
                let size = std::mem::size_of::<Table>() as i64;
                let t = self
                    .b
                    .ins()
                    .iadd_imm_s(self.p.tables, i64::from(op.b) * size);
                let sig = self.sigs.lookup;
                self.un(op, |s, x| s.call(sig, calls::lookup as *const (), &[t, x]));
                self.cache.clear();
            }
        }
        self.ops_since_flush += 1;
        if self.ops_since_flush >= FLUSH_EVERY {
            self.cache.clear();
            self.ops_since_flush = 0;
        }
    }
}
