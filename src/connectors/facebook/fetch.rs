//! What is new on the Page, one Graph call per [`Connector::fetch_new`] page, in the order
//! the cursor's step says (see `cursor`):
//!
//! 1. `GET /{page-id}/feed`: the newest [`WATCHED_POSTS`] posts (posts not watched before
//!    come in as items: the thread roots of their comments);
//! 2. `GET /{post-id}/comments?filter=stream&order=reverse_chronological` for each watched
//!    post updated since its mark (replies included, with `parent`), paged with `after`;
//! 3. `GET /{page-id}/tagged`: posts by others that tag the Page (mentions);
//! 4. `GET /{page-id}/conversations?platform=messenger`: conversations updated since the
//!    mark, and 5. `GET /{conversation-id}/messages` of each of those (`messenger`).
//!
//! Then `more: false`, and the next pass starts again at the feed.
//!
//! [`Connector::fetch_new`]: crate::connectors::Connector::fetch_new

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::cursor::{Cursor, Step, Walk, WATCHED_POSTS};
use super::items::PostSource;
use super::payload::entries;
use super::FacebookConnector;
use crate::connectors::graph::{path_id, time};
use crate::connectors::{ConnectorError, Page, PayloadProblem};
use crate::model::NewItem;

pub(super) const POST_FIELDS: &str =
    "id,message,story,created_time,updated_time,from,permalink_url";
pub(super) const COMMENT_FIELDS: &str =
    "id,message,created_time,from,parent{id},permalink_url,attachment";
pub(super) const MESSAGE_FIELDS: &str = "id,message,created_time,from,to,attachments";
/// Entries asked for per page of comments.
const COMMENTS_PER_PAGE: &str = "50";
/// Entries asked for per page of tagged posts, conversations and messages.
pub(super) const PER_PAGE: &str = "25";

impl FacebookConnector {
    pub(super) async fn fetch_page(&self, stored: Option<&str>) -> Result<Page, ConnectorError> {
        let mut cursor = Cursor::parse(stored);
        let mut step = std::mem::take(&mut cursor.step);
        if matches!(&step, Step::Comments { todo, .. } if todo.is_empty()) {
            step = Step::Tagged {
                walk: Walk::default(),
            };
        }
        match step {
            Step::Feed => self.read_feed(cursor).await,
            Step::Comments { todo, walk } => self.read_comments(cursor, todo, walk).await,
            Step::Tagged { walk } => self.read_tagged(cursor, walk).await,
            Step::Conversations { walk, todo } => self.read_conversations(cursor, walk, todo).await,
            Step::Messages { todo, walk, newest } => {
                self.read_messages(cursor, todo, walk, newest).await
            }
        }
    }

    async fn read_feed(&self, mut cursor: Cursor) -> Result<Page, ConnectorError> {
        let path = format!("/{}/feed", self.page_id);
        let limit = WATCHED_POSTS.to_string();
        let body = self
            .graph
            .get(&path, &[("fields", POST_FIELDS), ("limit", &limit)])
            .await?;
        let mut read = Collected::default();
        let mut feed = Vec::new();
        for raw in entries(&body).data {
            match self.origin.post(&raw, PostSource::Feed) {
                Ok(item) if path_id(&item.remote_id).is_ok() => {
                    feed.push((item.remote_id.clone(), raw_time(&raw, "updated_time")));
                    read.items.push(item);
                }
                Ok(_) => read.problems.push(PayloadProblem::new(
                    "facebook feed post: id is not a Graph id",
                    &raw.to_string(),
                )),
                Err(problem) => read.problems.push(problem),
            }
        }
        let (fresh, todo) = cursor.watch(&feed);
        read.items.retain(|item| fresh.contains(&item.remote_id));
        cursor.step = Step::Comments {
            todo,
            walk: Walk::default(),
        };
        Ok(read.page(cursor, true))
    }

    async fn read_comments(
        &self,
        mut cursor: Cursor,
        mut todo: Vec<(String, Option<i64>)>,
        mut walk: Walk,
    ) -> Result<Page, ConnectorError> {
        let (post, updated) = todo.first().cloned().unwrap_or_default();
        let path = format!("/{}/comments", path_id(&post)?);
        let mut params = vec![
            ("fields", COMMENT_FIELDS),
            ("filter", "stream"),
            ("order", "reverse_chronological"),
            ("limit", COMMENTS_PER_PAGE),
        ];
        if let Some(after) = walk.after.as_deref() {
            params.push(("after", after));
        }
        let mark = cursor.posts.get(&post).copied().flatten();
        let read = match skip_refused(self.graph.get(&path, &params).await, &path)? {
            Ok(body) => self.walk(&body, mark, &mut walk, |raw| {
                self.origin.comment(raw, &post)
            }),
            Err(skipped) => Collected::skipped(skipped, &mut walk),
        };
        if walk.after.is_none() {
            cursor.posts.insert(post, walk.moved(mark).max(updated));
            todo.remove(0);
            walk = Walk::default();
        }
        cursor.step = Step::Comments { todo, walk };
        Ok(read.page(cursor, true))
    }

    async fn read_tagged(
        &self,
        mut cursor: Cursor,
        mut walk: Walk,
    ) -> Result<Page, ConnectorError> {
        let path = format!("/{}/tagged", self.page_id);
        let mut params = vec![("fields", POST_FIELDS), ("limit", PER_PAGE)];
        if let Some(after) = walk.after.as_deref() {
            params.push(("after", after));
        }
        let body = self.graph.get(&path, &params).await?;
        let mark = cursor.tagged;
        let read = self.walk(&body, mark, &mut walk, |raw| {
            self.origin.post(raw, PostSource::Tagged)
        });
        cursor.step = if walk.after.is_some() {
            Step::Tagged { walk }
        } else {
            cursor.tagged = walk.moved(mark);
            Step::Conversations {
                walk: Walk::default(),
                todo: Vec::new(),
            }
        };
        Ok(read.page(cursor, true))
    }

    /// One page of a newest-first list through `walk`: its items that are new since `mark`.
    pub(super) fn walk(
        &self,
        body: &Value,
        mark: Option<i64>,
        walk: &mut Walk,
        item: impl Fn(&Value) -> Result<NewItem, PayloadProblem>,
    ) -> Collected {
        let paged = entries(body);
        let mut read = Collected::default();
        let mut found = Vec::new();
        for raw in &paged.data {
            match item(raw) {
                Ok(new) => found.push((new, raw_time(raw, "created_time"))),
                Err(problem) => read.problems.push(problem),
            }
        }
        let times: Vec<_> = found.iter().map(|(_, t)| *t).collect();
        let taken = walk.take(mark, &times, paged.next_after());
        read.items = found
            .into_iter()
            .zip(taken.fresh)
            .filter_map(|((item, _), fresh)| fresh.then_some(item))
            .collect();
        read
    }
}

/// A list refused by the platform (a post deleted since the feed was read, a conversation
/// no longer the Page's) as a problem, so that its walk ends instead of stopping every pass
/// at it; other errors (throttling, the token) stay errors.
pub(super) fn skip_refused(
    answer: Result<Value, ConnectorError>,
    call: &str,
) -> Result<Result<Value, PayloadProblem>, ConnectorError> {
    match answer {
        Err(ConnectorError::Refused(why)) => Ok(Err(PayloadProblem::new(
            format!("GET {call}: skipped: {why}"),
            "",
        ))),
        other => other.map(Ok),
    }
}

/// A Graph time field of a raw entry.
pub(super) fn raw_time(raw: &Value, field: &str) -> Option<DateTime<Utc>> {
    raw.get(field).and_then(Value::as_str).and_then(time::parse)
}

/// What one call brought.
#[derive(Default)]
pub(super) struct Collected {
    pub(super) items: Vec<NewItem>,
    pub(super) problems: Vec<PayloadProblem>,
}

impl Collected {
    /// A list that could not be read: its walk ends with the problem.
    pub(super) fn skipped(problem: PayloadProblem, walk: &mut Walk) -> Collected {
        walk.after = None;
        Collected {
            items: Vec::new(),
            problems: vec![problem],
        }
    }

    pub(super) fn page(self, cursor: Cursor, more: bool) -> Page {
        Page {
            items: self.items,
            problems: self.problems,
            cursor: Some(cursor.to_text()),
            more,
        }
    }
}
