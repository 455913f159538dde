//! Replies: `send_reply` and `find_sent`.
//!
//! - A comment: `POST /{ig-comment-id}/replies {"message"}` on its top-level comment
//!   (Instagram threads replies one level deep: an answer to a reply goes under the
//!   top-level comment, addressed `@username` first); on the account's own media,
//!   `POST /{ig-media-id}/comments {"message"}`.
//! - A comment that @mentions the account on someone else's media:
//!   `POST /{ig-user-id}/mentions {"comment_id", "media_id", "message"}`. Media that only
//!   tag the account cannot be commented on through the API.
//! - A DM: the Send API (`POST …/messages`, the inbox as `routes` says) to the customer's
//!   Instagram-scoped id, inside Meta's windows (`graph::send`: RESPONSE within 24 hours of
//!   `last_customer_message`, the HUMAN_AGENT tag within 7 days where the account has
//!   `human_agent = true`), refused outside them before any call.
//! - A private reply (`request.private`): the same endpoint with `recipient.comment_id`,
//!   within 7 days of the comment (the hub keeps it to once per comment).
//!
//! `find_sent` is in `sent`.

use chrono::Utc;
use serde_json::{json, Value};

use super::payload::{entry, Written};
use super::InstagramConnector;
use crate::connectors::graph::path_id;
use crate::connectors::graph::send::{message_body, Recipient};
use crate::connectors::{ConnectorError, Delivered, ReplyRequest};
use crate::model::{Item, Kind};

impl InstagramConnector {
    pub(super) async fn reply(&self, request: &ReplyRequest) -> Result<Delivered, ConnectorError> {
        let item = &request.item;
        // Read before sending: nothing may fail between the send and its answer.
        self.brand().await?;
        if request.private {
            return self.private_reply(request).await;
        }
        match Target::of(item)? {
            Target::Dm => self.dm_reply(request).await,
            Target::Media(media) => {
                let path = format!("/{media}/comments");
                self.post_comment(
                    request,
                    path,
                    json!({"message": request.text}),
                    media,
                    media,
                )
                .await
            }
            Target::Comment { top, media } => {
                let text = addressed(&request.text, item, top);
                let path = format!("/{top}/replies");
                self.post_comment(request, path, json!({"message": text}), top, media)
                    .await
            }
            Target::Mentioned { comment, media } => {
                let body =
                    json!({"comment_id": comment, "media_id": media, "message": request.text});
                let path = self.routes.user("/mentions");
                self.post_comment(request, path, body, comment, media).await
            }
        }
    }

    async fn post_comment(
        &self,
        request: &ReplyRequest,
        path: String,
        body: Value,
        parent: &str,
        media: &str,
    ) -> Result<Delivered, ConnectorError> {
        let answer = self.graph.post(&path, body.clone()).await?;
        let id = written(&answer, &path)?.id.ok_or_else(|| no_id(&path))?;
        let text = body["message"].as_str().unwrap_or(&request.text);
        let kind = match request.item.kind {
            Kind::Mention => Kind::Mention,
            _ => Kind::Comment,
        };
        let reply = self
            .maker()
            .await?
            .ours(kind, &id, text, Some(media), Some(parent));
        Ok(Delivered { reply })
    }

    async fn dm_reply(&self, request: &ReplyRequest) -> Result<Delivered, ConnectorError> {
        let item = &request.item;
        let person = customer(item)?;
        let body = message_body(
            Recipient::Person(person),
            &request.text,
            request.last_customer_message,
            self.human_agent,
            Utc::now(),
        )?;
        let sent = self.send_message(body).await?;
        let id = sent
            .message_id
            .ok_or_else(|| no_id(&self.routes.messages()))?;
        let thread = Some(item.thread_key());
        let reply = self
            .maker()
            .await?
            .ours(Kind::Dm, &id, &request.text, thread, None);
        Ok(Delivered { reply })
    }

    async fn private_reply(&self, request: &ReplyRequest) -> Result<Delivered, ConnectorError> {
        let item = &request.item;
        let comment = match Target::of(item)? {
            Target::Comment { .. } | Target::Mentioned { .. } => path_id(&item.remote_id)?,
            _ => {
                return Err(ConnectorError::Refused(
                    "a private reply answers a comment: this item is not one".into(),
                ))
            }
        };
        let body = message_body(
            Recipient::CommentAuthor(comment),
            &request.text,
            item.created_at,
            self.human_agent,
            Utc::now(),
        )?;
        let sent = self.send_message(body).await?;
        let id = sent
            .message_id
            .ok_or_else(|| no_id(&self.routes.messages()))?;
        // Best effort, after the send: a failure here must not make the send look failed.
        let person = sent.recipient_id.as_deref().or(customer(item).ok());
        let conversation = match person {
            Some(person) => self.conversation_with(person).await.ok().flatten(),
            None => None,
        };
        let parent = Some(item.remote_id.as_str());
        let reply = self.maker().await?.ours(
            Kind::Dm,
            &id,
            &request.text,
            conversation.as_deref(),
            parent,
        );
        Ok(Delivered { reply })
    }

    /// `POST …/messages`: `{"recipient_id", "message_id"}`.
    async fn send_message(&self, body: Value) -> Result<Written, ConnectorError> {
        let path = self.routes.messages();
        let answer = self.graph.post(&path, body).await?;
        written(&answer, &path)
    }
}

/// Where a reply to an item goes.
pub(super) enum Target<'i> {
    Dm,
    /// The account's own media.
    Media(&'i str),
    /// A comment on the account's media, answered under its top-level comment.
    Comment {
        top: &'i str,
        media: &'i str,
    },
    /// A comment that @mentions the account, on someone else's media.
    Mentioned {
        comment: &'i str,
        media: &'i str,
    },
}

impl<'i> Target<'i> {
    pub(super) fn of(item: &'i Item) -> Result<Target<'i>, ConnectorError> {
        let media = path_id(item.thread_key())?;
        let own = path_id(&item.remote_id)?;
        Ok(match item.kind {
            Kind::Dm => Target::Dm,
            Kind::Comment if own == media => Target::Media(media),
            Kind::Comment => Target::Comment {
                top: match item.parent_id.as_deref() {
                    Some(parent) if parent != media => path_id(parent)?,
                    _ => own,
                },
                media,
            },
            Kind::Mention => match item.parent_id.as_deref() {
                Some(parent) if parent == media && own != media => {
                    Target::Mentioned { comment: own, media }
                }
                _ => return Err(ConnectorError::Unsupported(
                    "Instagram does not allow commenting on media the account is tagged in (nor on a mention whose media is unknown): answer the author by DM"
                        .into(),
                )),
            },
        })
    }
}

/// The customer's Instagram-scoped id, to send a DM to.
pub(super) fn customer(item: &Item) -> Result<&str, ConnectorError> {
    if item.from_brand || item.author.id.is_empty() {
        return Err(ConnectorError::Refused(
            "no customer to message: the item has no author id, or the brand wrote it".into(),
        ));
    }
    path_id(&item.author.id)
}

/// The text of an answer to `item` posted under `top`: `@username ` first when `item` is a
/// reply (not `top` itself) and the text does not name them yet.
pub fn addressed(text: &str, item: &Item, top: &str) -> String {
    let handle = item.author.handle.trim().trim_start_matches('@');
    let named = text
        .to_lowercase()
        .contains(&format!("@{}", handle.to_lowercase()));
    if item.remote_id == top || handle.is_empty() || item.from_brand || named {
        return text.to_string();
    }
    format!("@{handle} {text}")
}

fn written(answer: &Value, call: &str) -> Result<Written, ConnectorError> {
    entry(answer, call).map_err(|p| ConnectorError::Transient(p.reason))
}

fn no_id(call: &str) -> ConnectorError {
    ConnectorError::Transient(format!("POST {call}: the answer names no id"))
}

/// Text with every run of whitespace made one space.
pub(super) fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
