//! The model editor: variables (rename with every reference updated, delete
//! only when unused, labels and units), equations compiled on every
//! keystroke with the error underlined where it is and name completion, and
//! a dependency view to follow causes through the model. While an edit is
//! invalid the last valid model keeps running.

use eframe::egui::{self, Color32, RichText, TextFormat, text::LayoutJob};

use super::command::Command;
use super::document::Document;
use super::i18n::{Lang, Msg, tr};
use super::theme;
use crate::model::def::{Model, VariableKind};
use crate::model::edit;
use crate::model::expr::Builtin;
use crate::model::expr::lexer::{Tok, lex};
use crate::model::{Item, ModelErrors};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Tab {
    #[default]
    Variables,
    Levers,
    Observations,
    Lookups,
}

#[derive(Default)]
pub struct ModelEditor {
    pub open: bool,
    tab: Tab,
    levers_tab: super::model_editor_tabs::LeversTab,
    observations_tab: super::model_editor_tabs::ObservationsTab,
    lookups_tab: super::model_editor_tabs::LookupsTab,
    selected: Option<String>,
    /// Text being typed that does not compile yet: (variable, field, text).
    draft: Option<(String, &'static str, String)>,
    /// Why the draft does not compile.
    errors: Option<ModelErrors>,
    rename: String,
    /// A refused rename or delete, said in plain words.
    refused: Option<String>,
    filter: String,
}

impl ModelEditor {
    #[must_use]
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        lang: Lang,
        dark: bool,
    ) -> Vec<Command> {
        let mut out = Vec::new();
        let mut open = self.open;
        super::tool_window::show(
            ctx,
            tr(lang, Msg::ModelEditor),
            &mut open,
            [860.0, 520.0],
            false,
            |ui| self.contents(ui, doc, lang, dark, &mut out),
        );
        self.open = open;
        out
    }

    fn contents(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        lang: Lang,
        dark: bool,
        out: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            for (t, msg) in [
                (Tab::Variables, Msg::TabVariables),
                (Tab::Levers, Msg::TabLevers),
                (Tab::Observations, Msg::TabObservations),
                (Tab::Lookups, Msg::TabLookups),
            ] {
                ui.selectable_value(&mut self.tab, t, tr(lang, msg));
            }
        });
        ui.separator();
        match self.tab {
            Tab::Variables => {}
            Tab::Levers => return self.levers_tab.ui(ui, doc, lang, dark, out),
            Tab::Observations => return self.observations_tab.ui(ui, doc, lang, dark, out),
            Tab::Lookups => return self.lookups_tab.ui(ui, doc, lang, dark, out),
        }
        let m = doc.model.model();
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
            // The variables, filtered by name or label.
            let ui = &mut cols[0];
            let l = ui.label(tr(lang, Msg::Filter));
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(f32::INFINITY))
                .labelled_by(l.id);
            if ui.button(tr(lang, Msg::NewVariable)).clicked() {
                let mut model = m.clone();
                let mut k = 1;
                while model.variable(&format!("new_variable_{k}")).is_some() {
                    k += 1;
                }
                let id = format!("new_variable_{k}");
                model.variables.push(crate::model::def::Variable {
                    id: id.clone(),
                    label: crate::model::Text::new(id.clone(), id.clone()),
                    unit: Default::default(),
                    kind: VariableKind::Aux {
                        equation: "0".into(),
                    },
                    description: Default::default(),
                });
                out.push(Command::EditModel {
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
            let ui = &mut cols[1];
            let Some(id) = self.selected.clone() else {
                return;
            };
            self.variable_ui(ui, doc, &id, lang, dark, out);
        });
    }

    fn select(&mut self, id: &str) {
        self.selected = Some(id.to_string());
        self.rename = id.to_string();
        self.draft = None;
        self.errors = None;
        self.refused = None;
    }

    fn variable_ui(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        id: &str,
        lang: Lang,
        dark: bool,
        out: &mut Vec<Command>,
    ) {
        let m = doc.model.model();
        let Some(v) = m.variable(id) else {
            return;
        };
        if self.rename.is_empty() {
            self.rename = id.to_string();
        }
        ui.horizontal(|ui| {
            let l = ui.label(tr(lang, Msg::NameField));
            ui.add(egui::TextEdit::singleline(&mut self.rename).desired_width(200.0))
                .labelled_by(l.id);
            if ui.button(tr(lang, Msg::Rename)).clicked() && self.rename != id {
                match edit::rename_variable(m, id, self.rename.trim()) {
                    Ok(model) => {
                        out.push(Command::EditModel {
                            model: Box::new(model),
                            merge: None,
                        });
                        self.selected = Some(self.rename.trim().to_string());
                        self.refused = None;
                    }
                    Err(e) => self.refused = Some(e.to_string()),
                }
            }
            if ui.button(tr(lang, Msg::Delete)).clicked() {
                match edit::delete_variable(m, id) {
                    Ok(model) => {
                        out.push(Command::EditModel {
                            model: Box::new(model),
                            merge: None,
                        });
                        self.selected = None;
                        self.refused = None;
                    }
                    Err(e) => self.refused = Some(e.to_string()),
                }
            }
        });
        if let Some(r) = &self.refused {
            ui.colored_label(theme::bad(dark), r);
        }
        // Label and unit in the window's language: each field is one undo step.
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
                        out.push(Command::EditModel {
                            model: Box::new(model),
                            merge: Some(format!("{key}:{id}")),
                        });
                    }
                    ui.end_row();
                }
            });
        // The kind: computed each year, a stock, or a data series.
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
                    1 => VariableKind::Stock {
                        initial: text,
                        change: "0".into(),
                    },
                    _ => VariableKind::Data {
                        points: vec![(m.start_year, text.trim().parse().unwrap_or(0.0))],
                    },
                };
            }
            if let Some(e) = super::model_editor_tabs::propose(model, format!("kind:{id}"), out) {
                self.refused = Some(e);
            }
            self.draft = None;
            self.errors = None;
        }
        ui.separator();
        // Equations: compiled on every keystroke.
        let fields: Vec<(&'static str, String)> = match &v.kind {
            VariableKind::Aux { equation } => vec![("equation", equation.clone())],
            VariableKind::Stock { initial, change } => {
                vec![("initial", initial.clone()), ("change", change.clone())]
            }
            VariableKind::Data { points } => {
                ui.label(format!("{} {}", tr(lang, Msg::DataPoints), points.len()));
                Vec::new()
            }
        };
        for (field, text) in fields {
            let mut buf = match &self.draft {
                Some((d, f, t)) if d == id && *f == field => t.clone(),
                _ => text.clone(),
            };
            // The error of this field, to underline.
            let span = self.errors.as_ref().and_then(|errs| {
                errs.0
                    .iter()
                    .find(|e| matches!(&e.item, Item::Variable(x) if x == id) && e.field == field)
                    .and_then(|e| e.span)
                    .map(|s| (s.start, s.end))
            });
            let names = Names::of(m);
            let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, wrap: f32| {
                let mut job = highlight(buf.as_str(), &names, span, dark);
                job.wrap.max_width = wrap;
                ui.fonts_mut(|f| f.layout_job(job))
            };
            let field_name = match field {
                "initial" => Msg::InitialField,
                "change" => Msg::ChangeField,
                _ => Msg::EquationField,
            };
            let l = ui.label(RichText::new(tr(lang, field_name)).strong());
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
                    match (&mut x.kind, field) {
                        (VariableKind::Aux { equation }, _) => *equation = buf.clone(),
                        (VariableKind::Stock { initial, .. }, "initial") => *initial = buf.clone(),
                        (VariableKind::Stock { change, .. }, _) => *change = buf.clone(),
                        _ => {}
                    }
                }
                match crate::model::compile(model.clone()) {
                    Ok(_) => {
                        self.draft = None;
                        self.errors = None;
                        out.push(Command::EditModel {
                            model: Box::new(model),
                            merge: Some(format!("{field}:{id}")),
                        });
                    }
                    Err(errs) => {
                        // The last valid model keeps running; the draft waits.
                        self.draft = Some((id.to_string(), field, buf.clone()));
                        self.errors = Some(errs);
                    }
                }
            }
            // Completion: names that start with the word being typed.
            if resp.has_focus() {
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
                                if ui.small_button(n).clicked() {
                                    let mut done = buf[..buf.len() - word.len()].to_string();
                                    done.push_str(n);
                                    self.draft = Some((id.to_string(), field, done));
                                }
                            }
                        });
                    }
                }
            }
        }
        if let Some(errs) = &self.errors {
            for e in &errs.0 {
                ui.colored_label(theme::bad(dark), e.to_string());
            }
        }
        ui.separator();
        // Dependencies: what it uses, what uses it; click to follow.
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
                        ui.label(other.to_string());
                    }
                }
            }
            if by.is_empty() {
                ui.weak("—");
            }
        });
    }
}

/// The names an equation can use, by kind, for colours and completion.
struct Names {
    variables: Vec<String>,
    levers: Vec<String>,
    lookups: Vec<String>,
}

impl Names {
    fn of(m: &Model) -> Self {
        Names {
            variables: m.variables.iter().map(|v| v.id.clone()).collect(),
            levers: m.levers.iter().map(|l| l.id.clone()).collect(),
            lookups: m.lookups.iter().map(|l| l.id.clone()).collect(),
        }
    }

    fn all(&self) -> impl Iterator<Item = &str> {
        self.variables
            .iter()
            .chain(&self.levers)
            .chain(&self.lookups)
            .map(String::as_str)
            .chain(Builtin::ALL.iter().map(|b| b.name()))
    }
}

/// Colours by token: levers, variables, functions and tables, numbers; the
/// error's span underlined in red.
fn highlight(src: &str, names: &Names, error: Option<(usize, usize)>, dark: bool) -> LayoutJob {
    let font = egui::FontId::monospace(13.0);
    let plain = if dark {
        Color32::from_gray(220)
    } else {
        Color32::from_gray(30)
    };
    let mut colors = vec![plain; src.len()];
    if let Ok(tokens) = lex(src) {
        for t in &tokens {
            let c = match &t.tok {
                Tok::Ident(s) if names.levers.contains(s) => theme::series_color(1),
                Tok::Ident(s) if names.variables.contains(s) => theme::series_color(0),
                Tok::Ident(s) if names.lookups.contains(s) || Builtin::from_name(s).is_some() => {
                    theme::TARGET
                }
                Tok::Num(_) => Color32::from_rgb(0, 158, 115),
                Tok::If | Tok::Then | Tok::Else | Tok::And | Tok::Or | Tok::Not => {
                    Color32::from_rgb(204, 121, 167)
                }
                _ => plain,
            };
            for x in colors
                .iter_mut()
                .take(t.span.end.min(src.len()))
                .skip(t.span.start)
            {
                *x = c;
            }
        }
    }
    let in_err = |i: usize| error.is_some_and(|(a, b)| i >= a && i < b.max(a + 1));
    let mut job = LayoutJob::default();
    let mut append = |text: &str, color: Color32, err: bool| {
        let mut fmt = TextFormat::simple(font.clone(), color);
        if err {
            fmt.underline = egui::Stroke::new(2.0, Color32::from_rgb(213, 94, 0));
        }
        job.append(text, 0.0, fmt);
    };
    // Runs of characters with the same colour and underline.
    let mut run = 0;
    let mut cur: Option<(Color32, bool)> = None;
    for (i, _) in src.char_indices() {
        let key = (colors[i], in_err(i));
        if cur != Some(key) {
            if let Some((c, e)) = cur {
                append(&src[run..i], c, e);
            }
            run = i;
            cur = Some(key);
        }
    }
    match cur {
        Some((c, e)) => append(&src[run..], c, e),
        None => append("", plain, false),
    }
    job
}

/// The names a variable's equations use, in order of first use.
fn used_names(m: &Model, id: &str) -> Vec<String> {
    let Some(v) = m.variable(id) else {
        return Vec::new();
    };
    let texts: Vec<&String> = match &v.kind {
        VariableKind::Aux { equation } => vec![equation],
        VariableKind::Stock { initial, change } => vec![initial, change],
        VariableKind::Data { .. } => Vec::new(),
    };
    let mut out: Vec<String> = Vec::new();
    for t in texts {
        if let Ok(tokens) = lex(t) {
            for (i, tok) in tokens.iter().enumerate() {
                if let Tok::Ident(s) = &tok.tok {
                    let called = tokens
                        .get(i + 1)
                        .is_some_and(|n| matches!(n.tok, Tok::LParen));
                    let known = m.variable(s).is_some() || m.lever(s).is_some();
                    if !called && known && s != id && !out.contains(s) {
                        out.push(s.clone());
                    }
                }
            }
        }
    }
    out
}
