//! The texts Trajectoire ships (models, templates, scenarios, the deck):
//! French typography in every French text, sources written so that either
//! language can show them, and no year printed that a source does not give.

mod common;

use std::path::{Path, PathBuf};

use trajectoire::i18n::french_typography_faults;
use trajectoire::model::load::SHIPPED_MODELS;

fn shipped_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["assets/models", "assets/models/templates", "saves"] {
        let mut here: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .collect();
        here.sort();
        files.extend(here);
    }
    assert!(files.len() >= 10, "{files:?}");
    files
}

/// The RON string that starts at `text[at..]` (just after its opening
/// quote), unescaped, and where it ends.
fn ron_string(text: &str, at: usize) -> (String, usize) {
    let mut out = String::new();
    let mut chars = text[at..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (out, at + i + 1),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, e)) => out.push(e),
                None => break,
            },
            c => out.push(c),
        }
    }
    panic!("a string that never ends at byte {at}")
}

/// Every French text of a shipped file: the `fr` half of each bilingual
/// text, and the part after `FR :` of a scenario's notes.
fn french_texts(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("fr: \"") {
        out.push(ron_string(text, at + 5).0);
    }
    for (at, _) in text.match_indices("notes: \"") {
        let (notes, _) = ron_string(text, at + 8);
        if let Some(fr) = notes.split("\nFR").nth(1) {
            out.push(format!("FR{fr}"));
        }
    }
    out
}

#[test]
fn every_french_text_follows_french_typography() {
    let mut faults = Vec::new();
    let mut texts = 0;
    for file in shipped_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for fr in french_texts(&text) {
            texts += 1;
            for f in french_typography_faults(&fr, true) {
                faults.push(format!("{}: {f}", file.display()));
            }
        }
    }
    assert!(texts > 300, "only {texts} French texts found");
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn the_check_sees_a_plain_space_in_a_shipped_text() {
    let bad = "label: (fr: \"Emplois : 148 500\", en: \"Jobs: 148,500\")";
    let texts = french_texts(bad);
    assert_eq!(texts, ["Emplois : 148 500"]);
    assert_eq!(french_typography_faults(&texts[0], true).len(), 2);
}

/// A source's title names it and its date is a date (`2019-04-23`,
/// `2016-05`, `2024`, `2016-2019`) or empty, so neither reads in one
/// language; what is said about it goes in its bilingual note.
#[test]
fn sources_are_written_for_both_languages() {
    let mut count = 0;
    for s in SHIPPED_MODELS {
        let m = trajectoire::model::load::parse_model(s.text, None).unwrap();
        let mut sources: Vec<&trajectoire::model::def::Source> = Vec::new();
        sources.extend(m.observations.iter().map(|o| &o.source));
        sources.extend(m.targets.iter().map(|t| &t.source));
        sources.extend(m.series_breaks.iter().map(|b| &b.source));
        for s in &sources {
            let date_ok =
                s.date.is_empty() || s.date.chars().all(|c| c.is_ascii_digit() || c == '-');
            assert!(date_ok, "{}: date « {} »", s.title, s.date);
            for word in [
                "Seed",
                "preliminary",
                "Minister",
                "conference",
                "year not given",
            ] {
                assert!(!s.title.contains(word), "{}: « {word} »", s.title);
            }
        }
        count += sources.len();
    }
    assert!(count > 60, "{count} sources");
}

/// Article 003 gives a day (Tuesday 27 January) but no year.
#[test]
fn no_year_is_printed_for_article_003() {
    for file in shipped_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for wrong in [
            "27 January 20",
            "27 janvier 20",
            "January 2026",
            "janvier 2026",
        ] {
            assert!(!text.contains(wrong), "{}: « {wrong} »", file.display());
        }
    }
}

/// The window draws the narrow no-break space these texts use: egui's own
/// font lacks it, and Trajectoire adds a fallback font on the first frame.
#[test]
fn the_window_has_a_glyph_for_the_narrow_no_break_space() {
    use eframe::egui::{FontFamily, FontId};
    let h = common::window(trajectoire::app::i18n::Lang::Fr);
    let ctx = h.ctx.clone();
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let has = ctx.fonts_mut(|f| f.has_glyph(&FontId::new(14.0, family.clone()), '\u{202f}'));
        assert!(has, "{family:?}");
    }
}
