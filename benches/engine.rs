//! One full run of version 1 of the default model (still shipped) through the
//! engine, beside the same equations written by hand in Rust (same outputs:
//! every variable, every year); then 10,000 Monte Carlo runs, against 10,000
//! samples of the hand-written model. Then the default model, version 2: one
//! run, 64 runs in a batch, and 10,000 Monte Carlo runs.
//!
//! cargo bench --bench engine

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use trajectoire::model::CompiledModel;
use trajectoire::model::load::{SHIPPED_MODELS, compile_text, default_model};

/// Version 1 of the default model, which the hand-written twin mirrors.
fn version_1() -> CompiledModel {
    let v1 = SHIPPED_MODELS
        .iter()
        .find(|s| s.id == "morocco-offshoring" && s.version == "1.1.0")
        .expect("version 1 ships");
    compile_text(v1.text, None).expect("version 1 compiles")
}

#[path = "common/large_model.rs"]
mod large_model;
use large_model::large_model_text;

/// Output slots of the hand-written model, found once by variable id.
struct Slots {
    ny: usize,
    idx: std::collections::HashMap<&'static str, usize>,
}

impl Slots {
    fn new(m: &CompiledModel) -> Self {
        let mut idx = std::collections::HashMap::new();
        for v in 0..m.n_vars() {
            let id: &'static str = Box::leak(m.series(v).id.clone().into_boxed_str());
            idx.insert(id, v);
        }
        Slots {
            ny: m.times().len(),
            idx,
        }
    }
}

const SEG: [&str; 5] = ["crm", "bpo", "ito", "eso", "kpo"];

/// Resolved output offsets, so the hot loop does no hashing.
struct Out {
    ny: usize,
    o: Vec<usize>,
}

impl Out {
    fn new(s: &Slots, names: &[String]) -> Self {
        Out {
            ny: s.ny,
            o: names.iter().map(|n| s.idx[n.as_str()] * s.ny).collect(),
        }
    }
}

fn names() -> Vec<String> {
    let mut n: Vec<String> = [
        "policy_year",
        "destruction_rate",
        "perimeter_factor",
        "jobs_per_company",
        "capex_per_created_job",
        "demand_growth_eff",
        "incentive_index",
        "incentive_boost",
        "value_shift_eff",
        "attrition_eff",
        "training_eff",
        "capture_eff",
        "productivity_eff",
        "jobs_last_year",
        "expansion_demand",
        "replacement_hires",
        "hires_needed",
        "talent_supply",
        "talent_gap",
        "fill_rate",
        "unfilled_jobs",
        "jobs",
        "net_job_creation",
        "net_jobs_2y",
        "job_destruction",
        "gross_job_creation",
        "jobs_created_since_2014",
        "jobs_created_since_2016",
        "high_value_share",
        "exports",
        "exports_legacy",
        "exports_legacy_2014",
        "export_gain_since_2014",
        "revenue_per_job",
        "companies",
        "investment",
        "investment_since_2016",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for p in [
        "segment_growth",
        "segment_desired_hires",
        "segment_jobs",
        "segment_revenue_per_job",
        "segment_exports",
    ] {
        for s in SEG {
            n.push(format!("{p}[{s}]"));
        }
    }
    n
}

fn incentive_effect(x: f64) -> f64 {
    let (xs, ys) = ([0.0, 1.0, 2.0], [0.0, 9.0, 13.0]);
    if x <= xs[0] {
        return ys[0];
    }
    if x >= xs[2] {
        return ys[2];
    }
    let i = if x <= xs[1] { 1 } else { 2 };
    ys[i - 1] + (ys[i] - ys[i - 1]) * (x - xs[i - 1]) / (xs[i] - xs[i - 1])
}

/// The default model's equations, by hand. Levers in model order:
/// demand_growth, incentives, training_output, capture_share, attrition,
/// productivity_growth, value_shift.
fn hand_written(l: &[f64], out: &Out, v: &mut [f64]) {
    let [
        demand_growth,
        incentives,
        training_output,
        capture_share,
        attrition,
        productivity_growth,
        value_shift,
    ] = [l[0], l[1], l[2], l[3], l[4], l[5], l[6]];
    let tilt = [-1.0, 0.0, 1.0, 1.0, 1.0];
    let mut jobs_s = [34800.0, 6100.0, 12200.0, 4200.0, 170.0];
    let mut rpj = [120.9, 152.5, 319.6, 304.9, 105.1];
    let (mut created14, mut created16, mut exl2014, mut inv16, mut prev_jly) =
        (0.0, 0.0, 0.0, 0.0, 0.0);
    let o = &out.o;
    for yi in 0..out.ny {
        let y = (2014 + yi) as f64;
        let first = yi == 0;
        let policy = 2025.0;
        let destruction_rate = 14.0;
        let perimeter = 26.22 / 1.002 / 17.9;
        let jpc = 148500.0 / 1200.0;
        let capex = 18.5;
        let dg = if y < policy { 4.0 } else { demand_growth };
        let inc = if y < 2016.0 {
            0.0
        } else if y < policy {
            1.0
        } else {
            incentives
        };
        let boost = incentive_effect(inc);
        let vs = if y < policy { 1.0 } else { value_shift };
        let attr = if y < policy { 8.0 } else { attrition };
        let train = if y < policy { 60000.0 } else { training_output };
        let capt = if y < policy { 33.0 } else { capture_share };
        let prod = if y < policy {
            -0.5
        } else {
            productivity_growth
        };
        let mut growth = [0.0; 5];
        let mut desired = [0.0; 5];
        for s in 0..5 {
            growth[s] = match tilt[s] {
                t if t < 0.0 => dg + boost - vs,
                t if t > 0.0 => dg + boost + vs,
                _ => dg + boost,
            };
            desired[s] = jobs_s[s] * growth[s] / 100.0;
        }
        let prev_s = jobs_s;
        let jly = prev_s[0] + prev_s[1] + prev_s[2] + prev_s[3] + prev_s[4];
        let expansion = desired[0].max(0.0)
            + desired[1].max(0.0)
            + desired[2].max(0.0)
            + desired[3].max(0.0)
            + desired[4].max(0.0);
        let repl = attr / 100.0 * jly;
        let hires = expansion + repl;
        let supply = train * capt / 100.0;
        let gap = (hires - supply).max(0.0);
        let fill = if expansion > 0.0 {
            ((supply - repl) / expansion).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let unfilled = (repl - supply).max(0.0);
        if !first {
            for s in 0..5 {
                jobs_s[s] = prev_s[s]
                    + (fill * desired[s].max(0.0) + desired[s].min(0.0)
                        - unfilled * prev_s[s] / jly);
                rpj[s] = rpj[s] + rpj[s] * prod / 100.0;
            }
        }
        let jobs = jobs_s[0] + jobs_s[1] + jobs_s[2] + jobs_s[3] + jobs_s[4];
        let net = jobs - jly;
        let net2 = jobs - if first { jly } else { prev_jly };
        prev_jly = jly;
        let destr = destruction_rate / 100.0 * jly;
        let gross = net + destr;
        created14 = if first { gross } else { created14 + gross };
        created16 = if first {
            0.0
        } else {
            created16 + if y >= 2016.0 { gross } else { 0.0 }
        };
        let hvs = 100.0 * (jobs_s[2] + jobs_s[3] + jobs_s[4]) / jobs;
        let mut ex = [0.0; 5];
        for s in 0..5 {
            ex[s] = jobs_s[s] * rpj[s] / 1e6;
        }
        let exports = ex[0] + ex[1] + ex[2] + ex[3] + ex[4];
        let exl = exports / perimeter;
        if first {
            exl2014 = exl;
        }
        let gain = exl - exl2014;
        let rpj_avg = exports * 1e6 / jobs;
        let companies = jobs / jpc;
        let investment = gross * capex / 1e6;
        inv16 = if first {
            0.0
        } else {
            inv16 + if y >= 2016.0 { investment } else { 0.0 }
        };
        let scalars = [
            policy,
            destruction_rate,
            perimeter,
            jpc,
            capex,
            dg,
            inc,
            boost,
            vs,
            attr,
            train,
            capt,
            prod,
            jly,
            expansion,
            repl,
            hires,
            supply,
            gap,
            fill,
            unfilled,
            jobs,
            net,
            net2,
            destr,
            gross,
            created14,
            created16,
            hvs,
            exports,
            exl,
            exl2014,
            gain,
            rpj_avg,
            companies,
            investment,
            inv16,
        ];
        for (k, x) in scalars.iter().enumerate() {
            v[o[k] + yi] = *x;
        }
        let base = scalars.len();
        for s in 0..5 {
            v[o[base + s] + yi] = growth[s];
            v[o[base + 5 + s] + yi] = desired[s];
            v[o[base + 10 + s] + yi] = jobs_s[s];
            v[o[base + 15 + s] + yi] = rpj[s];
            v[o[base + 20 + s] + yi] = ex[s];
        }
    }
}

fn engine(c: &mut Criterion) {
    let m = version_1();
    let levers = m.default_levers();
    let slots = Slots::new(&m);
    let names = names();
    assert_eq!(
        names.len(),
        m.n_vars(),
        "the hand-written model covers every variable"
    );
    let out = Out::new(&slots, &names);
    let mut hand = vec![0.0; m.n_vars() * slots.ny];

    // The two must agree before their speeds mean anything.
    let mut check_levers = levers.clone();
    check_levers[2] = 120_000.0;
    check_levers[1] = 1.5;
    for l in [&levers, &check_levers] {
        let run = m.run(l);
        hand_written(l, &out, &mut hand);
        for (vi, var) in m.model().variables.iter().enumerate() {
            for (yi, (a, b)) in run
                .series(vi)
                .iter()
                .zip(&hand[vi * slots.ny..])
                .enumerate()
            {
                assert!(
                    (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                    "{} year {}: engine {a}, hand {b}",
                    var.id,
                    2014 + yi
                );
            }
        }
    }

    let mut g = c.benchmark_group("v1_model_run");
    // Lever 2 is version 1's training output.
    one_run_and_a_batch(&mut g, &m, &levers, 2, 40_000.0);
    g.bench_function("hand_written", |b| {
        b.iter(|| {
            hand_written(black_box(&levers), &out, &mut hand);
            black_box(&hand);
        })
    });
    g.finish();

    // Monte Carlo: 10,000 Latin hypercube samples of the uncertain levers.
    use trajectoire::model::mc::{BLOCK, Design, monte_carlo};
    let design = Design::new(&m, 1, 10_000);
    let all: Vec<usize> = (0..m.n_vars()).collect();
    let charted: Vec<usize> = ["jobs", "exports", "exports_legacy", "revenue_per_job"]
        .iter()
        .map(|v| m.var_index(v).unwrap())
        .collect();
    let mut g = c.benchmark_group("v1_monte_carlo_10k");
    g.sample_size(20);
    g.bench_function("percentiles_all_variables_2_threads", |b| {
        b.iter(|| black_box(monte_carlo(&m, &levers, &design, &all, 2)))
    });
    g.bench_function("percentiles_all_variables_1_thread", |b| {
        b.iter(|| black_box(monte_carlo(&m, &levers, &design, &all, 1)))
    });
    g.bench_function("percentiles_4_charted_variables_2_threads", |b| {
        b.iter(|| black_box(monte_carlo(&m, &levers, &design, &charted, 2)))
    });
    // Per sample, without percentiles: the engine 16 samples at a time...
    let mut regs: Vec<[f64; BLOCK]> = Vec::new();
    let mut sample = levers.clone();
    let mut block = vec![[0.0; BLOCK]; levers.len()];
    g.bench_function("engine_samples_only_1_thread", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for start in (0..10_000).step_by(BLOCK) {
                for lane in 0..BLOCK {
                    design.sample((start + lane).min(9_999), &levers, &mut sample);
                    for (row, x) in block.iter_mut().zip(&sample) {
                        row[lane] = *x;
                    }
                }
                m.run_lanes::<BLOCK>(
                    &mut regs,
                    |l, lane| block[l][lane],
                    |_, _, v| {
                        sum += v[0][0];
                    },
                );
            }
            black_box(sum)
        })
    });
    // ...and by hand, one sample after another.
    g.bench_function("hand_written_samples_only_1_thread", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for i in 0..10_000 {
                design.sample(i, &levers, &mut sample);
                hand_written(&sample, &out, &mut hand);
                sum += hand[0];
            }
            black_box(sum)
        })
    });
    g.finish();
}

/// One run of `m` at `levers` ("engine"), and 64 in a batch with lever `k`
/// from `from` in steps of 1,000 ("engine_batch_64_runs").
fn one_run_and_a_batch(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    m: &CompiledModel,
    levers: &[f64],
    k: usize,
    from: f64,
) {
    let mut run = m.run(levers);
    g.bench_function("engine", |b| {
        b.iter(|| {
            m.run_into(black_box(levers), &mut run);
            black_box(&run);
        })
    });
    let sets: Vec<Vec<f64>> = (0..64)
        .map(|i| {
            let mut l = levers.to_vec();
            l[k] = from + 1000.0 * i as f64;
            l
        })
        .collect();
    let refs: Vec<&[f64]> = sets.iter().map(Vec::as_slice).collect();
    g.bench_function("engine_batch_64_runs", |b| {
        b.iter(|| black_box(m.run_batch(black_box(&refs))))
    });
}

/// The default model, version 2 (no hand-written twin): one run, a batch
/// of 64 with digital training from 14,000 to 77,000, and 10,000 Monte
/// Carlo runs with every variable's percentiles.
fn default_v2(c: &mut Criterion) {
    use trajectoire::model::mc::{Design, monte_carlo};
    let m = default_model();
    let levers = m.default_levers();
    let digital = m.lever_index("training_output[digital]").unwrap();
    let mut g = c.benchmark_group("default_model_run");
    one_run_and_a_batch(&mut g, &m, &levers, digital, 14_000.0);
    g.finish();
    let design = Design::new(&m, 1, 10_000);
    let all: Vec<usize> = (0..m.n_vars()).collect();
    let mut g = c.benchmark_group("monte_carlo_10k");
    g.sample_size(10);
    g.bench_function("percentiles_all_variables_2_threads", |b| {
        b.iter(|| black_box(monte_carlo(&m, &levers, &design, &all, 2)))
    });
    g.finish();
}

/// A model of 20 delays and smooths (five chains of smooth1, smooth3,
/// delay1 and delay3 over oscillating inputs, each chain feeding a stock by
/// its flows), with about 50 variables, at `dt` 1/8 over 100 years: 801
/// steps. `method` is `Euler` or `Rk4`.
fn delays_model(method: &str) -> CompiledModel {
    let var = |id: &str, kind: String| {
        format!(
            "(id: {id:?}, label: (fr: \"\", en: \"\"), unit: (fr: \"\", en: \"\"), kind: {kind}),\n"
        )
    };
    let aux = |id: &str, eq: String| var(id, format!("Aux(equation: {eq:?})"));
    let mut vars = String::new();
    for i in 1..=5 {
        vars += &aux(
            &format!("x{i}"),
            format!("100 + 10 * sin(time / {i}) + step(20, {})", 10 * i),
        );
        vars += &aux(&format!("s1_{i}"), format!("smooth1(x{i}, {i})"));
        vars += &aux(&format!("s3_{i}"), format!("smooth3(x{i}, {})", 2 * i));
        vars += &aux(&format!("d1_{i}"), format!("delay1(x{i}, {i})"));
        vars += &aux(&format!("d3_{i}"), format!("delay3(x{i}, {})", 3 * i));
        vars += &aux(&format!("gap_{i}"), format!("s3_{i} - s1_{i}"));
        vars += &aux(&format!("out_{i}"), format!("0.1 * stock_{i}"));
        vars += &aux(
            &format!("in_{i}"),
            format!("d1_{i} + d3_{i} + 0.1 * gap_{i}"),
        );
        vars += &aux(&format!("ratio_{i}"), format!("stock_{i} / max(1, in_{i})"));
        vars += &var(
            &format!("stock_{i}"),
            format!("Stock(initial: \"1000\", inflows: [\"in_{i}\"], outflows: [\"out_{i}\"])"),
        );
    }
    let text = format!(
        r#"Model(format_version: 1, id: "delays", version: "1",
    name: (fr: "Retards", en: "Delays"), sector: (fr: "", en: ""), country: (fr: "", en: ""),
    currency: "MAD", start_year: 2000, end_year: 2100, last_observed_year: 2000,
    time: (dt: 8, dt_reciprocal: true, save_step: Some(1), method: {method}),
    variables: [
{vars}    ],
)"#
    );
    trajectoire::model::load::compile_text(&text, None).expect("the delays model compiles")
}

fn delays(c: &mut Criterion) {
    let mut g = c.benchmark_group("twenty_delays_dt_eighth_100_years");
    for method in ["Euler", "Rk4"] {
        let m = delays_model(method);
        assert_eq!(m.n_vars(), 50);
        let mut run = m.run(&[]);
        assert!(run.is_ok(), "{:?}", run.problems);
        g.bench_function(method, |b| {
            b.iter(|| {
                m.run_into(black_box(&[]), &mut run);
                black_box(&run);
            })
        });
    }
    g.finish();
}

fn large(c: &mut Criterion) {
    let text = large_model_text();
    let model = trajectoire::model::load::parse_model(&text, None).unwrap();
    let m = trajectoire::model::compile(model.clone()).expect("the large model compiles");
    assert_eq!((m.n_vars(), m.clock().n_steps), (300, 400));
    let mut run = m.run(&[]);
    assert!(run.is_ok(), "{:?}", run.problems);
    let mut g = c.benchmark_group("large_model_300_variables_400_steps");
    let shared = std::sync::Arc::new(model);
    g.bench_function("compile", |b| {
        b.iter(|| black_box(trajectoire::model::compile::compile_shared(shared.clone())))
    });
    g.bench_function("one_run", |b| {
        b.iter(|| {
            m.run_into(black_box(&[]), &mut run);
            black_box(&run);
        })
    });
    g.finish();
}

/// A model of 5,000 elements: five variables over a 1,000-element
/// dimension (`arrayed`), or the same written out in 5,000 scalars.
pub fn arrays_model_text(arrayed: bool) -> String {
    const N: usize = 1000;
    let var = |id: &str, dims: &str, kind: &str| {
        format!(
            "        (id: \"{id}\", label: (fr: \"\", en: \"\"), unit: (fr: \"\", en: \"\"), dimensions: [{dims}], kind: {kind}),\n"
        )
    };
    let mut vars = String::new();
    if arrayed {
        vars += &var(
            "rate",
            "\"cell\"",
            "Aux(equation: \"g * (1 + cell / 1000)\")",
        );
        vars += &var(
            "s",
            "\"cell\"",
            "Stock(initial: \"100\", change: \"prev(s) * rate / 100\")",
        );
        vars += &var("out", "\"cell\"", "Aux(equation: \"s * 2 - rate\")");
        vars += &var(
            "clipped",
            "\"cell\"",
            "Aux(equation: \"min(max(out, 0), 1000)\")",
        );
        vars += &var(
            "smoothed",
            "\"cell\"",
            "Aux(equation: \"effect(clipped / 1000) * s\")",
        );
    } else {
        for i in 1..=N {
            vars += &var(
                &format!("rate_{i}"),
                "",
                &format!("Aux(equation: \"g * (1 + {i} / 1000)\")"),
            );
            vars += &var(
                &format!("s_{i}"),
                "",
                &format!("Stock(initial: \"100\", change: \"prev(s_{i}) * rate_{i} / 100\")"),
            );
            vars += &var(
                &format!("out_{i}"),
                "",
                &format!("Aux(equation: \"s_{i} * 2 - rate_{i}\")"),
            );
            vars += &var(
                &format!("clipped_{i}"),
                "",
                &format!("Aux(equation: \"min(max(out_{i}, 0), 1000)\")"),
            );
            vars += &var(
                &format!("smoothed_{i}"),
                "",
                &format!("Aux(equation: \"effect(clipped_{i} / 1000) * s_{i}\")"),
            );
        }
    }
    let elements: Vec<String> = (1..=N).map(|i| format!("(id: \"c{i}\")")).collect();
    format!(
        r#"Model(
    format_version: 1,
    id: "arrays",
    version: "1",
    name: (fr: "Tableaux", en: "Arrays"),
    sector: (fr: "", en: ""),
    country: (fr: "", en: ""),
    currency: "",
    start_year: 0,
    end_year: 100,
    last_observed_year: 0,
    dimensions: [(id: "cell", elements: [{}])],
    levers: [(id: "g", label: (fr: "", en: ""), unit: (fr: "", en: ""), min: 0, max: 10, default: 1, step: 0.1)],
    variables: [
{vars}    ],
    lookups: [(id: "effect", points: [(0, 1.5), (0.5, 1.3), (1, 1), (1.5, 0.6), (2, 0.4)])],
)"#,
        elements.join(", ")
    )
}

/// 5,000 elements arrayed against the same written out (issue: compile
/// under 200 ms, the same time per element).
fn arrays(c: &mut Criterion) {
    let mut g = c.benchmark_group("arrays_5000_elements");
    g.sample_size(20);
    for (name, arrayed) in [("arrayed", true), ("scalars", false)] {
        let model =
            trajectoire::model::load::parse_model(&arrays_model_text(arrayed), None).unwrap();
        let m = trajectoire::model::compile(model.clone()).expect("the arrays model compiles");
        assert_eq!(m.n_vars(), 5000);
        let shared = std::sync::Arc::new(model);
        g.bench_function(format!("{name}_compile"), |b| {
            b.iter(|| black_box(trajectoire::model::compile::compile_shared(shared.clone())))
        });
        let levers = m.default_levers();
        let mut run = m.run(&levers);
        assert!(run.is_ok());
        g.bench_function(format!("{name}_one_run"), |b| {
            b.iter(|| {
                m.run_into(black_box(&levers), &mut run);
                black_box(&run);
            })
        });
    }
    g.finish();
}

/// The units check of the default model (issue: under 5 ms), and the
/// compilation it is part of.
fn units(c: &mut Criterion) {
    let m = trajectoire::model::load::default_model();
    assert!(m.warnings().is_empty());
    let model = m.model().clone();
    let mut g = c.benchmark_group("units_default_model");
    g.bench_function("check", |b| {
        b.iter(|| black_box(trajectoire::model::units::check_units(black_box(&model))))
    });
    let shared = m.shared_model();
    g.bench_function("compile_with_check", |b| {
        b.iter(|| black_box(trajectoire::model::compile::compile_shared(shared.clone())))
    });
    g.finish();
}

/// The interpreter against native code (issue 27) on one run and a Monte
/// Carlo block of 16 lanes: the default model (versions 1 and 2) and the
/// 300-variable model. Native code is built before the timings (a run
/// past `VM_RUNS`, a block), so they time running it, not building it.
fn backends(c: &mut Criterion) {
    use trajectoire::model::mc::BLOCK;
    use trajectoire::model::sim::{Backend, VM_RUNS};
    let large = compile_text(&large_model_text(), None).expect("the large model compiles");
    let models = [
        ("default_v1", version_1()),
        ("default_v2", default_model()),
        ("large_300", large),
    ];
    let mut g = c.benchmark_group("backends");
    for (name, model) in models {
        for backend in [Backend::Vm, Backend::Jit] {
            let mut m = model.clone();
            m.set_backend(backend);
            m.set_jit_batches(true);
            let levers = m.default_levers();
            let mut run = m.run(&levers);
            for _ in 0..VM_RUNS {
                m.run_into(&levers, &mut run);
            }
            let mut regs: Vec<[f64; BLOCK]> = Vec::new();
            let mut block = || {
                let mut last = 0.0;
                m.run_lanes::<BLOCK>(&mut regs, |l, _| levers[l], |_, _, v| last = v[0][0]);
                black_box(last)
            };
            block();
            assert_eq!(m.backend_in_use(), backend, "{name}: {:?}", m.jit_problem());
            g.bench_function(format!("{name}/{}/one_run", backend.name()), |b| {
                b.iter(|| {
                    m.run_into(black_box(&levers), &mut run);
                    black_box(&run);
                })
            });
            g.bench_function(format!("{name}/{}/block_of_16", backend.name()), |b| {
                b.iter(&mut block)
            });
        }
    }
    g.finish();
}

criterion_group!(
    benches, engine, default_v2, delays, large, units, arrays, backends
);
criterion_main!(benches);
