//! A [`Notice`]: something a person must hear about now (an escalation, its answer, an SLA
//! about to break or broken, a page), addressed to channels and to users' terminals.
//!
//! The hub turns each notice into one durable delivery per channel (webhook, email) and an
//! event for the attached TUIs of the users it names (bell and desktop notification).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ItemId;

/// Why a notice was raised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// An item was escalated to its owners.
    Escalated,
    /// An owner answered an escalation (guidance, approval, take-over, hand-back).
    EscalationAnswered,
    /// An SLA will break soon.
    SlaWarning,
    /// An SLA broke.
    SlaBreached,
    /// Someone on call is paged (a breach nobody handled).
    Page,
    /// `switchboard notify test CHANNEL`: checks a channel end to end.
    Test,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Escalated => "escalated",
            NoticeKind::EscalationAnswered => "escalation_answered",
            NoticeKind::SlaWarning => "sla_warning",
            NoticeKind::SlaBreached => "sla_breached",
            NoticeKind::Page => "page",
            NoticeKind::Test => "test",
        }
    }
}

/// One notification, before delivery.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    pub at: DateTime<Utc>,
    /// One line: "Escalated to legal: @claire on x".
    pub title: String,
    /// The rest: who, why, the customer's words (untrusted: receivers sanitize).
    #[serde(default)]
    pub body: String,
    /// The item it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemId>,
    /// `[notify.NAME]` channels to deliver to.
    #[serde(default)]
    pub channels: Vec<String>,
    /// Users whose attached terminals ring.
    #[serde(default)]
    pub users: Vec<String>,
}
