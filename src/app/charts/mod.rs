//! The charts: the scenario (solid), the baseline (thin grey), uncertainty
//! fans, compared scenarios (dashed), observations (points, hover for value,
//! year and source), targets (diamonds), the series break, and the
//! projection years shaded. Drawing reads the document and never changes it.
//!
//! A chart is built in [`Layers`]: its kind ([`ChartKind`], one file each:
//! `lines.rs`, `stacked.rs`) adds the series, then the shared pieces add
//! the bands (`bands.rs`), compared scenarios, marks (`marks.rs`: observations,
//! targets, breaks) and hover texts (`hover.rs`); `axes.rs` sets up the plot;
//! `legend.rs` explains the marks once above the charts. A new kind of chart
//! is one new file implementing [`Kind`] and one arm of [`ChartKind`].

mod axes;
mod bands;
mod hover;
mod layers;
mod legend;
mod lines;
mod marks;
mod stacked;

use eframe::egui::{self, Color32};

use super::document::Document;
use super::i18n::{Lang, Msg, tr};
use super::panels::compare::Compared;
use super::view::Cx;
use crate::model::Model;
use crate::model::def::Chart;
use crate::model::mc::Summary;
pub use layers::Layers;

/// The uncertainty bands to draw, and how far their runs have got.
pub struct BandsView<'a> {
    pub summary: Option<&'a Summary>,
    pub progress: Option<(usize, usize)>,
}

/// What kind of chart a model's chart is drawn as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// One line per variable, the first solid, the others dashed.
    Lines,
    /// Variables that add up, stacked as areas (jobs by segment).
    Stacked,
}

impl ChartKind {
    pub fn of(chart: &Chart) -> Self {
        if chart.stacked {
            ChartKind::Stacked
        } else {
            ChartKind::Lines
        }
    }

    fn imp(self) -> &'static dyn Kind {
        match self {
            ChartKind::Lines => &lines::Lines,
            ChartKind::Stacked => &stacked::Stacked,
        }
    }
}

/// How one kind of chart draws its series; the rest is shared.
trait Kind {
    /// The scenario's series (and baseline, bands) of the chart's variables.
    fn series(&self, c: &ChartCx, layers: &mut Layers);
    /// The points of a compared scenario: one line per thing drawn.
    fn compared(&self, c: &ChartCx, compared: &Compared) -> Vec<Vec<[f64; 2]>>;
    /// Whether every series gets its observations and targets, or only the
    /// chart's first variable its targets (a stack's parts have none).
    fn marks_every_series(&self) -> bool;
}

/// One chart being built: what every layer reads.
pub struct ChartCx<'a> {
    pub doc: &'a Document,
    pub lang: Lang,
    pub dark: bool,
    pub chart: &'a Chart,
    /// The chart's variables that the model has, by index.
    pub series: Vec<usize>,
    pub bands: Option<&'a Summary>,
}

impl ChartCx<'_> {
    pub fn model(&self) -> &Model {
        self.doc.model.model()
    }

    /// Whether variable `v` ran without a problem (else it is not drawn).
    pub fn valid(&self, v: usize) -> bool {
        self.doc.run.problems.iter().all(|p| p.var != v)
    }

    /// The name of series `v` in the legend and in hover texts.
    pub fn series_name(&self, v: usize) -> String {
        let model = &self.doc.model;
        let s = model.series(v);
        // The elements of one arrayed variable are told apart by element.
        let one_var = self.series.iter().all(|&x| model.series(x).var == s.var);
        match (&s.element, self.series.len()) {
            (_, 1) => tr(self.lang, Msg::Scenario).to_string(),
            (Some(e), _) if one_var => e.get(self.lang).to_string(),
            _ => s.label.get(self.lang).to_string(),
        }
    }
}

/// The legend row, then the charts the view shows.
pub fn ui(ui: &mut egui::Ui, cx: &Cx, compared: &[Compared], bands: Option<&BandsView>) {
    let m = cx.doc.model.model();
    let charts = shown_charts(&cx.doc.model, cx.by_segment);
    if charts.is_empty() {
        ui.label(cx.tr(Msg::ChartsHint));
        return;
    }
    legend::legend_row(ui, cx.lang, cx.dark, legend::Present::of(m), bands);
    charts_ui(ui, cx, compared, &charts, bands);
}

/// `charts` in a grid of two columns filling the space left.
pub fn charts_ui(
    ui: &mut egui::Ui,
    cx: &Cx,
    compared: &[Compared],
    charts: &[&Chart],
    bands: Option<&BandsView>,
) {
    let m = cx.doc.model.model();
    // Every chart spans the same years: the model's, and the earliest observation.
    let first_year = m
        .observations
        .iter()
        .map(|o| o.year)
        .chain(std::iter::once(m.start_year))
        .min()
        .unwrap_or(m.start_year);
    let cols = if charts.len() == 1 { 1 } else { 2 };
    let rows = charts.len().div_ceil(cols);
    let spacing = ui.spacing().item_spacing;
    let width = (ui.available_width() - spacing.x * (cols as f32 - 1.0)) / cols as f32;
    let height =
        ((ui.available_height() - spacing.y * (rows as f32 - 1.0)) / rows as f32).max(150.0);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for row in charts.chunks(cols) {
                ui.horizontal(|ui| {
                    for chart in row {
                        ui.allocate_ui(egui::vec2(width, height), |ui| {
                            let c = ChartCx {
                                doc: cx.doc,
                                lang: cx.lang,
                                dark: cx.dark,
                                chart,
                                series: cx.doc.model.chart_series(&chart.series),
                                bands: bands.and_then(|b| b.summary),
                            };
                            chart_ui(ui, &c, compared, height, first_year);
                        });
                    }
                });
            }
        });
}

/// The charts on screen: the model's main charts, or in the detailed view
/// ("by segment") the detail charts in the places of the first main ones.
pub fn shown_charts(m: &crate::model::CompiledModel, by_segment: bool) -> Vec<&Chart> {
    let (detail, main): (Vec<&Chart>, Vec<&Chart>) = m.charts().iter().partition(|c| c.detail);
    if by_segment {
        let skip = detail.len();
        detail
            .into_iter()
            .chain(main.into_iter().skip(skip))
            .collect()
    } else {
        main
    }
}

/// One chart: its title, then its layers in a plot sharing the year axis.
fn chart_ui(ui: &mut egui::Ui, c: &ChartCx, compared: &[Compared], height: f32, first_year: i32) {
    let Some(&first_var) = c.series.first() else {
        return;
    };
    let kind = ChartKind::of(c.chart).imp();
    ui.vertical(|ui| {
        ui.label(egui::RichText::new(c.chart.title.get(c.lang)).strong());
        let title_h = ui.min_rect().height();
        let mut layers = Layers::default();
        kind.series(c, &mut layers);
        for (i, other) in compared.iter().enumerate() {
            let color = super::theme::compare_color(i, c.dark);
            compared_layer(&mut layers, &other.name, kind.compared(c, other), color);
        }
        if kind.marks_every_series() {
            marks::observations(c, &mut layers);
        }
        marks::targets(c, kind.marks_every_series(), &mut layers);
        marks::breaks(c, &mut layers);
        let unit = c.doc.model.series(first_var).unit.get(c.lang).to_string();
        let plot_h = (height - title_h - 8.0).max(110.0);
        let legend = c.series.len() > 1 || !compared.is_empty();
        let plot = axes::plot(c, &unit, plot_h, first_year, layers.max_y, legend);
        let hover = std::mem::take(&mut layers.hover);
        let weak = ui.visuals().weak_text_color();
        plot.label_formatter(hover.formatter(c.lang, unit))
            .show(ui, |plot_ui| layers.draw(plot_ui, c, weak));
    });
}

/// A compared scenario's lines: dashed, in its colour, named in the legend.
fn compared_layer(layers: &mut Layers, name: &str, lines: Vec<Vec<[f64; 2]>>, color: Color32) {
    for p in lines {
        layers.fit(p.iter().map(|q| q[1]));
        layers.lines.push(
            egui_plot::Line::new(name.to_string(), egui_plot::PlotPoints::from(p))
                .color(color)
                .width(2.0)
                .style(egui_plot::LineStyle::dashed_dense()),
        );
    }
}
