//! The Observations tab: a table of observations with their sources, and rows
//! pasted from a spreadsheet.

use eframe::egui;

use super::propose;
use crate::app::i18n::{Lang, Msg, parse_num, tr};
use crate::app::theme;
use crate::app::view::Cx;
use crate::model::def::{Model, Observation, Source};

#[derive(Default)]
pub struct ObservationsTab {
    paste: String,
    error: Option<String>,
}

impl ObservationsTab {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (doc, lang, dark) = (cx.doc, cx.lang, cx.dark);
        let m = doc.model.model();
        let mut obs = m.observations.clone();
        let mut remove = None;
        egui::ScrollArea::vertical()
            .id_salt("editor-obs")
            .max_height(300.0)
            .show(ui, |ui| {
                egui::Grid::new("editor-obs-grid")
                    .striped(true)
                    .num_columns(6)
                    .show(ui, |ui| {
                        for h in [Msg::Variable, Msg::Year, Msg::ValueField, Msg::Source] {
                            ui.strong(tr(lang, h));
                        }
                        ui.strong(tr(lang, Msg::DateField));
                        ui.end_row();
                        for (k, o) in obs.iter_mut().enumerate() {
                            // Each cell named by its column and row, for screen readers.
                            let name = |h: Msg| format!("{} {}", tr(lang, h), k + 1);
                            egui::ComboBox::from_id_salt(("obs-var", k))
                                .selected_text(&o.variable)
                                .width(170.0)
                                .show_ui(ui, |ui| {
                                    for v in &m.variables {
                                        ui.selectable_value(&mut o.variable, v.id.clone(), &v.id);
                                    }
                                })
                                .response
                                .accessible_name(name(Msg::Variable));
                            ui.add(egui::DragValue::new(&mut o.year).range(m.years()))
                                .accessible_name(name(Msg::Year));
                            ui.add(egui::DragValue::new(&mut o.value).speed(0.1))
                                .accessible_name(name(Msg::ValueField));
                            ui.add(
                                egui::TextEdit::singleline(&mut o.source.title)
                                    .desired_width(220.0),
                            )
                            .accessible_name(name(Msg::Source));
                            ui.add(
                                egui::TextEdit::singleline(&mut o.source.date).desired_width(90.0),
                            )
                            .accessible_name(name(Msg::DateField));
                            if ui
                                .small_button(tr(lang, Msg::Delete))
                                .on_hover_text(format!("{} {} {}", o.variable, o.year, o.value))
                                .clicked()
                            {
                                remove = Some(k);
                            }
                            ui.end_row();
                        }
                    });
            });
        if let Some(k) = remove {
            obs.remove(k);
        }
        let add = ui.button(tr(lang, Msg::AddRow)).clicked();
        if add {
            obs.push(Observation {
                variable: m
                    .variables
                    .first()
                    .map(|v| v.id.clone())
                    .unwrap_or_default(),
                year: m.last_observed_year,
                value: 0.0,
                source: Source {
                    title: tr(lang, Msg::UserTarget).to_string(),
                    ..Source::default()
                },
                definition: None,
                fit: None,
            });
        }
        if obs != m.observations {
            let mut model = m.clone();
            model.observations = obs;
            let merge = if add || remove.is_some() {
                format!("obs-rows:{}", m.observations.len())
            } else {
                "obs-edit".to_string()
            };
            self.error = propose(model, merge, cx.out());
        }
        ui.separator();
        self.paste_ui(ui, cx);
        if let Some(e) = &self.error {
            ui.colored_label(theme::bad(dark), e);
        }
    }

    /// Rows pasted from a spreadsheet: variable, year, value, source.
    fn paste_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (lang, m) = (cx.lang, cx.doc.model.model());
        let l = ui.label(tr(lang, Msg::PasteRows));
        ui.add(
            egui::TextEdit::multiline(&mut self.paste)
                .desired_rows(3)
                .desired_width(f32::INFINITY)
                .font(egui::TextStyle::Monospace),
        )
        .labelled_by(l.id);
        if ui.button(tr(lang, Msg::AddPasted)).clicked() {
            match parse_rows(&self.paste, m, lang) {
                Ok(rows) if !rows.is_empty() => {
                    let mut model = m.clone();
                    model.observations.extend(rows);
                    self.error = propose(
                        model,
                        format!("obs-paste:{}", m.observations.len()),
                        cx.out(),
                    );
                    if self.error.is_none() {
                        self.paste.clear();
                    }
                }
                Ok(_) => {}
                Err(e) => self.error = Some(e),
            }
        }
    }
}

/// Rows copied from a spreadsheet (tab-, semicolon- or comma-separated):
/// `variable, year, value, source[, date]`. A header row is skipped. Every
/// bad row is reported with its line number.
pub fn parse_rows(text: &str, m: &Model, lang: Lang) -> Result<Vec<Observation>, String> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let sep = if line.contains('\t') {
            '\t'
        } else if line.contains(';') {
            ';'
        } else {
            ','
        };
        let f: Vec<&str> = line.split(sep).map(str::trim).collect();
        if n == 0 && f.get(1).is_some_and(|y| y.parse::<i32>().is_err()) {
            continue; // a header
        }
        let row = (|| {
            let [var, year, value, source, rest @ ..] = f.as_slice() else {
                return Err("expected variable, year, value, source".to_string());
            };
            if m.variable(var).is_none() {
                return Err(format!("no variable is called `{var}`"));
            }
            let year: i32 = year
                .parse()
                .map_err(|_| format!("`{year}` is not a year"))?;
            let value = parse_num(lang, value)
                .or_else(|| value.parse().ok())
                .ok_or_else(|| format!("`{value}` is not a number"))?;
            if source.is_empty() {
                return Err("every figure needs a source".to_string());
            }
            Ok(Observation {
                variable: var.to_string(),
                year,
                value,
                source: Source {
                    title: source.to_string(),
                    date: rest.first().map_or_else(String::new, |d| d.to_string()),
                    ..Source::default()
                },
                definition: None,
                fit: None,
            })
        })();
        match row {
            Ok(r) => rows.push(r),
            Err(e) => errors.push(format!("line {}: {e}", n + 1)),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors.join("\n"))
    }
}
