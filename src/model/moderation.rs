//! Moderation steps against a troll, a spammer or an abusive message, as the outbox keeps
//! them and connectors carry them out.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A moderation step against a troll, a spammer or an abusive message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "lowercase")]
pub enum Moderation {
    /// Hide the reply from the brand's thread (it stays on the platform).
    Hide,
    /// Undo [`Moderation::Hide`].
    Unhide,
    /// Delete it (only what the brand may delete: its own posts, comments on its page).
    Delete,
    /// Stop seeing the author.
    Mute,
    /// Block the author.
    Block,
    /// Report the message (and its author) to the platform's moderators.
    Report { reason: String },
    /// Dismiss the notification on the platform (it stays in switchboard).
    Dismiss,
}

impl Moderation {
    pub fn name(&self) -> &'static str {
        match self {
            Moderation::Hide => "hide",
            Moderation::Unhide => "unhide",
            Moderation::Delete => "delete",
            Moderation::Mute => "mute",
            Moderation::Block => "block",
            Moderation::Report { .. } => "report",
            Moderation::Dismiss => "dismiss",
        }
    }
}

impl fmt::Display for Moderation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Moderation::Report { reason } => write!(f, "report ({reason})"),
            other => f.write_str(other.name()),
        }
    }
}
