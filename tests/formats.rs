//! The registry of file formats: every kind told by its content and by its
//! name, a deck told without reading the whole file, a file that is none of
//! them refused with its name, and the shipped examples.

use std::path::{Path, PathBuf};

use trajectoire::formats::{self, FileKind, OpenedFile};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trajectoire-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let p = tmp(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn the_shipped_files_are_told_by_their_content() {
    let cases = [
        ("assets/models/morocco_offshoring.ron", FileKind::Model),
        ("assets/models/morocco_offshoring_v1.ron", FileKind::Model),
        ("assets/models/automotive_illustrative.ron", FileKind::Model),
        ("saves/current_trajectory.ron", FileKind::Scenario),
        ("tests/golden/scenario_v1.ron", FileKind::Scenario),
        ("saves/story.deck.ron", FileKind::Deck),
    ];
    for (file, kind) in cases {
        let path = Path::new(ROOT).join(file);
        assert_eq!(formats::detect(&path).unwrap(), kind, "{file}");
        // The same text under a name that says nothing: still told apart.
        let text = std::fs::read(&path).unwrap();
        let renamed = write(&format!("{kind:?}.txt"), &text);
        assert_eq!(formats::detect(&renamed).unwrap(), kind, "{file} renamed");
        // And it opens as what it is.
        if kind != FileKind::Deck {
            assert_eq!(formats::open(&path).unwrap().kind(), kind, "{file}");
        }
    }
    match formats::open(&Path::new(ROOT).join("saves/story.deck.ron")) {
        // The six steps written in saves/story.deck.ron.
        Ok(OpenedFile::Deck(d)) => assert_eq!(d.steps.len(), 6),
        other => panic!("a deck: {:?}", other.map(|o| o.kind())),
    }
}

#[test]
fn content_that_does_not_say_falls_back_on_the_name() {
    // RON without struct names: the name decides.
    let anonymous = b"(format_version: 1, title: (fr: \"\", en: \"\"), steps: [])";
    assert_eq!(
        formats::detect(&write("anon.deck.ron", anonymous)).unwrap(),
        FileKind::Deck
    );
    assert_eq!(
        formats::detect(&write("anon.ron", anonymous)).unwrap(),
        FileKind::Model
    );
    // Broken `.ron` files go to the model loader, whose errors say what is wrong.
    assert_eq!(
        formats::detect(&write("junk.ron", &[0xff, 0xfe, 0])).unwrap(),
        FileKind::Model
    );
    let e = formats::open(&tmp("junk.ron")).unwrap_err().to_string();
    assert!(e.contains("not UTF-8"), "{e}");
    // The content wins over the name.
    let scenario = std::fs::read(Path::new(ROOT).join("saves/current_trajectory.ron")).unwrap();
    assert_eq!(
        formats::detect(&write("misnamed.deck.ron", &scenario)).unwrap(),
        FileKind::Scenario
    );
}

#[test]
fn a_file_that_is_none_of_them_is_refused_with_its_name() {
    for (name, bytes) in [
        ("photo.png", &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..]),
        (
            "notes.txt",
            &b"Dear diary,\nModel( is not how this starts"[..],
        ),
        ("empty.csv", &b""[..]),
    ] {
        let path = write(name, bytes);
        let e = formats::detect(&path).unwrap_err().to_string();
        assert!(e.starts_with(&format!("{}:1:1: ", path.display())), "{e}");
        assert!(e.contains("cannot open this file"), "{e}");
        let e = formats::open(&path).unwrap_err().to_string();
        assert!(e.contains(name), "{e}");
        assert!(!formats::can_open(&path));
    }
    let e = formats::detect(Path::new("/no/such/file.ron"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("/no/such/file.ron") && e.contains("cannot open"),
        "{e}"
    );
}

/// A deck behind a pipe that never ends: a detector that read the whole
/// file would wait forever; one that reads a bounded head answers at once.
#[cfg(unix)]
#[test]
fn a_deck_is_told_without_reading_the_whole_file() {
    use std::io::Write;
    use std::sync::mpsc;
    use std::time::Duration;

    let path = tmp("endless.deck.ron");
    let _ = std::fs::remove_file(&path);
    let made = std::process::Command::new("mkfifo").arg(&path).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let writer_path = path.clone();
    std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&writer_path)
            .unwrap();
        let _ = f.write_all(b"// a deck that never ends\nDeck(\n");
        let spaces = vec![b' '; 64 * 1024];
        // Until the reader hangs up (a broken pipe), never an end of file.
        while f.write_all(&spaces).is_ok() {}
    });
    let (tx, rx) = mpsc::channel();
    let reader_path = path.clone();
    std::thread::spawn(move || {
        let _ = tx.send(formats::detect(&reader_path).map_err(|e| e.to_string()));
    });
    let kind = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("detect reads a bounded head, not the whole file");
    assert_eq!(kind.unwrap(), FileKind::Deck);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_its_kind_is_told() {
    let path = tmp("huge.deck.ron");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(trajectoire::io::MAX_FILE_BYTES + 1).unwrap();
    drop(f);
    let e = formats::detect(&path).unwrap_err().to_string();
    assert!(e.contains("opens files up to"), "{e}");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn the_examples_are_the_shipped_scenarios_and_no_deck() {
    // Tests run in the package folder, where `saves/` is.
    let examples = formats::examples();
    let names: Vec<String> = examples
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "contract_programme_on_track.ron",
            "current_trajectory.ron",
            "talent_crunch.ron",
            "value_chain.ron"
        ]
    );
    for p in &examples {
        assert_eq!(formats::detect(p).unwrap(), FileKind::Scenario);
    }
    let decks = formats::example_decks();
    assert_eq!(decks.len(), 1);
    assert!(decks[0].ends_with("story.deck.ron"));
    assert!(formats::example_dir().is_some_and(|d| d.ends_with("saves")));
}

#[test]
fn every_kind_has_a_label_in_both_languages_and_a_suffix() {
    use trajectoire::model::Lang;
    for k in FileKind::ALL {
        let (fr, en) = (k.label(Lang::Fr), k.label(Lang::En));
        assert!(!fr.is_empty() && !en.is_empty(), "{k:?}");
        assert!(k.save_suffix().starts_with('.'));
        assert!(!k.dialog_extensions().is_empty());
        let name = format!("x{}", k.save_suffix());
        assert!(FileKind::by_name(Path::new(&name)).contains(&k), "{name}");
    }
    assert_ne!(
        FileKind::Deck.label(Lang::Fr),
        FileKind::Deck.label(Lang::En)
    );
}
