//! The queue pane's state: a window of the view's items around the cursor, never the whole
//! store. It knows which absolute positions are loaded, asks for the page around the cursor
//! when the cursor nears the window's edge, keeps the cursor on the same item when the list
//! shifts under it, and finds the end of a long list by probing instead of reading it.

use std::collections::BTreeMap;

use crate::model::{Item, ItemId};

/// Items asked for per page, at least.
pub const MIN_PAGE: usize = 200;

/// A page the queue wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub generation: u64,
    pub seq: u64,
    pub start: usize,
    pub limit: usize,
}

/// The next step of finding the end of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeStep {
    /// Ask whether an item exists at this position.
    Probe(usize),
    /// The end is near: load the page from here.
    Load(PageRequest),
}

/// Bounds of the end search: an item exists at `lo`; none at `hi` when known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Probe {
    lo: usize,
    hi: Option<usize>,
}

/// The queue window and cursor.
#[derive(Clone, Debug, Default)]
pub struct Queue {
    /// Bumped whenever the query changes: answers for older generations are dropped.
    pub generation: u64,
    /// Absolute position of `items[0]` in the view.
    pub start: usize,
    pub items: Vec<Item>,
    /// How many items the view has, once known.
    pub end: Option<usize>,
    /// Absolute position of the cursor (may point past the loaded window while a jump loads).
    pub cursor: usize,
    /// Absolute position of the first visible row.
    pub scroll: usize,
    /// Visible rows.
    pub rows: usize,
    /// The item under the cursor: the cursor follows it when the list shifts.
    pub anchor: Option<ItemId>,
    /// Selected items (their last known state).
    pub selected: BTreeMap<ItemId, Item>,
    /// Whether a page of this generation has arrived.
    pub loaded: bool,
    /// The page being loaded (only the latest request counts).
    loading: Option<PageRequest>,
    seq: u64,
    probe: Option<Probe>,
    /// Put the cursor on the last item once the end is known.
    jump_to_end: bool,
}

impl Queue {
    /// Starts over for a new query; returns the first page to load.
    pub fn reset(&mut self) -> PageRequest {
        let rows = self.rows;
        *self = Queue {
            generation: self.generation + 1,
            seq: self.seq,
            rows,
            ..Queue::default()
        };
        self.request(0)
    }

    fn page_size(&self) -> usize {
        (self.rows * 5).max(MIN_PAGE)
    }

    fn margin(&self) -> usize {
        self.rows.max(20)
    }

    fn loaded_end(&self) -> usize {
        self.start + self.items.len()
    }

    fn request(&mut self, start: usize) -> PageRequest {
        self.seq += 1;
        let request = PageRequest {
            generation: self.generation,
            seq: self.seq,
            start,
            limit: self.page_size(),
        };
        self.loading = Some(request);
        request
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    pub fn item_at(&self, index: usize) -> Option<&Item> {
        index
            .checked_sub(self.start)
            .and_then(|i| self.items.get(i))
    }

    pub fn current(&self) -> Option<&Item> {
        self.item_at(self.cursor)
    }

    /// Absolute position of a loaded item.
    pub fn position(&self, id: ItemId) -> Option<usize> {
        self.items
            .iter()
            .position(|i| i.id == id)
            .map(|i| i + self.start)
    }

    /// The furthest position the cursor may go now.
    fn last_index(&self) -> usize {
        match self.end {
            Some(end) => end.saturating_sub(1),
            None => self.loaded_end().max(self.cursor + 1) - 1,
        }
    }

    /// Puts the cursor at an absolute position (clamped) and keeps it visible.
    pub fn move_to(&mut self, index: usize) {
        self.cursor = index.min(self.last_index());
        self.anchor = self.current().map(|i| i.id);
        self.keep_cursor_visible();
    }

    pub fn move_by(&mut self, delta: isize) {
        let target = self.cursor.saturating_add_signed(delta);
        self.move_to(target);
    }

    pub fn set_rows(&mut self, rows: usize) {
        self.rows = rows;
        self.keep_cursor_visible();
    }

    fn keep_cursor_visible(&mut self) {
        let rows = self.rows.max(1);
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + rows {
            self.scroll = self.cursor + 1 - rows;
        }
        if let Some(end) = self.end {
            self.scroll = self.scroll.min(end.saturating_sub(rows));
        }
    }

    /// The page to load so that the visible rows (and a margin) are loaded, if any.
    pub fn needs_page(&mut self) -> Option<PageRequest> {
        if !self.loaded {
            // The first page is on its way (`reset` asked for it).
            return None;
        }
        let loaded_end = self.loaded_end();
        let more_after = self.end.is_none_or(|end| loaded_end < end);
        let near_top = self.start > 0 && self.scroll < self.start + self.margin();
        let near_bottom = more_after && self.scroll + self.rows + self.margin() > loaded_end;
        let outside = self.cursor < self.start || (more_after && self.cursor >= loaded_end);
        if !(near_top || near_bottom || outside) {
            return None;
        }
        let start = self.cursor.saturating_sub(self.page_size() / 2);
        if start == self.start || self.loading.is_some_and(|l| l.start == start) {
            return None;
        }
        Some(self.request(start))
    }

    /// Reloads the current window (after changes that may reorder it).
    pub fn refresh(&mut self) -> PageRequest {
        self.request(self.start)
    }

    /// Takes a page the hub sent; `false` (and nothing changes) when it is stale.
    pub fn accept_page(
        &mut self,
        generation: u64,
        seq: u64,
        start: usize,
        items: Vec<Item>,
        more: bool,
    ) -> bool {
        if generation != self.generation || self.loading.is_none_or(|l| l.seq != seq) {
            return false;
        }
        self.loading = None;
        self.loaded = true;
        self.start = start;
        self.items = items;
        let loaded_end = self.loaded_end();
        self.end = if more { None } else { Some(loaded_end) };
        if self.items.is_empty() && start > 0 {
            // The list shrank below the window: look further up.
            self.end = None;
            self.cursor = self.cursor.min(start - 1);
        }
        for item in &self.items {
            if let Some(snapshot) = self.selected.get_mut(&item.id) {
                *snapshot = item.clone();
            }
        }
        self.relocate_cursor();
        true
    }

    fn relocate_cursor(&mut self) {
        if self.jump_to_end {
            if let Some(end) = self.end {
                self.jump_to_end = false;
                self.cursor = end.saturating_sub(1);
            }
        } else if let Some(pos) = self.anchor.and_then(|id| self.position(id)) {
            self.cursor = pos;
        }
        if let Some(end) = self.end {
            self.cursor = self.cursor.min(end.saturating_sub(1));
        }
        self.anchor = self.current().map(|i| i.id);
        self.keep_cursor_visible();
    }

    /// The hub refused page `seq`: stop waiting for it.
    pub fn fail_page(&mut self, seq: u64) {
        if self.loading.is_some_and(|l| l.seq == seq) {
            self.loading = None;
            self.loaded = true;
        }
    }

    /// Replaces a shown item with its newer state; whether it was shown.
    pub fn replace(&mut self, item: &Item) -> bool {
        if let Some(snapshot) = self.selected.get_mut(&item.id) {
            *snapshot = item.clone();
        }
        match self.items.iter_mut().find(|i| i.id == item.id) {
            Some(shown) => {
                *shown = item.clone();
                true
            }
            None => false,
        }
    }

    /// Goes to the last item: at once when the end is known, else by probing.
    pub fn bottom(&mut self) -> Option<ProbeStep> {
        if let Some(end) = self.end {
            self.move_to(end.saturating_sub(1));
            return None;
        }
        self.jump_to_end = true;
        let lo = self.loaded_end().saturating_sub(1);
        self.probe = Some(Probe { lo, hi: None });
        Some(self.next_probe())
    }

    fn next_probe(&mut self) -> ProbeStep {
        let Some(probe) = self.probe else {
            return ProbeStep::Load(self.request(self.start));
        };
        match probe.hi {
            None => ProbeStep::Probe((probe.lo + 1) * 4),
            Some(hi) if hi - probe.lo <= self.page_size() / 2 => {
                self.probe = None;
                self.cursor = probe.lo;
                self.anchor = None;
                ProbeStep::Load(self.request(probe.lo.saturating_sub(self.page_size() / 2)))
            }
            Some(hi) => ProbeStep::Probe(probe.lo + (hi - probe.lo) / 2),
        }
    }

    /// Takes a probe answer (`found`: an item exists at `skip`); the next step, if any.
    pub fn accept_probe(&mut self, generation: u64, skip: usize, found: bool) -> Option<ProbeStep> {
        let probe = self
            .probe
            .as_mut()
            .filter(|_| generation == self.generation)?;
        if found {
            probe.lo = probe.lo.max(skip);
        } else {
            probe.hi = Some(probe.hi.map_or(skip, |hi| hi.min(skip)));
        }
        Some(self.next_probe())
    }

    /// Selects or unselects the item under the cursor.
    pub fn toggle_select(&mut self) {
        if let Some(item) = self.current().cloned() {
            if self.selected.remove(&item.id).is_none() {
                self.selected.insert(item.id, item);
            }
        }
    }

    pub fn select_all(&mut self) {
        for item in &self.items {
            self.selected.insert(item.id, item.clone());
        }
    }

    /// The loaded item closest to (or furthest past) its SLA.
    pub fn next_sla(&self) -> Option<usize> {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.status.is_active())
            .filter_map(|(n, i)| i.sla_due.map(|due| (due, n)))
            .min()
            .map(|(_, n)| n + self.start)
    }
}
