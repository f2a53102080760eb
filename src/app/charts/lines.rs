//! The Lines kind: one line per variable (the first solid, the others
//! dashed), each over its baseline and its uncertainty fan.

use egui_plot::{Line, LineStyle, PlotPoints};

use super::{ChartCx, Kind, Layers, bands};
use crate::app::panels::compare::Compared;
use crate::app::theme;

pub struct Lines;

impl Kind for Lines {
    fn series(&self, c: &ChartCx, layers: &mut Layers) {
        let years = c.doc.run.times();
        for (k, &v) in c.series.iter().enumerate() {
            let color = theme::series_color(k);
            let style = if k == 0 {
                LineStyle::Solid
            } else {
                LineStyle::dashed_loose()
            };
            let base: Vec<[f64; 2]> = years
                .iter()
                .zip(c.doc.baseline.series(v))
                .filter(|(_, x)| x.is_finite())
                .map(|(&y, &x)| [y, x])
                .collect();
            layers.lines.push(
                Line::new(String::new(), PlotPoints::from(base))
                    .color(theme::baseline(c.dark))
                    .width(1.0)
                    .style(style),
            );
            if let Some(b) = c.bands.and_then(|s| s.bands_of(v)) {
                bands::fan(layers, years, b, color);
            }
            if c.valid(v) {
                let pts: Vec<[f64; 2]> = years
                    .iter()
                    .zip(c.doc.run.series(v))
                    .map(|(&y, &x)| [y, x])
                    .collect();
                layers.fit(pts.iter().map(|p| p[1]));
                layers.lines.push(
                    Line::new(c.series_name(v), PlotPoints::from(pts))
                        .color(color)
                        .width(2.5)
                        .style(style),
                );
            }
        }
    }

    fn compared(&self, c: &ChartCx, compared: &Compared) -> Vec<Vec<[f64; 2]>> {
        compared
            .model
            .chart_series(&c.chart.series)
            .into_iter()
            .map(|v| {
                compared
                    .run
                    .times()
                    .iter()
                    .zip(compared.run.series(v))
                    .filter(|(_, x)| x.is_finite())
                    .map(|(&y, &x)| [y, x])
                    .collect()
            })
            .collect()
    }

    fn marks_every_series(&self) -> bool {
        true
    }
}
