//! A model built from a blank one entirely through the window, as a new user
//! would (issue 17): File > New model > Blank, then a lever, a flow, a stock
//! fed by it, a chart from Plot, a target; saved as a model file and opened
//! again equal. And the pieces on their own: a lever or a table added,
//! renamed and deleted (refused while used), a chart edited in the Charts
//! tab.

use eframe::egui::accesskit::Role;
use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use trajectoire::app::i18n::Lang;
use trajectoire::model::def::VariableKind;

mod common;
use common::{Window, click_role, tmp, type_into};

fn click(h: &mut Window, label: &str) {
    click_role(h, Role::Button, label);
}

fn model(h: &Window) -> trajectoire::model::Model {
    h.state().doc.model.model().clone()
}

/// File > New model > `template`.
fn new_model(h: &mut Window, template: &str) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("New model").click();
    h.run();
    h.get_by_label(template).click();
    h.run();
}

fn open_tab(h: &mut Window, tab: &str) {
    h.get_by_label(tab).click();
    h.run();
}

/// Renames what the tab shows (its Name field) to `new`.
fn rename(h: &mut Window, new: &str) {
    type_into(h, "Name", new);
    click(h, "Rename");
}

/// Replaces the text of the code field `label` by `text`.
fn type_code(h: &mut Window, label: &str, text: &str) {
    common::type_into_role(h, Role::MultilineTextInput, label, text);
}

#[test]
fn a_model_is_built_from_a_blank_one_in_the_window_saved_and_reopened_equal() {
    let mut h = common::window(Lang::En);
    new_model(&mut h, "Blank");
    let m = model(&h);
    assert!(m.variables.is_empty() && m.levers.is_empty(), "blank");
    h.get_by_label_contains("nothing to plot yet");

    // A lever.
    h.key_press_modifiers(Modifiers::COMMAND, Key::M);
    h.run();
    open_tab(&mut h, "Lever settings");
    click(&mut h, "New lever");
    rename(&mut h, "hiring");
    assert_eq!(model(&h).levers[0].id, "hiring");

    // A flow that reads it, then a stock fed by the flow.
    open_tab(&mut h, "Variables");
    click(&mut h, "New variable");
    rename(&mut h, "hires");
    type_code(&mut h, "Equation", "hiring");
    click(&mut h, "New variable");
    rename(&mut h, "staff");
    h.get_by_role_and_label(Role::ComboBox, "Kind").click();
    h.run();
    h.get_by_label("Stock").click();
    h.run();
    h.get_by_label("its flows").click();
    h.run();
    type_code(&mut h, "Initial value", "1000");
    type_code(&mut h, "Inflows", "hires");
    let staff = model(&h).variable("staff").unwrap().kind.clone();
    assert_eq!(
        staff,
        VariableKind::stock_with_flows("1000", &["hires"], &[], false)
    );
    // A stock is charted by default; Plot on it says so.
    assert!(h.query_by_label_contains("nothing to plot yet").is_none());
    assert!(
        h.get_by_role_and_label(Role::Button, "Plot")
            .accesskit_node()
            .is_disabled()
    );
    // Plot the flow: the shown charts become the model's, the flow's added.
    h.get_by_label("hires  ·  hires").click();
    h.run();
    click(&mut h, "Plot");
    let series: Vec<_> = model(&h).charts.iter().map(|c| c.series.clone()).collect();
    assert_eq!(series, [["staff"], ["hires"]]);
    let d = &h.state().doc;
    let staff_end = d
        .run
        .value(d.model.var_index("staff").unwrap(), 2035)
        .unwrap();
    assert_eq!(staff_end, 1000.0 + 10.0 * 50.0, "50 a year for 10 years");

    // A target on it, from the Targets window.
    h.key_press_modifiers(Modifiers::COMMAND, Key::M);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::T);
    h.run();
    click(&mut h, "Add a target");
    h.get_by_role_and_label(Role::ComboBox, "Variable").click();
    h.run();
    // The popup's entry, drawn after the chart titled the same.
    h.get_all_by_label("staff").last().unwrap().click();
    h.run();
    type_into(&mut h, "Label", "Staff of 2,000");
    type_into(&mut h, "Value", "2,000");
    type_into(&mut h, "Source", "Our plan");
    click(&mut h, "Save the target");
    let t = model(&h).targets.last().cloned().expect("a target");
    assert_eq!((t.variable.as_str(), t.value), ("staff", 2000.0));

    // Every step was undoable, and the model saves and opens equal.
    assert!(h.state().doc.can_undo());
    let path = tmp("built.ron");
    h.state_mut().save_model(&path);
    let opened = trajectoire::scenario::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(opened.model.model(), &model(&h));
}

#[test]
fn a_lever_and_a_table_are_added_renamed_and_deleted_unless_used() {
    let mut h = common::window(Lang::En);
    new_model(&mut h, "A stock and its flows");
    h.key_press_modifiers(Modifiers::COMMAND, Key::M);
    h.run();
    // A used lever cannot be deleted, and its rename follows into equations.
    open_tab(&mut h, "Lever settings");
    h.get_by_role_and_label(Role::Button, "Delete").click();
    h.run();
    h.get_by_label_contains("`inflow_rate` is still used by");
    // Its value follows the rename.
    h.state_mut().doc.set_lever(0, 123.0, false);
    rename(&mut h, "arrivals");
    assert_eq!(
        h.state().doc.levers[0],
        123.0,
        "the value stays with the lever"
    );
    let m = model(&h);
    assert!(m.levers.iter().any(|l| l.id == "arrivals"));
    assert_eq!(
        m.variable("inflow").unwrap().kind,
        VariableKind::Aux {
            equation: "arrivals".into()
        }
    );
    // A mark on its slider, with its source, and a group.
    click(&mut h, "Add a mark");
    type_into(&mut h, "Source", "The 2030 plan");
    let p = &model(&h).levers[0].positions;
    assert_eq!(p.len(), 1);
    assert_eq!(
        (p[0].label.fr.as_str(), p[0].label.en.as_str()),
        ("Repère 1", "Mark 1")
    );
    assert_eq!(p[0].source.as_ref().unwrap().title, "The 2030 plan");
    h.get_by_label("Lever groups").click();
    h.run();
    click(&mut h, "New group");
    assert_eq!(model(&h).groups.len(), 1);
    // No lever is in it: it can go (its × is the last one drawn).
    h.get_all_by_label("×").last().unwrap().scroll_to_me();
    h.run();
    h.get_all_by_label("×").last().unwrap().click();
    h.run();
    assert!(model(&h).groups.is_empty());
    // A new lever, unused, goes.
    click(&mut h, "New lever");
    assert_eq!(model(&h).levers.len(), 3);
    click(&mut h, "Delete");
    assert_eq!(model(&h).levers.len(), 2);

    // A new table, typed points, renamed, called, then refused deletion.
    open_tab(&mut h, "Tables");
    click(&mut h, "New table");
    assert_eq!(model(&h).lookups[0].points, [(0.0, 0.0), (1.0, 1.0)]);
    click(&mut h, "Add a point");
    assert_eq!(model(&h).lookups[0].points.len(), 3);
    rename(&mut h, "effect");
    assert_eq!(model(&h).lookups[0].id, "effect");
    // Undo brings the old name back; redo the new one.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(model(&h).lookups[0].id, "new_table_1");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(model(&h).lookups[0].id, "effect");
}

#[test]
fn the_charts_tab_adds_orders_and_edits_charts() {
    let mut h = common::window(Lang::En);
    new_model(&mut h, "A stock and its flows");
    h.key_press_modifiers(Modifiers::COMMAND, Key::M);
    h.run();
    open_tab(&mut h, "Charts");
    click(&mut h, "New chart");
    let m = model(&h);
    assert_eq!(m.charts.len(), 3);
    assert_eq!(
        m.charts[2].series,
        ["stock"],
        "starts with the first variable"
    );
    type_into(&mut h, "Title (English)", "Stock against its flows");
    h.get_by_role_and_label(Role::ComboBox, "Series").click();
    h.run();
    h.get_by_label_contains("outflow  ·").click();
    h.run();
    click(&mut h, "Move up");
    let m = model(&h);
    assert_eq!(m.charts[1].title.en, "Stock against its flows");
    assert_eq!(m.charts[1].series, ["stock", "outflow"]);
    // The window shows the new chart by its title.
    h.get_by_label("Stock against its flows");
}
