//! Triage: pure decisions about an item that the hub applies (which SLA it is under and
//! when it falls due). Nothing here reads the store or the clock: callers pass the item,
//! the config and the time, so every rule is tested without a hub.

pub mod sla;
