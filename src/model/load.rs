//! Loading models: the ones shipped in the binary, and model files read as
//! RON text, every error pointed at its line and column in the file. The RON
//! toolkit itself (reading, parsing, locating) is [`crate::io`]; its items
//! are re-exported here under their old paths.

use std::path::Path;

use super::compile::{CompiledModel, compile};
use super::def::{MODEL_FORMAT_VERSION, Model};
use super::error::{ErrorKind, Item, ModelError, ModelErrors};

pub use crate::io::read::{MAX_FILE_BYTES, read_text};
pub use crate::io::ron::{check_format_version, locate_all, locate_key, parse_ron, pretty_ron};

/// A model shipped inside the binary.
pub struct ShippedModel {
    pub id: &'static str,
    /// The model's `version` field, repeated here so a scenario saved with
    /// an earlier version finds it without parsing every shipped text (a
    /// test checks the two agree).
    pub version: &'static str,
    pub text: &'static str,
}

/// The models shipped inside the binary, the current version of each id
/// first. Earlier versions of a model stay, so a scenario saved with one
/// opens on the model it was saved with.
pub const SHIPPED_MODELS: &[ShippedModel] = &[
    ShippedModel {
        id: "morocco-offshoring",
        version: "2.1.0",
        text: include_str!("../../assets/models/morocco_offshoring.ron"),
    },
    // Version 1, the default until version 2 (issue 16): its scenarios open on it.
    ShippedModel {
        id: "morocco-offshoring",
        version: "1.1.0",
        text: include_str!("../../assets/models/morocco_offshoring_v1.ron"),
    },
    // Version 2.0.0, the default until 2.1.0 (issue 28: the history gained
    // the 2019-2024 nearshoring demand): its scenarios reopen on it bit for
    // bit. Listed after version 1 (which stays second); within one major
    // version the newest comes first, as `shipped_model_version` reads it.
    ShippedModel {
        id: "morocco-offshoring",
        version: "2.0.0",
        text: include_str!("../../assets/models/morocco_offshoring_v2_0.ron"),
    },
    // Illustrative only: shows that nothing is tied to offshoring.
    ShippedModel {
        id: "morocco-automotive-illustrative",
        version: "0.1.0",
        text: include_str!("../../assets/models/automotive_illustrative.ron"),
    },
];

/// The id of the model Trajectoire opens by default.
pub const DEFAULT_MODEL_ID: &str = "morocco-offshoring";

/// The default model, compiled. It ships with the binary and is tested, so a
/// failure here is a build defect.
pub fn default_model() -> CompiledModel {
    shipped_model(DEFAULT_MODEL_ID).expect("the shipped default model compiles")
}

/// The current version of shipped model `id`.
pub fn shipped_model(id: &str) -> Result<CompiledModel, ModelErrors> {
    let Some(m) = SHIPPED_MODELS.iter().find(|m| m.id == id) else {
        return Err(no_such_model(format!(
            "no model called `{id}` ships with Trajectoire (there is: {})",
            shipped_ids().join(", ")
        )));
    };
    compile_text(m.text, None)
}

/// The shipped version of model `id` a scenario saved with `version` opens
/// on: that version if it still ships, else the newest with the same major
/// number (a minor version keeps the levers' ids), else `None` (the caller
/// then falls back on the current version and says so).
pub fn shipped_model_version(id: &str, version: &str) -> Option<&'static ShippedModel> {
    let major = |v: &str| v.split('.').next().map(str::to_owned);
    SHIPPED_MODELS
        .iter()
        .find(|m| m.id == id && m.version == version)
        .or_else(|| {
            SHIPPED_MODELS
                .iter()
                .find(|m| m.id == id && major(m.version) == major(version))
        })
}

/// The current version of shipped model `id`, as written in the table.
pub fn current_version(id: &str) -> Option<&'static str> {
    SHIPPED_MODELS
        .iter()
        .find(|m| m.id == id)
        .map(|m| m.version)
}

fn shipped_ids() -> Vec<&'static str> {
    let mut ids: Vec<&str> = SHIPPED_MODELS.iter().map(|m| m.id).collect();
    ids.dedup();
    ids
}

fn no_such_model(text: String) -> ModelErrors {
    ModelErrors(vec![ModelError::new(
        ErrorKind::Invalid,
        Item::Model,
        "id",
        text,
    )])
}

/// Parses and compiles a model from RON text. Every error is located in the text.
pub fn compile_text(text: &str, file: Option<&Path>) -> Result<CompiledModel, ModelErrors> {
    let model = parse_model(text, file)?;
    let mut compiled = compile(model).map_err(|errs| locate_all(errs, text, file))?;
    compiled.locate_warnings(text, file);
    Ok(compiled)
}

/// Parses a model from RON text and checks its format version.
pub fn parse_model(text: &str, file: Option<&Path>) -> Result<Model, ModelErrors> {
    let model: Model = parse_ron(text, file).map_err(|e| ModelErrors(vec![e]))?;
    check_format_version(
        model.format_version,
        MODEL_FORMAT_VERSION,
        "model",
        text,
        file,
    )
    .map_err(|e| ModelErrors(vec![e]))?;
    Ok(model)
}

/// The RON text of a model: the format `parse_model` reads back.
pub fn model_to_ron(m: &Model) -> String {
    pretty_ron(m)
}

/// Saves a model file whole or not at all (the previous version kept as `.bak`).
pub fn save_model(path: &Path, m: &Model) -> std::io::Result<()> {
    crate::io::atomic::write_with_backup(path, model_to_ron(m).as_bytes())
}
