//! Drafts: a reply being written, kept on the hub so that a dropped SSH connection or a
//! crashed terminal loses nothing; it comes back at the next attach.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ItemId;

/// One user's unsent reply to one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The switchboard user writing it.
    pub user: String,
    /// The item it answers.
    pub item: ItemId,
    pub text: String,
    pub updated_at: DateTime<Utc>,
}
