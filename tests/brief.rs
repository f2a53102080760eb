//! The brief (issue 18) as the CLI writes it: for every example scenario,
//! in French and in English, one self-contained HTML file that parses as
//! XML, references nothing outside itself, and says the headline figures
//! and every source it cites; a model without targets or sources still
//! gives a valid document.

use std::path::{Path, PathBuf};
use std::process::Command;

use trajectoire::i18n::{Lang, fmt_auto};
use trajectoire::model::targets::target_statuses;
use trajectoire::scenario;

mod common;

/// Runs `trajectoire brief ARGS --out OUT`, which must succeed.
fn run_brief(args: &[&str], out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_trajectoire"))
        .arg("brief")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// The HTML brief of `file` in `lang`, dated 2026-12-01.
fn brief(file: &Path, lang: &str, out: &Path, extra: &[&str]) -> String {
    let mut args = vec![file.to_str().unwrap(), "--lang", lang];
    args.extend(["--date", "2026-12-01", "--format", "html"]);
    args.extend(extra);
    run_brief(&args, out);
    std::fs::read_to_string(out).unwrap()
}

fn saves() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves");
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "ron") && !p.to_string_lossy().ends_with(".deck.ron")
        })
        .collect();
    out.sort();
    assert!(out.len() >= 4, "the example scenarios: {out:?}");
    out
}

/// The HTML as XML (its `<!DOCTYPE html>` allowed).
fn parse(html: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(html, opts)
}

/// The document's text, whitespace collapsed (non-breaking spaces too).
fn text_of(doc: &roxmltree::Document) -> String {
    let all: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    collapse(&all)
}

fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Nothing is fetched: no script, link, image, frame, `url(` other than
/// a clip inside the figure, and no attribute naming an address (the
/// namespace names excepted).
fn assert_self_contained(html: &str, doc: &roxmltree::Document) {
    for tag in [
        "script", "link", "img", "iframe", "object", "embed", "image", "use",
    ] {
        assert!(
            doc.descendants().all(|n| n.tag_name().name() != tag),
            "a <{tag}>"
        );
    }
    for n in doc.descendants().filter(|n| n.is_element()) {
        for a in n.attributes() {
            let v = a.value();
            let external = v.starts_with("http")
                || v.starts_with("//")
                || v.starts_with('/')
                || v.starts_with("file:");
            assert!(!external || a.name() == "xmlns", "{}={v}", a.name());
        }
    }
    let urls = html.matches("url(").count();
    assert_eq!(urls, html.matches("url(#").count(), "only internal url(#…)");
}

#[test]
fn every_example_scenario_makes_a_self_contained_brief_in_both_languages() {
    let dir = common::tmp("brief");
    std::fs::create_dir_all(&dir).unwrap();
    for file in saves() {
        let opened = scenario::open(&file).unwrap();
        let run = opened.model.run(&opened.levers);
        for (code, lang) in [("fr", Lang::Fr), ("en", Lang::En)] {
            let out = dir.join(format!(
                "{}.{code}.html",
                file.file_stem().unwrap().to_string_lossy()
            ));
            let html = brief(&file, code, &out, &["--runs", "200"]);
            let doc =
                parse(&html).unwrap_or_else(|e| panic!("{}: not well-formed: {e}", out.display()));
            assert_eq!(doc.root_element().attribute("lang"), Some(code));
            assert_self_contained(&html, &doc);
            let text = text_of(&doc);
            let m = opened.model.model();
            assert!(text.contains(&collapse(m.name.get(lang))));
            // The headline figures, as the engine computes them.
            for s in target_statuses(&opened.model, &run)
                .iter()
                .filter(|s| s.future)
            {
                let t = &m.targets[s.target];
                assert!(
                    text.contains(&collapse(t.label.get(lang))),
                    "{}: {}",
                    out.display(),
                    t.label.get(lang)
                );
                let v = collapse(&fmt_auto(lang, s.value));
                assert!(text.contains(&v), "{}: headline value {v}", out.display());
                assert!(
                    text.contains(&t.source.title),
                    "{}: source {}",
                    out.display(),
                    t.source.title
                );
            }
            // Charts are inline vector graphics.
            assert!(doc.descendants().any(|n| n.tag_name().name() == "svg"));
            // The file's fingerprint.
            let hash = trajectoire::model::compile::content_hash(&std::fs::read(&file).unwrap());
            assert!(text.contains(&hash), "{hash}");
        }
    }
}

#[test]
fn a_model_without_targets_or_sources_still_makes_a_valid_brief() {
    let dir = common::tmp("brief-bare");
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("bare.ron");
    std::fs::write(
        &model,
        r#"Model(
    format_version: 1, id: "bare", version: "1",
    name: (fr: "Nu", en: "Bare"), sector: (fr: "", en: ""), country: (fr: "", en: ""),
    currency: "MAD", start_year: 2020, end_year: 2030, last_observed_year: 2021,
    levers: [(id: "g", label: (fr: "Croissance", en: "Growth"), unit: (fr: "%", en: "%"), min: 0, max: 10, default: 2, step: 0.5)],
    variables: [(id: "x", label: (fr: "X", en: "X"), unit: (fr: "", en: ""), kind: Stock(initial: "100", change: "prev(x) * g / 100"))],
    lookups: [],
)"#,
    )
    .unwrap();
    for (code, lang) in [("fr", Lang::Fr), ("en", Lang::En)] {
        let out = dir.join(format!("bare.{code}.html"));
        let html = brief(&model, code, &out, &["--set", "g=3"]);
        let doc = parse(&html).unwrap();
        assert_self_contained(&html, &doc);
        let text = text_of(&doc);
        let no_targets = trajectoire::i18n::tr(lang, trajectoire::i18n::Msg::BriefNoTargets);
        assert!(text.contains(&collapse(no_targets)), "{text}");
        // The lever moved is listed with both values.
        assert!(text.contains("Growth") || text.contains("Croissance"));
        assert!(!text.contains("[1]"), "no source, no reference");
    }
}

/// Whether poppler's tools are here. CI (`.ci/run`, which installs them)
/// requires them; elsewhere the PDF checks say they are skipped.
fn poppler() -> bool {
    let here = Command::new("pdftotext").arg("-v").output().is_ok();
    if !here {
        assert!(
            std::env::var_os("TRAJECTOIRE_REQUIRE_POPPLER").is_none(),
            "pdftotext, pdfinfo and pdffonts (Debian's poppler-utils) are missing"
        );
        eprintln!("skipped: the PDF checks need poppler-utils (apt-get install poppler-utils)");
    }
    here
}

fn tool(name: &str, pdf: &Path) -> String {
    let mut cmd = Command::new(name);
    if name == "pdftotext" {
        cmd.args(["-enc", "UTF-8"]);
    }
    cmd.arg(pdf);
    if name == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{name} {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Text without any space, so that pdftotext's choices (a non-breaking
/// space printed as a plain one, or dropped) do not matter.
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect()
}

#[test]
fn every_example_scenario_makes_a_pdf_with_its_figures_sources_and_fonts() {
    if !poppler() {
        return;
    }
    let dir = common::tmp("brief-pdf");
    std::fs::create_dir_all(&dir).unwrap();
    for file in saves() {
        let opened = scenario::open(&file).unwrap();
        let run = opened.model.run(&opened.levers);
        for (code, lang) in [("fr", Lang::Fr), ("en", Lang::En)] {
            let out = dir.join(format!(
                "{}.{code}.pdf",
                file.file_stem().unwrap().to_string_lossy()
            ));
            let file = file.to_str().unwrap();
            let args = [
                file,
                "--lang",
                code,
                "--format",
                "pdf",
                "--date",
                "2026-12-01",
            ];
            run_brief(&[&args[..], &["--runs", "200"]].concat(), &out);
            let info = tool("pdfinfo", &out);
            let pages: usize = info
                .lines()
                .find_map(|l| l.strip_prefix("Pages:"))
                .and_then(|n| n.trim().parse().ok())
                .expect("a page count");
            assert!(info.contains("A4"), "{info}");
            let text = squeeze(&tool("pdftotext", &out).replace('\u{c}', " "));
            // The footer counts the pages pdfinfo counts.
            assert!(
                text.contains(&squeeze(&format!("{pages} / {pages}"))),
                "{}: no page {pages} / {pages}",
                out.display()
            );
            for s in target_statuses(&opened.model, &run)
                .iter()
                .filter(|s| s.future)
            {
                let t = &opened.model.model().targets[s.target];
                let v = squeeze(&fmt_auto(lang, s.value));
                assert!(text.contains(&v), "{}: headline value {v}", out.display());
                assert!(
                    text.contains(&squeeze(&t.source.title)),
                    "{}: source {}",
                    out.display(),
                    t.source.title
                );
            }
            // Every source the document cites, by its title.
            let b = trajectoire::brief::gather(&trajectoire::brief::Input {
                model: &opened.model,
                levers: &opened.levers,
                scenario_name: "",
                notes: "",
                fingerprint: None,
                date: "",
                lang,
                uncertainty: None,
                charts: None,
            });
            assert!(!b.references.is_empty());
            for r in &b.references {
                assert!(
                    text.contains(&squeeze(&r.title)),
                    "{}: reference {}",
                    out.display(),
                    r.title
                );
            }
            // Every font embedded, subset, with its Unicode map.
            let fonts = tool("pdffonts", &out);
            let rows: Vec<&str> = fonts.lines().skip(2).collect();
            assert!(!rows.is_empty());
            for row in rows {
                let cols: Vec<&str> = row.split_whitespace().collect();
                let n = cols.len();
                assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "{row}");
            }
        }
    }
}

#[test]
fn a_model_without_targets_or_sources_makes_a_valid_pdf() {
    if !poppler() {
        return;
    }
    let dir = common::tmp("brief-pdf-bare");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("default.pdf");
    // The default model from the command line (no file, no fingerprint).
    run_brief(&["--format", "pdf", "--runs", "0"], &out);
    tool("pdfinfo", &out);
    let text = tool("pdftotext", &out);
    assert!(text.contains("no file"), "{text}");
}

#[test]
fn a_deck_makes_one_section_per_step() {
    let deck_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/story.deck.ron");
    let deck = trajectoire::deck::open(&deck_path).unwrap();
    let dir = common::tmp("brief-deck");
    std::fs::create_dir_all(&dir).unwrap();
    for (code, lang) in [("fr", Lang::Fr), ("en", Lang::En)] {
        let out = dir.join(format!("story.{code}.html"));
        let html = brief(&deck_path, code, &out, &["--runs", "100"]);
        let doc = parse(&html).unwrap();
        assert_self_contained(&html, &doc);
        let h2: Vec<String> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "h2")
            .map(|n| collapse(n.text().unwrap_or("")))
            .collect();
        for (k, s) in deck.deck.steps.iter().enumerate() {
            let want = collapse(&format!("{}. {}", k + 1, s.title.get(lang)));
            assert!(h2.contains(&want), "{want} in {h2:?}");
        }
        assert!(text_of(&doc).contains(&collapse(deck.deck.title.get(lang))));
        if poppler() {
            let pdf = dir.join(format!("story.{code}.pdf"));
            let file = deck_path.to_str().unwrap();
            run_brief(&[file, "--lang", code, "--runs", "100"], &pdf);
            let text = squeeze(&tool("pdftotext", &pdf));
            let last = squeeze(deck.deck.steps.last().unwrap().title.get(lang));
            assert!(text.contains(&last), "the last step's title");
        }
    }
}

/// A scenario's notes written in both languages (`EN: …` then `FR : …`, as
/// the shipped scenarios are): each brief prints its language's part only,
/// the French one without the English note before it.
#[test]
fn a_brief_prints_only_its_language_s_part_of_bilingual_notes() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/talent_crunch.ron");
    let notes = scenario::open(&file).unwrap().scenario.unwrap().notes;
    let (en, fr) = notes.split_once("\nFR").expect("bilingual notes");
    let fr = fr.trim_start_matches([' ', '\u{a0}', '\u{202f}']);
    let fr = fr.strip_prefix(':').expect("FR :").trim_start();
    let en = en.strip_prefix("EN: ").expect("the English part first");
    let dir = common::tmp("brief-notes");
    std::fs::create_dir_all(&dir).unwrap();
    for (code, mine, other) in [("fr", fr, en), ("en", en, fr)] {
        let html = brief(&file, code, &dir.join(format!("n.{code}.html")), &[]);
        let doc = parse(&html).unwrap();
        let printed: Vec<String> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("notes"))
            .map(|n| n.text().unwrap_or("").to_string())
            .collect();
        assert_eq!(printed, vec![mine.trim().to_string()], "{code}");
        let text = text_of(&doc);
        assert!(!text.contains(&collapse(other)), "{code}: the other part");
        assert!(
            !text.contains("EN:") && !text.contains("FR :"),
            "{code}: {text}"
        );
    }
    // Lines before any mark belong to both; notes without a part in the
    // brief's language are printed whole.
    use trajectoire::brief::content::notes_in;
    let both = "Shared line\nEN: In English\nsecond line\nFR : En français";
    assert_eq!(
        notes_in(Lang::En, both),
        "Shared line\nIn English\nsecond line"
    );
    assert_eq!(notes_in(Lang::Fr, both), "Shared line\nEn français");
    assert_eq!(notes_in(Lang::Fr, "EN: Only English"), "EN: Only English");
    assert_eq!(notes_in(Lang::Fr, "Plain notes"), "Plain notes");
    assert_eq!(notes_in(Lang::Fr, "FR\u{a0}: Tout"), "Tout");
}

/// Every chart of the default model's brief, in both languages and as both
/// writers lay it out (HTML and PDF widths, with and without uncertainty
/// bands): no two texts (title, unit, ticks, axis label, legend, target
/// labels, the series break's name) overlap, each measured as the charts
/// measure text (`Text::bounds`).
#[test]
fn no_label_of_the_default_model_s_charts_overlaps_another() {
    use trajectoire::brief::content::Block;
    use trajectoire::brief::{Format, Input, figure, gather, uncertainty};
    let m = trajectoire::model::load::default_model();
    let all: Vec<String> = m.charts().iter().map(|c| c.id.clone()).collect();
    // The default levers, then each example scenario's (their targets and
    // lines sit elsewhere on the charts).
    let mut lever_sets = vec![("defaults".to_string(), m.default_levers())];
    for file in saves() {
        let opened = scenario::open(&file).unwrap();
        assert_eq!(opened.model.model().version, m.model().version);
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        lever_sets.push((name, opened.levers));
    }
    let mut checked = 0;
    let mut faults = Vec::new();
    for ((name, levers), lang) in lever_sets
        .iter()
        .flat_map(|l| [(l, Lang::Fr), (l, Lang::En)])
    {
        let summary = uncertainty(&m, levers, 1, 100);
        for u in [None, summary.as_ref()] {
            let input = Input {
                model: &m,
                levers,
                scenario_name: "",
                notes: "",
                fingerprint: None,
                date: "2026-12-01",
                lang,
                uncertainty: u,
                charts: Some(&all),
            };
            let b = gather(&input);
            let specs = b
                .sections
                .iter()
                .flat_map(|s| &s.blocks)
                .filter_map(|b| match b {
                    Block::Figure(spec) => Some(spec),
                    _ => None,
                });
            for spec in specs {
                for format in [Format::Html, Format::Pdf] {
                    let fig = figure(spec, lang, format);
                    let texts = fig.texts();
                    for (i, a) in texts.iter().enumerate() {
                        for b in &texts[i + 1..] {
                            if a.bounds().overlaps(&b.bounds()) {
                                faults.push(format!(
                                    "{name} {lang:?} {format:?} {}: {:?} over {:?}",
                                    spec.title, a.text, b.text
                                ));
                            }
                        }
                        let r = a.bounds();
                        let inside = r.x >= 0.0
                            && r.right() <= fig.width_pt
                            && r.y >= 0.0
                            && r.bottom() <= fig.height_pt;
                        if !inside {
                            faults.push(format!(
                                "{name} {lang:?} {format:?} {}: {:?} leaves the figure",
                                spec.title, a.text
                            ));
                        }
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(
        checked,
        lever_sets.len() * 2 * 2 * 2 * all.len(),
        "every chart laid out"
    );
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}
