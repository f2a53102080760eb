//! `trajectoire brief FILE [--lang fr|en] [--format pdf|html] [--out PATH]`:
//! the scenario (or each step of a deck) as a document (`crate::brief`),
//! saved atomically.

use std::path::{Path, PathBuf};

use super::{CommandResult, Outcome, open_with_levers};
use crate::brief::{self, Format, Input};
use crate::deck::LoadedDeck;
use crate::i18n::Lang;
use crate::model::compile::content_hash;

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
    let fingerprint = match r.file {
        Some(f) => {
            let text = crate::io::read_text(f).map_err(|e| format!("{e}\n"))?;
            Some(content_hash(text.as_bytes()))
        }
        None => None,
    };
    let today = brief::today();
    let date = r.date.unwrap_or(&today);
    if let Some(deck) = super::deck_of(r.file)? {
        return deck_brief(r, &deck, fingerprint, date);
    }
    let (opened, levers) = open_with_levers(r.file, r.set, &[])?;
    let scenario = opened.scenario.as_ref();
    let name = scenario.map_or_else(
        || opened.model.model().name.get(r.lang).to_string(),
        |s| s.name.clone(),
    );
    let seed = scenario.map_or(1, |s| s.monte_carlo.seed);
    let summary = brief::uncertainty(&opened.model, &levers, seed, r.runs);
    let input = Input {
        model: &opened.model,
        levers: &levers,
        scenario_name: &name,
        notes: scenario.map_or("", |s| s.notes.as_str()),
        fingerprint,
        date,
        lang: r.lang,
        uncertainty: summary.as_ref(),
        charts: None,
    };
    let bytes = brief::write(&input, r.format).map_err(|e| format!("{e}\n"))?;
    save(r, &bytes)
}

/// A deck: one section per step, each with its own scenario (and bands
/// where the step shows them).
fn deck_brief(
    r: &Request,
    deck: &LoadedDeck,
    fingerprint: Option<String>,
    date: &str,
) -> CommandResult {
    if !r.set.is_empty() {
        return Err("--set does not apply to a deck: each step has its scenario\n".into());
    }
    let b = brief::deck(deck, r.lang, date, fingerprint, r.runs).ok_or("the deck has no step\n")?;
    let bytes = brief::write_brief(&b, r.format).map_err(|e| format!("{e}\n"))?;
    save(r, &bytes)
}

fn save(r: &Request, bytes: &[u8]) -> CommandResult {
    let out = r
        .out
        .map_or_else(|| default_out(r.file, r.format), Path::to_path_buf);
    crate::io::atomic::write(&out, bytes).map_err(|e| format!("{}: {e}\n", out.display()))?;
    Ok(Outcome::ok(format!("{}\n", out.display())))
}

/// `talent_crunch.brief.pdf` for `saves/talent_crunch.ron` (`story.brief.pdf`
/// for `story.deck.ron`), in the current folder.
fn default_out(file: Option<&Path>, format: Format) -> PathBuf {
    let stem = super::output_stem(file);
    PathBuf::from(format!("{stem}.brief.{}", format.extension()))
}
