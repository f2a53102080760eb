//! Checks on a model's data that do not involve equations: ranges, ids,
//! years, finite numbers. `ron` accepts NaN, `inf` and `1e999`: refused here.

use std::collections::HashSet;

use super::def::{Distribution, Method, Model, Source, VariableKind};
use super::error::{ErrorKind, Item, ModelError};
use super::expr::{is_identifier, is_reserved};

/// More time steps than this are refused: a run of a few hundred variables
/// then takes about a second, and a Monte Carlo or a goal seek, which run
/// it hundreds of times, stay usable.
pub const MAX_STEPS: f64 = 1_000_000.0;
/// More saved times than this are refused: every run keeps each variable
/// at each of them.
pub const MAX_SAVED: f64 = 100_000.0;
/// Sane bounds for a start or stop time, so that time arithmetic stays
/// exact.
pub const YEAR_RANGE: std::ops::RangeInclusive<i32> = -100_000..=100_000;

pub fn validate(m: &Model) -> Vec<ModelError> {
    let mut errs = Vec::new();
    let mut err = |item: Item, field: &str, msg: String| {
        errs.push(ModelError::new(ErrorKind::Invalid, item, field, msg));
    };
    check_years(m, &mut err);
    check_time(m, &mut err);
    check_flows(m, &mut err);
    check_ids(m, &mut err);
    check_levers(m, &mut err);
    check_tables(m, &mut err);
    check_data(m, &mut err);
    check_targets(m, &mut err);
    errs
}

/// The model's id and years.
fn check_years(m: &Model, err: &mut impl FnMut(Item, &str, String)) {
    if m.id.trim().is_empty() {
        err(Item::Model, "id", "the model needs an id".into());
    }
    for (field, y) in [
        ("start_year", m.start_year),
        ("end_year", m.end_year),
        ("last_observed_year", m.last_observed_year),
    ] {
        if !YEAR_RANGE.contains(&y) {
            err(
                Item::Model,
                field,
                format!(
                    "year {y} is outside {}..={}",
                    YEAR_RANGE.start(),
                    YEAR_RANGE.end()
                ),
            );
        }
    }
    if m.end_year < m.start_year {
        err(
            Item::Model,
            "end_year",
            format!(
                "end_year {} is before start_year {}",
                m.end_year, m.start_year
            ),
        );
    }
}

/// The clock: a positive time step, a save step that is a whole number of
/// steps, and not so many steps that a run would take minutes.
fn check_time(m: &Model, err: &mut impl FnMut(Item, &str, String)) {
    let t = &m.time;
    if !(t.dt.is_finite() && t.dt > 0.0 && t.step().is_finite() && t.step() > 0.0) {
        err(
            Item::Model,
            "dt",
            format!("the time step must be a positive number, not {}", t.dt),
        );
        return;
    }
    let dt = t.step();
    if let Some(s) = t.save_step {
        let k = s / dt;
        if !(s.is_finite() && s > 0.0) {
            err(
                Item::Model,
                "save_step",
                format!("the save step must be a positive number, not {s}"),
            );
            return;
        } else if k < 1.0 - 1e-9 || (k - k.round()).abs() > 1e-9 * k.max(1.0) {
            err(
                Item::Model,
                "save_step",
                format!("the save step {s} is not a whole number of time steps ({dt})"),
            );
            return;
        }
    }
    let span = f64::from(m.end_year) - f64::from(m.start_year);
    let steps = span / dt;
    if steps > MAX_STEPS {
        err(
            Item::Model,
            "dt",
            format!(
                "a time step of {dt} makes {steps:.0} steps from {} to {}: \
                 the most a run takes is {MAX_STEPS:.0}",
                m.start_year, m.end_year
            ),
        );
    } else if span / t.save_interval() > MAX_SAVED {
        err(
            Item::Model,
            "save_step",
            format!("a run saves at most {MAX_SAVED:.0} times: save less often"),
        );
    }
}

/// A stock's flows: variables, and either flows or a change, not both.
fn check_flows(m: &Model, err: &mut impl FnMut(Item, &str, String)) {
    for v in &m.variables {
        let VariableKind::Stock {
            change,
            inflows,
            outflows,
            ..
        } = &v.kind
        else {
            continue;
        };
        let item = || Item::Variable(v.id.clone());
        for (field, flows) in [("inflows", inflows), ("outflows", outflows)] {
            for f in flows {
                if m.variable(f).is_none() {
                    err(item(), field, format!("no variable is called `{f}`"));
                } else if *f == v.id {
                    err(item(), field, "a stock cannot be its own flow".into());
                }
            }
        }
        let has_flows = !(inflows.is_empty() && outflows.is_empty());
        if has_flows && !change.trim().is_empty() {
            err(
                item(),
                "change",
                "a stock is given by its change or by its flows, not both".into(),
            );
        }
        if !has_flows && !change.trim().is_empty() && m.time.method == Method::Rk4 {
            err(
                item(),
                "change",
                "Runge-Kutta integrates stocks given by their inflows and outflows: \
                 give this stock's flows, or use Euler"
                    .into(),
            );
        }
    }
}

/// Ids: valid, not reserved, unique across levers, variables and tables.
fn check_ids(m: &Model, err: &mut impl FnMut(Item, &str, String)) {
    let mut seen: HashSet<&str> = HashSet::new();
    let ids = m
        .levers
        .iter()
        .map(|l| (Item::Lever(l.id.clone()), l.id.as_str()))
        .chain(
            m.variables
                .iter()
                .map(|v| (Item::Variable(v.id.clone()), v.id.as_str())),
        )
        .chain(
            m.lookups
                .iter()
                .map(|t| (Item::Lookup(t.id.clone()), t.id.as_str())),
        );
    for (item, id) in ids {
        if !is_identifier(id) {
            err(
                item,
                "id",
                format!(
                    "`{id}` is not a valid name: use letters, digits and `_`, starting with a letter"
                ),
            );
        } else if is_reserved(id) {
            err(
                item,
                "id",
                format!("`{id}` is a reserved word of the equation language"),
            );
        } else if !seen.insert(id) {
            err(
                item,
                "id",
                format!(
                    "`{id}` is used twice: levers, variables and lookup tables need distinct names"
                ),
            );
        }
    }
}

/// Levers: finite numbers, a range, a default and positions within it, a
/// positive step, a well-formed uncertainty.
fn check_levers(m: &Model, err: &mut impl FnMut(Item, &str, String)) {
    for l in &m.levers {
        let item = || Item::Lever(l.id.clone());
        for (field, v) in [
            ("min", l.min),
            ("max", l.max),
            ("default", l.default),
            ("step", l.step),
        ] {
            if !v.is_finite() {
                err(item(), field, format!("{v} is not a finite number"));
            }
        }
        if l.min >= l.max {
            err(
                item(),
                "max",
                format!("max ({}) must be greater than min ({})", l.max, l.min),
            );
        }
        if !(l.min..=l.max).contains(&l.default) {
            err(
                item(),
                "default",
                format!("default {} is outside {}..{}", l.default, l.min, l.max),
            );
        }
        if l.step <= 0.0 {
            err(
                item(),
                "step",
                format!("step must be positive, not {}", l.step),
            );
        }
        for p in &l.positions {
            // An arrayed lever's `at` is resolved with its elements
            // (`compile::arrays`); a lever without dimensions has none.
            if p.at.is_some() && l.dimensions.is_empty() {
                err(
                    item(),
                    "positions",
                    format!(
                        "position `{}` names an element (`at`), but the lever has no dimensions",
                        p.label.en
                    ),
                );
            }
            if !p.value.is_finite() || !(l.min..=l.max).contains(&p.value) {
                err(
                    item(),
                    "positions",
                    format!(
                        "position `{}` ({}) is outside {}..{}",
                        p.label.en, p.value, l.min, l.max
                    ),
                );
            }
        }
        if let Some(msg) = l.uncertainty.as_ref().and_then(distribution_problem) {
            err(item(), "uncertainty", msg);
        }
        for e in &l.by_element {
            if !e.default.is_finite() || !(l.min..=l.max).contains(&e.default) {
                let msg = format!(
                    "default {} for `{}` is outside {}..{}",
                    e.default, e.at, l.min, l.max
                );
                err(item(), "by_element", msg);
            }
        }
        let priors = l.by_element.iter().map(|e| (e.prior, "by_element"));
        for (prior, field) in std::iter::once((l.prior, "prior")).chain(priors) {
            if let Some(p) = prior.filter(|p| !p.is_finite() || !(l.min..=l.max).contains(p)) {
                err(
                    item(),
                    field,
                    format!("prior {p} is outside {}..{}", l.min, l.max),
                );
            }
        }
    }
}

/// Data series and lookup tables: points that are finite and in order.
fn check_tables(m: &Model, err: &mut impl FnMut(Item, &str, String)) {
    for v in &m.variables {
        if let VariableKind::Data { points } = &v.kind {
            let item = || Item::Variable(v.id.clone());
            if points.is_empty() {
                err(
                    item(),
                    "points",
                    "a data series needs at least one point".into(),
                );
            }
            for w in points.windows(2) {
                if w[1].0 <= w[0].0 {
                    err(
                        item(),
                        "points",
                        format!("years must increase: {} comes after {}", w[1].0, w[0].0),
                    );
                }
            }
            for (y, x) in points {
                if !x.is_finite() {
                    err(item(), "points", format!("the value for {y} is not finite"));
                }
            }
        }
    }

    for t in &m.lookups {
        let mut bad = |field: &str, msg: String| err(Item::Lookup(t.id.clone()), field, msg);
        check_points(&t.points, "points", "", &mut bad);
        for e in &t.by_element {
            check_points(&e.points, "by_element", &format!("`{}`: ", e.at), &mut bad);
        }
    }
}

/// A table's points: at least one, finite, x increasing.
fn check_points(points: &[(f64, f64)], field: &str, at: &str, err: &mut impl FnMut(&str, String)) {
    if points.is_empty() {
        err(
            field,
            format!("{at}a lookup table needs at least one point"),
        );
    }
    for (x, y) in points {
        if !x.is_finite() || !y.is_finite() {
            err(field, format!("{at}point ({x}, {y}) is not finite"));
        }
    }
    for w in points.windows(2) {
        if w[1].0 <= w[0].0 {
            let msg = format!("{at}x must increase: {} comes after {}", w[1].0, w[0].0);
            err(field, msg);
        }
    }
}

/// Observations, series breaks, charts, groups and ratios name what exists.
fn check_data(m: &Model, err: &mut impl FnMut(Item, &str, String)) {
    let var_exists = |id: &str| m.is_series(id);
    for (i, o) in m.observations.iter().enumerate() {
        if !var_exists(&o.variable) {
            err(
                Item::Observation(i),
                "variable",
                format!("no variable is called `{}`", o.variable),
            );
        }
        if !o.value.is_finite() {
            err(
                Item::Observation(i),
                "value",
                format!("{} is not a finite number", o.value),
            );
        }
        source_problems(&o.source, Item::Observation(i), err);
    }
    for (i, b) in m.series_breaks.iter().enumerate() {
        // A break may name a whole arrayed variable: every element breaks.
        if !var_exists(&b.variable) && m.variable(&b.variable).is_none() {
            err(
                Item::SeriesBreak(i),
                "variable",
                format!("no variable is called `{}`", b.variable),
            );
        }
        source_problems(&b.source, Item::SeriesBreak(i), err);
    }
    for c in &m.charts {
        for v in &c.series {
            // A chart may show all of an arrayed variable's elements.
            if !var_exists(v) && m.variable(v).is_none() {
                err(
                    Item::Model,
                    "charts",
                    format!(
                        "chart `{}` shows `{v}`, but no variable has that name",
                        c.id
                    ),
                );
            }
        }
    }
    for l in &m.levers {
        if !l.group.is_empty() && !m.groups.is_empty() && !m.groups.iter().any(|g| g.id == l.group)
        {
            err(
                Item::Lever(l.id.clone()),
                "group",
                format!("no group is called `{}`", l.group),
            );
        }
    }
    for r in &m.ratios {
        for t in [&r.numerator, &r.denominator] {
            if !m.targets.iter().any(|x| &x.id == t) {
                err(
                    Item::Model,
                    "ratios",
                    format!("ratio `{}` names target `{t}`, which does not exist", r.id),
                );
            }
        }
        if !var_exists(&r.variable) {
            err(
                Item::Model,
                "ratios",
                format!(
                    "ratio `{}` compares with `{}`, which is not a variable",
                    r.id, r.variable
                ),
            );
        }
        if !r.scale.is_finite() {
            err(
                Item::Model,
                "ratios",
                format!("ratio `{}` has no finite scale", r.id),
            );
        }
    }
}

/// Targets: unique ids, an existing variable, a finite value, a year of the model, a source.
fn check_targets(m: &Model, err: &mut impl FnMut(Item, &str, String)) {
    let var_exists = |id: &str| m.is_series(id);
    let mut target_ids = HashSet::new();
    for t in &m.targets {
        let item = || Item::Target(t.id.clone());
        if !target_ids.insert(t.id.as_str()) {
            err(item(), "id", format!("target id `{}` is used twice", t.id));
        }
        if !var_exists(&t.variable) {
            err(
                item(),
                "variable",
                format!("no variable is called `{}`", t.variable),
            );
        }
        if !t.value.is_finite() {
            err(
                item(),
                "value",
                format!("{} is not a finite number", t.value),
            );
        }
        if !(m.start_year..=m.end_year).contains(&t.year) {
            err(
                item(),
                "year",
                format!(
                    "{} is outside the model's years {}..{}",
                    t.year, m.start_year, m.end_year
                ),
            );
        }
        source_problems(&t.source, item(), err);
    }
}

fn source_problems(s: &Source, item: Item, err: &mut impl FnMut(Item, &str, String)) {
    if s.title.trim().is_empty() {
        err(item, "source", "every figure needs a source title".into());
    }
}

fn distribution_problem(d: &Distribution) -> Option<String> {
    let finite = |xs: &[f64]| xs.iter().all(|x| x.is_finite());
    let bounds_ok = |lo: &Option<f64>, hi: &Option<f64>| match (lo, hi) {
        (Some(a), Some(b)) => a.is_finite() && b.is_finite() && a < b,
        (Some(a), None) | (None, Some(a)) => a.is_finite(),
        (None, None) => true,
    };
    match d {
        Distribution::Normal { mean, sd, lo, hi } => {
            if !finite(&[*mean, *sd]) || *sd <= 0.0 || !bounds_ok(lo, hi) {
                return Some(
                    "a normal distribution needs a finite mean, sd > 0 and lo < hi".into(),
                );
            }
        }
        Distribution::LogNormal {
            median,
            sigma,
            lo,
            hi,
        } => {
            if !finite(&[*median, *sigma]) || *median <= 0.0 || *sigma <= 0.0 || !bounds_ok(lo, hi)
            {
                return Some(
                    "a lognormal distribution needs median > 0, sigma > 0 and lo < hi".into(),
                );
            }
        }
        Distribution::Triangular { lo, mode, hi } => {
            if !(finite(&[*lo, *mode, *hi]) && lo <= mode && mode <= hi && lo < hi) {
                return Some("a triangular distribution needs lo <= mode <= hi and lo < hi".into());
            }
        }
        Distribution::Uniform { lo, hi } => {
            if !finite(&[*lo, *hi]) || lo >= hi {
                return Some("a uniform distribution needs lo < hi".into());
            }
        }
    }
    None
}
