//! A lever's positions (the marks on its slider: a plan, a past value, each
//! with its source) and the model's lever groups, in the Levers tab.

use eframe::egui;

use crate::app::i18n::{Lang, Msg, tr};
use crate::model::def::{Group, Lever, Position, Source};

/// The positions of `l`: label, value and source of each, removed one by
/// one, and one more added at the lever's default.
pub fn positions_ui(ui: &mut egui::Ui, lang: Lang, l: &mut Lever) {
    ui.label(tr(lang, Msg::PositionsField));
    let mut remove = None;
    egui::Grid::new("editor-lever-positions")
        .num_columns(4)
        .show(ui, |ui| {
            let name = ui.label(tr(lang, Msg::LabelField)).id;
            let value = ui.label(tr(lang, Msg::ValueField)).id;
            let source = ui.label(tr(lang, Msg::Source)).id;
            ui.end_row();
            for (k, p) in l.positions.iter_mut().enumerate() {
                ui.add_sized(
                    [160.0, 20.0],
                    egui::TextEdit::singleline(p.label.get_mut(lang)),
                )
                .labelled_by(name);
                ui.add(egui::DragValue::new(&mut p.value).speed(0.1))
                    .labelled_by(value);
                let s = p.source.get_or_insert_with(Source::default);
                ui.add_sized([220.0, 20.0], egui::TextEdit::singleline(&mut s.title))
                    .labelled_by(source);
                if s.title.is_empty() && s.date.is_empty() && s.url.is_none() {
                    p.source = None;
                }
                if ui
                    .small_button("×")
                    .on_hover_text(tr(lang, Msg::RemovePosition))
                    .clicked()
                {
                    remove = Some(k);
                }
                ui.end_row();
            }
        });
    if let Some(k) = remove {
        l.positions.remove(k);
    }
    if ui.button(tr(lang, Msg::AddPosition)).clicked() {
        let n = l.positions.len() + 1;
        l.positions.push(Position {
            label: crate::model::Text::new(mark(Lang::Fr, n), mark(Lang::En, n)),
            value: l.default,
            source: None,
            at: None,
        });
    }
}

/// The model's lever groups: each one's labels in both languages, a new
/// one, and removing one no lever is in.
pub fn groups_ui(ui: &mut egui::Ui, lang: Lang, groups: &mut Vec<Group>, levers: &[Lever]) {
    let mut remove = None;
    egui::CollapsingHeader::new(tr(lang, Msg::GroupsField))
        .id_salt("editor-groups")
        .show(ui, |ui| {
            egui::Grid::new("editor-groups-grid")
                .num_columns(4)
                .show(ui, |ui| {
                    ui.label("");
                    let fr = ui.label(tr(lang, Msg::LabelFr)).id;
                    let en = ui.label(tr(lang, Msg::LabelEn)).id;
                    ui.end_row();
                    for (k, g) in groups.iter_mut().enumerate() {
                        ui.label(&g.id);
                        ui.add_sized([180.0, 20.0], egui::TextEdit::singleline(&mut g.label.fr))
                            .labelled_by(fr);
                        ui.add_sized([180.0, 20.0], egui::TextEdit::singleline(&mut g.label.en))
                            .labelled_by(en);
                        let free = levers.iter().all(|l| l.group != g.id);
                        let b = ui
                            .add_enabled(free, egui::Button::new("×").small())
                            .on_hover_text(tr(lang, Msg::RemoveGroup))
                            .on_disabled_hover_text(tr(lang, Msg::GroupInUse));
                        if b.clicked() {
                            remove = Some(k);
                        }
                        ui.end_row();
                    }
                });
            if ui.button(tr(lang, Msg::NewGroup)).clicked() {
                let id = (1..)
                    .map(|k| format!("group_{k}"))
                    .find(|id| groups.iter().all(|g| &g.id != id))
                    .unwrap_or_default();
                groups.push(Group {
                    label: crate::model::Text::new(id.clone(), id.clone()),
                    id,
                });
            }
        });
    if let Some(k) = remove {
        groups.remove(k);
    }
}

/// A new mark's label in `lang`.
fn mark(lang: Lang, n: usize) -> String {
    tr(lang, Msg::NewMark).replace("{n}", &n.to_string())
}
