//! [`Entry`]: one item as the queue index keeps it, in about a hundred bytes plus its text:
//! what the queue order and the query language read, with strings interned (see
//! [`super::vocab`]) and the searchable text in the shared arena (see [`super::arena`]).

use chrono::{DateTime, Utc};

use super::arena::Span;
use super::vocab::ItemCodes;
use crate::model::{ItemId, Kind, Priority, Status};

/// The flags of an entry (bits of [`Entry::flags`]).
pub(super) mod flag {
    /// The brand itself wrote it.
    pub const FROM_BRAND: u8 = 1;
    /// Only the first part of the text is kept (see `find::scope`): a free-word filter must
    /// read the item itself.
    pub const TEXT_CUT: u8 = 1 << 1;
    /// The kept text folds like ASCII (searched in place by free words).
    pub const TEXT_ASCII_FOLD: u8 = 1 << 2;
    pub const HANDLE_ASCII_FOLD: u8 = 1 << 3;
    pub const NAME_ASCII_FOLD: u8 = 1 << 4;
}

/// Where an entry sorts in the queue: the order of the store's queue index after the
/// status byte (`store::keys::queue`): priority (urgent first), SLA due (none last),
/// received time, id bytes.
pub(super) type QueueKey = (u8, u64, u64, [u8; 16]);

/// A version as an entry keeps it. Four billion changes to one item do not happen; if they
/// did, later changes would still apply (equal versions are re-applied).
pub(super) fn version(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// One indexed item (104 bytes: the id is kept as bytes, which need no 16-byte alignment).
#[derive(Clone, Debug)]
pub(super) struct Entry {
    /// The item id's big-endian bytes (they sort like the id).
    pub id: [u8; 16],
    /// The item's version (saturated): a change older than what the entry holds is ignored.
    pub version: u32,
    pub created_at: DateTime<Utc>,
    pub snoozed_until: Option<DateTime<Utc>>,
    /// `received_at` as the store's order-preserving milliseconds.
    pub received_ms: u64,
    /// `sla_due` likewise, `u64::MAX` when there is none.
    pub due_ms: u64,
    /// Text (or its first part), handle and name, in the arena.
    pub span: Span,
    pub account: u32,
    /// Interned language, [`super::vocab::NONE`] when unknown.
    pub lang: u32,
    /// Interned assignee, [`super::vocab::NONE`] when unassigned.
    pub assignee: u32,
    /// Interned tag set.
    pub tags: u32,
    pub platform: u32,
    pub status: Status,
    pub priority: Priority,
    pub kind: Kind,
    pub flags: u8,
}

impl Entry {
    pub fn queue_key(&self) -> QueueKey {
        (
            self.priority.index_byte(),
            self.due_ms,
            self.received_ms,
            self.id,
        )
    }

    pub fn id(&self) -> ItemId {
        ItemId::from_bytes(self.id)
    }

    pub fn has(&self, bit: u8) -> bool {
        self.flags & bit != 0
    }

    /// The interned fields.
    pub fn codes(&self) -> ItemCodes {
        ItemCodes {
            platform: self.platform,
            account: self.account,
            lang: self.lang,
            assignee: self.assignee,
            tags: self.tags,
        }
    }

    pub fn set_codes(&mut self, codes: ItemCodes) {
        self.platform = codes.platform;
        self.account = codes.account;
        self.lang = codes.lang;
        self.assignee = codes.assignee;
        self.tags = codes.tags;
    }
}

/// The store's order-preserving milliseconds of a time (as `store::keys::time_ms`).
pub(super) fn time_ms(t: DateTime<Utc>) -> u64 {
    (t.timestamp_millis() as u64) ^ (1 << 63)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_stay_compact() {
        assert_eq!(std::mem::size_of::<Entry>(), 104);
    }

    #[test]
    fn times_keep_their_order_across_1970() {
        let before: DateTime<Utc> = "1969-12-31T23:59:59.999Z".parse().unwrap();
        let at: DateTime<Utc> = "1970-01-01T00:00:00Z".parse().unwrap();
        let after: DateTime<Utc> = "2026-11-20T10:00:00Z".parse().unwrap();
        assert!(time_ms(before) < time_ms(at));
        assert!(time_ms(at) < time_ms(after));
    }
}
