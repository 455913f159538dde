//! Fuzzy find (`/` in the TUI): scores every item a query selects against a pattern with
//! fuzzy-matcher's skim algorithm, keeps the best in a bounded heap, and only then computes
//! the matched positions the TUI highlights.
//!
//! This is the store scan, used until the hub's queue index is built; the index
//! (`super::index`) answers the same requests with the same [`score_fields`] and [`hit`], so
//! both give the same hits in the same order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use super::protocol::FindHit;
use crate::model::query::MatchContext;
use crate::model::{Item, Query};
use crate::store::Result;

/// How much of a long text fuzzy find looks at: a pasted 1 MB message must not make every
/// keystroke scan a megabyte.
pub(super) const FIND_SCOPE_BYTES: usize = 4096;

/// The best `limit` hits for `pattern` among `items` that match `query`, best first.
pub fn find(
    items: impl Iterator<Item = Result<Item>>,
    query: &Query,
    ctx: &MatchContext,
    pattern: &str,
    limit: usize,
) -> Result<Vec<FindHit>> {
    let pattern = pattern.trim();
    let mut best: BinaryHeap<Reverse<(i64, u64, ItemSlot)>> = BinaryHeap::new();
    let mut order = 0u64;
    for item in items {
        let item = item?;
        if !query.matches(&item, ctx) {
            continue;
        }
        let Some(score) = score_fields(&item.text, &item.author.handle, &item.author.name, pattern)
        else {
            continue;
        };
        order += 1;
        // Ties keep queue order: an earlier item (smaller order) ranks higher.
        best.push(Reverse((score, u64::MAX - order, ItemSlot(item))));
        if best.len() > limit {
            best.pop();
        }
    }
    let mut ranked: Vec<_> = best.into_iter().map(|Reverse(entry)| entry).collect();
    ranked.sort_by_key(|entry| Reverse((entry.0, entry.1)));
    Ok(ranked
        .into_iter()
        .map(|(score, _, ItemSlot(item))| hit(item, pattern, score))
        .collect())
}

/// The part of a text fuzzy find looks at: its first [`FIND_SCOPE_BYTES`], cut at a
/// character boundary.
pub(super) fn scope(text: &str) -> &str {
    if text.len() <= FIND_SCOPE_BYTES {
        return text;
    }
    let mut end = FIND_SCOPE_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The score of an item (its best over the text's scope, the handle and the name), or `None`
/// when the pattern matches none of them. The pattern is already trimmed.
///
/// Each item gets a fresh matcher: skim's matcher keeps scratch memory between calls and a
/// leftover can nudge a score, so a matcher shared across items made an item's score depend
/// on which items were scored before it (and the store scan and the index disagree).
pub(super) fn score_fields(text: &str, handle: &str, name: &str, pattern: &str) -> Option<i64> {
    if pattern.is_empty() {
        return Some(0);
    }
    let matcher = SkimMatcherV2::default().smart_case();
    let text = matcher.fuzzy_match(scope(text), pattern);
    let handle = matcher.fuzzy_match(handle, pattern);
    let name = matcher.fuzzy_match(name, pattern);
    text.into_iter().chain(handle).chain(name).max()
}

/// The hit for an item that ranked, with the positions the TUI highlights.
pub(super) fn hit(item: Item, pattern: &str, score: i64) -> FindHit {
    let matcher = SkimMatcherV2::default().smart_case();
    let positions = |s: &str| {
        if pattern.is_empty() {
            return Vec::new();
        }
        matcher
            .fuzzy_indices(s, pattern)
            .map(|(_, idx)| idx)
            .unwrap_or_default()
    };
    FindHit {
        text_matches: positions(scope(&item.text)),
        handle_matches: positions(&item.author.handle),
        score,
        item,
    }
}

/// Orders heap entries by score and queue position only.
struct ItemSlot(Item);

impl PartialEq for ItemSlot {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for ItemSlot {}
impl PartialOrd for ItemSlot {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for ItemSlot {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}
