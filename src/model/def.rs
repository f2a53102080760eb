//! The sector model as a person writes it in a RON file: plain data, equations
//! as text. `compile` turns it into something that runs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The most charts [`Model::default_charts`] makes.
pub const DEFAULT_CHARTS: usize = 12;

/// The model file format this build writes. Files with a larger number are refused.
pub const MODEL_FORMAT_VERSION: u32 = 1;

/// A text in both of the app's languages.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Text {
    pub fr: String,
    pub en: String,
}

impl Text {
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            fr: fr.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    pub fn get_mut(&mut self, lang: Lang) -> &mut String {
        match lang {
            Lang::Fr => &mut self.fr,
            Lang::En => &mut self.en,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    Fr,
    #[default]
    En,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub format_version: u32,
    /// Stable identifier, referred to by scenarios: `morocco-offshoring`.
    pub id: String,
    /// The model's own version, bumped when its equations or data change.
    pub version: String,
    pub name: Text,
    pub sector: Text,
    pub country: Text,
    /// Currency of money variables, such as `MAD`.
    pub currency: String,
    /// The start and stop times, in the model's time unit (`time.unit`):
    /// years by default, whence the names.
    pub start_year: i32,
    pub end_year: i32,
    /// The clock: time unit, step, saved times and integration method.
    /// Left out of files that use the default (yearly, `dt` 1, Euler).
    #[serde(default, skip_serializing_if = "TimeSpec::is_default")]
    pub time: TimeSpec,
    /// The last year with observations: later years are projections.
    pub last_observed_year: i32,
    #[serde(default)]
    pub description: Text,
    /// Lever groups in display order, with their labels.
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Named sets of elements that variables are arrayed over:
    /// `segment: [crm, bpo, ito, eso, kpo]`, and parts of them
    /// (`value_added: [ito, eso, kpo]`, a subrange of `segment`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<Dimension>,
    #[serde(default)]
    pub levers: Vec<Lever>,
    #[serde(default)]
    pub variables: Vec<Variable>,
    #[serde(default)]
    pub lookups: Vec<Lookup>,
    #[serde(default)]
    pub observations: Vec<Observation>,
    #[serde(default)]
    pub series_breaks: Vec<SeriesBreak>,
    #[serde(default)]
    pub targets: Vec<Target>,
    /// The charts the window shows, in order.
    #[serde(default)]
    pub charts: Vec<Chart>,
    /// Pairs of targets whose ratio means something (exports / jobs = revenue
    /// per job), shown against the variable they imply.
    #[serde(default)]
    pub ratios: Vec<Ratio>,
    /// Units the model defines for its unit expressions (`unit_expr`):
    /// scaled units (`kMAD` = 1000 `MAD`) and equivalent names (`person`
    /// = `people` = `job`). Names not defined here are base units.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<UnitDef>,
    /// The model map: where the user (or the tool the model came from)
    /// placed nodes, and the names given to feedback loops.
    #[serde(default, skip_serializing_if = "ModelMap::is_empty")]
    pub map: ModelMap,
}

/// What the model map keeps in the model file: the places of the nodes the
/// user moved (the others are laid out automatically) and the loops' names.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelMap {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Place>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub loop_names: Vec<LoopName>,
}

impl ModelMap {
    pub fn is_empty(&self) -> bool {
        self.places.is_empty() && self.loop_names.is_empty()
    }
}

/// A node placed on the map: a variable's or a lever's id, and the centre
/// of its box in points (y downwards).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub id: String,
    pub at: [f32; 2],
}

/// A feedback loop's name, given by the user. `key` is the loop's ids in
/// its order from the smallest, joined by `>` (`structure::loop_key`), so
/// the name stays with the loop whatever node it is read from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoopName {
    pub key: String,
    pub name: Text,
}

/// A unit defined by the model, as XMILE's `<model_units><unit>` (3.x)
/// with a scale: `(name: "kMAD", equation: "MAD", scale: 1000.0)`; with
/// no equation, a base unit, maybe with other names (`aliases`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDef {
    pub name: String,
    /// What it is in other units: `MAD`, `person/year`; empty for a base unit.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub equation: String,
    /// How many of `equation` one of it is.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub scale: f64,
    /// Other names of the same unit (Vensim's units synonyms).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

fn is_one(x: &f64) -> bool {
    *x == 1.0
}

/// A dimension: the elements an arrayed variable has one value for
/// (XMILE's `<dim>`, Vensim's subscript range). A subrange lists some of
/// its parent's elements, by id, in its own order, and shares their labels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub id: String,
    #[serde(default)]
    pub label: Text,
    pub elements: Vec<Element>,
    /// The dimension this one is a part of, when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subrange_of: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Element {
    pub id: String,
    #[serde(default)]
    pub label: Text,
}

/// Equations for some elements of an arrayed variable, in place of the
/// ones its `kind` gives every element: `(at: "crm", equation: "...")`.
/// `at` names one subscript per dimension, comma-separated: an element, or
/// a dimension or subrange (all its elements).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElementEquation {
    pub at: String,
    /// An auxiliary's equation for these elements.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub equation: String,
    /// A stock's initial value for these elements.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub initial: String,
    /// A stock's change for these elements.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub change: String,
}

/// `numerator / denominator x scale`, two targets' values, compared with `variable`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ratio {
    pub id: String,
    pub label: Text,
    /// Target ids.
    pub numerator: String,
    pub denominator: String,
    pub scale: f64,
    /// The variable the ratio is an implied value of.
    pub variable: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub label: Text,
}

/// A chart of one or more variables sharing a unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chart {
    pub id: String,
    pub title: Text,
    /// Variable ids. The first is the main line; the others are drawn beside it,
    /// or stacked when `stacked` is set.
    pub series: Vec<String>,
    #[serde(default)]
    pub stacked: bool,
    /// Shown only in the detailed view ("by segment"), where the detail
    /// charts take the places of the first charts, in order.
    #[serde(default)]
    pub detail: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lever {
    pub id: String,
    pub label: Text,
    pub unit: Text,
    /// What the units check reads: a unit expression such as `job/year`,
    /// `kMAD/job` or `%` (see `model::units`); empty: not checked. `unit`
    /// is only the label shown to people.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit_expr: String,
    /// Levers of one group are shown together: `talent`, `demand`...
    #[serde(default)]
    pub group: String,
    pub min: f64,
    pub max: f64,
    pub default: f64,
    pub step: f64,
    #[serde(default)]
    pub description: Text,
    /// Named positions, such as "status quo" or "plan".
    #[serde(default)]
    pub positions: Vec<Position>,
    /// Where the value is uncertain: how (used by Monte Carlo).
    #[serde(default)]
    pub uncertainty: Option<Distribution>,
    /// A calibrated parameter of the model's past rather than a policy
    /// choice: offered for calibration, left out of goal seek and ranking.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub calibration: bool,
    /// For a calibration lever: its value chosen before any fit, from the
    /// sources or neutral, never from observations. A hindcast (a fit to
    /// the observations up to a year before the last observed one) starts
    /// from it, so that what it predicts owes nothing to the later data the
    /// shipped value was fitted on (`calibrate::calibrate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<f64>,
    /// Dimension ids: a lever over them has one value per element
    /// (`training_growth[crm]`...), all starting at `default` unless
    /// `by_element` says otherwise, all within `min..max`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<String>,
    /// Defaults for some elements of an arrayed lever.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_element: Vec<ElementDefault>,
}

impl Lever {
    /// A lever `id` from `min` to `max` by `step`, at `default`, labelled
    /// with its id, in no group, with nothing else said: what a new lever,
    /// an imported constant or a test starts from.
    pub fn new(id: &str, min: f64, max: f64, default: f64, step: f64) -> Lever {
        Lever {
            id: id.to_string(),
            label: Text::new(id, id),
            unit: Text::default(),
            unit_expr: String::new(),
            group: String::new(),
            min,
            max,
            default,
            step,
            description: Text::default(),
            positions: Vec::new(),
            uncertainty: None,
            calibration: false,
            prior: None,
            dimensions: Vec::new(),
            by_element: Vec::new(),
        }
    }
}

/// An arrayed lever's default for some elements: `(at: "crm", default: 4)`;
/// `at` reads as in `ElementEquation`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElementDefault {
    pub at: String,
    pub default: f64,
    /// The lever's `prior` for these elements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub label: Text,
    pub value: f64,
    #[serde(default)]
    pub source: Option<Source>,
    /// For an arrayed lever, the element the position is for (`digital`;
    /// one element per dimension, comma-separated), shown on that element's
    /// slider only; `None`: on every slider of the lever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// An uncertainty distribution; `lo`/`hi` bound the samples.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Distribution {
    Normal {
        mean: f64,
        sd: f64,
        lo: Option<f64>,
        hi: Option<f64>,
    },
    LogNormal {
        median: f64,
        sigma: f64,
        lo: Option<f64>,
        hi: Option<f64>,
    },
    Triangular {
        lo: f64,
        mode: f64,
        hi: f64,
    },
    Uniform {
        lo: f64,
        hi: f64,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub id: String,
    pub label: Text,
    pub unit: Text,
    /// What the units check reads: a unit expression such as `job/year`,
    /// `kMAD/job` or `%` (see `model::units`); empty: not checked. `unit`
    /// is only the label shown to people.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit_expr: String,
    /// The dimensions the variable is arrayed over, in order; none for a
    /// single value. Each element is a variable of runs and CSV:
    /// `jobs[crm]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<String>,
    /// The equation every element follows (one text for all, or a list of
    /// numbers, one per element: `34800, 6100, 12200`).
    pub kind: VariableKind,
    /// Equations for some elements, in place of `kind`'s.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_element: Vec<ElementEquation>,
    #[serde(default)]
    pub description: Text,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum VariableKind {
    /// A stock, given in one of two forms:
    /// - `change`: `value[start] = initial`; `value[t] = value[t-dt] +
    ///   dt * change`, the change evaluated at `t` (with `dt` 1, the change
    ///   over the year, as in every model before the time axis);
    /// - `inflows` and `outflows` (XMILE's stocks, 3.1.1): `value[t] =
    ///   value[t-dt] + dt * (inflows - outflows)`, the flows' values at
    ///   `t-dt`; with `non_negative`, the outflows are cut so that the stock
    ///   does not go below zero (XMILE 4.2).
    Stock {
        initial: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        change: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        inflows: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        outflows: Vec<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        non_negative: bool,
    },
    /// `value[t] = equation` evaluated in year t.
    Aux { equation: String },
    /// A time series: linear between given years, flat beyond them.
    Data { points: Vec<(i32, f64)> },
}

impl VariableKind {
    /// A stock given by its change, as every stock was before flows.
    pub fn stock(initial: impl Into<String>, change: impl Into<String>) -> VariableKind {
        VariableKind::Stock {
            initial: initial.into(),
            change: change.into(),
            inflows: Vec::new(),
            outflows: Vec::new(),
            non_negative: false,
        }
    }

    /// A stock given by its inflows and outflows (variable ids).
    pub fn stock_with_flows(
        initial: impl Into<String>,
        inflows: &[&str],
        outflows: &[&str],
        non_negative: bool,
    ) -> VariableKind {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        VariableKind::Stock {
            initial: initial.into(),
            change: String::new(),
            inflows: ids(inflows),
            outflows: ids(outflows),
            non_negative,
        }
    }
}

/// The model's clock, XMILE's `sim_specs` (3.4.1): the unit of time, the
/// time step, which times are saved and the integration method.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeSpec {
    #[serde(default)]
    pub unit: TimeUnit,
    /// The time step, in `unit`s; its reciprocal when `dt_reciprocal` is
    /// set (`dt: 4, dt_reciprocal: true` is a quarter), as XMILE allows.
    #[serde(default = "one")]
    pub dt: f64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dt_reciprocal: bool,
    /// The interval between saved times (Vensim's SAVEPER), a whole
    /// multiple of the time step; every step when not given (XMILE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub save_step: Option<f64>,
    #[serde(default, skip_serializing_if = "Method::is_euler")]
    pub method: Method,
    /// A time step that changes during the run (Vensim's `TIME STEP` and
    /// `SAVEPER` as functions of `Time`): the run's stretches of constant
    /// step, in order, from the start time to the end time. Empty for a
    /// constant step (`dt`, `save_step`), every model but those; when
    /// given, `dt` is the first stretch's step and `save_step` is unset.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<TimeSegment>,
}

/// A stretch of a changing clock (`TimeSpec::schedule`): `steps` steps of
/// `dt` from time `from` (step `j` at `from + j * dt`), a time saved when
/// it reaches the last saved time plus `save`, the save interval in force.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeSegment {
    pub from: f64,
    pub dt: f64,
    pub steps: u32,
    pub save: f64,
}

fn one() -> f64 {
    1.0
}

impl Default for TimeSpec {
    fn default() -> Self {
        TimeSpec {
            unit: TimeUnit::Year,
            dt: 1.0,
            dt_reciprocal: false,
            save_step: None,
            method: Method::Euler,
            schedule: Vec::new(),
        }
    }
}

impl TimeSpec {
    pub fn is_default(&self) -> bool {
        *self == TimeSpec::default()
    }

    /// The time step in time units, whichever way it is written.
    pub fn step(&self) -> f64 {
        if self.dt_reciprocal {
            1.0 / self.dt
        } else {
            self.dt
        }
    }

    /// The interval between saved times.
    pub fn save_interval(&self) -> f64 {
        self.save_step.unwrap_or_else(|| self.step())
    }
}

/// The unit the model's times are counted in (XMILE `time_units`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TimeUnit {
    #[default]
    Year,
    Quarter,
    Month,
    Week,
    Day,
}

impl TimeUnit {
    /// Its name in files, CSV headers and the command line: `year`...
    pub fn id(self) -> &'static str {
        match self {
            TimeUnit::Year => "year",
            TimeUnit::Quarter => "quarter",
            TimeUnit::Month => "month",
            TimeUnit::Week => "week",
            TimeUnit::Day => "day",
        }
    }

    pub const ALL: [TimeUnit; 5] = [
        TimeUnit::Year,
        TimeUnit::Quarter,
        TimeUnit::Month,
        TimeUnit::Week,
        TimeUnit::Day,
    ];
}

/// How stocks are integrated (XMILE 3.4.1 `method`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Method {
    /// `S(t + dt) = S(t) + dt * rate(t)`: every tool's default.
    #[default]
    Euler,
    /// Fourth-order Runge-Kutta, for stocks given by their flows.
    Rk4,
}

impl Method {
    pub fn is_euler(&self) -> bool {
        *self == Method::Euler
    }
}

/// A graphical function, called by its id on any expression: `effect(x)`.
/// Its points' x must increase (`validate`); `mode` says how it reads
/// between and beyond them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    pub id: String,
    pub points: Vec<(f64, f64)>,
    #[serde(default)]
    pub description: Text,
    /// Written only when not the default, so files without it stay as they are.
    #[serde(default, skip_serializing_if = "LookupMode::is_continuous")]
    pub mode: LookupMode,
    /// The unit of its values, for the units check; empty: not checked.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit_expr: String,
    /// The unit its input must have; empty: dimensionless (Vensim asks
    /// lookups to be called with a dimensionless input).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub input_unit_expr: String,
    /// Dimension ids: an arrayed table has a table per element
    /// (`effect[crm]`), each `points` unless `by_element` gives its own. An
    /// equation over the same dimension calls `effect(x)` for its element;
    /// any equation may call `effect[crm](x)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_element: Vec<ElementPoints>,
}

/// The points of some elements of an arrayed lookup table; `at` reads as
/// in `ElementEquation`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElementPoints {
    pub at: String,
    pub points: Vec<(f64, f64)>,
}

/// How a lookup reads: XMILE's graphical function types (3.1.4:
/// `continuous`, `extrapolate`, `discrete`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LookupMode {
    /// Linear between points, the end values held beyond them (XMILE's
    /// default, and Vensim's lookups).
    #[default]
    Continuous,
    /// Linear between points, and the first and last segments' slopes
    /// continued beyond them (XMILE `extrapolate`, Vensim's LOOKUP
    /// EXTRAPOLATE). A one-point table is flat.
    Extrapolate,
    /// Steps: the y of the last point whose x is at most the input, the
    /// first point's y below it (XMILE `discrete`). XMILE also asks the last
    /// two points to share their y; we do not, the last y holds from its x.
    Discrete,
}

impl LookupMode {
    pub fn is_continuous(&self) -> bool {
        *self == LookupMode::Continuous
    }
}

impl Lookup {
    /// Its value at `x`: what the compiled program computes.
    pub fn eval(&self, x: f64) -> f64 {
        lookup_value(self.points.len(), self.mode, x, |i| self.points[i])
    }
}

/// A lookup table's value at `x`, for `n` (>= 1) points given by `at(i)`,
/// increasing in x: the one implementation the compiled program and
/// `Lookup::eval` share. Not a number gives not a number.
#[inline]
pub fn lookup_value(n: usize, mode: LookupMode, x: f64, at: impl Fn(usize) -> (f64, f64)) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let (first, last) = (at(0), at(n - 1));
    let segment = |i: usize| {
        let ((x0, y0), (x1, y1)) = (at(i - 1), at(i));
        y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    };
    if x <= first.0 {
        return match mode {
            LookupMode::Extrapolate if n > 1 && x < first.0 => segment(1),
            _ => first.1,
        };
    }
    if x >= last.0 {
        return match mode {
            LookupMode::Extrapolate if n > 1 && x > last.0 => segment(n - 1),
            _ => last.1,
        };
    }
    // Tables are short: a linear scan beats a binary search. Over a range
    // below `n`, so that the compiler drops the bounds checks of `at`.
    let i = (1..n).find(|&i| at(i).0 >= x).unwrap_or(n - 1);
    match mode {
        LookupMode::Continuous | LookupMode::Extrapolate => segment(i),
        // at(i - 1).0 < x <= at(i).0: the step at i - 1, or at i on its x.
        LookupMode::Discrete if at(i).0 == x => at(i).1,
        LookupMode::Discrete => at(i - 1).1,
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Publisher or title: "Office des Changes, via maghress.com".
    pub title: String,
    /// When it was published or what period it covers.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub note: Option<Text>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    pub variable: String,
    pub year: i32,
    pub value: f64,
    pub source: Source,
    /// Which definition of the variable the figure uses, where several exist.
    #[serde(default)]
    pub definition: Option<String>,
    /// Shown as an observation but left out of the calibration fit
    /// (a figure on another definition, or a bound such as "more than").
    #[serde(default)]
    pub fit: Option<bool>,
}

/// A change of definition in a variable's observed series from `year` on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesBreak {
    pub variable: String,
    pub year: i32,
    pub note: Text,
    pub source: Source,
}

impl SeriesBreak {
    /// Whether the break is on series `series` (`exports`, `exports[crm]`):
    /// the same name, or one an element of the other.
    pub fn on(&self, series: &str) -> bool {
        let base = |s: &str| s.split('[').next().unwrap_or(s).to_string();
        series == self.variable
            || (!self.variable.contains('[') && base(series) == self.variable)
            || (!series.contains('[') && base(&self.variable) == series)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub id: String,
    pub variable: String,
    pub year: i32,
    pub value: f64,
    pub label: Text,
    pub source: Source,
}

impl Model {
    pub fn lever(&self, id: &str) -> Option<&Lever> {
        self.levers.iter().find(|l| l.id == id)
    }

    pub fn variable(&self, id: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.id == id)
    }

    /// Whether `name` is one series of a run: a variable without
    /// dimensions (`jobs`), or one element of an arrayed one (`jobs[crm]`,
    /// `x[a,b]`: an element of each of its dimensions, in order).
    pub fn is_series(&self, name: &str) -> bool {
        let Some((id, rest)) = name.split_once('[') else {
            return self.variable(name).is_some_and(|v| v.dimensions.is_empty());
        };
        let (Some(v), Some(inner)) = (self.variable(id), rest.strip_suffix(']')) else {
            return false;
        };
        let elems: Vec<&str> = inner.split(',').collect();
        elems.len() == v.dimensions.len()
            && v.dimensions.iter().zip(&elems).all(|(d, e)| {
                self.dimensions
                    .iter()
                    .find(|x| &x.id == d)
                    .is_some_and(|x| x.elements.iter().any(|el| el.id == *e))
            })
    }

    /// The charts a model that declares none is shown with: one per stock
    /// (the first [`DEFAULT_CHARTS`]), or per variable when it has no
    /// stock. Importers and the window both use it.
    pub fn default_charts(&self) -> Vec<Chart> {
        let is_stock = |v: &&Variable| matches!(v.kind, VariableKind::Stock { .. });
        let any_stock = self.variables.iter().any(|v| is_stock(&v));
        self.variables
            .iter()
            .filter(|v| !any_stock || is_stock(v))
            .take(DEFAULT_CHARTS)
            .map(|v| self.chart_of(v))
            .collect()
    }

    /// A chart of variable `v` alone, titled with its label: an arrayed
    /// variable's elements stacked where they add up.
    pub fn chart_of(&self, v: &Variable) -> Chart {
        Chart {
            id: v.id.clone(),
            title: v.label.clone(),
            series: vec![v.id.clone()],
            stacked: !v.dimensions.is_empty() && self.adds_up(v),
            detail: false,
        }
    }

    /// Whether `v`'s elements add up to a meaningful total: its unit is a
    /// quantity (`job`, `bnMAD`) or a quantity per time unit (`job/year`),
    /// not a ratio (`kMAD/job`, `%`). Unknown without a unit expression.
    pub fn adds_up(&self, v: &Variable) -> bool {
        let (mut table, _) = super::units::model_table(self);
        let Ok(u) = table.resolve(&v.unit_expr) else {
            return false;
        };
        let time = table.time();
        let per_time = u.mul(&time);
        let quantity = |x: &super::units::Unit| matches!(x.factors(), [(_, r)] if *r == super::units::ratio::Ratio::ONE);
        (quantity(&u) && !u.same_dims(&time)) || (quantity(&per_time) && !per_time.same_dims(&time))
    }

    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.start_year..=self.end_year
    }

    /// Default value of every lever, by id.
    pub fn default_levers(&self) -> BTreeMap<String, f64> {
        self.levers
            .iter()
            .map(|l| (l.id.clone(), l.default))
            .collect()
    }
}
