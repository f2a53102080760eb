//! Vensim's equations as tokens. Names hold spaces (`Birth rate`, `IF
//! THEN ELSE`, `DELAY N`) and may be cut by a `\` at the end of a line;
//! names in double quotes hold anything, `\"` included. Keywords sit
//! between colons (`:AND:`, `:NA:`, `:MACRO:`); `{comments}` are skipped.

use super::Raw;
use super::records::Span;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Num(f64),
    /// A name as written, quotes kept, a line continuation read as a space.
    Name(String),
    /// `:AND:`, `:NA:`…: the word between the colons, upper case.
    Keyword(String),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    Comma,
    LBracket,
    RBracket,
    Eq,
    EqEq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `:=`, a data equation.
    Define,
    /// `:` alone, a subscript range's definition.
    Colon,
    /// `<->`, `->`, `!`, `;`: subscripts.
    Subscript(&'static str),
    Eof,
}

impl Tok {
    pub fn describe(&self) -> String {
        match self {
            Tok::Num(n) => format!("the number {n}"),
            Tok::Name(s) => format!("the name `{s}`"),
            Tok::Keyword(k) => format!("`:{k}:`"),
            Tok::Eof => "the end of the equation".into(),
            other => format!("`{}`", other.text()),
        }
    }

    fn text(&self) -> &'static str {
        match self {
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Slash => "/",
            Tok::Caret => "^",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::Comma => ",",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::Eq => "=",
            Tok::EqEq => "==",
            Tok::Ne => "<>",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            Tok::Define => ":=",
            Tok::Colon => ":",
            Tok::Subscript(s) => s,
            _ => "",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// The tokens of `text[span]`, spans in the whole text, an `Eof` last.
pub fn lex(text: &str, span: Span) -> Result<Vec<Token>, Raw> {
    let (start, end) = span;
    let src = &text[..end];
    let mut out = Vec::new();
    let mut i = start;
    while let Some(c) = src[i..].chars().next() {
        let from = i;
        let (tok, next) = match c {
            c if c.is_whitespace() => {
                i += c.len_utf8();
                continue;
            }
            '\\' if continuation(src, i).is_some() => {
                i = continuation(src, i).unwrap_or(i + 1);
                continue;
            }
            '{' => {
                let close = src[i..]
                    .find('}')
                    .ok_or_else(|| Raw::malformed(i, "a comment `{` is never closed by `}`"))?;
                i += close + 1;
                continue;
            }
            '0'..='9' => number(src, i)?,
            '.' if src[i + 1..].starts_with(|d: char| d.is_ascii_digit()) => number(src, i)?,
            '"' => quoted(src, i)?,
            '\'' => literal(src, i)?,
            c if is_name_char(c) => name(src, i),
            ':' => colon(src, i),
            _ => symbol(src, i)?,
        };
        i = next;
        out.push(Token {
            tok,
            span: (from, i),
        });
    }
    out.push(Token {
        tok: Tok::Eof,
        span: (end, end),
    });
    Ok(out)
}

/// After a `\` that ends a line (blanks allowed before the line break):
/// where the next line's text starts.
fn continuation(src: &str, i: usize) -> Option<usize> {
    let rest = &src[i + 1..];
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let after = &rest[blanks..];
    let nl = after.strip_prefix('\n')?;
    let lead = nl.len() - nl.trim_start_matches([' ', '\t']).len();
    Some(src.len() - nl.len() + lead)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '$' | '\'') || (!c.is_ascii() && !c.is_whitespace())
}

/// A name: words of name characters, separated by spaces, tabs or line
/// continuations.
fn name(src: &str, start: usize) -> (Tok, usize) {
    let mut s = String::new();
    let mut i = start;
    loop {
        let word = src[i..]
            .find(|c: char| !is_name_char(c))
            .unwrap_or(src.len() - i);
        s.push_str(&src[i..i + word]);
        i += word;
        // More words after blanks or a continuation?
        let mut j = i;
        loop {
            let rest = &src[j..];
            let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            j += blanks;
            match src[j..].starts_with('\\').then(|| continuation(src, j)) {
                Some(Some(k)) => j = k,
                _ => break,
            }
        }
        match src[j..].chars().next() {
            Some(c) if j > i && is_name_char(c) => {
                s.push(' ');
                i = j;
            }
            _ => return (Tok::Name(s), i),
        }
    }
}

/// `[digits][.digits][E[±]digits]`.
fn number(src: &str, start: usize) -> Result<(Tok, usize), Raw> {
    let i = crate::formats::sd_common::open::number_end(src, start);
    let text = &src[start..i];
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok((Tok::Num(v), i)),
        _ => Err(Raw::invalid(start, format!("`{text}` is not a number"))),
    }
}

/// A name in double quotes, with `\"` inside.
fn quoted(src: &str, start: usize) -> Result<(Tok, usize), Raw> {
    let mut escaped = false;
    for (k, c) in src[start + 1..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => {
                let end = start + 1 + k + 1;
                return Ok((Tok::Name(src[start..end].to_string()), end));
            }
            _ => {}
        }
    }
    Err(Raw::malformed(
        start,
        "a quoted name is never closed by `\"`",
    ))
}

/// Text in single quotes (a file or sheet name of `GET XLS …`), kept
/// with its quotes as a name: no model variable is called so.
fn literal(src: &str, start: usize) -> Result<(Tok, usize), Raw> {
    match src[start + 1..].find('\'') {
        Some(k) => {
            let end = start + 1 + k + 1;
            Ok((Tok::Name(src[start..end].to_string()), end))
        }
        None => Err(Raw::malformed(start, "a text in `'` is never closed")),
    }
}

/// `:WORD:` (letters and spaces), `:=`, or a lone `:`.
fn colon(src: &str, i: usize) -> (Tok, usize) {
    let rest = &src[i + 1..];
    if rest.starts_with('=') {
        return (Tok::Define, i + 2);
    }
    let word = rest
        .find(|c: char| !(c.is_ascii_alphabetic() || c == ' '))
        .unwrap_or(rest.len());
    if word > 0 && rest[word..].starts_with(':') && rest[..word].trim() == &rest[..word] {
        let k = rest[..word].to_ascii_uppercase();
        return (Tok::Keyword(k), i + word + 2);
    }
    (Tok::Colon, i + 1)
}

fn symbol(src: &str, i: usize) -> Result<(Tok, usize), Raw> {
    let rest = &src[i..];
    let two = |s: &str| rest.starts_with(s);
    let (tok, len) = match rest.chars().next().unwrap_or(' ') {
        '<' if two("<->") => (Tok::Subscript("<->"), 3),
        '<' if two("<=") => (Tok::Le, 2),
        '<' if two("<>") => (Tok::Ne, 2),
        '<' => (Tok::Lt, 1),
        '>' if two(">=") => (Tok::Ge, 2),
        '>' => (Tok::Gt, 1),
        '=' if two("==") => (Tok::EqEq, 2),
        '=' => (Tok::Eq, 1),
        '-' if two("->") => (Tok::Subscript("->"), 2),
        '+' => (Tok::Plus, 1),
        '-' => (Tok::Minus, 1),
        '*' => (Tok::Star, 1),
        '/' => (Tok::Slash, 1),
        '^' => (Tok::Caret, 1),
        '(' => (Tok::LParen, 1),
        ')' => (Tok::RParen, 1),
        ',' => (Tok::Comma, 1),
        '[' => (Tok::LBracket, 1),
        ']' => (Tok::RBracket, 1),
        '!' => (Tok::Subscript("!"), 1),
        ';' => (Tok::Subscript(";"), 1),
        c => {
            return Err(Raw::malformed(i, format!("unexpected character `{c}`")));
        }
    };
    Ok((tok, i + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s, (0, s.len()))
            .unwrap()
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn names_hold_spaces_and_continuations() {
        assert_eq!(
            toks("IF THEN ELSE(a b\\\n\t\tc :AND: x, .5e1)"),
            vec![
                Tok::Name("IF THEN ELSE".into()),
                Tok::LParen,
                Tok::Name("a b c".into()),
                Tok::Keyword("AND".into()),
                Tok::Name("x".into()),
                Tok::Comma,
                Tok::Num(5.0),
                Tok::RParen,
                Tok::Eof
            ]
        );
        assert_eq!(
            toks("\"a \\\" b\" <> -x {note} <= 2"),
            vec![
                Tok::Name("\"a \\\" b\"".into()),
                Tok::Ne,
                Tok::Minus,
                Tok::Name("x".into()),
                Tok::Le,
                Tok::Num(2.0),
                Tok::Eof
            ]
        );
        assert_eq!(toks("d: a, b")[1], Tok::Colon);
        assert!(lex("a # b", (0, 5)).is_err());
    }
}
