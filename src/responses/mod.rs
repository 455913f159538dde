//! Writing replies well: what a platform accepts (its length limit, counted its way, and
//! Meta's messaging windows) and the team's library of canned responses.
//!
//! Everything here is pure (no store, no network), so the composer can show it live and
//! the hub can enforce the same rules before a reply is queued.

pub mod limits;
pub mod policy;
pub mod window;
