//! The tool windows: targets, calibration, sensitivity, deck and model
//! editor. Each is a [`ToolWindow`] (egui_demo_lib's `Demo`/`View` pair is the
//! model): it says its title and size and draws its contents; [`show`] gives
//! every one the same frame, shown while open and closed by its ×.

pub mod calibration;
pub mod deck;
pub mod import;
pub mod map;
pub mod model_editor;
pub mod sensitivity;
pub mod targets;

use eframe::egui;

use super::i18n::{Lang, Msg, tr};
use super::view::Cx;

/// A window of its own, opened from the Edit menu or a shortcut. Its
/// title, size and shortcut are its [`Tool`]'s; the frame around it is
/// [`show`]'s; it draws its contents.
pub trait ToolWindow {
    /// The window's contents; what the user asks for goes to `cx`.
    fn contents(&mut self, ui: &mut egui::Ui, cx: &mut Cx);
}

/// Shows `window` as `tool` while `*open`; its × clears `*open`.
pub fn show(
    tool: Tool,
    window: &mut dyn ToolWindow,
    open: &mut bool,
    ctx: &egui::Context,
    cx: &mut Cx,
) {
    if !*open {
        return;
    }
    let size = tool.default_size(ctx.content_rect().size());
    egui::Window::new(tool.title(cx.lang))
        .open(open)
        .default_width(size[0])
        .default_height(size[1])
        .show(ctx, |ui| {
            if tool.scrolls() {
                egui::ScrollArea::vertical().show(ui, |ui| window.contents(ui, cx));
            } else {
                window.contents(ui, cx);
            }
        });
}

/// The tool windows, by name: what a command opens or closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Targets,
    Calibration,
    Sensitivity,
    Deck,
    ModelEditor,
    Map,
    /// File > Import observations… (opened with a file, not from Edit).
    Import,
}

impl Tool {
    pub const ALL: [Tool; 7] = [
        Tool::Targets,
        Tool::Calibration,
        Tool::Sensitivity,
        Tool::Deck,
        Tool::ModelEditor,
        Tool::Map,
        Tool::Import,
    ];

    /// Whether the Edit menu lists it (the import window opens from File).
    pub fn in_edit_menu(self) -> bool {
        self != Tool::Import
    }

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
                Tool::Map => Msg::MapTitle,
                Tool::Import => Msg::ImportTitle,
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
                Tool::Map => Msg::ShowMap,
                Tool::Import => Msg::ImportObservations,
            },
        )
    }

    /// Its size when it first opens, in points, on a `screen` that size:
    /// the map takes most of it.
    pub fn default_size(self, screen: egui::Vec2) -> [f32; 2] {
        match self {
            Tool::Targets => [720.0, 480.0],
            Tool::Calibration => [640.0, 480.0],
            Tool::Sensitivity => [620.0, 520.0],
            Tool::Deck => [560.0, 480.0],
            Tool::ModelEditor => [860.0, 520.0],
            Tool::Import => [
                (screen.x - 60.0).clamp(800.0, 1060.0),
                (screen.y - 80.0).clamp(400.0, 640.0),
            ],
            Tool::Map => [
                (screen.x * 0.85).max(1000.0).min(screen.x - 40.0),
                (screen.y * 0.8).max(600.0).min(screen.y - 80.0),
            ],
        }
    }

    /// Whether the contents scroll (the model editor lays out its own).
    pub fn scrolls(self) -> bool {
        !matches!(self, Tool::ModelEditor | Tool::Map)
    }

    /// The key that opens and closes it.
    pub fn shortcut(self) -> Option<egui::KeyboardShortcut> {
        let key = match self {
            Tool::Targets => egui::Key::T,
            Tool::Calibration => egui::Key::K,
            Tool::Sensitivity => egui::Key::I,
            Tool::ModelEditor => egui::Key::M,
            Tool::Map => egui::Key::G,
            Tool::Deck | Tool::Import => return None,
        };
        Some(egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, key))
    }
}

/// The tool windows of the explorer, and which are open.
#[derive(Default)]
pub struct Tools {
    open: [bool; Tool::ALL.len()],
    pub targets: targets::TargetsPanel,
    pub calibration: calibration::CalibrationPanel,
    pub sensitivity: sensitivity::SensitivityPanel,
    pub deck: deck::DeckPanel,
    pub editor: model_editor::ModelEditor,
    pub map: map::MapPanel,
    pub import: import::ImportPanel,
}

impl Tools {
    pub fn get_mut(&mut self, tool: Tool) -> &mut dyn ToolWindow {
        match tool {
            Tool::Targets => &mut self.targets,
            Tool::Calibration => &mut self.calibration,
            Tool::Sensitivity => &mut self.sensitivity,
            Tool::Deck => &mut self.deck,
            Tool::ModelEditor => &mut self.editor,
            Tool::Map => &mut self.map,
            Tool::Import => &mut self.import,
        }
    }

    pub fn is_open(&self, tool: Tool) -> bool {
        self.open[tool as usize]
    }

    pub fn set_open(&mut self, tool: Tool, open: bool) {
        self.open[tool as usize] = open;
    }

    /// Opens `tool`, or closes it when open.
    pub fn toggle(&mut self, tool: Tool) {
        self.set_open(tool, !self.is_open(tool));
    }

    /// What the model map shows, while its window is open.
    pub fn map_step(&self) -> Option<crate::deck::MapStep> {
        self.is_open(Tool::Map).then(|| crate::deck::MapStep {
            loop_key: self.map.loop_key.clone(),
        })
    }

    /// Shows every open tool window.
    pub fn show_all(&mut self, ctx: &egui::Context, cx: &mut Cx) {
        for tool in Tool::ALL {
            let mut open = self.is_open(tool);
            show(tool, self.get_mut(tool), &mut open, ctx, cx);
            self.set_open(tool, open);
        }
    }
}
