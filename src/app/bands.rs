//! The Monte Carlo behind the fan bands and the headline odds: a first
//! estimate within the frame, refined in the background on every core,
//! restarted whenever the levers or the model change. It holds state and
//! draws nothing: `charts/bands.rs` draws the fans.

use std::sync::Arc;

use eframe::egui;

use super::charts::BandsView;
use super::document::Document;
use crate::model::mc::{self, Design, McJob, Summary};
use crate::model::{CompiledModel, Model};
use crate::scenario::MonteCarlo;

/// The bands' Monte Carlo, kept in step with the document.
#[derive(Default)]
pub struct Bands {
    job: Option<McJob>,
    /// What the job runs: model (by identity), levers, settings.
    model: Option<Arc<Model>>,
    compiled: Option<Arc<CompiledModel>>,
    levers: Vec<f64>,
    settings: Option<MonteCarlo>,
    design: Option<Arc<Design>>,
    /// The latest estimate.
    pub summary: Option<Summary>,
    /// Threads for the background runs (every core by default).
    pub threads: Option<usize>,
}

impl Bands {
    /// Restarts the runs when the levers, the model or the settings changed,
    /// and picks up what the background has added. Returns whether runs are
    /// still under way (the caller asks for another frame).
    pub fn update(&mut self, doc: &Document) -> bool {
        let same_model = self
            .model
            .as_ref()
            .is_some_and(|m| Arc::ptr_eq(m, doc.model.model_arc()));
        let same_settings = self.settings == Some(doc.monte_carlo);
        if !same_model || !same_settings || self.levers != doc.levers {
            if !same_model {
                self.model = Some(doc.model.model_arc().clone());
                self.compiled = Some(Arc::new(doc.model.clone()));
                self.design = None;
            }
            if !same_settings {
                self.settings = Some(doc.monte_carlo);
                self.design = None;
            }
            let compiled = self.compiled.clone().expect("set above");
            let design = self
                .design
                .get_or_insert_with(|| {
                    Arc::new(Design::new(
                        &compiled,
                        doc.monte_carlo.seed,
                        doc.monte_carlo.runs,
                    ))
                })
                .clone();
            self.levers = doc.levers.clone();
            // Dropping the old job cancels it.
            self.job = None;
            if design.uncertain_levers().is_empty() {
                self.summary = None;
                return false;
            }
            let vars = charted_vars(&compiled);
            let threads = self.threads.unwrap_or_else(mc::default_threads);
            let mut job = McJob::start(compiled, doc.levers.clone(), design, &vars, threads);
            self.summary = job.fresh_summary();
            self.job = Some(job);
        }
        let Some(job) = &mut self.job else {
            return false;
        };
        // Read before merging: a chunk landing in between gets another frame.
        let finished = job.is_done();
        if let Some(s) = job.fresh_summary() {
            self.summary = Some(s);
        }
        !finished
    }

    /// [`Bands::update`] for this frame, asking for further frames while
    /// runs refine, and what the charts and the headline draw.
    pub fn view(&mut self, ctx: &egui::Context, doc: &Document) -> BandsView<'_> {
        if self.update(doc) {
            ctx.request_repaint_after(std::time::Duration::from_millis(30));
        }
        BandsView {
            summary: self.summary.as_ref(),
            progress: self.progress(),
        }
    }

    /// Runs done and asked for, while the bands are being computed.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.job.as_ref().map(McJob::progress)
    }

    /// Stops the runs and forgets the bands (bands switched off).
    pub fn stop(&mut self) {
        *self = Bands {
            threads: self.threads,
            ..Bands::default()
        };
    }

    /// Whether the model has any uncertain lever.
    pub fn has_uncertainty(doc: &Document) -> bool {
        crate::model::mc::has_uncertainty(&doc.model)
    }
}

/// Every variable some chart shows.
fn charted_vars(model: &CompiledModel) -> Vec<usize> {
    let mut vars: Vec<usize> = model
        .model()
        .charts
        .iter()
        .flat_map(|c| model.chart_series(&c.series))
        .collect();
    vars.sort_unstable();
    vars.dedup();
    vars
}
