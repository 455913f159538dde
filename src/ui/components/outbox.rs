//! The outbox screen's state: the outbox entries we may see (replies and moderation steps
//! on their way out), newest first and kept current from `Event::Outbox`, the handles of
//! the items they are about, the cursor, the filter ("all" or "needs approval") and whether
//! the screen shows. What its keys do is `app/outbox.rs` and `app/approvals.rs`.

use std::collections::BTreeMap;

use super::super::action::Action;
use super::super::keymap::Context;
use super::super::sanitize::one_line;
use super::Component;
use super::Sends;
use crate::model::{Item, ItemId, OutboxEntry, OutboxState};

/// Entries kept at most (the newest; held ones are always kept).
pub const MAX_KEPT: usize = 1000;
/// Rows under the list for the entry under the cursor: a rule and its text and outcome.
pub const PREVIEW_ROWS: u16 = 5;

/// What to do once an entry's item has been read from the hub.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxThen {
    /// Open it in the detail pane.
    Open,
    /// Open the composer on the entry's text, to retry or approve it with edits.
    Edit(Sends),
    /// Only learn its author's handle, for the list.
    Learn,
}

/// The outbox as the TUI holds it.
#[derive(Clone, Debug, Default)]
pub struct OutboxView {
    /// Newest first.
    entries: Vec<OutboxEntry>,
    /// The handle of each entry's item, once known.
    handles: BTreeMap<ItemId, String>,
    /// Whether the screen is shown over the panes.
    pub shown: bool,
    /// Only what waits for approval.
    pub only_held: bool,
    /// Position in the filtered list, and its first visible row.
    pub cursor: usize,
    pub scroll: usize,
    /// Rows of the list on screen (set by the layout).
    pub rows: usize,
    /// Whether the hub's answer to `Outbox` came.
    pub loaded: bool,
    /// Whether approving and rejecting are ours to do (approvers and admins).
    pub approver: bool,
}

impl OutboxView {
    /// An empty outbox, its approval keys listed for an approver.
    pub fn new(approver: bool) -> OutboxView {
        OutboxView {
            approver,
            ..OutboxView::default()
        }
    }

    /// Every entry held, newest first.
    pub fn entries(&self) -> &[OutboxEntry] {
        &self.entries
    }

    /// The entries the filter shows, newest first.
    pub fn visible(&self) -> Vec<&OutboxEntry> {
        self.entries
            .iter()
            .filter(|e| !self.only_held || e.state == OutboxState::Held)
            .collect()
    }

    /// The entry under the cursor.
    pub fn current(&self) -> Option<&OutboxEntry> {
        self.visible().get(self.cursor).copied()
    }

    pub fn get(&self, id: ItemId) -> Option<&OutboxEntry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// How many entries wait for approval.
    pub fn held(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.state == OutboxState::Held)
            .count()
    }

    /// Replaces everything with the hub's list (oldest first, as it answers).
    pub fn load(&mut self, mut entries: Vec<OutboxEntry>) {
        let at = self.current().map(|e| e.id);
        entries.reverse();
        self.entries = entries;
        self.trim();
        self.loaded = true;
        self.keep_cursor(at);
    }

    /// Adds or replaces one entry; returns the copy it replaced.
    pub fn upsert(&mut self, entry: OutboxEntry) -> Option<OutboxEntry> {
        let at = self.current().map(|e| e.id);
        let previous = match self.entries.iter().position(|e| e.id == entry.id) {
            Some(index) => Some(std::mem::replace(&mut self.entries[index], entry)),
            None => {
                let index = self.entries.partition_point(|e| e.id > entry.id);
                self.entries.insert(index, entry);
                self.trim();
                None
            }
        };
        self.keep_cursor(at);
        previous
    }

    /// Drops the oldest entries beyond [`MAX_KEPT`], never one that waits for approval.
    fn trim(&mut self) {
        let mut kept = 0;
        self.entries.retain(|e| {
            kept += 1;
            kept <= MAX_KEPT || e.state == OutboxState::Held
        });
    }

    /// The handle of an item an entry is about, if known.
    pub fn handle(&self, item: ItemId) -> Option<&str> {
        self.handles.get(&item).map(String::as_str)
    }

    /// "reply to @claire", "block request on @troll" (the item's id while its handle is
    /// not known).
    pub fn subject(&self, entry: &OutboxEntry) -> String {
        let whom = match self.handle(entry.item) {
            Some(handle) => format!("@{}", one_line(handle, 24)),
            None => format!("item {}", short_id(entry.item)),
        };
        match entry.moderation {
            None => format!("reply to {whom}"),
            Some(_) => format!("{} request on {whom}", entry.what()),
        }
    }

    /// Remembers the handles of the items our entries are about.
    pub fn learn<'a>(&mut self, items: impl IntoIterator<Item = &'a Item>) {
        for item in items {
            if self.entries.iter().any(|e| e.item == item.id) {
                self.handles.insert(item.id, item.author.handle.clone());
            }
        }
    }

    /// Items of entries whose handle is unknown, newest first, at most `limit`.
    pub fn unknown_items(&self, limit: usize) -> Vec<(ItemId, ItemId)> {
        let mut seen: Vec<(ItemId, ItemId)> = Vec::new();
        for entry in &self.entries {
            let known = self.handles.contains_key(&entry.item);
            if !known && !seen.iter().any(|(_, item)| *item == entry.item) {
                seen.push((entry.id, entry.item));
            }
            if seen.len() == limit {
                break;
            }
        }
        seen
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible().len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.follow();
    }

    /// Shows everything, or only what waits for approval.
    pub fn toggle_filter(&mut self) {
        let at = self.current().map(|e| e.id);
        self.only_held = !self.only_held;
        self.keep_cursor(at);
    }

    /// Puts the cursor back on the entry it was on (else where it can be).
    fn keep_cursor(&mut self, at: Option<ItemId>) {
        let visible = self.visible();
        let found = at.and_then(|id| visible.iter().position(|e| e.id == id));
        self.cursor = found.unwrap_or(self.cursor.min(visible.len().saturating_sub(1)));
        self.follow();
    }

    /// Scrolls so that the cursor's row shows.
    fn follow(&mut self) {
        let rows = self.rows.max(1);
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + rows {
            self.scroll = self.cursor + 1 - rows;
        }
    }

    /// Sets the list's rows from the height of the screen's area.
    pub fn set_height(&mut self, height: u16) {
        self.rows = usize::from(height.saturating_sub(1 + PREVIEW_ROWS)).max(1);
        self.follow();
    }
}

/// The end of an id, enough to tell entries apart on screen: `…7Q2XK9`.
pub fn short_id(id: ItemId) -> String {
    let text = id.to_string();
    let tail: String = text
        .chars()
        .skip(text.chars().count().saturating_sub(6))
        .collect();
    format!("…{tail}")
}

impl Component for OutboxView {
    fn context(&self) -> Context {
        Context::Outbox
    }
    fn commands(&self) -> &'static [Action] {
        match self.approver {
            true => &[
                Action::Approve,
                Action::ApproveEdited,
                Action::Reject,
                Action::Open,
                Action::EditRetry,
                Action::Retry,
                Action::NeedsApproval,
                Action::Back,
            ],
            false => &[
                Action::Open,
                Action::EditRetry,
                Action::Retry,
                Action::NeedsApproval,
                Action::Back,
                Action::Help,
            ],
        }
    }
}
