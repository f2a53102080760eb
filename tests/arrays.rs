//! Arrays: a variable over a dimension is one variable per element. An
//! arrayed model and the same model written out in scalars compile to the
//! same program and run to the same bits; reductions, subranges, element
//! equations and lists; errors and run problems name the element.

use trajectoire::model::load::compile_text;
use trajectoire::model::{CompiledModel, Run};

mod models;

const SEGMENTS: [&str; 5] = ["crm", "bpo", "ito", "eso", "kpo"];

fn dims(extra: &str) -> String {
    let els: Vec<String> = SEGMENTS
        .iter()
        .map(|e| {
            format!(
                "(id: \"{e}\", label: (fr: \"{e} fr\", en: \"{}\"))",
                e.to_uppercase()
            )
        })
        .collect();
    format!(
        "    dimensions: [\n        (id: \"segment\", elements: [{}]),\n        (id: \"value_added\", subrange_of: Some(\"segment\"), elements: [(id: \"ito\"), (id: \"eso\"), (id: \"kpo\")]),\n{extra}    ],\n",
        els.join(", ")
    )
}

/// A model text with dimensions, levers `g` and `k`, and `variables`.
fn arrayed(variables: &str) -> String {
    let text = models::model_text(
        "arrays",
        ("Tableaux", "Arrays"),
        &models::wide_levers(&["g", "k"]),
        variables,
        "",
    );
    text.replacen("    levers: [", &format!("{}    levers: [", dims("")), 1)
}

fn var(id: &str, dims: &str, kind: &str, extra: &str) -> String {
    format!(
        "        (id: \"{id}\", label: (fr: \"{id}\", en: \"{id}\"), unit: (fr: \"\", en: \"\"), dimensions: [{dims}], kind: {kind}{extra}),\n"
    )
}

fn compile(text: &str) -> CompiledModel {
    compile_text(text, None).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn run(m: &CompiledModel) -> Run {
    let run = m.run(&m.default_levers());
    assert!(run.is_ok(), "{:?}", run.problems);
    run
}

fn at(m: &CompiledModel, r: &Run, id: &str, year: i32) -> f64 {
    let v = m
        .var_index(id)
        .unwrap_or_else(|| panic!("no series `{id}`"));
    r.value(v, year).unwrap()
}

/// The segment model written with a dimension.
fn segments_arrayed() -> String {
    let vars = [
        var(
            "growth",
            "\"segment\"",
            "Aux(equation: \"g + 0.5\")",
            ", by_element: [(at: \"crm\", equation: \"g - 0.5\"), (at: \"bpo\", equation: \"g\")]",
        ),
        var(
            "jobs",
            "\"segment\"",
            "Stock(initial: \"34800, 6100, 12200, 4200, 170\", change: \"prev(jobs) * growth / 100\")",
            "",
        ),
        var(
            "rpj",
            "\"segment\"",
            "Stock(initial: \"120.9, 152.5, 319.6, 304.9, 105.1\", change: \"prev(rpj) * k / 100\")",
            "",
        ),
        var(
            "exports",
            "\"segment\"",
            "Aux(equation: \"jobs * rpj / 1e6\")",
            "",
        ),
        var(
            "total_jobs",
            "",
            "Aux(equation: \"sum(jobs[segment!])\")",
            "",
        ),
        var(
            "total_exports",
            "",
            "Aux(equation: \"sum(exports[segment!])\")",
            "",
        ),
        var(
            "high_value",
            "",
            "Aux(equation: \"100 * sum(jobs[value_added!]) / total_jobs\")",
            "",
        ),
    ];
    arrayed(&vars.concat())
}

/// The same model written out in scalars, as the default model was.
fn segments_scalar() -> String {
    let initial_jobs = [34800.0, 6100.0, 12200.0, 4200.0, 170.0];
    let initial_rpj = [120.9, 152.5, 319.6, 304.9, 105.1];
    let mut vars = String::new();
    for (i, s) in SEGMENTS.iter().enumerate() {
        let growth = match *s {
            "crm" => "g - 0.5",
            "bpo" => "g",
            _ => "g + 0.5",
        };
        vars += &var(
            &format!("growth_{s}"),
            "",
            &format!("Aux(equation: \"{growth}\")"),
            "",
        );
        let j = format!(
            "Stock(initial: \"{}\", change: \"prev(jobs_{s}) * growth_{s} / 100\")",
            initial_jobs[i]
        );
        vars += &var(&format!("jobs_{s}"), "", &j, "");
        let r = format!(
            "Stock(initial: \"{}\", change: \"prev(rpj_{s}) * k / 100\")",
            initial_rpj[i]
        );
        vars += &var(&format!("rpj_{s}"), "", &r, "");
        vars += &var(
            &format!("exports_{s}"),
            "",
            &format!("Aux(equation: \"jobs_{s} * rpj_{s} / 1e6\")"),
            "",
        );
    }
    let sum = |p: &str, of: &[&str]| {
        of.iter()
            .map(|s| format!("{p}_{s}"))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    vars += &var(
        "total_jobs",
        "",
        &format!("Aux(equation: \"{}\")", sum("jobs", &SEGMENTS)),
        "",
    );
    vars += &var(
        "total_exports",
        "",
        &format!("Aux(equation: \"{}\")", sum("exports", &SEGMENTS)),
        "",
    );
    let hv = format!(
        "Aux(equation: \"100 * ({}) / total_jobs\")",
        sum("jobs", &["ito", "eso", "kpo"])
    );
    vars += &var("high_value", "", &hv, "");
    arrayed(&vars)
}

#[test]
fn an_arrayed_model_runs_as_its_scalar_twin_bit_for_bit() {
    let (a, s) = (compile(&segments_arrayed()), compile(&segments_scalar()));
    assert_eq!(a.n_vars(), s.n_vars());
    assert_eq!(a.ops_per_year(), s.ops_per_year(), "no slower per element");
    let (ra, rs) = (run(&a), run(&s));
    for seg in SEGMENTS {
        for (x, y) in [
            ("jobs", "jobs"),
            ("exports", "exports"),
            ("growth", "growth"),
        ] {
            let (ia, is) = (
                a.var_index(&format!("{x}[{seg}]")).unwrap(),
                s.var_index(&format!("{y}_{seg}")).unwrap(),
            );
            let (xa, xs) = (ra.series(ia), rs.series(is));
            assert!(
                xa.iter().zip(xs).all(|(p, q)| p.to_bits() == q.to_bits()),
                "{x}[{seg}]"
            );
        }
    }
    for id in ["total_jobs", "total_exports", "high_value"] {
        let (ia, is) = (a.var_index(id).unwrap(), s.var_index(id).unwrap());
        assert!(
            ra.series(ia)
                .iter()
                .zip(rs.series(is))
                .all(|(p, q)| p.to_bits() == q.to_bits()),
            "{id}"
        );
    }
    // Elements are named and labelled for runs, charts and CSV.
    let jobs = a.var_range("jobs");
    assert_eq!(jobs.len(), 5);
    let first = a.series(jobs.start);
    assert_eq!(first.id, "jobs[crm]");
    assert_eq!(first.label.en, "jobs [CRM]");
    assert_eq!(first.label.fr, "jobs [crm fr]");
    assert_eq!(
        a.chart_series(&["jobs".into(), "total_jobs".into()]).len(),
        6
    );
}

#[test]
fn reductions_over_a_dimension_and_a_subrange() {
    let vars = [
        var("x", "\"segment\"", "Aux(equation: \"1, 2, 3, 4, 5\")", ""),
        var("s", "", "Aux(equation: \"sum(x[segment!])\")", ""),
        var("p", "", "Aux(equation: \"prod(x[*])\")", ""),
        var("m", "", "Aux(equation: \"mean(x[value_added!])\")", ""),
        var("lo", "", "Aux(equation: \"min(x[value_added!])\")", ""),
        var("hi", "", "Aux(equation: \"max(x[segment!] * 2)\")", ""),
        var(
            "clipped",
            "",
            "Aux(equation: \"sum(max(x[segment!] - 2, 0))\")",
            "",
        ),
        var("pos", "\"segment\"", "Aux(equation: \"segment\")", ""),
        var(
            "share",
            "\"segment\"",
            "Aux(equation: \"x / sum(x[segment!])\")",
            "",
        ),
        var("two", "", "Aux(equation: \"x[bpo] + sum(x)\")", ""),
    ];
    let m = compile(&arrayed(&vars.concat()));
    let r = run(&m);
    let v = |id: &str| at(&m, &r, id, 2020);
    assert_eq!(v("s"), 15.0);
    assert_eq!(v("p"), 120.0);
    assert_eq!(v("m"), 4.0);
    assert_eq!(v("lo"), 3.0);
    assert_eq!(v("hi"), 10.0);
    assert_eq!(v("clipped"), 6.0);
    assert_eq!(v("pos[ito]"), 3.0);
    assert_eq!(v("share[kpo]"), 5.0 / 15.0);
    assert_eq!(v("two"), 17.0);
}

#[test]
fn element_equations_lists_and_subranges_pick_their_elements() {
    let vars = [
        var(
            "base",
            "\"segment\"",
            "Aux(equation: \"10\")",
            ", by_element: [(at: \"value_added\", equation: \"20\"), (at: \"kpo\", equation: \"\")]",
        ),
        var("va", "\"value_added\"", "Aux(equation: \"base * 2\")", ""),
        var(
            "s",
            "\"segment\"",
            "Stock(initial: \"1, 2, 3, 4, 5\", change: \"1\")",
            ", by_element: [(at: \"crm\", change: \"base\")]",
        ),
    ];
    let m = compile(&arrayed(&vars.concat()));
    let r = run(&m);
    let v = |id: &str, y| at(&m, &r, id, y);
    assert_eq!(v("base[crm]", 2020), 10.0);
    assert_eq!(v("base[eso]", 2020), 20.0);
    assert_eq!(v("base[kpo]", 2020), 20.0, "an empty entry gives nothing");
    assert_eq!(m.var_range("va").len(), 3);
    assert_eq!(v("va[ito]", 2020), 40.0);
    assert_eq!(v("s[crm]", 2021), 11.0);
    assert_eq!(v("s[kpo]", 2021), 6.0);
}

#[test]
fn a_loop_through_different_elements_is_no_loop() {
    // Vensim orders element by element: a[crm] needs a[bpo], not itself.
    let vars = [var(
        "a",
        "\"segment\"",
        "Aux(equation: \"1\")",
        ", by_element: [(at: \"crm\", equation: \"a[bpo] + 1\")]",
    )];
    let m = compile(&arrayed(&vars.concat()));
    assert_eq!(at(&m, &run(&m), "a[crm]", 2020), 2.0);
}

#[test]
fn each_element_has_its_own_delay() {
    let vars = [
        var(
            "x",
            "\"segment\"",
            "Aux(equation: \"if time >= 2021 then segment else 0\")",
            "",
        ),
        var("d", "\"segment\"", "Aux(equation: \"smooth1(x, 2)\")", ""),
    ];
    let m = compile(&arrayed(&vars.concat()));
    let r = run(&m);
    assert_eq!(at(&m, &r, "d[crm]", 2022), 0.5);
    assert_eq!(at(&m, &r, "d[kpo]", 2022), 2.5);
}

#[test]
fn errors_name_the_element_and_the_variable() {
    let bad = |vars: &[String]| {
        let text = arrayed(&vars.concat());
        compile_text(&text, None)
            .err()
            .unwrap_or_else(|| panic!("compiles:\n{text}"))
            .to_string()
    };
    let e = bad(&[
        var("va", "\"value_added\"", "Aux(equation: \"1\")", ""),
        var("g2", "\"segment\"", "Aux(equation: \"va\")", ""),
    ]);
    assert!(
        e.contains(
            "variable `g2`, field `equation`: `g2[crm]`: `va` has no element `crm` (it is over `value_added`)"
        ),
        "{e}"
    );
    // The same problem in every element is said once.
    let e = bad(&[var("x", "\"segment\"", "Aux(equation: \"nope + 1\")", "")]);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.contains("(in `x[crm]` and 4 more)"), "{e}");
    let e = bad(&[
        var("x", "\"segment\"", "Aux(equation: \"1\")", ""),
        var("t", "", "Aux(equation: \"x\")", ""),
    ]);
    assert!(e.contains("`x` is arrayed over `segment`: name an element (`x[crm]`) or reduce it (`sum(x[segment!])`)"), "{e}");
    let e = bad(&[var("x", "\"segment\"", "Aux(equation: \"1, 2\")", "")]);
    assert!(e.contains("the list gives 2 numbers for 5 elements"), "{e}");
    let e = bad(&[var("x", "\"nope\"", "Aux(equation: \"1\")", "")]);
    assert!(e.contains("no dimension is called `nope`"), "{e}");
    let e = bad(&[var(
        "x",
        "\"segment\"",
        "Aux(equation: \"1\")",
        ", by_element: [(at: \"xyz\", equation: \"2\")]",
    )]);
    assert!(
        e.contains("`xyz` is neither an element nor a part of `segment`"),
        "{e}"
    );
    let e = bad(&[var("x", "\"segment\"", "Aux(equation: \"x[crm] + 1\")", "")]);
    assert!(e.contains("x[crm]"), "a loop names the element: {e}");
    // The span points into the equation's own text.
    let text = arrayed(
        &[
            var("x", "\"segment\"", "Aux(equation: \"1\")", ""),
            var("t", "", "Aux(equation: \"2 + x\")", ""),
        ]
        .concat(),
    );
    let errs = compile_text(&text, None).unwrap_err();
    let span = errs.0[0].span.unwrap();
    assert_eq!(&"2 + x"[span.start..span.end], "x");
}

#[test]
fn a_run_problem_names_the_element() {
    let vars = [var(
        "x",
        "\"segment\"",
        "Aux(equation: \"1 / (segment - 5)\")",
        "",
    )];
    let m = compile(&arrayed(&vars.concat()));
    let r = m.run(&m.default_levers());
    let p = &r.problems[0];
    assert_eq!(p.variable, "x[kpo]");
    assert!(r.problems.iter().all(|p| p.variable == "x[kpo]"));
}

#[test]
fn observations_and_csv_use_element_names() {
    let vars = [var(
        "x",
        "\"segment\"",
        "Aux(equation: \"segment * 10\")",
        "",
    )];
    let text = arrayed(&vars.concat()).replacen(
        "    lookups: [",
        "    observations: [(variable: \"x[eso]\", year: 2020, value: 41.0, source: (title: \"test\"))],\n    lookups: [",
        1,
    );
    let m = compile(&text);
    assert!(
        m.model().is_series("x[eso]")
            && !m.model().is_series("x[nope]")
            && !m.model().is_series("x")
    );
    let csv = trajectoire::cli::output::to_csv(&m, &run(&m), &m.default_levers());
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains("x[crm],x[bpo],x[ito],x[eso],x[kpo]"),
        "{header}"
    );
    let bad = text.replace("x[eso]", "x[nope]");
    let e = compile_text(&bad, None).unwrap_err().to_string();
    assert!(e.contains("no variable is called `x[nope]`"), "{e}");
}

#[test]
fn a_model_without_dimensions_compiles_as_before() {
    let m = trajectoire::model::load::shipped_model("morocco-automotive-illustrative").unwrap();
    assert_eq!(m.n_vars(), m.model().variables.len());
    for v in 0..m.n_vars() {
        assert_eq!(m.series(v).id, m.model().variables[v].id);
        assert_eq!(m.var_range(&m.model().variables[v].id), v..v + 1);
    }
}

#[test]
fn a_sixth_segment_is_one_element_and_its_numbers() {
    use trajectoire::model::dimensions::{add_element, remove_element, rename_element};
    // Version 1 of the default model, still shipped: its segment jobs start
    // from a list of numbers over `segment`, which version 2 (each element
    // its own equation) has not. Version 2 is checked after it.
    let v1 = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/models/morocco_offshoring_v1.ron"
    );
    let m = compile(&std::fs::read_to_string(v1).unwrap());
    let before = run(&m);
    let label = trajectoire::model::Text::new("Nouveau", "New");
    let added = add_element(m.model(), "segment", "gbs", label).unwrap();
    let jobs_line = |m: &trajectoire::model::Model| {
        let v = m.variable("segment_jobs").unwrap();
        match &v.kind {
            trajectoire::model::def::VariableKind::Stock { initial, .. } => initial.clone(),
            _ => unreachable!(),
        }
    };
    assert_eq!(jobs_line(&added), "34800, 6100, 12200, 4200, 170, 170");
    let c = trajectoire::model::compile(added).unwrap_or_else(|e| panic!("{e}"));
    let r = run(&c);
    assert_eq!(
        c.n_vars(),
        m.n_vars() + 5,
        "one more element of each arrayed variable"
    );
    assert_eq!(at(&c, &r, "segment_jobs[gbs]", 2014), 170.0);
    assert_eq!(
        at(&c, &r, "jobs", 2014),
        at(&m, &before, "jobs", 2014) + 170.0
    );
    // Renamed, every mention follows and nothing else changes.
    let renamed = rename_element(m.model(), "segment", "kpo", "knowledge").unwrap();
    assert!(
        renamed
            .observations
            .iter()
            .any(|o| o.variable == "segment_exports[knowledge]")
    );
    let c = trajectoire::model::compile(renamed).unwrap_or_else(|e| panic!("{e}"));
    let r = run(&c);
    let (a, b) = (
        r.series(c.var_index("segment_jobs[knowledge]").unwrap()),
        before.series(m.var_index("segment_jobs[kpo]").unwrap()),
    );
    assert!(a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits()));
    // Removed: refused while an observation names it.
    let e = remove_element(m.model(), "segment", "kpo")
        .unwrap_err()
        .to_string();
    assert!(e.contains("observation"), "{e}");
    assert!(
        remove_element(m.model(), "value_added", "kpo").is_err(),
        "edit the root"
    );
    assert!(add_element(m.model(), "segment", "crm", Default::default()).is_err());

    // Version 2: a new segment takes each variable's equation for all
    // elements (its own equations are for the others), so its jobs start as
    // CRM's, and it adds an element to each variable over `segment`.
    let m = trajectoire::model::load::default_model();
    let before = run(&m);
    let over_segment = m
        .model()
        .variables
        .iter()
        .filter(|v| v.dimensions.iter().any(|d| d == "segment"))
        .count();
    let added = add_element(m.model(), "segment", "gbs", Default::default()).unwrap();
    let c = trajectoire::model::compile(added).unwrap_or_else(|e| panic!("{e}"));
    let r = run(&c);
    assert_eq!(c.n_vars(), m.n_vars() + over_segment);
    let crm = at(&m, &before, "segment_jobs[crm]", 2013);
    assert_eq!(at(&c, &r, "segment_jobs[gbs]", 2013), crm);
    assert_eq!(
        at(&c, &r, "jobs", 2013),
        at(&m, &before, "jobs", 2013) + crm
    );
    assert!(
        remove_element(m.model(), "digital_segments", "kpo").is_err(),
        "edit the root"
    );
}

#[test]
fn removing_an_element_shrinks_lists_and_drops_its_own_equations() {
    use trajectoire::model::dimensions::remove_element;
    let vars = [
        var("x", "\"segment\"", "Aux(equation: \"1, 2, 3, 4, 5\")", ""),
        var(
            "y",
            "\"segment\"",
            "Aux(equation: \"x\")",
            ", by_element: [(at: \"bpo\", equation: \"x * 10\")]",
        ),
        var("t", "", "Aux(equation: \"sum(y[segment!])\")", ""),
    ];
    let m = compile(&arrayed(&vars.concat()));
    let out = remove_element(m.model(), "segment", "bpo").unwrap();
    assert!(out.variable("y").unwrap().by_element.is_empty());
    let c = compile(&trajectoire::model::load::model_to_ron(&out));
    assert_eq!(at(&c, &run(&c), "t", 2020), 1.0 + 3.0 + 4.0 + 5.0);
    assert_eq!(
        c.model().dimensions[1].elements.len(),
        3,
        "the subrange keeps its own"
    );
    let named = [
        var("x", "\"segment\"", "Aux(equation: \"1\")", ""),
        var("t", "", "Aux(equation: \"x[bpo]\")", ""),
    ];
    let m = compile(&arrayed(&named.concat()));
    let e = remove_element(m.model(), "segment", "bpo")
        .unwrap_err()
        .to_string();
    assert!(e.contains("variable `t` (equation)"), "{e}");
}

#[test]
fn too_many_elements_are_refused_before_anything_is_expanded() {
    let big: Vec<String> = (0..100).map(|i| format!("(id: \"e{i}\")")).collect();
    let dims = format!(
        "    dimensions: [(id: \"a\", elements: [{0}]), (id: \"b\", elements: [{0}]), (id: \"c\", elements: [{0}])],\n",
        big.join(", ")
    );
    let text = |vdims: &str| {
        let v = var("x", vdims, "Aux(equation: \"1\")", "");
        models::model_text("big", ("Gros", "Big"), "", &v, "").replacen(
            "    levers: [",
            &format!("{dims}    levers: ["),
            1,
        )
    };
    let e = compile_text(&text("\"a\", \"b\", \"c\""), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("more than 100000 elements"), "{e}");
    let nine = ["\"a\""; 9].join(", ");
    let e = compile_text(&text(&nine), None).unwrap_err().to_string();
    assert!(e.contains("9 dimensions; at most 8 are allowed"), "{e}");
    // 10,000 elements are fine.
    let m = compile(&text("\"a\", \"b\""));
    assert_eq!(m.n_vars(), 10_000);
}

#[test]
fn a_model_without_charts_stacks_the_elements_that_add_up() {
    let with_unit = |id: &str, unit: &str, kind: &str| {
        format!(
            "        (id: \"{id}\", label: (fr: \"{id}\", en: \"{id}\"), unit: (fr: \"\", en: \"\"), unit_expr: \"{unit}\", dimensions: [\"segment\"], kind: {kind}),\n"
        )
    };
    let vars = [
        with_unit(
            "jobs",
            "job",
            "Stock(initial: \"1, 2, 3, 4, 5\", change: \"1\")",
        ),
        with_unit("rpj", "kMAD/job", "Stock(initial: \"1\", change: \"0\")"),
        with_unit("hires", "job/year", "Stock(initial: \"1\", change: \"0\")"),
        var(
            "plain",
            "\"segment\"",
            "Stock(initial: \"1\", change: \"0\")",
            "",
        ),
    ];
    let m = compile(&arrayed(&vars.concat()));
    let stacked: Vec<(String, bool)> = m
        .charts()
        .iter()
        .map(|c| (c.id.clone(), c.stacked))
        .collect();
    assert_eq!(
        stacked,
        [
            ("jobs".into(), true),
            ("rpj".into(), false),
            ("hires".into(), true),
            ("plain".into(), false)
        ]
    );
    // Each chart shows every element.
    assert_eq!(m.chart_series(&m.charts()[0].series).len(), 5);
}

/// A model with an arrayed lever `growth` over `segment` (defaults 2, 5
/// for `bpo`, 3 for the value-added segments) and `variables`.
fn lever_model(variables: &str) -> String {
    let lever = "        (id: \"growth\", label: (fr: \"Croissance\", en: \"Growth\"), unit: (fr: \"%\", en: \"%\"), min: 0, max: 10, default: 2, step: 0.5, dimensions: [\"segment\"], by_element: [(at: \"bpo\", default: 5), (at: \"value_added\", default: 3)], uncertainty: Some(Normal(mean: 2, sd: 1, lo: Some(0), hi: Some(10)))),\n";
    let text = models::model_text("levers", ("Leviers", "Levers"), lever, variables, "");
    text.replacen("    levers: [", &format!("{}    levers: [", dims("")), 1)
}

#[test]
fn an_arrayed_lever_is_one_lever_per_element_with_its_default() {
    let m = compile(&lever_model(&var(
        "x",
        "\"segment\"",
        "Aux(equation: \"growth * 10\")",
        "",
    )));
    let ids: Vec<&str> = m.levers().iter().map(|l| l.id.as_str()).collect();
    let flat: Vec<String> = SEGMENTS.iter().map(|e| format!("growth[{e}]")).collect();
    assert_eq!(ids, flat);
    assert_eq!(m.default_levers(), [2.0, 5.0, 3.0, 3.0, 3.0]);
    assert_eq!(m.levers()[1].label.en, "Growth [BPO]");
    assert_eq!(m.lever_range("growth"), 0..5);
    assert_eq!(m.lever_series(4).element.as_ref().unwrap().en, "KPO");
    let r = run(&m);
    assert_eq!(at(&m, &r, "x[bpo]", 2022), 50.0);
    assert_eq!(at(&m, &r, "x[crm]", 2022), 20.0);
    // The lever's id sets every element; an element's id sets one.
    let all = m.levers_with([("growth", 4.0)]).unwrap();
    assert_eq!(all, [4.0; 5]);
    let one = m.levers_with([("growth[eso]", 9.0)]).unwrap();
    assert_eq!(one, [2.0, 5.0, 3.0, 9.0, 3.0]);
    let r = m.run(&one);
    assert_eq!(at(&m, &r, "x[eso]", 2022), 90.0);
    let e = m.levers_with([("growth[eso]", 11.0)]).unwrap_err();
    assert!(
        e.to_string().contains("outside the lever's range 0 to 10"),
        "{e}"
    );
}

#[test]
fn an_arrayed_lever_named_from_a_scalar_equation_needs_an_element() {
    let ok = compile(&lever_model(
        &[
            var(
                "t",
                "",
                "Aux(equation: \"sum(growth[segment!]) + growth[kpo]\")",
                "",
            ),
            var("v", "\"value_added\"", "Aux(equation: \"growth\")", ""),
        ]
        .concat(),
    ));
    let r = run(&ok);
    assert_eq!(at(&ok, &r, "t", 2021), 2.0 + 5.0 + 3.0 * 3.0 + 3.0);
    assert_eq!(at(&ok, &r, "v[ito]", 2021), 3.0);
    let text = lever_model(&var("t", "", "Aux(equation: \"growth\")", ""));
    let e = compile_text(&text, None).unwrap_err().to_string();
    assert!(e.contains("`growth` is arrayed over `segment`"), "{e}");
}

#[test]
fn an_arrayed_lever_is_checked_where_it_is_written() {
    let text = lever_model("").replace("(at: \"bpo\", default: 5)", "(at: \"bpo\", default: 50)");
    let e = compile_text(&text, None).unwrap_err().to_string();
    assert!(
        e.contains("lever `growth`, field `by_element`: default 50 for `bpo` is outside 0..10"),
        "{e}"
    );
    let text = lever_model("").replace("(at: \"bpo\", default: 5)", "(at: \"xyz\", default: 5)");
    let e = compile_text(&text, None).unwrap_err().to_string();
    assert!(
        e.contains("`xyz` is neither an element nor a part of `segment`"),
        "{e}"
    );
    let text = lever_model("").replace("dimensions: [\"segment\"]", "dimensions: [\"nope\"]");
    let e = compile_text(&text, None).unwrap_err().to_string();
    assert!(
        e.contains("lever `growth`, field `dimensions`: no dimension is called `nope`"),
        "{e}"
    );
}

#[test]
fn monte_carlo_draws_an_arrayed_lever_once_and_moves_each_element() {
    use trajectoire::model::mc::Design;
    let m = compile(&lever_model(&var(
        "x",
        "\"segment\"",
        "Aux(equation: \"growth\")",
        "",
    )));
    let design = Design::new(&m, 7, 50);
    assert_eq!(design.uncertain_levers(), [0, 1, 2, 3, 4]);
    let levers = m.default_levers();
    let mut s = vec![0.0; levers.len()];
    let mut spread = 0.0f64;
    for i in 0..50 {
        design.sample(i, &levers, &mut s);
        // One draw around the lever's default (2), each element moved
        // with its own value: the differences stay those of the defaults.
        assert!((s[0] - (s[2] - 1.0)).abs() < 1e-12, "sample {i}: {s:?}");
        assert!((s[0] - (s[1] - 3.0)).abs() < 1e-12, "sample {i}: {s:?}");
        assert!(s.iter().all(|v| (0.0..=10.0).contains(v)));
        spread = spread.max((s[0] - 2.0).abs());
    }
    assert!(spread > 0.5, "the draws vary: {spread}");
}

#[test]
fn goal_seek_moves_one_element_of_an_arrayed_lever() {
    let text = lever_model(&[
        var("x", "\"segment\"", "Aux(equation: \"growth * 10\")", ""),
        var("total", "", "Aux(equation: \"sum(x[segment!])\")", ""),
    ]
    .concat())
    .replacen(
        "    variables: [",
        "    targets: [(id: \"t\", label: (fr: \"t\", en: \"t\"), variable: \"total\", year: 2024, value: 200, source: (title: \"test\"))],\n    variables: [",
        1,
    );
    let m = compile(&text);
    let levers = m.default_levers();
    let seek = trajectoire::model::solve::goal_seek(&m, &levers, 0, 1).expect("a seek");
    assert!(seek.reached, "{seek:?}");
    // 200 = 10 * (2 + g + 3 + 3 + 3): g = 9.
    assert!((seek.value - 9.0).abs() < 1e-6, "{seek:?}");
}

/// An arrayed table `effect` over `segment`: `y = x` unless `by_element`
/// gives `bpo` its own, `y = 2x`.
fn table_model(variables: &str) -> String {
    let table = "        (id: \"effect\", points: [(0, 0), (10, 10)], dimensions: [\"segment\"], by_element: [(at: \"bpo\", points: [(0, 0), (10, 20)])]),\n";
    let text = models::model_text(
        "tables",
        ("Tables", "Tables"),
        &models::wide_levers(&["g"]),
        variables,
        table,
    );
    text.replacen("    levers: [", &format!("{}    levers: [", dims("")), 1)
}

#[test]
fn an_arrayed_lookup_is_one_table_per_element() {
    let m = compile(&table_model(
        &[
            var("x", "\"segment\"", "Aux(equation: \"effect(3)\")", ""),
            var(
                "y",
                "",
                "Aux(equation: \"effect[bpo](4) + effect[crm](1)\")",
                "",
            ),
            var(
                "z",
                "\"value_added\"",
                "Aux(equation: \"effect[segment](5) + g\")",
                "",
            ),
        ]
        .concat(),
    ));
    let r = run(&m);
    assert_eq!(at(&m, &r, "x[crm]", 2021), 3.0);
    assert_eq!(at(&m, &r, "x[bpo]", 2021), 6.0);
    assert_eq!(at(&m, &r, "y", 2021), 9.0);
    assert_eq!(at(&m, &r, "z[kpo]", 2021), 6.0);
    // Errors name what is wrong, where.
    let bad = |eq: &str| {
        let text = table_model(&var("t", "", &format!("Aux(equation: \"{eq}\")"), ""));
        compile_text(&text, None).unwrap_err().to_string()
    };
    let e = bad("effect(1)");
    assert!(e.contains("`effect` is arrayed over `segment`"), "{e}");
    let e = bad("effect[xyz](1)");
    assert!(
        e.contains("`xyz` is neither an element of `segment` nor a dimension"),
        "{e}"
    );
    let e = bad("effect[segment!](1)");
    assert!(e.contains("names one element of each dimension"), "{e}");
    let text = table_model("").replace("(10, 20)", "(-1, 20)");
    let e = compile_text(&text, None).unwrap_err().to_string();
    assert!(
        e.contains("lookup table `effect`, field `by_element`: `bpo`: x must increase"),
        "{e}"
    );
}
