//! The native backend (issue 27): a program (`&[Op]`) compiled by
//! Cranelift into machine code for a given number of lanes `N`, straight
//! line, each op's lanes unrolled as scalar `f64` instructions, with the
//! interpreter's semantics bit for bit (`exec` is the reference; tests
//! `backends.rs` compare every value of every shipped and suite model).
//!
//! A long program is cut into several functions (`OPS_PER_FUNCTION`
//! lane-ops each), called one after the other: Cranelift's time per
//! function grows faster than its length.
//!
//! Memory safety is the interpreter's: slots are read and written
//! without checks, the caller having asserted that the register file
//! covers `max_slot`, and lookups' table indices were checked by the
//! compiler.

mod calls;
mod lower;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use cranelift_codegen::ir::{AbiParam, InstBuilder, UserFuncName, types};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{Linkage, Module, default_libcall_names};

use crate::model::compile::{Op, Table};
use lower::{Lower, Params, Sigs};

/// What native code looks like from Rust: the register file (slot `s`,
/// lane `l` at `s * N + l`), the tables, the seed and the step's time.
type Entry = unsafe extern "C" fn(*mut f64, *const Table, u64, f64);

/// Lane-ops (an op times its lanes) per generated function.
const OPS_PER_FUNCTION: usize = 4096;

/// The most lane-ops (ops times lanes, all programs) built into native
/// code. Cranelift's time grows with the code (a suite model of 100
/// allocations over 100 requesters took seconds at one lane), and past a
/// few hundred kilobytes of straight-line code the instruction cache, not
/// the interpreter's dispatch, bounds the speed: beyond it the
/// interpreter runs.
const MAX_LANE_OPS: usize = 1 << 17;

/// Whether this host's native code is known to give the interpreter's bits:
/// x86-64, whose `f64::min`/`max` lowering `lower` reproduces.
pub(crate) const HOST_SUPPORTED: bool = cfg!(target_arch = "x86_64");

/// Several programs compiled for one `N`, in one block of executable memory.
pub(crate) struct NativeSet {
    /// Freed when the set is dropped; held in a mutex only so that the set
    /// is `Sync` (it is never touched once built).
    module: Mutex<Option<JITModule>>,
    /// Each program's functions, to call in order.
    programs: Vec<Vec<Entry>>,
    lanes: usize,
    pub(crate) build_time: Duration,
}

impl std::fmt::Debug for NativeSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeSet")
            .field("lanes", &self.lanes)
            .field("programs", &self.programs.len())
            .field("build_time", &self.build_time)
            .finish()
    }
}

impl Drop for NativeSet {
    fn drop(&mut self) {
        let module = self.module.get_mut().map(Option::take);
        if let Ok(Some(module)) = module {
            // SAFETY: the set is being dropped, so no function of it runs
            // or will run (`run` borrows the set).
            unsafe { module.free_memory() };
        }
    }
}

impl NativeSet {
    /// Compiles each of `programs` for `N` lanes.
    pub(crate) fn build<const N: usize>(
        programs: &[&[Op]],
        max_slot: usize,
    ) -> Result<NativeSet, String> {
        if !HOST_SUPPORTED {
            return Err("native code is not supported on this processor".into());
        }
        // Every byte offset `lower` computes fits in an i32.
        if (max_slot as u64 + 1) * N as u64 * 8 > i32::MAX as u64 {
            return Err(format!(
                "register file too large for native code ({max_slot} slots)"
            ));
        }
        let n_ops: usize = programs.iter().map(|p| p.len()).sum();
        if n_ops * N > MAX_LANE_OPS {
            return Err(format!(
                "program too long for native code: {n_ops} ops at {N} lanes, \
                 at most {MAX_LANE_OPS} ops times lanes"
            ));
        }
        let start = Instant::now();
        let mut module = new_module()?;
        let mut ids = Vec::new();
        let mut ctx = module.make_context();
        let mut fctx = FunctionBuilderContext::new();
        let mut sig = module.make_signature();
        for t in [types::I64, types::I64, types::I64, types::F64] {
            sig.params.push(AbiParam::new(t));
        }
        let per_function = (OPS_PER_FUNCTION / N).max(1);
        let mut n_defined = 0;
        for ops in programs {
            let mut fns = Vec::new();
            for chunk in ops.chunks(per_function) {
                let name = format!("f{}", n_defined + fns.len());
                let id = module
                    .declare_function(&name, Linkage::Local, &sig)
                    .map_err(|e| e.to_string())?;
                ctx.func.signature = sig.clone();
                ctx.func.name = UserFuncName::user(0, id.as_u32());
                function::<N>(
                    &mut ctx.func,
                    &mut fctx,
                    &sig,
                    chunk,
                    module.target_config(),
                );
                module
                    .define_function(id, &mut ctx)
                    .map_err(|e| format!("{e:?}"))?;
                module.clear_context(&mut ctx);
                fns.push(id);
            }
            n_defined += fns.len();
            ids.push(fns);
        }
        module.finalize_definitions().map_err(|e| e.to_string())?;
        let programs = ids
            .iter()
            .map(|fns| {
                fns.iter()
                    .map(|&id| {
                        let p = module.get_finalized_function(id);
                        // SAFETY: `function` built it with `Entry`'s signature
                        // in the host's C calling convention.
                        unsafe { std::mem::transmute::<*const u8, Entry>(p) }
                    })
                    .collect()
            })
            .collect();
        Ok(NativeSet {
            module: Mutex::new(Some(module)),
            programs,
            lanes: N,
            build_time: start.elapsed(),
        })
    }

    /// Runs program `p` (its index in `build`'s list) over `regs`.
    ///
    /// # Safety
    /// The set was built for `N` lanes, and `regs` covers every slot the
    /// program names (as for `exec`); `tables` are the program's.
    pub(crate) unsafe fn run<const N: usize>(
        &self,
        p: usize,
        regs: &mut [[f64; N]],
        tables: &[Table],
        (seed, step_time): (u64, f64),
    ) {
        debug_assert_eq!(self.lanes, N);
        let r = regs.as_mut_ptr().cast::<f64>();
        for f in &self.programs[p] {
            // SAFETY: see the function's contract.
            unsafe { f(r, tables.as_ptr(), seed, step_time) };
        }
    }
}

/// A module for the host, optimised for speed.
fn new_module() -> Result<JITModule, String> {
    let mut flags = settings::builder();
    let set = |f: &mut settings::Builder, k: &str, v: &str| {
        f.set(k, v)
            .map_err(|e| format!("cranelift setting {k}: {e}"))
    };
    set(&mut flags, "opt_level", "speed")?;
    set(&mut flags, "use_colocated_libcalls", "false")?;
    set(&mut flags, "is_pic", "false")?;
    let verify = if cfg!(debug_assertions) {
        "true"
    } else {
        "false"
    };
    set(&mut flags, "enable_verifier", verify)?;
    let isa = cranelift_native::builder()
        .map_err(|e| format!("no native code for this host: {e}"))?
        .finish(settings::Flags::new(flags))
        .map_err(|e| format!("no native code for this host: {e}"))?;
    Ok(JITModule::new(JITBuilder::with_isa(
        isa,
        default_libcall_names(),
    )))
}

/// One function: `ops` for `N` lanes, in one block.
fn function<const N: usize>(
    func: &mut cranelift_codegen::ir::Function,
    fctx: &mut FunctionBuilderContext,
    sig: &cranelift_codegen::ir::Signature,
    ops: &[Op],
    config: cranelift_codegen::isa::TargetFrontendConfig,
) {
    let mut b = FunctionBuilder::new(func, fctx);
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let v = b.block_params(block).to_vec();
    let p = Params {
        regs: v[0],
        tables: v[1],
        seed: v[2],
        time: v[3],
    };
    let sigs = Sigs::import(&mut b, sig);
    let mut lower = Lower::<N>::new(&mut b, &sigs, p);
    for op in ops {
        lower.op(op);
    }
    b.ins().return_(&[]);
    b.finalize(config);
}

#[cfg(test)]
mod tests;
