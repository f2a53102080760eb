//! Trajectoire: explore what-if targets of an economic sector.
//!
//! Data flows one way: model file -> [`model::CompiledModel`] -> [`model::Run`]
//! -> plots; user actions come back as commands that change the document.

pub mod app;
pub mod atomic;
pub mod cli;
pub mod deck;
pub mod model;
pub mod scenario;
