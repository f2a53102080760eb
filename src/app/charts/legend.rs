//! The marks every chart shares, explained once above the charts, and the
//! progress of the uncertainty runs.

use eframe::egui::{self, Color32, Stroke};

use super::BandsView;
use crate::app::i18n::{Lang, Msg, fmt_num, tr};
use crate::app::theme;

/// The shape of a legend entry.
#[derive(Clone, Copy)]
enum Icon {
    Line,
    ThinLine,
    Dot,
    Diamond,
    Dashed,
    Area,
}

/// Which of the optional marks the model has: a legend explains only
/// what the charts can show.
#[derive(Clone, Copy)]
pub struct Present {
    observations: bool,
    targets: bool,
    breaks: bool,
}

impl Present {
    pub fn of(m: &crate::model::Model) -> Present {
        Present {
            observations: !m.observations.is_empty(),
            targets: !m.targets.is_empty(),
            breaks: !m.series_breaks.is_empty(),
        }
    }
}

/// The marks every chart shares, explained once above the charts.
pub fn legend_row(
    ui: &mut egui::Ui,
    lang: Lang,
    dark: bool,
    present: Present,
    bands: Option<&BandsView>,
) {
    ui.horizontal_wrapped(|ui| {
        let items = [
            (Icon::Line, theme::series_color(0), Msg::Scenario, true),
            (Icon::ThinLine, theme::baseline(dark), Msg::Baseline, true),
            (
                Icon::Dot,
                theme::observed(dark),
                Msg::Observed,
                present.observations,
            ),
            (Icon::Diamond, theme::TARGET, Msg::Target, present.targets),
            (
                Icon::Dashed,
                theme::TARGET,
                Msg::SeriesBreak,
                present.breaks,
            ),
            (
                Icon::Area,
                theme::projection_fill(dark).gamma_multiply(4.0),
                Msg::Projection,
                present.observations,
            ),
        ];
        for (kind, color, msg, _) in items.into_iter().filter(|i| i.3) {
            icon(ui, kind, color);
            ui.label(egui::RichText::new(tr(lang, msg)).small());
            ui.add_space(8.0);
        }
        if let Some(b) = bands {
            bands_legend(ui, lang, b);
        }
    });
}

fn icon(ui: &mut egui::Ui, kind: Icon, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 12.0), egui::Sense::hover());
    let p = ui.painter();
    let c = rect.center();
    match kind {
        Icon::Line | Icon::ThinLine => {
            let width = if matches!(kind, Icon::Line) { 2.5 } else { 1.0 };
            p.line_segment(
                [rect.left_center(), rect.right_center()],
                Stroke::new(width, color),
            );
        }
        Icon::Dot => {
            p.circle_filled(c, 4.0, color);
        }
        Icon::Diamond => {
            let r = 6.0;
            p.add(egui::Shape::convex_polygon(
                vec![
                    c + egui::vec2(0.0, -r),
                    c + egui::vec2(r, 0.0),
                    c + egui::vec2(0.0, r),
                    c + egui::vec2(-r, 0.0),
                ],
                color,
                Stroke::NONE,
            ));
        }
        Icon::Dashed => {
            p.add(egui::Shape::dashed_line(
                &[egui::pos2(c.x, rect.top()), egui::pos2(c.x, rect.bottom())],
                Stroke::new(1.5, color),
                3.0,
                2.0,
            ));
        }
        Icon::Area => {
            p.rect_filled(rect, 2.0, color);
        }
    }
}

/// The fans and the median, and how far the runs have got: a bar while
/// they refine, the count once done.
fn bands_legend(ui: &mut egui::Ui, lang: Lang, b: &BandsView) {
    let c = theme::series_color(0);
    icon(ui, Icon::Area, c.gamma_multiply(0.16));
    ui.label(egui::RichText::new(tr(lang, Msg::Band90)).small());
    icon(ui, Icon::Area, c.gamma_multiply(0.4));
    ui.label(egui::RichText::new(tr(lang, Msg::Band50)).small());
    let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 12.0), egui::Sense::hover());
    ui.painter().add(egui::Shape::dotted_line(
        &[rect.left_center(), rect.right_center()],
        c,
        4.0,
        1.2,
    ));
    ui.label(egui::RichText::new(tr(lang, Msg::Median)).small());
    ui.add_space(8.0);
    let runs = b.summary.map_or(0, |s| s.runs);
    match b.progress {
        Some((done, total)) if done < total => {
            ui.add(
                egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                    .desired_width(90.0)
                    .desired_height(10.0),
            );
            ui.label(
                egui::RichText::new(format!(
                    "{} {} / {}",
                    tr(lang, Msg::RunsProgress),
                    fmt_num(lang, done as f64, 0),
                    fmt_num(lang, total as f64, 0)
                ))
                .small(),
            );
        }
        _ if runs > 0 => {
            ui.label(
                egui::RichText::new(format!(
                    "{} {}",
                    fmt_num(lang, runs as f64, 0),
                    tr(lang, Msg::RunsWord)
                ))
                .small(),
            );
        }
        _ => {}
    }
}
