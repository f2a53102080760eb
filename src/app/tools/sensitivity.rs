//! The sensitivity window: the Monte Carlo's seed and runs, the tornado
//! chart (each lever low to high, the others held) and Sobol indices.

use std::sync::Arc;

use eframe::egui;
use egui_plot::{Bar, BarChart, Legend, Plot, VLine};

use super::ToolWindow;
use crate::app::bands::Bands;
use crate::app::command::Command;
use crate::app::i18n::{Msg, colon, fmt_auto, fmt_num, tr};
use crate::app::theme;
use crate::app::view::Cx;
use crate::model::Model;
use crate::model::mc::{self, Sobol};

/// The sensitivity window.
#[derive(Default)]
pub struct SensitivityPanel {
    var: Option<String>,
    year: Option<i32>,
    /// Sobol indices and the tornado, with what they were computed for.
    sobol: Option<(Key, Option<Sobol>)>,
    tornado: Option<(Key, (f64, Vec<mc::Bar>))>,
}

/// What a sensitivity answer depends on: model, levers, output, year, seed.
#[derive(Clone, PartialEq)]
struct Key {
    model: Arc<Model>,
    levers: Vec<f64>,
    var: usize,
    year: i32,
    seed: u64,
}

/// Base samples for the window's Sobol indices.
const SOBOL_N: usize = 1024;

impl ToolWindow for SensitivityPanel {
    fn contents(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        settings_ui(ui, cx);
        ui.separator();
        let doc = cx.doc;
        if doc.model.model().variables.is_empty() {
            return;
        }
        let (var, year) = self.output_ui(ui, cx);
        let key = Key {
            model: doc.model.model_arc().clone(),
            levers: doc.levers.clone(),
            var,
            year,
            seed: doc.monte_carlo.seed,
        };
        // Computed once per question, not every frame.
        if self.tornado.as_ref().is_none_or(|(k, _)| *k != key) {
            let t = mc::tornado(&doc.model, &doc.levers, var, year);
            self.tornado = Some((key.clone(), t));
        }
        if let Some((_, (base, bars))) = &self.tornado {
            tornado_ui(ui, cx, &key, *base, bars);
        }
        ui.separator();
        self.sobol_ui(ui, cx, key);
    }
}

/// Seed and runs of the bands, saved with the scenario.
fn settings_ui(ui: &mut egui::Ui, cx: &mut Cx) {
    let lang = cx.lang;
    let mut settings = cx.doc.monte_carlo;
    ui.horizontal(|ui| {
        let l = ui.label(tr(lang, Msg::Runs));
        ui.add(
            egui::DragValue::new(&mut settings.runs)
                .range(1..=crate::scenario::MAX_RUNS)
                .speed(100),
        )
        .labelled_by(l.id);
        let l = ui.label(tr(lang, Msg::Seed));
        ui.add(egui::DragValue::new(&mut settings.seed).range(0..=u64::MAX))
            .labelled_by(l.id);
    });
    if settings != cx.doc.monte_carlo {
        cx.send(Command::SetMonteCarlo(settings));
    }
}

impl SensitivityPanel {
    /// The output asked about: a variable and a year, by default the first
    /// target's.
    fn output_ui(&mut self, ui: &mut egui::Ui, cx: &Cx) -> (usize, i32) {
        let (model, lang) = (&cx.doc.model, cx.lang);
        let m = model.model();
        let first = m.targets.first();
        let var_id = self.var.get_or_insert_with(|| {
            first.map_or_else(|| model.series(0).id.clone(), |t| t.variable.clone())
        });
        let var = model.var_index(var_id).unwrap_or(0);
        *var_id = model.series(var).id.clone();
        let year = self
            .year
            .get_or_insert_with(|| first.map_or(m.end_year, |t| t.year));
        *year = (*year).clamp(m.start_year, m.end_year);
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(tr(lang, Msg::Output));
            egui::ComboBox::from_id_salt("sensitivity-output")
                .selected_text(cx.doc.model.series(var).label.get(lang))
                .width(260.0)
                .show_ui(ui, |ui| {
                    for v in &m.variables {
                        ui.selectable_value(var_id, v.id.clone(), v.label.get(lang));
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label(tr(lang, Msg::Year));
            ui.add(egui::DragValue::new(year).range(m.years()))
                .labelled_by(l.id);
        });
        (var, *year)
    }

    /// Sobol indices, on demand (they take thousands of runs).
    fn sobol_ui(&mut self, ui: &mut egui::Ui, cx: &Cx, key: Key) {
        let (doc, lang, dark) = (cx.doc, cx.lang, cx.dark);
        let model = &doc.model;
        let (var, year) = (key.var, key.year);
        ui.strong(tr(lang, Msg::SobolTitle));
        ui.weak(tr(lang, Msg::SobolIntro));
        if ui.button(tr(lang, Msg::Compute)).clicked() {
            self.sobol = Some((
                key.clone(),
                mc::sobol(model, &doc.levers, var, year, SOBOL_N, doc.monte_carlo.seed),
            ));
        }
        if self.sobol.as_ref().is_some_and(|(k, _)| *k != key) {
            self.sobol = None;
        }
        match &self.sobol {
            Some((_, Some(s))) => {
                egui::Grid::new("sobol")
                    .striped(true)
                    .spacing([16.0, 4.0])
                    .show(ui, |ui| {
                        ui.strong(tr(lang, Msg::Lever));
                        ui.strong(tr(lang, Msg::FirstOrder))
                            .on_hover_text(tr(lang, Msg::FirstOrderTip));
                        ui.strong(tr(lang, Msg::TotalOrder))
                            .on_hover_text(tr(lang, Msg::TotalOrderTip));
                        ui.end_row();
                        for (k, &l) in s.levers.iter().enumerate() {
                            ui.label(model.levers()[l].label.get(lang));
                            for x in [s.first[k], s.total[k]] {
                                ui.label(format!(
                                    "{}\u{a0}%",
                                    fmt_num(lang, 100.0 * x.clamp(0.0, 1.0), 0)
                                ));
                            }
                            ui.end_row();
                        }
                    });
                ui.weak(format!(
                    "{} {}",
                    fmt_num(lang, s.runs as f64, 0),
                    tr(lang, Msg::RunsWord)
                ));
            }
            Some((_, None)) => {
                let why = if Bands::has_uncertainty(doc) {
                    Msg::RunProblem
                } else {
                    Msg::NoUncertainty
                };
                ui.colored_label(theme::bad(dark), tr(lang, why));
            }
            None => {}
        }
    }
}

/// The tornado: bars from the base value, low end in one colour, high end in
/// another, each explained in plain words on hover.
fn tornado_ui(ui: &mut egui::Ui, cx: &Cx, key: &Key, base: f64, bars: &[mc::Bar]) {
    let (lang, dark) = (cx.lang, cx.dark);
    let (var, year) = (key.var, key.year);
    let unit = cx.doc.model.series(var).unit.get(lang);
    ui.label(format!(
        "{} {year}{}{} {unit}",
        cx.doc.model.series(var).label.get(lang),
        colon(lang),
        fmt_auto(lang, base)
    ));
    ui.weak(tr(lang, Msg::TornadoIntro));
    // Bars from the base value: low end in one colour, high end in another.
    let n = bars.len();
    let mut low = Vec::new();
    let mut high = Vec::new();
    for (k, b) in bars.iter().enumerate() {
        let l = &cx.doc.model.levers()[b.lever];
        let lunit = l.unit.get(lang);
        let y = (n - 1 - k) as f64;
        let explain = |end: Msg, x: f64, o: f64| {
            format!(
                "{}\n{} {} {lunit}{}{} {year}{}{} {unit} ({}{} {unit}), {}",
                l.label.get(lang),
                tr(lang, end),
                fmt_num(lang, x, crate::app::panels::levers::step_decimals(l.step)),
                colon(lang),
                cx.doc.model.series(var).label.get(lang),
                colon(lang),
                fmt_auto(lang, o),
                if o >= base { "+" } else { "" },
                fmt_auto(lang, o - base),
                tr(lang, Msg::OthersHeld)
            )
        };
        low.push(
            Bar::new(y, b.out_low - base)
                .base_offset(base)
                .name(explain(Msg::AtLow, b.low, b.out_low))
                .fill(theme::series_color(1).gamma_multiply(0.7))
                .width(0.6),
        );
        high.push(
            Bar::new(y, b.out_high - base)
                .base_offset(base)
                .name(explain(Msg::AtHigh, b.high, b.out_high))
                .fill(theme::series_color(0).gamma_multiply(0.7))
                .width(0.6),
        );
    }
    let names: Vec<String> = bars
        .iter()
        .map(|b| cx.doc.model.levers()[b.lever].label.get(lang).to_string())
        .collect();
    let low_name = tr(lang, Msg::LowEnd);
    let high_name = tr(lang, Msg::HighEnd);
    Plot::new("tornado")
        .height(36.0 * n as f32 + 60.0)
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show_grid([true, false])
        .y_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n {
                names[n - 1 - i as usize].clone()
            } else {
                String::new()
            }
        })
        .y_axis_min_width(180.0)
        .x_axis_formatter(move |mark, _| fmt_auto(lang, mark.value))
        .show(ui, |plot| {
            // Hover tells in plain words what the bar means.
            let said = |b: &Bar, _: &BarChart| b.name.clone();
            plot.vline(
                VLine::new(String::new(), base)
                    .color(theme::baseline(dark))
                    .width(1.5),
            );
            plot.bar_chart(
                BarChart::new(low_name, low)
                    .horizontal()
                    .color(theme::series_color(1))
                    .element_formatter(Box::new(said)),
            );
            plot.bar_chart(
                BarChart::new(high_name, high)
                    .horizontal()
                    .color(theme::series_color(0))
                    .element_formatter(Box::new(said)),
            );
        });
}
