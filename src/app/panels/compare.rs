//! Saved scenarios overlaid on the charts, and their target-year values side
//! by side with the current scenario's.

use std::path::PathBuf;

use eframe::egui;

use crate::app::command::Command;
use crate::app::i18n::{Msg, fmt_auto, tr};
use crate::app::theme;
use crate::app::view::Cx;
use crate::model::{CompiledModel, ModelErrors, Run};
use crate::scenario;

/// At most this many scenarios are overlaid.
pub const MAX_COMPARED: usize = 4;

pub struct Compared {
    pub name: String,
    /// The file it came from; `None` for a hindcast.
    pub path: Option<PathBuf>,
    pub model: CompiledModel,
    pub run: Run,
}

impl Compared {
    pub fn open(path: PathBuf) -> Result<Compared, ModelErrors> {
        let opened = scenario::open(&path)?;
        let run = opened.model.run(&opened.levers);
        let name = opened
            .scenario
            .as_ref()
            .map(|s| s.name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| {
                path.file_stem()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            });
        Ok(Compared {
            name,
            path: Some(path),
            model: opened.model,
            run,
        })
    }

    /// This scenario's value of variable `id` in `year`, if its model has it.
    pub fn value(&self, id: &str, year: i32) -> Option<f64> {
        self.run.value(self.model.var_index(id)?, year)
    }
}

/// The table: a row per target, a column per scenario.
pub fn table_ui(ui: &mut egui::Ui, cx: &mut Cx, compared: &[Compared]) {
    legend_ui(ui, cx, compared);
    values_ui(ui, cx, compared);
}

/// Each compared scenario's line and name, with its own Remove button.
fn legend_ui(ui: &mut egui::Ui, cx: &mut Cx, compared: &[Compared]) {
    let (lang, dark) = (cx.lang, cx.dark);
    ui.horizontal(|ui| {
        ui.strong(tr(lang, Msg::Compared));
        for (i, c) in compared.iter().enumerate() {
            ui.add_space(12.0);
            let (rect, _) = ui.allocate_exact_size(egui::vec2(24.0, 12.0), egui::Sense::hover());
            ui.painter().line_segment(
                [rect.left_center(), rect.right_center()],
                egui::Stroke::new(2.5, theme::compare_color(i, dark)),
            );
            let label = ui.label(&c.name);
            if let Some(p) = &c.path {
                label.on_hover_text(p.display().to_string());
            }
            // Named after its scenario, so that each button is told apart.
            let name = format!("{} {}", tr(lang, Msg::Remove), c.name);
            let r = ui.small_button(tr(lang, Msg::Remove));
            r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone()));
            if r.on_hover_text(&name).clicked() {
                cx.send(Command::RemoveCompare(i));
            }
        }
    });
}

/// A row per target, a column per scenario.
fn values_ui(ui: &mut egui::Ui, cx: &Cx, compared: &[Compared]) {
    let (doc, lang, dark) = (cx.doc, cx.lang, cx.dark);
    let m = doc.model.model();
    egui::ScrollArea::both()
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Grid::new("compare-table")
                .striped(true)
                .spacing([16.0, 4.0])
                .show(ui, |ui| {
                    ui.strong(tr(lang, Msg::Target));
                    ui.strong(tr(lang, Msg::TargetValue));
                    ui.strong(tr(lang, Msg::Scenario));
                    for c in compared {
                        ui.strong(&c.name);
                    }
                    ui.end_row();
                    for t in &m.targets {
                        let unit = m.variable(&t.variable).map_or("", |v| v.unit.get(lang));
                        ui.label(format!("{} ({})", t.label.get(lang), t.year));
                        ui.label(format!("{} {unit}", fmt_auto(lang, t.value)));
                        let cell = |ui: &mut egui::Ui, v: Option<f64>| match v {
                            Some(v) => {
                                let color = if v >= t.value {
                                    theme::good(dark)
                                } else {
                                    theme::bad(dark)
                                };
                                ui.colored_label(color, format!("{} {unit}", fmt_auto(lang, v)));
                            }
                            None => {
                                ui.weak("—");
                            }
                        };
                        let own = doc
                            .model
                            .var_index(&t.variable)
                            .and_then(|v| doc.run.value(v, t.year));
                        cell(ui, own);
                        for c in compared {
                            cell(ui, c.value(&t.variable, t.year));
                        }
                        ui.end_row();
                    }
                });
        });
}
