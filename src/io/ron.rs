//! The RON toolkit every file format uses: parsing with a located, plain
//! error; the format-version check; the key index that maps an error to its
//! line and column; and the pretty printer every saved document goes through.

use std::path::Path;

use crate::model::error::{ErrorKind, Item, Location, ModelError, ModelErrors};
use crate::model::expr::line_col;

/// Parses RON into `T`, turning a parse error into a located `ModelError`.
pub fn parse_ron<T: serde::de::DeserializeOwned>(
    text: &str,
    file: Option<&Path>,
) -> Result<T, ModelError> {
    if text.trim().is_empty() {
        let mut err = ModelError::new(ErrorKind::Format, Item::Model, "", "the file is empty");
        err.location = Some(Box::new(Location {
            file: file.map(Path::to_path_buf),
            line: 1,
            col: 1,
        }));
        return Err(err);
    }
    // IMPLICIT_SOME: optional fields may be written bare (`url: "..."`) or as `Some(...)`.
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map_err(|e| {
            let (line, col) = (e.span.start.line.max(1), e.span.start.col.max(1));
            let offset = offset_of(text, line, col);
            let mut message = describe_ron(&e.code);
            // Nothing but blanks after the error: the file stops mid-structure.
            if !matches!(e.code, ron::Error::Eof | ron::Error::ExpectedStringEnd)
                && text
                    .get(offset_of(text, e.span.end.line.max(1), e.span.end.col.max(1))..)
                    .is_some_and(|rest| rest.trim().is_empty())
            {
                message.push_str(", but the file ends here: is it cut short?");
            }
            let mut err = ModelError::new(ErrorKind::Format, Item::Model, "", message);
            // RON does not say which field; the last key before the error does.
            if let Some(k) = KeyIndex::new(text)
                .keys
                .iter()
                .rev()
                .find(|k| k.offset <= offset)
            {
                err.field = k.name.to_string();
            }
            err.location = Some(Box::new(Location {
                file: file.map(Path::to_path_buf),
                line,
                col,
            }));
            err
        })
}

/// The byte offset of 1-based `line` and `col` (in characters) in `text`.
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

fn describe_ron(e: &ron::Error) -> String {
    use ron::Error as E;
    match e {
        E::Eof => "the file ends too early: is it cut short?".into(),
        E::ExpectedStringEnd => {
            "this string is never closed: a `\"` is missing, or the file is cut short".into()
        }
        E::ExpectedOption => "expected a value, `None` or `Some(...)`".into(),
        E::ExceededRecursionLimit => "the file is nested too deeply (more than 128 levels)".into(),
        E::MissingStructField { field, outer } => match outer {
            Some(o) => format!("`{o}` is missing the field `{field}`"),
            None => format!("missing field `{field}`"),
        },
        E::NoSuchStructField {
            found,
            expected,
            outer,
        } => format!(
            "unknown field `{found}`{}; expected one of: {}",
            outer
                .as_ref()
                .map(|o| format!(" in `{o}`"))
                .unwrap_or_default(),
            expected.join(", ")
        ),
        other => other.to_string(),
    }
}

pub fn check_format_version(
    found: u32,
    supported: u32,
    what: &str,
    text: &str,
    file: Option<&Path>,
) -> Result<(), ModelError> {
    if found > supported {
        let mut e = ModelError::new(
            ErrorKind::Version,
            Item::Model,
            "format_version",
            format!(
                "this {what} file has format version {found}, made by a newer Trajectoire; \
                 this version reads up to {supported}: please update Trajectoire"
            ),
        );
        e.location = locate_key(text, 0, "format_version").map(|o| Box::new(at(text, o, file)));
        return Err(e);
    }
    if found == 0 {
        let mut e = ModelError::new(
            ErrorKind::Version,
            Item::Model,
            "format_version",
            format!("format version 0 does not exist; this version reads 1 to {supported}"),
        );
        e.location = locate_key(text, 0, "format_version").map(|o| Box::new(at(text, o, file)));
        return Err(e);
    }
    Ok(())
}

fn at(text: &str, offset: usize, file: Option<&Path>) -> Location {
    let (line, col) = line_col(text, offset);
    Location {
        file: file.map(Path::to_path_buf),
        line,
        col,
    }
}

/// Gives each error the line and column in `text` of what it is about:
/// for an equation, the exact character its span starts at.
pub fn locate_all(mut errs: ModelErrors, text: &str, file: Option<&Path>) -> ModelErrors {
    let keys = KeyIndex::new(text);
    for e in &mut errs.0 {
        if e.location.is_none() {
            let offset = keys.locate(text, e).unwrap_or(0);
            e.location = Some(Box::new(at(text, offset, file)));
        }
    }
    errs.0
        .sort_by_key(|e| e.location.as_ref().map(|l| (l.line, l.col)));
    errs
}

/// Gives each problem without a location its line and column in `text`,
/// as [`locate_all`] does, keeping their order.
pub fn locate_each<'a>(
    errs: impl IntoIterator<Item = &'a mut ModelError>,
    text: &str,
    file: Option<&Path>,
) {
    let keys = KeyIndex::new(text);
    for e in errs {
        if e.location.is_none() {
            let offset = keys.locate(text, e).unwrap_or(0);
            e.location = Some(Box::new(at(text, offset, file)));
        }
    }
}

/// Where a key appears at `from` or after: the offset of its value.
pub fn locate_key(text: &str, from: usize, key: &str) -> Option<usize> {
    KeyIndex::new(text)
        .keys
        .iter()
        .find(|k| k.offset >= from && k.name == key)
        .map(|k| k.value)
}

/// Every `key:` of a RON text outside strings and comments, in order.
struct KeyIndex<'a> {
    keys: Vec<Key<'a>>,
}

struct Key<'a> {
    name: &'a str,
    /// Where the key starts.
    offset: usize,
    /// Where its value starts.
    value: usize,
}

impl<'a> KeyIndex<'a> {
    fn new(text: &'a str) -> Self {
        let b = text.as_bytes();
        let mut keys = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'"' => i = skip_string(b, i),
                b'r' if matches!(b.get(i + 1), Some(b'#') | Some(b'"'))
                    && (i == 0 || !is_ident(b[i - 1])) =>
                {
                    i = skip_raw_string(b, i)
                }
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i += 2;
                    while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                        i += 1;
                    }
                    i += 2;
                }
                c if is_ident(c) && (i == 0 || !is_ident(b[i - 1])) => {
                    let start = i;
                    while i < b.len() && is_ident(b[i]) {
                        i += 1;
                    }
                    let mut j = i;
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if b.get(j) == Some(&b':') && b.get(j + 1) != Some(&b':') {
                        j += 1;
                        while j < b.len() && b[j].is_ascii_whitespace() {
                            j += 1;
                        }
                        keys.push(Key {
                            name: &text[start..i],
                            offset: start,
                            value: j,
                        });
                    }
                    continue;
                }
                _ => i += 1,
            }
        }
        KeyIndex { keys }
    }

    /// Offset of the `id: "X"` key whose value is the string `id`, after `from`.
    fn find_id(&self, text: &str, from: usize, id: &str) -> Option<usize> {
        self.keys.iter().position(|k| {
            k.offset >= from
                && k.name == "id"
                && text[k.value..].starts_with('"')
                && text[k.value + 1..].starts_with(id)
                && text[k.value + 1 + id.len()..].starts_with('"')
        })
    }

    /// The key `field` belonging to the item whose key index is `anchor`:
    /// searched forward up to the next `id`, then backward.
    fn field_near(&self, anchor: usize, field: &str) -> Option<&Key<'a>> {
        let fwd = self.keys[anchor + 1..]
            .iter()
            .take_while(|k| k.name != "id")
            .find(|k| k.name == field);
        fwd.or_else(|| {
            self.keys[..anchor]
                .iter()
                .rev()
                .take_while(|k| k.name != "id")
                .find(|k| k.name == field)
        })
    }

    fn section(&self, name: &str) -> usize {
        self.keys
            .iter()
            .find(|k| k.name == name)
            .map_or(0, |k| k.offset)
    }

    fn locate(&self, text: &str, e: &ModelError) -> Option<usize> {
        let by_id = |section: &str, id: &str| {
            let from = self.section(section);
            let anchor = self.find_id(text, from, id)?;
            Some(match self.field_near(anchor, &e.field) {
                Some(k) => {
                    let off = k.value;
                    match e.span {
                        Some(span) => string_offset(text, off, span.start).unwrap_or(off),
                        None => off,
                    }
                }
                None => self.keys[anchor].offset,
            })
        };
        let nth = |section: &str, n: usize| {
            let from = self.section(section);
            let k = self
                .keys
                .iter()
                .filter(|k| k.offset >= from && k.name == "variable")
                .nth(n)?;
            let idx = self.keys.iter().position(|x| x.offset == k.offset)?;
            Some(self.field_near_any(idx, &e.field).unwrap_or(k.value))
        };
        match &e.item {
            Item::Model => self
                .keys
                .iter()
                .find(|k| k.name == e.field)
                .map(|k| k.value),
            Item::Lever(id) => by_id("levers", id),
            Item::Variable(id) => by_id("variables", id),
            Item::Lookup(id) => by_id("lookups", id),
            Item::Target(id) => by_id("targets", id),
            Item::Observation(n) => nth("observations", *n),
            Item::SeriesBreak(n) => nth("series_breaks", *n),
        }
    }

    /// For items without ids: a field next to the `variable` key at `idx`.
    fn field_near_any(&self, idx: usize, field: &str) -> Option<usize> {
        if field == "variable" {
            return Some(self.keys[idx].value);
        }
        let window = 12;
        let lo = idx.saturating_sub(window);
        let hi = (idx + window).min(self.keys.len());
        self.keys[lo..hi]
            .iter()
            .filter(|k| k.name == field)
            .min_by_key(|k| k.offset.abs_diff(self.keys[idx].offset))
            .map(|k| k.value)
    }
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

fn skip_raw_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    let mut hashes = 0;
    while b.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    if b.get(i) != Some(&b'"') {
        return i;
    }
    i += 1;
    while i < b.len() {
        if b[i] == b'"'
            && b[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    i
}

/// The offset in `text` of byte `n` of the string literal starting at `lit`
/// (decoded: an escape counts as the one character it stands for).
fn string_offset(text: &str, lit: usize, n: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (mut i, raw) = match b.get(lit)? {
        b'"' => (lit + 1, false),
        b'r' => {
            let mut i = lit + 1;
            while b.get(i) == Some(&b'#') {
                i += 1;
            }
            (i + 1, true)
        }
        _ => return None,
    };
    let mut decoded = 0;
    while i < b.len() && decoded < n {
        if !raw && b[i] == b'\\' {
            i += 2;
            decoded += 1;
        } else {
            i += 1;
            decoded += 1;
        }
    }
    Some(i)
}

/// The RON text of any saved document (model, scenario, deck): struct
/// names, stable key order, four-space indents and `\n` line endings, so
/// that files diff cleanly whatever machine wrote them.
pub fn pretty_ron<T: serde::Serialize>(value: &T) -> String {
    let config = ron::ser::PrettyConfig::new()
        .new_line("\n".to_string())
        .indentor("    ".to_string())
        .struct_names(true);
    let mut text =
        ron::ser::to_string_pretty(value, config).expect("saved documents always serialise");
    text.push('\n');
    text
}
