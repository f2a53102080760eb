//! Uncertainty in the window: the Monte Carlo behind the fan bands and the
//! headline odds (a first estimate within the frame, refined in the
//! background on every core, restarted whenever the levers or the model
//! change), and the sensitivity window (tornado, Sobol indices, seed and runs).

use std::sync::Arc;

use eframe::egui;
use egui_plot::{Bar, BarChart, Legend, Plot, VLine};

use super::command::Command;
use super::document::Document;
use super::i18n::{Lang, Msg, colon, fmt_auto, fmt_num, tr};
use super::plots;
use super::theme;
use crate::model::mc::{self, Design, McJob, Sobol, Summary};
use crate::model::{CompiledModel, Model};
use crate::scenario::MonteCarlo;

/// The bands' Monte Carlo, kept in step with the document.
#[derive(Default)]
pub struct Bands {
    job: Option<McJob>,
    /// What the job runs: model (by identity), levers, settings.
    model: Option<Arc<Model>>,
    compiled: Option<Arc<CompiledModel>>,
    levers: Vec<f64>,
    settings: Option<MonteCarlo>,
    design: Option<Arc<Design>>,
    /// The latest estimate.
    pub summary: Option<Summary>,
    /// Threads for the background runs (every core by default).
    pub threads: Option<usize>,
}

impl Bands {
    /// Restarts the runs when the levers, the model or the settings changed,
    /// and picks up what the background has added. Returns whether runs are
    /// still under way (the caller asks for another frame).
    pub fn update(&mut self, doc: &Document) -> bool {
        let same_model = self
            .model
            .as_ref()
            .is_some_and(|m| Arc::ptr_eq(m, doc.model.model_arc()));
        let same_settings = self.settings == Some(doc.monte_carlo);
        if !same_model || !same_settings || self.levers != doc.levers {
            if !same_model {
                self.model = Some(doc.model.model_arc().clone());
                self.compiled = Some(Arc::new(doc.model.clone()));
                self.design = None;
            }
            if !same_settings {
                self.settings = Some(doc.monte_carlo);
                self.design = None;
            }
            let compiled = self.compiled.clone().expect("set above");
            let design = self
                .design
                .get_or_insert_with(|| {
                    Arc::new(Design::new(
                        &compiled,
                        doc.monte_carlo.seed,
                        doc.monte_carlo.runs,
                    ))
                })
                .clone();
            self.levers = doc.levers.clone();
            // Dropping the old job cancels it.
            self.job = None;
            if design.uncertain_levers().is_empty() {
                self.summary = None;
                return false;
            }
            let vars = charted_vars(&compiled);
            let threads = self.threads.unwrap_or_else(mc::default_threads);
            let mut job = McJob::start(compiled, doc.levers.clone(), design, &vars, threads);
            self.summary = job.fresh_summary();
            self.job = Some(job);
        }
        let Some(job) = &mut self.job else {
            return false;
        };
        // Read before merging: a chunk landing in between gets another frame.
        let finished = job.is_done();
        if let Some(s) = job.fresh_summary() {
            self.summary = Some(s);
        }
        !finished
    }

    /// [`Bands::update`] for this frame, asking for further frames while
    /// runs refine, and what the charts and the headline draw.
    pub fn view(&mut self, ctx: &egui::Context, doc: &Document) -> plots::BandsView<'_> {
        if self.update(doc) {
            ctx.request_repaint_after(std::time::Duration::from_millis(30));
        }
        plots::BandsView {
            summary: self.summary.as_ref(),
            progress: self.progress(),
        }
    }

    /// Runs done and asked for, while the bands are being computed.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.job.as_ref().map(McJob::progress)
    }

    /// Stops the runs and forgets the bands (bands switched off).
    pub fn stop(&mut self) {
        *self = Bands {
            threads: self.threads,
            ..Bands::default()
        };
    }

    /// Whether the model has any uncertain lever.
    pub fn has_uncertainty(doc: &Document) -> bool {
        doc.model
            .model()
            .levers
            .iter()
            .any(|l| l.uncertainty.is_some())
    }
}

/// Every variable some chart shows.
fn charted_vars(model: &CompiledModel) -> Vec<usize> {
    let mut vars: Vec<usize> = model
        .model()
        .charts
        .iter()
        .flat_map(|c| c.series.iter())
        .filter_map(|v| model.var_index(v))
        .collect();
    vars.sort_unstable();
    vars.dedup();
    vars
}

/// The sensitivity window.
#[derive(Default)]
pub struct SensitivityPanel {
    pub open: bool,
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

impl SensitivityPanel {
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
            tr(lang, Msg::SensitivityTitle),
            &mut open,
            [620.0, 520.0],
            true,
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
        let model = &doc.model;
        let m = model.model();
        // Seed and runs of the bands, saved with the scenario.
        let mut settings = doc.monte_carlo;
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
        if settings != doc.monte_carlo {
            out.push(Command::SetMonteCarlo(settings));
        }
        ui.separator();
        if m.variables.is_empty() {
            return;
        }
        // The output: a variable and a year, by default the first target's.
        let first = m.targets.first();
        let var_id = self.var.get_or_insert_with(|| {
            first.map_or_else(|| m.variables[0].id.clone(), |t| t.variable.clone())
        });
        let Some(var) = model.var_index(var_id).or(Some(0)) else {
            return;
        };
        *var_id = m.variables[var].id.clone();
        let year = self
            .year
            .get_or_insert_with(|| first.map_or(m.end_year, |t| t.year));
        *year = (*year).clamp(m.start_year, m.end_year);
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(tr(lang, Msg::Output));
            egui::ComboBox::from_id_salt("sensitivity-output")
                .selected_text(m.variables[var].label.get(lang))
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
        let year = *year;
        let unit = m.variables[var].unit.get(lang);
        let key = Key {
            model: doc.model.model_arc().clone(),
            levers: doc.levers.clone(),
            var,
            year,
            seed: doc.monte_carlo.seed,
        };
        // Computed once per question, not every frame.
        if self.tornado.as_ref().is_none_or(|(k, _)| *k != key) {
            self.tornado = Some((key.clone(), mc::tornado(model, &doc.levers, var, year)));
        }
        let (base, bars) = self
            .tornado
            .as_ref()
            .map(|(_, t)| t.clone())
            .expect("set above");
        ui.label(format!(
            "{} {year}{}{} {unit}",
            m.variables[var].label.get(lang),
            colon(lang),
            fmt_auto(lang, base)
        ));
        ui.weak(tr(lang, Msg::TornadoIntro));
        // Bars from the base value: low end in one colour, high end in another.
        let n = bars.len();
        let mut low = Vec::new();
        let mut high = Vec::new();
        for (k, b) in bars.iter().enumerate() {
            let l = &m.levers[b.lever];
            let lunit = l.unit.get(lang);
            let y = (n - 1 - k) as f64;
            let explain = |end: Msg, x: f64, o: f64| {
                format!(
                    "{}\n{} {} {lunit}{}{} {year}{}{} {unit} ({}{} {unit}), {}",
                    l.label.get(lang),
                    tr(lang, end),
                    fmt_num(lang, x, super::levers::step_decimals(l.step)),
                    colon(lang),
                    m.variables[var].label.get(lang),
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
            .map(|b| m.levers[b.lever].label.get(lang).to_string())
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

        // Sobol indices, on demand (they take thousands of runs).
        ui.separator();
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
                            ui.label(m.levers[l].label.get(lang));
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
