//! What the window asks and tells: the unsaved-changes question, notices
//! (errors with their details), and the help and about windows.

use eframe::egui::{self, Id, RichText};

use super::TrajectoireApp;
use crate::app::i18n::{Msg, tr};

impl TrajectoireApp {
    /// Save / Don't save / Cancel, before an action that would lose work.
    pub(super) fn confirm_ui(&mut self, ctx: &egui::Context) {
        let Some(action) = self.confirm.clone() else {
            return;
        };
        let lang = self.lang();
        let answer = ask(
            ctx,
            "unsaved",
            tr(lang, Msg::UnsavedTitle),
            tr(lang, Msg::UnsavedBody),
            None,
            &[
                tr(lang, Msg::Save),
                tr(lang, Msg::Discard),
                tr(lang, Msg::Cancel),
            ],
            Some(2),
        );
        match answer {
            Some(0) => {
                self.confirm = None;
                match self.doc.file.clone().filter(|_| self.doc.file_is_scenario) {
                    Some(path) => {
                        if self.save_to(&path) {
                            self.proceed(ctx, action);
                        }
                    }
                    None => {
                        self.after_save = Some(action);
                        self.request(ctx, super::files::FileRequest::SaveAs);
                    }
                }
            }
            Some(1) => {
                self.confirm = None;
                self.proceed(ctx, action);
            }
            Some(_) => self.confirm = None,
            None => {}
        }
    }

    /// The notice, until dismissed.
    pub(super) fn notice_ui(&mut self, ctx: &egui::Context) {
        let Some(notice) = &self.notice else {
            return;
        };
        let lang = self.lang();
        let mut keep = true;
        egui::Modal::new(Id::unique("notice")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading(tr(lang, notice.title));
            egui::ScrollArea::vertical()
                .max_height(300.0)
                .show(ui, |ui| {
                    ui.label(RichText::new(&notice.details).monospace());
                });
            if ui.button(tr(lang, Msg::Dismiss)).clicked() {
                keep = false;
            }
        });
        if !keep {
            self.notice = None;
        }
    }

    /// Help (F1) and About: the model, its version and every data source.
    pub(super) fn help_windows(&mut self, ctx: &egui::Context) {
        let lang = self.lang();
        egui::Window::new(tr(lang, Msg::Help))
            .open(&mut self.chrome.show_help)
            .default_width(460.0)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label(tr(lang, Msg::HelpText));
            });
        let m = self.doc.model.model();
        egui::Window::new(tr(lang, Msg::About))
            .open(&mut self.chrome.show_about)
            .default_width(520.0)
            .default_height(420.0)
            .collapsible(false)
            .show(ctx, |ui| about_ui(ui, m, lang));
    }
}

fn about_ui(ui: &mut egui::Ui, m: &crate::model::Model, lang: crate::app::i18n::Lang) {
    ui.heading(format!(
        "Trajectoire — {} {}",
        tr(lang, Msg::Version),
        env!("CARGO_PKG_VERSION")
    ));
    ui.label(format!(
        "{}: {} ({} {})",
        tr(lang, Msg::ModelLabel),
        m.name.get(lang),
        m.id,
        m.version
    ));
    ui.label(m.description.get(lang));
    ui.separator();
    ui.strong(tr(lang, Msg::DataSources));
    egui::ScrollArea::vertical()
        .max_height(260.0)
        .show(ui, |ui| {
            for (title, date, url) in sources(m) {
                ui.horizontal_wrapped(|ui| {
                    match url {
                        Some(u) => {
                            ui.hyperlink_to(title, u);
                        }
                        None => {
                            ui.label(title);
                        }
                    }
                    if !date.is_empty() {
                        ui.weak(date);
                    }
                });
            }
        });
}

/// A modal question: a title, a text, an optional detail and buttons. Returns
/// the index of the button clicked (Escape counts as `escape`), once.
pub(super) fn ask(
    ctx: &egui::Context,
    id: &str,
    title: &str,
    body: &str,
    detail: Option<&str>,
    buttons: &[&str],
    escape: Option<usize>,
) -> Option<usize> {
    let mut answer = None;
    egui::Modal::new(Id::unique(id)).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.heading(title);
        ui.label(body);
        if let Some(d) = detail {
            ui.label(RichText::new(d).monospace());
        }
        ui.horizontal(|ui| {
            for (i, b) in buttons.iter().enumerate() {
                if ui.button(*b).clicked() {
                    answer = Some(i);
                }
            }
        });
        if escape.is_some() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            answer = escape;
        }
    });
    answer
}

/// Every distinct source of the model's observations, targets and breaks.
fn sources(m: &crate::model::Model) -> Vec<(String, String, Option<String>)> {
    let mut out: Vec<(String, String, Option<String>)> = Vec::new();
    let all = m
        .observations
        .iter()
        .map(|o| &o.source)
        .chain(m.targets.iter().map(|t| &t.source))
        .chain(m.series_breaks.iter().map(|b| &b.source));
    for s in all {
        if !out.iter().any(|(t, _, _)| *t == s.title) {
            out.push((s.title.clone(), s.date.clone(), s.url.clone()));
        }
    }
    out
}
