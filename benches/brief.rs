//! The brief of the default scenario (issue 18: under 1 s): gathered
//! (one run, a goal seek per target ahead, the least change for all),
//! then written as HTML and as PDF; without uncertainty, and with a
//! 2,000-run Monte Carlo as `trajectoire brief` runs by default.
//!
//! cargo bench --bench brief

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use trajectoire::brief::{Format, Input, write};
use trajectoire::i18n::Lang;
use trajectoire::model::CompiledModel;
use trajectoire::model::load::default_model;
use trajectoire::model::mc::{Design, Summary, default_threads, monte_carlo};

fn input<'a>(m: &'a CompiledModel, levers: &'a [f64], u: Option<&'a Summary>) -> Input<'a> {
    Input {
        model: m,
        levers,
        scenario_name: "bench",
        notes: "",
        fingerprint: None,
        date: "2026-12-01",
        lang: Lang::Fr,
        uncertainty: u,
        charts: None,
    }
}

fn brief(c: &mut Criterion) {
    let m = default_model();
    let levers = m.default_levers();
    let mut g = c.benchmark_group("brief");
    g.sample_size(20);
    g.bench_function("default_html", |b| {
        b.iter(|| black_box(write(&input(&m, &levers, None), Format::Html)))
    });
    g.bench_function("default_pdf", |b| {
        b.iter(|| black_box(write(&input(&m, &levers, None), Format::Pdf)))
    });
    g.bench_function("default_pdf_with_2000_runs", |b| {
        b.iter(|| {
            let design = Design::new(&m, 1, 2000);
            let vars: Vec<usize> = (0..m.n_vars()).collect();
            let s = monte_carlo(&m, &levers, &design, &vars, default_threads());
            black_box(write(&input(&m, &levers, Some(&s)), Format::Pdf))
        })
    });
    g.finish();
}

criterion_group!(benches, brief);
criterion_main!(benches);
