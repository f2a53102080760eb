//! The plot every chart is drawn in: fixed (no drag or zoom), years on a
//! shared, linked x axis, the unit on the y axis with numbers in the
//! language's format and readable steps.

use eframe::egui;
use egui_plot::{Corner, GridInput, GridMark, Legend, Plot};

use super::ChartCx;
use crate::app::i18n::fmt_num;

/// The plot for chart `c`: `height` points high, spanning the years from
/// `first_year` to the model's end, up to a little above `max_y`.
pub fn plot(
    c: &ChartCx,
    unit: &str,
    height: f32,
    first_year: i32,
    max_y: f64,
    legend: bool,
) -> Plot<'static> {
    let lang = c.lang;
    let end = c.model().end_year as f64 + 0.5;
    let link = egui::Id::unique("trajectoire-years");
    let mut plot = Plot::new(("chart", &c.chart.id));
    if legend {
        // Several variables: name them. The common marks are in the shared legend.
        plot = plot.legend(
            Legend::default()
                .position(Corner::LeftTop)
                .text_style(egui::TextStyle::Small)
                .follow_insertion_order(true)
                .background_alpha(0.75),
        );
    }
    plot.height(height)
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
        .y_axis_label(unit.to_string())
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
            fmt_num(lang, mark.value, d)
        })
}

/// Grid steps of 1, 2 or 5 times a power of ten, about five labelled lines
/// per chart whatever its height, so that every axis keeps readable numbers.
fn nice_steps(input: GridInput) -> Vec<GridMark> {
    let spacer = egui_plot::uniform_grid_spacer(|input: GridInput| {
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
