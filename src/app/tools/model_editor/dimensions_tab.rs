//! The Dimensions tab: a dimension's elements, added, renamed and removed
//! (`model::dimensions`: every arrayed variable, equation, observation and
//! target follows), and their labels.

use std::collections::HashMap;

use eframe::egui;

use super::propose;
use crate::app::i18n::{Msg, tr};
use crate::app::theme;
use crate::app::view::Cx;
use crate::model::Text;
use crate::model::def::Model;
use crate::model::dimensions::{add_element, remove_element, rename_element};

#[derive(Default)]
pub struct DimensionsTab {
    selected: usize,
    /// New ids typed for elements, by element id.
    renames: HashMap<String, String>,
    new_element: String,
    refused: Option<String>,
}

impl DimensionsTab {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (lang, dark) = (cx.lang, cx.dark);
        let doc = cx.doc;
        let m = doc.model.model();
        let roots: Vec<usize> = (0..m.dimensions.len())
            .filter(|&d| m.dimensions[d].subrange_of.is_none())
            .collect();
        if roots.is_empty() {
            ui.weak(tr(lang, Msg::NoDimensions));
            return;
        }
        self.selected = self.selected.min(roots.len() - 1);
        let lab = ui.label(tr(lang, Msg::DimensionField));
        egui::ComboBox::from_id_salt("editor-dimension")
            .selected_text(&m.dimensions[roots[self.selected]].id)
            .show_ui(ui, |ui| {
                for (k, &d) in roots.iter().enumerate() {
                    ui.selectable_value(&mut self.selected, k, &m.dimensions[d].id);
                }
            })
            .response
            .labelled_by(lab.id);
        let d = roots[self.selected];
        let parts: Vec<&str> = m
            .dimensions
            .iter()
            .filter(|x| x.subrange_of.as_deref() == Some(&m.dimensions[d].id))
            .map(|x| x.id.as_str())
            .collect();
        if !parts.is_empty() {
            ui.weak(format!(
                "{} {}",
                tr(lang, Msg::DimensionParts),
                parts.join(", ")
            ));
        }
        self.elements_ui(ui, cx, m, d);
        self.add_ui(ui, cx, m, d);
        if let Some(r) = &self.refused {
            ui.colored_label(theme::bad(dark), r);
        }
    }

    /// One row per element: its label, a new id and Rename, Remove.
    fn elements_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, m: &Model, d: usize) {
        let lang = cx.lang;
        let dim = &m.dimensions[d];
        let mut edited: Option<(Result<Model, String>, String)> = None;
        egui::Grid::new("editor-elements")
            .num_columns(5)
            .striped(true)
            .show(ui, |ui| {
                ui.strong(tr(lang, Msg::ElementField));
                ui.strong(tr(lang, Msg::LabelField));
                let new_id = ui.strong(tr(lang, Msg::NewElementId));
                ui.end_row();
                for (k, e) in dim.elements.iter().enumerate() {
                    let lab = ui.label(&e.id);
                    let mut label = e.label.get(lang).to_string();
                    let field = egui::TextEdit::singleline(&mut label);
                    if ui
                        .add_sized([240.0, 20.0], field)
                        .labelled_by(lab.id)
                        .changed()
                    {
                        let mut out = m.clone();
                        *out.dimensions[d].elements[k].label.get_mut(lang) = label;
                        edited = Some((Ok(out), format!("element-label:{}:{k}", dim.id)));
                    }
                    let new = self
                        .renames
                        .entry(e.id.clone())
                        .or_insert_with(|| e.id.clone());
                    let field = egui::TextEdit::singleline(new);
                    ui.add_sized([110.0, 20.0], field).labelled_by(new_id.id);
                    let key = |what: &str| format!("{what}:{}:{}", dim.id, e.id);
                    if ui.button(tr(lang, Msg::Rename)).clicked() {
                        let out = rename_element(m, &dim.id, &e.id, new.trim());
                        edited = Some((out.map_err(|x| x.text(lang)), key("rename")));
                    }
                    if ui.button(tr(lang, Msg::Delete)).clicked() {
                        let out = remove_element(m, &dim.id, &e.id);
                        edited = Some((out.map_err(|x| x.text(lang)), key("remove")));
                    }
                    ui.end_row();
                }
            });
        if let Some((out, merge)) = edited {
            self.apply(cx, out, merge);
        }
    }

    /// A new element at the end: it starts from the last one's numbers.
    fn add_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, m: &Model, d: usize) {
        let lang = cx.lang;
        let dim = &m.dimensions[d];
        let mut out = None;
        ui.horizontal(|ui| {
            let lab = ui.label(tr(lang, Msg::NewElement));
            ui.add(egui::TextEdit::singleline(&mut self.new_element).desired_width(120.0))
                .labelled_by(lab.id);
            if ui.button(tr(lang, Msg::AddElement)).clicked() {
                let id = self.new_element.trim().to_string();
                let label = Text::new(id.clone(), id.clone());
                out = Some(add_element(m, &dim.id, &id, label).map_err(|x| x.text(lang)));
            }
        });
        if let Some(out) = out {
            if out.is_ok() {
                self.new_element.clear();
            }
            let merge = format!("add:{}:{}", dim.id, self.new_element);
            self.apply(cx, out, merge);
        }
    }

    /// Sends an edit that compiles (one undo step); else says why.
    fn apply(&mut self, cx: &mut Cx, out: Result<Model, String>, merge: String) {
        self.renames.clear();
        self.refused = match out {
            Ok(model) => propose(model, merge, cx.out()),
            Err(e) => Some(e),
        };
    }
}
