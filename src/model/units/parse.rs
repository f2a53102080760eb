//! The text of a unit as XMILE 1.0 writes it: `MAD/job`, `1/year`, `%/year`,
//! `m^(1/2)`.
//!
//! ```text
//! expr     := term (("*" | "/") term)*
//! term     := atom ("^" exponent)?
//! exponent := "-"? int | "(" "-"? int ("/" int)? ")"
//! atom     := name | "1" | "%" | "(" expr ")"
//! ```
//!
//! Names start with a letter, `_` or `$`, then letters, digits, `_`, `$`
//! or `.`. No number but `1`: scales belong in the model's unit definitions.

use std::fmt;

use super::ratio::Ratio;

/// The longest unit text accepted, in bytes.
pub const MAX_LEN: usize = 1000;

/// The deepest nesting of parentheses accepted.
pub const MAX_DEPTH: usize = 64;

/// A parsed unit expression.
#[derive(Clone, Debug, PartialEq)]
pub enum UnitExpr {
    /// `1`: dimensionless.
    One,
    /// `%`: dimensionless, a hundredth.
    Percent,
    /// A unit name, as written.
    Name(String),
    /// `a*b`.
    Mul(Box<UnitExpr>, Box<UnitExpr>),
    /// `a/b`.
    Div(Box<UnitExpr>, Box<UnitExpr>),
    /// `a^r`.
    Pow(Box<UnitExpr>, Ratio),
}

/// Why a unit text cannot be read.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitParseError {
    /// Byte offset in the text where the problem is (a char boundary).
    pub offset: usize,
    /// What is wrong, for people.
    pub message: String,
}

impl fmt::Display for UnitParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for UnitParseError {}

/// Whether `c` can start a unit name.
fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

/// Whether `c` can follow the first character of a unit name.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '$' | '.')
}

/// Whether `s` is one unit name (`job`, `kMAD`, `$`, `m.s`), nothing more.
pub fn is_unit_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// Reads a unit expression.
pub fn parse_unit(text: &str) -> Result<UnitExpr, UnitParseError> {
    if text.len() > MAX_LEN {
        let mut at = MAX_LEN;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        return Err(error(at, format!("a unit is at most {MAX_LEN} bytes long")));
    }
    if text.trim().is_empty() {
        return Err(error(0, "the unit is empty".to_string()));
    }
    let mut p = Parser {
        toks: lex(text)?,
        pos: 0,
        end: text.len(),
    };
    let e = p.expr(0)?;
    match p.peek() {
        (_, Tok::End) => Ok(e),
        (at, Tok::Close) => Err(error(at, "`)` without a matching `(`".to_string())),
        (at, Tok::Caret) => Err(error(at, "one `^` per unit: write (a^2)^3".to_string())),
        (at, _) => Err(error(at, "expected `*` or `/` between units".to_string())),
    }
}

/// An error at `offset`.
fn error(offset: usize, message: String) -> UnitParseError {
    UnitParseError { offset, message }
}

/// A token of a unit text.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok<'a> {
    Name(&'a str),
    /// Digits, possibly run into letters or dots (`2m`, `1.5`): refused later
    /// as a whole.
    Number(&'a str),
    Percent,
    Star,
    Slash,
    Caret,
    Minus,
    Open,
    Close,
    End,
}

/// Splits `text` into tokens with their byte offsets.
fn lex(text: &str) -> Result<Vec<(usize, Tok<'_>)>, UnitParseError> {
    let mut toks = Vec::new();
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        let run = |pred: fn(char) -> bool| {
            let rest = &text[at..];
            at + rest.find(|c: char| !pred(c)).unwrap_or(rest.len())
        };
        let (tok, next) = match c {
            c if c.is_whitespace() => {
                at += c.len_utf8();
                continue;
            }
            '*' => (Tok::Star, at + 1),
            '/' => (Tok::Slash, at + 1),
            '^' => (Tok::Caret, at + 1),
            '-' => (Tok::Minus, at + 1),
            '(' => (Tok::Open, at + 1),
            ')' => (Tok::Close, at + 1),
            '%' => (Tok::Percent, at + 1),
            c if is_name_start(c) => {
                let end = run(is_name_char);
                (Tok::Name(&text[at..end]), end)
            }
            c if c.is_ascii_digit() => {
                let end = run(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_'));
                (Tok::Number(&text[at..end]), end)
            }
            c => return Err(error(at, format!("`{c}` has no place in a unit"))),
        };
        toks.push((at, tok));
        at = next;
    }
    Ok(toks)
}

/// A recursive-descent parser over the tokens; recursion only through
/// parentheses, at most [`MAX_DEPTH`] deep.
struct Parser<'a> {
    toks: Vec<(usize, Tok<'a>)>,
    pos: usize,
    /// The length of the text: the offset of `End`.
    end: usize,
}

impl<'a> Parser<'a> {
    /// The next token, not consumed.
    fn peek(&self) -> (usize, Tok<'a>) {
        self.toks
            .get(self.pos)
            .copied()
            .unwrap_or((self.end, Tok::End))
    }

    /// The next token, consumed.
    fn bump(&mut self) -> (usize, Tok<'a>) {
        let t = self.peek();
        self.pos = (self.pos + 1).min(self.toks.len());
        t
    }

    /// `expr := term (("*" | "/") term)*`, left-associative.
    fn expr(&mut self, depth: usize) -> Result<UnitExpr, UnitParseError> {
        let mut e = self.term(depth)?;
        loop {
            match self.peek().1 {
                Tok::Star => {
                    self.bump();
                    e = UnitExpr::Mul(Box::new(e), Box::new(self.term(depth)?));
                }
                Tok::Slash => {
                    self.bump();
                    e = UnitExpr::Div(Box::new(e), Box::new(self.term(depth)?));
                }
                _ => return Ok(e),
            }
        }
    }

    /// `term := atom ("^" exponent)?`
    fn term(&mut self, depth: usize) -> Result<UnitExpr, UnitParseError> {
        let a = self.atom(depth)?;
        if self.peek().1 != Tok::Caret {
            return Ok(a);
        }
        self.bump();
        Ok(UnitExpr::Pow(Box::new(a), self.exponent()?))
    }

    /// `atom := name | "1" | "%" | "(" expr ")"`
    fn atom(&mut self, depth: usize) -> Result<UnitExpr, UnitParseError> {
        match self.bump() {
            (_, Tok::Name(n)) => Ok(UnitExpr::Name(n.to_string())),
            (_, Tok::Number("1")) => Ok(UnitExpr::One),
            (at, Tok::Number(_)) => Err(error(
                at,
                "a unit has no numbers other than 1: write scales in the model's unit definitions"
                    .to_string(),
            )),
            (_, Tok::Percent) => Ok(UnitExpr::Percent),
            (at, Tok::Open) if depth >= MAX_DEPTH => Err(error(
                at,
                format!("parentheses nested more than {MAX_DEPTH} deep"),
            )),
            (at, Tok::Open) => {
                let e = self.expr(depth + 1)?;
                match self.bump() {
                    (_, Tok::Close) => Ok(e),
                    (end, Tok::End) => Err(error(
                        end,
                        format!("expected `)` to close the `(` at byte {at}"),
                    )),
                    (o, _) => Err(error(o, "expected `*`, `/` or `)`".to_string())),
                }
            }
            (at, _) => Err(error(
                at,
                "expected a unit name, `1`, `%` or `(`".to_string(),
            )),
        }
    }

    /// `exponent := "-"? int | "(" "-"? int ("/" int)? ")"`
    fn exponent(&mut self) -> Result<Ratio, UnitParseError> {
        let (at, tok) = self.peek();
        let paren = match tok {
            Tok::Open => {
                self.bump();
                true
            }
            Tok::Minus | Tok::Number(_) => false,
            _ => {
                let msg = "expected an exponent after `^`: a whole number or (p/q)";
                return Err(error(at, msg.to_string()));
            }
        };
        let num = self.signed_int()?;
        let mut den = 1;
        if paren {
            if self.peek().1 == Tok::Slash {
                self.bump();
                let (dat, d) = self.int()?;
                if d == 0 {
                    return Err(error(
                        dat,
                        "an exponent's denominator cannot be 0".to_string(),
                    ));
                }
                den = d;
            }
            match self.bump() {
                (_, Tok::Close) => {}
                (o, _) => return Err(error(o, "expected `)` to close the exponent".to_string())),
            }
        }
        Ratio::new(num, den).ok_or_else(|| error(at, "the exponent is too large".to_string()))
    }

    /// `"-"? int`
    fn signed_int(&mut self) -> Result<i64, UnitParseError> {
        let minus = self.peek().1 == Tok::Minus;
        if minus {
            self.bump();
        }
        let (_, n) = self.int()?;
        Ok(if minus { -n } else { n })
    }

    /// A whole number of digits, with its offset.
    fn int(&mut self) -> Result<(usize, i64), UnitParseError> {
        match self.bump() {
            (at, Tok::Number(s)) if s.bytes().all(|b| b.is_ascii_digit()) => s
                .parse()
                .map(|n| (at, n))
                .map_err(|_| error(at, "the exponent is too large".to_string())),
            (at, Tok::Number(_)) => Err(error(
                at,
                "an exponent is a whole number or a fraction such as (1/2)".to_string(),
            )),
            (at, _) => Err(error(at, "expected a whole number".to_string())),
        }
    }
}

impl fmt::Display for UnitExpr {
    /// Prints with no spaces and only the needed parentheses: the text parses
    /// back to the same tree (for trees from [`parse_unit`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let compound = |e: &UnitExpr| matches!(e, UnitExpr::Mul(..) | UnitExpr::Div(..));
        match self {
            UnitExpr::One => f.write_str("1"),
            UnitExpr::Percent => f.write_str("%"),
            UnitExpr::Name(n) => f.write_str(n),
            UnitExpr::Mul(a, b) | UnitExpr::Div(a, b) => {
                let op = if matches!(self, UnitExpr::Mul(..)) {
                    '*'
                } else {
                    '/'
                };
                if compound(b) {
                    write!(f, "{a}{op}({b})")
                } else {
                    write!(f, "{a}{op}{b}")
                }
            }
            UnitExpr::Pow(a, r) => {
                if compound(a) || matches!(**a, UnitExpr::Pow(..)) {
                    write!(f, "({a})")?;
                } else {
                    write!(f, "{a}")?;
                }
                if r.is_integer() {
                    write!(f, "^{r}")
                } else {
                    write!(f, "^({r})")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str) -> Box<UnitExpr> {
        Box::new(UnitExpr::Name(n.to_string()))
    }

    fn offset(text: &str) -> usize {
        parse_unit(text).unwrap_err().offset
    }

    #[test]
    fn round_trips() {
        let same = [
            "MAD/job",
            "1/year",
            "%/year",
            "person/year",
            "kMAD^2",
            "m^(1/2)",
            "m^-1",
            "$/yr",
            "1",
            "%",
            "a*b/c",
            "a/(b*c)",
            "a/(b/c)",
            "(a*b)^(-3/2)",
            "(a^2)^3",
            "1^2",
            "x_1.b$",
            "émission/année",
        ];
        for text in same {
            let e = parse_unit(text).unwrap();
            assert_eq!(e.to_string(), text);
            assert_eq!(parse_unit(&e.to_string()).unwrap(), e, "{text}");
        }
        let other = [
            "(a*b)/c",
            " m ^ ( 1 / 2 ) ",
            "((a))",
            "m^(2)",
            "m^(4/2)",
            "a*(b*c)",
        ];
        for text in other {
            let e = parse_unit(text).unwrap();
            assert_eq!(parse_unit(&e.to_string()).unwrap(), e, "{text}");
        }
    }

    #[test]
    fn trees() {
        let half = Ratio::new(1, 2).unwrap();
        assert_eq!(
            parse_unit("m^(1/2)").unwrap(),
            UnitExpr::Pow(name("m"), half)
        );
        assert_eq!(
            parse_unit("(a*b)/c").unwrap(),
            UnitExpr::Div(Box::new(UnitExpr::Mul(name("a"), name("b"))), name("c"))
        );
        assert_eq!(
            parse_unit("a/b*c").unwrap(),
            UnitExpr::Mul(Box::new(UnitExpr::Div(name("a"), name("b"))), name("c"))
        );
        assert_eq!(
            parse_unit("m^-1").unwrap(),
            UnitExpr::Pow(name("m"), Ratio::int(-1))
        );
        assert_eq!(
            parse_unit("%/year").unwrap(),
            UnitExpr::Div(Box::new(UnitExpr::Percent), name("year"))
        );
        assert_eq!(
            parse_unit("m^(4/2)").unwrap(),
            UnitExpr::Pow(name("m"), Ratio::int(2))
        );
    }

    #[test]
    fn refusals() {
        assert_eq!(offset("2*m"), 0);
        assert!(
            parse_unit("2*m")
                .unwrap_err()
                .message
                .contains("other than 1")
        );
        assert_eq!(offset("m*1000"), 2);
        assert_eq!(offset("1.5"), 0);
        assert_eq!(offset("a b"), 2);
        assert_eq!(offset("a^"), 2);
        assert_eq!(offset("(a"), 2);
        assert_eq!(offset("a^(1/0)"), 5);
        assert_eq!(offset("a)"), 1);
        assert_eq!(offset("a^2^3"), 3);
        assert_eq!(offset("a^x"), 2);
        assert_eq!(offset("a^1.5"), 2);
        assert_eq!(offset("a^(1/2"), 6);
        assert_eq!(offset("a^99999999999"), 2);
        assert_eq!(offset("a^(99999999999999999999)"), 3);
        assert_eq!(offset("a*"), 2);
        assert_eq!(offset("/a"), 0);
        assert_eq!(offset("()"), 1);
        assert_eq!(offset("a # b"), 2);
        assert_eq!(offset("éé ü"), 5);
        assert_eq!(offset(""), 0);
        assert_eq!(offset("   "), 0);
        let e = parse_unit("a b").unwrap_err();
        assert_eq!(
            e.to_string(),
            "expected `*` or `/` between units (at byte 2)"
        );
    }

    #[test]
    fn limits() {
        let deep = |n: usize| format!("{}a{}", "(".repeat(n), ")".repeat(n));
        assert!(parse_unit(&deep(MAX_DEPTH)).is_ok());
        assert_eq!(offset(&deep(MAX_DEPTH + 1)), MAX_DEPTH);
        assert_eq!(offset(&"(".repeat(MAX_LEN)), MAX_DEPTH);
        let long = vec!["a"; MAX_LEN / 2].join("*");
        assert!(parse_unit(&long).is_ok());
        assert_eq!(offset(&format!("{long}*b")), MAX_LEN);
        // A cut inside a two-byte letter lands on a char boundary.
        let text = format!("a{}", "é".repeat(MAX_LEN));
        let at = offset(&text);
        assert!(text.is_char_boundary(at) && at <= MAX_LEN);
    }

    #[test]
    fn names() {
        assert!(is_unit_name("kMAD") && is_unit_name("$") && is_unit_name("_x.1"));
        assert!(is_unit_name("année"));
        assert!(!is_unit_name("") && !is_unit_name("1") && !is_unit_name("a b"));
        assert!(!is_unit_name("%") && !is_unit_name("1a") && !is_unit_name("a/b"));
    }

    #[test]
    fn never_panics() {
        let alphabet: Vec<char> = "ab1 2*/^()-%$.é_\t".chars().collect();
        let mut seed = 0x1234_5678_9abc_def1u64;
        for _ in 0..5000 {
            let mut text = String::new();
            for _ in 0..(seed % 12) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            seed = seed.wrapping_add(0x9e37_79b9);
            match parse_unit(&text) {
                Ok(e) => assert_eq!(parse_unit(&e.to_string()).unwrap(), e, "{text}"),
                Err(e) => assert!(text.is_char_boundary(e.offset) && e.offset <= text.len()),
            }
        }
    }
}
