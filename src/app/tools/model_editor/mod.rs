//! The model editor: variables (rename with every reference updated, delete
//! only when unused, labels and units), equations compiled on every
//! keystroke with the error underlined where it is and name completion, and
//! a dependency view to follow causes through the model. While an edit is
//! invalid the last valid model keeps running.

use eframe::egui;

mod arrayed;
mod charts_tab;
mod dimensions_tab;
mod highlight;
mod levers_tab;
mod lookups_tab;
mod naming;
mod observations_tab;
mod positions;
mod time_tab;
mod variable;

pub use charts_tab::{plot, plot_button};

use super::ToolWindow;
use crate::app::command::Command;
use crate::app::i18n::Msg;
use crate::app::view::Cx;
use crate::model::ModelErrors;
use crate::model::def::{Model, VariableKind};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Tab {
    #[default]
    Variables,
    Levers,
    Observations,
    Lookups,
    Charts,
    Dimensions,
    Time,
}

#[derive(Default)]
pub struct ModelEditor {
    tab: Tab,
    levers_tab: levers_tab::LeversTab,
    observations_tab: observations_tab::ObservationsTab,
    lookups_tab: lookups_tab::LookupsTab,
    charts_tab: charts_tab::ChartsTab,
    dimensions_tab: dimensions_tab::DimensionsTab,
    time_tab: time_tab::TimeTab,
    selected: Option<String>,
    /// Text being typed that does not compile yet: (variable, field, text).
    draft: Option<(String, variable::Field, String)>,
    /// Why the draft does not compile.
    errors: Option<ModelErrors>,
    name: naming::NameRow,
    /// A refused rename or delete, said in plain words.
    refused: Option<String>,
    filter: String,
}

impl ToolWindow for ModelEditor {
    fn contents(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        ui.horizontal(|ui| {
            for (t, msg) in [
                (Tab::Variables, Msg::TabVariables),
                (Tab::Levers, Msg::TabLevers),
                (Tab::Observations, Msg::TabObservations),
                (Tab::Lookups, Msg::TabLookups),
                (Tab::Charts, Msg::TabCharts),
                (Tab::Dimensions, Msg::TabDimensions),
                (Tab::Time, Msg::TabTime),
            ] {
                ui.selectable_value(&mut self.tab, t, cx.tr(msg));
            }
        });
        ui.separator();
        match self.tab {
            Tab::Variables => self.variables_ui(ui, cx),
            Tab::Levers => {
                egui::ScrollArea::vertical()
                    .id_salt("editor-levers-scroll")
                    .show(ui, |ui| self.levers_tab.ui(ui, cx));
            }
            Tab::Observations => self.observations_tab.ui(ui, cx),
            Tab::Lookups => self.lookups_tab.ui(ui, cx),
            Tab::Charts => self.charts_tab.ui(ui, cx),
            Tab::Dimensions => self.dimensions_tab.ui(ui, cx),
            Tab::Time => self.time_tab.ui(ui, cx),
        }
    }
}

impl ModelEditor {
    /// The variables (filter, new) on the left, the selected one on the right.
    fn variables_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let m = cx.doc.model.model();
        // The selected variable, by id (it may have been renamed or undone).
        if self
            .selected
            .as_ref()
            .is_none_or(|id| m.variable(id).is_none())
        {
            self.selected = m.variables.first().map(|v| v.id.clone());
            self.draft = None;
            self.errors = None;
        }
        ui.columns(2, |cols| {
            self.list_ui(&mut cols[0], cx);
            if let Some(id) = self.selected.clone() {
                self.variable_ui(&mut cols[1], cx, &id);
            }
        });
    }

    /// The variables, filtered by name or label, and New variable.
    fn list_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (m, lang) = (cx.doc.model.model(), cx.lang);
        let l = ui.label(cx.tr(Msg::Filter));
        ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(f32::INFINITY))
            .labelled_by(l.id);
        if ui.button(cx.tr(Msg::NewVariable)).clicked() {
            let mut model = m.clone();
            let id = crate::model::edit::free_name(m, "new_variable");
            model.variables.push(crate::model::def::Variable {
                id: id.clone(),
                label: crate::model::Text::new(id.clone(), id.clone()),
                unit: Default::default(),
                unit_expr: String::new(),
                dimensions: Vec::new(),
                by_element: Vec::new(),
                kind: VariableKind::Aux {
                    equation: "0".into(),
                },
                description: Default::default(),
            });
            cx.send(Command::EditModel {
                model: Box::new(model),
                merge: None,
            });
            self.select(&id);
        }
        egui::ScrollArea::vertical()
            .id_salt("editor-vars")
            .max_height(420.0)
            .show(ui, |ui| {
                let f = self.filter.to_lowercase();
                for v in &m.variables {
                    let label = v.label.get(lang);
                    if !f.is_empty()
                        && !v.id.to_lowercase().contains(&f)
                        && !label.to_lowercase().contains(&f)
                    {
                        continue;
                    }
                    let on = self.selected.as_deref() == Some(v.id.as_str());
                    if ui
                        .selectable_label(on, format!("{}  ·  {label}", v.id))
                        .clicked()
                    {
                        self.select(&v.id);
                    }
                }
            });
    }

    /// Shows variable or lever `id`: its tab, it selected.
    pub fn show_item(&mut self, m: &Model, id: &str) {
        if m.variable(id).is_some() {
            self.tab = Tab::Variables;
            self.select(id);
        } else if let Some(k) = m.levers.iter().position(|l| l.id == id) {
            self.tab = Tab::Levers;
            self.levers_tab.select(k);
        }
    }

    fn select(&mut self, id: &str) {
        self.selected = Some(id.to_string());
        self.draft = None;
        self.errors = None;
        self.refused = None;
    }
}

/// Sends `model` if it compiles, edits with the same `merge` key making
/// one undo step (typing in a field); else returns why.
pub(crate) fn propose(model: Model, merge: String, out: &mut Vec<Command>) -> Option<String> {
    propose_as(model, Some(merge), out)
}

/// [`propose`], an undo step of its own when `merge` is `None` (adding,
/// removing or moving an item of a list).
pub(crate) fn propose_as(
    model: Model,
    merge: Option<String>,
    out: &mut Vec<Command>,
) -> Option<String> {
    match crate::model::compile(model.clone()) {
        Ok(_) => {
            out.push(Command::EditModel {
                model: Box::new(model),
                merge,
            });
            None
        }
        Err(errs) => Some(errs.to_string()),
    }
}
