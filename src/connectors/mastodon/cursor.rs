//! The account's sync cursor: where each feed was read up to, as a small JSON object
//! opaque to everyone else. `{"n":{"s":"1200"},"c":{"s":"1180"},"p":"c"}` reads: mention
//! notifications are stored up to id 1200, conversations up to last-status id 1180, and the
//! next call reads conversations.
//!
//! - **Forward paging** (`s`, since): the next page is `min_id = s`, the oldest page above
//!   it, and `s` becomes the page's newest id. Each page's cursor is therefore safe to store
//!   as soon as that page is: a crash refetches at most one page, and ingest keeps one copy.
//! - **First sync** (no cursor): the newest page is read, then older ones with `max_id`
//!   (`b`, backlog: `below` and the items `left` of [`BACKLOG`]); `s` is set from the first
//!   page, so what arrives meanwhile is read forward afterwards. A feed found empty starts
//!   from `s = "0"`, so nothing that comes later is skipped.
//! - **Phase** (`p`): a pass reads notifications until none are waiting, then conversations,
//!   then says `more: false` and the next pass starts again with notifications.
//!
//! A cursor that cannot be read (not ours, an old format) is logged and treated as none:
//! the account reads its backlog again and ingest drops what it already has.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

/// The most items a first sync reads back, per feed.
pub const BACKLOG: u32 = 400;

/// Which feed a call reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Feed {
    /// Mention notifications (mentions, replies, DMs).
    #[default]
    #[serde(rename = "n")]
    Notifications,
    /// DM conversations.
    #[serde(rename = "c")]
    Conversations,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(default, skip_serializing_if = "Position::is_new")]
    pub n: Position,
    #[serde(default, skip_serializing_if = "Position::is_new")]
    pub c: Position,
    #[serde(default, rename = "p")]
    pub next: Feed,
}

/// How far one feed was read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// The newest id stored; `None`: the feed was never read.
    #[serde(default, rename = "s", skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// A first sync's backlog still being read.
    #[serde(default, rename = "b", skip_serializing_if = "Option::is_none")]
    pub back: Option<Backlog>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backlog {
    /// The next older page is `max_id = below`.
    pub below: String,
    pub left: u32,
}

/// Where the next page of a feed starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// The newest page (a first sync).
    Newest,
    /// `max_id`: the page below this id (the backlog).
    Below(String),
    /// `min_id`: the page just above this id.
    Above(String),
}

impl Cursor {
    /// Reads a stored cursor; `None` or an unreadable one is a first sync.
    pub fn parse(stored: Option<&str>) -> Cursor {
        crate::connectors::stored_cursor::read(stored, "mastodon")
    }

    pub fn to_text(&self) -> String {
        crate::connectors::stored_cursor::write(self)
    }

    pub fn position(&mut self, feed: Feed) -> &mut Position {
        match feed {
            Feed::Notifications => &mut self.n,
            Feed::Conversations => &mut self.c,
        }
    }
}

impl Position {
    fn is_new(&self) -> bool {
        *self == Position::default()
    }

    pub fn request(&self) -> Request {
        match (&self.back, &self.since) {
            (Some(back), _) => Request::Below(back.below.clone()),
            (None, Some(since)) => Request::Above(since.clone()),
            (None, None) => Request::Newest,
        }
    }

    /// Moves past a page read with `request`, whose ids are `ids`; `full` when the server
    /// may have more beyond it. Returns whether another page of this feed is waiting.
    pub fn advance(&mut self, request: &Request, ids: &[&str], full: bool) -> bool {
        let newest = ids.iter().copied().max_by(|a, b| compare_ids(a, b));
        let oldest = ids.iter().copied().min_by(|a, b| compare_ids(a, b));
        let count = u32::try_from(ids.len()).unwrap_or(u32::MAX);
        match request {
            Request::Newest => {
                self.since = Some(newest.unwrap_or("0").to_string());
                self.back = oldest
                    .filter(|_| full && count < BACKLOG)
                    .map(|below| Backlog {
                        below: below.to_string(),
                        left: BACKLOG - count,
                    });
                self.back.is_some()
            }
            Request::Below(_) => {
                let left = self
                    .back
                    .as_ref()
                    .map_or(0, |b| b.left.saturating_sub(count));
                self.back = oldest.filter(|_| full && left > 0).map(|below| Backlog {
                    below: below.to_string(),
                    left,
                });
                self.back.is_some()
            }
            Request::Above(since) => {
                if let Some(newest) = newest.filter(|n| compare_ids(n, since).is_gt()) {
                    self.since = Some(newest.to_string());
                }
                full
            }
        }
    }
}

/// Orders Mastodon ids: numeric ids (snowflakes, the mock's counters) by value, others
/// (some forks' flake ids) as text.
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if numeric(a) && numeric(b) {
        let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
        a.len().cmp(&b.len()).then_with(|| a.cmp(b))
    } else {
        a.cmp(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_as_compact_json_and_garbage_is_a_first_sync() {
        let mut cursor = Cursor::default();
        assert_eq!(cursor.to_text(), r#"{"p":"n"}"#);
        cursor.n.since = Some("1200".into());
        cursor.c.back = Some(Backlog {
            below: "900".into(),
            left: 360,
        });
        cursor.next = Feed::Conversations;
        let text = cursor.to_text();
        assert_eq!(
            text,
            r#"{"n":{"s":"1200"},"c":{"b":{"below":"900","left":360}},"p":"c"}"#
        );
        assert_eq!(Cursor::parse(Some(&text)), cursor);
        assert_eq!(Cursor::parse(Some("not json")), Cursor::default());
        assert_eq!(Cursor::parse(Some("{}")), Cursor::default());
        assert_eq!(Cursor::parse(None), Cursor::default());
    }

    #[test]
    fn a_first_sync_reads_the_newest_page_then_back_to_the_backlog_bound() {
        let mut p = Position::default();
        assert_eq!(p.request(), Request::Newest);
        let page: Vec<String> = (1000..1080).rev().map(|n| n.to_string()).collect();
        let ids: Vec<&str> = page.iter().map(String::as_str).collect();
        assert!(p.advance(&Request::Newest, &ids, true));
        assert_eq!(p.since.as_deref(), Some("1079"));
        assert_eq!(p.request(), Request::Below("1000".into()));
        let mut pages = 1;
        while let Request::Below(below) = p.request() {
            let below: u32 = below.parse().unwrap();
            let page: Vec<String> = (below - 80..below).rev().map(|n| n.to_string()).collect();
            let ids: Vec<&str> = page.iter().map(String::as_str).collect();
            p.advance(&Request::Below(below.to_string()), &ids, true);
            pages += 1;
        }
        assert_eq!(pages * 80, BACKLOG);
        assert_eq!(p.request(), Request::Above("1079".into()));
    }

    #[test]
    fn forward_pages_move_since_to_their_newest_id_and_empty_feeds_start_at_zero() {
        let mut p = Position::default();
        assert!(!p.advance(&Request::Newest, &[], false));
        assert_eq!(p.request(), Request::Above("0".into()));
        let more = p.advance(&Request::Above("0".into()), &["12", "9", "10"], false);
        assert!(!more);
        assert_eq!(p.since.as_deref(), Some("12"));
        assert!(p.advance(&Request::Above("12".into()), &[], true));
        assert_eq!(
            p.since.as_deref(),
            Some("12"),
            "an empty page keeps the position"
        );
        p.advance(&Request::Above("12".into()), &["11"], false);
        assert_eq!(p.since.as_deref(), Some("12"), "never moves back");
    }

    #[test]
    fn ids_compare_as_numbers_when_they_are_numbers() {
        assert!(compare_ids("117020577157693549", "99999").is_gt());
        assert!(compare_ids("10", "9").is_gt());
        assert!(compare_ids("007", "7").is_eq());
        assert!(compare_ids("AbC", "AbD").is_lt());
    }
}
