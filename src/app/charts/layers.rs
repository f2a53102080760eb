//! What one chart draws, collected before the plot is shown, then drawn in
//! one order: the projection years, stacked areas, fans, lines, series
//! breaks, observations, targets.

use eframe::egui;
use egui_plot::{FilledArea, LineStyle, PlotPoint, PlotUi, Points, Polygon, Span, Text, VLine};

use super::ChartCx;
use super::hover::Hover;
use crate::app::i18n::{Msg, tr};
use crate::app::theme;

#[derive(Default)]
pub struct Layers {
    pub polygons: Vec<Polygon<'static>>,
    pub areas: Vec<FilledArea>,
    pub lines: Vec<egui_plot::Line<'static>>,
    /// Years where a series breaks (a change of definition).
    pub breaks: Vec<i32>,
    pub observations: Vec<Points<'static>>,
    pub targets: Option<Points<'static>>,
    /// Hover texts of the points drawn, by series name.
    pub hover: Hover,
    /// The highest value drawn: the y axis reaches a little above it.
    pub max_y: f64,
}

impl Layers {
    /// Makes room on the y axis for `values`.
    pub fn fit(&mut self, values: impl IntoIterator<Item = f64>) {
        self.max_y = values.into_iter().fold(self.max_y, f64::max);
    }

    /// Draws every layer, in order.
    pub fn draw(self, plot_ui: &mut PlotUi, c: &ChartCx, weak: egui::Color32) {
        let Layers {
            polygons,
            areas,
            lines,
            breaks,
            observations,
            targets,
            hover: _,
            max_y,
        } = self;
        let (lang, dark) = (c.lang, c.dark);
        let m = c.model();
        // A model with no observations (a new or imported one) has no
        // history: nothing to set the projection apart from.
        if !m.observations.is_empty() {
            let last_obs = m.last_observed_year as f64 + 0.5;
            let end = m.end_year as f64 + 0.5;
            plot_ui
                .span(Span::new(String::new(), last_obs..=end).fill(theme::projection_fill(dark)));
            plot_ui.text(
                Text::new(
                    String::new(),
                    PlotPoint::new(last_obs + 0.3, max_y * 1.06),
                    egui::RichText::new(tr(lang, Msg::Projection)).small(),
                )
                .anchor(egui::Align2::LEFT_TOP)
                .color(weak),
            );
        }
        for p in polygons {
            plot_ui.polygon(p);
        }
        for a in areas {
            plot_ui.add(a);
        }
        for l in lines {
            plot_ui.line(l);
        }
        for y in breaks {
            break_ui(plot_ui, c, y, max_y);
        }
        for p in observations {
            plot_ui.points(p);
        }
        if let Some(t) = targets {
            plot_ui.points(t);
        }
    }
}

/// A series break: a dashed line between the two years, and its name.
fn break_ui(plot_ui: &mut PlotUi, c: &ChartCx, year: i32, max_y: f64) {
    plot_ui.vline(
        VLine::new(String::new(), year as f64 - 0.5)
            .color(theme::TARGET.gamma_multiply(0.8))
            .style(LineStyle::dashed_dense())
            .width(1.5),
    );
    // At the foot of the line, right of it: the legend holds the top left
    // and "Projection" the top right, and rising series leave the foot free.
    plot_ui.text(
        Text::new(
            String::new(),
            PlotPoint::new(year as f64 - 0.4, max_y * 0.02),
            egui::RichText::new(tr(c.lang, Msg::SeriesBreak)).small(),
        )
        .anchor(egui::Align2::LEFT_BOTTOM)
        .color(theme::TARGET),
    );
}
