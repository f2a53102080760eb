//! Vensim's `INVERT MATRIX(a[…, r, c], n)`: for each element of the
//! other subscripts, the inverse of the n × n matrix over `a`'s last two
//! ranges. Before the records are built, a record whose equation is that
//! call is written out as one record per element (i, j) of its own last
//! two ranges, whose equation is the cofactor formula
//! `(-1)^(i+j) det(a without row j and column i) / det(a)` over `a`'s
//! elements named: the inverse Vensim's elimination computes, up to
//! rounding. A singular matrix divides by 0, as the formula does.

use super::parse::{BinOp, Equation, Expr, Node, Rhs, SubRef, tree};
use super::ranges::{Ranges, Subscript};
use super::{Raw, canonical};

/// The largest matrix inverted (a determinant of n! products).
pub const MAX_ORDER: usize = 4;

/// The most records the inversions may write out in all.
const MAX_RECORDS: usize = 100_000;

/// `eqns` with every `INVERT MATRIX` record written out element by
/// element, in the file's order.
pub fn invert(
    eqns: Vec<(usize, Equation)>,
    ranges: &Ranges,
) -> Result<Vec<(usize, Equation)>, Raw> {
    let mut budget = MAX_RECORDS;
    let mut out = Vec::with_capacity(eqns.len());
    for (i, q) in eqns {
        let Some(call) = inversion(&q) else {
            out.push((i, q));
            continue;
        };
        let m = Matrix::read(&q, call, ranges)?;
        budget = budget.checked_sub(m.n * m.n).ok_or_else(|| {
            Raw::unsupported(
                q.name_span.0,
                format!("`INVERT MATRIX` writes out more than {MAX_RECORDS} elements in all"),
            )
        })?;
        for r in 0..m.n {
            for c in 0..m.n {
                out.push((i, m.element(&q, r, c)?));
            }
        }
    }
    Ok(out)
}

/// The record's equation when it is a call of `INVERT MATRIX`.
fn inversion(q: &Equation) -> Option<&Expr> {
    match &q.rhs {
        Rhs::Eqn(x) => match &x.node {
            Node::Call { name, .. } if canonical(name) == "invert matrix" => Some(x),
            _ => None,
        },
        _ => None,
    }
}

/// An inversion read: the matrix's name and leading subscripts, its rows'
/// and columns' elements (canonical names), the left-hand side's, its
/// order, and where the matrix is written.
struct Matrix<'q> {
    name: &'q str,
    lead: &'q [SubRef],
    rows: Vec<String>,
    cols: Vec<String>,
    out_rows: Vec<String>,
    out_cols: Vec<String>,
    n: usize,
    span: (usize, usize),
}

impl<'q> Matrix<'q> {
    fn read(q: &'q Equation, call: &'q Expr, ranges: &Ranges) -> Result<Matrix<'q>, Raw> {
        let Node::Call { args, .. } = &call.node else {
            unreachable!("a call");
        };
        let at = call.span.0;
        let [a, size] = args.as_slice() else {
            return Err(Raw::invalid(
                at,
                format!("`INVERT MATRIX` takes 2 arguments, not {}", args.len()),
            ));
        };
        let Node::Sub { name, subs } = &a.node else {
            return Err(not_a_matrix(a.span.0));
        };
        let (lead, rows, cols) = last_two(subs, ranges).ok_or_else(|| not_a_matrix(a.span.0))?;
        let (_, out_rows, out_cols) = last_two(&q.subs, ranges).ok_or_else(|| {
            Raw::unsupported(
                q.name_span.0,
                "`INVERT MATRIX` fills a variable whose last two subscripts are ranges",
            )
        })?;
        if !q.except.is_empty() {
            return Err(Raw::unsupported(
                q.name_span.0,
                "`INVERT MATRIX` in a record with :EXCEPT: is not supported",
            ));
        }
        let n = match size.node {
            Node::Num(v) if v.fract() == 0.0 && v >= 1.0 => v as usize,
            _ => {
                return Err(Raw::invalid(
                    size.span.0,
                    "`INVERT MATRIX`'s second argument is the matrix's size, a whole number",
                ));
            }
        };
        let sizes = [&rows, &cols, &out_rows, &out_cols];
        if sizes.iter().any(|s| s.len() != n) {
            return Err(Raw::invalid(
                size.span.0,
                format!(
                    "`INVERT MATRIX` of size {n} needs {n} elements in the last two ranges of \
                     the matrix and of the variable"
                ),
            ));
        }
        if n > MAX_ORDER {
            return Err(Raw::unsupported(
                size.span.0,
                format!("`INVERT MATRIX` of more than {MAX_ORDER} rows is not supported"),
            ));
        }
        Ok(Matrix {
            name,
            lead,
            rows,
            cols,
            out_rows,
            out_cols,
            n,
            span: a.span,
        })
    }

    /// The record of the inverse's element (r, c).
    fn element(&self, q: &Equation, r: usize, c: usize) -> Result<Equation, Raw> {
        let all: Vec<usize> = (0..self.n).collect();
        let but = |k: usize| -> Vec<usize> { all.iter().copied().filter(|&x| x != k).collect() };
        let cofactor = if self.n == 1 {
            tree(Node::Num(1.0), self.span)?
        } else {
            self.det(&but(c), &but(r))?
        };
        let signed = if (r + c) % 2 == 1 {
            tree(Node::Neg(Box::new(cofactor)), self.span)?
        } else {
            cofactor
        };
        let det = self.det(&all, &all)?;
        let value = self.bin(BinOp::Div, signed, det)?;
        let mut subs = q.subs.clone();
        let k = subs.len();
        subs[k - 2].name = self.out_rows[r].clone();
        subs[k - 1].name = self.out_cols[c].clone();
        Ok(Equation {
            name: q.name.clone(),
            name_span: q.name_span,
            subs,
            except: Vec::new(),
            rhs: Rhs::Eqn(value),
        })
    }

    /// The determinant of the matrix's rows `rows` and columns `cols`,
    /// along its first row.
    fn det(&self, rows: &[usize], cols: &[usize]) -> Result<Expr, Raw> {
        if let ([r], [c]) = (rows, cols) {
            return self.entry(*r, *c);
        }
        let mut sum: Option<Expr> = None;
        for (k, &c) in cols.iter().enumerate() {
            let minor: Vec<usize> = cols.iter().copied().filter(|&x| x != c).collect();
            let term = self.bin(
                BinOp::Mul,
                self.entry(rows[0], c)?,
                self.det(&rows[1..], &minor)?,
            )?;
            sum = Some(match sum {
                None => term,
                Some(s) => {
                    let op = if k % 2 == 0 { BinOp::Add } else { BinOp::Sub };
                    self.bin(op, s, term)?
                }
            });
        }
        Ok(sum.unwrap_or_else(|| super::parse::number(0.0)))
    }

    /// `a[…, row, col]`.
    fn entry(&self, r: usize, c: usize) -> Result<Expr, Raw> {
        let mut subs = self.lead.to_vec();
        for name in [&self.rows[r], &self.cols[c]] {
            subs.push(SubRef {
                name: name.clone(),
                bang: false,
                span: self.span,
            });
        }
        let name = self.name.to_string();
        tree(Node::Sub { name, subs }, self.span)
    }

    fn bin(&self, op: BinOp, a: Expr, b: Expr) -> Result<Expr, Raw> {
        tree(Node::Binary(op, Box::new(a), Box::new(b)), self.span)
    }
}

fn not_a_matrix(at: usize) -> Raw {
    Raw::unsupported(
        at,
        "`INVERT MATRIX` reads a variable whose last two subscripts are ranges",
    )
}

/// Subscripts ending in two ranges: the others, and those ranges'
/// elements (canonical names).
fn last_two<'s>(
    subs: &'s [SubRef],
    ranges: &Ranges,
) -> Option<(&'s [SubRef], Vec<String>, Vec<String>)> {
    let k = subs.len().checked_sub(2)?;
    let range = |s: &SubRef| match ranges.subscript(&s.name) {
        Some(Subscript::Range(d)) if !s.bang => Some(d),
        _ => None,
    };
    let (r, c) = (range(&subs[k])?, range(&subs[k + 1])?);
    let names = |d: usize| -> Vec<String> {
        (0..ranges.places[d].len())
            .map(|i| ranges.element_key(d, i).to_string())
            .collect()
    };
    Some((&subs[..k], names(r), names(c)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::mdl::parse::equation;

    fn eq(s: &str) -> Equation {
        equation(s, (0, s.len()), &mut 1000).unwrap()
    }

    fn shape(e: &Expr) -> String {
        match &e.node {
            Node::Num(n) => format!("{n}"),
            Node::Sub { name, subs } => {
                let s: Vec<&str> = subs.iter().map(|s| s.name.as_str()).collect();
                format!("{name}[{}]", s.join(","))
            }
            Node::Neg(a) => format!("-{}", shape(a)),
            Node::Binary(op, a, b) => format!("({} {op:?} {})", shape(a), shape(b)),
            other => format!("{other:?}"),
        }
    }

    fn written(eqns: &[(usize, Equation)]) -> Vec<String> {
        eqns.iter()
            .map(|(_, q)| {
                let lhs: Vec<&str> = q.subs.iter().map(|s| s.name.as_str()).collect();
                let Rhs::Eqn(x) = &q.rhs else {
                    panic!("not an equation")
                };
                format!("[{}] = {}", lhs.join(","), shape(x))
            })
            .collect()
    }

    #[test]
    fn each_element_is_a_cofactor_over_the_determinant() {
        let r = Ranges::of_records(&["k: one", "d: a, b", "e: p, q"]);
        let eqns = vec![(3, eq("inv[k, d, e] = INVERT MATRIX(m[k, d, e], 2)"))];
        let out = invert(eqns, &r).unwrap();
        let det = "((m[k,a,p] Mul m[k,b,q]) Sub (m[k,a,q] Mul m[k,b,p]))";
        assert_eq!(
            written(&out),
            [
                format!("[k,a,p] = (m[k,b,q] Div {det})"),
                format!("[k,a,q] = (-m[k,a,q] Div {det})"),
                format!("[k,b,p] = (-m[k,b,p] Div {det})"),
                format!("[k,b,q] = (m[k,a,p] Div {det})"),
            ]
        );
        assert!(out.iter().all(|(i, _)| *i == 3));
        let one = invert(vec![(0, eq("inv[k, k] = INVERT MATRIX(m[k, k], 1)"))], &r).unwrap();
        assert_eq!(written(&one), ["[one,one] = (1 Div m[one,one])"]);
    }
}
