//! A save killed at a random moment leaves the old file or the new one,
//! whole: never a truncated file. The writer is this test binary itself,
//! re-run as a child process and killed (SIGKILL on Unix) mid-write.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const ENV: &str = "TRAJECTOIRE_KILL_WRITER";

/// Two large, distinct versions of a file, so a kill often lands mid-write.
fn versions() -> [Vec<u8>; 2] {
    let make = |c: u8| {
        let mut v = vec![c; 8 * 1024 * 1024];
        v.extend_from_slice(b"\nend\n");
        v
    };
    [make(b'a'), make(b'b')]
}

/// In the child: write the two versions in turn, forever, until killed.
#[test]
fn writer_child() {
    let Ok(path) = std::env::var(ENV) else {
        return; // Run as a normal test: nothing to do.
    };
    let [a, b] = versions();
    let path = Path::new(&path);
    loop {
        trajectoire::atomic::write_with_backup(path, &a).unwrap();
        trajectoire::atomic::write_with_backup(path, &b).unwrap();
    }
}

#[test]
fn a_killed_save_leaves_a_whole_file() {
    let dir = std::env::temp_dir().join(format!("trajectoire-kill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("scenario.ron");
    let [a, b] = versions();
    std::fs::write(&path, &a).unwrap();
    let exe = std::env::current_exe().unwrap();
    for round in 0..12u64 {
        let mut child = Command::new(&exe)
            .args(["writer_child", "--exact", "--test-threads=1"])
            .env(ENV, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + round * 17 % 90));
        child.kill().unwrap();
        child.wait().unwrap();
        for p in [path.clone(), trajectoire::atomic::backup_path(&path)] {
            if let Ok(got) = std::fs::read(&p) {
                assert!(
                    got == a || got == b,
                    "round {round}: {} is not a whole version ({} bytes)",
                    p.display(),
                    got.len()
                );
            }
        }
        let got = std::fs::read(&path).expect("the target always exists");
        assert!(got == a || got == b);
    }
    // The next save of the file removes the temporary files the killed
    // saves left behind (their writers are gone), and writes none of its own.
    trajectoire::atomic::write_with_backup(&path, &a).unwrap();
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp."))
        .collect();
    assert!(left.is_empty(), "stale temporary files: {left:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
