//! The Variables tab, for an arrayed variable: the dimensions it runs
//! over (ticked), and the equations of the elements that do not follow
//! the variable's own (`by_element`), each edited and compiled as the
//! variable's own are, added and removed.

use eframe::egui::{self, RichText};

use super::ModelEditor;
use super::variable::Field;
use crate::app::i18n::{Msg, tr};
use crate::app::view::Cx;
use crate::model::def::{ElementEquation, Model, Variable, VariableKind};

impl ModelEditor {
    /// Its dimensions (ticked), then its element equations.
    pub(super) fn arrayed_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, id: &str, v: &Variable) {
        let m = cx.doc.model.model();
        if m.dimensions.is_empty() {
            return;
        }
        let mut dims = v.dimensions.clone();
        ui.horizontal_wrapped(|ui| {
            ui.label(tr(cx.lang, Msg::ArrayedOver));
            for d in &m.dimensions {
                let mut on = dims.contains(&d.id);
                if ui.checkbox(&mut on, &d.id).changed() {
                    if on {
                        dims.push(d.id.clone());
                    } else {
                        dims.retain(|x| x != &d.id);
                    }
                }
            }
        });
        if dims != v.dimensions {
            let mut model = m.clone();
            if let Some(x) = model.variables.iter_mut().find(|x| x.id == id) {
                x.dimensions = dims;
                if x.dimensions.is_empty() {
                    x.by_element.clear();
                }
            }
            self.propose_arrayed(model, format!("dimensions:{id}"), cx);
            return;
        }
        if v.dimensions.is_empty() {
            return;
        }
        ui.label(RichText::new(tr(cx.lang, Msg::ElementEquations)).strong());
        for (k, e) in v.by_element.iter().enumerate() {
            self.element_entry_ui(ui, cx, id, v, k, e);
        }
        if ui.button(tr(cx.lang, Msg::AddElementEquation)).clicked() {
            let mut model = m.clone();
            if let Some(x) = model.variables.iter_mut().find(|x| x.id == id) {
                let entry = new_entry(m, x);
                x.by_element.push(entry);
            }
            self.propose_arrayed(model, format!("add_element:{id}"), cx);
        }
    }

    /// Entry `k`: which elements, their equations, and Remove.
    fn element_entry_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut Cx,
        id: &str,
        v: &Variable,
        k: usize,
        e: &ElementEquation,
    ) {
        ui.group(|ui| {
            self.field_ui(ui, cx, id, Field::Element(k, "at"), e.at.clone());
            let fields: &[(&'static str, &String)] = match &v.kind {
                VariableKind::Aux { .. } => &[("equation", &e.equation)],
                VariableKind::Stock { change, .. } if change.trim().is_empty() => {
                    &[("initial", &e.initial)]
                }
                VariableKind::Stock { .. } => &[("initial", &e.initial), ("change", &e.change)],
                VariableKind::Data { .. } => &[],
            };
            for &(f, text) in fields {
                self.field_ui(ui, cx, id, Field::Element(k, f), text.clone());
            }
            if ui
                .small_button(tr(cx.lang, Msg::RemoveElementEquation))
                .clicked()
            {
                let mut model = cx.doc.model.model().clone();
                if let Some(x) = model.variables.iter_mut().find(|x| x.id == id) {
                    x.by_element.remove(k);
                }
                self.propose_arrayed(model, format!("remove_element:{id}"), cx);
            }
        });
    }

    /// Applies an edit that compiles; says why one does not.
    fn propose_arrayed(&mut self, model: Model, merge: String, cx: &mut Cx) {
        self.refused = super::propose(model, merge, cx.out());
        self.draft = None;
        self.errors = None;
    }
}

/// A new element entry: the first element of the first dimension that no
/// entry names (with the first of each other dimension), with the
/// variable's own equations to start from.
fn new_entry(m: &Model, x: &Variable) -> ElementEquation {
    let elements = |d: &String| {
        let dim = m.dimensions.iter().find(|x| &x.id == d);
        dim.map_or_else(Vec::new, |d| {
            d.elements.iter().map(|e| e.id.clone()).collect()
        })
    };
    let rest: Vec<String> = x.dimensions[1..]
        .iter()
        .map(|d| elements(d).into_iter().next().unwrap_or_else(|| d.clone()))
        .collect();
    let candidates = elements(&x.dimensions[0]).into_iter().map(|e| {
        let mut at = vec![e];
        at.extend(rest.iter().cloned());
        at.join(", ")
    });
    let taken = |at: &String| x.by_element.iter().any(|e| e.at.trim() == at);
    let at = (candidates.clone().find(|at| !taken(at)))
        .or_else(|| candidates.clone().next())
        .unwrap_or_default();
    let (equation, initial, change) = match &x.kind {
        VariableKind::Aux { equation } => (equation.clone(), String::new(), String::new()),
        VariableKind::Stock {
            initial, change, ..
        } => (String::new(), initial.clone(), change.clone()),
        VariableKind::Data { .. } => Default::default(),
    };
    ElementEquation {
        at,
        equation,
        initial,
        change,
    }
}
