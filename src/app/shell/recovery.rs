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

impl super::TrajectoireApp {
    /// Turns autosave on at `path` and offers what an earlier run left there.
    pub fn set_recovery_path(&mut self, path: Option<PathBuf>) {
        self.autosave.recovered = path.as_deref().and_then(read);
        self.autosave.path = path;
    }

    /// Writes unsaved work to the recovery file every `autosave_every`, and
    /// removes the file once nothing is unsaved.
    pub(super) fn autosave(&mut self, ctx: &eframe::egui::Context) {
        let Some(path) = self.autosave.path.clone() else {
            return;
        };
        if self.autosave.recovered.is_some() {
            return; // Never overwrite work the user has not answered about.
        }
        let now = ctx.input(|i| i.time);
        if !self.doc.is_dirty() {
            if self.autosave.last.take().is_some() {
                remove(&path);
            }
            return;
        }
        let every = self.autosave_every.as_secs_f64();
        if self.autosave.last.is_none_or(|t| now - t >= every) {
            let r = Recovery {
                // Only a scenario file may be saved over after a restore: a
                // model file the work started from is not remembered.
                file: self.doc.file.clone().filter(|_| self.doc.file_is_scenario),
                scenario: self.scenario_named(&self.doc.name),
            };
            // A failed autosave must not disturb the work: it is retried.
            let _ = write(&path, &r);
            self.autosave.last = Some(now);
        }
        ctx.request_repaint_after(self.autosave_every);
    }

    /// Restore / Discard what an earlier run left unsaved.
    pub(super) fn recovery_ui(&mut self, ctx: &eframe::egui::Context) {
        use crate::app::i18n::{Msg, tr};
        let Some(r) = self.autosave.recovered.clone() else {
            return;
        };
        let lang = self.lang();
        let detail = r.file.as_ref().map(|f| f.display().to_string());
        let answer = super::modal::ask(
            ctx,
            "recovery",
            tr(lang, Msg::RecoveryTitle),
            tr(lang, Msg::RecoveryBody),
            detail.as_deref(),
            &[tr(lang, Msg::Restore), tr(lang, Msg::Discard)],
            None,
        );
        match answer {
            Some(0) => {
                let text = crate::scenario::to_ron(&r.scenario);
                match crate::scenario::open_text(&text, None) {
                    Ok(opened) => {
                        self.adopt(opened, r.file.clone());
                        // Restored work is unsaved until the user saves it.
                        self.doc.mark_unsaved();
                    }
                    Err(errs) => self.show_errors(errs),
                }
                self.autosave.recovered = None;
            }
            Some(_) => {
                if let Some(p) = &self.autosave.path {
                    remove(p);
                }
                self.autosave.recovered = None;
            }
            None => {}
        }
    }
}
