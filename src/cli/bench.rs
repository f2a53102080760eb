//! `trajectoire bench [FILE] [--runs N] [--backend vm|jit] [--mc N
//! [--threads T]]`: how long the model takes to compile and to run once,
//! each the median of several timings, with the model's size, the time
//! native code took to build, and a whole Monte Carlo if asked. Medians,
//! not means: a busy machine's slow outliers do not move them.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{CommandResult, Outcome, open_or_default};
use crate::model::CompiledModel;
use crate::model::sim::{Backend, Run, VM_RUNS};

/// The most runs a bench times: enough for a stable median.
const MAX_RUNS: usize = 100_000;

/// The most runs a timed Monte Carlo takes (`trajectoire mc` has no such cap).
const MAX_MC_RUNS: usize = 1_000_000;

/// What `trajectoire bench` is asked beyond the model and its single runs.
pub(super) struct BenchOptions<'a> {
    pub backend: Option<Backend>,
    /// Runs of a timed Monte Carlo; 0 for none.
    pub mc_runs: usize,
    pub threads: Option<usize>,
    /// Data files for a Vensim model's data variables (`--data`).
    pub data: &'a [std::path::PathBuf],
}

pub(super) fn bench(file: Option<&Path>, runs: usize, opts: BenchOptions<'_>) -> CommandResult {
    if runs == 0 || runs > MAX_RUNS {
        return Err(format!("--runs {runs}: choose between 1 and {MAX_RUNS}\n"));
    }
    if opts.mc_runs > MAX_MC_RUNS {
        return Err(format!(
            "--mc {}: choose between 0 (none) and {MAX_MC_RUNS}\n",
            opts.mc_runs
        ));
    }
    if opts.threads.is_some_and(|t| t == 0 || t > 64) {
        return Err("--threads: choose between 1 and 64\n".into());
    }
    let backend = opts.backend;
    let mut opened = open_or_default(file, opts.data)?;
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
    let mc = if opts.mc_runs > 0 {
        monte_carlo_line(&opened.model, &opened.levers, opts.mc_runs, opts.threads)?
    } else {
        String::new()
    };
    Ok(Outcome::ok(format!(
        "{name}: model `{}`, {} levers, {}, {} time steps ({} saved)\n\
         compile: {} (median of {compiles})\n\
         one run: {} (median of {runs}, {})\n{}{mc}",
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

/// `monte carlo: 10000 runs, every variable (117), 2 threads: 30.1 ms
/// (median of 5)`: the whole of `trajectoire mc`'s computation, percentiles
/// and target odds, without printing them.
fn monte_carlo_line(
    model: &crate::model::compile::CompiledModel,
    levers: &[f64],
    runs: usize,
    threads: Option<usize>,
) -> Result<String, String> {
    use crate::model::mc::{Design, default_threads, monte_carlo};
    let design = Design::new(model, 1, runs);
    if design.uncertain_levers().is_empty() {
        return Err("--mc: no lever of this model has an uncertainty: nothing varies\n".into());
    }
    let threads = threads.unwrap_or_else(default_threads);
    let vars: Vec<usize> = (0..model.n_vars()).collect();
    let repeats = (2_000_000 / runs.max(1)).clamp(3, 21);
    let t = median(repeats, || {
        let _ = std::hint::black_box(monte_carlo(model, levers, &design, &vars, threads));
    });
    Ok(format!(
        "monte carlo: {runs} runs, every variable ({}), {threads} thread{}: {} (median of {repeats})\n",
        vars.len(),
        if threads == 1 { "" } else { "s" },
        duration(t)
    ))
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
