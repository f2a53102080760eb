//! The shipped Morocco offshoring model: calibration, sources, golden results.

use trajectoire::cli::to_csv;
use trajectoire::model::fit::fit;
use trajectoire::model::load::{SHIPPED_MODELS, default_model};

#[test]
fn baseline_fits_the_observations() {
    let m = default_model();
    let run = m.run(&m.default_levers());
    assert!(run.is_ok(), "{:?}", run.problems);
    let fits = fit(&m, &run);
    println!("Calibration fit of the default model (default levers):");
    println!("{:<26} {:>6} {:>8}", "variable", "points", "MAPE %");
    for f in &fits {
        println!(
            "{:<26} {:>6} {:>8.2}",
            f.variable,
            f.points.len(),
            f.mape_pct
        );
    }
    let mut failures = Vec::new();
    for f in &fits {
        for p in &f.points {
            // The 2024 headline figures within 5 %, every other one within 10 %.
            let headline = p.year == 2024 && (p.variable == "jobs" || p.variable == "exports");
            let limit = if headline { 0.05 } else { 0.10 };
            println!(
                "  {:<24} {} observed {:>12.2} model {:>12.2} error {:>6.1} %",
                p.variable,
                p.year,
                p.observed,
                p.model,
                100.0 * p.error
            );
            if p.error.abs() > limit {
                failures.push(format!(
                    "{} {}: model {:.2} vs observed {:.2} ({:+.1} %, limit {} %)",
                    p.variable,
                    p.year,
                    p.model,
                    p.observed,
                    100.0 * p.error,
                    100.0 * limit
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // The check covers the headline variables, not only some of them.
    for v in [
        "jobs",
        "exports",
        "exports_legacy",
        "jobs_created_since_2014",
        "net_jobs_2y",
    ] {
        assert!(fits.iter().any(|f| f.variable == v), "{v} is fitted");
    }
}

#[test]
fn every_seed_figure_is_in_the_model_with_a_source() {
    let m = default_model();
    let model = m.model();
    let has_obs = |var: &str, year: i32, value: f64| {
        model.observations.iter().any(|o| {
            o.variable == var
                && o.year == year
                && (o.value - value).abs() < 1e-9
                && !o.source.title.is_empty()
        })
    };
    assert!(has_obs("exports_legacy", 2018, 10.0));
    assert!(has_obs("jobs_created_since_2014", 2018, 69_900.0));
    assert!(has_obs("jobs_created_since_2016", 2018, 51_000.0));
    assert!(has_obs("jobs", 2024, 148_500.0));
    assert!(has_obs("net_jobs_2y", 2024, 18_500.0));
    assert!(has_obs("exports", 2024, 26.2));
    assert!(has_obs("companies", 2024, 1_200.0));
    assert!(has_obs("investment_since_2016", 2018, 1.0));
    let has_target = |var: &str, year: i32, value: f64| {
        model
            .targets
            .iter()
            .any(|t| t.variable == var && t.year == year && (t.value - value).abs() < 1e-9)
    };
    assert!(has_target("jobs", 2030, 270_000.0));
    assert!(has_target("exports", 2030, 40.0));
    assert!(has_target("investment_since_2016", 2020, 1.5));
    assert!(
        has_target("jobs_created_since_2016", 2020, 60_000.0),
        "PAI reading 1"
    );
    assert!(has_target("jobs", 2020, 100_000.0), "PAI reading 2");
    assert!(has_target("exports_legacy", 2020, 16.0), "PAI reading 2");
    assert!(
        has_target("export_gain_since_2014", 2020, 18.0),
        "PAI reading 1"
    );
    assert!(has_target("jobs", 2026, 190_000.0), "Digital Morocco 2026");
    assert!(
        has_target("exports_legacy", 2026, 25.0),
        "Digital Morocco 2026"
    );
    // The export series break is marked.
    assert!(
        model
            .series_breaks
            .iter()
            .any(|b| b.variable == "exports" && b.year == 2024)
    );
    // Both languages everywhere a person reads.
    for v in &model.variables {
        assert!(!v.label.fr.is_empty() && !v.label.en.is_empty(), "{}", v.id);
        assert!(!v.unit.fr.is_empty() && !v.unit.en.is_empty(), "{}", v.id);
    }
    for l in &model.levers {
        assert!(
            !l.description.fr.is_empty() && !l.description.en.is_empty(),
            "{}",
            l.id
        );
    }
}

#[test]
fn default_model_has_the_levers_and_segments_the_plans_name() {
    let m = default_model();
    for lever in [
        "demand_growth",
        "training_output",
        "capture_share",
        "attrition",
        "productivity_growth",
        "value_shift",
        "incentives",
    ] {
        assert!(m.lever_index(lever).is_some(), "lever {lever}");
    }
    for seg in ["crm", "bpo", "ito", "eso", "kpo"] {
        for v in ["segment_jobs", "segment_revenue_per_job", "segment_exports"] {
            assert!(m.var_index(&format!("{v}[{seg}]")).is_some(), "{v}[{seg}]");
        }
    }
    for v in ["companies", "investment", "hires_needed", "talent_supply"] {
        assert!(m.var_index(v).is_some(), "{v}");
    }
    assert_eq!(m.times().first(), Some(&2014.0));
    assert_eq!(m.times().last(), Some(&2035.0));
}

#[test]
fn training_output_constrains_jobs() {
    // The talent pipeline binds: more people trained, more jobs by 2030.
    let m = default_model();
    let jobs = m.var_index("jobs").unwrap();
    let at = |training: f64| {
        let levers = m.levers_with([("training_output", training)]).unwrap();
        m.run(&levers).value(jobs, 2030).unwrap()
    };
    assert!(at(100_000.0) > at(60_000.0) + 10_000.0);
    assert!(at(30_000.0) < at(60_000.0));
    // History does not move with the levers.
    let levers = m.levers_with([("training_output", 150_000.0)]).unwrap();
    let base = m.run(&m.default_levers());
    let moved = m.run(&levers);
    assert_eq!(base.value(jobs, 2024), moved.value(jobs, 2024));
}

#[test]
fn golden_results_of_the_default_run() {
    let m = default_model();
    let run = m.run(&m.default_levers());
    let csv = to_csv(&m, &run);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/morocco_default.csv"
    );
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &csv).unwrap();
    }
    let golden = std::fs::read_to_string(path).expect("golden file (UPDATE_GOLDEN=1 writes it)");
    let mut got = csv.lines();
    let mut want = golden.lines();
    assert_eq!(got.next(), want.next(), "header");
    for (g, w) in got.zip(want) {
        for (a, b) in g.split(',').zip(w.split(',')) {
            let (a, b): (f64, f64) = (a.parse().unwrap(), b.parse().unwrap());
            assert!(
                (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                "{a} != {b} in row {g}"
            );
        }
    }
    assert_eq!(csv.lines().count(), golden.lines().count());
}

#[test]
fn every_shipped_model_compiles() {
    for (id, text) in SHIPPED_MODELS {
        let m = trajectoire::model::load::compile_text(text, None)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(&m.model().id, id);
    }
}
