//! Stateful calls on hidden variables (`Hidden`): `init`, `smooth1`,
//! `delay1`. Each call site gets its own (XMILE 4.8: every use of a macro
//! has its own stocks), found again by where the call is when an auxiliary's
//! equation is compiled a second time. A hidden variable's code is compiled
//! once, in fresh equations of the owner's text: errors are the owner's, at
//! their spans in its text.

use super::{
    Compiled, Env, Equation, ExprError, ExprErrorKind, Hidden, HiddenCode, Val, VarKind,
    arity_error,
};
use crate::model::compile::program::{Code, TAG_PREV};
use crate::model::expr::{Builtin, Expr, Span};

/// The hidden variables made for one call: where it is in the owner's text.
type Key = (usize, &'static str, usize);

impl Env<'_> {
    /// `init(x)`: XMILE's INIT (3.5.6), x's value at the start time, kept
    /// afterwards. A constant `x` is itself; otherwise a hidden variable
    /// computes `x` in the first year (with the first year's meaning of
    /// `prev` inside it) and runs nothing later, so its slot keeps the
    /// value. The owner reads that slot, and in the first year depends on
    /// it, so the order puts `x`'s variables, then the hidden one, first.
    pub(super) fn init_call(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        span: Span,
    ) -> Option<Val> {
        let [x] = args else {
            for a in args {
                self.expr(q, a);
            }
            q.errors
                .push(arity_error(b.name(), &b.expected_args(), args.len(), span));
            return None;
        };
        let key = (q.owner, q.field, span.start);
        let h = match self.hidden_index.get(&key) {
            Some(&h) => h,
            None => {
                let mut first = Equation::new(true, q.owner, q.field);
                let r = self.expr(&mut first, x);
                if !first.errors.is_empty() {
                    q.errors.append(&mut first.errors);
                    return None;
                }
                if let Some(Val::Const(c)) = r {
                    return Some(Val::Const(c));
                }
                let code = self.finish(first, r?);
                let h = self.hide(q.owner, VarKind::Aux, call_text(b, args));
                self.hidden_index.insert(key, h);
                self.set_code(h, Some(code), None);
                h
            }
        };
        if q.init {
            q.deps.push((h, span));
        }
        Some(Val::Slot(self.layout.cur(h)))
    }

    /// `smooth1(x, time[, first])`: XMILE's SMTH1 (3.5.3; Vensim's SMOOTH
    /// and SMOOTHI), a stock `S` starting at `first` (or x in the first
    /// year) with the flow `F = (x - S) / time`, integrated by Euler with
    /// dt = 1: `S(t) = S(t-1) + (x(t-1) - S(t-1)) / time(t-1)`. Its value
    /// is `S`. A constant time that is not positive is refused at its span;
    /// a variable one makes the value not a number from then on, a run
    /// problem of the calling variable.
    pub(super) fn smooth1(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        span: Span,
    ) -> Option<Val> {
        if !self.stateful_arity(q, b, args, span) {
            return None;
        }
        let key = (q.owner, q.field, span.start);
        let s = match self.hidden_index.get(&key) {
            Some(&s) => s,
            None => self.make_smooth1(q, b, args, span, key)?,
        };
        q.deps.push((s, span));
        Some(Val::Slot(self.layout.cur(s)))
    }

    fn make_smooth1(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        span: Span,
        key: Key,
    ) -> Option<usize> {
        let s = self.hide(q.owner, VarKind::Stock, call_text(b, args));
        let f = self.hide(q.owner, VarKind::Aux, call_text(b, args));
        self.hidden_index.insert(key, s);
        let first = args.get(2).unwrap_or(&args[0]);
        let start = self.hidden_eq(q, true, &[first], |_, _, v| v[0]);
        self.set_code(s, start, Some(last_years_change(f)));
        let time = &args[1];
        let flow = || {
            move |env: &mut Self, e: &mut Equation, v: &[Val]| {
                e.deps.push((s, span));
                let t = env.positive_time(e, b, time, v[1]);
                let gap = env.emit(e, Code::Sub, &[v[0], Val::Slot(env.layout.cur(s))]);
                env.emit(e, Code::Div, &[gap, t])
            }
        };
        let f0 = self.hidden_eq(q, true, &[&args[0], time], flow());
        let f1 = self.hidden_eq(q, false, &[&args[0], time], flow());
        self.set_code(f, f0, f1);
        Some(s)
    }

    /// `delay1(x, time[, first])`: XMILE's DELAY1 (3.5.3; Vensim's DELAY1
    /// and DELAY1I), a stock `M` of material in transit starting at
    /// `first * time` (`first` defaults to x in the first year), its
    /// outflow `O = M / time` (the value), and `M(t) = M(t-1) + x(t-1) -
    /// O(t-1)` (Euler, dt = 1): what goes in comes out, nothing is lost.
    /// The delay time is checked as `smooth1`'s is.
    pub(super) fn delay1(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        span: Span,
    ) -> Option<Val> {
        if !self.stateful_arity(q, b, args, span) {
            return None;
        }
        let key = (q.owner, q.field, span.start);
        let m = match self.hidden_index.get(&key) {
            Some(&m) => m,
            None => self.make_delay1(q, b, args, span, key)?,
        };
        let out = m + 1;
        q.deps.push((out, span));
        Some(Val::Slot(self.layout.cur(out)))
    }

    fn make_delay1(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        span: Span,
        key: Key,
    ) -> Option<usize> {
        let m = self.hide(q.owner, VarKind::Stock, call_text(b, args));
        let out = self.hide(q.owner, VarKind::Aux, call_text(b, args));
        let net = self.hide(q.owner, VarKind::Aux, call_text(b, args));
        self.hidden_index.insert(key, m);
        let (x, time) = (&args[0], &args[1]);
        let first = args.get(2).unwrap_or(x);
        let start = self.hidden_eq(q, true, &[first, time], |env, e, v| {
            env.emit(e, Code::Mul, &[v[0], v[1]])
        });
        self.set_code(m, start, Some(last_years_change(net)));
        let outflow = |env: &mut Self, e: &mut Equation, v: &[Val]| {
            e.deps.push((m, span));
            let t = env.positive_time(e, b, time, v[0]);
            env.emit(e, Code::Div, &[Val::Slot(env.layout.cur(m)), t])
        };
        let o0 = self.hidden_eq(q, true, &[time], outflow);
        let o1 = self.hidden_eq(q, false, &[time], outflow);
        self.set_code(out, o0, o1);
        let inflow = |env: &mut Self, e: &mut Equation, v: &[Val]| {
            e.deps.push((out, span));
            env.emit(e, Code::Sub, &[v[0], Val::Slot(env.layout.cur(out))])
        };
        let n0 = self.hidden_eq(q, true, &[x], inflow);
        let n1 = self.hidden_eq(q, false, &[x], inflow);
        self.set_code(net, n0, n1);
        Some(m)
    }

    /// The number of arguments checked, the error on the whole call.
    fn stateful_arity(&mut self, q: &mut Equation, b: Builtin, args: &[Expr], span: Span) -> bool {
        if b.accepts(args.len()) {
            return true;
        }
        for a in args {
            self.expr(q, a);
        }
        q.errors
            .push(arity_error(b.name(), &b.expected_args(), args.len(), span));
        false
    }

    /// A delay or averaging time: a constant must be positive (an error at
    /// its span); a variable one that is not gives not a number.
    fn positive_time(&mut self, e: &mut Equation, b: Builtin, arg: &Expr, t: Val) -> Val {
        match t {
            Val::Const(c) if c > 0.0 => t,
            Val::Const(c) => {
                e.errors.push(ExprError::new(
                    ExprErrorKind::Misuse,
                    arg.span,
                    format!("`{}` needs a positive time, not {c}", b.name()),
                ));
                t
            }
            Val::Slot(_) | Val::Temp(_) => {
                let ok = self.emit(e, Code::Gt, &[t, Val::Const(0.0)]);
                self.emit(e, Code::Select, &[ok, t, Val::Const(f64::NAN)])
            }
        }
    }

    /// One hidden variable's code for the first year (`init`) or the years
    /// after: `args` compiled in a fresh equation of the owner's, then
    /// `body` over their values. Errors of the first year's pass go to the
    /// owner's equation (the later pass has the same text).
    fn hidden_eq(
        &mut self,
        q: &mut Equation,
        init: bool,
        args: &[&Expr],
        body: impl FnOnce(&mut Self, &mut Equation, &[Val]) -> Val,
    ) -> Option<Compiled> {
        let mut e = Equation::new(init, q.owner, q.field);
        let vals: Vec<Option<Val>> = args.iter().map(|a| self.expr(&mut e, a)).collect();
        let vals: Option<Vec<Val>> = vals.into_iter().collect();
        let r = match vals {
            Some(v) if e.errors.is_empty() => Some(body(self, &mut e, &v)),
            _ => None,
        };
        if !e.errors.is_empty() {
            if init {
                q.errors.append(&mut e.errors);
            }
            return None;
        }
        Some(self.finish(e, r?))
    }

    /// A new hidden variable, without code yet: its number.
    fn hide(&mut self, owner: usize, kind: VarKind, name: String) -> usize {
        let h = self.model.variables.len() + self.hidden.len();
        self.hidden.push(HiddenCode {
            var: Hidden { owner, kind, name },
            init: None,
            step: None,
        });
        h
    }

    fn set_code(&mut self, h: usize, init: Option<Compiled>, step: Option<Compiled>) {
        let c = &mut self.hidden[h - self.model.variables.len()];
        c.init = init;
        c.step = step;
    }
}

/// A hidden stock's later years: its change is `flow`'s value last year
/// (linking adds the stock's own last value).
fn last_years_change(flow: usize) -> Compiled {
    Compiled {
        ops: Vec::new(),
        result: TAG_PREV | flow as u32,
        result_is_last_op: false,
        n_temps: 0,
        deps: Vec::new(),
    }
}

/// The call as written, for loop messages: `smooth1(x, 3)`.
fn call_text(b: Builtin, args: &[Expr]) -> String {
    let args: Vec<String> = args.iter().map(ToString::to_string).collect();
    format!("{}({})", b.name(), args.join(", "))
}
