//! The model editor's other tabs: levers (range, default, step, labels,
//! uncertainty), observations (a table; rows pasted from a spreadsheet) and
//! lookup tables (points dragged on a small plot). Every change is checked
//! by compiling the edited model; a change that does not compile is not
//! applied and the reason shows.

use eframe::egui;
use egui_plot::{Line, Plot, PlotPoints, Points};

use super::command::Command;
use super::document::Document;
use super::i18n::{Lang, Msg, parse_num, tr};
use super::theme;
use crate::model::def::{Distribution, Model, Observation, Source};

/// Sends `model` if it compiles; else returns why.
pub fn propose(model: Model, merge: String, out: &mut Vec<Command>) -> Option<String> {
    match crate::model::compile(model.clone()) {
        Ok(_) => {
            out.push(Command::EditModel {
                model: Box::new(model),
                merge: Some(merge),
            });
            None
        }
        Err(errs) => Some(errs.to_string()),
    }
}

#[derive(Default)]
pub struct LeversTab {
    selected: usize,
    error: Option<String>,
}

impl LeversTab {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        lang: Lang,
        dark: bool,
        out: &mut Vec<Command>,
    ) {
        let m = doc.model.model();
        if m.levers.is_empty() {
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
        let mut l = m.levers[i].clone();
        let before = l.clone();
        egui::Grid::new("editor-lever-grid")
            .num_columns(2)
            .show(ui, |ui| {
                let lab = ui.label(tr(lang, Msg::LabelField));
                ui.add(egui::TextEdit::singleline(l.label.get_mut(lang)).desired_width(300.0))
                    .labelled_by(lab.id);
                ui.end_row();
                let lab = ui.label(tr(lang, Msg::Unit));
                ui.add(egui::TextEdit::singleline(l.unit.get_mut(lang)).desired_width(160.0))
                    .labelled_by(lab.id);
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
            });
        if l != before {
            let mut model = m.clone();
            model.levers[i] = l;
            self.error = propose(model, format!("lever:{i}"), out);
        }
        if let Some(e) = &self.error {
            ui.colored_label(theme::bad(dark), e);
        }
    }
}

#[derive(Default)]
pub struct ObservationsTab {
    paste: String,
    error: Option<String>,
}

impl ObservationsTab {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        lang: Lang,
        dark: bool,
        out: &mut Vec<Command>,
    ) {
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
            self.error = propose(model, merge, out);
        }
        ui.separator();
        // Rows pasted from a spreadsheet: variable, year, value, source.
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
                    self.error = propose(model, format!("obs-paste:{}", m.observations.len()), out);
                    if self.error.is_none() {
                        self.paste.clear();
                    }
                }
                Ok(_) => {}
                Err(e) => self.error = Some(e),
            }
        }
        if let Some(e) = &self.error {
            ui.colored_label(theme::bad(dark), e);
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

#[derive(Default)]
pub struct LookupsTab {
    selected: usize,
    /// The point being dragged.
    dragging: Option<usize>,
    error: Option<String>,
}

impl LookupsTab {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        lang: Lang,
        dark: bool,
        out: &mut Vec<Command>,
    ) {
        let m = doc.model.model();
        if m.lookups.is_empty() {
            ui.weak(tr(lang, Msg::NoLookups));
            return;
        }
        self.selected = self.selected.min(m.lookups.len() - 1);
        let lab = ui.label(tr(lang, Msg::TabLookups));
        egui::ComboBox::from_id_salt("editor-lookup")
            .selected_text(&m.lookups[self.selected].id)
            .show_ui(ui, |ui| {
                for (k, t) in m.lookups.iter().enumerate() {
                    ui.selectable_value(&mut self.selected, k, &t.id);
                }
            })
            .response
            .labelled_by(lab.id);
        let t = &m.lookups[self.selected];
        ui.weak(t.description.get(lang));
        let mut pts = t.points.clone();
        let pts_line: Vec<[f64; 2]> = pts.iter().map(|&(x, y)| [x, y]).collect();
        let resp = Plot::new("lookup-plot")
            .height(220.0)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .show(ui, |plot| {
                plot.line(
                    Line::new(t.id.clone(), PlotPoints::from(pts_line.clone()))
                        .color(theme::series_color(0)),
                );
                plot.points(
                    Points::new(String::new(), PlotPoints::from(pts_line.clone()))
                        .radius(6.0)
                        .color(theme::TARGET),
                );
                let pointer = plot.pointer_coordinate();
                let to_screen =
                    |p: [f64; 2]| plot.screen_from_plot(egui_plot::PlotPoint::new(p[0], p[1]));
                // Which point the press began on (the pointer may have moved since).
                let near = {
                    let pos = plot
                        .ctx()
                        .input(|i| i.pointer.press_origin().or(i.pointer.interact_pos()));
                    pos.and_then(|pos| {
                        pts_line
                            .iter()
                            .enumerate()
                            .map(|(k, p)| (k, to_screen(*p).distance(pos)))
                            .filter(|(_, d)| *d < 12.0)
                            .min_by(|a, b| a.1.total_cmp(&b.1))
                            .map(|(k, _)| k)
                    })
                };
                (pointer, near)
            });
        let (pointer, near) = resp.inner;
        if resp.response.drag_started() {
            self.dragging = near;
        }
        if let (Some(k), Some(p)) = (self.dragging, pointer)
            && resp.response.dragged()
        {
            // A point moves between its neighbours; its value anywhere.
            let lo = if k > 0 {
                pts[k - 1].0
            } else {
                f64::NEG_INFINITY
            };
            let hi = pts.get(k + 1).map_or(f64::INFINITY, |q| q.0);
            let x = if k == 0 || k + 1 == pts.len() {
                pts[k].0
            } else {
                p.x.clamp(lo + 1e-9, hi - 1e-9)
            };
            pts[k] = (x, p.y);
        }
        if resp.response.drag_stopped() {
            self.dragging = None;
            // One drag, one undo step.
            out.push(Command::EndGesture);
        }
        if pts != t.points {
            let mut model = m.clone();
            model.lookups[self.selected].points = pts;
            self.error = propose(model, format!("lookup:{}", t.id), out);
        }
        ui.weak(tr(lang, Msg::DragPoints));
        if let Some(e) = &self.error {
            ui.colored_label(theme::bad(dark), e);
        }
    }
}
