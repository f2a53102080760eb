//! The sector model, free of any UI: definition (`def`), equations (`expr`),
//! compiler (`compile`), simulator (`sim`), file loading (`load`) and the
//! calibration fit (`fit`). Tests, benchmarks and the command line use it directly.

pub mod calibrate;
pub mod compile;
pub mod def;
pub mod dimensions;
pub mod edit;
pub mod error;
pub mod expr;
pub mod fit;
pub mod load;
pub mod mc;
pub mod observations;
pub mod sim;
pub mod solve;
pub mod structure;
pub mod targets;
pub mod templates;
pub mod units;
pub mod validate;

pub use compile::{CompiledModel, compile};
pub use def::{Lang, Model, Text};
pub use error::{ErrorKind, Item, Location, ModelError, ModelErrors};
pub use sim::{Run, RunProblem};

impl CompiledModel {
    /// Every lever at its default, in run order (`levers()`).
    pub fn default_levers(&self) -> Vec<f64> {
        self.levers().iter().map(|l| l.default).collect()
    }

    /// Lever values from `(id, value)` pairs over the defaults. An unknown
    /// lever, a value that is not a number or one outside the lever's range is
    /// refused with a message that names the lever and its range. The id
    /// of an arrayed lever sets all its elements; `id[crm]` sets one.
    pub fn levers_with<'a>(
        &self,
        set: impl IntoIterator<Item = (&'a str, f64)>,
    ) -> Result<Vec<f64>, ModelError> {
        let mut values = self.default_levers();
        for (id, v) in set {
            let range = match self.lever_index(id) {
                Some(i) => i..i + 1,
                None => self.lever_range(id),
            };
            if range.is_empty() {
                // Run levers (`training_output[lang]`) and the model's own
                // ids (`training_output`, which sets every element).
                let known = self
                    .levers()
                    .iter()
                    .map(|l| l.id.as_str())
                    .chain(self.model().levers.iter().map(|l| l.id.as_str()));
                let hint = match error::suggest(id, known) {
                    Some(s) => format!("; did you mean `{s}`?"),
                    None => format!(
                        "; the levers are: {}",
                        self.levers()
                            .iter()
                            .map(|l| l.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                return Err(ModelError::new(
                    ErrorKind::UnknownName,
                    Item::Lever(id.to_string()),
                    "",
                    format!("no lever is called `{id}`{hint}"),
                ));
            }
            let l = &self.levers()[range.start];
            if !v.is_finite() || v < l.min || v > l.max {
                return Err(ModelError::new(
                    ErrorKind::Invalid,
                    Item::Lever(id.to_string()),
                    "value",
                    format!(
                        "{v} is outside the lever's range {} to {} ({})",
                        l.min, l.max, l.unit.en
                    ),
                ));
            }
            values[range].fill(v);
        }
        Ok(values)
    }
}
