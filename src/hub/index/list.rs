//! `List` over the index: the matching entries at match positions `skip..skip + limit` in
//! queue order, and whether more match after them.
//!
//! The queue is walked in blocks that grow (a common filter finds its page in the first few
//! thousand entries; a rare one may need them all). Past the first block, each block is
//! split over the cores: every piece counts its matches and keeps its first few, so a large
//! `skip` costs a count of the entries it passes, never a decode.

use std::ops::Range;

use super::scan::{parallel, split, workers, Selector};
use super::table::Table;
use crate::store::Result;

/// The first block is scanned on the calling thread: most pages are found in it.
const FIRST_BLOCK: usize = 4096;
const MAX_BLOCK: usize = 1 << 18;

/// The slots of the page, and whether more entries match after it.
pub(super) fn page(
    table: &Table,
    selector: &Selector<'_>,
    skip: usize,
    limit: usize,
) -> Result<(Vec<u32>, bool)> {
    if selector.selects_everything() {
        let len = table.order().len();
        let end = skip.saturating_add(limit).min(len);
        let slots = table.order().slots(skip.min(len)..end).collect();
        return Ok((slots, end < len));
    }
    let mut walk = Walk {
        table,
        selector,
        skip,
        wanted: limit.saturating_add(1),
        seen: 0,
        found: Vec::with_capacity(limit.min(1024) + 1),
    };
    let len = table.order().len();
    let mut start = 0;
    let mut block = FIRST_BLOCK;
    while start < len && !walk.done() {
        let end = start.saturating_add(block).min(len);
        if block == FIRST_BLOCK {
            walk.scan(start..end)?;
        } else {
            walk.scan_parallel(start..end)?;
        }
        start = end;
        block = (block * 4).min(MAX_BLOCK);
    }
    let mut found = walk.found;
    let more = found.len() > limit;
    found.truncate(limit);
    Ok((found, more))
}

/// How many entries match, counted in pieces over the cores.
pub(super) fn count(table: &Table, selector: &Selector<'_>) -> Result<u64> {
    let walk = Walk {
        table,
        selector,
        skip: usize::MAX,
        wanted: 0,
        seen: 0,
        found: Vec::new(),
    };
    let len = table.order().len();
    let pieces = parallel(split(0..len, workers()), |range| walk.count_piece(range, 0));
    pieces.into_iter().map(|p| p.map(|p| p.count as u64)).sum()
}

/// A walk down the queue collecting match positions `skip..skip + wanted`.
struct Walk<'a> {
    table: &'a Table,
    selector: &'a Selector<'a>,
    skip: usize,
    wanted: usize,
    /// Matches passed so far.
    seen: usize,
    found: Vec<u32>,
}

/// What one piece of a block found: its match count and its first matches.
struct Piece {
    range: Range<usize>,
    count: usize,
    first: Vec<u32>,
}

impl Walk<'_> {
    fn done(&self) -> bool {
        self.found.len() >= self.wanted
    }

    /// Scans positions in order on this thread.
    fn scan(&mut self, range: Range<usize>) -> Result<()> {
        for slot in self.table.order().slots(range) {
            if self.selector.selects(self.table, slot)? {
                self.take(slot);
                if self.done() {
                    break;
                }
            }
        }
        Ok(())
    }

    fn take(&mut self, slot: u32) {
        if self.seen >= self.skip {
            self.found.push(slot);
        }
        self.seen += 1;
    }

    /// Scans a block in pieces, one per core, then takes the pieces in order.
    fn scan_parallel(&mut self, block: Range<usize>) -> Result<()> {
        let keep = self.wanted - self.found.len();
        let pieces = parallel(split(block, workers()), |range| {
            self.count_piece(range, keep)
        });
        for piece in pieces {
            let piece = piece?;
            if self.done() {
                break;
            }
            self.take_piece(piece)?;
        }
        Ok(())
    }

    fn count_piece(&self, range: Range<usize>, keep: usize) -> Result<Piece> {
        let mut piece = Piece {
            range: range.clone(),
            count: 0,
            first: Vec::new(),
        };
        for slot in self.table.order().slots(range) {
            if self.selector.selects(self.table, slot)? {
                if piece.first.len() < keep {
                    piece.first.push(slot);
                }
                piece.count += 1;
            }
        }
        Ok(piece)
    }

    /// Takes a counted piece: skips it whole when the page starts after it, takes its kept
    /// matches when the page starts at or before it, and rescans it when the page starts
    /// inside it (once per request).
    fn take_piece(&mut self, piece: Piece) -> Result<()> {
        let page_starts_at = self.skip.saturating_sub(self.seen);
        if page_starts_at >= piece.count {
            self.seen += piece.count;
        } else if page_starts_at == 0 {
            let need = self.wanted - self.found.len();
            self.found.extend(piece.first.iter().take(need));
            self.seen += piece.count;
        } else {
            let seen_after = self.seen + piece.count;
            self.scan(piece.range)?;
            self.seen = seen_after;
        }
        Ok(())
    }
}
