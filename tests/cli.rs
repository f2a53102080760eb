//! The command line, run as a user runs it.

use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_trajectoire"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trajectoire-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn out(cmd: &mut Command) -> (String, String, i32) {
    let o = cmd.output().expect("runs");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}

const MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/models/morocco_offshoring.ron"
);

/// `text` with the first `from` made `to`; `from` must be there, so a test
/// never passes on a model its edit missed.
fn edited(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the model has no `{from}`");
    text.replacen(from, to, 1)
}

#[test]
fn run_prints_csv_with_a_header_and_a_row_a_year() {
    let (stdout, stderr, code) = out(bin().args(["run", "--format", "csv"]));
    assert_eq!(code, 0, "{stderr}");
    let mut lines = stdout.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("year,policy_year,"), "{header}");
    assert!(header.contains(",jobs,") && header.contains(",exports,"));
    let rows: Vec<&str> = lines.collect();
    // The model file's start_year and end_year: 2013 to 2035.
    assert_eq!(rows.len(), 23, "2013 to 2035");
    assert!(rows[0].starts_with("2013,"));
    let cols = header.split(',').count();
    assert!(rows.iter().all(|r| r.split(',').count() == cols));
}

#[test]
fn set_moves_a_lever_and_out_writes_a_file() {
    let path = tmp("run.csv");
    let (_, stderr, code) = out(bin().args([
        "run",
        MODEL,
        "--set",
        "training_output=120000",
        "--format",
        "csv",
        "--out",
        path.to_str().unwrap(),
    ]));
    assert_eq!(code, 0, "{stderr}");
    let csv = std::fs::read_to_string(&path).unwrap();
    let (base, _, _) = out(bin().args(["run", "--format", "csv"]));
    let jobs_2030 = |csv: &str| -> f64 {
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let col = header.iter().position(|h| *h == "jobs").unwrap();
        let row = csv.lines().find(|l| l.starts_with("2030,")).unwrap();
        row.split(',').nth(col).unwrap().parse().unwrap()
    };
    assert!(jobs_2030(&csv) > jobs_2030(&base) + 1000.0);
}

#[test]
fn table_is_readable() {
    let (stdout, _, code) = out(bin().args(["run", "--format", "table"]));
    assert_eq!(code, 0);
    // Jobs in 2013 are the lever jobs_2013, whose default in the model
    // file is 64709.
    assert!(
        stdout.contains(" 64,709 "),
        "thousands are grouped: {stdout}"
    );
    assert!(stdout.contains(" 2025 "), "years are not grouped");
    assert!(stdout.contains("[jobs]"));
}

#[test]
fn bad_set_values_are_refused_in_plain_words() {
    let (_, stderr, code) = out(bin().args(["run", "--set", "training_output=-5"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("outside the lever's range"), "{stderr}");
    // Version 2's training_output is arrayed over `pool`, and the hint is
    // chosen among the run levers (`training_output[digital]`...), not the
    // model's ids that --set also takes: a typo of the bare id gets no hint
    // yet, so the typo here is of an element's id.
    let (_, stderr, code) = out(bin().args(["run", "--set", "trainin_output[digital]=5"]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("did you mean `training_output[digital]`"),
        "{stderr}"
    );
    let (_, stderr, code) = out(bin().args(["run", "--set", "attrition"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("LEVER=VALUE"), "{stderr}");
    let (_, stderr, code) = out(bin().args(["run", "--set", "attrition=lots"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("not a number"), "{stderr}");
}

#[test]
fn check_accepts_the_shipped_model() {
    let (stdout, stderr, code) = out(bin().args(["check", MODEL]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("valid model `morocco-offshoring`"),
        "{stdout}"
    );
}

#[test]
fn check_reports_every_error_with_file_line_and_column() {
    let text = std::fs::read_to_string(MODEL).unwrap();
    let broken = edited(
        &edited(
            &text,
            "prev(segment_jobs) * (segment_growth + destruction_rate)",
            "prev(segment_jobs) * (segment_growht + destruction_rate)",
        ),
        "\"exports * 1e6 / jobs\"",
        "\"exports * 1e6 / (jobs\"",
    );
    let path = tmp("broken.ron");
    std::fs::write(&path, &broken).unwrap();
    let (_, stderr, code) = out(bin().args(["check", path.to_str().unwrap()]));
    assert_eq!(code, 1);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(stderr.contains("2 errors"), "{stderr}");
    let typo = lines
        .iter()
        .find(|l| l.contains("segment_growht"))
        .expect("typo reported");
    let loc = typo.split(": ").next().unwrap();
    let mut parts = loc.rsplitn(3, ':');
    let col: usize = parts.next().unwrap().parse().unwrap();
    let line: usize = parts.next().unwrap().parse().unwrap();
    let src_line = broken.lines().nth(line - 1).unwrap();
    assert!(
        src_line[col - 1..].starts_with("segment_growht"),
        "{typo} -> {src_line}"
    );
    assert!(typo.contains("did you mean `segment_growth`"), "{typo}");
    assert!(stderr.contains("revenue_per_job"), "{stderr}");
}

#[test]
fn hostile_input_gives_clear_errors_without_panics() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.ron", b"  \n".to_vec(), "the file is empty"),
        ("junk.ron", vec![0xff, 0xfe, 0x00, 0x12, 0x80], "not UTF-8"),
        (
            "truncated.ron",
            std::fs::read(MODEL).unwrap()[..4000].to_vec(),
            "cut short",
        ),
        (
            "deep.ron",
            format!("Model({}", "[".repeat(100_000)).into_bytes(),
            "",
        ),
        (
            "newer.ron",
            edited(
                &std::fs::read_to_string(MODEL).unwrap(),
                "format_version: 1",
                "format_version: 99",
            )
            .into_bytes(),
            "newer Trajectoire",
        ),
        (
            "type.ron",
            edited(
                &std::fs::read_to_string(MODEL).unwrap(),
                "start_year: 2013",
                "start_year: \"2013\"",
            )
            .into_bytes(),
            "",
        ),
        (
            "unknown.ron",
            edited(
                &std::fs::read_to_string(MODEL).unwrap(),
                "currency: \"MAD\",",
                "currency: \"MAD\", colour: 3,",
            )
            .into_bytes(),
            "unknown field `colour`",
        ),
        (
            "nan.ron",
            edited(
                &std::fs::read_to_string(MODEL).unwrap(),
                "default: 8.0",
                "default: NaN",
            )
            .into_bytes(),
            "not a finite number",
        ),
        (
            "years.ron",
            edited(
                &std::fs::read_to_string(MODEL).unwrap(),
                "end_year: 2035",
                "end_year: 2999999",
            )
            .into_bytes(),
            "end_year",
        ),
    ];
    for (name, bytes, expect) in cases {
        let path = tmp(name);
        std::fs::write(&path, &bytes).unwrap();
        let (_, stderr, code) = out(bin().args(["check", path.to_str().unwrap()]));
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(
            stderr.contains(path.to_str().unwrap()),
            "{name} names the file: {stderr}"
        );
        assert!(
            stderr.contains(expect),
            "{name}: expected `{expect}` in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    let (_, stderr, code) = out(bin().args(["check", "/no/such/file.ron"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot open"), "{stderr}");
}

#[test]
fn a_division_by_zero_is_reported_with_variable_and_year() {
    let text = edited(
        &std::fs::read_to_string(MODEL).unwrap(),
        "\"jobs / jobs_per_company\"",
        "\"jobs / (year - 2030)\"",
    );
    let path = tmp("divzero.ron");
    std::fs::write(&path, text).unwrap();
    let (_, stderr, code) = out(bin().args(["check", path.to_str().unwrap()]));
    assert_eq!(code, 1);
    assert!(stderr.contains("`companies` in 2030"), "{stderr}");
    let (_, stderr, code) = out(bin().args(["run", path.to_str().unwrap()]));
    assert_eq!(code, 1);
    assert!(stderr.contains("`companies` in 2030"), "{stderr}");
}

#[test]
fn a_scenario_file_runs_and_checks() {
    let path = tmp("scenario.ron");
    std::fs::write(
        &path,
        r#"Scenario(
    format_version: 1,
    name: "More training",
    notes: "Digital plan reached from 2025.",
    model: Shipped(id: "morocco-offshoring", version: "2.1.0"),
    levers: {"training_output[digital]": 100000.0, "capture_share[digital]": 50.0},
)
"#,
    )
    .unwrap();
    let (stdout, stderr, code) = out(bin().args(["check", path.to_str().unwrap()]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("valid scenario"), "{stdout}");
    let (scenario, _, code) = out(bin().args(["run", path.to_str().unwrap(), "--format", "csv"]));
    assert_eq!(code, 0);
    let (base, _, _) = out(bin().args(["run", "--format", "csv"]));
    assert_ne!(scenario, base, "the scenario's levers apply");
    // --set applies over the scenario's values: back to the model file's
    // defaults of these two (14000 and 71.5), the run is the default run.
    let (over, _, code) = out(bin().args([
        "run",
        path.to_str().unwrap(),
        "--set",
        "training_output[digital]=14000",
        "--set",
        "capture_share[digital]=71.5",
        "--format",
        "csv",
    ]));
    assert_eq!(code, 0);
    assert_eq!(over, base);

    // A lever out of range in the scenario is reported at its line.
    let bad = std::fs::read_to_string(&path)
        .unwrap()
        .replace("100000.0", "1e9");
    std::fs::write(&path, bad).unwrap();
    let (_, stderr, code) = out(bin().args(["check", path.to_str().unwrap()]));
    assert_eq!(code, 1);
    assert!(stderr.contains(":6:"), "line of the lever: {stderr}");
    assert!(stderr.contains("outside the lever's range"), "{stderr}");
}

#[test]
fn seek_gives_a_lever_value_that_meets_the_target_within_a_tenth_of_a_percent() {
    // Version 2 has no lever that alone meets cp2030_jobs (the talent pools
    // and the aid budget cap jobs), so the seek is of the 2030 exports
    // target (about 40 bn MAD), which the default run of version 2.1.0
    // misses by 6 % and demand growth alone meets.
    let (stdout, stderr, code) = out(bin().args([
        "seek",
        "--target",
        "cp2030_exports",
        "--lever",
        "demand_growth",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let first = stdout.lines().next().unwrap();
    let value = first.strip_prefix("demand_growth=").expect(first);
    let (csv, _, code) = out(bin().args([
        "run",
        "--set",
        &format!("demand_growth={value}"),
        "--format",
        "csv",
    ]));
    assert_eq!(code, 0);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "exports").unwrap();
    let row = csv.lines().find(|l| l.starts_with("2030,")).unwrap();
    let exports: f64 = row.split(',').nth(col).unwrap().parse().unwrap();
    assert!((exports - 40.0).abs() / 40.0 <= 0.001, "{exports}");

    // A lever that cannot reach it: exit 1 and the closest value in plain
    // words. Digital graduates reach the market three years after they
    // start training in 2025, too late for 2026.
    let (_, stderr, code) = out(bin().args([
        "seek",
        "--target",
        "dm2026_exports",
        "--lever",
        "training_output[digital]",
    ]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("no value of training_output[digital]"),
        "{stderr}"
    );

    // Ranking and the targets table.
    let (stdout, _, code) = out(bin().args(["seek", "--target", "dm2026_exports"]));
    assert_eq!(code, 0);
    assert!(
        stdout.lines().nth(1).unwrap().starts_with("demand_growth"),
        "{stdout}"
    );
    let (stdout, _, code) = out(bin().args(["targets"]));
    assert_eq!(code, 0);
    // 148.1 k MAD a job: the 2030 targets' 40 bn MAD over 270,000 jobs.
    assert!(
        stdout.contains("cp2030_jobs") && stdout.contains("148.1"),
        "{stdout}"
    );
}

#[test]
fn calibrate_prints_the_fit_and_the_hindcast() {
    let (stdout, stderr, code) = out(bin().args(["calibrate", "--up-to", "2018"]));
    assert_eq!(code, 0, "{stderr}");
    for want in [
        "hist_demand_growth=",
        "incentive_effect=",
        "Fit:",
        "Hindcast, observations after 2018",
    ] {
        assert!(stdout.contains(want), "`{want}` in {stdout}");
    }
    let hindcast = stdout.split("Hindcast").nth(1).unwrap();
    assert!(hindcast.contains("worst 2024") || hindcast.contains("worst 2023"));
    // One lever by name; an unknown one and a year without data are refused.
    let (stdout, _, code) = out(bin().args(["calibrate", "--lever", "hist_demand_growth"]));
    assert_eq!(code, 0);
    assert!(!stdout.contains("incentive_effect="), "{stdout}");
    let (_, stderr, code) = out(bin().args(["calibrate", "--lever", "nope"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("no lever is called `nope`"), "{stderr}");
    let (_, stderr, code) = out(bin().args(["calibrate", "--up-to", "1990"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("no observation up to 1990"), "{stderr}");
}

#[test]
fn mc_prints_ordered_percentiles_and_target_odds_reproducibly() {
    let args = ["mc", "--runs", "2000", "--seed", "9", "--format", "csv"];
    let (csv, stderr, code) = out(bin().args(args));
    assert_eq!(code, 0, "{stderr}");
    let (again, _, _) = out(bin().args(args));
    assert_eq!(csv, again, "same seed, same output");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("kind,id,year,p05,p25,p50,p75,p95,probability")
    );
    let mut targets = 0;
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        if f[0] == "variable" {
            let p: Vec<f64> = f[3..8].iter().map(|x| x.parse().unwrap()).collect();
            assert!(p.windows(2).all(|w| w[0] <= w[1]), "{l}");
        } else {
            assert_eq!(f[0], "target");
            let p: f64 = f[8].parse().unwrap();
            assert!((0.0..=1.0).contains(&p), "{l}");
            targets += 1;
        }
    }
    assert!(targets >= 2);
    let (table, _, code) = out(bin().args(["mc", "--runs", "500", "--var", "jobs"]));
    assert_eq!(code, 0);
    assert!(
        table.contains("Probability of meeting each target"),
        "{table}"
    );
    assert!(table.contains("cp2030_jobs"));
    let (_, stderr, code) = out(bin().args(["mc", "--var", "jobz"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("did you mean `jobs`"), "{stderr}");
    let (_, stderr, code) = out(bin().args(["mc", "--runs", "0"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("between 1 and"), "{stderr}");
}

#[test]
fn tornado_ranks_levers_and_prints_sobol_indices() {
    let (stdout, stderr, code) = out(bin().args([
        "tornado", "--output", "jobs", "--year", "2030", "--sobol", "512",
    ]));
    assert_eq!(code, 0, "{stderr}");
    // Version 2: the aid budget, from none to its 4 bn MAD/yr maximum,
    // swings jobs in 2030 the most (about 62,000 against demand growth's
    // 23,000 across its uncertainty, the next).
    let first = stdout.lines().nth(2).unwrap();
    assert!(first.starts_with("incentive_budget"), "{stdout}");
    assert!(stdout.contains("Sobol indices"));
    let (_, stderr, code) = out(bin().args(["tornado", "--output", "jobs", "--year", "1990"]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("the model runs from 2013 to 2035"),
        "{stderr}"
    );
}

#[test]
fn every_command_opens_its_file_through_the_registry() {
    // A deck is checked as a deck whatever its name says.
    let deck = concat!(env!("CARGO_MANIFEST_DIR"), "/saves/story.deck.ron");
    let renamed = tmp("story.txt");
    std::fs::copy(deck, &renamed).unwrap();
    let dir = renamed.parent().unwrap();
    for f in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/saves")).unwrap() {
        let p = f.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    let (stdout, stderr, code) = out(bin().args(["check", renamed.to_str().unwrap()]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("valid deck"), "{stdout}");
    // A model under a name that says nothing runs.
    let model = tmp("model.txt");
    std::fs::copy(MODEL, &model).unwrap();
    let (_, stderr, code) = out(bin().args(["targets", model.to_str().unwrap()]));
    assert_eq!(code, 0, "{stderr}");
    // A deck where a model or scenario is needed says so.
    let (_, stderr, code) = out(bin().args(["run", deck]));
    assert_eq!(code, 1);
    assert!(stderr.contains("this is a deck"), "{stderr}");
    // A file that is none of them is refused, by name.
    let junk = tmp("notes.txt");
    std::fs::write(&junk, "shopping: milk, eggs\n").unwrap();
    for cmd in ["check", "run", "mc"] {
        let (_, stderr, code) = out(bin().args([cmd, junk.to_str().unwrap()]));
        assert_eq!(code, 1, "{cmd}");
        assert!(
            stderr.contains(junk.to_str().unwrap()) && stderr.contains("cannot open this file"),
            "{cmd}: {stderr}"
        );
    }
}

#[test]
fn bench_times_compilation_and_one_run() {
    let (stdout, stderr, code) = out(bin().args(["bench", "--runs", "20"]));
    assert_eq!(code, 0, "{stderr}");
    // The counts the engine gives for the default model: its variables as
    // written and with their elements, and a step a year.
    let m = trajectoire::model::load::default_model();
    let (start, end) = (m.model().start_year, m.model().end_year);
    let want = format!(
        "{} variables ({} with their elements), {} time steps",
        m.model().variables.len(),
        m.n_vars(),
        end - start
    );
    assert!(m.model().variables.len() < m.n_vars(), "arrayed");
    assert!(stdout.contains(&want), "{want} in {stdout}");
    assert!(
        stdout.contains("compile: ") && stdout.contains("one run: "),
        "{stdout}"
    );
    let (_, stderr, code) = out(bin().args(["bench", "--runs", "0"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("--runs 0"), "{stderr}");
}

#[test]
fn bench_times_a_monte_carlo_of_every_variable() {
    let (stdout, stderr, code) =
        out(bin().args(["bench", "--runs", "5", "--mc", "300", "--threads", "2"]));
    assert_eq!(code, 0, "{stderr}");
    let n = trajectoire::model::load::default_model().n_vars();
    let want = format!("monte carlo: 300 runs, every variable ({n}), 2 threads: ");
    assert!(stdout.contains(&want), "{want} in {stdout}");
    // Without --mc, no Monte Carlo; a bad thread count is refused.
    let (stdout, _, _) = out(bin().args(["bench", "--runs", "5"]));
    assert!(!stdout.contains("monte carlo"), "{stdout}");
    let (_, stderr, code) = out(bin().args(["bench", "--mc", "100", "--threads", "0"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("--threads"), "{stderr}");
    // A model with no uncertain lever says there is nothing to vary.
    let p = tmp("bench_blank.ron");
    std::fs::write(&p, trajectoire::model::templates::Template::Blank.text()).unwrap();
    let (_, stderr, code) = out(bin().args(["bench", p.to_str().unwrap(), "--mc", "100"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("no lever of this model has an uncertainty"),
        "{stderr}"
    );
}

/// A Vensim model with a two-dimensional stock and a constant whose
/// quoted name holds a comma.
const ARRAYED_MDL: &str = r#"{UTF-8}
Entry: Entry 1, Entry 2 ~~|
Column: Column 1, Column 2 ~~|
"Rate, per month" = 0.5 ~ 1/Month ~|
Inflow A[Entry, Column] = "Rate, per month" ~ 1/Month ~|
Stock A[Entry, Column] = INTEG(Inflow A[Entry, Column], 1) ~ ~|
FINAL TIME = 2 ~ Month ~|
INITIAL TIME = 0 ~ Month ~|
SAVEPER = 1 ~ Month ~|
TIME STEP = 1 ~ Month ~|
"#;

/// The fields of one line of delimited text, RFC 4180 quotes read.
fn fields(line: &str, sep: char) -> Vec<String> {
    let (mut out, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out
}

#[test]
fn csv_quotes_arrayed_names_and_carries_every_quantity() {
    let path = tmp("arrayed.mdl");
    std::fs::write(&path, ARRAYED_MDL).unwrap();
    let (stdout, stderr, code) = out(bin().arg("run").arg(&path).args(["--format", "csv"]));
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].contains(",\"stock_a[entry_1,column_2]\","),
        "{}",
        lines[0]
    );
    let header = fields(lines[0], ',');
    // The time, four inflows, four stocks, their four net flows (the
    // importer's `stock_a_rate`, INTEG's argument), the constant.
    assert_eq!(header.len(), 14, "{header:?}");
    assert!(header.contains(&"rate_per_month".to_string()), "{header:?}");
    assert_eq!(lines.len(), 4, "a header and three months");
    for row in &lines[1..] {
        assert_eq!(fields(row, ',').len(), header.len(), "{row}");
    }
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let last = fields(lines[3], ',');
    assert_eq!(last[col("stock_a[entry_2,column_1]")], "2");
    assert_eq!(last[col("rate_per_month")], "0.5");

    let (stdout, stderr, code) = out(bin()
        .arg("run")
        .arg(&path)
        .args(["--format", "csv", "--names", "original"]));
    assert_eq!(code, 0, "{stderr}");
    let head = stdout.lines().next().unwrap();
    // Vensim's own spelling, its quotes part of the name, quoted again by RFC 4180.
    assert!(head.contains(",\"\"\"Rate, per month\"\"\""), "{head}");
    let header = fields(head, ',');
    assert!(
        header.contains(&"Stock A[Entry 1,Column 2]".to_string()),
        "{header:?}"
    );
    assert!(
        header.contains(&"\"Rate, per month\"".to_string()),
        "{header:?}"
    );

    let (stdout, _, code) = out(bin()
        .arg("run")
        .arg(&path)
        .args(["--format", "tsv", "--names", "original"]));
    assert_eq!(code, 0);
    let head = stdout.lines().next().unwrap();
    assert!(head.contains("\tStock A[Entry 1,Column 2]\t"), "{head}");
    assert_eq!(fields(head, '\t').len(), 14, "{head}");
}

/// A hindcast through the command line owes nothing to the later data:
/// every calibration lever of the default model starts from its prior,
/// so the fit to 2018 predicts 2024 as the priors-based hindcast of
/// `tests/default_model_v2.rs` does, and says where each lever started.
#[test]
fn a_hindcast_starts_from_the_priors() {
    let (stdout, stderr, code) = out(bin().args(["calibrate", "--up-to", "2018"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("hist_nearshoring=0 pp/yr (from its prior 0; was 3.49)"),
        "{stdout}"
    );
    let hindcast = stdout.split("Hindcast").nth(1).expect("a hindcast section");
    assert!(
        hindcast.contains("2024: 137,387 against 148,500"),
        "{stdout}"
    );
    // A fit to every observation is no hindcast: it starts from the shipped values.
    let (stdout, _, _) = out(bin().args(["calibrate", "--lever", "rpj_ratio"]));
    assert!(!stdout.contains("from its prior"), "{stdout}");
}
