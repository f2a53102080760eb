//! `trajectoire check`: validate any file Trajectoire opens and print every
//! error with file:line:column. The registry tells the file's kind from its
//! first bytes, through the size-limited reader.

use std::fmt::Write as _;
use std::path::Path;

use super::Outcome;
use crate::deck::LoadedDeck;
use crate::formats::{self, OpenedFile};
use crate::model::units::UnitWarning;
use crate::scenario::Opened;

pub(super) fn check(file: &Path, data: &[std::path::PathBuf]) -> Outcome {
    match formats::open_with(file, data) {
        Ok(OpenedFile::Deck(d)) => check_deck(file, &d),
        Ok(OpenedFile::Model(o) | OpenedFile::Scenario(o)) => check_document(file, &o),
        Err(errs) => {
            let n = errs.0.len();
            Outcome::fail(format!(
                "{errs}\n{n} error{} in {}\n",
                if n == 1 { "" } else { "s" },
                file.display()
            ))
        }
    }
}

/// A deck opened with every step's scenario and charts: it is valid.
fn check_deck(file: &Path, d: &LoadedDeck) -> Outcome {
    Outcome::ok(format!(
        "{}: valid deck `{}` ({} steps)\n",
        file.display(),
        d.deck.title.en,
        d.steps.len()
    ))
}

/// A model or scenario is valid when it also runs without a problem.
fn check_document(file: &Path, o: &Opened) -> Outcome {
    let m = o.model.model();
    let what = if o.scenario.is_some() {
        "scenario over model"
    } else {
        "model"
    };
    let mut stdout = format!(
        "{}: valid {what} `{}` {} ({} levers, {}, {} observations, {} targets)\n",
        file.display(),
        m.id,
        m.version,
        o.model.levers().len(),
        super::variables_count(&o.model),
        m.observations.len(),
        m.targets.len()
    );
    let run = o.model.run(&o.levers);
    let mut status = 0;
    let mut stderr = String::new();
    for w in &o.warnings {
        let _ = writeln!(stderr, "warning: {}", w.en);
    }
    for w in o.model.warnings() {
        let _ = writeln!(stderr, "{}", units_line(file, w));
    }
    let n = o.model.warnings().len();
    if n > 0 {
        let s = if n == 1 { "" } else { "s" };
        let _ = writeln!(
            stderr,
            "{n} units warning{s} (the model runs; see README, Units)"
        );
    }
    for p in &run.problems {
        let _ = writeln!(stderr, "{}: error: {p}", file.display());
        status = 1;
    }
    if status != 0 {
        stdout.clear();
    }
    Outcome {
        stdout,
        stderr,
        status,
    }
}

/// `file:line:col: warning: item, field: message`, as compilers print.
fn units_line(file: &Path, w: &UnitWarning) -> String {
    let mut e = w.error.clone();
    let at = e
        .location
        .take()
        .map_or_else(|| file.display().to_string(), |l| l.to_string());
    format!("{at}: warning: {e}")
}
