//! The document a user saves: lever values over a model, with a name and notes.
//! A shipped model is referred to by id and version; an edited one travels whole.

pub mod export;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::io::{check_format_version, locate_key, parse_ron};
use crate::model::error::{Item, ModelError, ModelErrors};
use crate::model::load;
use crate::model::{CompiledModel, Model, Text};

/// The scenario file format this build writes. Files with a larger number are refused.
pub const SCENARIO_FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub format_version: u32,
    pub name: String,
    #[serde(default)]
    pub notes: String,
    pub model: ModelRef,
    /// Lever values by lever id; levers not listed keep their default.
    #[serde(default)]
    pub levers: BTreeMap<String, f64>,
    /// What the window showed.
    #[serde(default)]
    pub views: Views,
    /// How the uncertainty bands were computed: the same seed and runs give
    /// the same bands.
    #[serde(default)]
    pub monte_carlo: MonteCarlo,
}

/// Monte Carlo settings saved with a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MonteCarlo {
    pub seed: u64,
    pub runs: usize,
}

impl Default for MonteCarlo {
    fn default() -> Self {
        MonteCarlo {
            seed: 1,
            runs: 10_000,
        }
    }
}

/// The most runs a scenario may ask for.
pub const MAX_RUNS: usize = 1_000_000;

/// Which views were shown when the scenario was saved.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Views {
    /// Jobs and exports by segment (the model's detail charts).
    pub by_segment: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ModelRef {
    /// A model shipped with Trajectoire, by id and version.
    Shipped { id: String, version: String },
    /// A whole (edited) model.
    Inline(Box<Model>),
    /// A model imported from another tool's file (XMILE, Vensim), unedited:
    /// the file's path when saved and its content's hash
    /// (`compile::content_hash`). Opened from that path, or from a file of
    /// the same name beside the scenario; a changed file opens with a
    /// warning, as a newer shipped model does.
    File { path: String, hash: String },
}

/// What a file holds once opened: a model ready to run and lever values.
#[derive(Clone, Debug)]
pub struct Opened {
    pub model: CompiledModel,
    pub levers: Vec<f64>,
    /// `None` when the file was a model, not a scenario.
    pub scenario: Option<Scenario>,
    /// Things worth telling the user that do not stop the file from
    /// opening, in both languages.
    pub warnings: Vec<Text>,
}

impl Opened {
    /// A model on its own: every lever at its default, no scenario.
    pub fn model(model: CompiledModel) -> Self {
        let levers = model.default_levers();
        Opened {
            model,
            levers,
            scenario: None,
            warnings: Vec::new(),
        }
    }
}

/// Opens a model or a scenario file. Every error names the file, line and column.
pub fn open(path: &Path) -> Result<Opened, ModelErrors> {
    let text = crate::io::read_text(path).map_err(|e| ModelErrors(vec![e]))?;
    open_text(&text, Some(path))
}

/// What a scenario saved with `version` of shipped model `id` is told when
/// it opens on another version (`shipped`: the one it opens on, if any).
fn version_warning(id: &str, version: &str, shipped: Option<&load::ShippedModel>) -> Option<Text> {
    let current = load::current_version(id)?;
    match shipped {
        Some(m) if m.version == version && version == current => None,
        Some(m) if m.version == version => Some(Text::new(
            format!(
                "Le scénario a été enregistré avec la version {version} du modèle `{id}`, \
                 sur laquelle il s’ouvre\u{202f}; la version actuelle est la {current}."
            ),
            format!(
                "the scenario was saved with version {version} of model `{id}`, which it \
                 opens on; version {current} is the current one"
            ),
        )),
        Some(m) => Some(Text::new(
            format!(
                "Le scénario a été enregistré avec la version {version} du modèle `{id}`, \
                 que Trajectoire ne fournit plus\u{202f}; il s’ouvre sur la version {}, \
                 qui garde ses leviers\u{202f}: les résultats peuvent différer.",
                m.version
            ),
            format!(
                "the scenario was saved with version {version} of model `{id}`, which this \
                 Trajectoire no longer ships; it opens on version {}, which keeps its levers: \
                 results may differ",
                m.version
            ),
        )),
        None => Some(Text::new(
            format!(
                "Le scénario a été enregistré avec la version {version} du modèle `{id}`, \
                 que Trajectoire ne fournit plus\u{202f}; il s’ouvre sur la version \
                 {current}\u{202f}: les résultats peuvent différer."
            ),
            format!(
                "the scenario was saved with version {version} of model `{id}`, which this \
                 Trajectoire no longer ships; it opens on version {current}: results may differ"
            ),
        )),
    }
}

/// The model a scenario refers to by file: at `path`, or a file of the
/// same name beside the scenario (`file`), opened through the registry;
/// with a warning when its content is not what the scenario was saved
/// with. A missing file is an error at the reference's line.
fn referred_model(
    path: &str,
    hash: &str,
    text: &str,
    file: Option<&Path>,
) -> Result<(CompiledModel, Option<Text>), ModelErrors> {
    let saved = Path::new(path);
    let beside = file
        .and_then(Path::parent)
        .zip(saved.file_name())
        .map(|(dir, name)| dir.join(name));
    let found = std::iter::once(saved.to_path_buf())
        .chain(beside)
        .find(|p| p.is_file());
    let at = |message: String| {
        let mut e = ModelError::new(crate::model::ErrorKind::Io, Item::Model, "model", message);
        let (line, col) =
            crate::model::expr::line_col(text, locate_key(text, 0, "model").unwrap_or(0));
        e.location = Some(Box::new(crate::model::Location {
            file: file.map(Path::to_path_buf),
            line,
            col,
        }));
        ModelErrors(vec![e])
    };
    let Some(found) = found else {
        return Err(at(format!(
            "the scenario runs on the model file {path}, which is not there (nor beside the scenario)"
        )));
    };
    let opened = match crate::formats::open(&found)? {
        crate::formats::OpenedFile::Model(o) => o,
        _ => return Err(at(format!("{} is not a model", found.display()))),
    };
    let now = opened.model.origin().map(|o| o.hash.clone());
    let warning = (now.as_deref() != Some(hash)).then(|| {
        Text::new(
            format!(
                "Le fichier du modèle {} a changé depuis l’enregistrement du \
                 scénario\u{202f}: les résultats peuvent différer.",
                found.display()
            ),
            format!(
                "the model file {} changed since the scenario was saved: results may differ",
                found.display()
            ),
        )
    });
    Ok((opened.model, warning))
}

/// A scenario of `model` with `levers`: a shipped, unedited model is referred
/// to by id and version (the file stays short); any other travels whole.
pub fn from_document(
    model: &CompiledModel,
    levers: &[f64],
    name: &str,
    notes: &str,
    views: Views,
    monte_carlo: MonteCarlo,
) -> Scenario {
    let m = model.model();
    // Parsed, not compiled: the compiled model keeps the model as written.
    let shipped = load::shipped_model_version(&m.id, &m.version)
        .filter(|s| s.version == m.version)
        .and_then(|s| load::parse_model(s.text, None).ok())
        .is_some_and(|s| &s == m);
    let model_ref = if shipped {
        ModelRef::Shipped {
            id: m.id.clone(),
            version: m.version.clone(),
        }
    } else if let Some(o) = model.origin() {
        ModelRef::File {
            path: o.path.to_string_lossy().into_owned(),
            hash: o.hash.clone(),
        }
    } else {
        ModelRef::Inline(Box::new(m.clone()))
    };
    Scenario {
        format_version: SCENARIO_FORMAT_VERSION,
        name: name.to_string(),
        notes: notes.to_string(),
        model: model_ref,
        levers: model
            .levers()
            .iter()
            .zip(levers)
            .map(|(l, v)| (l.id.clone(), *v))
            .collect(),
        views,
        monte_carlo,
    }
}

/// The RON text of a scenario: stable key order, `\n` line endings.
pub fn to_ron(s: &Scenario) -> String {
    crate::io::pretty_ron(s)
}

/// Saves a scenario so that a crash at any moment leaves the old file or the
/// new one whole, never a truncated one; the previous version is kept as
/// `FILE.ron.bak`.
pub fn save(path: &Path, s: &Scenario) -> std::io::Result<()> {
    crate::io::atomic::write_with_backup(path, to_ron(s).as_bytes())
}

/// Whether RON text holds a scenario (`Scenario(...)`) rather than a model;
/// the registry ([`crate::formats`]) tells.
pub fn is_scenario_text(text: &str) -> bool {
    crate::formats::sniff_text(text) == Some(crate::formats::FileKind::Scenario)
}

/// Opens a model or a scenario from its text, told apart by the registry.
pub fn open_text(text: &str, file: Option<&Path>) -> Result<Opened, ModelErrors> {
    if !is_scenario_text(text) {
        return Ok(Opened::model(load::compile_text(text, file)?));
    }
    let one = |e: ModelError| ModelErrors(vec![e]);
    let scenario: Scenario = parse_ron(text, file).map_err(one)?;
    check_format_version(
        scenario.format_version,
        SCENARIO_FORMAT_VERSION,
        "scenario",
        text,
        file,
    )
    .map_err(one)?;
    let runs = scenario.monte_carlo.runs;
    if runs == 0 || runs > MAX_RUNS {
        let mut e = ModelError::new(
            crate::model::ErrorKind::Invalid,
            Item::Model,
            "runs",
            format!("{runs} Monte Carlo runs: choose between 1 and {MAX_RUNS}"),
        );
        let at = locate_key(text, 0, "runs").unwrap_or(0);
        let (line, col) = crate::model::expr::line_col(text, at);
        e.location = Some(Box::new(crate::model::Location {
            file: file.map(Path::to_path_buf),
            line,
            col,
        }));
        return Err(one(e));
    }
    let mut warnings = Vec::new();
    let model = match &scenario.model {
        ModelRef::Shipped { id, version } => {
            let shipped = load::shipped_model_version(id, version);
            if let Some(w) = version_warning(id, version, shipped) {
                warnings.push(w);
            }
            shipped
                .map_or_else(
                    || load::shipped_model(id),
                    |m| load::compile_text(m.text, None),
                )
                .map_err(|errs| crate::io::locate_all(errs, text, file))?
        }
        ModelRef::Inline(model) => {
            let mut m = crate::model::compile((**model).clone())
                .map_err(|errs| crate::io::locate_all(errs, text, file))?;
            m.locate_warnings(text, file);
            m
        }
        ModelRef::File { path, hash } => {
            let (m, warning) = referred_model(path, hash, text, file)?;
            warnings.extend(warning);
            m
        }
    };
    let levers = model
        .levers_with(scenario.levers.iter().map(|(k, v)| (k.as_str(), *v)))
        .map_err(|mut e| {
            e.field = "levers".into();
            let levers_at = locate_key(text, 0, "levers").unwrap_or(0);
            let id = match &e.item {
                Item::Lever(id) => id.clone(),
                _ => String::new(),
            };
            let offset = text[levers_at..]
                .find(&format!("\"{id}\""))
                .map_or(levers_at, |o| levers_at + o);
            let (line, col) = crate::model::expr::line_col(text, offset);
            e.location = Some(Box::new(crate::model::Location {
                file: file.map(Path::to_path_buf),
                line,
                col,
            }));
            ModelErrors(vec![e])
        })?;
    let mut model = model;
    model.set_seed(scenario.monte_carlo.seed);
    Ok(Opened {
        model,
        levers,
        scenario: Some(scenario),
        warnings,
    })
}
