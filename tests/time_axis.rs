//! The time axis: `dt`, saved times, Euler and Runge-Kutta, stocks given by
//! their flows, and the closed forms the system-dynamics functions must
//! reach as the step shrinks.

mod models;

use models::{aux, clocked, flow_stock, stock};
use trajectoire::model::load::compile_text;
use trajectoire::model::{CompiledModel, Run};

fn build(start: i32, stop: i32, time: &str, vars: &str) -> CompiledModel {
    compile_text(&clocked(start, stop, time, vars), None)
        .unwrap_or_else(|e| panic!("{e}\n{}", clocked(start, stop, time, vars)))
}

fn run(m: &CompiledModel) -> Run {
    let r = m.run(&[]);
    assert!(r.is_ok(), "{:?}", r.problems);
    r
}

fn at(m: &CompiledModel, r: &Run, id: &str, t: f64) -> f64 {
    r.value(m.var_index(id).unwrap(), t)
        .unwrap_or_else(|| panic!("{t} is not a saved time"))
}

#[test]
fn saved_times_follow_the_save_step_and_time_reads_the_step() {
    let m = build(
        0,
        3,
        "(dt: 4, dt_reciprocal: true, save_step: Some(0.5))",
        &(aux("t", "time") + &aux("step_size", "dt") + &aux("first", "start_time")),
    );
    assert_eq!(m.times(), [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]);
    let r = run(&m);
    assert_eq!(r.series(0), m.times());
    assert!(r.series(1).iter().all(|&d| d == 0.25));
    // Every step saved when no save step is given (XMILE).
    let m = build(0, 1, "(dt: 0.25)", &aux("t", "time"));
    assert_eq!(m.times(), [0.0, 0.25, 0.5, 0.75, 1.0]);
}

#[test]
fn a_stock_integrates_its_change_times_dt() {
    // change 2 per time unit: 2 a year whatever the step.
    for dt in [1.0, 0.5, 0.125] {
        let m = build(0, 4, &format!("(dt: {dt})"), &stock("s", "10", "2"));
        let r = run(&m);
        assert_eq!(at(&m, &r, "s", 4.0), 18.0, "dt {dt}");
    }
}

/// A step at 1 through a first-order delay of time 2.
fn delayed_step(dt: f64) -> (CompiledModel, Run) {
    let m = build(
        0,
        20,
        &format!("(dt: {dt})"),
        &(aux("x", "step(1, 1)") + &aux("d", "delay1(x, 2)")),
    );
    let r = run(&m);
    (m, r)
}

#[test]
fn delay1_of_a_step_is_eulers_discrete_formula_and_tends_to_the_exponential() {
    let dt = 1.0 / 16.0;
    let (m, r) = delayed_step(dt);
    let d = m.var_index("d").unwrap();
    // The step is on from k0 = 16 (time 1); out_k = 1 - (1 - dt/T)^(k - k0).
    for (k, &t) in m.times().iter().enumerate() {
        let want = if k < 16 {
            0.0
        } else {
            1.0 - (1.0 - dt / 2.0).powi(k as i32 - 16)
        };
        assert!(
            (r.series(d)[k] - want).abs() < 1e-12,
            "t {t}: {}",
            r.series(d)[k]
        );
    }
    // Halving dt halves the distance to 1 - exp(-(t - 1)/T) (Euler: O(dt)).
    let err = |dt: f64| {
        let (m, r) = delayed_step(dt);
        (1..=19)
            .map(|t| {
                let t = f64::from(t) + 1.0;
                (at(&m, &r, "d", t) - (1.0 - (-(t - 1.0) / 2.0).exp())).abs()
            })
            .fold(0.0, f64::max)
    };
    let (e1, e2) = (err(1.0 / 32.0), err(1.0 / 64.0));
    assert!(e2 < 0.01, "{e2}");
    assert!((1.8..2.2).contains(&(e1 / e2)), "{e1} / {e2}");
}

#[test]
fn delay3_conserves_material() {
    // The built-in against the same chain written with flows: equal, and
    // what went in is what came out plus what is in the three stages.
    let chain = flow_stock("s1", "0", &["x"], &["f1"], false)
        + &flow_stock("s2", "0", &["f1"], &["f2"], false)
        + &flow_stock("s3", "0", &["f2"], &["f3"], false)
        + &aux("f1", "s1 / (4 / 3)")
        + &aux("f2", "s2 / (4 / 3)")
        + &aux("f3", "s3 / (4 / 3)");
    let vars = aux("x", "pulse(10, 1) + step(2, 3) - step(2, 6)")
        + &aux("d", "delay3(x, 4, 0)")
        + &flow_stock("cum_in", "0", &["x"], &[], false)
        + &flow_stock("cum_out", "0", &["d"], &[], false)
        + &chain;
    let m = build(0, 40, "(dt: 0.125)", &vars);
    let r = run(&m);
    for &t in m.times() {
        let v = |id| at(&m, &r, id, t);
        assert!((v("d") - v("f3")).abs() < 1e-12, "t {t}");
        let transit = v("s1") + v("s2") + v("s3");
        assert!((v("cum_in") - v("cum_out") - transit).abs() < 1e-9, "t {t}");
    }
    // Everything has come out 34 delay times later: 10 + 2 * 3.
    assert!((at(&m, &r, "cum_out", 40.0) - 16.0).abs() < 1e-4);
}

#[test]
fn smooth1_of_a_ramp_lags_it_by_its_time() {
    let m = build(
        0,
        60,
        "(dt: 0.125)",
        &(aux("x", "ramp(2, 0)") + &aux("s", "smooth1(x, 3)")),
    );
    let r = run(&m);
    // Slope 2, time 3: the smooth runs 6 behind, 3 time units late.
    let lag = at(&m, &r, "x", 60.0) - at(&m, &r, "s", 60.0);
    assert!((lag - 6.0).abs() < 1e-7, "{lag}");
}

/// `dx/dt = -k x` with k = 0.5, from x = 1, by `method` at step `dt`:
/// the distance to exp(-5) at time 10.
fn decay_error(method: &str, dt: f64) -> f64 {
    let m = build(
        0,
        10,
        &format!("(dt: {dt}, method: {method})"),
        &(flow_stock("x", "1", &[], &["out"], false) + &aux("out", "0.5 * x")),
    );
    let r = run(&m);
    (at(&m, &r, "x", 10.0) - (-5.0_f64).exp()).abs()
}

#[test]
fn rk4_is_fourth_order_and_euler_first() {
    let (a, b) = (decay_error("Rk4", 0.5), decay_error("Rk4", 0.25));
    assert!((14.0..18.0).contains(&(a / b)), "RK4: {a} / {b}");
    assert!(b < 1e-6, "{b}");
    let (a, b) = (decay_error("Euler", 0.05), decay_error("Euler", 0.025));
    assert!((1.8..2.2).contains(&(a / b)), "Euler: {a} / {b}");
}

#[test]
fn rk4_needs_stocks_given_by_flows() {
    let text = clocked(0, 5, "(method: Rk4)", &stock("s", "1", "1"));
    let e = compile_text(&text, None).unwrap_err().to_string();
    assert!(e.contains("Runge-Kutta") && e.contains("`s`"), "{e}");
}

#[test]
fn a_pulse_with_an_interval_repeats_and_brings_its_volume() {
    let m = build(
        0,
        10,
        "(dt: 0.25)",
        &(aux("p", "pulse(3, 2, 3)") + &flow_stock("s", "0", &["p"], &[], false)),
    );
    let r = run(&m);
    let p = m.var_index("p").unwrap();
    let fired: Vec<f64> = m
        .times()
        .iter()
        .zip(r.series(p))
        .filter(|(_, v)| **v != 0.0)
        .map(|(t, v)| {
            assert_eq!(*v, 12.0, "3 / dt");
            *t
        })
        .collect();
    assert_eq!(fired, [2.0, 5.0, 8.0]);
    assert_eq!(at(&m, &r, "s", 10.0), 9.0);
}

#[test]
fn trend_of_an_exponential_is_its_growth_rate() {
    let m = build(
        0,
        40,
        "(dt: 0.015625)",
        &(aux("x", "exp(0.05 * time)") + &aux("g", "trend(x, 2)")),
    );
    let r = run(&m);
    let g = at(&m, &r, "g", 40.0);
    assert!((g - 0.05).abs() < 2e-3, "{g}");
}

#[test]
fn a_non_negative_stock_stops_at_zero_as_xmile_says() {
    // SDXorg `non_negative_stocks`, TestStock3 (dt 1.5): 10, 10, 7.75,
    // 3.25, 0, 0, 0, 0, then 15.75 at 12.
    let vars = flow_stock("s", "10", &["f"], &[], true)
        + &aux("f", "if time > 10 then time else -time")
        + &flow_stock("drain", "5", &[], &["out"], true)
        + &aux("out", "1");
    let m = build(0, 15, "(dt: 1.5)", &vars);
    let r = run(&m);
    let s = r.series(m.var_index("s").unwrap());
    assert_eq!(&s[..9], [10.0, 10.0, 7.75, 3.25, 0.0, 0.0, 0.0, 0.0, 15.75]);
    // The outflow takes what is there, then nothing.
    let drain = r.series(m.var_index("drain").unwrap());
    assert_eq!(&drain[..6], [5.0, 3.5, 2.0, 0.5, 0.0, 0.0]);
}

#[test]
fn a_stock_written_with_flows_runs_as_the_same_stock_written_with_change() {
    use proptest::prelude::*;
    let equations = prop::sample::select(vec![
        "3 + time / 10",
        "0.2 * s",
        "if time > 4 then s / 3 else 1",
        "smooth1(time, 2)",
        "sin(time) * 5",
    ]);
    let dts = prop::sample::select(vec![1.0, 0.5, 0.25, 0.1]);
    proptest!(ProptestConfig::with_cases(40), |(inflow in equations.clone(), outflow in equations, dt in dts)| {
        let flows = aux("i", inflow) + &aux("o", outflow);
        let change = stock("s", "4", "prev(i) - prev(o)") + &flows;
        let with_flows = flow_stock("s", "4", &["i"], &["o"], false) + &flows;
        let time = format!("(dt: {dt})");
        let a = build(0, 10, &time, &change);
        let b = build(0, 10, &time, &with_flows);
        prop_assert_eq!(a.run(&[]), b.run(&[]));
    });
}

/// Each bad clock, with the field its error points at.
#[test]
fn a_bad_clock_is_an_error_at_its_line_and_column() {
    let cases = [
        ("(dt: 0)", 2020, 2030, "dt", "positive"),
        ("(dt: -0.5)", 2020, 2030, "dt", "positive"),
        (
            "(dt: 0.25, save_step: Some(0.3))",
            2020,
            2030,
            "save_step",
            "whole number",
        ),
        ("(dt: 1)", 2030, 2020, "end_year", "before"),
        ("(dt: 0.00001)", 2000, 2100, "dt", "1000000"),
    ];
    for (time, start, stop, field, says) in cases {
        let text = clocked(start, stop, time, &aux("x", "1"));
        let errs = compile_text(&text, None).unwrap_err();
        let e = errs
            .0
            .iter()
            .find(|e| e.field == field)
            .unwrap_or_else(|| panic!("{time}: {errs}"));
        assert!(e.message.contains(says), "{time}: {}", e.message);
        let loc = e.location.as_ref().expect("located");
        let line = text.lines().nth(loc.line - 1).unwrap();
        let key = if field == "end_year" {
            "end_year"
        } else {
            field
        };
        assert!(line.contains(key), "{time}: line {} is `{line}`", loc.line);
    }
}

/// Mean and standard deviation of a series.
fn moments(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

fn random_model() -> CompiledModel {
    build(
        0,
        200,
        "(dt: 0.01)",
        &(aux("u", "random_uniform(2, 12)")
            + &aux("n", "random_normal(5, 2)")
            + &aux("l", "random_lognormal(4, 1)")
            + &aux("p", "random_poisson(3)")
            + &aux("p_big", "random_poisson(900)")
            + &aux("u2", "random_uniform(2, 12)")),
    )
}

#[test]
fn random_inputs_have_their_distributions() {
    let m = random_model();
    let r = run(&m);
    let series = |id: &str| r.series(m.var_index(id).unwrap()).to_vec();
    let u = series("u");
    assert!(u.iter().all(|x| (2.0..12.0).contains(x)));
    let checks = [
        ("u", 7.0, 10.0 / 12f64.sqrt()),
        ("n", 5.0, 2.0),
        ("l", 4.0, 1.0),
        ("p", 3.0, 3f64.sqrt()),
        ("p_big", 900.0, 30.0),
    ];
    for (id, mean, sd) in checks {
        let (m_, s_) = moments(&series(id));
        // 20,001 draws: the mean within 4 standard errors, the sd within 3 %.
        assert!(
            (m_ - mean).abs() < 4.0 * sd / 20_001f64.sqrt(),
            "{id}: mean {m_}"
        );
        assert!((s_ / sd - 1.0).abs() < 0.03, "{id}: sd {s_}");
    }
    assert!(series("p").iter().all(|x| x.fract() == 0.0 && *x >= 0.0));
    // Two calls with the same arguments draw apart.
    assert_ne!(series("u"), series("u2"));
}

#[test]
fn the_same_seed_draws_the_same_numbers_and_another_seed_others() {
    let mut m = random_model();
    let a = run(&m);
    assert_eq!(a, run(&m));
    // The lanes of a batch draw as single runs do.
    assert_eq!(m.run_batch(&[&[], &[]])[1], a);
    m.set_seed(7);
    let b = run(&m);
    assert_ne!(a.series(0), b.series(0));
    // Pure integer mixing: the same bits on any machine.
    let u = trajectoire::model::expr::random::Stream::new(1, 0.0, 0.0, 2024.0).uniform();
    assert_eq!(u.to_bits(), GOLDEN_DRAW, "{u} = {:#x}", u.to_bits());
}

#[test]
fn a_seeded_call_draws_the_same_in_every_run_and_bounds_hold() {
    let mut m = build(
        0,
        100,
        "(dt: 0.5)",
        &(aux("seeded", "random_normal(0, 1, 7)")
            + &aux("other_seed", "random_normal(0, 1, 8)")
            + &aux("free", "random_normal(0, 1)")
            + &aux("bounded", "random_normal(0, 1, 0, -0.5, 2)")
            + &aux("gamma", "random_gamma(2, 3, 5, 1, 10)")),
    );
    let series = |m: &CompiledModel, id: &str| run(m).series(m.var_index(id).unwrap()).to_vec();
    let a = (series(&m, "seeded"), series(&m, "free"));
    m.set_seed(99);
    let b = (series(&m, "seeded"), series(&m, "free"));
    assert_eq!(a.0, b.0, "a seeded call ignores the run's seed");
    assert_ne!(a.1, b.1, "an unseeded one follows it");
    assert_ne!(a.0, series(&m, "other_seed"));
    // The lanes of a batch (Monte Carlo's) draw the seeded call alike.
    let batch = m.run_batch(&[&[], &[]]);
    let v = m.var_index("seeded").unwrap();
    assert_eq!(batch[0].series(v), batch[1].series(v));
    let bounded = series(&m, "bounded");
    assert!(
        bounded.iter().all(|x| (-0.5..=2.0).contains(x)),
        "{bounded:?}"
    );
    let gamma = series(&m, "gamma");
    assert!(gamma.iter().all(|x| (1.0..=10.0).contains(x)), "{gamma:?}");
    let (mean, _) = moments(&gamma);
    assert!(mean > 4.0 && mean < 7.0, "{mean}");
}

/// The first uniform number of run seed 1, site 0, time 2024
/// (`random::Stream`), as computed once.
const GOLDEN_DRAW: u64 = 0x3fc6_be98_7032_2b80;

#[test]
fn a_stock_with_neither_change_nor_flows_keeps_its_value_under_both_methods() {
    for method in ["Euler", "Rk4"] {
        let vars = flow_stock("s", "7", &[], &[], false) + &aux("x", "s * 2");
        let m = build(0, 3, &format!("(dt: 0.5, method: {method})"), &vars);
        let r = run(&m);
        assert!(r.series(0).iter().all(|&v| v == 7.0), "{method}");
    }
}

/// Vensim's `test_control_vars.mdl` clock as a schedule: a step of 1 until
/// time 4, then 0.5; every step saved until 10, then every 5; the end 50.
const CONTROL_VARS: &str = "(dt: 1, schedule: [\
    (from: 0, dt: 1, steps: 4, save: 1), \
    (from: 4, dt: 0.5, steps: 12, save: 0.5), \
    (from: 10, dt: 0.5, steps: 80, save: 5)])";

#[test]
fn a_changing_step_saves_where_vensim_saves_and_time_reads_it() {
    let m = build(
        0,
        50,
        CONTROL_VARS,
        &(aux("t", "time") + &aux("step_size", "dt")),
    );
    let mut expected: Vec<f64> = vec![0.0, 1.0, 2.0, 3.0];
    expected.extend((8..20).map(|k| f64::from(k) * 0.5));
    expected.extend((2..=10).map(|k| f64::from(k) * 5.0));
    assert_eq!(m.times(), expected);
    assert_eq!(m.clock().n_steps, 4 + 12 + 80);
    let r = run(&m);
    assert_eq!(r.series(0), m.times());
    // `dt` is the step in force at each time: 1 until 4, 0.5 from there.
    for (&t, &d) in m.times().iter().zip(r.series(1)) {
        assert_eq!(d, if t < 4.0 { 1.0 } else { 0.5 }, "at {t}");
    }
    // Every saved time is found, and a step between saves is not saved.
    assert_eq!(r.time_index(4.5), Some(5));
    assert_eq!(r.time_index(15.0), Some(17));
    assert_eq!(r.time_index(12.5), None);
    assert_eq!(r.time_index(3.5), None);
}

#[test]
fn a_stock_over_a_changing_step_integrates_with_the_step_in_force() {
    // A rate of 1 gives the time elapsed; a rate of `dt` sums the steps
    // taken, 1 four times then 0.5 (`dt` in a change is the step taken).
    let m = build(
        0,
        50,
        CONTROL_VARS,
        &(stock("elapsed", "0", "1") + &stock("sum_of_steps", "0", "dt")),
    );
    let r = run(&m);
    for (i, &t) in m.times().iter().enumerate() {
        assert_eq!(r.series(0)[i], t, "at {t}");
        let steps = if t <= 4.0 { t } else { 4.0 + (t - 4.0) * 0.5 };
        assert_eq!(r.series(1)[i], steps, "at {t}");
    }
    // A step that is not a power of two: times from the stretch's start,
    // never accumulated, so 30 steps of 0.1 from 1 end at exactly 4.
    let m = build(
        0,
        4,
        "(dt: 1, schedule: [(from: 0, dt: 1, steps: 1, save: 1), \
         (from: 1, dt: 0.1, steps: 30, save: 0.1)])",
        &(aux("t", "time") + &stock("elapsed", "0", "1")),
    );
    let r = run(&m);
    let times = m.times();
    assert_eq!(times.len(), 32);
    assert_eq!(times[31], 4.0);
    assert_eq!(times[11], 1.0 + 10.0 * 0.1);
    assert!((at(&m, &r, "elapsed", 4.0) - 4.0).abs() < 1e-12);
}

#[test]
fn a_schedule_of_one_stretch_runs_as_the_constant_step_bit_for_bit() {
    let vars =
        aux("t", "time") + &aux("g", "0.3 * s + dt") + &flow_stock("s", "10", &["g"], &[], false);
    for (dt, n) in [(1.0, 10), (0.25, 40), (0.1, 100)] {
        let constant = build(0, 10, &format!("(dt: {dt})"), &vars);
        let one = build(
            0,
            10,
            &format!("(dt: {dt}, schedule: [(from: 0, dt: {dt}, steps: {n}, save: {dt})])"),
            &vars,
        );
        assert!(!constant.clock().is_scheduled());
        assert!(one.clock().is_scheduled());
        assert_eq!(constant.times(), one.times(), "dt {dt}");
        for k in 0..=n {
            assert_eq!(
                constant.clock().time(k).to_bits(),
                one.clock().time(k).to_bits()
            );
        }
        assert_eq!(run(&constant), run(&one), "dt {dt}");
    }
}

#[test]
fn a_changing_step_refuses_what_needs_one_step() {
    let cases = [
        (
            CONTROL_VARS.replace("(dt: 1,", "(dt: 1, method: Rk4,"),
            flow_stock("s", "0", &[], &[], false),
            "schedule",
            "Euler",
        ),
        (
            CONTROL_VARS.replace("steps: 80", "steps: 79"),
            aux("x", "1"),
            "schedule",
            "ends at",
        ),
        (
            CONTROL_VARS.to_string(),
            aux("x", "pulse(1, 5)"),
            "equation",
            "stays the same",
        ),
    ];
    for (time, vars, field, says) in cases {
        let text = clocked(0, 50, &time, &vars);
        let errs = compile_text(&text, None).unwrap_err();
        let e = errs
            .0
            .iter()
            .find(|e| e.field == field)
            .unwrap_or_else(|| panic!("{time}: {errs}"));
        assert!(e.message.contains(says), "{time}: {}", e.message);
        assert!(e.location.is_some(), "{time}: located");
    }
}
