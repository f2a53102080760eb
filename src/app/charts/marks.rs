//! The marks on a chart: observations (points, hover for value, year and
//! source), targets (diamonds, hover for label and source) and the years
//! where a series breaks.

use egui_plot::{MarkerShape, PlotPoints, Points};

use super::hover::PointInfo;
use super::{ChartCx, Layers};
use crate::app::i18n::{Msg, colon, fmt_auto, tr};
use crate::app::theme;
use crate::model::def::{Observation, Target};

/// Observations of the chart's variables, one point series per variable.
/// A series has the name of the variable's line: one legend entry shows and
/// hides both, and hover tells them apart by position.
pub fn observations(c: &ChartCx, layers: &mut Layers) {
    let m = c.model();
    for (k, &v) in c.series.iter().enumerate() {
        let id = &c.doc.model.series(v).id;
        let obs: Vec<&Observation> = m
            .observations
            .iter()
            .filter(|o| &o.variable == id)
            .collect();
        if obs.is_empty() {
            continue;
        }
        let name = c.series_name(v);
        let infos = obs.iter().map(|o| observation_info(c, v, o)).collect();
        let pts: Vec<[f64; 2]> = obs.iter().map(|o| [o.year as f64, o.value]).collect();
        layers.fit(pts.iter().map(|p| p[1]));
        let shape = if k == 0 {
            MarkerShape::Circle
        } else {
            MarkerShape::Square
        };
        layers.observations.push(
            Points::new(name.clone(), PlotPoints::from(pts))
                .shape(shape)
                .radius(4.0)
                .filled(true)
                .color(theme::observed(c.dark)),
        );
        layers.hover.add(name, infos);
    }
}

fn observation_info(c: &ChartCx, v: usize, o: &Observation) -> PointInfo {
    let lang = c.lang;
    let colon = colon(lang);
    let date = if o.source.date.is_empty() {
        String::new()
    } else {
        format!(" ({})", o.source.date)
    };
    let mut text = format!(
        "{}\n{}{colon}{} {}\n{}{colon}{}{date}",
        c.doc.model.series(v).label.get(lang),
        o.year,
        fmt_auto(lang, o.value),
        c.doc.model.series(v).unit.get(lang),
        tr(lang, Msg::Source),
        o.source.title,
    );
    if let Some(n) = &o.source.note {
        text.push('\n');
        text.push_str(n.get(lang));
    }
    PointInfo {
        at: [o.year as f64, o.value],
        text,
    }
}

/// Targets on the chart's first variable, or on any of its variables when
/// `every_series`.
pub fn targets(c: &ChartCx, every_series: bool, layers: &mut Layers) {
    let (lang, m) = (c.lang, c.model());
    let series = &c.chart.series;
    let targets: Vec<&Target> = m
        .targets
        .iter()
        .filter(|t| {
            series.first() == Some(&t.variable) || (every_series && series.contains(&t.variable))
        })
        .collect();
    let pts: Vec<[f64; 2]> = targets.iter().map(|t| [t.year as f64, t.value]).collect();
    layers.fit(pts.iter().map(|p| p[1]));
    if targets.is_empty() {
        return;
    }
    let colon = colon(lang);
    let infos = targets
        .iter()
        .map(|t| PointInfo {
            at: [t.year as f64, t.value],
            text: format!(
                "{}\n{}{colon}{} {}\n{}{colon}{}",
                t.label.get(lang),
                t.year,
                fmt_auto(lang, t.value),
                m.variable(&t.variable).map_or("", |v| v.unit.get(lang)),
                tr(lang, Msg::Source),
                t.source.title
            ),
        })
        .collect();
    let name = tr(lang, Msg::Target).to_string();
    layers.hover.add(name.clone(), infos);
    layers.targets = Some(
        Points::new(name, PlotPoints::from(pts))
            .shape(MarkerShape::Diamond)
            .radius(7.0)
            .filled(true)
            .color(theme::TARGET),
    );
}

/// Years where one of the chart's variables changes definition.
pub fn breaks(c: &ChartCx, layers: &mut Layers) {
    layers.breaks = c
        .model()
        .series_breaks
        .iter()
        .filter(|b| c.chart.series.iter().any(|s| b.on(s)))
        .map(|b| b.year)
        .collect();
}
