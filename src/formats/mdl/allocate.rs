//! Vensim's `ALLOCATE BY PRIORITY(request[…, d], priority[…, d], size,
//! width, supply)`, written in closed form. Each requester `i` of the
//! last range `d` is served as a rectangular demand curve: at a level
//! `x` it takes `request_i * clamp((priority_i - x) / width, 0, 1)`, and
//! `x` is where those takings add up to the supply. That is PySD's
//! `allocate_by_priority` (the highest priority served first, the next
//! starting once the first has `(p1 - p2) / width` of its request, every
//! requester served in proportion to its request, none beyond it), as
//! the sum is piecewise linear in `x`, with its corners at each
//! `priority_i` and `priority_i - width`. Among the corners, `lo` is the
//! highest whose sum reaches the supply, `hi` the lowest whose sum does
//! not; the sum is linear between them, so the level is their
//! interpolation, exactly.
//!
//! A supply of at least the requests' sum fills every request; a supply
//! of 0 or less gives nothing. Vensim stops the run on a width of 0 or
//! less or a negative request; we cannot, and leave that to the model.

use super::mapping::read_ranges;
use super::parse::{Expr, Node, SubRef, tree};
use super::ranges::Subscript;
use super::select::within;
use super::translate::Tr;
use super::{Raw, canonical};
use crate::formats::sd_common::out::{Op, Out};

type R = Result<Out, Raw>;

fn bin(op: Op, a: Out, b: Out) -> Out {
    Out::Bin(op, Box::new(a), Box::new(b))
}

fn iff(c: Out, a: Out, b: Out) -> Out {
    Out::If(Box::new(c), Box::new(a), Box::new(b))
}

fn call(f: &str, args: Vec<Out>) -> Out {
    Out::Call(f.to_string(), args)
}

fn inf() -> Out {
    bin(Op::Div, Out::Num(1.0), Out::Num(0.0))
}

const NAME: &str = "ALLOCATE BY PRIORITY";

/// About how many times the level's equation copies each argument.
const COPIES: usize = 24;

/// The most requesters one call allocates among.
const MAX_REQUESTERS: usize = 64;

/// One call, translated: each requester's request and priority, the
/// width and the supply, and the priority again with `d` reduced (`!`).
struct Call {
    requests: Vec<Out>,
    priorities: Vec<Out>,
    width: Out,
    supply: Out,
    each_priority: Out,
}

impl Call {
    /// What the requesters take at level `x`, in all.
    fn taken(&self, x: &Out) -> Out {
        let terms = self.requests.iter().zip(&self.priorities).map(|(r, p)| {
            let share = bin(
                Op::Div,
                bin(Op::Sub, p.clone(), x.clone()),
                self.width.clone(),
            );
            let share = call("clamp", vec![share, Out::Num(0.0), Out::Num(1.0)]);
            bin(Op::Mul, r.clone(), share)
        });
        sum(terms)
    }

    /// The two corners of each requester: its priority, and its priority
    /// less the width (`d` reduced).
    fn corners(&self) -> [Out; 2] {
        let p = self.each_priority.clone();
        [p.clone(), bin(Op::Sub, p, self.width.clone())]
    }

    /// The reduction `f` over the corners of `pick(corner, taken there)`,
    /// `neutral` where `reaches` (the sum there reaches the supply) is not
    /// what is asked.
    fn over(&self, f: &str, reaches: bool, pick: fn(Out, Out) -> Out, neutral: fn() -> Out) -> Out {
        let parts = self.corners().map(|c| {
            let t = self.taken(&c);
            let cmp = if reaches { ">=" } else { "<" };
            let test = bin(Op::Cmp(cmp), t.clone(), self.supply.clone());
            call(f, vec![iff(test, pick(c, t), neutral())])
        });
        let [a, b] = parts;
        call(f, vec![a, b])
    }

    /// The level at which the takings add up to the supply.
    fn level(&self) -> Out {
        let neg_inf = || Out::Neg(Box::new(inf()));
        let lo = self.over("max", true, |c, _| c, neg_inf);
        let at_lo = self.over("min", true, |_, t| t, inf);
        let hi = self.over("min", false, |c, _| c, inf);
        let at_hi = self.over("max", false, |_, t| t, neg_inf);
        let run = bin(Op::Sub, hi, lo.clone());
        let rise = bin(Op::Sub, at_lo.clone(), at_hi);
        let over = bin(Op::Sub, at_lo, self.supply.clone());
        bin(Op::Add, lo, bin(Op::Div, bin(Op::Mul, over, run), rise))
    }
}

/// `terms` added.
fn sum(terms: impl Iterator<Item = Out>) -> Out {
    terms
        .reduce(|a, b| bin(Op::Add, a, b))
        .unwrap_or(Out::Num(0.0))
}

impl Tr<'_, '_> {
    /// `ALLOCATE BY PRIORITY`'s call, in our language.
    pub(super) fn allocate_by_priority(&mut self, args: &[Expr], e: &Expr) -> R {
        let [request, priority, size, width, supply] = args else {
            return Err(Raw::invalid(
                e.span.0,
                format!(
                    "`ALLOCATE BY PRIORITY` takes 5 arguments, not {}",
                    args.len()
                ),
            ));
        };
        let d = self.allocation_range(request, priority)?;
        self.not_over(d, &[width, supply])?;
        let n = self.scope.ranges.places[d].len();
        self.check_size(size, d, n)?;
        let mut c = Call {
            requests: Vec::with_capacity(n),
            priorities: Vec::with_capacity(n),
            width: self.tr(width)?,
            supply: self.tr(supply)?,
            each_priority: self.tr(&last_as(priority, None)?)?,
        };
        for k in 0..n {
            let el = self.scope.ranges.element_key(d, k).to_string();
            c.requests.push(self.tr(&last_as(request, Some(&el))?)?);
            c.priorities.push(self.tr(&last_as(priority, Some(&el))?)?);
        }
        let mut args: Vec<&Out> = vec![&c.supply, &c.each_priority];
        args.extend(c.requests.iter().chain(&c.priorities));
        args.extend(std::iter::repeat_n(&c.width, n));
        within(&args, COPIES, NAME, e.span.0)?;
        let (r, p) = (self.tr(request)?, self.tr(priority)?);
        let share = bin(Op::Div, bin(Op::Sub, p, c.level()), c.width.clone());
        let share = call("clamp", vec![share, Out::Num(0.0), Out::Num(1.0)]);
        let all = sum(c.requests.iter().cloned());
        let served = iff(
            bin(Op::Cmp("<="), c.supply.clone(), Out::Num(0.0)),
            Out::Num(0.0),
            bin(Op::Mul, r.clone(), share),
        );
        let out = iff(bin(Op::Cmp(">="), c.supply.clone(), all), r, served);
        within(&[&out], 1, NAME, e.span.0)?;
        Ok(out)
    }

    /// The range allocated among: the last subscript of the request and of
    /// the priority, a range of the variable's own.
    fn allocation_range(&self, request: &Expr, priority: &Expr) -> Result<usize, Raw> {
        let ranges = self.scope.ranges;
        let last = |x: &Expr| match &x.node {
            Node::Sub { subs, .. } => subs.last().and_then(|s| match ranges.subscript(&s.name) {
                Some(Subscript::Range(d)) if !s.bang => Some(d),
                _ => None,
            }),
            _ => None,
        };
        let (Some(d), Some(dp)) = (last(request), last(priority)) else {
            return Err(Raw::unsupported(
                request.span.0,
                "`ALLOCATE BY PRIORITY` reads a request and a priority whose last subscript is \
                 the range allocated among",
            ));
        };
        if d != dp {
            return Err(Raw::invalid(
                priority.span.0,
                "`ALLOCATE BY PRIORITY`'s request and priority end with the same range",
            ));
        }
        if ranges.places[d].len() > MAX_REQUESTERS {
            return Err(Raw::unsupported(
                request.span.0,
                format!("`ALLOCATE BY PRIORITY` among more than {MAX_REQUESTERS} requesters"),
            ));
        }
        Ok(d)
    }

    /// Refuses a width or a supply that follows the range allocated among
    /// (Vensim gives one per row of requesters).
    fn not_over(&self, d: usize, args: &[&Expr]) -> Result<(), Raw> {
        let ranges = self.scope.ranges;
        for a in args {
            let mut read = Vec::new();
            read_ranges(a, ranges, &mut read);
            if read.contains(&d) {
                return Err(Raw::invalid(
                    a.span.0,
                    format!(
                        "`ALLOCATE BY PRIORITY`'s width and supply are one per row of \
                         requesters: they do not follow `{}`",
                        ranges.dims[d].id
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The size argument: the number of elements of `d`.
    fn check_size(&self, size: &Expr, d: usize, n: usize) -> Result<(), Raw> {
        let given = match &size.node {
            Node::Num(v) => Some(*v),
            Node::Call { name, args, .. } if canonical(name) == "elmcount" => match args.as_slice()
            {
                [
                    Expr {
                        node: Node::Name(r),
                        ..
                    },
                ] => match self.scope.ranges.subscript(r) {
                    Some(Subscript::Range(x)) => Some(self.scope.ranges.places[x].len() as f64),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        match given {
            Some(v) if v == n as f64 => Ok(()),
            _ => Err(Raw::invalid(
                size.span.0,
                format!(
                    "`ALLOCATE BY PRIORITY`'s size is the number of elements of `{}`, {n}",
                    self.scope.ranges.dims[d].id
                ),
            )),
        }
    }
}

/// `x[…, d]` with its last subscript the element `el`, or reduced (`d!`)
/// when `el` is `None`.
fn last_as(x: &Expr, el: Option<&str>) -> Result<Expr, Raw> {
    let Node::Sub { name, subs } = &x.node else {
        return Err(Raw::unsupported(
            x.span.0,
            "`ALLOCATE BY PRIORITY` reads subscripted variables",
        ));
    };
    let mut subs: Vec<SubRef> = subs.clone();
    if let Some(s) = subs.last_mut() {
        match el {
            Some(el) => s.name = el.to_string(),
            None => s.bang = true,
        }
    }
    tree(
        Node::Sub {
            name: name.clone(),
            subs,
        },
        x.span,
    )
}
