//! The units check: each equation's unit inferred from its parts and
//! compared with the unit its field is declared in, as Vensim's Units Check
//! and simlin do. It reports warnings; a model runs whatever they say.
//!
//! Rules (docs/design/arrays-and-units.md §9): products and quotients
//! combine units; sums, comparisons, the branches of an `if` and the
//! arguments of `min`/`max` must agree; a bare number adapts to whatever it
//! meets; `prev`, delays and smooths keep their argument's unit; a stock's
//! change (and each of its flows) is in its unit per time unit. An item
//! with no unit expression is not checked, and silences every check it
//! reaches (no warnings for what the modeller did not declare).
//!
//! Scales: two units agree when their scales are equal, or when the
//! numbers multiplied in turn one into the other (`jobs * kMAD/job / 1e6`
//! is in `bnMAD`; `share * 100` is in `%`): literal factors are read as
//! conversion factors where that makes the units agree.

use std::collections::HashMap;

use super::ratio::Ratio;
use super::table::UnitTable;
use super::unit::{Unit, scale_close};
use super::warning::{Expected, Operands, Problem, UnitWarning};
use crate::model::def::{Model, VariableKind};
use crate::model::error::Item;
use crate::model::expr::builtins::UnitRule;
use crate::model::expr::{self, BinOp, Builtin, Expr, ExprKind, Named, Span, UnOp};

/// Every units warning of `m`, in model order. Empty for a model that
/// declares no units.
pub fn check_units(m: &Model) -> Vec<UnitWarning> {
    let declares = m.levers.iter().any(|l| !l.unit_expr.is_empty())
        || m.variables.iter().any(|v| !v.unit_expr.is_empty())
        || m.lookups.iter().any(|l| !l.unit_expr.is_empty());
    if !declares {
        return Vec::new();
    }
    let mut c = Checker::new(m);
    for v in &m.variables {
        c.variable(v);
    }
    c.out
}

/// A type in the inference: a unit with the product of the literal numbers
/// multiplied into it (`lit`), a bare number (with its value where known:
/// exponents need it), or not known (undeclared: never checked).
#[derive(Clone, Debug)]
enum Ty {
    Known(Unit, f64),
    Number(f64),
    Unknown,
}

/// The equation being checked.
#[derive(Clone, Copy)]
struct Site<'a> {
    item: &'a Item,
    field: &'a str,
    text: &'a str,
}

struct Checker<'m> {
    table: UnitTable,
    time: Unit,
    /// Levers and variables: their declared unit, if any.
    declared: HashMap<&'m str, Option<Unit>>,
    /// Lookups that declare a unit: (values, input).
    lookups: HashMap<&'m str, (Unit, Unit)>,
    out: Vec<UnitWarning>,
}

impl<'m> Checker<'m> {
    fn new(m: &'m Model) -> Self {
        let (table, refused) = super::model_table(m);
        let mut out = Vec::new();
        for (i, reason) in refused {
            let name = m.units[i].name.clone();
            let p = Problem::Definition { name, reason };
            out.push(UnitWarning::new(Item::Model, "units", None, p));
        }
        let time = table.time();
        let mut c = Checker {
            table,
            time,
            declared: HashMap::new(),
            lookups: HashMap::new(),
            out,
        };
        for l in &m.levers {
            let u = c.declare(Item::Lever(l.id.clone()), "unit_expr", &l.unit_expr);
            c.declared.insert(&l.id, u);
        }
        for v in &m.variables {
            let u = c.declare(Item::Variable(v.id.clone()), "unit_expr", &v.unit_expr);
            c.declared.insert(&v.id, u);
        }
        for t in &m.lookups {
            let item = Item::Lookup(t.id.clone());
            let Some(values) = c.declare(item.clone(), "unit_expr", &t.unit_expr) else {
                continue;
            };
            let input = match t.input_unit_expr.is_empty() {
                true => Some(Unit::one()),
                false => c.declare(item, "input_unit_expr", &t.input_unit_expr),
            };
            if let Some(input) = input {
                c.lookups.insert(&t.id, (values, input));
            }
        }
        c
    }

    /// The unit a field declares; a malformed one is said and left unchecked.
    fn declare(&mut self, item: Item, field: &str, text: &str) -> Option<Unit> {
        if text.trim().is_empty() {
            return None;
        }
        match self.table.resolve(text) {
            Ok(u) => Some(u),
            Err(e) => {
                let column = text.get(..e.offset).map_or(1, |s| s.chars().count() + 1);
                let p = Problem::Malformed {
                    text: text.to_string(),
                    column,
                    reason: e.message,
                };
                self.out.push(UnitWarning::new(item, field, None, p));
                None
            }
        }
    }

    /// A variable's equations against its unit; a stock's flows too.
    fn variable(&mut self, v: &crate::model::def::Variable) {
        let item = Item::Variable(v.id.clone());
        let unit = self.declared.get(v.id.as_str()).cloned().flatten();
        let per_time = unit.as_ref().map(|u| u.div(&self.time));
        match &v.kind {
            VariableKind::Aux { equation } => {
                self.field(
                    &item,
                    "equation",
                    equation,
                    unit.as_ref(),
                    Expected::Variable,
                );
            }
            VariableKind::Stock {
                initial,
                change,
                inflows,
                outflows,
                ..
            } => {
                self.field(&item, "initial", initial, unit.as_ref(), Expected::Initial);
                if !change.trim().is_empty() {
                    self.field(&item, "change", change, per_time.as_ref(), Expected::Change);
                }
                if let Some(want) = &per_time {
                    self.flows(&item, "inflows", inflows, want);
                    self.flows(&item, "outflows", outflows, want);
                }
            }
            VariableKind::Data { .. } => {}
        }
    }

    /// One equation: its unit inferred, then compared with `want`.
    fn field(&mut self, item: &Item, field: &str, text: &str, want: Option<&Unit>, why: Expected) {
        // A syntax error is the compiler's to report.
        let Ok(tree) = expr::parse(text) else {
            return;
        };
        let site = Site { item, field, text };
        let got = self.ty(&tree, site);
        if let Some(want) = want
            && !agree(&got, &Ty::Known(want.clone(), 1.0))
        {
            let p = Problem::Declared {
                source: source(site, tree.span),
                found: self.show(&got),
                expected: self.table.display(want),
                why,
            };
            self.warn(site, tree.span, p);
        }
    }

    fn flows(&mut self, item: &Item, field: &str, flows: &[String], want: &Unit) {
        for f in flows {
            let Some(Some(u)) = self.declared.get(f.as_str()).cloned() else {
                continue;
            };
            if !agree(&Ty::Known(u.clone(), 1.0), &Ty::Known(want.clone(), 1.0)) {
                let p = Problem::Flow {
                    flow: f.clone(),
                    found: self.table.display(&u),
                    expected: self.table.display(want),
                };
                self.out
                    .push(UnitWarning::new(item.clone(), field, None, p));
            }
        }
    }

    fn warn(&mut self, site: Site, span: Span, p: Problem) {
        let w = UnitWarning::new(site.item.clone(), site.field, Some(span), p);
        self.out.push(w);
    }

    fn show(&self, t: &Ty) -> String {
        match t {
            Ty::Known(u, _) => self.table.display(u),
            Ty::Number(_) | Ty::Unknown => "1".to_string(),
        }
    }

    /// The unit of `e`, every mismatch inside it reported.
    fn ty(&mut self, e: &Expr, site: Site) -> Ty {
        match &e.kind {
            ExprKind::Num(x) => Ty::Number(*x),
            ExprKind::Name(n) => self.name(n),
            // Every element of an array shares its unit (XMILE 4.5).
            ExprKind::Subscript { name, .. } => self.name(name),
            ExprKind::Call { name, args, .. } => self.call(e, name, args, site),
            ExprKind::Unary(UnOp::Neg, a) => match self.ty(a, site) {
                Ty::Number(x) => Ty::Number(-x),
                t => t,
            },
            ExprKind::Unary(UnOp::Not, a) => {
                self.ty(a, site);
                Ty::Number(f64::NAN)
            }
            ExprKind::Binary(op, a, b) => {
                let (ta, tb) = (self.ty(a, site), self.ty(b, site));
                self.binary(e, *op, ta, tb, site)
            }
            ExprKind::If(cond, a, b) => {
                self.ty(cond, site);
                let (ta, tb) = (self.ty(a, site), self.ty(b, site));
                self.join(e, Operands::Branches, ta, tb, site)
            }
        }
    }

    fn name(&self, n: &str) -> Ty {
        match Named::from_name(n) {
            Some(Named::Pi) => Ty::Number(std::f64::consts::PI),
            Some(Named::Year | Named::Time | Named::Dt | Named::StartTime | Named::StopTime) => {
                Ty::Known(self.time.clone(), 1.0)
            }
            None => match self.declared.get(n) {
                Some(Some(u)) => Ty::Known(u.clone(), 1.0),
                _ => Ty::Unknown,
            },
        }
    }

    fn binary(&mut self, e: &Expr, op: BinOp, a: Ty, b: Ty, site: Site) -> Ty {
        match op {
            BinOp::Add | BinOp::Sub => {
                let what = if op == BinOp::Add {
                    Operands::Add
                } else {
                    Operands::Sub
                };
                match (&a, &b) {
                    (Ty::Number(x), Ty::Number(y)) if op == BinOp::Add => Ty::Number(x + y),
                    (Ty::Number(x), Ty::Number(y)) => Ty::Number(x - y),
                    _ => self.join(e, what, a, b, site),
                }
            }
            BinOp::Mul => product(a, b),
            BinOp::Div => quotient(a, b),
            BinOp::Pow => self.power(e, a, b, site),
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne => {
                self.join(e, Operands::Compare, a, b, site);
                Ty::Number(f64::NAN)
            }
            BinOp::And | BinOp::Or => Ty::Number(f64::NAN),
        }
    }

    /// Two operands that must agree: the known one's unit, or a warning
    /// and an unknown unit (so that one mistake is said once).
    fn join(&mut self, e: &Expr, what: Operands, a: Ty, b: Ty, site: Site) -> Ty {
        match (&a, &b) {
            (Ty::Unknown, _) | (_, Ty::Unknown) => Ty::Unknown,
            (Ty::Number(_), _) => b,
            (_, Ty::Number(_)) => a,
            (Ty::Known(..), Ty::Known(..)) if agree(&a, &b) => a,
            _ => {
                let p = Problem::Operands {
                    what,
                    source: source(site, e.span),
                    left: self.show(&a),
                    right: self.show(&b),
                };
                self.warn(site, e.span, p);
                Ty::Unknown
            }
        }
    }

    /// `a ^ b`: `b` dimensionless; a unit only to a constant power.
    fn power(&mut self, e: &Expr, a: Ty, b: Ty, site: Site) -> Ty {
        if let Ty::Known(u, _) = &b
            && !u.is_dimensionless()
        {
            let p = Problem::Exponent {
                source: source(site, e.span),
                found: self.table.display(u),
            };
            self.warn(site, e.span, p);
            return Ty::Unknown;
        }
        let exponent = match b {
            Ty::Number(r) => Some(r),
            Ty::Unknown => return Ty::Unknown,
            Ty::Known(..) => None,
        };
        match (a, exponent) {
            (Ty::Number(x), Some(r)) => Ty::Number(x.powf(r)),
            (Ty::Number(_), None) => Ty::Number(f64::NAN),
            (Ty::Unknown, _) => Ty::Unknown,
            (Ty::Known(u, lit), Some(r)) => match Ratio::from_f64(r, 12).and_then(|q| u.pow(q)) {
                Some(p) => Ty::Known(p, lit.powf(r)),
                None => self.bad_power(e, &u, site),
            },
            (Ty::Known(u, _), None) if u.is_dimensionless() && scale_close(u.scale(), 1.0) => {
                Ty::Known(Unit::one(), 1.0)
            }
            (Ty::Known(u, _), None) => self.bad_power(e, &u, site),
        }
    }

    fn bad_power(&mut self, e: &Expr, base: &Unit, site: Site) -> Ty {
        let p = Problem::Power {
            source: source(site, e.span),
            base: self.table.display(base),
        };
        self.warn(site, e.span, p);
        Ty::Unknown
    }

    fn call(&mut self, e: &Expr, name: &str, args: &[Expr], site: Site) -> Ty {
        let tys: Vec<Ty> = args.iter().map(|a| self.ty(a, site)).collect();
        if let Some(b) = Builtin::from_name(name) {
            return self.builtin(e, b, &tys, site);
        }
        // `effect[crm]`: an element of an arrayed table, whose units are the table's.
        let table = name.split('[').next().unwrap_or(name);
        let Some((values, input)) = self.lookups.get(table).cloned() else {
            return Ty::Unknown;
        };
        if let Some(x) = tys.first()
            && !agree(x, &Ty::Known(input.clone(), 1.0))
        {
            let p = Problem::LookupInput {
                source: source(site, e.span),
                table: name.to_string(),
                found: self.show(x),
                expected: self.table.display(&input),
            };
            self.warn(site, e.span, p);
        }
        Ty::Known(values, 1.0)
    }

    fn builtin(&mut self, e: &Expr, b: Builtin, args: &[Ty], site: Site) -> Ty {
        let time = Ty::Known(self.time.clone(), 1.0);
        let per_time = Ty::Known(self.time.inv(), 1.0);
        let first = args.first().cloned().unwrap_or(Ty::Unknown);
        match b.unit_rule() {
            UnitRule::Agree => args.iter().skip(1).fold(first, |acc, t| {
                let what = Operands::Arguments(b.name().to_string());
                self.join(e, what, acc, t.clone(), site)
            }),
            UnitRule::Dimensionless => {
                let one = Ty::Known(Unit::one(), 1.0);
                for i in 0..args.len() {
                    self.expect(e, b, args, i, &one, site);
                }
                match args.iter().all(|t| matches!(t, Ty::Number(_))) {
                    true => Ty::Number(f64::NAN),
                    false => one,
                }
            }
            UnitRule::Sqrt => match first {
                Ty::Known(u, lit) => u.sqrt().map_or(Ty::Unknown, |s| Ty::Known(s, lit.sqrt())),
                t => t,
            },
            UnitRule::Power => {
                let exponent = args.get(1).cloned().unwrap_or(Ty::Unknown);
                self.power(e, first, exponent, site)
            }
            UnitRule::Quotient => {
                let q = quotient(first, args.get(1).cloned().unwrap_or(Ty::Unknown));
                self.expect(e, b, args, 2, &q, site);
                q
            }
            UnitRule::Memory { times, counts } => {
                for i in 1..args.len() {
                    let want = match (times.contains(&i), counts.contains(&i)) {
                        (true, _) => time.clone(),
                        (_, true) => Ty::Known(Unit::one(), 1.0),
                        _ => first.clone(),
                    };
                    self.expect(e, b, args, i, &want, site);
                }
                first
            }
            UnitRule::Ramp | UnitRule::Pulse => {
                for i in 1..args.len() {
                    self.expect(e, b, args, i, &time, site);
                }
                match b.unit_rule() {
                    UnitRule::Ramp => product(first, time),
                    _ => quotient(first, time),
                }
            }
            UnitRule::Trend => {
                self.expect(e, b, args, 1, &time, site);
                self.expect(e, b, args, 2, &per_time, site);
                per_time
            }
            UnitRule::Forecast => {
                self.expect(e, b, args, 1, &time, site);
                self.expect(e, b, args, 2, &time, site);
                self.expect(e, b, args, 3, &per_time, site);
                first
            }
            UnitRule::Draw { unit, numbers } => {
                let one = Ty::Known(Unit::one(), 1.0);
                let unit_ty =
                    unit.map_or(one.clone(), |u| args.get(u).cloned().unwrap_or(Ty::Unknown));
                for i in 0..args.len() {
                    if Some(i) == unit {
                        continue;
                    }
                    let want = if numbers.contains(&i) || unit.is_none() {
                        &one
                    } else {
                        &unit_ty
                    };
                    self.expect(e, b, args, i, want, site);
                }
                unit_ty
            }
        }
    }

    /// Argument `i` (when there is one) must agree with `want`.
    fn expect(&mut self, e: &Expr, b: Builtin, args: &[Ty], i: usize, want: &Ty, site: Site) {
        let Some(got) = args.get(i) else {
            return;
        };
        if agree(got, want) || matches!(want, Ty::Unknown) {
            return;
        }
        let p = Problem::Argument {
            source: source(site, e.span),
            function: b.name().to_string(),
            index: i + 1,
            found: self.show(got),
            expected: self.show(want),
        };
        self.warn(site, e.span, p);
    }
}

/// Whether two types may meet in a sum: bare numbers and unknown units
/// agree with anything; two units when they have the same dimensions and
/// the same scale, or scales the literal factors convert.
fn agree(a: &Ty, b: &Ty) -> bool {
    let (Ty::Known(ua, la), Ty::Known(ub, lb)) = (a, b) else {
        return true;
    };
    if !ua.same_dims(ub) {
        return false;
    }
    let usable = |l: f64| l.is_finite() && l != 0.0;
    scale_close(ua.scale(), ub.scale())
        || (usable(*la) && usable(*lb) && scale_close(ua.scale() / la, ub.scale() / lb))
}

fn product(a: Ty, b: Ty) -> Ty {
    match (a, b) {
        (Ty::Unknown, _) | (_, Ty::Unknown) => Ty::Unknown,
        (Ty::Number(x), Ty::Number(y)) => Ty::Number(x * y),
        (Ty::Known(u, l), Ty::Number(x)) | (Ty::Number(x), Ty::Known(u, l)) => Ty::Known(u, l * x),
        (Ty::Known(u, l), Ty::Known(v, m)) => Ty::Known(u.mul(&v), l * m),
    }
}

fn quotient(a: Ty, b: Ty) -> Ty {
    match (a, b) {
        (Ty::Unknown, _) | (_, Ty::Unknown) => Ty::Unknown,
        (Ty::Number(x), Ty::Number(y)) => Ty::Number(x / y),
        (Ty::Known(u, l), Ty::Number(x)) => Ty::Known(u, l / x),
        (Ty::Number(x), Ty::Known(u, l)) => Ty::Known(u.inv(), x / l),
        (Ty::Known(u, l), Ty::Known(v, m)) => Ty::Known(u.div(&v), l / m),
    }
}

/// The text of `span` in the equation, shortened for a message.
fn source(site: Site, span: Span) -> String {
    let s = site
        .text
        .get(span.start..span.end)
        .unwrap_or(site.text)
        .trim();
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 60 {
        let short: String = s.chars().take(57).collect();
        format!("{short}…")
    } else {
        s
    }
}
