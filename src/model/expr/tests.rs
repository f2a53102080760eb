use super::*;

fn eval(src: &str) -> f64 {
    let e = parse(src).unwrap_or_else(|err| panic!("{src}: {err}"));
    eval_tree(
        &e,
        (2025.0, 1.0),
        &|n| match n {
            "a" => 2.0,
            "b" => 3.0,
            _ => panic!("unknown {n}"),
        },
        &|f, _| panic!("unknown function {f}"),
    )
}

fn err(src: &str) -> ExprError {
    parse(src).expect_err(src)
}

#[test]
fn precedence_and_associativity() {
    assert_eq!(eval("1 + 2 * 3"), 7.0);
    assert_eq!(eval("(1 + 2) * 3"), 9.0);
    assert_eq!(eval("10 - 4 - 3"), 3.0);
    assert_eq!(eval("24 / 4 / 2"), 3.0);
    assert_eq!(eval("-2^2"), -4.0);
    assert_eq!(eval("2^3^2"), 512.0);
    assert_eq!(eval("2^-1"), 0.5);
    assert_eq!(eval("(-2)^2"), 4.0);
    assert_eq!(eval("2 ** 3"), 8.0);
    assert_eq!(eval("-a * b"), -6.0);
    assert_eq!(eval("1 + 2 < 4"), 1.0);
    assert_eq!(eval("1 < 2 and 3 < 2 or 1"), 1.0);
    assert_eq!(eval("not 0 and 1"), 1.0);
    assert_eq!(eval("1_000 + 1.5e3 + .5"), 2500.5);
}

#[test]
fn conditions() {
    assert_eq!(eval("if a > b then 1 else 2"), 2.0);
    assert_eq!(eval("if a == 2 then 10 else 20"), 10.0);
    assert_eq!(eval("if a != 2 then 10 else 20"), 20.0);
    assert_eq!(eval("1 + if a <= 2 then 1 else 0"), 2.0);
    assert_eq!(
        eval("if year >= 2030 then 1 else if year >= 2025 then 2 else 3"),
        2.0
    );
}

#[test]
fn every_function() {
    assert_eq!(eval("min(a, b)"), 2.0);
    assert_eq!(eval("max(a, b)"), 3.0);
    assert_eq!(eval("clamp(5, 0, 1)"), 1.0);
    assert_eq!(eval("clamp(-5, 0, 1)"), 0.0);
    assert_eq!(eval("abs(-3)"), 3.0);
    assert_eq!(eval("exp(0)"), 1.0);
    assert_eq!(eval("ln(exp(2))"), 2.0);
    assert_eq!(eval("sqrt(16)"), 4.0);
    assert_eq!(eval("pow(2, 10)"), 1024.0);
    assert_eq!(eval("round(2.5)"), 3.0);
    assert_eq!(eval("step(5, 2025)"), 5.0);
    assert_eq!(eval("step(5, 2026)"), 0.0);
    assert_eq!(eval("ramp(2, 2020)"), 10.0);
    assert_eq!(eval("ramp(2, 2020, 2022)"), 4.0);
    assert_eq!(eval("ramp(2, 2030)"), 0.0);
}

#[test]
fn comments_and_whitespace() {
    assert_eq!(eval("1 + # one\n 2 # two"), 3.0);
}

#[test]
fn syntax_errors_carry_spans() {
    let e = err("1 + * 2");
    assert_eq!(e.kind, ExprErrorKind::Syntax);
    assert_eq!(e.span, Span::new(4, 5));

    let e = err("(1 + 2");
    assert_eq!(e.span, Span::new(6, 6), "points at the end: {}", e.message);
    assert!(e.message.contains("to close `(`"), "{}", e.message);

    let e = err("1 + 2)");
    assert_eq!(e.span, Span::new(5, 6));

    let e = err("a = b");
    assert_eq!(e.span, Span::new(2, 3));
    assert!(e.message.contains("=="), "{}", e.message);

    let e = err("if a then b");
    assert!(e.message.contains("`else`"), "{}", e.message);

    let e = err("1 < 2 < 3");
    assert!(e.message.contains("chained"), "{}", e.message);

    let e = err("");
    assert!(e.message.contains("empty"));

    let e = err("a $ b");
    assert_eq!(e.span, Span::new(2, 3));

    let e = err("1e999");
    assert!(e.message.contains("too large"));

    let e = err("min(1,");
    assert_eq!(e.kind, ExprErrorKind::Syntax);
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("{}1{}", "(".repeat(1_000), ")".repeat(1_000));
    assert!(err(&deep).message.contains("nested"));
    let chain = "1+".repeat(5_000) + "1";
    assert!(err(&chain).message.contains("nested"));
    let chain = "1*".repeat(5_000) + "1";
    assert!(err(&chain).message.contains("nested"));
    // A long but reasonable sum is fine.
    assert_eq!(eval(&("1+".repeat(200) + "1")), 201.0);
    let minus = format!("{}1", "-".repeat(5_000));
    assert!(err(&minus).message.contains("nested"));
    let pow = format!("2{}", "^2".repeat(5_000));
    assert!(err(&pow).message.contains("nested"));
    let long = "1+".repeat(parser::MAX_LEN) + "1";
    assert!(err(&long).message.contains("limit"));
}

#[test]
fn line_and_column() {
    let src = "a +\n  b * é +\n  c";
    assert_eq!(line_col(src, 0), (1, 1));
    assert_eq!(line_col(src, 6), (2, 3));
    let c = src.find('c').unwrap();
    assert_eq!(line_col(src, c), (3, 3));
}

#[test]
fn spans_cover_their_nodes() {
    let src = "max(a, 2) + prev(b)";
    let e = parse(src).unwrap();
    assert_eq!(e.span, Span::new(0, src.len()));
    let mut names = Vec::new();
    e.visit_names(&mut |n, s, in_prev| names.push((n.to_string(), s, in_prev)));
    assert_eq!(
        names,
        vec![
            ("a".into(), Span::new(4, 5), false),
            ("b".into(), Span::new(17, 18), true)
        ]
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn leaf() -> impl Strategy<Value = String> {
        prop_oneof![
            (0.0f64..1e6).prop_map(|x| format!("{x:?}")),
            (0u32..100).prop_map(|x| x.to_string()),
            Just("a".to_string()),
            Just("b".to_string()),
            Just("year".to_string()),
        ]
    }

    fn equation() -> impl Strategy<Value = String> {
        leaf().prop_recursive(6, 64, 3, |inner| {
            prop_oneof![
                (
                    inner.clone(),
                    inner.clone(),
                    prop::sample::select(vec![
                        "+", "-", "*", "/", "^", "<", "<=", ">", ">=", "==", "!=", "and", "or"
                    ])
                )
                    .prop_map(|(a, b, op)| format!("{a} {op} {b}")),
                inner.clone().prop_map(|a| format!("-{a}")),
                inner.clone().prop_map(|a| format!("({a})")),
                inner.clone().prop_map(|a| format!("not {a}")),
                (inner.clone(), inner.clone(), inner.clone())
                    .prop_map(|(c, a, b)| format!("if {c} then {a} else {b}")),
                (
                    inner.clone(),
                    inner.clone(),
                    prop::sample::select(vec!["min", "max", "pow"])
                )
                    .prop_map(|(a, b, f)| format!("{f}({a}, {b})")),
                (
                    inner.clone(),
                    prop::sample::select(vec!["abs", "exp", "ln", "sqrt", "round"])
                )
                    .prop_map(|(a, f)| format!("{f}({a})")),
                (inner.clone(), inner.clone(), inner)
                    .prop_map(|(a, b, c)| format!("clamp({a}, {b}, {c})")),
            ]
        })
    }

    fn value(e: &Expr) -> f64 {
        eval_tree(
            e,
            (2030.0, 1.0),
            &|n| if n == "a" { 1.5 } else { -2.25 },
            &|_, _| f64::NAN,
        )
    }

    proptest! {
        #[test]
        fn print_then_parse_gives_the_same_value(src in equation()) {
            // Not every generated string parses (`1 < 2 < 3`); those that do must round-trip.
            if let Ok(e) = parse(&src) {
                let printed = e.to_string();
                let again = parse(&printed).map_err(|err| {
                    TestCaseError::fail(format!("{printed}: {err}"))
                })?;
                let (x, y) = (value(&e), value(&again));
                prop_assert!(
                    x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                    "{src} -> {printed}: {x} != {y}"
                );
                // Printing is stable: a second print is the same text.
                prop_assert_eq!(again.to_string(), printed);
            }
        }
    }
}
