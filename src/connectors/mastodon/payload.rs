//! The Mastodon entities the connector reads (notification, status, account, conversation,
//! context), as lenient serde types: every field is optional, a field of the wrong type
//! reads as missing, unknown fields are ignored and unknown enum values are kept as text.
//! One odd field never costs the whole status; what is needed and missing is decided by the
//! caller (`items`), which keeps the raw JSON next to what it could read.

use serde::de::{DeserializeOwned, Deserializer};
use serde::Deserialize;
use serde_json::Value;

/// `GET /api/v1/notifications` entries.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Notification {
    #[serde(default, deserialize_with = "string")]
    pub id: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "string")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub created_at: Option<String>,
    /// Kept as JSON: it becomes the item's raw payload as received.
    #[serde(default)]
    pub status: Option<Value>,
}

/// A status (a post, a reply, a DM).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Status {
    #[serde(default, deserialize_with = "string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub in_reply_to_id: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub in_reply_to_account_id: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub visibility: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub language: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub uri: Option<String>,
    /// The HTML body.
    #[serde(default, deserialize_with = "string")]
    pub content: Option<String>,
    /// The source text: only in the answer to a delete (then there is no `content`).
    #[serde(default, deserialize_with = "string")]
    pub text: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub spoiler_text: Option<String>,
    #[serde(default, deserialize_with = "object")]
    pub account: Option<Account>,
    #[serde(default, deserialize_with = "list")]
    pub mentions: Vec<Mention>,
    #[serde(default, deserialize_with = "list")]
    pub media_attachments: Vec<Attachment>,
}

/// Who may see a status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visibility {
    Public,
    Unlisted,
    Private,
    Direct,
    /// A value this connector does not know (forks have `local`, `limited`, …).
    Other(String),
}

impl Visibility {
    /// Read from a status; a missing value is `public`, Mastodon's default.
    pub fn of(status: &Status) -> Visibility {
        match status.visibility.as_deref().unwrap_or("public") {
            "public" => Visibility::Public,
            "unlisted" => Visibility::Unlisted,
            "private" => Visibility::Private,
            "direct" => Visibility::Direct,
            other => Visibility::Other(other.to_string()),
        }
    }

    /// The value to post a reply with. An unknown audience is answered followers-only
    /// (`private`): the person answered still sees it, and it reaches no one new.
    pub fn as_param(&self) -> &str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private | Visibility::Other(_) => "private",
            Visibility::Direct => "direct",
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Account {
    #[serde(default, deserialize_with = "string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub username: Option<String>,
    /// `alice` for a local account, `alice@other.example` for a remote one.
    #[serde(default, deserialize_with = "string")]
    pub acct: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub display_name: Option<String>,
}

impl Account {
    /// The handle without a leading `@`: `acct`, else `username`.
    pub fn handle(&self) -> String {
        self.acct
            .as_deref()
            .or(self.username.as_deref())
            .unwrap_or_default()
            .trim_start_matches('@')
            .to_string()
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Mention {
    #[serde(default, deserialize_with = "string")]
    pub id: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Attachment {
    #[serde(default, rename = "type", deserialize_with = "string")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub description: Option<String>,
}

/// `GET /api/v1/conversations` entries.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Conversation {
    #[serde(default, deserialize_with = "string")]
    pub id: Option<String>,
    #[serde(default)]
    pub last_status: Option<Value>,
}

/// `GET /api/v1/statuses/:id/context`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Context {
    #[serde(default, deserialize_with = "values")]
    pub ancestors: Vec<Value>,
    #[serde(default, deserialize_with = "values")]
    pub descendants: Vec<Value>,
}

/// Reads `T` from a JSON value leniently (`None` unless it is an object).
pub fn read<T: DeserializeOwned>(value: &Value) -> Option<T> {
    if !value.is_object() {
        return None;
    }
    T::deserialize(value).ok()
}

/// A string field: numbers are written out (some servers send numeric ids), anything else
/// (null, a list, an object) reads as missing.
fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn object<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    Ok(read(&Value::deserialize(d)?))
}

/// A list field: entries that cannot be read are left out; a non-list reads as empty.
fn list<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(values(d)?.iter().filter_map(read).collect())
}

fn values<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Value>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items,
        _ => Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn odd_fields_read_as_missing_and_the_rest_survives() {
        let value = json!({
            "id": 117020577157693549u64,
            "visibility": "limited",
            "content": ["not", "html"],
            "account": "nobody",
            "mentions": [{"id": "1", "acct": "brand"}, 42, {"id": null}],
            "media_attachments": {"oops": true},
            "in_reply_to_id": null,
            "brand_new_field": {"x": 1},
        });
        let status: Status = read(&value).unwrap();
        assert_eq!(status.id.as_deref(), Some("117020577157693549"));
        assert_eq!(Visibility::of(&status), Visibility::Other("limited".into()));
        assert_eq!(Visibility::of(&status).as_param(), "private");
        assert_eq!(status.content, None);
        assert!(status.account.is_none());
        assert_eq!(status.mentions.len(), 2);
        assert_eq!(status.mentions[0].id.as_deref(), Some("1"));
        assert_eq!(status.mentions[1].id, None);
        assert!(status.media_attachments.is_empty());
        assert_eq!(Visibility::of(&Status::default()), Visibility::Public);
    }

    #[test]
    fn non_objects_are_not_entities() {
        assert!(read::<Status>(&json!("status")).is_none());
        assert!(read::<Notification>(&json!(null)).is_none());
        let n: Notification = read(&json!({"id": "5", "type": "mention"})).unwrap();
        assert_eq!(
            (n.id.as_deref(), n.kind.as_deref()),
            (Some("5"), Some("mention"))
        );
        assert!(n.status.is_none());
        let c: Context = read(&json!({"ancestors": 3, "descendants": [{}, 1]})).unwrap();
        assert_eq!((c.ancestors.len(), c.descendants.len()), (0, 2));
    }

    #[test]
    fn handles_come_from_acct_or_username() {
        let a: Account =
            read(&json!({"acct": "alice@other.example", "username": "alice"})).unwrap();
        assert_eq!(a.handle(), "alice@other.example");
        let b: Account = read(&json!({"username": "bob"})).unwrap();
        assert_eq!(b.handle(), "bob");
    }
}
