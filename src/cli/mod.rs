//! The command line: `trajectoire [FILE]` opens the window; the commands
//! (`run`, `check`, `targets`, `seek`, `calibrate`, `mc`, `tornado`,
//! `bench`, `brief`, `publish`) work
//! headless on the model engine, one file each. Every file is opened through
//! the registry of formats ([`crate::formats`]).

mod bench;
mod brief;
mod calibrate;
mod check;
mod mc;
pub mod output;
mod publish;
mod run;
mod seek;
mod targets;
mod tornado;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::formats::{self, OpenedFile};
use crate::model::CompiledModel;
use crate::model::load::default_model;
use crate::scenario::Opened;

pub use output::{Names, format_number, to_csv, to_delimited, to_table};

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
        /// `csv` (RFC 4180) and `tsv` (as Vensim's `.tab`) carry every
        /// variable and element, then every lever, in full precision.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Column names: Trajectoire's ids (`canonical`), or as the model
        /// spells them (`original`: an imported model's own names).
        #[arg(long, value_enum, default_value_t = Names::Canonical)]
        names: Names,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        #[command(flatten)]
        data: DataFiles,
    },
    /// Validate a model, scenario or deck file: print every error with file:line:column.
    Check {
        file: PathBuf,
        #[command(flatten)]
        data: DataFiles,
    },
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
        #[command(flatten)]
        data: DataFiles,
    },
    /// Time a model: its compilation and one run, each the median of
    /// several (what to expect before a 10,000-run Monte Carlo).
    Bench {
        file: Option<PathBuf>,
        /// How many single runs to time (compilations: a tenth, at least 5).
        #[arg(long, default_value_t = 200)]
        runs: usize,
        /// Also time a Monte Carlo of this many runs over the uncertain
        /// levers, every variable's percentiles (as `trajectoire mc`); 0 skips it.
        #[arg(long, default_value_t = 0)]
        mc: usize,
        /// Threads for the Monte Carlo (default: every core).
        #[arg(long)]
        threads: Option<usize>,
        /// Which backend runs the model (default: TRAJECTOIRE_BACKEND, else
        /// native code where this build and processor have it).
        #[arg(long)]
        backend: Option<BackendArg>,
        #[command(flatten)]
        data: DataFiles,
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
    /// Write the scenario as a document: headline against the targets,
    /// levers changed, charts, what it takes, assumptions and references.
    Brief {
        file: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = BriefLang::En)]
        lang: BriefLang,
        #[arg(long, value_enum, default_value_t = BriefFormat::Pdf)]
        format: BriefFormat,
        /// Where to write it (default: FILE's name with `.brief.pdf` or `.brief.html`, here).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// The date printed (default: today).
        #[arg(long)]
        date: Option<String>,
        /// Monte Carlo runs for uncertainty bands and odds (0: none).
        #[arg(long, default_value_t = crate::brief::DEFAULT_RUNS)]
        runs: usize,
        #[arg(long = "set", value_name = "LEVER=VALUE")]
        set: Vec<String>,
    },
    /// Write the scenario (or a deck, as a story) as one self-contained HTML
    /// page that runs the model offline: every lever a slider, the charts
    /// and targets redrawn live, a link per setting, the scenario to download.
    Publish {
        file: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = BriefLang::En)]
        lang: BriefLang,
        /// Where to write it (default: FILE's name with `.explorer.html`, here).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
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

/// `--data FILE`, for the commands that run a model.
#[derive(Debug, clap::Args)]
pub struct DataFiles {
    /// A data file (`.tab`, `.csv`, a spreadsheet) giving a Vensim
    /// model's data variables their values, as Vensim's data files for
    /// a run (repeat: the first file holding a series wins).
    #[arg(long = "data", value_name = "FILE")]
    pub data: Vec<PathBuf>,
}

/// The language of a brief.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BriefLang {
    Fr,
    En,
}

impl BriefLang {
    pub fn lang(self) -> crate::i18n::Lang {
        match self {
            BriefLang::Fr => crate::i18n::Lang::Fr,
            BriefLang::En => crate::i18n::Lang::En,
        }
    }
}

/// A backend, as `--backend` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BackendArg {
    /// The interpreter.
    Vm,
    /// Native code.
    Jit,
}

impl BackendArg {
    pub fn backend(self) -> crate::model::sim::Backend {
        match self {
            BackendArg::Vm => crate::model::sim::Backend::Vm,
            BackendArg::Jit => crate::model::sim::Backend::Jit,
        }
    }
}

/// The format of a brief.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BriefFormat {
    Pdf,
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    /// Tab-separated values.
    Tsv,
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

    /// Success: `stdout`, nothing on stderr.
    fn ok(stdout: String) -> Self {
        Outcome {
            stdout,
            stderr: String::new(),
            status: 0,
        }
    }
}

/// What a command ends with; an `Err` is a failure with that message.
type CommandResult = Result<Outcome, String>;

/// Runs a headless command. Never panics on bad input: every problem ends up
/// in `stderr` with a non-zero status.
pub fn execute(cmd: &Command) -> Outcome {
    let result = match cmd {
        Command::Run {
            file,
            set,
            format,
            names,
            out,
            data,
        } => run::run(
            file.as_deref(),
            set,
            (*format, *names),
            out.as_deref(),
            &data.data,
        ),
        Command::Check { file, data } => Ok(check::check(file, &data.data)),
        Command::Bench {
            file,
            runs,
            mc,
            threads,
            backend,
            data,
        } => bench::bench(
            file.as_deref(),
            *runs,
            bench::BenchOptions {
                backend: backend.map(BackendArg::backend),
                mc_runs: *mc,
                threads: *threads,
                data: &data.data,
            },
        ),
        Command::Targets { file, set } => targets::targets(file.as_deref(), set),
        Command::Seek {
            file,
            target,
            lever,
            set,
        } => seek::seek(file.as_deref(), target, lever.as_deref(), set),
        Command::Calibrate {
            file,
            up_to,
            levers,
            set,
        } => calibrate::calibrate(file.as_deref(), *up_to, levers, set),
        Command::Mc {
            file,
            runs,
            seed,
            format,
            vars,
            set,
            data,
        } => mc::mc(
            file.as_deref(),
            *runs,
            *seed,
            *format,
            vars,
            (set, &data.data),
        ),
        Command::Tornado {
            file,
            output,
            year,
            sobol,
            seed,
            set,
        } => tornado::tornado(file.as_deref(), output, *year, *sobol, *seed, set),
        Command::Brief {
            file,
            lang,
            format,
            out,
            date,
            runs,
            set,
        } => brief::brief(&brief::Request {
            file: file.as_deref(),
            lang: lang.lang(),
            format: match format {
                BriefFormat::Html => crate::brief::Format::Html,
                BriefFormat::Pdf => crate::brief::Format::Pdf,
            },
            out: out.as_deref(),
            date: date.as_deref(),
            runs: *runs,
            set,
        }),
        Command::Publish { file, lang, out } => {
            publish::publish(file.as_deref(), lang.lang(), out.as_deref())
        }
    };
    result.unwrap_or_else(Outcome::fail)
}

/// The index of variable `id`, or a message with the likely typo's fix.
fn var_or_fail(model: &CompiledModel, id: &str) -> Result<usize, String> {
    model.var_index(id).ok_or_else(|| {
        let known = model.model().variables.iter().map(|v| v.id.as_str());
        match crate::model::error::suggest(id, known) {
            Some(s) => format!("no variable is called `{id}`; did you mean `{s}`?\n"),
            None => format!("no variable is called `{id}`\n"),
        }
    })
}

/// The preamble every command that runs the model shares: opens FILE through
/// the registry (or takes the default model) and applies the --set values
/// over its levers (a scenario's values first, then --set over them).
fn open_with_levers(
    file: Option<&Path>,
    set: &[String],
    data: &[PathBuf],
) -> Result<(Opened, Vec<f64>), String> {
    let opened = open_or_default(file, data)?;
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
        // An arrayed lever's id sets all its elements, as in a scenario.
        let range = match opened.model.lever_index(k) {
            Some(i) => i..i + 1,
            None => opened.model.lever_range(k),
        };
        levers[range].fill(value);
    }
    Ok((opened, levers))
}

/// The name a document written from FILE starts with: its file name
/// without `.deck.ron` or its last suffix (`talent_crunch`, `story`),
/// `trajectoire` for the default model.
fn output_stem(file: Option<&Path>) -> String {
    let name = file.and_then(|f| f.file_name()).map_or_else(
        || "trajectoire".into(),
        |s| s.to_string_lossy().into_owned(),
    );
    name.strip_suffix(crate::deck::DECK_SUFFIX)
        .or_else(|| name.rsplit_once('.').map(|(a, _)| a))
        .unwrap_or(&name)
        .to_string()
}

/// FILE as a deck, when it is one (`brief` and `publish` take decks too).
fn deck_of(file: Option<&Path>) -> Result<Option<crate::deck::LoadedDeck>, String> {
    let Some(path) = file else {
        return Ok(None);
    };
    if formats::detect(path).map_err(|e| format!("{e}\n"))? != formats::FileKind::Deck {
        return Ok(None);
    }
    match formats::open(path).map_err(|e| format!("{e}\n"))? {
        OpenedFile::Deck(d) => Ok(Some(d)),
        _ => Ok(None),
    }
}

/// FILE opened through the registry as a model or scenario (a Vensim
/// model's data variables read from the `data` files), or the default
/// model.
fn open_or_default(file: Option<&Path>, data: &[PathBuf]) -> Result<Opened, String> {
    let Some(path) = file else {
        if !data.is_empty() {
            return Err("--data needs a Vensim model (FILE) whose data variables read it\n".into());
        }
        return Ok(Opened::model(default_model()));
    };
    match formats::open_with(path, data).map_err(|e| format!("{e}\n"))? {
        OpenedFile::Model(o) | OpenedFile::Scenario(o) => Ok(o),
        OpenedFile::Deck(_) => Err(format!(
            "{}: this is a deck, not a model or a scenario: give one of its steps' \
             scenarios, or validate it with `trajectoire check`\n",
            path.display()
        )),
    }
}

/// `42 variables (62 with their elements)`, or `7 variables` when no
/// variable is arrayed.
fn variables_count(model: &crate::model::CompiledModel) -> String {
    let (vars, series) = (model.model().variables.len(), model.n_vars());
    if vars == series {
        format!("{vars} variables")
    } else {
        format!("{vars} variables ({series} with their elements)")
    }
}
