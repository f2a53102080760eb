//! The lever panel: a slider per lever, grouped, with a typed-value box that
//! range-checks, a mark at the default, reset, and named positions.

use std::collections::HashMap;

use eframe::egui::{self, Color32, RichText, Stroke, pos2};

use crate::app::command::Command;
use crate::app::i18n::{Lang, Msg, colon, fmt_num, parse_num, tr};
use crate::app::theme;
use crate::app::view::Cx;

/// Text being typed into a lever's value box, and the last typing error.
#[derive(Default)]
pub struct LeverPanel {
    editing: HashMap<usize, String>,
    errors: HashMap<usize, String>,
    /// The value box being typed into, committed when it loses focus.
    focused: Option<usize>,
}

/// Decimals that show a lever's step exactly.
pub fn step_decimals(step: f64) -> usize {
    let mut d = 0;
    let mut s = step.abs();
    while d < 4 && (s - s.round()).abs() > 1e-9 {
        s *= 10.0;
        d += 1;
    }
    d
}

impl LeverPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (doc, lang) = (cx.doc, cx.lang);
        let m = doc.model.model();
        ui.horizontal(|ui| {
            ui.heading(tr(lang, Msg::Levers));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let all_default = (0..m.levers.len()).all(|i| doc.is_default(i));
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
        for (i, l) in cx.doc.model.model().levers.iter().enumerate() {
            if l.group == gid {
                self.lever_ui(ui, cx, i);
                ui.add_space(6.0);
            }
        }
    }

    fn lever_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, i: usize) {
        let lang = cx.lang;
        let l = &cx.doc.model.model().levers[i];
        let description = if l.calibration {
            format!(
                "{}\n\n{}",
                l.description.get(lang),
                tr(lang, Msg::CalibrationLever)
            )
        } else {
            l.description.get(lang).to_string()
        };
        let label = header_ui(ui, cx, i, &description);
        slider_ui(ui, cx, i, label, description);
        self.value_box_ui(ui, cx, i, label);
        if let Some(err) = self.errors.get(&i) {
            ui.colored_label(theme::bad(ui.visuals().dark_mode), err);
        }
        self.positions_ui(ui, cx, i);
    }

    /// The typed value, committed when the box loses focus, range-checked.
    fn value_box_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, i: usize, label: egui::Id) {
        let (doc, lang) = (cx.doc, cx.lang);
        let l = &doc.model.model().levers[i];
        let decimals = step_decimals(l.step);
        let unit = l.unit.get(lang);
        ui.horizontal(|ui| {
            let shown = fmt_num(lang, doc.levers[i], decimals);
            let buffer = self.editing.entry(i).or_insert_with(|| shown.clone());
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
                self.focused = Some(i);
                false
            } else if self.focused == Some(i) {
                self.focused = None;
                true
            } else {
                false
            };
            if commit {
                let text = self.editing.remove(&i).unwrap_or_default();
                match parse_num(lang, &text) {
                    None => {
                        self.errors
                            .insert(i, format!("{}: « {} »", tr(lang, Msg::NotANumber), text));
                    }
                    Some(v) if v < l.min || v > l.max => {
                        self.errors.insert(
                            i,
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
                        self.errors.remove(&i);
                        cx.send(Command::SetLever {
                            lever: i,
                            value: v,
                            merge: false,
                        });
                    }
                }
            } else if !edit.has_focus() {
                // Not being typed into: show the lever's current value.
                *buffer = shown;
            }
        });
    }

    /// Named positions ("Status quo", "Digital plan"), one click away.
    fn positions_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, i: usize) {
        let (doc, lang) = (cx.doc, cx.lang);
        let l = &doc.model.model().levers[i];
        let decimals = step_decimals(l.step);
        let unit = l.unit.get(lang);
        if !l.positions.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                for p in &l.positions {
                    let active = doc.levers[i] == p.value;
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
                        self.errors.remove(&i);
                        cx.send(Command::SetLever {
                            lever: i,
                            value: p.value,
                            merge: false,
                        });
                    }
                }
            });
        }
    }
}

/// The lever's name (hover: its description) and its Reset button; returns
/// the name's id, which labels the slider and the value box.
fn header_ui(ui: &mut egui::Ui, cx: &mut Cx, i: usize, description: &str) -> egui::Id {
    let (doc, lang) = (cx.doc, cx.lang);
    let label = doc.model.model().levers[i].label.get(lang);
    ui.horizontal(|ui| {
        let r = ui
            .label(RichText::new(label).strong())
            .on_hover_text(description);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .add_enabled(
                    !doc.is_default(i),
                    egui::Button::new(tr(lang, Msg::Reset)).small(),
                )
                .on_hover_text(tr(lang, Msg::ResetTip))
                .on_disabled_hover_text(tr(lang, Msg::ResetTip))
                .clicked()
            {
                cx.send(Command::ResetLever(i));
            }
        });
        r
    })
    .inner
    .id
}

/// The slider across the panel, with a mark under the rail at the default.
fn slider_ui(ui: &mut egui::Ui, cx: &mut Cx, i: usize, label: egui::Id, description: String) {
    let l = &cx.doc.model.model().levers[i];
    let mut value = cx.doc.levers[i];
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
        cx.send(Command::SetLever {
            lever: i,
            value,
            merge: slider.dragged(),
        });
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
