//! A [`Figure`] as inline SVG, for the HTML brief: one self-contained
//! `<svg>` element, well-formed XML (the brief is polyglot XHTML).
//!
//! - Coordinates are rounded to 0.1 pt (never written `-0`); the
//!   `viewBox` is the figure's size in points and `width`/`height` say
//!   `pt`, so the figure prints at its size.
//! - Text is escaped (`& < > " '`), in content and attributes alike;
//!   characters XML 1.0 forbids (control characters) are dropped.
//! - The font is named once on the root (`font-family`, inherited by every
//!   `<text>`): Liberation Sans, then Arial (same metrics), then any sans.
//! - No external reference of any kind: no `href`, no `src`, no `url()` but
//!   the internal `clip-path="url(#id)"` of a clip, which points to a
//!   `<clipPath>` of the same element. Clip ids are `{prefix}-clip-{n}`:
//!   give each figure of a page its own prefix so ids stay unique. The
//!   `xmlns` value is a namespace name, never fetched.

use super::{Anchor, Figure, Fill, Item, Path, Rect, Rgb, Stroke, Text};

/// The fonts asked for, first available wins.
pub const FONT_FAMILY: &str = "Liberation Sans, Arial, sans-serif";

/// The SVG of `fig`, its clip ids starting with `id_prefix` (characters
/// other than ASCII letters, digits, `-` and `_` become `_`, and an `f` is
/// put first unless it starts with a letter or `_`, so the id is valid).
pub fn to_svg(fig: &Figure, id_prefix: &str) -> String {
    let mut w = Writer {
        out: String::new(),
        prefix: id_token(id_prefix),
        clips: 0,
    };
    w.out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" \
         width=\"{w}pt\" height=\"{h}pt\" role=\"img\" aria-label=\"{label}\" \
         font-family=\"{FONT_FAMILY}\">\n",
        w = num(size(fig.width_pt)),
        h = num(size(fig.height_pt)),
        label = escape(&fig.title),
    ));
    w.items(&fig.items);
    w.out.push_str("</svg>\n");
    w.out
}

struct Writer {
    out: String,
    prefix: String,
    clips: usize,
}

impl Writer {
    fn items(&mut self, items: &[Item]) {
        for item in items {
            match item {
                Item::Path(p) => self.out.push_str(&path(p)),
                Item::Text(t) => self.out.push_str(&text(t)),
                Item::Clip { rect, items } => self.clip(rect, items),
            }
        }
    }

    fn clip(&mut self, rect: &Rect, items: &[Item]) {
        let id = format!("{}-clip-{}", self.prefix, self.clips);
        self.clips += 1;
        self.out.push_str(&format!(
            "<clipPath id=\"{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>\n",
            num(rect.x),
            num(rect.y),
            num(size(rect.width)),
            num(size(rect.height)),
        ));
        self.out
            .push_str(&format!("<g clip-path=\"url(#{id})\">\n"));
        self.items(items);
        self.out.push_str("</g>\n");
    }
}

/// `v` written with at most `places` decimals, trailing zeros dropped, no
/// `-0`; a value that is not finite is written `0`.
fn decimals(v: f64, places: usize) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let s = format!("{v:.places$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A coordinate, rounded to 0.1.
fn num(v: f64) -> String {
    decimals(v, 1)
}

/// A width or height: never negative.
fn size(v: f64) -> f64 {
    if v > 0.0 { v } else { 0.0 }
}

fn color(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The text with `& < > " '` escaped and the characters XML forbids
/// dropped; safe in content and in a double-quoted attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A valid id start from any prefix (see [`to_svg`]).
fn id_token(prefix: &str) -> String {
    let clean: String = prefix
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' => c,
            _ => '_',
        })
        .collect();
    match clean.chars().next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => clean,
        _ => format!("f{clean}"),
    }
}

/// The `d` attribute: `M x y L x y … Z`.
fn path_data(p: &Path) -> String {
    let mut d = String::new();
    for (i, &(x, y)) in p.points.iter().enumerate() {
        if i > 0 {
            d.push(' ');
        }
        d.push_str(if i == 0 { "M " } else { "L " });
        d.push_str(&num(x));
        d.push(' ');
        d.push_str(&num(y));
    }
    if p.closed && !p.points.is_empty() {
        d.push_str(" Z");
    }
    d
}

fn path(p: &Path) -> String {
    format!(
        "<path d=\"{}\"{}{}/>\n",
        path_data(p),
        fill_attributes(p.fill.as_ref()),
        stroke_attributes(p.stroke.as_ref())
    )
}

fn fill_attributes(fill: Option<&Fill>) -> String {
    let Some(f) = fill else {
        return " fill=\"none\"".to_string();
    };
    let opacity = f.opacity.clamp(0.0, 1.0);
    if opacity < 1.0 {
        format!(
            " fill=\"{}\" fill-opacity=\"{}\"",
            color(f.color),
            decimals(opacity, 3)
        )
    } else {
        format!(" fill=\"{}\"", color(f.color))
    }
}

/// The stroke's attributes; `stroke="none"` is written even though it is
/// SVG's default, as some renderers outline filled shapes otherwise.
fn stroke_attributes(stroke: Option<&Stroke>) -> String {
    let Some(st) = stroke else {
        return " stroke=\"none\"".to_string();
    };
    let mut s = format!(
        " stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\"",
        color(st.color),
        decimals(size(st.width), 2)
    );
    let dash: Vec<String> = st
        .dash
        .iter()
        .flatten()
        .map(|&v| decimals(size(v), 2))
        .collect();
    if dash.iter().any(|d| d != "0") {
        s.push_str(&format!(" stroke-dasharray=\"{}\"", dash.join(" ")));
    }
    s
}

fn text(t: &Text) -> String {
    let anchor = match t.anchor {
        Anchor::Start => "start",
        Anchor::Middle => "middle",
        Anchor::End => "end",
    };
    let weight = if t.bold { " font-weight=\"bold\"" } else { "" };
    format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{weight} text-anchor=\"{anchor}\" fill=\"{}\">{}</text>\n",
        num(t.pos.0),
        num(t.pos.1),
        decimals(size(t.size_pt), 2),
        color(t.color),
        escape(&t.text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::chart::{self, ChartSpec, MarkSpec, SeriesSpec, TargetSpec};

    /// Checks that `xml` is one well-formed element: tags balanced and
    /// properly nested, attributes quoted and not repeated, every `&` an
    /// entity, no raw `<` in text or attributes, only blanks outside.
    fn well_formed(xml: &str) -> Result<(), String> {
        let mut stack: Vec<&str> = Vec::new();
        let (mut rest, mut roots) = (xml, 0);
        while let Some(start) = rest.find('<') {
            let outside = stack.is_empty();
            check_text(&rest[..start], outside)?;
            let len = rest[start..].find('>').ok_or("a tag is not closed")?;
            let tag = &rest[start + 1..start + len];
            rest = &rest[start + len + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                match stack.pop() {
                    Some(open) if open == name.trim() => {}
                    other => return Err(format!("</{name}> closes {other:?}")),
                }
                continue;
            }
            let (body, empty) = match tag.strip_suffix('/') {
                Some(b) => (b, true),
                None => (tag, false),
            };
            let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
            let name = &body[..name_end];
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == ':') {
                return Err(format!("bad tag name in <{tag}>"));
            }
            check_attributes(&body[name_end..])?;
            if outside {
                roots += 1;
            }
            if !empty {
                stack.push(name);
            }
        }
        check_text(rest, stack.is_empty())?;
        match (stack.is_empty(), roots) {
            (true, 1) => Ok(()),
            (false, _) => Err(format!("unclosed: {stack:?}")),
            (_, n) => Err(format!("{n} root elements")),
        }
    }

    fn check_text(s: &str, outside: bool) -> Result<(), String> {
        if outside && !s.trim().is_empty() {
            return Err(format!("text outside the root: {s:?}"));
        }
        check_entities(s)
    }

    fn check_entities(s: &str) -> Result<(), String> {
        if s.contains('<') {
            return Err(format!("raw < in {s:?}"));
        }
        for (i, _) in s.match_indices('&') {
            let ok = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| s[i..].starts_with(e));
            if !ok {
                return Err(format!("bare & in {s:?}"));
            }
        }
        Ok(())
    }

    fn check_attributes(mut s: &str) -> Result<(), String> {
        let mut names = Vec::new();
        loop {
            s = s.trim_start();
            if s.is_empty() {
                return Ok(());
            }
            let eq = s
                .find('=')
                .ok_or(format!("attribute without value: {s:?}"))?;
            let name = &s[..eq];
            if name.is_empty() || name.contains(char::is_whitespace) || names.contains(&name) {
                return Err(format!("bad or repeated attribute {name:?}"));
            }
            names.push(name);
            let value = s[eq + 1..]
                .strip_prefix('"')
                .ok_or(format!("{name} not quoted"))?;
            let end = value.find('"').ok_or(format!("{name} not closed"))?;
            check_entities(&value[..end])?;
            s = &value[end + 1..];
        }
    }

    fn fmt(v: f64, step: f64) -> String {
        let decimals = if step >= 1.0 { 0 } else { 1 };
        format!("{v:.decimals$}")
    }

    fn small_chart() -> ChartSpec {
        let points = |vals: &[f64]| -> Vec<(f64, f64)> {
            vals.iter()
                .enumerate()
                .map(|(i, &v)| (2020.0 + 5.0 * i as f64, v))
                .collect()
        };
        ChartSpec {
            title: "Jobs & \"growth\" <2050>".to_string(),
            y_label: "thousand jobs".to_string(),
            series: vec![
                SeriesSpec {
                    label: "Scenario 'A'".to_string(),
                    points: points(&[10.0, 12.0, 15.0, 19.0]),
                    dashed: false,
                    color_index: 0,
                },
                SeriesSpec {
                    label: "Compared".to_string(),
                    points: points(&[10.0, 11.0, 12.0, 13.0]),
                    dashed: true,
                    color_index: 3,
                },
            ],
            bands: vec![chart::BandSpec {
                label: "90 %".to_string(),
                x: vec![2025.0, 2030.0, 2035.0],
                lo: vec![11.0, 13.0, 16.0],
                hi: vec![13.0, 17.0, 22.0],
                color_index: 0,
            }],
            observations: vec![MarkSpec {
                x: 2020.0,
                y: 10.2,
                label: "HCP".to_string(),
            }],
            targets: vec![TargetSpec {
                x: 2035.0,
                y: 20.0,
                label: "Goal".to_string(),
            }],
            series_break: Some((2022.0, "New base".to_string())),
            observations_label: "Observed".to_string(),
            targets_label: "Target".to_string(),
            ..ChartSpec::default()
        }
    }

    #[test]
    fn golden_small_chart() {
        let fig = chart::chart(&small_chart(), 300.0, 200.0, &fmt);
        let svg = to_svg(&fig, "c1");
        well_formed(&svg)
            .map_err(|e| format!("{e}\n{svg}"))
            .unwrap();
        for key in [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 200\" width=\"300pt\" height=\"200pt\" role=\"img\"",
            "aria-label=\"Jobs &amp; &quot;growth&quot; &lt;2050&gt;\"",
            "font-family=\"Liberation Sans, Arial, sans-serif\"",
            "<clipPath id=\"c1-clip-0\"><rect x=",
            "<g clip-path=\"url(#c1-clip-0)\">",
            "stroke-dasharray=\"5 3\"",
            "stroke-dasharray=\"4 3\"",
            "fill-opacity=\"0.25\"",
            "fill=\"none\" stroke=\"#0072b2\" stroke-width=\"1.5\"",
            "fill=\"#d55e00\"",
            "text-anchor=\"end\"",
            "text-anchor=\"middle\" fill=\"#333333\">2020</text>",
            "text-anchor=\"middle\" fill=\"#333333\">2035</text>",
            ">Scenario &apos;A&apos;</text>",
            "font-weight=\"bold\"",
            ">Goal</text>",
            ">New base</text>",
            ">thousand jobs</text>",
            ">10</text>",
            ">25</text>",
            " Z\"",
        ] {
            assert!(svg.contains(key), "missing {key:?} in\n{svg}");
        }
        assert!(svg.ends_with("</g>\n</svg>\n") || svg.ends_with("</text>\n</svg>\n"));
    }

    #[test]
    fn the_svg_has_as_many_paths_as_the_figure() {
        let fig = chart::chart(&small_chart(), 300.0, 200.0, &fmt);
        let svg = to_svg(&fig, "c");
        assert_eq!(svg.matches("<path ").count(), fig.count_paths());
    }

    #[test]
    fn no_external_references() {
        let fig = chart::chart(&small_chart(), 300.0, 200.0, &fmt);
        let svg = to_svg(&fig, "c");
        assert!(!svg.contains("href") && !svg.contains("src=") && !svg.contains("<image"));
        for (i, _) in svg.match_indices("url(") {
            assert!(svg[i..].starts_with("url(#c-clip-"), "{}", &svg[i..i + 20]);
        }
    }

    #[test]
    fn every_edge_case_chart_is_well_formed() {
        let mut nasty = small_chart();
        nasty.title = "a\u{1}b & <c> \u{a0}d".to_string();
        nasty.series[0].points.push((2040.0, f64::NAN));
        for spec in [ChartSpec::default(), nasty] {
            for (w, h) in [(300.0, 200.0), (0.0, 0.0), (50.0, 30.0)] {
                let svg = to_svg(&chart::chart(&spec, w, h, &fmt), "x");
                well_formed(&svg)
                    .map_err(|e| format!("{e}\n{svg}"))
                    .unwrap();
                assert!(!svg.contains('\u{1}'));
            }
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape("a & b < c > d \"e\" 'f'"),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;"
        );
        assert_eq!(escape("148\u{a0}500 \u{202f}%"), "148\u{a0}500 \u{202f}%");
        assert_eq!(escape("x\u{0}\u{1b}y\tz"), "xy\tz");
    }

    #[test]
    fn numbers_are_rounded_without_minus_zero() {
        assert_eq!(num(1.25), "1.2");
        assert_eq!(num(1.26), "1.3");
        assert_eq!(num(3.0), "3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(-2.5), "-2.5");
        assert_eq!(num(100.0), "100");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(decimals(0.25, 3), "0.25");
        assert_eq!(decimals(0.5, 2), "0.5");
    }

    #[test]
    fn clip_ids_are_unique_per_prefix_and_valid() {
        let rect = Rect {
            x: 0.0,
            y: 0.0,
            width: -3.0,
            height: 5.0,
        };
        let inner = Item::Clip {
            rect,
            items: Vec::new(),
        };
        let fig = Figure {
            width_pt: 10.0,
            height_pt: 10.0,
            title: String::new(),
            items: vec![
                Item::Clip {
                    rect,
                    items: vec![inner],
                },
                Item::Clip {
                    rect,
                    items: Vec::new(),
                },
            ],
        };
        let svg = to_svg(&fig, "9 chart\"");
        well_formed(&svg).unwrap();
        for id in ["f9_chart_-clip-0", "f9_chart_-clip-1", "f9_chart_-clip-2"] {
            assert_eq!(svg.matches(&format!("id=\"{id}\"")).count(), 1, "{svg}");
        }
        assert!(svg.contains("width=\"0\""));
        assert_eq!(id_token("fig-2"), "fig-2");
        assert_eq!(id_token(""), "f");
        assert_eq!(id_token("_a"), "_a");
    }

    #[test]
    fn paths_write_their_style() {
        let fill = Fill {
            color: Rgb(1, 2, 3),
            opacity: 0.25,
        };
        let stroke = Stroke {
            color: Rgb(255, 0, 16),
            width: 0.75,
            dash: Some(vec![2.0, 1.5]),
        };
        let p = Path::shape(
            vec![(0.04, -0.04), (10.0, 0.0), (5.0, 7.25)],
            fill,
            Some(stroke),
        );
        assert_eq!(
            path(&p),
            "<path d=\"M 0 0 L 10 0 L 5 7.2 Z\" fill=\"#010203\" fill-opacity=\"0.25\" \
             stroke=\"#ff0010\" stroke-width=\"0.75\" stroke-linejoin=\"round\" \
             stroke-dasharray=\"2 1.5\"/>\n"
        );
        let open = Path {
            points: Vec::new(),
            closed: true,
            stroke: None,
            fill: None,
        };
        assert_eq!(
            path(&open),
            "<path d=\"\" fill=\"none\" stroke=\"none\"/>\n"
        );
    }
}
