//! Replies: `send_reply` and `find_sent`.
//!
//! - A public reply is `POST /2/tweets` `{"text", "reply": {"in_reply_to_tweet_id"}}`; X
//!   answers `{"data": {"id", "text"}}`.
//! - A DM answer is `POST /2/dm_conversations/:dm_conversation_id/messages` `{"text"}` (the
//!   item's thread is its conversation); X answers `{"data": {"dm_conversation_id",
//!   "dm_event_id"}}`.
//!
//! Both are refused before sending when X would refuse them (empty, over 280 weighted
//! characters for a post, a DM of 10,000 characters), and charged to the day's spend once
//! X took them (a post with a link at X's higher price). Neither is repeated on an unclear
//! failure: X has no idempotency key.
//!
//! `find_sent` therefore looks instead of posting blind: among the brand's posts newer than
//! the item (`GET /2/users/:id/tweets?since_id=`, 20 of them, replies included) one that
//! replies to the item with the reply's text; or, for a DM, among the conversation's latest
//! events (`GET /2/dm_conversations/:id/dm_events`) one from the brand, newer than the item,
//! with that text. Texts are compared as X shows them: leading `@mentions` X adds to a reply,
//! links (X wraps them in t.co), its `&amp;` escapes and runs of whitespace set aside.

use serde_json::json;

use super::items::{dm_item, tweet_item};
use super::meter::Resource;
use super::payload::{replied_to, text, ListAnswer};
use super::{conversation_path_id, path_id, XConnector, DM_EVENT_FIELDS, TWEET_FIELDS};
use crate::connectors::http::Call;
use crate::connectors::{ConnectorError, Delivered, ReplyRequest};
use crate::model::{Item, Kind, NewItem, Platform};
use crate::responses::{cost, limits};

/// X's limit on a DM's length, in characters.
const DM_MAX_CHARS: usize = 10_000;
/// The brand's posts (or a conversation's DM events) looked through by `find_sent`.
const LOOK_BACK: u32 = 20;

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
        let delivered = match item.kind {
            Kind::Dm => self.send_dm(item, &request.text).await?,
            Kind::Comment | Kind::Mention => self.send_post(item, &request.text).await?,
        };
        if let Some(price) = price {
            self.meter.write(price.micros);
        }
        Ok(delivered)
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

    pub(super) async fn look_for_reply(
        &self,
        request: &ReplyRequest,
    ) -> Result<Option<Delivered>, ConnectorError> {
        let item = &request.item;
        let wanted = comparable(&request.text);
        if item.kind == Kind::Dm {
            let conversation = conversation_path_id(item.thread_key())?;
            let found = self.recent_dms(conversation).await?.into_iter().find(|dm| {
                dm.from_brand
                    && newer(&dm.remote_id, &item.remote_id)
                    && comparable(&dm.text) == wanted
            });
            return Ok(found.map(|reply| Delivered { reply }));
        }
        let parent = path_id(&item.remote_id)?;
        let call = Call::get(format!("/2/users/{}/tweets", self.user_id))
            .query("max_results", LOOK_BACK)
            .query("since_id", parent)
            .query("tweet.fields", TWEET_FIELDS);
        let answer = self.read_posts(call).await?;
        let found = answer.data.iter().find(|post| {
            replied_to(post).as_deref() == Some(parent)
                && text(post, "text").is_some_and(|t| comparable(&t) == wanted)
        });
        match found {
            Some(post) => {
                let id = text(post, "id").unwrap_or_default();
                let shown = text(post, "text").unwrap_or_default();
                Ok(Some(Delivered {
                    reply: self.our_post(item, &id, &shown)?,
                }))
            }
            None => Ok(None),
        }
    }

    /// The latest DM events of a conversation, as items.
    pub(super) async fn recent_dms(
        &self,
        conversation: &str,
    ) -> Result<Vec<NewItem>, ConnectorError> {
        let call = Call::get(format!("/2/dm_conversations/{conversation}/dm_events"))
            .query("dm_event.fields", DM_EVENT_FIELDS)
            .query("event_types", "MessageCreate")
            .query("max_results", LOOK_BACK);
        let answer = ListAnswer::read(&self.send(call).await?);
        self.charge(&answer, |id| Resource::DmEvent(id));
        let placing = self.placing();
        let placing = placing.get();
        Ok(answer
            .data
            .iter()
            .filter_map(|event| dm_item(event, &answer.users, &placing)?.ok())
            .collect())
    }

    /// The brand's reply `id` to `item`, as an item of the item's thread.
    fn our_post(&self, item: &Item, id: &str, shown: &str) -> Result<NewItem, ConnectorError> {
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

/// Whether X id `a` is newer than `b`.
fn newer(a: &str, b: &str) -> bool {
    super::cursor::compare_ids(a, b).is_gt()
}

/// A text as compared by `find_sent` (see the module doc).
fn comparable(text: &str) -> String {
    let unescaped = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let words: Vec<&str> = unescaped
        .split_whitespace()
        .skip_while(|w| w.starts_with('@'))
        .filter(|w| !w.starts_with("http://") && !w.starts_with("https://"))
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_compare_as_x_shows_them() {
        assert_eq!(
            comparable("@claire @acme  Sorry &amp; thanks https://t.co/abc"),
            comparable("Sorry & thanks https://acme.test/help")
        );
        assert_ne!(comparable("Sorry"), comparable("Sorry again"));
    }

    #[test]
    fn x_ids_order_by_value() {
        assert!(newer("1585800613752881156", "1585800613253812228"));
        assert!(!newer("9", "10"));
    }

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
