//! The targets window: every target against the scenario, the tension
//! between targets, and "what does it take?" (goal seek and lever ranking),
//! whose answers apply to the slider in one undoable click.

use eframe::egui::{self, RichText};

use super::command::Command;
use super::document::Document;
use super::i18n::{Lang, Msg, fmt_auto, fmt_num, fmt_pct, tr};
use super::theme;
use crate::model::solve::{Ranked, Seek, goal_seek, rank_levers};
use crate::model::targets::tensions;

#[derive(Default)]
pub struct TargetsPanel {
    pub open: bool,
    target: usize,
    lever: usize,
    /// The last answer and the levers it was computed for.
    seek: Option<(Vec<f64>, Seek)>,
    ranking: Option<(Vec<f64>, usize, Vec<Ranked>)>,
}

impl TargetsPanel {
    #[must_use]
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        lang: Lang,
        dark: bool,
    ) -> Vec<Command> {
        let mut out = Vec::new();
        if !self.open {
            return out;
        }
        let mut open = self.open;
        egui::Window::new(tr(lang, Msg::Targets))
            .open(&mut open)
            .default_width(720.0)
            .default_height(480.0)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical()
                    .show(ui, |ui| self.contents(ui, doc, lang, dark, &mut out));
            });
        self.open = open;
        out
    }

    fn contents(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        lang: Lang,
        dark: bool,
        out: &mut Vec<Command>,
    ) {
        let m = doc.model.model();
        for t in tensions(&doc.model, &doc.run) {
            let r = &m.ratios[t.ratio];
            let unit = m.variable(&r.variable).map_or("", |v| v.unit.get(lang));
            let mut text = format!(
                "{}{}{} {unit}",
                r.label.get(lang),
                super::i18n::colon(lang),
                fmt_num(lang, t.implied, 1)
            );
            if let Some((y, v)) = t.current {
                text.push_str(&format!(
                    " {} {} {unit} {} {y}",
                    tr(lang, Msg::Against),
                    fmt_num(lang, v, 1),
                    tr(lang, Msg::InYear)
                ));
            }
            ui.label(RichText::new(text).strong().color(theme::TARGET));
        }
        ui.add_space(4.0);
        egui::Grid::new("targets-table")
            .striped(true)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for h in [
                    Msg::Target,
                    Msg::TargetValue,
                    Msg::Scenario,
                    Msg::Gap,
                    Msg::FirstReached,
                    Msg::Required,
                    Msg::ScenarioGrowth,
                    Msg::HistoryGrowth,
                ] {
                    ui.strong(tr(lang, h));
                }
                ui.end_row();
                for s in &doc.statuses {
                    let t = &m.targets[s.target];
                    let unit = m.variables[s.var].unit.get(lang);
                    ui.label(format!("{} ({})", t.label.get(lang), t.year))
                        .on_hover_text(&t.source.title);
                    ui.label(format!("{} {unit}", fmt_auto(lang, t.value)));
                    let color = if s.met {
                        theme::good(dark)
                    } else {
                        theme::bad(dark)
                    };
                    ui.colored_label(color, format!("{} {unit}", fmt_auto(lang, s.value)));
                    ui.colored_label(color, fmt_pct(lang, s.gap_frac, 1));
                    ui.label(
                        s.first_reached
                            .map_or_else(|| "—".to_string(), |y| y.to_string()),
                    );
                    for g in [s.required_growth, s.run_growth, s.historical_growth] {
                        ui.label(g.map_or_else(
                            || "—".to_string(),
                            |g| format!("{}{}", fmt_pct(lang, g, 1), tr(lang, Msg::PerYear)),
                        ));
                    }
                    ui.end_row();
                }
            });

        ui.separator();
        ui.heading(tr(lang, Msg::WhatItTakes));
        if m.targets.is_empty() || m.levers.is_empty() {
            return;
        }
        self.target = self.target.min(m.targets.len() - 1);
        self.lever = self.lever.min(m.levers.len() - 1);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr(lang, Msg::Target));
            egui::ComboBox::from_id_salt("seek-target")
                .selected_text(m.targets[self.target].label.get(lang))
                .width(320.0)
                .show_ui(ui, |ui| {
                    for (i, t) in m.targets.iter().enumerate() {
                        ui.selectable_value(
                            &mut self.target,
                            i,
                            format!("{} ({})", t.label.get(lang), t.year),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(tr(lang, Msg::Lever));
            egui::ComboBox::from_id_salt("seek-lever")
                .selected_text(m.levers[self.lever].label.get(lang))
                .show_ui(ui, |ui| {
                    for (i, l) in m.levers.iter().enumerate() {
                        ui.selectable_value(&mut self.lever, i, l.label.get(lang));
                    }
                })
                .response
                .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            if ui.button(tr(lang, Msg::Find)).clicked() {
                self.seek = goal_seek(&doc.model, &doc.levers, self.target, self.lever)
                    .map(|s| (doc.levers.clone(), s));
            }
            if ui.button(tr(lang, Msg::RankLevers)).clicked() {
                self.ranking = Some((
                    doc.levers.clone(),
                    self.target,
                    rank_levers(&doc.model, &doc.levers, self.target),
                ));
            }
        });
        // Answers computed for other lever values are dropped, never shown stale.
        if self
            .seek
            .as_ref()
            .is_some_and(|(l, s)| *l != doc.levers || s.lever != self.lever)
        {
            self.seek = None;
        }
        if self
            .ranking
            .as_ref()
            .is_some_and(|(l, t, _)| *l != doc.levers || *t != self.target)
        {
            self.ranking = None;
        }
        let t = &m.targets[self.target];
        let tunit = m.variable(&t.variable).map_or("", |v| v.unit.get(lang));
        if let Some((_, s)) = &self.seek {
            let l = &m.levers[s.lever];
            ui.horizontal_wrapped(|ui| {
                let text = if s.reached {
                    format!(
                        "{} = {} {} {} ({} {})",
                        l.label.get(lang),
                        fmt_num(lang, s.value, 2),
                        l.unit.get(lang),
                        tr(lang, Msg::Meets),
                        fmt_auto(lang, s.achieved),
                        tunit
                    )
                } else {
                    format!(
                        "{} — {}{}{} {} ({} {})",
                        tr(lang, Msg::CannotReach),
                        l.label.get(lang),
                        super::i18n::colon(lang),
                        fmt_num(lang, s.value, 2),
                        l.unit.get(lang),
                        fmt_auto(lang, s.achieved),
                        tunit
                    )
                };
                ui.colored_label(
                    if s.reached {
                        theme::good(dark)
                    } else {
                        theme::bad(dark)
                    },
                    text,
                );
                if ui.button(tr(lang, Msg::Apply)).clicked() {
                    out.push(Command::SetLever {
                        lever: s.lever,
                        value: s.value,
                        merge: false,
                    });
                }
            });
        }
        if let Some((_, _, ranking)) = &self.ranking {
            egui::Grid::new("ranking")
                .striped(true)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    for h in [Msg::Lever, Msg::LeverValue, Msg::DefaultMark, Msg::Move] {
                        ui.strong(tr(lang, h));
                    }
                    ui.end_row();
                    for r in ranking {
                        let l = &m.levers[r.seek.lever];
                        ui.label(l.label.get(lang));
                        let color = if r.seek.reached {
                            theme::good(dark)
                        } else {
                            theme::bad(dark)
                        };
                        ui.colored_label(
                            color,
                            format!("{} {}", fmt_num(lang, r.seek.value, 2), l.unit.get(lang)),
                        );
                        ui.label(fmt_num(lang, l.default, 2));
                        ui.label(if r.seek.reached {
                            fmt_pct(lang, r.move_frac, 0)
                        } else {
                            format!(
                                "{} ({} {tunit})",
                                tr(lang, Msg::CannotReach),
                                fmt_auto(lang, r.seek.achieved)
                            )
                        });
                        if r.seek.reached && ui.small_button(tr(lang, Msg::Apply)).clicked() {
                            out.push(Command::SetLever {
                                lever: r.seek.lever,
                                value: r.seek.value,
                                merge: false,
                            });
                        }
                        ui.end_row();
                    }
                });
        }
    }
}
