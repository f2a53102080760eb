//! Telling a file's kind from its first bytes: for RON, the struct name it
//! starts with, after blanks, comments and `#![...]` attributes; for XML,
//! its root element (`<xmile`); for Vensim, its `{UTF-8}` first line (a
//! `.mdl` without it is told by its name).

use super::FileKind;

/// How much of a file is read to tell its kind: never the whole file.
pub const SNIFF_BYTES: usize = 16 * 1024;

/// The kind of RON text from its first struct name (`Model(`, `Scenario(`,
/// `Deck(`); `None` when the text starts otherwise (an anonymous `(...)`, not
/// RON at all) or ends before saying.
pub fn sniff_text(text: &str) -> Option<FileKind> {
    if let Some(kind) = sniff_xml(text) {
        return Some(kind);
    }
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if start.starts_with("{UTF-8}") {
        // Vensim's text models start with their encoding.
        return Some(FileKind::Vensim);
    }
    let rest = skip_preamble(text)?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if end == rest.len() {
        // The text stops inside the name: it may be longer than what was read.
        return None;
    }
    let name = &rest[..end];
    FileKind::ALL
        .into_iter()
        .find(|k| k.ron_struct_name() == Some(name))
}

/// The kind of a file from its first bytes, which may stop anywhere (even
/// inside a character): only the valid UTF-8 start is looked at.
pub fn sniff_bytes(head: &[u8]) -> Option<FileKind> {
    let valid = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
    };
    sniff_text(valid)
}

/// The kind of XML text by its root element: `<xmile ...>` is an XMILE
/// model; `None` for anything else, and for text that is not XML.
fn sniff_xml(text: &str) -> Option<FileKind> {
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        let end = if rest.starts_with("<?") {
            "?>"
        } else if rest.starts_with("<!--") {
            "-->"
        } else if rest.starts_with("<!") {
            ">"
        } else {
            break;
        };
        rest = &rest[rest.find(end)? + end.len()..];
    }
    let name = rest.strip_prefix('<')?;
    let end = name.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
    // `<xmile` or a prefixed `<x:xmile`.
    let local = name[..end].rsplit(':').next()?;
    (local == "xmile").then_some(FileKind::Xmile)
}

/// `text` after leading blanks, comments and inner attributes; `None` when
/// it ends inside one of them.
fn skip_preamble(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.split_once('\n')?.1;
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = skip_block_comment(r)?;
        } else if rest.starts_with("#![") {
            rest = rest.split_once(']')?.1;
        } else {
            return Some(rest);
        }
    }
}

/// After the `/*` of a block comment (RON nests them): what follows its end.
fn skip_block_comment(mut rest: &str) -> Option<&str> {
    let mut depth = 1;
    while depth > 0 {
        let open = rest.find("/*");
        let close = rest.find("*/")?;
        match open {
            Some(o) if o < close => {
                depth += 1;
                rest = &rest[o + 2..];
            }
            _ => {
                depth -= 1;
                rest = &rest[close + 2..];
            }
        }
    }
    Some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_struct_name_tells_the_kind() {
        assert_eq!(sniff_text("Model(id: \"m\")"), Some(FileKind::Model));
        assert_eq!(sniff_text("\u{feff}  Scenario ("), Some(FileKind::Scenario));
        assert_eq!(
            sniff_text("// a deck\n/* notes /* nested */ */\n#![enable(implicit_some)]\nDeck("),
            Some(FileKind::Deck)
        );
        assert_eq!(sniff_text("(format_version: 1)"), None);
        assert_eq!(sniff_text("Scenarios("), None);
        assert_eq!(sniff_text("// a comment cut sho"), None);
        assert_eq!(sniff_text("/* never closed Deck("), None);
        assert_eq!(sniff_text("Dec"), None, "cut inside the name");
        assert_eq!(sniff_text(""), None);
        assert_eq!(sniff_bytes(b"Deck(\xff\xfe"), Some(FileKind::Deck));
        let xmile = "\u{feff}<?xml version=\"1.0\"?>\n<!-- m -->\n<xmile version=\"1.0\">";
        assert_eq!(sniff_text(xmile), Some(FileKind::Xmile));
        assert_eq!(sniff_text("<xmile>"), Some(FileKind::Xmile));
        assert_eq!(sniff_text("<?xml version=\"1.0\"?><svg>"), None);
        assert_eq!(sniff_text("<xmi"), None, "cut inside the name");
        assert_eq!(sniff_bytes(b"\xff\xfeDeck("), None);
        assert_eq!(sniff_text("{UTF-8}\nx = 1 ~~|"), Some(FileKind::Vensim));
        assert_eq!(sniff_text("\u{feff}\r\n{UTF-8}"), Some(FileKind::Vensim));
        // Cut inside a character: the valid start still says.
        assert_eq!(
            sniff_bytes("Scenario(name: \"é".as_bytes().split_last().unwrap().1),
            Some(FileKind::Scenario)
        );
    }
}
