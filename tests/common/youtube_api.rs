//! A little YouTube channel on a loopback [`FakeApi`], built from the recorded real answers
//! in `../shared/fixtures/youtube/` (read in place), for the connector tests and the
//! end-to-end sync: [`start_youtube_world`].
//!
//! The channel `UCa-vrCLQHviTOVnEKDOdetQ` (the one the recordings were made for) has:
//! - published: the four threads of `comment-threads-all.json`; the thread
//!   `Ugw5zYU6n9pmIgAZWvN4AaABAg` carries one reply inline and says it has three, so the rest
//!   are read by parent: `comments-by-parent-p1.json` (two replies, a `nextPageToken`), then
//!   a second page holding the channel's own reply (`comment-insert.json`'s comment, moved
//!   under this thread);
//! - held for review: the first thread of `comment-threads-video-p1.json`.
//!
//! Routes (every one needs `Authorization: Bearer` [`TOKEN`], else a 401 `authError`):
//! - `GET /youtube/v3/commentThreads` by `allThreadsRelatedToChannelId` (must be
//!   [`CHANNEL`]) and `moderationStatus`, or by `id`;
//! - `GET /youtube/v3/comments?parentId=…` (paged by `pageToken`);
//! - `POST /youtube/v3/comments?part=snippet`: a reply, answered as YouTube does (the insert
//!   recording with the new id, parent and text) and added to the thread's replies;
//! - `POST /youtube/v3/comments/setModerationStatus`, `DELETE /youtube/v3/comments`: 204.
//!
//! Anything else is a 404 naming the request. Every request is recorded (`world.api`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use super::fake_api::{fixture_body, ApiRequest, FakeApi, Reply};

/// The channel the account acts as.
pub const CHANNEL: &str = "UCa-vrCLQHviTOVnEKDOdetQ";
/// The OAuth token the world accepts.
pub const TOKEN: &str = "yt-test-token";
/// The thread whose replies are read by parent, over two pages.
pub const PAGED_THREAD: &str = "Ugw5zYU6n9pmIgAZWvN4AaABAg";
/// The thread held for review.
pub const HELD_THREAD: &str = "UgyZ1jqkHKYvi1-ruOZ4AaABAg";
/// The `pageToken` of the second page of [`PAGED_THREAD`]'s replies.
const REPLIES_PAGE_2: &str = "replies-page-2";

/// What the channel holds; tests may change it while the world runs.
#[derive(Debug, Default)]
pub struct Channel {
    pub published: Vec<Value>,
    pub held: Vec<Value>,
    /// Replies by top-level comment id, in pages as `comments.list` gives them.
    pub replies: BTreeMap<String, Vec<Vec<Value>>>,
    inserted: usize,
}

/// The running world.
pub struct YoutubeWorld {
    pub api: FakeApi,
    pub channel: Arc<Mutex<Channel>>,
}

impl YoutubeWorld {
    pub fn base(&self) -> String {
        self.api.base()
    }

    /// The account's `[[accounts]]` block for a config file.
    pub fn account_toml(&self, name: &str) -> String {
        account_toml(name, &self.base())
    }
}

/// `[[accounts]]` for a YouTube account on `base`.
pub fn account_toml(name: &str, base: &str) -> String {
    format!(
        "[[accounts]]\nname = \"{name}\"\nplatform = \"youtube\"\napi_base = \"{base}\"\n\
         token = \"{TOKEN}\"\nchannel_id = \"{CHANNEL}\"\n"
    )
}

/// Starts the world described in the module doc.
pub fn start_youtube_world() -> YoutubeWorld {
    let channel = Arc::new(Mutex::new(recorded_channel()));
    let shared = Arc::clone(&channel);
    let api = FakeApi::start(move |request| {
        let mut channel = shared.lock().unwrap_or_else(|e| e.into_inner());
        answer(&mut channel, request)
    });
    YoutubeWorld { api, channel }
}

/// The channel as the recordings make it (see the module doc).
pub fn recorded_channel() -> Channel {
    let mut published = items(&fixture_body("youtube", "comment-threads-all.json"));
    let by_parent = items(&fixture_body("youtube", "comments-by-parent-p1.json"));
    let brand_reply = brand_reply_under(PAGED_THREAD);
    for thread in &mut published {
        match thread["id"].as_str() {
            Some(PAGED_THREAD) => {
                thread["snippet"]["totalReplyCount"] = json!(3);
                thread["replies"] = json!({"comments": [by_parent[0].clone()]});
            }
            // Recorded with one reply that no recording holds: none here.
            _ => thread["snippet"]["totalReplyCount"] = json!(0),
        }
    }
    let mut held = items(&fixture_body("youtube", "comment-threads-video-p1.json"));
    held.truncate(1);
    held[0]["snippet"]["topLevelComment"]["snippet"]["moderationStatus"] = json!("heldForReview");
    let mut replies = BTreeMap::new();
    replies.insert(PAGED_THREAD.to_string(), vec![by_parent, vec![brand_reply]]);
    Channel {
        published,
        held,
        replies,
        inserted: 0,
    }
}

/// The recorded inserted comment, as the channel's reply under `parent`.
fn brand_reply_under(parent: &str) -> Value {
    let mut reply = fixture_body("youtube", "comment-insert.json");
    let suffix = reply["id"]
        .as_str()
        .and_then(|id| id.split('.').nth(1))
        .unwrap_or("r");
    reply["id"] = json!(format!("{parent}.{suffix}"));
    reply["snippet"]["parentId"] = json!(parent);
    reply
}

fn items(body: &Value) -> Vec<Value> {
    body["items"].as_array().cloned().unwrap_or_default()
}

/// A list answer.
pub fn list(kind: &str, items: Vec<Value>, next: Option<&str>) -> Value {
    let mut body = json!({"kind": kind, "pageInfo": {"totalResults": items.len(), "resultsPerPage": 100}, "items": items});
    if let Some(next) = next {
        body["nextPageToken"] = json!(next);
    }
    body
}

/// Google's error body.
pub fn error(status: u16, reason: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": {"code": status, "message": message,
            "errors": [{"domain": "youtube", "reason": reason, "message": message}]}}),
    )
}

fn answer(channel: &mut Channel, request: &ApiRequest) -> Reply {
    if request.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
        return error(401, "authError", "Invalid Credentials");
    }
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/youtube/v3/commentThreads") => threads(channel, request),
        ("GET", "/youtube/v3/comments") => replies(channel, request),
        ("POST", "/youtube/v3/comments") => insert(channel, request),
        ("POST", "/youtube/v3/comments/setModerationStatus")
        | ("DELETE", "/youtube/v3/comments") => Reply {
            status: 204,
            headers: Vec::new(),
            body: Vec::new(),
        },
        _ => Reply::not_found(request),
    }
}

fn threads(channel: &Channel, request: &ApiRequest) -> Reply {
    const KIND: &str = "youtube#commentThreadListResponse";
    if let Some(id) = request.param("id") {
        let found = channel
            .published
            .iter()
            .filter(|t| t["id"] == id)
            .cloned()
            .collect();
        return Reply::json(200, &list(KIND, found, None));
    }
    if request.param("allThreadsRelatedToChannelId") != Some(CHANNEL) {
        return error(
            403,
            "forbidden",
            "The comment thread could not be retrieved.",
        );
    }
    let threads = match request.param("moderationStatus") {
        Some("heldForReview") => channel.held.clone(),
        None | Some("published") => channel.published.clone(),
        Some(_) => Vec::new(),
    };
    Reply::json(200, &list(KIND, threads, None))
}

fn replies(channel: &Channel, request: &ApiRequest) -> Reply {
    const KIND: &str = "youtube#commentListResponse";
    let pages = request
        .param("parentId")
        .and_then(|p| channel.replies.get(p));
    let Some(pages) = pages else {
        return Reply::json(200, &list(KIND, Vec::new(), None));
    };
    let index = match request.param("pageToken") {
        None => 0,
        Some(REPLIES_PAGE_2) => 1,
        Some(token) => token.parse().unwrap_or(usize::MAX),
    };
    let page = pages.get(index).cloned().unwrap_or_default();
    let next = (index + 1 < pages.len()).then(|| {
        if index == 0 {
            REPLIES_PAGE_2.to_string()
        } else {
            (index + 1).to_string()
        }
    });
    Reply::json(200, &list(KIND, page, next.as_deref()))
}

fn insert(channel: &mut Channel, request: &ApiRequest) -> Reply {
    let body = request.json();
    let snippet = &body["snippet"];
    let (Some(parent), Some(text)) = (
        snippet["parentId"].as_str(),
        snippet["textOriginal"].as_str(),
    ) else {
        return error(
            400,
            "invalidCommentMetadata",
            "The request metadata is invalid.",
        );
    };
    channel.inserted += 1;
    let mut reply = brand_reply_under(parent);
    reply["id"] = json!(format!("{parent}.sb{}", channel.inserted));
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let s = &mut reply["snippet"];
    s["textOriginal"] = json!(text);
    s["textDisplay"] = json!(text);
    s["publishedAt"] = json!(now);
    s["updatedAt"] = json!(now);
    let pages = channel.replies.entry(parent.to_string()).or_default();
    match pages.last_mut() {
        Some(last) => last.push(reply.clone()),
        None => pages.push(vec![reply.clone()]),
    }
    Reply::json(200, &reply)
}
