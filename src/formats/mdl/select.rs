//! Vensim's `VECTOR SELECT(selection[d!], expression[d!], missing,
//! action, error)`, written with our reductions: over the elements of
//! the ranges marked `!` (in either array, the product of them all, as
//! PySD broadcasts), the elements whose selection is not 0 are combined
//! by the numerical action, and the value is `missing` when there are
//! none. The actions (Vensim's help, and PySD's `vector_select`):
//!
//! - 0 sum, 1 product, 2 minimum, 3 maximum, 4 mean of `selection *
//!   expression`;
//! - 5 product of `expression ^ selection` (what Vensim computes; its
//!   help says the other way round);
//! - 6 sum, 7 product, 8 minimum, 9 maximum, 10 mean of `expression`.
//!
//! An action known before the run is written alone; one that changes
//! (`Time + 6`) is chosen among the eleven at each step, and a value that
//! is none of them gives NaN (Vensim stops there). The error action must
//! be 0: Vensim's others stop the run, which we cannot do faithfully.
//!
//! A range reduced with `!` is another range than the same one without:
//! in `y[d] = VECTOR SELECT(s[e!, d], x[d!], …)`, `d` is `y`'s element and
//! `d!` goes over all of them. Our reductions bind `d` in both, so before
//! the records are built such a record is written out once for each
//! element of `d` (`split`), as a mapping's is.

use super::consts::{self, Ctx};
use super::mapping::{copies, range};
use super::parse::{Equation, Expr, Node, Rhs};
use super::ranges::{Ranges, Subscript};
use super::translate::Tr;
use super::{Raw, canonical};
use crate::formats::sd_common::out::{Op, Out, print};
use crate::model::expr::parser::MAX_LEN;

type R = Result<Out, Raw>;

fn bin(op: Op, a: Out, b: Out) -> Out {
    Out::Bin(op, Box::new(a), Box::new(b))
}

fn iff(c: Out, a: Out, b: Out) -> Out {
    Out::If(Box::new(c), Box::new(a), Box::new(b))
}

fn reduce(f: &str, x: Out) -> Out {
    Out::Call(f.to_string(), vec![x])
}

/// The highest numerical action.
const ACTIONS: u8 = 10;

/// The selection and expression arrays, translated (with their `!`).
struct Arrays {
    sel: Out,
    expr: Out,
    /// The number of elements of the ranges the expression reduces and
    /// the selection does not (each selected element counts that often).
    repeat: f64,
}

impl Arrays {
    /// `selection <> 0`.
    fn selected(&self) -> Out {
        bin(Op::Cmp("!="), self.sel.clone(), Out::Num(0.0))
    }

    /// The reduction `f` of `value` where selected, `neutral` elsewhere.
    fn over(&self, f: &str, value: Out, neutral: Out) -> Out {
        reduce(f, iff(self.selected(), value, neutral))
    }

    /// How many elements are selected.
    fn count(&self) -> Out {
        let n = self.over("sum", Out::Num(1.0), Out::Num(0.0));
        if self.repeat == 1.0 {
            n
        } else {
            bin(Op::Mul, Out::Num(self.repeat), n)
        }
    }

    /// The value action `a` combines: weighted (0 to 4), a power (5) or
    /// the expression (6 to 10).
    fn term(&self, a: u8) -> Out {
        match a {
            0..=4 => bin(Op::Mul, self.sel.clone(), self.expr.clone()),
            5 => bin(Op::Pow, self.expr.clone(), self.sel.clone()),
            _ => self.expr.clone(),
        }
    }

    /// Action `a`'s value, when something is selected.
    fn action(&self, a: u8) -> Out {
        let inf = || bin(Op::Div, Out::Num(1.0), Out::Num(0.0));
        let v = self.term(a);
        match a {
            0 | 6 => self.over("sum", v, Out::Num(0.0)),
            1 | 5 | 7 => self.over("prod", v, Out::Num(1.0)),
            2 | 8 => self.over("min", v, inf()),
            3 | 9 => self.over("max", v, Out::Neg(Box::new(inf()))),
            _ => bin(Op::Div, self.over("sum", v, Out::Num(0.0)), self.count()),
        }
    }
}

impl Tr<'_, '_> {
    /// `VECTOR SELECT`'s call, in our language.
    pub(super) fn vector_select(&mut self, args: &[Expr], e: &Expr) -> R {
        let [sel, expr, missing, action, error] = args else {
            return Err(Raw::invalid(
                e.span.0,
                format!("`VECTOR SELECT` takes 5 arguments, not {}", args.len()),
            ));
        };
        let ranges = self.scope.ranges;
        let (mut in_sel, mut in_expr) = (Vec::new(), Vec::new());
        bangs_of(sel, ranges, &mut in_sel);
        bangs_of(expr, ranges, &mut in_expr);
        if in_sel.is_empty() && in_expr.is_empty() {
            return Err(Raw::invalid(
                e.span.0,
                "`VECTOR SELECT` selects over the ranges marked `!` in its first two arguments: \
                 mark one",
            ));
        }
        self.no_error_action(error)?;
        let repeat = repeat(&in_sel, in_expr, ranges);
        let arrays = Arrays {
            sel: self.tr(sel)?,
            expr: self.tr(expr)?,
            repeat,
        };
        let known = self.before_run(action);
        let copies = if known.is_some() { 8 } else { 48 };
        within(
            &[&arrays.sel, &arrays.expr],
            copies,
            "VECTOR SELECT",
            e.span.0,
        )?;
        let value = match known {
            Some(a) => arrays.action(action_number(a, action)?),
            None => self.chosen(&arrays, action)?,
        };
        let none = bin(Op::Cmp("=="), arrays.count(), Out::Num(0.0));
        let out = iff(none, self.tr(missing)?, value);
        within(&[&out], 1, "VECTOR SELECT", e.span.0)?;
        Ok(out)
    }

    /// `e`'s value when it is known before the run.
    fn before_run(&self, e: &Expr) -> Option<f64> {
        let ctx = Ctx {
            time: None,
            dt: Some(self.scope.dt),
            ..self.scope.ctx
        };
        consts::eval(e, &ctx)
    }

    fn no_error_action(&self, error: &Expr) -> Result<(), Raw> {
        match self.before_run(error) {
            Some(0.0) => Ok(()),
            Some(v) if [1.0, 2.0, 3.0].contains(&v) => Err(Raw::unsupported(
                error.span.0,
                format!(
                    "`VECTOR SELECT` with the error action {v} (stop the run when the \
                     selection is empty or not one element) is not supported"
                ),
            )),
            Some(v) => Err(Raw::invalid(
                error.span.0,
                format!("`VECTOR SELECT`'s error action is 0, 1, 2 or 3, not {v}"),
            )),
            None => Err(Raw::unsupported(
                error.span.0,
                "`VECTOR SELECT`'s error action must be known before the run",
            )),
        }
    }

    /// The action chosen at each step among the eleven.
    fn chosen(&mut self, arrays: &Arrays, action: &Expr) -> R {
        let a = self.tr(action)?;
        let nan = bin(Op::Div, Out::Num(0.0), Out::Num(0.0));
        Ok((0..=ACTIONS).rev().fold(nan, |rest, k| {
            let is_k = bin(Op::Cmp("=="), a.clone(), Out::Num(f64::from(k)));
            iff(is_k, arrays.action(k), rest)
        }))
    }
}

/// Refuses a call that, its arguments `args` copied `copies` times, would
/// write an equation longer than our parser reads (checked before the
/// copies are made, so that calls nested in calls stay bounded).
pub(super) fn within(args: &[&Out], copies: usize, name: &str, at: usize) -> Result<(), Raw> {
    let len: usize = args.iter().map(|a| print(a).len()).sum();
    if len.saturating_mul(copies) > MAX_LEN {
        return Err(Raw::unsupported(
            at,
            format!("`{name}` here writes an equation longer than {MAX_LEN} characters"),
        ));
    }
    Ok(())
}

/// A numerical action known before the run, checked.
fn action_number(v: f64, at: &Expr) -> Result<u8, Raw> {
    if v.fract() == 0.0 && (0.0..=f64::from(ACTIONS)).contains(&v) {
        Ok(v as u8)
    } else {
        Err(Raw::invalid(
            at.span.0,
            format!("`VECTOR SELECT`'s numerical action is a whole number from 0 to 10, not {v}"),
        ))
    }
}

/// The ranges `e` reduces with `!` (not those of reductions in it).
fn bangs_of(e: &Expr, ranges: &Ranges, out: &mut Vec<usize>) {
    match &e.node {
        Node::Sub { subs, .. } => {
            for s in subs.iter().filter(|s| s.bang) {
                if let Some(Subscript::Range(d)) = ranges.subscript(&s.name) {
                    out.push(d);
                }
            }
        }
        Node::Call { name, .. } if REDUCERS.contains(&canonical(name).as_str()) => {}
        Node::Call { args, .. } => args.iter().for_each(|a| bangs_of(a, ranges, out)),
        Node::Neg(a) | Node::Not(a) => bangs_of(a, ranges, out),
        Node::Binary(_, a, b) => {
            bangs_of(a, ranges, out);
            bangs_of(b, ranges, out);
        }
        Node::Num(_) | Node::Na | Node::Name(_) | Node::Table(_) => {}
    }
}

/// The calls that reduce the ranges marked `!` in their arguments.
const REDUCERS: [&str; 5] = ["sum", "prod", "vmin", "vmax", "vector select"];

/// How many times each selected element is counted: the number of
/// elements of the ranges the expression reduces and the selection does
/// not.
fn repeat(in_sel: &[usize], mut in_expr: Vec<usize>, ranges: &Ranges) -> f64 {
    in_expr.sort_unstable();
    in_expr.dedup();
    in_expr
        .iter()
        .filter(|d| !in_sel.contains(d))
        .map(|&d| ranges.places[d].len() as f64)
        .product()
}

/// The most tree nodes the records written out may hold in all.
const MAX_COPIED_NODES: usize = 1 << 20;

/// `eqns` with every record whose `VECTOR SELECT` reduces one of its own
/// ranges written out element by element (of those ranges), in order.
pub fn split(eqns: Vec<(usize, Equation)>, ranges: &Ranges) -> Result<Vec<(usize, Equation)>, Raw> {
    let mut budget = MAX_COPIED_NODES;
    let mut out = Vec::with_capacity(eqns.len());
    let mut work: Vec<(usize, Equation)> = eqns.into_iter().rev().collect();
    while let Some((i, q)) = work.pop() {
        match own_reduced(&q, ranges) {
            None => out.push((i, q)),
            Some(d) => {
                let copies = per_element(&q, d, ranges, &mut budget)?;
                work.extend(copies.into_iter().rev().map(|c| (i, c)));
            }
        }
    }
    Ok(out)
}

/// A range of the record's left-hand side that a `VECTOR SELECT` of its
/// equation reduces (itself, or a range of the same root).
fn own_reduced(q: &Equation, ranges: &Ranges) -> Option<usize> {
    let Rhs::Eqn(x) = &q.rhs else {
        return None;
    };
    let mut bangs = Vec::new();
    selects_bangs(x, false, ranges, &mut bangs);
    q.subs
        .iter()
        .filter_map(|s| range(s, ranges))
        .find(|&d| bangs.iter().any(|&b| ranges.roots[b] == ranges.roots[d]))
}

/// The ranges reduced with `!` inside `VECTOR SELECT` calls of `e`.
fn selects_bangs(e: &Expr, inside: bool, ranges: &Ranges, out: &mut Vec<usize>) {
    let bangs = |subs: &[super::parse::SubRef], out: &mut Vec<usize>| {
        for s in subs.iter().filter(|s| inside && s.bang) {
            if let Some(Subscript::Range(d)) = ranges.subscript(&s.name) {
                out.push(d);
            }
        }
    };
    match &e.node {
        Node::Sub { subs, .. } => bangs(subs, out),
        Node::Call {
            name, subs, args, ..
        } => {
            bangs(subs, out);
            let inside = inside || canonical(name) == "vector select";
            for a in args {
                selects_bangs(a, inside, ranges, out);
            }
        }
        Node::Neg(a) | Node::Not(a) => selects_bangs(a, inside, ranges, out),
        Node::Binary(_, a, b) => {
            selects_bangs(a, inside, ranges, out);
            selects_bangs(b, inside, ranges, out);
        }
        Node::Num(_) | Node::Na | Node::Name(_) | Node::Table(_) => {}
    }
}

/// The record `q` once for each element of its range `d`, `d` (not
/// reduced) that element.
fn per_element(
    q: &Equation,
    d: usize,
    ranges: &Ranges,
    budget: &mut usize,
) -> Result<Vec<Equation>, Raw> {
    let at = q.name_span.0;
    if !q.except.is_empty() {
        return Err(Raw::unsupported(
            at,
            "a record with :EXCEPT: whose `VECTOR SELECT` reduces one of its own ranges is \
             not supported yet",
        ));
    }
    let too_many = "`VECTOR SELECT` writes out too many records: more than a million terms in all";
    copies(q, ranges.places[d].len(), ranges, budget, too_many, |k| {
        vec![(d, ranges.element_key(d, k))]
    })
}
