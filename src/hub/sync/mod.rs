//! Sync: the hub reads every platform account in the background and keeps each account's
//! state where the team can see it.
//!
//! - [`board`]: the accounts and their states (ok, syncing, rate-limited until T,
//!   authentication failed, error), saved and published;
//! - [`pass`]: one pass of one account, page by page, each page stored atomically with the
//!   cursor past it;
//! - [`schedule`]: the background loop of one account (poll interval, backoff, rate-limit
//!   resets, push-stream and webhook wake-ups);
//! - [`wakes`]: the running loops' wake handles (`Hub::wake_account`).
//!
//! Every account runs on its own: a failing account never stops or slows the others.

pub mod board;
pub mod pass;
pub mod schedule;
pub mod wakes;

use std::sync::Arc;

use futures::future::join_all;

pub use board::AccountBoard;
pub use schedule::Cadence;

use super::protocol::{ErrorKind, WireError};
use super::Hub;
use crate::config::Config;
use crate::connectors::registry::{poll_interval, BuildProblem};
use crate::connectors::{build_connectors, Connectors};
use crate::model::{AccountState, SyncSummary};
use crate::team::Scope;

/// How often an account the config does not describe (the demo's) is polled.
const DEFAULT_POLL: std::time::Duration =
    std::time::Duration::from_secs(crate::connectors::registry::DEFAULT_POLL_SECS);

/// The platform side of a hub: a connector per account, and the accounts left without one.
#[derive(Clone, Default)]
pub struct Platforms {
    pub connectors: Connectors,
    pub broken: Vec<BuildProblem>,
}

impl Platforms {
    /// Connectors for the configured `[[accounts]]`.
    pub fn from_config(config: &Config) -> Platforms {
        let (connectors, broken) = build_connectors(config);
        Platforms { connectors, broken }
    }

    /// Connectors made elsewhere (the demo's simulator).
    pub fn of(connectors: Connectors) -> Platforms {
        Platforms {
            connectors,
            broken: Vec::new(),
        }
    }
}

impl Hub {
    /// Gives the hub its connectors: their accounts appear on the board (an account without
    /// a connector shows why), replies and moderation go through them.
    pub fn install_platforms(&self, platforms: Platforms) {
        let store = self.store().as_ref();
        let saved = store.account_statuses().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the accounts' saved sync states could not be read");
            Vec::new()
        });
        for connector in platforms.connectors.all() {
            self.accounts
                .register(&saved, connector.account(), connector.platform());
            let saved_usage = saved
                .iter()
                .find(|s| s.account == connector.account())
                .and_then(|s| s.usage.as_ref());
            if let Some(usage) = saved_usage {
                connector.resume_usage(usage);
            }
        }
        for broken in &platforms.broken {
            self.accounts
                .register(&saved, &broken.account, broken.platform.clone());
            let reason = broken.error.to_string();
            let state = match &broken.error {
                crate::connectors::ConnectorError::Auth(_) => AccountState::AuthFailed { reason },
                _ => AccountState::Error { reason },
            };
            self.accounts
                .set_state(store, &broken.account, state, chrono::Utc::now());
        }
        *self.platforms.write().unwrap_or_else(|e| e.into_inner()) = platforms;
    }

    /// The connectors installed (none until [`Hub::install_platforms`]).
    pub fn connectors(&self) -> Connectors {
        self.platforms
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .connectors
            .clone()
    }

    fn broken_accounts(&self) -> Vec<BuildProblem> {
        self.platforms
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .broken
            .clone()
    }

    /// The accounts' sync board.
    pub fn accounts(&self) -> &AccountBoard {
        &self.accounts
    }
}

/// Starts the background sync of every installed connector, with the cadence `config`
/// gives each account. The tasks run until aborted (see `attach::PlatformTasks`).
pub fn start(hub: &Arc<Hub>, config: &Config) -> Vec<tokio::task::JoinHandle<()>> {
    hub.connectors()
        .all()
        .map(|connector| {
            let account = config
                .accounts
                .iter()
                .find(|a| a.name == connector.account());
            let cadence = Cadence {
                poll: account.map_or(DEFAULT_POLL, poll_interval),
                streaming: account.and_then(|a| a.streaming).unwrap_or(true),
            };
            tokio::spawn(schedule::keep_syncing(
                Arc::clone(hub),
                Arc::clone(connector),
                cadence,
            ))
        })
        .collect()
}

/// Runs one pass of every account `scope` sees (or of the one named), all at once, and
/// reports each. An account without a connector reports why.
pub async fn sync_once(
    hub: &Arc<Hub>,
    account: Option<&str>,
    scope: &Scope,
) -> Result<Vec<SyncSummary>, WireError> {
    let connectors = hub.connectors();
    let broken = hub.broken_accounts();
    let wanted = |name: &str| account.is_none_or(|a| a == name) && scope.sees_account(name);
    if let Some(name) = account {
        let known = connectors.get(name).is_some() || broken.iter().any(|b| b.account == name);
        if !known || !scope.sees_account(name) {
            return Err(no_such_account(name, &connectors, &broken, scope));
        }
    }
    let passes = connectors
        .all()
        .filter(|c| wanted(c.account()))
        .map(|connector| pass::run_pass(hub, connector));
    let mut summaries = join_all(passes).await;
    summaries.extend(
        broken
            .iter()
            .filter(|b| wanted(&b.account))
            .map(|b| SyncSummary {
                account: b.account.clone(),
                error: Some(b.error.to_string()),
                ..SyncSummary::default()
            }),
    );
    summaries.sort_by(|a, b| a.account.cmp(&b.account));
    Ok(summaries)
}

fn no_such_account(
    name: &str,
    connectors: &Connectors,
    broken: &[BuildProblem],
    scope: &Scope,
) -> WireError {
    let mut known: Vec<&str> = connectors
        .accounts()
        .chain(broken.iter().map(|b| b.account.as_str()))
        .filter(|a| scope.sees_account(a))
        .collect();
    known.sort_unstable();
    let known = if known.is_empty() {
        "no accounts are configured".to_string()
    } else {
        format!("accounts: {}", known.join(", "))
    };
    WireError {
        kind: ErrorKind::NotFound,
        message: format!("no account named '{name}' ({known})"),
    }
}

impl Hub {
    /// The accounts `scope` sees, with their states.
    pub(in crate::hub) fn accounts_for(&self, scope: &Scope) -> Vec<crate::model::AccountStatus> {
        self.accounts
            .all()
            .into_iter()
            .filter(|s| scope.sees_account(&s.account))
            .collect()
    }

    /// The payloads sync could not read, within `scope`.
    pub(in crate::hub) fn sync_problems(
        &self,
        scope: &Scope,
        account: Option<&str>,
        limit: usize,
    ) -> Result<super::protocol::Response, WireError> {
        let store = self.store();
        let mut problems = if account.is_none() && scope.is_everything() {
            store
                .sync_problems(None, limit)
                .map_err(super::core::store_error)?
        } else {
            let accounts: Vec<String> = match account {
                Some(account) => vec![account.to_string()],
                None => self.accounts.all().into_iter().map(|s| s.account).collect(),
            };
            let mut found = Vec::new();
            for account in accounts.iter().filter(|a| scope.sees_account(a)) {
                found.extend(
                    store
                        .sync_problems(Some(account), limit)
                        .map_err(super::core::store_error)?,
                );
            }
            found.sort_by_key(|p| p.at);
            found
        };
        let skip = problems.len().saturating_sub(limit);
        Ok(super::protocol::Response::SyncProblems {
            problems: problems.split_off(skip),
        })
    }
}
