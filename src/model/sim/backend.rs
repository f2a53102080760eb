//! Which backend runs a model's programs: the interpreter (`exec`, the
//! reference) or native code (`jit`, with the `jit` feature), which gives
//! the same bits.
//!
//! Native code is built lazily, at most once per number of lanes for all
//! of a model's programs, and shared by the model's clones: a single run
//! (`run_into`) uses the interpreter for a model's first [`VM_RUNS`] runs
//! and builds native code at the next, so a window that recompiles at each
//! keystroke does not pay for it on a run it makes once; batches and Monte
//! Carlo (`run_batch`, `run_lanes`), where native code is asked for them
//! (`set_jit_batches`: off by default, the interpreter's vectorised lane
//! loops being faster there), build it at once. A build that fails
//! leaves the interpreter running, and says why (`jit_problem`).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use super::exec::exec;
use crate::model::compile::{CompiledModel, Op};

/// How a model's programs run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The interpreter: the reference semantics.
    Vm,
    /// Native code (the `jit` feature), to the interpreter's bits.
    Jit,
}

impl Backend {
    /// `TRAJECTOIRE_BACKEND=vm|jit`, read once; else native code where
    /// this build and this processor have it.
    pub fn from_env() -> Backend {
        static CHOSEN: std::sync::OnceLock<Backend> = std::sync::OnceLock::new();
        *CHOSEN.get_or_init(
            || match std::env::var("TRAJECTOIRE_BACKEND").ok().as_deref() {
                Some("vm") => Backend::Vm,
                Some("jit") => Backend::Jit,
                _ if Backend::available() => Backend::Jit,
                _ => Backend::Vm,
            },
        )
    }

    /// Whether native code can be had: built with the `jit` feature, on a
    /// processor it supports.
    pub fn available() -> bool {
        cfg!(feature = "jit") && JIT_HOST
    }

    /// `vm` or `jit`, as `TRAJECTOIRE_BACKEND` and `--backend` spell them.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Vm => "vm",
            Backend::Jit => "jit",
        }
    }

    pub fn parse(name: &str) -> Option<Backend> {
        [Backend::Vm, Backend::Jit]
            .into_iter()
            .find(|b| b.name() == name)
    }
}

#[cfg(feature = "jit")]
const JIT_HOST: bool = super::jit::HOST_SUPPORTED;
#[cfg(not(feature = "jit"))]
const JIT_HOST: bool = false;

/// Single runs of a model the interpreter makes before native code is built.
pub const VM_RUNS: u32 = 2;

/// A model's native code, built on demand and shared by its clones.
#[derive(Default)]
pub(crate) struct Natives {
    single_runs: AtomicU32,
    /// For 1, `LANES` and `mc::BLOCK` lanes; other lane counts run on the
    /// interpreter.
    #[cfg(feature = "jit")]
    sets: [std::sync::OnceLock<Result<super::jit::NativeSet, String>>; 3],
}

impl std::fmt::Debug for Natives {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Natives");
        d.field("single_runs", &self.single_runs);
        #[cfg(feature = "jit")]
        d.field("sets", &self.sets);
        d.finish()
    }
}

#[cfg(feature = "jit")]
impl Natives {
    fn slot(n: usize) -> Option<usize> {
        [1, super::LANES, crate::model::mc::BLOCK]
            .iter()
            .position(|&k| k == n)
    }

    fn built(&self) -> impl Iterator<Item = &Result<super::jit::NativeSet, String>> {
        self.sets.iter().filter_map(|s| s.get())
    }
}

impl CompiledModel {
    /// Chooses the backend (the default is [`Backend::from_env`]). Clones
    /// made before keep theirs.
    pub fn set_backend(&mut self, backend: Backend) {
        self.backend = backend;
    }

    /// Native code for batches and Monte Carlo blocks (8 and 16 lanes)
    /// as well as single runs. Off by default: there the interpreter's
    /// loops over lanes, which the compiler vectorises, run about twice as
    /// fast as native code's scalar lanes (10,000 Monte Carlo runs of the
    /// default model: 0.11 s against 0.25 s), until native code emits
    /// vectors too. Same bits either way.
    pub fn set_jit_batches(&mut self, on: bool) {
        self.jit_batches = on;
    }

    /// Whether native code is asked for batches too (`set_jit_batches`).
    pub fn jit_batches(&self) -> bool {
        self.jit_batches
    }

    /// The backend chosen.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The backend runs actually use: native code once it is built for
    /// some lane count and `Jit` is chosen, else the interpreter (chosen,
    /// not built yet, or failed: see `jit_problem`).
    pub fn backend_in_use(&self) -> Backend {
        #[cfg(feature = "jit")]
        if self.backend == Backend::Jit && self.natives.built().any(|r| r.is_ok()) {
            return Backend::Jit;
        }
        Backend::Vm
    }

    /// Why native code could not be built, if it was tried and failed.
    pub fn jit_problem(&self) -> Option<String> {
        #[cfg(feature = "jit")]
        if let Some(Err(e)) = self.natives.built().find(|r| r.is_err()) {
            return Some(e.clone());
        }
        None
    }

    /// The time native code took to build, all lane counts built so far
    /// added; `None` before any was built.
    pub fn jit_build_time(&self) -> Option<Duration> {
        #[cfg(feature = "jit")]
        {
            let times: Vec<Duration> = self
                .natives
                .built()
                .filter_map(|r| r.as_ref().ok().map(|s| s.build_time))
                .collect();
            if !times.is_empty() {
                return Some(times.iter().sum());
            }
        }
        None
    }

    /// Counts a single run, toward building native code (`VM_RUNS`).
    pub(super) fn count_single_run(&self) {
        self.natives.single_runs.fetch_add(1, Ordering::Relaxed);
    }

    /// Runs `ops`, one of this model's programs, for the step at `time`,
    /// on the backend in use.
    ///
    /// # Safety
    /// As for `exec`: `regs` covers every slot up to `max_slot`.
    pub(super) unsafe fn exec_program<const N: usize>(
        &self,
        ops: &[Op],
        regs: &mut [[f64; N]],
        time: f64,
    ) {
        let step = (self.seed, time);
        #[cfg(feature = "jit")]
        if let Some((set, p)) = self.native::<N>(ops) {
            // SAFETY: the caller's contract; the set was built for `N`.
            unsafe { set.run::<N>(p, regs, &self.tables, step) };
            return;
        }
        // SAFETY: the caller's contract.
        unsafe { exec::<N>(ops, regs, &self.tables, step) }
    }

    /// The native code for `N` lanes and which of its programs `ops` is,
    /// built now if it is time to; `None` to use the interpreter.
    #[cfg(feature = "jit")]
    fn native<const N: usize>(&self, ops: &[Op]) -> Option<(&super::jit::NativeSet, usize)> {
        if self.backend != Backend::Jit || (N > 1 && !self.jit_batches) {
            return None;
        }
        let cell = &self.natives.sets[Natives::slot(N)?];
        let set = match cell.get() {
            Some(r) => r.as_ref().ok()?,
            None if N == 1 && self.natives.single_runs.load(Ordering::Relaxed) <= VM_RUNS => {
                return None;
            }
            None => cell
                .get_or_init(|| {
                    let programs = self.programs();
                    super::jit::NativeSet::build::<N>(&programs, self.max_slot)
                })
                .as_ref()
                .ok()?,
        };
        Some((set, self.program_index(ops)?))
    }

    /// Which of `programs` `ops` is (without allocating: this is the
    /// step loop's).
    #[cfg(feature = "jit")]
    fn program_index(&self, ops: &[Op]) -> Option<usize> {
        let is = |p: &[Op]| std::ptr::eq(p, ops);
        if is(&self.init_ops) {
            Some(0)
        } else if is(&self.step_ops) {
            Some(1)
        } else {
            self.rk4.as_ref().filter(|rk| is(&rk.aux_ops)).map(|_| 2)
        }
    }

    /// The programs native code is built for, in a fixed order.
    #[cfg(feature = "jit")]
    fn programs(&self) -> Vec<&[Op]> {
        let mut p = vec![self.init_ops.as_slice(), self.step_ops.as_slice()];
        p.extend(self.rk4.iter().map(|rk| rk.aux_ops.as_slice()));
        p
    }
}
