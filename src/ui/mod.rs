//! The terminal UI.
pub mod action;
pub mod keymap;
pub mod keys;
pub mod sanitize;
