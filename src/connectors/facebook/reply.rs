//! Replies: `send_reply` and `find_sent`.
//!
//! - a comment: `POST /{comment-id}/comments {"message"}`. Facebook threads one level deep,
//!   so an answer to a reply goes under the top-level comment it answers (its `parent_id`);
//! - a post (a mention, a visitor's post): `POST /{post-id}/comments {"message"}`;
//! - a private reply to a comment (`request.private`): `POST /{page-id}/messages` with
//!   `recipient.comment_id`, within 7 days of the comment (the hub keeps it to once);
//! - a Messenger message: `POST /{page-id}/messages` to the customer's page-scoped id, with
//!   `messaging_type = RESPONSE` within 24 hours of the customer's last message, or the
//!   `HUMAN_AGENT` tag up to 7 days where the account sets `human_agent = true`; otherwise
//!   refused before any call (`graph::send`).
//!
//! The Graph API has no idempotency key, so a write is never repeated blind: `find_sent`
//! looks for the Page's own comment with the reply's text under the same comment or post,
//! or the Page's message with that text in the conversation (for a private reply, whose
//! conversation is not known yet, in the Page's newest conversations).

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::fetch::MESSAGE_FIELDS;
use super::payload::{entries, read, Message};
use super::FacebookConnector;
use crate::connectors::graph::path_id;
use crate::connectors::graph::send::{message_body, Recipient};
use crate::connectors::{ConnectorError, Delivered, ReplyRequest};
use crate::model::{Item, Kind, NewItem};

/// Conversations looked through for a private reply already sent.
const PRIVATE_LOOKUP: &str = "25";

impl FacebookConnector {
    pub(super) async fn reply(
        &self,
        request: &ReplyRequest,
        now: DateTime<Utc>,
    ) -> Result<Delivered, ConnectorError> {
        let item = &request.item;
        if request.private {
            return self.private_reply(request, now).await;
        }
        match item.kind {
            Kind::Dm => self.message_reply(request, now).await,
            Kind::Comment | Kind::Mention => self.comment_reply(request).await,
        }
    }

    async fn comment_reply(&self, request: &ReplyRequest) -> Result<Delivered, ConnectorError> {
        let item = &request.item;
        let target = path_id(comment_target(item))?;
        let body = self
            .graph
            .post(
                &format!("/{target}/comments"),
                json!({"message": request.text}),
            )
            .await?;
        let id = answered_id(&body, "id", &format!("POST /{target}/comments"))?;
        let raw = json!({
            "id": id, "message": request.text, "from": {"id": self.page_id},
            "parent": {"id": target}, "created_time": body.get("created_time"),
            "permalink_url": body.get("permalink_url"),
        });
        self.delivered_comment(&raw, item)
    }

    async fn message_reply(
        &self,
        request: &ReplyRequest,
        now: DateTime<Utc>,
    ) -> Result<Delivered, ConnectorError> {
        let item = &request.item;
        let person = item.author.id.trim();
        if person.is_empty() {
            return Err(ConnectorError::Refused(
                "this Messenger message has no sender id to answer".into(),
            ));
        }
        let since = request.last_customer_message;
        let body = message_body(
            Recipient::Person(person),
            &request.text,
            since,
            self.human_agent,
            now,
        )?;
        let message_id = self.send_message(body).await?;
        let raw = self.our_message(&message_id, &request.text, now);
        let reply = self
            .origin
            .message(&raw, item.thread_key())
            .map_err(|p| ConnectorError::Transient(p.reason))?;
        Ok(Delivered { reply })
    }

    async fn private_reply(
        &self,
        request: &ReplyRequest,
        now: DateTime<Utc>,
    ) -> Result<Delivered, ConnectorError> {
        let item = &request.item;
        if item.kind != Kind::Comment || item.thread_key() == item.remote_id {
            return Err(ConnectorError::Refused(
                "a private reply answers a comment on a Page post, not a post or a message".into(),
            ));
        }
        let comment = path_id(&item.remote_id)?;
        let recipient = Recipient::CommentAuthor(comment);
        let body = message_body(
            recipient,
            &request.text,
            item.created_at,
            self.human_agent,
            now,
        )?;
        let message_id = self.send_message(body).await?;
        let raw = self.our_message(&message_id, &request.text, now);
        Ok(Delivered {
            reply: self.private_item(&raw, item)?,
        })
    }

    /// `POST /{page-id}/messages`: the new message's id.
    async fn send_message(&self, body: Value) -> Result<String, ConnectorError> {
        let call = format!("/{}/messages", self.page_id);
        let answer = self.graph.post(&call, body).await?;
        answered_id(&answer, "message_id", &format!("POST {call}"))
    }

    pub(super) async fn look_for_reply(
        &self,
        request: &ReplyRequest,
    ) -> Result<Option<Delivered>, ConnectorError> {
        let item = &request.item;
        let wanted = squeeze(&request.text);
        if request.private {
            return self.look_for_private_reply(item, &wanted).await;
        }
        if item.kind == Kind::Dm {
            let conversation = path_id(item.thread_key())?;
            let body = self
                .graph
                .get(
                    &format!("/{conversation}/messages"),
                    &[("fields", MESSAGE_FIELDS), ("limit", "25")],
                )
                .await?;
            let messages = entries(&body).data;
            let found = self.ours_with_text(&messages, &wanted);
            return found
                .map(|raw| self.origin.message(raw, conversation))
                .transpose()
                .map(|reply| reply.map(|reply| Delivered { reply }))
                .map_err(|p| ConnectorError::Transient(p.reason));
        }
        let target = comment_target(item);
        let body = self.comments_under(target).await?;
        match self.ours_with_text(&entries(&body).data, &wanted) {
            Some(raw) => self.delivered_comment(raw, item).map(Some),
            None => Ok(None),
        }
    }

    async fn look_for_private_reply(
        &self,
        item: &Item,
        wanted: &str,
    ) -> Result<Option<Delivered>, ConnectorError> {
        let fields = format!("id,messages.limit(10){{{MESSAGE_FIELDS}}}");
        let body = self
            .graph
            .get(
                &format!("/{}/conversations", self.page_id),
                &[
                    ("platform", "messenger"),
                    ("fields", &fields),
                    ("limit", PRIVATE_LOOKUP),
                ],
            )
            .await?;
        for conversation in entries(&body).data {
            let messages = conversation
                .get("messages")
                .map(entries)
                .unwrap_or_default();
            if let Some(raw) = self.ours_with_text(&messages.data, wanted) {
                return Ok(Some(Delivered {
                    reply: self.private_item(raw, item)?,
                }));
            }
        }
        Ok(None)
    }

    /// The first of `entries` the Page wrote with the text `wanted` (whitespace aside).
    fn ours_with_text<'v>(&self, entries: &'v [Value], wanted: &str) -> Option<&'v Value> {
        entries.iter().find(|raw| {
            let entry: Message = read(raw).unwrap_or_default();
            let from = entry.from.and_then(|f| f.id);
            from.as_deref() == Some(self.page_id.as_str())
                && squeeze(entry.message.as_deref().unwrap_or("")) == wanted
        })
    }

    fn delivered_comment(&self, raw: &Value, item: &Item) -> Result<Delivered, ConnectorError> {
        let reply = self
            .origin
            .comment(raw, item.thread_key())
            .map_err(|p| ConnectorError::Transient(p.reason))?;
        Ok(Delivered { reply })
    }

    /// A private reply as an item: a DM shown in the thread of the comment it answers (its
    /// Messenger conversation is only known once a sync reads it).
    fn private_item(&self, raw: &Value, comment: &Item) -> Result<NewItem, ConnectorError> {
        let mut reply = self
            .origin
            .message(raw, comment.thread_key())
            .map_err(|p| ConnectorError::Transient(p.reason))?;
        reply.parent_id = Some(comment.remote_id.clone());
        Ok(reply)
    }

    /// A message the Page just sent, as the Graph API would show it.
    fn our_message(&self, id: &str, text: &str, now: DateTime<Utc>) -> Value {
        json!({
            "id": id, "message": text, "from": {"id": self.page_id},
            "created_time": now.format("%Y-%m-%dT%H:%M:%S%z").to_string(),
        })
    }
}

/// What a public reply to `item` is posted under: the top-level comment (the item, or the
/// comment a reply answers), or the post itself.
fn comment_target(item: &Item) -> &str {
    let thread = item.thread_key();
    match item.parent_id.as_deref() {
        Some(parent) if item.kind == Kind::Comment && parent != thread => parent,
        _ => &item.remote_id,
    }
}

/// The id a write answered with.
fn answered_id(body: &Value, field: &str, call: &str) -> Result<String, ConnectorError> {
    body.get(field)
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .ok_or_else(|| ConnectorError::Transient(format!("{call}: the answer has no {field}")))
}

/// Text with every run of whitespace made one space.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ItemId, NewItem, Platform};

    fn item(kind: Kind, remote: &str, thread: &str, parent: Option<&str>) -> Item {
        let new = NewItem {
            platform: Platform::Facebook,
            account: "fb".into(),
            kind,
            remote_id: remote.into(),
            thread_id: Some(thread.into()),
            parent_id: parent.map(str::to_string),
            author: Default::default(),
            text: String::new(),
            lang: None,
            created_at: Utc::now(),
            url: None,
            from_brand: false,
            raw: None,
            status: None,
            priority: None,
            tags: Default::default(),
            assignee: None,
        };
        Item::from_new(ItemId::generate(), new, Utc::now())
    }

    #[test]
    fn replies_go_under_the_top_level_comment_or_the_post() {
        let top = item(Kind::Comment, "9_1", "111_9", Some("111_9"));
        assert_eq!(comment_target(&top), "9_1");
        let reply = item(Kind::Comment, "9_2", "111_9", Some("9_1"));
        assert_eq!(comment_target(&reply), "9_1");
        let tagged = item(Kind::Mention, "5_7", "5_7", None);
        assert_eq!(comment_target(&tagged), "5_7");
    }

    #[test]
    fn whitespace_does_not_tell_replies_apart() {
        assert_eq!(squeeze(" a\n\nb  c "), "a b c");
    }
}
