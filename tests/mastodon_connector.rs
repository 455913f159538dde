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
use switchboard::connectors::http::{Backoff, HttpOptions};
use switchboard::connectors::mastodon::MastodonConnector;
use switchboard::connectors::{
    Connector, ConnectorError, Moderation, ReplyRequest,
};
use switchboard::model::{Item, ItemId, Kind, NewItem};

fn options() -> HttpOptions {
    HttpOptions {
        timeout: Duration::from_secs(2),
        backoff: Backoff {
            base: Duration::from_millis(50),
            cap: Duration::from_millis(500),
            attempts: 4,
        },
        ..HttpOptions::default()
    }
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

    let post = mock.post_status(&brand, "Our new kettle is out!", "public", None).await;
    let mention = mock.mention(&alice, &brand, "my order is late").await;
    let reply = mock
        .post_status(&bob, "@brand does it come in red?", "public", Some(&id(&post)))
        .await;
    let dm = mock.direct_message(&carol, &brand, "my address changed").await;
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
    assert_eq!((m.kind, m.thread_id.clone()), (Kind::Mention, Some(id(&mention))));
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
    let again = mock.direct_message(&carol, &brand, "new address: 1 Main St").await;
    let mut burst = Vec::new();
    for n in 0..45 {
        burst.push(id(&mock.mention(&alice, &brand, &format!("ping {n}")).await));
    }
    let before = c.requests();
    let new = store.pass(&c).await.unwrap();
    assert_eq!(new.len(), 46);
    assert_eq!(c.requests() - before, 3, "two pages of mentions, one of conversations");
    assert_eq!(store.get(&id(&again)).thread_id, Some(format!("dm:{}", carol.id)));
    for remote in &burst {
        assert_eq!(store.get(remote).kind, Kind::Mention);
    }
    store.assert_each_once();

    // The thread around the follow-up: the brand's post, bob's reply, the follow-up.
    let thread = c.fetch_thread(&store.stored(&id(&follow_up))).await.unwrap();
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
