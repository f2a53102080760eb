//! Models written as XMILE and read back: the same run, bit for bit, with
//! the extension (everything comes back) and without it (what Stella
//! sees is faithful on its own).

mod models;

use models::{aux, clocked, flow_stock, stock};
use trajectoire::formats::xmile;
use trajectoire::model::def::Model;
use trajectoire::model::load::parse_model;
use trajectoire::model::{CompiledModel, compile};

fn round_trip(m: &Model) -> (String, Model) {
    let text = xmile::write(m).expect("writes");
    let back = xmile::read(&text, "fallback")
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .model;
    (text, back)
}

fn same_run(a: &CompiledModel, b: &CompiledModel, what: &str) {
    let (ra, rb) = (a.run(&a.default_levers()), b.run(&b.default_levers()));
    assert_eq!(a.times(), b.times(), "{what}");
    // Every series: each element of an arrayed variable too.
    for i in 0..a.n_vars() {
        let id = &a.series(i).id;
        let Some(j) = b.var_index(id) else {
            // Without our extension a constant reads back as a lever.
            assert!(b.lever_index(id).is_some(), "{what}: `{id}` is lost");
            continue;
        };
        let (x, y) = (ra.series(i), rb.series(j));
        assert!(
            x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits()),
            "{what}: `{id}` {x:?} != {y:?}"
        );
    }
}

/// Every shipped model file, version 1 of the default model too (it still
/// ships, for its scenarios); the illustrative model stays second.
fn shipped() -> Vec<(String, Model)> {
    [
        "morocco_offshoring",
        "automotive_illustrative",
        "morocco_offshoring_v1",
    ]
    .iter()
    .map(|name| {
        let path = format!("assets/models/{name}.ron");
        let text = std::fs::read_to_string(&path).unwrap();
        (path.clone(), parse_model(&text, None).unwrap())
    })
    .collect()
}

#[test]
fn shipped_models_come_back_whole_and_run_the_same() {
    for (path, m) in shipped() {
        let (_, back) = round_trip(&m);
        let (a, b) = (compile(m.clone()).unwrap(), compile(back.clone()).unwrap());
        same_run(&a, &b, &path);
        // What XMILE has no words for comes back through the extension.
        assert_eq!(back.levers, m.levers, "{path}");
        assert_eq!(back.observations, m.observations, "{path}");
        assert_eq!(back.targets, m.targets, "{path}");
        assert_eq!(back.charts, m.charts, "{path}");
        assert_eq!((&back.id, &back.name), (&m.id, &m.name), "{path}");
        for (v, w) in m.variables.iter().zip(&back.variables) {
            assert_eq!((&v.id, &v.label, &v.unit), (&w.id, &w.label, &w.unit));
            assert_eq!(
                std::mem::discriminant(&v.kind),
                std::mem::discriminant(&w.kind),
                "{path}: `{}` keeps its kind",
                v.id
            );
        }
    }
}

#[test]
fn without_the_extension_the_xmile_alone_runs_the_same() {
    // A model whose bare XMILE does not compile is named at the end, after
    // the others are checked.
    let mut refused = Vec::new();
    for (path, m) in shipped() {
        let (text, _) = round_trip(&m);
        let start = text.find("<trajectoire:model>").unwrap();
        let end = text.find("</trajectoire:model>").unwrap() + "</trajectoire:model>".len();
        let bare = format!("{}{}", &text[..start], &text[end..]);
        if !m.dimensions.is_empty() {
            // Arrays are written as XMILE's (4.5), one `<element>` each.
            assert!(bare.contains("<dimensions>") && bare.contains("<element subscript=\"crm\">"));
        }
        let back = xmile::read(&bare, "bare")
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .model;
        let a = compile(m).unwrap();
        match compile(back) {
            Ok(b) => same_run(&a, &b, &path),
            Err(e) => refused.push(format!("{path}: the bare XMILE does not compile: {e}")),
        }
    }
    assert!(refused.is_empty(), "{}", refused.join("\n"));
}

#[test]
fn clocks_flows_and_functions_round_trip() {
    let cases = [
        (
            "(dt: 4, dt_reciprocal: true, method: Rk4)",
            flow_stock("s", "10", &["i"], &["o"], true)
                + &aux("i", "smooth3(2 + sin(time), 1.5)")
                + &aux("o", "clamp(s / 3, 0, 2) + delay1(i, 2)"),
        ),
        (
            "(dt: 0.5, save_step: Some(1))",
            stock("jobs", "100", "hires - 0.1 * prev(jobs)")
                + &aux(
                    "hires",
                    "if time >= 3 and not (time > 8) then pulse(4, 3, 2) else step(2, 5) + ramp(1, 2, 6)",
                )
                + &aux(
                    "ratio",
                    "xidz(jobs, hires, 1) + zidz(hires, jobs) + pow(2, -1) + mod(-7, 3)",
                )
                + &aux("noise", "random_normal(0, 1) + random_uniform(0, 1)")
                + &aux(
                    "piped",
                    "delay(hires, 2, 0) + previous(hires, 3) + init(jobs)",
                ),
        ),
    ];
    for (time, vars) in cases {
        let m = parse_model(&clocked(0, 12, time, &vars), None).unwrap();
        let (_, back) = round_trip(&m);
        assert_eq!(back.time, m.time, "{time}");
        let ids = |m: &Model| m.variables.iter().map(|v| v.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&back), ids(&m), "{time}");
        let (a, b) = (compile(m).unwrap(), compile(back).unwrap());
        same_run(&a, &b, time);
    }
}

#[test]
fn a_scenario_over_an_imported_model_refers_to_its_file() {
    use trajectoire::formats::{OpenedFile, open};
    use trajectoire::scenario::{self, ModelRef};
    let dir = std::env::temp_dir().join(format!("trajectoire-ref-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (_, m) = shipped().remove(1);
    let model_path = dir.join("imported.xmile");
    std::fs::write(&model_path, xmile::write(&m).unwrap()).unwrap();
    let OpenedFile::Model(opened) = open(&model_path).unwrap() else {
        panic!("a model")
    };
    let mut levers = opened.levers.clone();
    levers[0] = opened.model.model().levers[0].max;
    let s = scenario::from_document(
        &opened.model,
        &levers,
        "over xmile",
        "",
        Default::default(),
        Default::default(),
    );
    assert!(matches!(s.model, ModelRef::File { .. }), "{:?}", s.model);
    let scenario_path = dir.join("over.ron");
    scenario::save(&scenario_path, &s).unwrap();
    let text = std::fs::read_to_string(&scenario_path).unwrap();
    assert!(
        text.contains("imported.xmile") && !text.contains("variables"),
        "{text}"
    );
    let back = scenario::open(&scenario_path).unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_eq!(back.levers, levers);
    assert_eq!(back.model.run(&back.levers), opened.model.run(&levers));
    // Changed since: opens, with a warning.
    let mut changed = std::fs::read_to_string(&model_path).unwrap();
    changed.push_str("<!-- edited -->\n");
    std::fs::write(&model_path, changed).unwrap();
    let back = scenario::open(&scenario_path).unwrap();
    assert!(
        back.warnings[0].en.contains("changed"),
        "{:?}",
        back.warnings
    );
    // Moved with its model: found beside it.
    let moved = dir.join("moved");
    std::fs::create_dir_all(&moved).unwrap();
    std::fs::rename(&model_path, moved.join("imported.xmile")).unwrap();
    std::fs::rename(&scenario_path, moved.join("over.ron")).unwrap();
    scenario::open(&moved.join("over.ron")).unwrap();
    // Gone: an error that names the file.
    std::fs::remove_file(moved.join("imported.xmile")).unwrap();
    let e = scenario::open(&moved.join("over.ron"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("imported.xmile") && e.contains("not there"),
        "{e}"
    );
}

#[test]
fn an_arrayed_lever_is_written_element_by_element_and_runs_the_same() {
    let text = r#"Model(
    format_version: 1, id: "arrayed", version: "1",
    name: (fr: "Tableaux", en: "Arrays"), sector: (fr: "", en: ""), country: (fr: "", en: ""),
    currency: "MAD", start_year: 2020, end_year: 2030, last_observed_year: 2021,
    dimensions: [(id: "segment", elements: [(id: "crm"), (id: "bpo"), (id: "ito")])],
    levers: [(id: "growth", label: (fr: "Croissance", en: "Growth"), unit: (fr: "%", en: "%"), min: 0, max: 10, default: 2, step: 0.5, dimensions: ["segment"], by_element: [(at: "bpo", default: 4)])],
    variables: [(id: "jobs", label: (fr: "Emplois", en: "Jobs"), unit: (fr: "", en: ""), dimensions: ["segment"], kind: Stock(initial: "100", change: "prev(jobs) * growth / 100"))],
    lookups: [],
)"#;
    let m = parse_model(text, None).unwrap();
    let (xml, back) = round_trip(&m);
    assert!(
        xml.contains(
            "<aux name=\"growth\">\n        <dimensions><dim name=\"segment\"/></dimensions>"
        ),
        "{xml}"
    );
    assert!(
        xml.contains("<element subscript=\"bpo\">\n          <eqn>4</eqn>"),
        "{xml}"
    );
    assert_eq!(back, m, "the extension brings it back whole");
    let start = xml.find("<trajectoire:model>").unwrap();
    let end = xml.find("</trajectoire:model>").unwrap() + "</trajectoire:model>".len();
    let bare = format!("{}{}", &xml[..start], &xml[end..]);
    let alone = xmile::read(&bare, "bare")
        .unwrap_or_else(|e| panic!("{e}\n{bare}"))
        .model;
    let (a, b) = (compile(m).unwrap(), compile(alone).unwrap());
    let (ra, rb) = (a.run(&a.default_levers()), b.run(&b.default_levers()));
    for el in ["crm", "bpo", "ito"] {
        let id = format!("jobs[{el}]");
        let (x, y) = (a.var_index(&id).unwrap(), b.var_index(&id).unwrap());
        assert_eq!(ra.series(x), rb.series(y), "{id}");
    }
    // An arrayed table is refused, said.
    let with_table = text.replace(
        "lookups: [],",
        "lookups: [(id: \"effect\", points: [(0, 0)], dimensions: [\"segment\"])],",
    );
    let e = xmile::write(&parse_model(&with_table, None).unwrap()).unwrap_err();
    assert!(e.contains("lookup table `effect` is arrayed"), "{e}");
}

#[test]
fn a_vensim_delay_n_with_a_changing_time_is_not_written_as_xmile() {
    let text = r#"Model(format_version: 1, id: "d", version: "1",
        name: (fr: "D", en: "D"), sector: (fr: "", en: ""), country: (fr: "", en: ""),
        currency: "", start_year: 0, end_year: 10, last_observed_year: 0,
        variables: [
            (id: "x", label: (fr: "", en: ""), unit: (fr: "", en: ""), kind: Aux(equation: "time")),
            (id: "y", label: (fr: "", en: ""), unit: (fr: "", en: ""),
             kind: Aux(equation: "vensim_delayn(x, 2 + time / 10, 2, 0)")),
        ],
    )"#;
    let m = trajectoire::model::load::parse_model(text, None).unwrap();
    trajectoire::model::compile(m.clone()).unwrap_or_else(|e| panic!("{e}"));
    let e = trajectoire::formats::xmile::write(&m).unwrap_err();
    assert!(e.contains("`y` calls `vensim_delayn`"), "{e}");
}

#[test]
fn a_clock_whose_step_changes_is_not_written_as_xmile() {
    let text = r#"Model(format_version: 1, id: "c", version: "1",
        name: (fr: "C", en: "C"), sector: (fr: "", en: ""), country: (fr: "", en: ""),
        currency: "", start_year: 0, end_year: 6, last_observed_year: 0,
        time: (dt: 1, schedule: [(from: 0, dt: 1, steps: 4, save: 1), (from: 4, dt: 0.5, steps: 4, save: 0.5)]),
        variables: [
            (id: "x", label: (fr: "", en: ""), unit: (fr: "", en: ""), kind: Aux(equation: "time")),
        ],
    )"#;
    let m = trajectoire::model::load::parse_model(text, None).unwrap();
    let c = trajectoire::model::compile(m.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.times().len(), 9, "{:?}", c.times());
    let e = trajectoire::formats::xmile::write(&m).unwrap_err();
    assert!(e.contains("time step changes"), "{e}");
}
