//! Writing files so that nothing is ever lost: a temporary file beside the
//! target, flushed and synced, renamed over the target, the folder synced.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    dir.join(format!(".{name}.{suffix}.{}", std::process::id()))
}

fn sync_dir(path: &Path) {
    // Makes the rename itself durable. Not every platform can open a folder;
    // where it cannot, the rename is still atomic.
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

/// Writes `bytes` to `path` atomically: readers see the old content or the
/// new, whole.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, |f| f.write_all(bytes))
}

/// Writes whatever `fill` puts in a fresh temporary file beside `path`, then
/// renames it over `path`. Temporary files that earlier saves of `path` left
/// behind when they were killed are removed first.
fn write_with(path: &Path, fill: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    remove_stale_temps(path);
    let tmp = sibling(path, "tmp");
    let result = (|| {
        let mut f = File::create(&tmp)?;
        fill(&mut f)?;
        f.flush()?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        sync_dir(path);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The process id in the name of a temporary file of `path`
/// (`.NAME.tmp.PID`), if `file_name` is one.
fn temp_pid(path: &Path, file_name: &str) -> Option<u32> {
    let name = path.file_name()?.to_string_lossy();
    let pid = file_name
        .strip_prefix('.')?
        .strip_prefix(name.as_ref())?
        .strip_prefix(".tmp.")?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` may still be running. Only Linux can tell (through
/// `/proc`); elsewhere, and when `/proc` is not mounted, every process is
/// taken to be running, so that nothing another save is writing is removed.
fn may_be_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") && Path::new("/proc/self").exists() {
        return Path::new(&format!("/proc/{pid}")).exists();
    }
    true
}

/// Removes the temporary files of `path` left by saves that were killed
/// midway: those of processes no longer running, never this process's own
/// nor those of another target.
fn remove_stale_temps(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = temp_pid(path, &file_name.to_string_lossy()) else {
            continue;
        };
        if !may_be_running(pid) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The backup kept beside `path`: `FILE.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".bak");
    PathBuf::from(s)
}

/// Like [`write`], keeping the previous content (if any) as `FILE.bak`,
/// itself written atomically before the target is replaced. The previous
/// content is copied through a small buffer, never read whole.
pub fn write_with_backup(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Ok(mut old) = File::open(path) {
        write_with(&backup_path(path), |f| io::copy(&mut old, f).map(|_| ()))?;
    }
    write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_and_keeps_a_backup() {
        let dir = std::env::temp_dir().join(format!("trajectoire-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.ron");
        write_with_backup(&p, b"first").unwrap();
        assert!(!backup_path(&p).exists());
        write_with_backup(&p, b"second").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"second");
        assert_eq!(fs::read(backup_path(&p)).unwrap(), b"first");
        // No temporary file is left behind.
        let left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp."))
            .collect();
        assert!(left.is_empty());
        // A folder that does not exist: an error, nothing created.
        assert!(write(&dir.join("no/such/dir/x.ron"), b"x").is_err());
    }

    #[test]
    fn a_save_removes_the_temporary_files_killed_saves_left() {
        let dir = std::env::temp_dir().join(format!("trajectoire-stale-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("s.ron");
        // A process id no system hands out (Linux caps them at 2^22).
        let dead = 3_999_999_999u32;
        let stale = dir.join(format!(".s.ron.tmp.{dead}"));
        let stale_backup = dir.join(format!(".s.ron.bak.tmp.{dead}"));
        // Kept: a running process's (pid 1 always runs), another target's,
        // and a name that only looks like a temporary file.
        let running = dir.join(".s.ron.tmp.1");
        let other = dir.join(format!(".t.ron.tmp.{dead}"));
        let lookalike = dir.join(format!(".s.ron.tmp.{dead}x"));
        for f in [&stale, &stale_backup, &running, &other, &lookalike] {
            fs::write(f, b"half a sa").unwrap();
        }
        write_with_backup(&p, b"first").unwrap();
        write_with_backup(&p, b"second").unwrap();
        // Only Linux can tell a dead process from a running one.
        if cfg!(target_os = "linux") {
            assert!(!stale.exists() && !stale_backup.exists());
        }
        assert!(running.exists(), "a running process's file is kept");
        assert!(other.exists() && lookalike.exists());
        assert_eq!(fs::read(&p).unwrap(), b"second");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_this_targets_temporary_names_are_recognised() {
        let p = Path::new("/x/a.ron");
        assert_eq!(temp_pid(p, ".a.ron.tmp.42"), Some(42));
        assert_eq!(temp_pid(p, ".a.ron.tmp."), None);
        assert_eq!(temp_pid(p, ".a.ron.tmp.4x"), None);
        assert_eq!(temp_pid(p, ".b.ron.tmp.42"), None);
        assert_eq!(temp_pid(p, ".a.ron.bak.tmp.42"), None);
        assert_eq!(temp_pid(p, "a.ron.tmp.42"), None);
        assert!(may_be_running(std::process::id()));
    }
}
