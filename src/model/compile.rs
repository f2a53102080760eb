//! Model -> compiled model: names resolved to slots, equations flattened into
//! one straight-line program per year, in dependency order.
//!
//! The program works on a register file of `f64` slots laid out as
//! `[year][levers][variables this year][variables last year][temporaries][constants]`.
//! Running it again with other lever values needs no recompilation, and the
//! same program runs several lever sets at once, one lane per set (`sim.rs`).

use std::collections::HashMap;
use std::sync::Arc;

use super::def::{Model, VariableKind};
use super::error::{ErrorKind, Item, ModelError, ModelErrors, suggest};
use super::expr::{self, BinOp, Expr, ExprError, ExprErrorKind, ExprKind, FUNCTIONS, Span, UnOp};
use super::validate::validate;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Code {
    Copy,
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    Neg,
    Not,
    Min,
    Max,
    Abs,
    Exp,
    Ln,
    Sqrt,
    Round,
    /// dst = a != 0 ? b : c
    Select,
    /// dst = min(max(a, b), c)
    Clamp,
    /// dst = table[b](a)
    Lookup,
    // Fused pairs (see `fuse`): one dispatch instead of two.
    /// dst = a * b / c
    MulDiv,
    /// dst = a + b + c, added left to right
    Add3,
    /// dst = if a < b { c } else { d }
    SelLt,
    /// dst = if a >= b { c } else { d }
    SelGe,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Op {
    pub code: Code,
    pub dst: u32,
    pub a: u32,
    pub b: u32,
    pub c: u32,
    pub d: u32,
}

/// A piecewise-linear table, flat beyond its ends.
#[derive(Clone, Debug)]
pub(crate) struct Table {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
}

impl Table {
    pub fn eval(&self, x: f64) -> f64 {
        let n = self.xs.len();
        if x.is_nan() {
            return f64::NAN;
        }
        if x <= self.xs[0] {
            return self.ys[0];
        }
        if x >= self.xs[n - 1] {
            return self.ys[n - 1];
        }
        // Tables are short: a linear scan beats a binary search.
        let mut i = 1;
        while self.xs[i] < x {
            i += 1;
        }
        let (x0, x1, y0, y1) = (self.xs[i - 1], self.xs[i], self.ys[i - 1], self.ys[i]);
        y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    }
}

/// A data variable's value for every year of the run.
#[derive(Clone, Debug)]
pub(crate) struct DataSeries {
    pub var: usize,
    pub values: Vec<f64>,
}

/// A model ready to run. Cheap to clone (shares the definition).
#[derive(Clone, Debug)]
pub struct CompiledModel {
    pub(crate) model: Arc<Model>,
    pub(crate) years: Vec<i32>,
    pub(crate) n_levers: usize,
    pub(crate) n_vars: usize,
    pub(crate) n_temps: usize,
    pub(crate) consts: Vec<f64>,
    pub(crate) init_ops: Vec<Op>,
    pub(crate) step_ops: Vec<Op>,
    pub(crate) data: Vec<DataSeries>,
    pub(crate) tables: Vec<Table>,
    /// The largest slot any op names: the simulator relies on it.
    pub(crate) max_slot: usize,
    var_index: HashMap<String, usize>,
    lever_index: HashMap<String, usize>,
    /// For each variable, the variables it uses in the same year.
    uses: Vec<Vec<usize>>,
}

pub(crate) const YEAR_SLOT: u32 = 0;
const TAG_TEMP: u32 = 1 << 30;
const TAG_CONST: u32 = 2 << 30;
const TAG_MASK: u32 = 3 << 30;

impl CompiledModel {
    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn shared_model(&self) -> Arc<Model> {
        self.model.clone()
    }

    /// The model behind this compilation: two compilations of one model
    /// share it (`Arc::ptr_eq`), which tells an edited model from the same one.
    pub fn model_arc(&self) -> &Arc<Model> {
        &self.model
    }

    pub fn years(&self) -> &[i32] {
        &self.years
    }

    pub fn n_vars(&self) -> usize {
        self.n_vars
    }

    pub fn var_index(&self, id: &str) -> Option<usize> {
        self.var_index.get(id).copied()
    }

    pub fn lever_index(&self, id: &str) -> Option<usize> {
        self.lever_index.get(id).copied()
    }

    /// The variables that `var` uses in the same year.
    pub fn uses(&self, var: usize) -> &[usize] {
        &self.uses[var]
    }

    /// Number of instructions run per year after the first, for reports.
    pub fn ops_per_year(&self) -> usize {
        self.step_ops.len()
    }

    pub(crate) fn lever_base(&self) -> usize {
        1
    }
    pub(crate) fn cur_base(&self) -> usize {
        1 + self.n_levers
    }
    pub(crate) fn prev_base(&self) -> usize {
        1 + self.n_levers + self.n_vars
    }
    pub(crate) fn temp_base(&self) -> usize {
        1 + self.n_levers + 2 * self.n_vars
    }
    pub(crate) fn const_base(&self) -> usize {
        self.temp_base() + self.n_temps
    }
    pub(crate) fn n_slots(&self) -> usize {
        self.const_base() + self.consts.len()
    }
}

#[derive(Clone, Copy)]
enum Name {
    Lever(usize),
    Var(usize),
    Table(usize),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum VarKind {
    Stock,
    Aux,
    Data,
}

/// A compiled operand: a fixed slot, a temporary, or a constant known now.
#[derive(Clone, Copy)]
enum Val {
    Slot(u32),
    Temp(u32),
    Const(f64),
}

/// Compiles a model: every problem found is returned, not only the first.
pub fn compile(model: Model) -> Result<CompiledModel, ModelErrors> {
    compile_shared(Arc::new(model))
}

pub fn compile_shared(model: Arc<Model>) -> Result<CompiledModel, ModelErrors> {
    let mut errors = validate(&model);
    // Duplicate or invalid ids make name resolution meaningless.
    if errors
        .iter()
        .any(|e| e.field == "id" && !matches!(e.item, Item::Target(_)))
    {
        return Err(ModelErrors(errors));
    }
    let m = &*model;
    let n_levers = m.levers.len();
    let n_vars = m.variables.len();
    let years: Vec<i32> = if m.end_year >= m.start_year {
        m.years().collect()
    } else {
        Vec::new()
    };

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
    let kinds: Vec<VarKind> = m
        .variables
        .iter()
        .map(|v| match v.kind {
            VariableKind::Stock { .. } => VarKind::Stock,
            VariableKind::Aux { .. } => VarKind::Aux,
            VariableKind::Data { .. } => VarKind::Data,
        })
        .collect();

    let tables: Vec<Table> = m
        .lookups
        .iter()
        .map(|t| Table {
            xs: t.points.iter().map(|p| p.0).collect(),
            ys: t.points.iter().map(|p| p.1).collect(),
        })
        .collect();

    let data: Vec<DataSeries> = m
        .variables
        .iter()
        .enumerate()
        .filter_map(|(i, v)| match &v.kind {
            VariableKind::Data { points } if !points.is_empty() => Some(DataSeries {
                var: i,
                values: years
                    .iter()
                    .map(|&y| interpolate(points, y as f64))
                    .collect(),
            }),
            _ => None,
        })
        .collect();

    let mut env = Env {
        names: &names,
        kinds: &kinds,
        model: m,
        tables: &tables,
        consts: Vec::new(),
        const_index: HashMap::new(),
        n_levers,
        n_vars,
    };

    // Parse every equation once.
    let mut parsed: Vec<[Option<Expr>; 2]> = Vec::with_capacity(n_vars);
    for v in &m.variables {
        let (a, b) = match &v.kind {
            VariableKind::Stock { initial, change } => (
                parse_field(&mut errors, &v.id, "initial", initial),
                parse_field(&mut errors, &v.id, "change", change),
            ),
            VariableKind::Aux { equation } => {
                (parse_field(&mut errors, &v.id, "equation", equation), None)
            }
            VariableKind::Data { .. } => (None, None),
        };
        parsed.push([a, b]);
    }

    // Compile each variable for the first year and for the years after.
    let mut init_code: Vec<Option<Compiled>> = Vec::with_capacity(n_vars);
    let mut step_code: Vec<Option<Compiled>> = Vec::with_capacity(n_vars);
    for i in 0..n_vars {
        let (init, step) = match kinds[i] {
            VarKind::Data => (None, None),
            VarKind::Aux => {
                let e = parsed[i][0].as_ref();
                let init = e.map(|e| env.compile_eq(e, true, i, &mut errors, "equation"));
                // Same text, same name errors: keep the first pass's only.
                let step = e.map(|e| env.compile_eq(e, false, i, &mut Vec::new(), "equation"));
                (init, step)
            }
            VarKind::Stock => {
                let init = parsed[i][0]
                    .as_ref()
                    .map(|e| env.compile_eq(e, true, i, &mut errors, "initial"));
                let step = parsed[i][1]
                    .as_ref()
                    .map(|e| env.compile_eq(e, false, i, &mut errors, "change"));
                (init, step)
            }
        };
        init_code.push(init.flatten());
        step_code.push(step.flatten());
    }

    // Order each program by dependencies; report loops.
    let step_order = order(m, &step_code, &kinds, "change", &mut errors, &[]);
    let step_cycles: Vec<Vec<usize>> = step_order.1.clone();
    let init_order = order(m, &init_code, &kinds, "initial", &mut errors, &step_cycles);

    if !errors.is_empty() {
        return Err(ModelErrors(errors));
    }

    let mut n_temps = 0;
    let mut link = |code: &[Option<Compiled>], order: &[usize], stock_step: bool| -> Vec<Op> {
        let mut ops = Vec::new();
        for &i in order {
            let Some(c) = &code[i] else { continue };
            n_temps = n_temps.max(c.n_temps as usize);
            let dst = (1 + n_levers + i) as u32;
            let prev = (1 + n_levers + n_vars + i) as u32;
            let mut body = c.ops.clone();
            if stock_step && kinds[i] == VarKind::Stock {
                // value = last year's value + change
                let r = c.result;
                body.push(Op {
                    code: Code::Add,
                    dst,
                    a: prev,
                    b: r,
                    c: 0,
                    d: 0,
                });
            } else if c.result_is_last_op && !body.is_empty() {
                body.last_mut().expect("not empty").dst = dst;
            } else {
                body.push(Op {
                    code: Code::Copy,
                    dst,
                    a: c.result,
                    b: 0,
                    c: 0,
                    d: 0,
                });
            }
            ops.extend(body);
        }
        ops
    };
    let mut init_ops = link(&init_code, &init_order.0, false);
    let mut step_ops = link(&step_code, &step_order.0, true);

    let temp_base = (1 + n_levers + 2 * n_vars) as u32;
    let const_base = temp_base + n_temps as u32;
    let fix = |x: u32| match x & TAG_MASK {
        TAG_TEMP => temp_base + (x & !TAG_MASK),
        TAG_CONST => const_base + (x & !TAG_MASK),
        _ => x,
    };
    for op in init_ops.iter_mut().chain(step_ops.iter_mut()) {
        op.dst = fix(op.dst);
        op.a = fix(op.a);
        if op.code != Code::Lookup {
            op.b = fix(op.b);
        }
        op.c = fix(op.c);
    }

    let temps = temp_base..const_base;
    let consts_range = const_base..const_base + env.consts.len() as u32;
    let init_ops = fuse(init_ops, &temps);
    // A variable set from a constant keeps its value from the first year on.
    let step_ops: Vec<Op> = step_ops
        .into_iter()
        .filter(|o| !(o.code == Code::Copy && consts_range.contains(&o.a)))
        .collect();
    let step_ops = fuse(step_ops, &temps);

    // The simulator skips bounds checks on the strength of these two facts.
    let n_slots = const_base as usize + env.consts.len();
    let mut max_slot = (1 + n_levers + 2 * n_vars).saturating_sub(1);
    for op in init_ops.iter().chain(&step_ops) {
        let mut slots = vec![op.dst, op.a];
        match op.code {
            Code::Lookup => assert!((op.b as usize) < tables.len(), "lookup table index"),
            Code::Select | Code::Clamp | Code::MulDiv | Code::Add3 => slots.extend([op.b, op.c]),
            Code::SelLt | Code::SelGe => slots.extend([op.b, op.c, op.d]),
            _ => slots.push(op.b),
        }
        for s in slots {
            max_slot = max_slot.max(s as usize);
        }
    }
    assert!(max_slot < n_slots, "every slot is inside the register file");

    let uses = step_code
        .iter()
        .map(|c| {
            let mut u: Vec<usize> = c
                .as_ref()
                .map(|c| c.deps.iter().map(|d| d.0).collect())
                .unwrap_or_default();
            u.sort_unstable();
            u.dedup();
            u
        })
        .collect();

    Ok(CompiledModel {
        years,
        n_levers,
        n_vars,
        n_temps,
        consts: env.consts,
        init_ops,
        step_ops,
        data,
        tables,
        max_slot,
        var_index: m
            .variables
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id.clone(), i))
            .collect(),
        lever_index: m
            .levers
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.clone(), i))
            .collect(),
        uses,
        model,
    })
}

/// Fuses an op into the next one where the next is its only reader: every
/// temporary is written once and read once, by the op that follows when the
/// two are fused. The arithmetic and its order stay the same, so results are
/// identical bit for bit; only the number of dispatches falls.
fn fuse(ops: Vec<Op>, temps: &std::ops::Range<u32>) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::with_capacity(ops.len());
    for op in ops {
        if let Some(prev) = out.last().copied() {
            let t = prev.dst;
            if temps.contains(&t) {
                let fused = match (prev.code, op.code) {
                    (Code::Mul, Code::Div) if op.a == t && op.b != t => Some(Op {
                        code: Code::MulDiv,
                        dst: op.dst,
                        a: prev.a,
                        b: prev.b,
                        c: op.b,
                        d: 0,
                    }),
                    (Code::Add, Code::Add) if op.a == t && op.b != t => Some(Op {
                        code: Code::Add3,
                        dst: op.dst,
                        a: prev.a,
                        b: prev.b,
                        c: op.b,
                        d: 0,
                    }),
                    // IEEE addition is commutative: c + (a + b) == (a + b) + c.
                    (Code::Add, Code::Add) if op.b == t && op.a != t => Some(Op {
                        code: Code::Add3,
                        dst: op.dst,
                        a: prev.a,
                        b: prev.b,
                        c: op.a,
                        d: 0,
                    }),
                    (Code::Lt | Code::Ge, Code::Select) if op.a == t && op.b != t && op.c != t => {
                        Some(Op {
                            code: if prev.code == Code::Lt {
                                Code::SelLt
                            } else {
                                Code::SelGe
                            },
                            dst: op.dst,
                            a: prev.a,
                            b: prev.b,
                            c: op.b,
                            d: op.c,
                        })
                    }
                    _ => None,
                };
                if let Some(f) = fused {
                    *out.last_mut().expect("not empty") = f;
                    continue;
                }
            }
        }
        out.push(op);
    }
    out
}

/// Linear between points, flat beyond the ends.
pub fn interpolate(points: &[(i32, f64)], year: f64) -> f64 {
    let first = points[0];
    let last = points[points.len() - 1];
    if year <= first.0 as f64 {
        return first.1;
    }
    if year >= last.0 as f64 {
        return last.1;
    }
    for w in points.windows(2) {
        let (y0, v0) = (w[0].0 as f64, w[0].1);
        let (y1, v1) = (w[1].0 as f64, w[1].1);
        if year <= y1 {
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0);
        }
    }
    last.1
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

fn expr_error(var: &str, field: &str, e: ExprError) -> ModelError {
    let kind = match e.kind {
        ExprErrorKind::Syntax => ErrorKind::Syntax,
        ExprErrorKind::UnknownName => ErrorKind::UnknownName,
        ExprErrorKind::Arity => ErrorKind::Arity,
        ExprErrorKind::Misuse => ErrorKind::Misuse,
    };
    ModelError::new(kind, Item::Variable(var.to_string()), field, e.message).with_span(e.span)
}

/// One equation's code, before slots are fixed.
struct Compiled {
    ops: Vec<Op>,
    result: u32,
    result_is_last_op: bool,
    n_temps: u32,
    /// Variables read in the same year, with where.
    deps: Vec<(usize, Span)>,
}

struct Env<'a> {
    names: &'a HashMap<&'a str, Name>,
    kinds: &'a [VarKind],
    model: &'a Model,
    tables: &'a [Table],
    consts: Vec<f64>,
    const_index: HashMap<u64, u32>,
    n_levers: usize,
    n_vars: usize,
}

struct Eq {
    init: bool,
    ops: Vec<Op>,
    temps: u32,
    deps: Vec<(usize, Span)>,
    errors: Vec<ExprError>,
}

impl Env<'_> {
    fn compile_eq(
        &mut self,
        e: &Expr,
        init: bool,
        var: usize,
        errors: &mut Vec<ModelError>,
        field: &str,
    ) -> Option<Compiled> {
        let mut q = Eq {
            init,
            ops: Vec::new(),
            temps: 0,
            deps: Vec::new(),
            errors: Vec::new(),
        };
        let r = self.expr(&mut q, e);
        let id = &self.model.variables[var].id;
        if !q.errors.is_empty() {
            errors.extend(q.errors.into_iter().map(|x| expr_error(id, field, x)));
            return None;
        }
        let r = r?;
        let (result, last) = match r {
            Val::Temp(t) => (
                TAG_TEMP | t,
                q.ops.last().is_some_and(|o| o.dst == (TAG_TEMP | t)),
            ),
            Val::Slot(s) => (s, false),
            Val::Const(c) => (self.constant(c), false),
        };
        Some(Compiled {
            ops: q.ops,
            result,
            result_is_last_op: last,
            n_temps: q.temps,
            deps: q.deps,
        })
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

    fn emit(&mut self, q: &mut Eq, code: Code, args: &[Val]) -> Val {
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

    fn lookup(&mut self, q: &mut Eq, table: usize, x: Val) -> Val {
        let t = q.temps;
        q.temps += 1;
        let a = self.operand(x);
        q.ops.push(Op {
            code: Code::Lookup,
            dst: TAG_TEMP | t,
            a,
            b: table as u32,
            c: 0,
            d: 0,
        });
        Val::Temp(t)
    }

    fn expr(&mut self, q: &mut Eq, e: &Expr) -> Option<Val> {
        match &e.kind {
            ExprKind::Num(n) => Some(Val::Const(*n)),
            ExprKind::Name(n) => self.name(q, n, e.span),
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
                let code = match op {
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
                };
                Some(self.emit(q, code, &[a, b]))
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

    fn name(&mut self, q: &mut Eq, n: &str, span: Span) -> Option<Val> {
        if n == "year" {
            return Some(Val::Slot(YEAR_SLOT));
        }
        match self.names.get(n) {
            Some(Name::Lever(i)) => Some(Val::Slot((1 + i) as u32)),
            Some(Name::Var(i)) => {
                q.deps.push((*i, span));
                Some(Val::Slot((1 + self.n_levers + i) as u32))
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
                let message = if FUNCTIONS.iter().any(|f| f.0 == n) {
                    format!("`{n}` is a function: call it as `{n}(...)`")
                } else {
                    let candidates = self.names.keys().copied().chain(std::iter::once("year"));
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

    fn call(
        &mut self,
        q: &mut Eq,
        name: &str,
        name_span: Span,
        args: &[Expr],
        span: Span,
    ) -> Option<Val> {
        let arity_error = |q: &mut Eq, expected: &str| {
            q.errors.push(ExprError::new(
                ExprErrorKind::Arity,
                span,
                format!(
                    "`{name}` takes {expected}, not {} argument{}",
                    args.len(),
                    if args.len() == 1 { "" } else { "s" }
                ),
            ));
            None
        };
        if name == "prev" {
            return self.prev(q, args, span);
        }
        if let Some(Name::Table(t)) = self.names.get(name) {
            if args.len() != 1 {
                return arity_error(q, "1 argument");
            }
            let x = self.expr(q, &args[0])?;
            if let Val::Const(x) = x {
                return Some(Val::Const(self.tables[*t].eval(x)));
            }
            return Some(self.lookup(q, *t, x));
        }
        let Some((_, arities, _)) = FUNCTIONS.iter().find(|f| f.0 == name) else {
            let message = if self.names.contains_key(name) {
                format!("`{name}` is not a function or a lookup table")
            } else {
                let candidates = FUNCTIONS
                    .iter()
                    .map(|f| f.0)
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
            // Still check the arguments for their own errors.
            for a in args {
                self.expr(q, a);
            }
            return None;
        };
        if !arities.contains(&args.len()) {
            let expected = match *arities {
                [1] => "1 argument".to_string(),
                [n] => format!("{n} arguments"),
                [a, b] => format!("{a} or {b} arguments"),
                _ => "another number of arguments".to_string(),
            };
            for a in args {
                self.expr(q, a);
            }
            return arity_error(q, &expected);
        }
        let vals: Vec<Option<Val>> = args.iter().map(|a| self.expr(q, a)).collect();
        let vals: Vec<Val> = vals.into_iter().collect::<Option<_>>()?;
        let all_const: Option<Vec<f64>> = vals
            .iter()
            .map(|v| match v {
                Val::Const(c) => Some(*c),
                _ => None,
            })
            .collect();
        // Fold pure functions of constants (not step/ramp: they read the year).
        if let Some(c) = &all_const {
            let folded = match (name, c.as_slice()) {
                ("min", [a, b]) => Some(a.min(*b)),
                ("max", [a, b]) => Some(a.max(*b)),
                ("clamp", [x, lo, hi]) => Some(x.max(*lo).min(*hi)),
                ("abs", [a]) => Some(a.abs()),
                ("exp", [a]) => Some(a.exp()),
                ("ln", [a]) => Some(a.ln()),
                ("sqrt", [a]) => Some(a.sqrt()),
                ("pow", [a, b]) => Some(a.powf(*b)),
                ("round", [a]) => Some(a.round()),
                _ => None,
            };
            if let Some(v) = folded {
                return Some(Val::Const(v));
            }
        }
        let year = Val::Slot(YEAR_SLOT);
        Some(match (name, vals.as_slice()) {
            ("min", [a, b]) => self.emit(q, Code::Min, &[*a, *b]),
            ("max", [a, b]) => self.emit(q, Code::Max, &[*a, *b]),
            ("clamp", [x, lo, hi]) => self.emit(q, Code::Clamp, &[*x, *lo, *hi]),
            ("abs", [a]) => self.emit(q, Code::Abs, &[*a]),
            ("exp", [a]) => self.emit(q, Code::Exp, &[*a]),
            ("ln", [a]) => self.emit(q, Code::Ln, &[*a]),
            ("sqrt", [a]) => self.emit(q, Code::Sqrt, &[*a]),
            ("pow", [a, b]) => self.emit(q, Code::Pow, &[*a, *b]),
            ("round", [a]) => self.emit(q, Code::Round, &[*a]),
            ("step", [h, y0]) => {
                let on = self.emit(q, Code::Ge, &[year, *y0]);
                self.emit(q, Code::Select, &[on, *h, Val::Const(0.0)])
            }
            ("ramp", [s, y0]) => {
                let d = self.emit(q, Code::Sub, &[year, *y0]);
                let d = self.emit(q, Code::Max, &[d, Val::Const(0.0)]);
                self.emit(q, Code::Mul, &[*s, d])
            }
            ("ramp", [s, y0, y1]) => {
                let y = self.emit(q, Code::Min, &[year, *y1]);
                let d = self.emit(q, Code::Sub, &[y, *y0]);
                let d = self.emit(q, Code::Max, &[d, Val::Const(0.0)]);
                self.emit(q, Code::Mul, &[*s, d])
            }
            _ => unreachable!("arity checked above"),
        })
    }

    /// `prev(x)` / `prev(x, first)`: x's value in the previous year.
    fn prev(&mut self, q: &mut Eq, args: &[Expr], span: Span) -> Option<Val> {
        if args.is_empty() || args.len() > 2 {
            q.errors.push(ExprError::new(
                ExprErrorKind::Arity,
                span,
                format!(
                    "`prev` takes 1 or 2 arguments (prev(x) or prev(x, first)), not {}",
                    args.len()
                ),
            ));
            return None;
        }
        let target = &args[0];
        let ExprKind::Name(n) = &target.kind else {
            q.errors.push(ExprError::new(
                ExprErrorKind::Misuse,
                target.span,
                "`prev` takes the name of a variable, as in `prev(jobs)`".into(),
            ));
            return None;
        };
        let var = match self.names.get(n.as_str()) {
            Some(Name::Var(i)) => *i,
            _ => {
                // Reuse the unknown-name message and its suggestion.
                if n == "year" || !self.names.contains_key(n.as_str()) {
                    self.name(q, n, target.span);
                    if n == "year" {
                        q.errors.push(ExprError::new(
                            ExprErrorKind::Misuse,
                            target.span,
                            "`prev(year)` is simply `year - 1`".into(),
                        ));
                    }
                } else {
                    q.errors.push(ExprError::new(
                        ExprErrorKind::Misuse,
                        target.span,
                        format!("`prev` reads a variable's past value; `{n}` is not a variable"),
                    ));
                }
                return None;
            }
        };
        let first = if args.len() == 2 {
            // Compile the first-year value in both passes so its errors show.
            let mut scratch = Eq {
                init: q.init,
                ops: Vec::new(),
                temps: q.temps,
                deps: Vec::new(),
                errors: Vec::new(),
            };
            let target = if q.init { &mut *q } else { &mut scratch };
            let v = self.expr(target, &args[1]);
            if !q.init {
                q.errors.append(&mut scratch.errors);
            }
            Some(v?)
        } else {
            None
        };
        if !q.init {
            return Some(Val::Slot((1 + self.n_levers + self.n_vars + var) as u32));
        }
        // The first year: no previous value exists.
        if let Some(v) = first {
            return Some(v);
        }
        match self.kinds[var] {
            VarKind::Stock => {
                // A stock's value before the first change is its initial value.
                q.deps.push((var, target.span));
                Some(Val::Slot((1 + self.n_levers + var) as u32))
            }
            VarKind::Data => {
                let VariableKind::Data { points } = &self.model.variables[var].kind else {
                    unreachable!()
                };
                if points.is_empty() {
                    return None;
                }
                Some(Val::Const(interpolate(
                    points,
                    (self.model.start_year - 1) as f64,
                )))
            }
            VarKind::Aux => {
                q.errors.push(ExprError::new(
                    ExprErrorKind::Misuse,
                    span,
                    format!(
                        "`prev({n})` has no value in the first year ({}): give one, as in `prev({n}, 0)`",
                        self.model.start_year
                    ),
                ));
                None
            }
        }
    }
}

/// Evaluation order for one program, and its loops.
#[allow(clippy::type_complexity)]
fn order(
    m: &Model,
    code: &[Option<Compiled>],
    kinds: &[VarKind],
    stock_field: &str,
    errors: &mut Vec<ModelError>,
    already_reported: &[Vec<usize>],
) -> (Vec<usize>, Vec<Vec<usize>>) {
    let n = code.len();
    let adj: Vec<Vec<usize>> = code
        .iter()
        .map(|c| {
            c.as_ref()
                .map_or(Vec::new(), |c| c.deps.iter().map(|d| d.0).collect())
        })
        .collect();
    let sccs = tarjan(n, &adj);
    let mut order = Vec::with_capacity(n);
    let mut cycles = Vec::new();
    for comp in sccs {
        let looped = comp.len() > 1 || adj[comp[0]].contains(&comp[0]);
        if !looped {
            order.push(comp[0]);
            continue;
        }
        let mut sorted = comp.clone();
        sorted.sort_unstable();
        if already_reported.contains(&sorted) {
            cycles.push(sorted);
            continue;
        }
        // Walk the loop from its first variable in model order.
        let path = cycle_path(sorted[0], &sorted, &adj);
        let names: Vec<&str> = path.iter().map(|&i| m.variables[i].id.as_str()).collect();
        let first = path[0];
        let next = path.get(1).copied().unwrap_or(first);
        let span = code[first]
            .as_ref()
            .and_then(|c| c.deps.iter().find(|d| d.0 == next).map(|d| d.1));
        let mut msg = format!("circular definition: {}", names.join(" -> "));
        let others: Vec<&str> = sorted
            .iter()
            .filter(|i| !path.contains(i))
            .map(|&i| m.variables[i].id.as_str())
            .collect();
        if !others.is_empty() {
            msg.push_str(&format!(" (the loop also involves {})", others.join(", ")));
        }
        msg.push_str("; read one of them from the previous year with prev(...)");
        let field = match kinds[first] {
            VarKind::Stock => stock_field,
            _ => "equation",
        };
        let mut e = ModelError::new(
            ErrorKind::Cycle,
            Item::Variable(m.variables[first].id.clone()),
            field,
            msg,
        );
        e.span = span;
        errors.push(e);
        cycles.push(sorted);
    }
    (order, cycles)
}

/// A path `start -> ... -> start` inside one strongly connected component.
fn cycle_path(start: usize, comp: &[usize], adj: &[Vec<usize>]) -> Vec<usize> {
    // Breadth-first search back to `start`, staying inside the component.
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &adj[v] {
            if !comp.contains(&w) {
                continue;
            }
            if w == start {
                let mut path = vec![v];
                let mut x = v;
                while x != start {
                    x = parent[&x];
                    path.push(x);
                }
                path.reverse();
                path.push(start);
                return path;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(w) {
                e.insert(v);
                queue.push_back(w);
            }
        }
    }
    vec![start, start]
}

/// Strongly connected components, dependencies first. Iterative: no model,
/// however long its chains, can overflow the stack.
fn tarjan(n: usize, adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut sccs = Vec::new();
    let mut next = 0;
    let mut call: Vec<(usize, usize)> = Vec::new();
    for s in 0..n {
        if index[s] != UNSEEN {
            continue;
        }
        index[s] = next;
        low[s] = next;
        next += 1;
        stack.push(s);
        on_stack[s] = true;
        call.push((s, 0));
        while let Some(&(v, ei)) = call.last() {
            if ei < adj[v].len() {
                call.last_mut().expect("not empty").1 += 1;
                let w = adj[v][ei];
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(u, _)) = call.last() {
                    low[u] = low[u].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    sccs.push(comp);
                }
            }
        }
    }
    sccs
}
