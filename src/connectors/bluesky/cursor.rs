//! The account's sync cursor, opaque to the hub: JSON holding the notifications walk and,
//! beside it, the chat module's own cursor.
//!
//! ```json
//! {"v":1,"notif":{"mark":"2026-11-22T16:12:25.381Z","recent":[["2026-…Z","at://…"]],
//!  "walk":{"next":"2026-…Z","floor":"2026-…Z","top":"2026-…Z","pages":1,"first":false}},
//!  "chat":"…","chat_more":false}
//! ```
//!
//! `listNotifications` pages from the newest back, sorted by each notification's time,
//! which the AppView takes as the *earlier* of the post's `createdAt` and its indexing time:
//! a post indexed late (a lagging firehose) or written with a slow clock lands behind
//! notifications already read. So "what is new" is not just "newer than the last one seen":
//!
//! - `mark`: the newest time a finished walk reached; each walk goes back to `floor` =
//!   `mark - LOOKBACK`, not just to `mark`;
//! - `recent`: the notifications already given that are newer than `mark - LOOKBACK`, so
//!   the overlap gives nothing twice (a second pass over the same notifications is empty);
//! - `walk`: a walk in progress (the server's cursor for its next page, its floor, the
//!   newest time it met). Each page's cursor can be stored once its items are durable: a
//!   crash refetches at most that one page (ingest keeps one copy per remote id).
//!
//! The first sync (no `mark`) and a sync after a long outage read back at most `BACKLOG`
//! (7 days); the first also stops after `FIRST_SYNC_PAGES` pages (500 notifications).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::connectors::ConnectorError;

/// How far behind the mark each walk looks again (late indexing, skewed clocks).
pub const LOOKBACK_MINUTES: i64 = 10;
/// The most a walk reads back in time.
pub const BACKLOG_DAYS: i64 = 7;
/// The most pages the first sync reads.
pub const FIRST_SYNC_PAGES: u32 = 5;
/// The most notifications remembered in `recent`.
pub const MAX_RECENT: usize = 300;

/// The whole cursor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(default)]
    pub v: u32,
    #[serde(default)]
    pub notif: Notifications,
    /// The chat module's cursor, as it gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<String>,
    /// The chat module has another page waiting.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chat_more: bool,
}

impl Cursor {
    /// The cursor of an account never synced.
    pub fn fresh() -> Cursor {
        Cursor {
            v: 1,
            ..Cursor::default()
        }
    }

    pub fn parse(text: Option<&str>) -> Result<Cursor, ConnectorError> {
        match text {
            None => Ok(Cursor::fresh()),
            Some(text) => serde_json::from_str(text).map_err(|e| {
                ConnectorError::Refused(format!("bluesky: unreadable sync cursor ({e})"))
            }),
        }
    }

    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The notifications part.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Notifications {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent: Vec<(DateTime<Utc>, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub walk: Option<Walk>,
}

/// A walk in progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Walk {
    /// The server's cursor for the next page.
    pub next: String,
    pub floor: DateTime<Utc>,
    #[serde(default)]
    pub top: Option<DateTime<Utc>>,
    pub pages: u32,
    #[serde(default)]
    pub first: bool,
}

/// One notification of a page, as the walk sees it.
#[derive(Clone, Debug)]
pub struct Seen<'a> {
    pub uri: &'a str,
    /// Its `indexedAt` (`None`: unreadable, then it is taken as new).
    pub at: Option<DateTime<Utc>>,
}

impl Notifications {
    /// The server cursor the next page starts from (`None`: the newest).
    pub fn next_page(&self) -> Option<&str> {
        self.walk.as_ref().map(|w| w.next.as_str())
    }

    /// Takes in one page (newest first) and the server's cursor after it. Returns, for each
    /// notification, whether it is new (to be given), and whether the walk goes on.
    pub fn take_page(
        &mut self,
        page: &[Seen<'_>],
        server_cursor: Option<&str>,
        now: DateTime<Utc>,
    ) -> (Vec<bool>, bool) {
        let lookback = Duration::minutes(LOOKBACK_MINUTES);
        let oldest = now - Duration::days(BACKLOG_DAYS);
        let previous = self.walk.as_ref().map(|w| w.next.clone());
        let (floor, mut top, pages, first) = match self.walk.take() {
            Some(w) => (w.floor, w.top, w.pages + 1, w.first),
            None => match self.mark {
                Some(mark) => ((mark - lookback).max(oldest), None, 1, false),
                None => (oldest, None, 1, true),
            },
        };
        let mut reached_floor = false;
        let mut fresh = Vec::with_capacity(page.len());
        for seen in page {
            if let Some(at) = seen.at {
                if at < floor {
                    reached_floor = true;
                    fresh.push(false);
                    continue;
                }
                // Only readable times move the mark (an unreadable one is taken as now).
                top = Some(top.map_or(at, |t| t.max(at)));
            }
            let at = seen.at.unwrap_or(now);
            let known = self.recent.iter().any(|(_, uri)| uri == seen.uri);
            if !known && top.is_none_or(|top| at >= top - lookback) {
                self.recent.push((at, seen.uri.to_string()));
            }
            fresh.push(!known);
        }
        // The server's cursor is its page key (a time on the reference AppView): past the
        // floor, nothing further back can be new.
        let cursor_past_floor = server_cursor
            .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
            .is_some_and(|c| c.with_timezone(&Utc) < floor);
        let stuck = server_cursor.is_some() && server_cursor == previous.as_deref();
        let done = reached_floor
            || cursor_past_floor
            || stuck
            || server_cursor.is_none_or(str::is_empty)
            || (first && pages >= FIRST_SYNC_PAGES);
        if done {
            if let Some(top) = top {
                self.mark = Some(self.mark.map_or(top, |m| m.max(top)));
            }
            if let Some(mark) = self.mark {
                self.recent.retain(|(at, _)| *at >= mark - lookback);
            }
        } else {
            self.walk = Some(Walk {
                next: server_cursor.unwrap_or_default().to_string(),
                floor,
                top,
                pages,
                first,
            });
        }
        self.recent.sort_by_key(|seen| std::cmp::Reverse(seen.0));
        self.recent.truncate(MAX_RECENT);
        (fresh, !done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        format!("2026-11-22T{s}Z").parse().unwrap()
    }

    fn seen(uri: &str, time: &str) -> Seen<'static> {
        Seen {
            uri: Box::leak(uri.to_string().into_boxed_str()),
            at: Some(at(time)),
        }
    }

    #[test]
    fn a_walk_pages_back_to_the_floor_then_a_second_pass_gives_nothing() {
        let now = at("12:00:00");
        let mut n = Notifications::default();
        let p1 = [seen("c", "11:59:00"), seen("b", "11:58:00")];
        assert_eq!(
            n.take_page(&p1, Some("11:58:00"), now),
            (vec![true, true], true)
        );
        assert_eq!(n.next_page(), Some("11:58:00"));
        assert_eq!(n.mark, None, "no mark until the walk ends");
        let p2 = [seen("a", "11:00:00")];
        assert_eq!(n.take_page(&p2, None, now), (vec![true], false));
        assert_eq!(n.mark, Some(at("11:59:00")));
        assert_eq!(n.next_page(), None);
        // a (an hour older than the mark) is forgotten; b and c are remembered.
        let uris: Vec<_> = n.recent.iter().map(|(_, u)| u.as_str()).collect();
        assert_eq!(uris, ["c", "b"]);

        // Again: c and b are known, a is under the floor (the mark less the lookback).
        let again = [
            seen("c", "11:59:00"),
            seen("b", "11:58:00"),
            seen("a", "11:00:00"),
        ];
        let (fresh, more) = n.take_page(&again, Some("11:00:00"), at("12:01:00"));
        assert_eq!((fresh, more), (vec![false, false, false], false));
    }

    #[test]
    fn a_late_post_behind_the_mark_is_still_found() {
        let mut n = Notifications {
            mark: Some(at("11:59:00")),
            recent: vec![(at("11:59:00"), "c".into())],
            walk: None,
        };
        // d indexed late: its time (its createdAt) is before c's.
        let page = [
            seen("e", "12:00:30"),
            seen("c", "11:59:00"),
            seen("d", "11:58:30"),
        ];
        let (fresh, more) = n.take_page(&page, Some("11:58:30"), at("12:01:00"));
        assert_eq!((fresh, more), (vec![true, false, true], true));
        let (_, more) = n.take_page(&[], None, at("12:01:00"));
        assert!(!more);
        assert_eq!(n.mark, Some(at("12:00:30")));
    }

    #[test]
    fn the_first_sync_is_bounded_in_pages_and_time_and_the_cursor_round_trips() {
        let now = at("12:00:00");
        let mut n = Notifications::default();
        for page in 1..=FIRST_SYNC_PAGES {
            let time = format!("11:{:02}:00", 59 - page);
            let (_, more) = n.take_page(&[seen(&format!("p{page}"), &time)], Some(&time), now);
            assert_eq!(more, page < FIRST_SYNC_PAGES, "page {page}");
        }
        let cursor = Cursor {
            v: 1,
            notif: n,
            chat: Some("opaque-chat".into()),
            chat_more: false,
        };
        let text = cursor.to_text();
        assert_eq!(Cursor::parse(Some(&text)).unwrap(), cursor);
        assert!(!text.contains("chat_more"));
        assert!(Cursor::parse(Some("not json")).is_err());
        assert_eq!(Cursor::parse(None).unwrap().v, 1);

        let mut old = Notifications::default();
        let week_ago = [Seen {
            uri: "old",
            at: Some(now - Duration::days(8)),
        }];
        assert_eq!(
            old.take_page(&week_ago, Some("x"), now),
            (vec![false], false)
        );
    }

    #[test]
    fn unreadable_times_are_new_but_never_move_the_mark() {
        let now = at("12:00:00");
        let mut n = Notifications::default();
        let page = [Seen { uri: "x", at: None }, seen("a", "11:00:00")];
        assert_eq!(n.take_page(&page, None, now), (vec![true, true], false));
        assert_eq!(n.mark, Some(at("11:00:00")));
        let (fresh, _) = n.take_page(&page, None, now);
        assert_eq!(fresh, [false, false], "both remembered");
    }

    #[test]
    fn a_server_that_repeats_its_cursor_ends_the_walk() {
        let now = at("12:00:00");
        let mut n = Notifications::default();
        assert!(n.take_page(&[], Some("opaque"), now).1);
        assert!(!n.take_page(&[], Some("opaque"), now).1);
    }
}
