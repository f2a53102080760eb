//! Monte Carlo and sensitivity: reproducible, statistically right on models
//! whose distributions are known, ordered percentiles, certain and impossible
//! targets, tornado and Sobol indices with known answers.

use trajectoire::model::CompiledModel;
use trajectoire::model::load::{compile_text, default_model};
use trajectoire::model::mc::{
    Design, Distribution, QUANTILES, monte_carlo, normal_cdf, normal_quantile, sobol, tornado,
};

/// y = a + 2 b; z = a * b; a and b uncertain as given.
fn two_levers(a: &str, b: &str) -> CompiledModel {
    let text = format!(
        r#"Model(
    format_version: 1, id: "known", version: "1",
    name: (fr: "", en: ""), sector: (fr: "", en: ""), country: (fr: "", en: ""),
    currency: "", start_year: 2020, end_year: 2022, last_observed_year: 2020,
    levers: [
        (id: "a", label: (fr: "a", en: "a"), unit: (fr: "", en: ""), min: -100, max: 100, default: 10, step: 0.1, uncertainty: {a}),
        (id: "b", label: (fr: "b", en: "b"), unit: (fr: "", en: ""), min: -100, max: 100, default: 0.5, step: 0.1, uncertainty: {b}),
    ],
    variables: [
        (id: "y", label: (fr: "", en: ""), unit: (fr: "", en: ""), kind: Aux(equation: "a + 2 * b")),
        (id: "z", label: (fr: "", en: ""), unit: (fr: "", en: ""), kind: Aux(equation: "a * b")),
    ],
    targets: [
        (id: "sure", variable: "y", year: 2021, value: -1000, label: (fr: "", en: ""), source: (title: "t")),
        (id: "never", variable: "y", year: 2021, value: 1000, label: (fr: "", en: ""), source: (title: "t")),
        (id: "half", variable: "y", year: 2021, value: 11, label: (fr: "", en: ""), source: (title: "t")),
    ],
)"#
    );
    compile_text(&text, None).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_normal_quantile_and_cdf_are_inverse_and_right() {
    assert!((normal_quantile(0.975) - 1.959_963_985).abs() < 1e-8);
    assert!((normal_quantile(0.05) + 1.644_853_627).abs() < 1e-8);
    for p in [1e-6, 0.01, 0.2, 0.5, 0.77, 0.999] {
        assert!((normal_cdf(normal_quantile(p)) - p).abs() < 2e-7, "{p}");
    }
}

#[test]
fn distributions_have_the_right_quantiles_and_respect_bounds() {
    let tri = Distribution::Triangular {
        lo: 0.0,
        mode: 1.0,
        hi: 4.0,
    };
    // F(mode) = (mode - lo) / (hi - lo) = 1/4.
    assert!((tri.quantile(0.25) - 1.0).abs() < 1e-12);
    let ln = Distribution::LogNormal {
        median: 100.0,
        sigma: 0.5,
        lo: None,
        hi: None,
    };
    assert!((ln.quantile(0.5) - 100.0).abs() < 1e-9);
    let truncated = Distribution::Normal {
        mean: 0.0,
        sd: 1.0,
        lo: Some(0.0),
        hi: Some(1.0),
    };
    for p in [0.0, 0.001, 0.5, 0.999, 1.0] {
        let x = truncated.quantile(p);
        assert!((0.0..=1.0).contains(&x), "{p} -> {x}");
    }
}

#[test]
fn latin_hypercube_uses_every_stratum_once() {
    let m = two_levers(
        "Some(Uniform(lo: 0, hi: 20))",
        "Some(Uniform(lo: 0, hi: 1))",
    );
    let n = 500;
    let d = Design::new(&m, 7, n);
    let levers = m.default_levers();
    let mut seen = vec![0; n];
    let mut s = levers.clone();
    for i in 0..n {
        d.sample(i, &levers, &mut s);
        seen[(s[0] / 20.0 * n as f64) as usize] += 1;
    }
    assert!(seen.iter().all(|&c| c == 1));
}

#[test]
fn the_same_seed_gives_the_same_bands_and_another_seed_others() {
    let m = default_model();
    let levers = m.default_levers();
    let vars: Vec<usize> = (0..m.n_vars()).collect();
    let d = Design::new(&m, 42, 3000);
    let one = monte_carlo(&m, &levers, &d, &vars, 1);
    let two = monte_carlo(&m, &levers, &d, &vars, 2);
    assert_eq!(one, two, "threads do not change the result");
    let again = monte_carlo(&m, &levers, &Design::new(&m, 42, 3000), &vars, 2);
    assert_eq!(one, again);
    let other = monte_carlo(&m, &levers, &Design::new(&m, 43, 3000), &vars, 2);
    assert_ne!(one.bands, other.bands);
}

#[test]
fn percentiles_are_ordered_and_history_is_certain() {
    let m = default_model();
    let levers = m.default_levers();
    let vars: Vec<usize> = (0..m.n_vars()).collect();
    let s = monte_carlo(&m, &levers, &Design::new(&m, 1, 2000), &vars, 2);
    assert_eq!(s.runs, 2000);
    assert_eq!(s.nonfinite, 0);
    for b in s.bands.iter().flatten() {
        assert!(b.windows(2).all(|w| w[0] <= w[1]), "{b:?}");
    }
    // Levers act from 2025: 2024 has no spread, 2030 has.
    let jobs = m.var_index("jobs").unwrap();
    let bands = s.bands_of(jobs).unwrap();
    let b24 = bands[(2024 - 2014) as usize].unwrap();
    let b30 = bands[(2030 - 2014) as usize].unwrap();
    assert_eq!(b24[0], b24[4]);
    assert!(b30[4] > b30[0] * 1.05, "{b30:?}");
}

#[test]
fn bands_match_a_known_distribution() {
    // y = a + 2b with a ~ N(10, 2), b fixed: y ~ N(11, 2).
    let m = two_levers("Some(Normal(mean: 10, sd: 2, lo: None, hi: None))", "None");
    let y = m.var_index("y").unwrap();
    let s = monte_carlo(
        &m,
        &m.default_levers(),
        &Design::new(&m, 3, 20_000),
        &[y],
        2,
    );
    let b = s.bands_of(y).unwrap()[1].unwrap();
    for (q, got) in QUANTILES.iter().zip(b) {
        let want = 11.0 + 2.0 * normal_quantile(*q);
        assert!((got - want).abs() < 0.06, "p{q}: {got} against {want}");
    }
    // The target at the median is met half the time; a certain one always,
    // an impossible one never.
    let p = &s.target_prob;
    assert_eq!(p[0], Some(1.0));
    assert_eq!(p[1], Some(0.0));
    assert!((p[2].unwrap() - 0.5).abs() < 0.01, "{:?}", p[2]);
}

#[test]
fn moving_a_lever_moves_its_distribution() {
    let m = two_levers("Some(Triangular(lo: 8, mode: 10, hi: 12))", "None");
    let y = m.var_index("y").unwrap();
    let d = Design::new(&m, 5, 4000);
    let at = |a: f64| {
        let levers = m.levers_with([("a", a)]).unwrap();
        monte_carlo(&m, &levers, &d, &[y], 1).bands_of(y).unwrap()[1].unwrap()
    };
    let (b10, b30) = (at(10.0), at(30.0));
    for k in 0..5 {
        assert!((b30[k] - b10[k] - 20.0).abs() < 0.05, "{b10:?} {b30:?}");
    }
}

#[test]
fn tornado_puts_the_widest_swing_first() {
    let m = two_levers(
        "Some(Uniform(lo: 9, hi: 11))",
        "Some(Uniform(lo: 0, hi: 1))",
    );
    let y = m.var_index("y").unwrap();
    let (base, bars) = tornado(&m, &m.default_levers(), y, 2021);
    assert_eq!(base, 11.0);
    // a: 9.1 to 10.9 (its 5th and 95th percentiles) -> swing 1.8;
    // b: 0.05 to 0.95 -> 2b swings 1.8 too; tie broken by order: check values.
    let a = bars.iter().find(|b| b.lever == 0).unwrap();
    assert!((a.low - 9.1).abs() < 1e-9 && (a.high - 10.9).abs() < 1e-9);
    assert!((a.out_high - a.out_low - 1.8).abs() < 1e-9);
    let m = two_levers(
        "Some(Uniform(lo: 9, hi: 11))",
        "Some(Uniform(lo: 0, hi: 5))",
    );
    let (_, bars) = tornado(&m, &m.default_levers(), y, 2021);
    assert_eq!(bars[0].lever, 1, "b's swing (9) beats a's (1.8)");
}

#[test]
fn sobol_indices_of_an_additive_model() {
    // y = a + 2b, a and b ~ U(0, 1) (a shifted by its default): Var = 1/12 + 4/12,
    // so S_a = 0.2 and S_b = 0.8, with no interaction (total = first order).
    let m = two_levers(
        "Some(Uniform(lo: 9.5, hi: 10.5))",
        "Some(Uniform(lo: 0, hi: 1))",
    );
    let y = m.var_index("y").unwrap();
    let s = sobol(&m, &m.default_levers(), y, 2021, 8192, 11).unwrap();
    assert_eq!(s.levers, vec![0, 1]);
    assert_eq!(s.runs, 8192 * 4);
    for (got, want) in s.first.iter().chain(&s.total).zip([0.2, 0.8, 0.2, 0.8]) {
        assert!((got - want).abs() < 0.03, "{s:?}");
    }
    // z = a * b with a ~ U(-0.5, 0.5) (the lever moved to 0) and b ~ U(0, 1):
    // b alone explains nothing (E[z | b] = 0) but a quarter with a.
    let z = m.var_index("z").unwrap();
    let at0 = m.levers_with([("a", 0.0)]).unwrap();
    let s = sobol(&m, &at0, z, 2021, 8192, 11).unwrap();
    assert!(s.first[1].abs() < 0.03, "{s:?}");
    assert!((s.total[1] - 0.25).abs() < 0.03, "{s:?}");
    assert!((s.first[0] - 0.75).abs() < 0.03, "{s:?}");
}
