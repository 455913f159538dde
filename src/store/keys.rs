//! The byte layout of every record the sled store keeps, in one place.
//!
//! All record kinds share one sled tree so that a single `apply_batch` commits an item, its
//! index entries, the counters and the audit lines atomically. A one-byte prefix tells the
//! kinds apart:
//!
//! | prefix | key after the prefix                                | value              |
//! |--------|-----------------------------------------------------|--------------------|
//! | `i`    | id                                                  | item record [^1]   |
//! | `r`    | account, remote id                                  | id (16 bytes)      |
//! | `q`    | status, priority, SLA due, received, id             | empty              |
//! | `t`    | account, thread key, created, id                    | empty              |
//! | `u`    | account, author id, created, id                     | empty              |
//! | `g`    | tag, id                                             | empty              |
//! | `a`    | assignee, id                                        | empty              |
//! | `z`    | account, thread key, author id, id (resolved only)  | empty              |
//! | `o`    | outbox entry id                                     | outbox entry JSON  |
//! | `l`    | seq                                                 | audit entry JSON   |
//! | `L`    | id, seq                                             | empty              |
//! | `c`    | account                                             | cursor (UTF-8)     |
//! | `n`    | status                                              | count (u64 BE)     |
//! | `m`    | name                                                | metadata           |
//! | `d`    | user, item id                                       | draft JSON         |
//! | `h`    | time, author                                        | handoff JSON       |
//! | `s`    | account                                             | account status JSON|
//! | `e`    | account, ULID                                       | sync problem JSON  |
//! | `N`    | delivery id (ULID)                                  | delivery JSON      |
//! | `E`    | escalation id (ULID)                                | escalation JSON    |
//! | `P`    | page id                                             | page JSON          |
//! | `S`    | item id                                             | SLA mark JSON      |
//!
//! The `m` records are the schema version, the last sequence number, and `until:TASK` (how
//! far in time a periodic hub task has done its work, as JSON).
//!
//! [^1]: the item's JSON without its raw payload, then the raw payload's JSON, behind a
//! 4-byte length of the item part (see `sled_store::codec::ItemRecord`). One key rather than
//! two: sled's cost is per key written, and a reader decodes only the item part.
//!
//! Strings are length-prefixed (u32 big-endian length, then the bytes), so a NUL or any other
//! byte inside a platform id can never run into the next field, and a prefix of one string
//! is never taken for another. Ids are the 16 big-endian bytes of the ULID, sequence numbers
//! u64 big-endian, and times [`time_ms`] (milliseconds, order-preserving even before 1970).

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::model::{Item, ItemId, Priority, Status};

pub const ITEM: u8 = b'i';
pub const REMOTE: u8 = b'r';
pub const QUEUE: u8 = b'q';
pub const THREAD: u8 = b't';
pub const AUTHOR: u8 = b'u';
pub const TAG: u8 = b'g';
pub const ASSIGNEE: u8 = b'a';
pub const AUDIT: u8 = b'l';
pub const ITEM_AUDIT: u8 = b'L';
pub const CURSOR: u8 = b'c';
pub const COUNT: u8 = b'n';
pub const META: u8 = b'm';
pub const OUTBOX: u8 = b'o';
pub const RESOLVED: u8 = b'z';
pub const DRAFT: u8 = b'd';
pub const HANDOFF: u8 = b'h';
pub const ACCOUNT: u8 = b's';
pub const PROBLEM: u8 = b'e';
pub const DELIVERY: u8 = b'N';
pub const ESCALATION: u8 = b'E';
pub const PAGE: u8 = b'P';
pub const SLA_MARK: u8 = b'S';

/// The metadata record holding the schema version (u32 BE).
pub const META_SCHEMA: &str = "schema";
/// The metadata record holding the last sequence number handed out (u64 BE).
pub const META_SEQ: &str = "seq";

/// Length of an id inside a key.
pub const ID_LEN: usize = 16;

/// Builds one key field by field.
pub struct Key(Vec<u8>);

impl Key {
    pub fn new(prefix: u8) -> Key {
        let mut bytes = Vec::with_capacity(48);
        bytes.push(prefix);
        Key(bytes)
    }

    pub fn byte(mut self, b: u8) -> Key {
        self.0.push(b);
        self
    }

    pub fn str(mut self, s: &str) -> Key {
        // A string longer than 4 GiB cannot come through JSON decoding in practice; saturating
        // keeps the key well-formed rather than panicking if it ever did.
        let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
        self.0.extend_from_slice(&len.to_be_bytes());
        self.0.extend_from_slice(s.as_bytes());
        self
    }

    pub fn u64(mut self, v: u64) -> Key {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }

    pub fn id(mut self, id: ItemId) -> Key {
        self.0.extend_from_slice(&id.to_bytes());
        self
    }

    pub fn done(self) -> Vec<u8> {
        self.0
    }
}

/// Milliseconds since 1970 as a u64 that sorts like the time (the sign bit flipped).
pub fn time_ms(t: DateTime<Utc>) -> u64 {
    (t.timestamp_millis() as u64) ^ (1 << 63)
}

pub fn item(id: ItemId) -> Vec<u8> {
    Key::new(ITEM).id(id).done()
}

pub fn remote(account: &str, remote_id: &str) -> Vec<u8> {
    Key::new(REMOTE).str(account).str(remote_id).done()
}

/// The queue prefix of one status: its entries sort by priority, SLA due, received, id.
pub fn queue_prefix(status: Status) -> Vec<u8> {
    Key::new(QUEUE).byte(status.index_byte()).done()
}

pub fn queue(item: &Item) -> Vec<u8> {
    let due = item.sla_due.map(time_ms).unwrap_or(u64::MAX);
    Key::new(QUEUE)
        .byte(item.status.index_byte())
        .byte(item.priority.index_byte())
        .u64(due)
        .u64(time_ms(item.received_at))
        .id(item.id)
        .done()
}

pub fn thread_prefix(account: &str, thread_key: &str) -> Vec<u8> {
    Key::new(THREAD).str(account).str(thread_key).done()
}

fn thread(item: &Item) -> Vec<u8> {
    Key::new(THREAD)
        .str(&item.account)
        .str(item.thread_key())
        .u64(time_ms(item.created_at))
        .id(item.id)
        .done()
}

pub fn author_prefix(account: &str, author_id: &str) -> Vec<u8> {
    Key::new(AUTHOR).str(account).str(author_id).done()
}

fn author(item: &Item) -> Option<Vec<u8>> {
    if item.author.id.is_empty() {
        return None;
    }
    let key = Key::new(AUTHOR)
        .str(&item.account)
        .str(&item.author.id)
        .u64(time_ms(item.created_at))
        .id(item.id);
    Some(key.done())
}

/// Resolved items of one author in one thread: what a new message of theirs reopens.
pub fn resolved_prefix(account: &str, thread_key: &str, author_id: &str) -> Vec<u8> {
    Key::new(RESOLVED)
        .str(account)
        .str(thread_key)
        .str(author_id)
        .done()
}

fn resolved(item: &Item) -> Option<Vec<u8>> {
    if item.status != Status::Resolved || item.author.id.is_empty() || item.from_brand {
        return None;
    }
    let prefix = resolved_prefix(&item.account, item.thread_key(), &item.author.id);
    Some(Key(prefix).id(item.id).done())
}

pub fn tag_prefix(tag: &str) -> Vec<u8> {
    Key::new(TAG).str(tag).done()
}

pub fn assignee_prefix(user: &str) -> Vec<u8> {
    Key::new(ASSIGNEE).str(user).done()
}

pub fn audit(seq: u64) -> Vec<u8> {
    Key::new(AUDIT).u64(seq).done()
}

pub fn item_audit_prefix(id: ItemId) -> Vec<u8> {
    Key::new(ITEM_AUDIT).id(id).done()
}

pub fn item_audit(id: ItemId, seq: u64) -> Vec<u8> {
    Key::new(ITEM_AUDIT).id(id).u64(seq).done()
}

pub fn cursor(account: &str) -> Vec<u8> {
    Key::new(CURSOR).str(account).done()
}

/// `s` account → the account's last sync state.
pub fn account_status(account: &str) -> Vec<u8> {
    Key::new(ACCOUNT).str(account).done()
}

/// `e` account, ULID → a payload a sync pass could not read (oldest first per account).
pub fn sync_problem(account: &str, id: ItemId) -> Vec<u8> {
    Key::new(PROBLEM).str(account).id(id).done()
}

pub fn sync_problems_of(account: Option<&str>) -> Vec<u8> {
    match account {
        Some(account) => Key::new(PROBLEM).str(account).done(),
        None => vec![PROBLEM],
    }
}

pub fn count(status: Status) -> Vec<u8> {
    Key::new(COUNT).byte(status.index_byte()).done()
}

/// `o` id → outbox entry (replies on their way out).
pub fn outbox(id: ItemId) -> Vec<u8> {
    Key::new(OUTBOX).id(id).done()
}

pub fn outbox_prefix() -> Vec<u8> {
    vec![OUTBOX]
}

/// `N` id → a notice's delivery to one channel (ids are ULIDs: oldest first).
pub fn delivery(id: ItemId) -> Vec<u8> {
    Key::new(DELIVERY).id(id).done()
}

/// The first outbox key an entry created at or after `since` can have.
pub fn first_outbox_since(since: DateTime<Utc>) -> Vec<u8> {
    let ms = u64::try_from(since.timestamp_millis()).unwrap_or(0);
    outbox(ItemId::from_parts(ms, 0))
}

/// `d` user, item id → draft reply.
pub fn draft(user: &str, item: ItemId) -> Vec<u8> {
    Key::new(DRAFT).str(user).id(item).done()
}

pub fn drafts_of(user: &str) -> Vec<u8> {
    Key::new(DRAFT).str(user).done()
}

/// `E` escalation id → escalation record (they sort by when they were made).
pub fn escalation(id: ItemId) -> Vec<u8> {
    Key::new(ESCALATION).id(id).done()
}

pub fn meta(name: &str) -> Vec<u8> {
    Key::new(META).str(name).done()
}

/// `m` `until:TASK` → how far a periodic hub task has processed time.
pub fn processed_until(task: &str) -> Vec<u8> {
    meta(&format!("until:{task}"))
}

/// `P` page id → a page about an SLA breach.
pub fn page(id: ItemId) -> Vec<u8> {
    Key::new(PAGE).id(id).done()
}

/// `S` item id → how far the SLA clock got with the item's due time.
pub fn sla_mark(item: ItemId) -> Vec<u8> {
    Key::new(SLA_MARK).id(item).done()
}

/// `h` time, author → handoff (they sort by time: the last is the latest).
pub fn handoff(at: DateTime<Utc>, author: &str) -> Vec<u8> {
    Key::new(HANDOFF).u64(time_ms(at)).str(author).done()
}

/// The first item record an item first seen at `since` (or later) can have: ids are ULIDs,
/// whose first 48 bits are that time in milliseconds.
pub fn first_item_since(since: DateTime<Utc>) -> Vec<u8> {
    let ms = u64::try_from(since.timestamp_millis()).unwrap_or(0);
    item(ItemId::from_parts(ms, 0))
}

/// The queue entries of one status and priority whose SLA is due before `before`:
/// `[start, end)`. Entries without an SLA sort last (due `u64::MAX`) and stay outside.
pub fn queue_due_range(
    status: Status,
    priority: Priority,
    before: DateTime<Utc>,
) -> (Vec<u8>, Vec<u8>) {
    let start = Key::new(QUEUE)
        .byte(status.index_byte())
        .byte(priority.index_byte())
        .done();
    let end = Key(start.clone()).u64(time_ms(before)).done();
    (start, end)
}

/// Every secondary-index key an item has (empty values): queue, thread, author, tags,
/// assignee. Comparing the sets before and after a change says which entries move.
pub fn index_entries(item: &Item) -> HashSet<Vec<u8>> {
    let mut keys = HashSet::with_capacity(4 + item.tags.len());
    keys.insert(queue(item));
    keys.insert(thread(item));
    keys.extend(author(item));
    keys.extend(resolved(item));
    for tag in &item.tags {
        keys.insert(Key::new(TAG).str(tag).id(item.id).done());
    }
    if let Some(user) = &item.assignee {
        keys.insert(Key::new(ASSIGNEE).str(user).id(item.id).done());
    }
    keys
}

/// The id at the end of an index key or in a `r` value.
pub fn trailing_id(bytes: &[u8]) -> Option<ItemId> {
    let start = bytes.len().checked_sub(ID_LEN)?;
    let id: [u8; ID_LEN] = bytes[start..].try_into().ok()?;
    Some(ItemId::from_bytes(id))
}

/// The u64 at the end of a key (the seq of `l` and `L` keys) or in a counter value.
pub fn trailing_u64(bytes: &[u8]) -> Option<u64> {
    let start = bytes.len().checked_sub(8)?;
    let v: [u8; 8] = bytes[start..].try_into().ok()?;
    Some(u64::from_be_bytes(v))
}

/// A key shown for people (in errors): printable ASCII kept, other bytes escaped.
pub fn describe(key: &[u8]) -> String {
    key.iter()
        .flat_map(|b| std::ascii::escape_default(*b))
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_length_prefixed_so_nul_cannot_collide() {
        assert_ne!(remote("a\0", "b"), remote("a", "\0b"));
        assert_ne!(remote("ab", ""), remote("a", "b"));
        let prefix = tag_prefix("vip");
        let longer = Key::new(TAG).str("vip2").id(ItemId::generate()).done();
        assert!(!longer.starts_with(&prefix));
    }

    #[test]
    fn times_sort_across_1970() {
        let before: DateTime<Utc> = "1969-12-31T23:59:59Z".parse().unwrap();
        let after: DateTime<Utc> = "1970-01-01T00:00:01Z".parse().unwrap();
        assert!(time_ms(before) < time_ms(after));
    }

    #[test]
    fn trailing_fields_round_trip_and_reject_short_input() {
        let id = ItemId::generate();
        assert_eq!(trailing_id(&item_audit_prefix(id)), Some(id));
        assert_eq!(trailing_u64(&item_audit(id, 77)), Some(77));
        assert_eq!(trailing_id(b"short"), None);
        assert_eq!(trailing_u64(b"abc"), None);
    }

    #[test]
    fn describe_escapes_binary() {
        assert_eq!(describe(b"i\0A"), "i\\x00A");
    }
}
