//! The account's sync cursor, a small JSON object opaque to everyone else. A pass reads, one
//! page per `fetch_new` call:
//!
//! 1. **media** (`p: "m"`): the account's newest media; those whose `comments_count` changed
//!    since their comments were last read (`n`: media id → count) are queued (`q`);
//! 2. **comments** (`"c"`): the comments of each queued media, page by page (`a`: the next
//!    page's `after`, `g`: pages read of it), then its count is noted;
//! 3. **tags** (`"t"`): media that tag the account, newest first, until the mark;
//! 4. **dms** (`"d"`): conversations, newest first, until the mark; then the pass ends.
//!
//! Instagram has no "since" filter on these lists, so tags and DMs keep a **mark** each: the
//! newest time read by the last whole pass (`s`), and the newest read so far in this one
//! (`x`), which becomes the mark when the feed's pass ends. Entries older than the mark are
//! not brought again (the same second is: ingest keeps one copy). Every page's cursor is safe
//! to store with that page; a crash reads one page again. A cursor that cannot be read is a
//! first sync (the account's backlog again; ingest drops what it has).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which list the next call reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    #[default]
    #[serde(rename = "m")]
    Media,
    #[serde(rename = "c")]
    Comments,
    #[serde(rename = "t")]
    Tags,
    #[serde(rename = "d")]
    Dms,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(default, rename = "p")]
    pub phase: Phase,
    /// Media id → `comments_count` when its comments were last read whole.
    #[serde(default, rename = "n", skip_serializing_if = "BTreeMap::is_empty")]
    pub counts: BTreeMap<String, u64>,
    /// Media whose comments this pass still reads.
    #[serde(default, rename = "q", skip_serializing_if = "Vec::is_empty")]
    pub queue: Vec<Visit>,
    /// The `after` cursor of the next page of the list being read.
    #[serde(default, rename = "a", skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Pages of that list read in this pass.
    #[serde(default, rename = "g", skip_serializing_if = "is_zero")]
    pub pages: u32,
    #[serde(default, rename = "t", skip_serializing_if = "Mark::is_new")]
    pub tags: Mark,
    #[serde(default, rename = "d", skip_serializing_if = "Mark::is_new")]
    pub dms: Mark,
}

/// A media to read the comments of, and its count when queued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    #[serde(rename = "i")]
    pub id: String,
    #[serde(default, rename = "c", skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
}

/// How far a newest-first list was read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// The newest time the last whole pass read.
    #[serde(default, rename = "s", skip_serializing_if = "Option::is_none")]
    pub seen: Option<DateTime<Utc>>,
    /// The newest time read so far in this pass.
    #[serde(default, rename = "x", skip_serializing_if = "Option::is_none")]
    pub next: Option<DateTime<Utc>>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Cursor {
    /// Reads a stored cursor; `None` or an unreadable one is a first sync.
    pub fn parse(stored: Option<&str>) -> Cursor {
        crate::connectors::stored_cursor::read(stored, "instagram")
    }

    pub fn to_text(&self) -> String {
        crate::connectors::stored_cursor::write(self)
    }

    /// Queues the media whose comment count moved (a new one: any comments at all; one
    /// whose count Instagram did not give: always), and forgets counts of media no longer
    /// among the newest.
    pub fn queue_changed(&mut self, media: &[(String, Option<u64>)]) {
        self.counts
            .retain(|id, _| media.iter().any(|(m, _)| m == id));
        self.queue = media
            .iter()
            .filter(|(id, count)| match count {
                None => true,
                Some(count) => self.counts.get(id).map_or(*count > 0, |seen| seen != count),
            })
            .map(|(id, count)| Visit {
                id: id.clone(),
                count: *count,
            })
            .collect();
        self.after = None;
        self.pages = 0;
        self.phase = match self.queue.is_empty() {
            true => Phase::Tags,
            false => Phase::Comments,
        };
    }

    /// Goes on with the same list at `after`, or to what follows it.
    pub fn next_page(&mut self, after: Option<&str>, max_pages: u32) -> bool {
        self.pages += 1;
        match after.filter(|_| self.pages < max_pages) {
            Some(after) => {
                self.after = Some(after.to_string());
                true
            }
            None => {
                self.after = None;
                self.pages = 0;
                false
            }
        }
    }

    /// The queued media whose comments were all read: noted, and the next one (or the tags).
    pub fn media_done(&mut self) {
        if !self.queue.is_empty() {
            let visit = self.queue.remove(0);
            match visit.count {
                Some(count) => self.counts.insert(visit.id, count),
                None => self.counts.remove(&visit.id),
            };
        }
        if self.queue.is_empty() {
            self.phase = Phase::Tags;
        }
    }
}

impl Mark {
    fn is_new(&self) -> bool {
        *self == Mark::default()
    }

    /// Whether an entry of `at` is new to this feed.
    pub fn wants(&self, at: DateTime<Utc>) -> bool {
        self.seen.is_none_or(|seen| at >= seen)
    }

    /// Notes an entry read in this pass.
    pub fn note(&mut self, at: DateTime<Utc>) {
        self.next = Some(self.next.map_or(at, |n| n.max(at)));
    }

    /// The feed's pass is over: what it read is the new mark.
    pub fn close(&mut self) {
        if let Some(next) = self.next.take() {
            self.seen = Some(self.seen.map_or(next, |s| s.max(next)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn a_cursor_round_trips_and_garbage_is_a_first_sync() {
        let mut c = Cursor::default();
        assert_eq!(c.to_text(), r#"{"p":"m"}"#);
        c.queue_changed(&[("9".into(), Some(3)), ("8".into(), Some(0))]);
        c.tags.note(at("2026-11-23T10:00:00Z"));
        let text = c.to_text();
        assert_eq!(
            text,
            r#"{"p":"c","q":[{"i":"9","c":3}],"t":{"x":"2026-11-23T10:00:00Z"}}"#
        );
        assert_eq!(Cursor::parse(Some(&text)), c);
        assert_eq!(Cursor::parse(Some("[1]")), Cursor::default());
        assert_eq!(Cursor::parse(None), Cursor::default());
    }

    #[test]
    fn only_media_whose_count_moved_are_read_again() {
        let mut c = Cursor::default();
        c.queue_changed(&[("9".into(), Some(3)), ("8".into(), Some(2))]);
        c.media_done();
        assert_eq!(c.phase, Phase::Comments);
        c.media_done();
        assert_eq!(c.phase, Phase::Tags);
        c.queue_changed(&[
            ("9".into(), Some(3)),
            ("8".into(), Some(5)),
            ("7".into(), Some(1)),
            ("6".into(), None),
        ]);
        let queued: Vec<&str> = c.queue.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(queued, ["8", "7", "6"], "moved, new, or count unknown");
        c.queue_changed(&[("7".into(), Some(1))]);
        assert!(
            !c.counts.contains_key("9"),
            "a media gone from the list is forgotten"
        );
    }

    #[test]
    fn pages_follow_after_up_to_the_bound() {
        let mut c = Cursor::default();
        assert!(c.next_page(Some("A"), 3));
        assert_eq!(c.after.as_deref(), Some("A"));
        assert!(c.next_page(Some("B"), 3));
        assert!(!c.next_page(Some("C"), 3), "the third page is the last");
        assert_eq!((c.after.clone(), c.pages), (None, 0));
        assert!(!c.next_page(None, 3));
    }

    #[test]
    fn a_mark_moves_when_its_feed_is_read_through() {
        let mut m = Mark::default();
        assert!(m.wants(at("2020-01-01T00:00:00Z")));
        m.note(at("2026-11-23T10:00:00Z"));
        m.note(at("2026-11-23T09:00:00Z"));
        assert!(
            m.wants(at("2020-01-01T00:00:00Z")),
            "not before the pass ends"
        );
        m.close();
        assert!(!m.wants(at("2026-11-23T09:59:59Z")));
        assert!(m.wants(at("2026-11-23T10:00:00Z")));
        m.close();
        assert_eq!(m.seen, Some(at("2026-11-23T10:00:00Z")));
    }
}
