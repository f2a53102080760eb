//! A `.mdl` file cut into records (Vensim's equation format): `{UTF-8}`
//! first, then `equation ~ units ~ comment |` records until the sketch,
//! which starts at a line beginning `\\\---///` and is not read. Quotes
//! pair only inside an equation, never across `~` or `|` (a comment may
//! hold one `"`). `macros.rs` walks the records, a macro's header and end
//! standing where a record would begin.

use super::Raw;

/// A part of the text: its byte range.
pub type Span = (usize, usize);

/// One record, its parts as byte ranges of the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub eqn: Span,
    pub units: Span,
    pub comment: Span,
}

/// Where the records start: after a leading `{UTF-8}`.
pub fn start(text: &str) -> usize {
    text.find("{UTF-8}").map_or(0, |p| {
        if text[..p].trim().is_empty() {
            p + "{UTF-8}".len()
        } else {
            0
        }
    })
}

/// Where the sketch starts: the first line beginning `\\\---///` (some
/// files write fewer backslashes, suite model `odd_number_quotes`).
pub fn sketch_start(text: &str) -> usize {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let l = line.trim_start();
        if l.starts_with('\\') && l.trim_start_matches('\\').starts_with("---///") {
            return at;
        }
        at += line.len();
    }
    text.len()
}

/// The record starting at `start`, and where the next one starts.
pub fn record(text: &str, start: usize, end: usize) -> Result<(Record, usize), Raw> {
    let eqn_end = equation_end(text, start, end)?;
    let bytes = text.as_bytes();
    let mut parts = vec![(start, eqn_end)];
    let mut i = eqn_end;
    while i < end && bytes[i] == b'~' {
        let from = i + 1;
        let to = text[from..end].find(['~', '|']).map_or(end, |k| from + k);
        parts.push((from, to));
        i = to;
    }
    if i >= end || bytes[i] != b'|' {
        let eqn = text[start..eqn_end].trim();
        let shown: String = eqn.chars().take(40).collect();
        return Err(Raw::malformed(
            skip_blanks(text, start),
            format!("this record (`{shown}`) does not end with `|`"),
        ));
    }
    let empty = (i, i);
    let record = Record {
        eqn: parts[0],
        units: parts.get(1).copied().unwrap_or(empty),
        comment: parts.get(2).copied().unwrap_or(empty),
    };
    Ok((record, i + 1))
}

/// The end of a record's equation: its first `~` or `|` outside quotes
/// and `{comments}`.
fn equation_end(text: &str, start: usize, end: usize) -> Result<usize, Raw> {
    let mut quoted = false;
    let mut comment = false;
    let mut escaped = false;
    for (k, c) in text[start..end].char_indices() {
        let at = start + k;
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' if !comment => quoted = !quoted,
            '{' if !quoted => comment = true,
            '}' if !quoted => comment = false,
            '~' | '|' if !quoted && !comment => return Ok(at),
            _ => {}
        }
    }
    let what = if quoted {
        "a quoted name is never closed by `\"`"
    } else {
        "this record has no `~` (units) nor `|` (end)"
    };
    Err(Raw::malformed(skip_blanks(text, start), what))
}

/// The first non-blank byte at or after `i`.
pub fn skip_blanks(text: &str, i: usize) -> usize {
    i + (text[i..].len() - text[i..].trim_start().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Result<Vec<Record>, Raw> {
        super::super::macros::split(text).map(|(r, _)| r)
    }

    #[test]
    fn records_split_on_tildes_and_bars() {
        let t = "{UTF-8}\na = \"x|~\" + 1\n ~ Month [0,?]\n ~ it's \"odd |\nb(\n[(0,0)-(1,1)],(0,0))\n~~|\n\\\\\\---/// sketch\n10,1,a|";
        let r = records(t).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(&t[r[0].eqn.0..r[0].eqn.1], "a = \"x|~\" + 1\n ");
        assert_eq!(t[r[0].units.0..r[0].units.1].trim(), "Month [0,?]");
        assert_eq!(t[r[0].comment.0..r[0].comment.1].trim(), "it's \"odd");
        assert_eq!(t[r[1].comment.0..r[1].comment.1].trim(), "");
        assert!(records("a = 1 ~ x").is_err());
        assert!(records("a = \"1 ~ x |").is_err());
    }
}
