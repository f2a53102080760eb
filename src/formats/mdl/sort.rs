//! Vensim's `VECTOR SORT ORDER(x[…, d], direction)`, `VECTOR RANK(x[…,
//! d], direction)` and `VECTOR REORDER(x[…, d], order[…, d])`: over the
//! last range `d` of `x`, each element of its other ranges apart, as
//! Vensim's help and its reference runs (the suite's `vector_order`) say:
//!
//! - the sort order at place `k` is the number (from 0) of the element
//!   that comes `k`-th once sorted;
//! - the rank of an element is its place once sorted, from 1;
//! - the reordered value at place `k` is `x` at the element numbered
//!   `order[k]` (from 0), 0 when the number names none.
//!
//! A direction above 0 sorts ascending, any other descending; equal values
//! keep their order in `d` either way (a stable sort). The variable's
//! subscript that the result's `d` fills is `d` itself or a range mapped to
//! or from it (`company: … -> scompany`): `order[scompany] = VECTOR SORT
//! ORDER(x[company], 1)` has one element per sorted place.
//!
//! Before the records are built, a record whose equation is one of these
//! calls is written out once for each element `k` of that subscript, its
//! equation written with comparisons of `x`'s elements named: the rank of
//! `i` is `1 + Σ_j [x_j before x_i]` (`x_j <= x_i` for `j < i`, `x_j < x_i`
//! after, ascending), the sort order `Σ_i i · [rank_i = k + 1]`, the
//! reordered value `Σ_j [order_k = j] · x_j`. Every backend then runs the
//! same ordinary operations. A sort order compares each pair of elements,
//! so its equation grows as the square of `d`'s size, and a long one is
//! refused by the equation parser's length limit.

use super::mapping::{pick, substitute};
use super::parse::{BinOp, Equation, Expr, Node, Rhs, tree, walk};
use super::ranges::{Ranges, Subscript};
use super::records::Span;
use super::{Raw, canonical};

type R = Result<Expr, Raw>;

/// The most tree nodes the records written out may hold in all.
const MAX_COPIED_NODES: usize = 1 << 20;

/// One of the three functions.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fun {
    SortOrder,
    Rank,
    Reorder,
}

impl Fun {
    fn of(name: &str) -> Option<Fun> {
        match canonical(name).as_str() {
            "vector sort order" => Some(Fun::SortOrder),
            "vector rank" => Some(Fun::Rank),
            "vector reorder" => Some(Fun::Reorder),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Fun::SortOrder => "VECTOR SORT ORDER",
            Fun::Rank => "VECTOR RANK",
            Fun::Reorder => "VECTOR REORDER",
        }
    }
}

/// Whether `name` is one of the three functions (the translation refuses
/// those this pass leaves, being inside an equation).
pub(super) fn is_sorting(name: &str) -> bool {
    Fun::of(name).is_some()
}

/// `eqns` with every record whose equation is one of the three calls
/// written out element by element, in the file's order.
pub fn write_out(
    eqns: Vec<(usize, Equation)>,
    ranges: &Ranges,
) -> Result<Vec<(usize, Equation)>, Raw> {
    let mut budget = MAX_COPIED_NODES;
    let mut out = Vec::with_capacity(eqns.len());
    for (i, q) in eqns {
        match Call::read(&q, ranges)? {
            None => out.push((i, q)),
            Some(call) => {
                for c in call.records(&q, ranges, &mut budget)? {
                    out.push((i, c));
                }
            }
        }
    }
    Ok(out)
}

/// A record's call, read.
struct Call<'q> {
    fun: Fun,
    /// The vector, a reference whose last subscript is the range `d`.
    vector: &'q Expr,
    d: usize,
    /// The direction, or (`VECTOR REORDER`) the sort order.
    other: &'q Expr,
    /// Where the call is written.
    span: Span,
    /// The left-hand side's subscript the sorted places fill: the range
    /// it names (`Ok`), or its element's number in `d` (`Err`).
    out: Result<usize, usize>,
}

impl<'q> Call<'q> {
    fn read(q: &'q Equation, ranges: &Ranges) -> Result<Option<Call<'q>>, Raw> {
        let Rhs::Eqn(x) = &q.rhs else {
            return Ok(None);
        };
        let Node::Call { name, args, .. } = &x.node else {
            return Ok(None);
        };
        let Some(fun) = Fun::of(name) else {
            return Ok(None);
        };
        let at = x.span.0;
        let [vector, other] = args.as_slice() else {
            return Err(Raw::invalid(
                at,
                format!("`{}` takes 2 arguments, not {}", fun.name(), args.len()),
            ));
        };
        if let Some(inner) = nested(args) {
            return Err(Raw::unsupported(
                at,
                format!(
                    "`{}` inside `{}` is not supported",
                    inner.name(),
                    fun.name()
                ),
            ));
        }
        let (d, over) = last_range(vector, ranges).ok_or_else(|| {
            Raw::unsupported(
                at,
                format!(
                    "`{}` sorts a subscripted variable over its last subscript, a range: \
                     `{}(x[d], 1)`",
                    fun.name(),
                    fun.name()
                ),
            )
        })?;
        if !q.except.is_empty() {
            return Err(Raw::unsupported(
                q.name_span.0,
                format!(
                    "`{}` in a record with :EXCEPT: is not supported",
                    fun.name()
                ),
            ));
        }
        let out = filled(q, d, ranges).ok_or_else(|| {
            Raw::invalid(
                q.name_span.0,
                format!(
                    "`{}` sorts over `{}`, which this variable's subscripts do not have \
                     (as the range itself, one mapped to or from it, or one of its elements)",
                    fun.name(),
                    over
                ),
            )
        })?;
        Ok(Some(Call {
            fun,
            vector,
            d,
            other,
            span: x.span,
            out,
        }))
    }

    /// The record `q` once for each sorted place it defines.
    fn records(
        &self,
        q: &Equation,
        ranges: &Ranges,
        budget: &mut usize,
    ) -> Result<Vec<Equation>, Raw> {
        let n = ranges.places[self.d].len();
        let places: Vec<usize> = match self.out {
            Ok(r) => (0..ranges.places[r].len()).collect(),
            Err(k) => vec![k],
        };
        let mut out = Vec::with_capacity(places.len());
        for k in places {
            let to: Vec<(usize, &str)> = related(self.d, self.out.ok(), ranges)
                .into_iter()
                .filter(|&r| k < ranges.places[r].len())
                .map(|r| (r, ranges.element_key(r, k)))
                .collect();
            let mut other = self.other.clone();
            substitute(&mut other, &to, ranges);
            let value = self.value(k, n, other, ranges)?;
            *budget = budget
                .checked_sub(super::mapping::size(&value))
                .ok_or_else(|| {
                    Raw::unsupported(
                        q.name_span.0,
                        format!(
                            "`{}` writes out too many records: more than a million terms in all",
                            self.fun.name()
                        ),
                    )
                })?;
            let mut c = q.clone();
            pick(&mut c.subs, &to, ranges);
            c.rhs = Rhs::Eqn(value);
            out.push(c);
        }
        Ok(out)
    }

    /// The equation at sorted place `k` of `n` (the left-hand side's
    /// subscript has as many places as `d`: `paired`), `other` the call's
    /// second argument at that place.
    fn value(&self, k: usize, n: usize, other: Expr, ranges: &Ranges) -> R {
        let xs: Vec<Expr> = (0..n)
            .map(|j| {
                let mut x = self.vector.clone();
                substitute(&mut x, &[(self.d, ranges.element_key(self.d, j))], ranges);
                x
            })
            .collect();
        let b = Build { span: self.span };
        match self.fun {
            Fun::Reorder => b.reorder(&xs, other),
            Fun::Rank | Fun::SortOrder => {
                let of = |up: bool| match self.fun {
                    Fun::Rank => b.rank(&xs, k, up),
                    _ => b.order(&xs, k, up),
                };
                match literal(&other) {
                    Some(v) => of(v > 0.0),
                    None => {
                        let up = b.bin(BinOp::Gt, other, b.num(0.0))?;
                        b.iff(up, of(true)?, of(false)?)
                    }
                }
            }
        }
    }
}

/// The number `e` is written as (`1`, `-1`), if it is one.
fn literal(e: &Expr) -> Option<f64> {
    match &e.node {
        Node::Num(v) => Some(*v),
        Node::Neg(a) => literal(a).map(|v| -v),
        _ => None,
    }
}

/// The first of the three functions called inside `args`.
fn nested(args: &[Expr]) -> Option<Fun> {
    let mut found = None;
    for a in args {
        walk(a, &mut |e| {
            if let Node::Call { name, .. } = &e.node
                && found.is_none()
            {
                found = Fun::of(name);
            }
        });
    }
    found
}

/// The range `x[…, d]`'s last subscript names, and its name as written.
fn last_range<'x>(x: &'x Expr, ranges: &Ranges) -> Option<(usize, &'x str)> {
    let Node::Sub { subs, .. } = &x.node else {
        return None;
    };
    let last = subs.last().filter(|s| !s.bang)?;
    match ranges.subscript(&last.name) {
        Some(Subscript::Range(d)) => Some((d, &last.name)),
        _ => None,
    }
}

/// Whether `a` and `b` are one range or mapped one onto the other, with as
/// many elements.
fn paired(a: usize, b: usize, ranges: &Ranges) -> bool {
    let same = a == b || ranges.maps[a].contains(&b) || ranges.maps[b].contains(&a);
    same && ranges.places[a].len() == ranges.places[b].len()
}

/// The left-hand side's subscript the sorted places of `d` fill: its
/// range (`Ok`), or its element's number (`Err`).
fn filled(q: &Equation, d: usize, ranges: &Ranges) -> Option<Result<usize, usize>> {
    q.subs
        .iter()
        .find_map(|s| match ranges.subscript(&s.name)? {
            Subscript::Range(r) if !s.bang && paired(r, d, ranges) => Some(Ok(r)),
            Subscript::Element(root, place) => {
                let r = if ranges.roots[d] == root {
                    d
                } else {
                    (0..ranges.dims.len()).find(|&r| {
                        ranges.roots[r] == root
                            && ranges.places[r].contains(&place)
                            && paired(r, d, ranges)
                    })?
                };
                let k = ranges.places[r].iter().position(|&x| x == place)?;
                Some(Err(k))
            }
            _ => None,
        })
}

/// The ranges made their `k`-th element at sorted place `k`: `d`, the
/// left-hand side's `out`, and those mapped to or from either.
fn related(d: usize, out: Option<usize>, ranges: &Ranges) -> Vec<usize> {
    (0..ranges.dims.len())
        .filter(|&r| paired(r, d, ranges) || out.is_some_and(|o| paired(r, o, ranges)))
        .collect()
}

/// Trees written at the call's place.
struct Build {
    span: Span,
}

impl Build {
    fn num(&self, v: f64) -> Expr {
        super::parse::number(v)
    }

    fn bin(&self, op: BinOp, a: Expr, b: Expr) -> R {
        tree(Node::Binary(op, Box::new(a), Box::new(b)), self.span)
    }

    fn iff(&self, c: Expr, a: Expr, b: Expr) -> R {
        tree(
            Node::Call {
                name: "IF THEN ELSE".to_string(),
                subs: Vec::new(),
                args: vec![c, a, b],
                outputs: Vec::new(),
            },
            self.span,
        )
    }

    /// `IF THEN ELSE(c, a, 0)`.
    fn when(&self, c: Expr, a: Expr) -> R {
        self.iff(c, a, self.num(0.0))
    }

    /// The terms added, halves first, so that the tree stays shallow (the
    /// terms are whole numbers or one value among zeros: the sum is
    /// exact in any order).
    fn sum(&self, mut terms: Vec<Expr>) -> R {
        match terms.len() {
            0 => Ok(self.num(0.0)),
            1 => Ok(terms.remove(0)),
            n => {
                let right = terms.split_off(n / 2);
                let (a, b) = (self.sum(terms)?, self.sum(right)?);
                self.bin(BinOp::Add, a, b)
            }
        }
    }

    /// The rank (from 1) of element `i` of `xs`, ascending when `up`:
    /// one more than the elements sorted before it, those before it in
    /// `xs` when equal.
    fn rank(&self, xs: &[Expr], i: usize, up: bool) -> R {
        let mut terms = Vec::with_capacity(xs.len());
        for (j, x) in xs.iter().enumerate().filter(|&(j, _)| j != i) {
            let op = match (up, j < i) {
                (true, true) => BinOp::Le,
                (true, false) => BinOp::Lt,
                (false, true) => BinOp::Ge,
                (false, false) => BinOp::Gt,
            };
            let before = self.bin(op, x.clone(), xs[i].clone())?;
            terms.push(self.when(before, self.num(1.0))?);
        }
        self.bin(BinOp::Add, self.num(1.0), self.sum(terms)?)
    }

    /// The number (from 0) of the element of `xs` sorted at place `k`.
    fn order(&self, xs: &[Expr], k: usize, up: bool) -> R {
        let mut terms = Vec::with_capacity(xs.len());
        for i in 1..xs.len() {
            let there = self.bin(BinOp::Eq, self.rank(xs, i, up)?, self.num((k + 1) as f64))?;
            terms.push(self.when(there, self.num(i as f64))?);
        }
        self.sum(terms)
    }

    /// `xs` at the element numbered `order` (from 0), 0 when none is.
    fn reorder(&self, xs: &[Expr], order: Expr) -> R {
        let mut terms = Vec::with_capacity(xs.len());
        for (j, x) in xs.iter().enumerate() {
            let there = self.bin(BinOp::Eq, order.clone(), self.num(j as f64))?;
            terms.push(self.when(there, x.clone())?);
        }
        self.sum(terms)
    }
}

#[cfg(test)]
mod tests {
    use crate::formats::mdl::{MdlErrorKind, read};
    use crate::model::CompiledModel;

    fn doc(equations: &str) -> String {
        format!(
            "{{UTF-8}}\n{equations}\n\
             ********************************************************\n\t.Control\n\
             ********************************************************~\n\t\tSimulation Control Parameters\n\t|\n\n\
             FINAL TIME  = 12\n\t~\tMonth\n\t~\t|\n\n\
             INITIAL TIME  = 0\n\t~\tMonth\n\t~\t|\n\n\
             SAVEPER  = \n        TIME STEP\n\t~\tMonth [0,?]\n\t~\t|\n\n\
             TIME STEP  = 1\n\t~\tMonth [0,?]\n\t~\t|\n"
        )
    }

    /// Four values over `d` that tie often and change order with time:
    /// `MODULO(Time * w[d] + u[e], 3)`, for each of the three `e`.
    const RANGES: &str = "d: d1, d2, d3, d4 ~~|\n\
        e: e1, e2, e3 ~~|\n\
        f: f1, f2 ~~|\n\
        w[d] = 1, 2, 3, 4 ~~|\n\
        u[e] = 0, 1, 2 ~~|\n\
        v[e, d] = MODULO(Time * w[d] + u[e], 3) ~~|\n\
        vd[d, e] = v[e, d] ~~|\n\
        v3[e, f, d] = v[e, d] + IF THEN ELSE(f = 1, 0, 0) ~~|\n";

    fn model(equations: &str) -> CompiledModel {
        let text = doc(&format!("{RANGES}{equations}"));
        read(&text, "t").unwrap().compile(None).unwrap()
    }

    fn run(m: &CompiledModel, id: &str) -> Vec<f64> {
        let run = m.run(&m.default_levers());
        run.series(m.var_index(id).unwrap_or_else(|| panic!("no `{id}`")))
            .to_vec()
    }

    /// `v[e, d]` at each step, over `d`.
    fn vectors(m: &CompiledModel, e: &str) -> Vec<Vec<f64>> {
        let each: Vec<Vec<f64>> = (1..=4).map(|k| run(m, &format!("v[{e},d{k}]"))).collect();
        (0..each[0].len())
            .map(|t| each.iter().map(|s| s[t]).collect())
            .collect()
    }

    /// The numbers of `v`'s elements in sorted order: Rust's stable sort.
    fn sorted(v: &[f64], up: bool) -> Vec<usize> {
        let mut order: Vec<usize> = (0..v.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = if up { (v[a], v[b]) } else { (v[b], v[a]) };
            a.partial_cmp(&b).unwrap()
        });
        order
    }

    fn ranks(v: &[f64], up: bool) -> Vec<f64> {
        let order = sorted(v, up);
        (0..v.len())
            .map(|i| (order.iter().position(|&j| j == i).unwrap() + 1) as f64)
            .collect()
    }

    /// `id` at each step, over its elements `ids(k)`, k from 1 to 4.
    fn series(m: &CompiledModel, ids: impl Fn(usize) -> String) -> Vec<Vec<f64>> {
        let each: Vec<Vec<f64>> = (1..=4).map(|k| run(m, &ids(k))).collect();
        (0..each[0].len())
            .map(|t| each.iter().map(|s| s[t]).collect())
            .collect()
    }

    #[test]
    fn sort_order_rank_and_reorder_are_a_stable_sort_both_ways() {
        let m = model(
            "up[e, d] = VECTOR SORT ORDER(v[e, d], 1) ~~|\n\
             down[e, d] = VECTOR SORT ORDER(v[e, d], 0) ~~|\n\
             rup[e, d] = VECTOR RANK(v[e, d], 1) ~~|\n\
             rdown[e, d] = VECTOR RANK(v[e, d], -2) ~~|\n\
             sup[e, d] = VECTOR REORDER(v[e, d], up[e, d]) ~~|\n\
             sdown[e, d] = VECTOR REORDER(v[e, d], down[e, d]) ~~|\n",
        );
        let mut ties = 0;
        for e in ["e1", "e2", "e3"] {
            let vs = vectors(&m, e);
            let up = series(&m, |k| format!("up[{e},d{k}]"));
            let down = series(&m, |k| format!("down[{e},d{k}]"));
            let rup = series(&m, |k| format!("rup[{e},d{k}]"));
            let rdown = series(&m, |k| format!("rdown[{e},d{k}]"));
            let sup = series(&m, |k| format!("sup[{e},d{k}]"));
            let sdown = series(&m, |k| format!("sdown[{e},d{k}]"));
            for (t, v) in vs.iter().enumerate() {
                let mut distinct = v.clone();
                distinct.sort_by(f64::total_cmp);
                distinct.dedup();
                ties += usize::from(distinct.len() < v.len());
                let as_f = |o: Vec<usize>| o.into_iter().map(|i| i as f64).collect::<Vec<_>>();
                assert_eq!(up[t], as_f(sorted(v, true)), "{e} {t}: {v:?}");
                assert_eq!(down[t], as_f(sorted(v, false)), "{e} {t}: {v:?}");
                assert_eq!(rup[t], ranks(v, true), "{e} {t}: {v:?}");
                assert_eq!(rdown[t], ranks(v, false), "{e} {t}: {v:?}");
                let values = |o: Vec<usize>| o.into_iter().map(|i| v[i]).collect::<Vec<_>>();
                assert_eq!(sup[t], values(sorted(v, true)), "{e} {t}");
                assert_eq!(sdown[t], values(sorted(v, false)), "{e} {t}");
            }
        }
        assert!(ties > 10, "the values tie at {ties} steps only");
    }

    /// The sorted range is the vector's last, wherever it is among the
    /// variable's subscripts: first, in the middle, last.
    #[test]
    fn the_sorted_range_may_be_any_of_the_variable_s_subscripts() {
        let m = model(
            "first[d, e] = VECTOR RANK(v[e, d], 1) ~~|\n\
             middle[e, d, f] = VECTOR RANK(v3[e, f, d], 0) ~~|\n\
             last[e, f, d] = VECTOR RANK(v3[e, f, d], 1) ~~|\n\
             over e[d, e] = VECTOR RANK(vd[d, e], 1) ~~|\n",
        );
        for e in ["e1", "e2", "e3"] {
            let vs = vectors(&m, e);
            let first = series(&m, |k| format!("first[d{k},{e}]"));
            let middle = series(&m, |k| format!("middle[{e},d{k},f2]"));
            let last = series(&m, |k| format!("last[{e},f1,d{k}]"));
            for (t, v) in vs.iter().enumerate() {
                assert_eq!(first[t], ranks(v, true), "{e} {t}");
                assert_eq!(middle[t], ranks(v, false), "{e} {t}");
                assert_eq!(last[t], ranks(v, true), "{e} {t}");
            }
        }
        // Over `e`, the first range, for each `d`.
        let over: Vec<Vec<f64>> = (1..=3)
            .map(|k| run(&m, &format!("over_e[d2,e{k}]")))
            .collect();
        let d2: Vec<Vec<f64>> = (1..=3).map(|k| run(&m, &format!("v[e{k},d2]"))).collect();
        for t in 0..over[0].len() {
            let v: Vec<f64> = d2.iter().map(|s| s[t]).collect();
            let got: Vec<f64> = over.iter().map(|s| s[t]).collect();
            assert_eq!(got, ranks(&v, true), "{t}");
        }
    }

    /// A range mapped onto the sorted one fills its places, and one
    /// element of it is that place alone; a direction may change in the
    /// run.
    #[test]
    fn a_mapped_range_an_element_and_a_changing_direction() {
        let text = doc("k: (k1-k4) -> sk ~~|\n\
             sk: (s1-s4) -> k ~~|\n\
             w[k] = 4, 3, 2, 1 ~~|\n\
             x[k] = MODULO(Time * w[k], 4) ~~|\n\
             o[sk] = VECTOR SORT ORDER(x[k], 1) ~~|\n\
             second[s2] = VECTOR SORT ORDER(x[k], 1) ~~|\n\
             way = IF THEN ELSE(MODULO(Time, 2) = 0, 1, 0) ~~|\n\
             r[k] = VECTOR RANK(x[k], way) ~~|\n");
        let m = read(&text, "t").unwrap().compile(None).unwrap();
        let xs: Vec<Vec<f64>> = (1..=4).map(|k| run(&m, &format!("x[k{k}]"))).collect();
        let o: Vec<Vec<f64>> = (1..=4).map(|k| run(&m, &format!("o[s{k}]"))).collect();
        let r: Vec<Vec<f64>> = (1..=4).map(|k| run(&m, &format!("r[k{k}]"))).collect();
        let second = run(&m, "second[s2]");
        for t in 0..xs[0].len() {
            let v: Vec<f64> = xs.iter().map(|s| s[t]).collect();
            let order: Vec<f64> = sorted(&v, true).into_iter().map(|i| i as f64).collect();
            let got: Vec<f64> = o.iter().map(|s| s[t]).collect();
            assert_eq!(got, order, "{t}: {v:?}");
            assert_eq!(second[t], order[1], "{t}");
            let got: Vec<f64> = r.iter().map(|s| s[t]).collect();
            assert_eq!(got, ranks(&v, t % 2 == 0), "{t}: {v:?}");
        }
    }

    #[test]
    fn calls_it_cannot_write_out_are_refused_where_they_are() {
        let cases = [
            (
                "o[d] = VECTOR RANK(v[e1, d]) ~~|",
                "2 arguments",
                MdlErrorKind::Invalid,
            ),
            (
                "o[d] = VECTOR RANK(w, 1) ~~|",
                "last subscript",
                MdlErrorKind::Unsupported,
            ),
            (
                "o[d] = VECTOR RANK(v[d, e1], 1) ~~|",
                "last subscript",
                MdlErrorKind::Unsupported,
            ),
            (
                "o[e] = VECTOR RANK(v[e, d], 1) ~~|",
                "sorts over `d`",
                MdlErrorKind::Invalid,
            ),
            (
                "o[e, d] = VECTOR REORDER(v[e, d], VECTOR SORT ORDER(v[e, d], 1)) ~~|",
                "inside `VECTOR REORDER`",
                MdlErrorKind::Unsupported,
            ),
            (
                "o[e, d] = 1 + VECTOR RANK(v[e, d], 1) ~~|",
                "whole equation",
                MdlErrorKind::Unsupported,
            ),
            (
                "o[e, d] :EXCEPT: [e1, d1] = VECTOR RANK(v[e, d], 1) ~~|\no[e1, d1] = 0 ~~|",
                ":EXCEPT:",
                MdlErrorKind::Unsupported,
            ),
        ];
        for (eqn, what, kind) in cases {
            let text = doc(&format!("{RANGES}{eqn}\n"));
            let e = read(&text, "t").map(|_| ()).expect_err(eqn);
            assert_eq!(e.kind, kind, "{eqn}: {e}");
            assert!(e.message.contains(what), "{eqn}: {e}");
            assert_eq!(e.pos.line, 10, "{eqn}: {e}");
        }
    }
}
