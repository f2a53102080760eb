//! The brief: a scenario as a document an adviser hands on (issue 18).
//! `content` gathers what it says, in one language; `html` writes it as
//! one self-contained HTML file, `pdf` as A4 pages. UI-free: the CLI
//! (`trajectoire brief`) and the window (File > Export brief) both call
//! [`write`].

pub mod content;
pub mod html;
pub mod pdf;

pub use content::{Brief, DeckStep, Input, gather, gather_deck};

/// The formats a brief is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

/// The brief of `input` in `format`, as bytes to save.
pub fn write(input: &Input, format: Format) -> Result<Vec<u8>, String> {
    write_brief(&gather(input), format)
}

/// `brief` in `format`, as bytes to save.
pub fn write_brief(brief: &Brief, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Html => Ok(html::to_html(brief).into_bytes()),
        Format::Pdf => pdf::to_pdf(brief),
    }
}

/// Today's date (UTC), `2026-12-01`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of day `z` since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_423), (2025, 12, 1));
        assert_eq!(super::civil_from_days(11_016), (2000, 2, 29));
    }
}
