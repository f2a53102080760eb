//! Presenting the example deck, driven headless with the keys a presenter
//! (or a clicker) sends.

use eframe::egui::accesskit::Role;
use eframe::egui::{self, Key};
use egui_kittest::kittest::Queryable;
use trajectoire::app::i18n::Lang;

mod common;
use common::Window;

fn harness() -> Window {
    common::window_sized(Lang::En, [1280.0, 720.0])
}

fn press(h: &mut Window, key: Key) {
    h.key_press(key);
    h.run();
}

fn step(h: &Window) -> usize {
    h.state().presenter.as_ref().expect("presenting").step
}

#[test]
fn keys_step_through_the_deck_and_escape_leaves() {
    let mut h = harness();
    press(&mut h, Key::F5);
    h.get_by_label("The 2014-2020 plan and what happened");
    h.get_by_label("1 / 6");
    assert!(h.query_by_label("Levers").is_none(), "no editing panels");
    press(&mut h, Key::ArrowRight);
    h.get_by_label("Where the sector stands");
    h.get_by_label("2 / 6");
    press(&mut h, Key::PageDown);
    press(&mut h, Key::Space);
    assert_eq!(step(&h), 3);
    h.get_by_label("What it takes");
    // Past the last step (the sixth), nothing moves.
    for _ in 0..4 {
        press(&mut h, Key::ArrowRight);
    }
    assert_eq!(step(&h), 5);
    h.get_by_label("The risks");
    press(&mut h, Key::PageUp);
    press(&mut h, Key::ArrowLeft);
    press(&mut h, Key::ArrowLeft);
    assert_eq!(step(&h), 2);
    h.get_by_label("The 2030 targets");
    press(&mut h, Key::Escape);
    assert!(h.state().presenter.is_none());
    h.get_by_label("Levers");
}

#[test]
fn the_curves_move_from_one_step_to_the_next() {
    let mut h = harness();
    press(&mut h, Key::F5);
    // Step 3 (current trajectory) to step 4 (on track): the same model.
    for _ in 0..3 {
        press(&mut h, Key::ArrowRight);
    }
    let p = h.state().presenter.as_ref().unwrap();
    let jobs = p.doc.model.var_index("jobs").unwrap();
    let target = p.doc.run.value(jobs, 2030).unwrap();
    assert!(target >= 270_000.0, "step 4 meets the target: {target}");
    // Mid-way the run on screen lies between the two scenarios...
    let t0 = 1_000.0;
    let mut p2 = trajectoire::app::present::Presenter::new(p.deck.clone());
    p2.go(2, t0);
    p2.go(3, t0 + 1.0);
    let from = p2.shown_run(t0 + 1.0).value(jobs, 2030).unwrap();
    let mid = p2.shown_run(t0 + 1.25).value(jobs, 2030).unwrap();
    let end = p2
        .shown_run(t0 + 1.0 + trajectoire::app::present::TRANSITION)
        .value(jobs, 2030)
        .unwrap();
    assert!(from < mid && mid < end, "{from} {mid} {end}");
    assert_eq!(end, target);
}

#[test]
fn a_what_if_during_the_talk_and_one_key_back() {
    let mut h = harness();
    press(&mut h, Key::F5);
    let t = h
        .state()
        .presenter
        .as_ref()
        .unwrap()
        .doc
        .model
        .lever_index("training_output[digital]")
        .unwrap();
    let planned = h.state().presenter.as_ref().unwrap().doc.levers[t];
    press(&mut h, Key::L);
    common::show_training_by_element(&mut h);
    h.get_by_role_and_label(Role::Slider, common::DIGITAL_TRAINING_EN)
        .set_value_accesskit(150_000.0);
    h.run();
    assert_eq!(
        h.state().presenter.as_ref().unwrap().doc.levers[t],
        150_000.0
    );
    // The main document is not touched by questions asked on stage.
    assert!(!h.state().doc.is_dirty());
    press(&mut h, Key::L);
    press(&mut h, Key::R);
    assert_eq!(h.state().presenter.as_ref().unwrap().doc.levers[t], planned);
    // High contrast on and off.
    press(&mut h, Key::H);
    assert!(h.state().presenter.as_ref().unwrap().high_contrast);
}

#[test]
fn presenter_notes_stay_hidden_until_asked_for() {
    let mut h = harness();
    press(&mut h, Key::F5);
    let notes = "The verdict, reading by reading";
    assert!(
        h.query_by_label_contains(notes).is_none(),
        "not on the projector"
    );
    press(&mut h, Key::N);
    h.get_by_label_contains(notes);
    h.get_by_label_contains("Next: Where the sector stands");
    press(&mut h, Key::ArrowRight);
    h.get_by_label_contains("Mind the series break");
}

#[test]
fn a_deck_built_in_the_window_saves_and_presents() {
    let mut h = harness();
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label("Deck…").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "New deck").click();
    h.run();
    common::show_training_by_element(&mut h);
    h.get_by_role_and_label(Role::Slider, common::DIGITAL_TRAINING_EN)
        .set_value_accesskit(150_000.0);
    h.run();
    h.get_by_role_and_label(Role::Button, "Add the current view as a step")
        .click();
    h.run();
    // The new (second) step is selected: give it a title.
    let title = h
        .get_all_by_role_and_label(Role::TextInput, "Title")
        .nth(1)
        .unwrap();
    title.focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.run();
    h.get_all_by_role_and_label(Role::TextInput, "Title")
        .nth(1)
        .unwrap()
        .type_text("Training push");
    h.run();
    // Move it first.
    h.get_all_by_role_and_label(Role::Button, "Move up")
        .nth(1)
        .unwrap()
        .click();
    h.run();
    let d = h.state().tools.deck.deck.clone().unwrap();
    assert_eq!(d.steps.len(), 2);
    assert_eq!(d.deck.steps[0].title.en, "Training push");
    let t = (d.steps[0].model)
        .lever_index("training_output[digital]")
        .unwrap();
    assert_eq!(d.steps[0].levers[t], 150_000.0);
    // The default: 14,000 a year, trained in 2022 (lnt.ma).
    assert_eq!(d.steps[1].levers[t], 14_000.0);
    assert_eq!(
        d.deck.steps[0].charts,
        ["jobs", "exports", "revenue_per_job", "talent"]
    );

    let dir = std::env::temp_dir().join(format!("trajectoire-uideck-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    h.state_mut().save_deck(&dir.join("talk"));
    let path = dir.join("talk.deck.ron");
    let again = trajectoire::deck::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.deck, d.deck);
    assert_eq!(again.steps[0].levers[t], 150_000.0);

    // F5 presents it.
    press(&mut h, Key::F5);
    h.get_by_label("Training push");
    h.get_by_label("1 / 2");
}
