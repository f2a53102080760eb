//! Equations as the editor shows them: tokens coloured by kind (levers,
//! variables, functions and tables, numbers), the error underlined, and the
//! names completion offers.

use eframe::egui::{self, Color32, TextFormat, text::LayoutJob};

use crate::app::theme;
use crate::model::def::{Model, VariableKind};
use crate::model::expr::lexer::{Tok, lex};
use crate::model::expr::{Builtin, Named};

/// The names an equation can use, by kind, for colours and completion.
pub struct Names {
    pub variables: Vec<String>,
    pub levers: Vec<String>,
    pub lookups: Vec<String>,
}

impl Names {
    pub fn of(m: &Model) -> Self {
        Names {
            variables: m.variables.iter().map(|v| v.id.clone()).collect(),
            levers: m.levers.iter().map(|l| l.id.clone()).collect(),
            lookups: m.lookups.iter().map(|l| l.id.clone()).collect(),
        }
    }

    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.variables
            .iter()
            .chain(&self.levers)
            .chain(&self.lookups)
            .map(String::as_str)
            .chain(Builtin::ALL.iter().map(|b| b.name()))
            .chain(Named::ALL.iter().map(|k| k.name()))
    }
}

/// Colours by token: levers, variables, functions and tables, numbers; the
/// error's span underlined in red.
pub fn highlight(src: &str, names: &Names, error: Option<(usize, usize)>, dark: bool) -> LayoutJob {
    let font = egui::FontId::monospace(13.0);
    let plain = if dark {
        Color32::from_gray(220)
    } else {
        Color32::from_gray(30)
    };
    let mut colors = vec![plain; src.len()];
    if let Ok(tokens) = lex(src) {
        for t in &tokens {
            let c = match &t.tok {
                Tok::Ident(s) if names.levers.contains(s) => theme::series_color(1),
                Tok::Ident(s) if names.variables.contains(s) => theme::series_color(0),
                Tok::Ident(s)
                    if names.lookups.contains(s)
                        || Builtin::from_name(s).is_some()
                        || Named::from_name(s).is_some() =>
                {
                    theme::TARGET
                }
                Tok::Num(_) => Color32::from_rgb(0, 158, 115),
                Tok::If | Tok::Then | Tok::Else | Tok::And | Tok::Or | Tok::Not => {
                    Color32::from_rgb(204, 121, 167)
                }
                _ => plain,
            };
            for x in colors
                .iter_mut()
                .take(t.span.end.min(src.len()))
                .skip(t.span.start)
            {
                *x = c;
            }
        }
    }
    let in_err = |i: usize| error.is_some_and(|(a, b)| i >= a && i < b.max(a + 1));
    let mut job = LayoutJob::default();
    let mut append = |text: &str, color: Color32, err: bool| {
        let mut fmt = TextFormat::simple(font.clone(), color);
        if err {
            fmt.underline = egui::Stroke::new(2.0, Color32::from_rgb(213, 94, 0));
        }
        job.append(text, 0.0, fmt);
    };
    // Runs of characters with the same colour and underline.
    let mut run = 0;
    let mut cur: Option<(Color32, bool)> = None;
    for (i, _) in src.char_indices() {
        let key = (colors[i], in_err(i));
        if cur != Some(key) {
            if let Some((c, e)) = cur {
                append(&src[run..i], c, e);
            }
            run = i;
            cur = Some(key);
        }
    }
    match cur {
        Some((c, e)) => append(&src[run..], c, e),
        None => append("", plain, false),
    }
    job
}

/// The names a variable's equations use, in order of first use.
pub fn used_names(m: &Model, id: &str) -> Vec<String> {
    let Some(v) = m.variable(id) else {
        return Vec::new();
    };
    let texts: Vec<&String> = match &v.kind {
        VariableKind::Aux { equation } => vec![equation],
        VariableKind::Stock {
            initial,
            change,
            inflows,
            outflows,
            ..
        } => {
            let mut t = vec![initial, change];
            t.extend(inflows.iter().chain(outflows));
            t
        }
        VariableKind::Data { .. } => Vec::new(),
    };
    let mut out: Vec<String> = Vec::new();
    for t in texts {
        if let Ok(tokens) = lex(t) {
            for (i, tok) in tokens.iter().enumerate() {
                if let Tok::Ident(s) = &tok.tok {
                    let called = tokens
                        .get(i + 1)
                        .is_some_and(|n| matches!(n.tok, Tok::LParen));
                    let known = m.variable(s).is_some() || m.lever(s).is_some();
                    if !called && known && s != id && !out.contains(s) {
                        out.push(s.clone());
                    }
                }
            }
        }
    }
    out
}
