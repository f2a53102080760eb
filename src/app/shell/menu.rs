//! The menu bar: File, Edit, View, Help, the language switch and the
//! model's name. Every entry sends a command; the shortcut shown beside it
//! is the command's own.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::TrajectoireApp;
use super::command::Command;
use super::files::FileRequest;
use crate::app::i18n::{Lang, Msg, tr};
use crate::app::panels::compare;
use crate::app::tools::Tool;

impl TrajectoireApp {
    pub(super) fn menu_bar(&self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut out = Vec::new();
        egui::MenuBar::new().ui(ui, |ui| {
            let lang = self.lang();
            ui.menu_button(tr(lang, Msg::File), |ui| self.file_menu(ui, &mut out));
            ui.menu_button(tr(lang, Msg::Edit), |ui| self.edit_menu(ui, &mut out));
            ui.menu_button(tr(lang, Msg::View), |ui| self.view_menu(ui, &mut out));
            ui.menu_button(tr(lang, Msg::Help), |ui| {
                item(ui, lang, Command::ShowHelp, true, &mut out);
                item(ui, lang, Command::ShowAbout, true, &mut out);
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                self.language_ui(ui, &mut out);
            });
        });
        out
    }

    fn file_menu(&self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let lang = self.lang();
        let file = |req| Command::File(req);
        item(ui, lang, Command::New, true, out);
        ui.menu_button(tr(lang, Msg::NewModelMenu), |ui| {
            for t in crate::model::templates::Template::ALL {
                item(ui, lang, Command::NewModel(t), true, out);
            }
        });
        item(ui, lang, file(FileRequest::Open), true, out);
        let name = |p: &PathBuf| {
            p.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        };
        paths_menu(ui, tr(lang, Msg::Recent), &self.prefs.recent, name, out);
        let stem = |p: &PathBuf| {
            p.file_stem()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        };
        paths_menu(
            ui,
            tr(lang, Msg::Examples),
            &crate::formats::examples(),
            stem,
            out,
        );
        ui.separator();
        item(ui, lang, Command::Save, true, out);
        item(ui, lang, file(FileRequest::SaveAs), true, out);
        item(ui, lang, file(FileRequest::SaveModel), true, out);
        ui.separator();
        item(ui, lang, file(FileRequest::ImportObservations), true, out);
        let room = self.compared.len() < compare::MAX_COMPARED;
        item(ui, lang, file(FileRequest::Compare), room, out);
        item(ui, lang, file(FileRequest::ExportCsv), true, out);
        item(ui, lang, file(FileRequest::ExportPng), true, out);
        item(ui, lang, file(FileRequest::ExportBrief), true, out);
        item(ui, lang, file(FileRequest::ExportBriefHtml), true, out);
        item(ui, lang, file(FileRequest::PublishExplorer), true, out);
        ui.separator();
        item(ui, lang, Command::Present, true, out);
        item(ui, lang, file(FileRequest::PresentDeck), true, out);
        let deck = self.tools.deck.deck.is_some();
        item(ui, lang, file(FileRequest::ExportDeckPng), deck, out);
        ui.separator();
        item(ui, lang, Command::Quit, true, out);
    }

    fn edit_menu(&self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let lang = self.lang();
        item(ui, lang, Command::Undo, self.doc.can_undo(), out);
        item(ui, lang, Command::Redo, self.doc.can_redo(), out);
        ui.separator();
        item(ui, lang, Command::ResetAll, true, out);
        ui.separator();
        for tool in Tool::ALL.into_iter().filter(|t| t.in_edit_menu()) {
            item(ui, lang, Command::Tool(tool), true, out);
        }
    }

    fn view_menu(&self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let lang = self.lang();
        check_item(
            ui,
            lang,
            Command::ToggleSegments,
            Msg::BySegment,
            self.prefs.by_segment,
            out,
        );
        check_item(
            ui,
            lang,
            Command::ToggleBands,
            Msg::ShowBands,
            self.prefs.bands,
            out,
        );
        let theme = if self.prefs.dark {
            Msg::ThemeLight
        } else {
            Msg::ThemeDark
        };
        if ui.button(tr(lang, theme)).clicked() {
            out.push(Command::ToggleTheme);
            ui.close();
        }
        ui.separator();
        for cmd in [
            Command::ToggleFullscreen,
            Command::ZoomIn,
            Command::ZoomOut,
            Command::ZoomReset,
        ] {
            item(ui, lang, cmd, true, out);
        }
    }

    /// EN / FR on the right, and the model's name.
    fn language_ui(&self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let lang = self.lang();
        for (l, text, tip) in [(Lang::En, "EN", "English"), (Lang::Fr, "FR", "Français")] {
            let r = ui
                .selectable_label(self.prefs.lang == l, text)
                .on_hover_text(tip);
            if r.clicked() && self.prefs.lang != l {
                out.push(Command::SetLang(l));
            }
        }
        ui.label(tr(lang, Msg::Language));
        ui.separator();
        let m = self.doc.model.model();
        ui.label(RichText::new(m.name.get(lang)).strong());
    }
}

/// A menu entry for `cmd`, with its shortcut.
fn item(ui: &mut egui::Ui, lang: Lang, cmd: Command, enabled: bool, out: &mut Vec<Command>) {
    let mut button = egui::Button::new(cmd.label(lang));
    if let Some(sc) = cmd.shortcut() {
        button = button.shortcut_text(ui.ctx().format_shortcut(&sc));
    }
    if ui.add_enabled(enabled, button).clicked() {
        out.push(cmd);
        ui.close();
    }
}

/// A ticked entry showing `on`, that sends `cmd`; its shortcut on hover.
fn check_item(
    ui: &mut egui::Ui,
    lang: Lang,
    cmd: Command,
    text: Msg,
    mut on: bool,
    out: &mut Vec<Command>,
) {
    let sc = cmd
        .shortcut()
        .map(|s| ui.ctx().format_shortcut(&s))
        .unwrap_or_default();
    if ui
        .checkbox(&mut on, tr(lang, text))
        .on_hover_text(sc)
        .clicked()
    {
        out.push(cmd);
        ui.close();
    }
}

/// A submenu of files (recent, examples), each opening its path.
fn paths_menu(
    ui: &mut egui::Ui,
    title: &str,
    paths: &[PathBuf],
    name: impl Fn(&PathBuf) -> String,
    out: &mut Vec<Command>,
) {
    ui.add_enabled_ui(!paths.is_empty(), |ui| {
        ui.menu_button(title, |ui| {
            for p in paths {
                if ui
                    .button(name(p))
                    .on_hover_text(p.display().to_string())
                    .clicked()
                {
                    out.push(Command::OpenPath(p.clone()));
                    ui.close();
                }
            }
        });
    });
}
