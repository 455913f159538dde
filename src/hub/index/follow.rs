//! Keeping the index current: its state (building, ready, failed) and the store's change
//! feed, which tells it of every item created or changed.
//!
//! The index subscribes before its build starts, so no change is missed. Draining the feed
//! and applying what it held are separate steps:
//! * draining moves the feed's changes into `pending` under a lock that nothing holds for
//!   long. A follower thread drains as changes arrive, even while a long `Find` holds the
//!   table, so a big import never overflows the feed;
//! * applying takes `pending` into the table (newest version wins) under the table's write
//!   lock, one applier at a time. Every request first drains and applies everything
//!   committed so far, so a client always sees its own writes. While the index builds,
//!   `pending` waits for the table.
//!
//! If the feed overflows anyway, changes were lost: the index is rebuilt (requests are
//! answered from the store meanwhile).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, Weak};
use std::time::{Duration, Instant};

use tokio::sync::broadcast::{error::RecvError, error::TryRecvError, Receiver};

use super::build::build;
use super::table::Table;
use crate::model::Item;
use crate::store::{Change, Store};

/// Where the index stands.
pub(super) enum State {
    /// Being built: requests are answered from the store.
    Building,
    Ready(Box<Ready>),
    /// The build failed (the reason was logged): requests are answered from the store.
    Failed,
}

pub(super) struct Ready {
    pub table: Table,
    pub built_in: Duration,
}

/// What the index has read of the change feed and not yet applied.
struct Feed {
    changes: Receiver<Change>,
    pending: Vec<Arc<Item>>,
    /// The feed overflowed since the last build began: changes were lost.
    lost: bool,
}

/// The index's state, shared with its build and follower threads.
pub(super) struct Shared {
    state: RwLock<State>,
    feed: Mutex<Feed>,
    /// Held while applying (and installing), so that appliers take turns in feed order.
    applying: Mutex<()>,
    store: Weak<dyn Store>,
}

impl Shared {
    /// Subscribes to the store's changes and starts the build and the follower.
    pub fn start(store: &Arc<dyn Store>) -> Arc<Shared> {
        let shared = Arc::new(Shared {
            state: RwLock::new(State::Building),
            feed: Mutex::new(Feed {
                changes: store.subscribe(),
                pending: Vec::new(),
                lost: false,
            }),
            applying: Mutex::new(()),
            store: Arc::downgrade(store),
        });
        let wake = store.subscribe();
        let follower = Arc::downgrade(&shared);
        spawn("index-follower", move || follow(follower, wake));
        shared.spawn_build();
        shared
    }

    /// The state, for reading (after [`Shared::catch_up`]). `None` if a panic while
    /// applying a change poisoned it: the table may be half-changed, so it is not read again.
    pub fn read(&self) -> Option<RwLockReadGuard<'_, State>> {
        self.state.read().ok()
    }

    /// Drains the feed and applies everything committed so far (waiting for its turn).
    pub fn catch_up(self: &Arc<Self>) {
        let turn = lock(&self.applying);
        self.apply(turn);
    }

    /// Moves what the feed holds into `pending`; notes an overflow.
    fn drain(&self) {
        let mut feed = lock(&self.feed);
        loop {
            match feed.changes.try_recv() {
                Ok(change) => feed.pending.push(change.item),
                Err(TryRecvError::Lagged(_)) => feed.lost = true,
                Err(TryRecvError::Empty | TryRecvError::Closed) => return,
            }
        }
    }

    /// Applies `pending` to a ready table (the caller holds the applying turn).
    fn apply(self: &Arc<Self>, _turn: MutexGuard<'_, ()>) {
        self.drain();
        let ready = match self.read().as_deref() {
            Some(State::Ready(_)) => true,
            // The build takes the changes when it installs its table.
            Some(State::Building) => return,
            // Nothing will read them.
            Some(State::Failed) | None => false,
        };
        let (changes, lost) = {
            let mut feed = lock(&self.feed);
            (
                std::mem::take(&mut feed.pending),
                std::mem::take(&mut feed.lost),
            )
        };
        if !ready || (changes.is_empty() && !lost) {
            return;
        }
        let Ok(mut state) = self.state.write() else {
            return;
        };
        if lost {
            tracing::warn!("index: the change feed overflowed; rebuilding the index");
            *state = State::Building;
            drop(state);
            self.spawn_build();
        } else if let State::Ready(ready) = &mut *state {
            for item in &changes {
                ready.table.apply(item);
            }
        }
    }

    /// Installs a built table, with the changes received meanwhile.
    fn install(self: &Arc<Self>, mut table: Table, built_in: Duration) {
        let _turn = lock(&self.applying);
        self.drain();
        let (changes, lost) = {
            let mut feed = lock(&self.feed);
            (
                std::mem::take(&mut feed.pending),
                std::mem::take(&mut feed.lost),
            )
        };
        if lost {
            tracing::warn!("index: the change feed overflowed while building; building again");
            self.spawn_build();
            return;
        }
        for item in &changes {
            table.apply(item);
        }
        tracing::info!(
            items = table.len(),
            heap_bytes = table.heap_bytes(),
            seconds = built_in.as_secs_f64(),
            "index: ready"
        );
        if let Ok(mut state) = self.state.write() {
            *state = State::Ready(Box::new(Ready { table, built_in }));
        }
        give_back_free_memory();
    }

    fn fail(&self, reason: &str) {
        tracing::error!(reason, "index: build failed; answering from the store");
        if let Ok(mut state) = self.state.write() {
            *state = State::Failed;
        }
    }

    fn spawn_build(self: &Arc<Self>) {
        let Some(store) = self.store.upgrade() else {
            return;
        };
        let shared = Arc::downgrade(self);
        spawn("index-build", move || {
            let started = Instant::now();
            let wanted = || shared.strong_count() > 0;
            let result = build(&*store, &wanted);
            drop(store);
            let Some(shared) = shared.upgrade() else {
                return;
            };
            match result {
                Ok(Some(table)) => shared.install(table, started.elapsed()),
                Ok(None) => {}
                Err(e) => shared.fail(&e.to_string()),
            }
        });
    }
}

/// Locks a mutex whose data a panic cannot leave torn (a receiver and a list, or nothing).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The follower: wakes on every change (its own subscription, whose overflow does not
/// matter), drains the index's feed, and applies it unless another applier has the turn
/// (that one applies it), until the index or the store goes away.
fn follow(shared: Weak<Shared>, mut wake: Receiver<Change>) {
    loop {
        match wake.blocking_recv() {
            Ok(_) | Err(RecvError::Lagged(_)) => {
                while !matches!(
                    wake.try_recv(),
                    Err(TryRecvError::Empty | TryRecvError::Closed)
                ) {}
                let Some(shared) = shared.upgrade() else {
                    return;
                };
                shared.drain();
                let turn = shared.applying.try_lock();
                if let Ok(turn) = turn {
                    shared.apply(turn);
                }
            }
            Err(RecvError::Closed) => return,
        }
    }
}

/// Returns the memory the build freed (decoded items, merge buffers) to the system: glibc
/// keeps freed memory in its arenas otherwise, about a third of the index's size.
fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory held by the allocator.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn spawn(name: &str, work: impl FnOnce() + Send + 'static) {
    if let Err(e) = std::thread::Builder::new().name(name.into()).spawn(work) {
        tracing::error!(error = %e, thread = name, "index: cannot start a thread");
    }
}
