//! Stateful calls on hidden variables (`Hidden`): `init`, `smooth1`,
//! `delay1`, `smooth3`/`smoothn`, `delay3`/`delayn`/`vensim_delayn`,
//! `trend`, `forecast`, `delay`.
//! Each call site gets its own (XMILE 4.8: every use of a macro has its
//! own stocks), found again by where the call is when an auxiliary's
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

/// The highest order of `smoothn` and `delayn` (each stage is two or three
/// hidden variables).
pub const MAX_ORDER: usize = 100;

/// The longest pipeline `delay` builds, in time steps (one hidden variable
/// each).
pub const MAX_PIPELINE: usize = 1000;

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

    /// `smooth1(x, time[, first])`, `smooth3(x, time[, first])` and
    /// `smoothn(x, time, n[, first])`: XMILE's SMTH1, SMTH3 and SMTHN
    /// (3.5.3; Vensim's SMOOTH, SMOOTHI, SMOOTH3, SMOOTH3I and SMOOTH N), n
    /// first-order smooths in cascade (n = 1 for `smooth1`, 3 for `smooth3`),
    /// each a stock `S_k` starting at `first` (or x in the first year) with
    /// the flow `F_k = (S_{k-1} - S_k) / (time / n)`, `S_0` being x,
    /// integrated by Euler with dt = 1 (for `smooth1`,
    /// `S(t) = S(t-1) + (x(t-1) - S(t-1)) / time(t-1)`). Its value is the
    /// last stage, `S_n`. A constant time that is not positive is refused
    /// at its span (one error, however many stages); a variable one makes
    /// the value not a number from then on, a run problem of the calling
    /// variable. `smoothn`'s order must be a whole constant from 1 to
    /// [`MAX_ORDER`], at its span. A stage time shorter than a year is
    /// allowed, as in XMILE (a stage then overshoots; below half a year
    /// it diverges).
    pub(super) fn smooth_n(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        span: Span,
    ) -> Option<Val> {
        self.call_site(q, b, args, span, |env, q, key| {
            let (n, first) = env.order(q, b, args)?;
            Some(env.make_smooth_n(q, b, args, first, n, span, key))
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn make_smooth_n(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        first: Option<&Expr>,
        n: usize,
        span: Span,
        key: Key,
    ) -> usize {
        let stages: Vec<(usize, usize)> = (0..n)
            .map(|_| {
                let s = self.hide(q.owner, VarKind::Stock, call_text(b, args));
                let f = self.hide(q.owner, VarKind::Aux, call_text(b, args));
                (s, f)
            })
            .collect();
        let out = stages[n - 1].0;
        self.hidden_index.insert(key, out);
        let (x, time) = (&args[0], &args[1]);
        let s1 = stages[0].0;
        let start = self.hidden_eq(q, true, &[first.unwrap_or(x)], |_, _, v| v[0]);
        self.set_code(s1, start, Some(last_years_change(stages[0].1)));
        for &(s, f) in &stages[1..] {
            let start = self.hidden_eq(q, true, &[], |env, e, _| {
                e.deps.push((s1, span));
                Val::Slot(env.layout.cur(s1))
            });
            self.set_code(s, start, Some(last_years_change(f)));
        }
        for (k, &(s, f)) in stages.iter().enumerate() {
            let flow = |env: &mut Self, e: &mut Equation, v: &[Val]| {
                e.deps.push((s, span));
                let from = if k == 0 {
                    v[1]
                } else {
                    let before = stages[k - 1].0;
                    e.deps.push((before, span));
                    Val::Slot(env.layout.cur(before))
                };
                let t = env.stage_time(e, b, time, v[0], n, k == 0);
                let gap = env.emit(e, Code::Sub, &[from, Val::Slot(env.layout.cur(s))]);
                env.emit(e, Code::Div, &[gap, t])
            };
            let inputs: &[&Expr] = if k == 0 { &[time, x] } else { &[time] };
            let f0 = self.hidden_eq(q, true, inputs, flow);
            let f1 = self.hidden_eq(q, false, inputs, flow);
            self.set_code(f, f0, f1);
        }
        out
    }

    /// `delay1(x, time[, first])`, `delay3(x, time[, first])` and
    /// `delayn(x, time, n[, first])`: XMILE's DELAY1, DELAY3 and DELAYN
    /// (3.5.3; Vensim's DELAY1, DELAY1I, DELAY3, DELAY3I; Vensim's DELAY N
    /// takes `first` before the order), n stocks of material in cascade
    /// (n = 1 for `delay1`, 3 for `delay3`), each starting at `first * time / n`
    /// (`first` defaults to x in the first year), with the outflow `O_k =
    /// M_k / (time / n)` and `M_k(t) = M_k(t-1) + O_{k-1}(t-1) - O_k(t-1)`
    /// (Euler, dt = 1; `O_0` is x). Its value is the last outflow `O_n`,
    /// which starts at `first`: what goes in comes out, nothing is lost.
    /// Time and order are checked as `smooth_n`'s. Every stage uses this
    /// year's time, as XMILE's DELAYN and Vensim's DELAY3 do, and the order
    /// is never lowered; `vensim_delayn` is Vensim's DELAY N, whose stages
    /// use the times of earlier years (reference 2.1) and whose order is
    /// lowered until time / n is at least a time step.
    pub(super) fn delay_n(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        span: Span,
    ) -> Option<Val> {
        self.call_site(q, b, args, span, |env, q, key| {
            let (n, first) = env.order(q, b, args)?;
            if b == Builtin::VensimDelayn {
                let c = Cascade {
                    b,
                    args,
                    first,
                    n,
                    span,
                };
                return Some(env.make_vensim_delay_n(q, &c, key));
            }
            Some(env.make_delay_n(q, b, args, first, n, span, key))
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn make_delay_n(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        first: Option<&Expr>,
        n: usize,
        span: Span,
        key: Key,
    ) -> usize {
        // (material, outflow, net flow) of each stage.
        let stages: Vec<(usize, usize, usize)> = (0..n)
            .map(|_| {
                let m = self.hide(q.owner, VarKind::Stock, call_text(b, args));
                let o = self.hide(q.owner, VarKind::Aux, call_text(b, args));
                let net = self.hide(q.owner, VarKind::Aux, call_text(b, args));
                (m, o, net)
            })
            .collect();
        let out = stages[n - 1].1;
        self.hidden_index.insert(key, out);
        let (x, time) = (&args[0], &args[1]);
        let m1 = stages[0].0;
        let start = self.hidden_eq(q, true, &[first.unwrap_or(x), time], |env, e, v| {
            let t = match v[1] {
                t if n == 1 => t,
                Val::Const(c) => Val::Const(c / n as f64),
                t => env.emit(e, Code::Div, &[t, Val::Const(n as f64)]),
            };
            env.emit(e, Code::Mul, &[v[0], t])
        });
        self.set_code(m1, start, Some(last_years_change(stages[0].2)));
        for &(m, _, net) in &stages[1..] {
            let start = self.hidden_eq(q, true, &[], |env, e, _| {
                e.deps.push((m1, span));
                Val::Slot(env.layout.cur(m1))
            });
            self.set_code(m, start, Some(last_years_change(net)));
        }
        for (k, &(m, o, net)) in stages.iter().enumerate() {
            let outflow = |env: &mut Self, e: &mut Equation, v: &[Val]| {
                e.deps.push((m, span));
                let t = env.stage_time(e, b, time, v[0], n, k == 0);
                env.emit(e, Code::Div, &[Val::Slot(env.layout.cur(m)), t])
            };
            let o0 = self.hidden_eq(q, true, &[time], outflow);
            let o1 = self.hidden_eq(q, false, &[time], outflow);
            self.set_code(o, o0, o1);
            let inflow = |env: &mut Self, e: &mut Equation, v: &[Val]| {
                e.deps.push((o, span));
                let from = if k == 0 {
                    v[0]
                } else {
                    let before = stages[k - 1].1;
                    e.deps.push((before, span));
                    Val::Slot(env.layout.cur(before))
                };
                env.emit(e, Code::Sub, &[from, Val::Slot(env.layout.cur(o))])
            };
            let inputs: &[&Expr] = if k == 0 { &[x] } else { &[] };
            let n0 = self.hidden_eq(q, true, inputs, inflow);
            let n1 = self.hidden_eq(q, false, inputs, inflow);
            self.set_code(net, n0, n1);
        }
        out
    }

    /// `vensim_delayn(x, time, n[, first])`: Vensim's DELAY N, `delayn`'s
    /// cascade with two differences (Vensim's help: its output "depends
    /// only on the values delay time had in previous Time Steps"; the
    /// stage times are PySD's `DelayN`, checked against the `delays` test
    /// model). Stage k (from 0) reads the delay time of k steps ago, the
    /// time of the first step before the run has any: `D_0` is the time,
    /// `D_k` last step's `D_{k-1}`. And the order is lowered once, in the
    /// first step, until `m * dt` is at most the delay time (or m is 1),
    /// as Vensim does: stages from m on pass their inflow through and
    /// hold nothing. Stage k's outflow is `M_k / (D_k / m)`; each active
    /// stock starts at `first * time / m`; the value is the last outflow.
    fn make_vensim_delay_n(&mut self, q: &mut Equation, c: &Cascade, key: Key) -> usize {
        let text = call_text(c.b, c.args);
        let order = self.hide(q.owner, VarKind::Aux, text.clone());
        let stages: Vec<Stage> = (0..c.n)
            .map(|_| Stage {
                material: self.hide(q.owner, VarKind::Stock, text.clone()),
                outflow: self.hide(q.owner, VarKind::Aux, text.clone()),
                net: self.hide(q.owner, VarKind::Aux, text.clone()),
                time: self.hide(q.owner, VarKind::Aux, text.clone()),
            })
            .collect();
        let out = stages[c.n - 1].outflow;
        self.hidden_index.insert(key, out);
        let time = &c.args[1];
        let n = c.n;
        let m0 = self.hidden_eq(q, true, &[time], |env, e, v| env.lowered_order(e, v[0], n));
        self.set_code(order, m0, None);
        self.stage_times(q, c, &stages);
        self.stage_materials(q, c, &stages, order);
        for k in 0..n {
            self.stage_flows(q, c, &stages, k, order);
        }
        out
    }

    /// The delay times of a Vensim DELAY N's stages: the time (checked as
    /// [`Self::positive_time`] does), then each the one before last step.
    fn stage_times(&mut self, q: &mut Equation, c: &Cascade, stages: &[Stage]) {
        let (b, time, span) = (c.b, &c.args[1], c.span);
        let d0 = stages[0].time;
        let now = |env: &mut Self, e: &mut Equation, v: &[Val]| env.positive_time(e, b, time, v[0]);
        let i0 = self.hidden_eq(q, true, &[time], now);
        let i1 = self.hidden_eq(q, false, &[time], now);
        self.set_code(d0, i0, i1);
        for w in stages.windows(2) {
            let start = self.hidden_eq(q, true, &[], |env, e, _| {
                e.deps.push((d0, span));
                Val::Slot(env.layout.cur(d0))
            });
            self.set_code(w[1].time, start, Some(last_years_value(w[0].time)));
        }
    }

    /// The stocks of a Vensim DELAY N: `first * time / m` in each of the
    /// `m` active stages, 0 in the others.
    fn stage_materials(&mut self, q: &mut Equation, c: &Cascade, stages: &[Stage], order: usize) {
        let span = c.span;
        let m1 = stages[0].material;
        let x0 = c.first.unwrap_or(&c.args[0]);
        let start = self.hidden_eq(q, true, &[x0, &c.args[1]], |env, e, v| {
            e.deps.push((order, span));
            let t = env.emit(e, Code::Div, &[v[1], Val::Slot(env.layout.cur(order))]);
            env.emit(e, Code::Mul, &[v[0], t])
        });
        self.set_code(m1, start, Some(last_years_change(stages[0].net)));
        for (k, s) in stages.iter().enumerate().skip(1) {
            let start = self.hidden_eq(q, true, &[], |env, e, _| {
                e.deps.push((m1, span));
                e.deps.push((order, span));
                let on = env.active(e, order, k);
                let m = Val::Slot(env.layout.cur(m1));
                env.emit(e, Code::Select, &[on, m, Val::Const(0.0)])
            });
            self.set_code(s.material, start, Some(last_years_change(s.net)));
        }
    }

    /// Stage k's outflow and net flow in a Vensim DELAY N.
    fn stage_flows(
        &mut self,
        q: &mut Equation,
        c: &Cascade,
        stages: &[Stage],
        k: usize,
        order: usize,
    ) {
        let (span, s) = (c.span, &stages[k]);
        let inflow = |env: &mut Self, e: &mut Equation, v: &[Val]| {
            if k == 0 {
                return v[0];
            }
            e.deps.push((stages[k - 1].outflow, span));
            Val::Slot(env.layout.cur(stages[k - 1].outflow))
        };
        let outflow = |env: &mut Self, e: &mut Equation, v: &[Val]| {
            e.deps.push((s.material, span));
            e.deps.push((s.time, span));
            if e.init {
                e.deps.push((order, span));
            }
            let m = Val::Slot(env.layout.cur(order));
            let t = env.emit(e, Code::Div, &[Val::Slot(env.layout.cur(s.time)), m]);
            let o = env.emit(e, Code::Div, &[Val::Slot(env.layout.cur(s.material)), t]);
            if k == 0 {
                return o;
            }
            let on = env.active(e, order, k);
            let through = inflow(env, e, v);
            env.emit(e, Code::Select, &[on, o, through])
        };
        // The outflow reads its own stage only: no loop through x.
        let o0 = self.hidden_eq(q, true, &[], outflow);
        let o1 = self.hidden_eq(q, false, &[], outflow);
        self.set_code(s.outflow, o0, o1);
        let net = |env: &mut Self, e: &mut Equation, v: &[Val]| {
            e.deps.push((s.outflow, span));
            let from = inflow(env, e, v);
            env.emit(e, Code::Sub, &[from, Val::Slot(env.layout.cur(s.outflow))])
        };
        let inputs: &[&Expr] = if k == 0 { &[&c.args[0]] } else { &[] };
        let n0 = self.hidden_eq(q, true, inputs, net);
        let n1 = self.hidden_eq(q, false, inputs, net);
        self.set_code(s.net, n0, n1);
    }

    /// Whether stage `k` of a Vensim DELAY N is active: `m > k`.
    fn active(&mut self, e: &mut Equation, order: usize, k: usize) -> Val {
        let m = Val::Slot(self.layout.cur(order));
        self.emit(e, Code::Gt, &[m, Val::Const(k as f64)])
    }

    /// Vensim's DELAY N order, lowered from `n` while `m * dt` exceeds the
    /// delay time `t` at the start (never below 1): 1 plus the number of
    /// `j` from 2 to n with `j * dt <= t`.
    fn lowered_order(&mut self, e: &mut Equation, t: Val, n: usize) -> Val {
        let dt = self.fixed_dt();
        let fits = |j: usize, c: f64| j as f64 * dt <= c;
        if let Val::Const(c) = t {
            let m = (2..=n).take_while(|&j| fits(j, c)).count() + 1;
            return Val::Const(m as f64);
        }
        let mut m = Val::Const(1.0);
        for j in 2..=n {
            let ok = self.emit(e, Code::Ge, &[t, Val::Const(j as f64 * dt)]);
            m = self.emit(e, Code::Add, &[m, ok]);
        }
        m
    }

    /// `delay(x, time[, first])`: XMILE's DELAY (3.5.3; Vensim's DELAY
    /// FIXED), a pipeline: its value is x of `m` years ago, and `first` (by
    /// default x's first value) in the first `m` years. `m` is the time
    /// rounded as the reference's rule (2.2, PySD's DelayFixed, checked
    /// against the `delay_fixed` test model): `round(max(time, 1) + 1e-6)`,
    /// so 0.5 and 1.2 are 1, 1.5 and 2.5 round up to 2 and 3. At dt = 1
    /// the time must be a positive constant of at most [`MAX_PIPELINE`]
    /// years, an error at its span otherwise (`delay1`/`delay3` take a
    /// variable one). Built as a chain: a hidden variable `in` computes x
    /// each year, and `m` hidden variables `h_1 … h_m` take, after the
    /// first year, last year's value of `in`, `h_1` … `h_{m-1}`; in the
    /// first year they are all `first`. The value is `h_m`. After the
    /// first year `h_1 … h_m` read only last year's slots, so the owner
    /// does not depend on x in the same year: feedback through the delay
    /// is no loop when `first` is given (without it, x's first value is
    /// read in the first year, a loop reported on the owner). Where we
    /// differ: Vensim's DELAY FIXED takes a variable time at its first
    /// value; we refuse it.
    pub(super) fn pipeline(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        span: Span,
    ) -> Option<Val> {
        self.call_site(q, b, args, span, |env, q, key| {
            let m = env.pipeline_length(q, b, &args[1])?;
            Some(env.make_pipeline(q, b, args, m, span, key))
        })
    }

    fn make_pipeline(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        m: usize,
        span: Span,
        key: Key,
    ) -> usize {
        let input = self.hide(q.owner, VarKind::Aux, call_text(b, args));
        let chain: Vec<usize> = (0..m)
            .map(|_| self.hide(q.owner, VarKind::Aux, call_text(b, args)))
            .collect();
        let out = chain[m - 1];
        self.hidden_index.insert(key, out);
        let x = &args[0];
        let i0 = self.hidden_eq(q, true, &[x], |_, _, v| v[0]);
        let i1 = self.hidden_eq(q, false, &[x], |_, _, v| v[0]);
        self.set_code(input, i0, i1);
        let h1 = chain[0];
        let start = self.hidden_eq(q, true, &[args.get(2).unwrap_or(x)], |_, _, v| v[0]);
        self.set_code(h1, start, Some(last_years_value(input)));
        for k in 1..m {
            let start = self.hidden_eq(q, true, &[], |env, e, _| {
                e.deps.push((h1, span));
                Val::Slot(env.layout.cur(h1))
            });
            self.set_code(chain[k], start, Some(last_years_value(chain[k - 1])));
        }
        out
    }

    /// A pipeline's length in steps from its time (see [`Self::pipeline`]):
    /// `round(max(time / dt, 1))`, half steps up, or an error at the time's
    /// span.
    fn pipeline_length(&mut self, q: &mut Equation, b: Builtin, time: &Expr) -> Option<usize> {
        let mut e = Equation::new(true, q.owner, q.field);
        let t = self.expr(&mut e, time);
        if !e.errors.is_empty() {
            q.errors.append(&mut e.errors);
            return None;
        }
        let message = match t? {
            Val::Const(c) if c > 0.0 => {
                let m = ((c / self.fixed_dt()).max(1.0) + 1e-6).round();
                if m <= MAX_PIPELINE as f64 {
                    return Some(m as usize);
                }
                format!(
                    "`{}` delays by at most {MAX_PIPELINE} time steps, not {m}",
                    b.name()
                )
            }
            Val::Const(c) => format!("`{}` needs a positive time, not {c}", b.name()),
            Val::Slot(_) | Val::Temp(_) => "a pipeline delay needs a constant delay time \
                 here; use delay1/delay3 for a variable one"
                .to_string(),
        };
        q.errors
            .push(ExprError::new(ExprErrorKind::Misuse, time.span, message));
        None
    }

    /// `trend(x, time[, first_trend])`: XMILE's TREND (3.5.3), the
    /// fractional change of x per year. An average `A`, a stock starting at
    /// `x / (1 + time * first_trend)` (x when `first_trend` is not given,
    /// its default being 0) with the flow `F = (x - A) / time`, Euler with
    /// dt = 1; the value is `F / A = (x - A) / (A * time)`. Where we differ
    /// from Vensim's TREND: no ABS on the average and no ZIDZ guard, as in
    /// XMILE (an average of 0 gives not a number, a run problem). At dt = 1
    /// the trend of `x0 (1 + g)^t` tends to exactly g, the growth per year
    /// (the average settles at `x / (1 + g time)`), and is g from the start
    /// when `first_trend` is g.
    pub(super) fn trend(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        span: Span,
    ) -> Option<Val> {
        if !self.stateful_arity(q, b, args, span) {
            return None;
        }
        let a = self.average(q, b, &args[0], &args[1], args.get(2), args, span);
        Some(self.fraction(q, a, span))
    }

    /// `forecast(x, time, horizon[, first_trend])`: XMILE's FORCST
    /// (3.5.3; Vensim's FORECAST has no first trend), `x * (1 + trend *
    /// horizon)`, `trend` being `trend(x, time, first_trend)`'s value.
    pub(super) fn forecast(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        span: Span,
    ) -> Option<Val> {
        if !self.stateful_arity(q, b, args, span) {
            return None;
        }
        let a = self.average(q, b, &args[0], &args[1], args.get(3), args, span);
        let before = q.errors.len();
        let x = self.expr(q, &args[0]);
        let horizon = self.expr(q, &args[2]);
        // x's errors were reported by the average already.
        let new = q.errors.split_off(before);
        for err in new {
            if !q.errors.contains(&err) {
                q.errors.push(err);
            }
        }
        let trend = self.fraction(q, a, span);
        let ahead = self.emit(q, Code::Mul, &[trend, horizon?]);
        let factor = self.emit(q, Code::Add, &[Val::Const(1.0), ahead]);
        Some(self.emit(q, Code::Mul, &[x?, factor]))
    }

    /// `trend`'s average (a hidden stock, its flow next): made once per
    /// call site.
    #[allow(clippy::too_many_arguments)]
    fn average(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        x: &Expr,
        time: &Expr,
        first_trend: Option<&Expr>,
        args: &[Expr],
        span: Span,
    ) -> usize {
        let key = (q.owner, q.field, span.start);
        if let Some(&a) = self.hidden_index.get(&key) {
            return a;
        }
        let a = self.hide(q.owner, VarKind::Stock, call_text(b, args));
        let f = self.hide(q.owner, VarKind::Aux, call_text(b, args));
        self.hidden_index.insert(key, a);
        let start = match first_trend {
            None => self.hidden_eq(q, true, &[x], |_, _, v| v[0]),
            Some(g) => self.hidden_eq(q, true, &[x, time, g], |env, e, v| {
                let tg = env.emit(e, Code::Mul, &[v[1], v[2]]);
                let d = env.emit(e, Code::Add, &[Val::Const(1.0), tg]);
                env.emit(e, Code::Div, &[v[0], d])
            }),
        };
        self.set_code(a, start, Some(last_years_change(f)));
        let flow = |env: &mut Self, e: &mut Equation, v: &[Val]| {
            e.deps.push((a, span));
            let t = env.positive_time(e, b, time, v[1]);
            let gap = env.emit(e, Code::Sub, &[v[0], Val::Slot(env.layout.cur(a))]);
            env.emit(e, Code::Div, &[gap, t])
        };
        let f0 = self.hidden_eq(q, true, &[x, time], flow);
        let f1 = self.hidden_eq(q, false, &[x, time], flow);
        self.set_code(f, f0, f1);
        a
    }

    /// The trend of average `a` (its flow is `a + 1`): flow / average.
    fn fraction(&mut self, q: &mut Equation, a: usize, span: Span) -> Val {
        q.deps.push((a, span));
        q.deps.push((a + 1, span));
        let (f, a) = (self.layout.cur(a + 1), self.layout.cur(a));
        self.emit(q, Code::Div, &[Val::Slot(f), Val::Slot(a)])
    }

    /// A cascade's order and its `first` argument: 1 for `smooth1` and
    /// `delay1`, 3 for `smooth3` and `delay3`; for `smoothn` and `delayn`
    /// the third argument, which must be a whole constant from 1 to
    /// [`MAX_ORDER`] (an error at its span).
    fn order<'a>(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &'a [Expr],
    ) -> Option<(usize, Option<&'a Expr>)> {
        match b {
            Builtin::Smooth1 | Builtin::Delay1 => return Some((1, args.get(2))),
            Builtin::Smooth3 | Builtin::Delay3 => return Some((3, args.get(2))),
            _ => {}
        }
        let mut e = Equation::new(true, q.owner, q.field);
        let n = self.expr(&mut e, &args[2]);
        if !e.errors.is_empty() {
            q.errors.append(&mut e.errors);
            return None;
        }
        match n? {
            Val::Const(c) if c >= 1.0 && c <= MAX_ORDER as f64 && c.fract() == 0.0 => {
                Some((c as usize, args.get(3)))
            }
            v => {
                let what = match v {
                    Val::Const(c) => c.to_string(),
                    _ => "a value that changes".to_string(),
                };
                q.errors.push(ExprError::new(
                    ExprErrorKind::Misuse,
                    args[2].span,
                    format!(
                        "`{}` needs a whole constant order from 1 to {MAX_ORDER}, not {what}",
                        b.name()
                    ),
                ));
                None
            }
        }
    }

    /// One stage's time in a cascade of `n`: `time / n`, the time checked
    /// as [`Self::positive_time`] does, its error reported by the first
    /// stage only (`report`).
    fn stage_time(
        &mut self,
        e: &mut Equation,
        b: Builtin,
        arg: &Expr,
        t: Val,
        n: usize,
        report: bool,
    ) -> Val {
        let before = e.errors.len();
        let t = self.positive_time(e, b, arg, t);
        if !report {
            e.errors.truncate(before);
        }
        match t {
            _ if n == 1 => t,
            Val::Const(c) => Val::Const(c / n as f64),
            t => self.emit(e, Code::Div, &[t, Val::Const(n as f64)]),
        }
    }

    /// A stateful call's value: the hidden variable it reads, made with the
    /// others of its call site by `make` the first time (the second pass
    /// over an auxiliary's text finds them again by `key`), and a dependency
    /// of the owner. `None` when the call is refused (the errors said).
    fn call_site(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        span: Span,
        make: impl FnOnce(&mut Self, &mut Equation, Key) -> Option<usize>,
    ) -> Option<Val> {
        if !self.stateful_arity(q, b, args, span) {
            return None;
        }
        let key = (q.owner, q.field, span.start);
        let out = match self.hidden_index.get(&key) {
            Some(&h) => h,
            None => make(self, q, key)?,
        };
        q.deps.push((out, span));
        Some(Val::Slot(self.layout.cur(out)))
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
    /// owner's equation once each (the later pass has the same text).
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
                // An argument read by several hidden variables (x by a
                // stock's start and its flow, the time by each stage) is
                // reported once.
                for err in e.errors.drain(..) {
                    if !q.errors.contains(&err) {
                        q.errors.push(err);
                    }
                }
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

/// A cascade call: the built-in, its arguments, its `first` argument,
/// its order and its span.
struct Cascade<'a> {
    b: Builtin,
    args: &'a [Expr],
    first: Option<&'a Expr>,
    n: usize,
    span: Span,
}

/// One stage of a Vensim DELAY N: its hidden material (a stock), outflow,
/// net flow and delay time.
struct Stage {
    material: usize,
    outflow: usize,
    net: usize,
    time: usize,
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

/// A hidden auxiliary's later years: `var`'s value last year.
fn last_years_value(var: usize) -> Compiled {
    last_years_change(var)
}

/// The call as written, for loop messages: `smooth1(x, 3)`.
fn call_text(b: Builtin, args: &[Expr]) -> String {
    let args: Vec<String> = args.iter().map(ToString::to_string).collect();
    format!("{}({})", b.name(), args.join(", "))
}
