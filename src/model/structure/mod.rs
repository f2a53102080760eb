//! The model map's structure, free of any UI: the causal graph of the
//! model as written (`graph`: levers, stocks, flows and auxiliaries, and
//! the signed links between them, their signs read from the equations by
//! `polarity`), its feedback loops (`loops`) and a layered drawing of it
//! (`layout`). The window draws what these give; tests and the command
//! line can use them the same way.
//!
//! ```no_run
//! use trajectoire::model::structure::{Graph, find_loops, layout};
//! let m = trajectoire::model::load::default_model();
//! let g = Graph::of(m.model());
//! let loops = find_loops(&g);
//! let drawing = layout(&g, &[]);
//! assert!(drawing.overlaps().is_empty());
//! # let _ = loops;
//! ```

pub mod graph;
pub mod layout;
pub mod loops;
pub mod polarity;

pub use graph::{Graph, Link, LinkKind, Node, NodeKind};
pub use layout::{Layout, Placed, Route, layout, node_size};
pub use loops::{
    KEY_SEPARATOR, Limits, Loop, LoopPolarity, Loops, find_loops, find_loops_with, loop_key,
};
pub use polarity::{Polarity, TableShape, Timing};
