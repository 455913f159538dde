//! The hub (being written).
pub mod client;
pub mod protocol;
