//! File > Publish explorer… in the window, driven headless: the menu
//! entry, the save dialog (the in-app browser standing in for the native
//! one), and the page written with the window's levers.

use eframe::egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use trajectoire::app::i18n::Lang;

mod common;
use common::{DIGITAL_TRAINING_EN, show_training_by_element, tmp, type_file_name};

#[test]
fn file_publish_explorer_writes_the_page_with_the_window_levers() {
    let mut h = common::window(Lang::En);
    show_training_by_element(&mut h);
    h.get_by_role_and_label(Role::Slider, DIGITAL_TRAINING_EN)
        .set_value_accesskit(99_000.0);
    h.run();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Publish explorer…").click();
    h.run();
    assert!(h.state().files.is_open(), "the save dialog is up");
    let path = tmp("scenario.explorer.html");
    let _ = std::fs::remove_file(&path);
    type_file_name(&mut h, &path);
    h.get_by_role_and_label(Role::Button, "Publish explorer")
        .click();
    h.run();
    let html = std::fs::read_to_string(&path).expect("the page is written");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(
        html.contains("const TRAJECTOIRE_MODELS"),
        "the model, as JavaScript"
    );
    // The window's levers are the page's first setting.
    assert!(
        html.contains("99000"),
        "the digital training moved in the window"
    );
}
