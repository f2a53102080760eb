//! What an equation's tree says about each name it reads: the sign of the
//! effect (by the usual system-dynamics rules, model quantities taken as
//! positive) and when the name is read (now, from the past, or only at
//! the start).
//!
//! The rules, applied top-down with the sign of the enclosing context:
//! `a + b` keeps both, `a - b` flips `b`, `-a` flips; in `a * b` each
//! factor takes the sign of the other's value (a name is positive, a
//! constant its sign, anything unknown makes it unknown), `a / b` flips
//! the denominator; `exp`, `ln`, `sqrt`, `min`, `max`, `clamp`, sums, the
//! smooths and delays keep their input; a lookup keeps or flips as its
//! table rises or falls; `if` keeps its branches and leaves its condition
//! unknown; comparisons and functions that are not monotone give unknown.

use crate::model::expr::builtins::Kind;
use crate::model::expr::{BinOp, Builtin, Expr, ExprKind, UnOp};

/// The sign of a causal link: whether the effect moves with the cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Polarity {
    Positive,
    Negative,
    Unknown,
}

impl Polarity {
    /// The opposite sign; unknown stays unknown.
    pub fn flip(self) -> Polarity {
        match self {
            Polarity::Positive => Polarity::Negative,
            Polarity::Negative => Polarity::Positive,
            Polarity::Unknown => Polarity::Unknown,
        }
    }

    /// The sign of a product: unknown if either is.
    pub fn times(self, other: Polarity) -> Polarity {
        match (self, other) {
            (Polarity::Unknown, _) | (_, Polarity::Unknown) => Polarity::Unknown,
            (a, b) if a == b => Polarity::Positive,
            _ => Polarity::Negative,
        }
    }

    /// Two readings of one thing: their sign when they agree, else unknown.
    pub fn merge(self, other: Polarity) -> Polarity {
        if self == other {
            self
        } else {
            Polarity::Unknown
        }
    }

    /// The sign of a number; zero has none.
    fn of_number(x: f64) -> Polarity {
        if x > 0.0 {
            Polarity::Positive
        } else if x < 0.0 {
            Polarity::Negative
        } else {
            Polarity::Unknown
        }
    }

    /// The sign shown in a diagram: `+`, `−` or `?`.
    pub fn symbol(self) -> &'static str {
        match self {
            Polarity::Positive => "+",
            Polarity::Negative => "−",
            Polarity::Unknown => "?",
        }
    }
}

/// When a reference is read, from the soonest to the latest: in the same
/// step, only through the past (`prev`, a smooth or a delay), or only at
/// the start (an initial value, `init`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timing {
    Now,
    Past,
    Start,
}

/// One name read by an equation, with its effect's sign and its timing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reference<'a> {
    pub name: &'a str,
    pub polarity: Polarity,
    pub timing: Timing,
}

/// What the polarity rules need of a lookup table: whether its values
/// rise (`slope` positive) or fall with its input, and their sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableShape {
    pub slope: Polarity,
    pub values: Polarity,
}

impl TableShape {
    /// The shape of a table given by one or more point lists (an arrayed
    /// table has one per element): monotone only if every list is, the
    /// same way; a flat table has no slope.
    pub fn of<'p>(lists: impl IntoIterator<Item = &'p [(f64, f64)]>) -> TableShape {
        let mut shape: Option<TableShape> = None;
        for points in lists {
            let one = TableShape {
                slope: slope_of(points),
                values: points
                    .iter()
                    .map(|p| Polarity::of_number(p.1))
                    .reduce(Polarity::merge)
                    .unwrap_or(Polarity::Unknown),
            };
            shape = Some(match shape {
                None => one,
                Some(s) => TableShape {
                    slope: s.slope.merge(one.slope),
                    values: s.values.merge(one.values),
                },
            });
        }
        shape.unwrap_or(TableShape {
            slope: Polarity::Unknown,
            values: Polarity::Unknown,
        })
    }
}

/// Positive if the y never falls and rises somewhere, negative the other
/// way round, unknown otherwise.
fn slope_of(points: &[(f64, f64)]) -> Polarity {
    let steps = points.windows(2).map(|w| w[1].1 - w[0].1);
    let (up, down) = steps.fold((false, false), |(u, d), s| (u || s > 0.0, d || s < 0.0));
    match (up, down) {
        (true, false) => Polarity::Positive,
        (false, true) => Polarity::Negative,
        _ => Polarity::Unknown,
    }
}

/// Every name `e` reads, in reading order (a name read twice appears
/// twice; [`Graph`](super::Graph) merges them). `table` answers for the
/// names of lookup tables (and `None` for anything else).
pub fn references<'a>(
    e: &'a Expr,
    table: &dyn Fn(&str) -> Option<TableShape>,
) -> Vec<Reference<'a>> {
    let mut walk = Walk {
        table,
        out: Vec::new(),
    };
    walk.expr(e, Polarity::Positive, Timing::Now);
    walk.out
}

/// The walk down one tree, carrying the sign and timing of the context.
struct Walk<'a, 't> {
    table: &'t dyn Fn(&str) -> Option<TableShape>,
    out: Vec<Reference<'a>>,
}

impl<'a> Walk<'a, '_> {
    fn expr(&mut self, e: &'a Expr, ctx: Polarity, timing: Timing) {
        match &e.kind {
            ExprKind::Num(_) => {}
            ExprKind::Name(name) | ExprKind::Subscript { name, .. } => self.out.push(Reference {
                name,
                polarity: ctx,
                timing,
            }),
            ExprKind::Unary(UnOp::Neg, a) => self.expr(a, ctx.flip(), timing),
            ExprKind::Unary(UnOp::Not, a) => self.expr(a, Polarity::Unknown, timing),
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, ctx, timing),
            ExprKind::If(c, a, b) => {
                self.expr(c, Polarity::Unknown, timing);
                self.expr(a, ctx, timing);
                self.expr(b, ctx, timing);
            }
            ExprKind::Call { name, args, .. } => self.call(name, args, ctx, timing),
        }
    }

    fn binary(&mut self, op: BinOp, a: &'a Expr, b: &'a Expr, ctx: Polarity, timing: Timing) {
        let (pa, pb) = match op {
            BinOp::Add => (Polarity::Positive, Polarity::Positive),
            BinOp::Sub => (Polarity::Positive, Polarity::Negative),
            BinOp::Mul => (self.sign(b), self.sign(a)),
            BinOp::Div => (self.sign(b), self.sign(a).flip()),
            BinOp::Pow => power(self.sign(a), a, b),
            _ => (Polarity::Unknown, Polarity::Unknown),
        };
        self.expr(a, ctx.times(pa), timing);
        self.expr(b, ctx.times(pb), timing);
    }

    fn call(&mut self, name: &str, args: &'a [Expr], ctx: Polarity, timing: Timing) {
        let builtin = Builtin::from_name(name);
        let table = match builtin {
            Some(_) => None,
            None => (self.table)(name),
        };
        for (i, a) in args.iter().enumerate() {
            let (effect, when) = match (builtin, table) {
                (Some(b), _) => self.argument(b, i, args),
                (None, Some(t)) => (t.slope, Timing::Now),
                (None, None) => (Polarity::Unknown, Timing::Now),
            };
            self.expr(a, ctx.times(effect), timing.max(when));
        }
    }

    /// How argument `i` of a call to `b` moves its value, and when it is read.
    fn argument(&self, b: Builtin, i: usize, args: &[Expr]) -> (Polarity, Timing) {
        use Polarity::{Negative as Neg, Positive as Pos, Unknown as Unk};
        let sign = |k: usize| args.get(k).map_or(Unk, |e| self.sign(e));
        let effect = match b {
            Builtin::Min | Builtin::Max | Builtin::Clamp => Pos,
            Builtin::Exp | Builtin::Ln | Builtin::Sqrt | Builtin::Log10 => Pos,
            Builtin::Sinh | Builtin::Tanh | Builtin::Arcsin | Builtin::Arctan => Pos,
            Builtin::Arccos => Neg,
            Builtin::Round | Builtin::Int => Pos,
            Builtin::Sum | Builtin::Mean | Builtin::Prod => Pos,
            // |x| of a quantity of known sign moves with it, or against it.
            Builtin::Abs => sign(0),
            Builtin::Pow => match (args.first(), args.get(1)) {
                (Some(a), Some(x)) => {
                    let (pa, px) = power(sign(0), a, x);
                    if i == 0 { pa } else { px }
                }
                _ => Unk,
            },
            // a / b, with the fallback `x` as it is.
            Builtin::Safediv | Builtin::Xidz | Builtin::Zidz => match i {
                0 => sign(1),
                1 => sign(0).flip(),
                _ => Pos,
            },
            Builtin::Mod | Builtin::Sin | Builtin::Cos | Builtin::Tan | Builtin::Cosh => Unk,
            // Up or down as the argument is the requester's own or another's.
            Builtin::AllocateAvailable => Unk,
            // The height, slope or volume; the times are not monotone.
            Builtin::Step | Builtin::Ramp | Builtin::Pulse => first_only(i),
            // The bounds and location parameters; not the seed or shapes.
            Builtin::RandomUniform => first_and(i, 1),
            Builtin::RandomNormal
            | Builtin::RandomLognormal
            | Builtin::RandomPoisson
            | Builtin::RandomExponential
            | Builtin::RandomTriangular
            | Builtin::RandomBeta
            | Builtin::RandomBinomial
            | Builtin::RandomNegativeBinomial => first_only(i),
            // The mean grows with the gamma's shape and scale, the
            // Weibull's scale (its shape moves it either way).
            Builtin::RandomGamma => first_and(i, 1),
            Builtin::RandomWeibull if i == 1 => Pos,
            Builtin::RandomWeibull => Unk,
            Builtin::Prev | Builtin::Previous | Builtin::Init => Pos,
            // The input and the starting value; delay times and orders not.
            Builtin::Smooth1
            | Builtin::Delay1
            | Builtin::Smooth3
            | Builtin::Delay3
            | Builtin::Delay
            | Builtin::Trend => first_and(i, 2),
            Builtin::Smoothn | Builtin::Delayn | Builtin::VensimDelayn | Builtin::Forecast => {
                first_and(i, 3)
            }
        };
        (effect, timing_of(b, i))
    }

    /// The sign of `e`'s value, names taken as positive.
    fn sign(&self, e: &Expr) -> Polarity {
        match &e.kind {
            ExprKind::Num(x) => Polarity::of_number(*x),
            ExprKind::Name(_) | ExprKind::Subscript { .. } => Polarity::Positive,
            ExprKind::Unary(UnOp::Neg, a) => self.sign(a).flip(),
            ExprKind::Unary(UnOp::Not, _) => Polarity::Unknown,
            ExprKind::Binary(op, a, b) => {
                let (sa, sb) = (self.sign(a), self.sign(b));
                match op {
                    BinOp::Add => sa.merge(sb),
                    BinOp::Sub => sa.merge(sb.flip()),
                    BinOp::Mul | BinOp::Div => sa.times(sb),
                    BinOp::Pow if sa == Polarity::Positive => Polarity::Positive,
                    _ => Polarity::Unknown,
                }
            }
            ExprKind::If(_, a, b) => self.sign(a).merge(self.sign(b)),
            ExprKind::Call { name, args, .. } => self.call_sign(name, args),
        }
    }

    fn call_sign(&self, name: &str, args: &[Expr]) -> Polarity {
        let all = || {
            args.iter()
                .map(|a| self.sign(a))
                .reduce(Polarity::merge)
                .unwrap_or(Polarity::Unknown)
        };
        let first = || args.first().map_or(Polarity::Unknown, |a| self.sign(a));
        let Some(b) = Builtin::from_name(name) else {
            return (self.table)(name).map_or(Polarity::Unknown, |t| t.values);
        };
        match b {
            Builtin::Exp | Builtin::Sqrt | Builtin::Abs | Builtin::Cosh => Polarity::Positive,
            Builtin::RandomLognormal
            | Builtin::RandomPoisson
            | Builtin::RandomGamma
            | Builtin::RandomBeta
            | Builtin::RandomWeibull
            | Builtin::RandomBinomial
            | Builtin::RandomNegativeBinomial => Polarity::Positive,
            Builtin::Min | Builtin::Max | Builtin::Clamp | Builtin::Sum | Builtin::Mean => all(),
            Builtin::Prod | Builtin::Round | Builtin::Int => all(),
            Builtin::Safediv | Builtin::Xidz | Builtin::Zidz => args
                .iter()
                .take(2)
                .map(|a| self.sign(a))
                .fold(Polarity::Positive, Polarity::times),
            Builtin::Prev | Builtin::Previous | Builtin::Init | Builtin::Step => first(),
            Builtin::Ramp | Builtin::Pulse | Builtin::Forecast => first(),
            Builtin::Smooth1 | Builtin::Smooth3 | Builtin::Smoothn => first(),
            Builtin::Delay1 | Builtin::Delay3 | Builtin::Delay => first(),
            Builtin::Delayn | Builtin::VensimDelayn => first(),
            _ => Polarity::Unknown,
        }
    }
}

/// The effects of `a` and `b` in `a ^ b` (`sa`: the sign of `a`): a
/// positive base rises with it under a constant positive exponent; the
/// exponent moves a constant base above 1 up, one below 1 down.
fn power(sa: Polarity, a: &Expr, b: &Expr) -> (Polarity, Polarity) {
    let base = match (constant(b), sa) {
        (Some(x), Polarity::Positive) => Polarity::of_number(x),
        _ => Polarity::Unknown,
    };
    let exponent = match constant(a) {
        Some(x) if x > 1.0 => Polarity::Positive,
        Some(x) if x > 0.0 && x < 1.0 => Polarity::Negative,
        _ => Polarity::Unknown,
    };
    (base, exponent)
}

/// The value of a number, or of a negated one (`-1` is `-(1)`).
fn constant(e: &Expr) -> Option<f64> {
    match &e.kind {
        ExprKind::Num(x) => Some(*x),
        ExprKind::Unary(UnOp::Neg, a) => constant(a).map(|x| -x),
        _ => None,
    }
}

fn first_only(i: usize) -> Polarity {
    if i == 0 {
        Polarity::Positive
    } else {
        Polarity::Unknown
    }
}

fn first_and(i: usize, start_value: usize) -> Polarity {
    if i == 0 || i == start_value {
        Polarity::Positive
    } else {
        Polarity::Unknown
    }
}

/// When argument `i` of `b` is read: the starting values of stateful
/// calls only at the start, their other arguments through the past.
fn timing_of(b: Builtin, i: usize) -> Timing {
    if b.kind() != Kind::Stateful {
        return Timing::Now;
    }
    if start_value(b) == Some(i) {
        Timing::Start
    } else if i == 0 && matches!(b, Builtin::Trend | Builtin::Forecast) {
        // Their input is read in the step itself, beside its smoothed past.
        Timing::Now
    } else {
        Timing::Past
    }
}

/// The argument that gives a stateful call its starting value.
fn start_value(b: Builtin) -> Option<usize> {
    match b {
        Builtin::Prev | Builtin::Previous => Some(1),
        Builtin::Init => Some(0),
        Builtin::Smooth1
        | Builtin::Delay1
        | Builtin::Smooth3
        | Builtin::Delay3
        | Builtin::Delay
        | Builtin::Trend => Some(2),
        Builtin::Smoothn | Builtin::Delayn | Builtin::VensimDelayn | Builtin::Forecast => Some(3),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trend_and_forecast_read_their_input_now_smooths_the_past() {
        assert_eq!(timing_of(Builtin::Trend, 0), Timing::Now);
        assert_eq!(timing_of(Builtin::Forecast, 0), Timing::Now);
        assert_eq!(timing_of(Builtin::Smooth1, 0), Timing::Past);
        assert_eq!(timing_of(Builtin::Trend, 2), Timing::Start);
    }
    use crate::model::expr::parse;
    use Polarity::{Negative as Neg, Positive as Pos, Unknown as Unk};

    /// Each name's merged polarity and soonest timing in `src`, in
    /// reading order of first appearance; `effect` rises, `fall` falls,
    /// `bump` does neither.
    fn refs(src: &str) -> Vec<(String, Polarity, Timing)> {
        let e = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let table = |name: &str| {
            let points: &[(f64, f64)] = match name {
                "effect" => &[(0.0, 1.0), (1.0, 2.0), (2.0, 2.0)],
                "fall" => &[(0.0, 2.0), (1.0, 1.0)],
                "bump" => &[(0.0, 1.0), (1.0, 2.0), (2.0, 1.0)],
                _ => return None,
            };
            Some(TableShape::of([points]))
        };
        let mut out: Vec<(String, Polarity, Timing)> = Vec::new();
        for r in references(&e, &table) {
            match out.iter_mut().find(|o| o.0 == r.name) {
                Some(o) => {
                    o.1 = o.1.merge(r.polarity);
                    o.2 = o.2.min(r.timing);
                }
                None => out.push((r.name.to_string(), r.polarity, r.timing)),
            }
        }
        out
    }

    fn signs(src: &str) -> Vec<(String, Polarity)> {
        refs(src).into_iter().map(|(n, p, _)| (n, p)).collect()
    }

    fn s(pairs: &[(&str, Polarity)]) -> Vec<(String, Polarity)> {
        pairs.iter().map(|(n, p)| (n.to_string(), *p)).collect()
    }

    #[test]
    fn sums_keep_and_differences_flip() {
        assert_eq!(signs("a + b - c"), s(&[("a", Pos), ("b", Pos), ("c", Neg)]));
        assert_eq!(signs("-(a - b)"), s(&[("a", Neg), ("b", Pos)]));
        assert_eq!(
            signs("a - (b - c)"),
            s(&[("a", Pos), ("b", Neg), ("c", Pos)])
        );
    }

    #[test]
    fn products_keep_under_positive_factors_and_quotients_flip_the_denominator() {
        assert_eq!(signs("0.05 * a * b"), s(&[("a", Pos), ("b", Pos)]));
        assert_eq!(signs("-2 * a"), s(&[("a", Neg)]));
        assert_eq!(signs("a / b"), s(&[("a", Pos), ("b", Neg)]));
        assert_eq!(
            signs("a / (b * c)"),
            s(&[("a", Pos), ("b", Neg), ("c", Neg)])
        );
        assert_eq!(signs("1 / (1 / a)"), s(&[("a", Pos)]));
        // A factor of unknown sign leaves the other unknown.
        assert_eq!(
            signs("(a - b) * c"),
            s(&[("a", Pos), ("b", Neg), ("c", Unk)])
        );
    }

    #[test]
    fn a_name_read_with_opposite_signs_is_unknown() {
        assert_eq!(signs("a / (a + b)"), s(&[("a", Unk), ("b", Neg)]));
        assert_eq!(signs("a - a * b"), s(&[("a", Unk), ("b", Neg)]));
        assert_eq!(signs("a + 2 * a"), s(&[("a", Pos)]));
    }

    #[test]
    fn monotone_functions_keep_and_others_are_unknown() {
        for f in [
            "exp(a)",
            "ln(a)",
            "sqrt(a)",
            "min(a, 3)",
            "max(0, a)",
            "clamp(a, 0, 1)",
        ] {
            assert_eq!(signs(f), s(&[("a", Pos)]), "{f}");
        }
        assert_eq!(signs("sum(a[segment!])"), s(&[("a", Pos)]));
        assert_eq!(
            signs("min(a, b - c)"),
            s(&[("a", Pos), ("b", Pos), ("c", Neg)])
        );
        assert_eq!(signs("exp(-a)"), s(&[("a", Neg)]));
        for f in ["sin(a)", "mod(a, 3)", "a > 2", "not a", "a and b"] {
            assert!(signs(f).iter().all(|(_, p)| *p == Unk), "{f}");
        }
        assert_eq!(signs("a ^ 2"), s(&[("a", Pos)]));
        assert_eq!(signs("a ^ -1"), s(&[("a", Neg)]));
        assert_eq!(signs("(a - b) ^ 2"), s(&[("a", Unk), ("b", Unk)]));
        assert_eq!(signs("2 ^ a"), s(&[("a", Pos)]));
        assert_eq!(signs("safediv(a, b, 0)"), s(&[("a", Pos), ("b", Neg)]));
    }

    #[test]
    fn if_keeps_its_branches_and_leaves_its_condition_unknown() {
        assert_eq!(
            signs("if year < p then a else -b"),
            s(&[("year", Unk), ("p", Unk), ("a", Pos), ("b", Neg)])
        );
        assert_eq!(signs("if a > 0 then a else 0"), s(&[("a", Unk)]));
    }

    #[test]
    fn lookups_keep_or_flip_by_their_slope() {
        assert_eq!(signs("effect(a)"), s(&[("a", Pos)]));
        assert_eq!(signs("fall(a)"), s(&[("a", Neg)]));
        assert_eq!(signs("fall(a / b)"), s(&[("a", Neg), ("b", Pos)]));
        assert_eq!(signs("bump(a)"), s(&[("a", Unk)]));
        assert_eq!(signs("nosuch(a)"), s(&[("a", Unk)]));
        // A table of positive values is a positive factor.
        assert_eq!(signs("effect(a) * b"), s(&[("a", Pos), ("b", Pos)]));
    }

    #[test]
    fn stateful_calls_keep_their_input_and_read_it_from_the_past() {
        assert_eq!(refs("prev(a)"), vec![("a".into(), Pos, Timing::Past)]);
        assert_eq!(
            refs("smooth1(a, t, a0)"),
            vec![
                ("a".into(), Pos, Timing::Past),
                ("t".into(), Unk, Timing::Past),
                ("a0".into(), Pos, Timing::Start),
            ]
        );
        assert_eq!(refs("-delay3(a, 3)"), vec![("a".into(), Neg, Timing::Past)]);
        assert_eq!(refs("init(a)"), vec![("a".into(), Pos, Timing::Start)]);
        // Read now and from the past: now.
        assert_eq!(refs("a - prev(a)")[0].2, Timing::Now);
        assert_eq!(refs("prev(smooth1(a, 2))")[0].2, Timing::Past);
    }

    #[test]
    fn table_shapes() {
        let up: &[(f64, f64)] = &[(0.0, 1.0), (1.0, 1.0), (2.0, 3.0)];
        let down: &[(f64, f64)] = &[(0.0, 1.0), (1.0, -1.0)];
        let flat: &[(f64, f64)] = &[(0.0, 1.0), (1.0, 1.0)];
        assert_eq!(TableShape::of([up]).slope, Pos);
        assert_eq!(TableShape::of([up]).values, Pos);
        assert_eq!(TableShape::of([down]).slope, Neg);
        assert_eq!(TableShape::of([down]).values, Unk);
        assert_eq!(TableShape::of([flat]).slope, Unk);
        assert_eq!(TableShape::of([up, down]).slope, Unk);
    }
}
