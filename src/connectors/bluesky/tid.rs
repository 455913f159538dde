//! TIDs, the record keys of posts (and blocks, threadgates): 13 characters of base32-sortable
//! holding 53 bits of microseconds since the epoch and 10 bits of clock id.
//!
//! A reply's record key is derived from its idempotency key, so every attempt at the same
//! reply writes under the same key and a retry can ask `getRecord` whether it went out.
//! The hub's keys are `switchboard-<ULID>` (the outbox entry's id): the TID then carries the
//! ULID's millisecond (when the reply was queued) and, from its 80 random bits, the
//! microsecond within it and the clock id, so two replies queued in the same millisecond
//! still get different keys. Any other key is hashed into a TID of the same shape.

use chrono::{DateTime, Utc};

const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
/// 2020-01-01T00:00:00Z in microseconds: hashed keys land after it.
const HASHED_BASE_MICROS: u64 = 1_577_836_800_000_000;

/// The TID of a time in microseconds since the epoch and a clock id.
pub fn tid_from(micros: u64, clock_id: u64) -> String {
    let value = ((micros & ((1 << 53) - 1)) << 10) | (clock_id & 0x3ff);
    (0..13)
        .rev()
        .map(|i| ALPHABET[((value >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// A TID for now (for records with no idempotency key, e.g. a block).
pub fn now() -> String {
    let micros = Utc::now().timestamp_micros().max(0) as u64;
    tid_from(micros, u64::from(rand::random::<u16>()))
}

/// The record key of the reply sent with `idempotency_key`: the same on every attempt.
pub fn for_key(idempotency_key: &str) -> String {
    let ulid = idempotency_key
        .rsplit('-')
        .next()
        .and_then(|tail| ulid::Ulid::from_string(tail).ok());
    match ulid {
        Some(ulid) => {
            let random = ulid.random();
            let micros = ulid.timestamp_ms() * 1000 + (random % 1000) as u64;
            tid_from(micros, ((random / 1000) & 0x3ff) as u64)
        }
        None => {
            let hash = fnv1a(idempotency_key.as_bytes());
            tid_from(HASHED_BASE_MICROS + (hash >> 14), hash & 0x3ff)
        }
    }
}

/// Whether `s` is a well-formed TID (the first character carries the top bit, always 0).
pub fn is_tid(s: &str) -> bool {
    s.len() == 13
        && s.bytes().all(|b| ALPHABET.contains(&b))
        && b"234567abcdefghij".contains(&s.as_bytes()[0])
}

/// The time a TID carries.
pub fn time_of(tid: &str) -> Option<DateTime<Utc>> {
    if !is_tid(tid) {
        return None;
    }
    let value = tid.bytes().fold(0u64, |acc, b| {
        let digit = ALPHABET.iter().position(|&a| a == b).unwrap_or(0) as u64;
        (acc << 5) | digit
    });
    DateTime::from_timestamp_micros((value >> 10) as i64)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tids_sort_like_their_time() {
        assert_eq!(tid_from(0, 0), "2222222222222");
        let a = tid_from(1_700_000_000_000_000, 1023);
        let b = tid_from(1_700_000_000_000_001, 0);
        assert!(a < b && is_tid(&a) && is_tid(&b));
        assert!(is_tid(&now()));
        assert!(!is_tid("3n2vyz5viqk2") && !is_tid("zn2vyz5viqk2q") && !is_tid("3n2vyz5viqk2!"));
    }

    #[test]
    fn the_key_of_a_queued_reply_gives_the_same_tid_every_time_at_the_queueing_time() {
        let id = ulid::Ulid::from_parts(1_795_363_945_123, 0x00AB_CDEF_0123_4567_89AB);
        let key = format!("switchboard-{id}");
        let tid = for_key(&key);
        assert_eq!(tid, for_key(&key));
        assert!(is_tid(&tid), "{tid}");
        let at = time_of(&tid).unwrap();
        assert_eq!(at.timestamp_millis(), 1_795_363_945_123);
        // The next id of the same millisecond (the monotonic generator adds one).
        let next = ulid::Ulid::from_parts(1_795_363_945_123, 0x00AB_CDEF_0123_4567_89AC);
        assert_ne!(for_key(&format!("switchboard-{next}")), tid);
    }

    #[test]
    fn other_keys_are_hashed_into_valid_distinct_tids() {
        let a = for_key("my-own-key");
        assert!(is_tid(&a), "{a}");
        assert_eq!(a, for_key("my-own-key"));
        assert_ne!(a, for_key("my-own-kez"));
        assert!(time_of(&a).unwrap().timestamp() >= 1_577_836_800);
        assert!(is_tid(&for_key("")));
    }
}
