//! Fourth-order Runge-Kutta (XMILE 3.4.1 `rk4`): the step from `t` to
//! `t + dt` for models whose stocks are given by their flows.
//!
//! The stage values it needs live after the program's slots in the same
//! register file (`rk4_extra`), so that a run allocates nothing per step:
//! `[values at t][stocks at t][weighted sum of rates][last stage's rates]`.
//!
//! What is discrete is held through the stages, as Vensim does for its
//! input functions and DELAY FIXED: `prev` and pipeline delays read the
//! values of the step before `t`, data keep their value at `t`, `init`
//! keeps its first value, random draws are the step's. `time` is the
//! stage's time, so `step`, `pulse` and `ramp` are read at `t + dt/2` and
//! `t + dt` in the later stages (Vensim holds those three; XMILE is
//! silent).

use crate::model::compile::{CompiledModel, YEAR_SLOT};
use crate::model::compile::{Rk4, RkStock};

impl CompiledModel {
    /// Slots Runge-Kutta needs beyond the program's (none for Euler).
    pub(super) fn rk4_extra(&self) -> usize {
        match &self.rk4 {
            Some(rk) => self.n_vars + self.n_hidden + 3 * rk.stocks.len(),
            None => 0,
        }
    }

    /// From the values at `time` (in the current slots, saved already) to
    /// the stocks at `time + dt` (in the current slots) and the values at
    /// `time` in last step's slots: what the next step reads.
    pub(super) fn rk4_step<const N: usize>(&self, rk: &Rk4, r: &mut [[f64; N]], time: f64) {
        let cur = self.cur_base();
        let all = self.n_vars + self.n_hidden;
        let ns = rk.stocks.len();
        let keep = self.n_slots();
        let (s0, acc, k) = (keep + all, keep + all + ns, keep + all + 2 * ns);
        let dt = self.clock.dt;
        r.copy_within(cur..cur + all, keep);
        for (j, s) in rk.stocks.iter().enumerate() {
            r[s0 + j] = r[cur + s.var];
            let k1 = rate(r, cur, s, dt);
            r[acc + j] = k1;
            r[k + j] = k1;
        }
        for (h, w) in [(0.5, 2.0), (0.5, 2.0), (1.0, 1.0)] {
            for (j, s) in rk.stocks.iter().enumerate() {
                r[cur + s.var] = lanes(|l| r[s0 + j][l] + h * dt * r[k + j][l]);
            }
            r[YEAR_SLOT as usize] = [time + h * dt; N];
            // SAFETY: as for the step program: the compiler checked every
            // slot of `aux_ops`, and the caller the register file's length.
            unsafe { self.exec_program::<N>(&rk.aux_ops, r, time) };
            for (j, s) in rk.stocks.iter().enumerate() {
                let kj = rate(r, cur, s, dt);
                r[k + j] = kj;
                r[acc + j] = lanes(|l| r[acc + j][l] + w * kj[l]);
            }
        }
        r.copy_within(keep..keep + all, self.prev_base());
        for (j, s) in rk.stocks.iter().enumerate() {
            let next = lanes(|l| r[s0 + j][l] + dt / 6.0 * r[acc + j][l]);
            r[cur + s.var] = if s.non_negative {
                lanes(|l| next[l].max(0.0))
            } else {
                next
            };
        }
    }
}

/// A stock's rate at the stage in the current slots: its inflows less its
/// outflows, the outflows cut for a non-negative stock to what it holds
/// plus what flows in over a step (as Euler's `flows_change`).
fn rate<const N: usize>(r: &[[f64; N]], cur: usize, s: &RkStock, dt: f64) -> [f64; N] {
    lanes(|l| {
        let inflow: f64 = s.inflows.iter().map(|&f| r[cur + f][l]).sum();
        let outflow: f64 = s.outflows.iter().map(|&f| r[cur + f][l]).sum();
        if s.non_negative {
            let stock = r[cur + s.var][l];
            inflow - outflow.min((stock / dt + inflow).max(0.0))
        } else {
            inflow - outflow
        }
    })
}

fn lanes<const N: usize>(f: impl Fn(usize) -> f64) -> [f64; N] {
    std::array::from_fn(f)
}
