//! The account's sync cursor, a small JSON object of our own (opaque to everyone else):
//!
//! - `p`: the Page posts being watched (the newest [`WATCHED_POSTS`] of its feed), each with
//!   its mark: the newest comment read on it, or its `updated_time` then if later (a post's
//!   comments are read again only once it is updated past its mark);
//! - `t`: the newest post read from `/tagged`; `c`: the newest conversation update read;
//! - `s`: where the pass is: the feed, then the comments of each watched post that changed,
//!   then tagged posts, then conversations, then the messages of each changed conversation.
//!
//! Every list is read newest first and walked page by page with Graph's `after` cursor
//! (never `paging.next`) until an entry older than the mark shows up, or [`MAX_WALK_PAGES`]
//! (a first sync, with no mark: [`FIRST_SYNC_PAGES`]). A mark moves only once its walk
//! ends, and the walk's own `after` is in the cursor stored with each page: a crash resumes
//! the walk where it was. Entries at the mark's very second are read again (ingest keeps
//! one copy), so two comments in the same second cannot slip past.
//!
//! A cursor that cannot be read (not ours, an old format) is treated as none: the account
//! reads its recent backlog again and ingest drops what it already has.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Posts of the Page's feed whose comments are read.
pub const WATCHED_POSTS: usize = 25;
/// Pages one walk reads at most once it has a mark.
pub const MAX_WALK_PAGES: u32 = 20;
/// Pages a first walk (no mark yet) reads back.
pub const FIRST_SYNC_PAGES: u32 = 2;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// Watched post id → newest comment time read (unix seconds; `None`: never read).
    #[serde(default, rename = "p")]
    pub posts: BTreeMap<String, Option<i64>>,
    #[serde(default, rename = "t", skip_serializing_if = "Option::is_none")]
    pub tagged: Option<i64>,
    #[serde(default, rename = "c", skip_serializing_if = "Option::is_none")]
    pub conversations: Option<i64>,
    #[serde(default, rename = "s")]
    pub step: Step,
}

/// What the next call reads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "k")]
pub enum Step {
    /// `/{page-id}/feed`: which posts to watch.
    #[default]
    Feed,
    /// `/{post-id}/comments` of `todo[0]`, then the rest: each post with its `updated_time`
    /// as the feed said (the post's mark once its comments are read).
    Comments {
        todo: Vec<(String, Option<i64>)>,
        walk: Walk,
    },
    /// `/{page-id}/tagged`.
    Tagged { walk: Walk },
    /// `/{page-id}/conversations`, collecting the ones updated since the mark.
    Conversations { walk: Walk, todo: Vec<String> },
    /// `/{conversation-id}/messages` of `todo[0]`, then the rest; `newest` becomes the
    /// conversations mark once all are read.
    Messages {
        todo: Vec<String>,
        walk: Walk,
        newest: Option<i64>,
    },
}

/// How far one newest-first list was walked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Walk {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The newest entry time seen in this walk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest: Option<i64>,
    #[serde(default)]
    pub pages: u32,
}

/// What one page of a walk says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Read {
    /// Which entries are new (at or after the mark, or of unknown time).
    pub fresh: Vec<bool>,
    /// Whether the walk goes on (with the page's `after`).
    pub go_on: bool,
}

impl Walk {
    /// Takes in a page whose entries have `times` (oldest or newest first), against the
    /// list's `mark`; `after` is the page's next cursor.
    pub fn take(
        &mut self,
        mark: Option<i64>,
        times: &[Option<DateTime<Utc>>],
        after: Option<&str>,
    ) -> Read {
        let fresh: Vec<bool> = times
            .iter()
            .map(|t| match (t, mark) {
                (Some(t), Some(mark)) => t.timestamp() >= mark,
                _ => true,
            })
            .collect();
        let newest = times.iter().flatten().map(DateTime::timestamp).max();
        self.newest = self.newest.max(newest);
        self.pages += 1;
        let limit = if mark.is_some() {
            MAX_WALK_PAGES
        } else {
            FIRST_SYNC_PAGES
        };
        let reached_mark = fresh.iter().any(|f| !f);
        let go_on = after.is_some() && !reached_mark && self.pages < limit;
        self.after = after.filter(|_| go_on).map(str::to_string);
        Read { fresh, go_on }
    }

    /// The mark after this walk ended.
    pub fn moved(&self, mark: Option<i64>) -> Option<i64> {
        mark.max(self.newest)
    }
}

impl Cursor {
    /// Reads a stored cursor; `None` or an unreadable one is a first sync.
    pub fn parse(stored: Option<&str>) -> Cursor {
        crate::connectors::stored_cursor::read(stored, "facebook")
    }

    pub fn to_text(&self) -> String {
        crate::connectors::stored_cursor::write(self)
    }

    /// Watches the feed's newest posts (`(id, updated)`, newest first), keeping the marks of
    /// those already watched. Returns the posts not watched before, and the posts whose
    /// comments need reading (updated after their mark, or of unknown update time), with
    /// their update time. A post's mark is the later of its newest comment read and its
    /// update time when read, so a post without comments is not read again until it changes.
    pub fn watch(
        &mut self,
        feed: &[(String, Option<DateTime<Utc>>)],
    ) -> (Vec<String>, Vec<(String, Option<i64>)>) {
        let mut watched = BTreeMap::new();
        let mut fresh = Vec::new();
        let mut todo = Vec::new();
        for (id, updated) in feed.iter().take(WATCHED_POSTS) {
            let mark = match self.posts.get(id) {
                Some(mark) => *mark,
                None => {
                    fresh.push(id.clone());
                    None
                }
            };
            let updated = updated.map(|t| t.timestamp());
            let changed = match (mark, updated) {
                (Some(mark), Some(updated)) => updated > mark,
                _ => true,
            };
            if changed && !todo.iter().any(|(t, _)| t == id) {
                todo.push((id.clone(), updated));
            }
            watched.insert(id.clone(), mark);
        }
        self.posts = watched;
        (fresh, todo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(secs, 0)
    }

    #[test]
    fn a_walk_stops_at_the_mark_and_keeps_the_newest() {
        let mut walk = Walk::default();
        let read = walk.take(Some(100), &[at(300), at(200)], Some("a1"));
        assert_eq!(read.fresh, vec![true, true]);
        assert!(read.go_on);
        assert_eq!(walk.after.as_deref(), Some("a1"));
        let read = walk.take(Some(100), &[at(150), at(100), at(90)], Some("a2"));
        assert_eq!(read.fresh, vec![true, true, false]);
        assert!(!read.go_on);
        assert_eq!(walk.after, None);
        assert_eq!(walk.moved(Some(100)), Some(300));
    }

    #[test]
    fn a_first_walk_reads_a_bounded_backlog() {
        let mut walk = Walk::default();
        assert!(walk.take(None, &[at(5)], Some("a")).go_on);
        assert!(!walk.take(None, &[at(4)], Some("b")).go_on);
        assert_eq!(walk.pages, FIRST_SYNC_PAGES);
        let mut last = Walk::default();
        assert!(!last.take(Some(1), &[None], None).go_on);
        assert_eq!(last.moved(Some(1)), Some(1));
    }

    #[test]
    fn watching_keeps_marks_and_reads_only_changed_posts() {
        let mut cursor = Cursor::default();
        let (fresh, todo) = cursor.watch(&[("1_a".into(), at(50)), ("1_b".into(), None)]);
        assert_eq!(fresh, vec!["1_a", "1_b"]);
        assert_eq!(todo, vec![("1_a".into(), Some(50)), ("1_b".into(), None)]);
        cursor.posts.insert("1_a".into(), Some(60));
        cursor.posts.insert("1_b".into(), Some(60));
        cursor.posts.insert("1_d".into(), Some(60));
        let (fresh, todo) = cursor.watch(&[
            ("1_c".into(), at(70)),
            ("1_a".into(), at(50)),
            ("1_b".into(), at(61)),
            ("1_d".into(), at(60)),
        ]);
        assert_eq!(fresh, vec!["1_c"]);
        assert_eq!(
            todo,
            vec![("1_c".into(), Some(70)), ("1_b".into(), Some(61))]
        );
        assert_eq!(cursor.posts.get("1_a"), Some(&Some(60)));
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_a_first_sync() {
        let cursor = Cursor {
            tagged: Some(5),
            step: Step::Comments {
                todo: vec![("1_2".into(), Some(3))],
                walk: Walk {
                    after: Some("x".into()),
                    newest: Some(9),
                    pages: 1,
                },
            },
            ..Cursor::default()
        };
        assert_eq!(Cursor::parse(Some(&cursor.to_text())), cursor);
        assert_eq!(Cursor::parse(Some("{not json")), Cursor::default());
        assert_eq!(Cursor::parse(None), Cursor::default());
    }
}
