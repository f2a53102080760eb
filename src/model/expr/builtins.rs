//! The equation language's built-in functions, in one place: each function's
//! name, the numbers of arguments it takes, its documentation in both
//! languages, its kind, its value (the reference semantics), its constant
//! folding, and how the compiler lowers a call. Every one of these is an
//! exhaustive `match` on [`Builtin`], so a new variant does not compile until
//! each is answered.
//!
//! # Adding a built-in
//!
//! 1. Add the variant to [`Builtin`] and to [`Builtin::ALL`] (in order).
//! 2. Answer every `match` in this file: `name`, `kind`, `arities`, `doc`
//!    (English and French, with a non-breaking space U+00A0 before `:` `;`
//!    `?` `%` in French), `eval`, `lowering` and `unit_rule` (how its
//!    units follow from its arguments', for the units check).
//! 3. Pick its lowering:
//!    - a pure function that is one instruction: `Lowering::Op(code)`, with a
//!      new `Code` (`compile/program.rs`) and its line in `sim.rs`'s `exec` if
//!      none fits (`int`, `mod`, trig, `safediv`/`xidz`/`zidz`);
//!    - a few existing instructions, maybe reading the clock:
//!      `Lowering::Ops(f)` with `f` written here, like `step` and `ramp`
//!      (`pulse`, nullary `time()`/`dt()`-style functions: arity `&[0]`; to
//!      be written without `()` too, the bare name also needs resolving in
//!      `compile/codegen.rs` (`Env::name`) and `eval_tree`, as `year` is);
//!    - a function with state across years gets a path of its own in
//!      `compile/codegen.rs`, like `Lowering::Prev` (reads last year's slot)
//!      or `Lowering::Init` (a hidden variable: `Env::hide` makes one with
//!      its own first-year and later-year code, numbered after the model's
//!      variables, ordered with them and never reported). Delays and
//!      smooths (hidden stocks) go that way; random inputs:
//!      `Lowering::Random` with their distribution (`expr::random::Dist`).
//!
//! Folding needs no work: [`Builtin::fold`] folds pure functions with
//! [`Builtin::eval`], and never the others. The tests (`tests/builtins.rs`
//! and those below) then check the new function's name, docs, and that the
//! compiled program, the tree evaluator and folding agree.

use super::allocation::{self, MAX_REQUESTERS};
use super::random::Dist;
use crate::model::compile::codegen::{Emit, Lowering, Val};
use crate::model::compile::program::Code;
use crate::model::def::{Lang, Text};

/// A built-in function of the equation language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Builtin {
    Min,
    Max,
    Clamp,
    Abs,
    Exp,
    Ln,
    Sqrt,
    Pow,
    Round,
    Prev,
    Step,
    Ramp,
    Int,
    Mod,
    Sin,
    Cos,
    Tan,
    Arcsin,
    Arccos,
    Arctan,
    Sinh,
    Cosh,
    Tanh,
    Log10,
    Safediv,
    Xidz,
    Zidz,
    Pulse,
    Previous,
    Init,
    Smooth1,
    Delay1,
    Smooth3,
    Delay3,
    Trend,
    Forecast,
    Smoothn,
    Delayn,
    VensimDelayn,
    Delay,
    RandomUniform,
    RandomNormal,
    RandomLognormal,
    RandomPoisson,
    RandomExponential,
    RandomTriangular,
    RandomGamma,
    RandomBeta,
    RandomWeibull,
    RandomBinomial,
    RandomNegativeBinomial,
    Sum,
    Prod,
    Mean,
    AllocateAvailable,
}

/// How a call's unit follows from its arguments' (the units check,
/// `model::units::check`). Argument positions count from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitRule {
    /// Every argument agrees with the first, and the result is in its
    /// unit: `min`, `max`, `clamp`, `abs`, `round`, `int`, `mod`, the
    /// random draws (their parameters are in the draws' unit).
    Agree,
    /// Arguments and result dimensionless: `exp`, `ln`, `log10`, trig.
    Dimensionless,
    /// The square root of the argument's unit.
    Sqrt,
    /// `pow(a, b)`, as `a ^ b`: `b` a dimensionless constant.
    Power,
    /// `a / b`, the fallback (third argument) in that unit too:
    /// `safediv`, `xidz`, `zidz`.
    Quotient,
    /// The first argument's unit, kept through time: the arguments at
    /// `times` are times or durations (the model's time unit), those at
    /// `counts` dimensionless numbers (an order `n`), any other agrees with
    /// the first (a starting value). `prev`, `init`, the smooths and
    /// delays, `step(height, start)`.
    Memory {
        times: &'static [usize],
        counts: &'static [usize],
    },
    /// `ramp(slope, start[, end])`: the slope times the time unit.
    Ramp,
    /// `pulse(volume, first[, every])`: the volume per time unit.
    Pulse,
    /// `trend(x, time[, first_trend])`: per time unit, as its start value.
    Trend,
    /// `forecast(x, time, horizon[, first_trend])`: `x`'s unit; the
    /// start trend per time unit.
    Forecast,
    /// A random draw (`random_*`): in argument `unit`'s unit, the
    /// arguments at `numbers` dimensionless (a seed, a shape), every other
    /// (parameters, bounds) agreeing with argument `unit`; with no `unit`,
    /// every argument and the draw are dimensionless (fractions, counts).
    Draw {
        unit: Option<usize>,
        numbers: &'static [usize],
    },
}

/// The arguments of `allocate_available` that are dimensionless numbers
/// (`UnitRule::Memory`'s `counts`): each requester's type, priority and
/// width (Vensim keeps them in one array with the type, so without units).
/// Its requests agree with the supply, and the result is in its unit.
const ALLOCATE_NUMBERS: [usize; 3 + 3 * MAX_REQUESTERS] = {
    let mut a = [0; 3 + 3 * MAX_REQUESTERS];
    let mut k = 0;
    // The requester's own (1, 3, 4), then each requester's from 5 on.
    while k <= MAX_REQUESTERS {
        a[3 * k] = 1 + 4 * k;
        a[3 * k + 1] = 3 + 4 * k;
        a[3 * k + 2] = 4 + 4 * k;
        k += 1;
    }
    a
};

/// `allocate_available`'s numbers of arguments: the supply, the
/// requester's own four values, and four for each of 1 to
/// [`MAX_REQUESTERS`] requesters.
const ALLOCATE_ARITIES: [usize; MAX_REQUESTERS] = {
    let mut a = [0; MAX_REQUESTERS];
    let mut k = 0;
    while k < MAX_REQUESTERS {
        a[k] = 9 + 4 * k;
        k += 1;
    }
    a
};

/// What a built-in's value depends on, which decides how it may be compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Its arguments only: folded to a constant when they are constants.
    Pure,
    /// Its arguments and the clock (the year): `step`, `ramp`.
    TimeDependent,
    /// Values kept from one year to the next: `prev`, `previous`, `init`,
    /// the smooths and delays (`smooth1` … `delay`).
    Stateful,
    /// A draw (`random_*`, `expr::random`): a function of the run's seed
    /// (or the call's own), the call's site and the time, not of the
    /// arguments alone.
    Random,
    /// Its arguments only, folded as `Pure` is, but through a bounded
    /// search over a variable number of arguments: `allocate_available`.
    /// Apart from `Pure` because `tests/builtins.rs` checks each pure
    /// built-in on at most three levers; the tests beside its code
    /// (`allocation.rs`, and below) check it instead.
    Search,
}

/// A text in both of the app's languages, fixed when the program is built:
/// the `'static` twin of [`Text`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaticText {
    pub fr: &'static str,
    pub en: &'static str,
}

impl StaticText {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.fr,
            Lang::En => self.en,
        }
    }

    pub fn to_text(self) -> Text {
        Text::new(self.fr, self.en)
    }
}

/// A built-in's documentation: how a call is written, and what it gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Doc {
    /// The call with its parameters named, in the reader's language:
    /// `clamp(x, lo, hi)`, `clamp(x, bas, haut)`.
    pub signature: StaticText,
    /// What the call gives, in one line, without a final full stop.
    pub summary: StaticText,
}

impl Doc {
    /// `signature: summary`, with French typography in French (a
    /// non-breaking space before the colon).
    pub fn line(self, lang: Lang) -> String {
        let colon = match lang {
            Lang::Fr => "\u{a0}:",
            Lang::En => ":",
        };
        format!(
            "{}{colon} {}",
            self.signature.get(lang),
            self.summary.get(lang)
        )
    }
}

const fn text(en: &'static str, fr: &'static str) -> StaticText {
    StaticText { fr, en }
}

impl Builtin {
    /// Every built-in, in declaration order.
    pub const ALL: [Builtin; 55] = [
        Builtin::Min,
        Builtin::Max,
        Builtin::Clamp,
        Builtin::Abs,
        Builtin::Exp,
        Builtin::Ln,
        Builtin::Sqrt,
        Builtin::Pow,
        Builtin::Round,
        Builtin::Prev,
        Builtin::Step,
        Builtin::Ramp,
        Builtin::Int,
        Builtin::Mod,
        Builtin::Sin,
        Builtin::Cos,
        Builtin::Tan,
        Builtin::Arcsin,
        Builtin::Arccos,
        Builtin::Arctan,
        Builtin::Sinh,
        Builtin::Cosh,
        Builtin::Tanh,
        Builtin::Log10,
        Builtin::Safediv,
        Builtin::Xidz,
        Builtin::Zidz,
        Builtin::Pulse,
        Builtin::Previous,
        Builtin::Init,
        Builtin::Smooth1,
        Builtin::Delay1,
        Builtin::Smooth3,
        Builtin::Delay3,
        Builtin::Trend,
        Builtin::Forecast,
        Builtin::Smoothn,
        Builtin::Delayn,
        Builtin::VensimDelayn,
        Builtin::Delay,
        Builtin::RandomUniform,
        Builtin::RandomNormal,
        Builtin::RandomLognormal,
        Builtin::RandomPoisson,
        Builtin::RandomExponential,
        Builtin::RandomTriangular,
        Builtin::RandomGamma,
        Builtin::RandomBeta,
        Builtin::RandomWeibull,
        Builtin::RandomBinomial,
        Builtin::RandomNegativeBinomial,
        Builtin::Sum,
        Builtin::Prod,
        Builtin::Mean,
        Builtin::AllocateAvailable,
    ];

    /// The name equations call it by.
    pub fn name(self) -> &'static str {
        match self {
            Builtin::Min => "min",
            Builtin::Max => "max",
            Builtin::Clamp => "clamp",
            Builtin::Abs => "abs",
            Builtin::Exp => "exp",
            Builtin::Ln => "ln",
            Builtin::Sqrt => "sqrt",
            Builtin::Pow => "pow",
            Builtin::Round => "round",
            Builtin::Prev => "prev",
            Builtin::Step => "step",
            Builtin::Ramp => "ramp",
            Builtin::Int => "int",
            Builtin::Mod => "mod",
            Builtin::Sin => "sin",
            Builtin::Cos => "cos",
            Builtin::Tan => "tan",
            Builtin::Arcsin => "arcsin",
            Builtin::Arccos => "arccos",
            Builtin::Arctan => "arctan",
            Builtin::Sinh => "sinh",
            Builtin::Cosh => "cosh",
            Builtin::Tanh => "tanh",
            Builtin::Log10 => "log10",
            Builtin::Safediv => "safediv",
            Builtin::Xidz => "xidz",
            Builtin::Zidz => "zidz",
            Builtin::Pulse => "pulse",
            Builtin::Previous => "previous",
            Builtin::Init => "init",
            Builtin::Smooth1 => "smooth1",
            Builtin::Delay1 => "delay1",
            Builtin::Smooth3 => "smooth3",
            Builtin::Delay3 => "delay3",
            Builtin::Trend => "trend",
            Builtin::Forecast => "forecast",
            Builtin::Smoothn => "smoothn",
            Builtin::Delayn => "delayn",
            Builtin::VensimDelayn => "vensim_delayn",
            Builtin::Delay => "delay",
            Builtin::RandomUniform => "random_uniform",
            Builtin::RandomNormal => "random_normal",
            Builtin::RandomLognormal => "random_lognormal",
            Builtin::RandomPoisson => "random_poisson",
            Builtin::RandomExponential => "random_exponential",
            Builtin::RandomTriangular => "random_triangular",
            Builtin::RandomGamma => "random_gamma",
            Builtin::RandomBeta => "random_beta",
            Builtin::RandomWeibull => "random_weibull",
            Builtin::RandomBinomial => "random_binomial",
            Builtin::RandomNegativeBinomial => "random_negative_binomial",
            Builtin::Sum => "sum",
            Builtin::Prod => "prod",
            Builtin::Mean => "mean",
            Builtin::AllocateAvailable => "allocate_available",
        }
    }

    /// The built-in called `name`, if any (names are case-sensitive).
    pub fn from_name(name: &str) -> Option<Builtin> {
        Builtin::ALL.into_iter().find(|b| b.name() == name)
    }

    /// How its units follow from its arguments'.
    pub fn unit_rule(self) -> UnitRule {
        const NONE: &[usize] = &[];
        let memory = |times, counts| UnitRule::Memory { times, counts };
        match self {
            Builtin::Min
            | Builtin::Max
            | Builtin::Clamp
            | Builtin::Abs
            | Builtin::Round
            | Builtin::Int
            | Builtin::Mod
            | Builtin::Sum
            | Builtin::Mean => UnitRule::Agree,
            // Strictly the unit to the number of elements; taken as the
            // element's (products of arrays are rare in these models).
            Builtin::Prod => UnitRule::Agree,
            Builtin::Exp
            | Builtin::Ln
            | Builtin::Log10
            | Builtin::Sin
            | Builtin::Cos
            | Builtin::Tan
            | Builtin::Arcsin
            | Builtin::Arccos
            | Builtin::Arctan
            | Builtin::Sinh
            | Builtin::Cosh
            | Builtin::Tanh => UnitRule::Dimensionless,
            Builtin::Sqrt => UnitRule::Sqrt,
            Builtin::Pow => UnitRule::Power,
            Builtin::Safediv | Builtin::Xidz | Builtin::Zidz => UnitRule::Quotient,
            Builtin::Prev | Builtin::Previous | Builtin::Init => memory(NONE, NONE),
            Builtin::Step => memory(&[1], NONE),
            Builtin::Smooth1
            | Builtin::Delay1
            | Builtin::Smooth3
            | Builtin::Delay3
            | Builtin::Delay => memory(&[1], NONE),
            Builtin::Smoothn | Builtin::Delayn | Builtin::VensimDelayn => memory(&[1], &[2]),
            Builtin::Ramp => UnitRule::Ramp,
            Builtin::Pulse => UnitRule::Pulse,
            Builtin::Trend => UnitRule::Trend,
            Builtin::Forecast => UnitRule::Forecast,
            Builtin::AllocateAvailable => memory(NONE, &ALLOCATE_NUMBERS),
            // Parameters in the draws' unit, the seed a number.
            Builtin::RandomUniform
            | Builtin::RandomNormal
            | Builtin::RandomLognormal
            | Builtin::RandomTriangular
            | Builtin::RandomPoisson
            | Builtin::RandomExponential => UnitRule::Draw {
                unit: Some(0),
                // The seed, after the parameters.
                numbers: match self {
                    Builtin::RandomPoisson | Builtin::RandomExponential => &[1],
                    Builtin::RandomTriangular => &[3],
                    _ => &[2],
                },
            },
            // A shape (a number) and a scale in the draws' unit.
            Builtin::RandomGamma | Builtin::RandomWeibull => UnitRule::Draw {
                unit: Some(1),
                numbers: &[0, 2],
            },
            // Numbers: fractions and counts.
            Builtin::RandomBeta | Builtin::RandomBinomial | Builtin::RandomNegativeBinomial => {
                UnitRule::Draw {
                    unit: None,
                    numbers: NONE,
                }
            }
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Builtin::Min
            | Builtin::Max
            | Builtin::Clamp
            | Builtin::Abs
            | Builtin::Exp
            | Builtin::Ln
            | Builtin::Sqrt
            | Builtin::Pow
            | Builtin::Round
            | Builtin::Int
            | Builtin::Mod
            | Builtin::Sin
            | Builtin::Cos
            | Builtin::Tan
            | Builtin::Arcsin
            | Builtin::Arccos
            | Builtin::Arctan
            | Builtin::Sinh
            | Builtin::Cosh
            | Builtin::Tanh
            | Builtin::Log10
            | Builtin::Safediv
            | Builtin::Xidz
            | Builtin::Zidz
            | Builtin::Sum
            | Builtin::Prod
            | Builtin::Mean => Kind::Pure,
            Builtin::Step | Builtin::Ramp | Builtin::Pulse => Kind::TimeDependent,
            Builtin::Prev
            | Builtin::Previous
            | Builtin::Init
            | Builtin::Smooth1
            | Builtin::Delay1
            | Builtin::Smooth3
            | Builtin::Delay3
            | Builtin::Trend
            | Builtin::Forecast
            | Builtin::Smoothn
            | Builtin::Delayn
            | Builtin::VensimDelayn
            | Builtin::Delay => Kind::Stateful,
            Builtin::RandomUniform
            | Builtin::RandomNormal
            | Builtin::RandomLognormal
            | Builtin::RandomPoisson
            | Builtin::RandomExponential
            | Builtin::RandomTriangular
            | Builtin::RandomGamma
            | Builtin::RandomBeta
            | Builtin::RandomWeibull
            | Builtin::RandomBinomial
            | Builtin::RandomNegativeBinomial => Kind::Random,
            Builtin::AllocateAvailable => Kind::Search,
        }
    }

    /// The numbers of arguments a call may have, smallest first.
    pub fn arities(self) -> &'static [usize] {
        match self {
            Builtin::Abs
            | Builtin::Exp
            | Builtin::Ln
            | Builtin::Sqrt
            | Builtin::Round
            | Builtin::Int
            | Builtin::Sin
            | Builtin::Cos
            | Builtin::Tan
            | Builtin::Arcsin
            | Builtin::Arccos
            | Builtin::Arctan
            | Builtin::Sinh
            | Builtin::Cosh
            | Builtin::Tanh
            | Builtin::Log10
            | Builtin::Init
            | Builtin::Sum
            | Builtin::Prod
            | Builtin::Mean => &[1],
            Builtin::Min
            | Builtin::Max
            | Builtin::Pow
            | Builtin::Step
            | Builtin::Mod
            | Builtin::Zidz => &[2],
            // The parameters, then a seed, then bounds (`random::Dist`).
            Builtin::RandomUniform => &[2, 3],
            Builtin::RandomPoisson | Builtin::RandomExponential => &[1, 2, 4],
            Builtin::RandomTriangular => &[3, 4, 6],
            Builtin::RandomNormal
            | Builtin::RandomLognormal
            | Builtin::RandomGamma
            | Builtin::RandomBeta
            | Builtin::RandomWeibull
            | Builtin::RandomBinomial
            | Builtin::RandomNegativeBinomial => &[2, 3, 5],
            Builtin::Clamp | Builtin::Xidz => &[3],
            Builtin::Safediv => &[2, 3],
            Builtin::Prev | Builtin::Previous => &[1, 2],
            Builtin::Ramp
            | Builtin::Pulse
            | Builtin::Smooth1
            | Builtin::Delay1
            | Builtin::Smooth3
            | Builtin::Delay3
            | Builtin::Trend
            | Builtin::Delay => &[2, 3],
            Builtin::Forecast | Builtin::Smoothn | Builtin::Delayn | Builtin::VensimDelayn => {
                &[3, 4]
            }
            Builtin::AllocateAvailable => &ALLOCATE_ARITIES,
        }
    }

    /// Whether a call may have `n` arguments.
    pub fn accepts(self, n: usize) -> bool {
        self.arities().contains(&n)
    }

    /// The accepted numbers of arguments, as an error message says them:
    /// "1 argument", "2 arguments", "2 or 3 arguments".
    pub fn expected_args(self) -> String {
        if self == Builtin::AllocateAvailable {
            return format!("5 + 4 × n arguments (n requesters, 1 to {MAX_REQUESTERS})");
        }
        let counts: Vec<String> = self.arities().iter().map(|n| n.to_string()).collect();
        let counts = match counts.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        };
        let noun = if self.arities() == [1] {
            "argument"
        } else {
            "arguments"
        };
        format!("{counts} {noun}")
    }

    pub fn doc(self) -> Doc {
        let (signature, summary) = match self {
            Builtin::Min => DOC_MIN,
            Builtin::Max => DOC_MAX,
            Builtin::Clamp => DOC_CLAMP,
            Builtin::Abs => DOC_ABS,
            Builtin::Exp => DOC_EXP,
            Builtin::Ln => DOC_LN,
            Builtin::Sqrt => DOC_SQRT,
            Builtin::Pow => DOC_POW,
            Builtin::Round => DOC_ROUND,
            Builtin::Prev => DOC_PREV,
            Builtin::Step => DOC_STEP,
            Builtin::Ramp => DOC_RAMP,
            Builtin::Int => DOC_INT,
            Builtin::Mod => DOC_MOD,
            Builtin::Sin => DOC_SIN,
            Builtin::Cos => DOC_COS,
            Builtin::Tan => DOC_TAN,
            Builtin::Arcsin => DOC_ARCSIN,
            Builtin::Arccos => DOC_ARCCOS,
            Builtin::Arctan => DOC_ARCTAN,
            Builtin::Sinh => DOC_SINH,
            Builtin::Cosh => DOC_COSH,
            Builtin::Tanh => DOC_TANH,
            Builtin::Log10 => DOC_LOG10,
            Builtin::Safediv => DOC_SAFEDIV,
            Builtin::Xidz => DOC_XIDZ,
            Builtin::Zidz => DOC_ZIDZ,
            Builtin::Pulse => DOC_PULSE,
            Builtin::RandomUniform => DOC_RANDOM_UNIFORM,
            Builtin::RandomNormal => DOC_RANDOM_NORMAL,
            Builtin::RandomLognormal => DOC_RANDOM_LOGNORMAL,
            Builtin::RandomPoisson => DOC_RANDOM_POISSON,
            Builtin::RandomExponential => DOC_RANDOM_EXPONENTIAL,
            Builtin::RandomTriangular => DOC_RANDOM_TRIANGULAR,
            Builtin::RandomGamma => DOC_RANDOM_GAMMA,
            Builtin::RandomBeta => DOC_RANDOM_BETA,
            Builtin::RandomWeibull => DOC_RANDOM_WEIBULL,
            Builtin::RandomBinomial => DOC_RANDOM_BINOMIAL,
            Builtin::RandomNegativeBinomial => DOC_RANDOM_NEGATIVE_BINOMIAL,
            Builtin::Sum => DOC_SUM,
            Builtin::Prod => DOC_PROD,
            Builtin::Mean => DOC_MEAN,
            Builtin::Previous => DOC_PREVIOUS,
            Builtin::Init => DOC_INIT,
            Builtin::Smooth1 => DOC_SMOOTH1,
            Builtin::Delay1 => DOC_DELAY1,
            Builtin::Smooth3 => DOC_SMOOTH3,
            Builtin::Delay3 => DOC_DELAY3,
            Builtin::Trend => DOC_TREND,
            Builtin::Forecast => DOC_FORECAST,
            Builtin::Smoothn => DOC_SMOOTHN,
            Builtin::Delayn => DOC_DELAYN,
            Builtin::VensimDelayn => DOC_VENSIM_DELAYN,
            Builtin::Delay => DOC_DELAY,
            Builtin::AllocateAvailable => DOC_ALLOCATE_AVAILABLE,
        };
        Doc { signature, summary }
    }

    /// A call's value: the reference semantics the compiled program must
    /// match, bit for bit. `None` for a number of arguments the function does
    /// not take, and for the stateful ones (`prev`, `previous`, `init`), whose
    /// value is not a function of their arguments' values this year (the
    /// evaluator's caller supplies it).
    pub fn eval(self, args: &[f64], year: f64, dt: f64) -> Option<f64> {
        match self {
            Builtin::Min => two(args).map(|(a, b)| a.min(b)),
            Builtin::Max => two(args).map(|(a, b)| a.max(b)),
            Builtin::Clamp => three(args).map(|(x, lo, hi)| x.max(lo).min(hi)),
            Builtin::Abs => one(args).map(f64::abs),
            Builtin::Exp => one(args).map(f64::exp),
            Builtin::Ln => one(args).map(f64::ln),
            Builtin::Sqrt => one(args).map(f64::sqrt),
            Builtin::Pow => two(args).map(|(a, b)| a.powf(b)),
            Builtin::Round => one(args).map(f64::round),
            Builtin::Prev => None,
            Builtin::Step => two(args).map(|(h, t0)| step(h, t0, year, dt)),
            Builtin::Ramp => match *args {
                [s, y0] => Some(s * (year - y0).max(0.0)),
                [s, y0, y1] => Some(s * (year.min(y1) - y0).max(0.0)),
                [..] => None,
            },
            Builtin::Int => one(args).map(f64::floor),
            Builtin::Mod => two(args).map(|(a, b)| floored_mod(a, b)),
            Builtin::Sin => one(args).map(f64::sin),
            Builtin::Cos => one(args).map(f64::cos),
            Builtin::Tan => one(args).map(f64::tan),
            Builtin::Arcsin => one(args).map(f64::asin),
            Builtin::Arccos => one(args).map(f64::acos),
            Builtin::Arctan => one(args).map(f64::atan),
            Builtin::Sinh => one(args).map(f64::sinh),
            Builtin::Cosh => one(args).map(f64::cosh),
            Builtin::Tanh => one(args).map(f64::tanh),
            Builtin::Log10 => one(args).map(f64::log10),
            Builtin::Safediv => match *args {
                [a, b] => Some(safe_div(a, b, 0.0)),
                [a, b, x] => Some(safe_div(a, b, x)),
                [..] => None,
            },
            Builtin::Xidz => three(args).map(|(a, b, x)| xidz(a, b, x)),
            Builtin::Zidz => two(args).map(|(a, b)| xidz(a, b, 0.0)),
            Builtin::Pulse => match *args {
                [h, first] => Some(pulse(h, first, None, year, dt)),
                [h, first, every] => Some(pulse(h, first, Some(every), year, dt)),
                [..] => None,
            },
            Builtin::Previous
            | Builtin::Init
            | Builtin::Smooth1
            | Builtin::Delay1
            | Builtin::Smooth3
            | Builtin::Delay3
            | Builtin::Trend
            | Builtin::Forecast
            | Builtin::Smoothn
            | Builtin::Delayn
            | Builtin::VensimDelayn
            | Builtin::Delay
            | Builtin::RandomUniform
            | Builtin::RandomNormal
            | Builtin::RandomLognormal
            | Builtin::RandomPoisson
            | Builtin::RandomExponential
            | Builtin::RandomTriangular
            | Builtin::RandomGamma
            | Builtin::RandomBeta
            | Builtin::RandomWeibull
            | Builtin::RandomBinomial
            | Builtin::RandomNegativeBinomial => None,
            // On one value (the compiler unrolls arrays into their elements).
            Builtin::Sum | Builtin::Prod | Builtin::Mean => one(args),
            Builtin::AllocateAvailable => allocation::call(args.len(), |i| args[i]),
        }
    }

    /// A call's value when its arguments are constants known at compile
    /// time: only a pure function has one.
    pub fn fold(self, args: &[f64]) -> Option<f64> {
        match self.kind() {
            // A pure function does not read the year: any value will do.
            Kind::Pure | Kind::Search => self.eval(args, f64::NAN, f64::NAN),
            Kind::TimeDependent | Kind::Stateful | Kind::Random => None,
        }
    }

    /// How the compiler lowers a call (see `compile::codegen`).
    pub(crate) fn lowering(self) -> Lowering {
        match self {
            Builtin::Min => Lowering::Op(Code::Min),
            Builtin::Max => Lowering::Op(Code::Max),
            Builtin::Clamp => Lowering::Op(Code::Clamp),
            Builtin::Abs => Lowering::Op(Code::Abs),
            Builtin::Exp => Lowering::Op(Code::Exp),
            Builtin::Ln => Lowering::Op(Code::Ln),
            Builtin::Sqrt => Lowering::Op(Code::Sqrt),
            Builtin::Pow => Lowering::Op(Code::Pow),
            Builtin::Round => Lowering::Op(Code::Round),
            Builtin::Prev => Lowering::Prev,
            Builtin::Step => Lowering::Ops(step_ops),
            Builtin::Ramp => Lowering::Ops(ramp_ops),
            Builtin::Int => Lowering::Op(Code::Floor),
            Builtin::Mod => Lowering::Op(Code::Mod),
            Builtin::Sin => Lowering::Op(Code::Sin),
            Builtin::Cos => Lowering::Op(Code::Cos),
            Builtin::Tan => Lowering::Op(Code::Tan),
            Builtin::Arcsin => Lowering::Op(Code::Asin),
            Builtin::Arccos => Lowering::Op(Code::Acos),
            Builtin::Arctan => Lowering::Op(Code::Atan),
            Builtin::Sinh => Lowering::Op(Code::Sinh),
            Builtin::Cosh => Lowering::Op(Code::Cosh),
            Builtin::Tanh => Lowering::Op(Code::Tanh),
            Builtin::Log10 => Lowering::Op(Code::Log10),
            Builtin::Safediv => Lowering::Ops(safediv_ops),
            Builtin::Xidz => Lowering::Op(Code::Xidz),
            Builtin::Zidz => Lowering::Ops(zidz_ops),
            Builtin::Pulse => Lowering::Ops(pulse_ops),
            Builtin::Previous => Lowering::Prev,
            Builtin::Init => Lowering::Init,
            Builtin::Smooth1 | Builtin::Smooth3 | Builtin::Smoothn => Lowering::SmoothN,
            Builtin::Delay1 | Builtin::Delay3 | Builtin::Delayn | Builtin::VensimDelayn => {
                Lowering::DelayN
            }
            Builtin::Delay => Lowering::Pipeline,
            Builtin::Trend => Lowering::Trend,
            Builtin::Forecast => Lowering::Forecast,
            Builtin::RandomUniform => Lowering::Random(Dist::Uniform),
            Builtin::RandomNormal => Lowering::Random(Dist::Normal),
            Builtin::RandomLognormal => Lowering::Random(Dist::Lognormal),
            Builtin::RandomPoisson => Lowering::Random(Dist::Poisson),
            Builtin::RandomExponential => Lowering::Random(Dist::Exponential),
            Builtin::RandomTriangular => Lowering::Random(Dist::Triangular),
            Builtin::RandomGamma => Lowering::Random(Dist::Gamma),
            Builtin::RandomBeta => Lowering::Random(Dist::Beta),
            Builtin::RandomWeibull => Lowering::Random(Dist::Weibull),
            Builtin::RandomBinomial => Lowering::Random(Dist::Binomial),
            Builtin::RandomNegativeBinomial => Lowering::Random(Dist::NegativeBinomial),
            // The array expansion unrolls `sum(x[d!])` into its elements
            // (`compile/arrays.rs`): what reaches here is one value.
            Builtin::Sum | Builtin::Prod | Builtin::Mean => Lowering::Ops(itself),
            Builtin::AllocateAvailable => Lowering::Ops(allocate_ops),
        }
    }
}

/// A reserved name that stands for a value, written without `()` (XMILE
/// 3.3.2: "no parentheses when used"): the clock and the constant `pi`. A
/// call such as `pi()` is refused with a message saying so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Named {
    /// The current time (the year in a yearly model): `time`'s older name.
    Year,
    /// XMILE's PI.
    Pi,
    /// XMILE's TIME (Vensim's Time): the current time.
    Time,
    /// XMILE's DT (Vensim's TIME STEP): the model's time step.
    Dt,
    /// XMILE's STARTTIME (Vensim's INITIAL TIME): the model's start time.
    StartTime,
    /// XMILE's STOPTIME (Vensim's FINAL TIME): the model's stop time.
    StopTime,
}

impl Named {
    /// Every named value, in declaration order.
    pub const ALL: [Named; 6] = [
        Named::Year,
        Named::Pi,
        Named::Time,
        Named::Dt,
        Named::StartTime,
        Named::StopTime,
    ];

    /// The name equations use.
    pub fn name(self) -> &'static str {
        match self {
            Named::Year => "year",
            Named::Pi => "pi",
            Named::Time => "time",
            Named::Dt => "dt",
            Named::StartTime => "start_time",
            Named::StopTime => "stop_time",
        }
    }

    /// The named value called `name`, if any (case-sensitive).
    pub fn from_name(name: &str) -> Option<Named> {
        Named::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Its documentation: the signature is the bare name.
    pub fn doc(self) -> Doc {
        let summary = match self {
            Named::Year => text(
                "the current time (the year in a yearly model)",
                "le temps courant (l’année dans un modèle annuel)",
            ),
            Named::Pi => text(
                "the number π (3.14159…), a constant",
                "le nombre π (3,14159…), une constante",
            ),
            Named::Time => text(
                "the current time, in the model's time unit",
                "le temps courant, dans l’unité de temps du modèle",
            ),
            Named::Dt => text(
                "the time step, in the model's time unit",
                "le pas de temps, dans l’unité de temps du modèle",
            ),
            Named::StartTime => text("the model's start time", "le temps de départ du modèle"),
            Named::StopTime => text("the model's stop time", "le temps de fin du modèle"),
        };
        let n = self.name();
        Doc {
            signature: StaticText { fr: n, en: n },
            summary,
        }
    }

    /// Its value at `time` with time step `dt`, when it does not depend on
    /// the model; `None` for `start_time` and `stop_time` (the caller knows
    /// the model).
    pub fn value(self, time: f64, dt: f64) -> Option<f64> {
        match self {
            Named::Year | Named::Time => Some(time),
            Named::Pi => Some(std::f64::consts::PI),
            Named::Dt => Some(dt),
            Named::StartTime | Named::StopTime => None,
        }
    }
}

/// XMILE's PULSE (3.5.4): a pulse of `volume / dt` for one `dt` at
/// `first`, then every `interval` when one is given and > 0 (XMILE:
/// "Without interval or when interval = 0, the PULSE is generated only
/// once"; a negative interval likewise), so that a stock it flows into
/// gains `volume` each time. With `dt` 1 its value is `volume` in the
/// pulse's years. The step that holds a pulse time `p` is the one whose
/// half-step window holds it (`time - dt/2 <= p < time + dt/2`, that is
/// `0 < mod(time - first + dt/2, interval) <= dt`), after Vensim's rule for
/// its input functions (`time + dt/2`), so that a time such as 5 is found
/// at `dt` 0.1 however 50 steps of 0.1 round. Stella's 2-argument
/// PULSE repeats every DT instead; Vensim's `PULSE(start, width)` is
/// another function (height 1 for `width`).
pub fn pulse(volume: f64, first: f64, interval: Option<f64>, time: f64, dt: f64) -> f64 {
    let since = time - first + dt / 2.0;
    let off = match interval {
        Some(i) if i > 0.0 => floored_mod(since, i),
        Some(_) | None => since,
    };
    if since > 0.0 && off > 0.0 && off <= dt {
        volume / dt
    } else {
        0.0
    }
}

/// XMILE's and Vensim's STEP: `height` once `time + dt/2 > start`, 0
/// before (with `dt` 1 and a whole start, from the start year on).
pub fn step(height: f64, start: f64, time: f64, dt: f64) -> f64 {
    if time + dt / 2.0 > start { height } else { 0.0 }
}

// `ALL` lists every variant once, in order: the last one closes the list.
const _: () = assert!(Builtin::ALL.len() == Builtin::AllocateAvailable as usize + 1);

/// A reducer of one value: the value.
fn itself(_: &mut dyn Emit, args: &[Val]) -> Val {
    args[0]
}

/// `mod(a, b)`, XMILE's MOD (XMILE 3.3.1): the floored modulus, whose sign
/// follows the divisor, so that `a = int(a / b) * b + mod(a, b)`:
/// `mod(-7, 3)` is 2 and `mod(7, -3)` is -2. Vensim's MODULO follows C
/// instead (the sign of the dividend: MODULO(-7, 3) is -1). `mod(a, 0)` is
/// not a number (reported as a run problem), as in C and Rust.
pub fn floored_mod(a: f64, b: f64) -> f64 {
    let r = a % b;
    if r != 0.0 && (r < 0.0) != (b < 0.0) {
        r + b
    } else {
        r
    }
}

/// `safediv(a, b, x)` (isee's SAFEDIV, not in XMILE 1.0): `a / b`, or `x`
/// when `b` is exactly 0.
pub fn safe_div(a: f64, b: f64, x: f64) -> f64 {
    if b == 0.0 { x } else { a / b }
}

/// Vensim's XIDZ (`fn_xidz.html`): `a / b`, or `x` when `|b| < 1e-6` (the
/// threshold Vensim documents, so that imported models run as they did).
pub fn xidz(a: f64, b: f64, x: f64) -> f64 {
    if b.abs() < XIDZ_EPSILON { x } else { a / b }
}

/// Below this `|b|`, `xidz` and `zidz` do not divide.
pub const XIDZ_EPSILON: f64 = 1e-6;

fn one(args: &[f64]) -> Option<f64> {
    match *args {
        [a] => Some(a),
        [..] => None,
    }
}

fn two(args: &[f64]) -> Option<(f64, f64)> {
    match *args {
        [a, b] => Some((a, b)),
        [..] => None,
    }
}

fn three(args: &[f64]) -> Option<(f64, f64, f64)> {
    match *args {
        [a, b, c] => Some((a, b, c)),
        [..] => None,
    }
}

/// `step(height, start)`, as [`step`] computes it:
/// `time + dt/2 > start ? height : 0`.
fn step_ops(e: &mut dyn Emit, args: &[Val]) -> Val {
    let half = e.dt() / 2.0;
    let t = e.op(Code::Add, &[Val::YEAR, Val::Const(half)]);
    let on = e.op(Code::Gt, &[t, args[1]]);
    e.op(Code::Select, &[on, args[0], Val::Const(0.0)])
}

/// `ramp(slope, year0[, year1])`: `slope * max(min(year, year1) - year0, 0)`.
/// XMILE's RAMP (2 arguments) and Vensim's (with an end) give the same
/// (`0` until `year0`, `slope * (min(year, year1) - year0)` after) except
/// when `year1 < year0`: Vensim then gives `slope * (year1 - year0)` after
/// `year0`, ours stays 0.
fn ramp_ops(e: &mut dyn Emit, args: &[Val]) -> Val {
    let year = match args.get(2) {
        Some(&year1) => e.op(Code::Min, &[Val::YEAR, year1]),
        None => Val::YEAR,
    };
    let d = e.op(Code::Sub, &[year, args[1]]);
    let d = e.op(Code::Max, &[d, Val::Const(0.0)]);
    e.op(Code::Mul, &[args[0], d])
}

/// `pulse(volume, first[, interval])`, as [`pulse`] computes it:
/// `since > 0 and 0 < off <= dt ? volume / dt : 0`, where `since` is
/// `time - first + dt/2` and `off` is `since`, or its floored modulus by
/// `interval` when `interval > 0`.
fn pulse_ops(e: &mut dyn Emit, args: &[Val]) -> Val {
    let dt = e.dt();
    let t = e.op(Code::Add, &[Val::YEAR, Val::Const(dt / 2.0)]);
    let since = e.op(Code::Sub, &[t, args[1]]);
    let off = match args.get(2) {
        Some(&every) => {
            let repeats = e.op(Code::Gt, &[every, Val::Const(0.0)]);
            let wrapped = e.op(Code::Mod, &[since, every]);
            e.op(Code::Select, &[repeats, wrapped, since])
        }
        None => since,
    };
    let started = e.op(Code::Gt, &[since, Val::Const(0.0)]);
    let after = e.op(Code::Gt, &[off, Val::Const(0.0)]);
    let within = e.op(Code::Le, &[off, Val::Const(dt)]);
    let on = e.op(Code::And, &[started, after]);
    let on = e.op(Code::And, &[on, within]);
    let height = e.op(Code::Div, &[args[0], Val::Const(dt)]);
    e.op(Code::Select, &[on, height, Val::Const(0.0)])
}

/// `safediv(a, b)`: `safediv(a, b, 0)`.
/// `allocate_available(...)`: one op over its arguments laid side by side
/// (`Code::AllocateAvailable`, `allocation::call`).
fn allocate_ops(e: &mut dyn Emit, args: &[Val]) -> Val {
    e.op_on_block(Code::AllocateAvailable, args)
}

fn safediv_ops(e: &mut dyn Emit, args: &[Val]) -> Val {
    let x = args.get(2).copied().unwrap_or(Val::Const(0.0));
    e.op(Code::SafeDiv, &[args[0], args[1], x])
}

/// `zidz(a, b)`: `xidz(a, b, 0)`.
fn zidz_ops(e: &mut dyn Emit, args: &[Val]) -> Val {
    e.op(Code::Xidz, &[args[0], args[1], Val::Const(0.0)])
}

// Each built-in's signature and one-line summary, in English and French.
const DOC_SUM: (StaticText, StaticText) = (
    text("sum(x[d!])", "sum(x[d!])"),
    text(
        "the sum of x over the dimension d (`sum(jobs[segment!])`), elements added in order",
        "la somme de x sur la dimension d (`sum(jobs[segment!])`), éléments ajoutés dans l’ordre",
    ),
);
const DOC_PROD: (StaticText, StaticText) = (
    text("prod(x[d!])", "prod(x[d!])"),
    text(
        "the product of x over the dimension d",
        "le produit de x sur la dimension d",
    ),
);
const DOC_MEAN: (StaticText, StaticText) = (
    text("mean(x[d!])", "mean(x[d!])"),
    text(
        "the mean of x over the dimension d",
        "la moyenne de x sur la dimension d",
    ),
);
const DOC_MIN: (StaticText, StaticText) = (
    text("min(a, b)", "min(a, b)"),
    text(
        "the smaller of a and b; min(x[d!]): the smallest of x over the dimension d",
        "le plus petit de a et b\u{a0}; min(x[d!])\u{a0}: le plus petit de x sur la dimension d",
    ),
);
const DOC_MAX: (StaticText, StaticText) = (
    text("max(a, b)", "max(a, b)"),
    text(
        "the larger of a and b; max(x[d!]): the largest of x over the dimension d",
        "le plus grand de a et b\u{a0}; max(x[d!])\u{a0}: le plus grand de x sur la dimension d",
    ),
);
const DOC_CLAMP: (StaticText, StaticText) = (
    text("clamp(x, lo, hi)", "clamp(x, bas, haut)"),
    text("x held between lo and hi", "x maintenu entre bas et haut"),
);
const DOC_ABS: (StaticText, StaticText) = (
    text("abs(x)", "abs(x)"),
    text("the absolute value of x", "la valeur absolue de x"),
);
const DOC_EXP: (StaticText, StaticText) = (
    text("exp(x)", "exp(x)"),
    text("e to the power x", "e à la puissance x"),
);
const DOC_LN: (StaticText, StaticText) = (
    text("ln(x)", "ln(x)"),
    text("the natural logarithm of x", "le logarithme népérien de x"),
);
const DOC_SQRT: (StaticText, StaticText) = (
    text("sqrt(x)", "sqrt(x)"),
    text("the square root of x", "la racine carrée de x"),
);
const DOC_POW: (StaticText, StaticText) = (
    text("pow(a, b)", "pow(a, b)"),
    text("a to the power b", "a à la puissance b"),
);
const DOC_ROUND: (StaticText, StaticText) = (
    text("round(x)", "round(x)"),
    text(
        "x rounded to the nearest whole number (2.5 gives 3, -2.5 gives -3)",
        "x arrondi à l’entier le plus proche (2,5 donne 3, -2,5 donne -3)",
    ),
);
const DOC_PREV: (StaticText, StaticText) = (
    text("prev(x[, first])", "prev(x[, valeur0])"),
    text(
        "variable x in the previous year (first in the first year)",
        "la variable x l’année précédente (valeur0 la première année)",
    ),
);
const DOC_STEP: (StaticText, StaticText) = (
    text("step(height, start)", "step(hauteur, début)"),
    text(
        "0 before the start time, height from it on",
        "0 avant le temps de début, hauteur à partir de lui",
    ),
);
const DOC_RAMP: (StaticText, StaticText) = (
    text("ramp(slope, start[, end])", "ramp(pente, début[, fin])"),
    text(
        "grows by slope per time unit from start, held after end",
        "croît de pente par unité de temps à partir de début, constante après fin",
    ),
);
const DOC_INT: (StaticText, StaticText) = (
    text("int(x)", "int(x)"),
    text(
        "the largest whole number not above x (int(-2.5) gives -3)",
        "le plus grand entier inférieur ou égal à x (int(-2,5) donne -3)",
    ),
);
const DOC_MOD: (StaticText, StaticText) = (
    text("mod(a, b)", "mod(a, b)"),
    text(
        "the remainder of a by b, with the sign of b (mod(-7, 3) gives 2)",
        "le reste de a par b, du signe de b (mod(-7, 3) donne 2)",
    ),
);
const DOC_SIN: (StaticText, StaticText) = (
    text("sin(x)", "sin(x)"),
    text("the sine of x (in radians)", "le sinus de x (en radians)"),
);
const DOC_COS: (StaticText, StaticText) = (
    text("cos(x)", "cos(x)"),
    text(
        "the cosine of x (in radians)",
        "le cosinus de x (en radians)",
    ),
);
const DOC_TAN: (StaticText, StaticText) = (
    text("tan(x)", "tan(x)"),
    text(
        "the tangent of x (in radians)",
        "la tangente de x (en radians)",
    ),
);
const DOC_ARCSIN: (StaticText, StaticText) = (
    text("arcsin(x)", "arcsin(x)"),
    text(
        "the angle whose sine is x, in radians",
        "l’angle dont le sinus est x, en radians",
    ),
);
const DOC_ARCCOS: (StaticText, StaticText) = (
    text("arccos(x)", "arccos(x)"),
    text(
        "the angle whose cosine is x, in radians",
        "l’angle dont le cosinus est x, en radians",
    ),
);
const DOC_ARCTAN: (StaticText, StaticText) = (
    text("arctan(x)", "arctan(x)"),
    text(
        "the angle whose tangent is x, in radians",
        "l’angle dont la tangente est x, en radians",
    ),
);
const DOC_SINH: (StaticText, StaticText) = (
    text("sinh(x)", "sinh(x)"),
    text("the hyperbolic sine of x", "le sinus hyperbolique de x"),
);
const DOC_COSH: (StaticText, StaticText) = (
    text("cosh(x)", "cosh(x)"),
    text("the hyperbolic cosine of x", "le cosinus hyperbolique de x"),
);
const DOC_TANH: (StaticText, StaticText) = (
    text("tanh(x)", "tanh(x)"),
    text(
        "the hyperbolic tangent of x",
        "la tangente hyperbolique de x",
    ),
);
const DOC_LOG10: (StaticText, StaticText) = (
    text("log10(x)", "log10(x)"),
    text("the base-10 logarithm of x", "le logarithme décimal de x"),
);
const DOC_SAFEDIV: (StaticText, StaticText) = (
    text("safediv(a, b[, x])", "safediv(a, b[, x])"),
    text(
        "a / b, or x (0 if not given) when b is 0",
        "a / b, ou x (0 s’il manque) quand b vaut 0",
    ),
);
const DOC_XIDZ: (StaticText, StaticText) = (
    text("xidz(a, b, x)", "xidz(a, b, x)"),
    text(
        "a / b, or x when b is nearly 0 (|b| < 1e-6)",
        "a / b, ou x quand b est presque nul (|b| < 1e-6)",
    ),
);
const DOC_ZIDZ: (StaticText, StaticText) = (
    text("zidz(a, b)", "zidz(a, b)"),
    text(
        "a / b, or 0 when b is nearly 0 (|b| < 1e-6)",
        "a / b, ou 0 quand b est presque nul (|b| < 1e-6)",
    ),
);
const DOC_PULSE: (StaticText, StaticText) = (
    text(
        "pulse(volume, first[, every])",
        "pulse(volume, premier[, tous])",
    ),
    text(
        "volume/dt for one time step at first (and every `every` after, if > 0), else 0",
        "volume/dt pendant un pas à premier (et tous les `tous` ensuite, si > 0), 0 sinon",
    ),
);
const DOC_RANDOM_UNIFORM: (StaticText, StaticText) = (
    text(
        "random_uniform(lo, hi[, seed])",
        "random_uniform(bas, haut[, graine])",
    ),
    text(
        "a draw between lo and hi, new at each time step, repeatable with the scenario's seed (or the call's own seed, if not 0, the same in every run)",
        "un tirage entre bas et haut, nouveau à chaque pas, reproductible avec la graine du scénario (ou celle de l’appel, si elle n’est pas 0, la même à chaque simulation)",
    ),
);
const DOC_RANDOM_NORMAL: (StaticText, StaticText) = (
    text(
        "random_normal(mean, sd[, seed[, lo, hi]])",
        "random_normal(moyenne, écart_type[, graine[, bas, haut]])",
    ),
    text(
        "a normal draw, new at each time step; a seed other than 0 fixes the call's draws, lo and hi truncate them",
        "un tirage normal, nouveau à chaque pas\u{a0}; une graine autre que 0 fixe les tirages de l’appel, bas et haut les tronquent",
    ),
);
const DOC_RANDOM_LOGNORMAL: (StaticText, StaticText) = (
    text(
        "random_lognormal(mean, sd[, seed[, lo, hi]])",
        "random_lognormal(moyenne, écart_type[, graine[, bas, haut]])",
    ),
    text(
        "a log-normal draw of that mean and standard deviation, new at each time step",
        "un tirage log-normal de cette moyenne et de cet écart type, nouveau à chaque pas",
    ),
);
const DOC_RANDOM_POISSON: (StaticText, StaticText) = (
    text(
        "random_poisson(mean[, seed[, lo, hi]])",
        "random_poisson(moyenne[, graine[, bas, haut]])",
    ),
    text(
        "a whole Poisson draw of that mean, new at each time step",
        "un tirage entier de Poisson de cette moyenne, nouveau à chaque pas",
    ),
);
const DOC_RANDOM_EXPONENTIAL: (StaticText, StaticText) = (
    text(
        "random_exponential(mean[, seed[, lo, hi]])",
        "random_exponential(moyenne[, graine[, bas, haut]])",
    ),
    text(
        "an exponential draw of that mean, new at each time step",
        "un tirage exponentiel de cette moyenne, nouveau à chaque pas",
    ),
);
const DOC_RANDOM_TRIANGULAR: (StaticText, StaticText) = (
    text(
        "random_triangular(lo, mode, hi[, seed[, min, max]])",
        "random_triangular(bas, mode, haut[, graine[, min, max]])",
    ),
    text(
        "a draw of the triangular distribution from lo to hi peaking at mode, new at each time step",
        "un tirage de la loi triangulaire de bas à haut, de sommet mode, nouveau à chaque pas",
    ),
);
const DOC_RANDOM_GAMMA: (StaticText, StaticText) = (
    text(
        "random_gamma(shape, scale[, seed[, lo, hi]])",
        "random_gamma(forme, échelle[, graine[, bas, haut]])",
    ),
    text(
        "a gamma draw (mean shape × scale), new at each time step",
        "un tirage de la loi gamma (moyenne forme × échelle), nouveau à chaque pas",
    ),
);
const DOC_RANDOM_BETA: (StaticText, StaticText) = (
    text(
        "random_beta(a, b[, seed[, lo, hi]])",
        "random_beta(a, b[, graine[, bas, haut]])",
    ),
    text(
        "a beta draw between 0 and 1 (mean a / (a + b)), new at each time step",
        "un tirage de la loi bêta entre 0 et 1 (moyenne a / (a + b)), nouveau à chaque pas",
    ),
);
const DOC_RANDOM_WEIBULL: (StaticText, StaticText) = (
    text(
        "random_weibull(shape, scale[, seed[, lo, hi]])",
        "random_weibull(forme, échelle[, graine[, bas, haut]])",
    ),
    text(
        "a Weibull draw, new at each time step",
        "un tirage de la loi de Weibull, nouveau à chaque pas",
    ),
);
const DOC_RANDOM_BINOMIAL: (StaticText, StaticText) = (
    text(
        "random_binomial(n, p[, seed[, lo, hi]])",
        "random_binomial(n, p[, graine[, bas, haut]])",
    ),
    text(
        "the successes in n trials of probability p, new at each time step",
        "le nombre de succès en n essais de probabilité p, nouveau à chaque pas",
    ),
);
const DOC_RANDOM_NEGATIVE_BINOMIAL: (StaticText, StaticText) = (
    text(
        "random_negative_binomial(n, p[, seed[, lo, hi]])",
        "random_negative_binomial(n, p[, graine[, bas, haut]])",
    ),
    text(
        "the failures before the n-th success in trials of probability p, new at each time step",
        "le nombre d’échecs avant le n-ième succès en essais de probabilité p, nouveau à chaque pas",
    ),
);
const DOC_PREVIOUS: (StaticText, StaticText) = (
    text("previous(x[, first])", "previous(x[, valeur0])"),
    text(
        "XMILE's name for prev: x one time step (a year) ago, first at the start",
        "le nom XMILE de prev\u{a0}: x un pas de temps (un an) plus tôt, valeur0 au début",
    ),
);
const DOC_INIT: (StaticText, StaticText) = (
    text("init(x)", "init(x)"),
    text(
        "the value of x in the first year, kept for the whole run",
        "la valeur de x la première année, gardée toute la simulation",
    ),
);
const DOC_SMOOTH1: (StaticText, StaticText) = (
    text("smooth1(x, time[, first])", "smooth1(x, délai[, valeur0])"),
    text(
        "x smoothed exponentially over time years (starts at first, or x)",
        "x lissé exponentiellement sur délai années (part de valeur0, ou x)",
    ),
);
const DOC_DELAY1: (StaticText, StaticText) = (
    text("delay1(x, time[, first])", "delay1(x, délai[, valeur0])"),
    text(
        "x through a first-order material delay of time years",
        "x à travers un retard matériel du premier ordre de délai années",
    ),
);
const DOC_SMOOTH3: (StaticText, StaticText) = (
    text("smooth3(x, time[, first])", "smooth3(x, délai[, valeur0])"),
    text(
        "x through three exponential smooths of time/3 years each (start at first, or x)",
        "x à travers trois lissages exponentiels de délai/3 années chacun (partent de valeur0, ou x)",
    ),
);
const DOC_DELAY3: (StaticText, StaticText) = (
    text("delay3(x, time[, first])", "delay3(x, délai[, valeur0])"),
    text(
        "x through a third-order material delay of time years",
        "x à travers un retard matériel du troisième ordre de délai années",
    ),
);
const DOC_TREND: (StaticText, StaticText) = (
    text(
        "trend(x, time[, first_trend])",
        "trend(x, délai[, tendance0])",
    ),
    text(
        "fractional growth of x per year against its average over time years",
        "croissance relative de x par an par rapport à sa moyenne sur délai années",
    ),
);
const DOC_FORECAST: (StaticText, StaticText) = (
    text(
        "forecast(x, time, horizon[, first_trend])",
        "forecast(x, délai, horizon[, tendance0])",
    ),
    text(
        "x extrapolated horizon years ahead on its trend: x (1 + trend · horizon)",
        "x extrapolé horizon années plus loin selon sa tendance\u{a0}: x (1 + tendance · horizon)",
    ),
);
const DOC_SMOOTHN: (StaticText, StaticText) = (
    text(
        "smoothn(x, time, n[, first])",
        "smoothn(x, délai, n[, valeur0])",
    ),
    text(
        "x through n exponential smooths of time/n years each (n a whole constant)",
        "x à travers n lissages exponentiels de délai/n années chacun (n entier constant)",
    ),
);
const DOC_DELAYN: (StaticText, StaticText) = (
    text(
        "delayn(x, time, n[, first])",
        "delayn(x, délai, n[, valeur0])",
    ),
    text(
        "x through a material delay of order n (a whole constant) of time years",
        "x à travers un retard matériel d’ordre n (entier constant) de délai années",
    ),
);
const DOC_VENSIM_DELAYN: (StaticText, StaticText) = (
    text(
        "vensim_delayn(x, time, n[, first])",
        "vensim_delayn(x, délai, n[, valeur0])",
    ),
    text(
        "Vensim’s DELAY N: delayn whose stage k reads the time of k steps ago, n lowered at the start until n × dt ≤ time",
        "le DELAY N de Vensim : delayn dont l’étage k lit le délai d’il y a k pas, n abaissé au départ jusqu’à n × dt ≤ délai",
    ),
);
const DOC_ALLOCATE_AVAILABLE: (StaticText, StaticText) = (
    text(
        "allocate_available(supply, type, request, priority, width, type1, request1, priority1, width1, …)",
        "allocate_available(offre, type, demande, priorité, largeur, type1, demande1, priorité1, largeur1, …)",
    ),
    text(
        "Vensim's ALLOCATE AVAILABLE: what the requester (type, request, priority, width) gets of supply shared among requesters 1, 2… by their priority curves (type 1 rectangular, 2 triangular, 3 normal, 4 exponential)",
        "la fonction ALLOCATE AVAILABLE de Vensim\u{a0}: ce que reçoit le demandeur (type, demande, priorité, largeur) de l’offre partagée entre les demandeurs 1, 2… selon leurs courbes de priorité (type 1 rectangulaire, 2 triangulaire, 3 normale, 4 exponentielle)",
    ),
);
const DOC_DELAY: (StaticText, StaticText) = (
    text("delay(x, time[, first])", "delay(x, délai[, valeur0])"),
    text(
        "x of time years ago (time a positive constant, rounded to whole years, halves up), first before",
        "x d’il y a délai années (délai constant positif, arrondi à l’année, moitiés vers le haut), valeur0 avant",
    ),
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::expr::is_reserved;

    #[test]
    fn all_lists_every_builtin_once_in_order() {
        for (i, b) in Builtin::ALL.into_iter().enumerate() {
            assert_eq!(b as usize, i, "{b:?}");
        }
    }

    #[test]
    fn names_round_trip_and_are_reserved() {
        for b in Builtin::ALL {
            assert_eq!(Builtin::from_name(b.name()), Some(b), "{b:?}");
            assert!(is_reserved(b.name()), "{b:?}");
            assert!(crate::model::expr::is_identifier(b.name()), "{b:?}");
        }
        assert_eq!(Builtin::from_name("Min"), None);
        assert_eq!(Builtin::from_name("lookup"), None);
        assert_eq!(Builtin::from_name(""), None);
    }

    #[test]
    fn docs_exist_in_both_languages_with_the_call_as_written() {
        for b in Builtin::ALL {
            let d = b.doc();
            for lang in [Lang::En, Lang::Fr] {
                let sig = d.signature.get(lang);
                assert!(sig.starts_with(&format!("{}(", b.name())), "{b:?} {sig}");
                assert!(sig.ends_with(')'), "{b:?} {sig}");
                assert!(!d.summary.get(lang).trim().is_empty(), "{b:?} {lang:?}");
                assert!(!d.summary.get(lang).ends_with('.'), "{b:?} {lang:?}");
            }
            assert_ne!(d.summary.en, d.summary.fr, "{b:?}: translated");
            assert_eq!(d.summary.to_text().get(Lang::Fr), d.summary.fr);
        }
    }

    /// French typography: a non-breaking space (U+00A0) before `:` `;` `?` `%`,
    /// never an ordinary one and never none.
    fn french_typography(s: &str) -> Result<(), String> {
        let chars: Vec<char> = s.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if matches!(c, ':' | ';' | '?' | '%') && (i == 0 || chars[i - 1] != '\u{a0}') {
                return Err(format!(
                    "{s:?}: `{c}` at {i} needs a non-breaking space before it"
                ));
            }
        }
        Ok(())
    }

    #[test]
    fn french_docs_follow_french_typography() {
        assert!(french_typography("a\u{a0}: b").is_ok());
        assert!(french_typography("a : b").is_err());
        assert!(french_typography("50%").is_err());
        for b in Builtin::ALL {
            let d = b.doc();
            for s in [d.signature.fr, d.summary.fr, &d.line(Lang::Fr)] {
                french_typography(s).unwrap_or_else(|e| panic!("{b:?}: {e}"));
            }
        }
        assert_eq!(
            Builtin::Min.doc().line(Lang::Fr),
            "min(a, b)\u{a0}: le plus petit de a et b\u{a0}; min(x[d!])\u{a0}: le plus petit de x sur la dimension d"
        );
        assert_eq!(
            Builtin::Min.doc().line(Lang::En),
            "min(a, b): the smaller of a and b; min(x[d!]): the smallest of x over the dimension d"
        );
    }

    #[test]
    fn named_values_are_reserved_documented_and_not_functions() {
        for k in Named::ALL {
            assert_eq!(Named::from_name(k.name()), Some(k), "{k:?}");
            assert!(is_reserved(k.name()), "{k:?}");
            assert!(crate::model::expr::is_identifier(k.name()), "{k:?}");
            assert_eq!(Builtin::from_name(k.name()), None, "{k:?}");
            let d = k.doc();
            assert_eq!(d.signature.en, k.name());
            assert_ne!(d.summary.en, d.summary.fr, "{k:?}: translated");
            for s in [d.summary.fr, &d.line(Lang::Fr)] {
                french_typography(s).unwrap_or_else(|e| panic!("{k:?}: {e}"));
            }
        }
        assert_eq!(Named::Time.value(2031.0, 0.25), Some(2031.0));
        assert_eq!(Named::Dt.value(2031.0, 0.25), Some(0.25));
        assert_eq!(Named::StartTime.value(2031.0, 1.0), None);
    }

    #[test]
    fn pulse_follows_xmile_at_dt_1() {
        // XMILE 3.5.4: PULSE(20, 12, 5) fires at 12, 17, 22...
        let at = |t: f64| pulse(20.0, 12.0, Some(5.0), t, 1.0);
        let fired: Vec<f64> = (10..=23).map(f64::from).filter(|&t| at(t) != 0.0).collect();
        assert_eq!(fired, [12.0, 17.0, 22.0]);
        assert_eq!(at(17.0), 20.0);
        // Without an interval, or with one <= 0: once.
        for every in [None, Some(0.0), Some(-3.0)] {
            let fired: Vec<i32> = (10..30)
                .filter(|&t| pulse(2.0, 12.0, every, f64::from(t), 1.0) != 0.0)
                .collect();
            assert_eq!(fired, [12], "{every:?}");
        }
        // A fractional first time: the year whose one-year window holds it.
        assert_eq!(pulse(1.0, 2020.5, None, 2020.0, 1.0), 0.0);
        assert_eq!(pulse(1.0, 2020.5, None, 2021.0, 1.0), 1.0);
        assert_eq!(pulse(1.0, 2020.5, None, 2022.0, 1.0), 0.0);
        // At dt 0.1, 5 is found however the steps round, at 10 = 1 / 0.1.
        let fired: Vec<usize> = (0..100)
            .filter(|&k| pulse(1.0, 5.0, Some(2.0), k as f64 * 0.1, 0.1) != 0.0)
            .collect();
        assert_eq!(fired, [50, 70, 90]);
        assert_eq!(pulse(1.0, 5.0, None, 50.0 * 0.1, 0.1), 10.0);
    }

    #[test]
    fn arities_are_sorted_and_said_as_errors_say_them() {
        for b in Builtin::ALL {
            let a = b.arities();
            assert!(!a.is_empty() && a.windows(2).all(|w| w[0] < w[1]), "{b:?}");
        }
        assert_eq!(Builtin::Abs.expected_args(), "1 argument");
        assert_eq!(Builtin::Min.expected_args(), "2 arguments");
        assert_eq!(Builtin::Prev.expected_args(), "1 or 2 arguments");
        assert_eq!(Builtin::Ramp.expected_args(), "2 or 3 arguments");
        let b = Builtin::AllocateAvailable;
        assert_eq!(
            b.expected_args(),
            "5 + 4 × n arguments (n requesters, 1 to 64)"
        );
        for n in 0..300 {
            assert_eq!(b.accepts(n), allocation::requesters(n).is_some(), "{n}");
        }
    }

    #[test]
    fn allocate_available_gives_the_requester_its_share() {
        let b = Builtin::AllocateAvailable;
        // Two rectangular requesters of 10 (priorities 2 and 1, width 2):
        // a supply of 10 goes 7.5 to the first, 2.5 to the second.
        let profiles = [1.0, 10.0, 2.0, 2.0, 1.0, 10.0, 1.0, 2.0];
        let call = |supply: f64, own: usize| {
            let mut args = vec![supply];
            args.extend_from_slice(&profiles[4 * own..4 * own + 4]);
            args.extend_from_slice(&profiles);
            b.eval(&args, 2025.0, 1.0).unwrap()
        };
        assert_eq!(call(10.0, 0), 7.5);
        assert_eq!(call(10.0, 1), 2.5);
        assert_eq!(call(25.0, 1), 10.0);
        assert_eq!(call(0.0, 0), 0.0);
        assert_eq!(
            b.fold(&[10.0, 1.0, 10.0, 2.0, 2.0, 1.0, 10.0, 2.0, 2.0]),
            Some(10.0)
        );
        assert_eq!(b.kind(), Kind::Search);
    }

    #[test]
    fn only_pure_builtins_fold_and_they_fold_to_their_value() {
        // Nine values: `allocate_available`'s smallest call (one requester,
        // the last four its profile: type 3, request 2, priority 1, width 2).
        let samples: [&[f64]; 4] = [
            &[0.5, 2.0, 3.0, 1.0, 3.0, 3.0, 2.0, 1.0, 2.0],
            &[-1.5, 4.0, 1.0, 2.0, 1.0, 3.0, 2.0, 1.0, 2.0],
            &[2.5, -0.25, 9.0, -3.0, 2.0, 3.0, 2.0, 1.0, 2.0],
            &[16.0, 0.0, 0.0, 0.0, 4.0, 3.0, 2.0, 1.0, 2.0],
        ];
        for b in Builtin::ALL {
            for s in samples {
                for &n in b.arities().iter().filter(|&&n| n <= s.len()) {
                    let args = &s[..n];
                    match b.kind() {
                        Kind::Pure | Kind::Search => {
                            let f = b.fold(args).expect("pure folds");
                            let v = b.eval(args, 2025.0, 1.0).expect("takes n");
                            assert!(f.to_bits() == v.to_bits(), "{b:?}{args:?}");
                        }
                        Kind::TimeDependent | Kind::Stateful | Kind::Random => {
                            assert_eq!(b.fold(args), None, "{b:?}")
                        }
                    }
                }
                let too_many = [0.0; 5];
                assert_eq!(b.eval(&too_many, 2025.0, 1.0), None, "{b:?}");
                assert_eq!(b.fold(&too_many), None, "{b:?}");
            }
        }
    }

    #[test]
    fn time_dependent_builtins_read_the_year() {
        assert_eq!(Builtin::Step.eval(&[5.0, 2025.0], 2024.0, 1.0), Some(0.0));
        assert_eq!(Builtin::Step.eval(&[5.0, 2025.0], 2025.0, 1.0), Some(5.0));
        assert_eq!(Builtin::Ramp.eval(&[2.0, 2020.0], 2025.0, 1.0), Some(10.0));
        assert_eq!(
            Builtin::Ramp.eval(&[2.0, 2020.0, 2022.0], 2025.0, 1.0),
            Some(4.0)
        );
        assert_eq!(Builtin::Prev.eval(&[1.0], 2025.0, 1.0), None);
    }
}
