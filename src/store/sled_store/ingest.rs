//! Planning an ingest: deduplicating a batch of platform items by (account, remote id)
//! against the store and against itself, creating the new ones and refreshing the known
//! ones, all into one [`PendingWrite`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::codec::{self, ItemRecord};
use super::read::Reader;
use super::write::PendingWrite;
use crate::model::{Actor, Item, ItemId, NewItem};
use crate::store::{keys, IngestOutcome, Prepare, Result};

/// One distinct (account, remote id) of the batch and what the batch does to it.
struct Slot {
    /// The item as stored before this batch (without raw); `None` when the batch creates it.
    before: Option<Item>,
    /// The item as it will be written, raw payload included.
    current: Item,
    /// Whether anything about it must be written.
    dirty: bool,
}

/// Plans the whole batch into `pending` and returns one outcome per input, in order.
pub fn plan(
    reader: &Reader<'_>,
    items: Vec<NewItem>,
    (actor, now): (&Actor, DateTime<Utc>),
    pending: &mut PendingWrite,
    prepare: &mut Prepare<'_>,
) -> Result<Vec<IngestOutcome>> {
    let mut slots: Vec<Slot> = Vec::with_capacity(items.len());
    let mut slot_of: HashMap<Vec<u8>, usize> = HashMap::with_capacity(items.len());
    let mut outcomes = Vec::with_capacity(items.len());
    let detail = format!("content updated from {}", actor.client);
    for new in items {
        let remote_key = keys::remote(&new.account, &new.remote_id);
        let known = match slot_of.get(&remote_key) {
            Some(&index) => Some(index),
            None => load_known(reader, &remote_key)?.map(|slot| {
                slots.push(slot);
                slot_of.insert(remote_key.clone(), slots.len() - 1);
                slots.len() - 1
            }),
        };
        let outcome = match known {
            Some(index) => {
                let slot = &mut slots[index];
                let id = slot.current.id;
                if slot.current.refresh_content(new) {
                    slot.dirty = true;
                    pending.audit(actor, now, Some(id), "ingest", &detail)?;
                    IngestOutcome::Updated(id)
                } else {
                    IngestOutcome::Unchanged(id)
                }
            }
            None => {
                let id = ItemId::generate();
                pending.put_remote(remote_key.clone(), id);
                slot_of.insert(remote_key, slots.len());
                let mut current = Item::from_new(id, new, now);
                for (by, note) in prepare(&mut current) {
                    pending.audit(&by, now, Some(id), &note.action, &note.detail)?;
                }
                slots.push(Slot {
                    before: None,
                    current,
                    dirty: true,
                });
                IngestOutcome::Created(id)
            }
        };
        outcomes.push(outcome);
    }
    write_slots(slots, now, pending)?;
    Ok(outcomes)
}

/// The stored item behind a remote key, raw payload included (a refresh compares it).
fn load_known(reader: &Reader<'_>, remote_key: &[u8]) -> Result<Option<Slot>> {
    let Some(id) = reader.remote_id_at(remote_key)? else {
        return Ok(None);
    };
    let key = keys::item(id);
    let (before, record) = reader
        .find_record(id)?
        .ok_or_else(|| codec::corrupt(remote_key, format!("names item {id}, which is missing")))?;
    let mut current = before.clone();
    if let Some(raw) = ItemRecord::split(&key, &record)?.raw {
        current.raw = Some(codec::decode(&key, raw)?);
    }
    Ok(Some(Slot {
        before: Some(before),
        current,
        dirty: false,
    }))
}

fn write_slots(slots: Vec<Slot>, now: DateTime<Utc>, pending: &mut PendingWrite) -> Result<()> {
    for mut slot in slots.into_iter().filter(|s| s.dirty) {
        if slot.before.is_some() {
            slot.current.version += 1;
            slot.current.updated_at = now;
        }
        let raw = slot
            .current
            .raw
            .take()
            .map(|r| codec::encode(&r))
            .transpose()?;
        pending.put_item(slot.before.as_ref(), slot.current, raw.as_deref())?;
    }
    Ok(())
}
