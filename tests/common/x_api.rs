//! A little X (API v2) world on a loopback [`FakeApi`], for the X connector's tests and the
//! four-account end-to-end test: [`start_x_world`].
//!
//! The brand is user [`X_BRAND_ID`] (`@acme`), token [`X_TOKEN`] (anything else is a 401
//! problem document, as X answers an expired token). What a sync of it reads:
//!
//! - `GET /2/users/{brand}/mentions`: the recorded page `x/mentions-01.json` (ten plain
//!   mentions, no `author_id`, no `created_at`, a `next_token`); its `pagination_token` page:
//!   [`X_REPLY_ID`], @ben's reply to the brand's post [`X_BRAND_POST_ID`]; with a `since_id`:
//!   only what is newer.
//! - `GET /2/users/{brand}/tweets`: the brand's post (and, once sent, its replies: `find_sent`
//!   reads them with `since_id`).
//! - `GET /2/tweets/search/recent` (`conversation_id:{post}`): @ben's reply and
//!   [`X_DEEP_REPLY_ID`], @dana answering @ben in the brand's thread.
//! - `GET /2/tweets?ids=`: any post of the world (the thread of a reply).
//! - `GET /2/dm_events`: the events of `x/dm-05.json` with the fields the connector asks
//!   for (sender, conversation, time), which that recording's client did not ask for: @claire's
//!   "Testing 1" and the brand's "Testing 2" in [`X_DM_CONVERSATION`]; its next page is empty.
//! - `GET /2/dm_conversations/{id}/dm_events`: that conversation, with what was sent.
//!
//! Writes, recorded by the server (`received_at`): `POST /2/tweets` (answered as
//! `x/create-delete-tweet-01.json`, with the text sent and a new id), `POST
//! /2/dm_conversations/{id}/messages` (`x/dm-02.json`, with a new event id), `PUT /2/tweets/{id}/hidden`
//! (`x/hide-reply-01.json` / `-02`), `DELETE /2/tweets/{id}` (`x/create-delete-tweet-02.json`),
//! `POST /2/users/{brand}/muting`.
//!
//! A sync of a fresh account (`switchboard sync --once`, 5 pages) brings 14 items: 10
//! mentions, 2 comments in the brand post's thread ([`X_REPLY_ID`], [`X_DEEP_REPLY_ID`]) and
//! 2 DMs (one the brand's own), plus the brand's post as context (the thread of @ben's
//! reply, `GET /2/tweets?ids=`): 15 stored, `x` kinds 10 mention, 3 comment, 2 dm. Its
//! spend then reads "spent $0.12 today (5 billed calls)". [`x_account_toml`] gives the
//! `[[accounts]]` block (platform, api_base, token, user_id: nothing else to set).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::fake_api::{fixture, ApiRequest, FakeApi, Reply};

pub const X_BRAND_ID: &str = "1072250532645998596";
pub const X_TOKEN: &str = "x-world-token";
pub const X_BRAND_POST_ID: &str = "1578516000000000000";
pub const X_REPLY_ID: &str = "1578516300000000001";
pub const X_DEEP_REPLY_ID: &str = "1578516400000000002";
pub const X_CUSTOMER_DM_ID: &str = "1585800613253812228";
pub const X_DM_CONVERSATION: &str = "750362064426721281-1072250532645998596";
const BEN: &str = "2244994945";
const DANA: &str = "6253282";
const CLAIRE: &str = "750362064426721281";

/// The `[[accounts]]` block of an X account named `name` on `base`.
pub fn x_account_toml(name: &str, base: &str) -> String {
    format!(
        "[[accounts]]\nname = \"{name}\"\nplatform = \"x\"\napi_base = \"{base}\"\n\
         token = \"{X_TOKEN}\"\nuser_id = \"{X_BRAND_ID}\"\n"
    )
}

/// Starts the world (see the module doc).
pub fn start_x_world() -> FakeApi {
    let api = FakeApi::start(Reply::not_found);
    let mut world = World::new(api.base());
    api.set_handler(move |request| world.answer(request));
    api
}

struct World {
    base: String,
    /// Every post of the world, by id.
    posts: BTreeMap<String, Value>,
    dms: Vec<Value>,
    next_id: u64,
}

impl World {
    fn new(base: String) -> World {
        let mut posts = BTreeMap::new();
        for post in [brand_post(), reply(), deep_reply()] {
            posts.insert(post["id"].as_str().unwrap().to_string(), post);
        }
        World {
            base,
            posts,
            dms: world_dms(),
            next_id: 1_600_000_000_000_000_000,
        }
    }

    fn answer(&mut self, request: &ApiRequest) -> Reply {
        if request.header("authorization") != Some(&format!("Bearer {X_TOKEN}")) {
            return Reply::json(
                401,
                &json!({"title": "Unauthorized", "type": "about:blank",
                "status": 401, "detail": "Unauthorized"}),
            );
        }
        let brand = format!("/2/users/{X_BRAND_ID}");
        let path = request.path.as_str();
        match (request.method.as_str(), path) {
            ("GET", p) if p == format!("{brand}/mentions") => self.mentions(request),
            ("GET", p) if p == format!("{brand}/tweets") => self.brand_posts(request),
            ("GET", "/2/tweets/search/recent") => self.search(request),
            ("GET", "/2/tweets") => self.lookup(request),
            ("GET", "/2/dm_events") => self.dm_events(request),
            ("GET", p) if p.starts_with("/2/dm_conversations/") => self.dm_events(request),
            ("POST", "/2/tweets") => self.post(request),
            ("POST", p) if p.starts_with("/2/dm_conversations/") => self.send_dm(request),
            ("PUT", p) if p.ends_with("/hidden") => {
                let hidden = request.json()["hidden"] == json!(true);
                let file = if hidden {
                    "hide-reply-01.json"
                } else {
                    "hide-reply-02.json"
                };
                Reply::recorded(&fixture("x", file), &self.base)
            }
            ("DELETE", p) if p.starts_with("/2/tweets/") => {
                Reply::recorded(&fixture("x", "create-delete-tweet-02.json"), &self.base)
            }
            ("POST", p) if p == format!("{brand}/muting") => {
                Reply::json(200, &json!({"data": {"muting": true}}))
            }
            _ => Reply::not_found(request),
        }
    }

    fn mentions(&self, request: &ApiRequest) -> Reply {
        if request.param("pagination_token").is_some() {
            return list(vec![reply()], users(&[BEN]), None);
        }
        let recorded = Reply::recorded(&fixture("x", "mentions-01.json"), &self.base);
        match request.param("since_id") {
            None => recorded,
            Some(since) => {
                let newer = newer_than(self.posts.values(), since, mentions_brand);
                list(newer, users(&[BEN, DANA]), None)
            }
        }
    }

    fn brand_posts(&self, request: &ApiRequest) -> Reply {
        let ours = self.posts.values().filter(|p| p["author_id"] == X_BRAND_ID);
        let wanted: Vec<Value> = match request.param("since_id") {
            Some(since) => newer_than(ours, since, |_| true),
            None => ours
                .filter(|p| p.get("referenced_tweets").is_none())
                .cloned()
                .collect(),
        };
        list(wanted, json!([]), None)
    }

    fn search(&self, request: &ApiRequest) -> Reply {
        let query = request.param("query").unwrap_or_default();
        let since = request.param("since_id").unwrap_or("0");
        let found = newer_than(self.posts.values(), since, |p| {
            let conversation = p["conversation_id"].as_str().unwrap_or_default();
            p["id"] != conversation && query.contains(&format!("conversation_id:{conversation}"))
        });
        list(found, users(&[BEN, DANA]), None)
    }

    fn lookup(&self, request: &ApiRequest) -> Reply {
        let ids = request.param("ids").unwrap_or_default();
        let found = ids
            .split(',')
            .filter_map(|id| self.posts.get(id).cloned())
            .collect();
        list(found, users(&[BEN, DANA]), None)
    }

    fn dm_events(&self, request: &ApiRequest) -> Reply {
        if request.param("pagination_token").is_some() {
            return Reply::json(200, &json!({"meta": {"result_count": 0}}));
        }
        let mut events = self.dms.clone();
        events.reverse();
        let token = Some("18LAA5G1SL0NR5OG0G00ZZZZ");
        list(events, users(&[CLAIRE]), token)
    }

    fn post(&mut self, request: &ApiRequest) -> Reply {
        let body = request.json();
        let parent = body["reply"]["in_reply_to_tweet_id"]
            .as_str()
            .unwrap_or_default();
        let conversation = self.posts.get(parent).map_or(parent.to_string(), |p| {
            p["conversation_id"].as_str().unwrap_or(parent).to_string()
        });
        self.next_id += 1;
        let id = self.next_id.to_string();
        let text = body["text"].clone();
        self.posts.insert(
            id.clone(),
            json!({"id": id, "text": text, "author_id": X_BRAND_ID,
            "conversation_id": conversation,
            "referenced_tweets": [{"type": "replied_to", "id": parent}]}),
        );
        let mut answer = Reply::recorded(&fixture("x", "create-delete-tweet-01.json"), &self.base);
        answer.body = serde_json::to_vec(&json!({"data": {"id": id, "text": text}})).unwrap();
        answer
    }

    fn send_dm(&mut self, request: &ApiRequest) -> Reply {
        let conversation = request
            .path
            .split('/')
            .nth(3)
            .unwrap_or_default()
            .to_string();
        self.next_id += 1;
        let id = self.next_id.to_string();
        self.dms
            .push(json!({"id": id, "event_type": "MessageCreate",
            "text": request.json()["text"], "sender_id": X_BRAND_ID,
            "dm_conversation_id": conversation}));
        let mut answer = Reply::recorded(&fixture("x", "dm-02.json"), &self.base);
        let data = json!({"dm_conversation_id": conversation, "dm_event_id": id});
        answer.body = serde_json::to_vec(&json!({ "data": data })).unwrap();
        answer
    }
}

fn list(data: Vec<Value>, users: Value, next_token: Option<&str>) -> Reply {
    let mut meta = json!({"result_count": data.len()});
    if let Some(token) = next_token {
        meta["next_token"] = json!(token);
    }
    let mut body = json!({"meta": meta});
    if !data.is_empty() {
        body["data"] = json!(data);
        body["includes"] = json!({"users": users});
    }
    Reply::json(200, &body).with_header("x-rate-limit-remaining", "440")
}

fn newer_than<'a>(
    posts: impl Iterator<Item = &'a Value>,
    since: &str,
    keep: impl Fn(&Value) -> bool,
) -> Vec<Value> {
    let key = |id: &str| (id.len(), id.to_string());
    let mut found: Vec<Value> = posts
        .filter(|p| key(p["id"].as_str().unwrap_or_default()) > key(since) && keep(p))
        .cloned()
        .collect();
    found.sort_by_key(|p| std::cmp::Reverse(key(p["id"].as_str().unwrap_or_default())));
    found
}

fn mentions_brand(post: &Value) -> bool {
    post["author_id"] != X_BRAND_ID && post["text"].as_str().unwrap_or_default().contains("@acme")
}

fn users(ids: &[&str]) -> Value {
    let names = [
        (BEN, "ben", "Ben"),
        (DANA, "dana", "Dana"),
        (CLAIRE, "claire", "Claire"),
    ];
    json!(ids
        .iter()
        .filter_map(|id| names.iter().find(|(n, _, _)| n == id))
        .map(|(id, username, name)| json!({"id": id, "username": username, "name": name}))
        .collect::<Vec<_>>())
}

fn brand_post() -> Value {
    json!({"id": X_BRAND_POST_ID, "text": "Our new app is out today!", "author_id": X_BRAND_ID,
        "conversation_id": X_BRAND_POST_ID, "created_at": "2022-10-07T22:00:00.000Z", "lang": "en"})
}

fn reply() -> Value {
    json!({"id": X_REPLY_ID, "text": "@acme the app crashes when I log in",
        "author_id": BEN, "conversation_id": X_BRAND_POST_ID, "in_reply_to_user_id": X_BRAND_ID,
        "referenced_tweets": [{"type": "replied_to", "id": X_BRAND_POST_ID}],
        "created_at": "2022-10-07T22:45:00.000Z", "lang": "en"})
}

fn deep_reply() -> Value {
    json!({"id": X_DEEP_REPLY_ID, "text": "@ben same here since the update",
        "author_id": DANA, "conversation_id": X_BRAND_POST_ID, "in_reply_to_user_id": BEN,
        "referenced_tweets": [{"type": "replied_to", "id": X_REPLY_ID}],
        "created_at": "2022-10-07T22:50:00.000Z", "lang": "en"})
}

/// The recorded events of `x/dm-05.json`, oldest first, with sender, conversation and time.
fn world_dms() -> Vec<Value> {
    let recorded = fixture("x", "dm-05.json")["response"]["body"]["data"].clone();
    let mut events: Vec<Value> = recorded.as_array().cloned().unwrap_or_default();
    events.reverse();
    for event in &mut events {
        let ours = event["text"] == "Testing 2";
        event["sender_id"] = json!(if ours { X_BRAND_ID } else { CLAIRE });
        event["dm_conversation_id"] = json!(X_DM_CONVERSATION);
    }
    events
}
