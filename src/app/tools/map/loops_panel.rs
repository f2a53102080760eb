//! Beside the map: the node clicked (its name, value and Plot), and every
//! feedback loop with its polarity; a loop clicked is highlighted on the
//! map and can be given a name, kept in the model file by the loop's key.

use eframe::egui;

use super::Structure;
use crate::app::command::Command;
use crate::app::i18n::{Msg, tr};
use crate::app::view::Cx;
use crate::model::def::LoopName;
use crate::model::structure::{Loop, LoopPolarity};

/// The name being typed for the loop shown.
#[derive(Default)]
pub struct NameField {
    key: String,
    text: String,
    /// The model's name for the loop when `text` was last set from it: a
    /// change there (an undo) replaces what the field shows.
    synced: String,
}

pub fn ui(
    ui: &mut egui::Ui,
    cx: &mut Cx,
    s: &Structure,
    loop_key: &mut Option<String>,
    field: &mut NameField,
    selected: Option<usize>,
) {
    let lang = cx.lang;
    if let Some(i) = selected {
        node_ui(ui, cx, s, i);
        ui.separator();
    }
    let n = s.loops.loops.len();
    let head = tr(lang, Msg::LoopsCount).replace("{n}", &n.to_string());
    ui.strong(head);
    if s.loops.partial {
        ui.weak(tr(lang, Msg::LoopsPartial));
    }
    if n == 0 {
        ui.weak(tr(lang, Msg::NoLoops));
    }
    egui::ScrollArea::vertical()
        .id_salt("map-loops")
        .max_height(ui.available_height() - 90.0)
        .show(ui, |ui| {
            for l in &s.loops.loops {
                let on = loop_key.as_deref() == Some(l.key.as_str());
                let name = name_of(cx, s, l);
                let text = format!("{name}  ·  {}", polarity_word(lang, l.polarity));
                let r = ui.selectable_label(on, text).on_hover_text(&l.name);
                if r.clicked() {
                    *loop_key = if on { None } else { Some(l.key.clone()) };
                }
            }
        });
    if let Some(l) = loop_key.as_deref().and_then(|k| s.loops.by_key(k)) {
        ui.separator();
        ui.label(l.describe(&s.graph, lang));
        name_ui(ui, cx, s, l, field);
    }
}

/// The loop's name: the user's where given, else its path in labels.
fn name_of(cx: &Cx, s: &Structure, l: &Loop) -> String {
    cx.doc
        .model
        .model()
        .map
        .loop_names
        .iter()
        .find(|n| n.key == l.key)
        .map(|n| n.name.get(cx.lang).to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| l.describe(&s.graph, cx.lang))
}

fn polarity_word(lang: crate::app::i18n::Lang, p: LoopPolarity) -> &'static str {
    tr(
        lang,
        match p {
            LoopPolarity::Reinforcing => Msg::Reinforcing,
            LoopPolarity::Balancing => Msg::Balancing,
            LoopPolarity::Undetermined => Msg::Undetermined,
        },
    )
}

/// The loop's name, typed in the window's language (one undo step per
/// typing); emptied, the default name comes back.
fn name_ui(ui: &mut egui::Ui, cx: &mut Cx, s: &Structure, l: &Loop, field: &mut NameField) {
    let current = name_of(cx, s, l);
    if field.key != l.key || field.synced != current {
        field.key.clone_from(&l.key);
        field.text.clone_from(&current);
        field.synced = current;
    }
    let lab = ui.label(tr(cx.lang, Msg::LoopName));
    let r = ui
        .add(egui::TextEdit::singleline(&mut field.text).desired_width(f32::INFINITY))
        .labelled_by(lab.id);
    if !r.changed() {
        return;
    }
    let mut model = cx.doc.model.model().clone();
    let names = &mut model.map.loop_names;
    let k = names
        .iter()
        .position(|n| n.key == l.key)
        .unwrap_or_else(|| {
            names.push(LoopName {
                key: l.key.clone(),
                name: Default::default(),
            });
            names.len() - 1
        });
    *names[k].name.get_mut(cx.lang) = field.text.clone();
    if names[k].name.fr.is_empty() && names[k].name.en.is_empty() {
        names.remove(k);
    }
    cx.send(Command::EditModel {
        model: Box::new(model),
        merge: Some(format!("loop-name:{}", l.key)),
    });
}

/// The node clicked: its name, value and kind, and Plot.
fn node_ui(ui: &mut egui::Ui, cx: &mut Cx, s: &Structure, i: usize) {
    let node = &s.graph.nodes[i];
    ui.strong(node.name(cx.lang));
    ui.weak(&node.id);
    ui.horizontal(|ui| {
        if ui.button(tr(cx.lang, Msg::EditInEditor)).clicked() {
            cx.send(Command::EditItem(node.id.clone()));
        }
        if node.kind != crate::model::structure::NodeKind::Lever {
            crate::app::tools::model_editor::plot_button(ui, cx, &node.id);
        }
    });
}
