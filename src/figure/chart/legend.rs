//! The legend below the plot: one entry per named series, band,
//! observations and targets, each a small sample and its name, laid out
//! left to right and wrapped to a new row when the next entry would pass
//! the right margin (an entry wider than a whole row gets a row alone).

use super::plot::{self, BAND_OPACITY, OBSERVED_RADIUS, STACK_OPACITY};
use super::{Anchor, ChartSpec, MID, TEXT, palette, text_width_pt};
use crate::figure::{Fill, Item, Path, Rgb, Text};

const LEGEND_PT: f64 = 8.5;
const ROW_PT: f64 = 13.0;
const SAMPLE_W: f64 = 16.0;
const SAMPLE_GAP: f64 = 4.0;
/// Between two entries of a row.
const ENTRY_GAP: f64 = 12.0;

/// What an entry's sample looks like.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Sample {
    Line { color: Rgb, dashed: bool },
    Area { color: Rgb, opacity: f64 },
    Observation,
    Target,
}

/// One entry: its sample and its name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Entry<'a> {
    pub sample: Sample,
    pub label: &'a str,
}

/// An entry placed `x` points from the row's start.
pub(super) type Row<'a> = Vec<(f64, Entry<'a>)>;

/// The entries of `spec`, in order: series, bands, observations, targets;
/// entries without a name are left out.
pub(super) fn entries(spec: &ChartSpec) -> Vec<Entry<'_>> {
    let series = spec.series.iter().map(|s| {
        let color = palette(s.color_index);
        let sample = if spec.stacked && !s.dashed {
            Sample::Area {
                color,
                opacity: STACK_OPACITY,
            }
        } else {
            Sample::Line {
                color,
                dashed: s.dashed,
            }
        };
        (sample, s.label.as_str())
    });
    let bands = spec.bands.iter().map(|b| {
        let color = palette(b.color_index);
        let sample = Sample::Area {
            color,
            opacity: BAND_OPACITY,
        };
        (sample, b.label.as_str())
    });
    let marks = [
        (!spec.observations.is_empty()).then_some((Sample::Observation, &spec.observations_label)),
        (!spec.targets.is_empty()).then_some((Sample::Target, &spec.targets_label)),
    ];
    let marks = marks.into_iter().flatten().map(|(s, l)| (s, l.as_str()));
    series
        .chain(bands)
        .chain(marks)
        .filter(|(_, label)| !label.is_empty())
        .map(|(sample, label)| Entry { sample, label })
        .collect()
}

fn entry_width(e: &Entry) -> f64 {
    SAMPLE_W + SAMPLE_GAP + text_width_pt(e.label, LEGEND_PT)
}

/// The entries in rows no wider than `width` points.
pub(super) fn layout(entries: Vec<Entry<'_>>, width: f64) -> Vec<Row<'_>> {
    let mut rows: Vec<Row> = Vec::new();
    let mut x = 0.0;
    for e in entries {
        let w = entry_width(&e);
        match rows.last_mut() {
            Some(row) if x + w <= width => row.push((x, e)),
            _ => {
                x = 0.0;
                rows.push(vec![(x, e)]);
            }
        }
        x += w + ENTRY_GAP;
    }
    rows
}

/// The height of `rows` rows of legend.
pub(super) fn height(rows: usize) -> f64 {
    rows as f64 * ROW_PT
}

fn sample(s: Sample, x: f64, cy: f64) -> Item {
    let mid = (x + SAMPLE_W / 2.0, cy);
    match s {
        Sample::Line { color, dashed } => {
            let stroke = plot::line_stroke(color, dashed);
            Item::Path(Path::line(vec![(x, cy), (x + SAMPLE_W, cy)], stroke))
        }
        Sample::Area { color, opacity } => {
            let (l, r, t, b) = (x + 2.0, x + SAMPLE_W - 2.0, cy - 4.0, cy + 4.0);
            let fill = Fill { color, opacity };
            Item::Path(Path::shape(
                vec![(l, t), (r, t), (r, b), (l, b)],
                fill,
                None,
            ))
        }
        Sample::Observation => plot::observation(mid),
        Sample::Target => plot::target(mid, OBSERVED_RADIUS + 1.5),
    }
}

/// Draws `rows` from (`left`, `top`).
pub(super) fn draw(rows: &[Row], left: f64, top: f64, items: &mut Vec<Item>) {
    for (i, row) in rows.iter().enumerate() {
        let cy = top + (i as f64 + 0.5) * ROW_PT;
        for (dx, e) in row {
            let x = left + dx;
            items.push(sample(e.sample, x, cy));
            items.push(Item::Text(Text {
                pos: (x + SAMPLE_W + SAMPLE_GAP, cy + MID * LEGEND_PT),
                text: e.label.to_string(),
                size_pt: LEGEND_PT,
                bold: false,
                anchor: Anchor::Start,
                color: TEXT,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(label: &str) -> Entry<'_> {
        Entry {
            sample: Sample::Observation,
            label,
        }
    }

    #[test]
    fn rows_wrap_and_never_pass_the_width() {
        let labels = ["alpha", "beta", "gamma", "delta", "epsilon"];
        let rows = layout(labels.iter().map(|l| entry(l)).collect(), 120.0);
        assert!(rows.len() > 1);
        assert_eq!(rows.iter().map(Vec::len).sum::<usize>(), 5);
        for row in &rows {
            assert_eq!(row[0].0, 0.0);
            for (x, e) in row {
                assert!(x + entry_width(e) <= 120.0);
            }
        }
    }

    #[test]
    fn a_too_wide_entry_gets_a_row_alone() {
        let rows = layout(vec![entry("a very long name indeed"), entry("b")], 10.0);
        assert_eq!(rows.len(), 2);
        assert!(layout(Vec::new(), 100.0).is_empty());
    }

    #[test]
    fn unnamed_entries_are_left_out_and_marks_need_a_name() {
        let spec = ChartSpec {
            series: vec![
                crate::figure::chart::SeriesSpec {
                    label: "A".to_string(),
                    ..Default::default()
                },
                crate::figure::chart::SeriesSpec::default(),
            ],
            observations: vec![crate::figure::chart::MarkSpec::default()],
            targets_label: "Target".to_string(),
            ..ChartSpec::default()
        };
        let names: Vec<&str> = entries(&spec).iter().map(|e| e.label).collect();
        assert_eq!(names, vec!["A"]);
    }
}
