//! Native code against the interpreter, op by op, on the values where
//! they could part: NaN, both zeros, halves, infinities, the smallest
//! subnormal, the largest double below 0.5.

use super::NativeSet;
use crate::model::compile::{Code, Op, Table};
use crate::model::def::LookupMode;
use crate::model::sim::exec::exec;

const INF: f64 = f64::INFINITY;
const VALUES: [f64; 16] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    2.5,
    -2.5,
    0.5,
    -0.5,
    1.5,
    f64::NAN,
    -f64::NAN,
    INF,
    -INF,
    5e-324,
    0.499_999_999_999_999_94,
    4_503_599_627_370_497.0,
];
/// Where `VALUES[i]` is: slot `1 + i` (lane `l` holds `VALUES[(i + l) % 16]`).
fn at(i: usize) -> u32 {
    1 + i as u32
}
const FIRST_DST: u32 = 1 + VALUES.len() as u32;

/// The same bits, any NaN equal to any NaN.
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn tables() -> Vec<Table> {
    vec![
        Table {
            xs: vec![0.0, 1.0, 2.0],
            ys: vec![0.0, 10.0, -5.0],
            mode: LookupMode::default(),
        },
        Table {
            xs: vec![-1.0, 0.0, 3.0],
            ys: vec![2.0, 0.5, 1.0],
            mode: LookupMode::Discrete,
        },
    ]
}

/// Runs `ops` (writing slots from `FIRST_DST` on) with both backends at
/// `N` lanes and returns the interpreter's register file, after checking
/// that native code gave every value's bits.
fn both<const N: usize>(ops: &[Op]) -> Vec<[f64; N]> {
    let top = ops.iter().flat_map(Op::slots).max().unwrap_or(0) as usize;
    let mut regs = vec![[0.0; N]; top + 1];
    regs[0] = [2020.5; N];
    for i in 0..VALUES.len() {
        regs[1 + i] = std::array::from_fn(|l| VALUES[(i + l) % VALUES.len()]);
    }
    let tables = tables();
    let step = (7, 2020.5);
    let mut vm = regs.clone();
    // SAFETY: `regs` covers every slot the ops name; tables 0 and 1 exist.
    unsafe { exec::<N>(ops, &mut vm, &tables, step) };
    let set = NativeSet::build::<N>(&[ops], top).expect("native code builds");
    let mut jit = regs;
    // SAFETY: as above; the set was built for `N` lanes.
    unsafe { set.run::<N>(0, &mut jit, &tables, step) };
    for (s, (a, b)) in vm.iter().zip(&jit).enumerate() {
        for l in 0..N {
            assert!(
                same(a[l], b[l]),
                "slot {s} lane {l}: vm {:?} ({:#x}), jit {:?} ({:#x}); op {:?}",
                a[l],
                a[l].to_bits(),
                b[l],
                b[l].to_bits(),
                ops.iter().find(|o| o.dst as usize == s)
            );
        }
    }
    vm
}

/// Every lane count the simulator uses.
fn all_lanes(ops: &[Op]) {
    both::<1>(ops);
    both::<8>(ops);
    both::<16>(ops);
}

const UNARY: [Code; 19] = [
    Code::Copy,
    Code::Neg,
    Code::Not,
    Code::Abs,
    Code::Exp,
    Code::Ln,
    Code::Sqrt,
    Code::Round,
    Code::Floor,
    Code::Sin,
    Code::Cos,
    Code::Tan,
    Code::Asin,
    Code::Acos,
    Code::Atan,
    Code::Sinh,
    Code::Cosh,
    Code::Tanh,
    Code::Log10,
];

const BINARY: [Code; 16] = [
    Code::Add,
    Code::Sub,
    Code::Mul,
    Code::Div,
    Code::Pow,
    Code::Lt,
    Code::Le,
    Code::Gt,
    Code::Ge,
    Code::Eq,
    Code::Ne,
    Code::And,
    Code::Or,
    Code::Min,
    Code::Max,
    Code::Mod,
];

const TERNARY: [Code; 7] = [
    Code::SafeDiv,
    Code::Xidz,
    Code::Select,
    Code::Clamp,
    Code::MulDiv,
    Code::Add3,
    Code::MulAdd,
];

#[test]
fn unary_ops_give_the_interpreters_bits() {
    let mut ops = Vec::new();
    for code in UNARY {
        for i in 0..VALUES.len() {
            let dst = FIRST_DST + ops.len() as u32;
            ops.push(Op::new(code, dst, at(i), 0));
        }
    }
    for (t, x) in [(0, 3), (0, 6), (1, 8), (1, 9), (0, 11), (1, 12)] {
        let dst = FIRST_DST + ops.len() as u32;
        ops.push(Op::new(Code::Lookup, dst, at(x), t));
    }
    // Every distribution over a few windows of arguments (its parameters,
    // a seed, bounds: some not numbers, some out of range).
    for dist in 0..crate::model::expr::random::Dist::ALL.len() as u32 {
        for (first, n) in [(0, 2), (3, 3), (6, 4), (1, 5)] {
            let dst = FIRST_DST + ops.len() as u32;
            ops.push(Op {
                d: dist,
                ..Op::new(Code::Draw, dst, at(first), n)
            });
        }
    }
    all_lanes(&ops);
}

#[test]
fn binary_ops_give_the_interpreters_bits_on_every_pair() {
    for code in BINARY {
        let mut ops = Vec::new();
        for i in 0..VALUES.len() {
            for j in 0..VALUES.len() {
                let dst = FIRST_DST + ops.len() as u32;
                ops.push(Op::new(code, dst, at(i), at(j)));
            }
        }
        all_lanes(&ops);
    }
}

#[test]
fn ternary_ops_give_the_interpreters_bits_on_every_triple() {
    for code in TERNARY {
        let mut ops = Vec::new();
        for i in 0..VALUES.len() {
            for j in 0..VALUES.len() {
                for k in 0..VALUES.len() {
                    let dst = FIRST_DST + ops.len() as u32;
                    ops.push(Op {
                        c: at(k),
                        ..Op::new(code, dst, at(i), at(j))
                    });
                }
            }
        }
        all_lanes(&ops);
    }
}

#[test]
fn fused_selects_and_allocation_give_the_interpreters_bits() {
    let mut ops = Vec::new();
    for code in [Code::SelLt, Code::SelGe] {
        for i in 0..VALUES.len() {
            for j in 0..VALUES.len() {
                for (c, d) in [(2, 9), (0, 1), (11, 12)] {
                    let dst = FIRST_DST + ops.len() as u32;
                    ops.push(Op {
                        c: at(c),
                        d: at(d),
                        ..Op::new(code, dst, at(i), at(j))
                    });
                }
            }
        }
    }
    // One requester and two: blocks of 9 and 13 values laid over the table
    // of values at every offset, NaN and infinities among them.
    for n in [9, 13] {
        for start in 0..=VALUES.len() - n {
            let dst = FIRST_DST + ops.len() as u32;
            ops.push(Op::new(Code::AllocateAvailable, dst, at(start), n as u32));
        }
    }
    all_lanes(&ops);
}

#[test]
fn tricky_values_are_rusts() {
    // Check the reference itself on the cases the brief names, through
    // native code: min/max return the number against NaN, round is half
    // away from zero, comparisons with NaN are false but `!=`, select on
    // NaN takes the first branch (NaN is not 0).
    let pick = |x: f64| {
        VALUES
            .iter()
            .position(|v| v.to_bits() == x.to_bits())
            .unwrap()
    };
    let (nan, one, zero, neg_zero) = (pick(f64::NAN), pick(1.0), pick(0.0), pick(-0.0));
    let ops = [
        Op::new(Code::Min, FIRST_DST, at(nan), at(one)),
        Op::new(Code::Min, FIRST_DST + 1, at(one), at(nan)),
        Op::new(Code::Max, FIRST_DST + 2, at(nan), at(one)),
        Op::new(Code::Max, FIRST_DST + 3, at(one), at(nan)),
        Op::new(Code::Round, FIRST_DST + 4, at(pick(2.5)), 0),
        Op::new(Code::Round, FIRST_DST + 5, at(pick(-2.5)), 0),
        Op::new(Code::Lt, FIRST_DST + 6, at(nan), at(one)),
        Op::new(Code::Ge, FIRST_DST + 7, at(nan), at(nan)),
        Op::new(Code::Eq, FIRST_DST + 8, at(nan), at(nan)),
        Op::new(Code::Ne, FIRST_DST + 9, at(nan), at(nan)),
        Op {
            c: at(zero),
            ..Op::new(Code::Select, FIRST_DST + 10, at(nan), at(one))
        },
        Op::new(Code::Min, FIRST_DST + 11, at(zero), at(neg_zero)),
        Op::new(Code::Max, FIRST_DST + 12, at(neg_zero), at(zero)),
        Op::new(
            Code::Round,
            FIRST_DST + 13,
            at(pick(0.499_999_999_999_999_94)),
            0,
        ),
    ];
    let r = both::<1>(&ops);
    let got: Vec<f64> = (0..ops.len())
        .map(|k| r[FIRST_DST as usize + k][0])
        .collect();
    assert_eq!(
        &got[..11],
        &[1.0, 1.0, 1.0, 1.0, 3.0, -3.0, 0.0, 0.0, 0.0, 1.0, 1.0]
    );
    // Of two zeros, whichever the host's `f64::min`/`max` keeps: the
    // bits are compared with the interpreter's by `both`.
    assert_eq!(got[11], 0.0);
    assert_eq!(got[12], 0.0);
    assert_eq!(got[13].to_bits(), 0.0f64.to_bits());
}

#[test]
fn a_long_program_is_cut_into_functions_and_keeps_its_order() {
    // Each op reads the one before: 8,000 ops over several functions.
    let mut ops = vec![Op::new(Code::Add, FIRST_DST, at(2), at(6))];
    for k in 1..8_000 {
        let code = if k % 3 == 0 { Code::Mul } else { Code::Add };
        ops.push(Op::new(code, FIRST_DST + k, FIRST_DST + k - 1, at(6)));
    }
    all_lanes(&ops);
}

#[test]
fn a_program_too_long_is_refused_not_built() {
    let ops = vec![Op::new(Code::Add, FIRST_DST, at(2), at(6)); super::MAX_LANE_OPS / 16 + 1];
    let err = NativeSet::build::<16>(&[&ops], FIRST_DST as usize).unwrap_err();
    assert!(err.starts_with("program too long"), "{err}");
    assert!(NativeSet::build::<1>(&[&ops], FIRST_DST as usize).is_ok());
}
