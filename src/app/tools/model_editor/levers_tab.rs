//! The Levers tab: new levers, and each lever's name, group, range,
//! default, step, labels and uncertainty.

use eframe::egui;

use super::naming::{NameEdit, NameRow};
use crate::app::command::Command;
use crate::app::i18n::{Msg, tr};
use crate::app::theme;
use crate::app::view::Cx;
use crate::model::def::Distribution;

#[derive(Default)]
pub struct LeversTab {
    selected: usize,
    error: Option<String>,
    name: NameRow,
}

impl LeversTab {
    pub fn select(&mut self, lever: usize) {
        self.selected = lever;
        self.error = None;
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (doc, lang, dark) = (cx.doc, cx.lang, cx.dark);
        let m = doc.model.model();
        if ui.button(tr(lang, Msg::NewLever)).clicked() {
            let mut model = m.clone();
            model.levers.push(new_lever(m));
            self.selected = model.levers.len() - 1;
            cx.send(Command::EditModel {
                model: Box::new(model),
                merge: None,
            });
            return;
        }
        if m.levers.is_empty() {
            ui.weak(tr(lang, Msg::NoLevers));
            return;
        }
        self.selected = self.selected.min(m.levers.len() - 1);
        let i = self.selected;
        let lab = ui.label(tr(lang, Msg::Lever));
        egui::ComboBox::from_id_salt("editor-lever")
            .selected_text(m.levers[i].label.get(lang))
            .width(320.0)
            .show_ui(ui, |ui| {
                for (k, l) in m.levers.iter().enumerate() {
                    if ui
                        .selectable_value(&mut self.selected, k, l.label.get(lang))
                        .changed()
                    {
                        self.error = None;
                    }
                }
            })
            .response
            .labelled_by(lab.id);
        let id = m.levers[i].id.clone();
        if let Some(NameEdit::Deleted) = self.name.ui(ui, cx, &id) {
            self.selected = i.saturating_sub(1);
            return;
        }
        let mut l = m.levers[i].clone();
        let before = l.clone();
        egui::Grid::new("editor-lever-grid")
            .num_columns(2)
            .show(ui, |ui| {
                group_ui(ui, lang, m, &mut l);
                let lab = ui.label(tr(lang, Msg::LabelField));
                ui.add(egui::TextEdit::singleline(l.label.get_mut(lang)).desired_width(300.0))
                    .labelled_by(lab.id);
                ui.end_row();
                let lab = ui.label(tr(lang, Msg::Unit));
                ui.add(egui::TextEdit::singleline(l.unit.get_mut(lang)).desired_width(160.0))
                    .labelled_by(lab.id);
                ui.end_row();
                let lab = ui.label(tr(lang, Msg::UnitExprField));
                ui.add(egui::TextEdit::singleline(&mut l.unit_expr).desired_width(160.0))
                    .labelled_by(lab.id)
                    .on_hover_text(tr(lang, Msg::UnitExprTip));
                ui.end_row();
                for (msg, x) in [
                    (Msg::Minimum, &mut l.min),
                    (Msg::Maximum, &mut l.max),
                    (Msg::DefaultMark, &mut l.default),
                    (Msg::StepField, &mut l.step),
                ] {
                    let lab = ui.label(tr(lang, msg));
                    ui.add(egui::DragValue::new(x).speed(0.1))
                        .labelled_by(lab.id);
                    ui.end_row();
                }
                uncertainty_ui(ui, lang, &mut l);
                arrayed_ui(ui, lang, m, &mut l);
            });
        super::positions::positions_ui(ui, lang, &mut l);
        ui.separator();
        let mut groups = m.groups.clone();
        super::positions::groups_ui(ui, lang, &mut groups, &m.levers);
        if l != before || groups != m.groups {
            // A mark or a group added or removed is an undo step of its own.
            let same =
                l.positions.len() == before.positions.len() && groups.len() == m.groups.len();
            let merge = same.then(|| format!("lever:{i}"));
            let mut model = m.clone();
            model.levers[i] = l;
            model.groups = groups;
            self.error = super::propose_as(model, merge, cx.out());
        }
        if let Some(e) = &self.error {
            ui.colored_label(theme::bad(dark), e);
        }
        let id = &m.levers[i].id;
        let mine = doc
            .model
            .warnings()
            .iter()
            .filter(|w| matches!(&w.error.item, crate::model::Item::Lever(x) if x == id));
        for w in mine {
            ui.colored_label(theme::warn(dark), w.text(lang));
        }
    }
}

/// A lever named `new_lever_k`, from 0 to 100 by 1, at 50, in the first
/// group: the user sets the rest.
fn new_lever(m: &crate::model::Model) -> crate::model::def::Lever {
    let id = crate::model::edit::free_name(m, "new_lever");
    crate::model::def::Lever {
        group: m.groups.first().map(|g| g.id.clone()).unwrap_or_default(),
        ..crate::model::def::Lever::new(&id, 0.0, 100.0, 50.0, 1.0)
    }
}

/// The lever's group, among the model's, as a grid row.
fn group_ui(
    ui: &mut egui::Ui,
    lang: crate::app::i18n::Lang,
    m: &crate::model::Model,
    l: &mut crate::model::def::Lever,
) {
    if m.groups.is_empty() {
        return;
    }
    let lab = ui.label(tr(lang, Msg::GroupField));
    let name = |id: &str| {
        m.groups
            .iter()
            .find(|g| g.id == id)
            .map_or(id.to_string(), |g| g.label.get(lang).to_string())
    };
    egui::ComboBox::from_id_salt("editor-lever-group")
        .selected_text(name(&l.group))
        .show_ui(ui, |ui| {
            for g in &m.groups {
                ui.selectable_value(&mut l.group, g.id.clone(), g.label.get(lang));
            }
        })
        .response
        .labelled_by(lab.id);
    ui.end_row();
}

/// The dimensions the lever is arrayed over (ticked), and the defaults of
/// the elements that have their own, as grid rows.
fn arrayed_ui(
    ui: &mut egui::Ui,
    lang: crate::app::i18n::Lang,
    m: &crate::model::Model,
    l: &mut crate::model::def::Lever,
) {
    if m.dimensions.is_empty() {
        return;
    }
    ui.label(tr(lang, Msg::ArrayedOver));
    ui.horizontal_wrapped(|ui| {
        for d in &m.dimensions {
            let mut on = l.dimensions.contains(&d.id);
            if ui.checkbox(&mut on, &d.id).changed() {
                if on {
                    l.dimensions.push(d.id.clone());
                } else {
                    l.dimensions.retain(|x| x != &d.id);
                }
            }
        }
    });
    ui.end_row();
    if l.dimensions.is_empty() {
        l.by_element.clear();
    }
    for e in &mut l.by_element {
        let lab = ui.label(format!("{} [{}]", tr(lang, Msg::DefaultMark), e.at));
        ui.add(egui::DragValue::new(&mut e.default).speed(0.1))
            .labelled_by(lab.id);
        ui.end_row();
    }
}

/// The lever's uncertainty: its shape (none, normal, lognormal, triangular,
/// uniform) and the shape's parameters, as grid rows.
fn uncertainty_ui(
    ui: &mut egui::Ui,
    lang: crate::app::i18n::Lang,
    l: &mut crate::model::def::Lever,
) {
    let lab = ui.label(tr(lang, Msg::Uncertainty));
    let kind = |d: &Option<Distribution>| match d {
        None => 0,
        Some(Distribution::Normal { .. }) => 1,
        Some(Distribution::LogNormal { .. }) => 2,
        Some(Distribution::Triangular { .. }) => 3,
        Some(Distribution::Uniform { .. }) => 4,
    };
    let names = [
        tr(lang, Msg::NoneWord),
        tr(lang, Msg::Normal),
        tr(lang, Msg::LogNormal),
        tr(lang, Msg::Triangular),
        tr(lang, Msg::Uniform),
    ];
    let mut k = kind(&l.uncertainty);
    egui::ComboBox::from_id_salt("editor-dist")
        .selected_text(names[k])
        .show_ui(ui, |ui| {
            for (j, n) in names.iter().enumerate() {
                ui.selectable_value(&mut k, j, *n);
            }
        })
        .response
        .labelled_by(lab.id);
    ui.end_row();
    if k != kind(&l.uncertainty) {
        // A new shape starts around the default, a tenth of the range wide.
        let (d, w) = (l.default, (l.max - l.min) / 10.0);
        l.uncertainty = match k {
            1 => Some(Distribution::Normal {
                mean: d,
                sd: w.max(1e-9),
                lo: Some(l.min),
                hi: Some(l.max),
            }),
            2 => Some(Distribution::LogNormal {
                median: d.max(1e-9),
                sigma: 0.1,
                lo: None,
                hi: None,
            }),
            3 => Some(Distribution::Triangular {
                lo: (d - w).max(l.min),
                mode: d,
                hi: (d + w).min(l.max),
            }),
            4 => Some(Distribution::Uniform {
                lo: (d - w).max(l.min),
                hi: (d + w).min(l.max),
            }),
            _ => None,
        };
    }
    let params: Vec<(Msg, &mut f64)> = match &mut l.uncertainty {
        Some(Distribution::Normal { mean, sd, .. }) => {
            vec![(Msg::Mean, mean), (Msg::Sd, sd)]
        }
        Some(Distribution::LogNormal { median, sigma, .. }) => {
            vec![(Msg::Median, median), (Msg::Sigma, sigma)]
        }
        Some(Distribution::Triangular { lo, mode, hi }) => {
            vec![(Msg::Low, lo), (Msg::Mode, mode), (Msg::High, hi)]
        }
        Some(Distribution::Uniform { lo, hi }) => vec![(Msg::Low, lo), (Msg::High, hi)],
        None => Vec::new(),
    };
    for (msg, x) in params {
        let lab = ui.label(tr(lang, msg));
        ui.add(egui::DragValue::new(x).speed(0.01))
            .labelled_by(lab.id);
        ui.end_row();
    }
}
