//! switchboard: a terminal unified inbox for social customer service.
//!
//! One hub process owns the sled store; the TUI, the command line and the platform
//! connectors are its clients. See `ARCHITECTURE.md` for the map.

pub mod cli;
pub mod config;
pub mod connectors;
pub mod hub;
pub mod logging;
pub mod model;
pub mod responses;
pub mod store;
pub mod team;
pub mod triage;
pub mod ui;
