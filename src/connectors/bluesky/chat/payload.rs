//! The chat service's payloads, read tolerantly: every list is first taken as raw JSON
//! values, then each member is read on its own by its `$type`, so one odd member (a union
//! member added after this was written, a message view missing a field) costs that member
//! only, never the page.
//!
//! Shapes follow `chat.bsky.convo.defs` (`messageView`, `deletedMessageView`,
//! `systemMessageView`, `convoView`, the `log*` entries) and
//! `chat.bsky.actor.defs#profileViewBasic`.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

/// The namespace every union member of the chat lexicons lives in.
const DEFS: &str = "chat.bsky.convo.defs";

/// The short name of a union member (`messageView` for
/// `chat.bsky.convo.defs#messageView`); `None` without a `$type`. Members from other
/// namespaces keep their full name, so they never match a short one.
pub fn member_type(value: &Value) -> Option<&str> {
    let full = value.get("$type")?.as_str()?;
    Some(
        full.strip_prefix(DEFS)
            .and_then(|rest| rest.strip_prefix('#'))
            .unwrap_or(full),
    )
}

/// `chat.bsky.actor.defs#profileViewBasic`, the parts used here.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Profile {
    pub did: String,
    #[serde(default)]
    pub handle: String,
    #[serde(default, rename = "displayName")]
    pub display_name: Option<String>,
}

/// Profiles from a list, skipping any that do not read (they only add handles).
pub fn profiles(values: &[Value]) -> Vec<Profile> {
    values
        .iter()
        .filter_map(|v| Profile::deserialize(v).ok())
        .collect()
}

/// `#messageView`, the parts used here.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageView {
    pub id: String,
    pub rev: String,
    pub text: String,
    pub sender: String,
    pub sent_at: DateTime<Utc>,
    /// The id of the message it answers (`replyTo`, when that is a readable view).
    pub reply_to: Option<String>,
    /// The view as received.
    pub raw: Value,
}

#[derive(Deserialize)]
struct RawMessageView {
    id: String,
    rev: String,
    text: String,
    sender: RawSender,
    #[serde(rename = "sentAt")]
    sent_at: String,
    #[serde(default, rename = "replyTo")]
    reply_to: Option<Value>,
}

#[derive(Deserialize)]
struct RawSender {
    did: String,
}

/// One member of a `messages` list or a log entry's `message`.
#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    View(MessageView),
    /// `#deletedMessageView`: the text is gone; nothing to show.
    Deleted {
        id: String,
    },
    /// `#systemMessageView` (members added, convo locked...): not a customer's words.
    System,
    /// A member this client does not know (a newer lexicon): skipped.
    Other(String),
}

/// Reads one message union member. `Err` names what is wrong with a member that claims
/// to be a message view (or has no `$type` at all).
pub fn message(value: &Value) -> Result<Message, String> {
    match member_type(value) {
        Some("messageView") => message_view(value).map(Message::View),
        Some("deletedMessageView") => Ok(Message::Deleted {
            id: str_field(value, "id").unwrap_or_default(),
        }),
        Some("systemMessageView") => Ok(Message::System),
        Some(other) => Ok(Message::Other(other.to_string())),
        None => Err("a message without $type".into()),
    }
}

/// Reads a `#messageView` (a union member or a plain `ref`, as `sendMessage` answers).
pub fn message_view(value: &Value) -> Result<MessageView, String> {
    let raw = RawMessageView::deserialize(value).map_err(|e| format!("messageView: {e}"))?;
    let sent_at = DateTime::parse_from_rfc3339(&raw.sent_at)
        .map_err(|e| format!("messageView {}: sentAt '{}': {e}", raw.id, raw.sent_at))?
        .with_timezone(&Utc);
    let reply_to = raw.reply_to.as_ref().and_then(|r| {
        (member_type(r) == Some("messageView") || member_type(r) == Some("deletedMessageView"))
            .then(|| str_field(r, "id"))
            .flatten()
    });
    Ok(MessageView {
        id: raw.id,
        rev: raw.rev,
        text: raw.text,
        sender: raw.sender.did,
        sent_at,
        reply_to,
        raw: value.clone(),
    })
}

/// One `getLog` entry.
#[derive(Clone, Debug, PartialEq)]
pub enum LogEntry {
    /// `#logCreateMessage`: a message, with the profiles it refers to.
    CreateMessage {
        rev: String,
        convo_id: String,
        message: Message,
        profiles: Vec<Profile>,
    },
    /// Any other entry (begin, accept, leave, mute, delete, read, reactions, group
    /// events, and kinds this client does not know): it only moves the cursor.
    Other { rev: String, kind: String },
}

/// Reads one log entry. `Err`: the entry cannot be placed at all (no `rev`), or it is a
/// `#logCreateMessage` that does not read.
pub fn log_entry(value: &Value) -> Result<LogEntry, String> {
    let kind = member_type(value).unwrap_or("(no $type)").to_string();
    let rev = str_field(value, "rev").ok_or_else(|| format!("log entry {kind} without rev"))?;
    if kind != "logCreateMessage" {
        return Ok(LogEntry::Other { rev, kind });
    }
    let convo_id = str_field(value, "convoId")
        .ok_or_else(|| format!("logCreateMessage {rev} without convoId"))?;
    let message = value
        .get("message")
        .ok_or_else(|| format!("logCreateMessage {rev} without message"))
        .and_then(|m| message(m).map_err(|e| format!("logCreateMessage {rev}: {e}")))?;
    let related = value
        .get("relatedProfiles")
        .and_then(Value::as_array)
        .map(|list| profiles(list))
        .unwrap_or_default();
    Ok(LogEntry::CreateMessage {
        rev,
        convo_id,
        message,
        profiles: related,
    })
}

/// `#convoView`, the parts used here.
#[derive(Clone, Debug, PartialEq)]
pub struct Convo {
    pub id: String,
    pub members: Vec<Profile>,
}

pub fn convo(value: &Value) -> Result<Convo, String> {
    let id = str_field(value, "id").ok_or("convoView without id")?;
    let members = value
        .get("members")
        .and_then(Value::as_array)
        .map(|list| profiles(list))
        .unwrap_or_default();
    Ok(Convo { id, members })
}

/// A `listConvos` answer, its convos raw.
#[derive(Debug, Deserialize)]
pub struct ConvosPage {
    #[serde(default)]
    pub cursor: Option<String>,
    pub convos: Vec<Value>,
}

/// A `getMessages` answer, its messages raw (newest first).
#[derive(Debug, Deserialize)]
pub struct MessagesPage {
    #[serde(default)]
    pub cursor: Option<String>,
    pub messages: Vec<Value>,
    #[serde(default, rename = "relatedProfiles")]
    pub related_profiles: Vec<Value>,
}

/// A `getLog` answer, its entries raw (oldest first).
#[derive(Debug, Deserialize)]
pub struct LogPage {
    #[serde(default)]
    pub cursor: Option<String>,
    pub logs: Vec<Value>,
}

fn str_field(value: &Value, name: &str) -> Option<String> {
    value.get(name)?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn view(id: &str) -> Value {
        json!({
            "$type": "chat.bsky.convo.defs#messageView",
            "id": id, "rev": "222", "text": "hello",
            "sender": {"did": "did:plc:alice"},
            "sentAt": "2026-05-01T10:00:00.000Z"
        })
    }

    #[test]
    fn messages_read_by_type() {
        let Message::View(v) = message(&view("m1")).unwrap() else {
            panic!("a view")
        };
        assert_eq!((v.id.as_str(), v.sender.as_str()), ("m1", "did:plc:alice"));
        assert_eq!(v.sent_at.to_rfc3339(), "2026-05-01T10:00:00+00:00");
        let deleted = json!({"$type": "chat.bsky.convo.defs#deletedMessageView", "id": "m2",
            "rev": "1", "sender": {"did": "did:plc:a"}, "sentAt": "2026-05-01T10:00:00Z"});
        assert_eq!(
            message(&deleted).unwrap(),
            Message::Deleted { id: "m2".into() }
        );
        let future = json!({"$type": "chat.bsky.convo.defs#pollView", "id": "m3"});
        assert_eq!(message(&future).unwrap(), Message::Other("pollView".into()));
        let foreign = json!({"$type": "com.example.defs#messageView"});
        assert!(matches!(message(&foreign).unwrap(), Message::Other(_)));
        assert!(message(&json!({"id": "m4"})).is_err());
    }

    #[test]
    fn a_broken_view_names_the_problem() {
        let mut broken = view("m1");
        broken["sentAt"] = json!("yesterday");
        let err = message(&broken).unwrap_err();
        assert!(err.contains("sentAt 'yesterday'"), "{err}");
        broken.as_object_mut().unwrap().remove("sender");
        assert!(message(&broken).unwrap_err().contains("sender"));
    }

    #[test]
    fn replies_point_at_their_parent() {
        let mut reply = view("m2");
        reply["replyTo"] = view("m1");
        let Message::View(v) = message(&reply).unwrap() else {
            panic!("a view")
        };
        assert_eq!(v.reply_to.as_deref(), Some("m1"));
        reply["replyTo"] =
            json!({"$type": "chat.bsky.convo.defs#messageBeforeUserJoinedGroupView"});
        let Message::View(v) = message(&reply).unwrap() else {
            panic!("a view")
        };
        assert_eq!(v.reply_to, None);
    }

    #[test]
    fn log_entries() {
        let create = json!({"$type": "chat.bsky.convo.defs#logCreateMessage", "rev": "5",
            "convoId": "c1", "message": view("m1"),
            "relatedProfiles": [{"did": "did:plc:alice", "handle": "alice.test"}, {"bad": 1}]});
        let LogEntry::CreateMessage {
            rev,
            convo_id,
            profiles,
            ..
        } = log_entry(&create).unwrap()
        else {
            panic!("a message")
        };
        assert_eq!((rev.as_str(), convo_id.as_str()), ("5", "c1"));
        assert_eq!(profiles.len(), 1);
        let begin =
            json!({"$type": "chat.bsky.convo.defs#logBeginConvo", "rev": "6", "convoId": "c1"});
        assert_eq!(
            log_entry(&begin).unwrap(),
            LogEntry::Other {
                rev: "6".into(),
                kind: "logBeginConvo".into()
            }
        );
        let unknown = json!({"$type": "chat.bsky.convo.defs#logSomethingNew", "rev": "7"});
        assert!(matches!(
            log_entry(&unknown).unwrap(),
            LogEntry::Other { .. }
        ));
        assert!(log_entry(&json!({"$type": "x"})).is_err());
        let no_message =
            json!({"$type": "chat.bsky.convo.defs#logCreateMessage", "rev": "8", "convoId": "c"});
        assert!(log_entry(&no_message)
            .unwrap_err()
            .contains("without message"));
    }
}
