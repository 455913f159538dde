//! One item's change with the audit line it asks for, and optionally one more record (an
//! escalation) in the same batch: what `Store::update` and
//! `Store::update_with_escalation` share.

use chrono::{DateTime, Utc};

use super::codec::ItemRecord;
use super::SledStore;
use crate::model::{Actor, Item, ItemId};
use crate::store::{keys, ChangeRejected, Edit, Result, StoreError};

impl SledStore {
    /// Applies `edit` to one item and writes the item, its moved index entries, the audit
    /// line and `extra` (one more record) in one batch; `extra` alone when the edit changes
    /// nothing.
    pub(super) fn update_and_put(
        &self,
        id: ItemId,
        (actor, now): (&Actor, DateTime<Utc>),
        edit: Edit<'_>,
        extra: Option<(Vec<u8>, Vec<u8>)>,
    ) -> Result<Item> {
        let mut state = self.lock_writer();
        let (before, record) = self
            .reader()
            .find_record(id)?
            .ok_or(StoreError::NotFound(id))?;
        let raw = ItemRecord::split(&keys::item(id), &record)?.raw;
        let mut after = before.clone();
        let note = edit(&mut after)?;
        if note.is_none() && extra.is_none() {
            return Ok(before);
        }
        let mut pending = self.begin(&state);
        if let Some((key, value)) = extra {
            pending.put(key, &value);
        }
        let Some(note) = note else {
            self.commit(&mut state, pending)?;
            return Ok(before);
        };
        check_identity(&before, &after)?;
        after.raw = None;
        after.version = before.version + 1;
        after.updated_at = now;
        pending.audit(actor, now, Some(id), &note.action, &note.detail)?;
        pending.put_item(Some(&before), after.clone(), raw)?;
        self.commit(&mut state, pending)?;
        Ok(after)
    }
}

/// Refuses an edit that would change what identifies an item (its id and its remote
/// identity are the keys of the dedup record).
fn check_identity(before: &Item, after: &Item) -> Result<(), ChangeRejected> {
    let same = before.id == after.id
        && before.account == after.account
        && before.remote_id == after.remote_id
        && before.platform == after.platform;
    if same {
        Ok(())
    } else {
        Err(ChangeRejected(format!(
            "item {}: its id, platform, account and remote id cannot be edited",
            before.id
        )))
    }
}
