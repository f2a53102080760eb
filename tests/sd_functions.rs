//! The system-dynamics functions of the equation language (XMILE 1.0 and
//! Vensim, see `docs/design/system-dynamics-reference.md`): each against
//! hand-computed values, the tree evaluator, and the batched runs Monte
//! Carlo uses.

use trajectoire::model::error::ErrorKind;
use trajectoire::model::expr::{self, Span, is_reserved};
use trajectoire::model::load::compile_text;
use trajectoire::model::{CompiledModel, ModelErrors};

mod models;
use models::{aux, stock};

/// A model from 2020 to 2024 with three levers `x`, `y`, `z` (wide ranges),
/// the given variables (RON text) and lookups (RON text).
fn model_text(variables: &str, lookups: &str) -> String {
    let levers = models::wide_levers(&["x", "y", "z"]);
    models::model_text("sd", ("SD", "SD"), &levers, variables, lookups)
}

fn compile_with(vars: &[String], lookups: &str) -> Result<CompiledModel, ModelErrors> {
    compile_text(&model_text(&vars.concat(), lookups), None)
}

fn ok(vars: &[String]) -> CompiledModel {
    compile_with(vars, "").unwrap_or_else(|e| panic!("{e}"))
}

fn errors(vars: &[String]) -> ModelErrors {
    compile_with(vars, "").expect_err("should not compile")
}

/// The one error of a model, checked for its kind and span.
fn one_error(vars: &[String], kind: ErrorKind, span: Span) -> String {
    let errs = errors(vars);
    assert_eq!(errs.0.len(), 1, "{errs}");
    assert_eq!(errs.0[0].kind, kind, "{errs}");
    assert_eq!(errs.0[0].span, Some(span), "{errs}");
    errs.0[0].message.clone()
}

fn series(m: &CompiledModel, levers: &[f64], var: &str) -> Vec<f64> {
    let run = m.run(levers);
    run.series(m.var_index(var).unwrap()).to_vec()
}

/// Equal as the engine promises: the same bits, or both not a number.
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

/// `eq` on the levers `x`, `y`, `z` = `args` (padded with 0): the compiled
/// value (every year the same), checked against the tree evaluator, the
/// batched run, and the same equation with the numbers written in (folded).
fn value_of(eq_on_levers: &str, args: &[f64]) -> f64 {
    let mut levers = [0.0; 3];
    levers[..args.len()].copy_from_slice(args);
    let m = ok(&[aux("v", eq_on_levers)]);
    let s = series(&m, &levers, "v");
    let batch = m.run_batch(&[&levers[..], &[0.0; 3]]);
    let tree = expr::parse(eq_on_levers).unwrap();
    let t = expr::eval_tree(
        &tree,
        (2020.0, 1.0),
        &|n| match n {
            "x" => levers[0],
            "y" => levers[1],
            "z" => levers[2],
            _ => panic!("{n}"),
        },
        &|f, _| panic!("{f}"),
    );
    let folded_eq = numbers_for_levers(eq_on_levers, &levers);
    let folded = series(&ok(&[aux("v", &folded_eq)]), &[0.0; 3], "v");
    for (yi, &c) in s.iter().enumerate() {
        assert!(
            same(c, t),
            "{eq_on_levers} {args:?}: compiled {c}, tree {t}"
        );
        assert!(same(c, s[0]), "{eq_on_levers}: constant in time");
        assert!(same(batch[0].series(0)[yi], c), "{eq_on_levers}: lanes");
        assert!(same(folded[yi], c), "{folded_eq}: folded {}", folded[yi]);
    }
    s[0]
}

/// `eq` with the whole words `x`, `y`, `z` replaced by `levers`' values.
fn numbers_for_levers(eq: &str, levers: &[f64; 3]) -> String {
    let mut out = String::new();
    let mut word = String::new();
    for c in eq.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() || c == '_' || (c == '.' && !word.is_empty()) {
            word.push(c);
            continue;
        }
        match ["x", "y", "z"].iter().position(|n| *n == word) {
            Some(i) => out.push_str(&format!("({:?})", levers[i])),
            None => out.push_str(&word),
        }
        word.clear();
        out.push(c);
    }
    out
}

#[test]
fn int_is_floor_and_mod_follows_the_divisor_as_xmile_says() {
    for (x, want) in [
        (2.7, 2.0),
        (-2.5, -3.0),
        (-9.9, -10.0),
        (3.0, 3.0),
        (-0.0, -0.0),
    ] {
        assert!(same(value_of("int(x)", &[x]), want), "int({x})");
    }
    for (a, b, want) in [
        (7.0, 3.0, 1.0),
        (-7.0, 3.0, 2.0),
        (7.0, -3.0, -2.0),
        (-7.0, -3.0, -1.0),
        (6.0, 3.0, 0.0),
        (5.5, 2.0, 1.5),
    ] {
        assert_eq!(value_of("mod(x, y)", &[a, b]), want, "mod({a}, {b})");
    }
    // XMILE's worked example (reference §7): -9.9 MOD 3 = 2.1, and
    // a = INT(a/b)·b + a MOD b.
    let m = value_of("mod(x, y)", &[-9.9, 3.0]);
    assert!(close(m, 2.1), "{m}");
    let back = value_of("int(x / y) * y + mod(x, y)", &[-9.9, 3.0]);
    assert!(close(back, -9.9), "{back}");
    assert!(value_of("mod(x, y)", &[1.0, 0.0]).is_nan());
}

#[test]
fn trigonometry_and_log10_in_radians() {
    use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};
    assert!(close(value_of("sin(x)", &[FRAC_PI_2]), 1.0));
    assert!(close(value_of("cos(x)", &[PI]), -1.0));
    assert!(close(value_of("tan(x)", &[FRAC_PI_4]), 1.0));
    assert!(close(value_of("arcsin(x)", &[1.0]), FRAC_PI_2));
    assert!(close(value_of("arccos(x)", &[-1.0]), PI));
    assert!(close(value_of("arctan(x)", &[1.0]), FRAC_PI_4));
    assert!(value_of("arcsin(x)", &[2.0]).is_nan());
    assert_eq!(value_of("log10(x)", &[1000.0]), 3.0);
    assert_eq!(value_of("log10(x)", &[0.0]), f64::NEG_INFINITY);
}

#[test]
fn guarded_divisions() {
    assert_eq!(value_of("safediv(x, y)", &[1.0, 4.0]), 0.25);
    assert_eq!(value_of("safediv(x, y)", &[1.0, 0.0]), 0.0);
    assert_eq!(value_of("safediv(x, y, z)", &[1.0, 0.0, 7.0]), 7.0);
    // safediv guards only an exact zero; xidz and zidz anything below 1e-6.
    assert!(close(value_of("safediv(x, y, z)", &[1.0, 1e-9, 7.0]), 1e9));
    assert_eq!(value_of("xidz(x, y, z)", &[1.0, 1e-9, 7.0]), 7.0);
    assert_eq!(value_of("xidz(x, y, z)", &[1.0, -1e-7, 7.0]), 7.0);
    assert_eq!(value_of("xidz(x, y, z)", &[3.0, 2.0, 7.0]), 1.5);
    assert!(close(value_of("xidz(x, y, z)", &[3.0, 1e-6, 7.0]), 3e6));
    assert_eq!(value_of("zidz(x, y)", &[3.0, 0.0]), 0.0);
    assert_eq!(value_of("zidz(x, y)", &[3.0, -2.0]), -1.5);
}

#[test]
fn pi_is_a_reserved_constant_written_without_parentheses() {
    assert_eq!(value_of("pi", &[]), std::f64::consts::PI);
    assert_eq!(value_of("2 * pi * x", &[0.5]), std::f64::consts::PI);
    assert!(is_reserved("pi"));
    let msg = one_error(&[aux("a", "1 + pi()")], ErrorKind::Misuse, Span::new(4, 8));
    assert!(msg.contains("without `()`"), "{msg}");
    let errs = errors(&[aux("pi", "1")]);
    assert!(errs.to_string().contains("reserved word"), "{errs}");
    let msg = one_error(
        &[aux("a", "prev(pi, 0)")],
        ErrorKind::Misuse,
        Span::new(5, 7),
    );
    assert!(msg.contains("not a variable"), "{msg}");
}

#[test]
fn new_functions_report_wrong_arity_on_the_whole_call() {
    for (eq, msg) in [
        ("1 + int(x, y)", "`int` takes 1 argument, not 2 arguments"),
        ("1 + mod(x)", "`mod` takes 2 arguments, not 1 argument"),
        (
            "1 + safediv(x)",
            "`safediv` takes 2 or 3 arguments, not 1 argument",
        ),
        (
            "1 + xidz(x, y)",
            "`xidz` takes 3 arguments, not 2 arguments",
        ),
        ("1 + sin()", "`sin` takes 1 argument, not 0 arguments"),
    ] {
        let got = one_error(&[aux("a", eq)], ErrorKind::Arity, Span::new(4, eq.len()));
        assert_eq!(got, msg, "{eq}");
    }
}

#[test]
fn time_dt_start_and_stop_are_reserved_names_of_the_clock() {
    let m = ok(&[
        aux("t", "time"),
        aux("d", "dt"),
        aux("s", "start_time"),
        aux("e", "stop_time"),
        aux("frac", "(time - start_time) / (stop_time - start_time)"),
    ]);
    let years = [2020.0, 2021.0, 2022.0, 2023.0, 2024.0];
    assert_eq!(series(&m, &[0.0; 3], "t"), years);
    assert_eq!(series(&m, &[0.0; 3], "d"), [1.0; 5]);
    assert_eq!(series(&m, &[0.0; 3], "s"), [2020.0; 5]);
    assert_eq!(series(&m, &[0.0; 3], "e"), [2024.0; 5]);
    assert_eq!(series(&m, &[0.0; 3], "frac"), [0.0, 0.25, 0.5, 0.75, 1.0]);
    // The tree evaluator knows time and dt; start and stop come from `name`.
    let tree = expr::parse("time * dt + start_time - stop_time").unwrap();
    let v = expr::eval_tree(
        &tree,
        (2022.0, 1.0),
        &|n| match n {
            "start_time" => 2020.0,
            "stop_time" => 2024.0,
            _ => panic!("{n}"),
        },
        &|f, _| panic!("{f}"),
    );
    assert_eq!(v, 2018.0);
    for n in ["time", "dt", "start_time", "stop_time"] {
        assert!(is_reserved(n), "{n}");
        let errs = errors(&[aux(n, "1")]);
        assert!(errs.to_string().contains("reserved word"), "{n}: {errs}");
        let eq = format!("{n}()");
        let msg = one_error(&[aux("a", &eq)], ErrorKind::Misuse, Span::new(0, eq.len()));
        assert!(msg.contains("without `()`"), "{msg}");
    }
    let msg = one_error(
        &[aux("a", "prev(time, 0)")],
        ErrorKind::Misuse,
        Span::new(5, 9),
    );
    assert_eq!(msg, "`prev(time)` is simply `time - 1`");
    let msg = one_error(
        &[aux("a", "tme + 1")],
        ErrorKind::UnknownName,
        Span::new(0, 3),
    );
    assert!(msg.contains("did you mean `time`"), "{msg}");
}

#[test]
fn pulse_step_and_ramp_follow_the_reference_at_dt_1() {
    let m = ok(&[
        aux("once", "pulse(5, 2021)"),
        aux("every2", "pulse(x, 2021, 2)"),
        aux("never_again", "pulse(5, 2021, 0)"),
        aux("on_levers", "pulse(x, y, z)"),
        aux("s", "step(3, 2022)"),
        aux("r", "ramp(2, 2021, 2023)"),
        // A pulse of material into a stock: its integral over one dt is the height.
        stock("tank", "0", "pulse(7, 2021)"),
    ]);
    let l = [4.0, 2020.0, 3.0];
    assert_eq!(series(&m, &l, "once"), [0.0, 5.0, 0.0, 0.0, 0.0]);
    assert_eq!(series(&m, &l, "every2"), [0.0, 4.0, 0.0, 4.0, 0.0]);
    assert_eq!(series(&m, &l, "never_again"), [0.0, 5.0, 0.0, 0.0, 0.0]);
    assert_eq!(series(&m, &l, "on_levers"), [4.0, 0.0, 0.0, 4.0, 0.0]);
    assert_eq!(series(&m, &l, "s"), [0.0, 0.0, 3.0, 3.0, 3.0]);
    assert_eq!(series(&m, &l, "r"), [0.0, 0.0, 2.0, 4.0, 4.0]);
    assert_eq!(series(&m, &l, "tank"), [0.0, 7.0, 7.0, 7.0, 7.0]);
    // Batches (Monte Carlo's path) agree lane by lane.
    let other = [1.0, 2021.0, -1.0];
    let batch = m.run_batch(&[&l[..], &other[..]]);
    assert_eq!(batch[0], m.run(&l));
    assert_eq!(batch[1], m.run(&other));
    assert_eq!(series(&m, &other, "on_levers"), [0.0, 1.0, 0.0, 0.0, 0.0]);
}

/// Every run path gives the same values: one run, the 8-lane batch, and
/// `run_lanes` with 8 and 16 lanes (Monte Carlo's path), for `sets`.
fn check_lanes(m: &CompiledModel, sets: &[[f64; 3]]) {
    let refs: Vec<&[f64]> = sets.iter().map(|s| &s[..]).collect();
    let batch = m.run_batch(&refs);
    for (s, b) in sets.iter().zip(&batch) {
        let one = m.run(s);
        for v in 0..m.n_vars() {
            let pairs = b.series(v).iter().zip(one.series(v));
            assert!(
                pairs.into_iter().all(|(x, y)| same(*x, *y)),
                "run_batch {s:?}"
            );
        }
        let at = |r: &trajectoire::model::Run| -> Vec<(usize, f64)> {
            r.problems.iter().map(|p| (p.var, p.time)).collect()
        };
        assert_eq!(at(b), at(&one), "run_batch {s:?}");
    }
    fn lanes<const N: usize>(m: &CompiledModel, sets: &[[f64; 3]]) {
        let mut regs: Vec<[f64; N]> = Vec::new();
        let mut seen = 0;
        m.run_lanes::<N>(
            &mut regs,
            |l, lane| sets[lane % sets.len()][l],
            |yi, year, values| {
                assert_eq!(values.len(), m.n_vars(), "hidden variables stay hidden");
                for lane in 0..N {
                    let run = m.run(&sets[lane % sets.len()]);
                    for (v, x) in values.iter().enumerate() {
                        let want = run.series(v)[yi];
                        assert!(same(x[lane], want), "{N} lanes, lane {lane}, {year}");
                    }
                }
                seen += 1;
            },
        );
        assert_eq!(seen, 5);
    }
    lanes::<8>(m, sets);
    lanes::<16>(m, sets);
}

const SETS: [[f64; 3]; 3] = [[2.0, 3.0, 0.0], [-1.0, 0.5, 4.0], [10.0, -2.0, 1.0]];

#[test]
fn previous_is_prev_under_xmiles_name() {
    let m = ok(&[
        stock("pop", "100", "previous(pop) * x / 100"),
        aux("growth", "pop - previous(pop, 0)"),
        aux("old", "pop - prev(pop, 0)"),
        aux("last_year", "previous(year_plus, 7)"),
        aux("year_plus", "year + x"),
    ]);
    let l = [10.0, 0.0, 0.0];
    let pop = series(&m, &l, "pop");
    let want = [100.0, 110.0, 121.0, 133.1, 146.41];
    assert!(pop.iter().zip(want).all(|(a, b)| close(*a, b)), "{pop:?}");
    assert_eq!(series(&m, &l, "growth"), series(&m, &l, "old"));
    assert_eq!(series(&m, &l, "growth")[0], 100.0);
    assert_eq!(
        series(&m, &l, "last_year"),
        [7.0, 2030.0, 2031.0, 2032.0, 2033.0]
    );
    check_lanes(&m, &SETS);
    for (eq, kind, span, msg) in [
        (
            "previous()",
            ErrorKind::Arity,
            Span::new(0, 10),
            "`previous` takes 1 or 2 arguments (previous(x) or previous(x, first)), not 0",
        ),
        (
            "previous(x + 1, 0)",
            ErrorKind::Misuse,
            Span::new(9, 14),
            "`previous` takes the name of a variable, as in `previous(jobs)`",
        ),
        (
            "previous(year, 0)",
            ErrorKind::Misuse,
            Span::new(9, 13),
            "`previous(year)` is simply `year - 1`",
        ),
        (
            "previous(x, 0)",
            ErrorKind::Misuse,
            Span::new(9, 10),
            "`previous` reads a variable's past value; `x` is not a variable",
        ),
    ] {
        assert_eq!(one_error(&[aux("a", eq)], kind, span), msg, "{eq}");
    }
    let errs = errors(&[aux("a", "previous(a)")]);
    assert!(
        errs.to_string()
            .contains("`previous(a)` has no value in the first year"),
        "{errs}"
    );
}

#[test]
fn init_keeps_the_first_years_value_of_any_expression() {
    let m = ok(&[
        // Read before they are defined: the order comes from dependencies.
        aux("frozen", "init(grow * x + year)"),
        aux("twice", "init(init(grow) * 2)"),
        stock("tank", "init(x) + 1", "init(year - 2019) + 0 * frozen"),
        aux("ratio", "grow / init(grow)"),
        stock("pop", "100", "prev(pop) * 0.1"),
        aux("pop0", "init(pop)"),
        aux("first_growth", "init(prev(pop, 50))"),
        aux("grow", "pop / 10"),
        aux("constant", "init(3) + init(pi)"),
    ]);
    let l = [2.0, 0.0, 0.0];
    assert_eq!(series(&m, &l, "frozen"), [2040.0; 5]);
    assert_eq!(series(&m, &l, "twice"), [20.0; 5]);
    assert_eq!(series(&m, &l, "tank"), [3.0, 4.0, 5.0, 6.0, 7.0]);
    assert_eq!(series(&m, &l, "pop0"), [100.0; 5]);
    assert_eq!(series(&m, &l, "first_growth"), [50.0; 5]);
    let pop = series(&m, &l, "pop");
    let ratio = series(&m, &l, "ratio");
    for (p, r) in pop.iter().zip(&ratio) {
        assert!(close(*r, p / 100.0), "{ratio:?}");
    }
    assert_eq!(series(&m, &l, "constant"), [3.0 + std::f64::consts::PI; 5]);
    // Hidden variables are nowhere to be seen: not in the variable count,
    // the CSV, or what a variable uses.
    assert_eq!(m.n_vars(), 9);
    let csv = trajectoire::cli::to_csv(&m, &m.run(&l), &l);
    let columns = 1 + 9 + m.levers().len();
    assert_eq!(
        csv.lines().next().unwrap().split(',').count(),
        columns,
        "{csv}"
    );
    assert!(!csv.contains("init"), "{csv}");
    for v in 0..m.n_vars() {
        assert!(m.uses(v).iter().all(|&u| u < m.n_vars()), "{v}");
    }
    check_lanes(&m, &SETS);
}

#[test]
fn init_matches_the_tree_evaluator() {
    let eq = "init(x * year) + year";
    let m = ok(&[aux("v", eq)]);
    let tree = expr::parse(eq).unwrap();
    for s in SETS {
        let run = m.run(&s);
        for (yi, &year) in run.times().iter().enumerate() {
            let t = expr::eval_tree(
                &tree,
                (year, 1.0),
                &|n| match n {
                    "x" => s[0],
                    _ => panic!("{n}"),
                },
                // The caller supplies a stateful call's value: x * 2020.
                &|f, _| match f {
                    "init" => s[0] * 2020.0,
                    _ => panic!("{f}"),
                },
            );
            assert!(same(run.series(0)[yi], t), "{s:?} {year}");
        }
    }
}

#[test]
fn init_errors_and_loops_point_at_the_call() {
    let msg = one_error(
        &[aux("a", "1 + init(nope)")],
        ErrorKind::UnknownName,
        Span::new(9, 13),
    );
    assert!(msg.contains("unknown name `nope`"), "{msg}");
    // A loop through init in the first year is a loop.
    let errs = errors(&[aux("a", "init(b)"), aux("b", "a + 1")]);
    assert_eq!(errs.0.len(), 1, "{errs}");
    assert_eq!(errs.0[0].kind, ErrorKind::Cycle);
    assert!(
        errs.0[0].message.contains("a -> init(b) in a -> b -> a"),
        "{errs}"
    );
    // Its own first value is a loop too (XMILE's INIT of itself has none).
    let errs = errors(&[aux("a", "init(a) + 1")]);
    assert_eq!(errs.0[0].kind, ErrorKind::Cycle, "{errs}");
    // But through a stock's last value it is not.
    let m = ok(&[stock("s", "1", "init(s) + 0 * r"), aux("r", "init(s * 2)")]);
    assert_eq!(series(&m, &[0.0; 3], "s"), [1.0, 2.0, 3.0, 4.0, 5.0]);
    assert_eq!(series(&m, &[0.0; 3], "r"), [2.0; 5]);
}

const TABLE: &str = "[(0.0, 0.0), (1.0, 2.0), (3.0, 3.0)]";

fn table(id: &str, mode: &str) -> String {
    let mode = if mode.is_empty() {
        String::new()
    } else {
        format!(", mode: {mode}")
    };
    format!("        (id: {id:?}, points: {TABLE}{mode}),\n")
}

/// Each mode's table called on `x`, on `x` written as a number (folded),
/// and against `Lookup::eval` and the tree evaluator.
fn lookup_values(inputs: &[f64]) -> [Vec<f64>; 3] {
    let tables = [
        table("cont", ""),
        table("extra", "Extrapolate"),
        table("disc", "Discrete"),
    ]
    .concat();
    let vars = [
        aux("c", "cont(x)"),
        aux("e", "extra(x)"),
        aux("d", "disc(x)"),
    ];
    let m = compile_with(&vars, &tables).unwrap_or_else(|e| panic!("{e}"));
    let model = m.model();
    let mut out = [Vec::new(), Vec::new(), Vec::new()];
    for &x in inputs {
        let lit = if x.is_nan() {
            "(0.0 / 0.0)".to_string()
        } else {
            format!("{x:?}")
        };
        let folded = [
            aux("c", &format!("cont({lit})")),
            aux("e", &format!("extra({lit})")),
            aux("d", &format!("disc({lit})")),
        ];
        let mf = compile_with(&folded, &tables).unwrap();
        for (k, (v, t)) in [("c", "cont"), ("e", "extra"), ("d", "disc")]
            .into_iter()
            .enumerate()
        {
            let got = series(&m, &[x, 0.0, 0.0], v)[0];
            let lookup = model.lookups.iter().find(|l| l.id == t).unwrap();
            let tree = expr::eval_tree(
                &expr::parse(&format!("{t}(x)")).unwrap(),
                (2020.0, 1.0),
                &|_| x,
                &|f, a| {
                    assert_eq!(f, t);
                    lookup.eval(a[0])
                },
            );
            assert!(same(got, tree), "{t}({x}): {got} {tree}");
            assert!(same(got, series(&mf, &[0.0; 3], v)[0]), "{t}({x}) folded");
            out[k].push(got);
        }
    }
    out
}

#[test]
fn lookups_in_each_mode_inside_and_outside_their_points() {
    let inputs = [-1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 5.0];
    let [cont, extra, disc] = lookup_values(&inputs);
    // Linear inside; the ends held outside (today's behaviour, the default).
    assert_eq!(cont, [0.0, 0.0, 1.0, 2.0, 2.5, 3.0, 3.0]);
    // Linear inside; the first and last slopes (2 and 0.5) continued.
    assert_eq!(extra, [-2.0, 0.0, 1.0, 2.0, 2.5, 3.0, 4.0]);
    // Steps: the y of the last point whose x is at most the input.
    assert_eq!(disc, [0.0, 0.0, 0.0, 2.0, 2.0, 3.0, 3.0]);
    let [c, e, d] = lookup_values(&[f64::NAN]);
    assert!(c[0].is_nan() && e[0].is_nan() && d[0].is_nan());
}

#[test]
fn a_lookup_is_called_on_any_expression() {
    let tables = [table("effect", ""), table("steps", "Discrete")].concat();
    let vars = [
        aux("a", "effect(x * 2 + year - 2020)"),
        aux("b", "steps(effect(x) + 0.5) * 10"),
        aux("c", "effect(if x > 0 then b / 10 else -1)"),
    ];
    let m = compile_with(&vars, &tables).unwrap_or_else(|e| panic!("{e}"));
    let l = [0.25, 0.0, 0.0];
    assert_eq!(series(&m, &l, "a"), [1.0, 2.25, 2.75, 3.0, 3.0]);
    // effect(0.25) = 0.5, + 0.5 = 1: the step at 1 is 2.
    assert_eq!(series(&m, &l, "b"), [20.0; 5]);
    assert_eq!(series(&m, &l, "c"), [2.5; 5]);
    check_lanes(&m, &SETS);
    let errs = compile_with(&[aux("a", "effect(x, y)")], &tables).unwrap_err();
    assert_eq!(errs.0[0].kind, ErrorKind::Arity, "{errs}");
    assert_eq!(
        errs.0[0].message,
        "`effect` takes 1 argument, not 2 arguments"
    );
}

#[test]
fn a_lookups_mode_loads_from_ron_and_a_bad_one_is_refused_where_it_is() {
    use trajectoire::model::def::LookupMode;
    use trajectoire::model::load::{model_to_ron, parse_model};
    let text = model_text(
        &aux("a", "1"),
        &[table("plain", ""), table("ex", "Extrapolate")].concat(),
    );
    let m = parse_model(&text, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.lookups[0].mode, LookupMode::Continuous);
    assert_eq!(m.lookups[1].mode, LookupMode::Extrapolate);
    // Written back: the default is not written, another mode is.
    let written = model_to_ron(&m);
    assert_eq!(written.matches("mode:").count(), 1, "{written}");
    assert!(written.contains("Extrapolate"), "{written}");
    assert_eq!(parse_model(&written, None).unwrap(), m);

    let bad = model_text(&aux("a", "1"), &table("t", "Sideways"));
    let path = std::path::Path::new("model.ron");
    let errs = compile_text(&bad, Some(path)).expect_err("unknown mode");
    let loc = errs.0[0].location.as_ref().expect("located");
    let line = bad.lines().nth(loc.line - 1).unwrap();
    assert!(line.contains("Sideways"), "{errs}: line {}", loc.line);
    let at: String = line.chars().skip(loc.col - 1).collect();
    assert!(
        at.starts_with("Sideways") || at.starts_with("mode"),
        "{errs}: {at}"
    );
    assert!(errs.to_string().starts_with("model.ron:"), "{errs}");
}

#[test]
fn an_unsorted_lookup_is_refused() {
    let t = "        (id: \"t\", points: [(0.0, 0.0), (2.0, 1.0), (1.0, 3.0)]),\n";
    let errs = compile_with(&[aux("a", "t(x)")], t).unwrap_err();
    assert_eq!(errs.0.len(), 1, "{errs}");
    assert_eq!(errs.0[0].field, "points");
    assert!(
        errs.0[0]
            .message
            .contains("x must increase: 1 comes after 2"),
        "{errs}"
    );
    let t = "        (id: \"t\", points: [(0.0, 0.0), (0.0, 1.0)], mode: Discrete),\n";
    assert!(compile_with(&[aux("a", "t(x)")], t).is_err());
}

#[test]
fn smooth1_of_a_step_is_the_discrete_closed_form() {
    let m = ok(&[
        aux("s", "smooth1(input, 2)"),
        aux("input", "step(10, 2021)"),
        aux("from100", "smooth1(0, 4, 100)"),
        aux("on_levers", "smooth1(x * year, y, z)"),
    ]);
    let l = [1.0, 4.0, 0.0];
    // S(t) = S(t-1) + (x(t-1) - S(t-1)) / T, S(2020) = x(2020) = 0.
    assert_eq!(series(&m, &l, "s"), [0.0, 0.0, 5.0, 7.5, 8.75]);
    // With dt = 1: S(t) = 10 (1 - (1 - 1/2)^(t - 2021)) from 2021 on.
    for (t, v) in (2021..=2024).zip(&series(&m, &l, "s")[1..]) {
        assert_eq!(*v, 10.0 * (1.0 - 0.5f64.powi(t - 2021)), "{t}");
    }
    assert_eq!(
        series(&m, &l, "from100"),
        [100.0, 75.0, 56.25, 42.1875, 31.640625]
    );
    let mut want = vec![0.0];
    for t in 2021..=2024 {
        let prev: f64 = want[want.len() - 1];
        want.push(prev + (f64::from(t - 1) - prev) / 4.0);
    }
    assert_eq!(series(&m, &l, "on_levers"), want);
    assert_eq!(m.n_vars(), 4, "the smooth's stock and flow are hidden");
    check_lanes(&m, &SETS);
}

#[test]
fn delay1_conserves_material() {
    let m = ok(&[
        aux("input", "pulse(12, 2020) + step(3, 2022)"),
        aux("out", "delay1(input, 3, 0)"),
        aux("eq", "delay1(input, 3)"),
    ]);
    let l = [0.0; 3];
    let input = series(&m, &l, "input");
    let out = series(&m, &l, "out");
    assert_eq!(out[..3], [0.0, 4.0, 8.0 / 3.0]);
    // In transit (out * 3) is all that went in less all that came out.
    for t in 0..5 {
        let went_in: f64 = input[..t].iter().sum();
        let came_out: f64 = out[..t].iter().sum();
        assert!(close(out[t] * 3.0, went_in - came_out), "{t}: {out:?}");
    }
    // Without a first value, it starts in equilibrium with the input.
    assert_eq!(series(&m, &l, "eq")[0], 12.0);
    check_lanes(&m, &SETS);
}

#[test]
fn delay_times_and_loops_through_smooths_and_delays() {
    for eq in ["smooth1(x, 0)", "delay1(x, 2 - 3)"] {
        let errs = errors(&[aux("a", eq)]);
        assert_eq!(errs.0.len(), 1, "{eq}: {errs}");
        let e = &errs.0[0];
        assert_eq!(e.kind, ErrorKind::Misuse, "{eq}");
        let start = eq.find(", ").unwrap() + 2;
        assert_eq!(
            e.span,
            Some(Span::new(start, eq.len() - 1)),
            "{eq}: the time"
        );
        assert!(e.message.contains("needs a positive time"), "{e}");
    }
    // A variable time that is not positive: a run problem, from that year.
    let m = ok(&[aux("a", "smooth1(x, y - year + 2022)")]);
    let run = m.run(&[1.0, 0.0, 0.0]);
    assert_eq!(run.problems.len(), 1, "{:?}", run.problems);
    assert_eq!(run.problems[0].variable, "a");
    assert_eq!(run.problems[0].time, 2023.0);
    // Feedback through a smooth with a first value is no loop: b - a is
    // always 1, so a closes half of it each year.
    let m = ok(&[aux("a", "smooth1(b, 2, 0)"), aux("b", "a + 1")]);
    assert_eq!(series(&m, &[0.0; 3], "a"), [0.0, 0.5, 1.0, 1.5, 2.0]);
    // Without one, its first value is its input's: a loop in the first year.
    let errs = errors(&[aux("a", "delay1(b, 2)"), aux("b", "a + 1")]);
    assert_eq!(errs.0[0].kind, ErrorKind::Cycle, "{errs}");
    assert!(errs.0[0].message.contains("delay1(b, 2.0) in a"), "{errs}");
}

/// The model of `vars` over 2020 to `end` (to see a steady state).
fn ok_until(vars: &[String], end: i32) -> CompiledModel {
    let text =
        model_text(&vars.concat(), "").replace("end_year: 2024", &format!("end_year: {end}"));
    compile_text(&text, None).unwrap_or_else(|e| panic!("{e}"))
}

/// The same values whatever the order of the equations: `vars` as given
/// and reversed, every variable, on each of `SETS`.
fn order_free(vars: &[String]) {
    let m = ok(vars);
    let rev: Vec<String> = vars.iter().rev().cloned().collect();
    let r = ok(&rev);
    for set in &SETS {
        let (a, b) = (m.run(set), r.run(set));
        for v in 0..m.n_vars() {
            let id = &m.model().variables[v].id;
            let w = r.var_index(id).unwrap();
            let pairs = a.series(v).iter().zip(b.series(w));
            assert!(pairs.into_iter().all(|(x, y)| same(*x, *y)), "{id}");
        }
    }
}

/// `height * P(Binomial(m, p) >= k)`: stage k of a cascade of smooths of
/// fraction p per year, m years after the input stepped from 0 to height.
fn cascade_after_step(height: f64, p: f64, k: u32, m: u32) -> f64 {
    let choose = |n: u32, j: u32| (1..=j).fold(1.0, |c, i| c * f64::from(n + 1 - i) / f64::from(i));
    let pr: f64 = (k..=m)
        .map(|j| choose(m, j) * p.powi(j as i32) * (1.0 - p).powi((m - j) as i32))
        .sum();
    height * pr
}

#[test]
fn smooth3_of_a_step_is_the_discrete_closed_form() {
    let vars = [
        aux("s", "smooth3(input, 6)"),
        aux("input", "step(10, 2021)"),
        aux("fast", "smooth3(input, 3)"),
        aux("from100", "smooth3(0, 6, 100)"),
        aux("on_levers", "smooth3(x * year, y, z)"),
    ];
    let m = ok(&vars);
    let l = [1.0, 4.0, 0.0];
    // Three stages of fraction 1/2: S_k = 10 P(Bin(m, 1/2) >= k), m years
    // after the step (2021): S_3 is 10/8 in 2024.
    assert_eq!(series(&m, &l, "s"), [0.0, 0.0, 0.0, 0.0, 1.25]);
    for (i, v) in series(&m, &l, "s")[1..].iter().enumerate() {
        assert_eq!(*v, cascade_after_step(10.0, 0.5, 3, i as u32), "{i}");
    }
    // Stages of one year pass the input on a year later each.
    assert_eq!(series(&m, &l, "fast"), [0.0, 0.0, 0.0, 0.0, 10.0]);
    // From 100 towards 0: 100 P(Bin(m, 1/2) < 3).
    assert_eq!(
        series(&m, &l, "from100"),
        [100.0, 100.0, 100.0, 87.5, 68.75]
    );
    let (mut s1, mut s2, mut s3) = (0.0, 0.0, 0.0);
    let mut want = vec![0.0];
    let dl: f64 = 4.0 / 3.0;
    for t in 2021..=2024 {
        let x = f64::from(t - 1);
        let (f1, f2, f3) = ((x - s1) / dl, (s1 - s2) / dl, (s2 - s3) / dl);
        (s1, s2, s3) = (s1 + f1, s2 + f2, s3 + f3);
        want.push(s3);
    }
    assert_eq!(series(&m, &l, "on_levers"), want);
    assert_eq!(m.n_vars(), 5, "the stages are hidden");
    order_free(&vars);
    check_lanes(&m, &SETS);
}

#[test]
fn delay3_conserves_material_and_matches_three_stocks() {
    let vars = [
        aux("out", "delay3(input, 6, 0)"),
        aux("input", "pulse(12, 2020) + step(3, 2022)"),
        aux("eq", "delay3(input, 3)"),
        aux("steady", "delay3(5, 6)"),
        aux("stepped", "delay3(step(10, 2021), 6)"),
        aux("fast", "delay3(step(10, 2021), 3)"),
        aux("on_levers", "delay3(x * year, y, z)"),
        // The same delay written with three stocks of material (a model
        // stock's change reads last year's flows with `prev`).
        stock("l1", "0", "prev(input) - prev(l1) / 2"),
        stock("l2", "0", "prev(l1) / 2 - prev(l2) / 2"),
        stock("l3", "0", "prev(l2) / 2 - prev(l3) / 2"),
        aux("mirror", "l3 / 2"),
    ];
    let m = ok(&vars);
    let l = [0.0; 3];
    let input = series(&m, &l, "input");
    let out = series(&m, &l, "out");
    assert_eq!(out, series(&m, &l, "mirror"));
    assert_eq!(out[..4], [0.0, 0.0, 0.0, 1.5]);
    // All that went in is what came out and what is in the three stages.
    let stages: Vec<f64> = (0..5)
        .map(|t| {
            ["l1", "l2", "l3"]
                .iter()
                .map(|v| series(&m, &l, v)[t])
                .sum()
        })
        .collect();
    for t in 0..5 {
        let went_in: f64 = input[..t].iter().sum();
        let came_out: f64 = out[..t].iter().sum();
        assert!(close(went_in, came_out + stages[t]), "{t}: {out:?}");
    }
    // Without a first value, it starts in equilibrium with the input.
    assert_eq!(series(&m, &l, "eq")[0], 12.0);
    assert_eq!(series(&m, &l, "steady"), [5.0; 5]);
    // The outflows follow smooth3's recurrence: the same closed form.
    assert_eq!(series(&m, &l, "stepped"), [0.0, 0.0, 0.0, 0.0, 1.25]);
    assert_eq!(series(&m, &l, "fast"), [0.0, 0.0, 0.0, 0.0, 10.0]);
    // On a long run, everything comes out.
    let long = ok_until(&[aux("out", "delay3(pulse(12, 2020), 6, 0)")], 2200);
    let total: f64 = long.run(&l).series(0).iter().sum();
    assert!(close(total, 12.0), "{total}");
    order_free(&vars);
    check_lanes(&m, &SETS);
}

#[test]
fn trend_of_a_step_and_of_a_growth() {
    let vars = [
        aux("tr", "trend(input, 2)"),
        aux("input", "10 + step(10, 2021)"),
        aux("from", "trend(input, 2, 0.1)"),
        aux("on_levers", "trend(x * year, y, z)"),
    ];
    let m = ok(&vars);
    let l = [0.0; 3];
    // Average A = 20 - 10 / 2^m, m years after the step; trend = (x - A) /
    // (2 A) = 1 / (4 * 2^m - 2).
    let tr = series(&m, &l, "tr");
    assert_eq!(tr[0], 0.0);
    for (i, v) in tr[1..].iter().enumerate() {
        let want = 1.0 / (4.0 * 2f64.powi(i as i32) - 2.0);
        assert!(close(*v, want), "{i}: {v} {want}");
    }
    // A first trend of 0.1 starts the average at 10 / 1.2.
    assert!(close(series(&m, &l, "from")[0], 0.1));
    // x = 100 * 1.05^t: at dt = 1 the average settles at x / (1 + 0.05 *
    // 4) and the trend at exactly 0.05 (not ln 1.05).
    let long = ok_until(
        &[
            aux("x5", "100 * pow(1.05, year - 2020)"),
            aux("tr", "trend(x5, 4)"),
            aux("at_once", "trend(x5, 4, 0.05)"),
        ],
        2120,
    );
    let run = long.run(&l);
    let tr = run.series(long.var_index("tr").unwrap());
    assert!(close(tr[100], 0.05), "{}", tr[100]);
    assert!((tr[100] - 1.05f64.ln()).abs() > 1e-3);
    assert!((tr[3] - 0.05).abs() > 1e-3, "not there yet: {}", tr[3]);
    for v in run.series(long.var_index("at_once").unwrap()) {
        assert!(close(*v, 0.05), "{v}");
    }
    order_free(&vars);
    check_lanes(&m, &SETS);
}

#[test]
fn forecast_of_a_step_a_line_and_a_growth() {
    let vars = [
        aux("f", "forecast(input, 2, 3)"),
        aux("input", "10 + step(10, 2021)"),
        aux("on_levers", "forecast(x * year, y, z, 0.01)"),
    ];
    let m = ok(&vars);
    let l = [0.0; 3];
    // x (1 + 3 trend), trend as in `trend_of_a_step_and_of_a_growth`.
    let f = series(&m, &l, "f");
    let want = [10.0, 50.0, 30.0, 20.0 * (1.0 + 3.0 / 14.0), 22.0];
    for (v, w) in f.iter().zip(want) {
        assert!(close(*v, w), "{f:?}");
    }
    // A line x = 100 + 5 t: the average settles 5 * 3 below x, the trend
    // at 5 / (x - 15), the forecast at x + 2 * 5 x / (x - 15); with a
    // first trend of 5 / 85 it is there from the start.
    let long = ok_until(
        &[
            aux("line", "100 + 5 * (year - 2020)"),
            aux("f", "forecast(line, 3, 2)"),
            aux("at_once", "forecast(line, 3, 2, 5 / 85)"),
            aux("x5", "100 * pow(1.05, year - 2020)"),
            aux("g", "forecast(x5, 4, 10)"),
        ],
        2120,
    );
    let run = long.run(&l);
    let get = |v: &str| run.series(long.var_index(v).unwrap()).to_vec();
    let (line, f, at_once) = (get("line"), get("f"), get("at_once"));
    let steady = |x: f64| x + 2.0 * 5.0 * x / (x - 15.0);
    assert!(close(f[100], steady(line[100])), "{}", f[100]);
    assert!((f[1] - steady(line[1])).abs() > 1e-3, "not there yet");
    for (v, x) in at_once.iter().zip(&line) {
        assert!(close(*v, steady(*x)), "{v} {x}");
    }
    // Growth of 5 % a year: 10 years ahead on the trend is x (1 + 0.5).
    let (g, x5) = (get("g"), get("x5"));
    assert!(close(g[100] / x5[100], 1.5), "{}", g[100] / x5[100]);
    order_free(&vars);
    check_lanes(&m, &SETS);
}

#[test]
fn smoothn_and_delayn_of_order_3_are_smooth3_and_delay3() {
    let vars = [
        aux("input", "pulse(12, 2020) + step(3, 2022) + x * year"),
        aux("s3", "smooth3(input, 6)"),
        aux("sn3", "smoothn(input, 6, 3)"),
        aux("d3", "delay3(input, y, z)"),
        aux("dn3", "delayn(input, y, 3, z)"),
        aux("s1", "smooth1(input, y)"),
        aux("sn1", "smoothn(input, y, 1)"),
        aux("d1", "delay1(input, 3, 0)"),
        aux("dn1", "delayn(input, 3, 1, 0)"),
        aux("sn2", "smoothn(step(10, 2021), 4, 2)"),
        aux("dn2", "delayn(step(10, 2021), 2, 2)"),
        aux("dn5", "delayn(step(10, 2021), 10, 5, 1)"),
    ];
    let m = ok(&vars);
    for set in &SETS {
        for (a, b) in [("s3", "sn3"), ("d3", "dn3"), ("s1", "sn1"), ("d1", "dn1")] {
            let (a, b) = (series(&m, set, a), series(&m, set, b));
            assert!(a.iter().zip(&b).all(|(x, y)| same(*x, *y)), "{a:?} {b:?}");
        }
    }
    let l = [0.0; 3];
    // Two stages of fraction 1/2: 10 P(Bin(m, 1/2) >= 2).
    assert_eq!(series(&m, &l, "sn2"), [0.0, 0.0, 0.0, 2.5, 5.0]);
    // Two stages of a year: the step two years later.
    assert_eq!(series(&m, &l, "dn2"), [0.0, 0.0, 0.0, 10.0, 10.0]);
    // Five stages of two years each, from 1: the first stage gets 10, and
    // the others still give 1 (their content, 2, over 2).
    assert_eq!(series(&m, &l, "dn5"), [1.0; 5]);
    order_free(&vars);
    check_lanes(&m, &SETS);
}

#[test]
fn vensim_delayn_is_delayn_when_its_time_is_constant() {
    let vars = [
        aux("input", "pulse(12, 2020) + step(3, 2022) + x * year"),
        aux("v3", "vensim_delayn(input, 3, 3, z)"),
        aux("d3", "delayn(input, 3, 3, z)"),
        // Order 5 over 2 years: Vensim lowers it to 2 (2 * dt <= 2).
        aux("v5", "vensim_delayn(input, 2, 5, z)"),
        aux("d2", "delayn(input, 2, 2, z)"),
        // On a lever: lowered at the start, to 3 when y is 3, to 1 when
        // it is 0.5 or -2 (which gives not a number, as delayn's).
        aux("vy", "vensim_delayn(input, y, 4, z)"),
        aux("dy3", "delayn(input, y, 3, z)"),
        aux("dy1", "delayn(input, y, 1, z)"),
    ];
    let m = ok(&vars);
    for set in &SETS {
        let lowered = if set[1] == 3.0 { "dy3" } else { "dy1" };
        for (a, b) in [("v3", "d3"), ("v5", "d2"), ("vy", lowered)] {
            let (a, b) = (series(&m, set, a), series(&m, set, b));
            assert!(a.iter().zip(&b).all(|(x, y)| same(*x, *y)), "{a:?} {b:?}");
        }
    }
    order_free(&vars);
    check_lanes(&m, &SETS);
}

#[test]
fn vensim_delayn_stages_read_earlier_delay_times() {
    // Two stages holding 6 each, the time from 2 to 4 in 2022. Stage 2
    // still reads 2 in 2022 (6 / (2 / 2)); then 3 / (4 / 2) in 2023, when
    // stage 1 has given 3 and received 6; then 6 / 2.
    let vars = [
        aux("t", "2 + step(2, 2022)"),
        aux("v", "vensim_delayn(6, t, 2, 6)"),
        aux("d", "delayn(6, t, 2, 6)"),
    ];
    let m = ok(&vars);
    let l = [0.0; 3];
    assert_eq!(series(&m, &l, "v"), [6.0, 6.0, 6.0, 1.5, 3.0]);
    // delayn reads this year's time in every stage: 6 / (4 / 2) at once.
    assert_eq!(series(&m, &l, "d")[2], 3.0);
    order_free(&vars);
    check_lanes(&m, &SETS);
    // Feedback through it with a first value is no loop: two stages of a
    // year, so a climbs by one every two years, as `delay(b, 2, 0)` does.
    let m = ok(&[aux("a", "vensim_delayn(b, 2, 2, 0)"), aux("b", "a + 1")]);
    assert_eq!(series(&m, &l, "a"), [0.0, 0.0, 1.0, 1.0, 2.0]);
}

#[test]
fn cascade_times_orders_and_loops() {
    for eq in [
        "smooth3(x, 0)",
        "delay3(x, 2 - 3)",
        "trend(x, -1)",
        "forecast(x, 0, 2)",
        "smoothn(x, 0, 2)",
        "delayn(x, -2, 3, 1)",
        "vensim_delayn(x, -2, 3, 1)",
    ] {
        let start = eq.find(", ").unwrap() + 2;
        let end = start + eq[start..].find([',', ')']).unwrap();
        let msg = one_error(&[aux("a", eq)], ErrorKind::Misuse, Span::new(start, end));
        assert!(msg.contains("needs a positive time"), "{eq}: {msg}");
    }
    for eq in [
        "smoothn(x, 3, 1.5)",
        "delayn(x, 3, 0)",
        "smoothn(x, 3, y)",
        "delayn(x, 3, 1000, 0)",
        "vensim_delayn(x, 3, 0, 1)",
        "smoothn(x, 3, -2)",
    ] {
        let start = eq.find(", 3, ").unwrap() + 5;
        let end = start + eq[start..].find([',', ')']).unwrap();
        let msg = one_error(&[aux("a", eq)], ErrorKind::Misuse, Span::new(start, end));
        assert!(msg.contains("whole constant order"), "{eq}: {msg}");
    }
    // An unknown name read by several stages is reported once.
    for eq in [
        "smooth1(nope, 2)",
        "smooth3(1, nope)",
        "delay3(1, nope)",
        "delayn(nope, 2, 4)",
        "vensim_delayn(nope, 2, 4)",
        "vensim_delayn(1, nope, 4)",
        "trend(nope, 2)",
        "forecast(nope, 2, 3)",
    ] {
        let errs = errors(&[aux("a", eq)]);
        assert_eq!(errs.0.len(), 1, "{eq}: {errs}");
    }
    // A variable time that is not positive: a run problem, from that year.
    for eq in ["smooth3(x, y - year + 2022)", "delay3(x, y - year + 2022)"] {
        let m = ok(&[aux("a", eq)]);
        let run = m.run(&[1.0, 0.0, 0.0]);
        assert_eq!(run.problems.len(), 1, "{eq}: {:?}", run.problems);
        assert_eq!(run.problems[0].variable, "a");
    }
    // Feedback through a cascade with a first value is no loop: with
    // stages of a year, a is b three years before, b = a + 1.
    let m = ok(&[aux("a", "smooth3(b, 3, 0)"), aux("b", "a + 1")]);
    assert_eq!(series(&m, &[0.0; 3], "a"), [0.0, 0.0, 0.0, 1.0, 1.0]);
    // Without one, its first value is its input's: a loop in the first year.
    for (eq, text) in [
        ("delay3(b, 2)", "delay3(b, 2.0) in a"),
        ("smoothn(b, 2, 2)", "smoothn(b, 2.0, 2.0) in a"),
        ("trend(b, 2)", "trend(b, 2.0) in a"),
    ] {
        let errs = errors(&[aux("a", eq), aux("b", "a + 1")]);
        assert_eq!(errs.0[0].kind, ErrorKind::Cycle, "{errs}");
        assert!(errs.0[0].message.contains(text), "{errs}");
    }
}

/// `input` shifted by `m` years, `first` before.
fn shifted(input: &[f64], m: usize, first: f64) -> Vec<f64> {
    (0..input.len())
        .map(|t| if t < m { first } else { input[t - m] })
        .collect()
}

#[test]
fn delay_is_a_pipeline_of_whole_years() {
    let vars = [
        aux("stepped", "delay(s, 3, -1)"),
        aux("s", "step(10, 2021)"),
        aux("r", "7 + ramp(2, 2021)"),
        aux("ramped", "delay(r, 3, 5)"),
        aux("r_default", "delay(r, 3)"),
        aux("half", "delay(r, 2.5, 0)"),
        aux("one_and_half", "delay(r, 1.5, 0)"),
        aux("short", "delay(r, 0.5, 0)"),
        aux("one_point_two", "delay(r, 1.2, 0)"),
        aux("folded", "delay(r, 6 / 2, 0)"),
    ];
    let m = ok_until(&vars, 2030);
    let l = [0.0; 3];
    let get = |v: &str| series(&m, &l, v);
    let (s, r) = (get("s"), get("r"));
    assert_eq!(get("stepped")[..6], [-1.0, -1.0, -1.0, 0.0, 10.0, 10.0]);
    assert_eq!(get("stepped"), shifted(&s, 3, -1.0));
    assert_eq!(get("ramped")[..6], [5.0, 5.0, 5.0, 7.0, 7.0, 9.0]);
    assert_eq!(get("ramped"), shifted(&r, 3, 5.0));
    // Without a first value: the input's first value.
    assert_eq!(get("r_default"), shifted(&r, 3, 7.0));
    // The reference's rounding: round(max(time, 1) + 1e-6), halves up.
    assert_eq!(get("half"), shifted(&r, 3, 0.0));
    assert_eq!(get("one_and_half"), shifted(&r, 2, 0.0));
    assert_eq!(get("short"), shifted(&r, 1, 0.0));
    assert_eq!(get("one_point_two"), shifted(&r, 1, 0.0));
    assert_eq!(get("folded"), shifted(&r, 3, 0.0));
    assert_eq!(m.n_vars(), vars.len(), "the pipeline is hidden");
}

#[test]
fn delay_on_levers_is_order_free_and_the_same_in_lanes() {
    let vars = [
        aux("a", "delay(input, 2, y)"),
        aux("input", "x * year + z"),
        aux("b", "delay(input + 1, 1.5)"),
        aux("c", "delay(a, 1) + delay(a, 3, z)"),
        stock("st", "0", "delay(prev(input, 0), 2, x)"),
    ];
    let m = ok(&vars);
    for set in &SETS {
        let input = series(&m, set, "input");
        assert_eq!(series(&m, set, "a"), shifted(&input, 2, set[1]), "{set:?}");
        let plus: Vec<f64> = input.iter().map(|v| v + 1.0).collect();
        assert_eq!(series(&m, set, "b"), shifted(&plus, 2, plus[0]), "{set:?}");
    }
    order_free(&vars);
    check_lanes(&m, &SETS);
}

#[test]
fn delay_times_are_positive_whole_constants_at_their_span() {
    for (eq, says) in [
        ("delay(x, 0)", "needs a positive time"),
        ("delay(x, 2 - 3, 1)", "needs a positive time"),
        (
            "delay(x, y)",
            "needs a constant delay time here; use delay1/delay3",
        ),
        ("delay(x, year - 2019, 0)", "needs a constant delay time"),
        ("delay(x, 1001)", "at most 1000 time steps"),
        ("delay(x, 1000.6, 0)", "at most 1000 time steps"),
    ] {
        let start = eq.find(", ").unwrap() + 2;
        let end = start + eq[start..].find([',', ')']).unwrap();
        let msg = one_error(&[aux("a", eq)], ErrorKind::Misuse, Span::new(start, end));
        assert!(msg.contains(says), "{eq}: {msg}");
    }
    // The longest pipeline compiles.
    let m = ok(&[aux("a", "delay(year, 1000, 0)")]);
    assert_eq!(series(&m, &[0.0; 3], "a"), [0.0; 5]);
    // An unknown name read by several hidden variables is reported once.
    for eq in ["delay(nope, 2)", "delay(1, nope)", "delay(1, 2, nope)"] {
        let errs = errors(&[aux("a", eq)]);
        assert_eq!(errs.0.len(), 1, "{eq}: {errs}");
    }
    let errs = errors(&[aux("a", "delay(x)")]);
    assert!(errs.0[0].message.contains("2 or 3 arguments"), "{errs}");
}

#[test]
fn feedback_through_a_delay_with_a_first_value_is_no_loop() {
    // a is b two years before, b = a + 1: a climbs by one every two years.
    let m = ok(&[aux("a", "delay(b, 2, 0)"), aux("b", "a + 1")]);
    assert_eq!(series(&m, &[0.0; 3], "a"), [0.0, 0.0, 1.0, 1.0, 2.0]);
    assert_eq!(series(&m, &[0.0; 3], "b"), [1.0, 1.0, 2.0, 2.0, 3.0]);
    // A stock whose change is its own value a year before: this year's
    // change, s(t - 1), is added to s(t - 1), so s doubles.
    let m = ok(&[stock("s", "1", "delay(s, 1, 0)")]);
    assert_eq!(series(&m, &[0.0; 3], "s"), [1.0, 2.0, 4.0, 8.0, 16.0]);
    // Without one, its first value is its input's: a loop in the first year.
    let errs = errors(&[aux("a", "delay(b, 2)"), aux("b", "a + 1")]);
    assert_eq!(errs.0[0].kind, ErrorKind::Cycle, "{errs}");
    assert!(errs.0[0].message.contains("delay(b, 2.0) in a"), "{errs}");
}
