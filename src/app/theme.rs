//! Colours: the Okabe-Ito palette (safe for the common colour-blindnesses),
//! one fixed colour per series position, so a segment keeps its colour
//! across every chart.

use eframe::egui::{self, Color32, Visuals};

/// Okabe & Ito (2008), "Color Universal Design".
pub const PALETTE: [Color32; 7] = [
    Color32::from_rgb(0x00, 0x72, 0xB2), // blue
    Color32::from_rgb(0x56, 0xB4, 0xE9), // sky blue
    Color32::from_rgb(0x00, 0x9E, 0x73), // bluish green
    Color32::from_rgb(0xE6, 0x9F, 0x00), // orange
    Color32::from_rgb(0xCC, 0x79, 0xA7), // reddish purple
    Color32::from_rgb(0xD5, 0x5E, 0x00), // vermillion
    Color32::from_rgb(0xF0, 0xE4, 0x42), // yellow
];

/// Colour of the `i`-th series of a chart.
pub fn series_color(i: usize) -> Color32 {
    PALETTE[i % PALETTE.len()]
}

/// Compared scenarios: orange, reddish purple, bluish green, then black
/// (white on the dark theme); the scenario itself is blue.
pub fn compare_color(i: usize, dark: bool) -> Color32 {
    match i % 4 {
        0 => PALETTE[3],
        1 => PALETTE[4],
        2 => PALETTE[2],
        _ => observed(dark),
    }
}

/// Targets stand out in vermillion on both themes.
pub const TARGET: Color32 = Color32::from_rgb(0xD5, 0x5E, 0x00);

pub fn baseline(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(150)
    } else {
        Color32::from_gray(120)
    }
}

pub fn observed(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(235)
    } else {
        Color32::from_gray(20)
    }
}

pub fn projection_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(255, 255, 255, 10)
    } else {
        Color32::from_rgba_unmultiplied(0, 0, 40, 12)
    }
}

pub fn good(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x3D, 0xC8, 0x9A)
    } else {
        Color32::from_rgb(0x00, 0x7A, 0x55)
    }
}

pub fn bad(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0xFF, 0x8A, 0x4C)
    } else {
        Color32::from_rgb(0xB3, 0x40, 0x00)
    }
}

/// Warnings (units that do not add up): amber, told apart from errors.
pub fn warn(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0xF0, 0xC0, 0x40)
    } else {
        Color32::from_rgb(0x8A, 0x5A, 0x00)
    }
}

pub fn visuals(dark: bool) -> Visuals {
    let mut v = if dark {
        Visuals::dark()
    } else {
        Visuals::light()
    };
    v.slider_trailing_fill = true;
    v
}

/// Adds Liberation Sans (shipped for the PDF brief) after egui's own fonts,
/// for the glyphs they lack: egui's Ubuntu Light has no narrow no-break
/// space (U+202F), which French texts put before `;`, `?`, `%` and inside
/// numbers, and would draw it as a box. Fallback only: every glyph egui's
/// fonts have is drawn as before.
pub fn install_fonts(ctx: &egui::Context) {
    use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
    let families = [egui::FontFamily::Proportional, egui::FontFamily::Monospace]
        .into_iter()
        .map(|family| InsertFontFamily {
            family,
            priority: FontPriority::Lowest,
        })
        .collect();
    ctx.add_font(FontInsert::new(
        "liberation-sans",
        egui::FontData::from_static(crate::brief::pdf::REGULAR),
        families,
    ));
}
