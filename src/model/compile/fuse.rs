//! Pairs of ops fused into one: fewer dispatches in the simulator's loop.

use super::program::{Code, Op};

/// Fuses an op into the next one where the next is its only reader: every
/// temporary is written once and read once, by the op that follows when the
/// two are fused. The arithmetic and its order stay the same, so results are
/// identical bit for bit; only the number of dispatches falls.
pub(super) fn fuse(ops: Vec<Op>, temps: &std::ops::Range<u32>) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::with_capacity(ops.len());
    for op in ops {
        if let Some(prev) = out.last_mut()
            && temps.contains(&prev.dst)
            && let Some(f) = fuse_pair(*prev, op)
        {
            *prev = f;
            continue;
        }
        out.push(op);
    }
    out
}

/// `prev` then `op`, as one op, when `op` reads `prev`'s temporary in a way a
/// fused code computes in the same order.
fn fuse_pair(prev: Op, op: Op) -> Option<Op> {
    let t = prev.dst;
    let three = |code, c| Op {
        code,
        dst: op.dst,
        a: prev.a,
        b: prev.b,
        c,
        d: 0,
    };
    match (prev.code, op.code) {
        (Code::Mul, Code::Div) if op.a == t && op.b != t => Some(three(Code::MulDiv, op.b)),
        (Code::Add, Code::Add) if op.a == t && op.b != t => Some(three(Code::Add3, op.b)),
        // IEEE addition is commutative: c + (a + b) == (a + b) + c.
        (Code::Add, Code::Add) if op.b == t && op.a != t => Some(three(Code::Add3, op.a)),
        (Code::Lt | Code::Ge, Code::Select) if op.a == t && op.b != t && op.c != t => Some(Op {
            code: if prev.code == Code::Lt {
                Code::SelLt
            } else {
                Code::SelGe
            },
            dst: op.dst,
            a: prev.a,
            b: prev.b,
            c: op.b,
            d: op.c,
        }),
        _ => None,
    }
}
