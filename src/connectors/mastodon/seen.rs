//! What the connector remembers of the statuses it has read since it started: each one's
//! thread root, whether the brand wrote it, its visibility, and the mention notification
//! that brought it. It saves requests (a reply whose parent was seen needs no context call
//! to find its thread; a reply needs no status call to learn the audience to answer) and is
//! never needed for correctness: whatever is missing is asked of the server. Bounded: when
//! full it is emptied and fills again.

use std::collections::HashMap;
use std::sync::Mutex;

/// Entries kept before the memory is emptied.
const CAPACITY: usize = 50_000;

/// One status, as far as it was seen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seen {
    /// The thread key (the root status id, or a DM's participant key).
    pub thread: Option<String>,
    pub by_brand: bool,
    /// `public`, `unlisted`, `private`, `direct`, or what the server said.
    pub visibility: Option<String>,
    pub notification: Option<String>,
}

#[derive(Default)]
pub struct Memory {
    statuses: Mutex<HashMap<String, Seen>>,
}

impl Memory {
    pub fn get(&self, status_id: &str) -> Option<Seen> {
        self.lock().get(status_id).cloned()
    }

    /// Records what was learnt about a status; fields left `None` keep what was known.
    pub fn note(&self, status_id: &str, seen: Seen) {
        let mut statuses = self.lock();
        if statuses.len() >= CAPACITY && !statuses.contains_key(status_id) {
            statuses.clear();
        }
        let entry = statuses.entry(status_id.to_string()).or_default();
        if seen.thread.is_some() {
            entry.thread = seen.thread;
        }
        if seen.visibility.is_some() {
            entry.visibility = seen.visibility;
        }
        if seen.notification.is_some() {
            entry.notification = seen.notification;
        }
        entry.by_brand |= seen.by_brand;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Seen>> {
        self.statuses.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_merge_and_the_memory_stays_bounded() {
        let memory = Memory::default();
        memory.note(
            "1",
            Seen {
                thread: Some("1".into()),
                visibility: Some("public".into()),
                ..Seen::default()
            },
        );
        memory.note(
            "1",
            Seen {
                notification: Some("9".into()),
                ..Seen::default()
            },
        );
        let seen = memory.get("1").unwrap();
        assert_eq!(seen.thread.as_deref(), Some("1"));
        assert_eq!(seen.notification.as_deref(), Some("9"));
        for n in 0..CAPACITY + 5 {
            memory.note(&n.to_string(), Seen::default());
        }
        assert!(memory.lock().len() <= CAPACITY);
    }
}
