//! What the XMILE and Vensim importers share: names and the ids they
//! become, our equations written from a tree, levers and default charts,
//! and the spreadsheets a model reads its data from (`sheets`).

pub mod build;
pub mod names;
pub mod open;
pub mod out;
pub mod sheets;
