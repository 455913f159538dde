//! Platform connectors: turn platform payloads into [`crate::model::NewItem`]s and carry
//! replies back. One file per platform.

pub mod simulator;
