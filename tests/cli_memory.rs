//! `trajectoire check` on a huge file: refused with a clear size error, in
//! little memory (it used to read the whole file to look for a deck first).
//! Alone in its test binary: the peak memory of this process's children is
//! then the peak of the one command run here.

use std::process::Command;

/// A file far over the size limit. Sparse: no disk is used, but its size is
/// what a reader sees, and reading it whole would take 300 MB.
const HUGE: u64 = 300 * 1024 * 1024;

/// The most a `check` that reads no more than a file's head may take.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
const MAX_PEAK_KB: i64 = 64 * 1024;

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
mod rusage {
    /// `struct rusage` of 64-bit Linux: two `timeval`s, then 14 `long`s.
    #[repr(C)]
    struct RUsage {
        utime: [i64; 2],
        stime: [i64; 2],
        maxrss: i64,
        rest: [i64; 13],
    }

    const RUSAGE_CHILDREN: i32 = -1;

    unsafe extern "C" {
        fn getrusage(who: i32, usage: *mut RUsage) -> i32;
    }

    /// The peak resident memory, in kB, of the largest child waited for.
    pub fn children_peak_kb() -> Option<i64> {
        let mut u = RUsage {
            utime: [0; 2],
            stime: [0; 2],
            maxrss: 0,
            rest: [0; 13],
        };
        // SAFETY: `u` is a valid, writable `struct rusage` for this target.
        let rc = unsafe { getrusage(RUSAGE_CHILDREN, &mut u) };
        (rc == 0).then_some(u.maxrss)
    }
}

#[test]
fn check_refuses_a_huge_file_without_reading_it() {
    let dir = std::env::temp_dir().join(format!("trajectoire-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["huge.ron", "huge.deck.ron"] {
        let path = dir.join(name);
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(HUGE).unwrap();
        drop(f);
        let out = Command::new(env!("CARGO_BIN_EXE_trajectoire"))
            .args(["check", path.to_str().unwrap()])
            .output()
            .unwrap();
        std::fs::remove_file(&path).unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(path.to_str().unwrap()), "{stderr}");
        assert!(
            stderr.contains("the file is 314.6 MB; Trajectoire opens files up to 33 MB"),
            "{stderr}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();

    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    {
        let peak = rusage::children_peak_kb().expect("getrusage answers");
        eprintln!("peak memory of `check` on a {HUGE}-byte file: {peak} kB");
        assert!(
            peak < MAX_PEAK_KB,
            "check took {peak} kB at its peak on a {HUGE}-byte file"
        );
    }
    #[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
    eprintln!("peak memory not measured on this platform (Linux only)");
}
