//! The Graph API objects the Facebook connector reads, leniently: every field is optional
//! (a field the token may not see is simply absent, as in the recorded comments, which carry
//! neither `id` nor `from`), and a value of the wrong type reads as absent rather than losing
//! the whole object. Each entry of a list is read on its own (`read`), so one odd entry is a
//! payload problem and the rest of the page still syncs.
//!
//! Lists come in two shapes: a Graph edge (`{"data": [...], "paging": ...}`) and an `?ids=`
//! lookup (`{"<id>": {...}, ...}`, as the recorded conversations and messages are): [`entries`]
//! reads both.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::connectors::graph::paging::Paged;

/// Reads a payload leniently; `None` when it is not an object of the expected shape.
pub fn read<T: DeserializeOwned>(value: &Value) -> Option<T> {
    if !value.is_object() {
        return None;
    }
    serde_json::from_value(value.clone()).ok()
}

/// A field that reads as `None` when it has the wrong type.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

/// A person or Page (`from`).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Profile {
    #[serde(default, deserialize_with = "lenient")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub name: Option<String>,
}

/// A reference to another object (`parent`).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Ref {
    #[serde(default, deserialize_with = "lenient")]
    pub id: Option<String>,
}

/// A list inside an object (`attachments`).
#[derive(Clone, Debug, Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned"))]
pub struct List<T> {
    #[serde(default = "Vec::new", deserialize_with = "lenient_vec")]
    pub data: Vec<T>,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List { data: Vec::new() }
    }
}

fn lenient_vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    Ok(value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| serde_json::from_value(v.clone()).ok())
                .collect()
        })
        .unwrap_or_default())
}

/// A Page post (`/{page-id}/feed`, `/{page-id}/tagged`, `/{post-id}`).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Post {
    #[serde(default, deserialize_with = "lenient")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub story: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub created_time: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub from: Option<Profile>,
    #[serde(default, deserialize_with = "lenient")]
    pub permalink_url: Option<String>,
}

/// A comment or a reply to one (`/{post-id}/comments`, `/{comment-id}`).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Comment {
    #[serde(default, deserialize_with = "lenient")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub created_time: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub from: Option<Profile>,
    /// The comment answered, for a reply (asked with `filter=stream`).
    #[serde(default, deserialize_with = "lenient")]
    pub parent: Option<Ref>,
    #[serde(default, deserialize_with = "lenient")]
    pub permalink_url: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub attachment: Option<Attachment>,
}

/// A Messenger message (`/{conversation-id}/messages`).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Message {
    #[serde(default, deserialize_with = "lenient")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub created_time: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub from: Option<Profile>,
    #[serde(default, deserialize_with = "lenient")]
    pub attachments: Option<List<Attachment>>,
}

/// A file or media on a message or comment; only what makes a line of text.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Attachment {
    #[serde(default, deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub mime_type: Option<String>,
    /// A comment's attachment: `photo`, `sticker`, `video_inline`, …
    #[serde(default, rename = "type", deserialize_with = "lenient")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub image_data: Option<Media>,
    #[serde(default, deserialize_with = "lenient")]
    pub video_data: Option<Media>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Media {
    #[serde(default, deserialize_with = "lenient")]
    pub url: Option<String>,
}

impl Attachment {
    /// One line naming the attachment: `[image/jpeg: photo.jpg] https://…`.
    pub fn line(&self) -> String {
        let kind = self
            .mime_type
            .as_deref()
            .or(self.kind.as_deref())
            .unwrap_or("attachment");
        let mut line = match self.name.as_deref().filter(|n| !n.is_empty()) {
            Some(name) => format!("[{kind}: {name}]"),
            None => format!("[{kind}]"),
        };
        let url = self
            .url
            .as_deref()
            .or_else(|| self.image_data.as_ref()?.url.as_deref())
            .or_else(|| self.video_data.as_ref()?.url.as_deref());
        if let Some(url) = url {
            line.push(' ');
            line.push_str(url);
        }
        line
    }
}

/// The entries of a list answer, in either shape (see the module doc), and its paging.
pub fn entries(body: &Value) -> Paged {
    if body.get("data").is_some_and(Value::is_array) {
        return serde_json::from_value(body.clone()).unwrap_or_default();
    }
    let data = body
        .as_object()
        .map(|o| o.values().filter(|v| v.is_object()).cloned().collect())
        .unwrap_or_default();
    Paged { data, paging: None }
}

/// The ids in a comment's permalink: `…/posts/<post>/?comment_id=<c>&reply_comment_id=<r>`
/// gives the comment `<post>_<r>` (or `<post>_<c>`) with parent `<post>_<c>` for a reply.
/// Graph comment ids are `<post>_<comment>`, as the recorded single comment shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermalinkIds {
    pub comment: String,
    /// The top-level comment a reply answers.
    pub parent: Option<String>,
}

impl PermalinkIds {
    pub fn of(permalink: &str) -> Option<PermalinkIds> {
        let url = reqwest::Url::parse(permalink).ok()?;
        let mut segments = url.path_segments()?;
        segments.find(|s| *s == "posts")?;
        let post = segments.next().filter(|p| is_number(p))?;
        let param = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .filter(|v| is_number(v))
        };
        let top = param("comment_id")?;
        Some(match param("reply_comment_id") {
            Some(reply) => PermalinkIds {
                comment: format!("{post}_{reply}"),
                parent: Some(format!("{post}_{top}")),
            },
            None => PermalinkIds {
                comment: format!("{post}_{top}"),
                parent: None,
            },
        })
    }
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_types_read_as_absent() {
        let comment: Comment = read(&json!({"id": 5, "message": "hi", "from": "x"})).unwrap();
        assert_eq!(comment.id, None);
        assert_eq!(comment.message.as_deref(), Some("hi"));
        assert!(comment.from.is_none());
        assert!(read::<Comment>(&json!([1])).is_none());
    }

    #[test]
    fn both_list_shapes_are_read() {
        let edge = entries(
            &json!({"data": [{"id": "1"}], "paging": {"cursors": {"after": "a"}, "next": "n"}}),
        );
        assert_eq!(edge.data.len(), 1);
        assert_eq!(edge.next_after(), Some("a"));
        let ids = entries(&json!({"t_1": {"id": "t_1"}, "t_2": {"id": "t_2"}, "odd": 3}));
        assert_eq!(ids.data.len(), 2);
        assert_eq!(ids.next_after(), None);
    }

    #[test]
    fn permalinks_give_comment_and_parent_ids() {
        let top = PermalinkIds::of(
            "https://www.facebook.com/19292868552/posts/10158407654328553/?comment_id=10158407835073553",
        )
        .unwrap();
        assert_eq!(top.comment, "10158407654328553_10158407835073553");
        assert_eq!(top.parent, None);
        let reply = PermalinkIds::of("https://www.facebook.com/19292868552/posts/10158407654328553/?comment_id=10158407903973553&reply_comment_id=10158409983033553").unwrap();
        assert_eq!(reply.comment, "10158407654328553_10158409983033553");
        assert_eq!(
            reply.parent.as_deref(),
            Some("10158407654328553_10158407903973553")
        );
        assert!(PermalinkIds::of("https://www.facebook.com/1/posts/2/").is_none());
        assert!(PermalinkIds::of("https://x/1/posts/2/?comment_id=../3").is_none());
        assert!(PermalinkIds::of("not a url").is_none());
    }

    #[test]
    fn attachments_make_a_line() {
        let a: Attachment = read(&json!({"mime_type": "image/jpeg", "name": "p.jpg",
            "image_data": {"url": "https://cdn.example/p.jpg"}}))
        .unwrap();
        assert_eq!(a.line(), "[image/jpeg: p.jpg] https://cdn.example/p.jpg");
        assert_eq!(Attachment::default().line(), "[attachment]");
    }
}
