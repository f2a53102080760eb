//! The model map: the model drawn as a stock-and-flow diagram (stocks as
//! boxes, flows as pipes through valves, auxiliaries and levers as named
//! nodes, links as arrows, dashed where they read the past), laid out by
//! `model::structure::layout` and kept where the user drags it. Live: each
//! node shows its value and a sparkline of its trajectory, and pipes
//! thicken with their flows, as a lever moves. Its feedback loops are
//! listed beside it with their polarity; one selected is highlighted and
//! can be named. Click a node to see it, double-click to plot it.

mod canvas;
mod loops_panel;
mod values;

use std::sync::Arc;

use eframe::egui;

use super::ToolWindow;
use crate::app::command::Command;
use crate::app::i18n::{Msg, tr};
use crate::app::view::Cx;
use crate::model::Model;
use crate::model::def::Place;
use crate::model::structure::{Graph, Layout, Loops, find_loops, layout};

/// The most nodes the map lays out; a larger model's loops are listed, its
/// drawing is not (its layout would take seconds on the window's thread).
pub const MAX_MAP_NODES: usize = 3_000;

/// What the map computes once per model: its graph, loops and layout.
pub struct Structure {
    model: Arc<Model>,
    pub graph: Graph,
    pub loops: Loops,
    pub layout: Layout,
}

impl Structure {
    /// Whether the map is drawn: not for a model past [`MAX_MAP_NODES`].
    pub fn drawn(&self) -> bool {
        self.layout.nodes.len() == self.graph.nodes.len()
    }

    /// The structure of `model`, laid out around the places it keeps.
    pub fn of(model: Arc<Model>) -> Self {
        let graph = Graph::of(&model);
        let loops = find_loops(&graph);
        if graph.nodes.len() > MAX_MAP_NODES {
            return Structure {
                model,
                graph,
                loops,
                layout: Layout::default(),
            };
        }
        let pins: Vec<(String, [f32; 2])> = model
            .map
            .places
            .iter()
            .map(|p| (p.id.clone(), p.at))
            .collect();
        let layout = layout(&graph, &pins);
        Structure {
            model,
            graph,
            loops,
            layout,
        }
    }
}

/// Pan and zoom of the canvas: a model point `p` is drawn at
/// `origin + pan + p * zoom`.
#[derive(Clone, Debug)]
pub struct View {
    pub pan: egui::Vec2,
    pub zoom: f32,
    /// Fit the drawing to the canvas at the next frame.
    pub fit: bool,
    /// With `fit`: no smaller than readable (the first view of a model).
    pub readable: bool,
    /// With `fit`: frame these nodes only (a loop shown in a deck step).
    pub focus: Option<Vec<usize>>,
}

impl Default for View {
    fn default() -> Self {
        View {
            pan: egui::Vec2::ZERO,
            zoom: 1.0,
            fit: true,
            readable: true,
            focus: None,
        }
    }
}

#[derive(Default)]
pub struct MapPanel {
    structure: Option<Structure>,
    view: View,
    /// The node clicked last, by index in the graph.
    selected: Option<usize>,
    /// The loop shown, by key.
    pub loop_key: Option<String>,
    /// A node being dragged: its index and where it is now.
    moving: Option<(usize, [f32; 2])>,
    loop_name: loops_panel::NameField,
    /// Where the canvas was drawn last.
    canvas: Option<egui::Rect>,
}

impl ToolWindow for MapPanel {
    fn contents(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        self.refresh(cx);
        let Some(s) = &self.structure else {
            return;
        };
        let values = values::of(cx, &s.graph);
        let lang = cx.lang;
        ui.horizontal(|ui| {
            if ui.button(tr(lang, Msg::MapFit)).clicked() {
                self.view.fit = true;
            }
            let t = crate::numfmt::fmt_time(lang, values.time);
            ui.label(tr(lang, Msg::MapValuesAt).replace("{t}", &t));
            ui.weak(tr(lang, Msg::MapHint));
        });
        let avail = ui.available_size();
        let side = 280.0_f32.min(avail.x * 0.4);
        let mut picked = None;
        ui.horizontal_top(|ui| {
            let size = egui::vec2((avail.x - side - 8.0).max(120.0), avail.y.max(200.0));
            if !s.drawn() {
                let n = s.graph.nodes.len().to_string();
                ui.allocate_ui(size, |ui| {
                    ui.label(tr(lang, Msg::MapTooLarge).replace("{n}", &n));
                });
            } else {
                let mut c = canvas::Canvas {
                    structure: s,
                    values: &values,
                    view: &mut self.view,
                    selected: self.selected,
                    loop_key: self.loop_key.as_deref(),
                    moving: &mut self.moving,
                    lang: cx.lang,
                    dark: cx.dark,
                };
                let (event, rect) = c.ui(ui, size);
                picked = Some(event);
                self.canvas = Some(rect);
            }
            ui.vertical(|ui| {
                ui.set_width(side);
                loops_panel::ui(
                    ui,
                    cx,
                    s,
                    &mut self.loop_key,
                    &mut self.loop_name,
                    self.selected,
                );
            });
        });
        if let Some(event) = picked.flatten() {
            self.handle(event, cx);
        }
    }
}

impl MapPanel {
    /// The map alone, filling `ui`, as a deck step shows it: the whole
    /// model, or loop `loop_key` highlighted and framed. Read-only.
    pub fn present(&mut self, ui: &mut egui::Ui, cx: &Cx, loop_key: Option<&str>) {
        self.refresh(cx);
        let Some(s) = &self.structure else {
            return;
        };
        if self.loop_key.as_deref() != loop_key {
            self.loop_key = loop_key.map(str::to_string);
            self.view.fit = true;
        }
        if !s.drawn() {
            return;
        }
        let focus = loop_key.and_then(|k| s.loops.by_key(k));
        self.view.readable = false;
        self.view.focus = focus.map(|l| l.nodes.clone());
        let values = values::of(cx, &s.graph);
        let mut still = None;
        let mut c = canvas::Canvas {
            structure: s,
            values: &values,
            view: &mut self.view,
            selected: None,
            loop_key,
            moving: &mut still,
            lang: cx.lang,
            dark: cx.dark,
        };
        let size = ui.available_size().max(egui::vec2(200.0, 150.0));
        let _ = c.ui(ui, size);
    }

    /// Where node `id`'s centre was drawn last, in screen points (for
    /// tests that drive the map with the pointer).
    pub fn node_on_screen(&self, id: &str) -> Option<egui::Pos2> {
        let (s, rect) = (self.structure.as_ref()?, self.canvas?);
        let i = s.graph.index(id)?;
        let [x, y] = s.layout.nodes[i].center;
        Some(rect.min + self.view.pan + egui::vec2(x, y) * self.view.zoom)
    }

    /// The loops the map lists, by key, and their polarity.
    pub fn loops(&self) -> Vec<(String, crate::model::structure::LoopPolarity)> {
        self.structure.as_ref().map_or_else(Vec::new, |s| {
            s.loops
                .loops
                .iter()
                .map(|l| (l.key.clone(), l.polarity))
                .collect()
        })
    }

    /// Recomputes the structure when the model changed (an edit, an undo,
    /// another file).
    fn refresh(&mut self, cx: &Cx) {
        let model = cx.doc.model.model_arc();
        if self
            .structure
            .as_ref()
            .is_some_and(|s| Arc::ptr_eq(&s.model, model))
        {
            return;
        }
        let old = self.structure.take();
        let fresh = old.as_ref().is_none_or(|s| s.model.id != model.id);
        let s = Structure::of(model.clone());
        // What was selected, by id: gone with its node (an undo, a delete).
        let id = |i: usize| {
            old.as_ref()
                .and_then(|o| o.graph.nodes.get(i))
                .map(|n| n.id.clone())
        };
        self.selected = self.selected.and_then(id).and_then(|id| s.graph.index(&id));
        self.moving = None;
        if self
            .loop_key
            .as_deref()
            .is_some_and(|k| s.loops.by_key(k).is_none())
        {
            self.loop_key = None;
        }
        if fresh {
            self.view = View::default();
            self.selected = None;
            self.loop_key = None;
        }
        self.structure = Some(s);
    }

    fn handle(&mut self, event: canvas::Event, cx: &mut Cx) {
        let Some(s) = &self.structure else {
            return;
        };
        match event {
            canvas::Event::Select(i) => self.selected = i,
            canvas::Event::Plot(i) => {
                self.selected = Some(i);
                let id = s.graph.nodes[i].id.clone();
                super::model_editor::plot(cx, &id);
            }
            canvas::Event::Moved(i, at) if at != s.layout.nodes[i].center => {
                let model = placed(s, i, at);
                cx.send(Command::EditModel {
                    model: Box::new(model),
                    merge: None,
                });
            }
            canvas::Event::Moved(..) => {}
        }
    }
}

/// The model with every node kept where the map draws it now and node `i`
/// at `at`: once the user arranges the map, nothing moves by itself.
fn placed(s: &Structure, i: usize, at: [f32; 2]) -> Model {
    let mut model = (*s.model).clone();
    model.map.places = s
        .graph
        .nodes
        .iter()
        .zip(&s.layout.nodes)
        .enumerate()
        .map(|(k, (n, p))| Place {
            id: n.id.clone(),
            at: if k == i { at } else { p.center },
        })
        .collect();
    model
}
