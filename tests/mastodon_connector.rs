//! The Mastodon connector against a real Mastodon-compatible server on loopback
//! (mastodon-mock, tests/servers/MASTODON.md): syncing mentions, replies and DMs page by
//! page with the cursor, threads, replies under an idempotency key, faults mid-sync,
//! moderation and the user stream. Each test starts its own server (about 4 s).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use common::mastodon::{Account, Fault, MastodonMock};
use serde_json::Value;
use switchboard::config::Config;
use switchboard::connectors::http::HttpOptions;
use switchboard::connectors::mastodon::MastodonConnector;
use switchboard::connectors::{Connector, ConnectorError, Moderation, ReplyRequest};
use switchboard::model::{Item, ItemId, Kind, NewItem};

fn options() -> HttpOptions {
    common::quick_http_options()
}

fn connector_with(mock: &MastodonMock, token: &str, extra: &str) -> MastodonConnector {
    let text = format!(
        "[[accounts]]\nname = \"acme-mastodon\"\nplatform = \"mastodon\"\napi_base = \"{}\"\ntoken = \"{token}\"\n{extra}",
        mock.base_url()
    );
    let config = Config::parse(Path::new("test.toml"), &text).unwrap();
    MastodonConnector::new(&config.accounts[0], options()).unwrap()
}

fn connector(mock: &MastodonMock, brand: &Account) -> MastodonConnector {
    connector_with(mock, &brand.token, "")
}

/// What the sync engine does with pages: stores items (one copy per remote id, counting
/// how often each came) and then the cursor.
#[derive(Default)]
struct Store {
    items: BTreeMap<String, NewItem>,
    seen: BTreeMap<String, usize>,
    cursor: Option<String>,
    pages: usize,
}

impl Store {
    /// One pass: pages until `more` is false.
    async fn pass(&mut self, c: &MastodonConnector) -> Result<Vec<NewItem>, ConnectorError> {
        let mut new = Vec::new();
        loop {
            let page = c.fetch_new(self.cursor.as_deref()).await?;
            assert!(page.problems.is_empty(), "{:?}", page.problems);
            self.pages += 1;
            for item in page.items {
                *self.seen.entry(item.remote_id.clone()).or_default() += 1;
                if !self.items.contains_key(&item.remote_id) {
                    new.push(item.clone());
                }
                self.items.insert(item.remote_id.clone(), item);
            }
            if page.cursor.is_some() {
                self.cursor = page.cursor;
            }
            if !page.more {
                return Ok(new);
            }
        }
    }

    fn get(&self, remote_id: &str) -> &NewItem {
        self.items
            .get(remote_id)
            .unwrap_or_else(|| panic!("{remote_id} not synced: {:?}", self.items.keys()))
    }

    fn stored(&self, remote_id: &str) -> Item {
        stored(self.get(remote_id).clone())
    }

    fn assert_each_once(&self) {
        let twice: Vec<_> = self.seen.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "brought more than once: {twice:?}");
    }
}

/// An item as the store gives it to the outbox and moderation: without its raw payload.
fn stored(new: NewItem) -> Item {
    let mut item = Item::from_new(ItemId::generate(), new, Utc::now());
    item.raw = None;
    item
}

fn id(status: &Value) -> String {
    status["id"].as_str().unwrap().to_string()
}

async fn api(mock: &MastodonMock, token: &str, path: &str) -> (u16, Value) {
    let response = mock
        .http()
        .get(mock.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mentions_replies_and_dms_sync_once_each_with_their_threads() {
    let mock = MastodonMock::start();
    let brand = mock.create_account("brand").await;
    let alice = mock.create_account("alice").await;
    let bob = mock.create_account("bob").await;
    let carol = mock.create_account("carol").await;

    let post = mock
        .post_status(&brand, "Our new kettle is out!", "public", None)
        .await;
    let mention = mock.mention(&alice, &brand, "my order is late").await;
    let reply = mock
        .post_status(
            &bob,
            "@brand does it come in red?",
            "public",
            Some(&id(&post)),
        )
        .await;
    let dm = mock
        .direct_message(&carol, &brand, "my address changed")
        .await;
    let follow_up = mock
        .post_status(&bob, "@brand or blue?", "unlisted", Some(&id(&reply)))
        .await;
    // Not a mention: no item, and no request for it.
    let favourite = format!("/api/v1/statuses/{}/favourite", id(&post));
    mock.http()
        .post(mock.url(&favourite))
        .bearer_auth(&carol.token)
        .send()
        .await
        .unwrap();

    let c = connector(&mock, &brand);
    let mut store = Store::default();
    let new = store.pass(&c).await.unwrap();
    store.assert_each_once();
    // verify_credentials, mentions, the reply's context (its parent is new), conversations.
    assert_eq!(c.requests(), 4);
    assert_eq!(new.len(), 5, "{new:?}");

    let m = store.get(&id(&mention));
    assert_eq!(
        (m.kind, m.thread_id.clone()),
        (Kind::Mention, Some(id(&mention)))
    );
    assert_eq!(m.text, "@brand my order is late");
    assert_eq!(m.author.handle, "alice");
    assert_eq!(m.author.id, alice.id);
    assert!(!m.from_brand);
    let r = store.get(&id(&reply));
    assert_eq!(r.kind, Kind::Comment);
    assert_eq!(r.thread_id, Some(id(&post)));
    assert_eq!(r.parent_id, Some(id(&post)));
    let f = store.get(&id(&follow_up));
    assert_eq!(f.kind, Kind::Mention, "answers bob, names the brand");
    assert_eq!(f.thread_id, Some(id(&post)));
    assert_eq!(f.parent_id, Some(id(&reply)));
    let d = store.get(&id(&dm));
    assert_eq!(d.kind, Kind::Dm);
    assert_eq!(d.thread_id, Some(format!("dm:{}", carol.id)));
    // The brand's post comes along as context of the thread.
    let p = store.get(&id(&post));
    assert!(p.from_brand);
    assert_eq!(p.thread_id, Some(id(&post)));

    // Nothing new: one request per feed.
    let before = c.requests();
    assert!(store.pass(&c).await.unwrap().is_empty());
    assert_eq!(c.requests() - before, 2);

    // Another DM from carol lands in the same thread; a burst of 45 mentions pages forward.
    let again = mock
        .direct_message(&carol, &brand, "new address: 1 Main St")
        .await;
    let mut burst = Vec::new();
    for n in 0..45 {
        burst.push(id(&mock
            .mention(&alice, &brand, &format!("ping {n}"))
            .await));
    }
    let before = c.requests();
    let new = store.pass(&c).await.unwrap();
    assert_eq!(new.len(), 46);
    assert_eq!(
        c.requests() - before,
        3,
        "two pages of mentions, one of conversations"
    );
    assert_eq!(
        store.get(&id(&again)).thread_id,
        Some(format!("dm:{}", carol.id))
    );
    for remote in &burst {
        assert_eq!(store.get(remote).kind, Kind::Mention);
    }
    store.assert_each_once();

    // The thread around the follow-up: the brand's post, bob's reply, the follow-up.
    let thread = c
        .fetch_thread(&store.stored(&id(&follow_up)))
        .await
        .unwrap();
    let ids: Vec<&str> = thread.iter().map(|i| i.remote_id.as_str()).collect();
    assert_eq!(ids, [id(&post), id(&reply), id(&follow_up)]);
    assert!(thread.iter().all(|i| i.thread_id == Some(id(&post))));
    assert!(thread[0].from_brand && !thread[1].from_brand);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_reads_the_backlog_newest_first_and_then_what_came_meanwhile() {
    let mock = MastodonMock::start();
    let brand = mock.create_account("brand").await;
    let alice = mock.create_account("alice").await;
    let mut sent = Vec::new();
    for n in 0..95 {
        sent.push(id(&mock.mention(&alice, &brand, &format!("old {n}")).await));
    }
    let c = connector(&mock, &brand);
    let mut store = Store::default();
    // The first page: the newest 40 (the server's cap), more waiting.
    let page = c.fetch_new(None).await.unwrap();
    assert!(page.more);
    assert_eq!(page.items.len(), 40);
    assert_eq!(page.items.last().unwrap().remote_id, sent[94]);
    store.cursor = page.cursor;
    for item in page.items {
        store.items.insert(item.remote_id.clone(), item);
    }
    // Mentions arriving during the first sync are read after the backlog.
    let late = id(&mock.mention(&alice, &brand, "late").await);
    store.pass(&c).await.unwrap();
    assert_eq!(store.items.len(), 95);
    assert!(!store.items.contains_key(&late));
    let new = store.pass(&c).await.unwrap();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].remote_id, late);
    assert!(sent.iter().all(|s| store.items.contains_key(s)));
    store.assert_each_once();
}

fn request(item: Item, text: &str, key: &str) -> ReplyRequest {
    ReplyRequest::new(item, text, key)
}

async fn descendants(mock: &MastodonMock, token: &str, status: &str) -> Vec<Value> {
    let (code, context) = api(mock, token, &format!("/api/v1/statuses/{status}/context")).await;
    assert_eq!(code, 200, "{context}");
    context["descendants"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_land_once_in_the_thread_with_the_audience_of_what_they_answer() {
    let mock = MastodonMock::start();
    let brand = mock.create_account("brand").await;
    let alice = mock.create_account("alice").await;
    let carol = mock.create_account("carol").await;
    let mention = id(&mock.mention(&alice, &brand, "my order is late").await);
    let dm = id(&mock
        .direct_message(&carol, &brand, "my address changed")
        .await);
    let quiet = mock
        .post_status(&alice, "@brand followers only", "private", None)
        .await;
    let c = connector(&mock, &brand);
    let mut store = Store::default();
    store.pass(&c).await.unwrap();

    // A public reply, addressed to alice, once however often it is sent.
    let ask = request(
        store.stored(&mention),
        "It left the warehouse today.",
        "reply-1",
    );
    let sent = c.send_reply(&ask).await.unwrap().reply;
    assert!(sent.from_brand);
    assert_eq!(sent.parent_id.as_deref(), Some(mention.as_str()));
    assert_eq!(sent.thread_id.as_deref(), Some(mention.as_str()));
    assert_eq!(sent.text, "@alice It left the warehouse today.");
    assert_eq!(sent.author.id, brand.id);
    let again = c.send_reply(&ask).await.unwrap().reply;
    assert_eq!(again.remote_id, sent.remote_id);
    let under = descendants(&mock, &brand.token, &mention).await;
    assert_eq!(under.len(), 1, "{under:?}");
    assert_eq!(under[0]["id"], sent.remote_id.as_str());
    assert_eq!(under[0]["visibility"], "public");
    assert_eq!(under[0]["in_reply_to_account_id"], alice.id.as_str());

    // After a crash, the reply is found on the server (and a reply never sent is not).
    let found = c.find_sent(&ask).await.unwrap().expect("found");
    assert_eq!(found.reply.remote_id, sent.remote_id);
    let other = request(store.stored(&mention), "Something else.", "reply-2");
    assert!(c.find_sent(&other).await.unwrap().is_none());

    // A DM is answered directly, in the DM's thread, and carol sees it.
    let ask = request(store.stored(&dm), "Noted, thank you.", "reply-3");
    let sent = c.send_reply(&ask).await.unwrap().reply;
    assert_eq!(sent.kind, Kind::Dm);
    assert_eq!(sent.thread_id, Some(format!("dm:{}", carol.id)));
    let (_, status) = api(
        &mock,
        &carol.token,
        &format!("/api/v1/statuses/{}", sent.remote_id),
    )
    .await;
    assert_eq!(status["visibility"], "direct");
    assert_eq!(status["in_reply_to_id"], dm.as_str());

    // A fresh connector (nothing in memory, no raw payload) asks the server for the audience.
    let fresh = connector(&mock, &brand);
    let before = fresh.requests();
    let ask = request(store.stored(&id(&quiet)), "We will DM you.", "reply-4");
    let sent = fresh.send_reply(&ask).await.unwrap().reply;
    assert_eq!(
        fresh.requests() - before,
        3,
        "credentials, the status, the reply"
    );
    let (_, status) = api(
        &mock,
        &brand.token,
        &format!("/api/v1/statuses/{}", sent.remote_id),
    )
    .await;
    assert_eq!(status["visibility"], "private");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_mid_sync_lose_nothing_and_bring_nothing_twice() {
    let mock = MastodonMock::start();
    let brand = mock.create_account("brand").await;
    let alice = mock.create_account("alice").await;
    let c = connector(&mock, &brand);
    let mut store = Store::default();
    let mut sent = Vec::new();
    let notifications = "/api/v1/notifications";

    // A short rate limit is waited out in place.
    sent.push(id(&mock.mention(&alice, &brand, "one").await));
    mock.inject(
        Fault::rate_limit(notifications)
            .method("GET")
            .times(1)
            .header("Retry-After", "1"),
    )
    .await;
    let started = Instant::now();
    assert_eq!(store.pass(&c).await.unwrap().len(), 1);
    assert!(started.elapsed() >= Duration::from_millis(900));

    // A 500 is retried.
    sent.push(id(&mock.mention(&alice, &brand, "two").await));
    mock.inject(Fault::status(notifications, 500).times(1))
        .await;
    assert_eq!(store.pass(&c).await.unwrap().len(), 1);

    // A body that is not JSON fails the page; the cursor stays and the page comes again.
    sent.push(id(&mock.mention(&alice, &brand, "three").await));
    mock.inject(Fault::malformed(notifications).times(1)).await;
    let cursor = store.cursor.clone();
    match store.pass(&c).await {
        Err(ConnectorError::Transient(why)) => assert!(why.contains("unreadable"), "{why}"),
        other => panic!("expected a transient failure, got {other:?}"),
    }
    assert_eq!(store.cursor, cursor);
    // Failing for good (every attempt a 503) is transient too, and nothing moves.
    mock.inject(Fault::status(notifications, 503).times(4))
        .await;
    assert!(matches!(
        store.pass(&c).await,
        Err(ConnectorError::Transient(_))
    ));
    assert_eq!(store.cursor, cursor);
    // The conversations page failing after the mentions page was stored.
    sent.push(id(&mock.mention(&alice, &brand, "four").await));
    mock.inject(Fault::malformed("/api/v1/conversations").times(1))
        .await;
    assert!(store.pass(&c).await.is_err());
    assert_eq!(
        store.pass(&c).await.unwrap().len(),
        0,
        "read before the failure"
    );
    assert_eq!(store.items.len(), 4);
    assert!(sent.iter().all(|s| store.items.contains_key(s)));
    store.assert_each_once();

    // A long rate limit ends the pass with when to come back.
    let limited = connector(&mock, &brand);
    mock.inject(Fault::rate_limit(notifications).method("GET").times(1))
        .await;
    match Store::default().pass(&limited).await {
        Err(ConnectorError::RateLimited { until }) => {
            let wait = until - Utc::now();
            assert!(wait > chrono::Duration::seconds(200), "{wait}");
        }
        other => panic!("expected rate-limited, got {other:?}"),
    }

    // A refused token is an authentication failure that does not show the token.
    let bad = connector_with(&mock, "not-a-token", "");
    match bad.fetch_new(None).await {
        Err(ConnectorError::Auth(why)) => {
            assert!(why.contains("401"), "{why}");
            assert!(!why.contains("not-a-token"));
        }
        other => panic!("expected an auth failure, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderation_reaches_the_server() {
    let mock = MastodonMock::start();
    let brand = mock.create_account("brand").await;
    let troll = mock.create_account("troll").await;
    let ours = id(&mock
        .post_status(&brand, "Spring sale!", "public", None)
        .await);
    let insult = mock
        .post_status(&troll, "@brand you are all idiots", "public", Some(&ours))
        .await;
    let insult = id(&insult);
    let spam = id(&mock.mention(&troll, &brand, "cheap pills").await);
    let c = connector(&mock, &brand);
    let mut store = Store::default();
    store.pass(&c).await.unwrap();
    let item = store.stored(&insult);

    c.moderate(&item, &Moderation::Mute).await.unwrap();
    let (_, mutes) = api(&mock, &brand.token, "/api/v1/mutes").await;
    assert_eq!(mutes[0]["id"], troll.id.as_str());
    c.moderate(&item, &Moderation::Block).await.unwrap();
    c.moderate(&item, &Moderation::Block).await.unwrap();
    let (_, blocks) = api(&mock, &brand.token, "/api/v1/blocks").await;
    assert_eq!(blocks.as_array().unwrap().len(), 1);
    assert_eq!(blocks[0]["id"], troll.id.as_str());
    let reason = Moderation::Report {
        reason: "insults our staff".into(),
    };
    c.moderate(&item, &reason).await.unwrap();
    let path = format!("/api/v1/admin/reports?target_account_id={}", troll.id);
    let (_, reports) = api(&mock, &brand.token, &path).await;
    assert_eq!(reports.as_array().unwrap().len(), 1, "{reports}");
    assert_eq!(reports[0]["comment"], "insults our staff");
    assert_eq!(reports[0]["statuses"][0]["id"], insult.as_str());

    // Dismiss: with the notification remembered, and found again by a fresh connector.
    let mentions = |token: String| {
        let mock = &mock;
        async move {
            let (_, list) = api(mock, &token, "/api/v1/notifications?types[]=mention").await;
            list.as_array().unwrap().len()
        }
    };
    assert_eq!(mentions(brand.token.clone()).await, 2);
    c.moderate(&item, &Moderation::Dismiss).await.unwrap();
    assert_eq!(mentions(brand.token.clone()).await, 1);
    let fresh = connector(&mock, &brand);
    fresh
        .moderate(&store.stored(&spam), &Moderation::Dismiss)
        .await
        .unwrap();
    assert_eq!(mentions(brand.token.clone()).await, 0);
    c.moderate(&item, &Moderation::Dismiss).await.unwrap();

    // Delete: the brand's own post only (and once gone, it stays done).
    assert!(matches!(
        c.moderate(&item, &Moderation::Delete).await,
        Err(ConnectorError::Unsupported(_))
    ));
    let post = store.stored(&ours);
    assert!(post.from_brand);
    c.moderate(&post, &Moderation::Delete).await.unwrap();
    let (code, _) = api(&mock, &brand.token, &format!("/api/v1/statuses/{ours}")).await;
    assert_eq!(code, 404);
    c.moderate(&post, &Moderation::Delete).await.unwrap();

    match c.moderate(&item, &Moderation::Hide).await {
        Err(ConnectorError::Unsupported(why)) => assert!(why.contains("no hidden replies")),
        other => panic!("expected unsupported, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_user_stream_wakes_the_sync_on_a_new_mention() {
    let mock = MastodonMock::start();
    let brand = mock.create_account("brand").await;
    let alice = mock.create_account("alice").await;
    let c = connector(&mock, &brand);
    let wakes = AtomicUsize::new(0);
    let wake = || {
        wakes.fetch_add(1, Ordering::SeqCst);
    };
    let stream = c.stream(&wake).expect("mastodon streams");
    let deadline = Instant::now() + Duration::from_secs(10);
    let poster = async {
        // Until the stream is surely listening, mention again every half second.
        while wakes.load(Ordering::SeqCst) == 0 {
            assert!(Instant::now() < deadline, "no wake-up within 10 s");
            mock.mention(&alice, &brand, "anyone there?").await;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    };
    tokio::select! {
        ended = stream => panic!("the stream ended first: {ended:?}"),
        () = poster => {}
    }
    assert!(wakes.load(Ordering::SeqCst) >= 1);

    // Streaming can be turned off; a refused token fails the stream at once.
    let off = connector_with(&mock, &brand.token, "streaming = false");
    assert!(off.stream(&wake).is_none());
    let bad = connector_with(&mock, "not-a-token", "");
    let failed = tokio::time::timeout(Duration::from_secs(5), bad.stream(&wake).unwrap()).await;
    assert!(
        matches!(failed, Ok(Err(ConnectorError::Auth(_)))),
        "{failed:?}"
    );
}

#[test]
fn connecting_needs_an_instance_and_a_token_and_says_which_account() {
    let account = |extra: &str| {
        let text = format!("[[accounts]]\nname = \"acme-masto\"\nplatform = \"mastodon\"\n{extra}");
        Config::parse(Path::new("t.toml"), &text).unwrap().accounts[0].clone()
    };
    let error = |extra: &str| match MastodonConnector::new(&account(extra), options()) {
        Ok(_) => panic!("connected with {extra}"),
        Err(e) => e,
    };
    let no_base = error("token = \"s3cret\"");
    assert!(matches!(no_base, ConnectorError::Refused(_)));
    assert!(no_base.to_string().contains("acme-masto") && no_base.to_string().contains("api_base"));
    let no_token = error("api_base = \"https://social.example\"");
    assert!(matches!(no_token, ConnectorError::Auth(_)));
    assert!(no_token.to_string().contains("acme-masto"));
    let bad_base = error("api_base = \"ftp://social.example\"\ntoken = \"s3cret\"");
    assert!(bad_base.to_string().contains("acme-masto"));
    assert!(!format!("{no_base} {no_token} {bad_base}").contains("s3cret"));
    let ok = MastodonConnector::new(
        &account("api_base = \"https://social.example\"\ntoken = \"s3cret\""),
        options(),
    );
    assert!(ok.is_ok());
    assert!(switchboard::connectors::mastodon::connect(
        &account("api_base = \"https://social.example\"\ntoken = \"s3cret\""),
        options()
    )
    .is_ok());
}
