//! Handoffs: what one person leaves the next at the end of a shift. The numbers of the
//! shift (what came in, what was handled, what is still open or late), the notes the team
//! wrote during it, and a free-text note. The latest is shown to whoever opens the inbox
//! next.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ItemId;

/// One handoff summary, as written at `at` by `author` about `[since, at]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handoff {
    /// The switchboard user who wrote it.
    pub author: String,
    pub at: DateTime<Utc>,
    /// Where the period it sums up starts: the author's shift start, `--since`, or 8 hours.
    pub since: DateTime<Utc>,
    pub counts: HandoffCounts,
    /// Notes the team wrote on items since then, oldest first (the newest ones when many).
    #[serde(default)]
    pub notes: Vec<HandoffNote>,
    /// The author's own words for the next person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The numbers of a handoff, within what its author may see.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffCounts {
    /// Customer items received since the start.
    pub new: u64,
    /// Items resolved or replied to since the start.
    pub handled: u64,
    /// Items still needing work now (new, open, pending or escalated).
    pub open: u64,
    /// Of those, escalated.
    pub escalated: u64,
    /// Open items whose SLA falls due within the hour.
    pub near_sla: u64,
    /// Open items whose SLA has passed.
    pub past_sla: u64,
}

/// A note written on an item during the period (from the audit log).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffNote {
    pub at: DateTime<Utc>,
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemId>,
    /// The note as the audit keeps it (its first line, cut).
    pub text: String,
}
