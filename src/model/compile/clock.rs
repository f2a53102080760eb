//! The time grid a run steps along (`Clock`), and what Runge-Kutta needs
//! beyond Euler's program (`Rk4`).

use super::codegen::{Compiled, VarKind};
use super::program::{Op, TAG_PREV};
use crate::model::def::{Method, Model, TimeSegment, VariableKind};

/// Steps of `dt` from `start`: step `k` is at `start + k * dt` (computed,
/// not accumulated, so that times stay exact), `n_steps` of them after the
/// first, every `save_every`-th saved.
///
/// A model whose step changes during the run (`TimeSpec::schedule`) has
/// `segments`, its stretches of constant step: step `k` is then at
/// `from + (k - first) * dt` of the stretch it falls in (never
/// accumulated either), and the saved steps are `saved`, listed. Without
/// a schedule both are empty and the grid is the one above.
#[derive(Clone, Debug, PartialEq)]
pub struct Clock {
    pub start: f64,
    pub dt: f64,
    pub n_steps: usize,
    pub save_every: usize,
    pub method: Method,
    pub segments: Vec<Segment>,
    /// The saved steps, in order, when there are `segments`.
    pub saved: Vec<usize>,
}

/// A stretch of constant step of a changing clock: from step `first`, at
/// time `from`, steps of `dt`, saving every `save` time units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    pub first: usize,
    pub from: f64,
    pub dt: f64,
    pub save: f64,
}

impl Clock {
    /// The model's grid. An invalid time axis (which `validate` reports)
    /// gives a grid of one step per time unit, so that compiling goes on
    /// and finds the other problems; so does an invalid schedule
    /// ([`schedule_problem`] reports it).
    pub fn of(m: &Model) -> Clock {
        let t = &m.time;
        let dt = Some(t.step())
            .filter(|d| d.is_finite() && *d > 0.0)
            .unwrap_or(1.0);
        let span = f64::from(m.end_year) - f64::from(m.start_year);
        let steps = (span / dt).round();
        let n_steps = if (0.0..=crate::model::validate::MAX_STEPS).contains(&steps) {
            steps as usize
        } else {
            0
        };
        let every = (t.save_interval() / dt).round();
        let clock = Clock {
            start: f64::from(m.start_year),
            dt,
            n_steps,
            save_every: if every >= 1.0 && every.is_finite() {
                every as usize
            } else {
                1
            },
            method: t.method,
            segments: Vec::new(),
            saved: Vec::new(),
        };
        if t.schedule.is_empty() || schedule_problem(m).is_some() {
            return clock;
        }
        Clock::scheduled(clock, &t.schedule)
    }

    /// `base` made to step along `schedule` (checked by
    /// [`schedule_problem`]), saving where Vensim saves: the first time,
    /// then each time that reaches the last saved time plus the save
    /// interval in force then.
    fn scheduled(base: Clock, schedule: &[TimeSegment]) -> Clock {
        let mut segments = Vec::with_capacity(schedule.len());
        let mut first = 0;
        for s in schedule {
            if s.steps > 0 {
                segments.push(Segment {
                    first,
                    from: s.from,
                    dt: s.dt,
                    save: s.save,
                });
            }
            first += s.steps as usize;
        }
        let mut clock = Clock {
            start: schedule[0].from,
            dt: schedule[0].dt,
            n_steps: first,
            save_every: 1,
            segments,
            ..base
        };
        let mut next = f64::NEG_INFINITY;
        let mut saved = Vec::new();
        for k in 0..=clock.n_steps {
            let (time, s) = (clock.time(k), clock.segments[clock.segment(k)]);
            if time >= next - 1e-6 * s.dt {
                saved.push(k);
                next = time + s.save;
            }
        }
        clock.saved = saved;
        clock
    }

    /// The stretch step `k` falls in (a changing clock only).
    fn segment(&self, k: usize) -> usize {
        self.segments
            .partition_point(|s| s.first <= k)
            .saturating_sub(1)
    }

    /// Whether the step changes during the run.
    pub fn is_scheduled(&self) -> bool {
        !self.segments.is_empty()
    }

    /// The time of step `k`.
    pub fn time(&self, k: usize) -> f64 {
        if self.segments.is_empty() {
            return self.start + k as f64 * self.dt;
        }
        let s = &self.segments[self.segment(k)];
        s.from + (k - s.first) as f64 * s.dt
    }

    /// The step taken from step `k` to the next: the time step in force
    /// at step `k` (`dt`, or its stretch's on a changing clock).
    pub fn step_at(&self, k: usize) -> f64 {
        if self.segments.is_empty() {
            return self.dt;
        }
        self.segments[self.segment(k)].dt
    }

    /// Whether step `k` is saved, the `i`-th saved so far (the step loop's
    /// count).
    pub(crate) fn is_saved(&self, k: usize, i: usize) -> bool {
        if self.segments.is_empty() {
            k.is_multiple_of(self.save_every)
        } else {
            self.saved.get(i) == Some(&k)
        }
    }

    /// The saved steps' times.
    pub fn saved_times(&self) -> Vec<f64> {
        if !self.segments.is_empty() {
            return self.saved.iter().map(|&k| self.time(k)).collect();
        }
        (0..=self.n_steps)
            .step_by(self.save_every)
            .map(|k| self.time(k))
            .collect()
    }
}

/// What is wrong with the model's schedule (`TimeSpec::schedule`), if it
/// has one: its stretches must follow each other from the start time to
/// the end time, each a positive step and save interval, and not too many
/// steps in all; the method Euler's (Runge-Kutta's stages assume one
/// step).
pub(crate) fn schedule_problem(m: &Model) -> Option<String> {
    let schedule = &m.time.schedule;
    let first = schedule.first()?;
    if m.time.method != Method::Euler {
        return Some("a time step that changes during the run needs Euler's method".into());
    }
    if m.time.save_step.is_some() {
        return Some(
            "a schedule gives each stretch its save interval: leave `save_step` out".into(),
        );
    }
    let near = |a: f64, b: f64, dt: f64| (a - b).abs() <= 1e-6 * dt;
    if !near(first.from, f64::from(m.start_year), first.dt) {
        return Some(format!(
            "the schedule starts at {}, not at the start time {}",
            first.from, m.start_year
        ));
    }
    let mut steps = 0u64;
    for (i, s) in schedule.iter().enumerate() {
        if !(s.dt.is_finite() && s.dt > 0.0 && s.save.is_finite() && s.save > 0.0) {
            return Some(format!(
                "stretch {} of the schedule needs a positive step and save interval, not {} \
                 and {}",
                i + 1,
                s.dt,
                s.save
            ));
        }
        let end = s.from + f64::from(s.steps) * s.dt;
        let next = schedule
            .get(i + 1)
            .map_or(f64::from(m.end_year), |n| n.from);
        if !near(end, next, s.dt) {
            return Some(format!(
                "stretch {} of the schedule ends at {end}, not at {next}",
                i + 1
            ));
        }
        steps += u64::from(s.steps);
    }
    (steps as f64 > crate::model::validate::MAX_STEPS).then(|| {
        format!(
            "the schedule takes {steps} steps: the most a run takes is {:.0}",
            crate::model::validate::MAX_STEPS
        )
    })
}

/// A stock as Runge-Kutta integrates it: its rate is the sum of its
/// inflows less its outflows, evaluated at each stage.
#[derive(Clone, Debug)]
pub(crate) struct RkStock {
    pub var: usize,
    pub inflows: Vec<usize>,
    pub outflows: Vec<usize>,
    pub non_negative: bool,
}

/// What a Runge-Kutta run needs: the stocks with their flows, and the
/// step program without the stocks (they are set by the integrator).
#[derive(Clone, Debug)]
pub(crate) struct Rk4 {
    pub stocks: Vec<RkStock>,
    pub aux_ops: Vec<Op>,
}

impl Rk4 {
    /// `None` for Euler. `link` builds a program of the variables that
    /// `skip` does not name (the stocks). Every stock is given by its flows
    /// (`validate` refuses a change under RK4), or is a hidden stock whose
    /// change is one flow's last value.
    pub(crate) fn new(
        m: &Model,
        clock: &Clock,
        step: &[Option<Compiled>],
        kinds: &[VarKind],
        link: impl FnOnce(&dyn Fn(usize) -> bool) -> Vec<Op>,
    ) -> Option<Rk4> {
        if clock.method != Method::Rk4 {
            return None;
        }
        let id = |name: &String| m.variables.iter().position(|v| &v.id == name);
        let stocks: Vec<RkStock> = kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| **k == VarKind::Stock)
            .filter_map(|(i, _)| match m.variables.get(i).map(|v| &v.kind) {
                Some(VariableKind::Stock {
                    inflows,
                    outflows,
                    non_negative,
                    ..
                }) => Some(RkStock {
                    var: i,
                    inflows: inflows.iter().filter_map(id).collect(),
                    outflows: outflows.iter().filter_map(id).collect(),
                    non_negative: *non_negative,
                }),
                Some(_) => None,
                None => hidden_flow(step[i].as_ref()?).map(|f| RkStock {
                    var: i,
                    inflows: vec![f],
                    outflows: Vec::new(),
                    non_negative: false,
                }),
            })
            .collect();
        let is_stock = |i: usize| kinds[i] == VarKind::Stock;
        Some(Rk4 {
            stocks,
            aux_ops: link(&is_stock),
        })
    }
}

/// A hidden stock's flow: its change is that variable's last value, and
/// nothing else (`hidden::last_years_change`).
fn hidden_flow(c: &Compiled) -> Option<usize> {
    (c.ops.is_empty() && c.result & TAG_PREV == TAG_PREV).then_some((c.result & !TAG_PREV) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::def::TimeSpec;

    fn model(start: i32, end: i32, time: TimeSpec) -> Model {
        let mut m = crate::model::templates::Template::Blank
            .model()
            .model()
            .clone();
        m.start_year = start;
        m.end_year = end;
        m.time = time;
        m
    }

    #[test]
    fn a_constant_step_is_start_plus_k_dt_as_before() {
        let time = TimeSpec {
            dt: 0.1,
            save_step: Some(0.5),
            ..TimeSpec::default()
        };
        let c = Clock::of(&model(2000, 2010, time));
        assert!(!c.is_scheduled() && c.saved.is_empty());
        assert_eq!((c.n_steps, c.save_every), (100, 5));
        for k in 0..=c.n_steps {
            assert_eq!(c.time(k).to_bits(), (2000.0 + k as f64 * 0.1).to_bits());
            assert_eq!(c.step_at(k), 0.1);
        }
        let old: Vec<f64> = (0..=100)
            .step_by(5)
            .map(|k| 2000.0 + k as f64 * 0.1)
            .collect();
        assert_eq!(c.saved_times(), old);
    }

    #[test]
    fn a_two_stretch_clock_steps_and_saves_where_each_says() {
        let seg = |from, dt, steps, save| TimeSegment {
            from,
            dt,
            steps,
            save,
        };
        let time = TimeSpec {
            schedule: vec![seg(0.0, 1.0, 3, 2.0), seg(3.0, 0.25, 8, 0.5)],
            ..TimeSpec::default()
        };
        let m = model(0, 5, time);
        assert_eq!(schedule_problem(&m), None);
        let c = Clock::of(&m);
        assert_eq!(c.n_steps, 11);
        let times: Vec<f64> = (0..=11).map(|k| c.time(k)).collect();
        assert_eq!(
            times,
            [
                0.0, 1.0, 2.0, 3.0, 3.25, 3.5, 3.75, 4.0, 4.25, 4.5, 4.75, 5.0
            ]
        );
        assert_eq!(c.step_at(2), 1.0);
        assert_eq!(c.step_at(3), 0.25);
        // Saved at 0 and 2 (every 2), then 2 + 2 = 4 is the next save
        // point: 3 is not saved; from 4 every 0.5.
        assert_eq!(c.saved_times(), [0.0, 2.0, 4.0, 4.5, 5.0]);
        // Stretches that do not meet, or miss the end, are reported.
        let mut bad = m.clone();
        bad.time.schedule[1].from = 3.5;
        assert!(schedule_problem(&bad).unwrap().contains("ends at"));
        bad.time.schedule[1].from = 3.0;
        bad.end_year = 6;
        assert!(schedule_problem(&bad).unwrap().contains("not at 6"));
    }
}
