//! Trajectoire: explore what-if targets of an economic sector.
//!
//! Data flows one way: model file -> [`model::CompiledModel`] -> [`model::Run`]
//! -> plots; user actions come back as commands that change the document.

pub mod app;
pub mod brief;
pub mod cli;
pub mod deck;
pub mod figure;
pub mod formats;
pub mod i18n;
pub mod io;
pub mod model;
pub mod numfmt;
pub mod publish;
pub mod scenario;

/// The atomic writer, at its old path.
pub use io::atomic;
