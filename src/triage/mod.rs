//! Triage: what happens to an item by itself, before a person looks at it. Pure functions
//! of an item, the config and the time; the hub applies their outcome (`hub/routing.rs`).
//!
//! - `rules`: the routing rules engine (`[[rules]]`): which rules fire on an item and why,
//!   and their merged outcome;
//! - `priority`: the computed priority and the reasons for it;
//! - `fold` and `words`: accent- and case-insensitive whole-word matching, and the built-in
//!   negative word lists.

pub mod fold;
pub mod priority;
pub mod rules;
pub mod words;

#[cfg(test)]
mod test_item;
