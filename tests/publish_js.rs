//! The model compiled to JavaScript (`publish::js::model_js`) runs as the
//! engine does: every model below is written as JavaScript, run in `node`
//! with its default levers and three lever sets drawn within the levers'
//! ranges (one for the largest programs, see [`LARGE_PROGRAM`]), and every
//! variable at every saved time compared with `CompiledModel::run`.
//!
//! Needs `node` on the machine: without it the test says so and passes,
//! unless `TRAJECTOIRE_REQUIRE_NODE=1`, when it fails. All models run in
//! one node process (one script holding every model and lever set, which
//! writes its results to a file), not one process per model.
//!
//! The rule: a value matches when it is within 1e-12 of the engine's,
//! relative to the larger of its magnitude and the largest magnitude of its
//! column (the variable over the run), so that a value near zero in a
//! column of large ones is held to 1e-12 of the column, not of itself (the
//! elementary functions, `exp`, `sin`..., are JavaScript's and may differ
//! from the platform's libm in their last bit); a non-finite value must be
//! the same (NaN, or the infinity of the same sign); the run's problems
//! (the first non-finite value of each variable) must be the same
//! variables at the same times. A model the generator refuses fails the
//! test.
//!
//! Models: the shipped ones (every version of each), the templates, a
//! 300-variable generated model (`benches/common/large_model.rs`), models
//! written here for Runge-Kutta, a changing time step, random functions
//! (seeded, and run with another seed given to `run`; Runge-Kutta's with
//! draws and a data variable too) and the built-in functions (each op of
//! the program, every lookup mode, `allocate_available`), and every model
//! of the SDXorg test-models suite (`../shared/test-models/tests`, skipped
//! when missing) that imports and compiles. Each text must also go inside
//! a `<script>` element as it is (no `</`, no `<!--`).

#[path = "../benches/common/large_model.rs"]
mod large_model;
mod models;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use models::{aux, clocked, flow_stock, stock};
use trajectoire::model::CompiledModel;
use trajectoire::model::load::{SHIPPED_MODELS, compile_text};
use trajectoire::publish::js::model_js;

const SUITE: &str = "../shared/test-models/tests";

/// One lever set, and the seed to run it with (the model's when `None`).
struct Set {
    levers: Vec<f64>,
    seed: Option<u64>,
}

struct Case {
    name: String,
    model: CompiledModel,
    sets: Vec<Set>,
}

#[test]
fn the_javascript_model_runs_as_the_engine_does() {
    if !node_available() {
        let required = std::env::var("TRAJECTOIRE_REQUIRE_NODE").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "TRAJECTOIRE_REQUIRE_NODE=1 but `node` is not on the PATH"
        );
        eprintln!(
            "publish_js: `node` is not on the PATH: skipped (set TRAJECTOIRE_REQUIRE_NODE=1 to fail)"
        );
        return;
    }
    let mut cases = Vec::new();
    let mut rng = 0x5eed_u64;
    for s in SHIPPED_MODELS {
        let m =
            compile_text(s.text, None).unwrap_or_else(|e| panic!("{} {}: {e}", s.id, s.version));
        cases.push(case(format!("{} {}", s.id, s.version), m, &mut rng));
    }
    for t in trajectoire::model::templates::Template::ALL {
        cases.push(case(format!("template {t:?}"), t.model(), &mut rng));
    }
    let large = compile_text(&large_model::large_model_text(), None).expect("large model");
    cases.push(case("large generated model".into(), large, &mut rng));
    for (name, text) in written_models() {
        let m = compile_text(&text, None).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        cases.push(case(name.into(), m, &mut rng));
    }
    let mut random = compile_text(&random_model(), None).expect("random model");
    random.set_seed(42);
    let mut c = case("random functions, seed 42".into(), random, &mut rng);
    // Another seed given to `run`, a large one too (all 64 bits).
    for seed in [7, 0xFFFF_FFFF_FFFF_FFF1] {
        c.sets.push(Set {
            levers: c.sets[0].levers.clone(),
            seed: Some(seed),
        });
    }
    cases.push(c);
    let n_own = cases.len();
    let (suite, not_compiled) = suite_models();
    for (name, m) in suite {
        cases.push(case(name, m, &mut rng));
    }
    let n_suite = cases.len() - n_own;

    let results = run_in_node(&cases);
    let mut problems = Vec::new();
    let mut worst = 0.0f64;
    let mut n_sets = 0;
    for (i, c) in cases.iter().enumerate() {
        let result = &results[i];
        if let Some(e) = &result.error {
            problems.push(format!("{}: {e}", c.name));
            continue;
        }
        for (j, set) in c.sets.iter().enumerate() {
            n_sets += 1;
            match &result.runs[j] {
                Ok(run) => compare(c, set, run, &mut problems, &mut worst),
                Err(e) => problems.push(format!("{} set {j}: {e}", c.name)),
            }
        }
    }
    println!(
        "publish_js: {} models compared ({n_own} shipped, templates and written here, \
         {n_suite} of the SDXorg suite; {not_compiled} suite files that do not import or \
         compile left out), {n_sets} lever sets; largest difference {worst:e} of the column",
        cases.len()
    );
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn node_available() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A uniform number in [0, 1) from the state (SplitMix64).
fn next(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// Above this many ops a step, a model runs two lever sets, not four: a
/// JavaScript engine runs such a program unoptimised for its first runs
/// (V8 optimises a function after about 900 calls), seconds each for the
/// largest of the suite (`allocate_by_priority`, 300,000 ops a step).
const LARGE_PROGRAM: usize = 100_000;

/// The model with its default levers and three sets drawn within range
/// (one for a model of more than [`LARGE_PROGRAM`] ops a step).
fn case(name: String, model: CompiledModel, rng: &mut u64) -> Case {
    let defaults: Vec<f64> = model.levers().iter().map(|l| l.default).collect();
    let mut sets = vec![Set {
        levers: defaults,
        seed: None,
    }];
    if !model.levers().is_empty() {
        let drawn = if model.ops_per_year() > LARGE_PROGRAM {
            1
        } else {
            3
        };
        for _ in 0..drawn {
            let levers = model
                .levers()
                .iter()
                .map(|l| {
                    if l.min < l.max && l.min.is_finite() && l.max.is_finite() {
                        l.min + (l.max - l.min) * next(rng)
                    } else {
                        l.default
                    }
                })
                .collect();
            sets.push(Set { levers, seed: None });
        }
    }
    Case { name, model, sets }
}

/// A model with levers, lookups and a clock: RON text.
fn with_levers(time: &str, levers: &[(&str, f64, f64, f64)], vars: &str, lookups: &str) -> String {
    let levers: String = levers
        .iter()
        .map(|(id, min, max, default)| {
            format!(
                "(id: {id:?}, label: (fr: {id:?}, en: {id:?}), unit: (fr: \"\", en: \"\"), \
                 min: {min:?}, max: {max:?}, default: {default:?}, step: 0.01),\n"
            )
        })
        .collect();
    format!(
        r#"Model(
    format_version: 1, id: "written", version: "1",
    name: (fr: "Écrit", en: "Written"), sector: (fr: "", en: ""), country: (fr: "", en: ""),
    currency: "MAD", start_year: 2020, end_year: 2040, time: {time}, last_observed_year: 2020,
    levers: [
{levers}
    ],
    variables: [
{vars}
    ],
    lookups: [
{lookups}
    ],
)"#
    )
}

/// Models written for what the shipped ones do not use.
fn written_models() -> Vec<(&'static str, String)> {
    let lookups = "(id: \"cont\", points: [(0, 1), (2, 3), (5, 2)]),\n\
                   (id: \"extra\", points: [(0, 1), (2, 3), (5, 2)], mode: Extrapolate),\n\
                   (id: \"disc\", points: [(0, 1), (2, 3), (5, 2)], mode: Discrete),\n\
                   (id: \"one\", points: [(1, 4)], mode: Extrapolate),\n";
    let levers = [("a", -5.0, 5.0, 1.5), ("b", -3.0, 3.0, 0.5)];
    let functions = [
        ("t", "time - 2020"),
        (
            "half",
            "round(a * 2 + 0.5) + round(-2.5 + b * 0) + round(t / 4 - 2.5)",
        ),
        ("nan_v", "ln(a - 10)"),
        (
            "min_nan",
            "min(nan_v, 3) + max(nan_v, -3) + min(3, nan_v) + max(-3, nan_v)",
        ),
        (
            "powers",
            "pow(1, nan_v) + pow(abs(b) + 0.1, a) + (t + 1) ^ 0.5",
        ),
        (
            "mods",
            "mod(a * 7 + t, -3) + mod(-a * 7 - t, 3) + mod(t, 2.5)",
        ),
        (
            "divs",
            "safediv(a, b - 0.5, 9) + xidz(a, b * 1e-7, 4) + zidz(t, b)",
        ),
        ("ifs", "if a > b then 1 else 2"),
        (
            "ifs2",
            "if t >= 5 and not (a < 0) or b == 0.5 then t else -t",
        ),
        (
            "cmp",
            "(a <= b) + (a != b) * 2 + (a == a) * 4 + (t < 3) * 8",
        ),
        (
            "trig",
            "sin(t) + cos(t * a) + tan(t / 10) + arcsin(b / 3) + arccos(b / 3) + arctan(a)",
        ),
        (
            "hyp",
            "sinh(b) + cosh(b) + tanh(a) + log10(t + 1) + exp(-t / 5) + sqrt(t)",
        ),
        ("ints", "int(a * t / 3) + abs(b - 1) + clamp(t, 2, 10 + a)"),
        (
            "looks",
            "cont(t / 3 + a) + extra(t / 3 + a) + disc(t / 3 + a) + disc(2) + one(t)",
        ),
        (
            "looks_far",
            "extra(-t) + extra(t) + cont(-t) + disc(t) + disc(-t)",
        ),
        (
            "dyn",
            "step(2, 2025) + ramp(0.5, 2022, 2030) + pulse(3, 2026)",
        ),
        (
            "smooth",
            "smooth1(t * a, 2) + smooth3(t, 3) + delay1(t, 2) + delay3(t * b, 4)",
        ),
        ("trend_f", "trend(t + 5, 2, 0.1) + forecast(t + 5, 2, 3)"),
        ("inits", "init(a * t) + prev(t, 0) + previous(t, 7)"),
        (
            "delay_p",
            "delay(t * a, 2) + delayn(t, 3, 2) + smoothn(t, 3, 2)",
        ),
        (
            "alloc",
            "allocate_available(20 + 10 * t * (a + 6) / 11, 1, 50, 5, 2, 1, 50, 5, 2, 1, 30, 7, 4, 1, 75, 3, 4) \
             + allocate_available(30 + 10 * t, 3, 50, 5, 1, 3, 50, 5, 1, 3, 30, 7, 2, 3, 75, 3, 2) \
             + allocate_available(30 + 10 * t, 4, 50, 5, 1, 4, 50, 5, 1, 4, 30, 7, 2, 4, 75, 3, 2) \
             + allocate_available(30 + 10 * t, 2, 50, 5, 2, 2, 50, 5, 2, 2, 30, 7, 4, 2, 75, 3, 4)",
        ),
        ("grow", "smooth1(ifs2, 3) * 0.1"),
    ];
    let mut vars: String = functions.iter().map(|(id, eq)| aux(id, eq)).collect();
    vars += &stock("level", "100 * a", "grow - prev(level, 100) * 0.05 + divs");
    vars += &flow_stock("tank", "10", &["fill"], &["drain"], true);
    vars += &aux("fill", "max(0, 2 + b)");
    vars += &aux("drain", "5 + a");
    let functions = with_levers("(dt: 0.25, save_step: 1)", &levers, &vars, lookups);

    let mut vars = String::new();
    vars += &flow_stock("prey", "40 + a", &["births"], &["eaten"], false);
    vars += &flow_stock("predators", "9", &["fed"], &["deaths"], false);
    vars += &flow_stock("drained", "5", &["rain"], &["leak"], true);
    vars += &aux("births", "0.6 * prey");
    vars += &aux("eaten", "0.025 * prey * predators");
    vars += &aux("fed", "0.01 * prey * predators * (1 + b / 10)");
    vars += &aux("deaths", "0.8 * predators");
    vars += &aux("rain", "max(0, sin(time) + noise + observed)");
    vars += &aux("noise", "random_normal(0, 0.1)");
    vars += "(id: \"observed\", label: (fr: \"\", en: \"\"), unit: (fr: \"\", en: \"\"), \
             kind: Data(points: [(2020, 0.0), (2030, 0.5), (2035, -0.2)])),\n";
    vars += &aux("leak", "3 + a");
    vars += &aux("seen", "smooth1(prey, 2) + cont(predators / 10)");
    vars += &aux("late", "delay3(prey, 3)");
    vars += &aux("when", "step(1, 2030) + ramp(1, 2025, 2035)");
    let rk4 = with_levers("(dt: 0.125, method: Rk4)", &levers, &vars, lookups);

    let vars = aux("t", "time")
        + &aux("step_size", "dt")
        + &aux("x", "sin(time / 3) + 0.1")
        + &stock("elapsed", "0", "1")
        + &stock("sum_of_steps", "0", "dt * x")
        + &flow_stock("s", "10", &["g"], &["o"], true)
        + &aux("g", "0.3 * x + dt")
        + &aux("o", "0.2 * s")
        + &aux("calm", "smooth1(x, 2)");
    let schedule = clocked(
        0,
        50,
        "(dt: 1, schedule: [(from: 0, dt: 1, steps: 4, save: 1), \
         (from: 4, dt: 0.5, steps: 12, save: 0.5), (from: 10, dt: 0.5, steps: 80, save: 5)])",
        &vars,
    );
    vec![
        ("built-in functions", functions),
        ("Runge-Kutta", rk4),
        ("changing time step", schedule),
    ]
}

fn random_model() -> String {
    let vars = aux("u", "random_uniform(2, 12)")
        + &aux("n", "random_normal(5, 2)")
        + &aux("l", "random_lognormal(4, 1)")
        + &aux("p", "random_poisson(3)")
        + &aux("p_big", "random_poisson(900)")
        + &aux("p_zero", "random_poisson(0)")
        + &aux("u2", "random_uniform(2, 12)")
        + &aux("u_seeded", "random_uniform(2, 12, 7)")
        + &aux("n_bounded", "random_normal(5, 2, 3, 4, 6)")
        + &aux("n_free", "random_normal(5, 2, 0, 4, 6)")
        + &aux("l_seeded", "random_lognormal(4, 1, 11)")
        + &aux("p_bounded", "random_poisson(3, 0, 1, 4)")
        + &aux("e", "random_exponential(2, 5, 0.5, 3)")
        + &aux("t", "random_triangular(1, 2, 5)")
        + &aux("t_bounded", "random_triangular(1, 2, 5, 0, 1.5, 4)")
        + &aux("g", "random_gamma(2.5, 2)")
        + &aux("g_small", "random_gamma(0.5, 1, 9)")
        + &aux("b", "random_beta(2, 3)")
        + &aux("w", "random_weibull(2, 1.5, 0, 0, 2)")
        + &aux("bi", "random_binomial(20, 0.3)")
        + &aux("bi_big", "random_binomial(5000, 0.7)")
        + &aux("nb", "random_negative_binomial(3, 0.4, 4)")
        + &stock("walk", "0", "n - 5");
    clocked(0, 50, "(dt: 0.5)", &vars)
}

/// Every model of the SDXorg suite that imports and compiles, and how many
/// do not.
fn suite_models() -> (Vec<(String, CompiledModel)>, usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(SUITE);
    if !dir.is_dir() {
        eprintln!(
            "publish_js: {} is missing (the SDXorg test-models suite): its models skipped",
            dir.display()
        );
        return (Vec::new(), 0);
    }
    let (mut out, mut left) = (Vec::new(), 0);
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for path in files {
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            let Some(ext) = ext.filter(|e| ["xmile", "stmx", "mdl"].contains(&e.as_str())) else {
                continue;
            };
            let Ok(text) = trajectoire::io::read_text(&path) else {
                left += 1;
                continue;
            };
            let stem = path.file_stem().unwrap().to_string_lossy();
            let compiled = if ext == "mdl" {
                trajectoire::formats::mdl::read(&text, &stem)
                    .ok()
                    .and_then(|m| m.compile(Some(&path)).ok())
            } else {
                trajectoire::formats::xmile::read(&text, &stem)
                    .ok()
                    .and_then(|m| m.compile(Some(&path)).ok())
            };
            match compiled {
                Some(m) => {
                    let name = path.strip_prefix(&dir).unwrap_or(&path);
                    out.push((format!("suite {}", name.display()), m));
                }
                None => left += 1,
            }
        }
    }
    (out, left)
}

/// What node gave for one model: its runs, one per lever set, or why it
/// did not load.
struct NodeResult {
    error: Option<String>,
    runs: Vec<Result<NodeRun, String>>,
    n_vars: usize,
    n_levers: usize,
    times: Vec<f64>,
}

struct NodeRun {
    values: Vec<f64>,
    /// (variable, time, value).
    problems: Vec<(usize, f64, f64)>,
}

/// A JavaScript string literal of `text`.
fn js_string(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for ch in text.chars() {
        match ch {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(s, "\\u{:04x}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Runs every case's lever sets in one node process.
fn run_in_node(cases: &[Case]) -> Vec<NodeResult> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "publish_js_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let mut script = String::from("\"use strict\";\nconst SOURCES = [\n");
    let mut refused = Vec::new();
    for c in cases {
        match model_js(&c.model) {
            // The page inlines the text in a <script> element.
            Ok(js) if js.contains("</") || js.contains("<!--") => {
                refused.push(format!("{}: the text would end a <script> element", c.name));
                script += "null";
            }
            Ok(js) => script += &js_string(&js),
            Err(e) => {
                refused.push(format!("{}: refused: {e}", c.name));
                script += "null";
            }
        }
        script += ",\n";
    }
    assert!(refused.is_empty(), "{}", refused.join("\n"));
    script += "];\nconst SETS = [\n";
    for c in cases {
        script += "[";
        for s in &c.sets {
            let levers: Vec<String> = s.levers.iter().map(|x| format!("{x:?}")).collect();
            let seed = s.seed.map_or("null".into(), |x| format!("\"{x}\""));
            let _ = write!(script, "[[{}], {seed}],", levers.join(","));
        }
        script += "],\n";
    }
    script += RUNNER;
    let script_path = dir.join("models.js");
    let out_path = dir.join("results.txt");
    std::fs::write(&script_path, script).unwrap();
    let output = Command::new("node")
        .arg(&script_path)
        .arg(&out_path)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&out_path).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    parse_results(&text, cases)
}

/// Evaluates each model's source, runs its lever sets, and writes one line
/// per model (`M`, or `E` for an error), per run (`R`, or `X`) and per
/// problem (`P`). Non-finite numbers are written `nan`, `inf`, `-inf`.
const RUNNER: &str = r#"];
const fs = require("fs");
const f = (x) => Number.isFinite(x) ? String(x) : x !== x ? "nan" : x > 0 ? "inf" : "-inf";
const lines = [];
for (let i = 0; i < SOURCES.length; i++) {
  let m;
  try { m = (0, eval)(SOURCES[i]); } catch (e) {
    lines.push("E " + i + " " + String(e).replace(/\s+/g, " "));
    continue;
  }
  lines.push("M " + i + " " + m.nVars + " " + m.nLevers + " " + Array.from(m.times, f).join(" "));
  for (let j = 0; j < SETS[i].length; j++) {
    const [levers, seed] = SETS[i][j];
    let res;
    try { res = m.run(levers, seed === null ? undefined : BigInt(seed)); } catch (e) {
      lines.push("X " + i + " " + j + " " + String(e).replace(/\s+/g, " "));
      continue;
    }
    lines.push("R " + i + " " + j + " " + Array.from(res.values, f).join(" "));
    for (const p of res.problems) lines.push("P " + i + " " + j + " " + p.var + " " + f(p.time) + " " + f(p.value));
  }
}
fs.writeFileSync(process.argv[2], lines.join("\n") + "\n");
"#;

fn parse_results(text: &str, cases: &[Case]) -> Vec<NodeResult> {
    let mut results: Vec<NodeResult> = cases
        .iter()
        .map(|c| NodeResult {
            error: Some("no result from node".into()),
            runs: c.sets.iter().map(|_| Err("no run".into())).collect(),
            n_vars: 0,
            n_levers: 0,
            times: Vec::new(),
        })
        .collect();
    let number = |s: &str| -> f64 { s.parse().unwrap_or_else(|_| panic!("not a number: {s}")) };
    for line in text.lines() {
        let mut words = line.split(' ');
        let kind = words.next().unwrap_or("");
        let i: usize = words
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or(usize::MAX);
        let Some(r) = results.get_mut(i) else {
            continue;
        };
        match kind {
            "E" => r.error = Some(words.collect::<Vec<_>>().join(" ")),
            "M" => {
                r.error = None;
                r.n_vars = words.next().unwrap().parse().unwrap();
                r.n_levers = words.next().unwrap().parse().unwrap();
                r.times = words.filter(|w| !w.is_empty()).map(number).collect();
            }
            "R" | "X" | "P" => {
                let j: usize = words.next().unwrap().parse().unwrap();
                match kind {
                    "X" => r.runs[j] = Err(words.collect::<Vec<_>>().join(" ")),
                    "R" => {
                        r.runs[j] = Ok(NodeRun {
                            values: words.filter(|w| !w.is_empty()).map(number).collect(),
                            problems: Vec::new(),
                        })
                    }
                    _ => {
                        let p: Vec<&str> = words.collect();
                        if let Ok(run) = &mut r.runs[j] {
                            run.problems
                                .push((p[0].parse().unwrap(), number(p[1]), number(p[2])));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // The model's shape, checked once per model.
    for (r, c) in results.iter_mut().zip(cases) {
        if r.error.is_none() {
            let m = &c.model;
            if r.n_vars != m.n_vars() || r.n_levers != m.levers().len() {
                r.error = Some(format!(
                    "nVars {} and nLevers {}, the engine's {} and {}",
                    r.n_vars,
                    r.n_levers,
                    m.n_vars(),
                    m.levers().len()
                ));
            } else if !same_bits(&r.times, m.times()) {
                r.error = Some(format!("times {:?}, the engine's {:?}", r.times, m.times()));
            }
        }
    }
    results
}

fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// One run in node against the engine's, by the rule of the module's doc.
fn compare(c: &Case, set: &Set, got: &NodeRun, problems: &mut Vec<String>, worst: &mut f64) {
    let mut model = c.model.clone();
    if let Some(seed) = set.seed {
        model.set_seed(seed);
    }
    let want = model.run(&set.levers);
    let nt = model.times().len();
    let name = format!("{} levers {:?} seed {:?}", c.name, set.levers, set.seed);
    if got.values.len() != model.n_vars() * nt {
        problems.push(format!(
            "{name}: {} values, not {}",
            got.values.len(),
            model.n_vars() * nt
        ));
        return;
    }
    for v in 0..model.n_vars() {
        let expected = want.series(v);
        let column = expected
            .iter()
            .filter(|x| x.is_finite())
            .fold(0.0f64, |m, x| m.max(x.abs()));
        for (ti, &e) in expected.iter().enumerate() {
            let g = got.values[v * nt + ti];
            let ok = if e.is_finite() {
                let diff = (g - e).abs();
                let scale = e.abs().max(column);
                if scale > 0.0 {
                    *worst = worst.max(diff / scale);
                }
                diff <= 1e-12 * scale
            } else {
                (e.is_nan() && g.is_nan()) || e == g
            };
            if !ok {
                problems.push(format!(
                    "{name}: `{}` at {}: {g:?} in node, {e:?} in the engine",
                    model.series(v).id,
                    model.times()[ti]
                ));
            }
        }
    }
    let expected: Vec<(usize, f64)> = want.problems.iter().map(|p| (p.var, p.time)).collect();
    let found: Vec<(usize, f64)> = got.problems.iter().map(|p| (p.0, p.1)).collect();
    let values_match = want
        .problems
        .iter()
        .zip(&got.problems)
        .all(|(p, q)| (p.value.is_nan() && q.2.is_nan()) || p.value == q.2);
    if expected != found || !values_match {
        problems.push(format!(
            "{name}: problems {:?} in node, {:?} in the engine",
            got.problems, want.problems
        ));
    }
}
