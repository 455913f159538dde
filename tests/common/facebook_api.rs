//! A little Facebook Page world on a loopback [`FakeApi`], built from the recorded Graph API
//! answers in `../shared/fixtures/facebook/` (read in place), for the Facebook connector
//! tests and the four-platform end-to-end sync:
//!
//! - the Page [`PAGE_ID`] ("MyLife", the Page of the recorded conversations) and its feed:
//!   the recorded `feed-p1.json` posts with [`POST_ID`] first, the post whose comments are
//!   the recorded `comments-p1.json` (comments and replies, no `id`/`from`: the connector
//!   derives ids from `permalink_url`) and a second page (`after=after`) with one comment
//!   carrying `id` and `from`; the other posts have no comments;
//! - one post that tags the Page ([`TAGGED_ID`], `/tagged`);
//! - the recorded conversations (`conversations.json`, an `?ids=` shape) with the recorded
//!   messages (`messages.json`) in [`CONVERSATION_ID`] and one text message in the other;
//! - writes that record and answer as Graph does: `POST /{id}/comments` (the recorded
//!   `comment-create.json`), `POST /{page-id}/messages` (`recipient_id`, `message_id`),
//!   `POST /{comment-id}` (`is_hidden`), `DELETE /{id}`, `POST /{page-id}/blocked`;
//! - `GET /{comment-id}` answers the recorded `comment.json`, `GET /{post-id}` the post.
//!
//! [`connector`], [`pass`] and [`synced`] drive the connector as the sync engine would.
//!
//! Every path is under [`VERSION`] (`api_base = "{base}/v17.0"`), and a call without a bearer
//! token gets Graph's error 190.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::Utc;
use serde_json::{json, Value};
use switchboard::config::Config;
use switchboard::connectors::facebook::FacebookConnector;
use switchboard::connectors::{Connector, ConnectorError};
use switchboard::model::{Item, ItemId, NewItem};

use super::fake_api::{fixture, fixture_body, ApiRequest, FakeApi, Reply};

/// The Graph API version in the world's paths.
pub const VERSION: &str = "/v17.0";
/// The Page: "MyLife", as in the recorded conversations and messages.
pub const PAGE_ID: &str = "2121008874780932";
/// The Page post whose comments are the recorded ones.
pub const POST_ID: &str = "2121008874780932_10158407654328553";
/// The comment on page 2 of the post's comments (with `id` and `from`).
pub const SECOND_PAGE_COMMENT: &str = "10158407654328553_10158400000000001";
/// A post by a customer that tags the Page.
pub const TAGGED_ID: &str = "5550002_7770001";
/// The recorded conversation with the recorded messages.
pub const CONVERSATION_ID: &str = "t_587956915396498";
/// The other recorded conversation, with one text message [`TEXT_MESSAGE_ID`].
pub const OTHER_CONVERSATION_ID: &str = "t_233782918546745";
pub const TEXT_MESSAGE_ID: &str = "m_hehe0001";
/// The customer who wrote [`TEXT_MESSAGE_ID`] (their page-scoped id).
pub const TEXT_MESSAGE_AUTHOR: &str = "5550003";

/// A running Facebook world.
pub struct FacebookWorld {
    pub api: FakeApi,
}

impl FacebookWorld {
    /// The account's `api_base`: `http://127.0.0.1:PORT/v17.0`.
    pub fn api_base(&self) -> String {
        format!("{}{VERSION}", self.api.base())
    }

    /// An `[[accounts]]` entry for the world's Page.
    pub fn account_toml(&self, name: &str) -> String {
        format!(
            "[[accounts]]\nname = \"{name}\"\nplatform = \"facebook\"\napi_base = \"{}\"\ntoken = \"page-token\"\npage_id = \"{PAGE_ID}\"\n",
            self.api_base()
        )
    }

    /// The requests so far to `METHOD /v17.0{path}`.
    pub fn received_at(&self, method: &str, path: &str) -> Vec<ApiRequest> {
        self.api.received_at(method, &format!("{VERSION}{path}"))
    }
}

/// A connector for the world's Page at `api_base`, with `extra` account keys.
pub fn connector_for(api_base: &str, extra: &str) -> FacebookConnector {
    let text = format!(
        "[[accounts]]\nname = \"acme-fb\"\nplatform = \"facebook\"\napi_base = \"{api_base}\"\ntoken = \"page-token\"\npage_id = \"{PAGE_ID}\"\n{extra}"
    );
    let config = Config::parse(Path::new("test.toml"), &text).unwrap();
    FacebookConnector::new(&config.accounts[0], super::quick_http_options()).unwrap()
}

/// A connector for the world's Page.
pub fn connector(world: &FacebookWorld) -> FacebookConnector {
    connector_for(&world.api_base(), "")
}

/// One pass as the sync engine runs it: pages until `more` is false.
pub async fn pass(
    c: &FacebookConnector,
    cursor: &mut Option<String>,
) -> Result<Vec<NewItem>, ConnectorError> {
    let mut items = Vec::new();
    for _ in 0..200 {
        let page = c.fetch_new(cursor.as_deref()).await?;
        assert!(page.problems.is_empty(), "{:?}", page.problems);
        items.extend(page.items);
        if page.cursor.is_some() {
            *cursor = page.cursor;
        }
        if !page.more {
            return Ok(items);
        }
    }
    panic!("a pass that never ends");
}

/// Items by remote id.
pub fn by_id(items: &[NewItem]) -> BTreeMap<String, NewItem> {
    items
        .iter()
        .map(|i| (i.remote_id.clone(), i.clone()))
        .collect()
}

/// An item as the store would hand it to the connector.
pub fn stored(new: NewItem) -> Item {
    Item::from_new(ItemId::generate(), new, Utc::now())
}

/// The world's items after one sync by a new connector, as stored.
pub async fn synced(world: &FacebookWorld) -> BTreeMap<String, Item> {
    let items = pass(&connector(world), &mut None).await.unwrap();
    items
        .into_iter()
        .map(|i| (i.remote_id.clone(), stored(i)))
        .collect()
}

/// Starts the world (see the module doc).
pub fn start_facebook_world() -> FacebookWorld {
    start_facebook_world_with(|_, _| None)
}

/// Starts the world with `scene` answering first: it gets each request and its path under
/// [`VERSION`], and answers what it wants to change (`None`: the world answers).
pub fn start_facebook_world_with(
    mut scene: impl FnMut(&ApiRequest, &str) -> Option<Reply> + Send + 'static,
) -> FacebookWorld {
    let mut sent = 0u32;
    let api = FakeApi::start(move |request| {
        let base = format!("http://{}", request.header("host").unwrap_or("127.0.0.1"));
        if !request
            .header("authorization")
            .is_some_and(|h| h.starts_with("Bearer "))
        {
            return graph_error(400, 190, "An active access token must be used");
        }
        let Some(path) = request.path.strip_prefix(VERSION) else {
            return Reply::not_found(request);
        };
        let path = path.to_string();
        if let Some(reply) = scene(request, &path) {
            return reply;
        }
        route(request, &path, &base, &mut sent)
    });
    FacebookWorld { api }
}

fn route(request: &ApiRequest, path: &str, base: &str, sent: &mut u32) -> Reply {
    let page = format!("/{PAGE_ID}");
    match (request.method.as_str(), path) {
        ("GET", p) if p == format!("{page}/feed") => Reply::json(200, &feed()),
        ("GET", p) if p == format!("{page}/tagged") => Reply::json(200, &tagged()),
        ("GET", p) if p == format!("{page}/conversations") => {
            Reply::recorded(&fixture("facebook", "conversations.json"), base)
        }
        ("GET", p) if p == format!("/{POST_ID}/comments") => match request.param("after") {
            Some("after") => Reply::json(200, &second_comments_page()),
            _ => Reply::recorded(&fixture("facebook", "comments-p1.json"), base),
        },
        ("GET", p) if p.ends_with("/comments") => Reply::json(200, &json!({"data": []})),
        ("GET", p) if p == format!("/{CONVERSATION_ID}/messages") => {
            Reply::recorded(&fixture("facebook", "messages.json"), base)
        }
        ("GET", p) if p == format!("/{OTHER_CONVERSATION_ID}/messages") => {
            Reply::json(200, &json!({"data": [text_message()]}))
        }
        ("GET", p) if p == format!("/{POST_ID}") => Reply::json(200, &post()),
        ("GET", p) if p == format!("/{TAGGED_ID}") => Reply::json(200, &tagged()["data"][0]),
        ("GET", _) => Reply::recorded(&fixture("facebook", "comment.json"), base),
        ("POST", p) if p == format!("{page}/messages") => {
            *sent += 1;
            let recipient = request.json()["recipient"]["id"].clone();
            Reply::json(
                200,
                &json!({"recipient_id": recipient, "message_id": format!("m_sent{sent}")}),
            )
        }
        ("POST", p) if p == format!("{page}/blocked") => {
            let who = request.json();
            let id = who["user"][0]
                .as_str()
                .or(who["psid"][0].as_str())
                .unwrap_or("");
            Reply::json(200, &json!({ id: true }))
        }
        ("POST", p) if p.ends_with("/comments") => {
            Reply::recorded(&fixture("facebook", "comment-create.json"), base)
        }
        ("POST", _) | ("DELETE", _) => Reply::json(200, &json!({"success": true})),
        _ => Reply::not_found(request),
    }
}

/// A Graph error body.
pub fn graph_error(status: u16, code: i64, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": {"message": message, "type": "OAuthException", "code": code,
            "fbtrace_id": "AfakeTrace"}}),
    )
}

/// The Page post whose comments are the recorded ones.
pub fn post() -> Value {
    json!({
        "id": POST_ID,
        "message": "What would you like to see from the Graph API next?",
        "created_time": "2021-08-10T18:00:00+0000",
        "from": {"id": PAGE_ID, "name": "MyLife"},
        "permalink_url": "https://www.facebook.com/2121008874780932/posts/10158407654328553/"
    })
}

/// The feed: [`post`] first, then the recorded feed's posts.
pub fn feed() -> Value {
    let mut recorded = fixture_body("facebook", "feed-p1.json");
    let data = recorded["data"].as_array_mut().expect("recorded feed data");
    data.insert(0, post());
    recorded
}

/// Page 2 of the post's comments: one comment with `id` and `from`, and no next page.
pub fn second_comments_page() -> Value {
    json!({
        "data": [{
            "id": SECOND_PAGE_COMMENT,
            "message": "Is the Graph API down for anyone else?",
            "created_time": "2021-08-10T18:30:00+0000",
            "from": {"id": "5550001", "name": "Dana"},
            "permalink_url": "https://www.facebook.com/2121008874780932/posts/10158407654328553/?comment_id=10158400000000001"
        }],
        "paging": {"cursors": {"before": "b2", "after": "a2"}}
    })
}

/// `/tagged`: one customer post that tags the Page.
pub fn tagged() -> Value {
    json!({"data": [{
        "id": TAGGED_ID,
        "message": "Still waiting on MyLife to answer my ticket",
        "created_time": "2021-08-12T10:00:00+0000",
        "from": {"id": "5550002", "name": "Eli"},
        "permalink_url": "https://www.facebook.com/5550002/posts/7770001"
    }]})
}

/// The one message of the other conversation (its recorded snippet: "hehe").
pub fn text_message() -> Value {
    json!({
        "id": TEXT_MESSAGE_ID,
        "message": "hehe",
        "created_time": "2021-07-23T09:30:39+0000",
        "from": {"id": TEXT_MESSAGE_AUTHOR, "name": "Fran"},
        "to": {"data": [{"id": PAGE_ID, "name": "MyLife"}]}
    })
}
