//! The brief as PDF (krilla): A4 pages, Liberation Sans embedded and
//! subset (so the text selects and searches), charts as vector paths,
//! sections in the outline, the language and title in the metadata, and
//! "page n / N" with the file's fingerprint at the foot of every page.
//!
//! Everything is laid out first (`layout`: lines broken at plain spaces,
//! never at a non-breaking one; tables sized to their content; a heading
//! kept with what follows it), then drawn, so the footer knows N. Text
//! is measured by shaping it with rustybuzz, as krilla draws it.

use krilla::Document;
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use super::content::{Block, Brief, Table};
use super::html::CHART_SIZE;
use crate::figure::{self, Anchor, Figure, Item, Rgb};
use crate::i18n::{Lang, Msg, tr};

/// Also the window's fallback font ([`crate::app::theme::install_fonts`]).
pub(crate) const REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");

/// A4 in points, and its margins.
const PAGE: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 56.0;
const WIDTH: f32 = PAGE.0 - 2.0 * MARGIN;
/// A chart spans the text width.
pub(super) const CHART_WIDTH: f64 = WIDTH as f64;
/// Where text stops: room for the footer below.
const BOTTOM: f32 = PAGE.1 - MARGIN;
const BODY: f32 = 10.5;
const SMALL: f32 = 8.5;
const CELL: f32 = 9.0;
const LEADING: f32 = 1.35;

/// One of the two faces, with what measures it.
struct Face {
    font: Font,
    shaper: rustybuzz::Face<'static>,
    upem: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Option<Face> {
        let shaper = rustybuzz::Face::from_slice(data, 0)?;
        let upem = f32::from(shaper.units_per_em() as u16);
        let font = Font::new(data.into(), 0)?;
        Some(Face { font, shaper, upem })
    }

    /// The width of `text` at `size`, kerning included.
    fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let out = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = out.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / self.upem
    }
}

struct Faces {
    regular: Face,
    bold: Face,
}

impl Faces {
    fn get(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }
}

/// What a page shows, placed.
enum Op {
    Text {
        x: f32,
        y: f32,
        text: String,
        size: f32,
        bold: bool,
        grey: bool,
    },
    Rule {
        x: f32,
        y: f32,
        width: f32,
    },
    Figure {
        x: f32,
        y: f32,
        figure: Figure,
    },
}

/// The pages being laid out, the cursor, and the outline's entries.
struct Layout<'f> {
    faces: &'f Faces,
    pages: Vec<Vec<Op>>,
    y: f32,
    /// Section headings: text, page, height on the page.
    headings: Vec<(String, usize, f32)>,
}

impl<'f> Layout<'f> {
    fn new(faces: &'f Faces) -> Self {
        Layout {
            faces,
            pages: vec![Vec::new()],
            y: MARGIN,
            headings: Vec::new(),
        }
    }

    fn page(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a page")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// A new page unless `height` fits below the cursor.
    fn room(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > MARGIN {
            self.new_page();
        }
    }

    /// `text` broken into lines of at most `width` at `size`.
    fn lines(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let face = self.faces.get(bold);
        let mut out = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split(' ') {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if face.width(&candidate, size) <= width || line.is_empty() {
                    line = candidate;
                } else {
                    out.push(std::mem::take(&mut line));
                    line = word.to_string();
                }
            }
            out.push(line);
        }
        out
    }

    /// A paragraph from the left margin, page breaks between its lines.
    fn paragraph(&mut self, text: &str, size: f32, bold: bool, grey: bool) {
        let step = size * LEADING;
        for line in self.lines(text, size, bold, WIDTH) {
            self.room(step);
            self.y += size;
            let y = self.y;
            self.page().push(Op::Text {
                x: MARGIN,
                y,
                text: line,
                size,
                bold,
                grey,
            });
            self.y += step - size;
        }
        self.y += size * 0.5;
    }

    /// A section heading, kept with at least `keep` points of what follows.
    fn heading(&mut self, text: &str, size: f32, keep: f32) {
        self.room(size * 2.0 + keep);
        self.y += size * 0.8;
        let page = self.pages.len() - 1;
        self.headings.push((text.to_string(), page, self.y));
        self.paragraph(text, size, true, false);
    }
}

/// The brief as PDF bytes.
pub fn to_pdf(b: &Brief) -> Result<Vec<u8>, String> {
    let faces = Faces {
        regular: Face::new(REGULAR).ok_or("the regular font does not load")?,
        bold: Face::new(BOLD).ok_or("the bold font does not load")?,
    };
    let mut l = Layout::new(&faces);
    front(&mut l, b);
    for s in &b.sections {
        l.heading(&s.heading, 15.0, keep(s.blocks.first()));
        for (i, block) in s.blocks.iter().enumerate() {
            match block {
                Block::Subheading(h) => l.heading(h, 12.0, keep(s.blocks.get(i + 1))),
                _ => self::block(&mut l, b.lang, block),
            }
        }
    }
    references(&mut l, b);
    draw(b, &faces, l)
}

/// How much of what follows a heading stays with it: a chart whole,
/// else a few lines.
fn keep(next: Option<&Block>) -> f32 {
    match next {
        Some(Block::Figure(_)) => CHART_SIZE.1 as f32 + 10.0,
        _ => 60.0,
    }
}

/// Title, scenario, facts and notes.
fn front(l: &mut Layout, b: &Brief) {
    l.paragraph(&b.title, 20.0, true, false);
    if !b.subtitle.is_empty() {
        l.paragraph(&b.subtitle, 13.0, false, false);
    }
    for (k, v) in &b.facts {
        let colon = crate::i18n::colon(b.lang);
        l.paragraph(&format!("{k}{colon}{v}"), BODY, false, false);
    }
    if !b.notes.trim().is_empty() {
        l.paragraph(b.notes.trim(), BODY, false, true);
    }
}

fn block(l: &mut Layout, lang: Lang, block: &Block) {
    match block {
        Block::Subheading(h) => l.heading(h, 12.0, 60.0),
        Block::Paragraph(p) => l.paragraph(p, BODY, false, false),
        Block::Note(p) => l.paragraph(p, SMALL, false, true),
        Block::Table(t) => table(l, t),
        Block::Figure(spec) => {
            let figure = super::figure(spec, lang, super::Format::Pdf);
            let h = figure.height_pt as f32;
            l.room(h + 6.0);
            let y = l.y;
            l.page().push(Op::Figure {
                x: MARGIN,
                y,
                figure,
            });
            l.y += h + 6.0;
        }
    }
}

/// Column widths and the type size: each column's widest unbroken need,
/// shared out so the table fits the text width; a table whose longest
/// words do not fit at the usual size is set smaller (down to 7 pt).
fn widths(l: &Layout, t: &Table) -> (Vec<f32>, f32) {
    let (w, floor) = widths_at(l, t, CELL);
    if floor <= WIDTH {
        return (w, CELL);
    }
    let size = (CELL * WIDTH / floor).max(7.0);
    (widths_at(l, t, size).0, size)
}

/// Column widths at `size`, and the sum of their least widths.
fn widths_at(l: &Layout, t: &Table, size: f32) -> (Vec<f32>, f32) {
    let n = t.header.len().max(1);
    let pad = 8.0;
    let mut want = vec![0.0f32; n];
    let mut least = vec![0.0f32; n];
    let rows = t.rows.iter().map(|r| {
        r.iter()
            .map(|c| (c.text.as_str(), false))
            .collect::<Vec<_>>()
    });
    let header: Vec<(&str, bool)> = t.header.iter().map(|h| (h.as_str(), true)).collect();
    for row in std::iter::once(header).chain(rows) {
        for (k, (text, bold)) in row.into_iter().enumerate().take(n) {
            let face = l.faces.get(bold);
            want[k] = want[k].max(face.width(text, size) + pad);
            let word = text
                .split(' ')
                .map(|w| face.width(w, size))
                .fold(0.0, f32::max);
            least[k] = least[k].max(word + pad);
        }
    }
    let total: f32 = want.iter().sum();
    let floor: f32 = least.iter().sum();
    if total <= WIDTH {
        return (want, floor);
    }
    // Give each column its longest word, then the rest in proportion.
    let spare = (WIDTH - floor).max(0.0);
    let extra: f32 = want
        .iter()
        .zip(&least)
        .map(|(w, m)| w - m)
        .sum::<f32>()
        .max(1.0);
    let widths = want
        .iter()
        .zip(&least)
        .map(|(w, m)| m + (w - m) * spare / extra)
        .collect();
    (widths, floor)
}

/// A table: its header repeated on each page it runs over, numbers
/// aligned right, a rule under each row.
fn table(l: &mut Layout, t: &Table) {
    let (widths, size) = widths(l, t);
    let header: Vec<(String, bool)> = t.header.iter().map(|h| (h.clone(), false)).collect();
    let cols = Columns {
        widths: &widths,
        size,
    };
    // No header alone at the foot of a page: it comes with its first row.
    let first = t.rows.first().map(|r| {
        let cells: Vec<(String, bool)> = r.iter().map(|c| (c.text.clone(), c.number)).collect();
        row_height(l, &cols, &cells, false)
    });
    l.room(row_height(l, &cols, &header, true) + first.unwrap_or(0.0));
    row(l, &cols, &header, true);
    for r in &t.rows {
        let cells: Vec<(String, bool)> = r.iter().map(|c| (c.text.clone(), c.number)).collect();
        let height = row_height(l, &cols, &cells, false);
        if l.y + height > BOTTOM {
            l.new_page();
            row(l, &cols, &header, true);
        }
        row(l, &cols, &cells, false);
    }
    l.y += BODY * 0.6;
}

/// A table's column widths and type size.
struct Columns<'a> {
    widths: &'a [f32],
    size: f32,
}

fn row_height(l: &Layout, c: &Columns, cells: &[(String, bool)], bold: bool) -> f32 {
    let lines = cells
        .iter()
        .zip(c.widths)
        .map(|((text, _), w)| l.lines(text, c.size, bold, w - 8.0).len())
        .max()
        .unwrap_or(1);
    lines as f32 * c.size * LEADING + 5.0
}

fn row(l: &mut Layout, c: &Columns, cells: &[(String, bool)], bold: bool) {
    let (widths, size) = (c.widths, c.size);
    let height = row_height(l, c, cells, bold);
    l.room(height);
    let top = l.y;
    let mut x = MARGIN;
    for ((text, number), w) in cells.iter().zip(widths) {
        let lines = l.lines(text, size, bold, w - 8.0);
        for (i, line) in lines.into_iter().enumerate() {
            let lw = l.faces.get(bold).width(&line, size);
            let lx = if *number { x + w - 4.0 - lw } else { x + 4.0 };
            let y = top + 2.5 + size + i as f32 * size * LEADING;
            l.page().push(Op::Text {
                x: lx,
                y,
                text: line,
                size,
                bold,
                grey: false,
            });
        }
        x += w;
    }
    l.y = top + height;
    let y = l.y - 1.0;
    let width: f32 = widths.iter().sum();
    l.page().push(Op::Rule {
        x: MARGIN,
        y,
        width,
    });
}

fn references(l: &mut Layout, b: &Brief) {
    if b.references.is_empty() {
        return;
    }
    l.heading(tr(b.lang, Msg::BriefReferences), 15.0, 30.0);
    for r in &b.references {
        l.paragraph(&r.text(), CELL, false, false);
    }
}

/// Draws the pages laid out, each with its footer; the outline and the
/// metadata.
fn draw(b: &Brief, faces: &Faces, l: Layout) -> Result<Vec<u8>, String> {
    let mut doc = Document::new();
    let n = l.pages.len();
    for (i, ops) in l.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE.0, PAGE.1).ok_or("the page size")?;
        let mut page = doc.start_page_with(settings);
        let mut s = page.surface();
        for op in ops {
            draw_op(&mut s, faces, op);
        }
        let footer = format!(
            "{} {} / {n} · {}",
            tr(b.lang, Msg::BriefPage),
            i + 1,
            b.fingerprint
        );
        let text = Op::Text {
            x: MARGIN,
            y: PAGE.1 - MARGIN * 0.5,
            text: footer,
            size: SMALL,
            bold: false,
            grey: true,
        };
        draw_op(&mut s, faces, &text);
        s.finish();
        page.finish();
    }
    let mut outline = Outline::new();
    for (text, page, y) in &l.headings {
        let dest = XyzDestination::new(*page, Point::from_xy(MARGIN, (y - 20.0).max(0.0)));
        outline.push_child(OutlineNode::new(text.clone(), dest));
    }
    doc.set_outline(outline);
    let language = if b.lang == Lang::Fr { "fr-FR" } else { "en-GB" };
    let title = b.full_title();
    doc.set_metadata(Metadata::new().title(title).language(language.to_string()));
    doc.finish()
        .map_err(|e| format!("the PDF could not be written: {e:?}"))
}

fn fill(c: Rgb, opacity: f64) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::new(opacity.clamp(0.0, 1.0) as f32).unwrap_or(NormalizedF32::ONE),
        rule: FillRule::NonZero,
    }
}

fn draw_op(s: &mut Surface, faces: &Faces, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            text,
            size,
            bold,
            grey,
        } => {
            let c = if *grey {
                Rgb(85, 85, 85)
            } else {
                Rgb(26, 26, 26)
            };
            s.set_fill(Some(fill(c, 1.0)));
            s.set_stroke(None);
            let font = faces.get(*bold).font.clone();
            s.draw_text(
                Point::from_xy(*x, *y),
                font,
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Rule { x, y, width } => {
            let mut p = PathBuilder::new();
            p.move_to(*x, *y);
            p.line_to(x + width, *y);
            if let Some(path) = p.finish() {
                s.set_fill(None);
                s.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(200, 200, 200).into(),
                    width: 0.6,
                    ..Stroke::default()
                }));
                s.draw_path(&path);
            }
        }
        Op::Figure { x, y, figure } => {
            s.push_transform(&krilla::geom::Transform::from_translate(*x, *y));
            items(s, faces, &figure.items);
            s.pop();
        }
    }
}

/// A figure's items, in its own coordinates.
fn items(s: &mut Surface, faces: &Faces, items: &[Item]) {
    for item in items {
        match item {
            Item::Path(p) => path(s, p),
            Item::Text(t) => {
                let (size, face) = (t.size_pt as f32, faces.get(t.bold));
                let w = face.width(&t.text, size);
                let x = t.pos.0 as f32
                    - match t.anchor {
                        Anchor::Start => 0.0,
                        Anchor::Middle => w / 2.0,
                        Anchor::End => w,
                    };
                s.set_fill(Some(fill(t.color, 1.0)));
                s.set_stroke(None);
                let at = Point::from_xy(x, t.pos.1 as f32);
                s.draw_text(
                    at,
                    face.font.clone(),
                    size,
                    &t.text,
                    false,
                    TextDirection::Auto,
                );
            }
            Item::Clip { rect, items: inner } => {
                let r = Rect::from_xywh(
                    rect.x as f32,
                    rect.y as f32,
                    rect.width as f32,
                    rect.height as f32,
                );
                let Some(clip) = r.and_then(|r| {
                    let mut b = PathBuilder::new();
                    b.push_rect(r);
                    b.finish()
                }) else {
                    continue;
                };
                s.push_clip_path(&clip, &FillRule::NonZero);
                self::items(s, faces, inner);
                s.pop();
            }
        }
    }
}

fn path(s: &mut Surface, p: &figure::Path) {
    let mut b = PathBuilder::new();
    for (k, &(x, y)) in p.points.iter().enumerate() {
        if k == 0 {
            b.move_to(x as f32, y as f32);
        } else {
            b.line_to(x as f32, y as f32);
        }
    }
    if p.closed {
        b.close();
    }
    let Some(path) = b.finish() else {
        return;
    };
    s.set_fill(p.fill.as_ref().map(|f| fill(f.color, f.opacity)));
    s.set_stroke(p.stroke.as_ref().map(|st| Stroke {
        paint: rgb::Color::new(st.color.0, st.color.1, st.color.2).into(),
        width: st.width as f32,
        dash: st.dash.as_ref().map(|d| StrokeDash {
            array: d.iter().map(|&x| x as f32).collect(),
            offset: 0.0,
        }),
        ..Stroke::default()
    }));
    s.draw_path(&path);
}
