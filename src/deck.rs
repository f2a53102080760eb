//! Presentation decks: an ordered list of steps, each a scenario (a file
//! beside the deck, or inline), the charts to show, a title, a caption and
//! presenter notes, in French and English. Saved as RON (`NAME.deck.ron`).
//! No egui here: the presenter view reads a [`LoadedDeck`].

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::io::{check_format_version, locate_key, parse_ron};
use crate::model::error::{ErrorKind, Item, ModelError, ModelErrors};
use crate::model::{CompiledModel, Location, Text};
use crate::scenario::{self, Scenario};

/// The deck file format this build writes. Files with a larger number are refused.
pub const DECK_FORMAT_VERSION: u32 = 1;

/// How deck files end, so that they are told from scenarios by name too.
pub const DECK_SUFFIX: &str = ".deck.ron";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deck {
    pub format_version: u32,
    pub title: Text,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: Text,
    /// One or two sentences shown under the title.
    #[serde(default)]
    pub caption: Text,
    /// For the presenter only: shown in a second window, never on the projector.
    #[serde(default)]
    pub notes: Text,
    pub scenario: StepScenario,
    /// Chart ids of the model to show; empty shows the model's main charts.
    #[serde(default)]
    pub charts: Vec<String>,
    /// Whether the step shows uncertainty bands and odds.
    #[serde(default)]
    pub bands: bool,
    /// Shows the model map in place of the charts, maybe one loop of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map: Option<MapStep>,
}

/// A step that shows the model map: the whole of it, or one feedback loop
/// highlighted and framed (by the loop's key, `model::structure::Loop`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MapStep {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loop_key: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StepScenario {
    /// A scenario file, relative to the deck's folder.
    File(String),
    Inline(Box<Scenario>),
}

/// A step ready to show: its model and lever values.
#[derive(Clone, Debug)]
pub struct LoadedStep {
    pub step: Step,
    pub model: CompiledModel,
    pub levers: Vec<f64>,
}

#[derive(Clone, Debug)]
pub struct LoadedDeck {
    pub deck: Deck,
    pub steps: Vec<LoadedStep>,
    pub file: Option<PathBuf>,
}

/// Whether RON text holds a deck (`Deck(...)`); the registry
/// ([`crate::formats`]) tells.
pub fn is_deck_text(text: &str) -> bool {
    crate::formats::sniff_text(text) == Some(crate::formats::FileKind::Deck)
}

/// Opens a deck and every scenario it names. Errors name the file, line and
/// column: the deck's for its own fields, the scenario file's for its.
pub fn open(path: &Path) -> Result<LoadedDeck, ModelErrors> {
    let text = crate::io::read_text(path).map_err(|e| ModelErrors(vec![e]))?;
    open_text(&text, Some(path))
}

pub fn open_text(text: &str, file: Option<&Path>) -> Result<LoadedDeck, ModelErrors> {
    let one = |e: ModelError| ModelErrors(vec![e]);
    let deck: Deck = parse_ron(text, file).map_err(one)?;
    check_format_version(deck.format_version, DECK_FORMAT_VERSION, "deck", text, file)
        .map_err(one)?;
    let at = |key: &str, nth: usize| -> Location {
        // The nth occurrence of `key`: the step's own field.
        let mut offset = 0;
        for _ in 0..=nth {
            match locate_key(text, offset, key) {
                Some(o) => offset = o + 1,
                None => break,
            }
        }
        let (line, col) = crate::model::expr::line_col(text, offset.saturating_sub(1));
        Location {
            file: file.map(Path::to_path_buf),
            line,
            col,
        }
    };
    if deck.steps.is_empty() {
        let mut e = ModelError::new(
            ErrorKind::Invalid,
            Item::Model,
            "steps",
            "a deck needs at least one step",
        );
        e.location = Some(Box::new(at("steps", 0)));
        return Err(one(e));
    }
    let dir = file
        .and_then(Path::parent)
        .map_or_else(PathBuf::new, Path::to_path_buf);
    let mut steps = Vec::with_capacity(deck.steps.len());
    for (i, step) in deck.steps.iter().enumerate() {
        steps.push(open_step(i, step, &dir, &at)?);
    }
    Ok(LoadedDeck {
        deck,
        steps,
        file: file.map(Path::to_path_buf),
    })
}

/// Opens step `i` (from 0): its scenario, from a file in `dir` or inline,
/// and the charts it names. `at(key, i)` locates the step's `key` in the deck.
fn open_step(
    i: usize,
    step: &Step,
    dir: &Path,
    at: &dyn Fn(&str, usize) -> Location,
) -> Result<LoadedStep, ModelErrors> {
    let opened = match &step.scenario {
        StepScenario::File(name) => {
            let path = dir.join(name);
            scenario::open(&path).map_err(|mut errs| {
                // Say which step named the file, then the file's own errors.
                let mut e = ModelError::new(
                    ErrorKind::Invalid,
                    Item::Model,
                    "scenario",
                    format!("step {}: the scenario `{name}` cannot be opened", i + 1),
                );
                e.location = Some(Box::new(at("scenario", i)));
                errs.0.insert(0, e);
                errs
            })?
        }
        StepScenario::Inline(s) => {
            let text = scenario::to_ron(s);
            scenario::open_text(&text, None).map_err(|mut errs| {
                for e in &mut errs.0 {
                    e.message = format!("step {}: {}", i + 1, e.message);
                    e.location = Some(Box::new(at("scenario", i)));
                }
                errs
            })?
        }
    };
    let charts = &opened.model.model().charts;
    if let Some(id) = step
        .charts
        .iter()
        .find(|id| !charts.iter().any(|c| &c.id == *id))
    {
        let known: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
        let mut e = ModelError::new(
            ErrorKind::UnknownName,
            Item::Model,
            "charts",
            format!(
                "step {}: no chart is called `{id}`; the model's charts are: {}",
                i + 1,
                known.join(", ")
            ),
        );
        e.location = Some(Box::new(at("charts", i)));
        return Err(ModelErrors(vec![e]));
    }
    Ok(LoadedStep {
        step: step.clone(),
        model: opened.model,
        levers: opened.levers,
    })
}

/// The RON text of a deck: stable key order, `\n` line endings.
pub fn to_ron(deck: &Deck) -> String {
    crate::io::pretty_ron(deck)
}

/// Saves a deck whole or not at all; the previous version is kept as `.bak`.
pub fn save(path: &Path, deck: &Deck) -> std::io::Result<()> {
    crate::io::atomic::write_with_backup(path, to_ron(deck).as_bytes())
}
