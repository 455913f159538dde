//! What the team sees of each platform account's sync: its state (ok, syncing, rate-limited
//! until T, authentication failed, error with a reason), the outcome of a sync pass, and
//! the payloads a pass could not read. Plain values: the hub keeps and publishes them, the
//! store keeps the last state and the problems, `doctor` and the TUI show them.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Platform;

/// Where an account's sync stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AccountState {
    /// Not synced since this hub started (and never before).
    Idle,
    /// The last pass read everything there was.
    Ok,
    /// A pass is running.
    Syncing,
    /// The platform asked us to wait; the next pass starts after `until`.
    RateLimited { until: DateTime<Utc> },
    /// The platform refused the credentials: an admin must fix them.
    AuthFailed { reason: String },
    /// The last pass failed (network, platform error, no connector): retried later.
    Error { reason: String },
}

impl AccountState {
    /// A short word for a status line.
    pub fn word(&self) -> &'static str {
        match self {
            AccountState::Idle => "idle",
            AccountState::Ok => "ok",
            AccountState::Syncing => "syncing",
            AccountState::RateLimited { .. } => "rate-limited",
            AccountState::AuthFailed { .. } => "auth failed",
            AccountState::Error { .. } => "error",
        }
    }

    /// True when something needs a person's attention or is holding the sync back.
    pub fn is_trouble(&self) -> bool {
        matches!(
            self,
            AccountState::RateLimited { .. }
                | AccountState::AuthFailed { .. }
                | AccountState::Error { .. }
        )
    }
}

impl fmt::Display for AccountState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountState::RateLimited { until } => {
                write!(
                    f,
                    "rate-limited until {}",
                    until.format("%Y-%m-%d %H:%M:%S UTC")
                )
            }
            AccountState::AuthFailed { reason } => write!(f, "auth failed: {reason}"),
            AccountState::Error { reason } => write!(f, "error: {reason}"),
            other => f.write_str(other.word()),
        }
    }
}

/// One account, as the team sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountStatus {
    pub account: String,
    pub platform: Platform,
    pub state: AccountState,
    /// When a pass last ended without error.
    #[serde(default)]
    pub last_ok: Option<DateTime<Utc>>,
    /// When the state last changed.
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    /// Items the last finished pass created.
    #[serde(default)]
    pub last_new: u64,
    /// True while a push stream (Mastodon's user stream) is connected.
    #[serde(default)]
    pub streaming: bool,
    /// What the account has used of its platform's daily allowance, where it is metered
    /// (YouTube's quota, X's spend, Meta's throttling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<super::Usage>,
}

impl AccountStatus {
    pub fn new(account: &str, platform: Platform) -> AccountStatus {
        AccountStatus {
            account: account.to_string(),
            platform,
            state: AccountState::Idle,
            last_ok: None,
            since: None,
            last_new: 0,
            streaming: false,
            usage: None,
        }
    }
}

/// What one sync pass of one account did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSummary {
    pub account: String,
    /// Items seen for the first time.
    pub new: u64,
    /// Known items whose content changed.
    pub updated: u64,
    /// Known items seen again unchanged.
    pub unchanged: u64,
    /// Thread context stored alongside (ancestors, replies).
    pub context: u64,
    /// Pages read.
    pub pages: u64,
    /// Payloads that could not be read (kept as sync problems, raw included).
    pub problems: u64,
    /// Why the pass stopped early, if it did.
    #[serde(default)]
    pub error: Option<String>,
}

/// A payload a pass could not read, kept for the record (`switchboard accounts --problems`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncProblem {
    pub account: String,
    pub at: DateTime<Utc>,
    pub reason: String,
    /// The payload as received (cut to 64 KiB).
    pub raw: String,
}
