//! An uncertainty fan: the 5-95 % and 25-75 % bands and the dotted median,
//! from the year the runs start to differ.

use eframe::egui::Color32;
use egui_plot::{FilledArea, Line, LineStyle, PlotPoints};

use super::Layers;

/// Adds the fan of one variable: `quantiles` holds, per year, the 5th, 25th,
/// 50th, 75th and 95th percentiles (or nothing where no run was counted).
pub fn fan(layers: &mut Layers, years: &[f64], quantiles: &[Option<[f64; 5]>], color: Color32) {
    let start = quantiles
        .iter()
        .position(|q| q.is_some_and(|q| q[4] > q[0]))
        .map(|i| i.saturating_sub(1));
    let cells: Vec<(f64, [f64; 5])> = years
        .iter()
        .zip(quantiles)
        .skip(start.unwrap_or(years.len()))
        .filter_map(|(&y, q)| Some((y, (*q)?)))
        .collect();
    if cells.len() <= 1 {
        return;
    }
    let xs: Vec<f64> = cells.iter().map(|c| c.0).collect();
    let q = |k: usize| cells.iter().map(|c| c.1[k]).collect::<Vec<f64>>();
    layers.fit(q(4));
    layers.areas.push(
        FilledArea::new(String::new(), &xs, &q(0), &q(4)).fill_color(color.gamma_multiply(0.16)),
    );
    layers.areas.push(
        FilledArea::new(String::new(), &xs, &q(1), &q(3)).fill_color(color.gamma_multiply(0.3)),
    );
    let median: Vec<[f64; 2]> = xs.iter().zip(q(2)).map(|(&x, y)| [x, y]).collect();
    layers.lines.push(
        Line::new(String::new(), PlotPoints::from(median))
            .color(color)
            .width(1.0)
            .style(LineStyle::dotted_dense()),
    );
}
