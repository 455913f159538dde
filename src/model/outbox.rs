//! Replies on their way out: durable outbox entries and the states they move through.
//!
//! A reply becomes an entry (`queued`) before anything is sent, with its idempotency key fixed
//! then, so that a hub restarted at any moment resumes without sending twice:
//! `queued → sending → sent`, or `failed` after the retries (a failed entry can be retried).
//! A reply that needs approval starts `held`; an approver releases it (`queued`) or turns it
//! down (`rejected`, which its author can edit and retry).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ItemId, Moderation};

/// Where an outgoing reply stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum OutboxState {
    /// Saved, waiting for delivery (or for its next attempt at `retry_at`).
    Queued {
        #[serde(default)]
        retry_at: Option<DateTime<Utc>>,
    },
    /// A delivery attempt started; after a crash the platform is asked whether it arrived.
    Sending,
    /// The platform accepted it.
    Sent {
        remote_id: String,
        #[serde(default)]
        url: Option<String>,
        at: DateTime<Utc>,
    },
    /// Given up after retries, or refused by the platform; can be retried.
    Failed { reason: String },
    /// Written by someone whose replies need approval: waits for an approver.
    Held,
    /// Turned down by an approver; its author can edit and retry it.
    Rejected { reason: String, by: String },
}

impl OutboxState {
    pub fn name(&self) -> &'static str {
        match self {
            OutboxState::Queued { .. } => "queued",
            OutboxState::Sending => "sending",
            OutboxState::Sent { .. } => "sent",
            OutboxState::Failed { .. } => "failed",
            OutboxState::Held => "held",
            OutboxState::Rejected { .. } => "rejected",
        }
    }
}

impl fmt::Display for OutboxState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One outgoing reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// The entry's own id (time-sortable).
    pub id: ItemId,
    /// The item answered.
    pub item: ItemId,
    pub account: String,
    pub text: String,
    /// Who wrote it.
    pub author: String,
    /// Fixed when queued; sent as the platform's idempotency key (or record key) on every
    /// attempt, and used to look for our reply before sending again.
    pub idempotency_key: String,
    #[serde(flatten)]
    pub state: OutboxState,
    pub attempts: u32,
    /// A moderation step instead of a reply (`text` then says what and why): it goes
    /// through the same approvals, retries and crash recovery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderation: Option<Moderation>,
    /// A private reply to a public comment (sent to the commenter as a direct message,
    /// Facebook and Instagram only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OutboxEntry {
    /// What the entry carries out: "reply", or the moderation step ("hide", "block", ...).
    pub fn what(&self) -> &'static str {
        self.moderation.as_ref().map_or("reply", Moderation::name)
    }
}
