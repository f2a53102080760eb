//! Values known before the run: the control section's (`SAVEPER = TIME
//! STEP`), and the arguments our engine needs as numbers (a `DELAY FIXED`
//! time, which Vensim reads once at the start; a `DELAY N` order).

use std::collections::{HashMap, HashSet};

use super::canonical;
use super::parse::{BinOp, Expr, Node};

/// What names mean when evaluating before the run.
pub struct Ctx<'a> {
    /// The equations of the model's auxiliaries and constants, by
    /// canonical name (not stocks, not lookups).
    pub defs: &'a HashMap<String, &'a Expr>,
    /// `Time`'s value, when the value asked is the one at the start.
    pub time: Option<f64>,
    /// `TIME STEP`, once known.
    pub dt: Option<f64>,
}

/// `e`'s value, or `None` when it is not known before the run (it reads
/// a stock, a lookup, `Time` when not allowed, a function not listed here).
pub fn eval(e: &Expr, ctx: &Ctx) -> Option<f64> {
    eval_in(e, ctx, &mut HashSet::new())
}

fn eval_in(e: &Expr, ctx: &Ctx, visiting: &mut HashSet<String>) -> Option<f64> {
    let mut ev = |x: &Expr| eval_in(x, ctx, visiting);
    Some(match &e.node {
        Node::Num(n) => *n,
        Node::Na => -1e38,
        Node::Table(_) | Node::Sub { .. } => return None,
        Node::Neg(a) => -ev(a)?,
        Node::Not(a) => f64::from(ev(a)? == 0.0),
        Node::Binary(op, a, b) => binary(*op, ev(a)?, ev(b)?),
        Node::Name(n) => return name(n, ctx, visiting),
        Node::Call { subs, .. } if !subs.is_empty() => return None,
        Node::Call { name, args, .. } => {
            let vals: Option<Vec<f64>> = args.iter().map(&mut ev).collect();
            return call(&canonical(name), &vals?, ctx);
        }
    })
}

fn name(n: &str, ctx: &Ctx, visiting: &mut HashSet<String>) -> Option<f64> {
    let key = canonical(n);
    match key.as_str() {
        "time" => return ctx.time,
        "time step" if ctx.dt.is_some() => return ctx.dt,
        _ => {}
    }
    let def = ctx.defs.get(&key)?;
    if !visiting.insert(key.clone()) {
        return None;
    }
    let v = eval_in(def, ctx, visiting);
    visiting.remove(&key);
    v
}

fn binary(op: BinOp, a: f64, b: f64) -> f64 {
    let truth = |t: bool| f64::from(t);
    match op {
        BinOp::Or => truth(a != 0.0 || b != 0.0),
        BinOp::And => truth(a != 0.0 && b != 0.0),
        BinOp::Eq => truth(a == b),
        BinOp::Ne => truth(a != b),
        BinOp::Lt => truth(a < b),
        BinOp::Le => truth(a <= b),
        BinOp::Gt => truth(a > b),
        BinOp::Ge => truth(a >= b),
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        BinOp::Pow => a.powf(b),
    }
}

fn call(f: &str, a: &[f64], ctx: &Ctx) -> Option<f64> {
    Some(match (f, a) {
        ("min", [x, y]) => x.min(*y),
        ("max", [x, y]) => x.max(*y),
        ("abs", [x]) => x.abs(),
        ("exp", [x]) => x.exp(),
        ("ln", [x]) => x.ln(),
        ("sqrt", [x]) => x.sqrt(),
        ("sin", [x]) => x.sin(),
        ("cos", [x]) => x.cos(),
        ("tan", [x]) => x.tan(),
        ("integer", [x]) => x.trunc(),
        ("if then else", [c, x, y]) => {
            if *c != 0.0 {
                *x
            } else {
                *y
            }
        }
        ("step", [h, t0]) => {
            if ctx.time? + ctx.dt? / 2.0 > *t0 {
                *h
            } else {
                0.0
            }
        }
        _ => return None,
    })
}
