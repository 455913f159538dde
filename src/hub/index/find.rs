//! `Find` over the index: the best `limit` entries for a fuzzy pattern among those a query
//! selects, best first, ties in queue order: the same ranking as the store scan
//! (`hub::find`), with the same skim scores, found far faster.
//!
//! The queue is split over the cores. Each piece walks its entries in queue order with its
//! own bounded heap. Once the heap is full, an entry the query selects must first be able to
//! beat the heap's worst by the O(1) quick bound; every candidate must then pass skim's own
//! first test (pattern characters in order, with `memchr`) and, with a full heap, a tighter
//! one-pass score bound (see [`super::bound`]); only then is it scored by skim. Pieces merge
//! by score, then queue position.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Range;

use super::bound::FuzzyPattern;
use super::list;
use super::scan::{parallel, split, workers, Selector};
use super::table::Table;
use crate::hub::find::score_fields;
use crate::store::Result;

/// One ranked entry: score, then queue position (earlier ranks higher on equal scores).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    score: i64,
    position: Reverse<usize>,
    slot: u32,
}

/// The winners' slots and scores, best first. `pattern` is trimmed.
pub(super) fn best(
    table: &Table,
    selector: &Selector<'_>,
    pattern: &str,
    limit: usize,
) -> Result<Vec<(u32, i64)>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    if pattern.is_empty() {
        // Every selected item scores 0: the first `limit` in queue order.
        let (slots, _) = list::page(table, selector, 0, limit)?;
        return Ok(slots.into_iter().map(|slot| (slot, 0)).collect());
    }
    let prepared = FuzzyPattern::new(pattern);
    let search = Search {
        table,
        selector,
        pattern,
        prepared: &prepared,
        limit,
    };
    let pieces = parallel(split(0..table.order().len(), workers()), |range| {
        search.piece(range)
    });
    let mut ranked = Vec::new();
    for piece in pieces {
        ranked.extend(piece?);
    }
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    ranked.truncate(limit);
    Ok(ranked.into_iter().map(|r| (r.slot, r.score)).collect())
}

struct Search<'a> {
    table: &'a Table,
    selector: &'a Selector<'a>,
    pattern: &'a str,
    prepared: &'a FuzzyPattern,
    limit: usize,
}

impl Search<'_> {
    /// The best `limit` of one piece of the queue.
    fn piece(&self, range: Range<usize>) -> Result<Vec<Rank>> {
        // A client may ask for any limit: room grows with what is found, not with the limit.
        let mut heap: BinaryHeap<Reverse<Rank>> = BinaryHeap::new();
        let start = range.start;
        for (offset, slot) in self.table.order().slots(range).enumerate() {
            let worst = (heap.len() == self.limit).then(|| heap.peek().map(|r| r.0.score));
            let Some(score) = self.score(slot, worst.flatten())? else {
                continue;
            };
            let rank = Rank {
                score,
                position: Reverse(start + offset),
                slot,
            };
            // Positions only grow here, so an equal score never displaces an earlier entry.
            if heap.len() < self.limit {
                heap.push(Reverse(rank));
            } else if heap.peek().is_some_and(|worst| rank > worst.0) {
                heap.pop();
                heap.push(Reverse(rank));
            }
        }
        Ok(heap.into_iter().map(|Reverse(rank)| rank).collect())
    }

    /// The entry's skim score, or `None` when it is not selected, does not match, or cannot
    /// beat `worst` (the heap's worst score, once the heap is full).
    fn score(&self, slot: u32, worst: Option<i64>) -> Result<Option<i64>> {
        if !self.selector.selects(self.table, slot)? {
            return Ok(None);
        }
        let strings = self.table.strings(slot);
        let fields = [strings.text, strings.handle, strings.name];
        if let Some(worst) = worst {
            // The O(1) bound first: for a plain word it leaves almost nothing to look at.
            if fields
                .iter()
                .all(|field| self.prepared.quick_bound(field) <= worst)
            {
                return Ok(None);
            }
        }
        let mut matching = fields
            .into_iter()
            .filter(|field| self.prepared.occurs_in(field))
            .peekable();
        if matching.peek().is_none() {
            return Ok(None);
        }
        if let Some(worst) = worst {
            let mut bound = Some(i64::MIN);
            for field in matching {
                bound = bound
                    .zip(self.prepared.score_bound(field))
                    .map(|(a, b)| a.max(b));
            }
            if bound.is_some_and(|bound| bound <= worst) {
                return Ok(None);
            }
        }
        Ok(score_fields(
            strings.text,
            strings.handle,
            strings.name,
            self.pattern,
        ))
    }
}
