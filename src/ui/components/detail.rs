//! The detail pane's state: the item, its context from the hub (thread, the author's
//! earlier items, the audit trail) once it arrives, and the rendered lines, wrapped once per
//! width and kept, so that scrolling through a 1 MB message costs nothing per frame.

use ratatui::text::Line;

use crate::hub::protocol::ItemDetail;
use crate::model::{Item, ItemId};

/// An open detail pane.
#[derive(Clone, Debug)]
pub struct Detail {
    /// The item as last known (from the queue, then from the hub).
    pub item: Item,
    /// The full context, once the hub answered.
    pub detail: Option<Box<ItemDetail>>,
    /// The request whose answer is awaited; older answers are dropped.
    pub seq: u64,
    /// First visible line.
    pub scroll: usize,
    /// Visible rows.
    pub rows: usize,
    /// The rendered lines and the width they were wrapped for.
    pub lines: Vec<Line<'static>>,
    pub width: u16,
    pub error: Option<String>,
}

impl Detail {
    pub fn new(item: Item, seq: u64) -> Detail {
        Detail {
            item,
            detail: None,
            seq,
            scroll: 0,
            rows: 1,
            lines: Vec::new(),
            width: 0,
            error: None,
        }
    }

    pub fn id(&self) -> ItemId {
        self.item.id
    }

    /// Whether an item belongs to what the pane shows (the item or its thread).
    pub fn concerns(&self, item: &Item) -> bool {
        item.id == self.item.id
            || (item.account == self.item.account && item.thread_key() == self.item.thread_key())
    }

    fn max_scroll(&self) -> usize {
        self.lines.len().saturating_sub(self.rows.max(1))
    }

    pub fn scroll_by(&mut self, delta: isize) {
        self.scroll = self
            .scroll
            .saturating_add_signed(delta)
            .min(self.max_scroll());
    }

    pub fn scroll_to_end(&mut self) {
        self.scroll = self.max_scroll();
    }

    /// Keeps the scroll position valid after the lines changed.
    pub fn clamp_scroll(&mut self) {
        self.scroll = self.scroll.min(self.max_scroll());
    }
}
