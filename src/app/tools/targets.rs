//! The targets window: every target against the scenario (add, edit and
//! remove them: they travel with the scenario), the tension between targets,
//! and "what does it take?": goal seek, lever ranking and several targets at
//! once, whose answers apply to the sliders in one undoable click.

use eframe::egui::{self, RichText};

use super::ToolWindow;
use crate::app::command::Command;
use crate::app::document::Document;
use crate::app::i18n::{Lang, Msg, colon, fmt_auto, fmt_num, fmt_pct, parse_num, tr};
use crate::app::theme;
use crate::app::view::Cx;
use crate::model::def::{Source, Target, Text};
use crate::model::solve::{Joint, Ranked, Seek, goal_seek, meet_targets, rank_levers};
use crate::model::targets::tensions;

#[derive(Default)]
pub struct TargetsPanel {
    target: usize,
    lever: usize,
    /// The last answer and the levers it was computed for.
    seek: Option<(Vec<f64>, usize, Seek)>,
    ranking: Option<(Vec<f64>, usize, Vec<Ranked>)>,
    /// The target being added or edited.
    form: Option<TargetForm>,
    /// Several targets at once: which targets and levers are ticked, by id.
    joint_targets: Vec<String>,
    joint_levers: Vec<String>,
    /// The last joint answer, with the levers and choice it was computed for.
    joint: Option<JointAnswer>,
    joint_error: bool,
    /// The model the answers were computed on: an edited or opened model
    /// drops them (target indices and values may have changed).
    model: Option<std::sync::Arc<crate::model::Model>>,
}

/// A joint answer with what it was computed for: lever values, targets, levers.
type JointAnswer = (Vec<f64>, Vec<usize>, Vec<usize>, Joint);

/// The fields of the add/edit form, as typed.
struct TargetForm {
    /// The id of the target edited; `None` adds one.
    editing: Option<String>,
    label: String,
    variable: usize,
    year: i32,
    value: String,
    source: String,
    error: Option<Msg>,
}

impl TargetForm {
    fn new(doc: &Document, lang: Lang) -> Self {
        let m = doc.model.model();
        let variable = m
            .targets
            .first()
            .and_then(|t| m.variables.iter().position(|v| v.id == t.variable))
            .unwrap_or(0);
        TargetForm {
            editing: None,
            label: String::new(),
            variable,
            year: m.end_year.min(m.last_observed_year + 6),
            value: String::new(),
            source: tr(lang, Msg::UserTarget).to_string(),
            error: None,
        }
    }

    fn edit(doc: &Document, lang: Lang, i: usize) -> Option<Self> {
        let m = doc.model.model();
        let t = m.targets.get(i)?;
        Some(TargetForm {
            editing: Some(t.id.clone()),
            label: t.label.get(lang).to_string(),
            variable: m.variables.iter().position(|v| v.id == t.variable)?,
            year: t.year,
            value: fmt_num(lang, t.value, 6)
                .trim_end_matches('0')
                .trim_end_matches([',', '.'])
                .to_string(),
            source: t.source.title.clone(),
            error: None,
        })
    }

    /// The target the form describes, or what is wrong with it.
    fn target(&self, doc: &Document, lang: Lang) -> Result<Target, Msg> {
        let m = doc.model.model();
        let label = self.label.trim();
        if label.is_empty() {
            return Err(Msg::NeedLabel);
        }
        let value = parse_num(lang, &self.value).ok_or(Msg::NeedNumber)?;
        if self.source.trim().is_empty() {
            return Err(Msg::NeedSource);
        }
        let variable = m
            .variables
            .get(self.variable)
            .ok_or(Msg::NeedNumber)?
            .id
            .clone();
        let old = match &self.editing {
            Some(id) => Some(
                m.targets
                    .iter()
                    .find(|t| &t.id == id)
                    .ok_or(Msg::TargetGone)?,
            ),
            None => None,
        };
        // The other language keeps its own label unless it was the same text.
        let mut text = old.map_or_else(|| Text::new(label, label), |t| t.label.clone());
        let same = text.fr == text.en;
        match lang {
            Lang::Fr => text.fr = label.to_string(),
            Lang::En => text.en = label.to_string(),
        }
        if same || old.is_none() {
            text = Text::new(label, label);
        }
        let mut source = old.map_or_else(Source::default, |t| t.source.clone());
        if source.title != self.source.trim() {
            source = Source {
                title: self.source.trim().to_string(),
                ..Source::default()
            };
        }
        let id = match old {
            Some(t) => t.id.clone(),
            None => {
                let base = format!("user_{variable}_{}", self.year);
                let mut id = base.clone();
                let mut k = 2;
                while m.targets.iter().any(|t| t.id == id) {
                    id = format!("{base}_{k}");
                    k += 1;
                }
                id
            }
        };
        Ok(Target {
            id,
            variable,
            year: self.year,
            value,
            label: text,
            source,
        })
    }
}

impl ToolWindow for TargetsPanel {
    fn contents(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (doc, lang) = (cx.doc, cx.lang);
        self.forget_answers_of_another_model(doc);
        tensions_ui(ui, cx);
        ui.add_space(4.0);
        self.table_ui(ui, cx);
        if self.form.is_none() && ui.button(tr(lang, Msg::AddTarget)).clicked() {
            self.form = Some(TargetForm::new(doc, lang));
        }
        self.form_ui(ui, cx);
        ui.separator();
        ui.heading(tr(lang, Msg::WhatItTakes));
        let m = doc.model.model();
        if m.targets.is_empty() || doc.model.levers().is_empty() {
            return;
        }
        self.target = self.target.min(m.targets.len() - 1);
        // Calibration levers set the past: goal seek moves policy levers.
        let policy: Vec<usize> = (0..doc.model.levers().len())
            .filter(|&l| !doc.model.levers()[l].calibration)
            .collect();
        let Some(&first_policy) = policy.first() else {
            return;
        };
        if !policy.contains(&self.lever) {
            self.lever = first_policy;
        }
        self.seek_ui(ui, cx, &policy);
        self.seek_answer_ui(ui, cx);
        self.ranking_ui(ui, cx);
        ui.separator();
        self.joint_ui(ui, cx, &policy);
    }
}

/// The tension between targets: the ratios they imply against today's.
fn tensions_ui(ui: &mut egui::Ui, cx: &Cx) {
    let (doc, lang) = (cx.doc, cx.lang);
    let m = doc.model.model();
    for t in tensions(&doc.model, &doc.run) {
        let r = &m.ratios[t.ratio];
        let unit = m.variable(&r.variable).map_or("", |v| v.unit.get(lang));
        let mut text = format!(
            "{}{}{} {unit}",
            r.label.get(lang),
            colon(lang),
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
}

impl TargetsPanel {
    /// An edited or opened model drops the answers (target indices and
    /// values may have changed), and the form of a target that is gone.
    fn forget_answers_of_another_model(&mut self, doc: &Document) {
        let m = doc.model.model();
        if self
            .model
            .as_ref()
            .is_some_and(|a| std::sync::Arc::ptr_eq(a, doc.model.model_arc()))
        {
            return;
        }
        self.model = Some(doc.model.model_arc().clone());
        self.seek = None;
        self.ranking = None;
        self.joint = None;
        if let Some(f) = &self.form
            && let Some(id) = &f.editing
            && !m.targets.iter().any(|t| &t.id == id)
        {
            self.form = None;
        }
    }

    /// Every target against the scenario, with edit and remove buttons.
    fn table_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (doc, lang, dark) = (cx.doc, cx.lang, cx.dark);
        let m = doc.model.model();
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
                    let unit = doc.model.series(s.var).unit.get(lang);
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
                            .map_or_else(|| "—".to_string(), |y| crate::numfmt::fmt_time(lang, y)),
                    );
                    for g in [s.required_growth, s.run_growth, s.historical_growth] {
                        ui.label(g.map_or_else(
                            || "—".to_string(),
                            |g| format!("{}{}", fmt_pct(lang, g, 1), tr(lang, Msg::PerYear)),
                        ));
                    }
                    ui.horizontal(|ui| {
                        if ui
                            .small_button(tr(lang, Msg::EditTarget))
                            .on_hover_text(tr(lang, Msg::EditTargetTip))
                            .clicked()
                        {
                            self.form = TargetForm::edit(doc, lang, s.target);
                        }
                        if ui
                            .small_button(tr(lang, Msg::Remove))
                            .on_hover_text(tr(lang, Msg::RemoveTargetTip))
                            .clicked()
                        {
                            cx.send(Command::RemoveTarget(s.target));
                            self.form = None;
                        }
                    });
                    ui.end_row();
                }
            });
    }

    /// Goal seek: pick a target and a lever, find the value or rank the levers.
    fn seek_ui(&mut self, ui: &mut egui::Ui, cx: &Cx, policy: &[usize]) {
        let (doc, lang) = (cx.doc, cx.lang);
        let m = doc.model.model();
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
                .selected_text(doc.model.levers()[self.lever].label.get(lang))
                .show_ui(ui, |ui| {
                    for &i in policy {
                        ui.selectable_value(
                            &mut self.lever,
                            i,
                            doc.model.levers()[i].label.get(lang),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            if ui.button(tr(lang, Msg::Find)).clicked() {
                self.seek = goal_seek(&doc.model, &doc.levers, self.target, self.lever)
                    .map(|s| (doc.levers.clone(), self.target, s));
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
            .is_some_and(|(l, t, s)| *l != doc.levers || *t != self.target || s.lever != self.lever)
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
    }

    /// The goal-seek answer, with Apply.
    fn seek_answer_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (doc, lang, dark) = (cx.doc, cx.lang, cx.dark);
        let m = doc.model.model();
        let t = &m.targets[self.target];
        let tunit = m.variable(&t.variable).map_or("", |v| v.unit.get(lang));
        if let Some((_, _, s)) = &self.seek {
            let l = &doc.model.levers()[s.lever];
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
                        colon(lang),
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
                    cx.send(Command::SetLever {
                        lever: s.lever,
                        value: s.value,
                        merge: false,
                    });
                }
            });
        }
    }

    /// Every policy lever's goal-seek answer, least move first.
    fn ranking_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (doc, lang, dark) = (cx.doc, cx.lang, cx.dark);
        let m = doc.model.model();
        let t = &m.targets[self.target];
        let tunit = m.variable(&t.variable).map_or("", |v| v.unit.get(lang));
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
                        let l = &doc.model.levers()[r.seek.lever];
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
                            cx.send(Command::SetLever {
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

    fn form_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let (doc, lang, dark) = (cx.doc, cx.lang, cx.dark);
        let Some(form) = &mut self.form else {
            return;
        };
        let m = doc.model.model();
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.strong(tr(
                lang,
                if form.editing.is_some() {
                    Msg::EditTarget
                } else {
                    Msg::AddTarget
                },
            ));
            egui::Grid::new("target-form")
                .num_columns(2)
                .spacing([8.0, 4.0])
                .show(ui, |ui| {
                    let l = ui.label(tr(lang, Msg::LabelField));
                    ui.add(egui::TextEdit::singleline(&mut form.label).desired_width(360.0))
                        .labelled_by(l.id);
                    ui.end_row();
                    let l = ui.label(tr(lang, Msg::Variable));
                    form.variable = form.variable.min(m.variables.len().saturating_sub(1));
                    // A variable by its label, and its unit when it has one.
                    let name = |v: &crate::model::def::Variable| match v.unit.get(lang) {
                        "" => v.label.get(lang).to_string(),
                        u => format!("{} ({u})", v.label.get(lang)),
                    };
                    if let Some(v) = m.variables.get(form.variable) {
                        egui::ComboBox::from_id_salt("target-variable")
                            .selected_text(name(v))
                            .width(360.0)
                            .show_ui(ui, |ui| {
                                for (i, v) in m.variables.iter().enumerate() {
                                    ui.selectable_value(&mut form.variable, i, name(v));
                                }
                            })
                            .response
                            .labelled_by(l.id);
                    }
                    ui.end_row();
                    let l = ui.label(tr(lang, Msg::Year));
                    ui.add(egui::DragValue::new(&mut form.year).range(m.years()))
                        .labelled_by(l.id);
                    ui.end_row();
                    let l = ui.label(tr(lang, Msg::ValueField));
                    ui.horizontal(|ui| {
                        ui.add(egui::TextEdit::singleline(&mut form.value).desired_width(120.0))
                            .labelled_by(l.id);
                        if let Some(v) = m.variables.get(form.variable) {
                            ui.label(v.unit.get(lang));
                        }
                    });
                    ui.end_row();
                    let l = ui.label(tr(lang, Msg::Source));
                    ui.add(egui::TextEdit::singleline(&mut form.source).desired_width(360.0))
                        .labelled_by(l.id);
                    ui.end_row();
                });
            if let Some(e) = form.error {
                ui.colored_label(theme::bad(dark), tr(lang, e));
            }
            ui.horizontal(|ui| {
                if ui.button(tr(lang, Msg::SaveTarget)).clicked() {
                    match form.target(doc, lang) {
                        Ok(target) => {
                            let index = form
                                .editing
                                .as_ref()
                                .and_then(|id| m.targets.iter().position(|t| &t.id == id));
                            // Saving an unchanged target is not an edit.
                            if index.is_none_or(|i| m.targets[i] != target) {
                                cx.send(Command::SetTarget {
                                    index,
                                    target: Box::new(target),
                                });
                            }
                            close = true;
                        }
                        Err(e) => form.error = Some(e),
                    }
                }
                if ui.button(tr(lang, Msg::Cancel)).clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.form = None;
        }
    }

    fn joint_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, policy: &[usize]) {
        let (doc, lang, dark) = (cx.doc, cx.lang, cx.dark);
        let m = doc.model.model();
        ui.heading(tr(lang, Msg::SeveralTargets));
        let tick = |ui: &mut egui::Ui, list: &mut Vec<String>, id: &str, text: String| {
            let mut on = list.iter().any(|x| x == id);
            if ui.checkbox(&mut on, text).changed() {
                if on {
                    list.push(id.to_string());
                } else {
                    list.retain(|x| x != id);
                }
            }
        };
        ui.columns(2, |cols| {
            cols[0].strong(tr(lang, Msg::TargetsToMeet));
            for t in &m.targets {
                tick(
                    &mut cols[0],
                    &mut self.joint_targets,
                    &t.id,
                    format!("{} ({})", t.label.get(lang), t.year),
                );
            }
            cols[1].strong(tr(lang, Msg::LeversThatMove));
            for &l in policy {
                let l = &doc.model.levers()[l];
                tick(
                    &mut cols[1],
                    &mut self.joint_levers,
                    &l.id,
                    l.label.get(lang).to_string(),
                );
            }
        });
        let targets: Vec<usize> = (0..m.targets.len())
            .filter(|&t| self.joint_targets.contains(&m.targets[t].id))
            .collect();
        let levers: Vec<usize> = policy
            .iter()
            .copied()
            .filter(|&l| self.joint_levers.contains(&doc.model.levers()[l].id))
            .collect();
        if ui.button(tr(lang, Msg::SmallestMove)).clicked() {
            self.joint_error = targets.is_empty() || levers.is_empty();
            self.joint = (!self.joint_error).then(|| {
                (
                    doc.levers.clone(),
                    targets.clone(),
                    levers.clone(),
                    meet_targets(&doc.model, &doc.levers, &targets, &levers),
                )
            });
        }
        if self.joint_error {
            ui.colored_label(theme::bad(dark), tr(lang, Msg::ChooseTargetsLevers));
        }
        // Dropped when the levers or the choice change: never shown stale.
        if self
            .joint
            .as_ref()
            .is_some_and(|(l, t, v, _)| *l != doc.levers || *t != targets || *v != levers)
        {
            self.joint = None;
        }
        if let Some((_, _, _, j)) = &self.joint {
            joint_answer_ui(ui, cx, j, &targets, &levers);
        }
    }
}

/// The joint answer: each chosen lever now and proposed, the targets met
/// or not, and Apply all.
fn joint_answer_ui(ui: &mut egui::Ui, cx: &mut Cx, j: &Joint, targets: &[usize], levers: &[usize]) {
    let (doc, lang, dark) = (cx.doc, cx.lang, cx.dark);
    let m = doc.model.model();
    egui::Grid::new("joint-levers")
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for h in [Msg::Lever, Msg::Now, Msg::Proposed] {
                ui.strong(tr(lang, h));
            }
            ui.end_row();
            for &l in levers {
                let def = &doc.model.levers()[l];
                ui.label(def.label.get(lang));
                ui.label(format!(
                    "{} {}",
                    fmt_num(lang, doc.levers[l], 2),
                    def.unit.get(lang)
                ));
                ui.strong(format!(
                    "{} {}",
                    fmt_num(lang, j.levers[l], 2),
                    def.unit.get(lang)
                ));
                ui.end_row();
            }
        });
    if j.unmet.is_empty() {
        ui.colored_label(theme::good(dark), tr(lang, Msg::AllMet));
    } else {
        ui.colored_label(theme::bad(dark), tr(lang, Msg::NotTogether));
        for (&t, v) in targets.iter().zip(&j.achieved) {
            if j.unmet.contains(&t) {
                let t = &m.targets[t];
                let unit = m.variable(&t.variable).map_or("", |v| v.unit.get(lang));
                ui.label(format!(
                    "• {} ({}){}{} {unit} {} {} {unit}",
                    t.label.get(lang),
                    t.year,
                    colon(lang),
                    fmt_auto(lang, *v),
                    tr(lang, Msg::Against),
                    fmt_auto(lang, t.value)
                ));
            }
        }
    }
    if ui.button(tr(lang, Msg::ApplyAll)).clicked() {
        cx.send(Command::SetLevers(j.levers.clone()));
    }
}
