//! `trajectoire brief FILE [--lang fr|en] [--format html] [--out PATH]`:
//! the scenario as a document (`crate::brief`), saved atomically.

use std::path::{Path, PathBuf};

use super::{CommandResult, Outcome, open_with_levers};
use crate::brief::{self, Format, Input};
use crate::i18n::Lang;
use crate::model::compile::content_hash;
use crate::model::mc::{Design, default_threads, monte_carlo};

/// What `brief` is asked.
pub struct Request<'a> {
    pub file: Option<&'a Path>,
    pub lang: Lang,
    pub format: Format,
    pub out: Option<&'a Path>,
    /// The date printed; today (UTC) when left out.
    pub date: Option<&'a str>,
    /// Monte Carlo runs for bands and odds (0: none).
    pub runs: usize,
    pub set: &'a [String],
}

pub fn brief(r: &Request) -> CommandResult {
    let (opened, levers) = open_with_levers(r.file, r.set)?;
    let fingerprint = match r.file {
        Some(f) => Some(content_hash(
            crate::io::read_text(f)
                .map_err(|e| format!("{e}\n"))?
                .as_bytes(),
        )),
        None => None,
    };
    let scenario = opened.scenario.as_ref();
    let name = scenario.map_or_else(
        || opened.model.model().name.get(r.lang).to_string(),
        |s| s.name.clone(),
    );
    let notes = scenario.map_or("", |s| s.notes.as_str());
    let summary = (r.runs > 0 && has_uncertainty(&opened.model)).then(|| {
        let seed = scenario.map_or(1, |s| s.monte_carlo.seed);
        let design = Design::new(&opened.model, seed, r.runs);
        let vars: Vec<usize> = (0..opened.model.n_vars()).collect();
        monte_carlo(&opened.model, &levers, &design, &vars, default_threads())
    });
    let today = brief::today();
    let input = Input {
        model: &opened.model,
        levers: &levers,
        scenario_name: &name,
        notes,
        fingerprint,
        date: r.date.unwrap_or(&today),
        lang: r.lang,
        uncertainty: summary.as_ref(),
    };
    let bytes = brief::write(&input, r.format).map_err(|e| format!("{e}\n"))?;
    let out = r
        .out
        .map_or_else(|| default_out(r.file, r.format), Path::to_path_buf);
    crate::io::atomic::write(&out, &bytes).map_err(|e| format!("{}: {e}\n", out.display()))?;
    Ok(Outcome::ok(format!("{}\n", out.display())))
}

fn has_uncertainty(m: &crate::model::CompiledModel) -> bool {
    m.levers().iter().any(|l| l.uncertainty.is_some())
}

/// `talent_crunch.brief.html` for `saves/talent_crunch.ron`, in the
/// current folder.
fn default_out(file: Option<&Path>, format: Format) -> PathBuf {
    let stem = file.and_then(|f| f.file_stem()).map_or_else(
        || "trajectoire".into(),
        |s| s.to_string_lossy().into_owned(),
    );
    PathBuf::from(format!("{stem}.brief.{}", format.extension()))
}
