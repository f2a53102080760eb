//! The map's canvas: pan (drag the background), zoom (scroll, about the
//! pointer), move a node (drag it), select (click), plot (double-click);
//! and the drawing, links under nodes. Far out (zoom below
//! [`DETAIL_ZOOM`]) nodes show their names only.

use std::collections::HashSet;

use eframe::egui::{
    self, Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, Vec2, pos2, vec2,
};

use super::values::Values;
use super::{Structure, View};
use crate::app::i18n::Lang;
use crate::app::theme;
use crate::model::structure::{LinkKind, NodeKind, Polarity};

/// Below this zoom, values and sparklines are left out.
const DETAIL_ZOOM: f32 = 0.55;
/// The map opens at least this large, panned to its left end.
const READABLE_ZOOM: f32 = 0.8;

/// What the user did on the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Event {
    Select(Option<usize>),
    Plot(usize),
    /// Node `.0` dropped with its centre at `.1` (model points).
    Moved(usize, [f32; 2]),
}

pub struct Canvas<'a> {
    pub structure: &'a Structure,
    pub values: &'a Values,
    pub view: &'a mut View,
    pub selected: Option<usize>,
    pub loop_key: Option<&'a str>,
    pub moving: &'a mut Option<(usize, [f32; 2])>,
    pub lang: Lang,
    pub dark: bool,
}

impl Canvas<'_> {
    /// The canvas in `size` points; what the user did on it, and where it
    /// was drawn.
    pub fn ui(&mut self, ui: &mut egui::Ui, size: Vec2) -> (Option<Event>, Rect) {
        let (resp, painter) = ui.allocate_painter(size, Sense::click_and_drag());
        let rect = resp.rect;
        let bg = if self.dark {
            Color32::from_gray(24)
        } else {
            Color32::from_gray(252)
        };
        painter.rect_filled(rect, 4.0, bg);
        if self.view.fit {
            self.fit(rect);
        }
        self.zoom(ui, &resp);
        let event = self.interact(&resp);
        let painter = painter.with_clip_rect(rect);
        self.draw_links(&painter, rect);
        for i in 0..self.structure.graph.nodes.len() {
            self.draw_node(&painter, rect, i);
        }
        (event, rect)
    }

    /// A model point on the screen.
    fn screen(&self, rect: Rect, p: [f32; 2]) -> Pos2 {
        rect.min + self.view.pan + vec2(p[0], p[1]) * self.view.zoom
    }

    /// Node `i`'s centre now: where it is being dragged, else laid out.
    fn center(&self, i: usize) -> [f32; 2] {
        match *self.moving {
            Some((k, at)) if k == i => at,
            _ => self.structure.layout.nodes[i].center,
        }
    }

    /// Node `i`'s box on the screen.
    fn node_rect(&self, rect: Rect, i: usize) -> Rect {
        let size = self.structure.layout.nodes[i].size;
        Rect::from_center_size(
            self.screen(rect, self.center(i)),
            vec2(size[0], size[1]) * self.view.zoom,
        )
    }

    /// The node under `pos`, the last drawn first.
    fn hit(&self, rect: Rect, pos: Pos2) -> Option<usize> {
        (0..self.structure.graph.nodes.len())
            .rev()
            .find(|&i| self.node_rect(rect, i).contains(pos))
    }

    /// Zoom and pan so the whole drawing fits, at most at full size; when
    /// that would be too small to read (on opening), at a readable size
    /// from its left end instead.
    fn fit(&mut self, rect: Rect) {
        let readable = std::mem::replace(&mut self.view.readable, false);
        self.view.fit = false;
        let all = &self.structure.layout.nodes;
        let nodes: Vec<_> = match &self.view.focus {
            Some(f) => f.iter().filter_map(|&i| all.get(i)).collect(),
            None => all.iter().collect(),
        };
        let Some(first) = nodes.first() else {
            return;
        };
        let mut b = Rect::from_center_size(first.center.into(), Vec2::ZERO);
        for n in nodes {
            let [[x0, y0], [x1, y1]] = n.rect();
            b = b.union(Rect::from_min_max(pos2(x0, y0), pos2(x1, y1)));
        }
        let b = b.expand(16.0);
        let zoom = (rect.width() / b.width())
            .min(rect.height() / b.height())
            .clamp(0.1, 1.0);
        self.view.zoom = zoom;
        self.view.pan = rect.size() / 2.0 - b.center().to_vec2() * zoom;
        if readable && zoom < READABLE_ZOOM {
            let z = READABLE_ZOOM;
            self.view.zoom = z;
            self.view.pan = vec2(8.0 - b.left() * z, rect.height() / 2.0 - b.center().y * z);
        }
    }

    /// Scrolling over the canvas zooms about the pointer.
    fn zoom(&mut self, ui: &egui::Ui, resp: &egui::Response) {
        let Some(pointer) = resp.hover_pos() else {
            return;
        };
        let dy = ui.input(|i| i.smooth_scroll_delta.y);
        if dy == 0.0 {
            return;
        }
        let old = self.view.zoom;
        let new = (old * (dy * 0.002).exp()).clamp(0.1, 4.0);
        let at = pointer - resp.rect.min - self.view.pan;
        self.view.pan += at - at * (new / old);
        self.view.zoom = new;
    }

    fn interact(&mut self, resp: &egui::Response) -> Option<Event> {
        let rect = resp.rect;
        let press = resp.interact_pointer_pos().or(resp.hover_pos());
        if resp.drag_started() {
            let origin = resp.ctx.input(|i| i.pointer.press_origin()).or(press);
            *self.moving = origin
                .and_then(|p| self.hit(rect, p))
                .map(|i| (i, self.structure.layout.nodes[i].center));
        }
        if resp.dragged() {
            let d = resp.drag_delta();
            match self.moving.as_mut() {
                Some((_, at)) => {
                    at[0] += d.x / self.view.zoom;
                    at[1] += d.y / self.view.zoom;
                }
                None => self.view.pan += d,
            }
        }
        if resp.drag_stopped() {
            return self.moving.take().map(|(i, at)| Event::Moved(i, at));
        }
        let hit = press.and_then(|p| self.hit(rect, p));
        if resp.double_clicked() {
            return hit.map(Event::Plot);
        }
        resp.clicked().then_some(Event::Select(hit))
    }

    /// The links of the selected loop, by index.
    fn highlighted(&self) -> HashSet<usize> {
        let loops = &self.structure.loops;
        self.loop_key
            .and_then(|k| loops.by_key(k))
            .map(|l| l.links.iter().copied().collect())
            .unwrap_or_default()
    }

    fn draw_links(&self, painter: &egui::Painter, rect: Rect) {
        let lit = self.highlighted();
        let biggest = self.biggest_flow();
        for route in &self.structure.layout.routes {
            let link = &self.structure.graph.links[route.link];
            let mut pts: Vec<Pos2> = route.points.iter().map(|p| self.screen(rect, *p)).collect();
            // A node being dragged takes its links' ends along.
            if let Some(first) = pts.first_mut() {
                *first = self.screen(rect, self.center(link.from));
            }
            if let Some(last) = pts.last_mut() {
                *last = self.screen(rect, self.center(link.to));
            }
            if link.from == link.to {
                let r = self.node_rect(rect, link.from);
                self.self_loop(painter, r, lit.contains(&route.link));
                continue;
            }
            if pts.len() < 2 {
                continue;
            }
            let from_box = self.node_rect(rect, link.from);
            let to_box = self.node_rect(rect, link.to);
            pts[0] = clip(pts[1], from_box);
            let n = pts.len();
            pts[n - 1] = clip(pts[n - 2], to_box);
            let on = lit.contains(&route.link);
            match link.kind {
                LinkKind::Inflow | LinkKind::Outflow => {
                    let flow = self.values.nodes[link.from].value.abs();
                    let w = 3.0 + 9.0 * (flow / biggest).clamp(0.0, 1.0) as f32;
                    self.pipe(
                        painter,
                        &pts,
                        link.kind == LinkKind::Outflow,
                        w * self.zoom_w(),
                        on,
                    );
                }
                LinkKind::Info | LinkKind::Initial => {
                    self.arrow(
                        painter,
                        &pts,
                        link.delayed,
                        link.kind == LinkKind::Initial,
                        on,
                    );
                    self.sign(painter, &pts, link.polarity, on);
                }
            }
        }
    }

    /// A node that reads itself (a stock growing by a share of itself): a
    /// small loop over its top right corner.
    fn self_loop(&self, painter: &egui::Painter, r: Rect, on: bool) {
        let z = self.view.zoom;
        let c = r.right_top() + vec2(-10.0, -4.0) * z;
        let w = if on { 2.5 } else { 1.2 } * self.zoom_w();
        painter.circle_stroke(c, 7.0 * z, Stroke::new(w, self.ink(on)));
    }

    /// Line widths shrink with the zoom, never below a hairline.
    fn zoom_w(&self) -> f32 {
        self.view.zoom.clamp(0.3, 1.5)
    }

    /// The largest flow in the run now, for the pipes' widths.
    fn biggest_flow(&self) -> f64 {
        let g = &self.structure.graph;
        g.nodes
            .iter()
            .zip(&self.values.nodes)
            .filter(|(n, _)| n.kind == NodeKind::Flow)
            .map(|(_, v)| v.value.abs())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
            .max(f64::MIN_POSITIVE)
    }

    fn ink(&self, on: bool) -> Color32 {
        match (on, self.dark) {
            (true, _) => theme::TARGET,
            (false, true) => Color32::from_gray(150),
            (false, false) => Color32::from_gray(110),
        }
    }

    /// A flow's pipe: drawn from the stock to the valve for an outflow,
    /// from the valve to the stock for an inflow, arrow at its end.
    fn pipe(&self, painter: &egui::Painter, pts: &[Pos2], outflow: bool, w: f32, on: bool) {
        let pts: Vec<Pos2> = if outflow {
            pts.iter().rev().copied().collect()
        } else {
            pts.to_vec()
        };
        let edge = if on {
            theme::TARGET
        } else {
            theme::series_color(0)
        };
        let fill = if self.dark {
            Color32::from_rgb(40, 70, 100)
        } else {
            Color32::from_rgb(205, 225, 245)
        };
        painter.add(Shape::line(pts.clone(), Stroke::new(w + 2.0, edge)));
        painter.add(Shape::line(pts.clone(), Stroke::new(w, fill)));
        head(painter, &pts, 6.0 + w * 0.6, edge);
    }

    /// An information link: dashed when it reads the past, dotted when it
    /// gives only a starting value.
    fn arrow(&self, painter: &egui::Painter, pts: &[Pos2], delayed: bool, initial: bool, on: bool) {
        let color = self.ink(on);
        let w = if on { 2.5 } else { 1.2 } * self.zoom_w();
        let stroke = Stroke::new(w, color);
        if delayed || initial {
            let (dash, gap) = if initial { (2.0, 4.0) } else { (7.0, 4.0) };
            painter.extend(Shape::dashed_line(pts, stroke, dash, gap));
        } else {
            painter.add(Shape::line(pts.to_vec(), stroke));
        }
        head(painter, pts, 7.0 * self.zoom_w(), color);
    }

    /// The link's polarity, beside its head.
    fn sign(&self, painter: &egui::Painter, pts: &[Pos2], p: Polarity, on: bool) {
        if self.view.zoom < DETAIL_ZOOM {
            return;
        }
        let n = pts.len();
        let (a, b) = (pts[n - 2], pts[n - 1]);
        let d = (b - a).normalized();
        let at = b - d * 14.0 + d.rot90() * 8.0;
        let font = FontId::proportional(12.0 * self.zoom_w());
        painter.text(at, Align2::CENTER_CENTER, p.symbol(), font, self.ink(on));
    }

    fn draw_node(&self, painter: &egui::Painter, rect: Rect, i: usize) {
        let node = &self.structure.graph.nodes[i];
        let r = self.node_rect(rect, i);
        let z = self.view.zoom;
        let selected = self.selected == Some(i);
        let stroke_w = if selected { 2.5 } else { 1.0 };
        let (fill, edge) = self.node_colors(node.kind);
        let edge = if selected { theme::TARGET } else { edge };
        match node.kind {
            NodeKind::Stock => {
                painter.rect_filled(r, 2.0, fill);
                painter.rect_stroke(
                    r,
                    2.0,
                    Stroke::new(stroke_w * 1.5, edge),
                    egui::StrokeKind::Inside,
                );
            }
            NodeKind::Flow => {
                let c = pos2(r.center().x, r.top() + 9.0 * z);
                painter.circle(c, 7.0 * z, fill, Stroke::new(stroke_w * 1.5, edge));
                painter.line_segment(
                    [c - vec2(0.0, 7.0 * z), c - vec2(0.0, 12.0 * z)],
                    Stroke::new(2.0, edge),
                );
            }
            NodeKind::Lever => {
                painter.rect_filled(r, 8.0 * z, fill);
                painter.rect_stroke(
                    r,
                    8.0 * z,
                    Stroke::new(stroke_w, edge),
                    egui::StrokeKind::Inside,
                );
            }
            NodeKind::Aux | NodeKind::Data => {
                if selected {
                    painter.rect_stroke(
                        r,
                        6.0 * z,
                        Stroke::new(stroke_w, edge),
                        egui::StrokeKind::Inside,
                    );
                }
            }
        }
        self.node_text(painter, r, i);
    }

    fn node_colors(&self, kind: NodeKind) -> (Color32, Color32) {
        let d = self.dark;
        match kind {
            NodeKind::Stock if d => (Color32::from_rgb(30, 55, 80), theme::series_color(0)),
            NodeKind::Stock => (Color32::from_rgb(225, 238, 250), theme::series_color(0)),
            NodeKind::Flow if d => (Color32::from_rgb(30, 55, 80), theme::series_color(0)),
            NodeKind::Flow => (Color32::WHITE, theme::series_color(0)),
            NodeKind::Lever if d => (Color32::from_rgb(70, 45, 20), theme::TARGET),
            NodeKind::Lever => (Color32::from_rgb(253, 236, 220), theme::TARGET),
            _ => (Color32::TRANSPARENT, self.ink(false)),
        }
    }

    /// The name, then (close enough) the value and the sparkline.
    fn node_text(&self, painter: &egui::Painter, r: Rect, i: usize) {
        let node = &self.structure.graph.nodes[i];
        let z = self.view.zoom;
        let text_color = if self.dark {
            Color32::from_gray(230)
        } else {
            Color32::from_gray(20)
        };
        let name_top = match node.kind {
            NodeKind::Flow => r.top() + 18.0 * z,
            _ => r.top() + 4.0 * z,
        };
        let font = FontId::proportional((12.0 * z).max(5.0));
        let name = painter.layout(
            node.name(self.lang).to_string(),
            font,
            text_color,
            r.width() - 6.0 * z,
        );
        let name_h = name.size().y;
        painter.galley(
            pos2(r.center().x - name.size().x / 2.0, name_top),
            name,
            text_color,
        );
        if z < DETAIL_ZOOM {
            return;
        }
        let v = &self.values.nodes[i];
        let value_y = name_top + name_h + 1.0;
        let small = FontId::proportional(10.5 * z);
        let muted = self.ink(false);
        painter.text(
            pos2(r.center().x, value_y),
            Align2::CENTER_TOP,
            &v.text,
            small,
            muted,
        );
        if v.spark.len() > 1 {
            let inset = if node.kind == NodeKind::Stock {
                8.0
            } else {
                14.0
            };
            let box_ = Rect::from_min_max(
                pos2(r.left() + inset * z, r.bottom() - 11.0 * z),
                pos2(r.right() - inset * z, r.bottom() - 3.0 * z),
            );
            spark(painter, box_, &v.spark, theme::series_color(0));
        }
    }
}

/// Where the segment from `outside` to `r`'s centre meets `r`'s edge.
fn clip(outside: Pos2, r: Rect) -> Pos2 {
    let c = r.center();
    let d = outside - c;
    if d.x.abs() < 1e-3 && d.y.abs() < 1e-3 {
        return c;
    }
    let h = r.size() / 2.0 + Vec2::splat(2.0);
    let t = (h.x / d.x.abs().max(1e-6))
        .min(h.y / d.y.abs().max(1e-6))
        .min(1.0);
    c + d * t
}

/// An arrowhead at the end of `pts`.
fn head(painter: &egui::Painter, pts: &[Pos2], size: f32, color: Color32) {
    let n = pts.len();
    if n < 2 {
        return;
    }
    let (a, b) = (pts[n - 2], pts[n - 1]);
    let d = (b - a).normalized();
    if !d.x.is_finite() {
        return;
    }
    let back = b - d * size;
    let side = d.rot90() * size * 0.45;
    painter.add(Shape::convex_polygon(
        vec![b, back + side, back - side],
        color,
        Stroke::NONE,
    ));
}

/// A sparkline of `ys` (0..1) in `r`.
fn spark(painter: &egui::Painter, r: Rect, ys: &[f32], color: Color32) {
    let n = ys.len().max(2) - 1;
    let pts: Vec<Pos2> = ys
        .iter()
        .enumerate()
        .map(|(k, y)| {
            pos2(
                r.left() + r.width() * k as f32 / n as f32,
                r.bottom() - r.height() * y,
            )
        })
        .collect();
    painter.add(Shape::line(pts, Stroke::new(1.2, color)));
}
