//! Instagram Graph payloads, read leniently: every field but `id` may be missing (a
//! recording that asked for few fields, a field the token may not see), and ids may come as
//! strings or numbers. Each entry of a list is read on its own, so one bad entry is a
//! [`PayloadProblem`] and the rest of the page still syncs.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::connectors::graph::paging::Paged;
use crate::connectors::PayloadProblem;

/// An IG Media (the account's own, or one that tags it).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Media {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub permalink: Option<String>,
    /// The media owner's username.
    #[serde(default)]
    pub username: Option<String>,
    /// Comments and replies on it.
    #[serde(default)]
    pub comments_count: Option<u64>,
}

/// An IG Comment (a top-level comment or a reply).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Comment {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub from: Option<Person>,
    /// The comment it answers, on a reply.
    #[serde(default)]
    pub parent_id: Option<String>,
    /// The media it is on (asked for on mentioned comments).
    #[serde(default)]
    pub media: Option<MediaRef>,
    /// Its first replies (the `replies{…}` field), with paging.
    #[serde(default)]
    pub replies: Option<Paged>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct MediaRef {
    #[serde(default, deserialize_with = "optional_id")]
    pub id: Option<String>,
}

/// Who wrote a comment or a message: an Instagram-scoped id and a username.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Person {
    #[serde(default, deserialize_with = "optional_id")]
    pub id: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
}

/// A DM conversation with its latest messages (`messages{…}`).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Conversation {
    #[serde(deserialize_with = "id")]
    pub id: String,
    /// ISO 8601 or a Unix timestamp.
    #[serde(default)]
    pub updated_time: Option<Value>,
    #[serde(default)]
    pub messages: Option<Paged>,
}

/// One DM.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Message {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default)]
    pub created_time: Option<String>,
    #[serde(default)]
    pub from: Option<Person>,
    #[serde(default)]
    pub message: Option<String>,
}

/// The answer of a write: `{"id": …}` (a reply) or `{"recipient_id", "message_id"}` (a DM).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Written {
    #[serde(default, deserialize_with = "optional_id")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "optional_id")]
    pub message_id: Option<String>,
    #[serde(default, deserialize_with = "optional_id")]
    pub recipient_id: Option<String>,
}

/// Reads one entry; `what` names the endpoint for the problem.
pub fn entry<T: for<'de> Deserialize<'de>>(value: &Value, what: &str) -> Result<T, PayloadProblem> {
    serde_json::from_value(value.clone()).map_err(|e| {
        PayloadProblem::new(
            format!("{what}: unreadable entry ({e})"),
            &value.to_string(),
        )
    })
}

/// A Graph list, or a problem when the answer is not one.
pub fn list(value: &Value, what: &str) -> Result<Paged, PayloadProblem> {
    entry(value, what)
}

fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match optional_id(d)? {
        Some(id) if !id.is_empty() => Ok(id),
        _ => Err(serde::de::Error::custom("missing id")),
    }
}

fn optional_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_id_is_required() {
        let c: Comment = entry(&json!({"id": 178, "text": "hi"}), "GET /x").unwrap();
        assert_eq!(c.id, "178");
        assert!(c.username.is_none() && c.from.is_none() && c.timestamp.is_none());
        let problem = entry::<Comment>(&json!({"text": "no id"}), "GET /1/comments").unwrap_err();
        assert!(
            problem.reason.contains("GET /1/comments"),
            "{}",
            problem.reason
        );
        assert!(problem.raw.contains("no id"));
        assert!(entry::<Media>(&json!({"id": ""}), "GET /x").is_err());
    }
}
