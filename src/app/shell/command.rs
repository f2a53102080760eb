//! Everything a user can ask of the window. Menus, buttons and keyboard
//! shortcuts all send a `Command`; `dispatch.rs` (`TrajectoireApp::apply`)
//! is the one handler.

use eframe::egui::{Key, KeyboardShortcut, Modifiers};

use super::files::FileRequest;
use crate::app::i18n::{Lang, Msg, tr};
use crate::app::tools::Tool;

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    New,
    /// A new document over a template model (File > New model).
    NewModel(crate::model::templates::Template),
    /// Something that needs a file's path: open, save as, export...
    File(FileRequest),
    /// Open this file (recent files, examples, a file dropped on the window).
    OpenPath(std::path::PathBuf),
    Save,
    Quit,
    Undo,
    Redo,
    ResetAll,
    /// Put lever `lever` back to its default (one undo step).
    ResetLever(usize),
    /// Set lever `lever`. `merge` continues the current gesture (a slider
    /// drag): the whole drag is then one undo step.
    SetLever {
        lever: usize,
        value: f64,
        merge: bool,
    },
    /// Set every element of arrayed lever `lever` (`model().levers[lever]`)
    /// to one value: its one slider. `merge` as for `SetLever`.
    SetArrayedLever {
        lever: usize,
        value: f64,
        merge: bool,
    },
    /// A slider drag ended.
    EndGesture,
    /// Set every lever at once (a joint or calibration answer): one undo step.
    SetLevers(Vec<f64>),
    SetLang(Lang),
    ToggleTheme,
    ToggleSegments,
    /// Fan bands on the charts and odds on the headline.
    ToggleBands,
    ToggleFullscreen,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    ShowHelp,
    ShowAbout,
    /// Open or close a tool window.
    Tool(Tool),
    RemoveCompare(usize),
    /// Replace target `index`, or add one when `None`: edits the model.
    SetTarget {
        index: Option<usize>,
        target: Box<crate::model::def::Target>,
    },
    /// Remove a target, and the ratios that use it.
    RemoveTarget(usize),
    /// Overlay the calibration window's last hindcast on the charts.
    ShowHindcast,
    /// Seed and runs of the Monte Carlo (saved with the scenario).
    SetMonteCarlo(crate::scenario::MonteCarlo),
    /// Present the last deck opened (the example deck at first).
    Present,
    /// Replace the model by an edited one; edits with the same `merge` key
    /// (typing in one field) make one undo step.
    EditModel {
        model: Box<crate::model::Model>,
        merge: Option<String>,
    },
    /// Open the model editor on this variable or lever (from the map).
    EditItem(String),
}

impl Command {
    /// The commands that have a shortcut, in the order they are matched: a
    /// shortcut with more modifiers comes before the same key with fewer.
    pub const WITH_SHORTCUTS: &'static [Command] = &[
        Command::File(FileRequest::SaveAs),
        Command::Save,
        Command::File(FileRequest::Open),
        Command::New,
        Command::Quit,
        Command::Redo,
        Command::Undo,
        Command::ToggleFullscreen,
        Command::ZoomIn,
        Command::ZoomOut,
        Command::ZoomReset,
        Command::ShowHelp,
        Command::ToggleSegments,
        // Before Ctrl+E: Ctrl+Shift+E would match it too.
        Command::File(FileRequest::ExportPng),
        Command::File(FileRequest::ExportCsv),
        Command::Tool(Tool::Targets),
        Command::Tool(Tool::Calibration),
        Command::Tool(Tool::ModelEditor),
        Command::Tool(Tool::Map),
        Command::ToggleBands,
        Command::Tool(Tool::Sensitivity),
        Command::Present,
    ];

    /// The command's name in menus.
    pub fn label(&self, lang: Lang) -> &'static str {
        let msg = match self {
            Command::File(req) => return req.label(lang),
            Command::Tool(tool) => return tool.menu_label(lang),
            Command::New => Msg::New,
            Command::NewModel(t) => template_name(*t),
            Command::OpenPath(_) => Msg::Open,
            Command::Save => Msg::Save,
            Command::Quit => Msg::Quit,
            Command::Undo => Msg::Undo,
            Command::Redo => Msg::Redo,
            Command::ResetAll => Msg::ResetAll,
            Command::ResetLever(_) => Msg::Reset,
            Command::SetLever { .. } | Command::SetArrayedLever { .. } | Command::EndGesture => {
                Msg::Levers
            }
            Command::SetLevers(_) => Msg::ApplyAll,
            Command::SetLang(_) => Msg::Language,
            Command::ToggleTheme => Msg::ThemeDark,
            Command::ToggleSegments => Msg::BySegment,
            Command::ToggleBands => Msg::ShowBands,
            Command::ToggleFullscreen => Msg::Fullscreen,
            Command::ZoomIn => Msg::ZoomIn,
            Command::ZoomOut => Msg::ZoomOut,
            Command::ZoomReset => Msg::ZoomReset,
            Command::ShowHelp => Msg::Help,
            Command::ShowAbout => Msg::About,
            Command::RemoveCompare(_) => Msg::Remove,
            Command::SetTarget { .. } => Msg::SaveTarget,
            Command::RemoveTarget(_) => Msg::Remove,
            Command::ShowHindcast => Msg::ShowHindcast,
            Command::SetMonteCarlo(_) => Msg::Runs,
            Command::Present => Msg::Present,
            Command::EditModel { .. } | Command::EditItem(_) => Msg::ModelEditor,
        };
        tr(lang, msg)
    }

    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let sc = |m, k| Some(KeyboardShortcut::new(m, k));
        match self {
            Command::File(req) => req.shortcut(),
            Command::Tool(tool) => tool.shortcut(),
            Command::New => sc(cmd, Key::N),
            Command::Save => sc(cmd, Key::S),
            Command::Quit => sc(cmd, Key::Q),
            Command::Undo => sc(cmd, Key::Z),
            Command::Redo => sc(cmd, Key::Y),
            Command::ToggleFullscreen => sc(Modifiers::NONE, Key::F11),
            Command::ZoomIn => sc(cmd, Key::Plus),
            Command::ZoomOut => sc(cmd, Key::Minus),
            Command::ZoomReset => sc(cmd, Key::Num0),
            Command::ShowHelp => sc(Modifiers::NONE, Key::F1),
            Command::ToggleSegments => sc(cmd, Key::B),
            Command::ToggleBands => sc(cmd, Key::U),
            Command::Present => sc(Modifiers::NONE, Key::F5),
            _ => None,
        }
    }
}

/// The name of a template in File > New model.
pub fn template_name(t: crate::model::templates::Template) -> Msg {
    use crate::model::templates::Template;
    match t {
        Template::Blank => Msg::TemplateBlank,
        Template::StockAndFlows => Msg::TemplateStockFlows,
        Template::TalentPipeline => Msg::TemplatePipeline,
        Template::Segments => Msg::TemplateSegments,
    }
}
