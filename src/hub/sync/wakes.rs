//! [`Wakes`]: the wake handle of every account syncing in the background here, so something
//! outside its loop (a webhook) can end its pause at once: `Hub::wake_account`.
//!
//! An account's loop registers its `Notify` when it starts and the registration goes away
//! with the loop. A wake never reads anything itself: it only starts the account's next
//! pass early, which reads what is new with the stored cursor, so nothing arrives twice and
//! a lost wake costs nothing (the poll still comes). A wake during a rate-limit hold is
//! ignored like a stream event is (see `schedule::keep_syncing`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use crate::hub::Hub;

/// The accounts' wake handles, by account name.
#[derive(Default)]
pub struct Wakes {
    handles: Mutex<BTreeMap<String, Arc<Notify>>>,
}

impl Wakes {
    /// Registers `wake` for `account` until the returned guard is dropped.
    pub fn register(self: &Arc<Self>, account: &str, wake: &Arc<Notify>) -> Registration {
        self.lock().insert(account.to_string(), Arc::clone(wake));
        Registration {
            wakes: Arc::clone(self),
            account: account.to_string(),
            wake: Arc::clone(wake),
        }
    }

    /// Wakes `account`'s loop; false when no loop of that account runs here.
    pub fn wake(&self, account: &str) -> bool {
        match self.lock().get(account) {
            Some(wake) => {
                wake.notify_one();
                true
            }
            None => false,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Arc<Notify>>> {
        self.handles.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// An account's registration; dropping it removes the handle (unless a newer loop of the
/// same account registered its own meanwhile).
pub struct Registration {
    wakes: Arc<Wakes>,
    account: String,
    wake: Arc<Notify>,
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut handles = self.wakes.lock();
        if handles
            .get(&self.account)
            .is_some_and(|current| Arc::ptr_eq(current, &self.wake))
        {
            handles.remove(&self.account);
        }
    }
}

impl Hub {
    /// Ends `account`'s sync pause now (a webhook said something is new); false when the
    /// account does not sync in the background in this process.
    pub fn wake_account(&self, account: &str) -> bool {
        self.wakes.wake(account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_registered_account_wakes_until_its_loop_ends() {
        let wakes = Arc::new(Wakes::default());
        let wake = Arc::new(Notify::new());
        assert!(!wakes.wake("acme"));
        let registration = wakes.register("acme", &wake);
        assert!(wakes.wake("acme"));
        tokio::time::timeout(std::time::Duration::from_secs(1), wake.notified())
            .await
            .expect("the loop's Notify was woken");
        let newer = Arc::new(Notify::new());
        let _newer_registration = wakes.register("acme", &newer);
        drop(registration);
        assert!(wakes.wake("acme"), "the newer loop stays registered");
        drop(_newer_registration);
        assert!(!wakes.wake("acme"));
    }
}
