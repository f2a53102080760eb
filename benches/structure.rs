//! The model map's structure: graph, loops and layout of the default
//! model and of the 300-variable model of `benches/engine.rs` (the goal:
//! its layout under 100 ms).
//!
//! cargo bench --bench structure

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use trajectoire::model::Model;
use trajectoire::model::load::{default_model, parse_model};
use trajectoire::model::structure::{Graph, find_loops, layout};

#[path = "common/large_model.rs"]
mod large_model;
use large_model::large_model_text;

fn structure(c: &mut Criterion) {
    let default = default_model().model().clone();
    let large = parse_model(&large_model_text(), None).expect("the large model parses");
    for (name, m) in [
        ("default_model", &default),
        ("large_model_300_variables", &large),
    ] {
        bench_model(c, name, m);
    }
}

fn bench_model(c: &mut Criterion, name: &str, m: &Model) {
    let g = Graph::of(m);
    let drawn = layout(&g, &[]);
    assert!(drawn.overlaps().is_empty());
    let mut group = c.benchmark_group(format!("structure_{name}"));
    group.bench_function("graph", |b| b.iter(|| black_box(Graph::of(black_box(m)))));
    group.bench_function("loops", |b| b.iter(|| black_box(find_loops(black_box(&g)))));
    group.bench_function("layout", |b| {
        b.iter(|| black_box(layout(black_box(&g), &[])))
    });
    group.bench_function("graph_loops_layout", |b| {
        b.iter(|| {
            let g = Graph::of(black_box(m));
            black_box((find_loops(&g), layout(&g, &[])))
        })
    });
    group.finish();
}

criterion_group!(benches, structure);
criterion_main!(benches);
