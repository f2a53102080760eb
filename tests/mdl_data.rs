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
    let e = refusal(&doc("x :RAW: ~~|", 1.0), Some(&dir));
    assert_eq!(e.kind, MdlErrorKind::Unsupported, "{e}");
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
