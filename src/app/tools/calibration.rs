//! The calibration window: fit chosen levers to the observations up to a
//! year, read the fit (MAPE per variable) and the hindcast (the errors on the
//! observations the fit did not see), apply the fitted values in one
//! undoable click, or overlay the hindcast on the charts.

use eframe::egui;

use super::ToolWindow;
use crate::app::command::Command;
use crate::app::document::Document;
use crate::app::i18n::{Lang, Msg, colon, fmt_auto, fmt_num, fmt_pct, tr};
use crate::app::theme;
use crate::app::view::Cx;
use crate::model::calibrate::{CalibrateError, Calibration, calibrate};
use crate::model::fit::VariableFit;

/// A calibration with what it was computed from.
pub struct Fitted {
    /// The lever values it started from.
    pub start: Vec<f64>,
    /// The model it ran (the hindcast overlay needs it, whatever is open since).
    pub model: crate::model::CompiledModel,
    pub calibration: Calibration,
}

#[derive(Default)]
pub struct CalibrationPanel {
    /// Levers ticked, by id; `None` until first shown (then the model's
    /// calibration levers).
    chosen: Option<Vec<String>>,
    up_to: Option<i32>,
    /// The last result.
    pub result: Option<Fitted>,
    error: Option<CalibrateError>,
}

impl ToolWindow for CalibrationPanel {
    fn contents(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        ui.label(cx.tr(Msg::CalibrationIntro));
        self.question_ui(ui, cx);
        self.error_ui(ui, cx);
        self.result_ui(ui, cx);
    }
}

impl CalibrationPanel {
    /// Which levers to fit, on the observations up to which year; Calibrate.
    fn question_ui(&mut self, ui: &mut egui::Ui, cx: &Cx) {
        let (doc, lang) = (cx.doc, cx.lang);
        let m = doc.model.model();
        let chosen = self.chosen.get_or_insert_with(|| {
            doc.model
                .levers()
                .iter()
                .filter(|l| l.calibration)
                .map(|l| l.id.clone())
                .collect()
        });
        ui.strong(tr(lang, Msg::LeversToFit));
        ui.horizontal_wrapped(|ui| {
            for l in doc.model.levers() {
                let mut on = chosen.contains(&l.id);
                if ui.checkbox(&mut on, l.label.get(lang)).changed() {
                    if on {
                        chosen.push(l.id.clone());
                    } else {
                        chosen.retain(|x| x != &l.id);
                    }
                }
            }
        });
        let years = m.start_year..=m.last_observed_year.max(m.start_year);
        let up_to = self.up_to.get_or_insert(*years.end());
        ui.horizontal(|ui| {
            let l = ui.label(tr(lang, Msg::ObservationsUpTo));
            ui.add(egui::DragValue::new(up_to).range(years))
                .labelled_by(l.id);
            if ui.button(tr(lang, Msg::Calibrate)).clicked() {
                let idx: Vec<usize> = (0..doc.model.levers().len())
                    .filter(|&l| chosen.contains(&doc.model.levers()[l].id))
                    .collect();
                match calibrate(&doc.model, &doc.levers, &idx, *up_to) {
                    Ok(c) => {
                        self.result = Some(Fitted {
                            start: doc.levers.clone(),
                            model: doc.model.clone(),
                            calibration: c,
                        });
                        self.error = None;
                    }
                    Err(e) => {
                        self.result = None;
                        self.error = Some(e);
                    }
                }
            }
        });
    }

    fn error_ui(&self, ui: &mut egui::Ui, cx: &Cx) {
        let (lang, dark) = (cx.lang, cx.dark);
        match &self.error {
            Some(CalibrateError::NoLevers) => {
                ui.colored_label(theme::bad(dark), tr(lang, Msg::NoLeversChosen));
            }
            Some(CalibrateError::NoObservations(y)) => {
                ui.colored_label(
                    theme::bad(dark),
                    format!("{} {y}.", tr(lang, Msg::NoObservationsUpTo)),
                );
            }
            None => {}
        }
    }

    /// The fitted values (Apply, Show the hindcast), the fit and the hindcast.
    fn result_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (doc, lang) = (cx.doc, cx.lang);
        // A result for another model, or for lever values that are neither
        // where it started nor what it fitted, is dropped: never shown stale.
        if self.result.as_ref().is_some_and(|f| {
            !std::sync::Arc::ptr_eq(f.model.model_arc(), doc.model.model_arc())
                || (f.start != doc.levers && f.calibration.levers != doc.levers)
        }) {
            self.result = None;
        }
        let Some(Fitted {
            start,
            calibration: c,
            ..
        }) = &self.result
        else {
            return;
        };
        ui.separator();
        egui::Grid::new("calibration-levers")
            .striped(true)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for h in [Msg::Lever, Msg::Now, Msg::Fitted] {
                    ui.strong(tr(lang, h));
                }
                ui.end_row();
                for &l in &c.chosen {
                    let def = &doc.model.levers()[l];
                    let unit = def.unit.get(lang);
                    ui.label(def.label.get(lang));
                    ui.label(format!("{} {unit}", fmt_num(lang, start[l], 2)));
                    ui.strong(format!("{} {unit}", fmt_num(lang, c.levers[l], 2)));
                    ui.end_row();
                }
            });
        ui.horizontal(|ui| {
            if ui.button(tr(lang, Msg::Apply)).clicked() {
                cx.send(Command::SetLevers(c.levers.clone()));
            }
            if ui.button(tr(lang, Msg::ShowHindcast)).clicked() {
                cx.send(Command::ShowHindcast);
            }
        });
        ui.add_space(6.0);
        ui.strong(tr(lang, Msg::FitUsed));
        fit_table(ui, "calibration-fit", doc, &c.fit, lang);
        if !c.holdout.is_empty() {
            ui.add_space(6.0);
            ui.strong(format!(
                "{} {} ({})",
                tr(lang, Msg::HindcastTitle),
                c.up_to,
                tr(lang, Msg::NotUsed)
            ));
            fit_table(ui, "calibration-holdout", doc, &c.holdout, lang);
        }
    }
}

/// A row per variable: MAPE, points, and the worst point against its observation.
fn fit_table(ui: &mut egui::Ui, id: &str, doc: &Document, fits: &[VariableFit], lang: Lang) {
    let m = doc.model.model();
    egui::Grid::new(id)
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for h in [Msg::Variable, Msg::Mape, Msg::Points, Msg::Worst] {
                ui.strong(tr(lang, h));
            }
            ui.end_row();
            for f in fits {
                let Some(v) = m.variable(&f.variable) else {
                    continue;
                };
                let unit = v.unit.get(lang);
                ui.label(v.label.get(lang));
                ui.label(format!("{}\u{a0}%", fmt_num(lang, f.mape_pct, 1)));
                ui.label(f.points.len().to_string());
                if let Some(w) = f
                    .points
                    .iter()
                    .max_by(|a, b| a.error.abs().total_cmp(&b.error.abs()))
                {
                    ui.label(format!(
                        "{}{}{} {unit} / {} {unit} ({})",
                        w.year,
                        colon(lang),
                        fmt_auto(lang, w.model),
                        fmt_auto(lang, w.observed),
                        fmt_pct(lang, w.error, 1)
                    ))
                    .on_hover_text(format!(
                        "{}{}{}",
                        tr(lang, Msg::Source),
                        colon(lang),
                        m.observations
                            .get(w.observation)
                            .map_or("", |o| o.source.title.as_str())
                    ));
                }
                ui.end_row();
            }
        });
}
