//! Decks: the shipped example opens with every step's scenario and charts;
//! broken decks say what and where; a deck round-trips through its file.

use trajectoire::deck::{self, Deck, StepScenario};

const STORY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/saves/story.deck.ron");

#[test]
fn the_example_deck_tells_the_story_in_six_steps() {
    let d = deck::open(std::path::Path::new(STORY)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.steps.len(), 6);
    for s in &d.steps {
        assert!(!s.step.title.fr.is_empty() && !s.step.title.en.is_empty());
        assert!(!s.step.caption.fr.is_empty() && !s.step.caption.en.is_empty());
        assert!(!s.step.charts.is_empty());
    }
    // The "what it takes" step meets the 2030 jobs target in the model.
    let s = &d.steps[3];
    let run = s.model.run(&s.levers);
    let jobs = run.value(s.model.var_index("jobs").unwrap(), 2030).unwrap();
    assert!(jobs >= 270_000.0, "{jobs}");
}

/// A path in a scratch folder that holds copies of the example scenarios.
fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("trajectoire-deck-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let saves = concat!(env!("CARGO_MANIFEST_DIR"), "/saves");
    for e in std::fs::read_dir(saves).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    dir.join(name)
}

#[test]
fn broken_decks_say_what_and_where() {
    let text = std::fs::read_to_string(STORY).unwrap();
    // A missing scenario file: the step, the deck's line, then the file's error.
    let path = tmp("missing.deck.ron");
    std::fs::write(&path, text.replace("talent_crunch.ron", "nope.ron")).unwrap();
    let e = deck::open(&path).unwrap_err().to_string();
    assert!(
        e.contains("step 6: the scenario `nope.ron` cannot be opened"),
        "{e}"
    );
    assert!(e.contains("missing.deck.ron:"), "{e}");
    // An unknown chart.
    let path = tmp("chart.deck.ron");
    std::fs::write(
        &path,
        text.replacen("\"revenue_per_job\"", "\"revenue\"", 1),
    )
    .unwrap();
    let e = deck::open(&path).unwrap_err().to_string();
    assert!(e.contains("step 3: no chart is called `revenue`"), "{e}");
    // No steps, and a deck from the future.
    let e = deck::open_text(
        "Deck(format_version: 1, title: (fr: \"\", en: \"\"), steps: [])",
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("at least one step"), "{e}");
    let e = deck::open_text(
        "Deck(format_version: 99, title: (fr: \"\", en: \"\"), steps: [])",
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("99"), "{e}");
}

#[test]
fn a_deck_round_trips_with_inline_scenarios() {
    let d = deck::open(std::path::Path::new(STORY)).unwrap();
    let mut saved: Deck = d.deck.clone();
    // Make every step self-contained, then save and open again elsewhere.
    for (step, loaded) in saved.steps.iter_mut().zip(&d.steps) {
        step.scenario = StepScenario::Inline(Box::new(trajectoire::scenario::from_document(
            &loaded.model,
            &loaded.levers,
            "inline",
            "",
            Default::default(),
            Default::default(),
        )));
    }
    let path = tmp("inline.deck.ron");
    deck::save(&path, &saved).unwrap();
    let again = deck::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.deck, saved);
    for (a, b) in again.steps.iter().zip(&d.steps) {
        assert_eq!(a.levers, b.levers);
    }
    assert!(deck::is_deck_text(&deck::to_ron(&saved)));
}

#[test]
fn check_validates_a_deck() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trajectoire"))
        .args(["check", STORY])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("valid deck") && stdout.contains("6 steps"),
        "{stdout}"
    );
}
