//! Replies: `send_reply` (`find_sent` is in `find`).
//!
//! - A public reply is `POST /2/tweets` `{"text", "reply": {"in_reply_to_tweet_id"}}`; X
//!   answers `{"data": {"id", "text"}}`.
//! - A DM answer is `POST /2/dm_conversations/:dm_conversation_id/messages` `{"text"}` (the
//!   item's thread is its conversation); X answers `{"data": {"dm_conversation_id",
//!   "dm_event_id"}}`.
//!
//! Both are refused before sending when X would refuse them (empty, over 280 weighted
//! characters for a post, a DM of 10,000 characters), and charged to the day's spend once
//! X took them (a post with a link at X's higher price). Neither is repeated blind after an
//! unclear failure (X has no idempotency key): the outbox's next attempt under the same key
//! first looks for the reply (as `find_sent` does) and sends only when it is not there.

use std::collections::HashSet;
use std::sync::Mutex;

use serde_json::json;

use super::items::{dm_item, tweet_item};
use super::payload::text;
use super::{conversation_path_id, path_id, XConnector};
use crate::connectors::http::Call;
use crate::connectors::{ConnectorError, Delivered, ReplyRequest};
use crate::model::{Item, Kind, NewItem, Platform};
use crate::responses::{cost, limits};

/// X's limit on a DM's length, in characters.
const DM_MAX_CHARS: usize = 10_000;

impl XConnector {
    pub(super) async fn reply(&self, request: &ReplyRequest) -> Result<Delivered, ConnectorError> {
        refuse_what_x_refuses(request)?;
        let item = &request.item;
        let price = cost::cost(
            &Platform::X,
            cost::Action::Reply {
                kind: item.kind,
                text: &request.text,
            },
        );
        if self.unclear.take(&request.idempotency_key) {
            if let Some(found) = self.look_for_reply(request).await? {
                return Ok(found);
            }
        }
        let sent = match item.kind {
            Kind::Dm => self.send_dm(item, &request.text).await,
            Kind::Comment | Kind::Mention => self.send_post(item, &request.text).await,
        };
        match sent {
            Ok(delivered) => {
                if let Some(price) = price {
                    self.meter.write(price.micros);
                }
                Ok(delivered)
            }
            Err(ConnectorError::Transient(why)) => {
                self.unclear.note(&request.idempotency_key);
                Err(ConnectorError::Transient(why))
            }
            Err(other) => Err(other),
        }
    }

    async fn send_post(&self, item: &Item, text_sent: &str) -> Result<Delivered, ConnectorError> {
        let parent = path_id(&item.remote_id)?;
        let call = Call::post("/2/tweets").json(json!({
            "text": text_sent,
            "reply": {"in_reply_to_tweet_id": parent},
        }));
        let body = self.send(call).await?;
        let id = text(&body["data"], "id").ok_or_else(|| {
            ConnectorError::Transient("POST /2/tweets: the answer has no post id".into())
        })?;
        let shown = text(&body["data"], "text").unwrap_or_else(|| text_sent.to_string());
        Ok(Delivered {
            reply: self.our_post(item, &id, &shown)?,
        })
    }

    async fn send_dm(&self, item: &Item, text_sent: &str) -> Result<Delivered, ConnectorError> {
        let conversation = conversation_path_id(item.thread_key())?;
        let target = format!("/2/dm_conversations/{conversation}/messages");
        let body = self
            .send(Call::post(target.clone()).json(json!({ "text": text_sent })))
            .await?;
        let data = &body["data"];
        let id = text(data, "dm_event_id").ok_or_else(|| {
            ConnectorError::Transient(format!("POST {target}: the answer has no dm_event_id"))
        })?;
        let conversation = text(data, "dm_conversation_id").unwrap_or(conversation.to_string());
        Ok(Delivered {
            reply: self.our_dm(&id, &conversation, text_sent)?,
        })
    }

    /// The brand's reply `id` to `item`, as an item of the item's thread.
    pub(super) fn our_post(
        &self,
        item: &Item,
        id: &str,
        shown: &str,
    ) -> Result<NewItem, ConnectorError> {
        let post = json!({
            "id": id,
            "text": shown,
            "author_id": self.user_id,
            "conversation_id": item.thread_key(),
            "referenced_tweets": [{"type": "replied_to", "id": item.remote_id}],
        });
        let placing = self.placing();
        tweet_item(&post, &Default::default(), &placing.get())
            .map_err(|p| ConnectorError::Transient(p.reason))
    }

    /// The brand's DM `id`, as an item of its conversation.
    fn our_dm(&self, id: &str, conversation: &str, sent: &str) -> Result<NewItem, ConnectorError> {
        let event = json!({
            "id": id,
            "event_type": "MessageCreate",
            "text": sent,
            "sender_id": self.user_id,
            "dm_conversation_id": conversation,
        });
        let placing = self.placing();
        match dm_item(&event, &Default::default(), &placing.get()) {
            Some(Ok(item)) => Ok(item),
            _ => Err(ConnectorError::Transient(format!(
                "DM {id}: not readable as an item"
            ))),
        }
    }
}

/// The outbox keys whose last send ended unclear (a timeout, a 5xx: X may have taken it).
#[derive(Default)]
pub struct Unclear(Mutex<HashSet<String>>);

impl Unclear {
    fn note(&self, key: &str) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_string());
    }

    /// Whether `key` ended unclear, forgetting it.
    fn take(&self, key: &str) -> bool {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(key)
    }
}

/// What X would refuse, refused before a call is made (and billed).
fn refuse_what_x_refuses(request: &ReplyRequest) -> Result<(), ConnectorError> {
    if request.text.trim().is_empty() {
        return Err(ConnectorError::Refused("X refuses an empty reply".into()));
    }
    if request.item.kind == Kind::Dm {
        let chars = request.text.chars().count();
        if chars > DM_MAX_CHARS {
            return Err(ConnectorError::Refused(format!(
                "too long for an X DM: {chars}/{DM_MAX_CHARS} characters"
            )));
        }
        return Ok(());
    }
    let length = limits::measure(&Platform::X, &request.text);
    if !length.fits() {
        return Err(ConnectorError::Refused(format!(
            "too long for X: {}",
            length.describe()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_x_refuses_is_refused_before_sending() {
        use crate::model::{ItemId, NewItem};
        let new = NewItem {
            platform: Platform::X,
            account: "acme-x".into(),
            kind: Kind::Mention,
            remote_id: "5".into(),
            thread_id: None,
            parent_id: None,
            author: Default::default(),
            text: "hi".into(),
            lang: None,
            created_at: chrono::Utc::now(),
            url: None,
            from_brand: false,
            raw: None,
            status: None,
            priority: None,
            tags: Default::default(),
            assignee: None,
        };
        let item = Item::from_new(ItemId::generate(), new, chrono::Utc::now());
        let long = "x".repeat(281);
        let refused = refuse_what_x_refuses(&ReplyRequest::new(item.clone(), long, "k"));
        assert!(refused.unwrap_err().to_string().contains("281/280"));
        assert!(refuse_what_x_refuses(&ReplyRequest::new(item.clone(), "  ", "k")).is_err());
        assert!(refuse_what_x_refuses(&ReplyRequest::new(item, "fine", "k")).is_ok());
    }
}
