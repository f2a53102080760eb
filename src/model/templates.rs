//! The models File > New model starts from: a blank one, or a pattern to
//! build on (a stock with its flows, the talent pipeline, a sector with
//! segments). Each is a RON file shipped in the binary and tested to
//! compile and to check without a units warning.

use super::compile::CompiledModel;
use super::load::compile_text;

/// A model to start from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Template {
    /// The time axis only.
    Blank,
    /// One stock, an inflow and an outflow.
    StockAndFlows,
    /// Training, a pool of graduates, hiring capped by demand, leavers.
    TalentPipeline,
    /// A `segment` dimension, jobs per segment and their sum.
    Segments,
}

impl Template {
    pub const ALL: [Template; 4] = [
        Template::Blank,
        Template::StockAndFlows,
        Template::TalentPipeline,
        Template::Segments,
    ];

    /// The template's RON text.
    pub fn text(self) -> &'static str {
        match self {
            Template::Blank => include_str!("../../assets/models/templates/blank.ron"),
            Template::StockAndFlows => {
                include_str!("../../assets/models/templates/stock_and_flows.ron")
            }
            Template::TalentPipeline => {
                include_str!("../../assets/models/templates/talent_pipeline.ron")
            }
            Template::Segments => include_str!("../../assets/models/templates/sector_segments.ron"),
        }
    }

    /// The template, compiled. It ships with the binary and is tested, so a
    /// failure here is a build defect.
    pub fn model(self) -> CompiledModel {
        compile_text(self.text(), None).expect("a shipped template compiles")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles_and_checks_clean() {
        for t in Template::ALL {
            let m = t.model();
            assert!(m.warnings().is_empty(), "{t:?}: {:?}", m.warnings());
        }
    }
}
