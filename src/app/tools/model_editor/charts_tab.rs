//! The Charts tab: the model's charts, in order (new, up, down, delete), and
//! the selected one's titles, series and stacking. A model that declares no
//! charts is shown its stocks; the first edit makes them its own. `Plot`
//! (beside a variable in the Variables tab) adds a chart of one variable.

use eframe::egui;

use crate::app::command::Command;
use crate::app::i18n::{Lang, Msg, tr};
use crate::app::theme;
use crate::app::view::Cx;
use crate::model::Model;
use crate::model::def::Chart;

#[derive(Default)]
pub struct ChartsTab {
    selected: usize,
    error: Option<String>,
}

impl ChartsTab {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let lang = cx.lang;
        let compiled = &cx.doc.model;
        let m = compiled.model();
        if m.charts.is_empty() {
            ui.weak(tr(lang, Msg::DefaultChartsNote));
        }
        // What the window shows: the model's charts, or its default ones;
        // the model itself is copied only when they change.
        let before = compiled.charts();
        let mut charts = before.to_vec();
        self.selected = self.selected.min(charts.len().saturating_sub(1));
        ui.columns(2, |cols| {
            self.list_ui(&mut cols[0], lang, m, &mut charts);
            if let Some(c) = charts.get_mut(self.selected) {
                chart_ui(&mut cols[1], lang, m, c);
            }
        });
        if charts != before {
            // Typing in one chart merges; a chart added, moved or removed
            // is an undo step of its own.
            let same = charts.len() == before.len()
                && charts.iter().zip(before).all(|(a, b)| a.id == b.id);
            let merge = same.then(|| format!("chart:{}", self.selected));
            let mut model = m.clone();
            model.charts = charts;
            self.error = super::propose_as(model, merge, cx.out());
        }
        if let Some(e) = &self.error {
            ui.colored_label(theme::bad(cx.dark), e);
        }
    }

    /// The charts in order, and New, Up, Down, Delete.
    fn list_ui(&mut self, ui: &mut egui::Ui, lang: Lang, m: &Model, charts: &mut Vec<Chart>) {
        ui.horizontal_wrapped(|ui| {
            if ui.button(tr(lang, Msg::NewChart)).clicked() {
                let id = crate::model::edit::free_name(m, "chart");
                let series = m.variables.first().map(|v| v.id.clone());
                charts.push(Chart {
                    title: crate::model::Text::new(id.clone(), id.clone()),
                    id,
                    series: series.into_iter().collect(),
                    stacked: false,
                    detail: false,
                });
                self.selected = charts.len() - 1;
            }
            let k = self.selected;
            let n = charts.len();
            if ui
                .add_enabled(k > 0 && k < n, egui::Button::new(tr(lang, Msg::MoveUp)))
                .clicked()
            {
                charts.swap(k, k - 1);
                self.selected -= 1;
            }
            if ui
                .add_enabled(k + 1 < n, egui::Button::new(tr(lang, Msg::MoveDown)))
                .clicked()
            {
                charts.swap(k, k + 1);
                self.selected += 1;
            }
            if ui
                .add_enabled(k < n, egui::Button::new(tr(lang, Msg::Delete)))
                .clicked()
            {
                charts.remove(k);
                self.selected = k.saturating_sub(1);
            }
        });
        egui::ScrollArea::vertical()
            .id_salt("editor-charts")
            .max_height(380.0)
            .show(ui, |ui| {
                for (k, c) in charts.iter().enumerate() {
                    let text = format!("{}  ·  {}", k + 1, c.title.get(lang));
                    if ui.selectable_label(k == self.selected, text).clicked() {
                        self.selected = k;
                        self.error = None;
                    }
                }
            });
    }
}

/// One chart: its titles in both languages, where it shows, stacking, and
/// its series (remove one, add a variable).
fn chart_ui(ui: &mut egui::Ui, lang: Lang, m: &Model, c: &mut Chart) {
    egui::Grid::new("editor-chart-grid")
        .num_columns(2)
        .show(ui, |ui| {
            for (msg, text) in [
                (Msg::TitleFr, &mut c.title.fr),
                (Msg::TitleEn, &mut c.title.en),
            ] {
                let l = ui.label(tr(lang, msg));
                ui.add(egui::TextEdit::singleline(text).desired_width(240.0))
                    .labelled_by(l.id);
                ui.end_row();
            }
            ui.label("");
            ui.checkbox(&mut c.stacked, tr(lang, Msg::StackedField));
            ui.end_row();
            if !m.dimensions.is_empty() {
                ui.label("");
                ui.checkbox(&mut c.detail, tr(lang, Msg::DetailField));
                ui.end_row();
            }
        });
    let series = ui.label(tr(lang, Msg::SeriesField));
    let mut remove = None;
    for (k, s) in c.series.iter().enumerate() {
        ui.horizontal(|ui| {
            if ui
                .small_button("×")
                .on_hover_text(tr(lang, Msg::RemoveSeries))
                .clicked()
            {
                remove = Some(k);
            }
            let label = m.variable(s.split('[').next().unwrap_or(s));
            ui.label(format!(
                "{s}  ·  {}",
                label.map_or("", |v| v.label.get(lang))
            ));
        });
    }
    if let Some(k) = remove {
        c.series.remove(k);
    }
    let mut add: Option<String> = None;
    egui::ComboBox::from_id_salt("editor-chart-add")
        .selected_text(tr(lang, Msg::AddSeries))
        .width(240.0)
        .show_ui(ui, |ui| {
            for v in m.variables.iter().filter(|v| !c.series.contains(&v.id)) {
                let text = format!("{}  ·  {}", v.id, v.label.get(lang));
                if ui.selectable_label(false, text).clicked() {
                    add = Some(v.id.clone());
                }
            }
        })
        .response
        .labelled_by(series.id);
    c.series.extend(add);
}

/// `Plot` beside a variable: adds a chart of it alone (after the charts the
/// window shows), or says it already has one.
pub fn plot_button(ui: &mut egui::Ui, cx: &mut Cx, id: &str) {
    let lang = cx.lang;
    let b = ui
        .add_enabled(!plotted(cx, id), egui::Button::new(tr(lang, Msg::Plot)))
        .on_hover_text(tr(lang, Msg::PlotTip))
        .on_disabled_hover_text(tr(lang, Msg::AlreadyPlotted));
    if b.clicked() {
        plot(cx, id);
    }
}

/// Whether a chart the window shows is of variable `id` alone.
fn plotted(cx: &Cx, id: &str) -> bool {
    cx.doc.model.charts().iter().any(|c| c.series == [id])
}

/// Adds a chart of variable `id` alone after the charts the window shows
/// (one undo step), unless one shows it already or `id` is no variable.
pub fn plot(cx: &mut Cx, id: &str) {
    let compiled = &cx.doc.model;
    let mut model = compiled.model().clone();
    let Some(v) = model.variable(id) else {
        return;
    };
    if plotted(cx, id) {
        return;
    }
    let mut chart = model.chart_of(v);
    model.charts = compiled.charts().to_vec();
    if model.charts.iter().any(|c| c.id == chart.id) {
        chart.id = crate::model::edit::free_name(&model, &format!("{id}_chart"));
    }
    model.charts.push(chart);
    cx.send(Command::EditModel {
        model: Box::new(model),
        merge: None,
    });
}
