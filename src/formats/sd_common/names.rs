//! The names of XMILE (3.2.2) and Vensim, and the ids they become.
//!
//! XMILE and Vensim compare names case-insensitively, with spaces, underscores, line
//! breaks (and the `\n` escape) equivalent and runs of them counting as one
//! (3.2.2.2): `Flow 1`, `flow_1` and `"FLOW\n1"` are one name. [`canonical`]
//! gives that one form. Our equation language wants ASCII identifiers that
//! are not reserved words: [`Ids`] turns canonical names into distinct ones
//! (`flow_1`), and the original name stays the variable's label.

use std::collections::HashSet;

use crate::model::expr::{is_identifier, is_reserved};

/// The canonical form of an XMILE name: surrounding quotes removed, the
/// escapes `\"`, `\\` and `\n` read, every run of spaces, underscores, line
/// breaks, tabs and no-break spaces made one space, trimmed, lowercased.
pub fn canonical(name: &str) -> String {
    let trimmed = name.trim();
    let inner = trimmed
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(trimmed);
    let mut out = String::with_capacity(inner.len());
    let mut pending_space = false;
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match (c, chars.peek()) {
            ('\\', Some('n')) => {
                chars.next();
                ' '
            }
            ('\\', Some(&e @ ('"' | '\\'))) => {
                chars.next();
                e
            }
            _ => c,
        };
        if is_name_space(c) {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// What XMILE counts as a space inside a name.
fn is_name_space(c: char) -> bool {
    matches!(c, ' ' | '_' | '\u{a0}') || c.is_whitespace() || c.is_control()
}

/// A name as a person reads it: the `\n` escape and line breaks as spaces,
/// runs of spaces as one, case and underscores kept.
pub fn label(name: &str) -> String {
    let name = name.replace("\\n", " ");
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The identifier a canonical name suggests: ASCII letters and digits,
/// common accented letters without their accents, everything else `_`
/// (runs of it as one), never starting with a digit.
fn suggested_id(canonical: &str) -> String {
    let mut id = String::with_capacity(canonical.len());
    for c in canonical.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if let Some(plain) = unaccented(c) {
            id.push_str(plain);
        } else if !id.ends_with('_') {
            id.push('_');
        }
    }
    let id = id.trim_matches('_');
    match id.chars().next() {
        None => "v".to_string(),
        Some(c) if c.is_ascii_digit() => format!("v_{id}"),
        Some(_) => id.to_string(),
    }
}

/// A lowercase accented Latin letter without its accent.
fn unaccented(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        _ => return None,
    })
}

/// Hands out distinct, valid, unreserved identifiers.
#[derive(Debug, Default)]
pub struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    /// A new identifier for the canonical name `canonical`: its suggested
    /// id, with `_` after a reserved word (`step_`) and `_2`, `_3`… after
    /// one already given.
    pub fn assign(&mut self, canonical: &str) -> String {
        let mut base = suggested_id(canonical);
        if is_reserved(&base) {
            base.push('_');
        }
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) || is_reserved(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        debug_assert!(is_identifier(&id));
        self.taken.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_equal_across_case_spaces_and_underscores() {
        assert_eq!(canonical("Flow 1"), "flow 1");
        assert_eq!(canonical("flow_1"), canonical("FLOW  1"));
        assert_eq!(canonical("\"Flow\\n1\""), "flow 1");
        assert_eq!(canonical("Stock with \\n Newline"), "stock with newline");
        assert_eq!(canonical("a\u{a0}b\n_c"), "a b c");
        assert_eq!(canonical("\"say \\\"hi\\\"\""), "say \"hi\"");
        assert_eq!(canonical("_x_"), "x");
    }

    #[test]
    fn ids_are_valid_distinct_and_unreserved() {
        let mut ids = Ids::default();
        assert_eq!(ids.assign("flow 1"), "flow_1");
        assert_eq!(ids.assign("flow-1"), "flow_1_2");
        assert_eq!(
            ids.assign("aux with $pec!@| characters"),
            "aux_with_pec_characters"
        );
        assert_eq!(ids.assign("1995€/$"), "v_1995");
        assert_eq!(ids.assign("€/$"), "v");
        assert_eq!(ids.assign("step"), "step_");
        assert_eq!(ids.assign("if"), "if_");
        assert_eq!(
            ids.assign("coût de la main-d'œuvre"),
            "cout_de_la_main_d_oeuvre"
        );
        assert_eq!(label("Stock with \\n Newline"), "Stock with Newline");
    }
}
