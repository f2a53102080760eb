//! The model's table of unit names: the built-ins (dimensionless, `%`, the
//! time units), the model's definitions with their aliases, and the names met
//! in equations, which XMILE recognises implicitly as new base units.
//!
//! Names are case-insensitive; they are shown as first spelled.

use std::collections::HashMap;

use super::parse::{UnitExpr, UnitParseError, is_unit_name, parse_unit};
use super::ratio::Ratio;
use super::unit::{Unit, scale_close};

/// The most names (aliases included) a table holds, so that a hostile
/// imported file cannot grow it without bound.
pub const MAX_NAMES: usize = 10_000;

/// The deepest expression tree [`UnitTable::eval`] walks (trees from
/// `parse_unit` stay far below).
const MAX_EVAL_DEPTH: usize = 1024;

/// The base ids of the built-in time bases, `year` and `day`, made first.
const TIME_BASES: u32 = 2;

/// A unit the model defines: `kMAD` = `MAD` x 1000; `person` with aliases
/// `people`, `job`.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    /// The name, as it should be shown.
    pub name: String,
    /// A unit expression; empty: a new base unit.
    pub equation: String,
    /// What the equation is multiplied by: `kMAD` = `MAD` with 1000.
    pub scale: f64,
    /// Other names for the same unit.
    pub aliases: Vec<String>,
}

/// What a name stands for.
#[derive(Clone, Debug)]
struct Entry {
    unit: Unit,
    /// A built-in name, which a definition cannot take.
    builtin: bool,
}

/// The model's table of unit names.
#[derive(Clone, Debug)]
pub struct UnitTable {
    /// Every name, lowercased, aliases included.
    names: HashMap<String, Entry>,
    /// The names to show, in the order they were declared (no aliases).
    primaries: Vec<(String, Unit)>,
    /// The name of each base unit, by id.
    bases: Vec<String>,
    /// The model's time unit.
    time: Unit,
}

/// Why an expression has no unit.
enum EvalError {
    /// An exponent overflowed.
    Overflow,
    /// The table is full; the name that did not fit.
    TooManyNames(String),
    /// A name that is not a unit name (only from trees not made by the parser).
    BadName(String),
    /// The tree is deeper than [`MAX_EVAL_DEPTH`].
    TooDeep,
}

impl EvalError {
    /// For people.
    fn message(&self) -> String {
        match self {
            EvalError::Overflow => "an exponent is too large".to_string(),
            EvalError::TooManyNames(_) => {
                format!("too many unit names: a model has at most {MAX_NAMES}")
            }
            EvalError::BadName(n) => format!("`{n}` is not a unit name"),
            EvalError::TooDeep => "the unit is nested too deep".to_string(),
        }
    }

    /// As a parse error in `text`, at the name it is about if any.
    fn in_text(&self, text: &str) -> UnitParseError {
        let offset = match self {
            EvalError::TooManyNames(n) | EvalError::BadName(n) => text.find(n.as_str()),
            _ => None,
        };
        UnitParseError {
            offset: offset.unwrap_or(0),
            message: self.message(),
        }
    }
}

/// The state of one [`UnitTable::define`] call.
struct Batch {
    /// Lowercased names taken by the definitions, and which one took each.
    claimed: HashMap<String, usize>,
    /// The lowercased names of each definition (empty when refused early).
    keys: Vec<Vec<String>>,
    /// The parsed equation of each definition (`None`: a base, or refused).
    exprs: Vec<Option<UnitExpr>>,
    /// Why each definition cannot be used.
    errors: Vec<Option<String>>,
}

/// Where a definition is in the depth-first walk of [`UnitTable::define`].
#[derive(Clone, Copy, PartialEq)]
enum Visit {
    New,
    Open,
    Done,
}

impl UnitTable {
    /// The built-in names, for a model whose time unit is `time_unit`
    /// (`year`, `quarter`, `month`, `week`, `day`; another name becomes a new
    /// base unit, an unreadable one gives `year`).
    pub fn new(time_unit: &str) -> UnitTable {
        let mut t = UnitTable {
            names: HashMap::new(),
            primaries: Vec::new(),
            bases: Vec::new(),
            time: Unit::one(),
        };
        t.builtin("1", Unit::one(), &["dmnl", "dimensionless", "unitless"]);
        t.builtin("%", Unit::dimensionless(0.01), &[]);
        let year = t.new_base("year");
        t.builtin("year", year.clone(), &["yr", "years"]);
        t.builtin("quarter", year.scaled(0.25), &["qtr", "quarters"]);
        t.builtin("month", year.scaled(1.0 / 12.0), &["mo", "months"]);
        let day = t.new_base("day");
        t.builtin("day", day.clone(), &["days"]);
        t.builtin("week", day.scaled(7.0), &["wk", "weeks"]);
        t.time = t.resolve(time_unit).unwrap_or(year);
        t
    }

    /// Adds a built-in name with its aliases.
    fn builtin(&mut self, name: &str, unit: Unit, aliases: &[&str]) {
        for n in std::iter::once(&name).chain(aliases) {
            let entry = Entry {
                unit: unit.clone(),
                builtin: true,
            };
            self.names.insert(n.to_lowercase(), entry);
        }
        self.primaries.push((name.to_string(), unit));
    }

    /// A new base unit shown as `spelling` (its names are the caller's job).
    fn new_base(&mut self, spelling: &str) -> Unit {
        let id = u32::try_from(self.bases.len()).unwrap_or(u32::MAX);
        self.bases.push(spelling.to_string());
        Unit::base(id)
    }

    /// Adds the model's definitions; returns, for each one that cannot be
    /// used, its index in `defs` and why (malformed equation, a name defined
    /// twice or clashing with a built-in or an earlier name, a definition
    /// cycle such as a = b, b = a, a use of a refused definition, a scale
    /// that is not finite and > 0, a base unit with a scale other than 1).
    /// Definitions may refer to each other in any order.
    pub fn define(&mut self, defs: &[Definition]) -> Vec<(usize, String)> {
        let n = defs.len();
        let mut batch = Batch {
            claimed: HashMap::new(),
            keys: vec![Vec::new(); n],
            exprs: vec![None; n],
            errors: vec![None; n],
        };
        for i in 0..n {
            self.check_definition(defs, i, &mut batch);
        }
        let deps: Vec<Vec<usize>> = (0..n).map(|i| self.batch_deps(&batch, i)).collect();
        self.define_in_order(defs, &deps, &mut batch);
        let errors = batch.errors.into_iter().enumerate();
        errors.filter_map(|(i, e)| e.map(|m| (i, m))).collect()
    }

    /// Checks definition `i` alone (names, scale, equation) and claims its names.
    fn check_definition(&self, defs: &[Definition], i: usize, batch: &mut Batch) {
        let d = &defs[i];
        let keys = match self.check_names(defs, d, &batch.claimed) {
            Ok(keys) => keys,
            Err(m) => {
                batch.errors[i] = Some(m);
                return;
            }
        };
        for k in &keys {
            batch.claimed.insert(k.clone(), i);
        }
        batch.keys[i] = keys;
        let name = &d.name;
        batch.errors[i] = if !(d.scale.is_finite() && d.scale > 0.0) {
            Some(format!(
                "the scale of `{name}` must be a number above 0, not {}",
                d.scale
            ))
        } else if d.equation.trim().is_empty() {
            (!scale_close(d.scale, 1.0)).then(|| {
                format!("`{name}` has no equation, so it is a new base unit: its scale must be 1")
            })
        } else {
            match parse_unit(&d.equation) {
                Ok(e) => {
                    batch.exprs[i] = Some(e);
                    None
                }
                Err(e) => Some(format!("the equation of `{name}`: {e}")),
            }
        };
    }

    /// The lowercased names of `d` (name then aliases, repeats dropped), or
    /// why one cannot be taken.
    fn check_names(
        &self,
        defs: &[Definition],
        d: &Definition,
        claimed: &HashMap<String, usize>,
    ) -> Result<Vec<String>, String> {
        let mut keys: Vec<String> = Vec::new();
        for name in std::iter::once(&d.name).chain(&d.aliases) {
            if !is_unit_name(name) {
                return Err(format!(
                    "`{name}` is not a unit name: a letter, `_` or `$` first, \
                     then letters, digits, `_`, `$` or `.`"
                ));
            }
            let key = name.to_lowercase();
            if keys.contains(&key) {
                continue;
            }
            if let Some(e) = self.names.get(&key) {
                return Err(if e.builtin {
                    format!("`{name}` is a built-in unit")
                } else {
                    format!("`{name}` is already a unit of the model")
                });
            }
            if let Some(&j) = claimed.get(&key) {
                let other = &defs[j].name;
                return Err(format!(
                    "`{name}` is already defined, as a name of `{other}`"
                ));
            }
            keys.push(key);
        }
        Ok(keys)
    }

    /// The definitions of the batch that the equation of definition `i` uses.
    fn batch_deps(&self, batch: &Batch, i: usize) -> Vec<usize> {
        let Some(e) = &batch.exprs[i] else {
            return Vec::new();
        };
        let mut names = Vec::new();
        collect_names(e, &mut names);
        let mut deps = Vec::new();
        for n in names {
            if let Some(j) = self.batch_target(&n.to_lowercase(), &batch.claimed)
                && !deps.contains(&j)
            {
                deps.push(j);
            }
        }
        deps
    }

    /// The definition of the batch a name (lowercased) will stand for, if
    /// any: the same lookup as [`UnitTable::lookup`], plurals included.
    fn batch_target(&self, key: &str, claimed: &HashMap<String, usize>) -> Option<usize> {
        if self.names.contains_key(key) {
            return None;
        }
        if let Some(&j) = claimed.get(key) {
            return Some(j);
        }
        for v in plural_variants(key).into_iter().flatten() {
            if self.names.contains_key(&v) {
                return None;
            }
            if let Some(&j) = claimed.get(&v) {
                return Some(j);
            }
        }
        None
    }

    /// Defines the batch, each definition after those it uses: a depth-first
    /// walk with an explicit stack (no recursion, however long the chains).
    fn define_in_order(&mut self, defs: &[Definition], deps: &[Vec<usize>], batch: &mut Batch) {
        let mut state = vec![Visit::New; defs.len()];
        for root in 0..defs.len() {
            if state[root] != Visit::New {
                continue;
            }
            state[root] = Visit::Open;
            let mut stack = vec![(root, 0usize)];
            while let Some(top) = stack.last_mut() {
                let (i, k) = *top;
                if let Some(&j) = deps[i].get(k) {
                    top.1 += 1;
                    match state[j] {
                        Visit::New => {
                            state[j] = Visit::Open;
                            stack.push((j, 0));
                        }
                        Visit::Open => mark_cycle(defs, &stack, j, &mut batch.errors),
                        Visit::Done => {}
                    }
                } else {
                    stack.pop();
                    state[i] = Visit::Done;
                    self.finish(defs, &deps[i], i, batch);
                }
            }
        }
    }

    /// Defines definition `i`, whose dependencies are done, unless it or one
    /// of them is refused.
    fn finish(&mut self, defs: &[Definition], deps: &[usize], i: usize, batch: &mut Batch) {
        if batch.errors[i].is_some() {
            return;
        }
        if let Some(&j) = deps.iter().find(|&&j| batch.errors[j].is_some()) {
            let (name, other) = (&defs[i].name, &defs[j].name);
            batch.errors[i] = Some(format!("`{name}` uses `{other}`, which cannot be used"));
            return;
        }
        if let Err(m) = self.add_definition(&defs[i], batch.exprs[i].as_ref(), &batch.keys[i]) {
            batch.errors[i] = Some(m);
        }
    }

    /// Adds one checked definition under its lowercased names `keys`.
    fn add_definition(
        &mut self,
        d: &Definition,
        expr: Option<&UnitExpr>,
        keys: &[String],
    ) -> Result<(), String> {
        let unit = match expr {
            Some(e) => Some(
                self.eval_expr(e, 0)
                    .map_err(|err| format!("the equation of `{}`: {}", d.name, err.message()))?
                    .scaled(d.scale),
            ),
            None => None,
        };
        if self.names.len() + keys.len() > MAX_NAMES {
            return Err(EvalError::TooManyNames(d.name.clone()).message());
        }
        if keys.iter().any(|k| self.names.contains_key(k)) {
            return Err(format!("`{}` is already a unit of the model", d.name));
        }
        let unit = match unit {
            Some(u) => u,
            None => self.new_base(&d.name),
        };
        for k in keys {
            let entry = Entry {
                unit: unit.clone(),
                builtin: false,
            };
            self.names.insert(k.clone(), entry);
        }
        self.primaries.push((d.name.clone(), unit));
        Ok(())
    }

    /// The unit a unit expression text stands for. Unknown names become new
    /// base units (XMILE: units are recognised implicitly), or aliases of a
    /// known name they are the plural or singular of (`jobs`, `job`).
    pub fn resolve(&mut self, text: &str) -> Result<Unit, UnitParseError> {
        let e = parse_unit(text)?;
        self.eval_expr(&e, 0).map_err(|err| err.in_text(text))
    }

    /// The same, for an already parsed expression; `None` when an exponent
    /// overflows, the table is full, or a name is not a unit name.
    pub fn eval(&mut self, e: &UnitExpr) -> Option<Unit> {
        self.eval_expr(e, 0).ok()
    }

    /// [`UnitTable::eval`] at `depth` in the tree.
    fn eval_expr(&mut self, e: &UnitExpr, depth: usize) -> Result<Unit, EvalError> {
        if depth > MAX_EVAL_DEPTH {
            return Err(EvalError::TooDeep);
        }
        Ok(match e {
            UnitExpr::One => Unit::one(),
            UnitExpr::Percent => Unit::dimensionless(0.01),
            UnitExpr::Name(n) => self.lookup(n)?,
            UnitExpr::Mul(a, b) => {
                let a = self.eval_expr(a, depth + 1)?;
                a.mul(&self.eval_expr(b, depth + 1)?)
            }
            UnitExpr::Div(a, b) => {
                let a = self.eval_expr(a, depth + 1)?;
                a.div(&self.eval_expr(b, depth + 1)?)
            }
            UnitExpr::Pow(a, r) => self
                .eval_expr(a, depth + 1)?
                .pow(*r)
                .ok_or(EvalError::Overflow)?,
        })
    }

    /// The unit of a name, adding it when it is new: as an alias of its
    /// singular or plural if known, else as a new base unit.
    fn lookup(&mut self, name: &str) -> Result<Unit, EvalError> {
        let key = name.to_lowercase();
        if let Some(e) = self.names.get(&key) {
            return Ok(e.unit.clone());
        }
        if !is_unit_name(name) {
            return Err(EvalError::BadName(name.to_string()));
        }
        if self.names.len() >= MAX_NAMES {
            return Err(EvalError::TooManyNames(name.to_string()));
        }
        let known = plural_variants(&key)
            .into_iter()
            .flatten()
            .find_map(|v| self.names.get(&v).map(|e| e.unit.clone()));
        let (unit, primary) = match known {
            Some(u) => (u, false),
            None => (self.new_base(name), true),
        };
        let entry = Entry {
            unit: unit.clone(),
            builtin: false,
        };
        self.names.insert(key, entry);
        if primary {
            self.primaries.push((name.to_string(), unit.clone()));
        }
        Ok(unit)
    }

    /// The model's time unit.
    pub fn time(&self) -> Unit {
        self.time.clone()
    }

    /// A unit for people, in the table's own names: a name of the table if
    /// one is exactly this unit (`kMAD`, `%`, `month`), else the factors as
    /// `a*b^2/(c*d^(1/2))` with base units as first spelled (the time bases
    /// last: `MAD/(job*year)`), where one base
    /// may be replaced by a scaled name (`kMAD/job`, `1/month`) or a
    /// dimensionless name added (`%/year`) to account for the scale. A scale
    /// still left is written first with a `×`: `×1000 MAD^2`.
    pub fn display(&self, u: &Unit) -> String {
        if let Some((name, _)) = self.primaries.iter().find(|(_, p)| p.same(u)) {
            return name.clone();
        }
        let mut parts: Vec<(String, Ratio)> = (u.factors().iter())
            .map(|&(id, e)| (self.base_name(id), e))
            .collect();
        let mut scale = u.scale();
        if !scale_close(scale, 1.0)
            && let Some((k, name)) = self.scaled_name(u)
        {
            parts[k].0 = name;
            scale = 1.0;
        }
        // The time bases (`year`, `day`) last: `MAD/(job*year)`.
        let mut keyed: Vec<_> = u.factors().iter().zip(parts).collect();
        keyed.sort_by_key(|((id, _), _)| *id < TIME_BASES);
        let parts: Vec<(String, Ratio)> = keyed.into_iter().map(|(_, p)| p).collect();
        if scale_close(scale, 1.0) {
            return compose(parts, None, None);
        }
        if let Some(n) = self.dimensionless_name(scale) {
            return compose(parts, Some(n), None);
        }
        if let Some(n) = self.dimensionless_name(1.0 / scale) {
            return compose(parts, None, Some(n));
        }
        match compose(parts, None, None) {
            body if body == "1" => format!("×{}", format_scale(scale)),
            body => format!("×{} {body}", format_scale(scale)),
        }
    }

    /// The name of base unit `id`.
    fn base_name(&self, id: u32) -> String {
        let known = usize::try_from(id).ok().and_then(|i| self.bases.get(i));
        known.cloned().unwrap_or_else(|| format!("unit#{id}"))
    }

    /// A factor of `u` (its index) and a name of one base with exponent 1
    /// whose scale, raised to the factor's exponent, is the scale of `u`.
    fn scaled_name(&self, u: &Unit) -> Option<(usize, String)> {
        for (k, &(id, e)) in u.factors().iter().enumerate() {
            for (name, p) in &self.primaries {
                if *p.factors() == [(id, Ratio::ONE)]
                    && scale_close(p.scale().powf(e.to_f64()), u.scale())
                {
                    return Some((k, name.clone()));
                }
            }
        }
        None
    }

    /// A dimensionless name with this scale (not 1), such as `%`.
    fn dimensionless_name(&self, scale: f64) -> Option<&str> {
        let found = self.primaries.iter().find(|(_, p)| {
            p.is_dimensionless() && !scale_close(p.scale(), 1.0) && scale_close(p.scale(), scale)
        });
        found.map(|(n, _)| n.as_str())
    }
}

/// The other number of a lowercased name: its singular (`jobs` -> `job`),
/// then its plural (`job` -> `jobs`). Only for singulars of 2 characters or
/// more, so that abbreviations such as `m` and `ms` stay apart.
fn plural_variants(key: &str) -> [Option<String>; 2] {
    let long = |s: &str| s.chars().nth(1).is_some();
    let singular = key.strip_suffix('s').filter(|s| long(s));
    let plural = long(key).then(|| format!("{key}s"));
    [singular.map(str::to_string), plural]
}

/// The names in an expression.
fn collect_names(e: &UnitExpr, out: &mut Vec<String>) {
    match e {
        UnitExpr::One | UnitExpr::Percent => {}
        UnitExpr::Name(n) => out.push(n.clone()),
        UnitExpr::Mul(a, b) | UnitExpr::Div(a, b) => {
            collect_names(a, out);
            collect_names(b, out);
        }
        UnitExpr::Pow(a, _) => collect_names(a, out),
    }
}

/// Marks the definitions on the stack from `j` up as a cycle.
fn mark_cycle(
    defs: &[Definition],
    stack: &[(usize, usize)],
    j: usize,
    errors: &mut [Option<String>],
) {
    let start = stack.iter().position(|&(s, _)| s == j).unwrap_or(0);
    let cycle = &stack[start..];
    let mut names: Vec<&str> = cycle.iter().map(|&(s, _)| defs[s].name.as_str()).collect();
    names.push(defs[j].name.as_str());
    let msg = format!("definition cycle: {}", names.join(" -> "));
    for &(s, _) in cycle {
        if errors[s].is_none() {
            errors[s] = Some(msg.clone());
        }
    }
}

/// `num/den`, with `/( )` around several denominators and `1` for an empty
/// numerator; `extra_num`/`extra_den` are names added first/last.
fn compose(
    parts: Vec<(String, Ratio)>,
    extra_num: Option<&str>,
    extra_den: Option<&str>,
) -> String {
    let mut num: Vec<String> = extra_num.map(str::to_string).into_iter().collect();
    let mut den: Vec<String> = Vec::new();
    for (name, e) in parts {
        if e.num() > 0 {
            num.push(power(&name, e));
        } else {
            den.push(power(&name, e.neg()));
        }
    }
    den.extend(extra_den.map(str::to_string));
    let num = if num.is_empty() {
        "1".to_string()
    } else {
        num.join("*")
    };
    match den.as_slice() {
        [] => num,
        [one] => format!("{num}/{one}"),
        _ => format!("{num}/({})", den.join("*")),
    }
}

/// `name`, `name^2` or `name^(1/2)`.
fn power(name: &str, e: Ratio) -> String {
    if e == Ratio::ONE {
        name.to_string()
    } else if e.is_integer() {
        format!("{name}^{e}")
    } else {
        format!("{name}^({e})")
    }
}

/// A scale, plainly when moderate, else in exponent notation (`1e12`).
fn format_scale(s: f64) -> String {
    if (1e-4..1e9).contains(&s.abs()) {
        format!("{s}")
    } else {
        format!("{s:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, equation: &str, scale: f64, aliases: &[&str]) -> Definition {
        Definition {
            name: name.to_string(),
            equation: equation.to_string(),
            scale,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn show(t: &mut UnitTable, text: &str) -> String {
        let u = t.resolve(text).unwrap();
        t.display(&u)
    }

    fn same(t: &mut UnitTable, a: &str, b: &str) -> bool {
        let (a, b) = (t.resolve(a).unwrap(), t.resolve(b).unwrap());
        a.same(&b)
    }

    /// The indices of the refused definitions.
    fn refused(errors: &[(usize, String)]) -> Vec<usize> {
        errors.iter().map(|e| e.0).collect()
    }

    #[test]
    fn builtins() {
        let mut t = UnitTable::new("year");
        for d in ["1", "dmnl", "Dimensionless", "UNITLESS"] {
            assert!(t.resolve(d).unwrap().same(&Unit::one()), "{d}");
        }
        let pct = t.resolve("%").unwrap();
        assert!(pct.is_dimensionless() && pct.scale() == 0.01);
        assert_eq!(t.display(&pct), "%");
        assert_eq!(show(&mut t, "dmnl"), "1");
        assert_eq!(show(&mut t, "%/year"), "%/year");
        assert_eq!(show(&mut t, "1/year"), "1/year");
        assert_eq!(show(&mut t, "1/%"), "1/%");
        assert_eq!(show(&mut t, "%*%"), "×0.0001");
    }

    #[test]
    fn time_units() {
        let mut t = UnitTable::new("month");
        let year = t.resolve("year").unwrap();
        assert!(t.time().same(&year.scaled(1.0 / 12.0)));
        assert_eq!(t.display(&t.time()), "month");
        assert!(t.resolve("month").unwrap().same(&year.scaled(1.0 / 12.0)));
        assert!(t.resolve("quarter").unwrap().same(&year.scaled(0.25)));
        assert!(same(&mut t, "yr", "Years") && same(&mut t, "mo", "months"));
        assert!(same(&mut t, "qtr", "quarters") && same(&mut t, "wk", "weeks"));
        let day = t.resolve("day").unwrap();
        assert!(t.resolve("week").unwrap().same(&day.scaled(7.0)));
        assert!(same(&mut t, "days", "day"));
        assert!(!day.same_dims(&year));
        assert!(
            !t.resolve("week")
                .unwrap()
                .same_dims(&t.resolve("month").unwrap())
        );
        assert_eq!(show(&mut t, "MAD/month"), "MAD/month");
        assert_eq!(show(&mut t, "1/quarter"), "1/quarter");
        assert_eq!(show(&mut t, "1/week"), "1/week");
        assert_eq!(show(&mut t, "person/year"), "person/year");
        for (name, shown) in [("year", "year"), ("Quarter", "quarter"), ("WEEK", "week")] {
            let t = UnitTable::new(name);
            assert_eq!(t.display(&t.time()), shown);
        }
        assert_eq!(
            UnitTable::new("day").display(&UnitTable::new("day").time()),
            "day"
        );
        let t = UnitTable::new("");
        assert_eq!(t.display(&t.time()), "year");
        let t = UnitTable::new("hour");
        assert_eq!(t.display(&t.time()), "hour");
    }

    #[test]
    fn scaled_definitions() {
        let mut t = UnitTable::new("year");
        let defs = [
            def("kMAD", "MAD", 1000.0, &[]),
            def("bnMAD", "MAD", 1e9, &[]),
            def("MAD", "", 1.0, &[]),
        ];
        assert_eq!(t.define(&defs), vec![]);
        let mad = t.resolve("MAD").unwrap();
        assert!(t.resolve("kMAD").unwrap().same(&mad.scaled(1000.0)));
        assert!(t.resolve("bnMAD").unwrap().same(&mad.scaled(1e9)));
        assert_eq!(show(&mut t, "kMAD/job"), "kMAD/job");
        assert_eq!(show(&mut t, "bnMAD"), "bnMAD");
        assert_eq!(show(&mut t, "kMAD"), "kMAD");
        assert_eq!(show(&mut t, "kMAD^2"), "kMAD^2");
        assert_eq!(show(&mut t, "1/kMAD"), "1/kMAD");
        assert_eq!(show(&mut t, "MAD/(job*year)"), "MAD/(job*year)");
        assert_eq!(show(&mut t, "kMAD*MAD"), "×1000 MAD^2");
        assert_eq!(show(&mut t, "%*MAD/job"), "%*MAD/job");
        assert_eq!(show(&mut t, "m^(1/2)"), "m^(1/2)");
        assert_eq!(show(&mut t, "job^2"), "job^2");
        assert_eq!(show(&mut t, "job/job"), "1");
    }

    #[test]
    fn aliases_and_case() {
        let mut t = UnitTable::new("year");
        let defs = [def("person", "", 1.0, &["people", "job"])];
        assert_eq!(t.define(&defs), vec![]);
        assert!(same(&mut t, "job/year", "people/year"));
        assert_eq!(show(&mut t, "job/year"), "person/year");
        assert!(same(&mut t, "Year", "YEAR") && same(&mut t, "JOB", "Person"));
        assert_eq!(show(&mut t, "Widget*widget"), "Widget^2");
        assert_eq!(show(&mut t, "WIDGET"), "Widget");
        assert_eq!(show(&mut t, "PEOPLE"), "person");
    }

    #[test]
    fn plurals() {
        let mut t = UnitTable::new("year");
        assert!(same(&mut t, "jobs", "job"));
        assert_eq!(show(&mut t, "job"), "jobs");
        assert!(same(&mut t, "car", "cars"));
        assert_eq!(show(&mut t, "cars"), "car");
        assert!(same(&mut t, "yrs", "year"));
        assert!(!same(&mut t, "m", "ms") && !same(&mut t, "ks", "k"));
        // Two defined names are never merged.
        let mut t = UnitTable::new("year");
        let defs = [def("unit", "", 1.0, &[]), def("units", "", 1.0, &[])];
        assert_eq!(t.define(&defs), vec![]);
        assert!(!same(&mut t, "unit", "units"));
        // A plural met in a definition's equation follows the definition
        // that comes later in the list.
        let mut t = UnitTable::new("year");
        let defs = [def("pack", "items", 10.0, &[]), def("item", "", 1.0, &[])];
        assert_eq!(t.define(&defs), vec![]);
        let item = t.resolve("item").unwrap();
        assert!(t.resolve("pack").unwrap().same(&item.scaled(10.0)));
        assert!(same(&mut t, "items", "item"));
    }

    #[test]
    fn refused_definitions() {
        let mut t = UnitTable::new("year");
        let defs = [
            def("a", "b", 1.0, &[]),
            def("b", "a*x", 1.0, &[]),
            def("c", "a/year", 1.0, &[]),
            def("d", "d^2", 1.0, &[]),
            def("kMAD", "MAD", 1000.0, &[]),
            def("KMAD", "MAD", 1000.0, &[]),
            def("Year", "day", 365.0, &[]),
            def("e", "MAD", 0.0, &[]),
            def("f", "MAD", f64::NAN, &[]),
            def("g", "MAD", f64::INFINITY, &[]),
            def("h", "2*MAD", 1.0, &[]),
            def("i", "e", 1.0, &[]),
            def("j k", "", 1.0, &[]),
            def("l", "", 1.0, &["kmad"]),
            def("m", "", 2.0, &[]),
            def("n", "", 1.0, &["dmnl"]),
            def("ok", "MAD/year", 1.0, &["OK", "fine", "Fine"]),
        ];
        let errors = t.define(&defs);
        assert_eq!(
            refused(&errors),
            [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
        );
        let why = |i: usize| &errors.iter().find(|e| e.0 == i).unwrap().1;
        assert_eq!(why(0), "definition cycle: a -> b -> a");
        assert_eq!(why(1), "definition cycle: a -> b -> a");
        assert!(why(2).contains("uses `a`"));
        assert!(why(3).contains("cycle: d -> d"));
        assert!(why(5).contains("already defined"));
        assert!(why(6).contains("built-in"));
        assert!(why(7).contains("scale") && why(8).contains("scale") && why(9).contains("scale"));
        assert!(why(10).contains("other than 1"));
        assert!(why(11).contains("uses `e`"));
        assert!(why(12).contains("not a unit name"));
        assert!(why(13).contains("already defined"));
        assert!(why(14).contains("scale must be 1"));
        assert!(why(15).contains("built-in"));
        let mad = t.resolve("MAD").unwrap();
        assert!(t.resolve("kmad").unwrap().same(&mad.scaled(1000.0)));
        assert!(same(&mut t, "fine", "MAD/year"));
        assert_eq!(show(&mut t, "FINE"), "ok");
        // A later call cannot redefine a name in use.
        let errors = t.define(&[def("MAD", "", 1.0, &[]), def("q", "", 1.0, &[])]);
        assert_eq!(refused(&errors), [0]);
    }

    #[test]
    fn long_chains_and_any_order() {
        let mut t = UnitTable::new("year");
        let n = 5000;
        let mut defs: Vec<Definition> = (0..n)
            .map(|i| def(&format!("u{i}"), &format!("u{}", i + 1), 1.0, &[]))
            .collect();
        defs.push(def(&format!("u{n}"), "", 1.0, &[]));
        defs.reverse();
        assert_eq!(t.define(&defs), vec![]);
        assert!(same(&mut t, "u0", &format!("u{n}")));
        // The same chain closed into a cycle: every link refused, no overflow.
        let mut t = UnitTable::new("year");
        let defs: Vec<Definition> = (0..n)
            .map(|i| def(&format!("v{i}"), &format!("v{}", (i + 1) % n), 1.0, &[]))
            .collect();
        assert_eq!(t.define(&defs).len(), n);
    }

    #[test]
    fn algebra_through_names() {
        let mut t = UnitTable::new("year");
        let m2 = t.resolve("m^2").unwrap();
        assert!(m2.sqrt().unwrap().same(&t.resolve("m").unwrap()));
        assert!(same(&mut t, "(a*b)/b", "a"));
        assert!(same(&mut t, "m^(1/2)*m^(1/2)", "m"));
        assert!(same(&mut t, "m^-1", "1/m"));
        assert!(t.resolve("m^2147483647*m").is_ok());
        let err = t.resolve("(m^65536)^65536").unwrap_err();
        assert!(err.message.contains("too large"));
        let e = UnitExpr::Name("not a name".to_string());
        assert!(t.eval(&e).is_none());
        let mut deep = UnitExpr::One;
        for _ in 0..5000 {
            deep = UnitExpr::Mul(Box::new(deep), Box::new(UnitExpr::One));
        }
        assert!(t.eval(&deep).is_none());
    }

    #[test]
    fn name_limit() {
        let mut t = UnitTable::new("year");
        let mut refused = None;
        for i in 0..MAX_NAMES {
            if let Err(e) = t.resolve(&format!("x{i}q")) {
                refused = Some((i, e));
                break;
            }
        }
        let (i, e) = refused.unwrap();
        assert!(i > MAX_NAMES - 30 && e.message.contains("too many"));
        assert_eq!(e.offset, 0);
        let e = t.resolve("year*zzz").unwrap_err();
        assert_eq!(e.offset, 5);
        assert!(t.resolve("year/day").is_ok());
        let errors = t.define(&[def("newname", "", 1.0, &[])]);
        assert!(errors[0].1.contains("too many"));
    }

    #[test]
    fn never_panics() {
        let alphabet: Vec<char> = "ab1 2*/^()-%$.s_".chars().collect();
        let mut seed = 0x0bad_cafe_dead_beefu64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut t = UnitTable::new("year");
        for _ in 0..3000 {
            let len = next() % 10;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            if let Ok(u) = t.resolve(&text) {
                let shown = t.display(&u);
                assert!(!shown.is_empty());
            }
            let d = def(&text, &text, 1.0, &[&text]);
            let _ = t.define(&[d.clone(), d]);
        }
    }
}
