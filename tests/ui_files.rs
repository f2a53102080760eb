//! Saving and opening scenarios in the window, driven headless. The in-app
//! file browser stands in for the native dialog (as it does on a machine
//! without a desktop portal).

use eframe::egui::accesskit::Role;
use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use trajectoire::app::Pending;
use trajectoire::app::command::Command;
use trajectoire::app::i18n::Lang;

mod common;
use common::{DIGITAL_TRAINING_EN, Window, show_training_by_element, tmp, type_file_name};

fn harness() -> Window {
    common::window(Lang::En)
}

#[test]
fn save_as_writes_the_scenario_and_clears_the_unsaved_mark() {
    let mut h = harness();
    assert!(!h.state().window_title().contains('*'));
    show_training_by_element(&mut h);
    h.get_by_role_and_label(Role::Slider, DIGITAL_TRAINING_EN)
        .set_value_accesskit(99_000.0);
    h.run();
    assert!(h.state().window_title().contains('*'), "unsaved mark");

    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    h.run();
    assert!(h.state().files.is_open(), "the save dialog is up");
    let path = tmp("saved.ron");
    let _ = std::fs::remove_file(&path);
    type_file_name(&mut h, &path);
    h.get_by_role_and_label(Role::Button, "Save as").click();
    h.run();

    assert!(
        !h.state().window_title().contains('*'),
        "{}",
        h.state().window_title()
    );
    assert!(h.state().window_title().starts_with("saved.ron"));
    let opened = trajectoire::scenario::open(&path).unwrap();
    let t = opened
        .model
        .lever_index("training_output[digital]")
        .unwrap();
    assert_eq!(opened.levers[t], 99_000.0);

    // Save again (Ctrl+S) after a change: the previous version is kept as .bak.
    h.get_by_role_and_label(Role::Slider, DIGITAL_TRAINING_EN)
        .set_value_accesskit(70_000.0);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let bak = trajectoire::atomic::backup_path(&path);
    let old = trajectoire::scenario::open(&bak).unwrap();
    assert_eq!(old.levers[t], 99_000.0);
    let new = trajectoire::scenario::open(&path).unwrap();
    assert_eq!(new.levers[t], 70_000.0);
}

#[test]
fn new_with_unsaved_changes_asks_first() {
    let mut h = harness();
    h.get_by_role_and_label(Role::Slider, "People trained a year")
        .set_value_accesskit(99_000.0);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    assert_eq!(h.state().confirm, Some(Pending::New));
    h.get_by_label("Unsaved changes");
    // Cancel keeps everything.
    h.get_by_role_and_label(Role::Button, "Cancel").click();
    h.run();
    assert!(h.state().doc.is_dirty());
    // Ask again and discard.
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    h.get_by_role_and_label(Role::Button, "Don't save").click();
    h.run();
    assert!(!h.state().doc.is_dirty());
    assert_eq!(h.state().doc.levers, h.state().doc.model.default_levers());
}

#[test]
fn open_reads_a_scenario_and_a_broken_file_changes_nothing() {
    let mut h = harness();
    let example = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/saves/talent_crunch.ron"
    ));
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    type_file_name(&mut h, example);
    h.get_by_role_and_label(Role::Button, "Open").click();
    h.run();
    let t = common::digital_training(&h);
    // The scenario's digital training: 10,000 a year.
    assert_eq!(h.state().doc.levers[t], 10_000.0);
    assert!(h.state().window_title().starts_with("talent_crunch.ron"));

    let broken = tmp("broken.ron");
    std::fs::write(&broken, "Scenario(format_version: 1, name: \"x\",").unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    type_file_name(&mut h, &broken);
    h.get_by_role_and_label(Role::Button, "Open").click();
    h.run();
    // The error names the file; the document already open is untouched.
    h.get_by_label_contains("broken.ron:1:");
    assert_eq!(h.state().doc.levers[t], 10_000.0);
    assert!(h.state().window_title().starts_with("talent_crunch.ron"));
}

#[test]
fn unsaved_work_is_autosaved_and_offered_back_after_a_crash() {
    let recovery = tmp("recovery.ron");
    let _ = std::fs::remove_file(&recovery);
    {
        let mut h = harness();
        h.state_mut().autosave_every = std::time::Duration::ZERO;
        h.state_mut().set_recovery_path(Some(recovery.clone()));
        show_training_by_element(&mut h);
        h.get_by_role_and_label(Role::Slider, DIGITAL_TRAINING_EN)
            .set_value_accesskit(123_000.0);
        h.run_steps(3);
        assert!(recovery.exists(), "autosaved while unsaved");
        // The window is dropped here without saving: a crash, as far as the file knows.
    }
    let mut h = harness();
    h.state_mut().set_recovery_path(Some(recovery.clone()));
    h.run_steps(3);
    h.get_by_label("Unsaved work found");
    h.get_by_role_and_label(Role::Button, "Restore").click();
    h.run_steps(3);
    let t = common::digital_training(&h);
    assert_eq!(h.state().doc.levers[t], 123_000.0);
    assert!(
        h.state().doc.is_dirty(),
        "restored work is unsaved until saved"
    );

    // Once nothing is unsaved, the recovery file goes.
    h.state_mut().autosave_every = std::time::Duration::ZERO;
    h.run_steps(3);
    h.get_by_label("Reset all").click();
    h.run_steps(3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run_steps(3);
    h.get_by_role_and_label(Role::Button, "Don't save").click();
    h.run_steps(3);
    assert!(!recovery.exists());
}

#[test]
fn compare_overlays_saved_scenarios_and_exports_csv() {
    let mut h = harness();
    let saves = concat!(env!("CARGO_MANIFEST_DIR"), "/saves");
    for f in ["talent_crunch.ron", "contract_programme_on_track.ron"] {
        h.state_mut()
            .add_compare(std::path::Path::new(saves).join(f));
    }
    h.run();
    assert_eq!(h.state().compared.len(), 2);
    // The table shows each scenario's 2030 jobs, as the engine computes them.
    let crunch = h.state().compared[0].value("jobs", 2030).unwrap();
    let shown = format!(
        "{} jobs",
        trajectoire::app::i18n::fmt_auto(trajectoire::app::i18n::Lang::En, crunch)
    );
    h.get_by_label(&shown);
    assert!(
        h.get_all_by_label("Talent crunch / Pénurie de talents")
            .count()
            >= 2,
        "legend and table"
    );

    // Export through the dialog (Ctrl+E).
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run();
    let path = tmp("export.csv");
    let _ = std::fs::remove_file(&path);
    type_file_name(&mut h, &path);
    h.get_by_role_and_label(Role::Button, "Export as CSV")
        .click();
    h.run();
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(csv.starts_with("series,variable,year,value,unit,source\n"));
    for series in [
        "scenario,",
        "baseline,",
        "Talent crunch / Pénurie de talents,",
        "observed,",
    ] {
        assert!(csv.lines().any(|l| l.starts_with(series)), "{series}");
    }

    // Remove one; a fifth is refused.
    // Each Remove button is named after its scenario.
    h.get_by_role_and_label(Role::Button, "Remove Talent crunch / Pénurie de talents")
        .click();
    h.run();
    assert_eq!(h.state().compared.len(), 1);
}

#[test]
fn a_deck_dropped_on_the_window_goes_to_the_deck_window_and_the_document_stays() {
    let mut h = harness();
    let t = common::digital_training(&h);
    h.state_mut().doc.set_lever(t, 90_000.0, false);
    let deck = concat!(env!("CARGO_MANIFEST_DIR"), "/saves/story.deck.ron");
    let ctx = h.ctx.clone();
    h.state_mut().apply(&ctx, Command::OpenPath(deck.into()));
    h.run();
    assert!(
        h.state().confirm.is_none(),
        "a deck replaces nothing: no question"
    );
    assert_eq!(h.state().doc.levers[t], 90_000.0, "the document stays");
    let d = h
        .state()
        .tools
        .deck
        .deck
        .as_ref()
        .expect("the deck is loaded");
    assert_eq!(d.steps.len(), 6);
    // The Deck window is open on it.
    h.get_by_label("1. The 2014-2020 plan and what happened");
    // Its brief, a section per step. Below six steps, the button is
    // scrolled to first.
    common::click_role(&mut h, Role::Button, "Export the deck's brief (PDF)…");
    let path = tmp("story.brief.pdf");
    let _ = std::fs::remove_file(&path);
    type_file_name(&mut h, &path);
    h.get_by_role_and_label(Role::Button, "Export the deck's brief (PDF)")
        .click();
    h.run();
    let pdf = std::fs::read(&path).expect("the deck's brief is written");
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn the_open_dialog_lists_models_scenarios_and_decks_and_compare_no_decks() {
    use trajectoire::formats::Intent;
    let saves = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/saves"));
    let deck = saves.join("story.deck.ron");
    let scenario = saves.join("talent_crunch.ron");
    assert!(Intent::Open.lists(&deck) && Intent::Open.lists(&scenario));
    assert!(!Intent::Compare.lists(&deck) && Intent::Compare.lists(&scenario));
    // The in-app browser shows the same: Ctrl+O from the saves folder.
    let mut h = harness();
    h.state_mut().open_path(&scenario);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    h.get_by_label("story.deck.ron");
    h.get_by_label("talent_crunch.ron");
}

#[test]
fn a_model_without_charts_shows_its_stocks() {
    let mut h = common::window(Lang::En);
    let path = common::tmp("nocharts.ron");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/models/automotive_illustrative.ron"
    ))
    .unwrap();
    let mut m = trajectoire::model::load::parse_model(&text, None).unwrap();
    m.charts.clear();
    trajectoire::model::load::save_model(&path, &m).unwrap();
    h.state_mut().open_path(&path);
    h.run();
    assert!(h.state().doc.model.model().charts.is_empty());
    // Each stock's chart, titled by its label, without the model declaring it.
    let stocks: Vec<String> = m
        .variables
        .iter()
        .filter(|v| matches!(v.kind, trajectoire::model::def::VariableKind::Stock { .. }))
        .map(|v| v.label.en.clone())
        .collect();
    assert!(!stocks.is_empty());
    for label in &stocks {
        assert!(h.query_by_label(label).is_some(), "a chart of `{label}`");
    }
    assert!(h.query_by_label_contains("nothing to plot yet").is_none());
}

#[test]
fn file_export_brief_writes_the_scenario_as_a_document() {
    let mut h = harness();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export brief (HTML)…").click();
    h.run();
    let path = tmp("scenario.brief.html");
    let _ = std::fs::remove_file(&path);
    type_file_name(&mut h, &path);
    h.get_by_role_and_label(Role::Button, "Export brief (HTML)")
        .click();
    h.run();
    let html = std::fs::read_to_string(&path).expect("the brief is written");
    assert!(html.contains("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\""));
    assert!(
        html.contains("Headline") && html.contains("270,000"),
        "the targets ahead"
    );
    assert!(html.contains("<svg"), "the charts");
    // The window's document is untouched.
    assert!(!h.state().doc.is_dirty());
}

/// A Vensim model whose data variable reads a data file named for the run:
/// opening it asks for the file (the notice says why), and the file picked
/// opens it; cancelled or wrong, the document stays as it was.
#[test]
fn a_vensim_model_that_reads_run_data_asks_for_its_data_file() {
    let mut h = harness();
    let model = tmp("run_data.mdl");
    let data = tmp("run_data.tab");
    std::fs::write(
        &model,
        "{UTF-8}\nw :HOLD BACKWARD: ~~|\ntwice = w * 2 ~~|\n\
         FINAL TIME = 2 ~ Month ~|\nINITIAL TIME = 0 ~ Month ~|\n\
         SAVEPER = 1 ~ Month ~|\nTIME STEP = 1 ~ Month ~|\n",
    )
    .unwrap();
    std::fs::write(&data, "Time\tw\n0\t5\n1\t6\n2\t7\n").unwrap();
    let before = h.state().doc.model.model().name.en.clone();
    h.state_mut().open_path(&model);
    h.run();
    assert!(h.state().files.is_open(), "the data file is asked for");
    assert_eq!(h.state().awaiting_data.as_deref(), Some(model.as_path()));
    // The file browser says why (and the notice behind it, with the
    // variable's line, for when the question is cancelled).
    let why = h.query_all_by_label_contains("reads data given when it is run");
    assert!(why.count() >= 1);
    assert!(h.query_by_label_contains("run_data.mdl:2:1").is_some());
    // Still the model that was open.
    assert_eq!(h.state().doc.model.model().name.en, before);
    type_file_name(&mut h, &data);
    h.key_press(Key::Enter);
    h.run();
    assert!(!h.state().files.is_open());
    assert!(h.state().awaiting_data.is_none());
    assert!(h.state().notice.is_none(), "the question has its answer");
    let doc = &h.state().doc;
    assert_eq!(doc.file.as_deref(), Some(model.as_path()));
    let m = &doc.model;
    let twice = m.var_index("twice").expect("the Vensim model is open");
    let run = m.run(&m.default_levers());
    assert_eq!(run.series(twice), [10.0, 12.0, 14.0]);
}
