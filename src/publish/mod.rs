//! `trajectoire publish`: one self-contained offline page of the explorer.
//! `js` compiles a model to JavaScript from the register program the
//! desktop engine runs; `page` writes the page around it.

pub mod js;
pub mod page;
