//! The account's sync cursor: its own small JSON, opaque to everyone else.
//! `{"m":{"s":"1578516295611748353"},"r":{"s":"17","n":"b26v89"},"d":{},"c":["3"],"p":"r"}`
//! reads: mentions stored up to that id; the replies walk under way continues with page
//! token `b26v89` and then stores up to the newest id it saw; DMs never read; the brand's
//! recent conversations are `3`; the next call reads replies.
//!
//! A **walk** reads what is new of one feed: the first page asks `since_id = s` (X answers
//! newest first), the next pages follow `meta.next_token` (`n`) going older, and only when
//! the walk is over does `s` become the newest id it saw (`t`). Each page's cursor is
//! therefore safe to store with that page: a crash repeats at most that page (ingest keeps
//! one copy). `GET /2/dm_events` has no `since_id`: its walk stops at the first page that
//! reaches `s`. A **first sync** (no `s`) reads at most [`FIRST_SYNC_PAGES`] pages per feed:
//! X bills every post read.
//!
//! A cursor that cannot be read is logged and taken as none (a first sync again).

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

/// The most pages a first sync reads back, per feed.
pub const FIRST_SYNC_PAGES: u32 = 2;

/// Which feed a call reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Feed {
    /// `GET /2/users/:id/mentions`.
    #[default]
    #[serde(rename = "m")]
    Mentions,
    /// Recent search of the brand's conversations.
    #[serde(rename = "r")]
    Replies,
    /// `GET /2/dm_events`.
    #[serde(rename = "d")]
    Dms,
}

impl Feed {
    /// The feed after this one in a pass; `None` after the last.
    pub fn next(self) -> Option<Feed> {
        match self {
            Feed::Mentions => Some(Feed::Replies),
            Feed::Replies => Some(Feed::Dms),
            Feed::Dms => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(default)]
    pub m: Walk,
    #[serde(default)]
    pub r: Walk,
    #[serde(default)]
    pub d: Walk,
    /// The conversation ids of the brand's recent posts.
    #[serde(default, rename = "c", skip_serializing_if = "Vec::is_empty")]
    pub conversations: Vec<String>,
    #[serde(default, rename = "p")]
    pub next: Feed,
}

/// Where one feed is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Walk {
    /// The newest id stored by a finished walk.
    #[serde(default, rename = "s", skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// The next page of the walk under way.
    #[serde(default, rename = "n", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// The newest id seen by the walk under way.
    #[serde(default, rename = "t", skip_serializing_if = "Option::is_none")]
    pub top: Option<String>,
    /// Pages read by the walk under way.
    #[serde(default, rename = "k", skip_serializing_if = "is_zero")]
    pub pages: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Cursor {
    /// Reads a stored cursor; `None` or an unreadable one is a first sync.
    pub fn parse(stored: Option<&str>) -> Cursor {
        crate::connectors::stored_cursor::read(stored, "x")
    }

    pub fn to_text(&self) -> String {
        crate::connectors::stored_cursor::write(self)
    }
}

impl Walk {
    /// Whether the walk under way has begun (a next page to ask).
    pub fn under_way(&self) -> bool {
        self.next_token.is_some()
    }

    /// Whether `id` is newer than what finished walks stored.
    pub fn is_new(&self, id: &str) -> bool {
        self.since
            .as_deref()
            .is_none_or(|since| compare_ids(id, since).is_gt())
    }

    /// Moves past a page with these ids and `next_token`; `reached_since` when the page went
    /// back to what was stored (DMs). Returns whether the walk goes on.
    pub fn advance(&mut self, ids: &[&str], next_token: Option<&str>, reached_since: bool) -> bool {
        if let Some(newest) = ids.iter().copied().max_by(|a, b| compare_ids(a, b)) {
            if self
                .top
                .as_deref()
                .is_none_or(|top| compare_ids(newest, top).is_gt())
            {
                self.top = Some(newest.to_string());
            }
        }
        self.pages += 1;
        let first_sync_done = self.since.is_none() && self.pages >= FIRST_SYNC_PAGES;
        match next_token {
            Some(token) if !reached_since && !first_sync_done => {
                self.next_token = Some(token.to_string());
                true
            }
            _ => {
                self.finish();
                false
            }
        }
    }

    /// Ends the walk: what it saw is stored.
    fn finish(&mut self) {
        if let Some(top) = self.top.take() {
            if self.is_new(&top) {
                self.since = Some(top);
            }
        }
        self.next_token = None;
        self.pages = 0;
    }
}

/// Orders X ids (decimal snowflakes) by value.
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_as_compact_json_and_garbage_is_a_first_sync() {
        let mut cursor = Cursor::default();
        assert_eq!(cursor.to_text(), r#"{"m":{},"r":{},"d":{},"p":"m"}"#);
        cursor.m.since = Some("15".into());
        cursor.r.next_token = Some("b26v89".into());
        cursor.conversations = vec!["3".into()];
        cursor.next = Feed::Replies;
        let text = cursor.to_text();
        assert_eq!(Cursor::parse(Some(&text)), cursor);
        assert_eq!(Cursor::parse(Some("not json")), Cursor::default());
        assert_eq!(Cursor::parse(None), Cursor::default());
    }

    #[test]
    fn a_walk_stores_its_newest_id_only_when_it_is_over() {
        let mut walk = Walk {
            since: Some("100".into()),
            ..Walk::default()
        };
        assert!(walk.advance(&["130", "120"], Some("tok"), false));
        assert_eq!(walk.since.as_deref(), Some("100"), "not yet");
        assert_eq!(walk.next_token.as_deref(), Some("tok"));
        assert!(!walk.advance(&["110", "101"], None, false));
        assert_eq!(walk.since.as_deref(), Some("130"));
        assert_eq!(
            walk,
            Walk {
                since: Some("130".into()),
                ..Walk::default()
            }
        );
        assert!(!walk.advance(&[], None, false));
        assert_eq!(walk.since.as_deref(), Some("130"), "an empty page keeps it");
    }

    #[test]
    fn a_first_sync_reads_a_bounded_number_of_pages() {
        let mut walk = Walk::default();
        let mut pages = 1;
        while walk.advance(&["9"], Some("older"), false) {
            pages += 1;
        }
        assert_eq!(pages, FIRST_SYNC_PAGES);
        assert_eq!(walk.since.as_deref(), Some("9"));
    }

    #[test]
    fn a_dm_walk_stops_where_it_reaches_what_was_stored() {
        let mut walk = Walk {
            since: Some("50".into()),
            ..Walk::default()
        };
        assert!(!walk.advance(&["70", "50"], Some("older"), true));
        assert_eq!(walk.since.as_deref(), Some("70"));
        assert!(walk.is_new("71") && !walk.is_new("50"));
    }

    #[test]
    fn ids_compare_as_numbers() {
        assert!(compare_ids("1578516295611748353", "999").is_gt());
        assert!(compare_ids("10", "9").is_gt());
    }
}
