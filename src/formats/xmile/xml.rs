//! The XML under an XMILE file: parsed with roxmltree (no DTD, so no
//! entity expansion bombs), with the vendor prefixes files use without
//! declaring them (`<isee:prefs>` in files written by xmutil) declared for
//! them, and every position said as a line and column of the file as it
//! is on disk.

use roxmltree::{Document, Node, ParsingOptions};

use super::{Pos, XmileError};

/// The XMILE 1.0 namespace (XMILE 2.1).
pub const XMILE_NS: &str = "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0";
/// The namespace Stella 10 wrote before the standard.
pub const OLD_XMILE_NS: &str = "http://www.systemdynamics.org/XMILE";

/// Most prefixes a file may use without declaring them.
const MAX_UNDECLARED: usize = 16;
/// More XML nodes than this are refused (about 30 bytes each at least).
const MAX_NODES: u32 = 2_000_000;

/// A file's text, ready for roxmltree: the original, or a copy with
/// declarations added for undeclared prefixes.
pub struct Prepared<'t> {
    pub original: &'t str,
    pub xml: String,
    /// Where the added declarations are, and how many bytes they take.
    added_at: usize,
    added_len: usize,
}

impl Prepared<'_> {
    /// Line and column in the original file of byte `offset` of `xml`.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = if offset >= self.added_at + self.added_len {
            offset - self.added_len
        } else {
            offset.min(self.added_at)
        };
        let (line, col) = crate::model::expr::line_col(self.original, offset);
        Pos { line, col }
    }

    /// The position of a node's start.
    pub fn node_pos(&self, node: Node) -> Pos {
        self.pos(node.range().start)
    }

    /// roxmltree's position (in `xml`) as one in the original file.
    fn text_pos(&self, p: roxmltree::TextPos) -> Pos {
        let (added_line, added_col) = crate::model::expr::line_col(&self.xml, self.added_at);
        let (line, mut col) = (p.row as usize, p.col as usize);
        let added_chars = self.xml[self.added_at..self.added_at + self.added_len]
            .chars()
            .count();
        if self.added_len > 0 && line == added_line && col > added_col {
            col = col.saturating_sub(added_chars).max(added_col);
        }
        Pos { line, col }
    }
}

pub fn options<'a>() -> ParsingOptions<'a> {
    ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    }
}

/// `text` made parseable: each prefix roxmltree finds undeclared gets a
/// declaration on the root element. Any other error is the file's.
pub fn prepare(text: &str) -> Result<Prepared<'_>, XmileError> {
    let mut prefixes: Vec<String> = Vec::new();
    loop {
        let p = with_prefixes(text, &prefixes);
        let parsed = Document::parse_with_options(&p.xml, options()).map(|_| ());
        let Err(err) = parsed else {
            return Ok(p);
        };
        match &err {
            roxmltree::Error::UnknownNamespace(prefix, _)
                if prefixes.len() < MAX_UNDECLARED && !prefixes.contains(prefix) =>
            {
                prefixes.push(prefix.clone());
            }
            _ => return Err(malformed(&p, &err)),
        }
    }
}

fn with_prefixes<'t>(text: &'t str, prefixes: &[String]) -> Prepared<'t> {
    let at = if prefixes.is_empty() {
        None
    } else {
        root_name_end(text)
    };
    let Some(at) = at else {
        return Prepared {
            original: text,
            xml: text.to_string(),
            added_at: 0,
            added_len: 0,
        };
    };
    let decls: String = prefixes
        .iter()
        .map(|p| format!(" xmlns:{p}=\"urn:trajectoire:undeclared:{p}\""))
        .collect();
    let mut xml = String::with_capacity(text.len() + decls.len());
    xml.push_str(&text[..at]);
    xml.push_str(&decls);
    xml.push_str(&text[at..]);
    Prepared {
        original: text,
        xml,
        added_at: at,
        added_len: decls.len(),
    }
}

/// The byte just after the root element's name: past the XML declaration,
/// comments, processing instructions and a doctype.
fn root_name_end(text: &str) -> Option<usize> {
    let mut i = 0;
    loop {
        let rest = &text[i..];
        let skipped = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .len();
        i += skipped;
        let rest = &text[i..];
        let close = if rest.starts_with("<?") {
            "?>"
        } else if rest.starts_with("<!--") {
            "-->"
        } else if rest.starts_with("<!") {
            ">"
        } else if let Some(name) = rest.strip_prefix('<') {
            let name_len = name
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(name.len());
            return Some(i + 1 + name_len);
        } else {
            return None;
        };
        i += rest.find(close)? + close.len();
    }
}

/// A roxmltree error as ours: what is wrong, at the file's line and column.
fn malformed(p: &Prepared, err: &roxmltree::Error) -> XmileError {
    let pos = err.pos();
    let message = err.to_string();
    let message = message
        .strip_suffix(&format!(" at {pos}"))
        .unwrap_or(&message)
        .to_string();
    let what = match err {
        roxmltree::Error::DtdDetected => {
            "the file has a document type definition (<!DOCTYPE … [ … ]>), which XMILE files do \
             not use and Trajectoire does not read"
                .to_string()
        }
        roxmltree::Error::NodesLimitReached => {
            format!("the file has more than {MAX_NODES} XML nodes, too many for a model")
        }
        _ => format!("the file is not well-formed XML: {message}"),
    };
    let pos = match err {
        // roxmltree does not say where: the doctype is.
        roxmltree::Error::DtdDetected => p.pos(p.xml.find("<!DOCTYPE").unwrap_or(0)),
        _ => p.text_pos(pos),
    };
    XmileError::malformed(what, pos)
}

/// Whether `node` is an element of XMILE (either namespace, or none).
pub fn is_xmile(node: Node) -> bool {
    node.is_element()
        && matches!(
            node.tag_name().namespace(),
            None | Some(XMILE_NS) | Some(OLD_XMILE_NS)
        )
}

/// `node`'s XMILE child elements; vendors' elements are skipped.
pub fn children<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(|c| is_xmile(*c))
}

/// The first XMILE child element called `name`.
pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    children(node).find(|c| c.tag_name().name() == name)
}

/// The text of `node`'s first XMILE child called `name`, trimmed.
pub fn child_text<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(node, name).map(|c| c.text().unwrap_or("").trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undeclared_prefixes_are_declared_and_positions_kept() {
        let text =
            "<?xml version=\"1.0\"?>\n<xmile a=\"1\">\n<isee:prefs/><b isee:x=\"1\"/><c/></xmile>";
        let p = prepare(text).unwrap();
        let doc = Document::parse_with_options(&p.xml, options()).unwrap();
        let c = doc.descendants().find(|n| n.has_tag_name("c")).unwrap();
        assert_eq!(p.node_pos(c), Pos { line: 3, col: 29 });
        let e = prepare("<xmile>\n  <a></b>\n</xmile>").err().unwrap();
        assert_eq!(e.pos, Pos { line: 2, col: 6 });
        assert!(e.message.contains("not well-formed"), "{}", e.message);
    }
}
