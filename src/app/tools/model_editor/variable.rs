//! The Variables tab's right side: one variable's name, label and unit,
//! kind, equations (compiled on every keystroke, the error underlined,
//! names completed) and dependencies.

use eframe::egui::{self, RichText};

use super::ModelEditor;
use super::highlight::{Names, highlight, used_names};
use super::naming::NameEdit;
use crate::app::command::Command;
use crate::app::i18n::{Lang, Msg, tr};
use crate::app::theme;
use crate::app::view::Cx;
use crate::model::Item;
use crate::model::def::{Variable, VariableKind};
use crate::model::edit;
use crate::model::expr::{Builtin, Named};

/// Which text of a variable a field edits: one of its own (`equation`,
/// `initial`, `change`, `inflows`, `outflows`), or one of its element
/// entry `k`'s (`at`, `equation`, `initial`, `change`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    Own(&'static str),
    Element(usize, &'static str),
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Own(f) | Field::Element(_, f) => f,
        }
    }

    /// Successive edits of one field make one undo step.
    fn merge_key(self, id: &str) -> String {
        match self {
            Field::Own(f) => format!("{f}:{id}"),
            Field::Element(k, f) => format!("by_element[{k}].{f}:{id}"),
        }
    }

    fn label(self) -> Msg {
        match self.name() {
            "initial" => Msg::InitialField,
            "change" => Msg::ChangeField,
            "inflows" => Msg::InflowsField,
            "outflows" => Msg::OutflowsField,
            "at" => Msg::ElementsField,
            _ => Msg::EquationField,
        }
    }

    /// Puts `text` in this field of `x`.
    pub(super) fn set(self, x: &mut Variable, text: &str) {
        let text = text.to_string();
        match self {
            Field::Own(f) => match (&mut x.kind, f) {
                (VariableKind::Aux { equation }, _) => *equation = text,
                (VariableKind::Stock { initial, .. }, "initial") => *initial = text,
                (VariableKind::Stock { inflows, .. }, "inflows") => *inflows = id_list(&text),
                (VariableKind::Stock { outflows, .. }, "outflows") => *outflows = id_list(&text),
                (VariableKind::Stock { change, .. }, _) => *change = text,
                _ => {}
            },
            Field::Element(k, f) => {
                if let Some(e) = x.by_element.get_mut(k) {
                    match f {
                        "at" => e.at = text,
                        "initial" => e.initial = text,
                        "change" => e.change = text,
                        _ => e.equation = text,
                    }
                }
            }
        }
    }
}

impl ModelEditor {
    pub(super) fn variable_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, id: &str) {
        let m = cx.doc.model.model();
        let Some(v) = m.variable(id) else {
            return;
        };
        self.name_ui(ui, cx, id);
        texts_ui(ui, cx, id, v);
        self.kind_ui(ui, cx, id, v);
        ui.separator();
        self.equations_ui(ui, cx, id, v);
        self.arrayed_ui(ui, cx, id, v);
        if let Some(errs) = &self.errors {
            for e in &errs.0 {
                ui.colored_label(theme::bad(cx.dark), e.to_string());
            }
        }
        units_ui(ui, cx, id, v);
        ui.separator();
        self.dependencies_ui(ui, cx, id);
    }

    /// Rename (every reference follows), delete (refused while used), and
    /// Plot: a chart of the variable.
    fn name_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, id: &str) {
        let plot = |ui: &mut egui::Ui, cx: &mut Cx| super::charts_tab::plot_button(ui, cx, id);
        match self.name.ui_with(ui, cx, id, plot) {
            Some(NameEdit::Renamed(new)) => self.selected = Some(new),
            Some(NameEdit::Deleted) => self.selected = None,
            None => {}
        }
    }

    /// The kind: computed each year, a stock, or a data series.
    fn kind_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, id: &str, v: &Variable) {
        let lang = cx.lang;
        let m = cx.doc.model.model();
        let kind = match &v.kind {
            VariableKind::Aux { .. } => 0,
            VariableKind::Stock { .. } => 1,
            VariableKind::Data { .. } => 2,
        };
        let mut k = kind;
        ui.horizontal(|ui| {
            let l = ui.label(tr(lang, Msg::KindField));
            egui::ComboBox::from_id_salt("editor-kind")
                .selected_text(tr(lang, [Msg::KindAux, Msg::KindStock, Msg::KindData][k]))
                .show_ui(ui, |ui| {
                    for (j, msg) in [Msg::KindAux, Msg::KindStock, Msg::KindData]
                        .into_iter()
                        .enumerate()
                    {
                        ui.selectable_value(&mut k, j, tr(lang, msg));
                    }
                })
                .response
                .labelled_by(l.id);
        });
        if k != kind {
            // Keep what can be kept: an equation becomes the initial value, and back.
            let text = match &v.kind {
                VariableKind::Aux { equation } => equation.clone(),
                VariableKind::Stock { initial, .. } => initial.clone(),
                VariableKind::Data { points } => points
                    .first()
                    .map_or_else(|| "0".to_string(), |p| p.1.to_string()),
            };
            let mut model = m.clone();
            if let Some(x) = model.variables.iter_mut().find(|x| x.id == id) {
                x.kind = match k {
                    0 => VariableKind::Aux { equation: text },
                    1 => VariableKind::stock(text, "0"),
                    _ => VariableKind::Data {
                        points: vec![(m.start_year, text.trim().parse().unwrap_or(0.0))],
                    },
                };
            }
            if let Some(e) = super::propose(model, format!("kind:{id}"), cx.out()) {
                self.refused = Some(e);
            }
            self.draft = None;
            self.errors = None;
        }
    }

    /// Equations: compiled on every keystroke.
    fn equations_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, id: &str, v: &Variable) {
        let fields: Vec<(&'static str, String)> = match &v.kind {
            VariableKind::Aux { equation } => vec![("equation", equation.clone())],
            VariableKind::Stock {
                initial,
                change,
                inflows,
                outflows,
                ..
            } => {
                let by_flows = change.trim().is_empty();
                self.stock_form_ui(ui, cx, id, v, by_flows);
                if by_flows {
                    vec![
                        ("initial", initial.clone()),
                        ("inflows", inflows.join(", ")),
                        ("outflows", outflows.join(", ")),
                    ]
                } else {
                    vec![("initial", initial.clone()), ("change", change.clone())]
                }
            }
            VariableKind::Data { points } => {
                ui.label(format!("{} {}", cx.tr(Msg::DataPoints), points.len()));
                Vec::new()
            }
        };
        for (field, text) in fields {
            self.field_ui(ui, cx, id, Field::Own(field), text);
        }
    }

    /// How a stock is given: by its change, or by its flows (then whether
    /// it is non-negative). Switching keeps the initial value; a stock
    /// switched to flows has none yet and keeps its value until some are
    /// named.
    fn stock_form_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut Cx,
        id: &str,
        v: &Variable,
        by_flows: bool,
    ) {
        let VariableKind::Stock {
            initial,
            non_negative,
            ..
        } = &v.kind
        else {
            return;
        };
        let mut flows = by_flows;
        let mut nn = *non_negative;
        ui.horizontal(|ui| {
            ui.label(cx.tr(Msg::StockGivenBy));
            ui.radio_value(&mut flows, false, cx.tr(Msg::ByChange));
            ui.radio_value(&mut flows, true, cx.tr(Msg::ByFlows));
            if by_flows {
                ui.checkbox(&mut nn, cx.tr(Msg::NonNegative));
            }
        });
        if flows == by_flows && nn == *non_negative {
            return;
        }
        let mut model = cx.doc.model.model().clone();
        if let Some(x) = model.variables.iter_mut().find(|x| x.id == id) {
            x.kind = match (flows, flows == by_flows) {
                (true, true) => {
                    let mut k = x.kind.clone();
                    if let VariableKind::Stock { non_negative, .. } = &mut k {
                        *non_negative = nn;
                    }
                    k
                }
                (true, false) => VariableKind::stock_with_flows(initial.clone(), &[], &[], false),
                (false, _) => VariableKind::stock(initial.clone(), "0"),
            };
        }
        if let Some(e) = super::propose(model, format!("form:{id}"), cx.out()) {
            self.refused = Some(e);
        }
        self.draft = None;
        self.errors = None;
    }

    /// One equation field in a code editor, applied when it compiles.
    pub(super) fn field_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut Cx,
        id: &str,
        field: Field,
        text: String,
    ) {
        let (lang, dark) = (cx.lang, cx.dark);
        let m = cx.doc.model.model();
        let mut buf = match &self.draft {
            Some((d, f, t)) if d == id && *f == field => t.clone(),
            _ => text.clone(),
        };
        // The error of this field, to underline; else its units warning.
        let here = |e: &&crate::model::ModelError| {
            matches!(field, Field::Own(_))
                && matches!(&e.item, Item::Variable(x) if x == id)
                && e.field == field.name()
        };
        let span = match &self.errors {
            Some(errs) => errs.0.iter().find(here).and_then(|e| e.span),
            None if self.draft.is_none() => {
                let mut ws = cx.doc.model.warnings().iter().map(|w| &w.error);
                ws.find(here).and_then(|e| e.span)
            }
            None => None,
        }
        .map(|s| (s.start, s.end));
        let names = Names::of(m);
        let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, wrap: f32| {
            let mut job = highlight(buf.as_str(), &names, span, dark);
            job.wrap.max_width = wrap;
            ui.fonts_mut(|f| f.layout_job(job))
        };
        let l = ui.label(RichText::new(tr(lang, field.label())).strong());
        let resp = ui
            .add(
                egui::TextEdit::multiline(&mut buf)
                    .code_editor()
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .layouter(&mut layouter),
            )
            .labelled_by(l.id);
        if resp.changed() {
            let mut model = m.clone();
            if let Some(x) = model.variables.iter_mut().find(|x| x.id == id) {
                field.set(x, &buf);
            }
            match crate::model::compile(model.clone()) {
                Ok(_) => {
                    self.draft = None;
                    self.errors = None;
                    cx.send(Command::EditModel {
                        model: Box::new(model),
                        merge: Some(field.merge_key(id)),
                    });
                }
                Err(errs) => {
                    // The last valid model keeps running; the draft waits.
                    self.draft = Some((id.to_string(), field, buf.clone()));
                    self.errors = Some(errs);
                }
            }
        }
        if resp.has_focus() {
            self.completion_ui(ui, lang, &names, id, field, &buf);
        }
    }

    /// Completion: names that start with the word being typed.
    fn completion_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        names: &Names,
        id: &str,
        field: Field,
        buf: &str,
    ) {
        let word: String = buf
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if word.len() >= 2 {
            let found: Vec<&str> = names
                .all()
                .filter(|n| n.starts_with(&word) && *n != word)
                .take(8)
                .collect();
            if !found.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    ui.weak(tr(lang, Msg::Complete));
                    for n in found {
                        // A function says what it does, in the window's language.
                        let doc = Builtin::from_name(n)
                            .map(|b| b.doc())
                            .or_else(|| Named::from_name(n).map(|k| k.doc()))
                            .map(|d| d.line(lang));
                        let button = ui.small_button(n);
                        let button = match doc {
                            Some(d) => button.on_hover_text(d),
                            None => button,
                        };
                        if button.clicked() {
                            let mut done = buf[..buf.len() - word.len()].to_string();
                            done.push_str(n);
                            self.draft = Some((id.to_string(), field, done));
                        }
                    }
                });
            }
        }
    }

    /// Dependencies: what it uses, what uses it; click to follow.
    fn dependencies_ui(&mut self, ui: &mut egui::Ui, cx: &Cx, id: &str) {
        let lang = cx.lang;
        let m = cx.doc.model.model();
        ui.strong(tr(lang, Msg::Uses));
        let uses = used_names(m, id);
        ui.horizontal_wrapped(|ui| {
            for n in &uses {
                if m.variable(n).is_some() {
                    if ui.link(n).clicked() {
                        self.select(n);
                    }
                } else {
                    ui.label(RichText::new(n).italics());
                }
            }
            if uses.is_empty() {
                ui.weak("—");
            }
        });
        ui.strong(tr(lang, Msg::UsedBy));
        let by = edit::uses_of(m, id);
        ui.horizontal_wrapped(|ui| {
            for u in &by {
                match u {
                    edit::Use::Equation { variable, .. } if variable != id => {
                        if ui.link(variable).clicked() {
                            self.select(&variable.clone());
                        }
                    }
                    edit::Use::Equation { .. } => {}
                    other => {
                        ui.label(other.text(cx.lang));
                    }
                }
            }
            if by.is_empty() {
                ui.weak("—");
            }
        });
    }
}

/// Label and unit in the window's language: each field is one undo step.
fn texts_ui(ui: &mut egui::Ui, cx: &mut Cx, id: &str, v: &Variable) {
    let lang = cx.lang;
    let m = cx.doc.model.model();
    egui::Grid::new("editor-texts")
        .num_columns(2)
        .show(ui, |ui| {
            for (msg, key, width) in [
                (Msg::LabelField, "label", 300.0),
                (Msg::Unit, "unit", 160.0),
            ] {
                let mut text = if key == "unit" { &v.unit } else { &v.label }
                    .get(lang)
                    .to_string();
                let l = ui.label(tr(lang, msg));
                if ui
                    .add(egui::TextEdit::singleline(&mut text).desired_width(width))
                    .labelled_by(l.id)
                    .changed()
                {
                    let mut model = m.clone();
                    if let Some(x) = model.variables.iter_mut().find(|x| x.id == id) {
                        let field = if key == "unit" {
                            &mut x.unit
                        } else {
                            &mut x.label
                        };
                        *field.get_mut(lang) = text;
                    }
                    cx.send(Command::EditModel {
                        model: Box::new(model),
                        merge: Some(format!("{key}:{id}")),
                    });
                }
                ui.end_row();
            }
            let mut text = v.unit_expr.clone();
            let l = ui.label(tr(lang, Msg::UnitExprField));
            let edit = ui
                .add(egui::TextEdit::singleline(&mut text).desired_width(160.0))
                .labelled_by(l.id)
                .on_hover_text(tr(lang, Msg::UnitExprTip));
            if edit.changed() {
                let mut model = m.clone();
                if let Some(x) = model.variables.iter_mut().find(|x| x.id == id) {
                    x.unit_expr = text.trim().to_string();
                }
                cx.send(Command::EditModel {
                    model: Box::new(model),
                    merge: Some(format!("unit_expr:{id}")),
                });
            }
            ui.end_row();
        });
}

/// The units check on this variable, live: each warning in the window's
/// language (the model runs whatever they say).
fn units_ui(ui: &mut egui::Ui, cx: &Cx, id: &str, v: &Variable) {
    let mine = |w: &&crate::model::units::UnitWarning| matches!(&w.error.item, Item::Variable(x) if x == id);
    let mut any = false;
    for w in cx.doc.model.warnings().iter().filter(mine) {
        ui.colored_label(theme::warn(cx.dark), w.text(cx.lang));
        any = true;
    }
    if !any && !v.unit_expr.is_empty() {
        ui.colored_label(theme::good(cx.dark), tr(cx.lang, Msg::UnitsOk));
    }
}

/// A list of ids as typed: `hires, exits` (commas or spaces between them).
fn id_list(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
