//! X posts and DM events → [`NewItem`]s.
//!
//! Kinds: a DM event is a `Dm` in its `dm_conversation_id` thread. A post is a `Comment`
//! when it is the brand's own, when it answers the brand (`in_reply_to_user_id`), or when it
//! is in the conversation of one of the brand's recent posts; any other post naming the
//! brand is a `Mention`. The thread is the post's `conversation_id` (the conversation's first
//! post), the parent its `replied_to` reference.
//!
//! Missing optional fields still make items: without `created_at` the time is the one X
//! writes into every post and event id (a snowflake: milliseconds since 2010-11-04 in the
//! high bits), so a re-sync gives the same time and the queue order is the real one; only an
//! id that is not a snowflake falls back to the time it was read. Without `author_id` the
//! author is left empty (unknown: nothing is made up), without `conversation_id` the post is
//! its own thread, without `lang` (or with X's `und`, `zxx`, `qme`...) there is no language.
//! A post or event without an id cannot be an item: it is a [`PayloadProblem`], raw kept.
//! The text is kept exactly as received.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::payload::{replied_to, text, User};
use crate::connectors::PayloadProblem;
use crate::model::{Author, Kind, NewItem, Platform};

/// X's epoch in the snowflake ids: 2010-11-04T01:42:54.657Z.
const SNOWFLAKE_EPOCH_MS: i64 = 1_288_834_974_657;

/// What turning a payload into an item needs to know of the account.
#[derive(Clone, Copy, Debug)]
pub struct Placing<'a> {
    pub account: &'a str,
    /// The brand's X user id.
    pub brand_id: &'a str,
    /// The conversations of the brand's recent posts (their ids).
    pub brand_conversations: &'a [String],
    /// When the payload was read: the fallback time.
    pub now: DateTime<Utc>,
}

/// The time in an X id, if it is a snowflake.
pub fn snowflake_time(id: &str) -> Option<DateTime<Utc>> {
    let id: u64 = id.parse().ok()?;
    let millis = i64::try_from(id >> 22).ok()? + SNOWFLAKE_EPOCH_MS;
    DateTime::from_timestamp_millis(millis)
}

/// A post as an item.
pub fn tweet_item(
    tweet: &Value,
    users: &HashMap<String, User>,
    placing: &Placing<'_>,
) -> Result<NewItem, PayloadProblem> {
    let id = required_id(tweet, "post")?;
    let author_id = text(tweet, "author_id").unwrap_or_default();
    let conversation = text(tweet, "conversation_id").filter(|c| !c.is_empty());
    let from_brand = !author_id.is_empty() && author_id == placing.brand_id;
    let answers_brand = text(tweet, "in_reply_to_user_id").as_deref() == Some(placing.brand_id);
    let in_brand_conversation = conversation
        .as_ref()
        .is_some_and(|c| placing.brand_conversations.contains(c));
    let kind = if from_brand || answers_brand || in_brand_conversation {
        Kind::Comment
    } else {
        Kind::Mention
    };
    let author = author(&author_id, users);
    let url = format!(
        "https://x.com/{}/status/{id}",
        if author.handle.is_empty() {
            "i"
        } else {
            &author.handle
        }
    );
    Ok(NewItem {
        platform: Platform::X,
        account: placing.account.to_string(),
        kind,
        thread_id: Some(conversation.unwrap_or_else(|| id.clone())),
        parent_id: replied_to(tweet),
        author,
        text: text(tweet, "text").unwrap_or_default(),
        lang: language(tweet),
        created_at: time(tweet, &id, placing.now),
        url: Some(url),
        from_brand,
        raw: Some(tweet.clone()),
        remote_id: id,
        status: None,
        priority: None,
        tags: Default::default(),
        assignee: None,
    })
}

/// A DM event as an item; `None` for events that are not messages (joins, leaves).
pub fn dm_item(
    event: &Value,
    users: &HashMap<String, User>,
    placing: &Placing<'_>,
) -> Option<Result<NewItem, PayloadProblem>> {
    let kind = text(event, "event_type");
    if kind.as_deref().is_some_and(|k| k != "MessageCreate") {
        return None;
    }
    let id = match required_id(event, "DM event") {
        Ok(id) => id,
        Err(problem) => return Some(Err(problem)),
    };
    let sender = text(event, "sender_id").unwrap_or_default();
    let thread = text(event, "dm_conversation_id")
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| one_to_one(&sender, placing.brand_id).unwrap_or_else(|| id.clone()));
    Some(Ok(NewItem {
        platform: Platform::X,
        account: placing.account.to_string(),
        kind: Kind::Dm,
        thread_id: Some(thread),
        parent_id: None,
        author: author(&sender, users),
        text: text(event, "text").unwrap_or_default(),
        lang: None,
        created_at: time(event, &id, placing.now),
        url: None,
        from_brand: !sender.is_empty() && sender == placing.brand_id,
        raw: Some(event.clone()),
        remote_id: id,
        status: None,
        priority: None,
        tags: Default::default(),
        assignee: None,
    }))
}

/// X's id of a one-to-one DM conversation: the two user ids, smaller first.
fn one_to_one(sender: &str, brand: &str) -> Option<String> {
    if sender.is_empty() || sender == brand {
        return None;
    }
    let (a, b): (u64, u64) = (sender.parse().ok()?, brand.parse().ok()?);
    Some(format!("{}-{}", a.min(b), a.max(b)))
}

fn required_id(value: &Value, what: &str) -> Result<String, PayloadProblem> {
    text(value, "id")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| PayloadProblem::new(format!("{what} without an id"), &value.to_string()))
}

fn author(id: &str, users: &HashMap<String, User>) -> Author {
    let user = users.get(id);
    Author {
        id: id.to_string(),
        handle: user.and_then(|u| u.username.clone()).unwrap_or_default(),
        name: user.and_then(|u| u.name.clone()).unwrap_or_default(),
    }
}

fn time(value: &Value, id: &str, now: DateTime<Utc>) -> DateTime<Utc> {
    text(value, "created_at")
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
        .or_else(|| snowflake_time(id))
        .unwrap_or(now)
}

/// The post's language, unless X says it has none (`und`, `zxx`, `qme`, `qht`, ...).
fn language(tweet: &Value) -> Option<String> {
    let lang = text(tweet, "lang")?;
    let none = lang.is_empty() || lang == "und" || lang == "zxx" || lang.starts_with('q');
    (!none).then_some(lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn placing(conversations: &[String]) -> Placing<'_> {
        Placing {
            account: "acme-x",
            brand_id: "100",
            brand_conversations: conversations,
            now: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn snowflakes_carry_their_time() {
        // Recorded 2022-10-07 (its x-rate-limit-reset is 22:53:48 that day).
        let t = snowflake_time("1578516295611748353").unwrap();
        assert_eq!(t.to_rfc3339(), "2022-10-07T22:43:06.945+00:00");
        assert_eq!(snowflake_time("not-a-number"), None);
    }

    #[test]
    fn a_reply_to_the_brand_is_a_comment_and_other_mentions_are_mentions() {
        let users = HashMap::new();
        let reply = json!({"id": "5", "author_id": "7", "in_reply_to_user_id": "100",
            "conversation_id": "3", "referenced_tweets": [{"type": "replied_to", "id": "3"}],
            "text": "@acme broken", "lang": "en", "created_at": "2026-11-23T06:00:00.000Z"});
        let item = tweet_item(&reply, &users, &placing(&[])).unwrap();
        assert_eq!(item.kind, Kind::Comment);
        assert_eq!(item.thread_id.as_deref(), Some("3"));
        assert_eq!(item.parent_id.as_deref(), Some("3"));
        assert_eq!(item.lang.as_deref(), Some("en"));
        assert_eq!(item.created_at.to_rfc3339(), "2026-11-23T06:00:00+00:00");
        let deeper = json!({"id": "6", "author_id": "8", "in_reply_to_user_id": "7",
            "conversation_id": "3", "text": "@7 @acme same"});
        let conversations = ["3".to_string()];
        let item = tweet_item(&deeper, &users, &placing(&conversations)).unwrap();
        assert_eq!(item.kind, Kind::Comment, "in the brand's conversation");
        let mention = json!({"id": "9", "text": "hey @acme", "lang": "und"});
        let item = tweet_item(&mention, &users, &placing(&[])).unwrap();
        assert_eq!(item.kind, Kind::Mention);
        assert_eq!(item.thread_id.as_deref(), Some("9"));
        assert_eq!(item.lang, None);
        assert_eq!(item.author, Author::default());
        assert_eq!(item.url.as_deref(), Some("https://x.com/i/status/9"));
    }

    #[test]
    fn a_dm_event_is_a_dm_in_its_conversation_and_the_brand_s_own_are_from_the_brand() {
        let mut users = HashMap::new();
        users.insert(
            "7".to_string(),
            User {
                id: "7".into(),
                username: Some("claire".into()),
                name: Some("Claire".into()),
            },
        );
        let event = json!({"id": "20", "event_type": "MessageCreate", "sender_id": "7",
            "dm_conversation_id": "7-100", "text": "where is my order"});
        let item = dm_item(&event, &users, &placing(&[])).unwrap().unwrap();
        assert_eq!((item.kind, item.from_brand), (Kind::Dm, false));
        assert_eq!(item.thread_id.as_deref(), Some("7-100"));
        assert_eq!(item.author.handle, "claire");
        let ours = json!({"id": "21", "event_type": "MessageCreate", "sender_id": "100",
            "dm_conversation_id": "7-100", "text": "on its way"});
        assert!(
            dm_item(&ours, &users, &placing(&[]))
                .unwrap()
                .unwrap()
                .from_brand
        );
        let bare = json!({"id": "22", "sender_id": "150", "text": "hi"});
        let item = dm_item(&bare, &users, &placing(&[])).unwrap().unwrap();
        assert_eq!(item.thread_id.as_deref(), Some("100-150"));
        let join = json!({"id": "23", "event_type": "ParticipantsJoin"});
        assert!(dm_item(&join, &users, &placing(&[])).is_none());
        let no_id = json!({"event_type": "MessageCreate", "text": "?"});
        assert!(dm_item(&no_id, &users, &placing(&[])).unwrap().is_err());
    }
}
