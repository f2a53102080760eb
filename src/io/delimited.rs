//! Delimited text for other programs: RFC 4180 CSV and tab-separated
//! values, one writer for every table Trajectoire writes (the command
//! line's runs and Monte Carlo bands, the window's export).
//!
//! A field is quoted when it holds the separator, a double quote, a line
//! break or a carriage return, its quotes doubled (RFC 4180 §2.6-2.7);
//! tab-separated files follow the same rule with the tab, as Vensim's
//! `.tab` files quote a name. Lines end in `\n` (RFC 4180 asks for CRLF;
//! every reader we know of, the RFC's own among them, takes both, and `\n`
//! keeps files diffing cleanly in git).

use std::fmt::Write as _;

/// The separator between fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separator {
    Comma,
    Tab,
}

impl Separator {
    pub fn char(self) -> char {
        match self {
            Separator::Comma => ',',
            Separator::Tab => '\t',
        }
    }
}

/// `text` as one field: quoted when it must be.
pub fn field(text: &str, sep: Separator) -> std::borrow::Cow<'_, str> {
    if text.contains([sep.char(), '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

/// A number in full precision that reads back to the same bits: plain
/// digits (`148500`, `0.25`) in the usual range, an exponent beyond it
/// (`1e300`, `2.5e-9`) so no cell runs to hundreds of digits; `NaN`,
/// `inf` and `-inf` as Python, R and spreadsheets read them.
pub fn number(x: f64, out: &mut String) {
    let a = x.abs();
    if x.is_nan() {
        out.push_str("NaN");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 { "inf" } else { "-inf" });
    } else if a == 0.0 || (1e-5..1e16).contains(&a) {
        let _ = write!(out, "{x}");
    } else {
        let _ = write!(out, "{x:e}");
    }
}

/// A time as a person and a program both read it: at most ten decimals,
/// trailing zeros dropped (`2024`, `0.0078125`, `0.3` for the third step of
/// 0.1, which the clock computes as `0 + 3 * 0.1`).
pub fn time(t: f64, out: &mut String) {
    if t.fract() == 0.0 && t.abs() < 1e15 {
        let _ = write!(out, "{t:.0}");
    } else {
        let s = format!("{t:.10}");
        out.push_str(s.trim_end_matches('0').trim_end_matches('.'));
    }
}

/// [`number`] as its own string.
pub fn number_text(x: f64) -> String {
    let mut s = String::new();
    number(x, &mut s);
    s
}

/// [`time`] as its own string.
pub fn time_text(t: f64) -> String {
    let mut s = String::new();
    time(t, &mut s);
    s
}

/// Appends one line of fields.
pub fn line<'a>(fields: impl IntoIterator<Item = &'a str>, sep: Separator, out: &mut String) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(sep.char());
        }
        out.push_str(&field(f, sep));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let c = Separator::Comma;
        assert_eq!(field("jobs[crm]", c), "jobs[crm]");
        assert_eq!(field("stock[a,b]", c), "\"stock[a,b]\"");
        assert_eq!(field("say \"hi\"", c), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines", c), "\"two\nlines\"");
        assert_eq!(field("stock[a,b]", Separator::Tab), "stock[a,b]");
        assert_eq!(field("a\tb", Separator::Tab), "\"a\tb\"");
    }

    #[test]
    fn numbers_read_back_to_the_same_bits() {
        for x in [
            0.0,
            -0.0,
            148500.0,
            0.1 + 0.2,
            1e-7,
            -2.5e-9,
            1e300,
            f64::MIN_POSITIVE,
            123456789012345680.0,
        ] {
            let mut s = String::new();
            number(x, &mut s);
            assert!(s.len() < 30, "{s}");
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), x.to_bits(), "{s}");
        }
        let mut s = String::new();
        number(f64::NAN, &mut s);
        number(f64::NEG_INFINITY, &mut s);
        assert_eq!(s, "NaN-inf");
    }

    #[test]
    fn times_are_short() {
        let mut s = String::new();
        for t in [2024.0, 0.0078125, 0.0 + 3.0 * 0.1, -1.5] {
            time(t, &mut s);
            s.push(' ');
        }
        assert_eq!(s, "2024 0.0078125 0.3 -1.5 ");
    }
}
