//! What the window works on: a compiled model, lever values, the two runs
//! (scenario and baseline) and their target statuses, and the undo history.
//! No egui here: it is driven by commands and tested directly.

use std::path::PathBuf;
use std::sync::Arc;

use crate::model::load::default_model;
use crate::model::targets::{TargetStatus, target_statuses};
use crate::model::{CompiledModel, Model, ModelErrors, Run};

pub struct Document {
    pub model: CompiledModel,
    pub levers: Vec<f64>,
    pub run: Run,
    pub baseline: Run,
    pub statuses: Vec<TargetStatus>,
    /// The file the document came from or was last saved to.
    pub file: Option<PathBuf>,
    /// Whether `file` is a scenario (Save writes there) rather than a model.
    pub file_is_scenario: bool,
    /// Scenario name and notes, saved with it.
    pub name: String,
    pub notes: String,
    /// Monte Carlo seed and runs, saved with the scenario.
    pub monte_carlo: crate::scenario::MonteCarlo,
    /// Lever values as last opened or saved: unsaved changes differ from them.
    saved_levers: Vec<f64>,
    /// The model as last opened or saved (compared by identity).
    saved_model: Arc<Model>,
    saved_monte_carlo: crate::scenario::MonteCarlo,
    history: History,
}

/// A state to go back to: the lever values, and the model where the change
/// edited it (lever changes do not copy the model).
struct Snapshot {
    levers: Vec<f64>,
    model: Option<CompiledModel>,
}

/// The state before each change; one entry per gesture.
#[derive(Default)]
struct History {
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    /// The lever being dragged, whose changes merge into one step.
    gesture: Option<std::ops::Range<usize>>,
    /// The model field being typed in, whose edits merge into one step.
    model_gesture: Option<String>,
}

/// The most undo steps kept.
const HISTORY_LIMIT: usize = 500;

impl Document {
    pub fn new(model: CompiledModel, levers: Vec<f64>, file: Option<PathBuf>) -> Self {
        let baseline = model.run(&model.default_levers());
        let run = model.run(&levers);
        let statuses = target_statuses(&model, &run);
        Document {
            saved_monte_carlo: Default::default(),
            saved_model: model.shared_model(),
            model,
            saved_levers: levers.clone(),
            levers,
            run,
            baseline,
            statuses,
            file,
            file_is_scenario: false,
            name: String::new(),
            notes: String::new(),
            monte_carlo: Default::default(),
            history: History::default(),
        }
    }

    /// Whether the levers changed since the document was opened or saved.
    pub fn is_dirty(&self) -> bool {
        self.levers != self.saved_levers
            || !Arc::ptr_eq(&self.saved_model, self.model.model_arc())
            || self.monte_carlo != self.saved_monte_carlo
    }

    /// Monte Carlo settings as opened from a file (not an unsaved change).
    pub fn set_opened_monte_carlo(&mut self, mc: crate::scenario::MonteCarlo) {
        self.monte_carlo = mc;
        self.saved_monte_carlo = mc;
        self.model.set_seed(mc.seed);
    }

    /// Whether the model differs from the one opened or last saved.
    pub fn model_edited(&self) -> bool {
        !Arc::ptr_eq(&self.saved_model, self.model.model_arc())
    }

    /// Marks the whole document unsaved (restored work, for one).
    pub fn mark_unsaved(&mut self) {
        self.saved_levers.clear();
    }

    /// Records that the document was just saved as a scenario at `path`.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.saved_levers = self.levers.clone();
        self.saved_monte_carlo = self.monte_carlo;
        self.saved_model = self.model.shared_model();
        self.file = Some(path);
        self.file_is_scenario = true;
    }

    pub fn default_document() -> Self {
        let model = default_model();
        let levers = model.default_levers();
        Document::new(model, levers, None)
    }

    /// Sets one lever and re-runs the model. `merge` continues the gesture on
    /// the same lever (one undo step per drag). Values are clamped to the
    /// lever's range: the UI range-checks typed values before this.
    pub fn set_lever(&mut self, lever: usize, value: f64, merge: bool) {
        self.set_lever_range(lever..lever + 1, value, merge);
    }

    /// Sets levers `range` to one value: the elements of an arrayed lever
    /// (`CompiledModel::lever_elements`), moved by its one slider. As
    /// [`Document::set_lever`] otherwise.
    pub fn set_lever_range(&mut self, range: std::ops::Range<usize>, value: f64, merge: bool) {
        let Some(def) = self.model.levers().get(range.start) else {
            return;
        };
        if range.end > self.levers.len() || !value.is_finite() {
            return;
        }
        let value = value.clamp(def.min, def.max);
        if self.levers[range.clone()].iter().all(|&v| v == value) {
            return;
        }
        if !(merge && self.history.gesture.as_ref() == Some(&range)) {
            self.push_history(false);
        }
        self.history.gesture = merge.then(|| range.clone());
        self.history.model_gesture = None;
        self.levers[range].fill(value);
        self.rerun();
    }

    pub fn end_gesture(&mut self) {
        self.history.gesture = None;
        self.history.model_gesture = None;
    }

    pub fn reset_lever(&mut self, lever: usize) {
        if let Some(def) = self.model.levers().get(lever) {
            let d = def.default;
            self.set_lever(lever, d, false);
        }
    }

    pub fn reset_all(&mut self) {
        let defaults = self.model.default_levers();
        self.set_levers(defaults);
    }

    /// Sets every lever at once (a goal-seek or calibration answer): one
    /// undo step. Values are clamped to their ranges; a wrong count is ignored.
    pub fn set_levers(&mut self, values: Vec<f64>) {
        self.history.gesture = None;
        self.history.model_gesture = None;
        if values.len() != self.levers.len() || values.iter().any(|v| !v.is_finite()) {
            return;
        }
        let values: Vec<f64> = values
            .iter()
            .zip(self.model.levers())
            .map(|(v, l)| v.clamp(l.min, l.max))
            .collect();
        if values != self.levers {
            self.push_history(false);
            self.levers = values;
            self.rerun();
        }
    }

    /// Replaces the model by an edited one (one undo step). An edit that does
    /// not compile changes nothing and returns every error. Levers keep their
    /// values by id; new levers start at their default.
    pub fn set_model(&mut self, model: Model) -> Result<(), ModelErrors> {
        self.set_model_merging(model, None)
    }

    /// [`Document::set_model`], where successive edits with the same `key`
    /// (typing in one field) make one undo step.
    pub fn set_model_merging(
        &mut self,
        model: Model,
        key: Option<String>,
    ) -> Result<(), ModelErrors> {
        let compiled = crate::model::compile(model)?;
        self.history.gesture = None;
        let merge = key.is_some() && self.history.model_gesture == key;
        if !merge {
            self.push_history(true);
        }
        self.history.model_gesture = key;
        let old = std::mem::replace(&mut self.model, compiled);
        let renamed = renamed_levers(old.levers(), self.model.levers());
        self.levers = self
            .model
            .levers()
            .iter()
            .enumerate()
            .map(|(k, l)| {
                old.levers()
                    .iter()
                    .position(|o| o.id == l.id)
                    .or(renamed.contains(&k).then_some(k))
                    .map_or(l.default, |i| self.levers[i].clamp(l.min, l.max))
            })
            .collect();
        self.model_changed();
        Ok(())
    }

    fn model_changed(&mut self) {
        self.model.set_seed(self.monte_carlo.seed);
        self.baseline = self.model.run(&self.model.default_levers());
        self.rerun();
    }

    pub fn can_undo(&self) -> bool {
        !self.history.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.history.redo.is_empty()
    }

    pub fn undo(&mut self) {
        if let Some(prev) = self.history.undo.pop() {
            let cur = self.restore(prev);
            self.history.redo.push(cur);
        }
    }

    pub fn redo(&mut self) {
        if let Some(next) = self.history.redo.pop() {
            let cur = self.restore(next);
            self.history.undo.push(cur);
        }
    }

    /// Goes to `to`, returning the state it leaves (with the model if `to`
    /// has one).
    fn restore(&mut self, to: Snapshot) -> Snapshot {
        self.history.gesture = None;
        self.history.model_gesture = None;
        let levers = std::mem::replace(&mut self.levers, to.levers);
        let model = to.model.map(|m| std::mem::replace(&mut self.model, m));
        if model.is_some() {
            self.model_changed();
        } else {
            self.rerun();
        }
        Snapshot { levers, model }
    }

    fn push_history(&mut self, with_model: bool) {
        self.history.undo.push(Snapshot {
            levers: self.levers.clone(),
            model: with_model.then(|| self.model.clone()),
        });
        if self.history.undo.len() > HISTORY_LIMIT {
            self.history.undo.remove(0);
        }
        self.history.redo.clear();
    }

    /// Re-simulates with the current levers, reusing the run's memory.
    pub fn rerun(&mut self) {
        self.model.run_into(&self.levers, &mut self.run);
        self.statuses = target_statuses(&self.model, &self.run);
    }

    pub fn is_default(&self, lever: usize) -> bool {
        self.model
            .levers()
            .get(lever)
            .is_some_and(|l| l.default == self.levers[lever])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drag_is_one_undo_step_and_redo_returns() {
        let mut d = Document::default_document();
        let t = d.model.lever_index("training_output[digital]").unwrap();
        let start = d.levers[t];
        for v in [61_000.0, 65_000.0, 80_000.0] {
            d.set_lever(t, v, true);
        }
        d.end_gesture();
        d.set_lever(t, 90_000.0, false);
        assert_eq!(d.levers[t], 90_000.0);
        d.undo();
        assert_eq!(d.levers[t], 80_000.0);
        d.undo();
        assert_eq!(d.levers[t], start, "the whole drag undone at once");
        assert!(!d.can_undo());
        d.redo();
        assert_eq!(d.levers[t], 80_000.0);
        // The run follows the levers.
        let jobs = d.model.var_index("jobs").unwrap();
        let fresh = d.model.run(&d.levers);
        assert_eq!(d.run.value(jobs, 2030), fresh.value(jobs, 2030));
    }

    #[test]
    fn reset_restores_defaults_in_one_step() {
        let mut d = Document::default_document();
        // Demand growth (lever 0) and the digital pool's training.
        let t = d.model.lever_index("training_output[digital]").unwrap();
        d.set_lever(0, 9.0, false);
        d.set_lever(t, 100_000.0, false);
        d.reset_all();
        assert_eq!(d.levers, d.model.default_levers());
        d.undo();
        assert_eq!(d.levers[t], 100_000.0);
        assert_eq!(d.levers[0], 9.0);
    }
}

#[cfg(test)]
mod model_edit_tests {
    use super::*;

    #[test]
    fn a_model_edit_is_one_undo_step_and_marks_the_document_unsaved() {
        let mut d = Document::default_document();
        assert!(!d.is_dirty());
        let t = d.model.lever_index("training_output[digital]").unwrap();
        d.set_lever(t, 90_000.0, false);
        d.mark_saved(PathBuf::from("x.ron"));
        let mut m = d.model.model().clone();
        m.targets.pop();
        let n = m.targets.len();
        d.set_model(m).unwrap();
        assert_eq!(d.model.model().targets.len(), n);
        assert_eq!(d.statuses.len(), n, "statuses follow the model");
        assert_eq!(d.levers[t], 90_000.0, "levers keep their values");
        assert!(d.is_dirty() && d.model_edited());
        d.undo();
        assert_eq!(d.model.model().targets.len(), n + 1);
        assert!(!d.is_dirty(), "back to the saved model and levers");
        d.redo();
        assert_eq!(d.model.model().targets.len(), n);
        // A lever change after the edit undoes on its own, keeping the edit.
        d.set_lever(t, 70_000.0, false);
        d.undo();
        assert_eq!(d.levers[t], 90_000.0);
        assert_eq!(d.model.model().targets.len(), n);
    }

    #[test]
    fn an_edit_that_does_not_compile_changes_nothing() {
        let mut d = Document::default_document();
        let mut m = d.model.model().clone();
        m.targets[0].variable = "no_such_variable".into();
        let before = d.run.clone();
        assert!(d.set_model(m).is_err());
        assert!(!d.can_undo() && !d.is_dirty());
        assert_eq!(d.run.series(0), before.series(0));
    }

    #[test]
    fn set_levers_is_one_step() {
        let mut d = Document::default_document();
        let t = d.model.lever_index("training_output[digital]").unwrap();
        let mut v = d.levers.clone();
        v[0] = 7.0;
        v[t] = 100_000.0;
        d.set_levers(v.clone());
        assert_eq!(d.levers, v);
        d.undo();
        assert_eq!(d.levers, d.model.default_levers());
    }
}

/// The run levers a rename gave new ids: the same levers in the same
/// order, those of one model lever renamed (`a` to `b`, or every `a[e]`
/// to `b[e]`), whose values follow them where matching by id would lose
/// them.
fn renamed_levers(
    old: &[crate::model::def::Lever],
    new: &[crate::model::def::Lever],
) -> Vec<usize> {
    if old.len() != new.len() {
        return Vec::new();
    }
    let changed: Vec<usize> = (0..new.len()).filter(|&k| old[k].id != new[k].id).collect();
    let split = |id: &str| match id.find('[') {
        Some(i) => (id[..i].to_string(), id[i..].to_string()),
        None => (id.to_string(), String::new()),
    };
    let Some(&first) = changed.first() else {
        return Vec::new();
    };
    let (from, _) = split(&old[first].id);
    let (to, _) = split(&new[first].id);
    let one_lever = changed.iter().all(|&k| {
        let ((a, x), (b, y)) = (split(&old[k].id), split(&new[k].id));
        a == from && b == to && x == y
    });
    if one_lever { changed } else { Vec::new() }
}
