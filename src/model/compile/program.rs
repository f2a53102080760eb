//! The program the simulator runs: instructions (`Op`, `Code`), lookup
//! tables, data series, and the register-file layout their slots index.
//!
//! Slots are laid out as
//! `[year][levers][variables this year][variables last year][temporaries][constants]`.
//! While an equation is compiled its temporaries, constants and last-year
//! slots are not yet placed: their slots carry a tag (`TAG_TEMP`,
//! `TAG_CONST`, `TAG_PREV`) that `Layout::fix` turns into a final slot once
//! every equation is known.
//!
//! "Variables" here are the model's, then the hidden ones the compiler adds
//! for stateful calls (`init(x)`): `n_vars` counts both.

use crate::model::def::{LookupMode, lookup_value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Code {
    Copy,
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    Neg,
    Not,
    Min,
    Max,
    Abs,
    Exp,
    Ln,
    Sqrt,
    Round,
    /// dst = floor(a)
    Floor,
    /// dst = a mod b, floored (`builtins::floored_mod`)
    Mod,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Log10,
    /// dst = b == 0 ? c : a / b (`builtins::safe_div`)
    SafeDiv,
    /// dst = |b| < 1e-6 ? c : a / b (`builtins::xidz`)
    Xidz,
    /// dst = a != 0 ? b : c
    Select,
    /// dst = min(max(a, b), c)
    Clamp,
    /// dst = table[b](a)
    Lookup,
    // Fused pairs (see `fuse`): one dispatch instead of two.
    /// dst = a * b / c
    MulDiv,
    /// dst = a + b + c, added left to right
    Add3,
    /// dst = a + b * c (a stock's step: last value + change * dt; not
    /// fused into one rounding, so the same bits as a `Mul` then an `Add`)
    MulAdd,
    /// dst = if a < b { c } else { d }
    SelLt,
    /// dst = if a >= b { c } else { d }
    SelGe,
    /// dst = `allocate_available` over the `b` slots from `a` on
    /// (`allocation::call`; `b` is a count, not a slot)
    AllocateAvailable,
    /// dst = a random draw of distribution `d` (`random::Dist::code`, not
    /// a slot) over the `b` slots from `a` on, for the run's seed and the
    /// step's time (`random::draw`; `b` is a count)
    Draw,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Op {
    pub code: Code,
    pub dst: u32,
    pub a: u32,
    pub b: u32,
    pub c: u32,
    pub d: u32,
}

impl Op {
    /// `dst = code(a, b)`, the other operands unused.
    pub(crate) fn new(code: Code, dst: u32, a: u32, b: u32) -> Op {
        Op {
            code,
            dst,
            a,
            b,
            c: 0,
            d: 0,
        }
    }

    /// Every slot the op names, `dst` first (a lookup's table index is not a slot).
    pub(crate) fn slots(&self) -> Vec<u32> {
        let mut slots = vec![self.dst, self.a];
        match self.code {
            Code::Lookup => {}
            Code::AllocateAvailable | Code::Draw => slots.extend(self.a + 1..self.a + self.b),
            Code::Select
            | Code::Clamp
            | Code::MulDiv
            | Code::Add3
            | Code::MulAdd
            | Code::SafeDiv
            | Code::Xidz => slots.extend([self.b, self.c]),
            Code::SelLt | Code::SelGe => slots.extend([self.b, self.c, self.d]),
            _ => slots.push(self.b),
        }
        slots
    }
}

/// A lookup table as the program reads it (`def::lookup_value`).
#[derive(Clone, Debug)]
pub(crate) struct Table {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    pub mode: LookupMode,
}

impl Table {
    #[inline]
    pub fn eval(&self, x: f64) -> f64 {
        // `n` within both: the compiler sees every index below it in range.
        let n = self.xs.len().min(self.ys.len());
        let (xs, ys) = (&self.xs[..n], &self.ys[..n]);
        lookup_value(n, self.mode, x, |i| (xs[i], ys[i]))
    }
}

/// A data variable's value at every time step of the run.
#[derive(Clone, Debug)]
pub(crate) struct DataSeries {
    pub var: usize,
    pub values: Vec<f64>,
}

/// Linear between points, flat beyond the ends.
pub fn interpolate(points: &[(i32, f64)], year: f64) -> f64 {
    let first = points[0];
    let last = points[points.len() - 1];
    if year <= first.0 as f64 {
        return first.1;
    }
    if year >= last.0 as f64 {
        return last.1;
    }
    for w in points.windows(2) {
        let (y0, v0) = (w[0].0 as f64, w[0].1);
        let (y1, v1) = (w[1].0 as f64, w[1].1);
        if year <= y1 {
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0);
        }
    }
    last.1
}

pub(crate) const YEAR_SLOT: u32 = 0;
/// A temporary's slot before layout: the tag, then its number in the equation.
pub(crate) const TAG_TEMP: u32 = 1 << 30;
/// A constant's slot before layout: the tag, then its index in the pool.
pub(crate) const TAG_CONST: u32 = 2 << 30;
/// A variable's last-year slot before layout (where it lies depends on how
/// many hidden variables there are): the tag, then the variable's number.
pub(crate) const TAG_PREV: u32 = 3 << 30;
const TAG_MASK: u32 = 3 << 30;

/// Where each part of the register file starts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Layout {
    pub n_levers: usize,
    pub n_vars: usize,
    pub n_temps: usize,
    pub n_consts: usize,
}

impl Layout {
    pub(crate) fn lever(&self, i: usize) -> u32 {
        (1 + i) as u32
    }
    /// Variable `i`'s value this year.
    pub(crate) fn cur(&self, i: usize) -> u32 {
        (1 + self.n_levers + i) as u32
    }
    /// Variable `i`'s value last year.
    pub(crate) fn prev(&self, i: usize) -> u32 {
        (1 + self.n_levers + self.n_vars + i) as u32
    }
    pub(crate) fn temp_base(&self) -> u32 {
        (1 + self.n_levers + 2 * self.n_vars) as u32
    }
    pub(crate) fn const_base(&self) -> u32 {
        self.temp_base() + self.n_temps as u32
    }
    pub(crate) fn n_slots(&self) -> usize {
        self.const_base() as usize + self.n_consts
    }

    /// A tagged slot (temporary, constant or last year's value) to its place
    /// in the register file.
    pub(crate) fn fix(&self, x: u32) -> u32 {
        match x & TAG_MASK {
            TAG_TEMP => self.temp_base() + (x & !TAG_MASK),
            TAG_CONST => self.const_base() + (x & !TAG_MASK),
            TAG_PREV => self.prev((x & !TAG_MASK) as usize),
            _ => x,
        }
    }

    /// Every operand of every op to its final slot.
    pub(crate) fn place(&self, ops: &mut [Op]) {
        for op in ops {
            op.dst = self.fix(op.dst);
            op.a = self.fix(op.a);
            if !matches!(op.code, Code::Lookup | Code::AllocateAvailable | Code::Draw) {
                op.b = self.fix(op.b);
            }
            op.c = self.fix(op.c);
        }
    }
}
