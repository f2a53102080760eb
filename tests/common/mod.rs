//! The window driven headless through AccessKit, as every UI test drives it:
//! one harness and the few gestures the tests share (type into a field,
//! click like a user, a scratch folder). Each test file that drives the
//! window has `mod common;`.
#![allow(dead_code)] // Each test file uses some of these, never all.

pub mod xlsx;

use eframe::egui::accesskit::Role;
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use trajectoire::app::i18n::Lang;
use trajectoire::app::{Prefs, TrajectoireApp};

pub type Window = Harness<'static, TrajectoireApp>;

/// The window at 1280x800 in `lang`, the default model open, the in-app
/// file browser standing in for the native dialog (as on a machine without
/// a desktop portal), after its first frames.
pub fn window(lang: Lang) -> Window {
    window_sized(lang, [1280.0, 800.0])
}

/// [`window`] at `size` points.
pub fn window_sized(lang: Lang, size: [f32; 2]) -> Window {
    let prefs = Prefs {
        lang,
        ..Prefs::default()
    };
    let mut app = TrajectoireApp::with_prefs(prefs, None);
    app.files.native = false;
    let mut h = Harness::builder()
        .with_size(egui::vec2(size[0], size[1]))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut TrajectoireApp| app.frame_ui(ui), app);
    h.run();
    h
}

/// Replaces the text of the field `label` (of `role`) by `text`, as a user
/// would: scrolls to it, focuses it, selects all, types.
pub fn type_into_role(h: &mut Window, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).scroll_to_me();
    h.run();
    h.get_by_role_and_label(role, label).focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_role_and_label(role, label).type_text(text);
    h.run();
}

/// [`type_into_role`] for a one-line text field.
pub fn type_into(h: &mut Window, label: &str, text: &str) {
    type_into_role(h, Role::TextInput, label, text);
}

/// Clicks like a user: scrolls the widget into view first.
pub fn click_role(h: &mut Window, role: Role, label: &str) {
    h.get_by_role_and_label(role, label).scroll_to_me();
    h.run();
    h.get_by_role_and_label(role, label).click();
    h.run();
}

/// A scratch file path for this test process.
/// Types `path` into the in-app file browser's name field, replacing
/// the suggested name.
pub fn type_file_name(h: &mut Window, path: &std::path::Path) {
    h.get_by_role_and_label(Role::TextInput, "File name")
        .focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_role_and_label(Role::TextInput, "File name")
        .type_text(path.to_str().unwrap());
    h.run();
}

pub fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("trajectoire-ui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The label of `training_output[digital]`'s slider and value box (its
/// element's label): the digital pool's training, the lever an adviser's
/// question is about. They are under "By element" of the arrayed lever
/// "People trained a year"; [`show_training_by_element`] opens it.
pub const DIGITAL_TRAINING_EN: &str = "Digital and engineering";

/// The run lever index of `training_output[digital]` in the window's document.
pub fn digital_training(h: &Window) -> usize {
    h.state()
        .doc
        .model
        .lever_index("training_output[digital]")
        .expect("the default model has a digital pool")
}

/// Opens "By element" under "People trained a year" (`training_output`,
/// over the two talent pools): the first arrayed lever of the panel, so the
/// first "By element" (the next, "Share captured by the sector", stays
/// folded and its element sliders off screen).
pub fn show_training_by_element(h: &mut Window) {
    h.get_all_by_label("By element")
        .next()
        .expect("training_output is arrayed")
        .scroll_to_me();
    h.run();
    h.get_all_by_label("By element").next().unwrap().click();
    h.run();
    // The slider shows training_output[digital]'s value, not another
    // lever's (of the deck's step when presenting).
    let app = h.state();
    let doc = app.presenter.as_ref().map_or(&app.doc, |p| &p.doc);
    let t = doc.model.lever_index("training_output[digital]");
    let value = doc.levers[t.expect("the digital pool's training")];
    let slider = h.get_by_role_and_label(Role::Slider, DIGITAL_TRAINING_EN);
    assert_eq!(slider.accesskit_node().numeric_value(), Some(value));
}
