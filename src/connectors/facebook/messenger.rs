//! Messenger in a pass (see `fetch`): `GET /{page-id}/conversations?platform=messenger`
//! walked newest first for the conversations updated since the mark, then `GET
//! /{conversation-id}/messages` of each, newest first down to the same mark. The mark moves
//! to the newest conversation update once all of them are read, which ends the pass.

use super::cursor::{Cursor, Step, Walk};
use super::fetch::{raw_time, skip_refused, Collected, MESSAGE_FIELDS, PER_PAGE};
use super::payload::entries;
use super::FacebookConnector;
use crate::connectors::graph::path_id;
use crate::connectors::{ConnectorError, Page, PayloadProblem};
use serde_json::Value;

const CONVERSATION_FIELDS: &str = "id,updated_time,participants";

impl FacebookConnector {
    pub(super) async fn read_conversations(
        &self,
        mut cursor: Cursor,
        mut walk: Walk,
        mut todo: Vec<String>,
    ) -> Result<Page, ConnectorError> {
        let path = format!("/{}/conversations", self.page_id);
        let mut params = vec![
            ("platform", "messenger"),
            ("fields", CONVERSATION_FIELDS),
            ("limit", PER_PAGE),
        ];
        if let Some(after) = walk.after.as_deref() {
            params.push(("after", after));
        }
        let body = self.graph.get(&path, &params).await?;
        let paged = entries(&body);
        let mut read = Collected::default();
        let mut ids = Vec::new();
        let mut times = Vec::new();
        for raw in &paged.data {
            match raw
                .get("id")
                .and_then(Value::as_str)
                .filter(|id| path_id(id).is_ok())
            {
                Some(id) => {
                    ids.push(id.to_string());
                    times.push(raw_time(raw, "updated_time"));
                }
                None => read.problems.push(PayloadProblem::new(
                    "facebook conversation: no usable id",
                    &raw.to_string(),
                )),
            }
        }
        let mark = cursor.conversations;
        let taken = walk.take(mark, &times, paged.next_after());
        for (id, fresh) in ids.into_iter().zip(taken.fresh) {
            if fresh && !todo.contains(&id) {
                todo.push(id);
            }
        }
        if walk.after.is_some() {
            cursor.step = Step::Conversations { walk, todo };
            return Ok(read.page(cursor, true));
        }
        let newest = walk.moved(mark);
        let more = !todo.is_empty();
        cursor.step = Step::Messages {
            todo,
            walk: Walk::default(),
            newest,
        };
        if !more {
            cursor = finish_pass(cursor);
        }
        Ok(read.page(cursor, more))
    }

    pub(super) async fn read_messages(
        &self,
        mut cursor: Cursor,
        mut todo: Vec<String>,
        mut walk: Walk,
        newest: Option<i64>,
    ) -> Result<Page, ConnectorError> {
        let Some(conversation) = todo.first().cloned() else {
            cursor.step = Step::Messages { todo, walk, newest };
            return Ok(Collected::default().page(finish_pass(cursor), false));
        };
        let path = format!("/{}/messages", path_id(&conversation)?);
        let mut params = vec![("fields", MESSAGE_FIELDS), ("limit", PER_PAGE)];
        if let Some(after) = walk.after.as_deref() {
            params.push(("after", after));
        }
        let mark = cursor.conversations;
        let read = match skip_refused(self.graph.get(&path, &params).await, &path)? {
            Ok(body) => self.walk(&body, mark, &mut walk, |raw| {
                self.origin.message(raw, &conversation)
            }),
            Err(skipped) => Collected::skipped(skipped, &mut walk),
        };
        if walk.after.is_none() {
            todo.remove(0);
            walk = Walk::default();
        }
        let more = !todo.is_empty();
        cursor.step = Step::Messages { todo, walk, newest };
        if !more {
            cursor = finish_pass(cursor);
        }
        Ok(read.page(cursor, more))
    }
}

/// The end of a pass: the conversations mark moves, and the next pass starts at the feed.
fn finish_pass(mut cursor: Cursor) -> Cursor {
    if let Step::Messages { newest, .. } = &cursor.step {
        cursor.conversations = cursor.conversations.max(*newest);
    }
    cursor.step = Step::Feed;
    cursor
}
