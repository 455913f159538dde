//! DMs: the account's conversations, each with its latest messages, newest conversation
//! first: `GET /{page-id|ig-user-id}/conversations?platform=instagram&fields=id,updated_time,
//! messages{id,created_time,from,to,message}&limit=25` (the inbox as `routes` says), paged
//! with `after=` until a conversation older than the feed's mark, at most [`DM_PAGES`] pages
//! a pass. Instagram gives the 20 newest messages of a conversation; older ones are out of
//! the API's reach. Each message is a `Kind::Dm` threaded by its conversation.
//!
//! DMs out of the token's reach (no messaging permission, no linked Page) are a problem for
//! the record and the pass ends normally: comments and mentions still sync.

use serde_json::Value;

use super::cursor::{Cursor, Phase};
use super::fetch::{push, Read};
use super::items::Maker;
use super::payload::{entry, list, Conversation, Message};
use super::{out_of_reach, InstagramConnector};
use crate::connectors::graph::{path_id, time};
use crate::connectors::{ConnectorError, PayloadProblem};

/// Conversations asked per page.
pub const CONVERSATIONS_LIMIT: usize = 25;
/// The most pages of conversations read in one pass.
pub const DM_PAGES: u32 = 4;

pub const MESSAGE_FIELDS: &str = "id,created_time,from,to,message";

impl InstagramConnector {
    /// One page of conversations and their new messages.
    pub(super) async fn read_dms(
        &self,
        maker: &Maker<'_>,
        cursor: &mut Cursor,
    ) -> Result<Read, ConnectorError> {
        let path = self.routes.conversations();
        let what = format!("GET {path}");
        let fields = format!("id,updated_time,messages{{{MESSAGE_FIELDS}}}");
        let limit = CONVERSATIONS_LIMIT.to_string();
        let mut params = vec![
            ("platform", "instagram"),
            ("fields", fields.as_str()),
            ("limit", limit.as_str()),
        ];
        if let Some(after) = cursor.after.as_deref() {
            params.push(("after", after));
        }
        let mut read = Read::default();
        let body = match self.graph.get(&path, &params).await {
            Ok(body) => body,
            Err(e) if out_of_reach(&e) => {
                read.problems
                    .push(PayloadProblem::new(format!("DMs not synced: {e}"), ""));
                finish_dms(cursor);
                return Ok(read);
            }
            Err(e) => return Err(e),
        };
        let page = list(&body, &what).map_err(|p| ConnectorError::Transient(p.reason))?;
        let mut reached_mark = false;
        for value in &page.data {
            match entry::<Conversation>(value, &what) {
                Ok(conversation) => {
                    let updated = conversation.updated_time.as_ref().and_then(when);
                    if updated.is_some_and(|t| !cursor.dms.wants(t)) {
                        reached_mark = true;
                        continue;
                    }
                    self.messages_into(maker, &conversation, cursor, &mut read);
                }
                Err(problem) => read.problems.push(problem),
            }
        }
        let after = page.next_after().filter(|_| !reached_mark);
        if !cursor.next_page(after, DM_PAGES) {
            finish_dms(cursor);
        }
        Ok(read)
    }

    /// The new messages of one conversation.
    fn messages_into(
        &self,
        maker: &Maker<'_>,
        conversation: &Conversation,
        cursor: &mut Cursor,
        read: &mut Read,
    ) {
        let what = format!("conversation {}", conversation.id);
        let values = conversation
            .messages
            .as_ref()
            .map(|m| m.data.as_slice())
            .unwrap_or_default();
        for value in values {
            let made = entry::<Message>(value, &what)
                .and_then(|m| maker.message(&m, &conversation.id, value));
            if let Ok(item) = &made {
                if !cursor.dms.wants(item.created_at) {
                    continue;
                }
                cursor.dms.note(item.created_at);
            }
            push(read, made);
        }
    }

    /// The latest messages of a conversation: `GET /{conversation-id}?fields=messages{…}`.
    pub(super) async fn conversation_messages(
        &self,
        conversation: &str,
    ) -> Result<Vec<Value>, ConnectorError> {
        let path = format!("/{}", path_id(conversation)?);
        let fields = format!("messages{{{MESSAGE_FIELDS}}}");
        let body = self.graph.get(&path, &[("fields", &fields)]).await?;
        let messages = body.get("messages").cloned().unwrap_or(Value::Null);
        Ok(list(&messages, &format!("GET {path}"))
            .map(|page| page.data)
            .unwrap_or_default())
    }

    /// The conversation with one person, if there is one:
    /// `GET …/conversations?platform=instagram&user_id=<IGSID>`.
    pub(super) async fn conversation_with(
        &self,
        person: &str,
    ) -> Result<Option<String>, ConnectorError> {
        let path = self.routes.conversations();
        let body = self
            .graph
            .get(
                &path,
                &[("platform", "instagram"), ("user_id", path_id(person)?)],
            )
            .await?;
        let page = list(&body, &format!("GET {path}")).unwrap_or_default();
        Ok(page
            .data
            .iter()
            .filter_map(|c| c.get("id").and_then(Value::as_str))
            .map(str::to_string)
            .next())
    }
}

/// The DMs are read: the mark moves and the pass is over.
fn finish_dms(cursor: &mut Cursor) {
    cursor.dms.close();
    cursor.after = None;
    cursor.pages = 0;
    cursor.phase = Phase::Media;
}

/// A conversation's `updated_time`: ISO 8601 or a Unix timestamp (number or digits).
fn when(value: &Value) -> Option<chrono::DateTime<chrono::Utc>> {
    let seconds = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
        Value::String(s) => return time::parse(s),
        _ => None,
    }?;
    chrono::DateTime::from_timestamp(seconds, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn update_times_come_as_iso_or_unix() {
        let want: chrono::DateTime<chrono::Utc> = "2021-07-23T09:28:50Z".parse().unwrap();
        assert_eq!(when(&json!("2021-07-23T09:28:50+0000")), Some(want));
        assert_eq!(when(&json!(1627032530)), Some(want));
        assert_eq!(when(&json!("1627032530")), Some(want));
        assert_eq!(when(&json!(null)), None);
    }
}
