//! The Time tab: the model's clock. Start and stop, the time unit, the
//! time step (any positive number, or a fraction such as `1/4`), how often
//! the run is saved and the integration method. Every change re-runs the
//! model at once; a change the model refuses (Runge-Kutta with a stock
//! given by its change, a save step that is not a whole number of steps)
//! is said under the fields and changes nothing.

use eframe::egui;

use super::propose;
use crate::app::i18n::{Msg, tr};
use crate::app::view::Cx;
use crate::model::def::{Method, Model, TimeUnit};
use crate::numfmt::{fmt_num, fmt_time, parse_num};

#[derive(Default)]
pub struct TimeTab {
    /// The step being typed, until it reads as a number.
    dt_text: Option<String>,
    save_text: Option<String>,
    error: Option<String>,
}

impl TimeTab {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let m = cx.doc.model.model().clone();
        let mut edited: Option<(Model, &str)> = None;
        egui::Grid::new("editor-time")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                self.span_ui(ui, cx, &m, &mut edited);
                unit_ui(ui, cx, &m, &mut edited);
                if m.time.schedule.is_empty() {
                    self.step_ui(ui, cx, &m, &mut edited);
                    self.save_ui(ui, cx, &m, &mut edited);
                } else {
                    schedule_ui(ui, cx, &m, &mut edited);
                }
                method_ui(ui, cx, &m, &mut edited);
            });
        ui.weak(tr(cx.lang, Msg::TimeStepsNote).replace(
            "{n}",
            &fmt_num(cx.lang, cx.doc.model.clock().n_steps as f64, 0),
        ));
        if let Some((model, key)) = edited {
            self.error = propose(model, format!("time:{key}"), cx.out());
        }
        if let Some(e) = &self.error {
            ui.colored_label(crate::app::theme::bad(cx.dark), e);
        }
    }

    fn span_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &Cx,
        m: &Model,
        edited: &mut Option<(Model, &str)>,
    ) {
        for (msg, key, value) in [
            (Msg::StartTime, "start", m.start_year),
            (Msg::StopTime, "stop", m.end_year),
        ] {
            let l = ui.label(tr(cx.lang, msg));
            let mut v = value;
            if ui
                .add(egui::DragValue::new(&mut v))
                .labelled_by(l.id)
                .changed()
            {
                let mut model = m.clone();
                if key == "start" {
                    model.start_year = v;
                    model.last_observed_year = model.last_observed_year.max(v);
                } else {
                    model.end_year = v;
                }
                *edited = Some((model, key));
            }
            ui.end_row();
        }
    }

    fn step_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &Cx,
        m: &Model,
        edited: &mut Option<(Model, &str)>,
    ) {
        let l = ui.label(tr(cx.lang, Msg::TimeStep));
        let shown = step_text(cx, m.time.dt, m.time.dt_reciprocal);
        let text = self.dt_text.get_or_insert_with(|| shown.clone());
        let resp = ui
            .add(egui::TextEdit::singleline(text).desired_width(120.0))
            .labelled_by(l.id);
        if resp.changed() {
            if let Some((dt, reciprocal)) = parse_step(cx, text) {
                let mut model = m.clone();
                model.time.dt = dt;
                model.time.dt_reciprocal = reciprocal;
                *edited = Some((model, "dt"));
            }
        } else if !resp.has_focus() {
            self.dt_text = None;
        }
        ui.end_row();
    }

    fn save_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &Cx,
        m: &Model,
        edited: &mut Option<(Model, &str)>,
    ) {
        let l = ui.label(tr(cx.lang, Msg::SaveStep));
        ui.horizontal(|ui| {
            let mut every = m.time.save_step.is_none();
            if ui
                .checkbox(&mut every, tr(cx.lang, Msg::EveryStep))
                .changed()
            {
                let mut model = m.clone();
                model.time.save_step = (!every).then_some(1.0_f64.max(m.time.step()));
                *edited = Some((model, "save"));
            }
            if let Some(s) = m.time.save_step {
                let text = self.save_text.get_or_insert_with(|| fmt_time(cx.lang, s));
                let resp = ui
                    .add(egui::TextEdit::singleline(text).desired_width(80.0))
                    .labelled_by(l.id);
                if resp.changed() {
                    if let Some(v) = parse_num(cx.lang, text) {
                        let mut model = m.clone();
                        model.time.save_step = Some(v);
                        *edited = Some((model, "save"));
                    }
                } else if !resp.has_focus() {
                    self.save_text = None;
                }
            }
        });
        ui.end_row();
    }
}

/// A step that changes during the run (`time.schedule`, from a Vensim
/// model): its stretches, read only, and the way back to one step (the
/// first stretch's, every step saved).
fn schedule_ui(ui: &mut egui::Ui, cx: &Cx, m: &Model, edited: &mut Option<(Model, &str)>) {
    ui.label(tr(cx.lang, Msg::TimeStep));
    ui.vertical(|ui| {
        ui.label(tr(cx.lang, Msg::ScheduleNote));
        for s in &m.time.schedule {
            ui.weak(
                tr(cx.lang, Msg::ScheduleStretch)
                    .replace("{from}", &fmt_time(cx.lang, s.from))
                    .replace("{dt}", &fmt_time(cx.lang, s.dt))
                    .replace("{save}", &fmt_time(cx.lang, s.save)),
            );
        }
        if ui.button(tr(cx.lang, Msg::OneStepForAll)).clicked() {
            let mut model = m.clone();
            model.time.dt = m.time.schedule[0].dt;
            model.time.dt_reciprocal = false;
            model.time.save_step = None;
            model.time.schedule.clear();
            *edited = Some((model, "schedule"));
        }
    });
    ui.end_row();
}

fn unit_ui(ui: &mut egui::Ui, cx: &Cx, m: &Model, edited: &mut Option<(Model, &str)>) {
    let l = ui.label(tr(cx.lang, Msg::TimeUnitField));
    let mut unit = m.time.unit;
    egui::ComboBox::from_id_salt("editor-time-unit")
        .selected_text(tr(cx.lang, unit_msg(unit)))
        .show_ui(ui, |ui| {
            for u in TimeUnit::ALL {
                ui.selectable_value(&mut unit, u, tr(cx.lang, unit_msg(u)));
            }
        })
        .response
        .labelled_by(l.id);
    if unit != m.time.unit {
        let mut model = m.clone();
        model.time.unit = unit;
        *edited = Some((model, "unit"));
    }
    ui.end_row();
}

fn method_ui(ui: &mut egui::Ui, cx: &Cx, m: &Model, edited: &mut Option<(Model, &str)>) {
    ui.label(tr(cx.lang, Msg::Integration));
    let mut method = m.time.method;
    ui.horizontal(|ui| {
        ui.radio_value(&mut method, Method::Euler, "Euler");
        ui.radio_value(&mut method, Method::Rk4, "Runge-Kutta 4");
    });
    if method != m.time.method {
        let mut model = m.clone();
        model.time.method = method;
        *edited = Some((model, "method"));
    }
    ui.end_row();
}

/// The message naming a time unit.
pub fn unit_msg(u: TimeUnit) -> Msg {
    match u {
        TimeUnit::Year => Msg::UnitYear,
        TimeUnit::Quarter => Msg::UnitQuarter,
        TimeUnit::Month => Msg::UnitMonth,
        TimeUnit::Week => Msg::UnitWeek,
        TimeUnit::Day => Msg::UnitDay,
    }
}

/// A step as the field shows it: `1/4` when written as a reciprocal.
fn step_text(cx: &Cx, dt: f64, reciprocal: bool) -> String {
    if reciprocal {
        format!("1/{}", fmt_time(cx.lang, dt))
    } else {
        fmt_time(cx.lang, dt)
    }
}

/// `0.25`, `0,25` in French, or `1/4` (kept as a reciprocal, as XMILE
/// writes it): a positive step, or `None` while the text is not one.
pub fn parse_step(cx: &Cx, text: &str) -> Option<(f64, bool)> {
    let (value, reciprocal) = match text.trim().split_once('/') {
        Some((one, d)) if one.trim() == "1" => (parse_num(cx.lang, d.trim())?, true),
        Some(_) => return None,
        None => (parse_num(cx.lang, text.trim())?, false),
    };
    (value.is_finite() && value > 0.0).then_some((value, reciprocal))
}
