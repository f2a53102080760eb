//! "What does it take?" on the default model: one goal seek, a ranking of
//! every lever for one target, and the joint move of three levers for the
//! two 2030 targets; a calibration of the history levers on the
//! observations up to 2018 (the hindcast).
//!
//! cargo bench --bench solve

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use trajectoire::model::calibrate::calibrate;
use trajectoire::model::load::default_model;
use trajectoire::model::solve::{goal_seek, meet_targets, rank_levers};

fn solve(c: &mut Criterion) {
    let m = default_model();
    let levers = m.default_levers();
    let target = |id: &str| m.model().targets.iter().position(|t| t.id == id).unwrap();
    let jobs = target("cp2030_jobs");
    let exports = target("cp2030_exports");
    let training = m.lever_index("training_output[digital]").unwrap();
    let chosen = [
        m.lever_index("demand_growth").unwrap(),
        training,
        m.lever_index("incentive_budget").unwrap(),
    ];
    let mut g = c.benchmark_group("solve");
    g.bench_function("goal_seek_jobs_2030_training", |b| {
        b.iter(|| black_box(goal_seek(&m, black_box(&levers), jobs, training)))
    });
    g.bench_function("rank_all_levers_jobs_2030", |b| {
        b.iter(|| black_box(rank_levers(&m, black_box(&levers), jobs)))
    });
    g.bench_function("meet_2030_targets_three_levers", |b| {
        b.iter(|| {
            black_box(meet_targets(
                &m,
                black_box(&levers),
                &[jobs, exports],
                &chosen,
            ))
        })
    });
    let history: Vec<usize> = (0..m.levers().len())
        .filter(|&l| m.levers()[l].calibration)
        .collect();
    g.bench_function("calibrate_history_to_2018", |b| {
        b.iter(|| black_box(calibrate(&m, black_box(&levers), &history, 2018)))
    });
    g.finish();
}

criterion_group!(benches, solve);
criterion_main!(benches);
