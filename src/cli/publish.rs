//! `trajectoire publish FILE [--lang fr|en] [--out PATH]`: the scenario
//! (or a deck, as a story) as one self-contained HTML page that runs the
//! model offline (`crate::publish::page`), saved atomically.

use std::path::{Path, PathBuf};

use super::{CommandResult, Outcome, open_or_default};
use crate::i18n::Lang;
use crate::publish::page::{self, Page};

pub fn publish(file: Option<&Path>, lang: Lang, out: Option<&Path>) -> CommandResult {
    let html = match super::deck_of(file)? {
        Some(d) => page::deck_html(&d, lang),
        None => {
            let opened = open_or_default(file, &[])?;
            page::explorer_html(&Page::of_opened(&opened, lang), lang)
        }
    }
    .map_err(|e| format!("cannot publish: {e}\n"))?;
    let out = out.map_or_else(|| default_out(file), Path::to_path_buf);
    crate::io::atomic::write(&out, html.as_bytes())
        .map_err(|e| format!("{}: {e}\n", out.display()))?;
    Ok(Outcome::ok(format!(
        "{} ({} kB)\n",
        out.display(),
        html.len().div_ceil(1024)
    )))
}

/// `talent_crunch.explorer.html` for `saves/talent_crunch.ron`
/// (`story.explorer.html` for `story.deck.ron`), in the current folder.
fn default_out(file: Option<&Path>) -> PathBuf {
    PathBuf::from(format!("{}.explorer.html", super::output_stem(file)))
}

#[cfg(test)]
mod tests {
    use super::default_out;
    use std::path::{Path, PathBuf};

    #[test]
    fn the_page_is_named_after_the_file() {
        let out = |f: &str| default_out(Some(Path::new(f)));
        assert_eq!(
            out("saves/talent_crunch.ron"),
            PathBuf::from("talent_crunch.explorer.html")
        );
        assert_eq!(
            out("saves/story.deck.ron"),
            PathBuf::from("story.explorer.html")
        );
        assert_eq!(
            default_out(None),
            PathBuf::from("trajectoire.explorer.html")
        );
    }
}
