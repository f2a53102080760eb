//! Autosave: while there are unsaved changes, the document is written every
//! 30 s to a recovery file in the user's data folder; after a crash the next
//! start offers to restore it. The file is removed once the work is saved
//! or discarded.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::model::load::parse_ron;
use crate::scenario::Scenario;

pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(30);

/// What the recovery file holds: the scenario and the file it belonged to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recovery {
    pub file: Option<PathBuf>,
    pub scenario: Scenario,
}

/// The recovery file in the user's data folder, where there is one.
pub fn default_path() -> Option<PathBuf> {
    eframe::storage_dir("trajectoire").map(|d| d.join("recovery.ron"))
}

pub fn write(path: &Path, r: &Recovery) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let config = ron::ser::PrettyConfig::new()
        .new_line("\n".to_string())
        .struct_names(true);
    let text = ron::ser::to_string_pretty(r, config).map_err(std::io::Error::other)?;
    crate::atomic::write(path, text.as_bytes())
}

/// The recovery left by an earlier run, if any and readable.
pub fn read(path: &Path) -> Option<Recovery> {
    let text = crate::model::load::read_text(path).ok()?;
    parse_ron(&text, Some(path)).ok()
}

pub fn remove(path: &Path) {
    let _ = std::fs::remove_file(path);
}
