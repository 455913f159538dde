//! [`AccountBoard`]: every account's sync state, kept by the hub in memory, saved to the
//! store on each change (so a restarted hub, or `doctor` hosting one, shows the last known
//! state), and published to subscribers as `Event::Accounts`.
//!
//! It also serializes passes: one pass per account at a time, whether the background loop or
//! a `sync --once` asked for it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use tokio::sync::broadcast;

use crate::model::{AccountState, AccountStatus, Platform, Usage};
use crate::store::Store;

/// State changes a slow subscriber may miss before it only gets the newest list.
const CAPACITY: usize = 64;

/// The accounts the hub syncs, and how each is doing.
pub struct AccountBoard {
    states: Mutex<BTreeMap<String, AccountStatus>>,
    pass_locks: Mutex<BTreeMap<String, Arc<tokio::sync::Mutex<()>>>>,
    changes: broadcast::Sender<Vec<AccountStatus>>,
}

impl Default for AccountBoard {
    fn default() -> Self {
        AccountBoard {
            states: Mutex::default(),
            pass_locks: Mutex::default(),
            changes: broadcast::channel(CAPACITY).0,
        }
    }
}

impl AccountBoard {
    /// Lists `account`, keeping its last state from `saved` (what the store kept), if any.
    pub fn register(&self, saved: &[AccountStatus], account: &str, platform: Platform) {
        let saved = saved.iter().find(|s| s.account == account).cloned();
        let mut status = saved.unwrap_or_else(|| AccountStatus::new(account, platform.clone()));
        status.platform = platform;
        status.streaming = false;
        if status.state == AccountState::Syncing {
            // The hub stopped mid-pass: the next pass picks up from the stored cursor.
            status.state = AccountState::Idle;
        }
        self.lock().insert(account.to_string(), status);
    }

    /// Every account, by name.
    pub fn all(&self) -> Vec<AccountStatus> {
        self.lock().values().cloned().collect()
    }

    pub fn get(&self, account: &str) -> Option<AccountStatus> {
        self.lock().get(account).cloned()
    }

    /// Moves an account to a new state (saved and published).
    pub fn set_state(
        &self,
        store: &dyn Store,
        account: &str,
        state: AccountState,
        now: DateTime<Utc>,
    ) {
        self.change(store, account, |status| {
            if state == AccountState::Ok {
                status.last_ok = Some(now);
            }
            if status.state != state {
                status.since = Some(now);
            }
            status.state = state;
        });
    }

    /// Records the items the last pass created.
    pub fn set_last_new(&self, store: &dyn Store, account: &str, new: u64) {
        self.change(store, account, |status| status.last_new = new);
    }

    /// Records what the account has used of its platform's allowance.
    pub fn set_usage(&self, store: &dyn Store, account: &str, usage: Option<Usage>) {
        if usage.is_some() {
            self.change(store, account, |status| status.usage = usage);
        }
    }

    /// Marks the push stream connected or not.
    pub fn set_streaming(&self, store: &dyn Store, account: &str, streaming: bool) {
        self.change(store, account, |status| status.streaming = streaming);
    }

    /// Receives the whole list after every change.
    pub fn subscribe(&self) -> broadcast::Receiver<Vec<AccountStatus>> {
        self.changes.subscribe()
    }

    /// The lock that keeps two passes of one account apart.
    pub fn pass_lock(&self, account: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.pass_locks.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(locks.entry(account.to_string()).or_default())
    }

    fn change(&self, store: &dyn Store, account: &str, edit: impl FnOnce(&mut AccountStatus)) {
        let snapshot = {
            let mut states = self.lock();
            let Some(status) = states.get_mut(account) else {
                return;
            };
            let before = status.clone();
            edit(status);
            if *status == before {
                return;
            }
            if let Err(e) = store.put_account_status(status) {
                tracing::warn!(account, error = %e, "could not save the account's sync state");
            }
            states.values().cloned().collect::<Vec<_>>()
        };
        let _ = self.changes.send(snapshot);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, AccountStatus>> {
        self.states.lock().unwrap_or_else(|e| e.into_inner())
    }
}
