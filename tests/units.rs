//! The units check: each rule on a small model, a mismatch seeded in the
//! default model found at its line and column with both units, the shipped
//! models without a warning, and models that declare no units left alone.

use trajectoire::model::Lang;
use trajectoire::model::load::{SHIPPED_MODELS, compile_text};
use trajectoire::model::units::{Problem, UnitWarning};

mod models;

/// A yearly model with levers `a` (job), `b` (MAD), `r` (%/year), `t`
/// (year), `n` (no unit), the given variables (RON lines), lookups and
/// unit definitions.
fn model(variables: &str, lookups: &str, units: &str) -> String {
    let lever = |id: &str, u: &str| {
        format!(
            "        (id: \"{id}\", label: (fr: \"\", en: \"\"), unit: (fr: \"\", en: \"\"), unit_expr: \"{u}\", min: 0, max: 100, default: 1, step: 1),\n"
        )
    };
    let levers: String = [
        ("a", "job"),
        ("b", "MAD"),
        ("r", "%/year"),
        ("t", "year"),
        ("n", ""),
    ]
    .iter()
    .map(|(id, u)| lever(id, u))
    .collect();
    let text = models::model_text("units", ("Unités", "Units"), &levers, variables, lookups);
    // The skeleton ends in `)`: the units go before it.
    format!("{}    units: [\n{units}    ],\n)", &text[..text.len() - 1])
}

/// An auxiliary `id` in `unit` computed by `eq`.
fn aux(id: &str, unit: &str, eq: &str) -> String {
    format!(
        "        (id: \"{id}\", label: (fr: \"\", en: \"\"), unit: (fr: \"\", en: \"\"), unit_expr: \"{unit}\", kind: Aux(equation: {eq:?})),\n"
    )
}

/// The warnings of a model made of `variables` (and the levers above).
fn warnings_of(variables: &str) -> Vec<UnitWarning> {
    warnings_with(variables, "", "")
}

/// The same, with lookups and unit definitions, and a variable `v` in job
/// (equal to `a`) for the functions that need a variable.
fn warnings_with(variables: &str, lookups: &str, units: &str) -> Vec<UnitWarning> {
    let variables = format!("{}{variables}", aux("v", "job", "a"));
    let text = model(&variables, lookups, units);
    let m = compile_text(&text, None).unwrap_or_else(|e| panic!("{e}\n{text}"));
    m.warnings().to_vec()
}

/// The one warning of `x = eq` declared in `unit`.
fn one_warning(unit: &str, eq: &str) -> UnitWarning {
    let ws = warnings_of(&aux("x", unit, eq));
    assert_eq!(ws.len(), 1, "{eq}: {ws:#?}");
    ws.into_iter().next().unwrap()
}

fn quiet(unit: &str, eq: &str) {
    let ws = warnings_of(&aux("x", unit, eq));
    assert!(ws.is_empty(), "{eq} in {unit}: {:#?}", ws);
}

#[test]
fn products_and_quotients_combine_units() {
    quiet("MAD/job", "b / a");
    quiet("job*MAD", "a * b");
    quiet("1/job", "1 / a");
    quiet("job^2", "a ^ 2");
    quiet("job^(1/2)", "sqrt(a)");
    quiet("job", "sqrt(a * a)");
    quiet("job", "pow(a, 1)");
    let w = one_warning("job", "a * b");
    assert!(
        w.to_string().contains("gives job*MAD, but job is expected"),
        "{w}"
    );
}

#[test]
fn sums_and_comparisons_must_agree_and_numbers_adapt() {
    quiet("job", "a + 3");
    quiet("job", "2 - a");
    quiet("job", "if a > 10 then a else 0");
    quiet("1", "a > 3");
    let w = one_warning("job", "a + b");
    assert!(matches!(w.problem, Problem::Operands { .. }));
    assert_eq!(w.text(Lang::En), "`a + b` adds MAD to job");
    assert_eq!(w.text(Lang::Fr), "`a + b` additionne job et MAD");
    let w = one_warning("1", "a < b");
    assert_eq!(w.text(Lang::En), "`a < b` compares job with MAD");
    let w = one_warning("job", "if a > 0 then a else b");
    assert!(
        w.text(Lang::En).contains("the branches give job and MAD"),
        "{w}"
    );
    let w = one_warning("job", "max(a, b)");
    assert!(
        w.text(Lang::En)
            .contains("the arguments of `max` are in job and MAD"),
        "{w}"
    );
    // One mistake is said once, not again by the equation's result.
    assert_eq!(warnings_of(&aux("x", "job", "(a + b) * 2")).len(), 1);
}

#[test]
fn percentages_and_scaled_units_convert_through_their_literal_factors() {
    let units = r#"        (name: "kMAD", equation: "MAD", scale: 1000),
        (name: "bnMAD", equation: "MAD", scale: 1e9),
"#;
    let q = |unit: &str, eq: &str| {
        let ws = warnings_with(&aux("x", unit, eq), "", units);
        assert!(ws.is_empty(), "{eq}: {ws:#?}");
    };
    // A share in % used as a fraction, with its /100.
    q("job/year", "a * r / 100");
    q("%", "100 * a / a");
    // Thousands to billions.
    q("kMAD/job", "b / 1000 / a");
    q("bnMAD", "a * (b / 1000 / a) * 1000 / 1e9");
    let ws = warnings_with(&aux("x", "job/year", "a * r"), "", units);
    assert_eq!(ws.len(), 1, "a share in % used as a fraction is said");
    assert!(ws[0].to_string().contains("gives %*job/year"), "{}", ws[0]);
    let ws = warnings_with(&aux("x", "kMAD", "b"), "", units);
    assert_eq!(ws.len(), 1, "MAD is not kMAD without its factor");
}

#[test]
fn time_functions_follow_the_time_unit() {
    quiet("year", "time");
    quiet("job", "a * dt / dt");
    quiet("job", "prev(v, 0)");
    quiet("job", "smooth1(v, 3)");
    quiet("job", "delay3(v, t)");
    quiet("job", "smoothn(v, t, 3)");
    quiet("job", "step(a, 2022)");
    quiet("job", "ramp(a / t, 2021, 2023)");
    quiet("job/year", "pulse(a, 2022)");
    quiet("1/year", "trend(v, 3)");
    quiet("job", "forecast(v, 3, 2)");
    quiet("job", "init(v)");
    let w = one_warning("job", "smooth1(v, b)");
    assert_eq!(
        w.text(Lang::En),
        "`smooth1(v, b)`: argument 2 of `smooth1` is in MAD, but year is expected"
    );
    let w = one_warning("job", "prev(v, b)");
    assert!(
        w.text(Lang::En).contains("argument 2 of `prev` is in MAD"),
        "{w}"
    );
    quiet("job", "delayn(v, 3, 2)");
}

#[test]
fn dimensionless_functions_and_exponents() {
    quiet("1", "exp(a / a)");
    quiet("1", "ln(2)");
    let w = one_warning("1", "exp(a)");
    assert!(
        w.text(Lang::En)
            .contains("argument 1 of `exp` is in job, but 1"),
        "{w}"
    );
    let w = one_warning("job", "a ^ a");
    assert!(w.text(Lang::En).contains("the exponent is in job"), "{w}");
    let w = one_warning("job", "a ^ (t / t)");
    assert!(w.text(Lang::En).contains("not a constant number"), "{w}");
    // An exponent of no declared unit silences the check, as any unknown.
    quiet("1", "(1 + r * t / 100) ^ n");
    quiet("job", "a ^ n");
}

#[test]
fn lookups_take_their_input_unit_and_give_theirs() {
    let table = |input: &str| {
        format!(
            "        (id: \"effect\", points: [(0.0, 0.0), (1.0, 2.0)], unit_expr: \"job\"{input}),\n"
        )
    };
    let ws = warnings_with(&aux("x", "job", "effect(a / a)"), &table(""), "");
    assert!(ws.is_empty(), "{ws:#?}");
    let ws = warnings_with(&aux("x", "job", "effect(a)"), &table(""), "");
    assert_eq!(ws.len(), 1);
    assert!(
        ws[0]
            .text(Lang::En)
            .contains("lookup `effect` is read with job, but its input is in 1")
    );
    let input = ", input_unit_expr: \"year\"";
    let ws = warnings_with(&aux("x", "job", "effect(time)"), &table(input), "");
    assert!(ws.is_empty(), "{ws:#?}");
}

#[test]
fn stocks_integrate_their_change_and_flows_over_the_time_unit() {
    let stock = |change: &str| {
        format!(
            "        (id: \"s\", label: (fr: \"\", en: \"\"), unit: (fr: \"\", en: \"\"), unit_expr: \"job\", kind: Stock(initial: \"a\", change: {change:?})),\n"
        )
    };
    assert!(warnings_of(&stock("a / dt")).is_empty());
    assert!(warnings_of(&stock("a * r / 100")).is_empty());
    let ws = warnings_of(&stock("a"));
    assert_eq!(ws.len(), 1);
    assert_eq!(ws[0].error.field, "change");
    assert!(
        ws[0]
            .to_string()
            .contains("`a` gives job, but job/year is expected (the stock's unit per time unit)"),
        "{}",
        ws[0]
    );
    let flows = format!(
        "{}{}        (id: \"s\", label: (fr: \"\", en: \"\"), unit: (fr: \"\", en: \"\"), unit_expr: \"job\", kind: Stock(initial: \"0\", inflows: [\"hires\"], outflows: [\"exits\"])),\n",
        aux("hires", "job/year", "a / dt"),
        aux("exits", "job", "a"),
    );
    let ws = warnings_of(&flows);
    assert_eq!(ws.len(), 1, "{ws:#?}");
    assert_eq!(ws[0].error.field, "outflows");
    assert!(
        ws[0]
            .text(Lang::En)
            .contains("flow `exits` is in job, but job/year")
    );
}

#[test]
fn aliases_and_plurals_name_one_unit() {
    let units = "        (name: \"person\", aliases: [\"people\", \"job\"]),\n";
    let vars = format!("{}{}", aux("x", "people", "a"), aux("y", "jobs", "x + a"));
    assert!(warnings_with(&vars, "", units).is_empty());
    assert_eq!(warnings_with(&aux("x", "people", "a"), "", "").len(), 1);
}

#[test]
fn undeclared_items_are_never_checked() {
    // `n` has no unit: whatever it meets, nothing is said.
    quiet("job", "n");
    quiet("job", "a + n * b");
    // A model with no unit expression at all gives no warning.
    let x = "        (id: \"x\", label: (fr: \"\", en: \"\"), unit: (fr: \"\", en: \"\"), kind: Aux(equation: \"a + b\")),\n";
    let mut text = model(x, "", "");
    for u in ["job", "MAD", "%/year", "year", ""] {
        text = text.replace(&format!("unit_expr: \"{u}\", "), "");
    }
    assert!(!text.contains("unit_expr"));
    let m = compile_text(&text, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(m.warnings().is_empty());
}

#[test]
fn a_malformed_unit_or_definition_is_said_and_left_unchecked() {
    let ws = warnings_of(&aux("x", "job/", "a + b"));
    assert_eq!(ws.len(), 2, "{ws:#?}");
    assert_eq!(ws[0].error.field, "unit_expr");
    assert!(
        ws[0]
            .text(Lang::En)
            .starts_with("the unit `job/` cannot be read at column 5")
    );
    assert!(ws[0].text(Lang::Fr).contains("colonne 5"));
    let units =
        "        (name: \"u\", equation: \"v\"),\n        (name: \"v\", equation: \"u\"),\n";
    let ws = warnings_with(&aux("x", "job", "a"), "", units);
    assert!(!ws.is_empty());
    assert!(ws.iter().all(|w| w.error.field == "units"), "{ws:#?}");
}

#[test]
fn the_model_still_runs_whatever_the_units_say() {
    let text = model(&aux("x", "job", "a + b"), "", "");
    let m = compile_text(&text, None).unwrap();
    assert_eq!(m.warnings().len(), 1);
    let run = m.run(&m.default_levers());
    assert!(run.is_ok());
    assert_eq!(run.value(m.var_index("x").unwrap(), 2020), Some(2.0));
}

#[test]
fn the_shipped_models_check_without_a_warning() {
    for s in SHIPPED_MODELS {
        let id = format!("{} {}", s.id, s.version);
        let m = compile_text(s.text, None).unwrap_or_else(|e| panic!("{e}"));
        let ws: Vec<String> = m.warnings().iter().map(|w| w.to_string()).collect();
        assert!(ws.is_empty(), "{id}:\n{}", ws.join("\n"));
        let declared = m
            .model()
            .variables
            .iter()
            .filter(|v| !v.unit_expr.is_empty());
        assert_eq!(
            declared.count(),
            m.model().variables.len(),
            "{id}: every variable declares its unit"
        );
    }
}

#[test]
fn a_mismatch_seeded_in_the_default_model_is_found_at_its_line_and_column() {
    let text = SHIPPED_MODELS[1].text; // version 1
    let good = "kind: Aux(equation: \"max(hires_needed - talent_supply, 0)\")";
    assert_eq!(text.matches(good).count(), 1);
    let bad = text.replace(
        good,
        "kind: Aux(equation: \"max(hires_needed - exports, 0)\")",
    );
    let m = compile_text(&bad, None).unwrap_or_else(|e| panic!("{e}"));
    let ws = m.warnings();
    assert_eq!(ws.len(), 1, "{ws:#?}");
    let w = &ws[0];
    assert_eq!(
        w.text(Lang::En),
        "`hires_needed - exports` subtracts bnMAD from job/year"
    );
    assert_eq!(w.error.field, "equation");
    // The span is the subtraction inside the equation; the location its
    // first character in the file.
    let span = w.error.span.unwrap();
    let eq = "max(hires_needed - exports, 0)";
    assert_eq!(&eq[span.start..span.end], "hires_needed - exports");
    let at = bad.find("hires_needed - exports").unwrap();
    let line = bad[..at].matches('\n').count() + 1;
    let col = at - bad[..at].rfind('\n').unwrap();
    let loc = w.error.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.col), (line, col));
}
