//! The charts the model declares: scenario (solid), baseline (thin grey),
//! observations (points, hover for value, year and source), targets
//! (diamonds), the series break, and the projection years shaded.
//! Drawing reads the document and never changes it.

use eframe::egui::{self, Color32, Id, Stroke};
use egui_plot::{
    Corner, FilledArea, HoverPosition, Legend, Line, LineStyle, MarkerShape, Plot, PlotPoint,
    PlotPoints, Points, Polygon, Span, Text, VLine,
};

use super::compare::Compared;
use super::document::Document;
use super::i18n::{Lang, Msg, colon, fmt_auto, fmt_num, tr};
use super::theme;
use crate::model::Model;
use crate::model::def::Chart;
use crate::model::mc::Summary;

/// The uncertainty bands to draw, and how far their runs have got.
pub struct BandsView<'a> {
    pub summary: Option<&'a Summary>,
    pub progress: Option<(usize, usize)>,
}

pub fn ui(
    ui: &mut egui::Ui,
    doc: &Document,
    compared: &[Compared],
    lang: Lang,
    dark: bool,
    by_segment: bool,
    bands: Option<&BandsView>,
) {
    let m = doc.model.model();
    let charts = shown_charts(m, by_segment);
    if charts.is_empty() {
        ui.label(tr(lang, Msg::ChartsHint));
        return;
    }
    legend_row(ui, lang, dark, bands);
    charts_ui(ui, doc, compared, lang, dark, &charts, bands);
}

/// `charts` in a grid of two columns filling the space left.
pub fn charts_ui(
    ui: &mut egui::Ui,
    doc: &Document,
    compared: &[Compared],
    lang: Lang,
    dark: bool,
    charts: &[&Chart],
    bands: Option<&BandsView>,
) {
    let m = doc.model.model();
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
                    for c in row {
                        ui.allocate_ui(egui::vec2(width, height), |ui| {
                            chart_ui(
                                ui,
                                doc,
                                compared,
                                c,
                                lang,
                                dark,
                                height,
                                first_year,
                                bands.and_then(|b| b.summary),
                            );
                        });
                    }
                });
            }
        });
}

/// The charts on screen: the model's main charts, or in the detailed view
/// ("by segment") the detail charts in the places of the first main ones.
pub fn shown_charts(m: &Model, by_segment: bool) -> Vec<&Chart> {
    let (detail, main): (Vec<&Chart>, Vec<&Chart>) = m.charts.iter().partition(|c| c.detail);
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

/// What an observation point shows on hover.
struct ObsInfo {
    at: [f64; 2],
    text: String,
}

#[allow(clippy::too_many_arguments)]
fn chart_ui(
    ui: &mut egui::Ui,
    doc: &Document,
    compared: &[Compared],
    chart: &Chart,
    lang: Lang,
    dark: bool,
    height: f32,
    first_year: i32,
    bands: Option<&Summary>,
) {
    let m = doc.model.model();
    let years = doc.run.years();
    let Some(first_var) = chart.series.first().and_then(|v| doc.model.var_index(v)) else {
        return;
    };
    let unit = m.variables[first_var].unit.get(lang).to_string();
    ui.vertical(|ui| {
        ui.label(egui::RichText::new(chart.title.get(lang)).strong());
        let title_h = ui.min_rect().height();

        // Hover texts for observations and targets, by series name and index.
        let mut hover: Vec<(String, Vec<ObsInfo>)> = Vec::new();
        let mut max_y: f64 = 0.0;

        let series: Vec<usize> = chart
            .series
            .iter()
            .filter_map(|v| doc.model.var_index(v))
            .collect();
        let valid = |v: usize| doc.run.problems.iter().all(|p| p.var != v);

        let scenario_name = tr(lang, Msg::Scenario).to_string();
        let target_name = tr(lang, Msg::Target).to_string();

        let mut lines: Vec<Line> = Vec::new();
        let mut polygons: Vec<Polygon> = Vec::new();
        let mut areas: Vec<FilledArea> = Vec::new();
        if chart.stacked {
            let mut lower = vec![0.0; years.len()];
            for (k, &v) in series.iter().enumerate() {
                if !valid(v) {
                    continue;
                }
                let upper: Vec<f64> = lower
                    .iter()
                    .zip(doc.run.series(v))
                    .map(|(a, b)| a + b)
                    .collect();
                let mut pts: Vec<[f64; 2]> = years
                    .iter()
                    .zip(&upper)
                    .map(|(&y, &u)| [y as f64, u])
                    .collect();
                pts.extend(years.iter().zip(&lower).rev().map(|(&y, &l)| [y as f64, l]));
                let color = theme::series_color(k);
                let name = m.variables[v].label.get(lang).to_string();
                // Hover shows the band's own value, not the stack's height.
                let own = doc.run.series(v);
                let n = years.len();
                let infos = pts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let yi = if i < n { i } else { 2 * n - 1 - i };
                        ObsInfo {
                            at: *p,
                            text: format!(
                                "{name}\n{}{}{} {unit}",
                                years[yi],
                                colon(lang),
                                fmt_auto(lang, own[yi])
                            ),
                        }
                    })
                    .collect();
                hover.push((name.clone(), infos));
                polygons.push(
                    Polygon::new(name.clone(), PlotPoints::from(pts))
                        .fill_color(color.gamma_multiply(0.55))
                        .stroke(Stroke::new(1.0, color)),
                );
                max_y = max_y.max(upper.iter().cloned().fold(0.0, f64::max));
                lower = upper;
            }
        } else {
            for (k, &v) in series.iter().enumerate() {
                let name = if series.len() == 1 {
                    scenario_name.clone()
                } else {
                    m.variables[v].label.get(lang).to_string()
                };
                let color = theme::series_color(k);
                let style = if k == 0 {
                    LineStyle::Solid
                } else {
                    LineStyle::dashed_loose()
                };
                let base: Vec<[f64; 2]> = years
                    .iter()
                    .zip(doc.baseline.series(v))
                    .filter(|(_, x)| x.is_finite())
                    .map(|(&y, &x)| [y as f64, x])
                    .collect();
                lines.push(
                    Line::new(String::new(), PlotPoints::from(base))
                        .color(theme::baseline(dark))
                        .width(1.0)
                        .style(style),
                );
                // Fan bands: 5-95 % and 25-75 %, and the median, from where they open.
                if let Some(b) = bands.and_then(|s| s.bands_of(v)) {
                    let start = b
                        .iter()
                        .position(|q| q.is_some_and(|q| q[4] > q[0]))
                        .map(|i| i.saturating_sub(1));
                    let cells: Vec<(f64, [f64; 5])> = years
                        .iter()
                        .zip(b)
                        .skip(start.unwrap_or(years.len()))
                        .filter_map(|(&y, q)| Some((y as f64, (*q)?)))
                        .collect();
                    if cells.len() > 1 {
                        let xs: Vec<f64> = cells.iter().map(|c| c.0).collect();
                        let q = |k: usize| cells.iter().map(|c| c.1[k]).collect::<Vec<f64>>();
                        max_y = max_y.max(q(4).iter().cloned().fold(0.0, f64::max));
                        areas.push(
                            FilledArea::new(String::new(), &xs, &q(0), &q(4))
                                .fill_color(color.gamma_multiply(0.16)),
                        );
                        areas.push(
                            FilledArea::new(String::new(), &xs, &q(1), &q(3))
                                .fill_color(color.gamma_multiply(0.3)),
                        );
                        let median: Vec<[f64; 2]> =
                            xs.iter().zip(q(2)).map(|(&x, y)| [x, y]).collect();
                        lines.push(
                            Line::new(String::new(), PlotPoints::from(median))
                                .color(color)
                                .width(1.0)
                                .style(LineStyle::dotted_dense()),
                        );
                    }
                }
                if valid(v) {
                    let pts: Vec<[f64; 2]> = years
                        .iter()
                        .zip(doc.run.series(v))
                        .map(|(&y, &x)| [y as f64, x])
                        .collect();
                    max_y = max_y.max(pts.iter().map(|p| p[1]).fold(0.0, f64::max));
                    lines.push(
                        Line::new(name, PlotPoints::from(pts))
                            .color(color)
                            .width(2.5)
                            .style(style),
                    );
                }
            }
        }

        // Compared scenarios: dashed, one colour each, named in the legend.
        for (i, c) in compared.iter().enumerate() {
            let color = theme::compare_color(i, dark);
            let vars: Vec<Option<usize>> =
                chart.series.iter().map(|v| c.model.var_index(v)).collect();
            let pts: Vec<Vec<[f64; 2]>> = if chart.stacked {
                // The stack's top: the compared scenario's total.
                let years = c.run.years();
                let mut total = vec![0.0; years.len()];
                for v in vars.iter().flatten() {
                    for (t, x) in total.iter_mut().zip(c.run.series(*v)) {
                        *t += x;
                    }
                }
                vec![
                    years
                        .iter()
                        .zip(total)
                        .map(|(&y, t)| [y as f64, t])
                        .collect(),
                ]
            } else {
                vars.iter()
                    .flatten()
                    .map(|&v| {
                        c.run
                            .years()
                            .iter()
                            .zip(c.run.series(v))
                            .filter(|(_, x)| x.is_finite())
                            .map(|(&y, &x)| [y as f64, x])
                            .collect()
                    })
                    .collect()
            };
            for p in pts {
                max_y = max_y.max(p.iter().map(|q| q[1]).fold(0.0, f64::max));
                lines.push(
                    Line::new(c.name.clone(), PlotPoints::from(p))
                        .color(color)
                        .width(2.0)
                        .style(LineStyle::dashed_dense()),
                );
            }
        }

        // Observations of the chart's variables, one point series per variable.
        let mut obs_points: Vec<Points> = Vec::new();
        if !chart.stacked {
            for &v in &series {
                let id = &m.variables[v].id;
                let obs: Vec<&crate::model::def::Observation> = m
                    .observations
                    .iter()
                    .filter(|o| &o.variable == id)
                    .collect();
                if obs.is_empty() {
                    continue;
                }
                // Same name as the variable's line: one legend entry shows and
                // hides both, and hover tells them apart by position.
                let name = if series.len() == 1 {
                    scenario_name.clone()
                } else {
                    m.variables[v].label.get(lang).to_string()
                };
                let infos = obs
                    .iter()
                    .map(|o| {
                        let c = colon(lang);
                        let mut text = format!(
                            "{}\n{}{c}{} {}\n{}{c}{}{}",
                            m.variables[v].label.get(lang),
                            o.year,
                            fmt_auto(lang, o.value),
                            m.variables[v].unit.get(lang),
                            tr(lang, Msg::Source),
                            o.source.title,
                            if o.source.date.is_empty() {
                                String::new()
                            } else {
                                format!(" ({})", o.source.date)
                            }
                        );
                        if let Some(n) = &o.source.note {
                            text.push('\n');
                            text.push_str(n.get(lang));
                        }
                        ObsInfo {
                            at: [o.year as f64, o.value],
                            text,
                        }
                    })
                    .collect();
                let pts: Vec<[f64; 2]> = obs.iter().map(|o| [o.year as f64, o.value]).collect();
                max_y = max_y.max(pts.iter().map(|p| p[1]).fold(0.0, f64::max));
                let shape = if series.iter().position(|x| *x == v) == Some(0) {
                    MarkerShape::Circle
                } else {
                    MarkerShape::Square
                };
                obs_points.push(
                    Points::new(name.clone(), PlotPoints::from(pts))
                        .shape(shape)
                        .radius(4.0)
                        .filled(true)
                        .color(theme::observed(dark)),
                );
                hover.push((name, infos));
            }
        }

        // Targets on the chart's variables.
        let targets: Vec<&crate::model::def::Target> = m
            .targets
            .iter()
            .filter(|t| {
                chart.series.first() == Some(&t.variable)
                    || (!chart.stacked && chart.series.contains(&t.variable))
            })
            .collect();
        let target_pts: Vec<[f64; 2]> = targets.iter().map(|t| [t.year as f64, t.value]).collect();
        max_y = max_y.max(target_pts.iter().map(|p| p[1]).fold(0.0, f64::max));
        if !targets.is_empty() {
            let c = colon(lang);
            let infos = targets
                .iter()
                .map(|t| ObsInfo {
                    at: [t.year as f64, t.value],
                    text: format!(
                        "{}\n{}{c}{} {}\n{}{c}{}",
                        t.label.get(lang),
                        t.year,
                        fmt_auto(lang, t.value),
                        m.variable(&t.variable).map_or("", |v| v.unit.get(lang)),
                        tr(lang, Msg::Source),
                        t.source.title
                    ),
                })
                .collect();
            hover.push((target_name.clone(), infos));
        }

        let breaks: Vec<i32> = m
            .series_breaks
            .iter()
            .filter(|b| chart.series.contains(&b.variable))
            .map(|b| b.year)
            .collect();

        let last_obs = m.last_observed_year as f64 + 0.5;
        let end = m.end_year as f64 + 0.5;
        let link = Id::unique("trajectoire-years");
        let plot_h = (height - title_h - 8.0).max(110.0);
        let unit_for_axis = unit.clone();
        let hover_for_label = hover;
        let lang_fmt = lang;
        let ui_weak = ui.visuals().weak_text_color();
        let mut plot = Plot::new(("chart", &chart.id));
        if series.len() > 1 || !compared.is_empty() {
            // Several variables: name them. The common marks are in the shared legend.
            plot = plot.legend(
                Legend::default()
                    .position(Corner::LeftTop)
                    .text_style(egui::TextStyle::Small)
                    .follow_insertion_order(true)
                    .background_alpha(0.75),
            );
        }
        plot.height(plot_h)
            .link_axis(link, [true, false])
            .link_cursor(link, [true, false])
            .allow_scroll(false)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_boxed_zoom(false)
            .include_y(0.0)
            .include_y(max_y * 1.08)
            .include_x(first_year as f64 - 0.5)
            .include_x(end)
            .y_axis_label(unit_for_axis.clone())
            .y_axis_min_width(52.0)
            .y_grid_spacer(nice_steps)
            .x_axis_formatter(|mark, _| {
                if mark.value.fract() == 0.0 {
                    format!("{}", mark.value as i64)
                } else {
                    String::new()
                }
            })
            .y_axis_formatter(move |mark, _| {
                let d = if mark.step_size >= 1.0 {
                    0
                } else if mark.step_size >= 0.1 {
                    1
                } else {
                    2
                };
                fmt_num(lang_fmt, mark.value, d)
            })
            .label_formatter(move |pos| match pos {
                HoverPosition::NearDataPoint {
                    plot_name,
                    position,
                    index,
                } => {
                    let hit = hover_for_label
                        .iter()
                        .filter(|(n, _)| n == plot_name)
                        .filter_map(|(_, infos)| infos.get(*index))
                        .find(|i| i.at == [position.x, position.y]);
                    if let Some(info) = hit {
                        return Some(info.text.clone());
                    }
                    Some(format!(
                        "{plot_name}\n{}{}{} {unit_for_axis}",
                        position.x.round() as i64,
                        colon(lang_fmt),
                        fmt_auto(lang_fmt, position.y)
                    ))
                }
                HoverPosition::Elsewhere { .. } => None,
            })
            .show(ui, |plot_ui| {
                plot_ui.span(
                    Span::new(String::new(), last_obs..=end).fill(theme::projection_fill(dark)),
                );
                plot_ui.text(
                    Text::new(
                        String::new(),
                        PlotPoint::new(last_obs + 0.3, max_y * 1.06),
                        egui::RichText::new(tr(lang, Msg::Projection)).small(),
                    )
                    .anchor(egui::Align2::LEFT_TOP)
                    .color(ui_weak),
                );
                for p in polygons {
                    plot_ui.polygon(p);
                }
                for a in areas {
                    plot_ui.add(a);
                }
                for l in lines {
                    plot_ui.line(l);
                }
                for y in &breaks {
                    plot_ui.vline(
                        VLine::new(String::new(), *y as f64 - 0.5)
                            .color(theme::TARGET.gamma_multiply(0.8))
                            .style(LineStyle::dashed_dense())
                            .width(1.5),
                    );
                    plot_ui.text(
                        Text::new(
                            String::new(),
                            PlotPoint::new(*y as f64 - 0.6, max_y * 1.04),
                            egui::RichText::new(tr(lang, Msg::SeriesBreak)).small(),
                        )
                        .anchor(egui::Align2::RIGHT_TOP)
                        .color(theme::TARGET),
                    );
                }
                for p in obs_points {
                    plot_ui.points(p);
                }
                if !target_pts.is_empty() {
                    plot_ui.points(
                        Points::new(target_name.clone(), PlotPoints::from(target_pts))
                            .shape(MarkerShape::Diamond)
                            .radius(7.0)
                            .filled(true)
                            .color(theme::TARGET),
                    );
                }
            });
    });
}

/// Grid steps of 1, 2 or 5 times a power of ten, about five labelled lines
/// per chart whatever its height, so that every axis keeps readable numbers.
fn nice_steps(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    let spacer = egui_plot::uniform_grid_spacer(|input: egui_plot::GridInput| {
        let span = (input.bounds.1 - input.bounds.0).abs().max(1e-12);
        let raw = span / 5.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let n = raw / magnitude;
        let nice = magnitude
            * if n <= 1.0 {
                1.0
            } else if n <= 2.0 {
                2.0
            } else if n <= 5.0 {
                5.0
            } else {
                10.0
            };
        [nice / 5.0, nice, nice * 10.0]
    });
    spacer(input)
}

/// The marks every chart shares, explained once above the charts.
fn legend_row(ui: &mut egui::Ui, lang: Lang, dark: bool, bands: Option<&BandsView>) {
    ui.horizontal_wrapped(|ui| {
        let icon = |ui: &mut egui::Ui, kind: u8, color: Color32| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 12.0), egui::Sense::hover());
            let p = ui.painter();
            let c = rect.center();
            match kind {
                0 => {
                    p.line_segment(
                        [rect.left_center(), rect.right_center()],
                        Stroke::new(2.5, color),
                    );
                }
                1 => {
                    p.line_segment(
                        [rect.left_center(), rect.right_center()],
                        Stroke::new(1.0, color),
                    );
                }
                2 => {
                    p.circle_filled(c, 4.0, color);
                }
                3 => {
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
                4 => {
                    p.add(egui::Shape::dashed_line(
                        &[egui::pos2(c.x, rect.top()), egui::pos2(c.x, rect.bottom())],
                        Stroke::new(1.5, color),
                        3.0,
                        2.0,
                    ));
                }
                _ => {
                    p.rect_filled(rect, 2.0, color);
                }
            }
        };
        let items = [
            (0, theme::series_color(0), Msg::Scenario),
            (1, theme::baseline(dark), Msg::Baseline),
            (2, theme::observed(dark), Msg::Observed),
            (3, theme::TARGET, Msg::Target),
            (4, theme::TARGET, Msg::SeriesBreak),
            (
                5,
                theme::projection_fill(dark).gamma_multiply(4.0),
                Msg::Projection,
            ),
        ];
        for (kind, color, msg) in items {
            icon(ui, kind, color);
            ui.label(egui::RichText::new(tr(lang, msg)).small());
            ui.add_space(8.0);
        }
        let Some(b) = bands else {
            return;
        };
        let c = theme::series_color(0);
        icon(ui, 5, c.gamma_multiply(0.16));
        ui.label(egui::RichText::new(tr(lang, Msg::Band90)).small());
        icon(ui, 5, c.gamma_multiply(0.4));
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
        // How far the runs have got: a bar while they refine, the count once done.
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
    });
}
