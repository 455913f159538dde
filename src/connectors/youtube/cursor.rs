//! The account's sync cursor. `commentThreads.list` has no "since": it lists threads newest
//! first (`order=time`), page by page (`pageToken`). So the cursor keeps, per listing
//! (published, held for review), the newest time written on a thread it stored (`s`), and
//! a pass walks pages from the newest down until a page reaches back to that time, the last
//! page, or [`MAX_PAGES`]; only then does `s` move up to the newest time of the walk (kept
//! meanwhile in `w`, with the next page's token), so a crash mid-walk reads on from the
//! stored page, and a thread written during a walk is caught by the next one.
//!
//! `{"l":"h","p":{"s":"2026-11-23T06:00:00Z"},"h":{"w":{"t":"QURT…","n":"…","k":9}}}` reads:
//! published threads were stored up to 06:00; the held-for-review listing is being walked,
//! its next page is `QURT…`, nine pages left at most. A cursor that is not ours reads as
//! none (the recent backlog is read again, ingest keeps one copy).
//!
//! The listing orders threads by when they were started, so a new reply does not bring an
//! older thread up. The cursor therefore also keeps the reply counts of the threads on the
//! last walk's first page (`c`): a thread there whose count grew is read again (its replies
//! by parent). Replies to threads further down than the newest page are not seen by polling
//! (opening the item reads its thread).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The most pages one walk reads (100 threads each): the first sync's backlog, and a
/// bound on a pass after a long pause.
pub const MAX_PAGES: u32 = 10;

/// Which listing a call reads (`moderationStatus`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Listing {
    #[default]
    #[serde(rename = "p")]
    Published,
    #[serde(rename = "h")]
    Held,
}

impl Listing {
    /// The `moderationStatus` value.
    pub fn status(self) -> &'static str {
        match self {
            Listing::Published => "published",
            Listing::Held => "heldForReview",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(default, rename = "l")]
    pub next: Listing,
    #[serde(default, skip_serializing_if = "Position::is_new")]
    pub p: Position,
    #[serde(default, skip_serializing_if = "Position::is_new")]
    pub h: Position,
}

/// How far one listing was read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// The newest time of a stored thread; `None`: never read.
    #[serde(default, rename = "s", skip_serializing_if = "Option::is_none")]
    pub since: Option<DateTime<Utc>>,
    /// A walk down the pages under way.
    #[serde(default, rename = "w", skip_serializing_if = "Option::is_none")]
    pub walk: Option<Walk>,
    /// The reply counts of the threads on the last walk's first page: a thread whose count
    /// grew has new replies, though the listing (by creation time) does not bring it up.
    #[serde(default, rename = "c", skip_serializing_if = "BTreeMap::is_empty")]
    pub replies: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Walk {
    /// The next page's `pageToken`.
    #[serde(rename = "t")]
    pub token: String,
    /// The newest time seen so far in the walk.
    #[serde(default, rename = "n", skip_serializing_if = "Option::is_none")]
    pub newest: Option<DateTime<Utc>>,
    /// Pages the walk may still read.
    #[serde(rename = "k")]
    pub left: u32,
}

/// What a page held, for the cursor.
#[derive(Clone, Debug, Default)]
pub struct PageSeen {
    pub newest: Option<DateTime<Utc>>,
    /// A thread at or before `since` was on it: the walk has reached what was stored.
    pub reached_stored: bool,
    pub next_token: Option<String>,
}

impl Position {
    fn is_new(&self) -> bool {
        *self == Position::default()
    }

    /// Whether a thread with this newest time is new to this listing.
    pub fn is_new_thread(&self, newest: Option<DateTime<Utc>>) -> bool {
        match (self.since, newest) {
            (Some(since), Some(time)) => time > since,
            _ => true,
        }
    }

    /// Whether a thread on a walk's first page has more replies than when last seen there.
    pub fn replies_grew(&self, thread: &str, count: u64) -> bool {
        self.replies.get(thread).is_some_and(|seen| count > *seen)
    }

    /// The position after a page; true when the walk is over.
    pub fn after(&self, seen: PageSeen) -> (Position, bool) {
        let walk = self.walk.as_ref();
        let newest = walk.and_then(|w| w.newest).max(seen.newest);
        let left = walk.map_or(MAX_PAGES, |w| w.left).saturating_sub(1);
        match seen.next_token {
            Some(token) if !seen.reached_stored && left > 0 => {
                let walk = Walk {
                    token,
                    newest,
                    left,
                };
                let position = Position {
                    walk: Some(walk),
                    ..self.clone()
                };
                (position, false)
            }
            _ => {
                let position = Position {
                    since: self.since.max(newest),
                    walk: None,
                    replies: self.replies.clone(),
                };
                (position, true)
            }
        }
    }
}

impl Cursor {
    /// Reads a stored cursor; `None` or an unreadable one is a first sync.
    pub fn parse(stored: Option<&str>) -> Cursor {
        crate::connectors::stored_cursor::read(stored, "youtube")
    }

    pub fn position(&self, listing: Listing) -> &Position {
        match listing {
            Listing::Published => &self.p,
            Listing::Held => &self.h,
        }
    }

    pub fn set(&mut self, listing: Listing, position: Position) {
        match listing {
            Listing::Published => self.p = position,
            Listing::Held => self.h = position,
        }
    }

    pub fn encode(&self) -> String {
        crate::connectors::stored_cursor::write(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Option<DateTime<Utc>> {
        Some(
            DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc),
        )
    }

    #[test]
    fn a_walk_goes_down_the_pages_and_moves_since_only_at_its_end() {
        let start = Position {
            since: t("2026-11-20T00:00:00Z"),
            replies: [("T1".to_string(), 2)].into(),
            ..Position::default()
        };
        let first = PageSeen {
            newest: t("2026-11-23T00:00:00Z"),
            reached_stored: false,
            next_token: Some("P2".into()),
        };
        let (walking, done) = start.after(first);
        assert!(!done);
        assert_eq!(walking.since, start.since, "not before the walk ends");
        assert_eq!(walking.walk.as_ref().unwrap().token, "P2");
        let last = PageSeen {
            newest: t("2026-11-22T00:00:00Z"),
            reached_stored: true,
            next_token: Some("P3".into()),
        };
        let (ended, done) = walking.after(last);
        assert!(done, "the page reached what was stored");
        assert_eq!(
            ended,
            Position {
                since: t("2026-11-23T00:00:00Z"),
                walk: None,
                replies: start.replies.clone(),
            }
        );
        assert!(ended.replies_grew("T1", 3) && !ended.replies_grew("T1", 2));
        assert!(
            !ended.replies_grew("T2", 5),
            "a thread not seen before is judged by time"
        );
        assert!(!ended.is_new_thread(t("2026-11-23T00:00:00Z")));
        assert!(ended.is_new_thread(t("2026-11-23T00:00:01Z")));
    }

    #[test]
    fn a_walk_stops_after_max_pages_and_an_empty_listing_keeps_its_since() {
        let mut position = Position::default();
        let mut pages = 0;
        loop {
            pages += 1;
            let seen = PageSeen {
                newest: t("2026-11-23T00:00:00Z"),
                reached_stored: false,
                next_token: Some(format!("P{pages}")),
            };
            let (next, done) = position.after(seen);
            position = next;
            if done {
                break;
            }
        }
        assert_eq!(pages, MAX_PAGES);
        let (same, done) = position.after(PageSeen::default());
        assert!(done);
        assert_eq!(same.since, t("2026-11-23T00:00:00Z"));
    }

    #[test]
    fn cursors_round_trip_and_a_foreign_one_is_a_first_sync() {
        let mut cursor = Cursor {
            next: Listing::Held,
            ..Cursor::default()
        };
        cursor.set(
            Listing::Published,
            Position {
                since: t("2026-11-23T06:00:00Z"),
                replies: [("T1".to_string(), 2)].into(),
                ..Position::default()
            },
        );
        let text = cursor.encode();
        assert_eq!(
            text,
            r#"{"l":"h","p":{"s":"2026-11-23T06:00:00Z","c":{"T1":2}}}"#
        );
        assert_eq!(Cursor::parse(Some(&text)), cursor);
        assert_eq!(
            Cursor::parse(Some("{\"n\":{\"s\":\"1200\"}")),
            Cursor::default()
        );
    }
}
