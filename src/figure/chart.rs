//! A chart laid out as a [`Figure`], from plain data: lines per series,
//! stacked areas, uncertainty bands, observations, targets and a series
//! break, with axes, a light grid and a legend below the plot.
//!
//! From top to bottom: the title (bold), the unit of the values, the plot
//! (values on the left axis, years at the bottom), the x label, then the
//! legend, wrapped to as many rows as it needs. The plot area is clipped
//! ([`Item::Clip`]); marks and their labels are drawn over it, unclipped,
//! and always fall inside it since the axes cover all the data.
//!
//! - **Ticks**: 1-2-5 steps, at most 7 and at least 4 on the value axis when
//!   there is room (fewer on a small chart: one label per 2.2 text
//!   heights); the value axis is widened to its outer ticks. The year axis
//!   spans the data exactly, its ticks inside it, a step of at least 1 when
//!   every x is whole, one label per label width plus 10 pt. See `ticks.rs`.
//! - **Zero**: the value axis starts at zero when the data are all ≥ 0 and
//!   that leaves at most 40 % of the axis empty below them (mirrored for
//!   data all ≤ 0); a stacked chart always starts at zero.
//! - **Numbers**: value ticks are formatted by the caller's `fmt(value,
//!   step)` (language, non-breaking spaces); year ticks are plain integers
//!   when the step is whole, the caller's format otherwise.
//! - **Unusable values** (NaN, infinite, beyond ±1e300) are left out: a line
//!   breaks there into separate paths, a band or a stacked area too.
//! - **Text width** is estimated as 0.52 × size × characters, about the mean
//!   advance of Liberation Sans (Arial metrics) over digits and lower case;
//!   it only decides margins and legend wrapping, and SVG places text by its
//!   anchor, so a small error shifts nothing that matters.

mod legend;
mod plot;
mod ticks;

pub use ticks::{
    MAX_ABS, Ticks, ZERO_SLACK, inner_ticks, nice_ticks, usable, value_range, year_range,
};

use super::{Anchor, Figure, Item, Path, Rect, Rgb, Stroke, Text};

/// What a chart shows: plain data, already in the reader's language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartSpec {
    /// Drawn bold at the top, and the figure's accessible name.
    pub title: String,
    /// Below the year axis; often empty (years speak for themselves).
    pub x_label: String,
    /// The values' unit, above the value axis.
    pub y_label: String,
    /// Lines, or areas when `stacked`, in drawing order.
    pub series: Vec<SeriesSpec>,
    /// Whether the series (but not the dashed ones) add up as areas.
    pub stacked: bool,
    /// Uncertainty bands, under the lines.
    pub bands: Vec<BandSpec>,
    /// Observed values: small dark circles.
    pub observations: Vec<MarkSpec>,
    /// Targets: diamonds with their label.
    pub targets: Vec<TargetSpec>,
    /// A year where a series changes definition, and its name: a vertical
    /// dashed line.
    pub series_break: Option<(f64, String)>,
    /// The legend's name for the observations ("Observé"); empty: no entry.
    pub observations_label: String,
    /// The legend's name for the targets ("Cible"); empty: no entry.
    pub targets_label: String,
}

/// One series: a line, or an area in a stacked chart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeriesSpec {
    /// Its name in the legend; empty: no legend entry.
    pub label: String,
    /// (year, value) points, in year order.
    pub points: Vec<(f64, f64)>,
    /// A compared scenario: a dashed line, never stacked.
    pub dashed: bool,
    /// Its colour in [`PALETTE`].
    pub color_index: usize,
}

/// An uncertainty band: the area between `lo` and `hi`, year by year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BandSpec {
    /// Its name in the legend; empty: no legend entry.
    pub label: String,
    /// The years; the three vectors are read up to the shortest.
    pub x: Vec<f64>,
    /// The band's lower edge.
    pub lo: Vec<f64>,
    /// The band's upper edge.
    pub hi: Vec<f64>,
    /// Its colour in [`PALETTE`].
    pub color_index: usize,
}

/// An observed value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MarkSpec {
    /// The year.
    pub x: f64,
    /// The value.
    pub y: f64,
    /// Its source, for the caller's tables; not drawn (one label per point
    /// would hide the chart).
    pub label: String,
}

/// A target value at a year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetSpec {
    /// The year.
    pub x: f64,
    /// The value.
    pub y: f64,
    /// Drawn beside the diamond; empty: nothing drawn.
    pub label: String,
}

/// The Okabe-Ito colour-blind-safe palette, as the window's charts use it
/// (blue, sky blue, bluish green, orange, reddish purple, vermillion,
/// yellow).
pub const PALETTE: [Rgb; 7] = [
    Rgb(0x00, 0x72, 0xB2),
    Rgb(0x56, 0xB4, 0xE9),
    Rgb(0x00, 0x9E, 0x73),
    Rgb(0xE6, 0x9F, 0x00),
    Rgb(0xCC, 0x79, 0xA7),
    Rgb(0xD5, 0x5E, 0x00),
    Rgb(0xF0, 0xE4, 0x42),
];

/// The colour of `color_index`, cycling through [`PALETTE`].
pub fn palette(color_index: usize) -> Rgb {
    PALETTE[color_index % PALETTE.len()]
}

/// An estimate of the width of `text` at `size_pt`: 0.52 × size × its
/// characters (see the module's note).
pub fn text_width_pt(text: &str, size_pt: f64) -> f64 {
    0.52 * size_pt * text.chars().count() as f64
}

/// Around the figure.
const PAD: f64 = 6.0;
const TITLE_PT: f64 = 11.0;
/// The unit, the x label, the marks' labels.
const LABEL_PT: f64 = 8.5;
const TICK_PT: f64 = 8.0;
const TICK_LEN: f64 = 3.0;
/// Between a tick and its label.
const GAP: f64 = 3.0;
/// Below the x labels, above the legend.
const LEGEND_GAP: f64 = 8.0;
/// Text is vertically centred on a point when its baseline is this many
/// sizes below it.
const MID: f64 = 0.35;

const TEXT: Rgb = Rgb(0x33, 0x33, 0x33);
const AXIS: Rgb = Rgb(0x66, 0x66, 0x66);
const GRID: Rgb = Rgb(0xDD, 0xDD, 0xDD);

/// From values to points on the page.
struct Scale {
    area: Rect,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Scale {
    fn x(&self, v: f64) -> f64 {
        self.area.x + (v - self.x0) / (self.x1 - self.x0) * self.area.width
    }

    fn y(&self, v: f64) -> f64 {
        self.area.bottom() - (v - self.y0) / (self.y1 - self.y0) * self.area.height
    }

    fn at(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (self.x(x), self.y(y))
    }
}

/// Where things go from top to bottom.
struct Rows {
    title_y: f64,
    unit_y: f64,
    plot_top: f64,
    plot_bottom: f64,
    x_label_y: f64,
    legend_top: f64,
}

fn rows(spec: &ChartSpec, height: f64, legend_rows: usize) -> Rows {
    let mut top = PAD;
    let title_y = top + TITLE_PT;
    if !spec.title.is_empty() {
        top = title_y + 4.0;
    }
    let unit_y = top + LABEL_PT;
    if !spec.y_label.is_empty() {
        top = unit_y + 4.0;
    }
    // Room for the top tick's label, centred on it, and a little air.
    top += TICK_PT / 2.0 + 3.0;
    let legend_top = height - PAD - legend::height(legend_rows);
    let mut bottom = legend_top - if legend_rows > 0 { LEGEND_GAP } else { 0.0 };
    let x_label_y = bottom;
    if !spec.x_label.is_empty() {
        bottom -= LABEL_PT + GAP;
    }
    bottom -= TICK_LEN + GAP + TICK_PT;
    Rows {
        title_y,
        unit_y,
        plot_top: top,
        plot_bottom: bottom.max(top),
        x_label_y,
        legend_top,
    }
}

/// A width or height to lay out in: the given one, or 0 if unusable.
fn sane_size(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v.min(MAX_ABS)
    } else {
        0.0
    }
}

/// How many labels fit in `room` points, one per `each`, between 2 and 7.
fn fitting(room: f64, each: f64) -> usize {
    ((room / each).floor().max(0.0) as usize + 1).clamp(2, 7)
}

/// A year tick's label: a plain integer when the step is whole.
fn year_label(v: f64, step: f64, fmt: &dyn Fn(f64, f64) -> String) -> String {
    if step >= 1.0 && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        fmt(v, step)
    }
}

/// The figure of `spec`, `width_pt` × `height_pt` points; `fmt(value,
/// step)` writes a value tick (see the module's note for the rules).
/// Never panics: unusable sizes are taken as 0 and unusable values left out.
pub fn chart(
    spec: &ChartSpec,
    width_pt: f64,
    height_pt: f64,
    fmt: &dyn Fn(f64, f64) -> String,
) -> Figure {
    let (width, height) = (sane_size(width_pt), sane_size(height_pt));
    let data = plot::Data::of(spec);
    let legend = legend::layout(legend::entries(spec), width - 2.0 * PAD);
    let rows = rows(spec, height, legend.len());
    let plot_h = rows.plot_bottom - rows.plot_top;
    let (y0, y1) = value_range(data.y_extent());
    let y_ticks = nice_ticks(y0, y1, fitting(plot_h, 2.2 * TICK_PT));
    let y_labels: Vec<String> = y_ticks
        .values
        .iter()
        .map(|&v| fmt(v, y_ticks.step))
        .collect();
    let scale = scale(&data, &rows, width, &y_ticks, &y_labels, fmt);
    let x_ticks = x_ticks(&data, &scale, fmt);
    let mut items = header(spec, &rows);
    grid(&scale, &y_ticks, &y_labels, &mut items);
    x_axis(&scale, &x_ticks, fmt, &mut items);
    if !spec.x_label.is_empty() {
        let pos = (scale.area.x + scale.area.width / 2.0, rows.x_label_y);
        items.push(text(pos, &spec.x_label, LABEL_PT, Anchor::Middle));
    }
    axes(&scale, &mut items);
    items.push(Item::Clip {
        rect: scale.area,
        items: plot::clipped(&data, &scale),
    });
    plot::marks(&data, &scale, &mut items);
    legend::draw(&legend, PAD, rows.legend_top, &mut items);
    Figure {
        width_pt: width,
        height_pt: height,
        title: spec.title.clone(),
        items,
    }
}

/// The plot area and the data's ranges: the left margin fits the widest
/// value label, the right one half the last year's label.
fn scale(
    data: &plot::Data,
    rows: &Rows,
    width: f64,
    y_ticks: &Ticks,
    y_labels: &[String],
    fmt: &dyn Fn(f64, f64) -> String,
) -> Scale {
    let (x0, x1) = year_range(data.x_extent());
    let guess = |v: f64| text_width_pt(&year_label(v, 1.0, fmt), TICK_PT) / 2.0;
    let widest = y_labels
        .iter()
        .map(|l| text_width_pt(l, TICK_PT))
        .fold(0.0, f64::max);
    let left = (PAD + widest + TICK_LEN + GAP).max(PAD + guess(x0));
    let right = (width - PAD - guess(x1)).max(left);
    let n = y_ticks.values.len();
    let (y0, y1) = match (y_ticks.values.first(), y_ticks.values.last()) {
        (Some(&a), Some(&b)) if n > 1 && b > a => (a, b),
        _ => (0.0, 1.0),
    };
    Scale {
        area: Rect {
            x: left,
            y: rows.plot_top,
            width: right - left,
            height: rows.plot_bottom - rows.plot_top,
        },
        x0,
        x1,
        y0,
        y1,
    }
}

fn x_ticks(data: &plot::Data, scale: &Scale, fmt: &dyn Fn(f64, f64) -> String) -> Ticks {
    let min_step = if data.whole_years() { 1.0 } else { 0.0 };
    let each = [scale.x0, scale.x1]
        .iter()
        .map(|&v| text_width_pt(&year_label(v, 1.0, fmt), TICK_PT))
        .fold(0.0, f64::max)
        + 10.0;
    let max = fitting(scale.area.width, each);
    inner_ticks(scale.x0, scale.x1, max, min_step)
}

fn text(pos: (f64, f64), s: &str, size_pt: f64, anchor: Anchor) -> Item {
    Item::Text(Text {
        pos,
        text: s.to_string(),
        size_pt,
        bold: false,
        anchor,
        color: TEXT,
    })
}

fn segment(a: (f64, f64), b: (f64, f64), color: Rgb, width: f64) -> Item {
    let stroke = Stroke {
        color,
        width,
        dash: None,
    };
    Item::Path(Path::line(vec![a, b], stroke))
}

/// The title and the unit.
fn header(spec: &ChartSpec, rows: &Rows) -> Vec<Item> {
    let mut items = Vec::new();
    if !spec.title.is_empty() {
        items.push(Item::Text(Text {
            pos: (PAD, rows.title_y),
            text: spec.title.clone(),
            size_pt: TITLE_PT,
            bold: true,
            anchor: Anchor::Start,
            color: TEXT,
        }));
    }
    if !spec.y_label.is_empty() {
        items.push(text(
            (PAD, rows.unit_y),
            &spec.y_label,
            LABEL_PT,
            Anchor::Start,
        ));
    }
    items
}

/// Horizontal grid lines at the value ticks, with their labels.
fn grid(scale: &Scale, ticks: &Ticks, labels: &[String], items: &mut Vec<Item>) {
    let a = scale.area;
    for (&v, label) in ticks.values.iter().zip(labels) {
        let y = scale.y(v);
        let color = if v == 0.0 && v > scale.y0 { AXIS } else { GRID };
        items.push(segment((a.x, y), (a.right(), y), color, 0.5));
        let pos = (a.x - TICK_LEN - GAP, y + MID * TICK_PT);
        items.push(text(pos, label, TICK_PT, Anchor::End));
    }
}

/// Tick marks and labels along the year axis.
fn x_axis(scale: &Scale, ticks: &Ticks, fmt: &dyn Fn(f64, f64) -> String, items: &mut Vec<Item>) {
    let bottom = scale.area.bottom();
    for &v in &ticks.values {
        let x = scale.x(v);
        items.push(segment((x, bottom), (x, bottom + TICK_LEN), AXIS, 0.75));
        let pos = (x, bottom + TICK_LEN + GAP + 0.8 * TICK_PT);
        items.push(text(
            pos,
            &year_label(v, ticks.step, fmt),
            TICK_PT,
            Anchor::Middle,
        ));
    }
}

/// The left and bottom axis lines.
fn axes(scale: &Scale, items: &mut Vec<Item>) {
    let a = scale.area;
    items.push(segment((a.x, a.y), (a.x, a.bottom()), AXIS, 0.75));
    items.push(segment(
        (a.x, a.bottom()),
        (a.right(), a.bottom()),
        AXIS,
        0.75,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Fill;

    fn fmt(v: f64, step: f64) -> String {
        let decimals = if step >= 1.0 { 0 } else { 2 };
        format!("{v:.decimals$}")
    }

    fn series(label: &str, points: Vec<(f64, f64)>, color_index: usize) -> SeriesSpec {
        SeriesSpec {
            label: label.to_string(),
            points,
            dashed: false,
            color_index,
        }
    }

    fn years(values: &[f64]) -> Vec<(f64, f64)> {
        values
            .iter()
            .enumerate()
            .map(|(i, &v)| (2020.0 + i as f64, v))
            .collect()
    }

    /// Every item, clipped ones included, in order.
    fn flat(items: &[Item]) -> Vec<&Item> {
        let mut out = Vec::new();
        for item in items {
            out.push(item);
            if let Item::Clip { items, .. } = item {
                out.extend(flat(items));
            }
        }
        out
    }

    fn paths(fig: &Figure) -> Vec<&Path> {
        flat(&fig.items)
            .into_iter()
            .filter_map(|i| match i {
                Item::Path(p) => Some(p),
                _ => None,
            })
            .collect()
    }

    fn texts(fig: &Figure) -> Vec<&Text> {
        flat(&fig.items)
            .into_iter()
            .filter_map(|i| match i {
                Item::Text(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    fn clipped(fig: &Figure) -> &[Item] {
        fig.items
            .iter()
            .find_map(|i| match i {
                Item::Clip { items, .. } => Some(items.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }

    /// Every coordinate and size in the figure is finite.
    fn all_finite(fig: &Figure) -> bool {
        flat(&fig.items).iter().all(|item| match item {
            Item::Path(p) => p
                .points
                .iter()
                .all(|&(x, y)| x.is_finite() && y.is_finite()),
            Item::Text(t) => t.pos.0.is_finite() && t.pos.1.is_finite(),
            Item::Clip { rect, .. } => {
                [rect.x, rect.y, rect.width, rect.height]
                    .iter()
                    .all(|v| v.is_finite())
                    && rect.width >= 0.0
                    && rect.height >= 0.0
            }
        })
    }

    fn stroked_with(fig: &Figure, color: Rgb) -> Vec<&Path> {
        paths(fig)
            .into_iter()
            .filter(|p| p.stroke.as_ref().is_some_and(|s| s.color == color) && p.fill.is_none())
            .collect()
    }

    #[test]
    fn a_line_per_series_inside_the_clip() {
        let spec = ChartSpec {
            series: vec![series("A", years(&[1.0, 2.0, 3.0]), 0)],
            ..ChartSpec::default()
        };
        let fig = chart(&spec, 300.0, 200.0, &fmt);
        let lines: Vec<&Item> = clipped(&fig).iter().collect();
        assert_eq!(lines.len(), 1);
        let Item::Path(p) = lines[0] else {
            panic!("not a path: {:?}", lines[0]);
        };
        assert_eq!(p.points.len(), 3);
        assert!(!p.closed && p.stroke.as_ref().is_some_and(|s| s.color == PALETTE[0]));
        // Up and to the right: y decreases on the page.
        assert!(p.points[0].0 < p.points[2].0 && p.points[0].1 > p.points[2].1);
    }

    #[test]
    fn nan_breaks_a_line_into_two_paths() {
        let spec = ChartSpec {
            series: vec![series("A", years(&[1.0, 2.0, f64::NAN, 4.0, 5.0]), 2)],
            ..ChartSpec::default()
        };
        let fig = chart(&spec, 300.0, 200.0, &fmt);
        let runs: Vec<&Path> = clipped(&fig)
            .iter()
            .filter_map(|i| match i {
                Item::Path(p) => Some(p),
                _ => None,
            })
            .collect();
        assert_eq!(runs.len(), 2);
        assert!(runs.iter().all(|p| p.points.len() == 2 && !p.closed));
        assert!(runs[0].points[1].0 < runs[1].points[0].0);
        assert!(stroked_with(&fig, PALETTE[2]).len() >= 2);
    }

    #[test]
    fn stacked_areas_accumulate() {
        let spec = ChartSpec {
            series: vec![
                series("A", years(&[1.0, 1.0, 1.0]), 0),
                series("B", years(&[2.0, 2.0, 2.0]), 1),
            ],
            stacked: true,
            ..ChartSpec::default()
        };
        let data = plot::Data::of(&spec);
        let tops: Vec<f64> = data.areas[1].runs[0].iter().map(|p| p.2).collect();
        let bottoms: Vec<f64> = data.areas[1].runs[0].iter().map(|p| p.1).collect();
        assert_eq!(tops, vec![3.0, 3.0, 3.0]);
        assert_eq!(bottoms, vec![1.0, 1.0, 1.0]);
        assert_eq!(data.y_extent(), Some((0.0, 3.0)));
        let fig = chart(&spec, 300.0, 200.0, &fmt);
        let fills: Vec<&Fill> = clipped(&fig)
            .iter()
            .filter_map(|i| match i {
                Item::Path(p) if p.closed => p.fill.as_ref(),
                _ => None,
            })
            .collect();
        assert_eq!(fills.len(), 2);
        assert_eq!(fills[1].color, PALETTE[1]);
    }

    #[test]
    fn a_dashed_series_is_a_line_over_a_stack() {
        let mut compared = series("Other", years(&[4.0, 4.0]), 3);
        compared.dashed = true;
        let spec = ChartSpec {
            series: vec![series("A", years(&[1.0, 1.0]), 0), compared],
            stacked: true,
            ..ChartSpec::default()
        };
        let data = plot::Data::of(&spec);
        assert_eq!((data.areas.len(), data.lines.len()), (1, 1));
        let fig = chart(&spec, 300.0, 200.0, &fmt);
        let dashed = stroked_with(&fig, PALETTE[3]);
        assert!(!dashed.is_empty());
        assert!(
            dashed
                .iter()
                .all(|p| p.stroke.as_ref().is_some_and(|s| s.dash.is_some()))
        );
    }

    #[test]
    fn ticks_use_the_callers_format_and_plain_years() {
        let spec = ChartSpec {
            series: vec![series("A", years(&[100.0; 31]), 0)],
            ..ChartSpec::default()
        };
        let fig = chart(&spec, 400.0, 250.0, &|v, _| format!("<{v}>"));
        let labels: Vec<&str> = texts(&fig).iter().map(|t| t.text.as_str()).collect();
        assert!(
            labels.contains(&"2020") && labels.contains(&"2050"),
            "{labels:?}"
        );
        assert!(
            labels.contains(&"<0>") && labels.contains(&"<100>"),
            "{labels:?}"
        );
    }

    #[test]
    fn marks_targets_break_and_bands_are_drawn() {
        let spec = ChartSpec {
            series: vec![series("A", years(&[1.0, 2.0, 3.0, 4.0]), 0)],
            bands: vec![BandSpec {
                label: "90 %".to_string(),
                x: vec![2021.0, 2022.0, 2023.0],
                lo: vec![1.5, 2.0, 2.5],
                hi: vec![2.5, 4.0, 6.0],
                color_index: 0,
            }],
            observations: vec![MarkSpec {
                x: 2020.0,
                y: 1.1,
                label: "HCP".to_string(),
            }],
            targets: vec![TargetSpec {
                x: 2023.0,
                y: 8.0,
                label: "Goal".to_string(),
            }],
            series_break: Some((2021.5, "New base".to_string())),
            observations_label: "Observed".to_string(),
            targets_label: "Target".to_string(),
            ..ChartSpec::default()
        };
        let fig = chart(&spec, 300.0, 200.0, &fmt);
        let labels: Vec<&str> = texts(&fig).iter().map(|t| t.text.as_str()).collect();
        for l in ["Goal", "New base", "A", "90 %", "Observed", "Target"] {
            assert!(labels.contains(&l), "{l} missing from {labels:?}");
        }
        assert!(!labels.contains(&"HCP"));
        let band = paths(&fig)
            .into_iter()
            .find(|p| p.closed && p.fill.is_some_and(|f| f.opacity == 0.25) && p.points.len() == 6);
        assert!(band.is_some(), "no band polygon");
        assert!(all_finite(&fig));
        // The target (8) is above the data: the axis covers it.
        let top = texts(&fig).iter().filter(|t| t.text == "8").count();
        assert_eq!(top, 1, "{labels:?}");
    }

    /// Two targets a year and a hair apart, with long labels, and a third
    /// at the foot of the series break: every label keeps clear of the
    /// others (as `Text::bounds` measures them), inside the plot.
    #[test]
    fn labels_of_targets_and_the_break_do_not_overlap() {
        let target = |x: f64, y: f64, label: &str| TargetSpec {
            x,
            y,
            label: label.to_string(),
        };
        let spec = ChartSpec {
            series: vec![series("A", years(&[0.0, 2.0, 4.0, 6.0, 8.0, 10.0]), 0)],
            targets: vec![
                target(2022.0, 9.0, "A first target with a long name"),
                target(2023.0, 9.1, "A second target with a long name"),
                target(2023.0, 9.05, "A third one, same place"),
                target(2021.0, 0.2, "Low target at the foot"),
            ],
            series_break: Some((2021.0, "Series break".to_string())),
            ..ChartSpec::default()
        };
        for (w, h) in [(480.0, 250.0), (300.0, 200.0)] {
            let fig = chart(&spec, w, h, &fmt);
            let texts = fig.texts();
            for (i, a) in texts.iter().enumerate() {
                for b in &texts[i + 1..] {
                    assert!(
                        !a.bounds().overlaps(&b.bounds()),
                        "{w}×{h}: {:?} over {:?}",
                        a.text,
                        b.text
                    );
                }
            }
        }
    }

    #[test]
    fn the_legend_wraps_when_too_wide() {
        let many: Vec<SeriesSpec> = (0..8)
            .map(|i| series(&format!("Series number {i}"), years(&[1.0, 2.0]), i))
            .collect();
        let spec = ChartSpec {
            series: many,
            ..ChartSpec::default()
        };
        let fig = chart(&spec, 300.0, 300.0, &fmt);
        let rows: Vec<f64> = texts(&fig)
            .iter()
            .filter(|t| t.text.starts_with("Series"))
            .map(|t| t.pos.1)
            .collect();
        assert_eq!(rows.len(), 8);
        let mut distinct = rows.clone();
        distinct.dedup();
        assert!(distinct.len() >= 3, "{rows:?}");
        for t in texts(&fig).iter().filter(|t| t.text.starts_with("Series")) {
            assert!(t.pos.0 + text_width_pt(&t.text, t.size_pt) <= 300.0 - PAD + 1e-9);
        }
    }

    #[test]
    fn edge_cases_do_not_panic_and_stay_finite() {
        let one = ChartSpec {
            series: vec![series("A", vec![(2030.0, 5.0)], 0)],
            ..ChartSpec::default()
        };
        let nan = ChartSpec {
            series: vec![series(
                "A",
                years(&[f64::NAN, f64::INFINITY, f64::NEG_INFINITY]),
                0,
            )],
            targets: vec![TargetSpec {
                x: f64::NAN,
                y: 1.0,
                label: "x".to_string(),
            }],
            series_break: Some((f64::INFINITY, "b".to_string())),
            ..ChartSpec::default()
        };
        let specs = [
            ChartSpec::default(),
            one,
            nan,
            ChartSpec {
                series: vec![series("A", years(&[7.0; 5]), 0)],
                stacked: true,
                ..ChartSpec::default()
            },
            ChartSpec {
                series: vec![series("A", years(&[-1e12, 3e14, -2e300, 1e301]), 9)],
                ..ChartSpec::default()
            },
            ChartSpec {
                series: vec![series("A", years(&[-5.0, -3.0, -4.0]), 0)],
                bands: vec![BandSpec {
                    x: vec![2020.0],
                    lo: vec![],
                    hi: vec![1.0, 2.0],
                    ..BandSpec::default()
                }],
                ..ChartSpec::default()
            },
        ];
        for spec in &specs {
            for (w, h) in [
                (300.0, 200.0),
                (0.0, 0.0),
                (f64::NAN, -5.0),
                (20.0, 1e6),
                (1e6, 20.0),
            ] {
                let fig = chart(spec, w, h, &fmt);
                assert!(all_finite(&fig), "{spec:?} at {w}×{h}");
                assert!(fig.width_pt >= 0.0 && fig.height_pt >= 0.0);
            }
        }
    }

    #[test]
    fn a_single_point_is_a_visible_dot() {
        let spec = ChartSpec {
            series: vec![series("A", vec![(2030.0, 5.0)], 4)],
            ..ChartSpec::default()
        };
        let fig = chart(&spec, 300.0, 200.0, &fmt);
        let dot = clipped(&fig).iter().any(|i| {
            matches!(i, Item::Path(p) if p.closed && p.fill.is_some_and(|f| f.color == PALETTE[4]))
        });
        assert!(dot);
    }

    #[test]
    fn title_and_unit_are_drawn_and_named() {
        let spec = ChartSpec {
            title: "Emplois".to_string(),
            y_label: "milliers".to_string(),
            x_label: "année".to_string(),
            ..ChartSpec::default()
        };
        let fig = chart(&spec, 300.0, 200.0, &fmt);
        assert_eq!(fig.title, "Emplois");
        let t = texts(&fig);
        assert!(t.iter().any(|t| t.text == "Emplois" && t.bold));
        assert!(t.iter().any(|t| t.text == "milliers" && !t.bold));
        assert!(
            t.iter()
                .any(|t| t.text == "année" && t.anchor == Anchor::Middle)
        );
    }

    #[test]
    fn palette_cycles_and_widths_estimate() {
        assert_eq!(palette(0), PALETTE[0]);
        assert_eq!(palette(7), PALETTE[0]);
        assert_eq!(text_width_pt("2050", 10.0), 20.8);
        assert_eq!(text_width_pt("é\u{a0}1", 10.0), 0.52 * 30.0);
    }
}
