//! The Lookups tab: new tables, and each table's name, how it reads, and
//! its points, dragged on a small plot or typed, added and removed.

use eframe::egui;
use egui_plot::{Line, Plot, PlotPoints, Points};

use super::naming::{NameEdit, NameRow};
use super::propose;
use crate::app::command::Command;
use crate::app::i18n::{Msg, tr};
use crate::app::theme;
use crate::app::view::Cx;
use crate::model::def::LookupMode;

#[derive(Default)]
pub struct LookupsTab {
    selected: usize,
    /// The point being dragged.
    dragging: Option<usize>,
    error: Option<String>,
    name: NameRow,
}

impl LookupsTab {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (doc, lang, dark) = (cx.doc, cx.lang, cx.dark);
        let m = doc.model.model();
        if ui.button(tr(lang, Msg::NewTable)).clicked() {
            let mut model = m.clone();
            model.lookups.push(new_table(m));
            self.selected = model.lookups.len() - 1;
            cx.send(Command::EditModel {
                model: Box::new(model),
                merge: None,
            });
            return;
        }
        if m.lookups.is_empty() {
            ui.weak(tr(lang, Msg::NoLookups));
            return;
        }
        self.selected = self.selected.min(m.lookups.len() - 1);
        let lab = ui.label(tr(lang, Msg::TabLookups));
        egui::ComboBox::from_id_salt("editor-lookup")
            .selected_text(&m.lookups[self.selected].id)
            .show_ui(ui, |ui| {
                for (k, t) in m.lookups.iter().enumerate() {
                    ui.selectable_value(&mut self.selected, k, &t.id);
                }
            })
            .response
            .labelled_by(lab.id);
        let t = &m.lookups[self.selected];
        if let Some(NameEdit::Deleted) = self.name.ui(ui, cx, &t.id.clone()) {
            self.selected = self.selected.saturating_sub(1);
            return;
        }
        ui.weak(t.description.get(lang));
        if let Some(e) = mode_ui(ui, cx, self.selected) {
            self.error = Some(e);
        }
        let mut pts = t.points.clone();
        let pts_line: Vec<[f64; 2]> = pts.iter().map(|&(x, y)| [x, y]).collect();
        let resp = Plot::new("lookup-plot")
            .height(220.0)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .show(ui, |plot| {
                plot.line(
                    Line::new(t.id.clone(), PlotPoints::from(pts_line.clone()))
                        .color(theme::series_color(0)),
                );
                plot.points(
                    Points::new(String::new(), PlotPoints::from(pts_line.clone()))
                        .radius(6.0)
                        .color(theme::TARGET),
                );
                let pointer = plot.pointer_coordinate();
                let to_screen =
                    |p: [f64; 2]| plot.screen_from_plot(egui_plot::PlotPoint::new(p[0], p[1]));
                // Which point the press began on (the pointer may have moved since).
                let near = {
                    let pos = plot
                        .ctx()
                        .input(|i| i.pointer.press_origin().or(i.pointer.interact_pos()));
                    pos.and_then(|pos| {
                        pts_line
                            .iter()
                            .enumerate()
                            .map(|(k, p)| (k, to_screen(*p).distance(pos)))
                            .filter(|(_, d)| *d < 12.0)
                            .min_by(|a, b| a.1.total_cmp(&b.1))
                            .map(|(k, _)| k)
                    })
                };
                (pointer, near)
            });
        let (pointer, near) = resp.inner;
        if resp.response.drag_started() {
            self.dragging = near;
        }
        // An undo during the drag may have taken the point away.
        if let (Some(k), Some(p)) = (self.dragging.filter(|&k| k < pts.len()), pointer)
            && resp.response.dragged()
        {
            // A point moves between its neighbours; its value anywhere.
            let lo = if k > 0 {
                pts[k - 1].0
            } else {
                f64::NEG_INFINITY
            };
            let hi = pts.get(k + 1).map_or(f64::INFINITY, |q| q.0);
            // Strictly between the neighbours, unless they are too close
            // for that: then the point keeps its x.
            let (a, b) = (lo + (hi - lo) * 1e-6, hi - (hi - lo) * 1e-6);
            let x = if k == 0 || k + 1 == pts.len() || a >= b {
                pts[k].0
            } else {
                p.x.clamp(a, b)
            };
            pts[k] = (x, p.y);
        }
        if resp.response.drag_stopped() {
            self.dragging = None;
            // One drag, one undo step.
            cx.send(Command::EndGesture);
        }
        ui.weak(tr(lang, Msg::DragPoints));
        let listed = pts.len();
        points_ui(ui, lang, &mut pts);
        if pts != t.points {
            // A point added or removed is an undo step of its own.
            let merge = (pts.len() == listed).then(|| format!("lookup:{}", t.id));
            let mut model = m.clone();
            model.lookups[self.selected].points = pts;
            self.error = super::propose_as(model, merge, cx.out());
        }
        if let Some(e) = &self.error {
            ui.colored_label(theme::bad(dark), e);
        }
    }
}

/// A table named `new_table_k` from (0, 0) to (1, 1).
fn new_table(m: &crate::model::Model) -> crate::model::def::Lookup {
    crate::model::def::Lookup {
        id: crate::model::edit::free_name(m, "new_table"),
        points: vec![(0.0, 0.0), (1.0, 1.0)],
        description: Default::default(),
        mode: LookupMode::Continuous,
        unit_expr: String::new(),
        input_unit_expr: String::new(),
        dimensions: Vec::new(),
        by_element: Vec::new(),
    }
}

/// The points as typed values, one row each, with a button to remove one
/// (a table keeps two) and one to add a point past the last.
fn points_ui(ui: &mut egui::Ui, lang: crate::app::i18n::Lang, pts: &mut Vec<(f64, f64)>) {
    ui.label(tr(lang, Msg::PointsField));
    let mut remove = None;
    egui::ScrollArea::vertical()
        .id_salt("editor-lookup-points")
        .max_height(160.0)
        .show(ui, |ui| {
            egui::Grid::new("editor-lookup-points-grid")
                .num_columns(3)
                .show(ui, |ui| {
                    let lx = ui.label("x").id;
                    let ly = ui.label("y").id;
                    ui.end_row();
                    let n = pts.len();
                    for (k, (x, y)) in pts.iter_mut().enumerate() {
                        ui.add(egui::DragValue::new(x).speed(0.01)).labelled_by(lx);
                        ui.add(egui::DragValue::new(y).speed(0.01)).labelled_by(ly);
                        let b = ui.add_enabled(n > 2, egui::Button::new("×").small());
                        if b.on_hover_text(tr(lang, Msg::RemovePoint)).clicked() {
                            remove = Some(k);
                        }
                        ui.end_row();
                    }
                });
        });
    if let Some(k) = remove {
        pts.remove(k);
    }
    if ui.button(tr(lang, Msg::AddPoint)).clicked() {
        let (x, y) = pts.last().copied().unwrap_or((0.0, 0.0));
        let dx = match pts.len() {
            0 | 1 => 1.0,
            n => (x - pts[n - 2].0).max(1e-6),
        };
        pts.push((x + dx, y));
    }
}

/// How the table reads beyond its points: one undo step; why not, if refused.
fn mode_ui(ui: &mut egui::Ui, cx: &mut Cx, table: usize) -> Option<String> {
    let lang = cx.lang;
    let m = cx.doc.model.model();
    let name = |mode: LookupMode| {
        tr(
            lang,
            match mode {
                LookupMode::Continuous => Msg::LookupContinuous,
                LookupMode::Extrapolate => Msg::LookupExtrapolate,
                LookupMode::Discrete => Msg::LookupDiscrete,
            },
        )
    };
    let mut mode = m.lookups[table].mode;
    ui.horizontal(|ui| {
        let lab = ui.label(tr(lang, Msg::LookupMode));
        egui::ComboBox::from_id_salt("editor-lookup-mode")
            .selected_text(name(mode))
            .show_ui(ui, |ui| {
                for k in [
                    LookupMode::Continuous,
                    LookupMode::Extrapolate,
                    LookupMode::Discrete,
                ] {
                    ui.selectable_value(&mut mode, k, name(k));
                }
            })
            .response
            .labelled_by(lab.id);
    });
    if mode == m.lookups[table].mode {
        return None;
    }
    let mut model = m.clone();
    model.lookups[table].mode = mode;
    propose(model, format!("lookup-mode:{table}"), cx.out())
}
