//! The lever panel: a slider per lever, grouped, with a typed-value box that
//! range-checks, a mark at the default, reset, and named positions. An
//! arrayed lever has one slider that sets all its elements, and a
//! disclosure with a slider for each.

use std::collections::HashMap;
use std::ops::Range;

use eframe::egui::{self, Color32, RichText, Stroke, pos2};

use crate::app::command::Command;
use crate::app::i18n::{Lang, Msg, colon, fmt_num, parse_num, tr};
use crate::app::theme;
use crate::app::view::Cx;

/// Text being typed into a lever's value box, and the last typing error.
#[derive(Default)]
pub struct LeverPanel {
    editing: HashMap<Moves, String>,
    errors: HashMap<Moves, String>,
    /// The value box being typed into, committed when it loses focus.
    focused: Option<Moves>,
}

/// What a slider, value box or position moves: one run lever, or every
/// element of an arrayed lever (`lever` in the model, `range` in the run).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Moves {
    One(usize),
    All { lever: usize, range: Range<usize> },
}

impl Moves {
    /// The run lever whose definition (range, step, unit) it shows.
    fn first(&self) -> usize {
        match self {
            Moves::One(i) => *i,
            Moves::All { range, .. } => range.start,
        }
    }

    fn values<'a>(&self, levers: &'a [f64]) -> &'a [f64] {
        match self {
            Moves::One(i) => &levers[*i..*i + 1],
            Moves::All { range, .. } => &levers[range.clone()],
        }
    }

    /// The value shown: the lever's, or its elements' mean.
    fn value(&self, levers: &[f64]) -> f64 {
        let v = self.values(levers);
        v.iter().sum::<f64>() / v.len().max(1) as f64
    }

    /// Whether all it moves is at `value`.
    fn is_at(&self, levers: &[f64], value: f64) -> bool {
        self.values(levers).iter().all(|&v| v == value)
    }

    fn set(&self, value: f64, merge: bool) -> Command {
        match self {
            Moves::One(lever) => Command::SetLever {
                lever: *lever,
                value,
                merge,
            },
            Moves::All { lever, .. } => Command::SetArrayedLever {
                lever: *lever,
                value,
                merge,
            },
        }
    }
}

pub use crate::numfmt::step_decimals;

impl LeverPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (doc, lang) = (cx.doc, cx.lang);
        let m = doc.model.model();
        ui.horizontal(|ui| {
            ui.heading(tr(lang, Msg::Levers));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let all_default = (0..doc.levers.len()).all(|i| doc.is_default(i));
                if ui
                    .add_enabled(!all_default, egui::Button::new(tr(lang, Msg::ResetAll)))
                    .on_hover_text(tr(lang, Msg::ResetAll))
                    .clicked()
                {
                    cx.send(Command::ResetAll);
                }
            });
        });
        ui.separator();
        if m.levers.is_empty() {
            ui.weak(tr(lang, Msg::NoLevers));
            return;
        }

        // Groups in the model's order, then levers whose group is not listed.
        let mut groups: Vec<(String, String)> = m
            .groups
            .iter()
            .map(|g| (g.id.clone(), g.label.get(lang).to_string()))
            .collect();
        for l in &m.levers {
            if !groups.iter().any(|(id, _)| *id == l.group) {
                groups.push((l.group.clone(), l.group.clone()));
            }
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (gid, glabel) in &groups {
                    // Levers of no group: no header to fold them under.
                    if gid.is_empty() {
                        self.group_ui(ui, cx, gid);
                        continue;
                    }
                    // Groups of calibration levers only (the past) start folded.
                    let past = m
                        .levers
                        .iter()
                        .filter(|l| &l.group == gid)
                        .all(|l| l.calibration);
                    egui::CollapsingHeader::new(RichText::new(glabel).strong())
                        .id_salt(("group", gid))
                        .default_open(!past)
                        .show(ui, |ui| self.group_ui(ui, cx, gid));
                }
            });
    }

    /// The levers of group `gid`, in model order.
    fn group_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, gid: &str) {
        let model = &cx.doc.model;
        let rows: Vec<(usize, bool, Range<usize>)> = (model.model().levers.iter().enumerate())
            .filter(|(_, l)| l.group == gid)
            .map(|(k, l)| (k, !l.dimensions.is_empty(), model.lever_elements(k)))
            .collect();
        for (k, arrayed, range) in rows {
            if !arrayed {
                self.lever_ui(ui, cx, Moves::One(range.start), None);
            } else if !range.is_empty() {
                self.arrayed_ui(ui, cx, k, range);
            }
            ui.add_space(6.0);
        }
    }

    /// An arrayed lever: one slider for all its elements, and under
    /// "By element" a slider for each.
    fn arrayed_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, lever: usize, range: Range<usize>) {
        let label = cx.doc.model.model().levers[lever]
            .label
            .get(cx.lang)
            .to_string();
        let all = Moves::All {
            lever,
            range: range.clone(),
        };
        self.lever_ui(ui, cx, all.clone(), Some(&label));
        let values = all.values(&cx.doc.levers);
        if values.iter().any(|&v| v != values[0]) {
            let l = &cx.doc.model.levers()[range.start];
            let (lo, hi) = values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                    (a.min(v), b.max(v))
                });
            let d = step_decimals(l.step);
            ui.weak(format!(
                "{} ({}\u{a0}–\u{a0}{}\u{a0}{})",
                tr(cx.lang, Msg::VariesByElement),
                fmt_num(cx.lang, lo, d),
                fmt_num(cx.lang, hi, d),
                l.unit.get(cx.lang)
            ));
        }
        egui::CollapsingHeader::new(tr(cx.lang, Msg::ByElement))
            .id_salt(("by_element", lever))
            .show(ui, |ui| {
                for i in range {
                    let element = cx.doc.model.lever_series(i).element.clone();
                    let name = element.map(|e| e.get(cx.lang).to_string());
                    self.lever_ui(ui, cx, Moves::One(i), name.as_deref());
                    ui.add_space(4.0);
                }
            });
    }

    /// One slider row; `name` replaces the lever's label (an arrayed
    /// lever's, an element's).
    fn lever_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, moves: Moves, name: Option<&str>) {
        let lang = cx.lang;
        let l = &cx.doc.model.levers()[moves.first()];
        let description = if l.calibration {
            format!(
                "{}\n\n{}",
                l.description.get(lang),
                tr(lang, Msg::CalibrationLever)
            )
        } else {
            l.description.get(lang).to_string()
        };
        let name = name.unwrap_or(l.label.get(lang)).to_string();
        let label = header_ui(ui, cx, &moves, &name, &description);
        slider_ui(ui, cx, &moves, label, description);
        self.value_box_ui(ui, cx, &moves, label);
        if let Some(err) = self.errors.get(&moves) {
            ui.colored_label(theme::bad(ui.visuals().dark_mode), err);
        }
        self.positions_ui(ui, cx, &moves);
    }

    /// The typed value, committed when the box loses focus, range-checked.
    fn value_box_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, moves: &Moves, label: egui::Id) {
        let (doc, lang) = (cx.doc, cx.lang);
        let l = &doc.model.levers()[moves.first()];
        let decimals = step_decimals(l.step);
        let unit = l.unit.get(lang);
        ui.horizontal(|ui| {
            let shown = fmt_num(lang, moves.value(&doc.levers), decimals);
            let buffer = self
                .editing
                .entry(moves.clone())
                .or_insert_with(|| shown.clone());
            let edit = ui.add(
                egui::TextEdit::singleline(buffer)
                    .desired_width(96.0)
                    .align(egui::Align2::RIGHT_CENTER),
            );
            let edit = edit
                .labelled_by(label)
                .on_hover_text(tr(lang, Msg::TypedValueTip));
            ui.label(unit);
            ui.weak(format!(
                "{} {}",
                tr(lang, Msg::DefaultMark),
                fmt_num(lang, l.default, decimals)
            ));
            // Enter or a click elsewhere ends the typing: commit then.
            let commit = if edit.has_focus() {
                self.focused = Some(moves.clone());
                false
            } else if self.focused.as_ref() == Some(moves) {
                self.focused = None;
                true
            } else {
                false
            };
            if commit {
                let text = self.editing.remove(moves).unwrap_or_default();
                match parse_num(lang, &text) {
                    None => {
                        self.errors.insert(
                            moves.clone(),
                            format!("{}: « {} »", tr(lang, Msg::NotANumber), text),
                        );
                    }
                    Some(v) if v < l.min || v > l.max => {
                        self.errors.insert(
                            moves.clone(),
                            format!(
                                "{} {} {} {} {unit}",
                                tr(lang, Msg::OutOfRange),
                                fmt_num(lang, l.min, decimals),
                                if lang == Lang::Fr { "et" } else { "and" },
                                fmt_num(lang, l.max, decimals)
                            ),
                        );
                    }
                    Some(v) => {
                        self.errors.remove(moves);
                        cx.send(moves.set(v, false));
                    }
                }
            } else if !edit.has_focus() {
                // Not being typed into: show the lever's current value.
                *buffer = shown;
            }
        });
    }

    /// Named positions ("Status quo", "Digital plan"), one click away.
    fn positions_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, moves: &Moves) {
        let (doc, lang) = (cx.doc, cx.lang);
        let l = &doc.model.levers()[moves.first()];
        let decimals = step_decimals(l.step);
        let unit = l.unit.get(lang);
        // An element's slider shows its run lever's positions (those for
        // it, `compile::arrays`); the slider for all elements those for all.
        let shown: Vec<_> = match moves {
            Moves::One(_) => l.positions.iter().collect(),
            Moves::All { lever, .. } => doc.model.model().levers[*lever]
                .positions
                .iter()
                .filter(|p| p.at.is_none())
                .collect(),
        };
        if !shown.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                for p in shown {
                    let active = moves.is_at(&doc.levers, p.value);
                    let text = RichText::new(p.label.get(lang)).small();
                    let text = if active {
                        text.color(Color32::WHITE)
                    } else {
                        text
                    };
                    let mut button = egui::Button::new(text).small();
                    if active {
                        button = button.fill(theme::PALETTE[0]);
                    }
                    let tip = format!(
                        "{}{}{} {unit}",
                        tr(lang, Msg::SetPosition),
                        colon(lang),
                        fmt_num(lang, p.value, decimals)
                    );
                    if ui.add(button).on_hover_text(tip).clicked() && !active {
                        self.errors.remove(moves);
                        cx.send(moves.set(p.value, false));
                    }
                }
            });
        }
    }
}

/// The lever's name (hover: its description) and its Reset button; returns
/// the name's id, which labels the slider and the value box.
fn header_ui(
    ui: &mut egui::Ui,
    cx: &mut Cx,
    moves: &Moves,
    label: &str,
    description: &str,
) -> egui::Id {
    let (doc, lang) = (cx.doc, cx.lang);
    let defaults: Vec<f64> = (moves.first()..moves.first() + moves.values(&doc.levers).len())
        .map(|i| doc.model.levers()[i].default)
        .collect();
    let at_default = moves.values(&doc.levers) == defaults.as_slice();
    ui.horizontal(|ui| {
        let r = ui
            .label(RichText::new(label).strong())
            .on_hover_text(description);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .add_enabled(!at_default, egui::Button::new(tr(lang, Msg::Reset)).small())
                .on_hover_text(tr(lang, Msg::ResetTip))
                .on_disabled_hover_text(tr(lang, Msg::ResetTip))
                .clicked()
            {
                cx.send(match moves {
                    Moves::One(i) => Command::ResetLever(*i),
                    Moves::All { range, .. } => {
                        let mut values = doc.levers.clone();
                        values[range.clone()].copy_from_slice(&defaults);
                        Command::SetLevers(values)
                    }
                });
            }
        });
        r
    })
    .inner
    .id
}

/// The slider across the panel, with a mark under the rail at the default.
fn slider_ui(ui: &mut egui::Ui, cx: &mut Cx, moves: &Moves, label: egui::Id, description: String) {
    let l = &cx.doc.model.levers()[moves.first()];
    let mut value = moves.value(&cx.doc.levers);
    let width = ui.available_width();
    let slider = ui
        .scope(|ui| {
            ui.spacing_mut().slider_width = width;
            ui.add(
                egui::Slider::new(&mut value, l.min..=l.max)
                    .step_by(l.step)
                    // Only the user's own moves snap to the step: a typed
                    // or computed value (goal seek) stays exact.
                    .clamping(egui::SliderClamping::Edits)
                    .show_value(false),
            )
        })
        .inner
        .labelled_by(label)
        .on_hover_text(description);
    if slider.changed() {
        cx.send(moves.set(value, slider.dragged()));
    }
    if slider.drag_stopped() {
        cx.send(Command::EndGesture);
    }
    // A mark under the rail at the default value.
    let rect = slider.rect;
    let r = rect.height() / 2.5;
    let t = ((l.default - l.min) / (l.max - l.min)) as f32;
    let x = rect.left() + r + t * (rect.width() - 2.0 * r);
    let mark = ui.visuals().weak_text_color();
    ui.painter().line_segment(
        [pos2(x, rect.bottom() - 1.0), pos2(x, rect.bottom() + 4.0)],
        Stroke::new(2.0, mark),
    );
}
