//! Vensim's subscript mappings (`DimB: b1, b2 -> DimC`): a record over
//! `DimC` that reads `x[DimB]` reads, at `DimC`'s k-th element, `x` at
//! `DimB`'s k-th. Before the records are built, such a record is written
//! out as one record per element of `DimC`, in which `DimC` and every
//! range mapped onto it are those elements (a subscript reduced with `!`
//! is left alone): `y[DimC] = x[DimB]` becomes `y[c1] = x[b1]`,
//! `y[c2] = x[b2]`.

use super::Raw;
use super::parse::{Equation, Expr, Node, Rhs, SubRef, walk};
use super::ranges::{Ranges, Subscript};

/// The most tree nodes the records a mapping writes out may hold in all.
const MAX_COPIED_NODES: usize = 1 << 20;

/// `eqns` with every record that reads a range through a mapping written
/// out element by element, in the file's order.
pub fn unmap(eqns: Vec<(usize, Equation)>, ranges: &Ranges) -> Result<Vec<(usize, Equation)>, Raw> {
    if ranges.maps.iter().all(Vec::is_empty) {
        return Ok(eqns);
    }
    let mut budget = MAX_COPIED_NODES;
    let mut out = Vec::with_capacity(eqns.len());
    let mut work: Vec<(usize, Equation)> = eqns.into_iter().rev().collect();
    while let Some((i, q)) = work.pop() {
        match mapped_pair(&q, ranges) {
            None => out.push((i, q)),
            Some((m, d)) => {
                let copies = split(&q, m, d, ranges, &mut budget)?;
                work.extend(copies.into_iter().rev().map(|c| (i, c)));
            }
        }
    }
    Ok(out)
}

/// A range `m` the record's equation reads that its left-hand side does
/// not have, and the range `d` of its left-hand side `m` maps onto.
fn mapped_pair(q: &Equation, ranges: &Ranges) -> Option<(usize, usize)> {
    let Rhs::Eqn(x) = &q.rhs else {
        return None;
    };
    let lhs: Vec<usize> = q.subs.iter().filter_map(|s| range(s, ranges)).collect();
    let mut read = Vec::new();
    read_ranges(x, ranges, &mut read);
    read.iter().filter(|m| !lhs.contains(m)).find_map(|&m| {
        ranges.maps[m]
            .iter()
            .find(|t| lhs.contains(t))
            .map(|&d| (m, d))
    })
}

/// The range a subscript names, unless it is reduced.
pub(super) fn range(s: &SubRef, ranges: &Ranges) -> Option<usize> {
    match ranges.subscript(&s.name) {
        Some(Subscript::Range(d)) if !s.bang => Some(d),
        _ => None,
    }
}

/// The ranges `e`'s references follow (not those they reduce).
pub(super) fn read_ranges(e: &Expr, ranges: &Ranges, out: &mut Vec<usize>) {
    walk(e, &mut |x| {
        if let Node::Sub { subs, .. } | Node::Call { subs, .. } = &x.node {
            out.extend(subs.iter().filter_map(|s| range(s, ranges)));
        }
    });
}

/// The record `q` once for each element of `d`, `d` and the ranges mapped
/// onto it (`m` among them) that element.
fn split(
    q: &Equation,
    m: usize,
    d: usize,
    ranges: &Ranges,
    budget: &mut usize,
) -> Result<Vec<Equation>, Raw> {
    let at = q.name_span.0;
    if !q.except.is_empty() {
        return Err(Raw::unsupported(
            at,
            "a record with :EXCEPT: that reads a range through a mapping (`->`) is not \
             supported yet",
        ));
    }
    let onto: Vec<usize> = (0..ranges.maps.len())
        .filter(|&r| r == m || r == d || ranges.maps[r].contains(&d))
        .collect();
    let too_many = "the subscript mappings write out too many records: more than a million \
                    terms in all";
    copies(q, ranges.places[d].len(), ranges, budget, too_many, |k| {
        onto.iter()
            .map(|&r| (r, ranges.element_key(r, k)))
            .collect()
    })
}

/// The record `q` written out `n` times, copy `k` with the ranges `to(k)`
/// names made those elements; refused with `too_many` once the copied
/// terms pass what `budget` has left.
pub(super) fn copies<'r>(
    q: &Equation,
    n: usize,
    ranges: &'r Ranges,
    budget: &mut usize,
    too_many: &str,
    to: impl Fn(usize) -> Vec<(usize, &'r str)>,
) -> Result<Vec<Equation>, Raw> {
    let nodes = match &q.rhs {
        Rhs::Eqn(x) => size(x),
        _ => 1,
    };
    *budget = budget
        .checked_sub(nodes.saturating_mul(n))
        .ok_or_else(|| Raw::unsupported(q.name_span.0, too_many))?;
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let to = to(k);
        let mut c = q.clone();
        pick(&mut c.subs, &to, ranges);
        if let Rhs::Eqn(x) = &mut c.rhs {
            substitute(x, &to, ranges);
        }
        out.push(c);
    }
    Ok(out)
}

/// The number of nodes of `e`'s tree.
pub(super) fn size(e: &Expr) -> usize {
    let mut n = 0;
    walk(e, &mut |_| n += 1);
    n
}

/// Each subscript naming one of the ranges of `to` made its element.
pub(super) fn pick(subs: &mut [SubRef], to: &[(usize, &str)], ranges: &Ranges) {
    for s in subs {
        if let Some(d) = range(s, ranges)
            && let Some((_, el)) = to.iter().find(|(r, _)| *r == d)
        {
            s.name = el.to_string();
        }
    }
}

/// `pick` on every reference of `e`.
pub(super) fn substitute(e: &mut Expr, to: &[(usize, &str)], ranges: &Ranges) {
    match &mut e.node {
        Node::Sub { subs, .. } => pick(subs, to, ranges),
        Node::Call { subs, args, .. } => {
            pick(subs, to, ranges);
            for a in args {
                substitute(a, to, ranges);
            }
        }
        Node::Neg(a) | Node::Not(a) => substitute(a, to, ranges),
        Node::Binary(_, a, b) => {
            substitute(a, to, ranges);
            substitute(b, to, ranges);
        }
        Node::Num(_) | Node::Na | Node::Name(_) | Node::Table(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::mdl::parse::equation;

    fn eq(s: &str) -> Equation {
        equation(s, (0, s.len()), &mut 1_000_000).unwrap()
    }

    /// A reference's subscripts, as written after the unmapping.
    fn subs(x: &Expr, out: &mut Vec<String>) {
        match &x.node {
            Node::Sub { name, subs } => {
                let s: Vec<String> = subs
                    .iter()
                    .map(|s| format!("{}{}", s.name, if s.bang { "!" } else { "" }))
                    .collect();
                out.push(format!("{name}[{}]", s.join(",")));
            }
            Node::Call { args, .. } => args.iter().for_each(|a| subs(a, out)),
            Node::Binary(_, a, b) => {
                subs(a, out);
                subs(b, out);
            }
            _ => {}
        }
    }

    fn written(q: &Equation) -> String {
        let lhs: Vec<&str> = q.subs.iter().map(|s| s.name.as_str()).collect();
        let mut refs = Vec::new();
        if let Rhs::Eqn(x) = &q.rhs {
            subs(x, &mut refs);
        }
        format!("[{}] = {}", lhs.join(","), refs.join(" "))
    }

    #[test]
    fn a_mapped_record_is_written_out_per_element() {
        let r = Ranges::of_records(&["d: a, b -> e", "e: p, q", "f: u, v"]);
        let eqns = vec![
            (0, eq("y[e, f] = x[d] + SUM(x[d!]) + z[e, f]")),
            (1, eq("w[e] = z[e, f!]")),
        ];
        let out = unmap(eqns, &r).unwrap();
        let got: Vec<(usize, String)> = out.iter().map(|(i, q)| (*i, written(q))).collect();
        assert_eq!(
            got,
            [
                (0, "[p,f] = x[a] x[d!] z[p,f]".to_string()),
                (0, "[q,f] = x[b] x[d!] z[q,f]".to_string()),
                (1, "[e] = z[e,f!]".to_string()),
            ]
        );
    }

    #[test]
    fn mappings_write_out_a_bounded_number_of_terms() {
        let r = Ranges::of_records(&["d: (a1-a1100) -> e", "e: (b1-b1100)"]);
        let args = vec!["x[d]"; 1000].join(", ");
        let eqns = vec![(0, eq(&format!("y[e] = FOO({args})")))];
        let e = unmap(eqns, &r).unwrap_err();
        assert!(e.message.contains("too many records"), "{}", e.message);
    }

    #[test]
    fn a_record_that_needs_no_mapping_is_left_alone() {
        let r = Ranges::of_records(&["d: a, b -> e", "e: p, q"]);
        // Over `d` itself, and a scalar reading `x[d]` (the engine says
        // what is wrong with it).
        let eqns = vec![(0, eq("y[d] = x[d]")), (1, eq("s = x[d]"))];
        let out = unmap(eqns.clone(), &r).unwrap();
        assert_eq!(out, eqns);
    }
}
