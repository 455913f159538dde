//! A little Instagram world on a [`FakeApi`], for the Instagram connector tests and the
//! end-to-end sync: the recorded Graph API answers of `../shared/fixtures/instagram` (read in
//! place) plus the few entries no recording has (a second comments page, tagging media, a
//! DM conversation), all consistent with each other, and routes for replies, messages and
//! moderation that record what they got (and keep our replies, so `find_sent` sees them).
//!
//! Serve it with [`start_instagram_world`]; point an account at [`InstagramWorld::api_base`]
//! (`http://127.0.0.1:PORT/v17.0`) with `ig_user_id = IG_USER_ID` ([`InstagramWorld::account_toml`]).
//! A sync reads (Facebook login, no `page_id`):
//!
//! - `GET /v17.0/{IG_USER_ID}?fields=id,username` → `{"id", "username": "acme"}`;
//! - `GET /v17.0/{IG_USER_ID}/media` → `user-media-p1.json` (two media; only
//!   [`COMMENTED_MEDIA`] has comments);
//! - `GET /v17.0/{COMMENTED_MEDIA}/comments` → `media-comments-p1.json` (two comments,
//!   `after=after` next), then with `after=after` a page with [`CUSTOMER_COMMENT`] whose
//!   first replies say more follow (`after=r1`);
//! - `GET /v17.0/{CUSTOMER_COMMENT}/replies?after=r1` → `comment-replies.json`;
//! - `GET /v17.0/{IG_USER_ID}/tags` → [`TAGGING_MEDIA`] by `bob`;
//! - `GET /v17.0/me/conversations?platform=instagram` (also `/{PAGE_ID}/…` and
//!   `/{IG_USER_ID}/…` for the other logins) → [`CONVERSATION`] with a customer DM
//!   ([`CUSTOMER_DM`]) and the brand's answer.
//!
//! and on demand `GET /v17.0/{IG_USER_ID}?fields=mentioned_comment.comment_id(…){…}` →
//! `mentioned-comment.json`. Writes: `POST /{comment}/replies`, `POST /{media}/comments`,
//! `POST /{IG_USER_ID}/mentions`, `POST /{me|PAGE_ID|IG_USER_ID}/messages`,
//! `POST /{comment}` (hide) and `DELETE /{comment}`.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::fake_api::{fixture, rewrite_urls, ApiRequest, FakeApi, Reply};

/// The API version in every path, as in the recordings.
pub const VERSION: &str = "/v17.0";
/// The account (the id in `mentioned-comment.json`).
pub const IG_USER_ID: &str = "17841406338772941";
pub const BRAND_USERNAME: &str = "acme";
/// The linked Page, for accounts that set `page_id`.
pub const PAGE_ID: &str = "2121008874780932";
/// The media with comments (`comments_count` 6 in `user-media-p1.json`).
pub const COMMENTED_MEDIA: &str = "17896622936197745";
/// The media without comments.
pub const QUIET_MEDIA: &str = "17895731045244887";
/// The recorded comments of page one.
pub const RECORDED_COMMENTS: [&str; 2] = ["17858154961981086", "17874875428706419"];
/// A customer's comment (page two), with a brand reply and a recorded reply.
pub const CUSTOMER_COMMENT: &str = "17900000000000001";
pub const BRAND_REPLY: &str = "17900000000000002";
/// The reply of `comment-replies.json`, read with `after=r1`.
pub const RECORDED_REPLY: &str = "17847314687296283";
/// A media by `bob` that tags the account.
pub const TAGGING_MEDIA: &str = "18000000000000001";
/// The DM conversation, the customer's message in it, and the customer's IGSID.
pub const CONVERSATION: &str = "aWdfZAG06MTpJR01lc3NhZA";
pub const CUSTOMER_DM: &str = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAA1";
pub const BRAND_DM: &str = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAA2";
pub const CUSTOMER_IGSID: &str = "6001";
/// The recorded mentioned comment.
pub const MENTIONED_COMMENT: &str = "17967008497439572";

/// What the world keeps: knobs for tests and what was written.
#[derive(Default)]
pub struct WorldState {
    /// `comments_count` of [`COMMENTED_MEDIA`] (6 as recorded).
    pub comments_count: u64,
    /// Replies posted, by comment id: `(id, text)`.
    pub posted: Vec<(String, String, String)>,
    /// Messages sent: the JSON bodies.
    pub messages: Vec<Value>,
    /// Answers given instead of the world's, once each, for the next requests.
    pub overrides: Vec<Reply>,
    next_id: u64,
}

/// A running Instagram world.
pub struct InstagramWorld {
    pub api: FakeApi,
    pub state: Arc<Mutex<WorldState>>,
    /// When the hand-made entries were written (relative to the start).
    pub now: DateTime<Utc>,
}

impl InstagramWorld {
    /// `http://127.0.0.1:PORT/v17.0`: the account's `api_base`.
    pub fn api_base(&self) -> String {
        format!("{}{VERSION}", self.api.base())
    }

    /// An `[[accounts]]` entry for this world (`extra` lines appended).
    pub fn account_toml(&self, name: &str, extra: &str) -> String {
        format!(
            "[[accounts]]\nname = \"{name}\"\nplatform = \"instagram\"\napi_base = \"{}\"\n\
             token = \"ig-test-token\"\nig_user_id = \"{IG_USER_ID}\"\n{extra}\n",
            self.api_base()
        )
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, WorldState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Answers the next request with `reply` instead.
    pub fn answer_next(&self, reply: Reply) {
        self.lock().overrides.push(reply);
    }
}

/// Starts the world.
pub fn start_instagram_world() -> InstagramWorld {
    let state = Arc::new(Mutex::new(WorldState {
        comments_count: 6,
        ..WorldState::default()
    }));
    let now = Utc::now();
    let api = FakeApi::start(Reply::not_found);
    let base = api.base();
    let serving = Arc::clone(&state);
    api.set_handler(move |request| {
        let mut state = serving.lock().unwrap_or_else(|e| e.into_inner());
        if !state.overrides.is_empty() {
            return state.overrides.remove(0);
        }
        answer(request, &mut state, &base, now)
    });
    InstagramWorld { api, state, now }
}

fn answer(request: &ApiRequest, state: &mut WorldState, base: &str, now: DateTime<Utc>) -> Reply {
    let Some(path) = request.path.strip_prefix(VERSION) else {
        return Reply::not_found(request);
    };
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let method = request.method.as_str();
    match (method, parts.as_slice()) {
        ("GET", [IG_USER_ID]) => user(request),
        ("GET", [IG_USER_ID, "media"]) => media(base, state),
        ("GET", [COMMENTED_MEDIA, "comments"]) => comments(request, base, now),
        ("GET", [comment, "replies"]) => replies(request, state, comment, base),
        ("GET", [IG_USER_ID, "tags"]) => ok(&tags(now)),
        ("GET", [inbox, "conversations"]) if is_inbox(inbox) => conversations(request, now),
        ("GET", [COMMENTED_MEDIA]) => {
            let mut recorded =
                fixture("instagram", "user-media-p1.json")["response"]["body"]["data"][1].clone();
            recorded["comments_count"] = json!(state.comments_count);
            ok(&recorded)
        }
        ("GET", [CUSTOMER_COMMENT]) => ok(&customer_comment(now)),
        ("GET", [CONVERSATION]) => ok(&json!({"id": CONVERSATION, "messages": {"data": dms(now)}})),
        ("POST", [comment, "replies"]) => written(state, comment, request),
        ("POST", [media, "comments"]) => written(state, media, request),
        ("POST", [IG_USER_ID, "mentions"]) => {
            let on = request.json()["comment_id"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            written(state, &on, request)
        }
        ("POST", [inbox, "messages"]) if is_inbox(inbox) => message(state, request),
        ("POST", [_comment]) | ("DELETE", [_comment]) => ok(&json!({"success": true})),
        _ => Reply::not_found(request),
    }
}

fn ok(body: &Value) -> Reply {
    Reply::json(200, body)
}

fn is_inbox(id: &str) -> bool {
    matches!(id, "me" | PAGE_ID | IG_USER_ID)
}

fn graph_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S+0000").to_string()
}

fn user(request: &ApiRequest) -> Reply {
    let fields = request.param("fields").unwrap_or_default();
    if fields.starts_with("mentioned_comment") {
        let wanted = format!("comment_id({MENTIONED_COMMENT})");
        return match fields.contains(&wanted) {
            true => Reply::recorded(&fixture("instagram", "mentioned-comment.json"), ""),
            false => ok(&json!({"id": IG_USER_ID})),
        };
    }
    ok(&json!({"id": IG_USER_ID, "username": BRAND_USERNAME}))
}

fn media(base: &str, state: &WorldState) -> Reply {
    let mut reply = fixture("instagram", "user-media-p1.json");
    reply["response"]["body"]["data"][1]["comments_count"] = json!(state.comments_count);
    Reply::recorded(&reply, base)
}

fn comments(request: &ApiRequest, base: &str, now: DateTime<Utc>) -> Reply {
    if request.param("after") != Some("after") {
        return Reply::recorded(&fixture("instagram", "media-comments-p1.json"), base);
    }
    let mut customer = customer_comment(now);
    customer["replies"] = json!({
        "data": [{
            "id": BRAND_REPLY,
            "text": "@alice we are looking into it",
            "timestamp": graph_time(now - Duration::hours(1)),
            "username": BRAND_USERNAME,
            "from": {"id": IG_USER_ID, "username": BRAND_USERNAME},
            "parent_id": CUSTOMER_COMMENT
        }],
        "paging": {"cursors": {"after": "r1"}, "next": format!("https://graph.facebook.com/v17.0/{CUSTOMER_COMMENT}/replies?after=r1")}
    });
    let page = json!({"data": [customer], "paging": {"cursors": {"before": "p2"}}});
    ok(&rewrite_urls(&page, base))
}

/// The customer's comment, without its replies.
fn customer_comment(now: DateTime<Utc>) -> Value {
    json!({
        "id": CUSTOMER_COMMENT,
        "text": "Where is my order? It has been two weeks",
        "timestamp": graph_time(now - Duration::hours(2)),
        "username": "alice",
        "from": {"id": "5001", "username": "alice"},
        "like_count": 0
    })
}

fn replies(request: &ApiRequest, state: &WorldState, comment: &str, base: &str) -> Reply {
    let mut body = match (comment, request.param("after")) {
        (CUSTOMER_COMMENT, Some("r1")) => {
            fixture("instagram", "comment-replies.json")["response"]["body"].clone()
        }
        _ => json!({"data": []}),
    };
    if request.param("after").is_none() {
        let data = body["data"].as_array_mut().expect("data");
        for (on, id, text) in &state.posted {
            if on == comment {
                data.push(json!({"id": id, "text": text, "username": BRAND_USERNAME,
                    "from": {"id": IG_USER_ID, "username": BRAND_USERNAME}}));
            }
        }
    }
    Reply::recorded(&json!({"response": {"status": 200, "body": body}}), base)
}

fn tags(now: DateTime<Utc>) -> Value {
    json!({"data": [{
        "id": TAGGING_MEDIA,
        "caption": "Love my new boots from @acme",
        "timestamp": graph_time(now - Duration::hours(3)),
        "permalink": "https://www.instagram.com/p/TAGGED1/",
        "username": "bob",
        "media_type": "IMAGE"
    }]})
}

fn dms(now: DateTime<Utc>) -> Value {
    json!([
        {"id": BRAND_DM, "created_time": graph_time(now - Duration::minutes(30)),
         "from": {"id": IG_USER_ID, "username": BRAND_USERNAME},
         "to": {"data": [{"id": CUSTOMER_IGSID, "username": "carol"}]},
         "message": "Sorry to hear that! What is your order number?"},
        {"id": CUSTOMER_DM, "created_time": graph_time(now - Duration::hours(1)),
         "from": {"id": CUSTOMER_IGSID, "username": "carol"},
         "to": {"data": [{"id": IG_USER_ID, "username": BRAND_USERNAME}]},
         "message": "Hi, my parcel never arrived"}
    ])
}

fn conversations(request: &ApiRequest, now: DateTime<Utc>) -> Reply {
    if request.param("platform") != Some("instagram") {
        return Reply::json(
            400,
            &json!({"error": {"message": "platform missing", "code": 100}}),
        );
    }
    if let Some(user) = request.param("user_id") {
        let data = match user {
            CUSTOMER_IGSID => json!([{"id": CONVERSATION, "updated_time": graph_time(now)}]),
            _ => json!([]),
        };
        return ok(&json!({"data": data}));
    }
    ok(&json!({"data": [{
        "id": CONVERSATION,
        "updated_time": graph_time(now - Duration::minutes(30)),
        "messages": {"data": dms(now)}
    }]}))
}

fn written(state: &mut WorldState, on: &str, request: &ApiRequest) -> Reply {
    state.next_id += 1;
    let id = format!("1799000000000{:04}", state.next_id);
    let text = request.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    state.posted.push((on.to_string(), id.clone(), text));
    ok(&json!({"id": id}))
}

fn message(state: &mut WorldState, request: &ApiRequest) -> Reply {
    let body = request.json();
    state.messages.push(body.clone());
    state.next_id += 1;
    let recipient = body["recipient"]["id"].as_str().unwrap_or(CUSTOMER_IGSID);
    ok(
        &json!({"recipient_id": recipient, "message_id": format!("aWdfZAG1faXRlbTpuZXc{}", state.next_id)}),
    )
}
