//! The explorer window, in rooms by role:
//!
//! - [`shell`]: the app state, the menu, the commands and their one
//!   dispatcher, file actions, dialogs, autosave and recovery;
//! - [`panels`]: the views that are always there (levers, headline, compared
//!   scenarios), one file each;
//! - [`charts`]: the trajectories, in layers (series, bands, marks, hover,
//!   legend), with one file per kind of chart;
//! - [`tools`]: the tool windows (targets, calibration, sensitivity, deck,
//!   model editor), all behind one [`tools::ToolWindow`] trait;
//! - [`present`]: presenting a deck full screen.
//!
//! [`document`] (the scenario being edited, with undo) and [`bands`] (the
//! Monte Carlo behind the fan bands) hold state and draw nothing.
//!
//! One lever, followed from slider to plot: `panels/levers.rs` sends
//! `Command::SetLever` -> `shell/dispatch.rs` (`TrajectoireApp::apply`) ->
//! `Document::set_lever` re-runs the model -> `charts/` draws the run.

pub mod bands;
pub mod charts;
pub mod document;
pub use crate::i18n;
pub mod panels;
pub mod present;
pub mod shell;
pub mod theme;
pub mod tools;
pub mod view;

pub use shell::command;
pub use shell::{Notice, Pending, Prefs, TrajectoireApp, run};
