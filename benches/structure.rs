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

/// The 300-variable model of `benches/engine.rs`: 30 sectors of 10
/// variables (a stock by its flows, a smooth, a lookup, auxiliaries
/// reading the sector before).
fn large_model_text() -> String {
    let var = |id: &str, kind: String| {
        format!(
            "(id: {id:?}, label: (fr: \"\", en: \"\"), unit: (fr: \"\", en: \"\"), kind: {kind}),\n"
        )
    };
    let aux = |id: &str, eq: String| var(id, format!("Aux(equation: {eq:?})"));
    let mut vars = String::new();
    for i in 0..30 {
        let prev = if i == 0 {
            "10".to_string()
        } else {
            format!("level_{}", i - 1)
        };
        vars += &var(
            &format!("level_{i}"),
            format!(
                "Stock(initial: \"100\", inflows: [\"in_{i}\"], outflows: [\"out_{i}\"], non_negative: true)"
            ),
        );
        vars += &aux(
            &format!("in_{i}"),
            format!("0.05 * {prev} * effect(ratio_{i})"),
        );
        vars += &aux(&format!("out_{i}"), format!("level_{i} / life_{i}"));
        vars += &aux(
            &format!("life_{i}"),
            format!("8 + {} + 2 * sin(time / {})", i % 5, i + 1),
        );
        vars += &aux(
            &format!("ratio_{i}"),
            format!("level_{i} / max(1, target_{i})"),
        );
        vars += &aux(
            &format!("target_{i}"),
            format!("100 + ramp({}, 2010, 2060)", 1 + i % 3),
        );
        vars += &aux(&format!("gap_{i}"), format!("target_{i} - level_{i}"));
        vars += &aux(
            &format!("perceived_{i}"),
            format!("smooth1(gap_{i}, {})", 2 + i % 4),
        );
        vars += &aux(
            &format!("pressure_{i}"),
            format!("if perceived_{i} > 0 then perceived_{i} / target_{i} else 0"),
        );
        vars += &aux(
            &format!("share_{i}"),
            format!("level_{i} / (level_{i} + {prev} + 1)"),
        );
    }
    format!(
        r#"Model(format_version: 1, id: "large", version: "1",
    name: (fr: "Grand", en: "Large"), sector: (fr: "", en: ""), country: (fr: "", en: ""),
    currency: "MAD", start_year: 2000, end_year: 2100, last_observed_year: 2000,
    time: (dt: 4, dt_reciprocal: true, save_step: Some(1)),
    variables: [
{vars}    ],
    lookups: [(id: "effect", points: [(0, 1.5), (0.5, 1.3), (1, 1), (1.5, 0.6), (2, 0.4)])],
)"#
    )
}

criterion_group!(benches, structure);
criterion_main!(benches);
