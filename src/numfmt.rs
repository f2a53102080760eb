//! Numbers for people, in French and English: `148 500` and `26,2` in
//! French, `148,500` and `26.2` in English; and numbers typed in either
//! style read back. Shared by the window and the command line; no egui.

use crate::model::Lang;

/// A number with `decimals` digits after the point, grouped by thousands:
/// `148 500` and `26,2` in French, `148,500` and `26.2` in English.
pub fn fmt_num(lang: Lang, x: f64, decimals: usize) -> String {
    let (group, point) = match lang {
        // A no-break space: the narrow one French typography prefers all but
        // vanishes in small type on a projector.
        Lang::Fr => ('\u{a0}', ','),
        Lang::En => (',', '.'),
    };
    grouped(x, decimals, group, point, '−').unwrap_or_else(|| "—".to_string())
}

/// `x` with `decimals` digits after `point`, thousands separated by `group`,
/// `minus` before a negative number that does not round to zero; `None` when
/// `x` is not finite.
pub fn grouped(x: f64, decimals: usize, group: char, point: char, minus: char) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::new();
    if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push(minus);
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    Some(out)
}

/// A sensible number of decimals for showing `x` to a person.
pub fn auto_decimals(x: f64) -> usize {
    let a = x.abs();
    if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 0.1 {
        2
    } else if a == 0.0 {
        0
    } else {
        3
    }
}

/// `x` with a sensible number of decimals.
pub fn fmt_auto(lang: Lang, x: f64) -> String {
    fmt_num(lang, x, auto_decimals(x))
}

/// A fraction as a signed percentage: `+12.5 %` / `+12,5 %`.
pub fn fmt_pct(lang: Lang, frac: f64, decimals: usize) -> String {
    if !frac.is_finite() {
        return "—".to_string();
    }
    let sign = if frac > 0.0 { "+" } else { "" };
    format!("{sign}{}\u{a0}%", fmt_num(lang, frac * 100.0, decimals))
}

/// Parses a number typed in either language's style: `148 500`, `148,500`,
/// `26,2`, `26.2`. A lone comma followed by exactly three digits in English
/// is a thousands separator; in French a comma is the decimal point.
pub fn parse_num(lang: Lang, text: &str) -> Option<f64> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202F}' | '_'))
        .map(|c| if c == '−' { '-' } else { c })
        .collect();
    if t.is_empty() {
        return None;
    }
    let normalised = match lang {
        Lang::Fr => t.replace(',', "."),
        // A single comma before one or two final digits is a decimal comma,
        // as pasted from a French sheet ("27,1"); otherwise commas group
        // thousands ("148,500").
        Lang::En => {
            let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
            match t.trim_start_matches('-').split_once(',') {
                Some((a, b)) if digits(a) && digits(b) && b.len() <= 2 => t.replace(',', "."),
                _ => t.replace(',', ""),
            }
        }
    };
    normalised.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A time as written in messages, CSV and the command line: `2031` for a
/// whole time, `2024.25` otherwise (at most six decimals, no grouping, so
/// that a year reads as a year).
pub fn time(t: f64) -> String {
    if t.fract() == 0.0 && t.abs() < 1e15 {
        format!("{t:.0}")
    } else {
        let s = format!("{t:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A time in the window, in `lang`'s decimal separator: `2024,25` in French.
pub fn fmt_time(lang: Lang, t: f64) -> String {
    let s = time(t);
    match lang {
        Lang::Fr => s.replace('.', ",").replace('-', "\u{2212}"),
        Lang::En => s.replace('-', "\u{2212}"),
    }
}

/// Decimals that show a lever's step exactly.
pub fn step_decimals(step: f64) -> usize {
    let mut d = 0;
    let mut s = step.abs();
    while d < 4 && (s - s.round()).abs() > 1e-9 {
        s *= 10.0;
        d += 1;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(fmt_num(Lang::En, 148_500.0, 0), "148,500");
        assert_eq!(fmt_num(Lang::Fr, 148_500.0, 0), "148\u{a0}500");
        assert_eq!(fmt_num(Lang::En, 26.2, 1), "26.2");
        assert_eq!(fmt_num(Lang::Fr, 26.2, 1), "26,2");
        assert_eq!(fmt_num(Lang::En, -1234.5, 1), "−1,234.5");
        assert_eq!(fmt_num(Lang::En, -0.01, 1), "0.0");
        assert_eq!(fmt_pct(Lang::Fr, 0.105, 1), "+10,5\u{a0}%");
    }

    #[test]
    fn typed_numbers_in_both_styles() {
        assert_eq!(parse_num(Lang::Fr, "148 500"), Some(148_500.0));
        assert_eq!(parse_num(Lang::Fr, "26,2"), Some(26.2));
        assert_eq!(parse_num(Lang::En, "148,500"), Some(148_500.0));
        assert_eq!(parse_num(Lang::En, "1,148,500.5"), Some(1_148_500.5));
        assert_eq!(parse_num(Lang::En, "27,1"), Some(27.1));
        assert_eq!(parse_num(Lang::En, "26.2"), Some(26.2));
        assert_eq!(parse_num(Lang::En, "-3"), Some(-3.0));
        assert_eq!(parse_num(Lang::En, "lots"), None);
        assert_eq!(parse_num(Lang::En, "1e999"), None);
        assert_eq!(parse_num(Lang::En, ""), None);
    }
}
