//! Calibration: known parameters recovered from synthetic data, and the
//! default model's hindcast (fitted on data up to 2018, checked on 2019-2024).

use trajectoire::model::calibrate::{CalibrateError, calibrate};
use trajectoire::model::def::{Observation, Source};
use trajectoire::model::load::{compile_text, default_model};
use trajectoire::model::{CompiledModel, compile};

/// Stock k grows at g %/yr from k0: the answer is known in closed form.
fn growth_model() -> CompiledModel {
    let text = r#"Model(
    format_version: 1, id: "growth", version: "1",
    name: (fr: "", en: ""), sector: (fr: "", en: ""), country: (fr: "", en: ""),
    currency: "", start_year: 2010, end_year: 2030, last_observed_year: 2024,
    levers: [
        (id: "k0", label: (fr: "k0", en: "k0"), unit: (fr: "", en: ""), min: 10, max: 1000, default: 100, step: 1, calibration: true),
        (id: "g", label: (fr: "g", en: "g"), unit: (fr: "", en: ""), min: -5, max: 20, default: 2, step: 0.1, calibration: true),
        (id: "unused", label: (fr: "u", en: "u"), unit: (fr: "", en: ""), min: 0, max: 1, default: 0.5, step: 0.1),
    ],
    variables: [
        (id: "k", label: (fr: "", en: ""), unit: (fr: "", en: ""), kind: Stock(initial: "k0", change: "prev(k) * g / 100")),
        (id: "twice", label: (fr: "", en: ""), unit: (fr: "", en: ""), kind: Aux(equation: "2 * k")),
    ],
)"#;
    compile_text(text, None).unwrap_or_else(|e| panic!("{e}"))
}

/// The growth model with observations made by the model itself at `k0`, `g`.
fn with_synthetic_data(k0: f64, g: f64, years: &[i32]) -> CompiledModel {
    let m = growth_model();
    let truth = m.levers_with([("k0", k0), ("g", g)]).unwrap();
    let run = m.run(&truth);
    let k = m.var_index("k").unwrap();
    let twice = m.var_index("twice").unwrap();
    let mut def = m.model().clone();
    for &y in years {
        for (var, id) in [(k, "k"), (twice, "twice")] {
            def.observations.push(Observation {
                variable: id.into(),
                year: y,
                value: run.value(var, y).unwrap(),
                source: Source {
                    title: "synthetic".into(),
                    ..Default::default()
                },
                definition: None,
                fit: None,
            });
        }
    }
    compile(def).unwrap()
}

#[test]
fn calibration_recovers_known_parameters_from_synthetic_data() {
    let m = with_synthetic_data(250.0, 7.5, &[2010, 2013, 2016, 2020]);
    let start = m.default_levers();
    let c = calibrate(&m, &start, &[0, 1], 2024).unwrap();
    assert!((c.levers[0] - 250.0).abs() < 250.0 * 1e-4, "{:?}", c.levers);
    assert!((c.levers[1] - 7.5).abs() < 1e-3, "{:?}", c.levers);
    assert_eq!(c.levers[2], start[2], "a lever not chosen keeps its value");
    for f in &c.fit {
        assert!(f.mape_pct < 0.01, "{} {}", f.variable, f.mape_pct);
    }
    assert!(c.holdout.is_empty(), "every observation was used");
}

#[test]
fn a_hindcast_predicts_the_years_it_did_not_see() {
    // Exact data: fitted on 2010-2016, the 2020 points are predicted too.
    let m = with_synthetic_data(80.0, 4.0, &[2010, 2012, 2016, 2020]);
    let c = calibrate(&m, &m.default_levers(), &[0, 1], 2016).unwrap();
    assert_eq!(c.up_to, 2016);
    assert!(
        c.fit
            .iter()
            .all(|f| f.points.iter().all(|p| p.year <= 2016))
    );
    assert!(!c.holdout.is_empty());
    for f in &c.holdout {
        assert!(f.points.iter().all(|p| p.year == 2020));
        assert!(f.mape_pct < 0.05, "{} {}", f.variable, f.mape_pct);
    }
}

#[test]
fn calibrating_one_lever_leaves_the_other() {
    // Only g is fitted, with k0 known: g is still recovered.
    let m = with_synthetic_data(100.0, 11.0, &[2012, 2018]);
    let c = calibrate(&m, &m.default_levers(), &[1], 2024).unwrap();
    assert_eq!(c.levers[0], 100.0);
    assert!((c.levers[1] - 11.0).abs() < 1e-3, "{:?}", c.levers);
}

#[test]
fn a_value_outside_the_range_stops_at_the_bound() {
    // The data need g = 25, above the lever's maximum of 20.
    let m = with_synthetic_data(100.0, 2.0, &[]);
    let mut def = m.model().clone();
    def.observations.push(Observation {
        variable: "k".into(),
        year: 2014,
        value: 100.0 * 1.25f64.powi(4),
        source: Source {
            title: "synthetic".into(),
            ..Default::default()
        },
        definition: None,
        fit: None,
    });
    let m = compile(def).unwrap();
    let c = calibrate(&m, &m.default_levers(), &[1], 2024).unwrap();
    assert_eq!(c.levers[1], 20.0);
}

#[test]
fn calibration_without_levers_or_data_says_why() {
    let m = with_synthetic_data(100.0, 2.0, &[2020]);
    assert_eq!(
        calibrate(&m, &m.default_levers(), &[], 2024).unwrap_err(),
        CalibrateError::NoLevers
    );
    assert_eq!(
        calibrate(&m, &m.default_levers(), &[0], 2015).unwrap_err(),
        CalibrateError::NoObservations(2015)
    );
}

#[test]
fn default_model_hindcast_from_2018() {
    let m = default_model();
    // Run levers (an arrayed lever's elements each one), as calibrate takes.
    let chosen: Vec<usize> = (0..m.levers().len())
        .filter(|&l| m.levers()[l].calibration)
        .collect();
    assert_eq!(
        chosen.len(),
        14,
        "the default model's history levers (docs/model.md)"
    );
    let start = m.default_levers();
    let c = calibrate(&m, &start, &chosen, 2018).unwrap();
    // In-sample, the fit is no worse than the shipped calibration's.
    let shipped = trajectoire::model::fit::fit_years(&m, &m.run(&start), i32::MIN..=2018);
    let sse = |f: &[trajectoire::model::fit::VariableFit]| -> f64 {
        f.iter()
            .flat_map(|v| &v.points)
            .map(|p| p.error * p.error)
            .sum()
    };
    assert!(sse(&c.fit) <= sse(&shipped) + 1e-12);
    let jobs_2024 = c
        .holdout
        .iter()
        .find(|f| f.variable == "jobs")
        .and_then(|f| f.points.iter().find(|p| p.year == 2024))
        .expect("2024 jobs are out of sample");
    for f in c.fit.iter().chain(&c.holdout) {
        eprintln!("{} MAPE {:.1} %", f.variable, f.mape_pct);
    }
    eprintln!(
        "levers {:?}, jobs 2024 {:.0} vs {:.0}, {} runs",
        chosen.iter().map(|&l| c.levers[l]).collect::<Vec<_>>(),
        jobs_2024.model,
        jobs_2024.observed,
        c.runs
    );
    assert!(jobs_2024.model.is_finite());
}

#[test]
fn an_element_s_observation_counts_and_a_bound_only_when_broken() {
    use trajectoire::model::fit::{fit, residual};
    let m = trajectoire::model::load::default_model();
    let run = m.run(&m.default_levers());
    let fitted = fit(&m, &run);
    assert!(
        fitted.iter().any(|f| f.variable == "segment_exports[crm]"),
        "an observation of one element is fitted"
    );
    let mut o = m.model().observations[0].clone();
    o.value = 100.0;
    o.definition = Some("lower bound".into());
    assert_eq!(residual(&o, 120.0), 0.0, "above a lower bound: no error");
    assert!(
        (residual(&o, 90.0) + 0.1).abs() < 1e-12,
        "below it: the shortfall"
    );
    o.definition = Some("upper bound".into());
    assert_eq!(residual(&o, 90.0), 0.0);
    o.definition = None;
    assert!((residual(&o, 90.0) + 0.1).abs() < 1e-12);
}
