//! Deterministic randomness for the simulator: picks, weighted picks, odds and random
//! strings over one seeded ChaCha8 stream.
//!
//! Only integer sampling on fixed-width types is used (never `usize` ranges or floats), so a
//! seed produces the same traffic on every machine and every pointer width.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The simulator's only source of randomness.
pub(crate) type Dice = ChaCha8Rng;

pub(crate) const BASE64URL: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// Lower-case base32 as used by `did:plc` identifiers.
pub(crate) const BASE32_LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
/// The sortable base32 alphabet of AT Protocol record keys (TIDs).
pub(crate) const BASE32_SORTABLE: &[u8] = b"234567abcdefghijklmnopqrstuvwxyz";

/// A uniform index below `len` (`len` must not be zero).
pub(crate) fn index(rng: &mut Dice, len: usize) -> usize {
    let len = u32::try_from(len).unwrap_or(u32::MAX);
    rng.gen_range(0..len) as usize
}

/// One element, uniformly (`items` must not be empty).
pub(crate) fn pick<T: Copy>(rng: &mut Dice, items: &[T]) -> T {
    items[index(rng, items.len())]
}

/// One value, with probability proportional to its weight. Zero weights never come up; the
/// table must have a positive total.
pub(crate) fn weighted<T: Copy>(rng: &mut Dice, table: &[(T, u32)]) -> T {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut roll = rng.gen_range(0..total.max(1));
    for &(value, weight) in table {
        if roll < weight {
            return value;
        }
        roll -= weight;
    }
    table[table.len() - 1].0
}

/// True `percent` times in a hundred.
pub(crate) fn chance(rng: &mut Dice, percent: u32) -> bool {
    rng.gen_range(0..100u32) < percent
}

/// A uniform integer in `lo..=hi`.
pub(crate) fn between(rng: &mut Dice, lo: u64, hi: u64) -> u64 {
    rng.gen_range(lo..=hi.max(lo))
}

/// `len` characters drawn from `alphabet`. Power-of-two alphabets (base32, base64) take
/// their characters from the bits of one 64-bit draw at a time, which keeps id minting cheap.
pub(crate) fn string_of(rng: &mut Dice, alphabet: &[u8], len: usize) -> String {
    let size = alphabet.len();
    if !size.is_power_of_two() || size < 2 {
        return (0..len).map(|_| char::from(pick(rng, alphabet))).collect();
    }
    let bits = size.trailing_zeros();
    let per_draw = 64 / bits;
    let mut out = String::with_capacity(len);
    let mut pool = 0u64;
    let mut left = 0;
    for _ in 0..len {
        if left == 0 {
            pool = rng.gen();
            left = per_draw;
        }
        out.push(char::from(alphabet[(pool & (size as u64 - 1)) as usize]));
        pool >>= bits;
        left -= 1;
    }
    out
}

/// A decimal number of exactly `len` digits (no leading zero).
pub(crate) fn digits(rng: &mut Dice, len: usize) -> String {
    /// Up to 18 digits come from one draw.
    const CHUNK: usize = 18;
    let head = len.clamp(1, CHUNK);
    let low = 10u64.pow(head as u32 - 1);
    let mut out = rng.gen_range(low..low * 10).to_string();
    let mut left = len.saturating_sub(head);
    while left > 0 {
        let part = left.min(CHUNK);
        let n = rng.gen_range(0..10u64.pow(part as u32));
        out.push_str(&format!("{n:0part$}"));
        left -= part;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn weighted_never_picks_zero_weights() {
        let mut rng = Dice::seed_from_u64(1);
        for _ in 0..1000 {
            assert_ne!(weighted(&mut rng, &[('a', 0), ('b', 3), ('c', 1)]), 'a');
        }
    }

    #[test]
    fn strings_use_only_their_alphabet() {
        let mut rng = Dice::seed_from_u64(3);
        for alphabet in [BASE64URL, BASE32_LOWER, b"0123456789"] {
            let s = string_of(&mut rng, alphabet, 500);
            assert_eq!(s.len(), 500);
            assert!(s.bytes().all(|b| alphabet.contains(&b)));
            let distinct: std::collections::HashSet<u8> = s.bytes().collect();
            assert_eq!(distinct.len(), alphabet.len(), "every character comes up");
        }
    }

    #[test]
    fn digits_have_the_asked_length_and_no_leading_zero() {
        let mut rng = Dice::seed_from_u64(2);
        for len in 1..40 {
            let d = digits(&mut rng, len);
            assert_eq!(d.len(), len);
            assert!(!d.starts_with('0'));
            assert!(d.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
