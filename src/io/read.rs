//! Reading a user's file: every read goes through here, so that a huge file
//! is refused before it is read whole, and every error names the file.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::model::error::{ErrorKind, Item, Location, ModelError};
use crate::model::expr::line_col;

/// Files larger than this are refused before they are read whole.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// An I/O error about `path`, located at its start.
fn io_err(path: &Path, what: String) -> ModelError {
    let mut e = ModelError::new(ErrorKind::Io, Item::Model, "", what);
    e.location = Some(Box::new(Location {
        file: Some(path.to_path_buf()),
        line: 1,
        col: 1,
    }));
    e
}

/// Opens `path` and checks its size against [`MAX_FILE_BYTES`]: a larger
/// file is refused with a clear error, before anything is read.
fn open_limited(path: &Path) -> Result<(File, u64), ModelError> {
    let file = File::open(path).map_err(|e| io_err(path, format!("cannot open: {e}")))?;
    let meta = file
        .metadata()
        .map_err(|e| io_err(path, format!("cannot read: {e}")))?;
    let len = meta.len();
    if len > MAX_FILE_BYTES {
        return Err(io_err(
            path,
            format!(
                "the file is {:.1} MB; Trajectoire opens files up to {} MB",
                len as f64 / 1e6,
                MAX_FILE_BYTES / 1_000_000
            ),
        ));
    }
    Ok((file, len))
}

/// Reads at most the first `max_bytes` of a file, for telling what it holds.
/// A file over the size limit is refused here too, so that whatever opens
/// it next never meets it.
pub fn read_head(path: &Path, max_bytes: usize) -> Result<Vec<u8>, ModelError> {
    let (file, len) = open_limited(path)?;
    let mut bytes = Vec::with_capacity((len as usize).min(max_bytes));
    file.take(max_bytes as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| io_err(path, format!("cannot read: {e}")))?;
    Ok(bytes)
}

/// Reads a file's bytes (a spreadsheet), refusing a huge one before
/// reading it whole, as [`read_text`] does.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ModelError> {
    let (file, len) = open_limited(path)?;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_err(path, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(io_err(
            path,
            "the file grew past the size limit while being read".into(),
        ));
    }
    Ok(bytes)
}

/// Reads a file, refusing a huge one before reading it whole.
pub fn read_text(path: &Path) -> Result<String, ModelError> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.into_bytes()[..offset]).into_owned();
        let (line, col) = line_col(&text, offset);
        let mut err = io_err(
            path,
            "the file is not UTF-8 text: the models, scenarios and decks Trajectoire opens \
             are text files in UTF-8"
                .into(),
        );
        err.location = Some(Box::new(Location {
            file: Some(path.to_path_buf()),
            line,
            col,
        }));
        err
    })
}
