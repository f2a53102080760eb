//! The tool windows: targets, calibration, sensitivity, deck and model
//! editor. Each is a [`ToolWindow`] (egui_demo_lib's `Demo`/`View` pair is the
//! model): it says its title and size and draws its contents; [`show`] gives
//! every one the same frame, shown while open and closed by its ×.

pub mod calibration;
pub mod deck;
pub mod model_editor;
pub mod sensitivity;
pub mod targets;

use eframe::egui;

use super::i18n::{Lang, Msg, tr};
use super::view::Cx;

/// A window of its own, opened from the Edit menu or a shortcut.
pub trait ToolWindow {
    /// Which tool this is (its title, menu entry and shortcut).
    fn tool(&self) -> Tool;
    /// Whether the window is shown.
    fn is_open(&self) -> bool;
    fn set_open(&mut self, open: bool);
    /// Its size when it first opens, in points.
    fn default_size(&self) -> [f32; 2];
    /// Whether the contents scroll (the model editor lays out its own).
    fn scrolls(&self) -> bool {
        true
    }
    /// The window's contents; what the user asks for goes to `cx`.
    fn contents(&mut self, ui: &mut egui::Ui, cx: &mut Cx);
}

/// Shows `tool` in its window while it is open.
pub fn show(tool: &mut dyn ToolWindow, ctx: &egui::Context, cx: &mut Cx) {
    if !tool.is_open() {
        return;
    }
    let mut open = true;
    let size = tool.default_size();
    egui::Window::new(tool.tool().title(cx.lang))
        .open(&mut open)
        .default_width(size[0])
        .default_height(size[1])
        .show(ctx, |ui| {
            if tool.scrolls() {
                egui::ScrollArea::vertical().show(ui, |ui| tool.contents(ui, cx));
            } else {
                tool.contents(ui, cx);
            }
        });
    if !open {
        tool.set_open(false);
    }
}

/// The tool windows, by name: what a command opens or closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Targets,
    Calibration,
    Sensitivity,
    Deck,
    ModelEditor,
}

impl Tool {
    pub const ALL: [Tool; 5] = [
        Tool::Targets,
        Tool::Calibration,
        Tool::Sensitivity,
        Tool::Deck,
        Tool::ModelEditor,
    ];

    /// The window's title.
    pub fn title(self, lang: Lang) -> &'static str {
        tr(
            lang,
            match self {
                Tool::Targets => Msg::Targets,
                Tool::Calibration => Msg::Calibration,
                Tool::Sensitivity => Msg::SensitivityTitle,
                Tool::Deck => Msg::DeckTitle,
                Tool::ModelEditor => Msg::ModelEditor,
            },
        )
    }

    /// The menu entry that opens it.
    pub fn menu_label(self, lang: Lang) -> &'static str {
        tr(
            lang,
            match self {
                Tool::Targets => Msg::ShowTargets,
                Tool::Calibration => Msg::ShowCalibration,
                Tool::Sensitivity => Msg::Sensitivity,
                Tool::Deck => Msg::ShowDeck,
                Tool::ModelEditor => Msg::ShowModelEditor,
            },
        )
    }

    /// The key that opens and closes it.
    pub fn shortcut(self) -> Option<egui::KeyboardShortcut> {
        let key = match self {
            Tool::Targets => egui::Key::T,
            Tool::Calibration => egui::Key::K,
            Tool::Sensitivity => egui::Key::I,
            Tool::ModelEditor => egui::Key::M,
            Tool::Deck => return None,
        };
        Some(egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, key))
    }
}

/// The five tool windows of the explorer.
#[derive(Default)]
pub struct Tools {
    pub targets: targets::TargetsPanel,
    pub calibration: calibration::CalibrationPanel,
    pub sensitivity: sensitivity::SensitivityPanel,
    pub deck: deck::DeckPanel,
    pub editor: model_editor::ModelEditor,
}

impl Tools {
    pub fn get_mut(&mut self, tool: Tool) -> &mut dyn ToolWindow {
        match tool {
            Tool::Targets => &mut self.targets,
            Tool::Calibration => &mut self.calibration,
            Tool::Sensitivity => &mut self.sensitivity,
            Tool::Deck => &mut self.deck,
            Tool::ModelEditor => &mut self.editor,
        }
    }

    /// Opens `tool`, or closes it when open.
    pub fn toggle(&mut self, tool: Tool) {
        let t = self.get_mut(tool);
        t.set_open(!t.is_open());
    }

    /// Shows every open tool window.
    pub fn show_all(&mut self, ctx: &egui::Context, cx: &mut Cx) {
        for tool in Tool::ALL {
            show(self.get_mut(tool), ctx, cx);
        }
    }
}
