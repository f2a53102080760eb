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
//!    `?` `%` in French), `eval`, and `lowering`.
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
//!      `compile/codegen.rs`, like `Lowering::Prev` (delays and smooths:
//!      hidden stocks; random inputs: a seeded series per run).
//!
//! Folding needs no work: [`Builtin::fold`] folds pure functions with
//! [`Builtin::eval`], and never the others. The tests (`tests/builtins.rs`
//! and those below) then check the new function's name, docs, and that the
//! compiled program, the tree evaluator and folding agree.

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
}

/// What a built-in's value depends on, which decides how it may be compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Its arguments only: folded to a constant when they are constants.
    Pure,
    /// Its arguments and the clock (the year): `step`, `ramp`.
    TimeDependent,
    /// Values kept from one year to the next: `prev`.
    Stateful,
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
    pub const ALL: [Builtin; 12] = [
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
        }
    }

    /// The built-in called `name`, if any (names are case-sensitive).
    pub fn from_name(name: &str) -> Option<Builtin> {
        Builtin::ALL.into_iter().find(|b| b.name() == name)
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
            | Builtin::Round => Kind::Pure,
            Builtin::Step | Builtin::Ramp => Kind::TimeDependent,
            Builtin::Prev => Kind::Stateful,
        }
    }

    /// The numbers of arguments a call may have, smallest first.
    pub fn arities(self) -> &'static [usize] {
        match self {
            Builtin::Abs | Builtin::Exp | Builtin::Ln | Builtin::Sqrt | Builtin::Round => &[1],
            Builtin::Min | Builtin::Max | Builtin::Pow | Builtin::Step => &[2],
            Builtin::Clamp => &[3],
            Builtin::Prev => &[1, 2],
            Builtin::Ramp => &[2, 3],
        }
    }

    /// Whether a call may have `n` arguments.
    pub fn accepts(self, n: usize) -> bool {
        self.arities().contains(&n)
    }

    /// The accepted numbers of arguments, as an error message says them:
    /// "1 argument", "2 arguments", "2 or 3 arguments".
    pub fn expected_args(self) -> String {
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
            Builtin::Min => (
                text("min(a, b)", "min(a, b)"),
                text("the smaller of a and b", "le plus petit de a et b"),
            ),
            Builtin::Max => (
                text("max(a, b)", "max(a, b)"),
                text("the larger of a and b", "le plus grand de a et b"),
            ),
            Builtin::Clamp => (
                text("clamp(x, lo, hi)", "clamp(x, bas, haut)"),
                text("x held between lo and hi", "x maintenu entre bas et haut"),
            ),
            Builtin::Abs => (
                text("abs(x)", "abs(x)"),
                text("the absolute value of x", "la valeur absolue de x"),
            ),
            Builtin::Exp => (
                text("exp(x)", "exp(x)"),
                text("e to the power x", "e à la puissance x"),
            ),
            Builtin::Ln => (
                text("ln(x)", "ln(x)"),
                text("the natural logarithm of x", "le logarithme népérien de x"),
            ),
            Builtin::Sqrt => (
                text("sqrt(x)", "sqrt(x)"),
                text("the square root of x", "la racine carrée de x"),
            ),
            Builtin::Pow => (
                text("pow(a, b)", "pow(a, b)"),
                text("a to the power b", "a à la puissance b"),
            ),
            Builtin::Round => (
                text("round(x)", "round(x)"),
                text(
                    "x rounded to the nearest whole number (2.5 gives 3, -2.5 gives -3)",
                    "x arrondi à l’entier le plus proche (2,5 donne 3, -2,5 donne -3)",
                ),
            ),
            Builtin::Prev => (
                text("prev(x[, first])", "prev(x[, valeur0])"),
                text(
                    "variable x in the previous year (first in the first year)",
                    "la variable x l’année précédente (valeur0 la première année)",
                ),
            ),
            Builtin::Step => (
                text("step(height, year0)", "step(hauteur, an0)"),
                text(
                    "0 before year0, height from year0 on",
                    "0 avant an0, hauteur à partir de an0",
                ),
            ),
            Builtin::Ramp => (
                text("ramp(slope, year0[, year1])", "ramp(pente, an0[, an1])"),
                text(
                    "grows by slope per year from year0, held after year1",
                    "croît de pente par an à partir de an0, constante après an1",
                ),
            ),
        };
        Doc { signature, summary }
    }

    /// A call's value: the reference semantics the compiled program must
    /// match, bit for bit. `None` for a number of arguments the function does
    /// not take, and for `prev`, whose value is not a function of its
    /// arguments' values (the evaluator's caller supplies it).
    pub fn eval(self, args: &[f64], year: f64) -> Option<f64> {
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
            Builtin::Step => two(args).map(|(h, y0)| if year >= y0 { h } else { 0.0 }),
            Builtin::Ramp => match *args {
                [s, y0] => Some(s * (year - y0).max(0.0)),
                [s, y0, y1] => Some(s * (year.min(y1) - y0).max(0.0)),
                [..] => None,
            },
        }
    }

    /// A call's value when its arguments are constants known at compile
    /// time: only a pure function has one.
    pub fn fold(self, args: &[f64]) -> Option<f64> {
        match self.kind() {
            // A pure function does not read the year: any value will do.
            Kind::Pure => self.eval(args, f64::NAN),
            Kind::TimeDependent | Kind::Stateful => None,
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
        }
    }
}

// `ALL` lists every variant once, in order: the last one closes the list.
const _: () = assert!(Builtin::ALL.len() == Builtin::Ramp as usize + 1);

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

/// `step(height, year0)`: `year >= year0 ? height : 0`.
fn step_ops(e: &mut dyn Emit, args: &[Val]) -> Val {
    let on = e.op(Code::Ge, &[Val::YEAR, args[1]]);
    e.op(Code::Select, &[on, args[0], Val::Const(0.0)])
}

/// `ramp(slope, year0[, year1])`: `slope * max(min(year, year1) - year0, 0)`.
fn ramp_ops(e: &mut dyn Emit, args: &[Val]) -> Val {
    let year = match args.get(2) {
        Some(&year1) => e.op(Code::Min, &[Val::YEAR, year1]),
        None => Val::YEAR,
    };
    let d = e.op(Code::Sub, &[year, args[1]]);
    let d = e.op(Code::Max, &[d, Val::Const(0.0)]);
    e.op(Code::Mul, &[args[0], d])
}

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
            "min(a, b)\u{a0}: le plus petit de a et b"
        );
        assert_eq!(
            Builtin::Min.doc().line(Lang::En),
            "min(a, b): the smaller of a and b"
        );
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
    }

    #[test]
    fn only_pure_builtins_fold_and_they_fold_to_their_value() {
        let samples: [&[f64]; 4] = [
            &[0.5, 2.0, 3.0],
            &[-1.5, 4.0, 1.0],
            &[2.5, -0.25, 9.0],
            &[16.0, 0.0, 0.0],
        ];
        for b in Builtin::ALL {
            for s in samples {
                for &n in b.arities() {
                    let args = &s[..n];
                    match b.kind() {
                        Kind::Pure => {
                            let f = b.fold(args).expect("pure folds");
                            let v = b.eval(args, 2025.0).expect("takes n");
                            assert!(f.to_bits() == v.to_bits(), "{b:?}{args:?}");
                        }
                        Kind::TimeDependent | Kind::Stateful => {
                            assert_eq!(b.fold(args), None, "{b:?}")
                        }
                    }
                }
                let too_many = [0.0; 4];
                assert_eq!(b.eval(&too_many, 2025.0), None, "{b:?}");
                assert_eq!(b.fold(&too_many), None, "{b:?}");
            }
        }
    }

    #[test]
    fn time_dependent_builtins_read_the_year() {
        assert_eq!(Builtin::Step.eval(&[5.0, 2025.0], 2024.0), Some(0.0));
        assert_eq!(Builtin::Step.eval(&[5.0, 2025.0], 2025.0), Some(5.0));
        assert_eq!(Builtin::Ramp.eval(&[2.0, 2020.0], 2025.0), Some(10.0));
        assert_eq!(
            Builtin::Ramp.eval(&[2.0, 2020.0, 2022.0], 2025.0),
            Some(4.0)
        );
        assert_eq!(Builtin::Prev.eval(&[1.0], 2025.0), None);
    }
}
