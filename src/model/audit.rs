//! Who did what, when, from which client: the values of the append-only audit log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ItemId;

/// The person (or system part) behind a change, and the client it came through.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    /// The switchboard user name (from the Unix account; never from what a client claims).
    pub user: String,
    /// The client: `cli`, `tui`, `hub`, `sync:<account>`, `import`, `demo`, ...
    pub client: String,
    /// The connection (presence session) it came through, when it came through one: two
    /// terminals of one CM are two writers, each of whom may miss what the other did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<u64>,
}

impl Actor {
    pub fn new(user: impl Into<String>, client: impl Into<String>) -> Actor {
        Actor {
            user: user.into(),
            client: client.into(),
            session: None,
        }
    }

    /// The same actor, acting through one connection.
    pub fn in_session(mut self, session: u64) -> Actor {
        self.session = Some(session);
        self
    }

    /// The hub itself (rules, SLA clock, reopen on a customer's new message).
    pub fn system() -> Actor {
        Actor::new("switchboard", "hub")
    }
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the log: strictly increasing.
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: Actor,
    /// The item concerned, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemId>,
    /// What was done: `ingest`, `status`, `tag`, `untag`, `assign`, `note`, `snooze`, ...
    pub action: String,
    /// Human-readable detail: `new -> resolved`, `+legal`, `to alice`, ...
    pub detail: String,
}
