//! A corpus of broken scenario files (tests/broken/): each gives a clear
//! error naming the file, line and column; none panics or hangs.

use std::path::Path;

use trajectoire::scenario;

fn error_of(path: &Path) -> String {
    match scenario::open(path) {
        Ok(_) => panic!("{} should not open", path.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_broken_file_gives_its_clear_error() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/broken"));
    let cases = [
        ("empty.ron", "the file is empty"),
        ("truncated.ron", "cut short"),
        ("wrong_type.ron", "field `format_version`"),
        ("missing_field.ron", "missing the field `name`"),
        ("deep_nesting.ron", ""),
        ("huge_number.ron", "inf is outside the lever's range"),
        ("nan.ron", "NaN is outside the lever's range"),
        ("binary_junk.ron", "not UTF-8"),
        ("newer_version.ron", "newer Trajectoire"),
        ("unknown_field.ron", "unknown field `colour`"),
        ("unknown_lever.ron", "no lever is called `magic`"),
    ];
    for (name, expect) in cases {
        let path = dir.join(name);
        let err = error_of(&path);
        let located = format!("{}:", path.display());
        assert!(err.starts_with(&located), "{name}: names the file: {err}");
        let rest = &err[located.len()..];
        let mut parts = rest.splitn(3, ':');
        let line: usize = parts.next().unwrap().parse().unwrap_or(0);
        let col: usize = parts.next().unwrap().parse().unwrap_or(0);
        assert!(line >= 1 && col >= 1, "{name}: line and column: {err}");
        assert!(
            err.contains(expect),
            "{name}: expected `{expect}` in: {err}"
        );
    }
}

#[test]
fn the_unknown_lever_is_pointed_at_its_line() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/broken/unknown_lever.ron"
    ));
    let err = error_of(path);
    let text = std::fs::read_to_string(path).unwrap();
    let line = text.lines().position(|l| l.contains("\"magic\"")).unwrap() + 1;
    assert!(err.contains(&format!(":{line}:")), "{err}");
}

#[test]
fn a_very_large_file_is_refused_before_it_is_read() {
    let dir = std::env::temp_dir().join(format!("trajectoire-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Ours and the other tools' models alike.
    for name in ["big.ron", "big.xmile", "big.stmx", "big.mdl"] {
        let path = dir.join(name);
        let f = std::fs::File::create(&path).unwrap();
        // Sparse: no disk is used, but the size is what a reader sees.
        f.set_len(200 * 1024 * 1024).unwrap();
        let err = error_of(&path);
        assert!(err.contains("opens files up to"), "{name}: {err}");
        std::fs::remove_file(&path).unwrap();
    }
}
