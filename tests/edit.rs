//! Structural edits of a model: renaming updates every reference, deleting
//! a variable that is still used is refused with every use named.

use trajectoire::model::compile;
use trajectoire::model::def::{Variable, VariableKind};
use trajectoire::model::edit::{EditError, Use, delete, rename, uses_of};
use trajectoire::model::load::default_model;

#[test]
fn renaming_a_variable_updates_every_reference_and_changes_no_result() {
    let m = default_model();
    let before = m.run(&m.default_levers());
    let edited = rename(m.model(), "jobs", "direct_jobs").unwrap();
    assert!(uses_of(&edited, "jobs").is_empty(), "no reference left");
    assert!(!uses_of(&edited, "direct_jobs").is_empty());
    // Longer names that contain it are left alone.
    assert!(edited.variable("segment_jobs").is_some());
    assert!(edited.targets.iter().any(|t| t.variable == "direct_jobs"));
    assert!(
        edited
            .charts
            .iter()
            .any(|c| c.series.contains(&"direct_jobs".to_string()))
    );
    let c = compile(edited).unwrap_or_else(|e| panic!("{e}"));
    let after = c.run(&c.default_levers());
    let (a, b) = (
        m.var_index("jobs").unwrap(),
        c.var_index("direct_jobs").unwrap(),
    );
    assert_eq!(before.series(a), after.series(b));
}

#[test]
fn a_rename_to_a_taken_or_invalid_name_is_refused() {
    let m = default_model();
    let m = m.model();
    for (new, why) in [
        ("exports", "already"),
        ("training_output", "already"),
        ("if", "word of the equation language"),
        ("2jobs", "letters, digits"),
    ] {
        let e = rename(m, "jobs", new).unwrap_err();
        assert!(matches!(e, EditError::BadName(..)), "{new}: {e}");
        assert!(e.to_string().contains(why), "{new}: {e}");
    }
    assert_eq!(
        rename(m, "nope", "x").unwrap_err(),
        EditError::NoSuchName("nope".into())
    );
}

#[test]
fn deleting_a_used_variable_is_refused_with_every_use() {
    let m = default_model();
    let e = delete(m.model(), "policy_year").unwrap_err();
    let EditError::InUse(_, uses) = &e else {
        panic!("{e}")
    };
    assert!(uses.len() >= 5, "{e}");
    assert!(uses.contains(&Use::Equation {
        variable: "demand_growth_eff".into(),
        field: "equation"
    }));
    assert!(e.to_string().contains("change those first"), "{e}");
    // A target names `jobs`: refused too, and the target is named.
    let e = delete(m.model(), "jobs").unwrap_err().to_string();
    assert!(e.contains("target `cp2030_jobs`"), "{e}");

    // A variable nothing uses goes, and the model still compiles.
    let mut def = m.model().clone();
    def.variables.push(Variable {
        id: "spare".into(),
        label: Default::default(),
        unit: Default::default(),
        unit_expr: String::new(),
        dimensions: Vec::new(),
        by_element: Vec::new(),
        kind: VariableKind::Aux {
            equation: "jobs * 2".into(),
        },
        description: Default::default(),
    });
    let n = def.variables.len();
    let out = delete(&def, "spare").unwrap();
    assert_eq!(out.variables.len(), n - 1);
    compile(out).unwrap();
}

#[test]
fn the_illustrative_second_model_runs_and_edits_like_the_first() {
    use trajectoire::model::load::shipped_model;
    let m = shipped_model("morocco-automotive-illustrative").unwrap_or_else(|e| panic!("{e}"));
    assert!(m.model().name.en.contains("illustrative"));
    let run = m.run(&m.default_levers());
    assert!(run.is_ok());
    // Its defaults respect its one sourced figure, a lower bound.
    let created = m.var_index("auto_jobs_created_since_2014").unwrap();
    assert!(run.value(created, 2018).unwrap() > 69_900.0);
    // The editor's operations are not tied to offshoring.
    let renamed = rename(m.model(), "auto_jobs", "direct_jobs").unwrap();
    let c = compile(renamed).unwrap();
    assert_eq!(
        c.run(&c.default_levers())
            .series(c.var_index("direct_jobs").unwrap()),
        run.series(m.var_index("auto_jobs").unwrap())
    );
    assert!(delete(m.model(), "output_index").is_err());
}

#[test]
fn a_table_and_a_lever_rename_where_they_are_read_and_go_only_unused() {
    // Version 2 of the default model has no lookup table: version 1, still
    // shipped, has one (`incentive_response`), so this test loads it.
    let v1 = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/models/morocco_offshoring_v1.ron"
    );
    let m = trajectoire::model::load::compile_text(&std::fs::read_to_string(v1).unwrap(), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let before = m.run(&m.default_levers());
    // A table is read as a call: its calls follow the rename.
    let t = rename(m.model(), "incentive_response", "incentive_curve").unwrap();
    assert!(uses_of(&t, "incentive_response").is_empty());
    let calls = uses_of(&t, "incentive_curve");
    assert!(!calls.is_empty(), "still called, under its new name");
    // A lever is read as a value, as a variable is.
    let l = &m.model().levers[0].id;
    let t = rename(&t, l, "renamed_lever").unwrap();
    assert!(uses_of(&t, l).is_empty());
    let c = compile(t.clone()).unwrap_or_else(|e| panic!("{e}"));
    let after = c.run(&c.default_levers());
    let j = m.var_index("jobs").unwrap();
    assert_eq!(
        before.value(j, 2030),
        after.value(j, 2030),
        "the same model under other names"
    );
    // Used, neither goes; unused, both go.
    assert!(matches!(delete(&t, "incentive_curve"), Err(EditError::InUse(_, u)) if u == calls));
    assert!(matches!(
        delete(&t, "renamed_lever"),
        Err(EditError::InUse(..))
    ));
    let mut spare = t.clone();
    spare.lookups[0].id = "spare_table".into();
    assert!(delete(&spare, "spare_table").is_ok_and(|x| x.lookups.is_empty()));
    assert_eq!(
        delete(&t, "nothing_here").unwrap_err(),
        EditError::NoSuchName("nothing_here".into())
    );
}

#[test]
fn renames_leave_subscripts_alone_and_follow_the_map_and_flows_count_as_uses() {
    use trajectoire::model::def::{LoopName, Place};
    use trajectoire::model::structure::{Graph, find_loops};
    let mut m = default_model().model().clone();
    // Elements are not values: renaming a variable never touches `x[crm]`.
    assert!(matches!(
        rename(&m, "jobs", "crm"),
        Err(EditError::BadName(
            _,
            trajectoire::model::edit::Why::DimensionTaken
        ))
    ));
    // The map's place of a node and the loops through it follow a rename.
    let loops = find_loops(&Graph::of(&m));
    let l = loops
        .loops
        .iter()
        .find(|l| l.key.contains("jobs_last_year"))
        .unwrap();
    m.map.places.push(Place {
        id: "jobs_last_year".into(),
        at: [1.0, 2.0],
    });
    m.map.loop_names.push(LoopName {
        key: l.key.clone(),
        name: trajectoire::model::Text::new("Boucle", "Loop"),
    });
    let r = rename(&m, "jobs_last_year", "a_jobs_before").unwrap();
    assert_eq!(r.map.places[0].id, "a_jobs_before");
    let renamed = find_loops(&Graph::of(&r));
    assert!(
        renamed.by_key(&r.map.loop_names[0].key).is_some(),
        "the name's key is the renamed loop's: {}",
        r.map.loop_names[0].key
    );
    // A flow named only in a stock's flow list is used there.
    let text = r#"Model(format_version: 1, id: "f", version: "1",
        name: (fr: "F", en: "F"), sector: (fr: "", en: ""), country: (fr: "", en: ""),
        currency: "", start_year: 0, end_year: 3, last_observed_year: 0,
        variables: [
            (id: "s", label: (fr: "", en: ""), unit: (fr: "", en: ""),
             kind: Stock(initial: "1", inflows: ["i"])),
            (id: "i", label: (fr: "", en: ""), unit: (fr: "", en: ""), kind: Aux(equation: "2")),
        ])"#;
    let f = trajectoire::model::load::parse_model(text, None).unwrap();
    assert!(matches!(delete(&f, "i"), Err(EditError::InUse(..))));
    let fr = delete(&f, "i")
        .unwrap_err()
        .text(trajectoire::model::Lang::Fr);
    assert!(fr.contains("sert encore"), "{fr}");
}
