//! What every index scan shares: [`Selector`] (does the entry in this slot match the query?)
//! and [`parallel`], which splits a run of queue positions over the machine's cores.

use std::ops::Range;

use super::entry::flag;
use super::table::Table;
use crate::model::query::MatchContext;
use crate::model::{Query, Status};
use crate::store::{Result, Store};

/// Scans use at most this many threads.
const MAX_WORKERS: usize = 8;

/// Decides which entries a query selects.
pub(super) struct Selector<'a> {
    query: &'a Query,
    ctx: &'a MatchContext<'a>,
    /// The statuses a matching item can have (a quick first test).
    statuses: [bool; Status::ALL.len()],
    text_terms: bool,
    /// The empty query: every entry matches.
    everything: bool,
    /// For the rare entry whose text is only partly kept, when the query looks in texts.
    store: &'a dyn Store,
}

impl<'a> Selector<'a> {
    pub fn new(query: &'a Query, ctx: &'a MatchContext<'a>, store: &'a dyn Store) -> Self {
        let mut statuses = [false; Status::ALL.len()];
        for status in query.statuses() {
            statuses[usize::from(status.index_byte())] = true;
        }
        Selector {
            query,
            ctx,
            statuses,
            text_terms: query.has_text_terms(),
            everything: query.is_empty(),
            store,
        }
    }

    /// Whether every entry matches (then a page is a plain range of the queue).
    pub fn selects_everything(&self) -> bool {
        self.everything
    }

    /// Whether the entry in `slot` matches. An entry whose text was cut is judged on the
    /// stored item when the query has free words (the kept part cannot say).
    pub fn selects(&self, table: &Table, slot: u32) -> Result<bool> {
        let entry = table.entry(slot);
        if !self.statuses[usize::from(entry.status.index_byte())] {
            return Ok(false);
        }
        if self.text_terms && entry.has(flag::TEXT_CUT) {
            return Ok(self
                .store
                .get(entry.id())?
                .is_some_and(|item| self.query.matches(&item, self.ctx)));
        }
        Ok(self.query.matches_subject(&table.view(slot), self.ctx))
    }
}

/// How many threads a scan uses.
pub(super) fn workers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, MAX_WORKERS)
}

/// `range` cut into `parts` contiguous pieces of (nearly) equal length, in order.
pub(super) fn split(range: Range<usize>, parts: usize) -> Vec<Range<usize>> {
    let parts = parts.max(1);
    let len = range.len();
    (0..parts)
        .map(|k| range.start + len * k / parts..range.start + len * (k + 1) / parts)
        .filter(|piece| !piece.is_empty())
        .collect()
}

/// Runs `work` on every range, one thread each (the calling thread takes the first), and
/// returns the results in range order.
pub(super) fn parallel<R: Send>(
    ranges: Vec<Range<usize>>,
    work: impl Fn(Range<usize>) -> R + Sync,
) -> Vec<R> {
    let mut ranges = ranges.into_iter();
    let Some(first) = ranges.next() else {
        return Vec::new();
    };
    std::thread::scope(|scope| {
        let work = &work;
        let others: Vec<_> = ranges
            .map(|range| scope.spawn(move || work(range)))
            .collect();
        let mut results = vec![work(first)];
        for handle in others {
            match handle.join() {
                Ok(result) => results.push(result),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_covers_the_range_in_order() {
        assert_eq!(split(0..10, 3), [0..3, 3..6, 6..10]);
        assert_eq!(split(5..7, 4), [5..6, 6..7]);
        assert!(split(3..3, 2).is_empty());
    }

    #[test]
    fn parallel_keeps_range_order() {
        let results = parallel(split(0..1000, 4), |r| r.sum::<usize>());
        assert_eq!(results.iter().sum::<usize>(), (0..1000).sum::<usize>());
        assert_eq!(results[0], (0..250).sum::<usize>());
    }
}
