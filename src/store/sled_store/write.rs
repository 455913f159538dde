//! Building one atomic write: every record an operation touches (items, raw payloads, moved
//! index entries, counters, audit lines, the sequence number) goes into a single
//! `sled::Batch`, and the writer's in-memory state only changes once that batch has landed.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::codec::{self, decode_u64, engine, ItemRecord};
use crate::model::{Actor, AuditEntry, Item, ItemId, Status};
use crate::store::{keys, Change, ChangeKind, Result};

/// Number of statuses, i.e. of status counters.
pub const STATUS_COUNT: usize = Status::ALL.len();

/// What the single writer keeps in memory between writes: the status counters and the last
/// sequence number handed out. Both are persisted in every batch that changes them.
#[derive(Clone, Debug, Default)]
pub struct WriterState {
    pub counts: [u64; STATUS_COUNT],
    pub last_seq: u64,
}

impl WriterState {
    /// Reads the counters and the sequence number the last write left.
    pub fn load(tree: &sled::Tree) -> Result<WriterState> {
        let mut state = WriterState::default();
        for status in Status::ALL {
            let key = keys::count(status);
            if let Some(value) = tree.get(&key).map_err(engine)? {
                state.counts[usize::from(status.index_byte())] = decode_u64(&key, &value)?;
            }
        }
        let seq_key = keys::meta(keys::META_SEQ);
        if let Some(value) = tree.get(&seq_key).map_err(engine)? {
            state.last_seq = decode_u64(&seq_key, &value)?;
        }
        Ok(state)
    }
}

/// The records of one operation, gathered before anything is written.
pub struct PendingWrite {
    batch: sled::Batch,
    state: WriterState,
    counts_changed: bool,
    seq_changed: bool,
    /// `None` when nobody listens to the change feed: no item is cloned for it then.
    changes: Option<Vec<Change>>,
}

impl PendingWrite {
    pub fn start(state: &WriterState, collect_changes: bool) -> PendingWrite {
        PendingWrite {
            batch: sled::Batch::default(),
            state: state.clone(),
            counts_changed: false,
            seq_changed: false,
            changes: collect_changes.then(Vec::new),
        }
    }

    fn next_seq(&mut self) -> u64 {
        self.state.last_seq += 1;
        self.seq_changed = true;
        self.state.last_seq
    }

    /// Writes an item's record with `raw` (the raw payload's JSON) as its payload, moves its
    /// index entries from what `before` had to what `after` has, adjusts the status counters
    /// and reports the change on the feed (without the payload).
    pub fn put_item(
        &mut self,
        before: Option<&Item>,
        mut after: Item,
        raw: Option<&[u8]>,
    ) -> Result<()> {
        after.raw = None;
        self.batch
            .insert(keys::item(after.id), ItemRecord::join(&after, raw)?);
        self.move_index_entries(before, &after);
        self.count_move(before.map(|b| b.status), after.status);
        let seq = self.next_seq();
        if let Some(changes) = &mut self.changes {
            let kind = match before {
                None => ChangeKind::Created,
                Some(_) => ChangeKind::Updated,
            };
            changes.push(Change {
                seq,
                kind,
                item: Arc::new(after),
            });
        }
        Ok(())
    }

    fn move_index_entries(&mut self, before: Option<&Item>, after: &Item) {
        let wanted = keys::index_entries(after);
        match before {
            None => {
                for key in wanted {
                    self.batch.insert(key, &[]);
                }
            }
            Some(before) => {
                let had = keys::index_entries(before);
                for gone in had.difference(&wanted) {
                    self.batch.remove(gone.as_slice());
                }
                for new in wanted.difference(&had) {
                    self.batch.insert(new.as_slice(), &[]);
                }
            }
        }
    }

    fn count_move(&mut self, from: Option<Status>, to: Status) {
        if from == Some(to) {
            return;
        }
        if let Some(from) = from {
            let slot = &mut self.state.counts[usize::from(from.index_byte())];
            *slot = slot.saturating_sub(1);
        }
        self.state.counts[usize::from(to.index_byte())] += 1;
        self.counts_changed = true;
    }

    /// Records which item an (account, remote id) became.
    pub fn put_remote(&mut self, remote_key: Vec<u8>, id: ItemId) {
        self.batch.insert(remote_key, &id.to_bytes());
    }

    /// Appends an audit line (and its per-item entry); returns its sequence number.
    pub fn audit(
        &mut self,
        actor: &Actor,
        at: DateTime<Utc>,
        item: Option<ItemId>,
        action: &str,
        detail: &str,
    ) -> Result<u64> {
        let seq = self.next_seq();
        let entry = AuditEntry {
            seq,
            at,
            actor: actor.clone(),
            item,
            action: action.to_string(),
            detail: detail.to_string(),
        };
        self.batch.insert(keys::audit(seq), codec::encode(&entry)?);
        if let Some(id) = item {
            self.batch.insert(keys::item_audit(id, seq), &[]);
        }
        Ok(seq)
    }

    /// A plain record (a sync cursor).
    pub fn put(&mut self, key: Vec<u8>, value: &[u8]) {
        self.batch.insert(key, value);
    }

    pub fn remove(&mut self, key: Vec<u8>) {
        self.batch.remove(key);
    }

    /// Applies everything as one batch; on success the writer state moves on and the
    /// changes to announce are returned. On failure nothing is written and `state` is kept.
    pub fn commit(mut self, tree: &sled::Tree, state: &mut WriterState) -> Result<Vec<Change>> {
        if self.counts_changed {
            for status in Status::ALL {
                let count = self.state.counts[usize::from(status.index_byte())];
                self.batch.insert(keys::count(status), &count.to_be_bytes());
            }
        }
        if self.seq_changed {
            let seq = self.state.last_seq.to_be_bytes();
            self.batch.insert(keys::meta(keys::META_SEQ), &seq);
        }
        tree.apply_batch(self.batch).map_err(engine)?;
        *state = self.state;
        Ok(self.changes.unwrap_or_default())
    }
}
