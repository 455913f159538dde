//! The YouTube Data API v3 payloads the connector reads: comment threads, comments, list
//! answers and error bodies. Every field is optional (payloads are untrusted and partial
//! answers are common: `videoId` is absent on a channel's own discussion, `replies` when a
//! thread has none); what an item cannot do without is checked in `items`.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

/// Reads a payload leniently: `None` when it is not the expected shape at all.
pub fn read<T: DeserializeOwned>(raw: &Value) -> Option<T> {
    serde_json::from_value(raw.clone()).ok()
}

/// A `commentThreadListResponse` or `commentListResponse`: the items are kept raw, so one
/// unreadable item becomes a problem and the rest of the page still syncs.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct List {
    #[serde(default)]
    pub items: Vec<Value>,
    #[serde(default)]
    pub next_page_token: Option<String>,
}

/// A `commentThread`: its id is the top-level comment's id.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Thread {
    pub id: Option<String>,
    #[serde(default)]
    pub snippet: ThreadSnippet,
    #[serde(default)]
    pub replies: Replies,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadSnippet {
    pub channel_id: Option<String>,
    pub video_id: Option<String>,
    pub top_level_comment: Option<Value>,
    pub total_reply_count: Option<u64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Replies {
    #[serde(default)]
    pub comments: Vec<Value>,
}

/// A `comment` (top-level or reply).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    pub id: Option<String>,
    #[serde(default)]
    pub snippet: CommentSnippet,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentSnippet {
    pub author_display_name: Option<String>,
    pub author_channel_id: Option<ChannelRef>,
    pub channel_id: Option<String>,
    pub video_id: Option<String>,
    pub parent_id: Option<String>,
    pub text_original: Option<String>,
    pub text_display: Option<String>,
    pub moderation_status: Option<String>,
    pub published_at: Option<String>,
    pub updated_at: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ChannelRef {
    pub value: Option<String>,
}

impl Comment {
    /// The author's channel id.
    pub fn author(&self) -> Option<&str> {
        self.snippet.author_channel_id.as_ref()?.value.as_deref()
    }

    /// The plain text: `textOriginal` (what the author typed), else `textDisplay`.
    pub fn text(&self) -> Option<&str> {
        let s = &self.snippet;
        s.text_original.as_deref().or(s.text_display.as_deref())
    }
}

/// Google's error body: `{"error": {"code", "message", "errors": [{"reason", ...}]}}`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ErrorBody {
    pub error: Option<ErrorDetail>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ErrorDetail {
    pub code: Option<u16>,
    pub message: Option<String>,
    #[serde(default)]
    pub errors: Vec<ErrorReason>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ErrorReason {
    pub reason: Option<String>,
    pub message: Option<String>,
}

impl ErrorDetail {
    /// The first machine-readable reason (`quotaExceeded`, `commentsDisabled`, …).
    pub fn reason(&self) -> Option<&str> {
        self.errors.iter().find_map(|e| e.reason.as_deref())
    }

    /// The human message: the error's own, else its first reason's.
    pub fn message(&self) -> Option<&str> {
        self.message
            .as_deref()
            .or_else(|| self.errors.iter().find_map(|e| e.message.as_deref()))
    }
}
