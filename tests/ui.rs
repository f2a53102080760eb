//! The explorer window driven headless through AccessKit, as a user would.

use eframe::egui::accesskit::Role;
use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use trajectoire::app::TrajectoireApp;
use trajectoire::app::i18n::{Lang, fmt_auto};

mod common;
use common::window as harness;
use common::{DIGITAL_TRAINING_EN, show_training_by_element};

/// The text the 2030 jobs card shows for the current levers, computed by the engine.
fn jobs_2030_text(app: &TrajectoireApp, lang: Lang) -> String {
    let m = &app.doc.model;
    let levers = &app.doc.levers;
    let run = m.run(levers);
    let v = run.value(m.var_index("jobs").unwrap(), 2030).unwrap();
    let unit = if lang == Lang::Fr { "emplois" } else { "jobs" };
    format!("{} {unit}", fmt_auto(lang, v))
}

const TRAINING_EN: &str = "People trained a year";

#[test]
fn moving_a_lever_updates_the_headline_as_the_engine_says() {
    let mut h = harness(Lang::En);
    let before = jobs_2030_text(h.state(), Lang::En);
    h.get_by_label(&before);
    // The digital pool's training (training_output[digital]), under "By element".
    show_training_by_element(&mut h);
    h.get_by_role_and_label(Role::Slider, DIGITAL_TRAINING_EN)
        .set_value_accesskit(120_000.0);
    h.run();
    let t = common::digital_training(&h);
    let app = h.state();
    assert_eq!(app.doc.levers[t], 120_000.0);
    let after = jobs_2030_text(app, Lang::En);
    assert_ne!(before, after, "more digital training, more jobs");
    h.get_by_label(&after);
    assert!(
        h.query_by_label(&before).is_none(),
        "no stale value on screen"
    );
}

#[test]
fn reset_and_reset_all_restore_the_defaults() {
    let mut h = harness(Lang::En);
    let default_text = jobs_2030_text(h.state(), Lang::En);
    h.get_by_role_and_label(Role::Slider, TRAINING_EN)
        .set_value_accesskit(150_000.0);
    h.run();
    h.get_by_role_and_label(Role::Slider, "Attrition out of the sector")
        .set_value_accesskit(15.0);
    h.run();
    assert_ne!(jobs_2030_text(h.state(), Lang::En), default_text);
    h.get_by_label("Reset all").click();
    h.run();
    assert_eq!(h.state().doc.levers, h.state().doc.model.default_levers());
    h.get_by_label(&default_text);
}

#[test]
fn undo_and_redo_with_the_keyboard() {
    let mut h = harness(Lang::En);
    let t = common::digital_training(&h);
    let start = h.state().doc.levers[t];
    show_training_by_element(&mut h);
    for v in [70_000.0, 90_000.0] {
        h.get_by_role_and_label(Role::Slider, DIGITAL_TRAINING_EN)
            .set_value_accesskit(v);
        h.run();
    }
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc.levers[t], 70_000.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc.levers[t], start);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(h.state().doc.levers[t], 70_000.0);
    let shown = jobs_2030_text(h.state(), Lang::En);
    h.get_by_label(&shown);
}

#[test]
fn switching_language_changes_labels_and_number_format() {
    let mut h = harness(Lang::En);
    h.get_by_label("Levers");
    let en = jobs_2030_text(h.state(), Lang::En);
    assert!(en.contains(','), "{en}");
    h.get_by_label("FR").click();
    h.run();
    assert_eq!(h.state().prefs.lang, Lang::Fr);
    h.get_by_label("Leviers");
    h.get_by_role_and_label(Role::Slider, "Personnes formées par an");
    let fr = jobs_2030_text(h.state(), Lang::Fr);
    assert!(fr.contains('\u{a0}') && fr.ends_with("emplois"), "{fr}");
    h.get_by_label(&fr);
    assert!(h.query_by_label("Levers").is_none());
}

#[test]
fn a_typed_value_out_of_range_is_refused_with_a_message() {
    let mut h = harness(Lang::En);
    let t = common::digital_training(&h);
    let before = h.state().doc.levers[t];
    // The model's range for training_output: 0 to 250,000 people a year.
    let l = &h.state().doc.model.levers()[t];
    assert_eq!((l.min, l.max), (0.0, 250_000.0));
    show_training_by_element(&mut h);
    h.get_by_role_and_label(Role::TextInput, DIGITAL_TRAINING_EN)
        .focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, DIGITAL_TRAINING_EN)
        .type_text("999999");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    // The box held the old value's text plus what was typed: either way out of range.
    assert_eq!(h.state().doc.levers[t], before, "the lever did not move");
    h.get_by_label_contains("Out of range: between 0 and 250,000");

    // A valid typed value is applied.
    h.get_by_role_and_label(Role::TextInput, DIGITAL_TRAINING_EN)
        .focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_role_and_label(Role::TextInput, DIGITAL_TRAINING_EN)
        .type_text("85500");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.run_steps(3);
    assert_eq!(
        h.state().doc.levers[t],
        85_500.0,
        "a typed value off the step stays exact"
    );
}

#[test]
fn named_positions_set_the_lever() {
    let mut h = harness(Lang::En);
    show_training_by_element(&mut h);
    // The digital plan is a position for the element `digital`: it shows
    // on that element's slider only, not on the languages one nor on the
    // slider for all elements.
    let plan = "Digital: plan of 100,000 a year";
    assert_eq!(h.get_all_by_label(plan).count(), 1, "digital only");
    assert_eq!(
        h.get_all_by_label("Languages: assumption (40,000)").count(),
        1
    );
    h.get_all_by_label(plan).last().unwrap().scroll_to_me();
    h.run();
    h.get_all_by_label(plan).last().unwrap().click();
    h.run();
    let m = &h.state().doc.model;
    let t = m.lever_index("training_output[digital]").unwrap();
    let lang = m.lever_index("training_output[lang]").unwrap();
    assert_eq!(h.state().doc.levers[t], 100_000.0);
    assert_eq!(
        h.state().doc.levers[lang],
        m.levers()[lang].default,
        "the other pool stays"
    );
}

#[test]
fn what_it_takes_ranks_levers_and_applies_the_answer_undoably() {
    let mut h = harness(Lang::En);
    // From the defaults of model version 2 no single lever meets 270,000
    // jobs in 2030 (demand caps them: digital training alone tops out near
    // 207,000, saves/story.deck.ron). The adviser's question starts from the
    // "what it takes" scenario with the digital plan taken back to its
    // status quo, the lever's default (14,000 a year): what digital
    // training does it take?
    let on_track = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/saves/contract_programme_on_track.ron"
    );
    h.state_mut().open_path(std::path::Path::new(on_track));
    h.run();
    let t = common::digital_training(&h);
    let status_quo = h.state().doc.model.levers()[t].default;
    h.state_mut().doc.set_lever(t, status_quo, false);
    h.run();
    // What the engine answers: the first lever of the ranking that meets
    // the target, the one whose Apply comes first.
    let app = h.state();
    let jobs_target = (app.doc.model.model().targets.iter())
        .position(|t| t.id == "cp2030_jobs")
        .unwrap();
    let ranking =
        trajectoire::model::solve::rank_levers(&app.doc.model, &app.doc.levers, jobs_target);
    let best = ranking
        .iter()
        .find(|r| r.seek.reached)
        .expect("a lever can meet the jobs target")
        .seek
        .clone();
    assert_eq!(best.lever, t, "digital training ranks first");
    h.key_press_modifiers(Modifiers::COMMAND, Key::T);
    h.run();
    h.get_by_label("What it takes");
    // The tension between the 2030 targets is spelt out.
    h.get_by_label_contains("Revenue per job the 2030 targets imply: 148.1 k MAD/job");
    h.get_by_role_and_label(Role::Button, "Rank the levers")
        .click();
    h.run();
    h.get_all_by_role_and_label(Role::Button, "Apply")
        .next()
        .expect("a lever can meet the jobs target")
        .click();
    h.run();
    let app = h.state();
    let v = app.doc.levers[t];
    assert_eq!(v, best.value);
    assert!(v > status_quo, "{v}");
    let jobs = app
        .doc
        .run
        .value(app.doc.model.var_index("jobs").unwrap(), 2030)
        .unwrap();
    assert!((jobs - 270_000.0).abs() / 270_000.0 < 0.001);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        h.state().doc.levers[t],
        status_quo,
        "one click, one undo step"
    );
}

/// A model with one arrayed lever, `growth` over three segments.
fn arrayed_lever_model() -> trajectoire::model::CompiledModel {
    let text = r#"Model(
    format_version: 1, id: "arrayed", version: "1",
    name: (fr: "Tableaux", en: "Arrays"), sector: (fr: "", en: ""), country: (fr: "", en: ""),
    currency: "MAD", start_year: 2020, end_year: 2030, last_observed_year: 2021,
    dimensions: [(id: "segment", elements: [(id: "crm", label: (fr: "CRM", en: "CRM")), (id: "bpo", label: (fr: "BPO", en: "BPO")), (id: "ito", label: (fr: "ITO", en: "ITO"))])],
    levers: [(id: "growth", label: (fr: "Croissance", en: "Growth"), unit: (fr: "%", en: "%"), min: 0, max: 10, default: 2, step: 0.5, dimensions: ["segment"], by_element: [(at: "bpo", default: 4)])],
    variables: [(id: "jobs", label: (fr: "Emplois", en: "Jobs"), unit: (fr: "", en: ""), dimensions: ["segment"], kind: Stock(initial: "100", change: "prev(jobs) * growth / 100"))],
    lookups: [],
)"#;
    trajectoire::model::load::compile_text(text, None).unwrap()
}

#[test]
fn an_arrayed_lever_has_one_slider_for_all_and_one_per_element() {
    let mut h = harness(Lang::En);
    let model = arrayed_lever_model();
    let levers = model.default_levers();
    h.state_mut().doc = trajectoire::app::document::Document::new(model, levers, None);
    h.run();
    // The one slider sets every element.
    h.get_by_role_and_label(Role::Slider, "Growth")
        .set_value_accesskit(6.0);
    h.run();
    assert_eq!(h.state().doc.levers, [6.0, 6.0, 6.0]);
    assert!(
        h.query_by_label("Varies by element; the slider sets them all")
            .is_none()
    );
    // Under "By element", a slider each.
    assert!(
        h.query_by_role_and_label(Role::Slider, "BPO").is_none(),
        "folded"
    );
    h.get_by_label("By element").click();
    h.run();
    h.get_by_role_and_label(Role::Slider, "BPO")
        .set_value_accesskit(8.0);
    h.run();
    assert_eq!(h.state().doc.levers, [6.0, 8.0, 6.0]);
    h.get_by_label_contains(
        "Varies by element; the slider sets them all (6.0\u{a0}–\u{a0}8.0\u{a0}%)",
    );
    // The run follows: BPO grows fastest.
    let app = h.state();
    let run = app.doc.model.run(&app.doc.levers);
    let jobs = |id: &str| {
        run.value(app.doc.model.var_index(id).unwrap(), 2030)
            .unwrap()
    };
    assert!(jobs("jobs[bpo]") > jobs("jobs[crm]"));
    assert_eq!(
        app.doc
            .run
            .value(app.doc.model.var_index("jobs[bpo]").unwrap(), 2030),
        Some(jobs("jobs[bpo]"))
    );
    // One undo step a move: back to all at 6, then to the defaults.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc.levers, [6.0, 6.0, 6.0]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc.levers, [2.0, 4.0, 2.0]);
}
