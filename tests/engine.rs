//! The model engine on small models whose answers are known by hand.

use trajectoire::model::error::ErrorKind;
use trajectoire::model::expr::{self, Span};
use trajectoire::model::load::compile_text;
use trajectoire::model::{CompiledModel, ModelErrors};

mod models;
use models::{aux, stock};

/// A model from 2020 to 2024 with two levers (`g` in 0..10, `k` in 0..100).
fn model_text(variables: &str, lookups: &str) -> String {
    models::model_text("test", ("Test", "Test"), LEVERS, variables, lookups)
}

/// `g` in 0..10 (default 5, step 0.5) and `k` in 0..100 (default 10).
const LEVERS: &str = r#"        (id: "g", label: (fr: "g", en: "g"), unit: (fr: "%", en: "%"), min: 0, max: 10, default: 5, step: 0.5),
        (id: "k", label: (fr: "k", en: "k"), unit: (fr: "", en: ""), min: 0, max: 100, default: 10, step: 1),"#;

fn compile(vars: &[String]) -> Result<CompiledModel, ModelErrors> {
    compile_text(&model_text(&vars.concat(), ""), None)
}

fn ok(vars: &[String]) -> CompiledModel {
    compile(vars).unwrap_or_else(|e| panic!("{e}"))
}

fn errors(vars: &[String]) -> ModelErrors {
    compile(vars).expect_err("should not compile")
}

fn series(m: &CompiledModel, levers: &[f64], var: &str) -> Vec<f64> {
    let run = m.run(levers);
    assert!(run.is_ok(), "{:?}", run.problems);
    run.series(m.var_index(var).unwrap()).to_vec()
}

#[test]
fn stock_grows_by_its_change_from_the_second_year() {
    let m = ok(&[stock("pop", "100", "prev(pop) * g / 100")]);
    let s = series(&m, &[10.0, 0.0], "pop");
    let want = [100.0, 110.0, 121.0, 133.1, 146.41];
    for (a, b) in s.iter().zip(want) {
        assert!((a - b).abs() < 1e-9, "{s:?}");
    }
}

#[test]
fn auxiliaries_are_ordered_by_dependency_not_by_file_order() {
    let m = ok(&[
        aux("c", "b * 2"),
        aux("b", "a + 1"),
        aux("a", "k + year - 2020"),
    ]);
    assert_eq!(
        series(&m, &[5.0, 10.0], "c"),
        vec![22.0, 24.0, 26.0, 28.0, 30.0]
    );
}

#[test]
fn prev_reads_last_year_and_takes_a_first_year_value() {
    let m = ok(&[
        aux("x", "year"),
        aux("lag", "prev(x, 0)"),
        stock("s", "7", "1"),
        aux("s_lag", "prev(s)"),
        aux("acc", "prev(acc, 1) * 2"),
    ]);
    let levers = m.default_levers();
    assert_eq!(
        series(&m, &levers, "lag"),
        vec![0.0, 2020.0, 2021.0, 2022.0, 2023.0]
    );
    // A stock's previous value in the first year is its initial value.
    assert_eq!(series(&m, &levers, "s_lag"), vec![7.0, 7.0, 8.0, 9.0, 10.0]);
    // A self-reference through prev is not a loop.
    assert_eq!(series(&m, &levers, "acc"), vec![2.0, 4.0, 8.0, 16.0, 32.0]);
}

#[test]
fn step_ramp_and_lookup_tables() {
    let text = model_text(
        &[
            aux("st", "step(3, 2022)"),
            aux("rp", "ramp(2, 2021, 2023)"),
            aux("lk", "effect(year - 2020)"),
        ]
        .concat(),
        r#"(id: "effect", points: [(1.0, 10.0), (3.0, 30.0)]),"#,
    );
    let m = compile_text(&text, None).unwrap_or_else(|e| panic!("{e}"));
    let l = m.default_levers();
    assert_eq!(series(&m, &l, "st"), vec![0.0, 0.0, 3.0, 3.0, 3.0]);
    assert_eq!(series(&m, &l, "rp"), vec![0.0, 0.0, 2.0, 4.0, 4.0]);
    // Flat beyond the ends, linear between points.
    assert_eq!(series(&m, &l, "lk"), vec![10.0, 10.0, 20.0, 30.0, 30.0]);
}

#[test]
fn data_series_interpolate_and_hold() {
    let text = model_text(
        r#"        (id: "d", label: (fr: "", en: ""), unit: (fr: "", en: ""), kind: Data(points: [(2021, 10.0), (2023, 30.0)])),
"#,
        "",
    );
    let m = compile_text(&text, None).unwrap();
    assert_eq!(
        series(&m, &m.default_levers(), "d"),
        vec![10.0, 10.0, 20.0, 30.0, 30.0]
    );
}

#[test]
fn rerun_with_new_levers_needs_no_recompile_and_batches_agree() {
    let m = ok(&[
        stock(
            "pop",
            "100",
            "prev(pop) * g / 100 + if k > 50 then 1 else 0",
        ),
        aux("share", "pop / (k + 1)"),
    ]);
    let sets: Vec<Vec<f64>> = (0..19)
        .map(|i| vec![(i % 10) as f64, (i * 7 % 100) as f64])
        .collect();
    let refs: Vec<&[f64]> = sets.iter().map(Vec::as_slice).collect();
    let batch = m.run_batch(&refs);
    assert_eq!(batch.len(), sets.len());
    let mut reused = m.run(&sets[0]);
    for (set, b) in sets.iter().zip(&batch) {
        m.run_into(set, &mut reused);
        assert_eq!(&reused, b, "lane results equal single runs for {set:?}");
    }
}

#[test]
fn all_unknown_names_are_reported_with_spans() {
    let errs = errors(&[
        aux("a", "gg + 1"),
        aux("b", "a * zzz + k"),
        aux("c", "mn(a, b)"),
    ]);
    let msgs: Vec<String> = errs.0.iter().map(|e| e.to_string()).collect();
    assert_eq!(errs.0.len(), 3, "{msgs:#?}");
    let gg = &errs.0[0];
    assert_eq!(gg.kind, ErrorKind::UnknownName);
    assert_eq!(gg.span, Some(Span::new(0, 2)));
    assert!(gg.message.contains("did you mean `g`"), "{}", gg.message);
    assert_eq!(errs.0[1].span, Some(Span::new(4, 7)));
    assert!(
        errs.0[2].message.contains("did you mean `min`"),
        "{}",
        errs.0[2].message
    );
}

#[test]
fn arity_and_misuse_errors() {
    let text = model_text(
        &[
            aux("a", "min(1, 2, 3)"),
            aux("b", "effect"),
            aux("c", "effect(1, 2)"),
            aux("d", "prev(d)"),
            aux("e", "prev(1 + 2)"),
            aux("f", "min"),
        ]
        .concat(),
        r#"(id: "effect", points: [(0.0, 0.0)]),"#,
    );
    let errs = compile_text(&text, None).expect_err("invalid");
    let kinds: Vec<ErrorKind> = errs.0.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            ErrorKind::Arity,
            ErrorKind::Misuse,
            ErrorKind::Arity,
            ErrorKind::Misuse,
            ErrorKind::Misuse,
            ErrorKind::UnknownName
        ],
        "{errs}"
    );
    assert!(
        errs.0[0].message.contains("takes 2 arguments, not 3"),
        "{errs}"
    );
    assert!(errs.0[3].message.contains("prev(d, 0)"), "{errs}");
}

#[test]
fn circular_definitions_name_every_variable_in_the_loop() {
    let errs = errors(&[
        aux("a", "b + 1"),
        aux("b", "c * 2"),
        aux("c", "a - k"),
        aux("selfish", "selfish + 1"),
        aux("fine", "prev(fine, 0) + a"),
    ]);
    let cycles: Vec<_> = errs
        .0
        .iter()
        .filter(|e| e.kind == ErrorKind::Cycle)
        .collect();
    assert_eq!(cycles.len(), 2, "{errs}");
    assert!(
        cycles[0].message.contains("a -> b -> c -> a"),
        "{}",
        cycles[0].message
    );
    assert_eq!(
        cycles[0].span,
        Some(Span::new(0, 1)),
        "underlines `b` in a's equation"
    );
    assert!(
        cycles[1].message.contains("selfish -> selfish"),
        "{}",
        cycles[1].message
    );
}

#[test]
fn a_stock_whose_change_reads_itself_this_year_is_a_loop() {
    let errs = errors(&[stock("s", "1", "s * 0.1")]);
    assert_eq!(errs.0[0].kind, ErrorKind::Cycle, "{errs}");
    assert_eq!(errs.0[0].field, "change");
}

#[test]
fn syntax_errors_in_several_equations_are_all_reported() {
    let errs = errors(&[aux("a", "1 +"), aux("b", "(2"), stock("s", "1 1", "2")]);
    assert_eq!(errs.0.len(), 3, "{errs}");
    assert!(errs.0.iter().all(|e| e.kind == ErrorKind::Syntax));
    assert_eq!(errs.0[2].field, "initial");
}

#[test]
fn errors_point_at_file_line_and_column() {
    let text = model_text(
        &[aux("a", "1 + 2"), aux("b", "a * unknown_thing")].concat(),
        "",
    );
    let path = std::path::Path::new("model.ron");
    let errs = compile_text(&text, Some(path)).expect_err("invalid");
    let e = &errs.0[0];
    let loc = e.location.as_ref().expect("located");
    let line = text.lines().nth(loc.line - 1).unwrap();
    let at: String = line.chars().skip(loc.col - 1).take(13).collect();
    assert_eq!(at, "unknown_thing", "{e}");
    assert!(
        e.to_string()
            .starts_with(&format!("model.ron:{}:{}: variable `b`", loc.line, loc.col))
    );
}

#[test]
fn non_finite_values_are_reported_with_variable_and_year() {
    let m = ok(&[
        aux("den", "2022 - year"),
        aux("ratio", "1 / den"),
        aux("fine", "1"),
    ]);
    let run = m.run(&m.default_levers());
    assert_eq!(run.problems.len(), 1, "{:?}", run.problems);
    let p = &run.problems[0];
    assert_eq!((p.variable.as_str(), p.time), ("ratio", 2022.0));
    assert!(p.to_string().contains("ratio") && p.to_string().contains("2022"));
    // The untaken branch of an `if` may divide by zero: that is not a problem.
    let m = ok(&[
        aux("den", "2022 - year"),
        aux("safe", "if den != 0 then 1 / den else 0"),
    ]);
    assert!(m.run(&m.default_levers()).is_ok());
}

#[test]
fn levers_are_range_checked_by_name() {
    let m = ok(&[aux("a", "g")]);
    assert!(m.levers_with([("g", 7.0)]).is_ok());
    let e = m.levers_with([("g", 11.0)]).unwrap_err();
    assert!(
        e.message.contains("outside") && e.message.contains("0 to 10"),
        "{e}"
    );
    let e = m.levers_with([("g", f64::NAN)]).unwrap_err();
    assert!(e.message.contains("outside"), "{e}");
    let e = m.levers_with([("gg", 1.0)]).unwrap_err();
    assert!(e.message.contains("did you mean `g`"), "{e}");
}

#[test]
fn invalid_structure_is_reported_whole() {
    let text = model_text(
        &[aux("a", "1"), aux("a", "2"), aux("year", "3")].concat(),
        "",
    )
    .replace("min: 0, max: 10, default: 5", "min: 10, max: 0, default: 5");
    let errs = compile_text(&text, None).expect_err("invalid");
    let s = errs.to_string();
    assert!(s.contains("used twice"), "{s}");
    assert!(s.contains("reserved word"), "{s}");
    assert!(s.contains("must be greater than min"), "{s}");
}

#[test]
fn nan_and_infinity_in_the_file_are_refused() {
    let text = model_text(&aux("a", "1"), "").replace("default: 5,", "default: NaN,");
    let errs = compile_text(&text, None).expect_err("invalid");
    assert!(errs.to_string().contains("not a finite number"), "{errs}");
    let text = model_text(&aux("a", "1"), "").replace("max: 100", "max: 1e999");
    assert!(compile_text(&text, None).is_err());
}

/// The compiled program computes what the syntax tree says, for any equation.
mod compiled_matches_tree {
    use super::*;
    use proptest::prelude::*;

    fn equation() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            (0.0f64..100.0).prop_map(|x| format!("{x:?}")),
            Just("g".to_string()),
            Just("k".to_string()),
            Just("year".to_string()),
            Just("base".to_string()),
        ];
        leaf.prop_recursive(5, 48, 3, |inner| {
            prop_oneof![
                (
                    inner.clone(),
                    inner.clone(),
                    prop::sample::select(vec![
                        "+", "-", "*", "/", "^", "<", ">=", "==", "and", "or"
                    ])
                )
                    .prop_map(|(a, b, op)| format!("({a}) {op} ({b})")),
                inner.clone().prop_map(|a| format!("-({a})")),
                (inner.clone(), inner.clone(), inner.clone())
                    .prop_map(|(c, a, b)| format!("if {c} then {a} else {b}")),
                (
                    inner.clone(),
                    inner.clone(),
                    prop::sample::select(vec!["min", "max", "pow", "step", "ramp"])
                )
                    .prop_map(|(a, b, f)| format!("{f}({a}, {b})")),
                (
                    inner.clone(),
                    prop::sample::select(vec!["abs", "exp", "ln", "sqrt", "round", "not"])
                )
                    .prop_map(|(a, f)| if f == "not" {
                        format!("not ({a})")
                    } else {
                        format!("{f}({a})")
                    }),
                (inner.clone(), inner.clone(), inner)
                    .prop_map(|(a, b, c)| format!("clamp({a}, {b}, {c})")),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn same_values(eq in equation(), g in 0.0f64..10.0, k in 0.0f64..100.0) {
            let m = ok(&[aux("base", "k / 3 + 1"), aux("x", &eq)]);
            let run = m.run(&[g, k]);
            let tree = expr::parse(&eq).unwrap();
            let xi = m.var_index("x").unwrap();
            for (yi, &year) in run.times().iter().enumerate() {
                let want = expr::eval_tree(
                    &tree,
                    (year, 1.0),
                    &|n| match n { "g" => g, "k" => k, "base" => k / 3.0 + 1.0, _ => f64::NAN },
                    &|_, _| f64::NAN,
                );
                let got = run.series(xi)[yi];
                prop_assert!(
                    got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                    "{eq} in {year}: compiled {got}, tree {want}"
                );
            }
        }
    }
}
