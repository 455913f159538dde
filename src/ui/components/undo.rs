//! Undo: for each change the user makes (status, tag, assign, snooze), the requests that
//! put each item back, computed from the item as it was. One entry per command, covering
//! every item it touched; `undo` replays the newest entry's inverses through the hub.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::hub::protocol::Request;
use crate::model::{Item, ItemId, Status};

/// How many commands can be undone.
const DEPTH: usize = 50;

/// One command's inverses.
#[derive(Clone, Debug)]
pub struct UndoEntry {
    pub batch: u64,
    pub label: &'static str,
    pub inverses: BTreeMap<ItemId, Vec<Request>>,
}

/// The undo history.
#[derive(Clone, Debug, Default)]
pub struct UndoLog {
    entries: Vec<UndoEntry>,
    next_batch: u64,
}

impl UndoLog {
    /// Opens an entry for a new command; returns its batch number.
    pub fn begin(&mut self, label: &'static str) -> u64 {
        self.next_batch += 1;
        self.entries.push(UndoEntry {
            batch: self.next_batch,
            label,
            inverses: BTreeMap::new(),
        });
        if self.entries.len() > DEPTH {
            self.entries.remove(0);
        }
        self.next_batch
    }

    /// Records how to undo one item's change (done when the request is sent, so a quick
    /// `undo` works before the answer is back).
    pub fn record(&mut self, batch: u64, id: ItemId, inverse: Vec<Request>) {
        if inverse.is_empty() {
            return;
        }
        if let Some(entry) = self.entries.iter_mut().find(|e| e.batch == batch) {
            entry.inverses.insert(id, inverse);
        }
    }

    /// Forgets an item's inverse (its change failed, nothing to undo).
    pub fn forget(&mut self, batch: u64, id: ItemId) {
        if let Some(entry) = self.entries.iter_mut().find(|e| e.batch == batch) {
            entry.inverses.remove(&id);
        }
    }

    /// Takes the newest entry that has something to undo.
    pub fn pop(&mut self) -> Option<UndoEntry> {
        while let Some(entry) = self.entries.pop() {
            if !entry.inverses.is_empty() {
                return Some(entry);
            }
        }
        None
    }

    pub fn is_empty(&self) -> bool {
        self.entries.iter().all(|e| e.inverses.is_empty())
    }
}

/// The requests that bring an item from `to` back to its status `from`. Resolved and spam
/// items go back through `open`; nothing goes back to `new`, so `new` comes back as `open`.
pub fn status_inverse(id: ItemId, from: Status, to: Status) -> Vec<Request> {
    let set = |status| Request::SetStatus { id, status };
    if from == to {
        Vec::new()
    } else if to.transition(from).is_ok() {
        vec![set(from)]
    } else if from == Status::New || from == Status::Open {
        vec![set(Status::Open)]
    } else {
        vec![set(Status::Open), set(from)]
    }
}

pub fn tag_inverse(item: &Item, tag: &str, adding: bool) -> Vec<Request> {
    let id = item.id;
    let tag = tag.to_string();
    match (adding, item.tags.contains(&tag)) {
        (true, false) => vec![Request::Untag { id, tag }],
        (false, true) => vec![Request::Tag { id, tag }],
        _ => Vec::new(),
    }
}

pub fn assign_inverse(item: &Item, user: Option<&str>) -> Vec<Request> {
    if item.assignee.as_deref() == user {
        return Vec::new();
    }
    vec![Request::Assign {
        id: item.id,
        user: item.assignee.clone(),
    }]
}

pub fn snooze_inverse(item: &Item, until: Option<DateTime<Utc>>) -> Vec<Request> {
    if item.snoozed_until == until {
        return Vec::new();
    }
    vec![Request::Snooze {
        id: item.id,
        until: item.snoozed_until,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(requests: &[Request]) -> Vec<Status> {
        requests
            .iter()
            .map(|r| match r {
                Request::SetStatus { status, .. } => *status,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn status_inverses_follow_the_transition_rules() {
        let id = ItemId::generate();
        use Status::*;
        assert_eq!(statuses(&status_inverse(id, Open, Resolved)), vec![Open]);
        assert_eq!(statuses(&status_inverse(id, New, Resolved)), vec![Open]);
        assert_eq!(
            statuses(&status_inverse(id, Pending, Spam)),
            vec![Open, Pending]
        );
        assert_eq!(
            statuses(&status_inverse(id, Escalated, Open)),
            vec![Escalated]
        );
        assert_eq!(statuses(&status_inverse(id, New, Escalated)), vec![Open]);
        assert!(status_inverse(id, Open, Open).is_empty());
    }

    #[test]
    fn log_skips_entries_with_nothing_to_undo() {
        let mut log = UndoLog::default();
        let id = ItemId::generate();
        let first = log.begin("resolve");
        log.record(
            first,
            id,
            status_inverse(id, Status::Open, Status::Resolved),
        );
        let second = log.begin("note");
        log.record(second, id, Vec::new());
        let third = log.begin("tag");
        log.record(
            third,
            id,
            vec![Request::Untag {
                id,
                tag: "x".into(),
            }],
        );
        log.forget(third, id);
        let entry = log.pop().unwrap();
        assert_eq!(entry.label, "resolve");
        assert!(log.pop().is_none());
        assert!(log.is_empty());
    }
}
