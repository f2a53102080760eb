//! Version 2 of the Morocco offshoring model (`assets/models/morocco_offshoring.ron`,
//! 2.1.0, the default since issue 16), measured beside version 1
//! (`assets/models/morocco_offshoring_v1.ron`) and version 2.0.0
//! (`assets/models/morocco_offshoring_v2_0.ron`), both still shipped for
//! their scenarios:
//!
//! 0. the baseline's 2024 jobs and exports, the last observed year the
//!    projection starts from (issue 28: within 2 % of 148,500 and 26.2 bn MAD);
//! 1. the mean absolute percentage error on every fitted observation, each fact once;
//! 2. the hindcast: every calibration lever fitted on the observations up to 2018 only,
//!    from priors that owe nothing to later data, and its errors on 2024 jobs and exports;
//! 3. the training output that reaches 270,000 jobs in 2030 (goal seek), and its 5-95 %
//!    range under the model's uncertainty (Monte Carlo, re-solved in every run);
//! 4. the odds of the two 2030 targets, each and both.
//!
//! Run with `cargo test --test default_model_v2 -- --nocapture` to see the figures.

use std::collections::HashSet;

use trajectoire::model::CompiledModel;
use trajectoire::model::calibrate::calibrate;
use trajectoire::model::fit::{FitPoint, fit};
use trajectoire::model::load::compile_text;
use trajectoire::model::mc::Design;
use trajectoire::model::solve::goal_seek;

const V1: &str = "assets/models/morocco_offshoring_v1.ron";
const V2: &str = "assets/models/morocco_offshoring.ron";
const V2_0: &str = "assets/models/morocco_offshoring_v2_0.ron";

/// Monte Carlo runs: a few hundred keep the test near ten seconds in debug.
const MC_RUNS: usize = 300;
const MC_SEED: u64 = 16;

fn load(rel: &str) -> CompiledModel {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    compile_text(&text, Some(&path)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn lever(m: &CompiledModel, id: &str) -> usize {
    m.lever_index(id)
        .unwrap_or_else(|| panic!("no lever `{id}`"))
}

fn var(m: &CompiledModel, id: &str) -> usize {
    m.var_index(id)
        .unwrap_or_else(|| panic!("no variable `{id}`"))
}

fn target(m: &CompiledModel, id: &str) -> usize {
    m.model()
        .targets
        .iter()
        .position(|t| t.id == id)
        .unwrap_or_else(|| panic!("no target `{id}`"))
}

/// The priors the v2 hindcast starts from: values chosen before any fit,
/// from the sources or neutral, never from the observations after 2018
/// (docs/model.md, "Priors of the hindcast").
const V2_PRIORS: &[(&str, f64)] = &[
    ("hist_demand_growth", 0.0),
    ("incentive_effect", 5.0),
    ("hist_productivity_growth", 0.0),
    ("hist_value_shift", 0.0),
    ("jobs_2013", 65_000.0),
    ("digital_share_2013", 20.0),
    ("rpj_lang_2013", 100.0),
    ("rpj_ratio", 2.2),
    ("destruction_rate", 10.0),
    ("perimeter_factor_lang", 1.23),
    ("hist_capture_share[lang]", 40.0),
    ("hist_capture_share[digital]", 60.0),
    ("capex_per_created_job", 20.0),
    // No nearshoring demand is known in 2018: it acts from 2019 only.
    ("hist_nearshoring", 0.0),
];

struct Figures {
    /// The baseline's 2024 jobs and exports (the default levers).
    jobs_2024: f64,
    exports_2024: f64,
    /// Every fitted point, each fact (variable and year) once.
    points: Vec<FitPoint>,
    mape_pct: f64,
    /// The calibration levers the hindcast moved from their priors though
    /// no observation up to 2018 depends on them (none should).
    hind_unlearnt: Vec<(String, f64)>,
    /// Hindcast errors on 2024 jobs and exports, in percent.
    hind_jobs_pct: f64,
    hind_exports_pct: f64,
    hind_jobs: f64,
    hind_exports: f64,
    /// Goal seek at the default levers: value, result, reached.
    seek: (f64, f64, bool),
    /// Training needed, re-solved in each Monte Carlo run: 5th, 50th and
    /// 95th percentiles (infinite where no value in range reaches the target)
    /// and the share of runs where some value reaches it.
    seek_pct: [f64; 3],
    seek_reachable: f64,
    /// The training lever's top value (where "none" is said to stop).
    seek_max: f64,
    /// The 2030 jobs the training lever reaches at best in each run (its
    /// top value where no value meets the target): 5th, 50th, 95th.
    seek_best_pct: [f64; 3],
    /// Odds of the 2030 jobs target, the exports target, and both.
    odds: [f64; 3],
    /// 5th, 50th and 95th percentiles of 2030 jobs and exports at the defaults.
    jobs_2030: [f64; 3],
    exports_2030: [f64; 3],
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn measure(m: &CompiledModel, priors: &[(&str, f64)], training_lever: &str) -> Figures {
    let defaults = m.default_levers();
    let run = m.run(&defaults);
    assert!(run.is_ok(), "{:?}", run.problems);

    // 1. Fit: each fact once (version 1 lists some facts twice; the first counts).
    let mut seen = HashSet::new();
    let points: Vec<FitPoint> = fit(m, &run)
        .into_iter()
        .flat_map(|f| f.points)
        .filter(|p| seen.insert((p.variable.clone(), p.year)))
        .collect();
    let mape_pct = 100.0 * points.iter().map(|p| p.error.abs()).sum::<f64>() / points.len() as f64;

    // 2. Hindcast: every calibration lever, fitted on the observations up to 2018.
    let mut start = defaults.clone();
    let priors: Vec<(&str, f64)> = (priors.iter())
        .filter(|p| m.lever_index(p.0).is_some())
        .copied()
        .collect();
    for &(id, v) in &priors {
        start[lever(m, id)] = v;
    }
    let chosen: Vec<usize> = (0..m.levers().len())
        .filter(|&i| m.levers()[i].calibration)
        .collect();
    for &(id, _) in &priors {
        assert!(
            chosen.contains(&lever(m, id)),
            "{id} is a calibration lever"
        );
    }
    // Every calibration lever starts from a prior: none may bring into the
    // hindcast a value fitted on later data.
    for &l in chosen.iter().filter(|_| !priors.is_empty()) {
        let id = &m.levers()[l].id;
        assert!(priors.iter().any(|p| p.0 == id), "{id} has a prior");
    }
    let cal = calibrate(m, &start, &chosen, 2018).expect("calibration to 2018");
    let (jobs, exports) = (var(m, "jobs"), var(m, "exports"));
    let hind_unlearnt = (priors.iter())
        .filter(|p| p.0 == "hist_nearshoring")
        .map(|&(id, v)| (id.to_string(), cal.levers[lever(m, id)] - v))
        .collect();
    let hind_jobs = cal.run.value(jobs, 2024).unwrap();
    let hind_exports = cal.run.value(exports, 2024).unwrap();

    // 3. Goal seek on training, at the defaults and in every Monte Carlo run.
    let t_jobs = target(m, "cp2030_jobs");
    let l = lever(m, training_lever);
    let s = goal_seek(m, &defaults, t_jobs, l).expect("goal seek");
    let design = Design::new(m, MC_SEED, MC_RUNS);
    let mut sample = defaults.clone();
    let mut needed = Vec::with_capacity(MC_RUNS);
    let mut best = Vec::with_capacity(MC_RUNS);
    let (mut hit_jobs, mut hit_exports, mut hit_both) = (0, 0, 0);
    let (mut jobs_30, mut exports_30) = (Vec::new(), Vec::new());
    for i in 0..MC_RUNS {
        design.sample(i, &defaults, &mut sample);
        // 4. The odds, at the sampled levers.
        let r = m.run(&sample);
        jobs_30.push(r.value(jobs, 2030).unwrap());
        exports_30.push(r.value(exports, 2030).unwrap());
        let j = jobs_30[i] >= 270_000.0;
        let e = exports_30[i] >= 40.0;
        hit_jobs += j as usize;
        hit_exports += e as usize;
        hit_both += (j && e) as usize;
        let g = goal_seek(m, &sample, t_jobs, l).expect("goal seek");
        needed.push(if g.reached { g.value } else { f64::INFINITY });
        best.push(g.achieved.min(270_000.0));
    }
    best.sort_by(f64::total_cmp);
    let reachable = needed.iter().filter(|x| x.is_finite()).count() as f64 / MC_RUNS as f64;
    needed.sort_by(f64::total_cmp);
    jobs_30.sort_by(f64::total_cmp);
    exports_30.sort_by(f64::total_cmp);
    let pct = |v: &[f64]| [percentile(v, 0.05), percentile(v, 0.5), percentile(v, 0.95)];
    let n = MC_RUNS as f64;
    Figures {
        jobs_2024: run.value(jobs, 2024).unwrap(),
        exports_2024: run.value(exports, 2024).unwrap(),
        hind_unlearnt,
        points,
        mape_pct,
        hind_jobs_pct: 100.0 * (hind_jobs - 148_500.0) / 148_500.0,
        hind_exports_pct: 100.0 * (hind_exports - 26.22) / 26.22,
        hind_jobs,
        hind_exports,
        seek: (s.value, s.achieved, s.reached),
        seek_pct: [
            percentile(&needed, 0.05),
            percentile(&needed, 0.5),
            percentile(&needed, 0.95),
        ],
        seek_reachable: reachable,
        seek_max: m.levers()[l].max,
        seek_best_pct: pct(&best),
        odds: [
            hit_jobs as f64 / n,
            hit_exports as f64 / n,
            hit_both as f64 / n,
        ],
        jobs_2030: pct(&jobs_30),
        exports_2030: pct(&exports_30),
    }
}

/// Three figures as `a / b / c`, with `decimals` and a `suffix` after the last.
fn three(v: [f64; 3], decimals: usize, suffix: &str) -> String {
    let [a, b, c] = v;
    format!("{a:.decimals$} / {b:.decimals$} / {c:.decimals$}{suffix}")
}

fn people(x: f64, max: f64) -> String {
    if x.is_finite() {
        format!("{x:.0}")
    } else {
        format!("none <= {max:.0}")
    }
}

/// The world demand growth from 2025 that reaches 270,000 jobs in 2030 with
/// the digital plan (100,000 a year, lnt.ma), 60,000 a year in languages and
/// aid on the 2016 terms for every job created (a budget the coverage never
/// binds), at the defaults; and its 5-50-95 % range, re-solved in each
/// Monte Carlo run with the plan's policy choices held and every other
/// uncertain lever drawn (infinite where no value in range reaches it).
fn demand_needed(m: &CompiledModel) -> (trajectoire::model::solve::Seek, [f64; 3]) {
    const PLAN: [(&str, f64); 3] = [
        ("training_output[digital]", 100_000.0),
        ("training_output[lang]", 60_000.0),
        ("incentive_budget", 4.0),
    ];
    let mut plan = m.default_levers();
    for (id, x) in PLAN {
        plan[lever(m, id)] = x;
    }
    let (dg, t) = (lever(m, "demand_growth"), target(m, "cp2030_jobs"));
    let need = goal_seek(m, &plan, t, dg).expect("goal seek");
    let design = Design::new(m, MC_SEED, MC_RUNS);
    let mut sample = plan.clone();
    let mut demand = Vec::with_capacity(MC_RUNS);
    for i in 0..MC_RUNS {
        design.sample(i, &plan, &mut sample);
        for (id, x) in PLAN {
            sample[lever(m, id)] = x;
        }
        let g = goal_seek(m, &sample, t, dg).expect("goal seek");
        demand.push(if g.reached { g.value } else { f64::INFINITY });
    }
    demand.sort_by(f64::total_cmp);
    let range = [0.05, 0.5, 0.95].map(|q| percentile(&demand, q));
    (need, range)
}

#[test]
fn version_2_against_version_1_the_four_figures() {
    let v1 = load(V1);
    let v20 = load(V2_0);
    let v2 = load(V2);
    // Version 1's hindcast starts from its shipped values: they were set on
    // every year's data, which is what issue 16 points out.
    let f1 = measure(&v1, &[], "training_output");
    let f20 = measure(&v20, V2_PRIORS, "training_output[digital]");
    let f2 = measure(&v2, V2_PRIORS, "training_output[digital]");

    println!("\nVersion 2: every fitted observation (each fact once)");
    for p in &f2.points {
        println!(
            "  {:<30} {} observed {:>12.3} model {:>12.3} error {:>+6.1} %",
            p.variable,
            p.year,
            p.observed,
            p.model,
            100.0 * p.error
        );
    }
    // One row: its label, then each version's figure, formatted alike.
    let row = |label: &str, cell: &dyn Fn(&Figures) -> String| {
        println!(
            "{label:<58} {:>22} {:>22} {:>22}",
            cell(&f1),
            cell(&f20),
            cell(&f2)
        );
    };
    println!(
        "\n{:<58} {:>22} {:>22} {:>22}",
        "", "version 1", "version 2.0.0", "version 2.1.0"
    );
    row("0. baseline: 2024 jobs (148,500)", &|f| {
        let pct = 100.0 * (f.jobs_2024 / 148_500.0 - 1.0);
        format!("{:.0} ({pct:+.1} %)", f.jobs_2024)
    });
    row("   baseline: 2024 exports (26.22 bn MAD)", &|f| {
        let pct = 100.0 * (f.exports_2024 / 26.22 - 1.0);
        format!("{:.2} ({pct:+.1} %)", f.exports_2024)
    });
    row("1. MAPE on the fitted observations, each fact once", &|f| {
        format!("{:.2} % ({} facts)", f.mape_pct, f.points.len())
    });
    row("2. hindcast fitted to 2018: 2024 jobs (148,500)", &|f| {
        format!("{:.0} ({:+.1} %)", f.hind_jobs, f.hind_jobs_pct)
    });
    row(
        "   hindcast fitted to 2018: 2024 exports (26.22 bn MAD)",
        &|f| format!("{:.2} ({:+.1} %)", f.hind_exports, f.hind_exports_pct),
    );
    row(
        "3. training for 270,000 jobs in 2030 (v2: digital pool)",
        &|f| {
            if f.seek.2 {
                format!("{:.0} /yr", f.seek.0)
            } else {
                format!("none (best {:.0} jobs)", f.seek.1)
            }
        },
    );
    row("   5-50-95 % under uncertainty (re-solved per run)", &|f| {
        let p = f.seek_pct.map(|x| people(x, f.seek_max));
        p.join(" / ")
    });
    row(
        "   share of runs where some training output reaches it",
        &|f| format!("{:.0} %", 100.0 * f.seek_reachable),
    );
    row(
        "   2030 jobs training alone reaches at best, 5-50-95 %",
        &|f| three(f.seek_best_pct, 0, ""),
    );
    row("4. odds: 270,000 jobs / 40 bn MAD / both, 2030", &|f| {
        three(f.odds.map(|x| 100.0 * x), 0, " %")
    });
    row("   2030 jobs, 5-50-95 %, default levers", &|f| {
        three(f.jobs_2030, 0, "")
    });
    row(
        "   2030 exports (bn MAD), 5-50-95 %, default levers",
        &|f| three(f.exports_2030, 1, ""),
    );
    println!("({MC_RUNS} Monte Carlo runs, seed {MC_SEED}, over each model's uncertain levers)\n");
    // What it takes in version 2, since training alone does not: the world
    // demand growth that reaches 270,000 jobs with the plan, and its range.
    let (need20, range20) = demand_needed(&v20);
    let (need, [lo, mid, hi]) = demand_needed(&v2);
    for (name, m, need, [lo, mid, hi]) in [
        ("2.0.0", &v20, &need20, range20),
        ("2.1.0", &v2, &need, [lo, mid, hi]),
    ] {
        let dg = lever(m, "demand_growth");
        println!(
            "v{name}, what it takes: demand growth {:.2} %/yr (default {:.2}) with the digital plan, \
             60,000 a year in languages and aid for every job created ({}); \
             5-50-95 % under uncertainty: {lo:.2} / {mid:.2} / {hi:.2} %/yr",
            need.value,
            m.levers()[dg].default,
            if need.reached {
                "reached"
            } else {
                "not reached"
            }
        );
    }
    let dg = lever(&v2, "demand_growth");
    assert!(need.reached && need.value > v2.levers()[dg].default + 1.0);
    assert!(lo <= need.value + 0.5 && need.value <= hi + 0.5 && hi.is_finite());

    // 0. The projection starts from the last observed year: the baseline's
    // 2024 jobs and exports within 2 % of 148,500 and 26.2 bn MAD (issue 28),
    // where version 2.0.0 left jobs 6 % short.
    let within = |x: f64, of: f64| (x / of - 1.0).abs() < 0.02;
    assert!(
        within(f2.jobs_2024, 148_500.0),
        "2024 jobs {:.0}",
        f2.jobs_2024
    );
    assert!(
        within(f2.exports_2024, 26.2),
        "2024 exports {:.2}",
        f2.exports_2024
    );
    assert!(
        !within(f20.jobs_2024, 148_500.0),
        "version 2.0.0 is kept as it was"
    );
    // The nearshoring demand acts from 2019: the hindcast to 2018 learns
    // nothing of it and keeps its prior, 0.
    assert_eq!(f2.hind_unlearnt.len(), 1, "{:?}", f2.hind_unlearnt);
    for (id, moved) in &f2.hind_unlearnt {
        assert!(moved.abs() < 1e-6, "the hindcast moved {id} by {moved}");
    }

    // 1. Every fitted fact once, and the mean error under 5 %.
    assert!(f2.mape_pct < 5.0, "v2 MAPE {:.2} %", f2.mape_pct);
    for v in [
        "jobs",
        "jobs_in_may",
        "net_job_creation",
        "net_jobs_2y",
        "jobs_created_since_2014",
        "jobs_created_since_2016",
        "exports",
        "exports_legacy",
        "pool_exports_legacy[digital]",
        "segment_exports[crm]",
        "segment_exports[bpo]",
        "segment_exports[ito]",
        "segment_exports[eso]",
        "segment_exports[kpo]",
        "investment_since_2016",
    ] {
        assert!(f2.points.iter().any(|p| p.variable == v), "{v} is fitted");
    }
    // The lower bound is met: it counts only by how far it is broken.
    let bound = f2
        .points
        .iter()
        .find(|p| p.variable == "jobs_created_since_2016" && p.year == 2018)
        .unwrap();
    let short = (bound.model / bound.observed - 1.0).min(0.0);
    assert!((bound.error - short).abs() < 1e-12, "{bound:?}");
    let obs = &v2.model().observations;
    let facts: HashSet<(&str, i32)> = obs.iter().map(|o| (o.variable.as_str(), o.year)).collect();
    assert_eq!(facts.len(), obs.len(), "one observation per fact");
    // 2. The hindcast, fitted to 2018 only, within 10 % on 2024 jobs and exports.
    assert!(f2.hind_jobs_pct.abs() < 10.0, "{:+.1} %", f2.hind_jobs_pct);
    assert!(
        f2.hind_exports_pct.abs() < 10.0,
        "{:+.1} %",
        f2.hind_exports_pct
    );
    // 3. UNMET AS FRAMED: the brief asks for the training output that reaches
    // 270,000 jobs in 2030 and its 5-95 % range. Version 2's answer to "what
    // training output reaches 270,000 jobs in 2030?" is that none does at the
    // default levers, nor in any Monte Carlo run: demand, not talent,
    // caps 2030 jobs once the digital pipeline is full (the first graduates of
    // a 2025 change arrive in 2028). Asserted as the model's finding, so that
    // a change of structure or calibration that alters it is seen.
    assert!(!f2.seek.2, "v2: training alone now reaches 270,000 jobs");
    assert!(
        f2.seek.1 < 270_000.0 && f2.seek.1 > 190_000.0,
        "{}",
        f2.seek.1
    );
    assert!(f2.seek_reachable < 0.5);
    // Version 1 answers with one precise figure (issue 16 quotes 115,787 a year).
    assert!(f1.seek.2, "{:?}", f1.seek);
    // 4. The odds are probabilities, and both targets never beat either one.
    for f in [&f1, &f2] {
        assert!(f.odds[2] <= f.odds[0].min(f.odds[1]) + 1e-12);
    }
}

#[test]
fn version_2_keeps_every_sourced_figure_and_target_of_version_1() {
    let v1 = load(V1);
    let v2 = load(V2);
    let (m1, m2) = (v1.model(), v2.model());
    assert_eq!(m2.id, "morocco-offshoring");
    assert_eq!(m2.version, "2.1.0");
    // Every figure of version 1 is an observation of version 2 in the same
    // year (26.2 and 26.22 for 2024 exports are one fact: 26.22, the other in its note).
    for o in &m1.observations {
        assert!(
            m2.observations.iter().any(|p| p.year == o.year
                && (p.value - o.value).abs() <= 0.001 * o.value.abs()
                && !p.source.title.is_empty()),
            "{} {} = {} is kept",
            o.variable,
            o.year,
            o.value
        );
    }
    for t in &m1.targets {
        assert!(
            m2.targets.iter().any(|u| u.id == t.id
                && u.variable == t.variable
                && u.year == t.year
                && u.value == t.value),
            "target {} is kept",
            t.id
        );
    }
    // Lower bounds are marked as such, on the variables themselves.
    for (v, y) in [("jobs_created_since_2016", 2018), ("companies", 2024)] {
        let o = m2
            .observations
            .iter()
            .find(|o| o.variable == v && o.year == y)
            .unwrap();
        assert_eq!(o.definition.as_deref(), Some("lower bound"), "{v}");
    }
    // The series break shows on every chart of exports: one break on each
    // arrayed variable covers all its elements.
    for c in &m2.charts {
        let exports_chart = c.series.iter().any(|s| s.contains("exports"));
        let broken = m2
            .series_breaks
            .iter()
            .any(|b| b.year == 2024 && c.series.iter().any(|s| b.on(s)));
        assert!(!exports_chart || broken, "chart {} shows the break", c.id);
    }
    for s in [
        "segment_exports[crm]",
        "segment_exports[kpo]",
        "pool_exports[digital]",
    ] {
        assert!(
            m2.series_breaks.iter().any(|b| b.year == 2024 && b.on(s)),
            "{s} shows the break"
        );
    }
    // No scalar copies made only for the fit: observations sit on the
    // elements, and the bound on the variable itself.
    for id in [
        "exports_crm",
        "exports_bpo",
        "exports_ito",
        "exports_eso",
        "exports_kpo",
        "digital_exports_legacy",
        "jobs_created_2016_2018_bound",
    ] {
        assert!(m2.variable(id).is_none(), "{id} is gone");
    }
    // No units warning.
    assert!(v2.warnings().is_empty(), "{:#?}", v2.warnings());
    // Every unobserved parameter of the history is a calibration lever.
    for id in V2_PRIORS.iter().map(|p| p.0) {
        assert!(v2.levers()[lever(&v2, id)].calibration, "{id}");
    }
}

#[test]
fn version_2_structure_delays_pools_costs_and_aid() {
    let m = load(V2);
    let d = m.default_levers();
    let base = m.run(&d);
    let at =
        |run: &trajectoire::model::sim::Run, v: &str, y: i32| run.value(var(&m, v), y).unwrap();
    let with = |pairs: &[(&str, f64)]| {
        let mut l = d.clone();
        for &(id, v) in pairs {
            l[lever(&m, id)] = v;
        }
        m.run(&l)
    };
    // Training takes years: digital trainees of 2025 reach the market in 2028.
    let trained = with(&[("training_output[digital]", 100_000.0)]);
    for y in 2025..=2027 {
        assert_eq!(
            at(&trained, "graduates[digital]", y),
            at(&base, "graduates[digital]", y),
            "{y}"
        );
    }
    assert!(
        at(&trained, "graduates[digital]", 2028) > at(&base, "graduates[digital]", 2028) + 50_000.0
    );
    // Each pool has its own lever: languages training does not feed digital jobs.
    let lang = with(&[("training_output[lang]", 120_000.0)]);
    assert_eq!(
        at(&lang, "pool_jobs[digital]", 2030),
        at(&base, "pool_jobs[digital]", 2030)
    );
    // History does not move with the policy levers.
    let moved = with(&[
        ("incentive_budget", 0.0),
        ("wage_gap", 2.0),
        ("automation_pressure", 4.0),
    ]);
    assert_eq!(at(&moved, "jobs", 2024), at(&base, "jobs", 2024));
    // Aid matters in proportion: none at all costs a large share of 2030 jobs,
    // and a fixed budget's effect fades as the sector grows.
    let no_aid = with(&[("incentive_budget", 0.0)]);
    let loss = 1.0 - at(&no_aid, "jobs", 2030) / at(&base, "jobs", 2030);
    println!("2030 jobs without aid: {:.1} % fewer", 100.0 * loss);
    assert!(loss > 0.15, "{loss}");
    assert!(at(&base, "aid_coverage", 2030) < at(&base, "aid_coverage", 2026));
    // Costs and automation move demand the expected way.
    let dear = with(&[("wage_gap", 2.0)]);
    assert!(at(&dear, "jobs", 2030) < at(&base, "jobs", 2030));
    let automated = with(&[("automation_pressure", 4.0)]);
    assert!(at(&automated, "segment_jobs[crm]", 2030) < at(&base, "segment_jobs[crm]", 2030));
    // Revenue per job: KPO not below CRM, and the total rising on each perimeter.
    for y in [2013, 2024, 2030] {
        assert!(
            at(&base, "segment_revenue_per_job[kpo]", y)
                >= at(&base, "segment_revenue_per_job[crm]", y)
        );
    }
    assert!(at(&base, "revenue_per_job_legacy", 2018) > at(&base, "revenue_per_job_legacy", 2013));
    assert!(at(&base, "revenue_per_job", 2024) > at(&base, "revenue_per_job", 2018));
    // Job destruction is a flow of the jobs stock: gross creation exceeds net.
    assert!(at(&base, "gross_job_creation", 2020) > at(&base, "net_job_creation", 2020) + 10_000.0);
}

/// The default model carries the hindcast's priors itself (`Lever::prior`),
/// the ones this test and docs/model.md list: a hindcast through the
/// command line or the window starts from them.
#[test]
fn the_model_carries_the_documented_priors() {
    let m = trajectoire::model::load::default_model();
    let mut seen = 0;
    for l in m.levers().iter().filter(|l| l.calibration) {
        let want = V2_PRIORS.iter().find(|p| p.0 == l.id);
        let want = want
            .unwrap_or_else(|| panic!("{} is not in V2_PRIORS", l.id))
            .1;
        assert_eq!(l.prior, Some(want), "{}", l.id);
        seen += 1;
    }
    assert_eq!(seen, V2_PRIORS.len());
}
