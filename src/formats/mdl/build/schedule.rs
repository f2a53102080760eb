//! A clock whose step changes during the run: `TIME STEP` and `SAVEPER`
//! (and `FINAL TIME`) functions of `Time` and constants only, so that
//! their value at every step is known before the run. The run is stepped
//! through here, as Vensim steps it: from each time the step in force
//! there, a time saved when it reaches the last saved time plus the
//! `SAVEPER` in force then, the run stopping at the first time that has
//! reached that time's `FINAL TIME`. What comes out is the model's
//! schedule (`TimeSpec::schedule`): its stretches of constant step and
//! save interval, each time `from + j * dt` within its stretch (never
//! accumulated).

use std::collections::HashMap;

use super::super::Raw;
use super::super::consts::{self, Ctx};
use super::super::parse::Expr;
use crate::model::def::TimeSegment;

/// The most steps a changing clock is followed.
const MAX_STEPS: u32 = 100_000;

/// The control equations, each `None` when not given (`TIME STEP` 1,
/// `SAVEPER` the time step).
pub(super) struct Control<'a> {
    pub final_time: &'a Expr,
    pub time_step: Option<&'a Expr>,
    pub saveper: Option<&'a Expr>,
}

/// The schedule from `start`, and the time the run stops at (a whole
/// number, as every run's end).
pub(super) fn schedule(
    c: &Control,
    defs: &HashMap<String, &Expr>,
    start: f64,
) -> Result<(Vec<TimeSegment>, i32), Raw> {
    let refused = |e: &Expr, name: &str, why: &str| {
        Raw::unsupported(
            e.span.0,
            format!(
                "`{name}` {why}: Trajectoire runs a changing clock only when it is known before the run"
            ),
        )
    };
    let at = |e: &Expr, name: &str, time: f64, dt: Option<f64>| {
        let ctx = Ctx {
            defs,
            time: Some(time),
            dt,
        };
        consts::eval(e, &ctx)
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                refused(
                    e,
                    name,
                    "changes during the run (it reads a stock or a lookup)",
                )
            })
    };
    let mut segments: Vec<TimeSegment> = Vec::new();
    let mut t = start;
    for _ in 0..=MAX_STEPS {
        let dt = match c.time_step {
            Some(e) => at(e, "TIME STEP", t, None)?,
            None => 1.0,
        };
        if dt <= 0.0 {
            let e = c.time_step.expect("a given time step");
            return Err(Raw::invalid(
                e.span.0,
                format!("`TIME STEP` must be positive, not {dt} (at time {t})"),
            ));
        }
        let save = match c.saveper {
            Some(e) => at(e, "SAVEPER", t, Some(dt))?,
            None => dt,
        };
        if save <= 0.0 {
            let e = c.saveper.expect("a given save interval");
            return Err(Raw::invalid(
                e.span.0,
                format!("`SAVEPER` must be positive, not {save} (at time {t})"),
            ));
        }
        let stop = at(c.final_time, "FINAL TIME", t, Some(dt))?;
        let tol = 1e-9 * dt.max(t.abs());
        if t >= stop - tol {
            if (t - stop).abs() > tol || t.fract() != 0.0 || t.abs() > 1e9 {
                return Err(refused(
                    c.final_time,
                    "FINAL TIME",
                    &format!(
                        "is passed at time {t}, not reached at a whole time step: not \
                         supported"
                    ),
                ));
            }
            return Ok((segments, t as i32));
        }
        match segments.last_mut() {
            Some(s) if s.dt == dt && s.save == save => s.steps += 1,
            _ => segments.push(TimeSegment {
                from: t,
                dt,
                steps: 1,
                save,
            }),
        }
        let s = segments.last().expect("just pushed");
        t = s.from + f64::from(s.steps) * s.dt;
    }
    Err(refused(
        c.final_time,
        "FINAL TIME",
        &format!("is not reached within {MAX_STEPS} steps"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::mdl::parse::{self, Rhs};

    /// `text`'s tree, as the right side of an equation.
    fn expr(text: &str) -> Expr {
        let text = format!("x = {text}");
        let q = parse::equation(&text, (0, text.len()), &mut 1000).expect("parses");
        match q.rhs {
            Rhs::Eqn(e) => e,
            _ => panic!("an equation"),
        }
    }

    #[test]
    fn steps_through_a_changing_step_and_save_interval() {
        let (f, dt, save) = (
            expr("IF THEN ELSE(Time < 5, 10, 50)"),
            expr("IF THEN ELSE(Time < 4, 1, 0.5)"),
            expr("IF THEN ELSE(Time < 10, TIME STEP, 5)"),
        );
        let defs: HashMap<String, &Expr> = [("time step".to_string(), &dt)].into();
        let c = Control {
            final_time: &f,
            time_step: Some(&dt),
            saveper: Some(&save),
        };
        let (segments, stop) = schedule(&c, &defs, 0.0).unwrap();
        assert_eq!(stop, 50);
        let seg = |from, dt, steps, save| TimeSegment {
            from,
            dt,
            steps,
            save,
        };
        assert_eq!(
            segments,
            [
                seg(0.0, 1.0, 4, 1.0),
                seg(4.0, 0.5, 12, 0.5),
                seg(10.0, 0.5, 80, 5.0)
            ]
        );
    }

    #[test]
    fn a_step_that_reads_a_stock_is_refused_where_it_is() {
        let (f, dt) = (expr("10"), expr("stock / 2"));
        let defs = HashMap::new();
        let c = Control {
            final_time: &f,
            time_step: Some(&dt),
            saveper: None,
        };
        let e = schedule(&c, &defs, 0.0).unwrap_err();
        assert_eq!(e.offset, dt.span.0);
        assert!(e.message.contains("TIME STEP"), "{}", e.message);
    }
}
