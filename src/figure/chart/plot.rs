//! What the plot area shows: the spec's data with unusable values left out
//! (lines and areas broken into runs there), stacked series added up, and
//! the paths and texts that draw them.

use std::collections::HashMap;

use super::{Anchor, ChartSpec, LABEL_PT, MID, Scale, SeriesSpec, TEXT, palette, usable};
use crate::figure::{Fill, Item, Path, Rect, Rgb, Stroke, Text};

/// Uncertainty bands: light, under everything.
pub(super) const BAND_OPACITY: f64 = 0.25;
/// Stacked areas: strong enough to tell apart, light enough for the grid.
pub(super) const STACK_OPACITY: f64 = 0.55;
pub(super) const LINE_WIDTH: f64 = 1.5;
/// A compared scenario's dashes, in points (on, off).
pub(super) const DASH: [f64; 2] = [5.0, 3.0];
pub(super) const OBSERVED: Rgb = Rgb(0x22, 0x22, 0x22);
/// Targets, vermillion as in the window.
pub(super) const TARGET: Rgb = Rgb(0xD5, 0x5E, 0x00);
const BREAK: Rgb = Rgb(0x77, 0x77, 0x77);
const WHITE: Rgb = Rgb(0xFF, 0xFF, 0xFF);
pub(super) const OBSERVED_RADIUS: f64 = 2.5;
const TARGET_RADIUS: f64 = 4.5;
/// A lone point of a line: a dot, else it would not show.
const DOT_RADIUS: f64 = 1.75;
/// Labels of marks past this share of the plot's width go on their left.
const FLIP: f64 = 0.7;

/// A line: runs of consecutive usable points.
pub(super) struct Line {
    pub runs: Vec<Vec<(f64, f64)>>,
    pub color: Rgb,
    pub dashed: bool,
}

/// An area between two edges: runs of (x, lower, upper).
pub(super) struct Area {
    pub runs: Vec<Vec<(f64, f64, f64)>>,
    pub color: Rgb,
    pub opacity: f64,
    /// Whether the upper edge is drawn as a line (stacked areas).
    pub edge: bool,
}

/// The plot's contents, ready to scale.
pub(super) struct Data<'a> {
    pub bands: Vec<Area>,
    pub areas: Vec<Area>,
    pub lines: Vec<Line>,
    pub observations: Vec<(f64, f64)>,
    pub targets: Vec<(f64, f64, &'a str)>,
    pub series_break: Option<(f64, &'a str)>,
}

/// Splits `items` into runs of consecutive `Some`.
fn runs<T>(items: impl Iterator<Item = Option<T>>) -> Vec<Vec<T>> {
    let mut out = vec![Vec::new()];
    for item in items {
        match item {
            Some(v) => {
                if let Some(run) = out.last_mut() {
                    run.push(v);
                }
            }
            None => out.push(Vec::new()),
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

fn line(s: &SeriesSpec) -> Line {
    let points = s
        .points
        .iter()
        .map(|&(x, y)| (usable(x) && usable(y)).then_some((x, y)));
    Line {
        runs: runs(points),
        color: palette(s.color_index),
        dashed: s.dashed,
    }
}

/// The stacked areas: each series on top of the ones before, matched by x.
fn stack<'s>(series: impl Iterator<Item = &'s SeriesSpec>) -> Vec<Area> {
    // -0.0 and 0.0 are the same x.
    let key = |x: f64| if x == 0.0 { 0 } else { x.to_bits() };
    let mut tops: HashMap<u64, f64> = HashMap::new();
    series
        .map(|s| {
            let cells = s.points.iter().map(|&(x, v)| {
                let lo = tops.get(&key(x)).copied().unwrap_or(0.0);
                let hi = lo + v;
                let ok = usable(x) && usable(v) && usable(hi);
                if ok {
                    tops.insert(key(x), hi);
                }
                ok.then_some((x, lo, hi))
            });
            Area {
                runs: runs(cells),
                color: palette(s.color_index),
                opacity: STACK_OPACITY,
                edge: true,
            }
        })
        .collect()
}

impl<'a> Data<'a> {
    pub fn of(spec: &'a ChartSpec) -> Data<'a> {
        let bands = spec
            .bands
            .iter()
            .map(|b| {
                let cells = b.x.iter().zip(&b.lo).zip(&b.hi).map(|((&x, &lo), &hi)| {
                    (usable(x) && usable(lo) && usable(hi)).then_some((x, lo, hi))
                });
                Area {
                    runs: runs(cells),
                    color: palette(b.color_index),
                    opacity: BAND_OPACITY,
                    edge: false,
                }
            })
            .collect();
        let stacked = |s: &&SeriesSpec| spec.stacked && !s.dashed;
        Data {
            bands,
            areas: stack(spec.series.iter().filter(stacked)),
            lines: spec
                .series
                .iter()
                .filter(|s| !stacked(s))
                .map(line)
                .collect(),
            observations: spec
                .observations
                .iter()
                .filter(|m| usable(m.x) && usable(m.y))
                .map(|m| (m.x, m.y))
                .collect(),
            targets: spec
                .targets
                .iter()
                .filter(|t| usable(t.x) && usable(t.y))
                .map(|t| (t.x, t.y, t.label.as_str()))
                .collect(),
            series_break: spec
                .series_break
                .as_ref()
                .filter(|b| usable(b.0))
                .map(|(x, l)| (*x, l.as_str())),
        }
    }

    fn cells(&self) -> impl Iterator<Item = &(f64, f64, f64)> {
        self.bands
            .iter()
            .chain(&self.areas)
            .flat_map(|a| a.runs.iter().flatten())
    }

    fn points(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        let lines = self
            .lines
            .iter()
            .flat_map(|l| l.runs.iter().flatten().copied());
        let targets = self.targets.iter().map(|t| (t.0, t.1));
        lines
            .chain(self.observations.iter().copied())
            .chain(targets)
    }

    /// Every x drawn: points, cells, the break.
    fn xs(&self) -> impl Iterator<Item = f64> + '_ {
        let cells = self.cells().map(|c| c.0);
        let brk = self.series_break.iter().map(|b| b.0);
        self.points().map(|p| p.0).chain(cells).chain(brk)
    }

    /// The smallest and largest x drawn, if any.
    pub fn x_extent(&self) -> Option<(f64, f64)> {
        extent(self.xs())
    }

    /// The smallest and largest value drawn, if any (stacked areas from 0).
    pub fn y_extent(&self) -> Option<(f64, f64)> {
        let cells = self.cells().flat_map(|c| [c.1, c.2]);
        extent(self.points().map(|p| p.1).chain(cells))
    }

    /// Whether every x is a whole number (years): then no tick between.
    pub fn whole_years(&self) -> bool {
        self.xs().all(|x| x.fract() == 0.0)
    }
}

fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// A polygon approximating a circle.
pub(super) fn circle((cx, cy): (f64, f64), r: f64) -> Vec<(f64, f64)> {
    (0..12)
        .map(|i| {
            let a = i as f64 * std::f64::consts::PI / 6.0;
            (cx + r * a.cos(), cy + r * a.sin())
        })
        .collect()
}

/// A square standing on a corner, `r` from its centre to each corner.
pub(super) fn diamond((cx, cy): (f64, f64), r: f64) -> Vec<(f64, f64)> {
    vec![(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)]
}

pub(super) fn line_stroke(color: Rgb, dashed: bool) -> Stroke {
    Stroke {
        color,
        width: LINE_WIDTH,
        dash: dashed.then(|| DASH.to_vec()),
    }
}

fn solid_fill(color: Rgb) -> Fill {
    Fill {
        color,
        opacity: 1.0,
    }
}

fn dot(at: (f64, f64), color: Rgb) -> Item {
    Item::Path(Path::shape(circle(at, DOT_RADIUS), solid_fill(color), None))
}

/// Draws a run of points: a line, or a dot when it is a single point.
fn polyline(points: Vec<(f64, f64)>, stroke: Stroke) -> Item {
    match points.as_slice() {
        [one] => dot(*one, stroke.color),
        _ => Item::Path(Path::line(points, stroke)),
    }
}

fn area_items(area: &Area, scale: &Scale, items: &mut Vec<Item>) {
    let fill = Fill {
        color: area.color,
        opacity: area.opacity,
    };
    for run in &area.runs {
        let upper: Vec<(f64, f64)> = run.iter().map(|c| scale.at((c.0, c.2))).collect();
        if run.len() > 1 {
            let lower = run.iter().rev().map(|c| scale.at((c.0, c.1)));
            let outline = upper.iter().copied().chain(lower).collect();
            items.push(Item::Path(Path::shape(outline, fill, None)));
        }
        if area.edge {
            items.push(polyline(upper, line_stroke(area.color, false)));
        }
    }
}

/// What is drawn inside the plot area, clipped: bands, stacked areas,
/// lines, the break's line.
pub(super) fn clipped(data: &Data, scale: &Scale) -> Vec<Item> {
    let mut items = Vec::new();
    for area in data.bands.iter().chain(&data.areas) {
        area_items(area, scale, &mut items);
    }
    for line in &data.lines {
        for run in &line.runs {
            let points = run.iter().map(|&p| scale.at(p)).collect();
            items.push(polyline(points, line_stroke(line.color, line.dashed)));
        }
    }
    if let Some((x, _)) = data.series_break {
        let (a, x) = (scale.area, scale.x(x));
        let stroke = Stroke {
            color: BREAK,
            width: 1.0,
            dash: Some(vec![4.0, 3.0]),
        };
        items.push(Item::Path(Path::line(
            vec![(x, a.y), (x, a.bottom())],
            stroke,
        )));
    }
    items
}

/// A mark's label beside `x` (page units), on its right or, when `left`,
/// on its left, its baseline at `y` kept inside the plot.
fn label_at(scale: &Scale, x: f64, y: f64, gap: f64, s: &str, color: Rgb, left: bool) -> Text {
    let a = scale.area;
    let (x, anchor, room) = if left {
        (x - gap, Anchor::End, x - gap - a.x)
    } else {
        (x + gap, Anchor::Start, a.right() - x - gap)
    };
    // Too long for its side: cut, with an ellipsis (the full text is in
    // the document's tables).
    let s = fit(s, room);
    let y = y.min(a.bottom() - 2.0).max(a.y + LABEL_PT);
    Text {
        pos: (x, y),
        text: s,
        size_pt: LABEL_PT,
        bold: false,
        anchor,
        color,
    }
}

/// Between two lines of labels moved apart.
const LABEL_STEP: f64 = LABEL_PT + 1.5;
/// How many lines up or down a label may move to clear the others.
const LABEL_MOVES: i32 = 3;

/// A mark's label beside `x`, clear of the labels already `placed` (and
/// added to them): on its right, or on its left near the right edge or
/// where it would run past it; else on the other side; else moved a line
/// up or down at a time, either side. Where no place is clear, the first.
fn label(
    scale: &Scale,
    (x, y): (f64, f64),
    gap: f64,
    s: &str,
    color: Rgb,
    placed: &mut Vec<Rect>,
) -> Item {
    let a = scale.area;
    let width = super::text_width_pt(s, LABEL_PT);
    let (right, left) = (a.right() - x - gap, x - gap - a.x);
    let flip = x > a.x + FLIP * a.width || (width > right && left > right);
    let moves = (0..=LABEL_MOVES).flat_map(|k| if k == 0 { vec![0] } else { vec![-k, k] });
    let candidates = moves.flat_map(|k| [(k, flip), (k, !flip)]);
    let clear = |t: &Text| {
        let b = t.bounds();
        b.y >= a.y && b.bottom() <= a.bottom() && !placed.iter().any(|p| p.overlaps(&b))
    };
    let first = label_at(scale, x, y, gap, s, color, flip);
    let text = candidates
        .map(|(k, side)| label_at(scale, x, y + f64::from(k) * LABEL_STEP, gap, s, color, side))
        .find(|t| clear(t))
        .unwrap_or(first);
    placed.push(text.bounds());
    Item::Text(text)
}

/// `s`, cut to fit `room` points with an ellipsis if it does not.
fn fit(s: &str, room: f64) -> String {
    if super::text_width_pt(s, LABEL_PT) <= room {
        return s.to_string();
    }
    let mut out: String = s.to_string();
    while !out.is_empty() && super::text_width_pt(&format!("{out}…"), LABEL_PT) > room {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

pub(super) fn observation(at: (f64, f64)) -> Item {
    let halo = Stroke {
        color: WHITE,
        width: 0.5,
        dash: None,
    };
    let shape = circle(at, OBSERVED_RADIUS);
    Item::Path(Path::shape(shape, solid_fill(OBSERVED), Some(halo)))
}

pub(super) fn target(at: (f64, f64), r: f64) -> Item {
    let halo = Stroke {
        color: WHITE,
        width: 0.75,
        dash: None,
    };
    Item::Path(Path::shape(diamond(at, r), solid_fill(TARGET), Some(halo)))
}

/// The marks over the plot, unclipped: observations, targets with their
/// labels, the break's label; no label over another.
pub(super) fn marks(data: &Data, scale: &Scale, items: &mut Vec<Item>) {
    for &p in &data.observations {
        items.push(observation(scale.at(p)));
    }
    let mut placed = Vec::new();
    // The break's name first, at the foot of its line, where it reads as
    // the line's; the targets' labels then keep clear of it.
    if let Some((x, text)) = data.series_break.filter(|b| !b.1.is_empty()) {
        let at = (scale.x(x), scale.area.bottom() - 3.0);
        items.push(label(scale, at, 3.0, text, BREAK, &mut placed));
    }
    for &(x, y, text) in &data.targets {
        let (px, py) = scale.at((x, y));
        items.push(target((px, py), TARGET_RADIUS));
        if !text.is_empty() {
            let gap = TARGET_RADIUS + 2.5;
            let at = (px, py + MID * LABEL_PT);
            items.push(label(scale, at, gap, text, TEXT, &mut placed));
        }
    }
}
