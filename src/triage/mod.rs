//! Triage: what happens to an item by itself, before a person looks at it. Pure functions
//! of an item, the config and the time (nothing here reads the store or the clock, so every
//! rule is tested without a hub); the hub applies their outcome (`hub/routing.rs`,
//! `hub/sla.rs`).
//!
//! - `rules`: the routing rules engine (`[[rules]]`): which rules fire on an item and why,
//!   and their merged outcome;
//! - `priority`: the computed priority and the reasons for it;
//! - `sla`: which SLA target an item is under and when it falls due (business hours, zone);
//! - `fold` and `words`: accent- and case-insensitive whole-word matching, and the built-in
//!   negative word lists.

pub mod fold;
pub mod priority;
pub mod rules;
pub mod sla;
pub mod words;

#[cfg(test)]
mod test_item;
