//! The Bluesky payloads the connector reads, as tolerant serde types: every field is
//! optional or defaulted, and a field of the wrong shape reads as absent instead of failing
//! the whole object (`lenient`), so one odd notification or post keeps what can be read.
//! Whether what is left is enough to make an item is `items`' call.

use serde::de::{DeserializeOwned, Deserializer};
use serde::Deserialize;
use serde_json::Value;

/// A field that reads as its default when it has the wrong shape.
fn lenient<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    let value = Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).unwrap_or_default())
}

/// `app.bsky.notification.listNotifications`' answer. `notifications` stays raw: each is
/// read on its own, so a bad one is a problem and not a lost page.
#[derive(Debug, Deserialize)]
pub struct NotificationPage {
    pub notifications: Vec<Value>,
    #[serde(default, deserialize_with = "lenient")]
    pub cursor: Option<String>,
}

/// `app.bsky.notification.listNotifications#notification`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Notification {
    #[serde(deserialize_with = "lenient")]
    pub uri: String,
    #[serde(deserialize_with = "lenient")]
    pub cid: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub author: Profile,
    #[serde(deserialize_with = "lenient")]
    pub reason: String,
    #[serde(deserialize_with = "lenient")]
    pub reason_subject: Option<String>,
    pub record: Value,
    #[serde(deserialize_with = "lenient")]
    pub indexed_at: Option<String>,
}

/// `app.bsky.actor.defs#profileViewBasic` (and `#profileView`): who wrote it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Profile {
    #[serde(deserialize_with = "lenient")]
    pub did: String,
    #[serde(deserialize_with = "lenient")]
    pub handle: String,
    #[serde(deserialize_with = "lenient")]
    pub display_name: Option<String>,
    /// The viewer's relation to them (`muted`, `blocking`), where the view carries it.
    #[serde(deserialize_with = "lenient")]
    pub viewer: Option<ViewerState>,
}

/// `app.bsky.actor.defs#viewerState`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ViewerState {
    #[serde(deserialize_with = "lenient")]
    pub muted: bool,
    /// The URI of our block record, when we block them.
    #[serde(deserialize_with = "lenient")]
    pub blocking: Option<String>,
}

/// An `app.bsky.feed.post` record.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct PostRecord {
    #[serde(rename = "$type", deserialize_with = "lenient")]
    pub record_type: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub text: String,
    #[serde(deserialize_with = "lenient")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient")]
    pub langs: Vec<String>,
    #[serde(deserialize_with = "lenient")]
    pub reply: Option<ReplyRef>,
    #[serde(deserialize_with = "lenient")]
    pub facets: Vec<Value>,
    pub embed: Option<Value>,
}

impl PostRecord {
    pub const TYPE: &'static str = "app.bsky.feed.post";

    /// Reads a record; `None` when it is not an object or says it is something else than a
    /// post. A record without `$type` is taken for a post (views sometimes omit it).
    pub fn read(record: &Value) -> Option<PostRecord> {
        if !record.is_object() {
            return None;
        }
        let post: PostRecord = serde_json::from_value(record.clone()).ok()?;
        match post.record_type.as_deref() {
            None | Some(Self::TYPE) => Some(post),
            Some(_) => None,
        }
    }

    /// The DIDs the post's facets mention.
    pub fn mentioned_dids(&self) -> impl Iterator<Item = &str> {
        self.facets
            .iter()
            .filter_map(|f| f.get("features")?.as_array())
            .flatten()
            .filter(|f| f["$type"] == "app.bsky.richtext.facet#mention")
            .filter_map(|f| f.get("did")?.as_str())
    }

    /// The URI of the post it quotes (`app.bsky.embed.record`, or with media).
    pub fn quoted_uri(&self) -> Option<&str> {
        let embed = self.embed.as_ref()?;
        let record = match embed["$type"].as_str()? {
            "app.bsky.embed.record" => &embed["record"],
            "app.bsky.embed.recordWithMedia" => &embed["record"]["record"],
            _ => return None,
        };
        record["uri"].as_str()
    }
}

/// `app.bsky.feed.post#replyRef`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct ReplyRef {
    pub root: StrongRef,
    pub parent: StrongRef,
}

/// `com.atproto.repo.strongRef`: a record at one version.
#[derive(Clone, Debug, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
pub struct StrongRef {
    pub uri: String,
    pub cid: String,
}

/// `app.bsky.feed.defs#postView`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PostView {
    #[serde(deserialize_with = "lenient")]
    pub uri: String,
    #[serde(deserialize_with = "lenient")]
    pub cid: String,
    #[serde(deserialize_with = "lenient")]
    pub author: Profile,
    pub record: Value,
    #[serde(deserialize_with = "lenient")]
    pub indexed_at: Option<String>,
}

/// `app.bsky.feed.getPosts`' answer.
#[derive(Debug, Deserialize)]
pub struct Posts {
    #[serde(default)]
    pub posts: Vec<PostView>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_shapes_read_as_absent_and_the_rest_is_kept() {
        let n: Notification = serde_json::from_value(json!({
            "uri": "at://did:plc:a/app.bsky.feed.post/3k",
            "cid": 42,
            "author": { "did": "did:plc:a", "handle": ["x"], "displayName": "Ann" },
            "reason": "mention",
            "record": { "text": "hi", "langs": "fr", "createdAt": "2026-11-22T16:12:25.381Z" },
            "indexedAt": null,
        }))
        .unwrap();
        assert_eq!(n.cid, None);
        assert_eq!(n.author.handle, "");
        assert_eq!(n.author.display_name.as_deref(), Some("Ann"));
        let post = PostRecord::read(&n.record).unwrap();
        assert_eq!((post.text.as_str(), post.langs.len()), ("hi", 0));
        assert_eq!(
            PostRecord::read(&json!({ "$type": "app.bsky.feed.like" })),
            None
        );
        assert_eq!(PostRecord::read(&json!("text")), None);
    }

    #[test]
    fn quotes_and_mentions_are_found() {
        let post = PostRecord::read(&json!({
            "text": "look",
            "facets": [{ "index": { "byteStart": 0, "byteEnd": 4 },
                "features": [{ "$type": "app.bsky.richtext.facet#mention", "did": "did:plc:b" }] }],
            "embed": { "$type": "app.bsky.embed.recordWithMedia",
                "record": { "record": { "uri": "at://did:plc:b/app.bsky.feed.post/1", "cid": "c" } } },
        }))
        .unwrap();
        assert_eq!(post.mentioned_dids().collect::<Vec<_>>(), ["did:plc:b"]);
        assert_eq!(
            post.quoted_uri(),
            Some("at://did:plc:b/app.bsky.feed.post/1")
        );
    }
}
