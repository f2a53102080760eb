//! A Vensim model's records made into our model: the control section the
//! clock, each `INTEG` a stock by its flows, each lookup a lookup, each
//! constant a lever, every other equation an auxiliary, in the file's order.

use std::collections::{HashMap, HashSet};

use super::consts::{self, Ctx};
use super::parse::{self, Equation, Expr, Node, Rhs, SubRef, walk};
use super::ranges::{RangeDef, Ranges};
use super::records::Record;
use super::translate::{Scope, Symbol, Tr, Variant};
use super::{Imported, MdlError, Pos, Raw, canonical};
use super::{arrays, external, macros, mapping, matrix, select, sort};
use crate::formats::sd_common::build::{charts, lever, time_unit, unit_expr};
use crate::formats::sd_common::names::{Ids, label};
use crate::formats::sd_common::out::{Out, print};
use crate::model::compile::arrays::MAX_FLAT_VARIABLES;
use crate::model::def::{
    Lookup, LookupMode, MODEL_FORMAT_VERSION, Model, Text, TimeSpec, Variable, VariableKind,
};
use crate::model::error::Item;
use crate::model::expr::line_col;

mod arrayed;
mod schedule;
mod series;

/// The control section's names.
const CONTROL: [&str; 4] = ["initial time", "final time", "time step", "saveper"];

/// What a record defines.
#[derive(Clone, Copy)]
enum Kind<'e> {
    Const(f64),
    /// Numbers, one per element of a subscripted record, and the length of
    /// each row when the list has a `;`.
    List(&'e [f64], Option<&'e [usize]>),
    Aux(&'e Expr),
    /// `INTEG(rate, initial)`.
    Stock(&'e Expr, &'e Expr),
    /// `ACTIVE INITIAL(active, initial)`.
    Active(&'e Expr, &'e Expr),
    /// `WITH LOOKUP(input, (points))`.
    WithLookup(&'e Expr, &'e [(f64, f64)]),
    /// A data variable's points and how they are read (`series.rs`).
    Data(&'e [(f64, f64)], parse::DataMode),
    Lookup(&'e [(f64, f64)]),
}

/// One record, read.
struct Entry<'e> {
    name: String,
    key: String,
    /// Where its name is in the text.
    at: usize,
    units: String,
    range: Option<(f64, f64)>,
    comment: String,
    kind: Kind<'e>,
    id: String,
    /// For a stock whose rate is not a sum of flows, and a variable with
    /// its own lookup: the extra item's id.
    extra: Option<String>,
    /// A subscripted variable's records (its first one's kind is `kind`);
    /// none for a scalar.
    parts: Vec<Part<'e>>,
}

/// One record of a subscripted variable.
struct Part<'e> {
    subs: &'e [SubRef],
    except: &'e [Vec<SubRef>],
    kind: Kind<'e>,
    /// Where its name is in the text.
    at: usize,
}

/// The model of `text`, its data files (`GET …`) read from `folder`, its
/// data variables with no equation from the `given` files.
pub fn build(
    text: &str,
    fallback_name: &str,
    folder: Option<&std::path::Path>,
    given: &[std::path::PathBuf],
) -> Result<Imported, MdlError> {
    let model_err = |r: Raw| r.place(text, Item::Model);
    let (mut recs, macro_defs) = macros::split(text).map_err(model_err)?;
    let eqns = equations(text, &recs).map_err(model_err)?;
    let eqns = macros::expand(&mut recs, eqns, macro_defs).map_err(model_err)?;
    let mut files = external::Files::new(folder, given);
    let eqns = external::subscripts(eqns, &mut files).map_err(model_err)?;
    let mut ids = Ids::default();
    let range_defs = range_defs(text, &eqns).map_err(model_err)?;
    let mut ranges = Ranges::read(&range_defs, &mut ids).map_err(model_err)?;
    let eqns = external::read(eqns, &ranges, &mut files).map_err(model_err)?;
    let eqns = sort::write_out(eqns, &ranges).map_err(model_err)?;
    let eqns = mapping::unmap(eqns, &ranges).map_err(model_err)?;
    let eqns = matrix::invert(eqns, &ranges).map_err(model_err)?;
    let eqns = select::split(eqns, &ranges).map_err(model_err)?;
    let mut entries = entries(text, &recs, &eqns).map_err(model_err)?;
    partial_ranges(&mut ranges, &entries, &mut ids).map_err(model_err)?;
    named_once(text, &range_defs, &entries).map_err(model_err)?;
    let defs: HashMap<String, &Expr> = entries
        .iter()
        .filter(|e| e.parts.is_empty())
        .filter_map(|e| match e.kind {
            Kind::Aux(x) => Some((e.key.clone(), x)),
            _ => None,
        })
        .chain(eqns.iter().filter_map(|(_, q)| match &q.rhs {
            Rhs::Eqn(x) if CONTROL.contains(&canonical(&q.name).as_str()) => {
                Some((canonical(&q.name), x))
            }
            _ => None,
        }))
        .collect();
    let consts: HashMap<String, Expr> = entries
        .iter()
        .filter(|e| e.parts.is_empty())
        .filter_map(|e| match e.kind {
            Kind::Const(v) => Some((e.key.clone(), parse::number(v))),
            _ => None,
        })
        .collect();
    let mut all_defs = defs.clone();
    for (k, v) in &consts {
        all_defs.insert(k.clone(), v);
    }
    let clock = clock(text, &eqns, &all_defs).map_err(model_err)?;
    let pinned = pinned(&entries, &all_defs);
    for e in entries.iter_mut() {
        e.id = ids.assign(&e.key);
    }
    let symbols = symbols(&entries);
    let flowable = flowable(&entries, &pinned);
    let extras: Vec<Option<String>> = entries
        .iter()
        .map(|e| match e.kind {
            Kind::Stock(..) if !e.parts.is_empty() => Some(ids.assign(&format!("{} rate", e.key))),
            _ if !e.parts.is_empty() => None,
            Kind::WithLookup(..) | Kind::Data(..) => Some(ids.assign(&format!("{} lookup", e.key))),
            Kind::Stock(rate, _) if flows(rate, &symbols, &flowable).is_none() => {
                Some(ids.assign(&format!("{} rate", e.key)))
            }
            _ => None,
        })
        .collect();
    for (e, x) in entries.iter_mut().zip(extras) {
        e.extra = x;
    }
    let active: HashMap<String, &Expr> = entries
        .iter()
        .filter(|e| e.parts.is_empty())
        .filter_map(|e| match e.kind {
            Kind::Active(_, init) => Some((e.key.clone(), init)),
            _ => None,
        })
        .collect();
    let tainted = tainted(&entries, &active);
    let scope = Scope {
        symbols: &symbols,
        eqns: &defs,
        active: &active,
        tainted: &tainted,
        ctx: Ctx {
            defs: &all_defs,
            time: None,
            dt: Some(clock.time.dt),
        },
        ranges: &ranges,
        start: f64::from(clock.start),
        dt: clock.time.dt,
        save_step: clock.save,
    };
    let mut b = Builder {
        text,
        scope: &scope,
        ids,
        variants: Vec::new(),
        model: empty_model(fallback_name, &clock),
        places: HashMap::new(),
        ranges: &ranges,
        pinned: &pinned,
        flowable: &flowable,
    };
    count(&ranges, &entries).map_err(model_err)?;
    for e in &entries {
        b.add(e)?;
    }
    let Builder {
        mut model,
        places,
        variants,
        ..
    } = b;
    add_variants(&mut model, &variants);
    model.dimensions = ranges.dims.clone();
    model.charts = charts(&model);
    Ok(Imported { model, places })
}

/// Each record's equation, read; group headers (`****…`) left out.
fn equations(text: &str, recs: &[Record]) -> Result<Vec<(usize, Equation)>, Raw> {
    let mut out = Vec::new();
    let mut budget = MAX_FLAT_VARIABLES;
    for (i, r) in recs.iter().enumerate() {
        let eqn = text[r.eqn.0..r.eqn.1].trim();
        if eqn.is_empty() || eqn.starts_with('*') {
            continue;
        }
        let q = parse::equation(text, r.eqn, &mut budget)?;
        if q.rhs != Rhs::Check {
            out.push((i, q));
        }
    }
    Ok(out)
}

/// The subscript ranges the records define; a range defined twice is
/// refused.
fn range_defs(text: &str, eqns: &[(usize, Equation)]) -> Result<Vec<RangeDef>, Raw> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (_, q) in eqns {
        let (members, equiv, maps) = match &q.rhs {
            Rhs::Range(m, maps) => (m.clone(), false, maps.clone()),
            Rhs::Equiv(other, span) => (vec![(other.clone(), *span)], true, Vec::new()),
            _ => continue,
        };
        if let Some(&other) = seen.get(&canonical(&q.name)) {
            return Err(defined_twice(text, q.name_span.0, &q.name, "range", other));
        }
        seen.insert(canonical(&q.name), q.name_span.0);
        out.push(RangeDef {
            name: q.name.clone(),
            at: q.name_span.0,
            members,
            equiv,
            maps,
        });
    }
    Ok(out)
}

/// Refuses a variable named as a range (or the control section's
/// variables): Vensim's names are one namespace.
fn named_once(text: &str, ranges: &[RangeDef], entries: &[Entry]) -> Result<(), Raw> {
    let ranges: HashMap<String, usize> =
        ranges.iter().map(|d| (canonical(&d.name), d.at)).collect();
    let clash = entries
        .iter()
        .map(|e| (e.key.as_str(), e.at, e.name.as_str()))
        .find_map(|(k, at, name)| ranges.get(k).map(|&r| (at, name, r)));
    match clash {
        Some((at, name, r)) => {
            let (first, second) = (at.min(r), at.max(r));
            Err(defined_twice(
                text,
                second,
                name,
                "range and a variable",
                first,
            ))
        }
        None => Ok(()),
    }
}

/// The error for a name `what` defines at `at` and at `other` too.
fn defined_twice(text: &str, at: usize, name: &str, what: &str, other: usize) -> Raw {
    let (line, col) = line_col(text, other);
    Raw::invalid(
        at,
        format!(
            "`{}` is a {what} defined here and at line {line}, column {col}: Vensim's \
             names ignore case, spaces and underscores",
            name_label(name)
        ),
    )
}

/// The model's records (the control section's and the ranges apart),
/// classified; the records of one subscripted variable in one entry.
fn entries<'e>(
    text: &str,
    recs: &[Record],
    eqns: &'e [(usize, Equation)],
) -> Result<Vec<Entry<'e>>, Raw> {
    let mut seen: HashMap<String, (usize, Option<usize>)> = HashMap::new();
    let mut out: Vec<Entry> = Vec::new();
    for (i, q) in eqns {
        let key = canonical(&q.name);
        if matches!(q.rhs, Rhs::Range(..) | Rhs::Equiv(..)) {
            continue;
        }
        if let Some(&(other, k)) = seen.get(&key) {
            let Some(k) = k.filter(|&k| !q.subs.is_empty() && !out[k].parts.is_empty()) else {
                return Err(twice(text, q, other));
            };
            let part = Part {
                subs: &q.subs,
                except: &q.except,
                kind: kind(q)?,
                at: q.name_span.0,
            };
            out[k].parts.push(part);
            continue;
        }
        let control = CONTROL.contains(&key.as_str());
        seen.insert(
            key.clone(),
            (q.name_span.0, (!control).then_some(out.len())),
        );
        if control {
            continue;
        }
        let r = &recs[*i];
        let (units, range) = units(&text[r.units.0..r.units.1]);
        let kind = kind(q)?;
        if q.subs.is_empty() && matches!(kind, Kind::List(..)) {
            return Err(Raw::invalid(
                q.name_span.0,
                "a list of numbers needs a subscripted variable (one number per element)",
            ));
        }
        let parts = if q.subs.is_empty() {
            Vec::new()
        } else {
            vec![Part {
                subs: &q.subs,
                except: &q.except,
                kind,
                at: q.name_span.0,
            }]
        };
        out.push(Entry {
            name: q.name.clone(),
            key,
            at: q.name_span.0,
            units,
            range,
            comment: comment(&text[r.comment.0..r.comment.1]),
            kind,
            id: String::new(),
            extra: None,
            parts,
        });
    }
    Ok(out)
}

fn twice(text: &str, q: &Equation, other: usize) -> Raw {
    let (line, col) = line_col(text, other);
    Raw::invalid(
        q.name_span.0,
        format!(
            "`{}` is defined twice (also at line {line}, column {col}): Vensim's \
             names ignore case, spaces and underscores",
            name_label(&q.name)
        ),
    )
}

fn kind(q: &Equation) -> Result<Kind<'_>, Raw> {
    let e = match &q.rhs {
        Rhs::Lookup(points) => return Ok(Kind::Lookup(points)),
        // `x = 5;` is a number; `x[a] = 5;` a list, whose length is checked.
        Rhs::List(v, _) if v.len() == 1 && q.subs.is_empty() => return Ok(Kind::Const(v[0])),
        Rhs::List(v, rows) => return Ok(Kind::List(v, rows.as_deref())),
        Rhs::Eqn(e) => e,
        Rhs::Series(points, mode) => return Ok(Kind::Data(points, *mode)),
        Rhs::Check | Rhs::Range(..) | Rhs::Equiv(..) => unreachable!("left out"),
        Rhs::Data(..) | Rhs::Given(..) | Rhs::RangeFrom(..) => {
            unreachable!("read by external.rs")
        }
    };
    if let Some(v) = constant(e) {
        return Ok(Kind::Const(v));
    }
    let Node::Call { name, args, .. } = &e.node else {
        return Ok(Kind::Aux(e));
    };
    let two = |what: &str| match args.as_slice() {
        [a, b] => Ok((a, b)),
        _ => Err(Raw::invalid(
            e.span.0,
            format!("`{name}` takes 2 arguments ({what}), not {}", args.len()),
        )),
    };
    Ok(match canonical(name).as_str() {
        "integ" => {
            let (rate, init) = two("the rate and the initial value")?;
            Kind::Stock(rate, init)
        }
        "active initial" => {
            let (active, init) = two("the active and the initial equation")?;
            Kind::Active(active, init)
        }
        "with lookup" => {
            let (x, table) = two("the input and the lookup's points")?;
            let Node::Table(points) = &table.node else {
                return Err(Raw::invalid(
                    table.span.0,
                    "the second argument of `WITH LOOKUP` is the lookup's points, in `( )`",
                ));
            };
            Kind::WithLookup(x, points)
        }
        _ => Kind::Aux(e),
    })
}

/// The value of an equation that is a number (maybe negative).
fn constant(e: &Expr) -> Option<f64> {
    match &e.node {
        Node::Num(n) => Some(*n),
        Node::Neg(a) => constant(a).map(|v| -v),
        _ => None,
    }
}

/// A units field: the unit, and its range `[min, max(, step)]` when both
/// ends are numbers.
fn units(field: &str) -> (String, Option<(f64, f64)>) {
    let (unit, range) = match field.find('[') {
        Some(i) => (&field[..i], Some(&field[i + 1..])),
        None => (field, None),
    };
    let range = range.and_then(|r| {
        let r = r.split(']').next()?;
        let mut it = r.split(',').map(|v| v.trim().parse::<f64>().ok());
        match (it.next()??, it.next()??) {
            (lo, hi) if lo.is_finite() && hi.is_finite() && lo < hi => Some((lo, hi)),
            _ => None,
        }
    });
    let unit = unit.split_whitespace().collect::<Vec<_>>().join(" ");
    (unit, range)
}

/// A comment, its lines joined.
fn comment(field: &str) -> String {
    field
        .lines()
        .map(|l| l.trim().trim_end_matches('\\').trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A name as Vensim spells it for people: a quoted name as written,
/// quotes and escapes kept (they are part of a Vensim name, and Vensim's
/// own output writes them so: `"$ euro"`, `"Stock with \n Newline"`),
/// runs of white space as one; any other name with its line breaks and
/// `\n` escapes as spaces.
fn name_label(name: &str) -> String {
    if name.len() > 1 && name.starts_with('"') && name.ends_with('"') {
        return name.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    label(name)
}

/// The imported clock.
struct Clock {
    time: TimeSpec,
    start: i32,
    stop: i32,
    /// `SAVEPER`'s value, for the equations that read it (a constant, or
    /// they are refused).
    save: f64,
}

/// The control section: `INITIAL TIME`, `FINAL TIME`, `TIME STEP` (1
/// when not given), `SAVEPER` (every step when not given), each a value
/// known before the run or a function of `Time` and constants (stepped
/// through: `reached_stop`, `scheduled`, `moving_start`); the time unit
/// from their units.
fn clock(
    text: &str,
    eqns: &[(usize, Equation)],
    defs: &HashMap<String, &Expr>,
) -> Result<Clock, Raw> {
    let find = |key: &str| {
        eqns.iter()
            .map(|(_, q)| q)
            .find(|q| canonical(&q.name) == key)
    };
    let ctx = Ctx {
        defs,
        time: None,
        dt: None,
    };
    let value = |key: &str| -> Result<Option<(f64, usize)>, Raw> {
        let Some(q) = find(key) else {
            return Ok(None);
        };
        let Rhs::Eqn(e) = &q.rhs else {
            return Err(Raw::invalid(
                q.name_span.0,
                format!("`{}` is not a number", q.name),
            ));
        };
        match consts::eval(e, &ctx) {
            Some(v) if v.is_finite() => Ok(Some((v, q.name_span.0))),
            _ => Err(Raw::unsupported(
                e.span.0,
                format!(
                    "`{}` changes during the run (it reads Time or a stock): Trajectoire \
                     runs on a fixed clock",
                    q.name
                ),
            )),
        }
    };
    let whole = |key: &str, label: &str| -> Result<i32, Raw> {
        let Some((v, at)) = value(key)? else {
            return Err(Raw::invalid(
                0,
                format!("the model has no `{label}` (its control section)"),
            ));
        };
        if v.fract() != 0.0 || v.abs() > 1e9 {
            return Err(Raw::unsupported(
                at,
                format!(
                    "`{label}` is {v}, not a whole number: Trajectoire runs models from a \
                     whole start time to a whole final time (in the model's time unit)"
                ),
            ));
        }
        Ok(v as i32)
    };
    let changes = |key: &str| {
        find(key).and_then(|q| match &q.rhs {
            Rhs::Eqn(e) if consts::eval(e, &ctx).is_none() => Some(e),
            _ => None,
        })
    };
    let start = match changes("initial time") {
        Some(e) => moving_start(e, eqns, defs)?,
        None => whole("initial time", "INITIAL TIME")?,
    };
    let mut time = TimeSpec::default();
    if changes("time step").is_some() || changes("saveper").is_some() {
        return scheduled(text, eqns, defs, start, time);
    }
    if let Some((dt, at)) = value("time step")? {
        if dt <= 0.0 {
            return Err(Raw::invalid(
                at,
                format!("`TIME STEP` must be positive, not {dt}"),
            ));
        }
        time.dt = dt;
    }
    let stop = match find("final time").map(|q| &q.rhs) {
        Some(Rhs::Eqn(e)) if consts::eval(e, &ctx).is_none() => {
            if let Some(at) = reads_control(eqns, "final time") {
                return Err(Raw::unsupported(
                    at,
                    "this equation reads `FINAL TIME`, which changes during the run: not \
                     supported (Trajectoire runs on a fixed clock)",
                ));
            }
            reached_stop(e, defs, start, time.dt)?
        }
        _ => whole("final time", "FINAL TIME")?,
    };
    if let Some((save, at)) = value("saveper")? {
        let k = save / time.dt;
        if save <= 0.0 || k < 1.0 - 1e-9 || (k - k.round()).abs() > 1e-9 * k {
            return Err(Raw::unsupported(
                at,
                format!(
                    "`SAVEPER` ({save}) is not a whole number of time steps ({}): not \
                     supported",
                    time.dt
                ),
            ));
        }
        if k.round() != 1.0 {
            time.save_step = Some(save);
        }
    }
    time.unit = clock_unit(text, eqns);
    Ok(Clock {
        save: time.save_interval(),
        time,
        start,
        stop,
    })
}

/// The time unit, from the control records' units.
fn clock_unit(text: &str, eqns: &[(usize, Equation)]) -> crate::model::def::TimeUnit {
    let unit = ["time step", "final time", "initial time"]
        .iter()
        .filter_map(|k| {
            eqns.iter()
                .map(|(_, q)| q)
                .find(|q| canonical(&q.name) == *k)
        })
        .map(|q| control_units(text, q))
        .find(|u| !u.is_empty());
    unit.map_or(Default::default(), |u| time_unit(&u))
}

/// An `INITIAL TIME` that reads `Time` (Vensim evaluates it as any
/// variable during the run): the run starts at its value at time 0, as
/// Vensim's does, which must be 0 again from there (its value at its own
/// start), a whole number; no other equation may read it, since its value
/// changes.
fn moving_start(
    e: &Expr,
    eqns: &[(usize, Equation)],
    defs: &HashMap<String, &Expr>,
) -> Result<i32, Raw> {
    if let Some(at) = reads_control(eqns, "initial time") {
        return Err(Raw::unsupported(
            at,
            "this equation reads `INITIAL TIME`, which changes during the run: not supported",
        ));
    }
    let at = |t: f64| {
        consts::eval(
            e,
            &Ctx {
                defs,
                time: Some(t),
                dt: None,
            },
        )
    };
    match at(0.0) {
        Some(s) if s.is_finite() && s.fract() == 0.0 && s.abs() <= 1e9 && at(s) == Some(s) => {
            Ok(s as i32)
        }
        _ => Err(Raw::unsupported(
            e.span.0,
            "`INITIAL TIME` changes during the run and does not give a whole start time that \
             it keeps there: not supported",
        )),
    }
}

/// A clock whose `TIME STEP` or `SAVEPER` reads `Time` (`schedule.rs`):
/// the run stepped through before it starts. No equation may read a
/// `SAVEPER` or a `FINAL TIME` that changes (`TIME STEP` is the engine's
/// `dt`, the step in force at each step).
fn scheduled(
    text: &str,
    eqns: &[(usize, Equation)],
    defs: &HashMap<String, &Expr>,
    start: i32,
    mut time: TimeSpec,
) -> Result<Clock, Raw> {
    let find = |key: &str| {
        eqns.iter()
            .map(|(_, q)| q)
            .find(|q| canonical(&q.name) == key)
            .and_then(|q| match &q.rhs {
                Rhs::Eqn(e) => Some(e),
                _ => None,
            })
    };
    let Some(final_time) = find("final time") else {
        return Err(Raw::invalid(
            0,
            "the model has no `FINAL TIME` (its control section)",
        ));
    };
    let ctx = Ctx {
        defs,
        time: None,
        dt: None,
    };
    let saveper = find("saveper");
    let fixed_save = saveper.map(|e| consts::eval(e, &ctx));
    for (key, name, fixed) in [
        ("saveper", "SAVEPER", fixed_save.is_none_or(|v| v.is_some())),
        (
            "final time",
            "FINAL TIME",
            consts::eval(final_time, &ctx).is_some(),
        ),
    ] {
        if let Some(at) = reads_control(eqns, key).filter(|_| !fixed) {
            return Err(Raw::unsupported(
                at,
                format!(
                    "this equation reads `{name}`, which changes during the run: not supported"
                ),
            ));
        }
    }
    let control = schedule::Control {
        final_time,
        time_step: find("time step"),
        saveper,
    };
    let (segments, stop) = schedule::schedule(&control, defs, f64::from(start))?;
    let first = segments.first().map_or(1.0, |s| s.dt);
    time.dt = first;
    time.save_step = None;
    time.unit = clock_unit(text, eqns);
    time.schedule = segments;
    Ok(Clock {
        save: fixed_save.flatten().unwrap_or(first),
        time,
        start,
        stop,
    })
}

/// Where an equation other than the control section's reads control
/// variable `key` (`final time`).
fn reads_control(eqns: &[(usize, Equation)], key: &str) -> Option<usize> {
    let mut at = None;
    for (_, q) in eqns {
        let Rhs::Eqn(x) = &q.rhs else { continue };
        if CONTROL.contains(&canonical(&q.name).as_str()) {
            continue;
        }
        walk(x, &mut |e| {
            if let Node::Name(n) = &e.node
                && at.is_none()
                && canonical(n) == key
            {
                at = Some(e.span.0);
            }
        });
    }
    at
}

/// The most steps a `FINAL TIME` that changes is followed.
const MAX_STOP_STEPS: u32 = 100_000;

/// The time a run stops at when its `FINAL TIME` changes during the run
/// but reads only `Time` and constants (so its value at every step is
/// known before the run): Vensim stops at the first step whose time has
/// reached the final time of that step. That step must be the final time
/// itself, a whole number.
fn reached_stop(e: &Expr, defs: &HashMap<String, &Expr>, start: i32, dt: f64) -> Result<i32, Raw> {
    let refused = |why: &str| {
        Raw::unsupported(
            e.span.0,
            format!("`FINAL TIME` {why}: Trajectoire runs on a fixed clock"),
        )
    };
    for k in 0..=MAX_STOP_STEPS {
        let t = f64::from(start) + f64::from(k) * dt;
        let ctx = Ctx {
            defs,
            time: Some(t),
            dt: Some(dt),
        };
        let f = consts::eval(e, &ctx)
            .filter(|f| f.is_finite())
            .ok_or_else(|| refused("changes during the run (it reads a stock or a lookup)"))?;
        let tol = 1e-9 * dt.max(t.abs());
        if t < f - tol {
            continue;
        }
        if (t - f).abs() > tol || t.fract() != 0.0 || t.abs() > 1e9 {
            return Err(refused(&format!(
                "changes during the run and is passed at time {t}, not reached at a whole \
                 time step"
            )));
        }
        return Ok(t as i32);
    }
    Err(refused(&format!(
        "changes during the run and is not reached within {MAX_STOP_STEPS} steps"
    )))
}

/// A control record's unit: the text after its equation's `~`.
fn control_units(text: &str, q: &Equation) -> String {
    let rest = &text[q.name_span.1..];
    let Some(t) = rest.find('~') else {
        return String::new();
    };
    let rest = &rest[t + 1..];
    let end = rest.find(['~', '|', '[']).unwrap_or(rest.len());
    rest[..end].trim().to_string()
}

/// The constants that our engine needs as numbers (a DELAY FIXED time,
/// a DELAY N or SMOOTH N order and time): they stay plain variables, not
/// levers, since moving them would change nothing.
fn pinned(entries: &[Entry], defs: &HashMap<String, &Expr>) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut stack: Vec<&Expr> = Vec::new();
    for e in entries {
        for x in exprs(&e.kind) {
            collect_pinned_args(x, &mut stack);
        }
    }
    while let Some(x) = stack.pop() {
        let mut names = Vec::new();
        refs(x, &mut names);
        for n in names {
            if out.insert(n.clone())
                && let Some(d) = defs.get(&n)
            {
                stack.push(d);
            }
        }
    }
    out
}

fn collect_pinned_args<'e>(x: &'e Expr, out: &mut Vec<&'e Expr>) {
    walk(x, &mut |e| {
        if let Node::Call { name, args, .. } = &e.node {
            let which: &[usize] = match canonical(name).as_str() {
                "delay fixed" => &[1],
                "delay n" => &[1, 3],
                "smooth n" => &[3],
                _ => &[],
            };
            out.extend(which.iter().filter_map(|&i| args.get(i)));
        }
    });
}

/// The canonical names `e` reads.
fn refs(e: &Expr, out: &mut Vec<String>) {
    walk(e, &mut |x| {
        if let Node::Name(n) | Node::Sub { name: n, .. } = &x.node {
            out.push(canonical(n));
        }
    });
}

/// The expressions of a record.
fn exprs<'e>(k: &Kind<'e>) -> Vec<&'e Expr> {
    match *k {
        Kind::Aux(e) => vec![e],
        Kind::Stock(a, b) | Kind::Active(a, b) => vec![a, b],
        Kind::WithLookup(x, _) => vec![x],
        Kind::Const(_) | Kind::List(..) | Kind::Lookup(_) | Kind::Data(..) => vec![],
    }
}

fn symbols(entries: &[Entry]) -> HashMap<String, Symbol> {
    entries
        .iter()
        .map(|e| {
            let s = match e.kind {
                Kind::Lookup(_) => Symbol::Table(e.id.clone()),
                _ => Symbol::Value {
                    id: e.id.clone(),
                    stock: matches!(e.kind, Kind::Stock(..)),
                },
            };
            (e.key.clone(), s)
        })
        .collect()
}

/// The variables a stock may take as flows: auxiliaries (a constant
/// becomes a lever, which is no flow).
fn flowable(entries: &[Entry], pinned: &HashSet<String>) -> HashSet<String> {
    entries
        .iter()
        .filter(|e| match e.kind {
            _ if !e.parts.is_empty() => false,
            Kind::Aux(_) | Kind::Active(..) | Kind::WithLookup(..) | Kind::Data(..) => true,
            Kind::Const(_) => pinned.contains(&e.key),
            Kind::Stock(..) | Kind::Lookup(_) | Kind::List(..) => false,
        })
        .map(|e| e.key.clone())
        .collect()
}

/// A rate that is a sum and difference of auxiliaries, as their ids
/// (inflows, outflows); `None` otherwise.
fn flows(
    rate: &Expr,
    symbols: &HashMap<String, Symbol>,
    flowable: &HashSet<String>,
) -> Option<(Vec<String>, Vec<String>)> {
    let mut terms = Vec::new();
    signed_terms(rate, true, &mut terms)?;
    let (mut ins, mut outs) = (Vec::new(), Vec::new());
    let mut seen = HashSet::new();
    for (plus, key) in terms {
        let Some(Symbol::Value { id, .. }) = symbols.get(&key) else {
            return None;
        };
        if !flowable.contains(&key) || !seen.insert(key) {
            return None;
        }
        if plus {
            ins.push(id.clone());
        } else {
            outs.push(id.clone());
        }
    }
    Some((ins, outs))
}

fn signed_terms(e: &Expr, plus: bool, out: &mut Vec<(bool, String)>) -> Option<()> {
    match &e.node {
        Node::Name(n) => out.push((plus, canonical(n))),
        Node::Neg(a) => signed_terms(a, !plus, out)?,
        Node::Binary(parse::BinOp::Add, a, b) => {
            signed_terms(a, plus, out)?;
            signed_terms(b, plus, out)?;
        }
        Node::Binary(parse::BinOp::Sub, a, b) => {
            signed_terms(a, plus, out)?;
            signed_terms(b, !plus, out)?;
        }
        _ => return None,
    }
    Some(())
}

/// The auxiliaries whose value reads a variable given by ACTIVE INITIAL
/// (through other auxiliaries, not through stocks).
fn tainted(entries: &[Entry], active: &HashMap<String, &Expr>) -> HashSet<String> {
    let deps: HashMap<&str, Vec<String>> = entries
        .iter()
        .filter(|e| e.parts.is_empty())
        .filter_map(|e| match e.kind {
            Kind::Aux(x) => {
                let mut names = Vec::new();
                refs(x, &mut names);
                Some((e.key.as_str(), names))
            }
            _ => None,
        })
        .collect();
    let mut out: HashSet<String> = HashSet::new();
    if active.is_empty() {
        return out;
    }
    // Grow until nothing changes: at most one pass per auxiliary.
    loop {
        let before = out.len();
        for (k, names) in &deps {
            if names
                .iter()
                .any(|n| active.contains_key(n) || out.contains(n))
            {
                out.insert(k.to_string());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

fn empty_model(fallback_name: &str, clock: &Clock) -> Model {
    Model {
        format_version: MODEL_FORMAT_VERSION,
        id: Ids::default().assign(&canonical(fallback_name)),
        version: "1".to_string(),
        name: Text::new(fallback_name, fallback_name),
        sector: Text::default(),
        country: Text::default(),
        currency: String::new(),
        start_year: clock.start,
        end_year: clock.stop,
        time: clock.time.clone(),
        last_observed_year: clock.start,
        description: Text::new(
            "Importé d’un fichier Vensim (.mdl).",
            "Imported from a Vensim file (.mdl).",
        ),
        groups: Vec::new(),
        dimensions: Vec::new(),
        levers: Vec::new(),
        variables: Vec::new(),
        lookups: Vec::new(),
        observations: Vec::new(),
        series_breaks: Vec::new(),
        targets: Vec::new(),
        charts: Vec::new(),
        ratios: Vec::new(),
        units: Vec::new(),
        map: Default::default(),
    }
}

/// Gives a range of its own to each set of elements a subscripted
/// variable is defined over where no range holds exactly those (Vensim
/// allows `x[a] = …` and `x[c] = …` alone): `Dims (x)`, a subrange of
/// the root. At most [`MAX_FLAT_VARIABLES`] elements in all.
fn partial_ranges(ranges: &mut Ranges, entries: &[Entry], ids: &mut Ids) -> Result<(), Raw> {
    let mut budget = MAX_FLAT_VARIABLES;
    for e in entries.iter().filter(|e| !e.parts.is_empty()) {
        let parts: Vec<arrays::Record> = e.parts.iter().map(|p| (p.subs, p.except, p.at)).collect();
        for (root, places) in arrays::uncovered(ranges, &parts) {
            // Made already for another place or another variable.
            if ranges.exact.contains_key(&(root, places.clone())) {
                continue;
            }
            budget = budget.checked_sub(places.len()).ok_or_else(|| {
                Raw::invalid(
                    e.at,
                    format!(
                        "the model has more than {MAX_FLAT_VARIABLES} elements in all (the limit)"
                    ),
                )
            })?;
            let root_label = ranges.dims[root].label.en.clone();
            let id = ids.assign(&format!("{} {}", e.key, canonical(&root_label)));
            let l = format!("{root_label} ({})", label(&e.name));
            ranges.add_subrange(root, places, id, Text::new(l.clone(), l));
        }
    }
    Ok(())
}

/// Refuses a model of more than [`MAX_FLAT_VARIABLES`] elements before any
/// is built (a variable whose shape is wrong is left to its own error).
fn count(ranges: &Ranges, entries: &[Entry]) -> Result<(), Raw> {
    let mut flat = 0usize;
    for e in entries {
        let n = if e.parts.is_empty() {
            1 + usize::from(e.extra.is_some())
        } else {
            let parts: Vec<arrays::Record> =
                e.parts.iter().map(|p| (p.subs, p.except, p.at)).collect();
            // A stock comes with its rate, over the same dimensions.
            let stock = e.parts.iter().all(|p| matches!(p.kind, Kind::Stock(..)));
            arrays::elements(ranges, &e.name, &parts).map_or(0, |n| n * (1 + usize::from(stock)))
        };
        flat = flat.saturating_add(n);
        if flat > MAX_FLAT_VARIABLES {
            return Err(Raw::invalid(
                e.at,
                format!("the model has more than {MAX_FLAT_VARIABLES} elements in all (the limit)"),
            ));
        }
    }
    Ok(())
}

struct Builder<'a, 's> {
    text: &'a str,
    scope: &'s Scope<'s>,
    ids: Ids,
    variants: Vec<Variant>,
    model: Model,
    places: HashMap<String, Pos>,
    ranges: &'a Ranges,
    pinned: &'a HashSet<String>,
    flowable: &'a HashSet<String>,
}

impl Builder<'_, '_> {
    fn add(&mut self, e: &Entry) -> Result<(), MdlError> {
        let (line, col) = line_col(self.text, e.at);
        self.places.insert(e.id.clone(), Pos { line, col });
        if let Some(x) = &e.extra {
            self.places.insert(x.clone(), Pos { line, col });
        }
        let item = match e.kind {
            Kind::Lookup(_) => Item::Lookup(e.id.clone()),
            _ if !e.parts.is_empty() && lever_parts(&e.parts) => Item::Lever(e.id.clone()),
            _ if !e.parts.is_empty() => Item::Variable(e.id.clone()),
            Kind::Const(_) if !self.pinned.contains(&e.key) => Item::Lever(e.id.clone()),
            _ => Item::Variable(e.id.clone()),
        };
        self.add_item(e).map_err(|r| r.place(self.text, item))
    }

    fn add_item(&mut self, e: &Entry) -> Result<(), Raw> {
        if !e.parts.is_empty() {
            return self.arrayed(e);
        }
        match e.kind {
            Kind::Lookup(points) => {
                self.model.lookups.push(Lookup {
                    id: e.id.clone(),
                    points: points.to_vec(),
                    description: Text::new(e.comment.clone(), e.comment.clone()),
                    mode: LookupMode::Continuous,
                    unit_expr: unit_expr(&e.units),
                    input_unit_expr: String::new(),
                    dimensions: Vec::new(),
                    by_element: Vec::new(),
                });
            }
            Kind::Const(v) if !self.pinned.contains(&e.key) => {
                let unit = Text::new(e.units.clone(), e.units.clone());
                let l = lever(&e.id, &name_label(&e.name), unit, describe(e), v, e.range);
                self.model.levers.push(l);
            }
            Kind::Const(v) => self.push(e, &e.id, aux(print(&Out::Num(v)))),
            Kind::List(..) => unreachable!("a list is refused on a scalar"),
            Kind::Aux(x) | Kind::Active(x, _) => {
                let eq = self.translate(e, x, false)?;
                self.push(e, &e.id, aux(eq));
            }
            Kind::WithLookup(x, points) => {
                let table = e.extra.clone().expect("a lookup id");
                let eq = self.with_lookup(e, &table, x, points)?;
                self.push(e, &e.id, aux(eq));
            }
            Kind::Data(points, mode) => {
                let table = e.extra.clone().expect("a lookup id");
                let eq = self.series(&table, points, mode);
                self.push(e, &e.id, aux(eq));
            }
            Kind::Stock(rate, init) => self.stock(e, rate, init)?,
        }
        Ok(())
    }

    /// `WITH LOOKUP(x, points)`: the lookup `table` of those points, and
    /// the equation that reads it at x.
    fn with_lookup(
        &mut self,
        e: &Entry,
        table: &str,
        x: &Expr,
        points: &[(f64, f64)],
    ) -> Result<String, Raw> {
        self.model.lookups.push(Lookup {
            id: table.to_string(),
            points: points.to_vec(),
            description: Text::default(),
            mode: LookupMode::Continuous,
            unit_expr: String::new(),
            input_unit_expr: String::new(),
            dimensions: Vec::new(),
            by_element: Vec::new(),
        });
        let input = self.translate(e, x, false)?;
        Ok(format!("{table}({input})"))
    }

    /// `INTEG(rate, initial)`: Vensim's Euler adds `dt * rate(t)` to
    /// `S(t)`, which is our stock by its flows: the rate's auxiliaries, or
    /// one auxiliary holding the rate.
    fn stock(&mut self, e: &Entry, rate: &Expr, init: &Expr) -> Result<(), Raw> {
        let initial = self.translate(e, init, true)?;
        let symbols = self.scope.symbols;
        let kind = match &e.extra {
            None => {
                let (ins, outs) = flows(rate, symbols, self.flowable).expect("flows were checked");
                let ins: Vec<&str> = ins.iter().map(String::as_str).collect();
                let outs: Vec<&str> = outs.iter().map(String::as_str).collect();
                VariableKind::stock_with_flows(initial, &ins, &outs, false)
            }
            Some(r) => VariableKind::stock_with_flows(initial, &[r.as_str()], &[], false),
        };
        self.push(e, &e.id, kind);
        if let Some(r) = &e.extra {
            let eq = self.translate(e, rate, false)?;
            let l = format!("{} (rate)", name_label(&e.name));
            self.model.variables.push(Variable {
                id: r.clone(),
                label: Text::new(l.clone(), l),
                unit: Text::default(),
                unit_expr: String::new(),
                dimensions: Vec::new(),
                by_element: Vec::new(),
                kind: aux(eq),
                description: Text::new(
                    "Le taux de variation du stock.",
                    "The stock's rate of change.",
                ),
            });
        }
        Ok(())
    }

    fn translate(&mut self, e: &Entry, x: &Expr, init: bool) -> Result<String, Raw> {
        let mut tr = Tr {
            scope: self.scope,
            ids: &mut self.ids,
            variants: &mut self.variants,
            owner: &e.id,
            init,
            inlining: Vec::new(),
        };
        Ok(print(&tr.tr(x)?))
    }

    fn push(&mut self, e: &Entry, id: &str, kind: VariableKind) {
        let l = name_label(&e.name);
        self.model.variables.push(Variable {
            id: id.to_string(),
            label: Text::new(l.clone(), l),
            unit: Text::new(e.units.clone(), e.units.clone()),
            unit_expr: unit_expr(&e.units),
            dimensions: Vec::new(),
            by_element: Vec::new(),
            kind,
            description: describe(e),
        });
    }
}

/// Whether a subscripted variable's records are all numbers (a lever).
fn lever_parts(parts: &[Part]) -> bool {
    parts
        .iter()
        .all(|p| matches!(p.kind, Kind::Const(_) | Kind::List(..)))
}

fn describe(e: &Entry) -> Text {
    Text::new(e.comment.clone(), e.comment.clone())
}

fn aux(equation: String) -> VariableKind {
    VariableKind::Aux { equation }
}

/// The copies of lookups read another way (`LOOKUP EXTRAPOLATE`).
fn add_variants(model: &mut Model, variants: &[Variant]) {
    for v in variants {
        let Some(t) = model.lookups.iter().find(|l| l.id == v.table).cloned() else {
            continue;
        };
        model.lookups.push(Lookup {
            id: v.id.clone(),
            mode: v.mode,
            ..t
        });
    }
}
