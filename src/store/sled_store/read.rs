//! Reading records and index ranges. Readers never take the writer's lock: every sled read
//! sees whole batches, and items are never deleted, so an index entry always finds its item.
//!
//! The queue of several statuses is a k-way merge of one `q` range per status, ordered by the
//! key after the status byte (priority, SLA due, received, id), so paging reads only the
//! entries it passes and the items it returns.

use std::collections::BTreeSet;

use super::codec::{self, decode, engine, ItemRecord};
use crate::model::{AuditEntry, Item, ItemId, OutboxEntry, Status};
use crate::store::{keys, Result};

/// Read access to the one tree.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    pub tree: &'a sled::Tree,
}

impl<'a> Reader<'a> {
    /// The item with this id (without raw) and its whole record, whose raw part a rewrite
    /// of the item keeps.
    pub fn find_record(&self, id: ItemId) -> Result<Option<(Item, sled::IVec)>> {
        let key = keys::item(id);
        let Some(bytes) = self.tree.get(&key).map_err(engine)? else {
            return Ok(None);
        };
        let item = decode(&key, ItemRecord::split(&key, &bytes)?.item)?;
        Ok(Some((item, bytes)))
    }

    /// The item with this id (without raw), if there is one.
    pub fn find_item(&self, id: ItemId) -> Result<Option<Item>> {
        Ok(self.find_record(id)?.map(|(item, _)| item))
    }

    /// An item an index or a remote record names: it must exist.
    pub fn item(&self, id: ItemId) -> Result<Item> {
        self.find_item(id)?.ok_or_else(|| {
            codec::corrupt(
                &keys::item(id),
                format!("item {id} is named by an index but missing"),
            )
        })
    }

    /// The raw payload kept in an item's record.
    pub fn raw(&self, id: ItemId) -> Result<Option<serde_json::Value>> {
        let key = keys::item(id);
        let Some(bytes) = self.tree.get(&key).map_err(engine)? else {
            return Ok(None);
        };
        match ItemRecord::split(&key, &bytes)?.raw {
            Some(raw) => decode(&key, raw).map(Some),
            None => Ok(None),
        }
    }

    /// The id a `r` record (account, remote id) points to.
    pub fn remote_id_at(&self, remote_key: &[u8]) -> Result<Option<ItemId>> {
        match self.tree.get(remote_key).map_err(engine)? {
            Some(bytes) => codec::decode_id(remote_key, &bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Every outbox entry, oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        self.decode_all(&keys::outbox_prefix())
    }

    /// The outbox entries from `start` (an outbox key) to the end, in key order.
    pub fn outbox_from(&self, start: Vec<u8>) -> impl Iterator<Item = Result<OutboxEntry>> + 'a {
        self.tree.range(start..vec![keys::OUTBOX + 1]).map(|entry| {
            let (key, bytes) = entry.map_err(engine)?;
            decode(&key, &bytes)
        })
    }

    /// Every JSON record under `prefix`, in key order.
    pub fn decode_all<T: serde::de::DeserializeOwned>(&self, prefix: &[u8]) -> Result<Vec<T>> {
        self.tree
            .scan_prefix(prefix)
            .map(|entry| {
                let (key, bytes) = entry.map_err(engine)?;
                decode(&key, &bytes)
            })
            .collect()
    }

    /// The ids at the end of every key under `prefix`, in key order.
    pub fn ids_under(&self, prefix: &[u8]) -> Result<Vec<ItemId>> {
        self.tree
            .scan_prefix(prefix)
            .map(|entry| codec::key_id(&entry.map_err(engine)?.0))
            .collect()
    }

    /// The items named by the last `limit` keys under `prefix`, in key order: reads only
    /// those keys, however long the range (a viral post's thread).
    pub fn last_items_under(&self, prefix: &[u8], limit: usize) -> Result<Vec<Item>> {
        let ids = self.last_ids_under(prefix, limit)?;
        ids.into_iter().map(|id| self.item(id)).collect()
    }

    /// The ids of the last `limit` index keys under `prefix`, in key order.
    pub fn last_ids_under(&self, prefix: &[u8], limit: usize) -> Result<Vec<ItemId>> {
        let mut ids = self
            .tree
            .scan_prefix(prefix)
            .rev()
            .take(limit)
            .map(|entry| codec::key_id(&entry.map_err(engine)?.0))
            .collect::<Result<Vec<_>>>()?;
        ids.reverse();
        Ok(ids)
    }

    /// Items whose record key is `start` or later, in id order, lazily.
    pub fn items_from(&self, start: Vec<u8>) -> impl Iterator<Item = Result<Item>> + 'a {
        self.tree.range(start..vec![keys::ITEM + 1]).map(|entry| {
            let (key, bytes) = entry.map_err(engine)?;
            decode(&key, ItemRecord::split(&key, &bytes)?.item)
        })
    }

    /// The items named by the index keys in `[start, end)`.
    pub fn items_between(&self, start: Vec<u8>, end: Vec<u8>) -> Result<Vec<Item>> {
        self.tree
            .range(start..end)
            .map(|entry| self.item(codec::key_id(&entry.map_err(engine)?.0)?))
            .collect()
    }

    /// The record with the greatest key under `prefix`, decoded.
    pub fn last_under<T: serde::de::DeserializeOwned>(&self, prefix: &[u8]) -> Result<Option<T>> {
        match self.tree.scan_prefix(prefix).next_back() {
            Some(entry) => {
                let (key, bytes) = entry.map_err(engine)?;
                decode(&key, &bytes).map(Some)
            }
            None => Ok(None),
        }
    }

    /// One JSON record, if it is there.
    pub fn record<T: serde::de::DeserializeOwned>(&self, key: &[u8]) -> Result<Option<T>> {
        match self.tree.get(key).map_err(engine)? {
            Some(bytes) => decode(key, &bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Ids in queue order among `statuses`, lazily.
    pub fn queue_ids(&self, statuses: &[Status]) -> QueueIds {
        let distinct: BTreeSet<Status> = statuses.iter().copied().collect();
        let sources = distinct
            .into_iter()
            .map(|status| {
                let mut iter = self.tree.scan_prefix(keys::queue_prefix(status));
                let head = iter.next();
                Source { iter, head }
            })
            .collect();
        QueueIds { sources }
    }

    /// The newest `limit` audit lines, oldest first.
    pub fn audit_tail(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut lines = self
            .tree
            .scan_prefix([keys::AUDIT])
            .rev()
            .take(limit)
            .map(|entry| {
                let (key, value) = entry.map_err(engine)?;
                decode(&key, &value)
            })
            .collect::<Result<Vec<AuditEntry>>>()?;
        lines.reverse();
        Ok(lines)
    }

    /// Every audit line, newest first, lazily.
    pub fn audit_back(&self) -> impl Iterator<Item = Result<AuditEntry>> + 'a {
        self.tree.scan_prefix([keys::AUDIT]).rev().map(|entry| {
            let (key, value) = entry.map_err(engine)?;
            decode(&key, &value)
        })
    }

    /// The newest `limit` audit lines of one item, oldest first.
    pub fn item_audit(&self, id: ItemId, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut lines = self
            .tree
            .scan_prefix(keys::item_audit_prefix(id))
            .rev()
            .take(limit)
            .map(|entry| self.audit_line(&entry.map_err(engine)?.0))
            .collect::<Result<Vec<AuditEntry>>>()?;
        lines.reverse();
        Ok(lines)
    }

    fn audit_line(&self, item_audit_key: &[u8]) -> Result<AuditEntry> {
        let key = keys::audit(codec::key_seq(item_audit_key)?);
        let bytes = self.tree.get(&key).map_err(engine)?.ok_or_else(|| {
            codec::corrupt(item_audit_key, "names an audit line that is missing".into())
        })?;
        decode(&key, &bytes)
    }

    pub fn cursor(&self, account: &str) -> Result<Option<String>> {
        let key = keys::cursor(account);
        let Some(bytes) = self.tree.get(&key).map_err(engine)? else {
            return Ok(None);
        };
        String::from_utf8(bytes.to_vec())
            .map(Some)
            .map_err(|_| codec::corrupt(&key, "the cursor is not UTF-8".into()))
    }
}

/// One status's range of the queue index, with its next entry read ahead.
struct Source {
    iter: sled::Iter,
    head: Option<sled::Result<(sled::IVec, sled::IVec)>>,
}

/// Queue index ids of several statuses merged into one queue order.
pub struct QueueIds {
    sources: Vec<Source>,
}

/// The part of a queue key that orders it across statuses: after `q` and the status byte.
fn order_part(key: &[u8]) -> &[u8] {
    key.get(2..).unwrap_or_default()
}

impl QueueIds {
    /// The source whose head comes first (an error comes before anything).
    fn first_source(&self) -> Option<usize> {
        let mut best: Option<(usize, &[u8])> = None;
        for (index, source) in self.sources.iter().enumerate() {
            match &source.head {
                None => {}
                Some(Err(_)) => return Some(index),
                Some(Ok((key, _))) => {
                    let part = order_part(key);
                    if best.is_none_or(|(_, best_part)| part < best_part) {
                        best = Some((index, part));
                    }
                }
            }
        }
        best.map(|(index, _)| index)
    }
}

impl Iterator for QueueIds {
    type Item = Result<ItemId>;

    fn next(&mut self) -> Option<Result<ItemId>> {
        let index = self.first_source()?;
        let source = &mut self.sources[index];
        let head = std::mem::replace(&mut source.head, source.iter.next())?;
        Some(match head {
            Ok((key, _)) => codec::key_id(&key),
            Err(e) => Err(engine(e)),
        })
    }
}
