//! The brief: a scenario as a document an adviser hands on (issue 18).
//! `content` gathers what it says, in one language; `html` writes it as
//! one self-contained HTML file, `pdf` as A4 pages. UI-free: the CLI
//! (`trajectoire brief`) and the window (File > Export brief) both call
//! [`write`].

pub mod content;
pub mod html;
pub mod pdf;

pub use content::{Brief, DeckStep, Input, gather, gather_deck};

use crate::deck::LoadedDeck;
use crate::figure::Figure;
use crate::figure::chart::{self, ChartSpec};
use crate::i18n::{Lang, fmt_num};
use crate::model::CompiledModel;
use crate::model::mc::{Design, Summary, default_threads, monte_carlo};

/// Monte Carlo draws for a brief's bands and odds, unless asked otherwise.
pub const DEFAULT_RUNS: usize = 2_000;

/// A Monte Carlo of `runs` draws for a brief, when there are any and the
/// model has uncertain levers.
pub fn uncertainty(m: &CompiledModel, levers: &[f64], seed: u64, runs: usize) -> Option<Summary> {
    (runs > 0 && crate::model::mc::has_uncertainty(m)).then(|| {
        let design = Design::new(m, seed, runs);
        let vars: Vec<usize> = (0..m.n_vars()).collect();
        monte_carlo(m, levers, &design, &vars, default_threads())
    })
}

/// The brief of a deck in `lang`: a section per step, with bands (of
/// `runs` draws) where the step shows them.
pub fn deck(
    deck: &LoadedDeck,
    lang: Lang,
    date: &str,
    fingerprint: Option<String>,
    runs: usize,
) -> Option<Brief> {
    let summaries: Vec<Option<Summary>> = (deck.steps.iter())
        .map(|s| uncertainty(&s.model, &s.levers, 1, if s.step.bands { runs } else { 0 }))
        .collect();
    let title = deck.deck.title.get(lang).to_string();
    let steps: Vec<DeckStep> = (deck.steps.iter().zip(&summaries))
        .map(|(s, u)| DeckStep {
            input: Input {
                model: &s.model,
                levers: &s.levers,
                scenario_name: &title,
                notes: "",
                fingerprint: fingerprint.clone(),
                date,
                lang,
                uncertainty: u.as_ref(),
                charts: Some(&s.step.charts),
            },
            title: s.step.title.get(lang).to_string(),
            caption: s.step.caption.get(lang).to_string(),
        })
        .collect();
    gather_deck(&title, &steps)
}

/// The formats a brief is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

/// The figure of one of a brief's charts, as the writer of `format` lays
/// it out (the HTML at [`html::CHART_SIZE`], the PDF across its text width
/// at the same height), its ticks in `lang`.
pub fn figure(spec: &ChartSpec, lang: Lang, format: Format) -> Figure {
    let fmt = |v: f64, step: f64| fmt_num(lang, v, html::tick_decimals(step));
    let width = match format {
        Format::Html => html::CHART_SIZE.0,
        Format::Pdf => pdf::CHART_WIDTH,
    };
    chart::chart(spec, width, html::CHART_SIZE.1, &fmt)
}

/// The brief of `input` in `format`, as bytes to save.
pub fn write(input: &Input, format: Format) -> Result<Vec<u8>, String> {
    write_brief(&gather(input), format)
}

/// `brief` in `format`, as bytes to save.
pub fn write_brief(brief: &Brief, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Html => Ok(html::to_html(brief).into_bytes()),
        Format::Pdf => pdf::to_pdf(brief),
    }
}

/// Today's date (UTC), `2026-12-01`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of day `z` since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_423), (2025, 12, 1));
        assert_eq!(super::civil_from_days(11_016), (2000, 2, 29));
    }
}
