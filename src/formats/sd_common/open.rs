//! Opening another tool's model file: read through the size-limited
//! reader, named after the file, compiled by the format's importer, and
//! marked with its origin (path and content hash) so that a scenario saved
//! over it refers to the file.

use std::path::Path;

use crate::model::compile::{Origin, content_hash};
use crate::model::{CompiledModel, ModelErrors};
use crate::scenario::Opened;

/// `path` opened by `import(text, name)`, the name being the file's stem
/// (a model whose file does not name it is called so).
pub fn open_file(
    path: &Path,
    import: impl FnOnce(&str, &str) -> Result<CompiledModel, ModelErrors>,
) -> Result<Opened, ModelErrors> {
    let text = crate::io::read_text(path).map_err(|e| ModelErrors(vec![e]))?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model".into());
    let mut model = import(&text, &stem)?;
    model.set_origin(Origin {
        path: std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
        hash: content_hash(text.as_bytes()),
    });
    Ok(Opened::model(model))
}

/// Where a number written `[digits][.digits][E[±]digits]` from `start`
/// ends: both importers' lexers read numbers so.
pub fn number_end(src: &str, start: usize) -> usize {
    let b = src.as_bytes();
    let digits = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut i = digits(start);
    if i < b.len() && b[i] == b'.' {
        i = digits(i + 1);
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            i = digits(j);
        }
    }
    i
}
