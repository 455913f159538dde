//! The values a stats report is made of: what `switchboard stats --json` prints, what the
//! hub answers to `Request::Stats` and what the dashboard draws. Durations are whole
//! seconds; every list is sorted (by name) so two reports of the same store compare equal.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Everything `stats` measures over one window, within the caller's scope.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatsReport {
    /// The window: `[since, until)`.
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub volume: Volume,
    /// From an item's arrival to the first reply we sent to it (items received in the window).
    pub first_response: Timing,
    /// From an item's arrival to its last change to `resolved` in the window.
    pub resolution: Timing,
    pub sla: SlaSummary,
    /// One row per person who sent a reply or resolved an item in the window.
    pub agents: Vec<AgentStats>,
    /// One row per escalation name raised in the window (empty when the caller's scope
    /// hides escalations: see `escalations_shown`).
    pub escalations: Vec<EscalationStats>,
    /// False when the caller may not see escalations (agents).
    pub escalations_shown: bool,
}

/// Customer items received in the window (the brand's own posts and replies are not work).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Volume {
    pub total: u64,
    pub by_platform: BTreeMap<String, u64>,
    pub by_kind: BTreeMap<String, u64>,
    /// Length of one bucket of `over_time`, in seconds (an hour, or a day for windows
    /// longer than two days).
    pub bucket_seconds: i64,
    /// Items received per bucket, the first bucket starting at `since`.
    pub over_time: Vec<u64>,
}

/// Durations measured over a set of items.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// Items measured.
    pub count: u64,
    /// Items of the window without one (not yet answered, not resolved).
    pub missing: u64,
    pub median_seconds: Option<i64>,
    pub p90_seconds: Option<i64>,
}

/// First responses against the items' SLA due times.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SlaSummary {
    /// First response at or before the due time.
    pub met: u64,
    /// First response after it, or none and the due time has passed.
    pub breached: u64,
    /// No response yet, due time still ahead (neither met nor breached).
    pub pending: u64,
    /// Items without a due time, counted apart.
    pub without_due: u64,
    /// `met / (met + breached)`, in percent; `None` when nothing was decided.
    pub met_percent: Option<f64>,
}

/// What one person did in the window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentStats {
    pub user: String,
    /// Replies of theirs the platforms accepted in the window.
    pub replies_sent: u64,
    /// Items they moved to `resolved` in the window.
    pub resolved: u64,
    /// Median first-response time of the window's items whose first reply was theirs.
    pub first_response_median_seconds: Option<i64>,
}

/// Escalations of one name (`legal`, `brand`, ...) raised in the window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EscalationStats {
    pub name: String,
    pub raised: u64,
    /// Of those, answered by an owner (within the window).
    pub answered: u64,
    pub answer_median_seconds: Option<i64>,
    pub answer_p90_seconds: Option<i64>,
}
