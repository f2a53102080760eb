//! Equations to ops: each equation's tree becomes a short run of ops over
//! tagged slots, with names resolved, constants folded, built-in functions and
//! lookup tables called, and `prev` read from last year's slots. Each
//! built-in picks how it is lowered: `Builtin::lowering` (`expr/builtins.rs`)
//! returns a `Lowering`.

use std::collections::HashMap;

mod hidden;

use super::program::{
    Code, Layout, Op, TAG_CONST, TAG_PREV, TAG_TEMP, Table, YEAR_SLOT, interpolate,
};
use crate::model::def::{Model, VariableKind};
use crate::model::error::{ErrorKind, Item, ModelError, suggest};
use crate::model::expr::random::{self, Dist};
use crate::model::expr::{
    self, BinOp, Builtin, Expr, ExprError, ExprErrorKind, ExprKind, Named, Span, UnOp,
};

#[derive(Clone, Copy)]
enum Name {
    Lever(usize),
    Var(usize),
    Table(usize),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum VarKind {
    Stock,
    Aux,
    Data,
}

impl VarKind {
    pub(crate) fn of(kind: &VariableKind) -> VarKind {
        match kind {
            VariableKind::Stock { .. } => VarKind::Stock,
            VariableKind::Aux { .. } => VarKind::Aux,
            VariableKind::Data { .. } => VarKind::Data,
        }
    }
}

/// A compiled operand: a fixed slot, a temporary, or a constant known now.
#[derive(Clone, Copy)]
pub(crate) enum Val {
    Slot(u32),
    Temp(u32),
    Const(f64),
}

impl Val {
    /// The current year.
    pub(crate) const YEAR: Val = Val::Slot(YEAR_SLOT);
}

/// How a call of a built-in is compiled: each built-in says which in
/// `Builtin::lowering` (`expr/builtins.rs`).
#[derive(Clone, Copy)]
pub(crate) enum Lowering {
    /// One op over the compiled arguments, in order: `code(args...)`.
    Op(Code),
    /// A few ops, built from the compiled arguments by the function.
    Ops(fn(&mut dyn Emit, &[Val]) -> Val),
    /// `prev`'s own path (`Env::prev`): it takes a variable's name, not a
    /// value, and reads last year's slot. `previous` (XMILE's name) too.
    Prev,
    /// `init(x)`: a hidden variable (`Env::init_call`) computes `x` in the
    /// first year and keeps it. Stateful built-ins to come (delays, smooths:
    /// hidden stocks) get a variant and a path of their own here, on the
    /// same hidden variables.
    Init,
    /// `smooth1`, `smooth3` and `smoothn`: a cascade of hidden stocks, each
    /// with its flow (`hidden::Env::smooth_n`).
    SmoothN,
    /// `delay1`, `delay3` and `delayn`: a cascade of hidden stocks of
    /// material, each with its outflow and net flow (`hidden::Env::delay_n`).
    DelayN,
    /// `delay(x, time[, first])`: a pipeline, a chain of hidden variables
    /// each holding last year's value of the one before
    /// (`hidden::Env::pipeline`).
    Pipeline,
    /// `trend(x, time[, first_trend])`: a hidden average and its flow
    /// (`hidden::Env::trend`).
    Trend,
    /// `forecast(x, time, horizon[, first_trend])`: `trend`'s hidden
    /// average (`hidden::Env::forecast`).
    Forecast,
    /// `random_*`: one `Code::Draw` of the distribution over the call's
    /// site key, seed, parameters and bounds (`expr::random`), the site
    /// the same in both programs, so that a call draws one stream.
    Random(Dist),
}

/// A variable the compiler adds for a stateful call (`init(x)`; later the
/// stocks of delays and smooths). It has a slot this year and last year like
/// any variable, numbered after the model's (`Equations::hidden`), and is
/// ordered with them; runs, charts, CSV and the model's variable list never
/// see it.
pub(crate) struct Hidden {
    /// The model variable whose equation holds the call.
    pub owner: usize,
    /// A stock (its later years add last year's change) or an auxiliary.
    pub kind: VarKind,
    /// How loops through it are reported: the call as written, `init(x)`.
    pub name: String,
}

/// What a `Lowering::Ops` function may ask of the compiler.
pub(crate) trait Emit {
    /// `code(args...)` into a fresh temporary.
    fn op(&mut self, code: Code, args: &[Val]) -> Val;
    /// `code` over `args` copied into consecutive fresh temporaries, into
    /// another: the op's `a` is the first of them, `b` their number (not a
    /// slot). For a function of many arguments (`allocate_available`).
    fn op_on_block(&mut self, code: Code, args: &[Val]) -> Val;
    /// The model's time step.
    fn dt(&self) -> f64;
}

/// The compiler's `Emit`: ops go into the equation being compiled.
struct Emitter<'e, 'a> {
    env: &'e mut Env<'a>,
    q: &'e mut Equation,
}

impl Emit for Emitter<'_, '_> {
    fn op(&mut self, code: Code, args: &[Val]) -> Val {
        self.env.emit(self.q, code, args)
    }

    fn op_on_block(&mut self, code: Code, args: &[Val]) -> Val {
        let first = self.q.temps;
        for &v in args {
            let t = self.q.temps;
            self.q.temps += 1;
            let a = self.env.operand(v);
            self.q.ops.push(Op::new(Code::Copy, TAG_TEMP | t, a, 0));
        }
        let t = self.q.temps;
        self.q.temps += 1;
        let block = Op::new(code, TAG_TEMP | t, TAG_TEMP | first, args.len() as u32);
        self.q.ops.push(block);
        Val::Temp(t)
    }

    fn dt(&self) -> f64 {
        self.env.fixed_dt()
    }
}

/// One equation's code, before slots are fixed.
pub(crate) struct Compiled {
    pub ops: Vec<Op>,
    pub result: u32,
    pub result_is_last_op: bool,
    pub n_temps: u32,
    /// Variables read in the same year, with where.
    pub deps: Vec<(usize, Span)>,
}

/// Every variable's equations compiled, and the constants they use.
pub(crate) struct Equations {
    /// For the first year: auxiliaries and stocks' initial values.
    pub init: Vec<Option<Compiled>>,
    /// For the years after: auxiliaries and stocks' changes.
    pub step: Vec<Option<Compiled>>,
    /// The constant pool the equations' `TAG_CONST` slots index.
    pub consts: Vec<f64>,
    /// The hidden variables, numbered from the model's variable count on:
    /// `init` and `step` hold their code after the model variables'.
    pub hidden: Vec<Hidden>,
    /// On a changing clock, the hidden variable holding the time step in
    /// force at each step.
    pub dt_var: Option<usize>,
}

/// Parses and compiles every equation of the model, at time step `dt`
/// (`Clock::dt`); each problem found goes to `errors`, and its equation to
/// `None`. On a clock whose step changes (`scheduled`), the step is a
/// hidden data variable, the first hidden one (`Equations::dt_var`), that
/// the simulator sets at each step: `dt` reads it (last step's value in a
/// stock's change, the step being taken), and a built-in that needs one
/// step for the whole run (`pulse`, `step`, a pipeline `delay`, DELAY N's
/// order) is an error.
/// `trees`: each variable's equations already parsed (an arrayed model's
/// flat variables, `arrays::expand`); `None` to parse the model's texts.
pub(crate) fn equations(
    m: &Model,
    trees: Option<Vec<[Option<Expr>; 2]>>,
    dt: f64,
    scheduled: bool,
    kinds: &[VarKind],
    tables: &[Table],
    errors: &mut Vec<ModelError>,
) -> Equations {
    let mut names: HashMap<&str, Name> = HashMap::new();
    for (i, l) in m.levers.iter().enumerate() {
        names.insert(&l.id, Name::Lever(i));
    }
    for (i, v) in m.variables.iter().enumerate() {
        names.insert(&v.id, Name::Var(i));
    }
    for (i, t) in m.lookups.iter().enumerate() {
        names.insert(&t.id, Name::Table(i));
    }
    let mut env = Env {
        names: &names,
        model: m,
        dt,
        dt_var: None,
        fixed_dt_read: std::cell::Cell::new(false),
        tables,
        consts: Vec::new(),
        const_index: HashMap::new(),
        hidden: Vec::new(),
        hidden_index: HashMap::new(),
        layout: Layout {
            n_levers: m.levers.len(),
            n_vars: m.variables.len(),
            n_temps: 0,
            n_consts: 0,
        },
    };
    if scheduled {
        env.dt_var = Some(m.variables.len());
        env.hidden.push(HiddenCode {
            var: Hidden {
                owner: 0,
                kind: VarKind::Data,
                name: "dt".into(),
            },
            init: None,
            step: None,
        });
    }
    let parsed = trees.unwrap_or_else(|| parse_all(m, errors));
    let n_vars = m.variables.len();
    let mut init = Vec::with_capacity(n_vars);
    let mut step = Vec::with_capacity(n_vars);
    for (i, [a, b]) in parsed.iter().enumerate() {
        let (a, b) = (a.as_ref(), b.as_ref());
        let (first, later) = match kinds[i] {
            VarKind::Data => (None, None),
            VarKind::Aux => {
                let first = a.and_then(|e| env.compile_eq(e, true, i, errors, "equation"));
                // Same text, same name errors: keep the first pass's only.
                let later =
                    a.and_then(|e| env.compile_eq(e, false, i, &mut Vec::new(), "equation"));
                (first, later)
            }
            VarKind::Stock => (
                a.and_then(|e| env.compile_eq(e, true, i, errors, "initial")),
                b.and_then(|e| env.compile_eq(e, false, i, errors, "change")),
            ),
        };
        init.push(first);
        step.push(later);
    }
    let mut hidden = Vec::with_capacity(env.hidden.len());
    for h in env.hidden {
        init.push(h.init);
        step.push(h.step);
        hidden.push(h.var);
    }
    Equations {
        init,
        step,
        consts: env.consts,
        hidden,
        dt_var: env.dt_var,
    }
}

/// Every equation parsed once: a stock's initial value and change, an
/// auxiliary's equation (and `None`), nothing for data.
fn parse_all(m: &Model, errors: &mut Vec<ModelError>) -> Vec<[Option<Expr>; 2]> {
    m.variables
        .iter()
        .map(|v| match &v.kind {
            VariableKind::Stock {
                initial,
                change,
                inflows,
                outflows,
                non_negative,
            } => [
                parse_field(errors, &v.id, "initial", initial),
                // Neither a change nor flows: a constant stock (XMILE's
                // stock without flows), as the flows form with none.
                if inflows.is_empty() && outflows.is_empty() && !change.trim().is_empty() {
                    parse_field(errors, &v.id, "change", change)
                } else {
                    flows_change(m, &v.id, inflows, outflows, *non_negative)
                },
            ],
            VariableKind::Aux { equation } => {
                [parse_field(errors, &v.id, "equation", equation), None]
            }
            VariableKind::Data { .. } => [None, None],
        })
        .collect()
}

/// A stock given by its flows, as the change equation it stands for (XMILE
/// 3.1.1, Euler): `prev(in1) + ... - prev(out1) - ...`, the flows' values
/// one step back. For a non-negative stock (XMILE 4.2), the outflows take
/// at most what the stock holds plus what flows in over the step:
/// `IN - min(OUT, max(0, prev(s) / dt + IN))`, and linking keeps the stock
/// at zero or above (a negative inflow can still drain it). This equals
/// XMILE's rule of serving outflows in their order, each what the ones
/// before it left, whenever the outflows are not negative. `None` when a
/// flow is not a variable: `validate` says which.
pub(crate) fn flows_change(
    m: &Model,
    id: &str,
    inflows: &[String],
    outflows: &[String],
    non_negative: bool,
) -> Option<Expr> {
    if inflows
        .iter()
        .chain(outflows)
        .any(|f| m.variable(f).is_none())
    {
        return None;
    }
    let sum = |fs: &[String]| {
        if fs.is_empty() {
            "0".to_string()
        } else {
            let p: Vec<String> = fs.iter().map(|f| format!("prev({f})")).collect();
            format!("({})", p.join(" + "))
        }
    };
    let (inn, out) = (sum(inflows), sum(outflows));
    let text = if non_negative {
        format!("{inn} - min({out}, max(0, prev({id}) / dt + {inn}))")
    } else {
        format!("{inn} - {out}")
    };
    expr::parse(&text).ok()
}

fn parse_field(errors: &mut Vec<ModelError>, var: &str, field: &str, text: &str) -> Option<Expr> {
    match expr::parse(text) {
        Ok(e) => Some(e),
        Err(e) => {
            errors.push(expr_error(var, field, e));
            None
        }
    }
}

pub(crate) fn expr_error(var: &str, field: &str, e: ExprError) -> ModelError {
    let kind = match e.kind {
        ExprErrorKind::Syntax => ErrorKind::Syntax,
        ExprErrorKind::UnknownName => ErrorKind::UnknownName,
        ExprErrorKind::Arity => ErrorKind::Arity,
        ExprErrorKind::Misuse => ErrorKind::Misuse,
    };
    ModelError::new(kind, Item::Variable(var.to_string()), field, e.message).with_span(e.span)
}

/// What every equation shares: names, tables, the constant pool.
struct Env<'a> {
    names: &'a HashMap<&'a str, Name>,
    model: &'a Model,
    /// The time step (`Clock::dt`): `dt`'s value, a pipeline's length in
    /// steps, a pulse's width.
    dt: f64,
    /// On a changing clock: the hidden data variable holding the step.
    dt_var: Option<usize>,
    /// Whether a built-in read `dt` as one number for the whole run
    /// (`fixed_dt`) since the flag was last cleared.
    fixed_dt_read: std::cell::Cell<bool>,
    tables: &'a [Table],
    consts: Vec<f64>,
    const_index: HashMap<u64, u32>,
    /// Hidden variables with their code, in the order they were made.
    hidden: Vec<HiddenCode>,
    /// Each stateful call's hidden variable, by where the call is: owner,
    /// field, and the call's start in the text (an auxiliary is compiled
    /// twice, and both passes must share one).
    hidden_index: HashMap<(usize, &'static str, usize), usize>,
    /// Levers' and variables' slots (temporaries are not counted yet; last
    /// year's slots are tagged, `TAG_PREV`, until the hidden variables are
    /// counted).
    layout: Layout,
}

/// A hidden variable and its code for the first year and the years after
/// (`None`: nothing runs, the slot keeps its value).
struct HiddenCode {
    var: Hidden,
    init: Option<Compiled>,
    step: Option<Compiled>,
}

/// One equation being compiled.
struct Equation {
    /// The first year's pass (no previous year to read).
    init: bool,
    /// The model variable and field whose text this is.
    owner: usize,
    field: &'static str,
    ops: Vec<Op>,
    temps: u32,
    deps: Vec<(usize, Span)>,
    errors: Vec<ExprError>,
}

impl Equation {
    fn new(init: bool, owner: usize, field: &'static str) -> Equation {
        Equation {
            init,
            owner,
            field,
            ops: Vec::new(),
            temps: 0,
            deps: Vec::new(),
            errors: Vec::new(),
        }
    }
}

impl Env<'_> {
    fn compile_eq(
        &mut self,
        e: &Expr,
        init: bool,
        var: usize,
        errors: &mut Vec<ModelError>,
        field: &'static str,
    ) -> Option<Compiled> {
        let mut q = Equation::new(init, var, field);
        let r = self.expr(&mut q, e);
        let id = &self.model.variables[var].id;
        if !q.errors.is_empty() {
            errors.extend(q.errors.into_iter().map(|x| expr_error(id, field, x)));
            return None;
        }
        Some(self.finish(q, r?))
    }

    /// An equation compiled without errors, its result `r`, as code.
    fn finish(&mut self, q: Equation, r: Val) -> Compiled {
        let (result, last) = match r {
            Val::Temp(t) => (
                TAG_TEMP | t,
                q.ops.last().is_some_and(|o| o.dst == (TAG_TEMP | t)),
            ),
            Val::Slot(s) => (s, false),
            Val::Const(c) => (self.constant(c), false),
        };
        Compiled {
            ops: q.ops,
            result,
            result_is_last_op: last,
            n_temps: q.temps,
            deps: q.deps,
        }
    }

    fn constant(&mut self, c: f64) -> u32 {
        let next = self.consts.len() as u32;
        let i = *self.const_index.entry(c.to_bits()).or_insert(next);
        if i == next {
            self.consts.push(c);
        }
        TAG_CONST | i
    }

    fn operand(&mut self, v: Val) -> u32 {
        match v {
            Val::Slot(s) => s,
            Val::Temp(t) => TAG_TEMP | t,
            Val::Const(c) => self.constant(c),
        }
    }

    /// `code(args...)` into a fresh temporary.
    fn emit(&mut self, q: &mut Equation, code: Code, args: &[Val]) -> Val {
        let t = q.temps;
        q.temps += 1;
        let a = args.first().map_or(0, |&v| self.operand(v));
        let b = args.get(1).map_or(0, |&v| self.operand(v));
        let c = args.get(2).map_or(0, |&v| self.operand(v));
        q.ops.push(Op {
            code,
            dst: TAG_TEMP | t,
            a,
            b,
            c,
            d: 0,
        });
        Val::Temp(t)
    }

    fn lookup(&mut self, q: &mut Equation, table: usize, x: Val) -> Val {
        let t = q.temps;
        q.temps += 1;
        let a = self.operand(x);
        q.ops
            .push(Op::new(Code::Lookup, TAG_TEMP | t, a, table as u32));
        Val::Temp(t)
    }

    fn expr(&mut self, q: &mut Equation, e: &Expr) -> Option<Val> {
        match &e.kind {
            ExprKind::Num(n) => Some(Val::Const(*n)),
            ExprKind::Name(n) => self.name(q, n, e.span),
            ExprKind::Subscript { name, .. } => match expr::flat_name(e) {
                Some(flat) if self.names.contains_key(flat.as_str()) => self.name(q, &flat, e.span),
                _ => {
                    q.errors.push(ExprError::new(
                        ExprErrorKind::Misuse,
                        e.span,
                        format!("`{name}` has no such element here (`{e}`)"),
                    ));
                    None
                }
            },
            ExprKind::Unary(op, a) => {
                let a = self.expr(q, a)?;
                if let Val::Const(x) = a {
                    return Some(Val::Const(match op {
                        UnOp::Neg => -x,
                        UnOp::Not => expr::bool_f(x == 0.0),
                    }));
                }
                let code = match op {
                    UnOp::Neg => Code::Neg,
                    UnOp::Not => Code::Not,
                };
                Some(self.emit(q, code, &[a]))
            }
            ExprKind::Binary(op, a, b) => {
                let a = self.expr(q, a);
                let b = self.expr(q, b);
                let (a, b) = (a?, b?);
                if let (Val::Const(x), Val::Const(y)) = (a, b) {
                    return Some(Val::Const(expr::binop(*op, x, y)));
                }
                Some(self.emit(q, binop_code(*op), &[a, b]))
            }
            ExprKind::If(c, a, b) => {
                let c = self.expr(q, c);
                let a = self.expr(q, a);
                let b = self.expr(q, b);
                let (c, a, b) = (c?, a?, b?);
                if let Val::Const(x) = c {
                    return Some(if x != 0.0 { a } else { b });
                }
                Some(self.emit(q, Code::Select, &[c, a, b]))
            }
            ExprKind::Call {
                name,
                name_span,
                args,
            } => self.call(q, name, *name_span, args, e.span),
        }
    }

    fn name(&mut self, q: &mut Equation, n: &str, span: Span) -> Option<Val> {
        if let Some(k) = Named::from_name(n) {
            if let (Named::Dt, Some(h)) = (k, self.dt_var) {
                return Some(Val::Slot(if q.field == "change" && !q.init {
                    TAG_PREV | h as u32
                } else {
                    self.layout.cur(h)
                }));
            }
            return Some(self.named(k));
        }
        match self.names.get(n) {
            Some(Name::Lever(i)) => Some(Val::Slot(self.layout.lever(*i))),
            Some(Name::Var(i)) => {
                q.deps.push((*i, span));
                Some(Val::Slot(self.layout.cur(*i)))
            }
            Some(Name::Table(_)) => {
                q.errors.push(ExprError::new(
                    ExprErrorKind::Misuse,
                    span,
                    format!("`{n}` is a lookup table: call it with a value, as in `{n}(x)`"),
                ));
                None
            }
            None => {
                let message = if Builtin::from_name(n).is_some() {
                    format!("`{n}` is a function: call it as `{n}(...)`")
                } else {
                    let named = Named::ALL.iter().map(|k| k.name());
                    // An arrayed variable's elements suggest the variable.
                    let candidates = self
                        .names
                        .keys()
                        .map(|k| k.split('[').next().unwrap_or(k))
                        .chain(named);
                    match suggest(n, candidates) {
                        Some(s) => format!("unknown name `{n}`; did you mean `{s}`?"),
                        None => format!("unknown name `{n}`: no lever or variable has that name"),
                    }
                };
                q.errors
                    .push(ExprError::new(ExprErrorKind::UnknownName, span, message));
                None
            }
        }
    }

    /// A named value: the clock, or a constant.
    fn named(&self, k: Named) -> Val {
        match k {
            Named::Year => Val::YEAR,
            Named::Pi => Val::Const(std::f64::consts::PI),
            Named::Time => Val::YEAR,
            Named::Dt => Val::Const(self.dt),
            Named::StartTime => Val::Const(f64::from(self.model.start_year)),
            Named::StopTime => Val::Const(f64::from(self.model.end_year)),
        }
    }

    /// `name(args)`: a built-in function or a lookup table.
    fn call(
        &mut self,
        q: &mut Equation,
        name: &str,
        name_span: Span,
        args: &[Expr],
        span: Span,
    ) -> Option<Val> {
        // Built-in names are reserved: no table or variable can take one.
        if let Some(b) = Builtin::from_name(name) {
            return self.builtin(q, b, args, span);
        }
        if let Some(Name::Table(t)) = self.names.get(name) {
            return self.table_call(q, *t, name, args, span);
        }
        if Named::from_name(name).is_some() {
            q.errors.push(ExprError::new(
                ExprErrorKind::Misuse,
                span,
                format!("`{name}` is a value, not a function: write `{name}` without `()`"),
            ));
            return None;
        }
        self.unknown_function(q, name, name_span, args)
    }

    /// A random call (`Lowering::Random`): one `Code::Draw` over its
    /// arguments laid out as `random::draw` reads them, the site key of
    /// the call's variable, field and place first (the same in the first
    /// step's program and the others'), a missing seed 0 and missing
    /// bounds infinite.
    fn random_call(&mut self, q: &mut Equation, dist: Dist, vals: &[Val], span: Span) -> Val {
        let n = dist.n_params();
        let id = &self.model.variables[q.owner].id;
        let mut block = vec![Val::Const(random::site_key(id, q.field, span.start))];
        block.push(vals.get(n).copied().unwrap_or(Val::Const(0.0)));
        block.extend_from_slice(&vals[..n]);
        block.push(
            vals.get(n + 1)
                .copied()
                .unwrap_or(Val::Const(f64::NEG_INFINITY)),
        );
        block.push(
            vals.get(n + 2)
                .copied()
                .unwrap_or(Val::Const(f64::INFINITY)),
        );
        let v = Emitter { env: self, q }.op_on_block(Code::Draw, &block);
        if let Some(op) = q.ops.last_mut() {
            op.d = dist.code();
        }
        v
    }

    /// A call of a built-in, lowered as the built-in says.
    fn builtin(&mut self, q: &mut Equation, b: Builtin, args: &[Expr], span: Span) -> Option<Val> {
        let read_before = self.fixed_dt_read.replace(false);
        let r = self.lowered(q, b, args, span);
        if self.dt_var.is_some() && self.fixed_dt_read.get() {
            self.fixed_dt_read.set(false);
            q.errors.push(ExprError::new(
                ExprErrorKind::Misuse,
                span,
                format!(
                    "`{}` needs a time step that stays the same during the run, and this \
                     model's changes",
                    b.name()
                ),
            ));
            return None;
        }
        self.fixed_dt_read
            .set(read_before || self.fixed_dt_read.get());
        r
    }

    /// The model's time step as one number for the whole run, for a
    /// built-in whose code depends on it; marked, so that a changing clock
    /// refuses that built-in (`builtin`).
    pub(super) fn fixed_dt(&self) -> f64 {
        self.fixed_dt_read.set(true);
        self.dt
    }

    fn lowered(&mut self, q: &mut Equation, b: Builtin, args: &[Expr], span: Span) -> Option<Val> {
        match b.lowering() {
            Lowering::Prev => self.prev(q, b, args, span),
            Lowering::Init => self.init_call(q, b, args, span),
            Lowering::SmoothN => self.smooth_n(q, b, args, span),
            Lowering::DelayN => self.delay_n(q, b, args, span),
            Lowering::Trend => self.trend(q, b, args, span),
            Lowering::Pipeline => self.pipeline(q, b, args, span),
            Lowering::Forecast => self.forecast(q, b, args, span),
            Lowering::Op(code) => {
                self.applied(q, b, args, span, |env, q, vals| env.emit(q, code, vals))
            }
            Lowering::Ops(ops) => self.applied(q, b, args, span, |env, q, vals| {
                ops(&mut Emitter { env, q }, vals)
            }),
            Lowering::Random(dist) => self.applied(q, b, args, span, |env, q, vals| {
                env.random_call(q, dist, vals, span)
            }),
        }
    }

    /// A built-in applied to its arguments' values: the number of arguments
    /// checked, the arguments compiled, the call folded when the function is
    /// pure and they are constants, else lowered by `lower`.
    fn applied(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        args: &[Expr],
        span: Span,
        lower: impl FnOnce(&mut Self, &mut Equation, &[Val]) -> Val,
    ) -> Option<Val> {
        if !b.accepts(args.len()) {
            // Still check the arguments for their own errors.
            for a in args {
                self.expr(q, a);
            }
            q.errors
                .push(arity_error(b.name(), &b.expected_args(), args.len(), span));
            return None;
        }
        let vals: Vec<Option<Val>> = args.iter().map(|a| self.expr(q, a)).collect();
        let vals: Vec<Val> = vals.into_iter().collect::<Option<_>>()?;
        let consts: Option<Vec<f64>> = vals
            .iter()
            .map(|v| match v {
                Val::Const(c) => Some(*c),
                Val::Slot(_) | Val::Temp(_) => None,
            })
            .collect();
        if let Some(v) = consts.and_then(|c| b.fold(&c)) {
            return Some(Val::Const(v));
        }
        Some(lower(self, q, &vals))
    }

    /// `table(x)`: a lookup, folded when `x` is a constant.
    fn table_call(
        &mut self,
        q: &mut Equation,
        table: usize,
        name: &str,
        args: &[Expr],
        span: Span,
    ) -> Option<Val> {
        if args.len() != 1 {
            q.errors
                .push(arity_error(name, "1 argument", args.len(), span));
            return None;
        }
        let x = self.expr(q, &args[0])?;
        if let Val::Const(x) = x {
            return Some(Val::Const(self.tables[table].eval(x)));
        }
        Some(self.lookup(q, table, x))
    }

    /// A call of something that is neither a function nor a table: the error,
    /// with a suggestion, on the name; the arguments still checked for theirs.
    fn unknown_function(
        &mut self,
        q: &mut Equation,
        name: &str,
        name_span: Span,
        args: &[Expr],
    ) -> Option<Val> {
        let message = if self.names.contains_key(name) {
            format!("`{name}` is not a function or a lookup table")
        } else {
            let candidates = Builtin::ALL
                .iter()
                .map(|b| b.name())
                .chain(self.model.lookups.iter().map(|t| t.id.as_str()));
            match suggest(name, candidates) {
                Some(s) => format!("unknown function `{name}`; did you mean `{s}`?"),
                None => format!("unknown function `{name}`"),
            }
        };
        q.errors.push(ExprError::new(
            ExprErrorKind::UnknownName,
            name_span,
            message,
        ));
        for a in args {
            self.expr(q, a);
        }
        None
    }

    /// `prev(x)` / `prev(x, first)`: x's value in the previous year. XMILE's
    /// `previous(x, first)` (PREVIOUS, 3.5.6: x one DT ago, `first` at the
    /// start) is the same with dt = 1; `prev` is our older spelling. Unlike
    /// XMILE, `x` must name a variable (write a variable for an expression).
    fn prev(&mut self, q: &mut Equation, b: Builtin, args: &[Expr], span: Span) -> Option<Val> {
        if !b.accepts(args.len()) {
            let n = b.name();
            q.errors.push(ExprError::new(
                ExprErrorKind::Arity,
                span,
                format!(
                    "`{n}` takes {} ({n}(x) or {n}(x, first)), not {}",
                    b.expected_args(),
                    args.len()
                ),
            ));
            return None;
        }
        let target = &args[0];
        let var = self.prev_target(q, b, target)?;
        let first = match args.get(1) {
            Some(first) => Some(self.prev_first(q, first)?),
            None => None,
        };
        if !q.init {
            return Some(Val::Slot(TAG_PREV | var as u32));
        }
        // The first year: no previous value exists.
        match first {
            Some(v) => Some(v),
            None => self.prev_in_first_year(q, b, var, target, span),
        }
    }

    /// The variable `prev` reads: its first argument must name one.
    fn prev_target(&mut self, q: &mut Equation, b: Builtin, target: &Expr) -> Option<usize> {
        let f = b.name();
        let n = match &target.kind {
            ExprKind::Name(n) => n.clone(),
            ExprKind::Subscript { .. } => expr::flat_name(target).unwrap_or_default(),
            _ => {
                q.errors.push(ExprError::new(
                    ExprErrorKind::Misuse,
                    target.span,
                    format!("`{f}` takes the name of a variable, as in `{f}(jobs)`"),
                ));
                return None;
            }
        };
        let n = &n;
        if let Some(Name::Var(i)) = self.names.get(n.as_str()) {
            return Some(*i);
        }
        if n == "year" || n == "time" {
            q.errors.push(ExprError::new(
                ExprErrorKind::Misuse,
                target.span,
                format!("`{f}({n})` is simply `{n} - 1`"),
            ));
        } else if Named::from_name(n).is_none() && !self.names.contains_key(n.as_str()) {
            // Reuse the unknown-name message and its suggestion.
            self.name(q, n, target.span);
        } else {
            q.errors.push(ExprError::new(
                ExprErrorKind::Misuse,
                target.span,
                format!("`{f}` reads a variable's past value; `{n}` is not a variable"),
            ));
        }
        None
    }

    /// `prev(x, first)`'s first-year value. Compiled in both passes so that
    /// its errors show, but its ops are kept in the first year's only.
    fn prev_first(&mut self, q: &mut Equation, first: &Expr) -> Option<Val> {
        if q.init {
            return self.expr(q, first);
        }
        let mut scratch = Equation::new(q.init, q.owner, q.field);
        scratch.temps = q.temps;
        let v = self.expr(&mut scratch, first);
        q.errors.append(&mut scratch.errors);
        v
    }

    /// `prev(x)` in the first year, where no previous value exists.
    fn prev_in_first_year(
        &mut self,
        q: &mut Equation,
        b: Builtin,
        var: usize,
        target: &Expr,
        span: Span,
    ) -> Option<Val> {
        match &self.model.variables[var].kind {
            VariableKind::Stock { .. } => {
                // A stock's value before the first change is its initial value.
                q.deps.push((var, target.span));
                Some(Val::Slot(self.layout.cur(var)))
            }
            VariableKind::Data { points } => {
                if points.is_empty() {
                    return None;
                }
                Some(Val::Const(interpolate(
                    points,
                    (self.model.start_year - 1) as f64,
                )))
            }
            VariableKind::Aux { .. } => {
                let n = &self.model.variables[var].id;
                let f = b.name();
                q.errors.push(ExprError::new(
                    ExprErrorKind::Misuse,
                    span,
                    format!(
                        "`{f}({n})` has no value in the first year ({}): give one, as in `{f}({n}, 0)`",
                        self.model.start_year
                    ),
                ));
                None
            }
        }
    }
}

fn binop_code(op: BinOp) -> Code {
    match op {
        BinOp::Add => Code::Add,
        BinOp::Sub => Code::Sub,
        BinOp::Mul => Code::Mul,
        BinOp::Div => Code::Div,
        BinOp::Pow => Code::Pow,
        BinOp::Lt => Code::Lt,
        BinOp::Le => Code::Le,
        BinOp::Gt => Code::Gt,
        BinOp::Ge => Code::Ge,
        BinOp::Eq => Code::Eq,
        BinOp::Ne => Code::Ne,
        BinOp::And => Code::And,
        BinOp::Or => Code::Or,
    }
}

/// "`name` takes {expected}, not {n} argument(s)", on the whole call.
fn arity_error(name: &str, expected: &str, n: usize, span: Span) -> ExprError {
    ExprError::new(
        ExprErrorKind::Arity,
        span,
        format!(
            "`{name}` takes {expected}, not {n} argument{}",
            if n == 1 { "" } else { "s" }
        ),
    )
}
