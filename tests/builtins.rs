//! Every built-in function, through the whole engine: the compiled program,
//! the tree evaluator (`eval_tree`) and constant folding agree, and calls
//! that go wrong are reported where they are. The list comes from
//! `Builtin::ALL`, so a new built-in is checked here without a new test.

use trajectoire::model::error::ErrorKind;
use trajectoire::model::expr::builtins::Kind;
use trajectoire::model::expr::{self, Builtin, Span, is_reserved};
use trajectoire::model::load::compile_text;
use trajectoire::model::{CompiledModel, ModelErrors};

mod models;

/// A model from 2020 to 2024 with three levers `x`, `y`, `z` (wide ranges),
/// the given auxiliaries, and a lookup table `effect`.
fn model_text(variables: &[(&str, &str)]) -> String {
    let levers = models::wide_levers(&["x", "y", "z"]);
    let vars: String = variables
        .iter()
        .map(|(id, eq)| models::aux(id, eq))
        .collect();
    let lookups = "        (id: \"effect\", points: [(0.0, 0.0), (1.0, 2.0)]),";
    models::model_text(
        "builtins",
        ("Fonctions", "Functions"),
        &levers,
        &vars,
        lookups,
    )
}

fn compile(variables: &[(&str, &str)]) -> Result<CompiledModel, ModelErrors> {
    compile_text(&model_text(variables), None)
}

fn errors(variables: &[(&str, &str)]) -> ModelErrors {
    compile(variables).expect_err("should not compile")
}

/// Argument sets: signs, zero, halves (for `round`), fractions, large values.
const SAMPLES: [[f64; 3]; 7] = [
    [0.5, 2.0, 3.0],
    [-1.5, 4.0, 1.0],
    [2.5, -0.25, 9.0],
    [16.0, 0.0, 0.0],
    [-2.5, -3.0, 7.5],
    [1e3, 0.5, -1e3],
    [3.0, 3.0, 2.0],
];

/// Equal as the engine promises: the same bits, or both not a number.
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// `name(x, y, ...)` with `n` of the levers as arguments.
fn call_on_levers(b: Builtin, n: usize) -> String {
    format!("{}({})", b.name(), ["x", "y", "z"][..n].join(", "))
}

/// `name(0.5, 2.0, ...)` with the arguments written out: folded when compiled.
fn call_on_numbers(b: Builtin, args: &[f64]) -> String {
    let args: Vec<String> = args.iter().map(|a| format!("{a:?}")).collect();
    format!("{}({})", b.name(), args.join(", "))
}

fn tree_value(eq: &str, levers: &[f64], year: f64) -> f64 {
    let tree = expr::parse(eq).unwrap_or_else(|e| panic!("{eq}: {e}"));
    expr::eval_tree(
        &tree,
        (year, 1.0),
        &|n| match n {
            "x" => levers[0],
            "y" => levers[1],
            "z" => levers[2],
            _ => panic!("unknown name {n}"),
        },
        &|f, _| panic!("{eq}: the tree evaluator asked for {f}"),
    )
}

fn pure_builtins() -> impl Iterator<Item = Builtin> {
    Builtin::ALL.into_iter().filter(|b| b.kind() == Kind::Pure)
}

#[test]
fn every_pure_builtin_compiles_to_what_the_tree_and_folding_say() {
    let mut checked = 0;
    for b in pure_builtins() {
        for &n in b.arities() {
            let on_levers = call_on_levers(b, n);
            let m = compile(&[("v", &on_levers)]).unwrap_or_else(|e| panic!("{on_levers}: {e}"));
            let v = m.var_index("v").unwrap();
            let sets: Vec<&[f64]> = SAMPLES.iter().map(|s| &s[..]).collect();
            let batch = m.run_batch(&sets);
            for (s, batched) in SAMPLES.iter().zip(&batch) {
                let args = &s[..n];
                let run = m.run(s);
                let folded = b.fold(args).expect("a pure built-in folds");
                let on_numbers = call_on_numbers(b, args);
                let m_folded = compile(&[("v", &on_numbers)]).unwrap();
                let run_folded = m_folded.run(s);
                for (yi, &year) in run.times().iter().enumerate() {
                    let compiled = run.series(v)[yi];
                    let tree = tree_value(&on_levers, s, year);
                    assert!(
                        same(compiled, tree) && same(compiled, folded),
                        "{on_levers} with {args:?} in {year}: compiled {compiled}, tree {tree}, folded {folded}"
                    );
                    assert!(same(batched.series(v)[yi], compiled), "{on_levers}: lanes");
                    let constant = run_folded.series(v)[yi];
                    assert!(
                        same(constant, folded),
                        "{on_numbers} in {year}: compiled {constant}, folded {folded}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 9 * SAMPLES.len(),
        "every pure built-in was checked"
    );
}

#[test]
fn time_dependent_builtins_follow_the_year_and_never_fold() {
    let year_args: [[f64; 3]; 4] = [
        [2.0, 2022.0, 2023.0],
        [-1.5, 2019.0, 2021.5],
        [4.0, 2024.0, 2030.0],
        [0.5, 2021.5, 2020.0],
    ];
    for b in Builtin::ALL
        .into_iter()
        .filter(|b| b.kind() == Kind::TimeDependent)
    {
        for &n in b.arities() {
            for s in &year_args {
                let args = &s[..n];
                assert_eq!(b.fold(args), None, "{b:?} reads the year");
                for eq in [call_on_levers(b, n), call_on_numbers(b, args)] {
                    let m = compile(&[("v", &eq)]).unwrap();
                    let run = m.run(s);
                    let v = m.var_index("v").unwrap();
                    for (yi, &year) in run.times().iter().enumerate() {
                        let compiled = run.series(v)[yi];
                        let tree = tree_value(&eq, s, year);
                        let direct = b.eval(args, year, 1.0).unwrap();
                        assert!(
                            same(compiled, tree) && same(compiled, direct),
                            "{eq} with {args:?} in {year}: compiled {compiled}, tree {tree}, eval {direct}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn builtin_names_are_reserved_and_refused_as_ids() {
    for b in Builtin::ALL {
        assert!(is_reserved(b.name()), "{b:?}");
        assert_eq!(Builtin::from_name(b.name()), Some(b));
        let errs = errors(&[(b.name(), "1")]);
        assert!(errs.to_string().contains("reserved word"), "{b:?}: {errs}");
    }
}

#[test]
fn an_unknown_function_gets_a_suggestion_on_its_name() {
    let errs = errors(&[
        ("a", "1 + sqr(x)"),
        ("b", "efect(x)"),
        ("c", "frobnicate(x)"),
    ]);
    assert_eq!(errs.0.len(), 3, "{errs}");
    let sqr = &errs.0[0];
    assert_eq!(sqr.kind, ErrorKind::UnknownName);
    assert_eq!(sqr.span, Some(Span::new(4, 7)), "the name, not the call");
    assert!(
        sqr.message.contains("did you mean `sqrt`"),
        "{}",
        sqr.message
    );
    assert!(
        errs.0[1].message.contains("did you mean `effect`"),
        "{errs}"
    );
    assert_eq!(errs.0[2].message, "unknown function `frobnicate`");
}

#[test]
fn a_builtin_named_without_a_call_is_said_to_be_a_function() {
    for b in Builtin::ALL {
        let errs = errors(&[("a", b.name())]);
        assert_eq!(errs.0[0].kind, ErrorKind::UnknownName, "{b:?}");
        assert!(errs.0[0].message.contains("is a function"), "{b:?}: {errs}");
    }
}

#[test]
fn a_wrong_number_of_arguments_reports_the_accepted_counts() {
    for b in Builtin::ALL {
        let too_many = b.arities().last().unwrap() + 1;
        let args = vec!["1"; too_many].join(", ");
        let eq = format!("2 * {}({args})", b.name());
        let errs = errors(&[("a", &eq)]);
        assert_eq!(errs.0.len(), 1, "{eq}: {errs}");
        let e = &errs.0[0];
        assert_eq!(e.kind, ErrorKind::Arity, "{eq}");
        assert_eq!(e.span, Some(Span::new(4, eq.len())), "{eq}: the whole call");
        let expected = format!("`{}` takes {}", b.name(), b.expected_args());
        assert!(e.message.contains(&expected), "{eq}: {}", e.message);
        assert!(
            e.message.contains(&format!("not {too_many}")),
            "{eq}: {}",
            e.message
        );
    }
    let errs = errors(&[("a", "ramp(1)"), ("b", "abs(1, 2)"), ("c", "prev()")]);
    let msgs: Vec<&str> = errs.0.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "`ramp` takes 2 or 3 arguments, not 1 argument",
            "`abs` takes 1 argument, not 2 arguments",
            "`prev` takes 1 or 2 arguments (prev(x) or prev(x, first)), not 0",
        ]
    );
}
