//! Scenario files: the examples in saves/, round trips, golden files.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use trajectoire::model::load::default_model;
use trajectoire::scenario::{self, ModelRef, MonteCarlo, SCENARIO_FORMAT_VERSION, Scenario, Views};

#[test]
fn every_example_in_saves_opens_and_tells_its_story() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/saves");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("ron")
            || path
                .to_string_lossy()
                .ends_with(trajectoire::deck::DECK_SUFFIX)
        {
            // Decks have their own tests (tests/decks.rs).
            continue;
        }
        let opened = scenario::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let s = opened.scenario.expect("a scenario");
        assert!(
            !s.name.is_empty() && s.notes.len() > 80,
            "{}: name and notes",
            path.display()
        );
        assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
        assert!(opened.model.run(&opened.levers).is_ok());
        n += 1;
    }
    assert!(n >= 4, "at least four example scenarios");
}

#[test]
fn the_examples_say_what_the_model_does() {
    let m = default_model();
    let jobs = m.var_index("jobs").unwrap();
    let crm = m.var_index("segment_jobs[crm]").unwrap();
    let open = |f: &str| {
        let o = scenario::open(Path::new(&format!(
            "{}/saves/{f}",
            env!("CARGO_MANIFEST_DIR")
        )))
        .unwrap();
        o.model.run(&o.levers)
    };
    let on_track = open("contract_programme_on_track.ron");
    assert!(on_track.value(jobs, 2030).unwrap() >= 270_000.0);
    let current = open("current_trajectory.ron");
    // The current trajectory is the default run: its levers follow the
    // model's calibration (issue 28 moved several).
    assert_eq!(
        current.value(jobs, 2030),
        m.run(&m.default_levers()).value(jobs, 2030),
        "current_trajectory.ron holds the default levers"
    );
    // The talent crunch: the digital segments shrink, the sector stalls
    // well under the current trajectory.
    let digital = m.var_index("pool_jobs[digital]").unwrap();
    let crunch = open("talent_crunch.ron");
    assert!(crunch.value(digital, 2030).unwrap() < crunch.value(digital, 2024).unwrap());
    assert!(crunch.value(jobs, 2030).unwrap() < 0.8 * current.value(jobs, 2030).unwrap());
    // Up the value chain: fewer CRM jobs, more exports.
    let exports = m.var_index("exports").unwrap();
    let value = open("value_chain.ron");
    assert!(value.value(crm, 2030).unwrap() < current.value(crm, 2030).unwrap());
    assert!(value.value(exports, 2030).unwrap() > current.value(exports, 2030).unwrap());
}

#[test]
fn the_version_1_golden_file_still_loads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/scenario_v1.ron");
    let opened = scenario::open(Path::new(path)).unwrap();
    let s = opened.scenario.unwrap();
    assert_eq!(s.format_version, 1);
    assert_eq!(s.levers["training_output"], 40_000.0);
    // Saved with model version 1.0.0, it opens on version 1.1.0 (same
    // levers), still shipped, and says so.
    assert_eq!(opened.model.model().version, "1.1.0");
    assert_eq!(opened.warnings.len(), 1, "{:?}", opened.warnings);
    assert!(
        opened.warnings[0].en.contains("1.1.0"),
        "{:?}",
        opened.warnings
    );
    let t = opened.model.lever_index("training_output").unwrap();
    assert_eq!(opened.levers[t], 40_000.0);
}

#[test]
fn saving_twice_writes_the_same_bytes_with_unix_line_endings() {
    let m = default_model();
    let s = scenario::from_document(
        &m,
        &m.default_levers(),
        "n",
        "a\nb",
        Views::default(),
        Default::default(),
    );
    let a = scenario::to_ron(&s);
    let b = scenario::to_ron(&s);
    assert_eq!(a, b);
    assert!(!a.contains('\r'));
    assert!(a.starts_with("Scenario("));
    assert!(
        matches!(s.model, ModelRef::Shipped { .. }),
        "unedited model referred to"
    );
}

#[test]
fn an_edited_model_travels_whole() {
    let m = default_model();
    let mut def = m.model().clone();
    def.levers[0].max = 20.0;
    let edited = trajectoire::model::compile(def).unwrap();
    let s = scenario::from_document(
        &edited,
        &edited.default_levers(),
        "e",
        "",
        Views::default(),
        Default::default(),
    );
    assert!(matches!(s.model, ModelRef::Inline(_)));
    let text = scenario::to_ron(&s);
    let back = scenario::open_text(&text, None).unwrap();
    assert_eq!(back.model.model(), edited.model());
}

fn any_scenario() -> impl Strategy<Value = Scenario> {
    let m = default_model();
    let levers: Vec<(String, f64, f64)> = m
        .levers()
        .iter()
        .map(|l| (l.id.clone(), l.min, l.max))
        .collect();
    (
        "[ -~éàç\n]{0,40}",
        "[ -~éàç\n\"\\\\]{0,200}",
        proptest::collection::vec(0.0f64..=1.0, levers.len()),
        any::<bool>(),
        (any::<u64>(), 1usize..=1_000_000),
    )
        .prop_map(
            move |(name, notes, fractions, by_segment, (seed, runs))| Scenario {
                format_version: SCENARIO_FORMAT_VERSION,
                name,
                notes,
                model: ModelRef::Shipped {
                    id: "morocco-offshoring".into(),
                    version: "2.1.0".into(),
                },
                levers: levers
                    .iter()
                    .zip(fractions)
                    .map(|((id, lo, hi), f)| (id.clone(), lo + f * (hi - lo)))
                    .collect::<BTreeMap<_, _>>(),
                views: Views { by_segment },
                monte_carlo: MonteCarlo { seed, runs },
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_scenario_saves_and_loads_back_equal(s in any_scenario()) {
        let dir = std::env::temp_dir().join(format!("trajectoire-prop-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.ron");
        scenario::save(&path, &s).unwrap();
        let opened = scenario::open(&path).unwrap();
        prop_assert_eq!(opened.scenario.as_ref(), Some(&s));
        let m = default_model();
        for (id, v) in &s.levers {
            prop_assert_eq!(opened.levers[m.lever_index(id).unwrap()].to_bits(), v.to_bits());
        }
    }
}

#[test]
fn a_series_break_may_name_a_whole_arrayed_variable() {
    use trajectoire::model::def::SeriesBreak;
    let m = trajectoire::model::load::default_model();
    let mut model = m.model().clone();
    let mut b = model.series_breaks[0].clone();
    b.variable = "segment_exports".into();
    model.series_breaks.push(b.clone());
    trajectoire::model::compile(model).unwrap_or_else(|e| panic!("{e}"));
    let on = |v: &str, s: &str| {
        SeriesBreak {
            variable: v.into(),
            ..b.clone()
        }
        .on(s)
    };
    assert!(on("segment_exports", "segment_exports[crm]"));
    assert!(on("segment_exports[crm]", "segment_exports"));
    assert!(on("exports", "exports"));
    assert!(!on("segment_exports[crm]", "segment_exports[bpo]"));
    assert!(!on("exports", "exports_legacy"));
}

/// A scenario names the shipped model's version it was saved with: it
/// opens on that version while Trajectoire ships it, on the newest of the
/// same major version otherwise, and on the current one as a last resort,
/// each time saying so.
#[test]
fn a_scenario_opens_on_the_model_version_it_was_saved_with() {
    let text = |version: &str, lever: &str| {
        format!(
            "Scenario(format_version: 1, name: \"v\", notes: \"\", \
             model: Shipped(id: \"morocco-offshoring\", version: \"{version}\"), \
             levers: {{\"{lever}\": 50000.0}})"
        )
    };
    let current = scenario::open_text(&text("2.1.0", "training_output[digital]"), None).unwrap();
    assert_eq!(current.model.model().version, "2.1.0");
    assert!(current.warnings.is_empty(), "{:?}", current.warnings);

    let old = scenario::open_text(&text("1.1.0", "training_output"), None).unwrap();
    assert_eq!(old.model.model().version, "1.1.0");
    assert!(
        old.warnings[0].en.contains("which it opens on"),
        "{:?}",
        old.warnings
    );
    // Saved again, it still refers to version 1.1.0, not to the current one.
    let again = scenario::from_document(
        &old.model,
        &old.levers,
        "v",
        "",
        Views::default(),
        Default::default(),
    );
    assert!(
        matches!(&again.model, ModelRef::Shipped { version, .. } if version == "1.1.0"),
        "{:?}",
        again.model
    );

    // Said in both languages, the French with French typography.
    for w in old.warnings.iter() {
        let faults = trajectoire::i18n::french_typography_faults(&w.fr, true);
        assert!(faults.is_empty(), "{}: {faults:?}", w.fr);
    }
    // Version 2.0.0 still ships (issue 28): its scenarios reopen on it, bit
    // for bit, and say so.
    let minor = scenario::open_text(&text("2.0.0", "training_output[digital]"), None).unwrap();
    assert_eq!(minor.model.model().version, "2.0.0");
    assert!(
        minor.warnings[0].en.contains("which it opens on"),
        "{:?}",
        minor.warnings
    );
    let newer = scenario::open_text(&text("2.2.0", "training_output[digital]"), None).unwrap();
    assert_eq!(newer.model.model().version, "2.1.0");
    assert!(
        newer.warnings[0].en.contains("no longer ships"),
        "{:?}",
        newer.warnings
    );
}
