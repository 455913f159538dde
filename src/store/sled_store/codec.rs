//! Record values to bytes and back, and sled's errors to [`StoreError`]s that name the
//! problem: a record that does not decode is reported with its key, never a panic.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::model::{Item, ItemId};
use crate::store::keys;
use crate::store::{Result, StoreError};

/// Any sled failure outside opening.
pub fn engine(e: sled::Error) -> StoreError {
    StoreError::Engine(e.to_string())
}

/// A failure to open the store at `path`. sled 0.34 takes an exclusive `flock` on its `db`
/// file and reports a held lock only as an `Io` error of kind `Other` whose message starts
/// with "could not acquire lock"; that is the one sign there is, so it is matched here.
pub fn open_error(e: sled::Error, path: &str) -> StoreError {
    match &e {
        sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
            StoreError::Locked {
                path: path.to_string(),
                holder: None,
            }
        }
        _ => StoreError::Engine(format!("cannot open the store at {path}: {e}")),
    }
}

pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value)
        .map_err(|e| StoreError::Engine(format!("cannot encode a record: {e}")))
}

pub fn decode<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| corrupt(key, e.to_string()))
}

/// An `i` record: the item's JSON (without raw), then the raw payload's JSON (empty when
/// there is none). A 4-byte big-endian length of the item part comes first, so a reader
/// slices out the item without touching the payload.
pub struct ItemRecord<'a> {
    pub item: &'a [u8],
    pub raw: Option<&'a [u8]>,
}

impl<'a> ItemRecord<'a> {
    pub fn split(key: &[u8], bytes: &'a [u8]) -> Result<ItemRecord<'a>> {
        let bad = |reason: &str| corrupt(key, format!("item record {reason}"));
        let header: [u8; 4] = bytes
            .get(..4)
            .and_then(|h| h.try_into().ok())
            .ok_or_else(|| bad("shorter than its header"))?;
        let item_len = u32::from_be_bytes(header) as usize;
        let rest = &bytes[4..];
        if item_len > rest.len() {
            return Err(bad(&format!(
                "claims {item_len} bytes of item, has {}",
                rest.len()
            )));
        }
        let (item, raw) = rest.split_at(item_len);
        Ok(ItemRecord {
            item,
            raw: (!raw.is_empty()).then_some(raw),
        })
    }

    /// The record of `item` (its `raw` field is left out) with the raw payload's JSON.
    pub fn join(item: &Item, raw: Option<&[u8]>) -> Result<Vec<u8>> {
        let raw = raw.unwrap_or_default();
        let mut bytes = Vec::with_capacity(4 + 1024 + raw.len());
        bytes.extend_from_slice(&[0; 4]);
        serde_json::to_writer(&mut bytes, &ItemWithoutRaw(item))
            .map_err(|e| StoreError::Engine(format!("cannot encode item {}: {e}", item.id)))?;
        let item_len = u32::try_from(bytes.len() - 4)
            .map_err(|_| StoreError::Engine(format!("item {} is over 4 GiB", item.id)))?;
        bytes[..4].copy_from_slice(&item_len.to_be_bytes());
        bytes.extend_from_slice(raw);
        Ok(bytes)
    }
}

/// Serializes an item as if its `raw` were `None`, without cloning it.
struct ItemWithoutRaw<'a>(&'a Item);

impl Serialize for ItemWithoutRaw<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        if self.0.raw.is_none() {
            return self.0.serialize(serializer);
        }
        let mut copy = self.0.clone();
        copy.raw = None;
        copy.serialize(serializer)
    }
}

/// An id stored as a value (the `r` records).
pub fn decode_id(key: &[u8], bytes: &[u8]) -> Result<ItemId> {
    let id: [u8; keys::ID_LEN] = bytes
        .try_into()
        .map_err(|_| corrupt(key, format!("an id has {} bytes, expected 16", bytes.len())))?;
    Ok(ItemId::from_bytes(id))
}

/// A u64 stored as a value (counters, the sequence number).
pub fn decode_u64(key: &[u8], bytes: &[u8]) -> Result<u64> {
    let v: [u8; 8] = bytes.try_into().map_err(|_| {
        corrupt(
            key,
            format!("a number has {} bytes, expected 8", bytes.len()),
        )
    })?;
    Ok(u64::from_be_bytes(v))
}

/// The id at the end of an index key.
pub fn key_id(key: &[u8]) -> Result<ItemId> {
    keys::trailing_id(key).ok_or_else(|| corrupt(key, "index key too short for an id".into()))
}

/// The sequence number at the end of an audit key.
pub fn key_seq(key: &[u8]) -> Result<u64> {
    keys::trailing_u64(key).ok_or_else(|| corrupt(key, "audit key too short for a seq".into()))
}

pub fn corrupt(key: &[u8], reason: String) -> StoreError {
    StoreError::Corrupt {
        key: keys::describe(key),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_lock_becomes_locked() {
        let io = std::io::Error::other("could not acquire lock on \"/x/db\": WouldBlock");
        let err = open_error(sled::Error::Io(io), "/x");
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        let other = open_error(sled::Error::Unsupported("nope".into()), "/x");
        assert!(other.to_string().contains("/x") && other.to_string().contains("nope"));
    }

    #[test]
    fn item_records_split_into_item_and_raw() {
        let item: Item = serde_json::from_value(serde_json::json!({
            "id": "01JD3X5Q7R9ZK2M4N6P8S0T1V3", "platform": "x", "account": "a", "kind": "dm",
            "remote_id": "1", "thread_id": null, "parent_id": null, "author": {}, "text": "hi",
            "created_at": "2026-01-01T00:00:00Z", "received_at": "2026-01-01T00:00:00Z",
            "url": null, "status": "new", "priority": "normal", "tags": [], "assignee": null,
            "raw": {"dropped": true}
        }))
        .unwrap();
        let bytes = ItemRecord::join(&item, Some(b"{\"id\":1}")).unwrap();
        let record = ItemRecord::split(b"i", &bytes).unwrap();
        let back: Item = decode(b"i", record.item).unwrap();
        assert_eq!((back.raw, back.text), (None, "hi".to_string()));
        assert_eq!(record.raw, Some(b"{\"id\":1}".as_slice()));
        let bare = ItemRecord::join(&item, None).unwrap();
        assert_eq!(ItemRecord::split(b"i", &bare).unwrap().raw, None);
        assert!(ItemRecord::split(b"i", b"\0\0\0\x09{}").is_err());
        assert!(ItemRecord::split(b"i", b"{").is_err());
    }

    #[test]
    fn bad_values_name_their_key() {
        let err = decode::<u32>(b"i\x01", b"{").unwrap_err().to_string();
        assert!(err.contains("i\\x01"), "{err}");
        assert!(decode_id(b"r", b"123").is_err());
        assert_eq!(decode_u64(b"n", &7u64.to_be_bytes()).unwrap(), 7);
    }
}
