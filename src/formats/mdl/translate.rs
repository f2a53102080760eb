//! A Vensim equation's tree written in our language, with Vensim's meaning
//! (reference doc §2): `PULSE(start, width)` a unit pulse of that width,
//! `RAMP` and `STEP` over `time` and `dt` as Vensim computes them,
//! `INTEGER` and `MODULO` truncating as C does, `TREND` and `FORECAST`
//! with Vensim's zero guard, `DELAY FIXED` and `DELAY N` with the numbers
//! our engine needs. During initialisation (a stock's initial value,
//! `INITIAL`, a delay's initial value) a variable given by `ACTIVE
//! INITIAL` stands for its initial equation.

use std::collections::{HashMap, HashSet};

use super::arrays::not_subscript;
use super::consts::{self, Ctx};
use super::parse::{BinOp, Expr, Node, SubRef};
use super::ranges::{Ranges, Subscript};
use super::{Raw, canonical};
use crate::formats::sd_common::names::Ids;
use crate::formats::sd_common::out::{Op, Out};
use crate::model::def::LookupMode;

/// What a name in an equation stands for.
#[derive(Clone, Debug, PartialEq)]
pub enum Symbol {
    /// A variable (`stock` for a stock) or a lever: its id.
    Value { id: String, stock: bool },
    /// A lookup, called as `name(x)`: its id.
    Table(String),
}

/// What every equation of the model may refer to.
pub struct Scope<'a> {
    pub symbols: &'a HashMap<String, Symbol>,
    /// Auxiliaries' equations, by canonical name.
    pub eqns: &'a HashMap<String, &'a Expr>,
    /// The initial equations of variables given by `ACTIVE INITIAL`.
    pub active: &'a HashMap<String, &'a Expr>,
    /// Auxiliaries whose value reads an `ACTIVE INITIAL` variable.
    pub tainted: &'a HashSet<String>,
    pub ctx: Ctx<'a>,
    pub ranges: &'a Ranges,
    pub start: f64,
    pub dt: f64,
    pub save_step: f64,
}

/// A lookup read another way than its own (`LOOKUP EXTRAPOLATE`): a copy
/// of `table` in `mode`, called `id`.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub table: String,
    pub mode: LookupMode,
    pub id: String,
}

/// Translation of one equation.
pub struct Tr<'s, 'a> {
    pub scope: &'s Scope<'a>,
    pub ids: &'s mut Ids,
    pub variants: &'s mut Vec<Variant>,
    /// The variable being defined.
    pub owner: &'s str,
    /// Whether the value is the one computed during initialisation.
    pub init: bool,
    /// Variables being inlined (against loops).
    pub inlining: Vec<String>,
}

type R = Result<Out, Raw>;

fn bin(op: Op, a: Out, b: Out) -> Out {
    Out::Bin(op, Box::new(a), Box::new(b))
}

fn call(f: &str, args: Vec<Out>) -> Out {
    Out::Call(f.to_string(), args)
}

fn id(s: &str) -> Out {
    Out::Id(s.to_string())
}

fn iff(c: Out, a: Out, b: Out) -> Out {
    Out::If(Box::new(c), Box::new(a), Box::new(b))
}

/// `time + dt / 2`, the time Vensim's test inputs compare.
fn time_plus() -> Out {
    bin(Op::Add, id("time"), bin(Op::Div, id("dt"), Out::Num(2.0)))
}

impl Tr<'_, '_> {
    pub fn tr(&mut self, e: &Expr) -> R {
        Ok(match &e.node {
            Node::Num(n) => Out::Num(*n),
            Node::Na => Out::Num(super::parse::NA),
            Node::Name(n) => return self.name(n, e),
            Node::Sub { name, subs } => return self.subscripted(name, subs, e),
            Node::Table(_) => {
                return Err(Raw::invalid(
                    e.span.0,
                    "a lookup's points belong in `WITH LOOKUP(input, (points))`",
                ));
            }
            Node::Neg(a) => Out::Neg(Box::new(self.tr(a)?)),
            Node::Not(a) => Out::Not(Box::new(self.tr(a)?)),
            Node::Binary(op, a, b) => bin(our_op(*op), self.tr(a)?, self.tr(b)?),
            Node::Call {
                name, subs, args, ..
            } if !subs.is_empty() => {
                return self.table_element(name, subs, args, e);
            }
            Node::Call { name, args, .. } => return self.call(name, args, e),
        })
    }

    /// `e` as computed during initialisation.
    fn tr_init(&mut self, e: &Expr) -> R {
        let was = std::mem::replace(&mut self.init, true);
        let r = self.tr(e);
        self.init = was;
        r
    }

    fn name(&mut self, n: &str, e: &Expr) -> R {
        let key = canonical(n);
        let scope = self.scope;
        if self.init {
            let def = scope.active.get(&key).or_else(|| {
                scope
                    .tainted
                    .contains(&key)
                    .then(|| scope.eqns.get(&key))
                    .flatten()
            });
            if let Some(def) = def {
                return self.inline(&key, def, e);
            }
        }
        match scope.symbols.get(&key) {
            Some(Symbol::Value { id: v, .. }) => return Ok(id(v)),
            Some(Symbol::Table(_)) => {
                return Err(Raw::invalid(
                    e.span.0,
                    format!("`{n}` is a lookup: call it with its input, `{n}(x)`"),
                ));
            }
            None => {}
        }
        match scope.ranges.subscript(n) {
            // A range as a value: the element's place in its root.
            Some(Subscript::Range(d)) => return Ok(id(&scope.ranges.dims[d].id)),
            Some(Subscript::Element(_, k)) => return Ok(Out::Num((k + 1) as f64)),
            None => {}
        }
        Ok(match key.as_str() {
            "time" => id("time"),
            "time step" => id("dt"),
            "initial time" => id("start_time"),
            "final time" => id("stop_time"),
            "saveper" => Out::Num(scope.save_step),
            _ => {
                return Err(Raw::invalid(
                    e.span.0,
                    format!("`{n}` is not a variable of this model"),
                ));
            }
        })
    }

    /// `x[a, d, e!]`: elements of an arrayed variable (a range followed,
    /// reduced with `!`, an element picked).
    fn subscripted(&mut self, n: &str, subs: &[SubRef], e: &Expr) -> R {
        let v = match self.scope.symbols.get(&canonical(n)) {
            Some(Symbol::Value { id, .. }) => id,
            Some(Symbol::Table(_)) => {
                return Err(Raw::invalid(
                    e.span.0,
                    format!("`{n}` is a lookup: call it with its input, `{n}[…](x)`"),
                ));
            }
            None => {
                return Err(Raw::invalid(
                    e.span.0,
                    format!("`{n}` is not a variable of this model"),
                ));
            }
        };
        let v = v.clone();
        Ok(Out::Sub(v, self.subs(subs)?))
    }

    /// Subscripts in our syntax: a range's id (`!` kept), an element's.
    fn subs(&self, subs: &[SubRef]) -> Result<Vec<String>, Raw> {
        let r = self.scope.ranges;
        subs.iter()
            .map(|s| match r.subscript(&s.name) {
                Some(Subscript::Range(d)) if s.bang => Ok(format!("{}!", r.dims[d].id)),
                Some(Subscript::Range(d)) => Ok(r.dims[d].id.clone()),
                Some(Subscript::Element(..)) if s.bang => Err(Raw::invalid(
                    s.span.0,
                    format!("`{}!`: only a range is reduced, not an element", s.name),
                )),
                Some(Subscript::Element(root, k)) => Ok(r.element_id(root, k).to_string()),
                None => Err(not_subscript(s)),
            })
            .collect()
    }

    /// `table[a, d](x)`: an arrayed lookup's element, read at `x`.
    fn table_element(&mut self, name: &str, subs: &[SubRef], args: &[Expr], e: &Expr) -> R {
        let Some(Symbol::Table(t)) = self.scope.symbols.get(&canonical(name)) else {
            return Err(Raw::invalid(
                e.span.0,
                format!("`{name}[…](…)` reads a subscripted lookup, which `{name}` is not"),
            ));
        };
        let t = t.clone();
        let [x] = args else {
            return Err(arity(name, "1 argument (its input)", args, e));
        };
        let subs = self.subs(subs)?;
        if let Some(s) = subs.iter().find(|s| s.ends_with('!')) {
            return Err(Raw::invalid(
                e.span.0,
                format!("`{s}` in a lookup's subscripts: a lookup is read at one element"),
            ));
        }
        Ok(call(
            &format!("{t}[{}]", subs.join(", ")),
            vec![self.tr(x)?],
        ))
    }

    /// A variable's equation in place of its name, during initialisation.
    fn inline(&mut self, key: &str, def: &Expr, e: &Expr) -> R {
        if self.inlining.iter().any(|k| k == key) || self.inlining.len() > 50 {
            return Err(Raw::unsupported(
                e.span.0,
                format!(
                    "the initial values around `{key}` form a loop through ACTIVE INITIAL \
                     that Trajectoire cannot order"
                ),
            ));
        }
        self.inlining.push(key.to_string());
        let r = self.tr(def);
        self.inlining.pop();
        r
    }

    fn call(&mut self, name: &str, args: &[Expr], e: &Expr) -> R {
        let key = canonical(name);
        if let Some(Symbol::Table(t)) = self.scope.symbols.get(&key) {
            let [x] = args else {
                return Err(arity(name, "1 argument (its input)", args, e));
            };
            let t = t.clone();
            return Ok(call(&t, vec![self.tr(x)?]));
        }
        if let Some(f) = SAME.iter().find(|(v, ..)| *v == key) {
            let (_, ours, n) = *f;
            if args.len() != n {
                return Err(arity(name, &plural(n), args, e));
            }
            let a = self.all(args)?;
            return Ok(call(ours, a));
        }
        self.special(name, &key, args, e)
    }

    fn all(&mut self, args: &[Expr]) -> Result<Vec<Out>, Raw> {
        args.iter().map(|a| self.tr(a)).collect()
    }

    /// The functions that are not one of ours under another name.
    fn special(&mut self, name: &str, key: &str, args: &[Expr], e: &Expr) -> R {
        let want = |k: usize| want(name, k, args, e);
        match key {
            "quantum" | "modulo" | "ramp" | "pulse" | "pulse train" => {
                self.arithmetic(name, key, args, e)
            }
            "smooth" | "smooth3" | "delay1" | "delay3" | "smoothi" | "smooth3i" | "delay1i"
            | "delay3i" | "smooth n" | "delay n" | "delay fixed" | "trend" | "forecast"
            | "initial" | "sample if true" => self.stateful_call(name, key, args, e),
            "if then else" => {
                want(3)?;
                let a = self.all(args)?;
                let [c, x, y] = <[Out; 3]>::try_from(a).expect("three");
                Ok(iff(c, x, y))
            }
            "game" => {
                want(1)?;
                self.tr(&args[0])
            }
            "log" => {
                want(2)?;
                let [x, b] = <[Out; 2]>::try_from(self.all(args)?).expect("two");
                Ok(bin(Op::Div, call("ln", vec![x]), call("ln", vec![b])))
            }
            "power" => {
                want(2)?;
                let [a, b] = <[Out; 2]>::try_from(self.all(args)?).expect("two");
                Ok(bin(Op::Pow, a, b))
            }
            "integer" => {
                want(1)?;
                self.no_random(args, e)?;
                let x = self.tr(&args[0])?;
                Ok(truncate(x))
            }
            "get time value" => {
                want(3)?;
                self.time_value(args)
            }
            "lookup extrapolate" | "lookup backward" => {
                want(2)?;
                let mode = if key == "lookup extrapolate" {
                    LookupMode::Extrapolate
                } else {
                    LookupMode::Discrete
                };
                let table = self.variant(name, &args[0], mode)?;
                Ok(call(&table, vec![self.tr(&args[1])?]))
            }
            "random 0 1"
            | "random uniform"
            | "random normal"
            | "random triangular"
            | "random exponential"
            | "random poisson"
            | "random gamma"
            | "random weibull"
            | "random beta"
            | "random binomial"
            | "random negative binomial" => self.random(name, key, args, e),
            "sum" | "prod" | "vmin" | "vmax" => {
                want(1)?;
                let f = match key {
                    "vmin" => "min",
                    "vmax" => "max",
                    f => f,
                };
                Ok(call(f, vec![self.tr(&args[0])?]))
            }
            "elmcount" => {
                want(1)?;
                let d = match &args[0].node {
                    Node::Name(n) => match self.scope.ranges.subscript(n) {
                        Some(Subscript::Range(d)) => Some(d),
                        _ => None,
                    },
                    _ => None,
                };
                let d = d.ok_or_else(|| {
                    Raw::invalid(
                        args[0].span.0,
                        "`ELMCOUNT` counts a subscript range: name one",
                    )
                })?;
                Ok(Out::Num(self.scope.ranges.places[d].len() as f64))
            }
            "invert matrix" => Err(Raw::unsupported(
                e.span.0,
                "`INVERT MATRIX` must be the whole equation of its variable",
            )),
            _ if super::sort::is_sorting(key) => Err(Raw::unsupported(
                e.span.0,
                format!("`{name}` must be the whole equation of its variable"),
            )),
            "vector select" => self.vector_select(args, e),
            "allocate by priority" => self.allocate_by_priority(args, e),
            "allocate available" => self.allocate_available(args, e),
            _ if key.starts_with("vector ")
                || key.contains("matrix")
                || key.starts_with("allocate") =>
            {
                Err(Raw::unsupported(
                    e.span.0,
                    format!("the array function `{name}` is not supported"),
                ))
            }
            "integ" | "active initial" | "with lookup" => Err(Raw::unsupported(
                e.span.0,
                format!("`{name}` must be the whole equation of its variable"),
            )),
            _ if self.scope.symbols.contains_key(key) => Err(Raw::invalid(
                e.span.0,
                format!("`{name}` is a variable, not a function or a lookup"),
            )),
            _ if key.starts_with("get xls ") || key.starts_with("get direct ") => {
                Err(Raw::unsupported(
                    e.span.0,
                    format!(
                        "`{name}` is read only as the whole equation of its variable \
                         (`x = {name}(…)`)"
                    ),
                ))
            }
            _ => Err(unsupported(name, e)),
        }
    }

    /// Vensim's arithmetic of time and rounding: QUANTUM, MODULO, RAMP, PULSE, PULSE TRAIN
    fn arithmetic(&mut self, name: &str, key: &str, args: &[Expr], e: &Expr) -> R {
        let want = |k: usize| want(name, k, args, e);
        match key {
            // B times A / B truncated towards zero; A itself when B <= 0
            // (Vensim's QUANTUM).
            "quantum" => {
                want(2)?;
                self.no_random(args, e)?;
                let [a, b] = <[Out; 2]>::try_from(self.all(args)?).expect("two");
                let q = bin(
                    Op::Mul,
                    b.clone(),
                    truncate(bin(Op::Div, a.clone(), b.clone())),
                );
                Ok(iff(bin(Op::Cmp("<="), b, Out::Num(0.0)), a, q))
            }
            "modulo" => {
                want(2)?;
                self.no_random(args, e)?;
                let [a, b] = <[Out; 2]>::try_from(self.all(args)?).expect("two");
                let m = |a: Out| call("mod", vec![a, call("abs", vec![b.clone()])]);
                let neg = bin(Op::Cmp("<"), a.clone(), Out::Num(0.0));
                Ok(iff(
                    neg,
                    Out::Neg(Box::new(m(Out::Neg(Box::new(a.clone()))))),
                    m(a),
                ))
            }
            "ramp" => self.ramp(name, args, e),
            "pulse" => {
                want(2)?;
                self.no_random(args, e)?;
                let [s, w] = <[Out; 2]>::try_from(self.all(args)?).expect("two");
                let w = match w {
                    Out::Num(v) if v != 0.0 => Out::Num(v),
                    w => iff(bin(Op::Cmp("=="), w.clone(), Out::Num(0.0)), id("dt"), w),
                };
                let after = bin(Op::Cmp(">"), time_plus(), s.clone());
                let before = bin(Op::Cmp("<"), time_plus(), bin(Op::Add, s, w));
                Ok(iff(
                    bin(Op::And, after, before),
                    Out::Num(1.0),
                    Out::Num(0.0),
                ))
            }
            "pulse train" => {
                want(4)?;
                self.no_random(args, e)?;
                let [s, w, every, end] = <[Out; 4]>::try_from(self.all(args)?).expect("four");
                let since = bin(Op::Sub, id("time"), s.clone());
                let on = bin(
                    Op::And,
                    bin(Op::Cmp(">="), id("time"), s),
                    bin(Op::Cmp("<="), id("time"), end),
                );
                let phase = call(
                    "mod",
                    vec![
                        bin(Op::Add, since, bin(Op::Div, id("dt"), Out::Num(2.0))),
                        every,
                    ],
                );
                let width = call("max", vec![w, id("dt")]);
                let inside = bin(Op::Cmp("<"), phase, width);
                Ok(iff(bin(Op::And, on, inside), Out::Num(1.0), Out::Num(0.0)))
            }
            _ => Err(unsupported(name, e)),
        }
    }

    /// Vensim's functions with a memory: smooths, delays, TREND, FORECAST, INITIAL, SAMPLE IF TRUE
    fn stateful_call(&mut self, name: &str, key: &str, args: &[Expr], e: &Expr) -> R {
        let want = |k: usize| want(name, k, args, e);
        match key {
            "smooth" | "smooth3" | "delay1" | "delay3" => {
                want(2)?;
                let f = ours_of(key);
                self.stateful(f, &args[0], &args[1], None, None)
            }
            "smoothi" | "smooth3i" | "delay1i" | "delay3i" => {
                want(3)?;
                let f = ours_of(key);
                self.stateful(f, &args[0], &args[1], None, Some(&args[2]))
            }
            "smooth n" | "delay n" => {
                want(4)?;
                self.cascade(name, key, args)
            }
            "delay fixed" => {
                want(3)?;
                let t = self.delay_time(name, &args[1])?;
                let x = self.tr(&args[0])?;
                let first = self.tr_init(&args[2])?;
                Ok(call("delay", vec![x, Out::Num(t), first]))
            }
            "trend" => {
                want(3)?;
                self.no_random(args, e)?;
                let x = self.tr(&args[0])?;
                let t = self.tr(&args[1])?;
                let g = self.tr_init(&args[2])?;
                let x0 = self.tr_init(&args[0])?;
                let t0 = self.tr_init(&args[1])?;
                let first = bin(
                    Op::Div,
                    x0,
                    bin(Op::Add, Out::Num(1.0), bin(Op::Mul, g, t0)),
                );
                let avg = call("smooth1", vec![x.clone(), t.clone(), first]);
                let gap = bin(Op::Sub, x, avg.clone());
                Ok(call(
                    "zidz",
                    vec![gap, bin(Op::Mul, t, call("abs", vec![avg]))],
                ))
            }
            "forecast" => {
                want(3)?;
                self.no_random(args, e)?;
                let x = self.tr(&args[0])?;
                let t = self.tr(&args[1])?;
                let h = self.tr(&args[2])?;
                let x0 = self.tr_init(&args[0])?;
                let avg = call("smooth1", vec![x.clone(), t.clone(), x0]);
                let trend = call(
                    "zidz",
                    vec![bin(Op::Sub, x.clone(), avg.clone()), bin(Op::Mul, t, avg)],
                );
                let factor = bin(Op::Add, Out::Num(1.0), bin(Op::Mul, trend, h));
                Ok(bin(Op::Mul, x, factor))
            }
            "initial" => {
                want(1)?;
                Ok(call("init", vec![self.tr_init(&args[0])?]))
            }
            "sample if true" => {
                want(3)?;
                let [c, x] = <[Out; 2]>::try_from(self.all(&args[..2])?).expect("two");
                let first = self.tr_init(&args[2])?;
                let kept = call("prev", vec![id(self.owner), first]);
                Ok(iff(c, x, kept))
            }
            _ => Err(unsupported(name, e)),
        }
    }

    /// Vensim's `GET TIME VALUE(relative to, offset, measure)` relative
    /// to the current time (0) in the model's time unit (0): `Time +
    /// offset`. The start of the run (1) and the computer's clock (2),
    /// and calendar measures (years, months… of a date), are refused.
    fn time_value(&mut self, args: &[Expr]) -> R {
        for (k, what) in [
            (0, "relative to the current time (0)"),
            (2, "in the model's time unit (0)"),
        ] {
            if args[k].node != Node::Num(0.0) {
                return Err(Raw::unsupported(
                    args[k].span.0,
                    format!("`GET TIME VALUE` is supported {what} only"),
                ));
            }
        }
        Ok(bin(Op::Add, id("time"), self.tr(&args[1])?))
    }

    /// Vensim's RAMP(slope, start, end): 0 until `Time > start`, then
    /// `slope * (Time - start)`, held at `slope * (end - start)` from
    /// `Time >= end`.
    fn ramp(&mut self, name: &str, args: &[Expr], e: &Expr) -> R {
        if !matches!(args.len(), 2 | 3) {
            return Err(arity(name, "2 or 3 arguments", args, e));
        }
        self.no_random(args, e)?;
        let a = self.all(args)?;
        let (s, start) = (a[0].clone(), a[1].clone());
        let rising = bin(Op::Mul, s.clone(), bin(Op::Sub, id("time"), start.clone()));
        let value = match a.get(2) {
            None => rising,
            Some(end) => iff(
                bin(Op::Cmp("<"), id("time"), end.clone()),
                rising,
                bin(Op::Mul, s, bin(Op::Sub, end.clone(), start.clone())),
            ),
        };
        Ok(iff(
            bin(Op::Cmp(">"), id("time"), start),
            value,
            Out::Num(0.0),
        ))
    }

    /// SMOOTH, SMOOTHI, SMOOTH3(I), DELAY1(I), DELAY3(I): ours, the
    /// initial value (the input's, without one) as computed during
    /// initialisation.
    fn stateful(
        &mut self,
        f: &str,
        x: &Expr,
        t: &Expr,
        order: Option<f64>,
        first: Option<&Expr>,
    ) -> R {
        let xo = self.tr(x)?;
        let to = match order {
            Some(_) => Out::Num(self.delay_time("DELAY N", t)?),
            None => self.tr(t)?,
        };
        let mut a = vec![xo.clone(), to];
        if let Some(n) = order {
            a.push(Out::Num(n));
        }
        match first {
            Some(i) => a.push(self.tr_init(i)?),
            None => {
                let x0 = self.tr_init(x)?;
                if x0 != xo {
                    a.push(x0);
                }
            }
        }
        Ok(call(f, a))
    }

    /// SMOOTH N(input, time, initial, order) and DELAY N(…): the order a
    /// whole number, its value at the start (Vensim reads it once). A
    /// DELAY N of a constant time is our `delayn`, its order lowered here
    /// until `order * TIME STEP` is at most the delay time, as Vensim
    /// does; of any other time, our `vensim_delayn`, whose stages read
    /// the delay times of earlier steps and which lowers the order itself
    /// at the start.
    fn cascade(&mut self, name: &str, key: &str, args: &[Expr]) -> R {
        let mut n = self.order(name, &args[3])?;
        if key == "smooth n" {
            let mut a = vec![self.tr(&args[0])?, self.tr(&args[1])?];
            a.push(Out::Num(n));
            a.push(self.tr_init(&args[2])?);
            return Ok(call("smoothn", a));
        }
        let ctx = Ctx {
            time: None,
            ..self.scope.ctx
        };
        let Some(t) = consts::eval(&args[1], &ctx) else {
            let a = vec![
                self.tr(&args[0])?,
                self.tr(&args[1])?,
                Out::Num(n),
                self.tr_init(&args[2])?,
            ];
            return Ok(call("vensim_delayn", a));
        };
        while n > 1.0 && n * self.scope.dt > t {
            n -= 1.0;
        }
        self.stateful("delayn", &args[0], &args[1], Some(n), Some(&args[2]))
    }

    /// A SMOOTH N or DELAY N order: its value at the start, truncated,
    /// from 1 to 100.
    fn order(&self, name: &str, o: &Expr) -> Result<f64, Raw> {
        let ctx = Ctx {
            time: Some(self.scope.start),
            dt: Some(self.scope.dt),
            ..self.scope.ctx
        };
        let n = consts::eval(o, &ctx).ok_or_else(|| {
            Raw::unsupported(
                o.span.0,
                format!(
                    "`{name}`'s order must be known at the start of the run (it reads a \
                     stock, a lookup or a subscripted variable)"
                ),
            )
        })?;
        let n = n.trunc();
        if !(1.0..=100.0).contains(&n) {
            return Err(Raw::invalid(
                o.span.0,
                format!("`{name}` needs an order from 1 to 100, not {n}"),
            ));
        }
        Ok(n)
    }

    /// A delay time our engine needs as a number: its value at the start
    /// (DELAY FIXED reads only that), at least one time step.
    fn delay_time(&mut self, name: &str, t: &Expr) -> Result<f64, Raw> {
        let ctx = Ctx {
            time: Some(self.scope.start),
            dt: Some(self.scope.dt),
            ..self.scope.ctx
        };
        let v = consts::eval(t, &ctx).ok_or_else(|| {
            Raw::unsupported(
                t.span.0,
                format!(
                    "`{name}`'s delay time must be known at the start of the run (it reads \
                     a stock or a lookup)"
                ),
            )
        })?;
        if !v.is_finite() {
            return Err(Raw::invalid(
                t.span.0,
                format!("`{name}`'s delay time is {v}"),
            ));
        }
        Ok(v.max(self.scope.dt))
    }

    /// The id of a copy of the lookup `table` read in `mode`.
    fn variant(&mut self, name: &str, table: &Expr, mode: LookupMode) -> Result<String, Raw> {
        let t = match &table.node {
            Node::Name(t) => match self.scope.symbols.get(&canonical(t)) {
                Some(Symbol::Table(t)) => Some(t.clone()),
                _ => None,
            },
            Node::Sub { .. } => {
                return Err(Raw::unsupported(
                    table.span.0,
                    format!("`{name}` of a subscripted lookup is not supported yet"),
                ));
            }
            _ => None,
        };
        let Some(t) = t else {
            return Err(Raw::invalid(
                table.span.0,
                format!("the first argument of `{name}` must name a lookup"),
            ));
        };
        if let Some(v) = self
            .variants
            .iter()
            .find(|v| v.table == t && v.mode == mode)
        {
            return Ok(v.id.clone());
        }
        let suffix = match mode {
            LookupMode::Extrapolate => "extrapolated",
            _ => "backward",
        };
        let id = self.ids.assign(&format!("{t} {suffix}"));
        self.variants.push(Variant {
            table: t,
            mode,
            id: id.clone(),
        });
        Ok(id)
    }

    /// Vensim's random functions, each a draw of ours: `RANDOM 0 1()`,
    /// `RANDOM UNIFORM(m, x, s)`, `RANDOM NORMAL(m, x, mean, sd, s)`,
    /// `RANDOM TRIANGULAR(m, x, start, peak, end, s)`, and those Vensim
    /// shifts by `h` and stretches by `r` after their own parameters:
    /// `RANDOM EXPONENTIAL(m, x, h, r, s)` (mean 1 before the stretch),
    /// `RANDOM POISSON(m, x, mean, h, r, s)`, `RANDOM GAMMA(m, x, order,
    /// h, r, s)`, `RANDOM WEIBULL(m, x, shape, h, r, s)`, `RANDOM BETA(m,
    /// x, a, b, h, r, s)`, `RANDOM BINOMIAL(m, x, p, n, h, r, s)` and
    /// `RANDOM NEGATIVE BINOMIAL(m, x, p, n, h, r, s)`: `h + r * draw`,
    /// the draw bounded by `(m - h) / r` and `(x - h) / r` so that the
    /// value stays within `[m, x]` (truncated by drawing again, as Vensim
    /// truncates). The seed `s` is passed on: other than 0, it fixes the
    /// call's draws (`expr::random`).
    fn random(&mut self, name: &str, key: &str, args: &[Expr], e: &Expr) -> R {
        let (ours, n) = match key {
            "random 0 1" => ("random_uniform", 0),
            "random uniform" => ("random_uniform", 3),
            "random normal" => ("random_normal", 5),
            "random triangular" => ("random_triangular", 6),
            "random exponential" => ("random_exponential", 5),
            "random poisson" => ("random_poisson", 6),
            "random gamma" => ("random_gamma", 6),
            "random weibull" => ("random_weibull", 6),
            "random beta" => ("random_beta", 7),
            "random binomial" => ("random_binomial", 7),
            _ => ("random_negative_binomial", 7),
        };
        want(name, n, args, e)?;
        let mut a = self.all(args)?;
        if key == "random 0 1" {
            return Ok(call(ours, vec![Out::Num(0.0), Out::Num(1.0)]));
        }
        let (m, x) = (a[0].clone(), a[1].clone());
        match key {
            "random uniform" => return Ok(call(ours, a)),
            "random normal" => {
                return Ok(call(
                    ours,
                    vec![a.remove(2), a.remove(2), a.remove(2), m, x],
                ));
            }
            "random triangular" => {
                let own: Vec<Out> = a.drain(2..).chain([m, x]).collect();
                return Ok(call(ours, own));
            }
            _ => {}
        }
        let seed = a.pop().expect("a seed");
        let r = a.pop().expect("a stretch");
        let h = a.pop().expect("a shift");
        let mut own: Vec<Out> = a.drain(2..).collect();
        match key {
            "random exponential" => own.push(Out::Num(1.0)),
            "random gamma" | "random weibull" => own.push(Out::Num(1.0)),
            "random binomial" | "random negative binomial" => own.swap(0, 1),
            _ => {}
        }
        if let (Out::Num(h0), Out::Num(r0)) = (&h, &r)
            && *h0 == 0.0
            && *r0 == 1.0
        {
            own.extend([seed, m, x]);
            return Ok(call(ours, own));
        }
        // `h` and `r` are read three times.
        self.no_random(&args[2..], e)?;
        let scaled = |b: Out| bin(Op::Div, bin(Op::Sub, b, h.clone()), r.clone());
        let (lo, hi) = (scaled(m), scaled(x));
        let (lo, hi) = match &r {
            Out::Num(r0) if *r0 > 0.0 => (lo, hi),
            Out::Num(r0) if *r0 < 0.0 => (hi, lo),
            _ => (
                call("min", vec![lo.clone(), hi.clone()]),
                call("max", vec![lo, hi]),
            ),
        };
        own.extend([seed, lo, hi]);
        Ok(bin(Op::Add, h, bin(Op::Mul, r, call(ours, own))))
    }

    /// Refuses a call whose translation repeats an argument that draws a
    /// random number: each copy would draw its own.
    fn no_random(&self, args: &[Expr], e: &Expr) -> Result<(), Raw> {
        if args.iter().any(has_random) {
            return Err(Raw::unsupported(
                e.span.0,
                "a random draw inside this function is not supported: its translation \
                 reads the argument more than once",
            ));
        }
        Ok(())
    }
}

fn has_random(e: &Expr) -> bool {
    let mut random = false;
    super::parse::walk(e, &mut |x| {
        random |=
            matches!(&x.node, Node::Call { name, .. } if canonical(name).starts_with("random"));
    });
    random
}

/// Vensim's INTEGER: towards zero.
fn truncate(x: Out) -> Out {
    iff(
        bin(Op::Cmp("<"), x.clone(), Out::Num(0.0)),
        Out::Neg(Box::new(call("int", vec![Out::Neg(Box::new(x.clone()))]))),
        call("int", vec![x]),
    )
}

fn ours_of(key: &str) -> &'static str {
    match key {
        "smooth" | "smoothi" => "smooth1",
        "smooth3" | "smooth3i" => "smooth3",
        "delay1" | "delay1i" => "delay1",
        _ => "delay3",
    }
}

/// Vensim's functions that are ours under the same meaning: (Vensim's
/// name, ours, arguments).
const SAME: &[(&str, &str, usize)] = &[
    ("min", "min", 2),
    ("max", "max", 2),
    ("abs", "abs", 1),
    ("exp", "exp", 1),
    ("ln", "ln", 1),
    ("sqrt", "sqrt", 1),
    ("sin", "sin", 1),
    ("cos", "cos", 1),
    ("tan", "tan", 1),
    ("arcsin", "arcsin", 1),
    ("arccos", "arccos", 1),
    ("arctan", "arctan", 1),
    ("sinh", "sinh", 1),
    ("cosh", "cosh", 1),
    ("tanh", "tanh", 1),
    ("xidz", "xidz", 3),
    ("zidz", "zidz", 2),
    ("step", "step", 2),
];

fn plural(n: usize) -> String {
    if n == 1 {
        "1 argument".into()
    } else {
        format!("{n} arguments")
    }
}

/// A function we do not translate.
fn unsupported(name: &str, e: &Expr) -> Raw {
    Raw::unsupported(e.span.0, format!("the function `{name}` is not supported"))
}

/// `Ok` when `args` has `k` arguments, else the arity error for `name`.
fn want(name: &str, k: usize, args: &[Expr], e: &Expr) -> Result<(), Raw> {
    if args.len() == k {
        Ok(())
    } else {
        Err(arity(name, &plural(k), args, e))
    }
}

fn arity(name: &str, expected: &str, args: &[Expr], e: &Expr) -> Raw {
    Raw::invalid(
        e.span.0,
        format!("`{name}` takes {expected}, not {}", args.len()),
    )
}

fn our_op(op: BinOp) -> Op {
    match op {
        BinOp::Or => Op::Or,
        BinOp::And => Op::And,
        BinOp::Eq => Op::Cmp("=="),
        BinOp::Ne => Op::Cmp("!="),
        BinOp::Lt => Op::Cmp("<"),
        BinOp::Le => Op::Cmp("<="),
        BinOp::Gt => Op::Cmp(">"),
        BinOp::Ge => Op::Cmp(">="),
        BinOp::Add => Op::Add,
        BinOp::Sub => Op::Sub,
        BinOp::Mul => Op::Mul,
        BinOp::Div => Op::Div,
        BinOp::Pow => Op::Pow,
    }
}
