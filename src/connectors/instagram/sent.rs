//! `find_sent`: after a crash between sending and recording, the outbox asks whether a
//! reply already went out. This never posts: it looks for the account's reply with the same
//! text (whitespace aside) where the reply would be: the top-level comment's replies
//! (`GET /{comment-id}/replies`, a few pages), the conversation's latest messages
//! (`GET /{conversation-id}?fields=messages{…}`) written since the item, or for a private
//! reply the commenter's conversation (`…/conversations?platform=instagram&user_id=…`).
//! Found nothing: the outbox sends (a second private reply to the same comment Meta refuses
//! anyway).

use chrono::{DateTime, Utc};

use super::payload::{entry, Comment, Message};
use super::reply::{addressed, customer, squeeze, Target};
use super::InstagramConnector;
use crate::connectors::{ConnectorError, Delivered, ReplyRequest};
use crate::model::Kind;

impl InstagramConnector {
    pub(super) async fn look_for_reply(
        &self,
        request: &ReplyRequest,
    ) -> Result<Option<Delivered>, ConnectorError> {
        let item = &request.item;
        let brand = self.brand().await?;
        if request.private {
            let Ok(person) = customer(item) else {
                return Ok(None);
            };
            let Some(conversation) = self.conversation_with(person).await? else {
                return Ok(None);
            };
            return self.ours_in_conversation(request, &conversation).await;
        }
        let (top, media, text) = match Target::of(item)? {
            Target::Dm => {
                return self.ours_in_conversation(request, item.thread_key()).await;
            }
            Target::Media(_) => return Ok(None),
            Target::Comment { top, media } => (top, media, addressed(&request.text, item, top)),
            Target::Mentioned { comment, media } => (comment, media, request.text.clone()),
        };
        let wanted = squeeze(&text);
        let mut after: Option<String> = None;
        for _ in 0..super::fetch::REPLY_PAGES {
            let page = self.replies_page(top, after.as_deref()).await?;
            for value in &page.data {
                let Ok(comment) = entry::<Comment>(value, "replies") else {
                    continue;
                };
                let ours = brand.is(comment.from.as_ref(), comment.username.as_deref());
                if ours && squeeze(comment.text.as_deref().unwrap_or("")) == wanted {
                    let Ok(mut reply) = self.maker().await?.comment(&comment, media, value) else {
                        continue;
                    };
                    reply.parent_id = Some(top.to_string());
                    reply.kind = if item.kind == Kind::Mention {
                        Kind::Mention
                    } else {
                        Kind::Comment
                    };
                    return Ok(Some(Delivered { reply }));
                }
            }
            match page.next_after() {
                Some(next) => after = Some(next.to_string()),
                None => break,
            }
        }
        Ok(None)
    }

    /// Our message with the request's text in a conversation, written after the item.
    async fn ours_in_conversation(
        &self,
        request: &ReplyRequest,
        conversation: &str,
    ) -> Result<Option<Delivered>, ConnectorError> {
        let brand = self.brand().await?;
        let wanted = squeeze(&request.text);
        let since: DateTime<Utc> = request.item.created_at;
        for value in self.conversation_messages(conversation).await? {
            let Ok(message) = entry::<Message>(&value, "messages") else {
                continue;
            };
            let at = message
                .created_time
                .as_deref()
                .and_then(crate::connectors::graph::time::parse);
            let fits = brand.is(message.from.as_ref(), None)
                && squeeze(message.message.as_deref().unwrap_or("")) == wanted
                && at.is_none_or(|at| at >= since);
            if fits {
                let maker = self.maker().await?;
                let Ok(mut reply) = maker.message(&message, conversation, &value) else {
                    continue;
                };
                if request.private {
                    reply.parent_id = Some(request.item.remote_id.clone());
                }
                return Ok(Some(Delivered { reply }));
            }
        }
        Ok(None)
    }
}
