//! Record values to bytes and back, and sled's errors to [`StoreError`]s that name the
//! problem: a record that does not decode is reported with its key, never a panic.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::model::ItemId;
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
    fn bad_values_name_their_key() {
        let err = decode::<u32>(b"i\x01", b"{").unwrap_err().to_string();
        assert!(err.contains("i\\x01"), "{err}");
        assert!(decode_id(b"r", b"123").is_err());
        assert_eq!(decode_u64(b"n", &7u64.to_be_bytes()).unwrap(), 7);
    }
}
