//! Keeping the index current: its state (building, ready, failed) and the store's change
//! feed, which tells it of every item created or changed.
//!
//! The index subscribes before its build starts, so no change is missed: changes seen while
//! building wait in `pending` and are applied (newest version wins) before the table is
//! installed. Once ready, every request drains the feed before it reads, so a client always
//! sees its own writes; a follower thread also drains it as changes arrive, so a long import
//! with nobody reading never overflows the feed. If the feed overflows anyway, changes were
//! lost: the index is rebuilt (requests are answered from the store meanwhile).

use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard, Weak};
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

/// What the index has read of the change feed.
struct Feed {
    changes: Receiver<Change>,
    /// Changes received while building, applied once the table is there.
    pending: Vec<Arc<Item>>,
    /// The feed overflowed since the last build began: changes were lost.
    lost: bool,
}

/// The index's state, shared with its build and follower threads.
pub(super) struct Shared {
    state: RwLock<State>,
    feed: Mutex<Feed>,
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

    /// Applies every change the feed holds.
    pub fn catch_up(self: &Arc<Self>) {
        let mut feed = self.lock_feed();
        let changes = drain(&mut feed);
        let Ok(mut state) = self.state.write() else {
            return;
        };
        match &mut *state {
            State::Ready(_) if feed.lost => {
                tracing::warn!("index: the change feed overflowed; rebuilding the index");
                feed.lost = false;
                feed.pending.clear();
                *state = State::Building;
                drop(state);
                self.spawn_build();
            }
            State::Ready(ready) => {
                for item in &changes {
                    ready.table.apply(item);
                }
            }
            State::Building => feed.pending.extend(changes),
            State::Failed => {}
        }
    }

    /// Installs a built table, with the changes received meanwhile.
    fn install(self: &Arc<Self>, mut table: Table, built_in: Duration) {
        let mut feed = self.lock_feed();
        let changes = drain(&mut feed);
        feed.pending.extend(changes);
        if feed.lost {
            tracing::warn!("index: the change feed overflowed while building; building again");
            feed.lost = false;
            feed.pending.clear();
            drop(feed);
            self.spawn_build();
            return;
        }
        for item in feed.pending.drain(..) {
            table.apply(&item);
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

    fn lock_feed(&self) -> std::sync::MutexGuard<'_, Feed> {
        // The feed is only a receiver and a list: a panic elsewhere cannot leave it torn.
        self.feed.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Everything the feed holds now; notes an overflow.
fn drain(feed: &mut Feed) -> Vec<Arc<Item>> {
    let mut changes = Vec::new();
    loop {
        match feed.changes.try_recv() {
            Ok(change) => changes.push(change.item),
            Err(TryRecvError::Lagged(_)) => feed.lost = true,
            Err(TryRecvError::Empty | TryRecvError::Closed) => return changes,
        }
    }
}

/// The follower: wakes on every change (its own subscription, whose overflow does not
/// matter) and drains the index's feed, until the index or the store goes away.
fn follow(shared: Weak<Shared>, mut wake: Receiver<Change>) {
    loop {
        match wake.blocking_recv() {
            Ok(_) | Err(RecvError::Lagged(_)) => {
                while !matches!(
                    wake.try_recv(),
                    Err(TryRecvError::Empty | TryRecvError::Closed)
                ) {}
                match shared.upgrade() {
                    Some(shared) => shared.catch_up(),
                    None => return,
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
