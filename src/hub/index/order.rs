//! [`Order`]: the entries' slots in queue order, as a list of sorted chunks.
//!
//! Four bytes per item, read front to back by every scan; a change moves one slot inside one
//! chunk of a few thousand (microseconds), where one sorted vector would move megabytes.
//! Keys are not stored: the caller gives a function from slot to key (the entry's key).

use std::ops::Range;

/// A chunk splits in two when it grows past this.
const MAX_CHUNK: usize = 4096;

#[derive(Default)]
pub(super) struct Order {
    chunks: Vec<Vec<u32>>,
    len: usize,
}

impl Order {
    /// An order from slots already sorted by key.
    pub fn from_sorted(slots: &[u32]) -> Order {
        Order {
            chunks: slots.chunks(MAX_CHUNK / 2).map(<[u32]>::to_vec).collect(),
            len: slots.len(),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// Puts `slot` (whose key is `key`) in its place.
    pub fn insert<K: Ord>(&mut self, slot: u32, key: &K, key_of: impl Fn(u32) -> K) {
        self.len += 1;
        if self.chunks.is_empty() {
            self.chunks.push(vec![slot]);
            return;
        }
        let chunk = self.chunk_for(key, &key_of).min(self.chunks.len() - 1);
        let slots = &mut self.chunks[chunk];
        let at = slots.partition_point(|&s| key_of(s) < *key);
        slots.insert(at, slot);
        if slots.len() > MAX_CHUNK {
            let upper = slots.split_off(slots.len() / 2);
            self.chunks.insert(chunk + 1, upper);
        }
    }

    /// Takes `slot` out; `key` must be the key it was placed with. Returns whether it was
    /// there.
    pub fn remove<K: Ord>(&mut self, slot: u32, key: &K, key_of: impl Fn(u32) -> K) -> bool {
        let chunk = self.chunk_for(key, &key_of);
        let Some(slots) = self.chunks.get_mut(chunk) else {
            return false;
        };
        let at = slots.partition_point(|&s| key_of(s) < *key);
        if slots.get(at) != Some(&slot) {
            return false;
        }
        slots.remove(at);
        if slots.is_empty() {
            self.chunks.remove(chunk);
        }
        self.len -= 1;
        true
    }

    /// The first chunk whose last key is not below `key` (the chunk count when none).
    fn chunk_for<K: Ord>(&self, key: &K, key_of: &impl Fn(u32) -> K) -> usize {
        self.chunks.partition_point(|chunk| {
            let last = *chunk.last().expect("chunks are never empty");
            key_of(last) < *key
        })
    }

    /// The slots at queue positions `range`, in order.
    pub fn slots(&self, range: Range<usize>) -> impl Iterator<Item = u32> + '_ {
        let mut skip = range.start;
        let mut first = 0;
        while first < self.chunks.len() && skip >= self.chunks[first].len() {
            skip -= self.chunks[first].len();
            first += 1;
        }
        self.chunks[first..]
            .iter()
            .flatten()
            .skip(skip)
            .take(range.len())
            .copied()
    }

    /// Every slot, in order.
    #[cfg(test)]
    pub fn all(&self) -> impl Iterator<Item = u32> + '_ {
        self.chunks.iter().flatten().copied()
    }

    pub fn heap_bytes(&self) -> usize {
        self.chunks.iter().map(|c| c.capacity() * 4 + 24).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn stays_sorted_through_inserts_and_removes() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let mut keys: Vec<u64> = Vec::new();
        let mut order = Order::default();
        let mut live: Vec<u32> = Vec::new();
        for step in 0..30_000u32 {
            if live.is_empty() || rng.gen_bool(0.7) {
                keys.push(rng.gen_range(0..1_000_000) * 100_000 + u64::from(step));
                let slot = (keys.len() - 1) as u32;
                let key = keys[slot as usize];
                order.insert(slot, &key, |s| keys[s as usize]);
                live.push(slot);
            } else {
                let slot = live.swap_remove(rng.gen_range(0..live.len()));
                let key = keys[slot as usize];
                assert!(order.remove(slot, &key, |s| keys[s as usize]));
                assert!(!order.remove(slot, &key, |s| keys[s as usize]));
            }
        }
        let mut expected = live.clone();
        expected.sort_by_key(|&s| keys[s as usize]);
        let got: Vec<u32> = order.all().collect();
        assert_eq!(got, expected);
        assert_eq!(order.len(), expected.len());
        let middle: Vec<u32> = order.slots(5_000..5_010).collect();
        assert_eq!(middle, expected[5_000..5_010]);
        assert!(order
            .chunks
            .iter()
            .all(|c| !c.is_empty() && c.len() <= MAX_CHUNK));
    }

    #[test]
    fn builds_from_sorted_slots() {
        let slots: Vec<u32> = (0..10_000).collect();
        let order = Order::from_sorted(&slots);
        assert_eq!(order.len(), 10_000);
        assert_eq!(
            order.slots(9_998..20_000).collect::<Vec<_>>(),
            [9_998, 9_999]
        );
        assert_eq!(order.slots(0..0).count(), 0);
    }
}
