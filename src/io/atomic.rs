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
    let tmp = sibling(path, "tmp");
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
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

/// The backup kept beside `path`: `FILE.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".bak");
    PathBuf::from(s)
}

/// Like [`write`], keeping the previous content (if any) as `FILE.bak`,
/// itself written atomically before the target is replaced.
pub fn write_with_backup(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Ok(old) = fs::read(path) {
        write(&backup_path(path), &old)?;
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
}
