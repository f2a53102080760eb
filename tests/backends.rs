//! Every backend gives the interpreter's bits (issue 27): for every
//! shipped model (every version), every template, the 300-variable model
//! and every model of the SDXorg suite that opens (`../shared/test-models/tests`,
//! through `formats::open` as the binary opens them; skipped with a message
//! when the suite is missing, unless `TRAJECTOIRE_REQUIRE_SHARED` or
//! `TRAJECTOIRE_REQUIRE_SUITE` is set), with the default levers and two
//! moved lever sets, single runs, batches (`LANES` lanes) and Monte Carlo's
//! blocks (`mc::BLOCK`): native code and the VM agree on every value's
//! bits (any NaN equal to any NaN) and on the problems reported. Runge-Kutta
//! models and changing steps are among them (the suite has both).

use std::path::{Path, PathBuf};

use trajectoire::model::CompiledModel;
use trajectoire::model::def::Method;
use trajectoire::model::load::{SHIPPED_MODELS, compile_text};
use trajectoire::model::mc::BLOCK;
use trajectoire::model::sim::{Backend, Run, VM_RUNS};
use trajectoire::model::templates::Template;

#[path = "../benches/common/large_model.rs"]
mod large_model;

const SUITE: &str = "../shared/test-models/tests";

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// The default levers, then every lever a quarter and three quarters of
/// the way along its range (where the range is finite).
fn lever_sets(m: &CompiledModel) -> Vec<Vec<f64>> {
    let at = |f: f64| -> Vec<f64> {
        m.levers()
            .iter()
            .map(|l| {
                let x = l.min + f * (l.max - l.min);
                if x.is_finite() { x } else { l.default }
            })
            .collect()
    };
    let mut sets = vec![m.default_levers(), at(0.25), at(0.75)];
    // A model without levers (most of the suite's) has one set.
    sets.dedup();
    sets
}

fn assert_same_run(name: &str, what: &str, n_vars: usize, vm: &Run, jit: &Run) {
    assert_eq!(vm.times(), jit.times(), "{name}: {what}: times");
    for v in 0..n_vars {
        for (k, (a, b)) in vm.series(v).iter().zip(jit.series(v)).enumerate() {
            assert!(
                same(*a, *b),
                "{name}: {what}: variable {v} at {}: vm {a:?}, jit {b:?}",
                vm.times()[k]
            );
        }
    }
    let at = |r: &Run| -> Vec<(usize, u64)> {
        r.problems
            .iter()
            .map(|p| (p.var, p.time.to_bits()))
            .collect()
    };
    assert_eq!(at(vm), at(jit), "{name}: {what}: problems");
}

/// Every value of every run of `m`, the VM's against native code's.
/// Whether native code ran for every lane count.
fn check(name: &str, m: &CompiledModel) -> bool {
    let mut vm = m.clone();
    vm.set_backend(Backend::Vm);
    let mut jit = m.clone();
    jit.set_backend(Backend::Jit);
    jit.set_jit_batches(true);
    let n = m.n_vars();
    let sets = lever_sets(m);

    // Single runs: the first VM_RUNS on the VM, native code after.
    let mut out = Run::default();
    for _ in 0..VM_RUNS {
        jit.run_into(&sets[0], &mut out);
    }
    for s in &sets {
        jit.run_into(s, &mut out);
        assert_same_run(name, "run", n, &vm.run(s), &out);
    }

    let refs: Vec<&[f64]> = sets.iter().map(Vec::as_slice).collect();
    for (a, b) in vm.run_batch(&refs).iter().zip(&jit.run_batch(&refs)) {
        assert_same_run(name, "run_batch", n, a, b);
    }

    let lanes = |m: &CompiledModel| {
        let mut regs: Vec<[f64; BLOCK]> = Vec::new();
        let mut values = Vec::new();
        m.run_lanes::<BLOCK>(
            &mut regs,
            |l, lane| sets[lane % sets.len()][l],
            |_, _, vals| values.extend(vals.iter().flatten().copied()),
        );
        values
    };
    let (a, b) = (lanes(&vm), lanes(&jit));
    assert_eq!(a.len(), b.len(), "{name}: run_lanes");
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert!(
            same(*x, *y),
            "{name}: run_lanes value {i}: vm {x:?}, jit {y:?}"
        );
    }
    // Native code was built, or refused only for its length (the
    // interpreter then runs: `jit::MAX_LANE_OPS`).
    match jit.jit_problem() {
        None => assert_eq!(jit.backend_in_use(), Backend::Jit, "{name}: not built"),
        Some(p) => assert!(p.starts_with("program too long"), "{name}: {p}"),
    }
    jit.jit_problem().is_none()
}

#[test]
fn every_shipped_model_and_template_runs_to_the_same_bits() {
    if !Backend::available() {
        eprintln!("backends: no native code in this build or on this processor: skipped");
        return;
    }
    for s in SHIPPED_MODELS {
        let m = compile_text(s.text, None).expect("a shipped model compiles");
        let name = format!("{} {}", s.id, s.version);
        assert!(check(&name, &m), "{name}: not built");
    }
    for t in Template::ALL {
        assert!(check(&format!("template {t:?}"), &t.model()), "{t:?}");
    }
    let large = compile_text(&large_model::large_model_text(), None).expect("compiles");
    assert!(check("the 300-variable model", &large), "not built");
}

#[test]
fn every_suite_model_that_opens_runs_to_the_same_bits() {
    if !Backend::available() {
        eprintln!("backends: no native code in this build or on this processor: skipped");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(SUITE);
    if !dir.is_dir() {
        let required = ["TRAJECTOIRE_REQUIRE_SHARED", "TRAJECTOIRE_REQUIRE_SUITE"]
            .iter()
            .any(|v| std::env::var_os(v).is_some());
        assert!(
            !required,
            "{} is missing and the suite is required",
            dir.display()
        );
        eprintln!(
            "backends: {} is missing (the SDXorg test-models suite): skipped",
            dir.display()
        );
        return;
    }
    let (mut checked, mut rk4, mut scheduled, mut refused, mut long) = (0, 0, 0, 0, 0);
    for path in models(&dir) {
        let Some(m) = trajectoire::formats::open(&path)
            .ok()
            .and_then(|f| f.into_document())
            .map(|o| o.model)
        else {
            refused += 1;
            continue;
        };
        let name = path
            .strip_prefix(&dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        let start = std::time::Instant::now();
        long += usize::from(!check(&name, &m));
        if start.elapsed().as_secs_f64() > 5.0 {
            println!(
                "backends: {name} took {:.1} s",
                start.elapsed().as_secs_f64()
            );
        }
        checked += 1;
        rk4 += usize::from(m.clock().method == Method::Rk4);
        scheduled += usize::from(m.clock().is_scheduled());
    }
    println!(
        "backends: {checked} suite models checked ({rk4} by Runge-Kutta, {scheduled} with a \
         changing step, {long} too long for native code at some lane count), \
         {refused} do not open"
    );
    assert!(checked > 100, "only {checked} suite models opened");
    assert!(rk4 > 0, "no Runge-Kutta model among them");
}

#[test]
fn native_code_is_built_at_the_third_single_run_shared_and_for_batches_when_asked() {
    if !Backend::available() {
        eprintln!("backends: no native code in this build or on this processor: skipped");
        return;
    }
    let mut m = trajectoire::model::load::default_model();
    m.set_backend(Backend::Jit);
    let clone = m.clone();
    let levers = m.default_levers();
    for _ in 0..VM_RUNS {
        let _ = m.run(&levers);
        assert_eq!(m.backend_in_use(), Backend::Vm);
        assert!(m.jit_build_time().is_none(), "built before its third run");
    }
    let _ = m.run(&levers);
    assert_eq!(m.backend_in_use(), Backend::Jit);
    assert_eq!(
        clone.backend_in_use(),
        Backend::Jit,
        "clones share native code"
    );
    let single = m.jit_build_time().expect("built");
    let _ = m.run_batch(&[&levers]);
    assert_eq!(m.jit_build_time(), Some(single), "batches stay on the VM");
    m.set_jit_batches(true);
    let _ = m.run_batch(&[&levers]);
    assert!(m.jit_build_time().expect("built") > single, "8 lanes built");

    let mut vm = trajectoire::model::load::default_model();
    vm.set_backend(Backend::Vm);
    vm.set_jit_batches(true);
    for _ in 0..=VM_RUNS {
        let _ = vm.run(&levers);
    }
    let _ = vm.run_batch(&[&levers]);
    assert_eq!(vm.backend_in_use(), Backend::Vm);
    assert!(
        vm.jit_build_time().is_none(),
        "the VM chosen builds nothing"
    );
}

/// Models named in `TRAJECTOIRE_BACKENDS_MODELS` (paths separated by
/// `:`), such as WORLD3 where a machine has it: checked the same way.
#[test]
fn models_named_in_the_environment_run_to_the_same_bits() {
    let Some(paths) = std::env::var_os("TRAJECTOIRE_BACKENDS_MODELS") else {
        return;
    };
    assert!(Backend::available(), "no native code to check");
    for path in std::env::split_paths(&paths) {
        let opened = trajectoire::formats::open(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .into_document()
            .expect("a model or a scenario");
        let built = check(&path.display().to_string(), &opened.model);
        assert!(
            built,
            "{}: {:?}",
            path.display(),
            opened.model.jit_problem()
        );
        println!("backends: {} checked", path.display());
    }
}

/// Every `.xmile`, `.stmx` and `.mdl` file of the suite's folders, sorted.
fn models(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["xmile", "stmx", "mdl"].contains(&e.to_ascii_lowercase().as_str())
            }) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
