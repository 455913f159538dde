//! Who is attached and what each session shows: the item viewed, the item a reply is being
//! written for. Kept in memory only (it is true only while the connections live) and pushed
//! to every subscriber as a whole list whenever it changes.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use tokio::sync::broadcast;

use super::protocol::PresenceEntry;
use crate::model::ItemId;
use crate::team::Member;

/// How many presence updates a slow subscriber may fall behind before it only gets the
/// latest (each update is the whole list, so skipping is harmless).
const FEED_DEPTH: usize = 64;

/// The live presence list.
pub struct Presence {
    next_session: AtomicU64,
    sessions: Mutex<BTreeMap<u64, PresenceEntry>>,
    feed: broadcast::Sender<Vec<PresenceEntry>>,
}

impl Default for Presence {
    fn default() -> Self {
        Presence {
            next_session: AtomicU64::new(first_session()),
            sessions: Mutex::new(BTreeMap::new()),
            feed: broadcast::channel(FEED_DEPTH).0,
        }
    }
}

/// Session numbers start from the clock (milliseconds, shifted), so a hub restarted later
/// never hands out a number its audit log already holds for another connection.
fn first_session() -> u64 {
    let millis = chrono::Utc::now().timestamp_millis().max(1) as u64;
    millis << 10
}

impl Presence {
    /// Registers a new connection; returns its session number.
    pub fn join(&self, member: &Member, client: &str, now: DateTime<Utc>) -> u64 {
        let session = self.next_session.fetch_add(1, Ordering::Relaxed);
        let entry = PresenceEntry {
            session,
            user: member.name.clone(),
            display_name: member.display_name.clone(),
            client: client.to_string(),
            since: now,
            viewing: None,
            composing: None,
        };
        self.change(|sessions| {
            sessions.insert(session, entry);
            true
        });
        session
    }

    /// Forgets a connection that went away.
    pub fn leave(&self, session: u64) {
        self.change(|sessions| sessions.remove(&session).is_some());
    }

    /// Records what a session shows; announces it only when something changed.
    pub fn set(&self, session: u64, viewing: Option<ItemId>, composing: Option<ItemId>) {
        self.change(|sessions| match sessions.get_mut(&session) {
            Some(entry) if entry.viewing != viewing || entry.composing != composing => {
                entry.viewing = viewing;
                entry.composing = composing;
                true
            }
            _ => false,
        });
    }

    /// Everyone attached, in session order.
    pub fn online(&self) -> Vec<PresenceEntry> {
        self.lock().values().cloned().collect()
    }

    /// Receives the whole list after every change.
    pub fn subscribe(&self) -> broadcast::Receiver<Vec<PresenceEntry>> {
        self.feed.subscribe()
    }

    fn change(&self, apply: impl FnOnce(&mut BTreeMap<u64, PresenceEntry>) -> bool) {
        let mut sessions = self.lock();
        if apply(&mut sessions) {
            let list: Vec<PresenceEntry> = sessions.values().cloned().collect();
            drop(sessions);
            // No subscriber is not an error: nobody is watching.
            let _ = self.feed.send(list);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, PresenceEntry>> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_updates_and_leaves_are_announced_once_each() {
        let presence = Presence::default();
        let mut feed = presence.subscribe();
        let alice = presence.join(&Member::open("alice"), "tui", Utc::now());
        let item = ItemId::generate();
        presence.set(alice, Some(item), None);
        presence.set(alice, Some(item), None); // unchanged: not announced
        presence.set(alice, Some(item), Some(item));
        presence.leave(alice);
        let lists: Vec<Vec<PresenceEntry>> = std::iter::from_fn(|| feed.try_recv().ok()).collect();
        assert_eq!(lists.len(), 4, "join, view, compose, leave");
        assert_eq!(lists[1][0].viewing, Some(item));
        assert_eq!(lists[2][0].composing, Some(item));
        assert!(lists[3].is_empty());
    }
}
