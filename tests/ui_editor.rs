//! The model editor driven headless: an equation edited valid, invalid, valid
//! again (the last valid model keeps running, the error is shown); renaming
//! and a refused delete.

use eframe::egui::accesskit::Role;
use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use trajectoire::app::i18n::Lang;

mod common;
use common::Window;

fn harness() -> Window {
    common::window(Lang::En)
}

fn open_variable(h: &mut Window, id: &str) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::M);
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Filter").focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Filter")
        .type_text(id);
    h.run();
    // The row of `id` itself, not of a longer name containing it.
    let model = h.state().doc.model.model();
    let label = model.variable(id).unwrap().label.en.clone();
    h.get_by_label(&format!("{id}  ·  {label}")).click();
    h.run();
}

fn type_end(h: &mut Window, label: &str, text: &str) {
    h.get_by_role_and_label(Role::MultilineTextInput, label)
        .focus();
    h.run();
    h.key_press(Key::End);
    h.run();
    h.get_by_role_and_label(Role::MultilineTextInput, label)
        .type_text(text);
    h.run();
}

fn rpj_2030(h: &Window) -> f64 {
    let d = &h.state().doc;
    d.run
        .value(d.model.var_index("revenue_per_job").unwrap(), 2030)
        .unwrap()
}

#[test]
fn an_equation_valid_then_invalid_then_valid_again() {
    let mut h = harness();
    let before = rpj_2030(&h);
    open_variable(&mut h, "revenue_per_job");
    // Valid: the model changes at once.
    type_end(&mut h, "Equation", " * 2");
    assert!((rpj_2030(&h) / before - 2.0).abs() < 1e-12, "doubled");
    assert!(h.state().doc.is_dirty());
    // Invalid: the error shows, the last valid model keeps running.
    type_end(&mut h, "Equation", " *");
    h.get_all_by_label_contains("variable `revenue_per_job`")
        .next()
        .expect("the error names the variable");
    assert!(
        (rpj_2030(&h) / before - 2.0).abs() < 1e-12,
        "still the valid model"
    );
    // Valid again.
    type_end(&mut h, "Equation", " 3");
    assert!((rpj_2030(&h) / before - 6.0).abs() < 1e-9);
    assert!(
        h.query_all_by_label_contains("variable `revenue_per_job`")
            .next()
            .is_none(),
        "the error is gone"
    );
    // The typing was one undo step.
    h.get_by_label("Levers").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(rpj_2030(&h), before);
}

#[test]
fn rename_updates_references_and_a_used_variable_cannot_be_deleted() {
    let mut h = harness();
    open_variable(&mut h, "policy_year");
    h.get_by_role_and_label(Role::Button, "Delete").click();
    h.run();
    h.get_by_label_contains("`policy_year` is still used by");
    assert!(
        h.state()
            .doc
            .model
            .model()
            .variable("policy_year")
            .is_some()
    );
    // Rename it: every equation that used it follows.
    h.get_by_role_and_label(Role::TextInput, "Name").focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Name")
        .type_text("first_policy_year");
    h.run();
    h.get_by_role_and_label(Role::Button, "Rename").click();
    h.run();
    let m = h.state().doc.model.model().clone();
    assert!(m.variable("policy_year").is_none());
    assert!(trajectoire::model::edit::uses_of(&m, "first_policy_year").len() >= 7);
    // The dependency view follows: what uses it.
    h.get_by_label("demand_growth_eff");
}

#[test]
fn save_model_as_writes_a_model_that_opens_with_the_edits() {
    let mut h = harness();
    open_variable(&mut h, "revenue_per_job");
    type_end(&mut h, "Equation", " * 2");
    let dir = std::env::temp_dir().join(format!("trajectoire-model-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("edited.ron");
    h.state_mut().save_model(&path);
    let opened = trajectoire::scenario::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(opened.scenario.is_none(), "a model file, not a scenario");
    let v = opened.model.model().variable("revenue_per_job").unwrap();
    match &v.kind {
        trajectoire::model::def::VariableKind::Aux { equation } => {
            assert!(equation.ends_with(" * 2"), "{equation}")
        }
        k => panic!("{k:?}"),
    }
    // The command line reads it too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trajectoire"))
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn open_tab(h: &mut Window, tab: &str) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::M);
    h.run();
    h.get_by_label(tab).click();
    h.run();
}

#[test]
fn rows_pasted_from_a_spreadsheet_become_observations() {
    let mut h = harness();
    open_tab(&mut h, "Observations");
    let n = h.state().doc.model.model().observations.len();
    // A bad row: nothing is added, the line is named.
    let label = "Paste rows from a spreadsheet (variable, year, value, source[, date]):";
    h.get_by_role_and_label(Role::MultilineTextInput, label)
        .focus();
    h.run();
    h.get_by_role_and_label(Role::MultilineTextInput, label)
        .type_text(
            "variable\tyear\tvalue\tsource\njobs\t2025\t155000\tMy survey\njbos\t2025\t1\tx",
        );
    h.run();
    h.get_by_role_and_label(Role::Button, "Add the pasted rows")
        .click();
    h.run();
    h.get_by_label_contains("line 3: no variable is called `jbos`");
    assert_eq!(h.state().doc.model.model().observations.len(), n);
    // Fixed: both rows go in, in one undoable step.
    common::type_into_role(
        &mut h,
        Role::MultilineTextInput,
        label,
        "jobs;2025;155000;My survey;2026\nexports;2025;27,1;My survey",
    );
    h.get_by_role_and_label(Role::Button, "Add the pasted rows")
        .click();
    h.run();
    let m = h.state().doc.model.model().clone();
    assert_eq!(m.observations.len(), n + 2);
    let o = &m.observations[n];
    assert_eq!(
        (o.variable.as_str(), o.year, o.value),
        ("jobs", 2025, 155_000.0)
    );
    assert_eq!(o.source.date, "2026");
    assert_eq!(m.observations[n + 1].value, 27.1);
    h.get_by_label("Levers").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc.model.model().observations.len(), n);
}

#[test]
fn a_lever_range_edit_applies_and_an_impossible_one_is_refused() {
    let mut h = harness();
    open_tab(&mut h, "Lever settings");
    // The first lever: world demand growth, 0 to 15.
    h.get_by_role_and_label(Role::SpinButton, "Maximum")
        .set_value_accesskit(20.0);
    h.run();
    assert_eq!(h.state().doc.model.model().levers[0].max, 20.0);
    // A maximum below the minimum does not compile: refused, said, not applied.
    h.get_by_role_and_label(Role::SpinButton, "Maximum")
        .set_value_accesskit(-1.0);
    h.run();
    assert_eq!(h.state().doc.model.model().levers[0].max, 20.0);
    h.get_all_by_label_contains("lever `demand_growth`")
        .next()
        .expect("the reason names the lever");
}

#[test]
fn a_lookup_reads_beyond_its_points_as_chosen_in_the_tables_tab() {
    use trajectoire::model::def::LookupMode;
    let mut h = harness();
    open_tab(&mut h, "Tables");
    // Model version 2 has no table: one is made in the tab first.
    assert!(h.state().doc.model.model().lookups.is_empty());
    h.get_by_role_and_label(Role::Button, "New table").click();
    h.run();
    assert_eq!(h.state().doc.model.model().lookups.len(), 1);
    assert_eq!(
        h.state().doc.model.model().lookups[0].mode,
        LookupMode::Continuous
    );
    h.get_by_label("Outside the points").click();
    h.run();
    h.get_by_label("End slopes continued").click();
    h.run();
    assert_eq!(
        h.state().doc.model.model().lookups[0].mode,
        LookupMode::Extrapolate
    );
    assert!(h.state().doc.is_dirty());
    // One undo step puts it back (the table stays).
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().doc.model.model().lookups[0].mode,
        LookupMode::Continuous
    );
}

#[test]
fn the_time_step_is_set_in_the_time_tab_and_the_run_follows() {
    use trajectoire::model::def::Method;
    let mut h = harness();
    let years = h.state().doc.run.times().len();
    open_tab(&mut h, "Time");
    common::type_into(&mut h, "Time step (dt)", "1/4");
    let t = h.state().doc.model.model().time.clone();
    assert_eq!((t.dt, t.dt_reciprocal), (4.0, true));
    // Every quarter is saved, the years among them.
    let run = &h.state().doc.run;
    assert_eq!(run.times().len(), 4 * (years - 1) + 1);
    assert!(run.time_index(2030.0).is_some());
    assert!(run.is_ok(), "{:?}", run.problems);
    // Runge-Kutta needs stocks given by flows: refused, said, not applied.
    h.get_by_label("Runge-Kutta 4").click();
    h.run();
    assert_eq!(h.state().doc.model.model().time.method, Method::Euler);
    h.get_all_by_label_contains("Runge-Kutta integrates")
        .next()
        .expect("the reason is shown");
    // One undo step puts the yearly step back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc.run.times().len(), years);
}

#[test]
fn save_model_as_xmile_writes_a_file_that_opens_to_the_same_run() {
    let mut h = harness();
    open_variable(&mut h, "revenue_per_job");
    type_end(&mut h, "Equation", " * 2");
    let dir = std::env::temp_dir().join(format!("trajectoire-xmile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("edited.xmile");
    h.state_mut().save_model(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("<xmile") && text.contains("<trajectoire:model>"));
    let opened = trajectoire::formats::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let trajectoire::formats::OpenedFile::Model(opened) = opened else {
        panic!("a model")
    };
    let m = &opened.model;
    let doc = &h.state().doc;
    let back = m.run(&m.default_levers());
    let run = doc.model.run(&doc.model.default_levers());
    assert_eq!(back, run, "the same run, bit for bit");
    // The command line reads it too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trajectoire"))
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_stock_is_switched_to_its_flows_in_the_editor() {
    use trajectoire::model::def::VariableKind;
    let mut h = harness();
    open_variable(&mut h, "jobs_created_since_2016");
    let kind = |h: &Window| {
        h.state()
            .doc
            .model
            .model()
            .variable("jobs_created_since_2016")
            .unwrap()
            .kind
            .clone()
    };
    h.get_by_label("its flows").click();
    h.run();
    assert_eq!(
        kind(&h),
        VariableKind::stock_with_flows("0", &[], &[], false)
    );
    type_end(&mut h, "Inflows", "gross_job_creation");
    h.get_by_label("never negative").click();
    h.run();
    assert_eq!(
        kind(&h),
        VariableKind::stock_with_flows("0", &["gross_job_creation"], &[], true)
    );
    assert!(h.state().doc.run.is_ok());
    // And back: a change of 0 to edit.
    h.get_by_label("its change").click();
    h.run();
    assert_eq!(kind(&h), VariableKind::stock("0", "0"));
}

#[test]
fn a_units_mismatch_is_said_live_under_the_equation_and_the_model_runs() {
    let mut h = harness();
    open_variable(&mut h, "net_job_creation");
    h.get_by_label_contains("Units agree");
    // A change per year times a year is a number of jobs, not jobs per year.
    type_end(&mut h, "Equation", " * dt");
    h.get_all_by_label_contains("gives job, but job/year is expected")
        .next()
        .expect("the warning is shown under the equation");
    assert!(h.query_by_label_contains("Units agree").is_none());
    // A warning never stops the model: the edit is applied and runs.
    let d = &h.state().doc;
    let m = d.model.model();
    assert!(
        m.variable("net_job_creation").unwrap().kind
            == trajectoire::model::def::VariableKind::Aux {
                equation: "(jobs - jobs_last_year) / dt * dt".into()
            }
    );
    assert!(d.run.is_ok());
    assert_eq!(d.model.warnings().len(), 1);
    // Declared in jobs, the equation agrees again; the mismatch moves to
    // where the variable is added to a flow.
    common::type_into(&mut h, "Checked unit", "job");
    h.get_by_label_contains("Units agree");
    let ws = h.state().doc.model.warnings().to_vec();
    assert_eq!(ws.len(), 1, "{ws:#?}");
    // Model version 2 uses net_job_creation only in jobs_in_may, as a
    // rate over the five months to May.
    assert_eq!(
        ws[0].to_string(),
        "variable `jobs_in_may`, field `equation`: \
         `jobs_last_year + prev(net_job_creation, 0) * 5 / 12 * dt` adds job*year to job"
    );
    assert_eq!(
        h.state()
            .doc
            .model
            .model()
            .variable("net_job_creation")
            .unwrap()
            .unit_expr,
        "job"
    );
}

#[test]
fn units_warnings_speak_the_window_s_language() {
    let mut h = common::window(Lang::Fr);
    h.key_press_modifiers(Modifiers::COMMAND, Key::M);
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Filtrer").focus();
    h.run();
    // Model version 2 has no talent_gap: gross_job_creation is in
    // job/year as it was.
    h.get_by_role_and_label(Role::TextInput, "Filtrer")
        .type_text("gross_job_creation");
    h.run();
    h.get_all_by_label_contains("gross_job_creation  ·")
        .next()
        .unwrap()
        .click();
    h.run();
    common::type_into(&mut h, "Unité vérifiée", "bnMAD");
    h.get_all_by_label_contains("donne job/year, mais bnMAD est attendu (l’unité de la variable)")
        .next()
        .expect("the warning in French");
}

#[test]
fn a_segment_is_added_in_the_dimensions_tab_and_undone() {
    let mut h = harness();
    let n = h.state().doc.model.n_vars();
    // The variables over the segments (not over one of their subranges).
    let over_segment: Vec<String> = (h.state().doc.model.model().variables.iter())
        .filter(|v| v.dimensions == ["segment"])
        .map(|v| v.id.clone())
        .collect();
    assert_eq!(
        over_segment,
        [
            "segment_growth",
            "desired_creation",
            "job_creation",
            "job_losses",
            "segment_jobs",
            "segment_revenue_per_job",
            "segment_exports"
        ]
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::M);
    h.run();
    h.get_by_label("Dimensions").click();
    h.run();
    h.get_by_label_contains("Its parts:");
    common::type_into(&mut h, "New element", "gbs");
    h.get_by_label("Add the element").click();
    h.run();
    let d = &h.state().doc;
    assert_eq!(
        d.model.n_vars(),
        n + over_segment.len(),
        "each arrayed variable has the element"
    );
    assert!(d.run.is_ok());
    // The new element starts on the variable's own initial equation (the
    // CRM's: only BPO and the digital segments have their own), in 2013.
    let jobs = d.model.var_index("segment_jobs[gbs]").unwrap();
    let crm = d.model.var_index("segment_jobs[crm]").unwrap();
    let lever = |id: &str| d.levers[d.model.lever_index(id).unwrap()];
    let crm_in_lang_2013 = 0.832;
    let initial =
        lever("jobs_2013") * (1.0 - lever("digital_share_2013") / 100.0) * crm_in_lang_2013;
    assert_eq!(d.run.value(jobs, 2013), d.run.value(crm, 2013));
    assert!((d.run.value(jobs, 2013).unwrap() - initial).abs() < 1e-6);
    assert!(d.is_dirty());
    // A name already there is refused, said under the list.
    common::type_into(&mut h, "New element", "crm");
    h.get_by_label("Add the element").click();
    h.run();
    h.get_by_label_contains("the dimension already has it");
    // One undo step takes it back.
    h.get_by_label("Levers").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc.model.n_vars(), n);
}

#[test]
fn element_equations_are_edited_added_and_removed_in_the_editor() {
    let mut h = harness();
    open_variable(&mut h, "segment_growth");
    // Read in 2015, before the aid of 2016: from then on in model version 2
    // the aid's coverage (a budget over the jobs created) feeds any change
    // of growth back into every segment's.
    let growth = |h: &Window, el: &str| {
        let d = &h.state().doc;
        let v = d.model.var_index(&format!("segment_growth[{el}]")).unwrap();
        d.run.value(v, 2015).unwrap()
    };
    let (crm, ito) = (growth(&h, "crm"), growth(&h, "ito"));
    h.get_by_label("Equations of some elements:");
    // The variable's own equation, then one per element entry.
    let fields = h.get_all_by_role_and_label(Role::MultilineTextInput, "Equation");
    assert_eq!(fields.count(), 3);
    h.get_all_by_role_and_label(Role::MultilineTextInput, "Equation")
        .nth(1)
        .unwrap()
        .focus();
    h.run();
    // To the end of the text: the CRM's equation of model version 2 wraps,
    // and End alone stops at the end of its first row.
    h.key_press_modifiers(Modifiers::CTRL, Key::End);
    h.run();
    h.get_all_by_role_and_label(Role::MultilineTextInput, "Equation")
        .nth(1)
        .unwrap()
        .type_text(" + 1");
    h.run();
    assert!((growth(&h, "crm") - (crm + 1.0)).abs() < 1e-9);
    assert_eq!(growth(&h, "ito"), ito, "only the element's equation");
    // A new entry starts at the first element no entry names, with the
    // variable's equation; then it is given its own.
    h.get_by_label("Add an element equation").click();
    h.run();
    let v = h
        .state()
        .doc
        .model
        .model()
        .variable("segment_growth")
        .unwrap()
        .clone();
    assert_eq!(v.by_element.len(), 3);
    assert_eq!(v.by_element[2].at, "ito");
    assert_eq!(growth(&h, "ito"), ito);
    h.get_all_by_role_and_label(Role::MultilineTextInput, "Equation")
        .nth(3)
        .unwrap()
        .focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_all_by_role_and_label(Role::MultilineTextInput, "Equation")
        .nth(3)
        .unwrap()
        .type_text("7");
    h.run();
    assert_eq!(growth(&h, "ito"), 7.0);
    // An entry naming an element another entry has is not applied: said.
    h.get_all_by_role_and_label(
        Role::MultilineTextInput,
        "Elements (one per dimension, or a subrange)",
    )
    .nth(2)
    .unwrap()
    .focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_all_by_role_and_label(
        Role::MultilineTextInput,
        "Elements (one per dimension, or a subrange)",
    )
    .nth(2)
    .unwrap()
    .type_text("crm");
    h.run();
    h.get_by_label_contains("two `by_element` entries give `segment_growth[crm]` an equation");
    assert_eq!(growth(&h, "ito"), 7.0, "the last valid model keeps running");
    // Removing the entry puts the element back on the variable's equation.
    // Typing done, the field is left first: while focused it offers to
    // complete `crm` (model version 2 has `crm_in_lang_2013`), a row that
    // goes with the focus and would move the button under the pointer.
    h.key_press(Key::Escape);
    h.run();
    h.get_all_by_label("Remove this element equation")
        .nth(2)
        .unwrap()
        .scroll_to_me();
    h.run();
    h.get_all_by_label("Remove this element equation")
        .nth(2)
        .unwrap()
        .click();
    h.run();
    assert_eq!(growth(&h, "ito"), ito);
    assert_eq!(
        h.state()
            .doc
            .model
            .model()
            .variable("segment_growth")
            .unwrap()
            .by_element
            .len(),
        2
    );
}

#[test]
fn a_changing_step_is_shown_in_the_time_tab_and_made_one_step_in_one_undoable_click() {
    let text = r#"Model(format_version: 1, id: "clock", version: "1",
        name: (fr: "Horloge", en: "Clock"), sector: (fr: "", en: ""), country: (fr: "", en: ""),
        currency: "", start_year: 0, end_year: 6, last_observed_year: 0,
        time: (dt: 1, schedule: [(from: 0, dt: 1, steps: 4, save: 1), (from: 4, dt: 0.5, steps: 4, save: 0.5)]),
        variables: [
            (id: "elapsed", label: (fr: "Écoulé", en: "Elapsed"), unit: (fr: "", en: ""),
             kind: Stock(initial: "0", change: "1")),
        ],
    )"#;
    let dir = std::env::temp_dir().join(format!("trajectoire-clock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("clock.ron");
    std::fs::write(&path, text).unwrap();
    let mut h = harness();
    h.state_mut().open_path(&path);
    h.run();
    assert_eq!(h.state().doc.run.times().len(), 9);
    open_tab(&mut h, "Time");
    h.get_by_label("The step changes during the run (from the Vensim model):");
    h.get_by_label("from 4: a step of 0.5, saved every 0.5");
    h.get_by_label("One step for the whole run").click();
    h.run();
    let t = h.state().doc.model.model().time.clone();
    assert!(t.schedule.is_empty() && t.dt == 1.0 && t.save_step.is_none());
    assert_eq!(h.state().doc.run.times().len(), 7);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc.model.model().time.schedule.len(), 2);
    assert_eq!(h.state().doc.run.times().len(), 9);
    std::fs::remove_dir_all(&dir).ok();
}
