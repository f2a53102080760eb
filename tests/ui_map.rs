//! The model map driven headless (issue 17): it opens on the default model
//! with its feedback loops listed, a loop clicked is shown and named (the
//! name kept in the model), a node dragged stays where it is dropped (every
//! place kept in the model, one undo step), a node double-clicked is
//! plotted.

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use trajectoire::app::i18n::Lang;
use trajectoire::model::structure::LoopPolarity;

mod common;
use common::{Window, type_into};

fn map(lang: Lang) -> Window {
    let mut h = common::window_sized(lang, [1600.0, 1000.0]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run();
    h
}

#[test]
fn the_map_lists_the_default_model_s_loops_and_names_one() {
    let mut h = map(Lang::En);
    let loops = h.state().tools.map.loops();
    assert!(!loops.is_empty(), "the default model has feedback loops");
    assert!(loops.iter().any(|(_, p)| *p == LoopPolarity::Balancing));
    h.get_by_label(&format!("Feedback loops: {}", loops.len()));
    // The first loop, clicked, is shown and takes a name.
    let first = h
        .get_all_by_label_contains("balancing")
        .next()
        .expect("a balancing loop in the list")
        .accesskit_node()
        .label()
        .unwrap_or_default();
    h.get_by_label(&first).click();
    h.run();
    let key = h.state().tools.map.loop_key.clone().expect("a loop shown");
    type_into(&mut h, "Loop name", "Jobs limit themselves");
    let names = &h.state().doc.model.model().map.loop_names;
    assert_eq!(names.len(), 1);
    assert_eq!(
        (names[0].key.as_str(), names[0].name.en.as_str()),
        (key.as_str(), "Jobs limit themselves")
    );
    h.get_by_label_contains("Jobs limit themselves");
}

#[test]
fn a_node_dragged_stays_where_it_is_dropped_and_a_double_click_plots() {
    let mut h = map(Lang::En);
    // The whole map in view.
    h.get_by_label("Fit").click();
    h.run();
    let at = h
        .state()
        .tools
        .map
        .node_on_screen("jobs")
        .expect("jobs is on the map");
    h.drag_at(at);
    h.run();
    for k in 1..=4 {
        h.hover_at(at + eframe::egui::vec2(10.0 * k as f32, 5.0 * k as f32));
        h.run();
    }
    h.drop_at(at + eframe::egui::vec2(40.0, 20.0));
    h.run();
    let m = h.state().doc.model.model().clone();
    let places = &m.map.places;
    assert_eq!(
        places.len(),
        m.levers.len() + m.variables.len(),
        "every node kept"
    );
    let now = h.state().tools.map.node_on_screen("jobs").unwrap();
    assert!(
        (now - at - eframe::egui::vec2(40.0, 20.0)).length() < 1.0,
        "{at:?} -> {now:?}"
    );
    // One undo step puts the map back as it was laid out.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.state().doc.model.model().map.places.is_empty());

    // A flow not charted yet, double-clicked, gets a chart.
    let id = "gross_job_creation";
    let before = h.state().doc.model.charts().len();
    let p = h.state().tools.map.node_on_screen(id).expect("on the map");
    // A click shows it beside the map.
    h.drag_at(p);
    h.run();
    h.drop_at(p);
    h.run();
    h.get_by_label(id);
    // Edit… opens the model editor on it.
    h.get_by_label("Edit…").click();
    h.run();
    let name = h.get_by_role_and_label(eframe::egui::accesskit::Role::TextInput, "Name");
    assert_eq!(name.accesskit_node().value().as_deref(), Some(id));
    h.key_press_modifiers(Modifiers::COMMAND, Key::M);
    h.run();
    // Both clicks in one frame: the harness gives each queued event a
    // frame of its own, a quarter of a second, longer than a double-click.
    for pressed in [true, false, true, false] {
        h.input_mut()
            .events
            .push(eframe::egui::Event::PointerButton {
                pos: p,
                button: eframe::egui::PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
    }
    h.run();
    let charts = h.state().doc.model.charts();
    assert_eq!(charts.len(), before + 1);
    assert_eq!(charts.last().unwrap().series, [id]);
}

#[test]
fn a_deck_step_added_with_the_map_open_shows_the_map_and_its_loop() {
    use trajectoire::app::tools::Tool;
    use trajectoire::deck::MapStep;
    let mut h = map(Lang::En);
    let (key, _) = h.state().tools.map.loops()[0].clone();
    h.state_mut().tools.map.loop_key = Some(key.clone());
    h.state_mut().tools.set_open(Tool::Deck, true);
    h.run();
    h.get_by_label("New deck").click();
    h.run();
    let step = h.state().tools.deck.deck.as_ref().unwrap().deck.steps[0].clone();
    assert_eq!(
        step.map,
        Some(MapStep {
            loop_key: Some(key.clone())
        })
    );
    // The Deck window's box says so, and takes it off.
    h.get_by_label("Show the model map instead of the charts")
        .click();
    h.run();
    let off = h.state().tools.deck.deck.as_ref().unwrap().deck.steps[0]
        .map
        .clone();
    assert_eq!(off, None);
    h.get_by_label("Show the model map instead of the charts")
        .click();
    h.run();
    let on = h.state().tools.deck.deck.as_ref().unwrap().deck.steps[0]
        .map
        .clone();
    assert_eq!(on, Some(MapStep::default()), "the whole map");
    // The step travels in the deck file.
    let text = trajectoire::io::ron::pretty_ron(&step);
    assert!(text.contains(&key), "{text}");
    // Presenting it draws the map, framed on the loop, without a chart.
    h.key_press(Key::F5);
    h.run();
    assert!(h.state().presenter.is_some());
    assert!(
        h.query_by_label("Direct jobs").is_none(),
        "no chart on a map step"
    );
}

#[test]
fn a_node_selected_then_undone_away_leaves_the_map_standing() {
    let mut h = map(Lang::En);
    h.get_by_label("Fit").click();
    h.run();
    // A variable added, then selected on the map, then undone.
    let mut m = h.state().doc.model.model().clone();
    let mut v = m.variables[0].clone();
    v.id = "zz_extra".into();
    v.kind = trajectoire::model::def::VariableKind::Aux {
        equation: "jobs * 2".into(),
    };
    m.variables.push(v);
    h.state_mut().doc.set_model(m).unwrap();
    h.run();
    let p = h
        .state()
        .tools
        .map
        .node_on_screen("zz_extra")
        .expect("drawn");
    h.drag_at(p);
    h.run();
    h.drop_at(p);
    h.run();
    h.get_by_label("zz_extra");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.state().tools.map.node_on_screen("zz_extra").is_none());
    assert!(
        h.query_by_label("zz_extra").is_none(),
        "nothing selected any more"
    );
}
