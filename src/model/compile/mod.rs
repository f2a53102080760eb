//! Model -> compiled model: names resolved to slots, equations flattened into
//! one straight-line program per year, in dependency order.
//!
//! The program works on a register file of `f64` slots laid out as
//! `[year][levers][variables this year][variables last year][temporaries][constants]`,
//! where "variables" are the model's, then the hidden ones the compiler adds
//! for stateful calls (`init`, smooths, delays, `trend`, `forecast`:
//! `codegen::Hidden`),
//! which runs never report.
//! Running it again with other lever values needs no recompilation, and the
//! same program runs several lever sets at once, one lane per set (`sim.rs`).
//!
//! The stages, one module each:
//! - `codegen`: each equation to ops (names, calls, `prev`, lookups, folding);
//! - `order`: the evaluation order of the variables, and the loops reported;
//! - this module: linking the equations into one program per year and laying
//!   out its slots;
//! - `fuse`: pairs of ops fused into one;
//! - `program`: what comes out, the ops, tables and slot layout `sim.rs` runs.

pub mod arrays;
mod clock;
pub(crate) mod codegen;
mod fuse;
mod order;
pub(crate) mod program;

use std::collections::HashMap;
use std::sync::Arc;

use super::def::{Model, VariableKind};
use super::error::{Item, ModelError, ModelErrors};
use super::units::UnitWarning;
use super::validate::validate;
pub use arrays::{LeverSeries, Series};
use codegen::{Compiled, VarKind};
use program::{DataSeries, Layout};
use std::borrow::Cow;

pub use clock::Clock;
pub(crate) use clock::{Rk4, RkStock};
pub use program::interpolate;
pub(crate) use program::{Code, Op, Table, YEAR_SLOT};

/// A model ready to run. Cheap to clone (shares the definition).
#[derive(Clone, Debug)]
pub struct CompiledModel {
    pub(crate) model: Arc<Model>,
    /// The saved times: what runs report.
    pub(crate) times: Vec<f64>,
    pub(crate) clock: Clock,
    /// For Runge-Kutta: each stock's flows and the program without stocks.
    pub(crate) rk4: Option<clock::Rk4>,
    /// Seeds the random functions' draws (`set_seed`).
    pub(crate) seed: u64,
    /// The file the model was imported from, unedited (`set_origin`).
    origin: Option<Origin>,
    /// For a model that declares no charts: `Model::default_charts`.
    default_charts: Vec<crate::model::def::Chart>,
    pub(crate) n_levers: usize,
    /// The model's variables: what runs report.
    pub(crate) n_vars: usize,
    /// The hidden variables the compiler added (`codegen::Hidden`), whose
    /// slots follow the model's: they run but are never reported.
    pub(crate) n_hidden: usize,
    pub(crate) n_temps: usize,
    pub(crate) consts: Vec<f64>,
    pub(crate) init_ops: Vec<Op>,
    pub(crate) step_ops: Vec<Op>,
    /// The variables (with the hidden ones) whose last-step value the step
    /// program reads, as runs of indices: all a step carries to the next
    /// (`carried`). The others' last-step slots are never read.
    pub(crate) carried: Vec<std::ops::Range<usize>>,
    pub(crate) data: Vec<DataSeries>,
    pub(crate) tables: Vec<Table>,
    /// The largest slot any op names: the simulator relies on it.
    pub(crate) max_slot: usize,
    var_index: HashMap<String, usize>,
    lever_index: HashMap<String, usize>,
    /// For each variable, the variables it uses in the same year.
    uses: Vec<Vec<usize>>,
    /// What the units check found: warnings, the model runs anyway.
    warnings: Vec<UnitWarning>,
    /// What each variable of a run is: a model variable, or one element of
    /// an arrayed one.
    series: Vec<Series>,
    /// The levers a run takes, in order: the model's, each element of an
    /// arrayed one a lever of its own (`training_growth[crm]`).
    levers: Vec<crate::model::def::Lever>,
    /// What each of those levers is.
    lever_series: Vec<LeverSeries>,
    /// The backend chosen (`set_backend`).
    pub(crate) backend: crate::model::sim::Backend,
    /// Native code for batches and Monte Carlo blocks too (`set_jit_batches`).
    pub(crate) jit_batches: bool,
    /// Native code for the programs, built on demand, shared by clones
    /// (`sim::backend`).
    pub(crate) natives: Arc<crate::model::sim::Natives>,
}

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

    /// The times a run saves, in the model's time unit.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// Seeds the random functions (`random_uniform`...): runs with the
    /// same seed draw the same numbers, on any machine. A scenario's seed
    /// (`monte_carlo.seed`) is set when it is opened.
    pub fn set_seed(&mut self, seed: u64) {
        self.seed = seed;
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Marks the model as read from another tool's file (XMILE, Vensim),
    /// unedited: a scenario saved over it refers to that file, as it refers
    /// to a shipped model, instead of carrying the model. An edit compiles
    /// a new model, without an origin.
    pub fn set_origin(&mut self, origin: Origin) {
        self.origin = Some(origin);
    }

    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }

    /// The charts the model declares, or its stocks' when it declares none.
    pub fn charts(&self) -> &[crate::model::def::Chart] {
        if self.model.charts.is_empty() {
            &self.default_charts
        } else {
            &self.model.charts
        }
    }

    /// The time grid: start, step, number of steps, saved steps.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The number of variables a run reports: the model's, each element
    /// of an arrayed one counted.
    pub fn n_vars(&self) -> usize {
        self.n_vars
    }

    /// What run variable `v` is: its id (`jobs`, `jobs[crm]`), label,
    /// unit and model variable.
    pub fn series(&self, v: usize) -> &Series {
        &self.series[v]
    }

    /// The run variables a chart of `ids` shows: each id a variable, an
    /// element (`jobs[crm]`), or an arrayed variable (all its elements);
    /// ids the model does not have are left out.
    pub fn chart_series(&self, ids: &[String]) -> Vec<usize> {
        ids.iter()
            .flat_map(|id| match self.var_index(id) {
                Some(v) => v..v + 1,
                None => self.var_range(id),
            })
            .collect()
    }

    /// The run variables of model variable `id`: one, or an arrayed
    /// variable's elements in order (none for an unknown id).
    pub fn var_range(&self, id: &str) -> std::ops::Range<usize> {
        let Some(var) = self.model.variables.iter().position(|v| v.id == id) else {
            return 0..0;
        };
        let start = self.series.partition_point(|s| s.var < var);
        let end = self.series.partition_point(|s| s.var <= var);
        start..end
    }

    pub fn var_index(&self, id: &str) -> Option<usize> {
        self.var_index.get(id).copied()
    }

    pub fn lever_index(&self, id: &str) -> Option<usize> {
        self.lever_index.get(id).copied()
    }

    /// The levers a run takes, in the order of its lever values: the
    /// model's, each element of an arrayed one a lever of its own, with
    /// its flat id (`training_growth[crm]`), label and default. Index
    /// these with lever indices, never `model().levers`.
    pub fn levers(&self) -> &[crate::model::def::Lever] {
        &self.levers
    }

    /// What run lever `i` is: its model lever and element.
    pub fn lever_series(&self, i: usize) -> &LeverSeries {
        &self.lever_series[i]
    }

    /// The run levers of model lever `id`: one, or an arrayed lever's
    /// elements in order (none for an unknown id).
    pub fn lever_range(&self, id: &str) -> std::ops::Range<usize> {
        match self.model.levers.iter().position(|l| l.id == id) {
            Some(l) => self.lever_elements(l),
            None => 0..0,
        }
    }

    /// The run levers of model lever `l` (`model().levers[l]`).
    pub fn lever_elements(&self, l: usize) -> std::ops::Range<usize> {
        let start = self.lever_series.partition_point(|s| s.lever < l);
        let end = self.lever_series.partition_point(|s| s.lever <= l);
        start..end
    }

    /// Where the model's units do not add up (`model::units`), in model
    /// order: warnings, never a reason not to run.
    pub fn warnings(&self) -> &[UnitWarning] {
        &self.warnings
    }

    /// Gives each warning its line and column in the model's RON `text`.
    pub fn locate_warnings(&mut self, text: &str, file: Option<&std::path::Path>) {
        crate::io::locate_each(self.warnings.iter_mut().map(|w| &mut w.error), text, file);
    }

    /// The variables that `var` uses in the same year.
    pub fn uses(&self, var: usize) -> &[usize] {
        &self.uses[var]
    }

    /// Number of instructions run per year after the first, for reports.
    pub fn ops_per_year(&self) -> usize {
        self.step_ops.len()
    }

    fn layout(&self) -> Layout {
        Layout {
            n_levers: self.n_levers,
            n_vars: self.n_vars + self.n_hidden,
            n_temps: self.n_temps,
            n_consts: self.consts.len(),
        }
    }

    pub(crate) fn lever_base(&self) -> usize {
        self.layout().lever(0) as usize
    }
    pub(crate) fn cur_base(&self) -> usize {
        self.layout().cur(0) as usize
    }
    pub(crate) fn prev_base(&self) -> usize {
        self.layout().prev(0) as usize
    }
    pub(crate) fn const_base(&self) -> usize {
        self.layout().const_base() as usize
    }
    pub(crate) fn n_slots(&self) -> usize {
        self.layout().n_slots()
    }
}

/// Where an imported model came from: its file and a hash of its content
/// ([`content_hash`]), so that a scenario can tell when the file changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub path: std::path::PathBuf,
    pub hash: String,
}

/// A file content's hash, `fnv1a64:` and 16 hex digits (FNV-1a, 64 bits):
/// enough to see that a file changed, not a defence against forgery.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("fnv1a64:{h:016x}")
}

/// The random functions' seed until one is set: a new scenario's
/// (`scenario::MonteCarlo::default`).
pub const DEFAULT_SEED: u64 = 1;

/// Compiles a model: every problem found is returned, not only the first.
pub fn compile(model: Model) -> Result<CompiledModel, ModelErrors> {
    compile_shared(Arc::new(model))
}

/// The model's validation problems and its clock's; refused at once when
/// an id is duplicated or invalid, which makes name resolution meaningless.
fn validated(model: &Model) -> Result<Vec<ModelError>, ModelErrors> {
    let mut errors = validate(model);
    if let Some(problem) = clock::schedule_problem(model) {
        errors.push(ModelError::new(
            super::error::ErrorKind::Invalid,
            Item::Model,
            "schedule",
            problem,
        ));
    }
    if errors
        .iter()
        .any(|e| e.field == "id" && !matches!(e.item, Item::Target(_)))
    {
        return Err(ModelErrors(errors));
    }
    Ok(errors)
}

pub fn compile_shared(model: Arc<Model>) -> Result<CompiledModel, ModelErrors> {
    let mut errors = validated(&model)?;
    // An arrayed model runs as its flat model: one variable per element.
    let arrayed = !model.dimensions.is_empty()
        || model.variables.iter().any(|v| !v.dimensions.is_empty())
        || model.levers.iter().any(|l| !l.dimensions.is_empty())
        || model.lookups.iter().any(|t| !t.dimensions.is_empty());
    let flat = arrayed.then(|| arrays::expand(&model, &mut errors));
    // Without its dimensions nothing else of the model can be read.
    if flat.is_some() && errors.iter().any(|e| e.field == "dimensions") {
        return Err(ModelErrors(errors));
    }
    let (m, trees, series, lever_series) = match flat {
        Some(f) => (
            Cow::Owned(f.model),
            Some((f.trees, f.from_override)),
            f.series,
            f.levers,
        ),
        None => (
            Cow::Borrowed(&*model),
            None,
            Series::of_scalars(&model),
            LeverSeries::of_scalars(&model),
        ),
    };
    let m = &*m;
    let (trees, from_override) = trees.unzip();
    let clock = Clock::of(m);
    let mut kinds: Vec<VarKind> = m.variables.iter().map(|v| VarKind::of(&v.kind)).collect();
    let tables = tables(m);
    let mut data = data_series(m, &clock);

    // Each equation to ops, for the first year and for the years after.
    let eqs = codegen::equations(
        m,
        trees,
        clock.dt,
        clock.is_scheduled(),
        &kinds,
        &tables,
        &mut errors,
    );
    // On a changing clock, the step in force at each step.
    if let Some(var) = eqs.dt_var {
        data.push(DataSeries {
            var,
            values: (0..=clock.n_steps).map(|k| clock.step_at(k)).collect(),
        });
    }
    // Hidden variables are stocks or auxiliaries for the order and linking.
    kinds.extend(eqs.hidden.iter().map(|h| h.kind));
    let names = order::Names::new(m, &eqs.hidden);

    // Order each program by dependencies; report loops.
    let step_order = order::order(&names, &eqs.step, &kinds, "change", &mut errors, &[]);
    let init_order = order::order(
        &names,
        &eqs.init,
        &kinds,
        "initial",
        &mut errors,
        &step_order.cycles,
    );

    if !errors.is_empty() {
        if let Some(fo) = &from_override {
            errors = on_variables(errors, &model, &series, fo);
        }
        return Err(ModelErrors(errors));
    }

    let n_vars = m.variables.len();
    let mut consts = eqs.consts;
    let stock = StockStep::new(m, &clock, eqs.dt_var, &mut consts);
    let mut layout = Layout {
        n_levers: m.levers.len(),
        n_vars: n_vars + eqs.hidden.len(),
        n_temps: 0,
        n_consts: consts.len(),
    };
    let init_ops = link(&layout, &eqs.init, &init_order.vars, &kinds, None);
    let step_ops = link(&layout, &eqs.step, &step_order.vars, &kinds, Some(&stock));
    let rk4 = clock::Rk4::new(m, &clock, &eqs.step, &kinds, |skip| {
        let order: Vec<usize> = step_order
            .vars
            .iter()
            .copied()
            .filter(|&i| !skip(i))
            .collect();
        link(&layout, &eqs.step, &order, &kinds, Some(&stock))
    });
    layout.n_temps = [(&eqs.init, &init_order.vars), (&eqs.step, &step_order.vars)]
        .into_iter()
        .flat_map(|(code, order)| order.iter().filter_map(|&i| code[i].as_ref()))
        .map(|c| c.n_temps as usize)
        .max()
        .unwrap_or(0);
    let (init_ops, step_ops, rk4, max_slot) =
        place_programs(&layout, (init_ops, step_ops), rk4, tables.len());
    let carried = carried(&step_ops, &layout);

    Ok(CompiledModel {
        times: clock.saved_times(),
        clock,
        rk4,
        seed: DEFAULT_SEED,
        origin: None,
        // The model's own variables, not their elements: a chart each.
        default_charts: if model.charts.is_empty() {
            model.default_charts()
        } else {
            Vec::new()
        },
        n_levers: layout.n_levers,
        n_vars,
        n_hidden: eqs.hidden.len(),
        n_temps: layout.n_temps,
        consts,
        init_ops,
        step_ops,
        carried,
        data,
        tables,
        max_slot,
        var_index: index(m.variables.iter().map(|v| &v.id)),
        lever_index: index(m.levers.iter().map(|l| &l.id)),
        uses: uses(&eqs.step[..n_vars]),
        warnings: crate::model::units::check_units(&model),
        series,
        levers: m.levers.clone(),
        lever_series,
        model,
        backend: crate::model::sim::Backend::from_env(),
        jit_batches: false,
        natives: Arc::default(),
    })
}

/// Errors of the flat model said on the model's own variables: `jobs[crm]`
/// becomes variable `jobs`, the element named in the message; the same
/// problem in several elements is said once, naming them.
fn on_variables(
    errors: Vec<ModelError>,
    model: &Model,
    series: &[Series],
    from_override: &[[bool; 2]],
) -> Vec<ModelError> {
    let problems = errors.into_iter().map(|mut e| {
        let flat = match &e.item {
            Item::Variable(id) => series.iter().position(|s| s.id == *id),
            _ => None,
        };
        let Some(f) = flat.filter(|&f| series[f].id != model.variables[series[f].var].id) else {
            return (e, None);
        };
        e.item = Item::Variable(model.variables[series[f].var].id.clone());
        let field = usize::from(e.field == "change");
        if from_override[f][field] {
            e.field = "by_element".into();
            e.span = None;
        }
        (e, Some(series[f].id.clone()))
    });
    arrays::merge_by_element(problems.collect())
}

/// The model's lookup tables, as the program evaluates them.
fn tables(m: &Model) -> Vec<Table> {
    m.lookups
        .iter()
        .map(|t| Table {
            xs: t.points.iter().map(|p| p.0).collect(),
            ys: t.points.iter().map(|p| p.1).collect(),
            mode: t.mode,
        })
        .collect()
}

/// Each data variable's value at every time step of the run.
fn data_series(m: &Model, clock: &Clock) -> Vec<DataSeries> {
    m.variables
        .iter()
        .enumerate()
        .filter_map(|(i, v)| match &v.kind {
            VariableKind::Data { points } if !points.is_empty() => Some(DataSeries {
                var: i,
                values: (0..=clock.n_steps)
                    .map(|k| interpolate(points, clock.time(k)))
                    .collect(),
            }),
            _ => None,
        })
        .collect()
}

/// How a stock steps: `value = last value + dt * change`, then held at
/// zero or above for the non-negative ones. `dt` and zero are constants of
/// the pool (tagged slots until layout); on a changing clock `dt` is the
/// step just taken, last step's value of the hidden step variable.
struct StockStep {
    /// `None` when dt is 1: the change is added as it is, the one op of
    /// every model before the time axis, and the same bits.
    dt: Option<u32>,
    zero: u32,
    non_negative: Vec<bool>,
}

impl StockStep {
    fn new(m: &Model, clock: &Clock, dt_var: Option<usize>, consts: &mut Vec<f64>) -> StockStep {
        let mut pool = |x: f64| {
            consts.push(x);
            program::TAG_CONST | (consts.len() - 1) as u32
        };
        let dt = match dt_var {
            Some(h) => Some(program::TAG_PREV | h as u32),
            None => (clock.dt != 1.0).then(|| pool(clock.dt)),
        };
        StockStep {
            dt,
            zero: pool(0.0),
            non_negative: m
                .variables
                .iter()
                .map(|v| matches!(v.kind, VariableKind::Stock { non_negative, .. } if non_negative))
                .collect(),
        }
    }

    fn ops(&self, ops: &mut Vec<Op>, i: usize, dst: u32, prev: u32, change: u32) {
        match self.dt {
            None => ops.push(Op::new(Code::Add, dst, prev, change)),
            Some(dt) => ops.push(Op {
                c: dt,
                ..Op::new(Code::MulAdd, dst, prev, change)
            }),
        }
        if self.non_negative.get(i).copied().unwrap_or(false) {
            ops.push(Op::new(Code::Max, dst, dst, self.zero));
        }
    }
}

/// One program from the equations, in `order`: each variable's ops, then its
/// result stored in its slot. In the steps after the first (`stock`) a
/// stock adds its change times dt to its last value.
fn link(
    layout: &Layout,
    code: &[Option<Compiled>],
    order: &[usize],
    kinds: &[VarKind],
    stock: Option<&StockStep>,
) -> Vec<Op> {
    let mut ops = Vec::new();
    for &i in order {
        let Some(c) = &code[i] else { continue };
        let dst = layout.cur(i);
        ops.extend_from_slice(&c.ops);
        if let (Some(s), VarKind::Stock) = (stock, kinds[i]) {
            s.ops(&mut ops, i, dst, layout.prev(i), c.result);
        } else if c.result_is_last_op && !c.ops.is_empty() {
            ops.last_mut().expect("not empty").dst = dst;
        } else {
            ops.push(Op::new(Code::Copy, dst, c.result, 0));
        }
    }
    ops
}

/// The last touches on placed programs: a variable set from a constant keeps
/// its value from the first year on, so the later years need not copy it
/// again; then pairs of ops are fused.
fn finish(init_ops: Vec<Op>, step_ops: Vec<Op>, layout: &Layout) -> (Vec<Op>, Vec<Op>) {
    let temps = layout.temp_base()..layout.const_base();
    let consts = layout.const_base()..layout.n_slots() as u32;
    let init_ops = fuse::fuse(init_ops, &temps);
    // Copies into temporaries (an argument block, `Emit::op_on_block`)
    // stay: temporaries are shared, so each step must write them again.
    let step_ops: Vec<Op> = step_ops
        .into_iter()
        .filter(|o| !(o.code == Code::Copy && consts.contains(&o.a) && !temps.contains(&o.dst)))
        .collect();
    let step_ops = fuse::fuse(step_ops, &temps);
    (init_ops, step_ops)
}

/// The linked programs placed in the register file, finished (fused) and
/// checked, with the largest slot any of them names.
fn place_programs(
    layout: &Layout,
    (mut init_ops, mut step_ops): (Vec<Op>, Vec<Op>),
    rk4: Option<clock::Rk4>,
    n_tables: usize,
) -> (Vec<Op>, Vec<Op>, Option<clock::Rk4>, usize) {
    layout.place(&mut init_ops);
    layout.place(&mut step_ops);
    let (init_ops, step_ops) = finish(init_ops, step_ops, layout);
    let rk4 = rk4.map(|mut rk| {
        layout.place(&mut rk.aux_ops);
        rk.aux_ops = finish(Vec::new(), std::mem::take(&mut rk.aux_ops), layout).1;
        rk
    });
    let mut max_slot = check_slots(&init_ops, &step_ops, layout, n_tables);
    if let Some(rk) = &rk4 {
        max_slot = max_slot.max(check_slots(&[], &rk.aux_ops, layout, n_tables));
    }
    (init_ops, step_ops, rk4, max_slot)
}

/// The largest slot any op names. The simulator skips bounds checks on the
/// strength of the two facts asserted here.
fn check_slots(init_ops: &[Op], step_ops: &[Op], layout: &Layout, n_tables: usize) -> usize {
    let mut max_slot = (layout.temp_base() as usize).saturating_sub(1);
    for op in init_ops.iter().chain(step_ops) {
        if op.code == Code::Lookup {
            assert!((op.b as usize) < n_tables, "lookup table index");
        }
        for s in op.slots() {
            max_slot = max_slot.max(s as usize);
        }
    }
    assert!(
        max_slot < layout.n_slots(),
        "every slot is inside the register file"
    );
    max_slot
}

/// The variables whose last-step slot `step_ops` reads, as runs of
/// indices (runs less than four apart joined: one copy instead of two).
/// Under Euler a step copies only these to the next: in most models the
/// stocks, the delays and what `prev` reads, a fraction of the variables.
fn carried(step_ops: &[Op], layout: &Layout) -> Vec<std::ops::Range<usize>> {
    let (prev, n) = (layout.prev(0) as usize, layout.n_vars);
    let mut read = vec![false; n];
    for s in step_ops.iter().flat_map(Op::slots) {
        if let Some(v) = (s as usize).checked_sub(prev).filter(|&v| v < n) {
            read[v] = true;
        }
    }
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for v in (0..n).filter(|&v| read[v]) {
        match runs.last_mut() {
            Some(r) if v - r.end < 4 => r.end = v + 1,
            _ => runs.push(v..v + 1),
        }
    }
    runs
}

/// For each variable, the variables its equation reads in the same year.
fn uses(step_code: &[Option<Compiled>]) -> Vec<Vec<usize>> {
    step_code
        .iter()
        .map(|c| {
            // Hidden variables are the engine's business, not the model's.
            let n_vars = step_code.len();
            let mut u: Vec<usize> = c
                .as_ref()
                .map(|c| c.deps.iter().map(|d| d.0).filter(|&d| d < n_vars).collect())
                .unwrap_or_default();
            u.sort_unstable();
            u.dedup();
            u
        })
        .collect()
}

fn index<'a>(ids: impl Iterator<Item = &'a String>) -> HashMap<String, usize> {
    ids.enumerate().map(|(i, id)| (id.clone(), i)).collect()
}
