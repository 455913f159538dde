//! Internal item ids: ULIDs, so that ids sort by the time switchboard first saw the item and
//! fit in 16 bytes inside index keys.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A time-sortable internal id (ULID). Shown as 26 Crockford base-32 characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemId(pub ulid::Ulid);

impl ItemId {
    /// A new id for "now", strictly increasing within this process.
    pub fn generate() -> Self {
        use std::sync::Mutex;
        static LAST: Mutex<Option<ulid::Generator>> = Mutex::new(None);
        let mut guard = LAST.lock().unwrap_or_else(|e| e.into_inner());
        let generator = guard.get_or_insert_with(ulid::Generator::new);
        // The monotonic generator only fails when 2^80 ids are made in one millisecond.
        ItemId(generator.generate().unwrap_or_else(|_| ulid::Ulid::new()))
    }

    /// An id derived from a time and a 80-bit random part (used by the simulator for
    /// deterministic ids).
    pub fn from_parts(timestamp_ms: u64, random: u128) -> Self {
        ItemId(ulid::Ulid::from_parts(timestamp_ms, random))
    }

    /// The 16 big-endian bytes, which sort like the id itself.
    pub fn to_bytes(self) -> [u8; 16] {
        self.0 .0.to_be_bytes()
    }

    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        ItemId(ulid::Ulid(u128::from_be_bytes(bytes)))
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why a string is not an item id.
#[derive(Debug, thiserror::Error)]
#[error("'{0}' is not an item id (expected 26 characters like 01JD3X5Q7R9ZK2M4N6P8S0T1V3)")]
pub struct BadItemId(pub String);

impl FromStr for ItemId {
    type Err = BadItemId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ulid::Ulid::from_string(s.trim())
            .map(ItemId)
            .map_err(|_| BadItemId(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_increase_and_round_trip() {
        let a = ItemId::generate();
        let b = ItemId::generate();
        assert!(b > a);
        assert_eq!(a.to_string().parse::<ItemId>().unwrap(), a);
        assert_eq!(ItemId::from_bytes(a.to_bytes()), a);
        assert!(a.to_bytes() < b.to_bytes());
    }

    #[test]
    fn bad_id_names_the_input() {
        let err = "nope".parse::<ItemId>().unwrap_err();
        assert!(err.to_string().contains("'nope'"));
    }
}
