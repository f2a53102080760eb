//! The views that are always on screen: the levers (left), the headline
//! (targets ahead, top) and the compared scenarios (bottom). One file each;
//! each draws from a [`crate::app::view::Cx`] and sends commands.

pub mod compare;
pub mod headline;
pub mod levers;
