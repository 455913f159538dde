//! `find_sent` for X: X has no idempotency key, so a reply is looked for instead of posted
//! blind: among the brand's posts newer than the item (`GET /2/users/:id/tweets?since_id=`,
//! 20 of them, replies included) one that replies to the item with the reply's text; or,
//! for a DM, among the conversation's latest events (`GET /2/dm_conversations/:id/dm_events`)
//! one from the brand, newer than the item, with that text. Texts are compared as X shows
//! them: leading `@mentions` X adds to a reply, links (X wraps them in t.co), its `&amp;`
//! escapes and runs of whitespace set aside. The reads are charged to the day's spend.

use super::items::dm_item;
use super::meter::Resource;
use super::payload::{replied_to, text, ListAnswer};
use super::{conversation_path_id, path_id, XConnector, DM_EVENT_FIELDS, TWEET_FIELDS};
use crate::connectors::http::Call;
use crate::connectors::{ConnectorError, Delivered, ReplyRequest};
use crate::model::{Kind, NewItem};

/// The brand's posts (or a conversation's DM events) looked through.
const LOOK_BACK: u32 = 20;

impl XConnector {
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
}
