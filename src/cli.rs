//! The command line: `trajectoire [FILE]` opens the window; `run` and `check`
//! work headless on the model engine.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::model::load::default_model;
use crate::model::{CompiledModel, ModelErrors, Run};
use crate::scenario::{self, Opened};

#[derive(Debug, Parser)]
#[command(
    name = "trajectoire",
    version,
    about = "Explore what-if targets of an economic sector (default: Morocco's offshoring sector).",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A model or scenario file (.ron) to open in the window.
    pub file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a model or scenario and print every variable for every year.
    Run {
        /// Model or scenario file; the default model when omitted.
        file: Option<PathBuf>,
        /// Set a lever, as LEVER=VALUE (repeat for several levers).
        #[arg(long = "set", value_name = "LEVER=VALUE")]
        set: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Validate a model or scenario file: print every error with file:line:column.
    Check { file: PathBuf },
    /// Print every target: the scenario's value, the gap, the first year it
    /// is reached, and the yearly growth it requires against the scenario's
    /// and the historical rate.
    Targets {
        file: Option<PathBuf>,
        #[arg(long = "set", value_name = "LEVER=VALUE")]
        set: Vec<String>,
    },
    /// Find the value of one lever that meets one target, the other levers
    /// held (exit status 1 when no value within the lever's range meets it).
    Seek {
        file: Option<PathBuf>,
        /// Target id (see `trajectoire targets`).
        #[arg(long)]
        target: String,
        /// Lever id; leave out to rank every lever, cheapest first.
        #[arg(long)]
        lever: Option<String>,
        #[arg(long = "set", value_name = "LEVER=VALUE")]
        set: Vec<String>,
    },
    /// Monte Carlo over the model's uncertain levers: the 5, 25, 50, 75 and
    /// 95th percentiles of every variable every year, and the probability of
    /// meeting each target.
    Mc {
        file: Option<PathBuf>,
        /// Number of runs (default: the scenario's, else 10,000).
        #[arg(long)]
        runs: Option<usize>,
        /// Seed of the sampling (default: the scenario's, else 1).
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Only these variables (repeat); default: every variable.
        #[arg(long = "var", value_name = "ID")]
        vars: Vec<String>,
        #[arg(long = "set", value_name = "LEVER=VALUE")]
        set: Vec<String>,
    },
    /// Sensitivity of one output: each lever from its low to its high end,
    /// the others held (tornado), then Sobol indices over the uncertain levers.
    Tornado {
        file: Option<PathBuf>,
        /// The output variable.
        #[arg(long)]
        output: String,
        #[arg(long)]
        year: i32,
        /// Base samples for the Sobol indices (runs: N x (levers + 2)); 0 skips them.
        #[arg(long, default_value_t = 2048)]
        sobol: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long = "set", value_name = "LEVER=VALUE")]
        set: Vec<String>,
    },
    /// Fit levers to the observations up to a year (least squares on
    /// relative errors) and print the fitted values, the fit (MAPE per
    /// variable) and the hindcast: the errors on the later observations.
    Calibrate {
        file: Option<PathBuf>,
        /// Fit the observations dated up to this year (default: all).
        #[arg(long = "up-to", value_name = "YEAR")]
        up_to: Option<i32>,
        /// A lever to fit (repeat); default: the model's calibration levers.
        #[arg(long = "lever", value_name = "ID")]
        levers: Vec<String>,
        #[arg(long = "set", value_name = "LEVER=VALUE")]
        set: Vec<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Table,
}

/// What a headless command ends with: text for stdout and stderr, and the exit status.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

impl Outcome {
    fn fail(stderr: String) -> Self {
        Outcome {
            stdout: String::new(),
            stderr,
            status: 1,
        }
    }
}

/// Runs a headless command. Never panics on bad input: every problem ends up
/// in `stderr` with a non-zero status.
pub fn execute(cmd: &Command) -> Outcome {
    match cmd {
        Command::Run {
            file,
            set,
            format,
            out,
        } => run_command(file.as_deref(), set, *format, out.as_deref()),
        Command::Check { file } => check_command(file),
        Command::Targets { file, set } => targets_command(file.as_deref(), set),
        Command::Seek {
            file,
            target,
            lever,
            set,
        } => seek_command(file.as_deref(), target, lever.as_deref(), set),
        Command::Calibrate {
            file,
            up_to,
            levers,
            set,
        } => calibrate_command(file.as_deref(), *up_to, levers, set),
        Command::Mc {
            file,
            runs,
            seed,
            format,
            vars,
            set,
        } => mc_command(file.as_deref(), *runs, *seed, *format, vars, set),
        Command::Tornado {
            file,
            output,
            year,
            sobol,
            seed,
            set,
        } => tornado_command(file.as_deref(), output, *year, *sobol, *seed, set),
    }
}

fn var_or_fail(model: &CompiledModel, id: &str) -> Result<usize, String> {
    model.var_index(id).ok_or_else(|| {
        let known = model.model().variables.iter().map(|v| v.id.as_str());
        match crate::model::error::suggest(id, known) {
            Some(s) => format!("no variable is called `{id}`; did you mean `{s}`?\n"),
            None => format!("no variable is called `{id}`\n"),
        }
    })
}

fn mc_command(
    file: Option<&Path>,
    runs: Option<usize>,
    seed: Option<u64>,
    format: Format,
    ids: &[String],
    set: &[String],
) -> Outcome {
    use crate::model::mc::{Design, default_threads, monte_carlo};
    let (opened, levers) = match open_with_levers(file, set) {
        Ok(x) => x,
        Err(e) => return Outcome::fail(e),
    };
    let saved = opened
        .scenario
        .as_ref()
        .map(|s| s.monte_carlo)
        .unwrap_or_default();
    let runs = runs.unwrap_or(saved.runs);
    let seed = seed.unwrap_or(saved.seed);
    if runs == 0 || runs > crate::scenario::MAX_RUNS {
        return Outcome::fail(format!(
            "--runs {runs}: choose between 1 and {}\n",
            crate::scenario::MAX_RUNS
        ));
    }
    let model = &opened.model;
    let m = model.model();
    let mut vars = Vec::new();
    for id in ids {
        match var_or_fail(model, id) {
            Ok(v) => vars.push(v),
            Err(e) => return Outcome::fail(e),
        }
    }
    if ids.is_empty() {
        vars = (0..model.n_vars()).collect();
    }
    let design = Design::new(model, seed, runs);
    if design.uncertain_levers().is_empty() {
        return Outcome::fail("no lever of this model has an uncertainty: nothing varies\n".into());
    }
    let s = monte_carlo(model, &levers, &design, &vars, default_threads());
    let years = model.years();
    let mut out = String::new();
    match format {
        Format::Csv => {
            out.push_str("kind,id,year,p05,p25,p50,p75,p95,probability\n");
            for (k, &v) in vars.iter().enumerate() {
                for (yi, y) in years.iter().enumerate() {
                    if let Some(b) = s.bands[k * s.n_years + yi] {
                        let _ = writeln!(
                            out,
                            "variable,{},{y},{},{},{},{},{},",
                            m.variables[v].id, b[0], b[1], b[2], b[3], b[4]
                        );
                    }
                }
            }
            for (t, p) in m.targets.iter().zip(&s.target_prob) {
                if let Some(p) = p {
                    let _ = writeln!(out, "target,{},{},,,,,,{p}", t.id, t.year);
                }
            }
        }
        Format::Table => {
            let _ = writeln!(
                out,
                "{} runs, seed {seed}, uncertain levers: {}",
                s.runs,
                design
                    .uncertain_levers()
                    .iter()
                    .map(|&l| m.levers[l].id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for (k, &v) in vars.iter().enumerate() {
                let var = &m.variables[v];
                let _ = writeln!(out, "\n{} ({})", var.id, var.unit.en);
                let _ = writeln!(
                    out,
                    "{:>6} {:>14} {:>14} {:>14} {:>14} {:>14}",
                    "year", "p5", "p25", "median", "p75", "p95"
                );
                for (yi, y) in years.iter().enumerate() {
                    if let Some(b) = s.bands[k * s.n_years + yi] {
                        let _ = write!(out, "{y:>6}");
                        for x in b {
                            let _ = write!(out, " {:>14}", format_number(x));
                        }
                        out.push('\n');
                    }
                }
            }
            let _ = writeln!(out, "\nProbability of meeting each target:");
            for (t, p) in m.targets.iter().zip(&s.target_prob) {
                if let Some(p) = p {
                    let _ = writeln!(
                        out,
                        "  {:<24} {:>5.1}%  ({} {} >= {})",
                        t.id,
                        100.0 * p,
                        t.variable,
                        t.year,
                        format_number(t.value)
                    );
                }
            }
        }
    }
    let stderr = if s.nonfinite > 0 {
        format!(
            "{} runs of {} hit a value that is not a number; they are left out of the bands\n",
            s.nonfinite, s.runs
        )
    } else {
        String::new()
    };
    Outcome {
        stdout: out,
        stderr,
        status: 0,
    }
}

fn tornado_command(
    file: Option<&Path>,
    output: &str,
    year: i32,
    n_sobol: usize,
    seed: u64,
    set: &[String],
) -> Outcome {
    use crate::model::mc::{sobol, tornado};
    let (opened, levers) = match open_with_levers(file, set) {
        Ok(x) => x,
        Err(e) => return Outcome::fail(e),
    };
    let model = &opened.model;
    let m = model.model();
    let var = match var_or_fail(model, output) {
        Ok(v) => v,
        Err(e) => return Outcome::fail(e),
    };
    if !m.years().contains(&year) {
        return Outcome::fail(format!(
            "--year {year}: the model runs from {} to {}\n",
            m.start_year, m.end_year
        ));
    }
    let unit = &m.variables[var].unit.en;
    let (base, bars) = tornado(model, &levers, var, year);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{output} in {year}: {} {unit} with the levers as set. Each lever from its low to its high end, the others held:",
        format_number(base)
    );
    let _ = writeln!(
        out,
        "{:<26} {:>12} {:>12} {:>16} {:>16} {:>14}",
        "lever", "low", "high", "output at low", "output at high", "swing"
    );
    for b in &bars {
        let _ = writeln!(
            out,
            "{:<26} {:>12} {:>12} {:>16} {:>16} {:>14}",
            m.levers[b.lever].id,
            format_number(b.low),
            format_number(b.high),
            format_number(b.out_low),
            format_number(b.out_high),
            format_number(b.out_high - b.out_low)
        );
    }
    if n_sobol > 0 {
        match sobol(model, &levers, var, year, n_sobol.max(2), seed) {
            Some(s) => {
                let _ = writeln!(
                    out,
                    "\nSobol indices ({} runs): the share of the variance of {output} in {year} each uncertain lever explains alone (first order) and with its interactions (total):",
                    s.runs
                );
                let _ = writeln!(out, "{:<26} {:>12} {:>12}", "lever", "first order", "total");
                for (k, &l) in s.levers.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "{:<26} {:>12.3} {:>12.3}",
                        m.levers[l].id, s.first[k], s.total[k]
                    );
                }
            }
            None => {
                let _ = writeln!(out, "\nNo lever has an uncertainty: no Sobol indices.");
            }
        }
    }
    Outcome {
        stdout: out,
        stderr: String::new(),
        status: 0,
    }
}

fn calibrate_command(
    file: Option<&Path>,
    up_to: Option<i32>,
    ids: &[String],
    set: &[String],
) -> Outcome {
    use crate::model::calibrate::calibrate;
    let (opened, levers) = match open_with_levers(file, set) {
        Ok(x) => x,
        Err(e) => return Outcome::fail(e),
    };
    let model = &opened.model;
    let m = model.model();
    let mut chosen = Vec::new();
    for id in ids {
        match model.lever_index(id) {
            Some(l) => chosen.push(l),
            None => return Outcome::fail(format!("--lever {id}: no lever is called `{id}`\n")),
        }
    }
    if ids.is_empty() {
        chosen = (0..m.levers.len())
            .filter(|&l| m.levers[l].calibration)
            .collect();
    }
    let up_to = up_to.unwrap_or(m.end_year);
    let c = match calibrate(model, &levers, &chosen, up_to) {
        Ok(c) => c,
        Err(e) => return Outcome::fail(format!("{e}\n")),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Fitted to the observations up to {up_to} ({} runs):",
        c.runs
    );
    for &l in &c.chosen {
        let def = &m.levers[l];
        let _ = writeln!(
            out,
            "  {}={} {} (was {})",
            def.id,
            format_number(c.levers[l]),
            def.unit.en,
            format_number(levers[l])
        );
    }
    let table = |out: &mut String, title: &str, fits: &[crate::model::fit::VariableFit]| {
        let _ = writeln!(out, "{title}");
        for f in fits {
            let worst = f
                .points
                .iter()
                .max_by(|a, b| a.error.abs().total_cmp(&b.error.abs()));
            let _ = write!(
                out,
                "  {:<28} MAPE {:>5.1}%  ({} point{}",
                f.variable,
                f.mape_pct,
                f.points.len(),
                if f.points.len() == 1 { "" } else { "s" }
            );
            if let Some(w) = worst {
                let _ = write!(
                    out,
                    "; worst {}: {} against {} observed, {:+.1}%",
                    w.year,
                    format_number(w.model),
                    format_number(w.observed),
                    100.0 * w.error
                );
            }
            let _ = writeln!(out, ")");
        }
    };
    table(&mut out, "Fit:", &c.fit);
    if !c.holdout.is_empty() {
        table(
            &mut out,
            &format!("Hindcast, observations after {up_to} (not used in the fit):"),
            &c.holdout,
        );
    }
    Outcome {
        stdout: out,
        stderr: String::new(),
        status: 0,
    }
}

/// Opens FILE (or the default model) and applies --set values over its levers.
fn open_with_levers(file: Option<&Path>, set: &[String]) -> Result<(Opened, Vec<f64>), String> {
    let opened = open_or_default(file).map_err(|e| format!("{e}\n"))?;
    let mut levers = opened.levers.clone();
    for s in set {
        let Some((k, v)) = s.split_once('=') else {
            return Err(format!(
                "--set {s}: expected LEVER=VALUE, such as --set training_output=40000\n"
            ));
        };
        let Ok(value) = v.trim().parse::<f64>() else {
            return Err(format!("--set {s}: `{v}` is not a number\n"));
        };
        let k = k.trim();
        opened
            .model
            .levers_with([(k, value)])
            .map_err(|e| format!("--set {k}={v}: {}\n", e.message))?;
        levers[opened.model.lever_index(k).expect("checked")] = value;
    }
    Ok((opened, levers))
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |g| format!("{:+.1}%", 100.0 * g))
}

fn targets_command(file: Option<&Path>, set: &[String]) -> Outcome {
    use crate::model::targets::{target_statuses, tensions};
    let (opened, levers) = match open_with_levers(file, set) {
        Ok(x) => x,
        Err(e) => return Outcome::fail(e),
    };
    let model = &opened.model;
    let m = model.model();
    let run = model.run(&levers);
    let mut out = format!(
        "{:<22} {:>5} {:>12} {:>12} {:>12} {:>8} {:>7} {:>9} {:>9} {:>9}  {}\n",
        "target",
        "year",
        "target",
        "scenario",
        "gap",
        "gap",
        "reached",
        "required",
        "scenario",
        "history",
        "label"
    );
    for s in target_statuses(model, &run) {
        let t = &m.targets[s.target];
        let _ = writeln!(
            out,
            "{:<22} {:>5} {:>12} {:>12} {:>12} {:>7.1}% {:>7} {:>9} {:>9} {:>9}  {}",
            t.id,
            t.year,
            format_number(t.value),
            format_number(s.value),
            format_number(s.gap),
            100.0 * s.gap_frac,
            s.first_reached
                .map_or_else(|| "-".into(), |y| y.to_string()),
            pct(s.required_growth),
            pct(s.run_growth),
            pct(s.historical_growth),
            t.label.en
        );
    }
    for t in tensions(model, &run) {
        let r = &m.ratios[t.ratio];
        let unit = m.variable(&r.variable).map_or("", |v| v.unit.en.as_str());
        let _ = write!(out, "\n{}: {} {unit}", r.label.en, format_number(t.implied));
        if let Some((y, v)) = t.current {
            let _ = write!(out, " against {} in {y}", format_number(v));
        }
        out.push('\n');
    }
    Outcome {
        stdout: out,
        stderr: String::new(),
        status: 0,
    }
}

fn seek_command(file: Option<&Path>, target: &str, lever: Option<&str>, set: &[String]) -> Outcome {
    use crate::model::solve::{goal_seek, rank_levers};
    let (opened, levers) = match open_with_levers(file, set) {
        Ok(x) => x,
        Err(e) => return Outcome::fail(e),
    };
    let model = &opened.model;
    let m = model.model();
    let Some(ti) = m.targets.iter().position(|t| t.id == target) else {
        return Outcome::fail(format!(
            "no target is called `{target}`; the targets are: {}\n",
            m.targets
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let t = &m.targets[ti];
    let unit = m.variable(&t.variable).map_or("", |v| v.unit.en.as_str());
    match lever {
        Some(id) => {
            let Some(li) = model.lever_index(id) else {
                return Outcome::fail(format!("no lever is called `{id}`\n"));
            };
            let l = &m.levers[li];
            let Some(s) = goal_seek(model, &levers, ti, li) else {
                return Outcome::fail(format!("target `{target}` cannot be computed\n"));
            };
            if s.reached {
                Outcome {
                    stdout: format!(
                        "{id}={}\n{} {}: {} {unit} (target {} {unit}) with {} {} ({} runs)\n",
                        s.value,
                        t.variable,
                        t.year,
                        format_number(s.achieved),
                        format_number(t.value),
                        format_number(s.value),
                        l.unit.en,
                        s.runs
                    ),
                    stderr: String::new(),
                    status: 0,
                }
            } else {
                Outcome {
                    stdout: String::new(),
                    stderr: format!(
                        "no value of {id} between {} and {} meets {target}: the closest is {} {}, giving {} {unit} against {} {unit}\n",
                        l.min,
                        l.max,
                        format_number(s.value),
                        l.unit.en,
                        format_number(s.achieved),
                        format_number(t.value)
                    ),
                    status: 1,
                }
            }
        }
        None => {
            let mut out = format!(
                "{:<22} {:>14} {:>14} {:>8}  {}\n",
                "lever", "value", "default", "move", "result"
            );
            for r in rank_levers(model, &levers, ti) {
                let l = &m.levers[r.seek.lever];
                let _ = writeln!(
                    out,
                    "{:<22} {:>14} {:>14} {:>7.0}%  {}",
                    l.id,
                    format_number(r.seek.value),
                    format_number(l.default),
                    100.0 * r.move_frac,
                    if r.seek.reached {
                        "meets the target".to_string()
                    } else {
                        format!("cannot: at best {} {unit}", format_number(r.seek.achieved))
                    }
                );
            }
            Outcome {
                stdout: out,
                stderr: String::new(),
                status: 0,
            }
        }
    }
}

fn open_or_default(file: Option<&Path>) -> Result<Opened, ModelErrors> {
    match file {
        Some(p) => scenario::open(p),
        None => {
            let model = default_model();
            let levers = model.default_levers();
            Ok(Opened {
                model,
                levers,
                scenario: None,
                warnings: Vec::new(),
            })
        }
    }
}

fn run_command(file: Option<&Path>, set: &[String], format: Format, out: Option<&Path>) -> Outcome {
    // Scenario values first, then --set over them.
    let (opened, levers) = match open_with_levers(file, set) {
        Ok(x) => x,
        Err(e) => return Outcome::fail(e),
    };
    let mut stderr = String::new();
    for w in &opened.warnings {
        let _ = writeln!(stderr, "warning: {w}");
    }
    let model = &opened.model;
    let run = model.run(&levers);
    let text = match format {
        Format::Csv => to_csv(model, &run),
        Format::Table => to_table(model, &run),
    };
    let mut status = 0;
    for p in &run.problems {
        let _ = writeln!(stderr, "error: {p}");
        status = 1;
    }
    match out {
        Some(path) => {
            if let Err(e) = crate::atomic::write(path, text.as_bytes()) {
                let _ = writeln!(stderr, "{}: cannot write: {e}", path.display());
                return Outcome {
                    stdout: String::new(),
                    stderr,
                    status: 1,
                };
            }
            Outcome {
                stdout: String::new(),
                stderr,
                status,
            }
        }
        None => Outcome {
            stdout: text,
            stderr,
            status,
        },
    }
}

fn check_command(file: &Path) -> Outcome {
    // A deck: every step's scenario and charts.
    if file.to_string_lossy().ends_with(crate::deck::DECK_SUFFIX)
        || std::fs::read_to_string(file).is_ok_and(|t| crate::deck::is_deck_text(&t))
    {
        return match crate::deck::open(file) {
            Ok(d) => Outcome {
                stdout: format!(
                    "{}: valid deck `{}` ({} steps)\n",
                    file.display(),
                    d.deck.title.en,
                    d.steps.len()
                ),
                stderr: String::new(),
                status: 0,
            },
            Err(errs) => Outcome::fail(format!(
                "{errs}\n{} error{} in {}\n",
                errs.0.len(),
                if errs.0.len() == 1 { "" } else { "s" },
                file.display()
            )),
        };
    }
    match scenario::open(file) {
        Ok(o) => {
            let m = o.model.model();
            let what = if o.scenario.is_some() {
                "scenario over model"
            } else {
                "model"
            };
            let mut stdout = format!(
                "{}: valid {what} `{}` {} ({} levers, {} variables, {} observations, {} targets)\n",
                file.display(),
                m.id,
                m.version,
                m.levers.len(),
                m.variables.len(),
                m.observations.len(),
                m.targets.len()
            );
            let run = o.model.run(&o.levers);
            let mut status = 0;
            let mut stderr = String::new();
            for w in &o.warnings {
                let _ = writeln!(stderr, "warning: {w}");
            }
            for p in &run.problems {
                let _ = writeln!(stderr, "{}: error: {p}", file.display());
                status = 1;
            }
            if status != 0 {
                stdout.clear();
            }
            Outcome {
                stdout,
                stderr,
                status,
            }
        }
        Err(errs) => {
            let n = errs.0.len();
            Outcome::fail(format!(
                "{errs}\n{n} error{} in {}\n",
                if n == 1 { "" } else { "s" },
                file.display()
            ))
        }
    }
}

/// `year,<variable ids>` then one row a year, numbers in full precision.
pub fn to_csv(model: &CompiledModel, run: &Run) -> String {
    let m = model.model();
    let mut s = String::from("year");
    for v in &m.variables {
        s.push(',');
        s.push_str(&v.id);
    }
    s.push('\n');
    for (yi, year) in run.years().iter().enumerate() {
        let _ = write!(s, "{year}");
        for vi in 0..model.n_vars() {
            let _ = write!(s, ",{}", run.series(vi)[yi]);
        }
        s.push('\n');
    }
    s
}

/// A table for people: one block of variables at a time, a row a year.
pub fn to_table(model: &CompiledModel, run: &Run) -> String {
    let m = model.model();
    let mut s = format!("{} ({}-{})\n", m.name.en, m.start_year, m.end_year);
    let per_block = 6;
    let ids: Vec<usize> = (0..model.n_vars()).collect();
    for block in ids.chunks(per_block) {
        let cells: Vec<Vec<String>> = block
            .iter()
            .map(|&v| run.series(v).iter().map(|&x| format_number(x)).collect())
            .collect();
        let widths: Vec<usize> = block
            .iter()
            .zip(&cells)
            .map(|(&v, c)| {
                let var = &m.variables[v];
                let head = var.id.len().max(var.unit.en.len() + 2);
                c.iter().map(String::len).max().unwrap_or(0).max(head)
            })
            .collect();
        s.push('\n');
        let _ = write!(s, "{:>6}", "year");
        for (&v, w) in block.iter().zip(&widths) {
            let _ = write!(s, "  {:>w$}", m.variables[v].id);
        }
        s.push('\n');
        let _ = write!(s, "{:>6}", "");
        for (&v, w) in block.iter().zip(&widths) {
            let _ = write!(s, "  {:>w$}", format!("[{}]", m.variables[v].unit.en));
        }
        s.push('\n');
        for (yi, year) in run.years().iter().enumerate() {
            let _ = write!(s, "{year:>6}");
            for (c, w) in cells.iter().zip(&widths) {
                let _ = write!(s, "  {:>w$}", c[yi]);
            }
            s.push('\n');
        }
    }
    s
}

/// Readable numbers: 148,500 not 1.485e5; small values with decimals.
pub fn format_number(x: f64) -> String {
    let a = x.abs();
    let decimals = if a >= 1000.0 {
        0
    } else if a >= 100.0 {
        1
    } else if a >= 1.0 {
        2
    } else if a == 0.0 {
        0
    } else {
        4
    };
    crate::numfmt::grouped(x, decimals, ',', '.', '-').unwrap_or_else(|| format!("{x}"))
}
