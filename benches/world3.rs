//! WORLD3-03, the model issue 27 measures against simlin's engine: one run
//! and its compilation. The model (Meadows et al., as Vensim's
//! `wrld3-03.mdl`) is not ours to ship: give its path in `TRAJECTOIRE_WORLD3`
//! (`TRAJECTOIRE_WORLD3=~/models/wrld3-03.mdl cargo bench --bench world3`);
//! without it the bench says so and measures nothing.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use trajectoire::formats::{self, OpenedFile};

fn world3(c: &mut Criterion) {
    let Some(path) = std::env::var_os("TRAJECTOIRE_WORLD3") else {
        eprintln!(
            "world3: skipped: set TRAJECTOIRE_WORLD3 to the path of wrld3-03.mdl \
             (Vensim's WORLD3-03; not shipped with Trajectoire)"
        );
        return;
    };
    let opened = match formats::open(std::path::Path::new(&path)) {
        Ok(OpenedFile::Model(o)) | Ok(OpenedFile::Scenario(o)) => o,
        Ok(OpenedFile::Deck(_)) => panic!("{}: a deck, not a model", path.to_string_lossy()),
        Err(e) => panic!("{e}"),
    };
    let m = opened.model;
    let levers = opened.levers;
    let mut g = c.benchmark_group("world3_03");
    let mut run = m.run(&levers);
    g.bench_function("one_run", |b| {
        b.iter(|| {
            m.run_into(black_box(&levers), &mut run);
            black_box(&run);
        })
    });
    let shared = m.shared_model();
    g.bench_function("compile", |b| {
        b.iter(|| black_box(trajectoire::model::compile::compile_shared(shared.clone())))
    });
    g.finish();
}

criterion_group!(benches, world3);
criterion_main!(benches);
