//! The headline strip: for each target ahead, the scenario's value in the
//! target year, the gap, the growth the target requires against the
//! scenario's, and whether it is on track. Past plans fold away below.

use eframe::egui::{self, RichText};

use crate::app::document::Document;
use crate::app::i18n::{Lang, Msg, colon, fmt_auto, fmt_num, fmt_pct, tr};
use crate::app::theme;
use crate::app::view::Cx;
use crate::model::targets::TargetStatus;

/// The text of a target card, in reading order: used by the UI and by tests.
pub struct Card {
    pub label: String,
    pub value: String,
    pub target: String,
    pub gap: String,
    pub growth: String,
    pub status: String,
    pub met: bool,
    /// The probability of meeting the target, when the bands are on.
    pub odds: Option<String>,
}

pub fn card(doc: &Document, s: &TargetStatus, lang: Lang, odds: Option<&[Option<f64>]>) -> Card {
    let m = doc.model.model();
    let t = &m.targets[s.target];
    let unit = doc.model.series(s.var).unit.get(lang);
    let c = colon(lang);
    let semi = if lang == Lang::Fr { "\u{a0}; " } else { "; " };
    let growth = match (s.required_growth, s.run_growth, s.last_observation) {
        (Some(req), Some(run), Some((y0, _))) => format!(
            "{} {} {y0}{c}{}{}{semi}{} {}{}",
            tr(lang, Msg::Required),
            tr(lang, Msg::From),
            fmt_pct(lang, req, 1),
            tr(lang, Msg::PerYear),
            tr(lang, Msg::ScenarioGrowth),
            fmt_pct(lang, run, 1),
            tr(lang, Msg::PerYear),
        ),
        _ => String::new(),
    };
    let status = match (s.future, s.met) {
        (true, true) => Msg::OnTrack,
        (true, false) => Msg::OffTrack,
        (false, true) => Msg::Met,
        (false, false) => Msg::Missed,
    };
    Card {
        label: t.label.get(lang).to_string(),
        value: format!("{} {unit}", fmt_auto(lang, s.value)),
        target: format!(
            "{} {}{c}{} {unit}",
            tr(lang, Msg::Target),
            t.year,
            fmt_auto(lang, t.value)
        ),
        gap: format!(
            "{} {}{} {unit} ({})",
            tr(lang, Msg::Gap),
            if s.gap > 0.0 { "+" } else { "" },
            fmt_num(lang, s.gap, crate::app::i18n::auto_decimals(s.gap)),
            fmt_pct(lang, s.gap_frac, 1)
        ),
        growth,
        status: tr(lang, status).to_string(),
        met: s.met,
        odds: odds
            .and_then(|o| o.get(s.target).copied().flatten())
            .map(|p| {
                // Never "0 %" or "100 %" for what merely rounds to it.
                let pct = if p > 0.0 && p <= 0.005 {
                    "<\u{a0}1".to_string()
                } else if (0.995..1.0).contains(&p) {
                    ">\u{a0}99".to_string()
                } else {
                    fmt_num(lang, 100.0 * p, 0)
                };
                format!("{}{}{pct}\u{a0}%", tr(lang, Msg::Odds), c)
            }),
    }
}

pub fn ui(ui: &mut egui::Ui, cx: &Cx, odds: Option<&[Option<f64>]>) {
    let (doc, lang, dark) = (cx.doc, cx.lang, cx.dark);
    if !doc.run.problems.is_empty() {
        for p in &doc.run.problems {
            ui.colored_label(
                theme::bad(dark),
                format!("{}{}{p}", tr(lang, Msg::RunProblem), colon(lang)),
            );
        }
    }
    let ahead: Vec<&TargetStatus> = doc.statuses.iter().filter(|s| s.future).collect();
    let past: Vec<&TargetStatus> = doc.statuses.iter().filter(|s| !s.future).collect();
    if !ahead.is_empty() {
        let n = ahead.len() as f32;
        let spacing = ui.spacing().item_spacing.x;
        let width = ((ui.available_width() - spacing * (n - 1.0)) / n - 18.0).clamp(190.0, 360.0);
        ui.horizontal_wrapped(|ui| {
            for s in ahead {
                card_ui(ui, &card(doc, s, lang, odds), width, dark);
            }
        });
    }
    if !past.is_empty() {
        egui::CollapsingHeader::new(tr(lang, Msg::PastPlans))
            .id_salt("past_plans")
            .default_open(false)
            .show(ui, |ui| {
                for s in past {
                    let c = card(doc, s, lang, None);
                    ui.horizontal_wrapped(|ui| {
                        let color = if c.met {
                            theme::good(dark)
                        } else {
                            theme::bad(dark)
                        };
                        ui.colored_label(color, RichText::new(&c.status).strong());
                        ui.label(&c.label);
                        ui.weak(format!("— {} · {} · {}", c.value, c.target, c.gap));
                    });
                }
            });
    }
}

fn card_ui(ui: &mut egui::Ui, c: &Card, width: f32, dark: bool) {
    let color = if c.met {
        theme::good(dark)
    } else {
        theme::bad(dark)
    };
    egui::Frame::group(ui.style())
        .inner_margin(egui::Margin::same(8))
        .show(ui, |ui| {
            ui.set_width(width);
            ui.vertical(|ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&c.status).small().strong().color(color));
                    ui.label(RichText::new(&c.label).small());
                });
                ui.label(RichText::new(&c.value).size(22.0).strong());
                ui.label(RichText::new(&c.target).small());
                ui.label(RichText::new(&c.gap).small().color(color));
                if let Some(o) = &c.odds {
                    ui.label(RichText::new(o).strong());
                }
                if !c.growth.is_empty() {
                    ui.add(egui::Label::new(RichText::new(&c.growth).small().weak()).wrap());
                }
            });
        });
}
