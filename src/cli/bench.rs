//! `trajectoire bench [FILE] [--runs N] [--backend vm|jit]`: how long the
//! model takes to compile and to run once, each the median of several
//! timings, with the model's size, and the time native code took to build. Medians, not means: a busy machine's slow outliers do not
//! move them.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{CommandResult, Outcome, open_or_default};
use crate::model::CompiledModel;
use crate::model::sim::{Backend, Run, VM_RUNS};

/// The most runs a bench times: enough for a stable median.
const MAX_RUNS: usize = 100_000;

pub(super) fn bench(file: Option<&Path>, runs: usize, backend: Option<Backend>) -> CommandResult {
    if runs == 0 || runs > MAX_RUNS {
        return Err(format!("--runs {runs}: choose between 1 and {MAX_RUNS}\n"));
    }
    let mut opened = open_or_default(file)?;
    if let Some(b) = backend {
        opened.model.set_backend(b);
    }
    let model = opened.model.shared_model();
    let compiles = (runs / 10).clamp(5, 1000);
    let compile = median(compiles, || {
        let _ = std::hint::black_box(crate::model::compile::compile_shared(model.clone()));
    });
    // The runs that build native code (at the first run past `VM_RUNS`),
    // before the timed ones.
    let mut run = Run::default();
    for _ in 0..=VM_RUNS {
        opened.model.run_into(&opened.levers, &mut run);
    }
    let one_run = median(runs, || {
        opened
            .model
            .run_into(std::hint::black_box(&opened.levers), &mut run);
    });
    let m = opened.model.model();
    let clock = opened.model.clock();
    let name = file.map_or_else(|| "default model".to_string(), |p| p.display().to_string());
    Ok(Outcome::ok(format!(
        "{name}: model `{}`, {} levers, {}, {} time steps ({} saved)\n\
         compile: {} (median of {compiles})\n\
         one run: {} (median of {runs}, {})\n{}",
        m.id,
        opened.model.levers().len(),
        super::variables_count(&opened.model),
        clock.n_steps,
        opened.model.times().len(),
        duration(compile),
        duration(one_run),
        opened.model.backend_in_use().name(),
        jit_line(&opened.model),
    )))
}

/// `jit: built in 3.20 ms` when native code was built, why not when it
/// failed, nothing when the interpreter was chosen.
fn jit_line(model: &CompiledModel) -> String {
    if let Some(t) = model.jit_build_time() {
        return format!("jit: built in {:.2} ms\n", t.as_secs_f64() * 1e3);
    }
    match model.jit_problem() {
        Some(why) => format!("jit: not used: {why}\n"),
        None if model.backend() == Backend::Jit && !Backend::available() => {
            "jit: not used: not in this build, or not on this processor\n".to_string()
        }
        None => String::new(),
    }
}

/// The median time of `n` calls of `f`.
fn median(n: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[n / 2]
}

/// `12.3 µs`, `4.56 ms`, `1.20 s`.
fn duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1e-3 {
        format!("{:.1} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}
