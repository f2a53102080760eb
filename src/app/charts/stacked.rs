//! The Stacked kind: variables that add up (jobs by segment) as areas one
//! on another; hovering a band shows its own value, not the stack's height.

use eframe::egui::Stroke;
use egui_plot::{PlotPoints, Polygon};

use super::hover::PointInfo;
use super::{ChartCx, Kind, Layers};
use crate::app::i18n::{colon, fmt_auto};
use crate::app::panels::compare::Compared;
use crate::app::theme;

pub struct Stacked;

impl Kind for Stacked {
    fn series(&self, c: &ChartCx, layers: &mut Layers) {
        let years = c.doc.run.times();
        let mut lower = vec![0.0; years.len()];
        for (k, &v) in c.series.iter().enumerate() {
            if !c.valid(v) {
                continue;
            }
            let upper: Vec<f64> = lower
                .iter()
                .zip(c.doc.run.series(v))
                .map(|(a, b)| a + b)
                .collect();
            let mut pts: Vec<[f64; 2]> = years.iter().zip(&upper).map(|(&y, &u)| [y, u]).collect();
            pts.extend(years.iter().zip(&lower).rev().map(|(&y, &l)| [y, l]));
            let color = theme::series_color(k);
            let name = c.series_name(v);
            layers
                .hover
                .add(name.clone(), band_hover(c, v, &name, &pts));
            layers.polygons.push(
                Polygon::new(name, PlotPoints::from(pts))
                    .fill_color(color.gamma_multiply(0.55))
                    .stroke(Stroke::new(1.0, color)),
            );
            layers.fit(upper.iter().cloned().chain([0.0]));
            lower = upper;
        }
    }

    /// The stack's top: the compared scenario's total.
    fn compared(&self, c: &ChartCx, compared: &Compared) -> Vec<Vec<[f64; 2]>> {
        let years = compared.run.times();
        let mut total = vec![0.0; years.len()];
        for v in compared.model.chart_series(&c.chart.series) {
            for (t, x) in total.iter_mut().zip(compared.run.series(v)) {
                *t += x;
            }
        }
        vec![years.iter().zip(total).map(|(&y, t)| [y, t]).collect()]
    }

    fn marks_every_series(&self) -> bool {
        false
    }
}

/// Hover texts of a band's outline: the upper edge, then the lower one
/// backwards; each point tells the band's own value in its year.
fn band_hover(c: &ChartCx, v: usize, name: &str, pts: &[[f64; 2]]) -> Vec<PointInfo> {
    let lang = c.lang;
    let years = c.doc.run.times();
    let unit = c.doc.model.series(c.series[0]).unit.get(lang);
    let own = c.doc.run.series(v);
    let n = years.len();
    pts.iter()
        .enumerate()
        .map(|(i, p)| {
            let yi = if i < n { i } else { 2 * n - 1 - i };
            PointInfo {
                at: *p,
                text: format!(
                    "{name}\n{}{}{} {unit}",
                    crate::numfmt::fmt_time(lang, years[yi]),
                    colon(lang),
                    fmt_auto(lang, own[yi])
                ),
            }
        })
        .collect()
}
