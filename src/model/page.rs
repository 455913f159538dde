//! A [`Page`]: someone woken because an item's SLA broke, kept as a durable record so the
//! SLA clock knows, across restarts, who was paged, whether anyone acknowledged, and when
//! to page the next backup. Also [`SlaMark`], how far the clock got with one item's due
//! time (warned, breached), so a restarted hub neither repeats nor skips either.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ItemId;

/// One person paged about one breach.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// The page's own id (a ULID, in the time it was made).
    pub id: ItemId,
    pub item: ItemId,
    /// The due time that broke: the pages of one breach share it (one chain).
    pub due: DateTime<Utc>,
    /// Who was paged.
    pub user: String,
    /// 0: whoever was on call at the breach; 1, 2, ...: the backups in order.
    pub step: usize,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acked_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acked_at: Option<DateTime<Utc>>,
    /// Set when the chain stopped waiting on this page without an acknowledgement: the
    /// next backup was paged, or the item no longer needs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
    /// Nobody is left to page after this one: it stays open, waiting for an
    /// acknowledgement, and the clock pages no one else.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub last: bool,
}

impl Page {
    /// Still waiting for an acknowledgement.
    pub fn is_open(&self) -> bool {
        self.acked_at.is_none() && self.closed_at.is_none()
    }
}

/// How far the SLA clock got with one item's current due time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaMark {
    pub item: ItemId,
    /// The due time this mark is about (a new due time starts afresh).
    pub due: DateTime<Utc>,
    pub warned: bool,
    pub breached: bool,
}
