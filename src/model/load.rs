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

/// The models shipped inside the binary: id and RON text.
pub const SHIPPED_MODELS: &[(&str, &str)] = &[
    (
        "morocco-offshoring",
        include_str!("../../assets/models/morocco_offshoring.ron"),
    ),
    // Illustrative only: shows that nothing is tied to offshoring.
    (
        "morocco-automotive-illustrative",
        include_str!("../../assets/models/automotive_illustrative.ron"),
    ),
];

/// The id of the model Trajectoire opens by default.
pub const DEFAULT_MODEL_ID: &str = "morocco-offshoring";

/// The default model, compiled. It ships with the binary and is tested, so a
/// failure here is a build defect.
pub fn default_model() -> CompiledModel {
    shipped_model(DEFAULT_MODEL_ID).expect("the shipped default model compiles")
}

pub fn shipped_model(id: &str) -> Result<CompiledModel, ModelErrors> {
    let Some((_, text)) = SHIPPED_MODELS.iter().find(|(i, _)| *i == id) else {
        return Err(ModelErrors(vec![ModelError::new(
            ErrorKind::Invalid,
            Item::Model,
            "id",
            format!(
                "no model called `{id}` ships with Trajectoire (there is: {})",
                SHIPPED_MODELS
                    .iter()
                    .map(|m| m.0)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )]));
    };
    compile_text(text, None)
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
