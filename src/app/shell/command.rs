//! Everything a user can ask of the window. Menus, buttons and keyboard
//! shortcuts all send a `Command`; `TrajectoireApp::apply` is the one handler.

use eframe::egui::{Key, KeyboardShortcut, Modifiers};

use super::i18n::{Lang, Msg, tr};

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    New,
    Open,
    /// Open this file (recent files, examples, a file dropped on the window).
    OpenPath(std::path::PathBuf),
    Save,
    SaveAs,
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
    /// A slider drag ended.
    EndGesture,
    SetLang(Lang),
    ToggleTheme,
    ToggleSegments,
    ToggleFullscreen,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    ShowHelp,
    ShowAbout,
    /// Overlay a saved scenario (at most four).
    AddCompare,
    RemoveCompare(usize),
    ExportCsv,
    ShowTargets,
    /// Set every lever at once (a joint or calibration answer): one undo step.
    SetLevers(Vec<f64>),
    /// Replace target `index`, or add one when `None`: edits the model.
    SetTarget {
        index: Option<usize>,
        target: Box<crate::model::def::Target>,
    },
    /// Remove a target, and the ratios that use it.
    RemoveTarget(usize),
    ShowCalibration,
    /// Overlay the calibration panel's last hindcast on the charts.
    ShowHindcast,
    /// Fan bands on the charts and odds on the headline.
    ToggleBands,
    ShowSensitivity,
    /// Seed and runs of the Monte Carlo (saved with the scenario).
    SetMonteCarlo(crate::scenario::MonteCarlo),
    /// Present the last deck opened (the example deck at first).
    Present,
    /// Pick a deck and present it.
    PresentDeck,
    /// The deck window: build, reorder, edit, save.
    ShowDeck,
    /// Pick where to save the deck and save it.
    SaveDeck,
    /// The charts on screen as a PNG, at the screen's resolution.
    ExportPng,
    /// The model editor window.
    ShowModelEditor,
    /// Write the model alone as a model file.
    SaveModelAs,
    /// Replace the model by an edited one; edits with the same `merge` key
    /// (typing in one field) make one undo step.
    EditModel {
        model: Box<crate::model::Model>,
        merge: Option<String>,
    },
    /// Every step of the deck as a PNG, presented full screen.
    ExportDeckPng,
}

impl Command {
    /// The commands that have a menu entry or a shortcut, for the shortcut handler.
    pub const WITH_SHORTCUTS: &'static [Command] = &[
        Command::SaveAs,
        Command::Save,
        Command::Open,
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
        Command::ExportPng,
        Command::ExportCsv,
        Command::ShowTargets,
        Command::ShowCalibration,
        Command::ShowModelEditor,
        Command::ToggleBands,
        Command::ShowSensitivity,
        Command::Present,
    ];

    pub fn label(&self, lang: Lang) -> &'static str {
        let msg = match self {
            Command::New => Msg::New,
            Command::Open | Command::OpenPath(_) => Msg::Open,
            Command::Save => Msg::Save,
            Command::SaveAs => Msg::SaveAs,
            Command::Quit => Msg::Quit,
            Command::Undo => Msg::Undo,
            Command::Redo => Msg::Redo,
            Command::ResetAll => Msg::ResetAll,
            Command::ResetLever(_) => Msg::Reset,
            Command::SetLever { .. } | Command::EndGesture => Msg::Levers,
            Command::SetLang(_) => Msg::Language,
            Command::ToggleTheme => Msg::ThemeDark,
            Command::ToggleSegments => Msg::BySegment,
            Command::ToggleFullscreen => Msg::Fullscreen,
            Command::ZoomIn => Msg::ZoomIn,
            Command::ZoomOut => Msg::ZoomOut,
            Command::ZoomReset => Msg::ZoomReset,
            Command::ShowHelp => Msg::Help,
            Command::ShowAbout => Msg::About,
            Command::AddCompare => Msg::CompareWith,
            Command::RemoveCompare(_) => Msg::Remove,
            Command::ExportCsv => Msg::ExportCsv,
            Command::ShowTargets => Msg::ShowTargets,
            Command::SetLevers(_) => Msg::ApplyAll,
            Command::SetTarget { .. } => Msg::SaveTarget,
            Command::RemoveTarget(_) => Msg::Remove,
            Command::ShowCalibration => Msg::ShowCalibration,
            Command::ShowHindcast => Msg::ShowHindcast,
            Command::ToggleBands => Msg::ShowBands,
            Command::ShowSensitivity => Msg::Sensitivity,
            Command::SetMonteCarlo(_) => Msg::Runs,
            Command::Present => Msg::Present,
            Command::PresentDeck => Msg::PresentDeck,
            Command::ShowDeck => Msg::ShowDeck,
            Command::SaveDeck => Msg::SaveDeck,
            Command::ExportPng => Msg::ExportPng,
            Command::ShowModelEditor => Msg::ShowModelEditor,
            Command::SaveModelAs => Msg::SaveModelAs,
            Command::EditModel { .. } => Msg::ModelEditor,
            Command::ExportDeckPng => Msg::ExportDeckPng,
        };
        tr(lang, msg)
    }

    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let sc = |m, k| Some(KeyboardShortcut::new(m, k));
        match self {
            Command::New => sc(cmd, Key::N),
            Command::Open => sc(cmd, Key::O),
            Command::Save => sc(cmd, Key::S),
            Command::SaveAs => sc(cmd | Modifiers::SHIFT, Key::S),
            Command::Quit => sc(cmd, Key::Q),
            Command::Undo => sc(cmd, Key::Z),
            Command::Redo => sc(cmd, Key::Y),
            Command::ToggleFullscreen => sc(Modifiers::NONE, Key::F11),
            Command::ZoomIn => sc(cmd, Key::Plus),
            Command::ZoomOut => sc(cmd, Key::Minus),
            Command::ZoomReset => sc(cmd, Key::Num0),
            Command::ShowHelp => sc(Modifiers::NONE, Key::F1),
            Command::ToggleSegments => sc(cmd, Key::B),
            Command::ExportCsv => sc(cmd, Key::E),
            Command::ShowTargets => sc(cmd, Key::T),
            Command::ShowCalibration => sc(cmd, Key::K),
            Command::ShowModelEditor => sc(cmd, Key::M),
            Command::ToggleBands => sc(cmd, Key::U),
            Command::ShowSensitivity => sc(cmd, Key::I),
            Command::Present => sc(Modifiers::NONE, Key::F5),
            Command::ExportPng => sc(cmd | Modifiers::SHIFT, Key::E),
            _ => None,
        }
    }

    /// Whether the command can run in this build.
    pub fn available(&self) -> bool {
        true
    }
}
