//! The hub (being written).
pub mod protocol;
