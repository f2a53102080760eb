//! Vensim's external data (`GET XLS …`, `GET DIRECT …`) read when the
//! model is read: a CSV file written here, read and interpolated by each
//! of Vensim's modes; a missing file and a missing sheet refused at the
//! record's line and column; constants from the SDXorg suite's own
//! spreadsheet (`../shared`, skipped with a message when it is missing).

use std::path::{Path, PathBuf};

use trajectoire::formats::mdl::{self, MdlError, MdlErrorKind};
use trajectoire::model::CompiledModel;

const SUITE: &str = "../shared/test-models/tests";

/// A model of `equations` (from line 2) over the clock 0..`stop`, in months.
fn doc(equations: &str, stop: f64) -> String {
    format!(
        "{{UTF-8}}\n{equations}\n\
         ********************************************************\n\t.Control\n\
         ********************************************************~\n\t\tSimulation Control Parameters\n\t|\n\n\
         FINAL TIME  = {stop}\n\t~\tMonth\n\t~\t|\n\n\
         INITIAL TIME  = 0\n\t~\tMonth\n\t~\t|\n\n\
         SAVEPER  = \n        TIME STEP\n\t~\tMonth [0,?]\n\t~\t|\n\n\
         TIME STEP  = 1\n\t~\tMonth [0,?]\n\t~\t|\n\n"
    )
}

/// A folder of its own for this test process, with `files` written in it.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "trajectoire-mdl-data-{name}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

fn compiled(text: &str, dir: &Path) -> CompiledModel {
    mdl::read_in(text, "test", Some(dir))
        .unwrap_or_else(|e| panic!("{e}"))
        .compile(None)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn refusal(text: &str, dir: Option<&Path>) -> MdlError {
    match mdl::read_in(text, "test", dir) {
        Ok(_) => panic!("the model was accepted"),
        Err(e) => e,
    }
}

fn series(m: &CompiledModel, id: &str) -> Vec<f64> {
    let run = m.run(&m.default_levers());
    run.series(m.var_index(id).unwrap_or_else(|| panic!("no `{id}`")))
        .to_vec()
}

/// The suite's folder `name`, or `None` (and a message) when it is missing.
fn suite(name: &str) -> Option<PathBuf> {
    let dir = Path::new(SUITE).join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("TRAJECTOIRE_REQUIRE_SUITE").is_some() {
        panic!(
            "{} is missing and TRAJECTOIRE_REQUIRE_SUITE is set",
            dir.display()
        );
    }
    eprintln!(
        "mdl_data: {} is missing (the SDXorg suite): skipped",
        dir.display()
    );
    None
}

/// Times down column A from row 2, values in B, a gap at time 4 (an
/// empty cell) and at time 6 (text), as Vensim's data may have.
const CSV: &str = "time,x\n0,0\n2,10\n4,\n5,40\n6,n/a\n";

#[test]
fn csv_data_is_read_and_interpolated_by_each_mode() {
    let dir = folder("modes", &[("data.csv", CSV)]);
    let m = compiled(
        &doc(
            "interp := GET DIRECT DATA('data.csv', ',', 'A', 'B2') ~~|\n\
             hold :HOLD BACKWARD: := GET DIRECT DATA('data.csv', ',', 'A', 'B2') ~~|\n\
             ahead :LOOK FORWARD: := GET DIRECT DATA('data.csv', ',', 'A', 'B2') ~~|\n\
             twice = interp * 2 ~~|",
            7.0,
        ),
        &dir,
    );
    // Linear between points, gaps skipped, the ends held.
    assert_eq!(
        series(&m, "interp"),
        [0.0, 5.0, 10.0, 20.0, 30.0, 40.0, 40.0, 40.0]
    );
    assert_eq!(
        series(&m, "hold"),
        [0.0, 0.0, 10.0, 10.0, 10.0, 40.0, 40.0, 40.0]
    );
    assert_eq!(
        series(&m, "ahead"),
        [0.0, 10.0, 10.0, 40.0, 40.0, 40.0, 40.0, 40.0]
    );
    assert_eq!(series(&m, "twice")[3], 40.0);
}

#[test]
fn csv_lookups_and_arrayed_data_take_one_row_or_column_per_element() {
    let csv = "x,1,2,3\nA,10,20,30\nB,5,,7\n";
    let dir = folder("rows", &[("rows.csv", csv)]);
    let m = compiled(
        &doc(
            "d: A, B ~~|\n\
             series[d] := GET DIRECT DATA('rows.csv', ',', '1', 'B2') ~~|\n\
             table[d] = GET DIRECT LOOKUPS('rows.csv', ',', '1', 'B2') ~~|\n\
             read[d] = table[d](Time / 2) ~~|\n\
             k[d] = GET DIRECT CONSTANTS('rows.csv', ',', 'B2*') ~~|",
            4.0,
        ),
        &dir,
    );
    assert_eq!(series(&m, "series[a]"), [10.0, 10.0, 20.0, 30.0, 30.0]);
    assert_eq!(series(&m, "series[b]"), [5.0, 5.0, 6.0, 7.0, 7.0]);
    assert_eq!(series(&m, "read[a]"), [10.0, 10.0, 10.0, 15.0, 20.0]);
    let ks: Vec<f64> = m.levers().iter().map(|l| l.default).collect();
    assert!(ks.contains(&10.0) && ks.contains(&5.0), "{ks:?}");
}

#[test]
fn a_missing_file_is_refused_at_its_record() {
    let dir = folder("missing", &[]);
    let text = doc(
        "a = 1 ~~|\nx = GET DIRECT CONSTANTS('nowhere.xlsx', 'Sheet1', 'A1') ~~|",
        1.0,
    );
    let e = refusal(&text, Some(&dir));
    assert_eq!(e.kind, MdlErrorKind::Invalid, "{e}");
    assert_eq!((e.pos.line, e.pos.col), (3, 5), "{e}");
    assert!(e.message.contains("nowhere.xlsx"), "{e}");
    // A model read from no file has no folder to read data from.
    let e = refusal(&text, None);
    assert_eq!(e.kind, MdlErrorKind::Unsupported, "{e}");
    assert_eq!((e.pos.line, e.pos.col), (3, 5), "{e}");
}

#[test]
fn indirect_files_and_data_without_a_file_are_refused() {
    let dir = folder("indirect", &[("data.csv", CSV)]);
    let e = refusal(
        &doc("x := GET XLS DATA('?inputs', ',', 'A', 'B2') ~~|", 1.0),
        Some(&dir),
    );
    assert_eq!(e.kind, MdlErrorKind::Unsupported, "{e}");
    assert_eq!((e.pos.line, e.pos.col), (2, 19), "{e}");
    // A data variable with no equation reads a file named for the run.
    let e = refusal(&doc("x :RAW: ~~|", 1.0), Some(&dir));
    assert_eq!(e.kind, MdlErrorKind::NeedsData, "{e}");
    assert_eq!((e.pos.line, e.pos.col), (2, 1), "{e}");
    assert!(e.message.contains("--data"), "{e}");
    let e = refusal(
        &doc("x := GET DIRECT DATA('data.csv', ',', 'A', 'Z9') ~~|", 1.0),
        Some(&dir),
    );
    assert_eq!(e.kind, MdlErrorKind::Invalid, "{e}");
}

#[test]
fn xlsx_constants_are_levers_and_a_missing_sheet_is_refused() {
    let Some(dir) = suite("get_constants_subranges") else {
        return;
    };
    // Sheet1 holds 1, 15, 50 in A1:C1.
    let m = compiled(
        &doc(
            "one = GET DIRECT CONSTANTS('inputs.xlsx', 'Sheet1', 'B1') ~~|\n\
             d: a, b, c ~~|\n\
             row[d] = GET XLS CONSTANTS('inputs.xlsx', 'Sheet1', 'A1') ~~|\n\
             total = SUM(row[d!]) + one ~~|",
            1.0,
        ),
        &dir,
    );
    assert_eq!(series(&m, "total"), [81.0, 81.0]);
    let one = m.levers().iter().find(|l| l.id == "one").expect("a lever");
    assert_eq!(one.default, 15.0);
    let e = refusal(
        &doc(
            "a = 1 ~~|\n\
             x = GET DIRECT CONSTANTS('inputs.xlsx', 'Nope', 'A1') ~~|",
            1.0,
        ),
        Some(&dir),
    );
    assert_eq!(e.kind, MdlErrorKind::Invalid, "{e}");
    assert_eq!((e.pos.line, e.pos.col), (3, 5), "{e}");
    assert!(
        e.message.contains("Nope") && e.message.contains("Sheet1"),
        "{e}"
    );
}

#[test]
fn subscripts_from_a_file_and_time_values() {
    let dir = folder("subscripts", &[("names.csv", "1\n2\nx\n")]);
    let m = compiled(
        &doc(
            "d: GET DIRECT SUBSCRIPT('names.csv', ',', 'A1', 'A3', 'e') ~~|\n\
             v[d] = Time * 2 ~~|\n\
             later = GET TIME VALUE(0, 2, 0) ~~|",
            2.0,
        ),
        &dir,
    );
    assert_eq!(series(&m, "v[ex]"), [0.0, 2.0, 4.0]);
    assert!(m.var_index("v[e2]").is_some());
    assert_eq!(series(&m, "later"), [2.0, 3.0, 4.0]);
    for (eqn, what, col) in [
        ("x = GET TIME VALUE(1, 0, 0) ~~|", "current time", 20),
        ("x = GET TIME VALUE(0, 0, 3) ~~|", "time unit", 26),
        (
            "x = 2 * GET DIRECT CONSTANTS('names.csv', ',', 'A1') ~~|",
            "whole equation",
            9,
        ),
    ] {
        let e = refusal(&doc(eqn, 1.0), Some(&dir));
        assert_eq!(e.kind, MdlErrorKind::Unsupported, "{eqn}: {e}");
        assert!(e.message.contains(what), "{eqn}: {e}");
        assert_eq!((e.pos.line, e.pos.col), (2, col), "{eqn}: {e}");
    }
}

#[test]
fn constants_given_by_a_data_equation_are_constants() {
    let dir = folder("define", &[("data.csv", CSV)]);
    let m = compiled(
        &doc(
            "k := GET DIRECT CONSTANTS('data.csv', ',', 'B3') ~~|\n\
             y = k + 1 ~~|",
            1.0,
        ),
        &dir,
    );
    assert_eq!(series(&m, "y"), [11.0, 11.0]);
    let e = refusal(
        &doc(
            "k :HOLD BACKWARD: := GET DIRECT CONSTANTS('data.csv', ',', 'B3') ~~|",
            1.0,
        ),
        Some(&dir),
    );
    assert_eq!(e.kind, MdlErrorKind::Invalid, "{e}");
}

/// Vensim's run-time data (`.tab` as Vensim exports a run): `Time` and a
/// column per variable or element, times down the first column, a gap at
/// time 2 for `v[B]`, and a column the model defines by an equation.
const TAB: &str = "Time\tv[A]\tv[B]\tw\tahead\traw\tfixed\n\
                   0\t1\t10\t5\t5\t5\t99\n\
                   1\t3\t20\t6\t6\t6\t99\n\
                   2\t5\t\t7\t7\t7\t99\n\
                   4\t9\t50\t9\t9\t9\t99\n";

fn given(text: &str, data: &[PathBuf]) -> Result<CompiledModel, MdlError> {
    Ok(mdl::read_with(text, "test", None, data)?
        .compile(None)
        .unwrap_or_else(|e| panic!("{e}")))
}

fn given_refused(text: &str, data: &[PathBuf]) -> MdlError {
    match given(text, data) {
        Ok(_) => panic!("the model was accepted"),
        Err(e) => e,
    }
}

#[test]
fn data_given_for_the_run_is_read_by_each_mode() {
    let dir = folder("given", &[("run.tab", TAB)]);
    let text = doc(
        "d: A, B ~~|\n\
         v[d] :INTERPOLATE: ~~|\n\
         w :HOLD BACKWARD: ~~|\n\
         ahead :LOOK FORWARD: ~~|\n\
         raw :RAW: ~~|\n\
         fixed = 1 ~~|\n\
         twice[d] = v[d] * 2 ~~|",
        4.0,
    )
    .replace("TIME STEP  = 1", "TIME STEP  = 0.5");
    let m = given(&text, &[dir.join("run.tab")]).unwrap_or_else(|e| panic!("{e}"));
    // Linear between points, the gap left out, the ends held.
    assert_eq!(
        series(&m, "v[a]"),
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    );
    assert_eq!(
        series(&m, "v[b]"),
        [10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0]
    );
    assert_eq!(series(&m, "twice[a]")[3], 8.0);
    assert_eq!(
        series(&m, "w"),
        [5.0, 5.0, 6.0, 6.0, 7.0, 7.0, 7.0, 7.0, 9.0]
    );
    assert_eq!(
        series(&m, "ahead"),
        [5.0, 6.0, 6.0, 7.0, 7.0, 9.0, 9.0, 9.0, 9.0]
    );
    // `:RAW:`: the points' values at their times, Vensim's :NA: between.
    let na = -1e38;
    assert_eq!(series(&m, "raw"), [5.0, na, 6.0, na, 7.0, na, na, na, 9.0]);
    // The model's own equation wins over the file's column.
    let fixed = m
        .levers()
        .iter()
        .find(|l| l.id == "fixed")
        .expect("a lever");
    assert_eq!(fixed.default, 1.0);
}

#[test]
fn given_data_across_a_row_the_first_file_first_and_a_missing_series_refused() {
    let across = "Time,0,2\nx,1,5\ny,7,7\n";
    let dir = folder("across", &[("across.csv", across), ("run.tab", TAB)]);
    let data = [dir.join("across.csv"), dir.join("run.tab")];
    let m = given(&doc("x ~~|\nw ~~|\n", 2.0), &data).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(series(&m, "x"), [1.0, 3.0, 5.0]);
    // `w` only in the second file.
    assert_eq!(series(&m, "w"), [5.0, 6.0, 7.0]);
    let e = given_refused(&doc("a = 1 ~~|\nnowhere :RAW: ~~|\n", 2.0), &data);
    assert_eq!(e.kind, MdlErrorKind::Invalid, "{e}");
    assert_eq!((e.pos.line, e.pos.col), (3, 1), "{e}");
    assert!(e.message.contains("across.csv, run.tab"), "{e}");
    // A file that is not a run: its first cell is not `Time`.
    let bad = folder("notime", &[("bad.csv", "when,x\n0,1\n")]);
    let e = given_refused(&doc("x ~~|\n", 2.0), &[bad.join("bad.csv")]);
    assert!(
        e.message.contains("bad.csv") && e.message.contains("`Time`"),
        "{e}"
    );
    let e = given_refused(&doc("x ~~|\n", 2.0), &[bad.join("gone.tab")]);
    assert!(e.message.contains("gone.tab"), "{e}");
}

#[test]
fn the_binary_reads_data_given_with_data() {
    let dir = folder(
        "binary",
        &[
            ("run.tab", TAB),
            ("m.mdl", &doc("w :HOLD BACKWARD: ~~|\n", 2.0)),
        ],
    );
    let bin = env!("CARGO_BIN_EXE_trajectoire");
    let model = dir.join("m.mdl");
    let out = std::process::Command::new(bin)
        .args(["run", "--format", "csv", "--data"])
        .arg(dir.join("run.tab"))
        .arg(&model)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[..4], ["month,w", "0,5", "1,6", "2,7"], "{stdout}");
    // Without it, the message says which variable and how to give it.
    let out = std::process::Command::new(bin)
        .arg("run")
        .arg(&model)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("m.mdl:2:1") && stderr.contains("--data"),
        "{stderr}"
    );
    // Data files are for Vensim models, and for a model given.
    let ron = dir.join("m.ron");
    std::fs::write(&ron, "not read").unwrap();
    for args in [
        vec!["run", "--data", "x.tab"],
        vec!["run", "--data", "x.tab", ron.to_str().unwrap()],
    ] {
        let out = std::process::Command::new(bin)
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.contains("Vensim"), "{args:?}: {stderr}");
    }
}
