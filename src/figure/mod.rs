//! Vector figures shared by the brief's PDF and HTML: a [`Figure`] is a
//! list of paths and texts, in points, that a back end replays as it is
//! (`svg.rs` writes inline SVG; the PDF writer draws the same items), so
//! both documents show the same chart.
//!
//! Coordinates are in points (1/72 inch) from the figure's top-left corner,
//! y pointing down. A text's position is its baseline at the anchor: its
//! start, middle or end. `chart.rs` lays out a chart as a figure from plain
//! data (no model, no egui).

pub mod chart;
pub mod svg;

/// An sRGB colour, 8 bits per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// A rectangle: top-left corner, width and height, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width, never negative in the figures `chart` makes.
    pub width: f64,
    /// Height, never negative in the figures `chart` makes.
    pub height: f64,
}

impl Rect {
    /// The bottom edge (`y + height`).
    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    /// The right edge (`x + width`).
    pub fn right(&self) -> f64 {
        self.x + self.width
    }
}

/// How a path's outline is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Stroke {
    /// The line's colour.
    pub color: Rgb,
    /// The line's width in points.
    pub width: f64,
    /// Dash pattern in points (on, off, on, …); `None` for a solid line.
    pub dash: Option<Vec<f64>>,
}

/// How a path's inside is painted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fill {
    /// The fill's colour.
    pub color: Rgb,
    /// From 0 (invisible) to 1 (opaque).
    pub opacity: f64,
}

/// A polyline or polygon of straight segments.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// The vertices, in points.
    pub points: Vec<(f64, f64)>,
    /// Whether the last vertex joins the first (a polygon).
    pub closed: bool,
    /// The outline, if drawn.
    pub stroke: Option<Stroke>,
    /// The inside, if painted.
    pub fill: Option<Fill>,
}

impl Path {
    /// An open line through `points`, stroked and not filled.
    pub fn line(points: Vec<(f64, f64)>, stroke: Stroke) -> Path {
        Path {
            points,
            closed: false,
            stroke: Some(stroke),
            fill: None,
        }
    }

    /// A closed shape through `points`, filled, outlined when `stroke` is set.
    pub fn shape(points: Vec<(f64, f64)>, fill: Fill, stroke: Option<Stroke>) -> Path {
        Path {
            points,
            closed: true,
            stroke,
            fill: Some(fill),
        }
    }
}

/// Where a text sits relative to its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The text starts at its position.
    Start,
    /// The text is centred on its position.
    Middle,
    /// The text ends at its position.
    End,
}

/// One line of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The baseline point at the anchor, in points.
    pub pos: (f64, f64),
    /// The text, already formatted (numbers with their non-breaking spaces).
    pub text: String,
    /// The font size in points.
    pub size_pt: f64,
    /// Bold or regular.
    pub bold: bool,
    /// Which point of the text `pos` is.
    pub anchor: Anchor,
    /// The text's colour.
    pub color: Rgb,
}

/// Something drawn in a figure, in order (later items on top).
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A line or a shape.
    Path(Path),
    /// A line of text.
    Text(Text),
    /// Items drawn only inside `rect` (a chart's plot area).
    Clip {
        /// The visible area.
        rect: Rect,
        /// The clipped items.
        items: Vec<Item>,
    },
}

/// A picture of `width_pt` × `height_pt` points.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Width in points.
    pub width_pt: f64,
    /// Height in points.
    pub height_pt: f64,
    /// What the figure shows, for readers that cannot see it (SVG
    /// `aria-label`); a chart also draws it at its top.
    pub title: String,
    /// What is drawn, in order.
    pub items: Vec<Item>,
}

impl Figure {
    /// The number of paths in the figure, clipped ones included.
    pub fn count_paths(&self) -> usize {
        count_paths(&self.items)
    }

    /// Every text of the figure, clipped ones included, in drawing order.
    pub fn texts(&self) -> Vec<&Text> {
        fn walk<'a>(items: &'a [Item], out: &mut Vec<&'a Text>) {
            for item in items {
                match item {
                    Item::Text(t) => out.push(t),
                    Item::Clip { items, .. } => walk(items, out),
                    Item::Path(_) => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.items, &mut out);
        out
    }
}

/// Above the baseline, the share of the size a line of text covers (capitals,
/// digits and accents); below it, the rest (descenders).
pub const TEXT_ASCENT: f64 = 0.75;

impl Text {
    /// The box the text covers, as the charts lay text out: its width
    /// estimated by [`chart::text_width_pt`], placed by its anchor, from
    /// [`TEXT_ASCENT`] × size above the baseline to the rest of the size below.
    pub fn bounds(&self) -> Rect {
        let width = chart::text_width_pt(&self.text, self.size_pt);
        let x = self.pos.0
            - match self.anchor {
                Anchor::Start => 0.0,
                Anchor::Middle => width / 2.0,
                Anchor::End => width,
            };
        Rect {
            x,
            y: self.pos.1 - TEXT_ASCENT * self.size_pt,
            width,
            height: self.size_pt,
        }
    }
}

impl Rect {
    /// Whether the two rectangles share some area (touching edges do not).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }
}

/// The number of paths in `items`, counting inside clips.
pub fn count_paths(items: &[Item]) -> usize {
    items
        .iter()
        .map(|item| match item {
            Item::Path(_) => 1,
            Item::Text(_) => 0,
            Item::Clip { items, .. } => count_paths(items),
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLACK: Rgb = Rgb(0, 0, 0);

    fn solid() -> Stroke {
        Stroke {
            color: BLACK,
            width: 1.0,
            dash: None,
        }
    }

    fn text() -> Item {
        Item::Text(Text {
            pos: (0.0, 0.0),
            text: "a".to_string(),
            size_pt: 8.0,
            bold: false,
            anchor: Anchor::Start,
            color: BLACK,
        })
    }

    #[test]
    fn count_paths_counts_inside_nested_clips() {
        let rect = Rect {
            x: 0.0,
            y: 0.0,
            width: 10.0,
            height: 10.0,
        };
        let line = || Item::Path(Path::line(vec![(0.0, 0.0), (1.0, 1.0)], solid()));
        let inner = Item::Clip {
            rect,
            items: vec![line(), text(), line()],
        };
        let outer = Item::Clip {
            rect,
            items: vec![line(), inner],
        };
        let fig = Figure {
            width_pt: 10.0,
            height_pt: 10.0,
            title: String::new(),
            items: vec![line(), text(), outer],
        };
        assert_eq!(fig.count_paths(), 4);
        assert_eq!(count_paths(&[]), 0);
    }

    #[test]
    fn shapes_are_closed_and_lines_open() {
        let fill = Fill {
            color: BLACK,
            opacity: 0.5,
        };
        let shape = Path::shape(vec![(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)], fill, None);
        assert!(shape.closed && shape.fill.is_some() && shape.stroke.is_none());
        let line = Path::line(vec![(0.0, 0.0), (1.0, 0.0)], solid());
        assert!(!line.closed && line.fill.is_none() && line.stroke.is_some());
    }

    #[test]
    fn rect_edges() {
        let r = Rect {
            x: 1.0,
            y: 2.0,
            width: 3.0,
            height: 4.0,
        };
        assert_eq!((r.right(), r.bottom()), (4.0, 6.0));
    }
}
