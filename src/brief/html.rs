//! The brief as one HTML file that opens in any browser, offline: polyglot
//! XHTML (it parses as XML), its style inline with print rules for A4,
//! charts as inline SVG, no script, no link, no image, no address fetched
//! (a source's address is printed as text).

use std::fmt::Write as _;

use super::content::{Block, Brief, Cell, Table};
use crate::figure::svg;
use crate::i18n::{Lang, Msg, tr};

/// Width and height of a chart, in points (A4 text width is about 480 pt).
pub const CHART_SIZE: (f64, f64) = (480.0, 250.0);

const STYLE: &str = "body{font-family:\"Liberation Sans\",Arial,Helvetica,sans-serif;font-size:10.5pt;line-height:1.4;color:#1a1a1a;max-width:46em;margin:2em auto;padding:0 1em}\
h1{font-size:20pt;margin:0 0 .2em}h2{font-size:15pt;margin:1.6em 0 .5em;break-after:avoid}h3{font-size:12pt;margin:1.2em 0 .4em;break-after:avoid}\
.subtitle{font-size:13pt;margin:0 0 1em}dl.facts{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;margin:0 0 1em}\
dl.facts dt{font-weight:bold}dl.facts dd{margin:0}.notes{white-space:pre-wrap;font-style:italic}\
table{border-collapse:collapse;margin:.5em 0;break-inside:avoid;font-size:9.5pt}th,td{padding:.25em .6em;border-bottom:1px solid #ccc;vertical-align:top}\
th{text-align:left;border-bottom:1.5px solid #555}td:first-child{min-width:12em}td.n{text-align:right;white-space:nowrap}\
figure{margin:1em 0;break-inside:avoid}figure svg{max-width:100%;height:auto}.note{font-size:9pt;color:#444}\
ol.refs{padding-left:0;list-style:none}ol.refs li{margin:.2em 0}footer{margin-top:2em;font-size:9pt;color:#555;border-top:1px solid #ccc;padding-top:.5em}\
@page{size:A4;margin:18mm}@media print{body{margin:0;max-width:none}}";

/// The whole document.
pub fn to_html(b: &Brief) -> String {
    let lang = if b.lang == Lang::Fr { "fr" } else { "en" };
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"{lang}\" xml:lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&b.full_title())
    );
    header(&mut s, b);
    let mut figures = 0;
    for section in &b.sections {
        let _ = writeln!(s, "<section>\n<h2>{}</h2>", esc(&section.heading));
        for block in &section.blocks {
            self::block(&mut s, b.lang, block, &mut figures);
        }
        let _ = writeln!(s, "</section>");
    }
    references(&mut s, b);
    let _ = writeln!(
        s,
        "<footer>{}{}{}</footer>\n</body>\n</html>",
        esc(tr(b.lang, Msg::BriefFingerprint)),
        esc(crate::i18n::colon(b.lang)),
        esc(&b.fingerprint)
    );
    s
}

fn header(s: &mut String, b: &Brief) {
    let _ = writeln!(s, "<header>\n<h1>{}</h1>", esc(&b.title));
    if !b.subtitle.is_empty() {
        let _ = writeln!(s, "<p class=\"subtitle\">{}</p>", esc(&b.subtitle));
    }
    let _ = writeln!(s, "<dl class=\"facts\">");
    for (k, v) in &b.facts {
        let _ = writeln!(s, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
    }
    let _ = writeln!(s, "</dl>");
    if !b.notes.trim().is_empty() {
        let _ = writeln!(s, "<p class=\"notes\">{}</p>", esc(&b.notes));
    }
    let _ = writeln!(s, "</header>");
}

fn block(s: &mut String, lang: Lang, block: &Block, figures: &mut usize) {
    match block {
        Block::Subheading(h) => {
            let _ = writeln!(s, "<h3>{}</h3>", esc(h));
        }
        Block::Paragraph(p) => {
            let _ = writeln!(s, "<p>{}</p>", esc(p));
        }
        Block::Note(p) => {
            let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(p));
        }
        Block::Table(t) => table(s, t),
        Block::Figure(spec) => {
            *figures += 1;
            let fig = super::figure(spec, lang, super::Format::Html);
            let _ = writeln!(
                s,
                "<figure>\n{}\n</figure>",
                svg::to_svg(&fig, &format!("fig{figures}"))
            );
        }
    }
}

fn table(s: &mut String, t: &Table) {
    let _ = write!(s, "<table>\n<thead><tr>");
    for h in &t.header {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    let _ = writeln!(s, "</tr></thead>\n<tbody>");
    for row in &t.rows {
        let _ = write!(s, "<tr>");
        for Cell { text, number } in row {
            let class = if *number { " class=\"n\"" } else { "" };
            let _ = write!(s, "<td{class}>{}</td>", esc(text));
        }
        let _ = writeln!(s, "</tr>");
    }
    let _ = writeln!(s, "</tbody>\n</table>");
}

fn references(s: &mut String, b: &Brief) {
    if b.references.is_empty() {
        return;
    }
    let heading = tr(b.lang, Msg::BriefReferences);
    let _ = writeln!(
        s,
        "<section>\n<h2>{}</h2>\n<ol class=\"refs\">",
        esc(heading)
    );
    for r in &b.references {
        let _ = writeln!(s, "<li id=\"ref-{}\">{}</li>", r.number, esc(&r.text()));
    }
    let _ = writeln!(s, "</ol>\n</section>");
}

/// Decimals that show ticks `step` apart.
pub(super) fn tick_decimals(step: f64) -> usize {
    if !step.is_finite() || step <= 0.0 || step >= 1.0 {
        return 0;
    }
    ((-step.log10()).ceil().max(0.0) as usize).min(6)
}

fn esc(t: &str) -> String {
    svg::escape(t)
}
