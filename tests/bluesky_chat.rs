//! Bluesky DMs: the chat client (`connectors::bluesky::chat`) against the loopback chat
//! service of `tests/common/bsky_chat.rs`, which serves `chat.bsky.convo.*` by the lexicons
//! in `../shared/fixtures/bluesky/lexicons/` and refuses what breaks them; and the lexicon
//! validator itself, lexicon by lexicon.

mod common;

use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::{json, Value};
use switchboard::config::AccountConfig;
use switchboard::connectors::bluesky::chat::{self, Chat, ChatPage};
use switchboard::connectors::credentials::{self, Secret};
use switchboard::connectors::http::{HttpClient, HttpOptions};
use switchboard::connectors::ConnectorError;
use switchboard::model::{Kind, Platform};

use common::bsky_chat::{chat_lexicons, Account, ChatServer, Fault, MethodKind, PROXY};

const ACCOUNT: &str = "acme-bsky";
const GET_LOG: &str = "chat.bsky.convo.getLog";
const SEND: &str = "chat.bsky.convo.sendMessage";

fn options() -> HttpOptions {
    HttpOptions {
        inline_wait: Duration::from_secs(2),
        ..common::quick_http_options()
    }
}

/// A token as the connector holds one.
fn secret(token: &str) -> Secret {
    let account: AccountConfig = toml::from_str(&format!(
        "name = \"{ACCOUNT}\"\nplatform = \"bluesky\"\ntoken = \"{token}\""
    ))
    .expect("account config");
    credentials::token(&account).expect("token")
}

/// A server with the brand and one customer in a convo.
struct World {
    server: ChatServer,
    brand: Account,
    alice: Account,
    convo: String,
    http: HttpClient,
    token: Secret,
}

impl World {
    async fn new() -> World {
        let server = ChatServer::start().await;
        let brand = server.account("acme");
        let alice = server.account("alice");
        let convo = server.start_convo(&alice, &brand);
        let http = HttpClient::new(&server.base(), options()).expect("client");
        let token = secret(&brand.token);
        World {
            server,
            brand,
            alice,
            convo,
            http,
            token,
        }
    }

    fn chat(&self) -> Chat<'_> {
        Chat::new(&self.http, &self.token)
    }

    async fn sync(&self, cursor: Option<&str>) -> Result<ChatPage, ConnectorError> {
        self.chat()
            .new_messages(cursor, ACCOUNT, &self.brand.did)
            .await
    }

    /// Every page until `more` is false: the items' texts, and the last cursor.
    async fn sync_all(&self, cursor: &str) -> (Vec<String>, String, usize) {
        let mut cursor = cursor.to_string();
        let mut texts = Vec::new();
        let mut pages = 0;
        loop {
            let page = self.sync(Some(&cursor)).await.expect("sync");
            pages += 1;
            assert!(page.problems.is_empty(), "{:?}", page.problems);
            texts.extend(page.items.into_iter().map(|i| i.text));
            cursor = page.cursor.expect("a cursor");
            if !page.more {
                return (texts, cursor, pages);
            }
            assert!(pages < 50, "endless paging");
        }
    }

    /// A raw XRPC call as `who`, with the proxy header.
    async fn raw(&self, who: &Account, method: &str, nsid: &str, query: &str) -> (u16, Value) {
        let url = format!("{}/xrpc/{nsid}{query}", self.server.base());
        let request = reqwest::Client::new()
            .request(method.parse().unwrap(), url)
            .bearer_auth(&who.token)
            .header("atproto-proxy", PROXY);
        answer(request).await
    }

    async fn post(&self, who: &Account, nsid: &str, body: Value) -> (u16, Value) {
        let url = format!("{}/xrpc/{nsid}", self.server.base());
        let request = reqwest::Client::new()
            .post(url)
            .bearer_auth(&who.token)
            .header("atproto-proxy", PROXY)
            .json(&body);
        answer(request).await
    }
}

async fn answer(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

fn texts(page: &ChatPage) -> Vec<&str> {
    page.items.iter().map(|i| i.text.as_str()).collect()
}

#[tokio::test]
async fn a_customer_dm_arrives_once_then_only_the_new_ones() {
    let w = World::new().await;
    let first_id = w
        .server
        .send(&w.alice, &w.convo, "Where is my order #1234?");

    let first = w.sync(None).await.unwrap();
    assert!(first.problems.is_empty(), "{:?}", first.problems);
    assert!(!first.more);
    assert_eq!(first.items.len(), 1);
    let item = &first.items[0];
    assert_eq!(item.platform, Platform::Bluesky);
    assert_eq!(item.account, ACCOUNT);
    assert_eq!(item.kind, Kind::Dm);
    assert_eq!(item.remote_id, chat::remote_id(&w.convo, &first_id));
    assert_eq!(item.thread_id.as_deref(), Some(w.convo.as_str()));
    assert_eq!(item.parent_id, None);
    assert_eq!(item.author.id, w.alice.did);
    assert_eq!(item.author.handle, "alice.test");
    assert_eq!(item.author.name, "Alice");
    assert_eq!(item.text, "Where is my order #1234?");
    assert!(!item.from_brand);
    assert_eq!(item.url, None);
    let raw = item.raw.as_ref().expect("raw view");
    assert_eq!(raw["id"], json!(first_id));
    assert_eq!(
        raw["sentAt"].as_str().map(|s| s.parse().unwrap()),
        Some(item.created_at)
    );
    let cursor = first.cursor.expect("the log's cursor");

    let again = w.sync(Some(&cursor)).await.unwrap();
    assert!(again.items.is_empty(), "{:?}", texts(&again));
    assert!(!again.more);
    assert_eq!(again.cursor.as_deref(), Some(cursor.as_str()));

    w.server.send(&w.alice, &w.convo, "Hello?");
    w.server.send(&w.alice, &w.convo, "Anyone there?");
    let (new, cursor, _) = w.sync_all(&cursor).await;
    assert_eq!(new, ["Hello?", "Anyone there?"]);
    let (none, _, pages) = w.sync_all(&cursor).await;
    assert!(none.is_empty(), "{none:?}");
    assert_eq!(pages, 1);
    assert!(w.server.violations().is_empty());
}

#[tokio::test]
async fn an_account_without_a_log_syncs_from_the_backlog_until_it_has_one() {
    let server = ChatServer::start().await;
    let brand = server.account("acme");
    let http = HttpClient::new(&server.base(), options()).unwrap();
    let token = secret(&brand.token);
    let chat = Chat::new(&http, &token);
    let empty = chat.new_messages(None, ACCOUNT, &brand.did).await.unwrap();
    assert!(empty.items.is_empty() && empty.cursor.is_none() && !empty.more);

    let bob = server.account("bob");
    let convo = server.start_convo(&bob, &brand);
    server.send(&bob, &convo, "hi there");
    let page = chat.new_messages(None, ACCOUNT, &brand.did).await.unwrap();
    assert_eq!(texts(&page), ["hi there"]);
    assert!(page.cursor.is_some());
}

#[tokio::test]
async fn the_first_sync_reads_a_bounded_backlog() {
    let w = World::new().await;
    for name in ["bob", "carol", "dave"] {
        let customer = w.server.account(name);
        let convo = w.server.start_convo(&customer, &w.brand);
        for n in 1..=3 {
            w.server.send(&customer, &convo, &format!("{name} {n}"));
        }
    }
    let page = w
        .chat()
        .with_backlog(2, 2)
        .new_messages(None, ACCOUNT, &w.brand.did)
        .await
        .unwrap();
    // The two convos with the latest activity, the two newest messages of each, in order.
    let mut got = texts(&page);
    got.sort();
    assert_eq!(got, ["carol 2", "carol 3", "dave 2", "dave 3"]);
    let limits: Vec<String> = w
        .server
        .seen()
        .into_iter()
        .filter(|s| s.nsid.ends_with("listConvos") || s.nsid.ends_with("getMessages"))
        .map(|s| s.query)
        .collect();
    assert!(limits.iter().all(|q| q.contains("limit=2")), "{limits:?}");
}

#[tokio::test]
async fn the_brands_reply_is_held_once_and_find_sent_finds_it() {
    let w = World::new().await;
    w.server.send(&w.alice, &w.convo, "Where is my order?");
    let cursor = w.sync(None).await.unwrap().cursor.unwrap();
    let before = Utc::now();

    let text = "It ships tomorrow — sorry for the wait!";
    let sent = w
        .chat()
        .send(&w.convo, text, ACCOUNT, &w.brand.did)
        .await
        .unwrap();
    assert!(sent.from_brand);
    assert_eq!(sent.kind, Kind::Dm);
    assert_eq!(sent.author.id, w.brand.did);
    assert_eq!(sent.thread_id.as_deref(), Some(w.convo.as_str()));
    assert!(sent.remote_id.starts_with(&format!("{}/", w.convo)));
    let held: Vec<_> = w
        .server
        .messages(&w.convo)
        .into_iter()
        .filter(|(sender, _, _)| *sender == w.brand.did)
        .collect();
    assert_eq!(held, [(w.brand.did.clone(), text.to_string(), false)]);
    assert_eq!(w.server.calls(SEND, 200), 1);

    // It comes back through the log as ours, under the same remote id.
    let page = w.sync(Some(&cursor)).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].remote_id, sent.remote_id);
    assert!(page.items[0].from_brand);
    assert_eq!(page.items[0].author.handle, "acme.test");

    let find = |text: &'static str, not_before| {
        let chat = w.chat();
        let convo = w.convo.clone();
        let did = w.brand.did.clone();
        async move {
            chat.find_sent(&convo, text, ACCOUNT, &did, not_before)
                .await
                .unwrap()
        }
    };
    let found = find(text, before).await.expect("found");
    assert_eq!(found.remote_id, sent.remote_id);
    assert!(find("A text never sent", before).await.is_none());
    // A customer's identical words are not ours.
    assert!(find("Where is my order?", before).await.is_none());
    assert!(find(text, before + chrono::Duration::minutes(10))
        .await
        .is_none());
}

#[tokio::test]
async fn a_send_whose_answer_is_lost_is_not_repeated_and_is_found() {
    let w = World::new().await;
    let before = Utc::now();
    w.server.inject(SEND, Fault::FailAfterProcessing);
    let err = w
        .chat()
        .send(&w.convo, "On its way!", ACCOUNT, &w.brand.did)
        .await
        .unwrap_err();
    assert!(matches!(err, ConnectorError::Transient(_)), "{err:?}");
    // A write without an idempotency key is never sent twice by the client.
    assert_eq!(w.server.calls(SEND, 500), 1);
    assert_eq!(w.server.calls(SEND, 200), 0);
    assert_eq!(w.server.messages(&w.convo).len(), 1);
    let found = w
        .chat()
        .find_sent(&w.convo, "On its way!", ACCOUNT, &w.brand.did, before)
        .await
        .unwrap()
        .expect("the lost send is found");
    assert!(found.from_brand);
}

#[tokio::test]
async fn text_beyond_the_lexicon_is_refused_before_and_by_the_server() {
    let w = World::new().await;
    let long = "é".repeat(1001);
    let err = w
        .chat()
        .send(&w.convo, &long, ACCOUNT, &w.brand.did)
        .await
        .unwrap_err();
    match err {
        ConnectorError::Refused(reason) => assert!(reason.contains("1001 characters"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert!(w.server.seen().iter().all(|s| s.nsid != SEND));

    // Sent anyway, the server's validator refuses it.
    let body = json!({"convoId": w.convo, "message": {"text": long}});
    let (status, answer) = w.post(&w.brand, SEND, body).await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"], "InvalidRequest");
    assert!(
        answer["message"].as_str().unwrap().contains("maxGraphemes"),
        "{answer}"
    );
    assert!(w.server.messages(&w.convo).is_empty());
}

#[tokio::test]
async fn a_500_is_retried_by_the_client() {
    let w = World::new().await;
    let cursor = w.sync(None).await.unwrap().cursor.unwrap();
    w.server.send(&w.alice, &w.convo, "still waiting");
    w.server.inject(GET_LOG, Fault::ServerError);
    let page = w.sync(Some(&cursor)).await.unwrap();
    assert_eq!(texts(&page), ["still waiting"]);
    assert_eq!(w.server.calls(GET_LOG, 500), 1);
}

#[tokio::test]
async fn a_short_429_is_waited_out() {
    let w = World::new().await;
    let cursor = w.sync(None).await.unwrap().cursor.unwrap();
    w.server.send(&w.alice, &w.convo, "hello?");
    w.server
        .inject(GET_LOG, Fault::RateLimited { retry_after: 1 });
    let started = Instant::now();
    let page = w.sync(Some(&cursor)).await.unwrap();
    assert_eq!(texts(&page), ["hello?"]);
    assert_eq!(w.server.calls(GET_LOG, 429), 1);
    assert!(started.elapsed() >= Duration::from_millis(500), "no wait");
}

#[tokio::test]
async fn a_long_429_ends_the_pass_as_rate_limited() {
    let w = World::new().await;
    let cursor = w.sync(None).await.unwrap().cursor.unwrap();
    w.server.send(&w.alice, &w.convo, "hello?");
    w.server
        .inject(GET_LOG, Fault::RateLimited { retry_after: 120 });
    let err = w.sync(Some(&cursor)).await.unwrap_err();
    match err {
        ConnectorError::RateLimited { until } => {
            assert!(
                until > Utc::now() + chrono::Duration::seconds(100),
                "{until}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(w.server.calls(GET_LOG, 429), 1);
}

#[tokio::test]
async fn a_malformed_answer_moves_nothing_and_loses_nothing() {
    let w = World::new().await;
    let cursor = w.sync(None).await.unwrap().cursor.unwrap();
    w.server.send(&w.alice, &w.convo, "are you there?");
    w.server.inject(GET_LOG, Fault::Malformed);
    let err = w.sync(Some(&cursor)).await.unwrap_err();
    assert!(matches!(err, ConnectorError::Transient(_)), "{err:?}");
    // The engine keeps the old cursor; the next pass reads the message.
    let page = w.sync(Some(&cursor)).await.unwrap();
    assert_eq!(texts(&page), ["are you there?"]);
}

#[tokio::test]
async fn a_long_log_comes_in_pages_each_message_once() {
    let w = World::new().await;
    let cursor = w.sync(None).await.unwrap().cursor.unwrap();
    w.server.set_log_page(2);
    for n in 1..=5 {
        w.server.send(&w.alice, &w.convo, &format!("message {n}"));
    }
    let (got, _, pages) = w.sync_all(&cursor).await;
    assert_eq!(
        got,
        [
            "message 1",
            "message 2",
            "message 3",
            "message 4",
            "message 5"
        ]
    );
    assert!(pages >= 3, "{pages} pages");
}

#[tokio::test]
async fn other_log_entries_deleted_and_unknown_messages_only_move_the_cursor() {
    let w = World::new().await;
    let cursor = w.sync(None).await.unwrap().cursor.unwrap();

    // Deleted before it was read: its create entry shows a #deletedMessageView.
    let gone = w.server.send(&w.alice, &w.convo, "oops, wrong chat");
    w.server.delete(&w.convo, &gone);
    // The brand reads the convo (#logReadConvo).
    let (status, _) = w
        .post(
            &w.brand,
            "chat.bsky.convo.updateRead",
            json!({"convoId": w.convo}),
        )
        .await;
    assert_eq!(status, 200);
    // Kinds from a newer lexicon: a log entry and a message view.
    w.server.push_log(
        &w.brand,
        json!({"$type": "chat.bsky.convo.defs#logPinMessage", "convoId": w.convo}),
    );
    w.server.push_log(
        &w.brand,
        json!({"$type": "chat.bsky.convo.defs#logCreateMessage", "convoId": w.convo,
               "message": {"$type": "chat.bsky.convo.defs#pollView", "id": "p1"}}),
    );

    let page = w.sync(Some(&cursor)).await.unwrap();
    assert!(page.items.is_empty(), "{:?}", texts(&page));
    assert!(page.problems.is_empty(), "{:?}", page.problems);
    let moved = page.cursor.unwrap();
    assert!(moved > cursor);
    let (none, _, _) = w.sync_all(&moved).await;
    assert!(none.is_empty());
}

#[tokio::test]
async fn handles_come_from_the_convo_when_the_entry_names_no_one() {
    let w = World::new().await;
    let cursor = w.sync(None).await.unwrap().cursor.unwrap();
    let sent_at = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    w.server.push_log(
        &w.brand,
        json!({"$type": "chat.bsky.convo.defs#logCreateMessage", "convoId": w.convo,
               "message": {"$type": "chat.bsky.convo.defs#messageView", "id": "m-old",
                           "rev": "2222222222222", "text": "from an older service",
                           "sender": {"did": w.alice.did}, "sentAt": sent_at}}),
    );
    let page = w.sync(Some(&cursor)).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].author.handle, "alice.test");
    assert_eq!(w.server.calls("chat.bsky.convo.getConvo", 200), 1);
}

#[tokio::test]
async fn the_server_refuses_requests_that_break_the_lexicon() {
    let w = World::new().await;
    let list = "chat.bsky.convo.listConvos";

    // Through the client: a 400 is a refusal naming the server's reason.
    let call = switchboard::connectors::http::Call::get(format!("/xrpc/{list}"))
        .query("limit", 1000)
        .bearer(&w.token)
        .header(
            reqwest::header::HeaderName::from_static("atproto-proxy"),
            PROXY,
        );
    match w.http.send(&call).await.unwrap_err() {
        ConnectorError::Refused(reason) => {
            assert!(reason.contains("400"), "{reason}");
            assert!(reason.contains("above the maximum 100"), "{reason}");
        }
        other => panic!("{other:?}"),
    }

    let cases: [(&str, &str, &str, u16, &str); 8] = [
        ("GET", list, "?limit=1000", 400, "InvalidRequest"),
        ("GET", list, "?limit=0", 400, "InvalidRequest"),
        ("GET", list, "?limit=ten", 400, "InvalidRequest"),
        ("GET", list, "?convo_id=x", 400, "InvalidRequest"),
        (
            "GET",
            "chat.bsky.convo.getMessages",
            "",
            400,
            "InvalidRequest",
        ),
        ("GET", SEND, "", 400, "InvalidRequest"),
        ("POST", GET_LOG, "", 400, "InvalidRequest"),
        (
            "GET",
            "chat.bsky.convo.deleteMessageForSelf",
            "",
            501,
            "MethodNotImplemented",
        ),
    ];
    for (method, nsid, query, status, error) in cases {
        let (got, body) = w.raw(&w.brand, method, nsid, query).await;
        assert_eq!(
            (got, body["error"].as_str()),
            (status, Some(error)),
            "{method} {nsid}{query}: {body}"
        );
        assert!(body["message"].is_string(), "{body}");
    }
    let members = format!("?members={}", "did:plc:x&members=".repeat(10) + "did:plc:y");
    let (got, body) = w
        .raw(
            &w.brand,
            "GET",
            "chat.bsky.convo.getConvoForMembers",
            &members,
        )
        .await;
    assert_eq!(
        (got, body["error"].as_str()),
        (400, Some("InvalidRequest")),
        "{body}"
    );
    let (got, _) = w
        .raw(
            &w.brand,
            "GET",
            "chat.bsky.convo.getConvoForMembers",
            "?members=alice",
        )
        .await;
    assert_eq!(got, 400);
    let (got, body) = w
        .post(&w.brand, SEND, json!({"convoId": w.convo, "message": {}}))
        .await;
    assert_eq!(
        (got, body["error"].as_str()),
        (400, Some("InvalidRequest")),
        "{body}"
    );
    let (got, body) = w
        .post(
            &w.brand,
            SEND,
            json!({"convoId": "nope", "message": {"text": "x"}}),
        )
        .await;
    assert_eq!(
        (got, body["error"].as_str()),
        (400, Some("InvalidConvo")),
        "{body}"
    );

    // Credentials and the proxy header.
    let url = format!("{}/xrpc/{GET_LOG}", w.server.base());
    let bare = reqwest::Client::new()
        .get(&url)
        .header("atproto-proxy", PROXY);
    assert_eq!(answer(bare).await.0, 401);
    let forged = reqwest::Client::new()
        .get(&url)
        .bearer_auth("not-a-token")
        .header("atproto-proxy", PROXY);
    assert_eq!(answer(forged).await.0, 401);
    let unproxied = reqwest::Client::new().get(&url).bearer_auth(&w.brand.token);
    let (got, body) = answer(unproxied).await;
    assert_eq!((got, body["error"].as_str()), (400, Some("InvalidRequest")));
    let client = Chat::new(&w.http, &w.token).with_proxy(None);
    let err = client
        .new_messages(None, ACCOUNT, &w.brand.did)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("atproto-proxy"), "{err}");

    // The same calls done right pass.
    let (got, body) = w
        .raw(
            &w.brand,
            "GET",
            "chat.bsky.convo.getConvoForMembers",
            &format!("?members={}", w.alice.did),
        )
        .await;
    assert_eq!(got, 200, "{body}");
    assert_eq!(body["convo"]["id"], json!(w.convo));
    assert!(w.server.violations().is_empty());
}

// The validator, lexicon by lexicon (no server).

#[test]
fn the_lexicons_load_with_their_methods_and_refs() {
    let lex = chat_lexicons();
    let mut methods = lex.methods();
    methods.sort();
    let kinds: Vec<(String, MethodKind)> = methods
        .iter()
        .map(|m| {
            (
                m.trim_start_matches("chat.bsky.convo.").to_string(),
                lex.method(m).unwrap(),
            )
        })
        .collect();
    use MethodKind::{Procedure, Query};
    let expected = [
        ("getConvo", Query),
        ("getConvoForMembers", Query),
        ("getLog", Query),
        ("getMessages", Query),
        ("listConvos", Query),
        ("sendMessage", Procedure),
        ("updateRead", Procedure),
    ];
    assert_eq!(
        kinds,
        expected
            .iter()
            .map(|(m, k)| (m.to_string(), *k))
            .collect::<Vec<_>>()
    );
    assert_eq!(lex.method("chat.bsky.convo.defs"), None);
    // Everything inside chat.bsky.convo resolves; what does not lives elsewhere.
    for unresolved in lex.unresolved_refs() {
        assert!(
            !unresolved.starts_with("chat.bsky.convo.")
                && unresolved != "chat.bsky.actor.defs#profileViewBasic",
            "{unresolved}"
        );
    }
}

fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn message_view(id: &str, text: &str) -> Value {
    json!({"$type": "chat.bsky.convo.defs#messageView", "id": id, "rev": "3l2222222222a",
           "text": text, "sender": {"did": "did:plc:alice"}, "sentAt": "2026-05-01T10:00:00.000Z"})
}

fn convo_view() -> Value {
    json!({"id": "c1", "rev": "3l2222222222a", "muted": false, "unreadCount": 0,
           "members": [{"did": "did:plc:alice", "handle": "alice.test"}],
           "lastMessage": message_view("m1", "hi"),
           "kind": {"$type": "chat.bsky.convo.defs#directConvo"}})
}

#[test]
fn validator_list_convos() {
    let lex = chat_lexicons();
    let m = "chat.bsky.convo.listConvos";
    assert!(lex.check_params(m, &[]).is_ok());
    assert!(lex
        .check_params(m, &params(&[("limit", "100"), ("status", "request")]))
        .is_ok());
    assert!(
        lex.check_params(m, &params(&[("readState", "anything")]))
            .is_ok(),
        "knownValues are open"
    );
    for bad in [
        vec![("limit", "101")],
        vec![("limit", "0")],
        vec![("limit", "1.5")],
        vec![("limit", "5"), ("limit", "6")],
        vec![("folder", "inbox")],
    ] {
        assert!(lex.check_params(m, &params(&bad)).is_err(), "{bad:?}");
    }
    assert!(lex
        .check_output(m, &json!({"convos": [convo_view()], "cursor": "x"}))
        .is_ok());
    assert!(lex.check_output(m, &json!({"cursor": "x"})).is_err());
    let mut no_unread = convo_view();
    no_unread.as_object_mut().unwrap().remove("unreadCount");
    let err = lex
        .check_output(m, &json!({"convos": [no_unread]}))
        .unwrap_err();
    assert!(err.contains("unreadCount"), "{err}");
}

#[test]
fn validator_get_convo_and_get_convo_for_members() {
    let lex = chat_lexicons();
    let m = "chat.bsky.convo.getConvo";
    assert!(lex.check_params(m, &params(&[("convoId", "c1")])).is_ok());
    assert!(lex.check_params(m, &[]).unwrap_err().contains("convoId"));
    assert!(lex.check_output(m, &json!({"convo": convo_view()})).is_ok());
    let mut bad = convo_view();
    bad["members"][0]["did"] = json!("alice");
    assert!(lex
        .check_output(m, &json!({"convo": bad}))
        .unwrap_err()
        .contains("did"));

    let m = "chat.bsky.convo.getConvoForMembers";
    assert!(lex
        .check_params(m, &params(&[("members", "did:plc:abc")]))
        .is_ok());
    assert!(lex.check_params(m, &[]).is_err());
    assert!(lex
        .check_params(m, &params(&[("members", "@alice")]))
        .is_err());
    let eleven: Vec<(&str, &str)> = (0..11).map(|_| ("members", "did:plc:abc")).collect();
    assert!(lex
        .check_params(m, &params(&eleven))
        .unwrap_err()
        .contains("more than 10"));
}

#[test]
fn validator_get_log() {
    let lex = chat_lexicons();
    let m = "chat.bsky.convo.getLog";
    assert!(lex.check_params(m, &[]).is_ok());
    assert!(lex.check_params(m, &params(&[("cursor", "3l2")])).is_ok());
    let create = json!({"$type": "chat.bsky.convo.defs#logCreateMessage", "rev": "2",
                        "convoId": "c1", "message": message_view("m1", "hi")});
    let future = json!({"$type": "chat.bsky.convo.defs#logPinMessage", "rev": "3"});
    assert!(lex
        .check_output(m, &json!({"logs": [create, future], "cursor": "3"}))
        .is_ok());
    assert!(lex.check_output(m, &json!({"cursor": "3"})).is_err());
    let mut broken = create.clone();
    broken.as_object_mut().unwrap().remove("message");
    assert!(lex.check_output(m, &json!({"logs": [broken]})).is_err());
    let untyped = json!({"rev": "2", "convoId": "c1"});
    assert!(lex
        .check_output(m, &json!({"logs": [untyped]}))
        .unwrap_err()
        .contains("$type"));
    let mut system_in_create = create;
    system_in_create["message"] = json!({"$type": "chat.bsky.convo.defs#systemMessageView",
        "id": "s", "rev": "1", "sentAt": "2026-05-01T10:00:00Z", "data": {}});
    // Not a listed member of logCreateMessage.message, but the union is open.
    assert!(lex
        .check_output(m, &json!({"logs": [system_in_create]}))
        .is_ok());
}

#[test]
fn validator_get_messages() {
    let lex = chat_lexicons();
    let m = "chat.bsky.convo.getMessages";
    assert!(lex
        .check_params(m, &params(&[("convoId", "c1"), ("limit", "1")]))
        .is_ok());
    assert!(lex.check_params(m, &params(&[("limit", "10")])).is_err());
    assert!(lex
        .check_params(m, &params(&[("convoId", "c1"), ("limit", "1000")]))
        .is_err());
    let deleted = json!({"$type": "chat.bsky.convo.defs#deletedMessageView", "id": "m2",
                         "rev": "1", "sender": {"did": "did:plc:a"}, "sentAt": "2026-05-01T10:00:00Z"});
    let ok = json!({"messages": [message_view("m1", "hi"), deleted],
                    "relatedProfiles": [{"did": "did:plc:a", "handle": "a.test"}]});
    assert!(lex.check_output(m, &ok).is_ok());
    let mut no_sender = message_view("m1", "hi");
    no_sender.as_object_mut().unwrap().remove("sender");
    assert!(lex
        .check_output(m, &json!({"messages": [no_sender]}))
        .unwrap_err()
        .contains("sender"));
    let long = message_view("m1", &"x".repeat(1001));
    assert!(lex
        .check_output(m, &json!({"messages": [long]}))
        .unwrap_err()
        .contains("maxGraphemes"));
    let mut bad_time = message_view("m1", "hi");
    bad_time["sentAt"] = json!("yesterday");
    assert!(lex
        .check_output(m, &json!({"messages": [bad_time]}))
        .unwrap_err()
        .contains("datetime"));
    let no_handle = json!({"messages": [], "relatedProfiles": [{"did": "did:plc:a"}]});
    assert!(lex
        .check_output(m, &no_handle)
        .unwrap_err()
        .contains("handle"));
}

#[test]
fn validator_send_message() {
    let lex = chat_lexicons();
    let m = "chat.bsky.convo.sendMessage";
    let input = |text: &str| json!({"convoId": "c1", "message": {"text": text}});
    assert!(lex.check_input(m, &input("hello")).is_ok());
    assert!(lex.check_input(m, &input(&"a".repeat(1000))).is_ok());
    assert!(lex
        .check_input(m, &input(&"a".repeat(1001)))
        .unwrap_err()
        .contains("maxGraphemes"));
    // 1000 graphemes of 4 bytes each: over maxLength (bytes) first.
    let emoji = "😀".repeat(2501);
    assert!(lex
        .check_input(m, &input(&emoji))
        .unwrap_err()
        .contains("maxLength"));
    assert!(lex
        .check_input(m, &json!({"convoId": "c1"}))
        .unwrap_err()
        .contains("message"));
    assert!(lex
        .check_input(m, &json!({"convoId": 7, "message": {"text": "x"}}))
        .is_err());
    let reply = json!({"convoId": "c1", "message": {"text": "x", "replyTo": {}}});
    assert!(lex
        .check_input(m, &reply)
        .unwrap_err()
        .contains("messageId"));
    assert!(lex.check_output(m, &message_view("m1", "hello")).is_ok());
    assert!(lex.check_output(m, &json!({"id": "m1"})).is_err());
}

#[test]
fn validator_update_read_and_defs() {
    let lex = chat_lexicons();
    let m = "chat.bsky.convo.updateRead";
    assert!(lex.check_input(m, &json!({"convoId": "c1"})).is_ok());
    assert!(lex
        .check_input(m, &json!({"convoId": "c1", "messageId": "m1"}))
        .is_ok());
    assert!(lex.check_input(m, &json!({"messageId": "m1"})).is_err());
    assert!(lex.check_output(m, &json!({"convo": convo_view()})).is_ok());
    assert!(lex
        .check_output(m, &json!({"convo": {"id": "c1"}}))
        .is_err());

    let defs = "chat.bsky.convo.defs";
    assert!(lex
        .check(&format!("{defs}#convoView"), &convo_view())
        .is_ok());
    assert!(lex
        .check(
            &format!("{defs}#messageRef"),
            &json!({"did": "did:plc:a", "convoId": "c", "messageId": "m"})
        )
        .is_ok());
    assert!(lex
        .check(&format!("{defs}#messageRef"), &json!({"did": "did:plc:a"}))
        .is_err());
    let mut group = convo_view();
    group["kind"] = json!({"$type": "chat.bsky.convo.defs#groupConvo", "name": "x".repeat(51)});
    assert!(lex.check(&format!("{defs}#convoView"), &group).is_err());
}
