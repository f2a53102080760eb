//! The one registry of what Trajectoire can open: each kind of file, how its
//! name ends, what it is called in a dialog, how it is told by its content,
//! and which loader opens it. The command line opens every file through
//! [`open`]; the window's dialogs, in-app browser, drag and drop and
//! File > Examples ask [`Intent`], [`can_open`] and [`examples`].
//!
//! A new format (XMILE, Vensim) is one more [`FileKind`], one module beside
//! this one for its loader, and the arms the compiler then asks for.
//!
//! No egui here.

pub mod mdl;
pub mod observations;
pub mod sd_common;
mod sniff;
pub mod xmile;

use std::path::{Path, PathBuf};

pub use sniff::{SNIFF_BYTES, sniff_bytes, sniff_text};

use crate::deck::{self, LoadedDeck};
use crate::model::Lang;
use crate::model::error::{ErrorKind, Item, Location, ModelError, ModelErrors};
use crate::scenario::{self, Opened};

/// A kind of file Trajectoire opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// A sector model (`NAME.ron`, `Model(...)`).
    Model,
    /// Lever values over a model (`NAME.ron`, `Scenario(...)`).
    Scenario,
    /// A presentation (`NAME.deck.ron`, `Deck(...)`).
    Deck,
    /// A model in XMILE, the modelling tools' exchange format (`.xmile`,
    /// `.xml`, Stella's `.stmx`; `<xmile ...>`), read by [`xmile`].
    Xmile,
    /// A model in Vensim's text format (`.mdl`; `{UTF-8}` first, or
    /// `name = ... ~ ... ~ ... |` records), read by [`mdl`].
    Vensim,
}

impl FileKind {
    /// Every kind, in the order dialogs list them.
    pub const ALL: [FileKind; 5] = [
        FileKind::Model,
        FileKind::Scenario,
        FileKind::Deck,
        FileKind::Xmile,
        FileKind::Vensim,
    ];

    /// How the name of a file of this kind ends, dot included: a scenario
    /// and a model share `.ron`; a deck is `NAME.deck.ron`.
    pub fn suffixes(self) -> &'static [&'static str] {
        match self {
            FileKind::Model | FileKind::Scenario => &[".ron"],
            FileKind::Deck => &[deck::DECK_SUFFIX],
            FileKind::Xmile => &[".xmile", ".stmx", ".xml"],
            FileKind::Vensim => &[".mdl"],
        }
    }

    /// The suffix a file of this kind is saved with.
    pub fn save_suffix(self) -> &'static str {
        self.suffixes()[0]
    }

    /// What a native dialog filters on: extensions without the dot, and only
    /// the part after the last dot (native dialogs match no more, so a deck
    /// filters on `ron` too).
    pub fn dialog_extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Model | FileKind::Scenario | FileKind::Deck => &["ron"],
            FileKind::Xmile => &["xmile", "stmx", "xml"],
            FileKind::Vensim => &["mdl"],
        }
    }

    /// The name of this kind in a dialog.
    pub fn label(self, lang: Lang) -> &'static str {
        let (fr, en) = match self {
            FileKind::Model => ("Modèle", "Model"),
            FileKind::Scenario => ("Scénario", "Scenario"),
            FileKind::Deck => ("Présentation", "Deck"),
            FileKind::Xmile => ("Modèle XMILE", "XMILE model"),
            FileKind::Vensim => ("Modèle Vensim", "Vensim model"),
        };
        match lang {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// The struct name a RON file of this kind starts with, if it has one.
    pub fn ron_struct_name(self) -> Option<&'static str> {
        Some(match self {
            FileKind::Model => "Model",
            FileKind::Scenario => "Scenario",
            FileKind::Deck => "Deck",
            FileKind::Xmile | FileKind::Vensim => return None,
        })
    }

    /// The kinds a file's name says it may be, most likely first; empty when
    /// its name is none of Trajectoire's. Looks at the name only (no I/O).
    pub fn by_name(path: &Path) -> Vec<FileKind> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        // The longest matching suffix wins: `x.deck.ron` is a deck only.
        let best = FileKind::ALL
            .iter()
            .flat_map(|k| k.suffixes())
            .filter(|s| name.len() > s.len() && name.ends_with(*s))
            .map(|s| s.len())
            .max();
        let Some(best) = best else {
            return Vec::new();
        };
        FileKind::ALL
            .into_iter()
            .filter(|k| {
                k.suffixes()
                    .iter()
                    .any(|s| s.len() == best && name.ends_with(s))
            })
            .collect()
    }
}

/// Whether the name of `path` is one Trajectoire opens: for the in-app
/// browser's listing and for drag and drop. Looks at the name only (no I/O,
/// cheap enough for every frame); [`open`] then tells by content.
pub fn can_open(path: &Path) -> bool {
    !FileKind::by_name(path).is_empty()
}

/// The kind of the file at `path`: by its first bytes (at most
/// [`SNIFF_BYTES`], read through the size-limited reader, so a file over the
/// size limit is refused here), else by its name. A file that is neither is
/// refused with an error naming it.
pub fn detect(path: &Path) -> Result<FileKind, ModelError> {
    let head = crate::io::read_head(path, SNIFF_BYTES)?;
    detect_head(path, &head).ok_or_else(|| not_ours(path))
}

/// The kind of a file from its first bytes, else its name.
pub fn detect_head(path: &Path, head: &[u8]) -> Option<FileKind> {
    sniff_bytes(head).or_else(|| FileKind::by_name(path).first().copied())
}

fn not_ours(path: &Path) -> ModelError {
    let mut e = ModelError::new(
        ErrorKind::Format,
        Item::Model,
        "",
        "Trajectoire cannot open this file: it is not a model (NAME.ron, XMILE: \
         NAME.xmile, NAME.stmx, or Vensim: NAME.mdl), a scenario (NAME.ron) or a deck \
         (NAME.deck.ron)",
    );
    e.location = Some(Box::new(Location {
        file: Some(path.to_path_buf()),
        line: 1,
        col: 1,
    }));
    e
}

/// A file once opened, whatever its kind.
#[derive(Clone, Debug)]
pub enum OpenedFile {
    /// A model, with its levers at their defaults (`scenario` is `None`).
    Model(Opened),
    /// A scenario and the model it runs on.
    Scenario(Opened),
    Deck(LoadedDeck),
}

impl OpenedFile {
    pub fn kind(&self) -> FileKind {
        match self {
            OpenedFile::Model(_) => FileKind::Model,
            OpenedFile::Scenario(_) => FileKind::Scenario,
            OpenedFile::Deck(_) => FileKind::Deck,
        }
    }

    /// The model and levers, for a model or a scenario; `None` for a deck.
    pub fn into_document(self) -> Option<Opened> {
        match self {
            OpenedFile::Model(o) | OpenedFile::Scenario(o) => Some(o),
            OpenedFile::Deck(_) => None,
        }
    }
}

/// Opens any file Trajectoire knows: its kind told by [`detect`], then its
/// loader. Every error names the file, line and column.
pub fn open(path: &Path) -> Result<OpenedFile, ModelErrors> {
    let kind = detect(path).map_err(|e| ModelErrors(vec![e]))?;
    open_as(kind, path)
}

/// [`open`], the data variables of a Vensim model given their values by
/// the `data` files (Vensim's data files named for a run); refused for
/// any other kind of file, which has no such variables.
pub fn open_with(path: &Path, data: &[PathBuf]) -> Result<OpenedFile, ModelErrors> {
    if data.is_empty() {
        return open(path);
    }
    let kind = detect(path).map_err(|e| ModelErrors(vec![e]))?;
    if kind != FileKind::Vensim {
        let e = ModelError::new(
            crate::model::ErrorKind::Invalid,
            crate::model::error::Item::Model,
            "data",
            format!(
                "{}: data files are given to Vensim models (`.mdl`), whose data variables \
                 read them; this file is not one",
                path.display()
            ),
        );
        return Err(ModelErrors(vec![e]));
    }
    mdl::open_with(path, data).map(OpenedFile::Model)
}

/// Opens `path` with the loader of `kind`.
pub fn open_as(kind: FileKind, path: &Path) -> Result<OpenedFile, ModelErrors> {
    match kind {
        // One loader for both: it tells them apart on the whole text.
        FileKind::Model | FileKind::Scenario => scenario::open(path).map(|o| {
            if o.scenario.is_some() {
                OpenedFile::Scenario(o)
            } else {
                OpenedFile::Model(o)
            }
        }),
        FileKind::Deck => deck::open(path).map(OpenedFile::Deck),
        FileKind::Xmile => xmile::open(path).map(OpenedFile::Model),
        FileKind::Vensim => mdl::open(path).map(OpenedFile::Model),
    }
}

/// What a file dialog is for: which files it reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// File > Open: anything Trajectoire opens.
    Open,
    /// Pick a model or scenario to overlay.
    Compare,
    /// Pick a deck to present.
    Present,
    SaveScenario,
    SaveModel,
    SaveDeck,
    /// Where to write the shown series as CSV (not a file Trajectoire opens).
    ExportCsv,
    /// Where to write charts or a deck's steps as PNG.
    ExportPng,
    /// Where to write the scenario's brief (`crate::brief`): PDF, HTML.
    ExportBrief,
    ExportBriefHtml,
    /// Where to write the published explorer (`crate::publish::page`).
    PublishExplorer,
    /// A table of figures to import as observations (`observations`):
    /// a workbook or delimited text, not a file Trajectoire opens.
    ImportData,
}

/// One entry of a native dialog's filter list: a name and extensions
/// without the dot (what `rfd::FileDialog::add_filter` takes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialogFilter {
    pub name: String,
    pub extensions: Vec<&'static str>,
}

impl Intent {
    pub const ALL: [Intent; 12] = [
        Intent::Open,
        Intent::Compare,
        Intent::Present,
        Intent::SaveScenario,
        Intent::SaveModel,
        Intent::SaveDeck,
        Intent::ExportCsv,
        Intent::ExportPng,
        Intent::ExportBrief,
        Intent::ExportBriefHtml,
        Intent::PublishExplorer,
        Intent::ImportData,
    ];

    /// The kinds of file Trajectoire opens that this dialog is about; none
    /// for an export.
    pub fn kinds(self) -> &'static [FileKind] {
        match self {
            Intent::Open => &FileKind::ALL,
            Intent::Compare => &[
                FileKind::Model,
                FileKind::Scenario,
                FileKind::Xmile,
                FileKind::Vensim,
            ],
            Intent::Present | Intent::SaveDeck => &[FileKind::Deck],
            Intent::SaveScenario => &[FileKind::Scenario],
            // A model is saved as ours, or as XMILE for Stella, simlin, PySD.
            Intent::SaveModel => &[FileKind::Model, FileKind::Xmile],
            Intent::ExportCsv
            | Intent::ExportPng
            | Intent::ExportBrief
            | Intent::ExportBriefHtml
            | Intent::PublishExplorer
            | Intent::ImportData => &[],
        }
    }

    /// For a table of figures to read: its extensions (no dot) and the
    /// filter's name in French and English.
    fn data(self) -> Option<(&'static [&'static str], &'static str, &'static str)> {
        match self {
            Intent::ImportData => Some((
                &["xlsx", "xlsm", "xls", "ods", "csv", "tab", "tsv"],
                "Classeur, texte délimité",
                "Workbook, delimited text",
            )),
            _ => None,
        }
    }

    /// For an export: its extension (no dot) and its name in French and English.
    fn export(self) -> Option<(&'static str, &'static str, &'static str)> {
        match self {
            Intent::ExportCsv => Some(("csv", "Tableau CSV", "CSV table")),
            Intent::ExportPng => Some(("png", "Image PNG", "PNG image")),
            Intent::ExportBrief => Some(("pdf", "Document PDF", "PDF document")),
            Intent::ExportBriefHtml => Some(("html", "Document HTML", "HTML document")),
            Intent::PublishExplorer => Some(("html", "Page HTML", "HTML page")),
            _ => None,
        }
    }

    /// Whether the dialog picks where to write rather than what to read.
    pub fn saves(self) -> bool {
        self.save_suffix().is_some()
    }

    /// The suffix a file written by this dialog ends with (`.deck.ron`
    /// for a deck); `None` for a dialog that reads.
    pub fn save_suffix(self) -> Option<&'static str> {
        match self {
            Intent::Open | Intent::Compare | Intent::Present | Intent::ImportData => None,
            Intent::SaveScenario | Intent::SaveModel | Intent::SaveDeck => {
                Some(self.kinds()[0].save_suffix())
            }
            Intent::ExportCsv => Some(".csv"),
            Intent::ExportPng => Some(".png"),
            Intent::ExportBrief => Some(".pdf"),
            Intent::ExportBriefHtml => Some(".html"),
            Intent::PublishExplorer => Some(".html"),
        }
    }

    /// The filters of a native dialog: one per set of extensions, named by
    /// the kinds that share it, such as "Model, scenario, deck (*.ron)".
    pub fn filters(self, lang: Lang) -> Vec<DialogFilter> {
        if let Some((exts, fr, en)) = self.data() {
            let name = match lang {
                Lang::Fr => fr,
                Lang::En => en,
            };
            return vec![DialogFilter {
                name: format!("{name} ({})", globs(exts)),
                extensions: exts.to_vec(),
            }];
        }
        if let Some((ext, fr, en)) = self.export() {
            let name = match lang {
                Lang::Fr => fr,
                Lang::En => en,
            };
            return vec![DialogFilter {
                name: format!("{name} (*.{ext})"),
                extensions: vec![ext],
            }];
        }
        let mut filters: Vec<(Vec<FileKind>, &'static [&'static str])> = Vec::new();
        for &k in self.kinds() {
            let exts = k.dialog_extensions();
            match filters.iter_mut().find(|(_, e)| *e == exts) {
                Some((kinds, _)) => kinds.push(k),
                None => filters.push((vec![k], exts)),
            }
        }
        let mut all = Vec::new();
        if filters.len() > 1 && !self.saves() {
            // A dialog shows its first filter's files: first, all of them.
            let exts: Vec<&'static str> = filters
                .iter()
                .flat_map(|(_, e)| e.iter().copied())
                .collect();
            all.push(DialogFilter {
                name: format!("{} ({})", all_files(lang), globs(&exts)),
                extensions: exts,
            });
        }
        let by_kind = filters.into_iter().map(|(kinds, exts)| {
            let names: Vec<String> = kinds
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    let l = k.label(lang);
                    if i == 0 {
                        l.to_string()
                    } else {
                        l.to_lowercase()
                    }
                })
                .collect();
            DialogFilter {
                name: format!("{} ({})", names.join(", "), globs(exts)),
                extensions: exts.to_vec(),
            }
        });
        all.into_iter().chain(by_kind).collect()
    }

    /// Whether the in-app browser lists `path` for this dialog, by its name
    /// (no I/O): File > Open lists decks, Compare does not.
    pub fn lists(self, path: &Path) -> bool {
        if let Some((exts, _, _)) = self.data() {
            return path
                .extension()
                .is_some_and(|e| exts.iter().any(|x| e.eq_ignore_ascii_case(x)));
        }
        if let Some((ext, _, _)) = self.export() {
            return path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case(ext));
        }
        FileKind::by_name(path)
            .iter()
            .any(|k| self.kinds().contains(k))
    }

    /// For a save: `path` with the suffix this dialog writes (`talk`
    /// becomes `talk.deck.ron` for a deck, `a.ron` stays); a dialog that
    /// reads gets `path` back as it is.
    pub fn with_suffix(self, path: PathBuf) -> PathBuf {
        let Some(suffix) = self.save_suffix() else {
            return path;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let lower = name.to_lowercase();
        let kept = |s: &str| lower.ends_with(s) && name.len() > s.len();
        if kept(suffix)
            || self
                .kinds()
                .iter()
                .flat_map(|k| k.suffixes())
                .any(|s| kept(s) && *s != ".ron")
        {
            return path;
        }
        // `talk.ron` for a deck: `talk.deck.ron`, not `talk.ron.deck.ron`.
        let stem = match name.strip_suffix(".ron") {
            Some(s) if suffix.ends_with(".ron") && !s.is_empty() => s,
            _ => name.as_str(),
        };
        path.with_file_name(format!("{stem}{suffix}"))
    }
}

/// Writes `m` to `path` as the kind its name says: XMILE for `.xmile`,
/// `.stmx` or `.xml`, our RON otherwise. Atomic: a failed write leaves the
/// file as it was.
pub fn save_model(path: &Path, m: &crate::model::Model) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if FileKind::Xmile.suffixes().iter().any(|s| name.ends_with(s)) {
        let text = xmile::write(m).map_err(std::io::Error::other)?;
        crate::io::atomic::write_with_backup(path, text.as_bytes())
    } else {
        crate::model::load::save_model(path, m)
    }
}

/// `*.a, *.b`: extensions as a dialog's filter name lists them.
fn globs(exts: &[&str]) -> String {
    let g: Vec<String> = exts.iter().map(|e| format!("*.{e}")).collect();
    g.join(", ")
}

/// The name of a dialog's filter for every file it can read.
fn all_files(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Tous les fichiers possibles",
        Lang::En => "All usable files",
    }
}

/// The example files shipped in `saves/`, found beside the working folder or
/// the executable.
pub fn example_dir() -> Option<PathBuf> {
    let mut candidates = vec![PathBuf::from("saves")];
    if let Ok(exe) = std::env::current_exe() {
        for dir in exe.ancestors().skip(1).take(4) {
            candidates.push(dir.join("saves"));
        }
    }
    candidates.into_iter().find(|d| d.is_dir())
}

/// The shipped example files of `kind`'s name, sorted; by name only.
fn examples_named(wanted: FileKind) -> Vec<PathBuf> {
    let Some(dir) = example_dir() else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| FileKind::by_name(p).contains(&wanted))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// File > Examples: the shipped example scenarios (and models) in `saves/`,
/// sorted; decks are presented, not opened as scenarios, so none is listed.
pub fn examples() -> Vec<PathBuf> {
    examples_named(FileKind::Scenario)
}

/// The shipped example decks in `saves/`, sorted.
pub fn example_decks() -> Vec<PathBuf> {
    examples_named(FileKind::Deck)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_say_which_kinds_a_file_may_be() {
        let p = Path::new;
        assert_eq!(FileKind::by_name(p("a/story.deck.ron")), [FileKind::Deck]);
        assert_eq!(
            FileKind::by_name(p("a/b.RON")),
            [FileKind::Model, FileKind::Scenario]
        );
        assert!(FileKind::by_name(p("notes.txt")).is_empty());
        assert!(FileKind::by_name(p(".ron")).is_empty());
        assert!(can_open(p("x.ron")) && !can_open(p("x.csv")));
        assert_eq!(FileKind::by_name(p("teacup-upper.MDL")), [FileKind::Vensim]);
        assert!(Intent::Open.lists(p("s.deck.ron")));
        assert!(!Intent::Compare.lists(p("s.deck.ron")));
        assert!(Intent::Compare.lists(p("s.ron")));
        assert!(Intent::Present.lists(p("s.deck.ron")) && !Intent::Present.lists(p("s.ron")));
    }

    #[test]
    fn saves_get_their_kinds_suffix() {
        let d = Intent::SaveDeck;
        assert_eq!(
            d.with_suffix("t/talk".into()),
            PathBuf::from("t/talk.deck.ron")
        );
        assert_eq!(
            d.with_suffix("talk.ron".into()),
            PathBuf::from("talk.deck.ron")
        );
        assert_eq!(
            d.with_suffix("talk.deck.ron".into()),
            PathBuf::from("talk.deck.ron")
        );
        let s = Intent::SaveScenario;
        assert_eq!(s.with_suffix("a".into()), PathBuf::from("a.ron"));
        assert_eq!(s.with_suffix("a.ron".into()), PathBuf::from("a.ron"));
        assert_eq!(Intent::Open.with_suffix("a".into()), PathBuf::from("a"));
        let csv = Intent::ExportCsv;
        assert_eq!(csv.with_suffix("jobs".into()), PathBuf::from("jobs.csv"));
        assert_eq!(
            csv.with_suffix("jobs.CSV".into()),
            PathBuf::from("jobs.CSV")
        );
        assert!(csv.lists(Path::new("a.csv")) && !csv.lists(Path::new("a.ron")));
        assert!(!Intent::ExportPng.lists(Path::new("a.ron")));
        // Import reads tables, which it does not rename.
        let data = Intent::ImportData;
        assert!(data.lists(Path::new("figures.XLSX")) && data.lists(Path::new("f.tsv")));
        assert!(!data.lists(Path::new("s.ron")) && !data.saves());
        assert_eq!(data.with_suffix("f.csv".into()), PathBuf::from("f.csv"));
        assert_eq!(
            data.filters(Lang::En)[0].name,
            "Workbook, delimited text (*.xlsx, *.xlsm, *.xls, *.ods, *.csv, *.tab, *.tsv)"
        );
    }

    #[test]
    fn every_dialog_has_a_filter_named_in_both_languages() {
        for i in Intent::ALL {
            for lang in [Lang::Fr, Lang::En] {
                let f = i.filters(lang);
                assert!(!f.is_empty() && f.iter().all(|f| !f.extensions.is_empty()));
            }
        }
        let open = Intent::Open.filters(Lang::En);
        assert_eq!(
            open[0].name,
            "All usable files (*.ron, *.xmile, *.stmx, *.xml, *.mdl)"
        );
        assert_eq!(open[1].name, "Model, scenario, deck (*.ron)");
        assert_eq!(open[2].name, "XMILE model (*.xmile, *.stmx, *.xml)");
        assert_eq!(open[3].name, "Vensim model (*.mdl)");
        assert_eq!(
            Intent::Present.filters(Lang::Fr)[0].name,
            "Présentation (*.ron)"
        );
        assert_eq!(
            Intent::ExportPng.filters(Lang::Fr),
            [DialogFilter {
                name: "Image PNG (*.png)".into(),
                extensions: vec!["png"]
            }]
        );
    }
}
