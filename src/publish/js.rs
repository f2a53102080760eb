//! A compiled model as JavaScript: a code generator from the register
//! program the desktop engine runs (`model::compile::program`), so that a
//! published page simulates the same model, op for op, with no second model
//! written by hand.
//!
//! [`model_js`] gives the text of a function expression,
//! `(function(){ ... })()`, evaluating to
//!
//! ```text
//! { nVars, nLevers, times, run(levers, seed) -> { values, problems } }
//! ```
//!
//! `nVars` the variables a run reports (hidden ones not counted), `nLevers`
//! the run's levers (`CompiledModel::levers`, arrayed ones expanded),
//! `times` a `Float64Array` of the saved times. `run` takes one number per
//! run lever, in order, and optionally a `BigInt` seed for the random
//! functions (the model's at generation when left out); it gives `values`,
//! a `Float64Array`, variable-major (`values[v * times.length + ti]`), and
//! `problems`, the first non-finite value of each variable as `{ var, time,
//! value }`, in `Run::problems`'s order.
//!
//! Each op becomes one statement over a `Float64Array` register file laid
//! out as the engine's (`[time][levers][vars this step][vars last step]
//! [temps][consts]`, then Runge-Kutta's stage values): `r[12] = r[3] * r[40];`,
//! constants written in place. The initial program, the step program and
//! Runge-Kutta's program without stocks are a function each; the step loop,
//! the clock (a changing step too), the saving rule and Runge-Kutta's stages
//! are `sim::simulate_with`'s and `sim::rk4`'s. Numbers are written in
//! Rust's shortest round-trip form, which JavaScript reads back to the same
//! bits. Where JavaScript's arithmetic differs from Rust's (`round`, `min`
//! and `max` with NaN, `powf`, the random draws' 64-bit mixing, lookups,
//! `allocate_available`) the generated code calls a helper of
//! `runtime.js`, ported from the engine; only the sections the model uses
//! are included. The elementary functions (`exp`, `ln`, `sin`...) are the
//! JavaScript engine's, which may differ from the platform's libm in the
//! last bit.

use std::fmt::Write as _;

use crate::model::compile::{Code, CompiledModel, Op, Rk4, YEAR_SLOT};
use crate::model::def::LookupMode;
use crate::model::expr::random::Dist;

/// The most statements in one generated function: JavaScript engines
/// compile a huge function without optimising it (V8 above about 60 KB of
/// bytecode), so a long program runs as calls to functions of this many.
const CHUNK: usize = 500;

/// The helpers the generated code calls, by section.
const RUNTIME: &str = include_str!("runtime.js");

/// A model the generator cannot write as JavaScript, and why: said on the
/// variable whose equation holds the construct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsRefusal {
    pub variable: String,
    pub reason: String,
}

impl std::fmt::Display for JsRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "variable `{}` cannot be written as JavaScript: {}",
            self.variable, self.reason
        )
    }
}

impl std::error::Error for JsRefusal {}

/// The model as JavaScript: a function expression text, `(function(){ ...
/// })()`, evaluating to the object the module's doc describes.
pub fn model_js(model: &CompiledModel) -> Result<String, JsRefusal> {
    let g = Gen::new(model);
    let mut used = Used::default();
    let init = g.program("init", &model.init_ops, &mut used)?;
    let step = match &model.rk4 {
        Some(rk) => g.program("step", &rk.aux_ops, &mut used)?,
        None => g.program("step", &model.step_ops, &mut used)?,
    };
    let mut out = String::from("(function(){\n\"use strict\";\n");
    out += &runtime(&used);
    out += &g.tables(&used);
    out += &g.draws(&used);
    out += &init;
    out += &step;
    out += &g.setup();
    out += &g.data();
    out += &g.clock();
    out += &g.save();
    if let Some(rk) = &model.rk4 {
        out += &g.rk4(rk);
    }
    out += &g.run(&used);
    out += "return { nVars: NV, nLevers: NL, times: TIMES, run: run };\n})()";
    Ok(out)
}

/// A number as JavaScript reads it back, to the bit: Rust's shortest
/// round-trip form (`{:?}`), a negative one in parentheses (so that `x -
/// (-1)` never reads as a decrement), NaN and the infinities by name.
fn num(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x == f64::INFINITY {
        "Infinity".into()
    } else if x == f64::NEG_INFINITY {
        "(-Infinity)".into()
    } else if x.is_sign_negative() {
        format!("({x:?})")
    } else {
        format!("{x:?}")
    }
}

/// `f64::min` (`sign` `<`) or `f64::max` (`>`) of `x` and `y`, written
/// inline (a call costs more than the comparison in an engine's
/// interpreter): a NaN operand gives the other one, as in Rust (`Math.min`
/// gives NaN). `y_number`: `y` is a constant other than NaN, which needs no
/// test.
fn min_max(x: &str, y: &str, y_number: bool, sign: &str) -> String {
    if y_number {
        format!("({x} {sign} {y} ? {x} : {y})")
    } else {
        format!("({x} {sign} {y} ? {x} : ({y} === {y} ? {y} : {x}))")
    }
}

/// Numbers as the text of a JavaScript array literal's items.
fn list(xs: impl IntoIterator<Item = f64>) -> String {
    let items: Vec<String> = xs.into_iter().map(num).collect();
    items.join(",")
}

/// What the programs call beyond plain arithmetic: which runtime sections
/// and which random draws the text needs.
#[derive(Default)]
struct Used {
    lookup: bool,
    allocate: bool,
    /// A random draw (`Code::Draw`).
    random: bool,
}

/// The model and the register file's layout, as the generator reads them.
struct Gen<'a> {
    m: &'a CompiledModel,
    /// Model variables and hidden ones: what is carried from step to step.
    all: usize,
    cur: usize,
    prev: usize,
    const_base: usize,
    /// The register file without Runge-Kutta's stage values.
    n_slots: usize,
    /// Whether constants are written in place of their slots: when no op
    /// writes one (always, in the compiler's programs).
    inline_consts: bool,
}

impl<'a> Gen<'a> {
    fn new(m: &'a CompiledModel) -> Gen<'a> {
        let const_base = m.const_base();
        let consts = const_base..const_base + m.consts.len();
        let aux = m.rk4.iter().flat_map(|rk| &rk.aux_ops);
        let writes_const = m
            .init_ops
            .iter()
            .chain(&m.step_ops)
            .chain(aux)
            .any(|op| consts.contains(&(op.dst as usize)));
        Gen {
            m,
            all: m.n_vars + m.n_hidden,
            cur: m.cur_base(),
            prev: m.prev_base(),
            const_base,
            n_slots: m.n_slots(),
            inline_consts: !writes_const,
        }
    }

    /// A slot read: a constant's value, or the register.
    fn read(&self, slot: u32) -> String {
        let s = slot as usize;
        match s.checked_sub(self.const_base) {
            Some(i) if self.inline_consts && i < self.m.consts.len() => num(self.m.consts[i]),
            _ => format!("r[{s}]"),
        }
    }

    /// Whether a slot read is a constant written in place that is a number
    /// (not NaN).
    fn is_number(&self, slot: u32) -> bool {
        let s = slot as usize;
        self.inline_consts
            && s.checked_sub(self.const_base)
                .and_then(|i| self.m.consts.get(i))
                .is_some_and(|c| !c.is_nan())
    }

    /// The variable whose equation op `i` of `ops` belongs to: the first
    /// variable slot written from `i` on (a variable's ops end by writing
    /// its slot).
    fn owner(&self, ops: &[Op], i: usize) -> String {
        let var = ops[i..]
            .iter()
            .map(|op| op.dst as usize)
            .find(|d| (self.cur..self.cur + self.all).contains(d))
            .map(|d| d - self.cur);
        match var {
            Some(v) if v < self.m.n_vars => self.m.series(v).id.clone(),
            Some(v) => format!("(hidden variable {})", v - self.m.n_vars),
            None => "(unknown)".into(),
        }
    }

    /// `function NAME(r) { ... }`: one statement per op, in functions of
    /// at most [`CHUNK`] statements that `NAME` calls in order when there
    /// are more.
    fn program(&self, name: &str, ops: &[Op], used: &mut Used) -> Result<String, JsRefusal> {
        let mut out = String::new();
        let chunks = ops.len().div_ceil(CHUNK);
        for (c, chunk) in ops.chunks(CHUNK).enumerate() {
            if chunks > 1 {
                let _ = writeln!(out, "function {name}_{c}(r) {{");
            } else {
                let _ = writeln!(out, "function {name}(r) {{");
            }
            // A clamp's intermediate value.
            out += "let x;\n";
            for (i, op) in chunk.iter().enumerate() {
                let expr = self.expr(op, used).map_err(|reason| JsRefusal {
                    variable: self.owner(ops, c * CHUNK + i),
                    reason,
                })?;
                let _ = writeln!(out, "r[{}] = {expr};", op.dst);
            }
            out += "}\n";
        }
        if chunks != 1 {
            let _ = writeln!(out, "function {name}(r) {{");
            for c in 0..chunks {
                let _ = writeln!(out, "  {name}_{c}(r);");
            }
            out += "}\n";
        }
        Ok(out)
    }

    /// What op `op` computes, as a JavaScript expression of the registers.
    fn expr(&self, op: &Op, used: &mut Used) -> Result<String, String> {
        let a = self.read(op.a);
        let b = || self.read(op.b);
        let c = || self.read(op.c);
        let d = || self.read(op.d);
        let cmp = |sign: &str| format!("({a} {sign} {} ? 1 : 0)", b());
        let call = |f: &str| format!("{f}({a})");
        Ok(match op.code {
            Code::Copy => a,
            Code::Add => format!("{a} + {}", b()),
            Code::Sub => format!("{a} - {}", b()),
            Code::Mul => format!("{a} * {}", b()),
            Code::Div => format!("{a} / {}", b()),
            Code::Pow => format!("pw({a}, {})", b()),
            Code::Lt => cmp("<"),
            Code::Le => cmp("<="),
            Code::Gt => cmp(">"),
            Code::Ge => cmp(">="),
            Code::Eq => cmp("==="),
            Code::Ne => cmp("!=="),
            Code::And => format!("({a} !== 0 && {} !== 0 ? 1 : 0)", b()),
            Code::Or => format!("({a} !== 0 || {} !== 0 ? 1 : 0)", b()),
            Code::Neg => format!("-{a}"),
            Code::Not => format!("({a} === 0 ? 1 : 0)"),
            Code::Min => min_max(&a, &b(), self.is_number(op.b), "<"),
            Code::Max => min_max(&a, &b(), self.is_number(op.b), ">"),
            Code::Abs => call("Math.abs"),
            Code::Exp => call("Math.exp"),
            Code::Ln => call("Math.log"),
            Code::Sqrt => call("Math.sqrt"),
            Code::Round => call("rnd"),
            Code::Floor => call("Math.floor"),
            Code::Mod => format!("fmod({a}, {})", b()),
            Code::Sin => call("Math.sin"),
            Code::Cos => call("Math.cos"),
            Code::Tan => call("Math.tan"),
            Code::Asin => call("Math.asin"),
            Code::Acos => call("Math.acos"),
            Code::Atan => call("Math.atan"),
            Code::Sinh => call("Math.sinh"),
            Code::Cosh => call("Math.cosh"),
            Code::Tanh => call("Math.tanh"),
            Code::Log10 => call("Math.log10"),
            Code::SafeDiv => format!("({} === 0 ? {} : {a} / {})", b(), c(), b()),
            Code::Xidz => format!("(Math.abs({}) < 1e-6 ? {} : {a} / {})", b(), c(), b()),
            Code::Select => format!("({a} !== 0 ? {} : {})", b(), c()),
            Code::Clamp => format!(
                "(x = {}, {})",
                min_max(&a, &b(), self.is_number(op.b), ">"),
                min_max("x", &c(), self.is_number(op.c), "<")
            ),
            Code::Lookup => {
                let t = self
                    .m
                    .tables
                    .get(op.b as usize)
                    .ok_or("a lookup names a table the model does not have")?;
                if t.xs.is_empty() || t.xs.len() != t.ys.len() {
                    return Err("a lookup table without points".into());
                }
                used.lookup = true;
                format!("lk(T{}, {a})", op.b)
            }
            Code::Draw => {
                if op.a as usize + op.b as usize > self.n_slots {
                    return Err("a random draw reads past the registers".into());
                }
                if Dist::from_code(op.d).is_none() {
                    return Err("a random draw of an unknown distribution".into());
                }
                used.random = true;
                format!("drw({}, r, {}, {}, RS, TB)", op.d, op.a, op.b)
            }
            Code::MulDiv => format!("{a} * {} / {}", b(), c()),
            Code::Add3 => format!("{a} + {} + {}", b(), c()),
            Code::MulAdd => format!("{a} + {} * {}", b(), c()),
            Code::SelLt => format!("({a} < {} ? {} : {})", b(), c(), d()),
            Code::SelGe => format!("({a} >= {} ? {} : {})", b(), c(), d()),
            Code::AllocateAvailable => {
                if op.a as usize + op.b as usize > self.n_slots {
                    return Err("an allocate_available call reads past the registers".into());
                }
                used.allocate = true;
                format!("alloc(r, {}, {})", op.a, op.b)
            }
        })
    }

    /// The lookup tables the programs read, `T0`, `T1`...
    fn tables(&self, used: &Used) -> String {
        let mut out = String::new();
        if !used.lookup {
            return out;
        }
        for (i, t) in self.m.tables.iter().enumerate() {
            let mode = match t.mode {
                LookupMode::Continuous => 0,
                LookupMode::Extrapolate => 1,
                LookupMode::Discrete => 2,
            };
            let _ = writeln!(
                out,
                "const T{i} = {{ xs: new Float64Array([{}]), ys: new Float64Array([{}]), mode: {mode} }};",
                list(t.xs.iter().copied()),
                list(t.ys.iter().copied())
            );
        }
        out
    }

    /// The random draws' state: the model's seed, the run's seed mixed
    /// once (`random::Stream::new`'s base), and the step's time bits `TB`.
    fn draws(&self, used: &Used) -> String {
        if !used.random {
            return String::new();
        }
        format!(
            "const SEED = {}n;\nlet RS = 0n;\nlet TB = 0n;\n",
            self.m.seed
        )
    }

    /// The register file's sizes and places, and `setup(r, levers)`: a
    /// fresh register file's levers and constants (`CompiledModel::prepare`).
    fn setup(&self) -> String {
        let m = self.m;
        let ns = m.rk4.as_ref().map_or(0, |rk| rk.stocks.len());
        let extra = if m.rk4.is_some() {
            self.all + 3 * ns
        } else {
            0
        };
        let mut out = format!(
            "const NV = {}, NL = {}, ALL = {}, CUR = {}, PREV = {}, LB = {};\n\
             const R = new Float64Array({});\n\
             const TIMES = new Float64Array([{}]);\n\
             const NT = TIMES.length;\n\
             function setup(r, levers) {{\n  r.fill(0);\n  \
             for (let l = 0; l < NL; l++) r[LB + l] = +levers[l];\n",
            m.n_vars,
            m.n_levers,
            self.all,
            self.cur,
            self.prev,
            m.lever_base(),
            self.n_slots + extra,
            list(m.times.iter().copied()),
        );
        for (i, c) in m.consts.iter().enumerate() {
            let _ = writeln!(out, "  r[{}] = {};", self.const_base + i, num(*c));
        }
        out += "}\n";
        out
    }

    /// The data variables' values at each step, `data(r, k)` setting them.
    fn data(&self) -> String {
        let mut out = String::new();
        for (i, d) in self.m.data.iter().enumerate() {
            let _ = writeln!(
                out,
                "const D{i} = new Float64Array([{}]);",
                list(d.values.iter().copied())
            );
        }
        out += "function data(r, k) {\n";
        for (i, d) in self.m.data.iter().enumerate() {
            let _ = writeln!(out, "  r[{}] = D{i}[k];", self.cur + d.var);
        }
        out += "}\n";
        out
    }

    /// The clock: `NS` steps after the first, `time(k)` step `k`'s time,
    /// `saves(k, i)` whether step `k` is saved as the `i`-th
    /// (`Clock::time`, `Clock::is_saved`). A changing clock's stretches
    /// are found by `Clock::segment`'s rule: the last one starting at or
    /// before `k`.
    fn clock(&self) -> String {
        let c = &self.m.clock;
        let mut out = format!("const NS = {};\n", c.n_steps);
        if !c.is_scheduled() {
            let _ = write!(
                out,
                "function time(k) {{ return {} + k * {}; }}\n\
                 function saves(k, i) {{ return k % {} === 0; }}\n",
                num(c.start),
                num(c.dt),
                c.save_every
            );
            return out;
        }
        let _ = write!(
            out,
            "const SEG_FIRST = [{}];\nconst SEG_FROM = [{}];\nconst SEG_DT = [{}];\n\
             const SAVED = new Float64Array([{}]);\n\
             function time(k) {{\n  \
             let s = 0;\n  \
             while (s + 1 < SEG_FIRST.length && SEG_FIRST[s + 1] <= k) s++;\n  \
             return SEG_FROM[s] + (k - SEG_FIRST[s]) * SEG_DT[s];\n}}\n\
             function saves(k, i) {{ return i < SAVED.length && SAVED[i] === k; }}\n",
            c.segments
                .iter()
                .map(|s| s.first.to_string())
                .collect::<Vec<_>>()
                .join(","),
            list(c.segments.iter().map(|s| s.from)),
            list(c.segments.iter().map(|s| s.dt)),
            c.saved
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(","),
        );
        out
    }

    /// `save(r, values, ti, time, problems, seen)`: the reported variables'
    /// values at saved time `ti`, and the first non-finite value of each
    /// (`CompiledModel::simulate`'s sink).
    fn save(&self) -> String {
        "function save(r, values, ti, time, problems, seen) {\n  \
         let bad = false;\n  \
         for (let v = 0; v < NV; v++) {\n    \
         const x = r[CUR + v];\n    \
         values[v * NT + ti] = x;\n    \
         if (x - x !== 0) bad = true;\n  }\n  \
         if (!bad) return;\n  \
         for (let v = 0; v < NV; v++) {\n    \
         const x = r[CUR + v];\n    \
         if (x - x !== 0 && !seen[v]) {\n      \
         seen[v] = 1;\n      \
         problems.push({ var: v, time: time, value: x });\n    }\n  }\n}\n"
            .into()
    }

    /// `rk4(r, time)`: Runge-Kutta's step from `time` (`sim::rk4`), its
    /// loops over the stocks unrolled.
    fn rk4(&self, rk: &Rk4) -> String {
        let ns = rk.stocks.len();
        let keep = self.n_slots;
        let (s0, acc, kk) = (
            keep + self.all,
            keep + self.all + ns,
            keep + self.all + 2 * ns,
        );
        let dt = num(self.m.clock.dt);
        let cur = self.cur;
        // A stock's rate at the stage in the current slots (`rk4::rate`).
        let rate = |j: usize| {
            let s = &rk.stocks[j];
            let sum = |flows: &[usize]| {
                let mut e = String::from("(-0");
                for f in flows {
                    let _ = write!(e, " + r[{}]", cur + f);
                }
                e + ")"
            };
            let (inflow, outflow) = (sum(&s.inflows), sum(&s.outflows));
            if s.non_negative {
                format!(
                    "{inflow} - mn({outflow}, mx(r[{}] / {dt} + {inflow}, 0))",
                    cur + s.var
                )
            } else {
                format!("{inflow} - {outflow}")
            }
        };
        let mut out = format!(
            "function rk4(r, time) {{\n  r.copyWithin({keep}, CUR, CUR + ALL);\n  let kj;\n"
        );
        for (j, s) in rk.stocks.iter().enumerate() {
            let _ = writeln!(
                out,
                "  r[{}] = r[{}];\n  kj = {};\n  r[{}] = kj;\n  r[{}] = kj;",
                s0 + j,
                cur + s.var,
                rate(j),
                acc + j,
                kk + j
            );
        }
        for (h, w) in [(0.5, 2.0), (0.5, 2.0), (1.0, 1.0)] {
            let (h, w) = (num(h), num(w));
            for (j, s) in rk.stocks.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "  r[{}] = r[{}] + {h} * {dt} * r[{}];",
                    cur + s.var,
                    s0 + j,
                    kk + j
                );
            }
            let _ = writeln!(out, "  r[{YEAR_SLOT}] = time + {h} * {dt};\n  step(r);");
            for j in 0..ns {
                let _ = writeln!(
                    out,
                    "  kj = {};\n  r[{}] = kj;\n  r[{}] = r[{}] + {w} * kj;",
                    rate(j),
                    kk + j,
                    acc + j,
                    acc + j
                );
            }
        }
        let _ = writeln!(out, "  r.copyWithin(PREV, {keep}, {});", keep + self.all);
        for (j, s) in rk.stocks.iter().enumerate() {
            let next = format!("r[{}] + {dt} / 6.0 * r[{}]", s0 + j, acc + j);
            let next = if s.non_negative {
                format!("mx({next}, 0)")
            } else {
                next
            };
            let _ = writeln!(out, "  r[{}] = {next};", cur + s.var);
        }
        out += "}\n";
        out
    }

    /// `run(levers, seed)`: `simulate_with`'s step loop.
    fn run(&self, used: &Used) -> String {
        let random = used.random;
        let mut out =
            String::from("function run(levers, seed) {\n  const r = R;\n  setup(r, levers);\n");
        if random {
            out +=
                "  RS = splitmix(seed === undefined ? SEED : BigInt.asUintN(64, BigInt(seed)));\n";
        }
        out += "  const values = new Float64Array(NV * NT);\n  \
                const problems = [];\n  \
                const seen = new Uint8Array(NV);\n  \
                let saved = 0;\n  \
                for (let k = 0; k <= NS; k++) {\n    \
                const t = time(k);\n    \
                r[0] = t;\n    \
                data(r, k);\n";
        if random {
            out += "    TB = bitsOf(t);\n";
        }
        out += "    if (k === 0) init(r); else step(r);\n    \
                if (saves(k, saved)) { save(r, values, saved, t, problems, seen); saved++; }\n";
        if self.m.rk4.is_some() {
            out += "    if (k < NS) rk4(r, t); else r.copyWithin(PREV, CUR, CUR + ALL);\n";
        } else {
            out += "    r.copyWithin(PREV, CUR, CUR + ALL);\n";
        }
        out += "  }\n  return { values: values, problems: problems };\n}\n";
        out
    }
}

/// The sections of `runtime.js` the programs call: `core` always (the
/// clock and the step loop need nothing else), the others when used.
fn runtime(used: &Used) -> String {
    let wanted = |name: &str| match name {
        "core" => true,
        "lookup" => used.lookup,
        "random" => used.random,
        "allocate" => used.allocate,
        _ => false,
    };
    let mut out = String::new();
    let mut keep = false;
    for line in RUNTIME.lines() {
        if let Some(name) = line.strip_prefix("// @section ") {
            keep = wanted(name.trim());
            continue;
        }
        if keep {
            out += line;
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_to_read_back_the_same_bits() {
        assert_eq!(num(1.0), "1.0");
        assert_eq!(num(0.1), "0.1");
        assert_eq!(num(-2.5), "(-2.5)");
        assert_eq!(num(-0.0), "(-0.0)");
        assert_eq!(num(1e-7), "1e-7");
        assert_eq!(num(f64::NAN), "NaN");
        assert_eq!(num(f64::NEG_INFINITY), "(-Infinity)");
        assert_eq!(num(f64::MAX), "1.7976931348623157e308");
    }

    #[test]
    fn the_runtime_knows_each_distribution_by_its_code() {
        let line = RUNTIME
            .lines()
            .find_map(|l| l.strip_prefix("const NPARAMS = ["))
            .expect("NPARAMS in runtime.js");
        let counts: Vec<usize> = line
            .trim_end_matches("];")
            .split(',')
            .map(|n| n.trim().parse().expect("a count"))
            .collect();
        let ours: Vec<usize> = Dist::ALL.iter().map(|d| d.n_params()).collect();
        assert_eq!(counts, ours);
        for (i, d) in Dist::ALL.into_iter().enumerate() {
            assert_eq!(d.code() as usize, i);
            assert_eq!(Dist::from_code(d.code()), Some(d));
        }
        assert_eq!(Dist::from_code(Dist::ALL.len() as u32), None);
    }

    #[test]
    fn only_the_sections_used_are_included() {
        let none = runtime(&Used::default());
        assert!(none.contains("function mn(") && !none.contains("function lk("));
        let all = runtime(&Used {
            lookup: true,
            allocate: true,
            random: true,
        });
        for f in ["lk", "splitmix", "poi", "nq", "drw", "alloc"] {
            assert!(all.contains(&format!("function {f}(")), "{f}");
        }
    }
}
