//! The hub's sync engine with scripted connectors: pages and cursors (each page stored with
//! the cursor past it), a failure mid-pass that loses and duplicates nothing, rate limits
//! and refused credentials as account states, unreadable payloads kept with their raw text,
//! thread context, one failing account beside a healthy one, account events, moderation
//! rights, and `sync` naming an unknown account. The real platforms are tested against real
//! servers in `mastodon_*` and `bluesky_*`; this file tests what the hub does with any
//! connector.

mod common;

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use switchboard::config::Config;
use switchboard::connectors::{
    BoxFuture, Connector, ConnectorError, Connectors, Delivered, Moderation, Page, PayloadProblem,
    ReplyRequest,
};
use switchboard::hub::outbox::deliver_due;
use switchboard::hub::protocol::{ErrorKind, Event, Request, Response};
use switchboard::hub::sync::Platforms;
use switchboard::hub::{Hub, HubClient};
use switchboard::model::{
    AccountState, Actor, Item, ItemId, NewItem, OutboxEntry, OutboxState, Platform, Status,
};
use switchboard::store::{SledStore, Store};
use switchboard::team::Team;

/// A platform whose answers the test scripts: each `fetch_new` takes the next answer and
/// records the cursor it was called with.
struct Scripted {
    account: String,
    answers: Mutex<VecDeque<Result<Page, ConnectorError>>>,
    cursors_seen: Mutex<Vec<Option<String>>>,
    thread: Vec<NewItem>,
    moderated: Mutex<Vec<Moderation>>,
}

impl Scripted {
    fn new(account: &str, answers: Vec<Result<Page, ConnectorError>>) -> Arc<Scripted> {
        Arc::new(Scripted {
            account: account.into(),
            answers: Mutex::new(answers.into()),
            cursors_seen: Mutex::default(),
            thread: Vec::new(),
            moderated: Mutex::default(),
        })
    }

    fn cursors_seen(&self) -> Vec<Option<String>> {
        self.cursors_seen.lock().unwrap().clone()
    }
}

impl Connector for Scripted {
    fn account(&self) -> &str {
        &self.account
    }

    fn platform(&self) -> Platform {
        Platform::Mastodon
    }

    fn fetch_new<'a>(
        &'a self,
        cursor: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Page, ConnectorError>> {
        self.cursors_seen
            .lock()
            .unwrap()
            .push(cursor.map(str::to_string));
        let next = self.answers.lock().unwrap().pop_front();
        Box::pin(async move { next.unwrap_or_else(|| Ok(Page::default())) })
    }

    fn fetch_thread<'a>(
        &'a self,
        _item: &'a Item,
    ) -> BoxFuture<'a, Result<Vec<NewItem>, ConnectorError>> {
        Box::pin(async move { Ok(self.thread.clone()) })
    }

    fn send_reply<'a>(
        &'a self,
        _request: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Delivered, ConnectorError>> {
        Box::pin(async { Err(ConnectorError::Refused("not in this test".into())) })
    }

    fn find_sent<'a>(
        &'a self,
        _request: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Option<Delivered>, ConnectorError>> {
        Box::pin(async { Ok(None) })
    }

    fn moderate<'a>(
        &'a self,
        _item: &'a Item,
        action: &'a Moderation,
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        self.moderated.lock().unwrap().push(action.clone());
        Box::pin(async {
            match action {
                Moderation::Hide => Err(ConnectorError::Unsupported(
                    "this platform has no hidden replies".into(),
                )),
                _ => Ok(()),
            }
        })
    }
}

fn post(account: &str, n: usize) -> NewItem {
    NewItem {
        platform: Platform::Mastodon,
        remote_id: format!("{n}"),
        thread_id: Some(format!("{n}")),
        ..common::items::customer_item(account, n)
    }
}

fn page(account: &str, range: std::ops::Range<usize>, cursor: &str, more: bool) -> Page {
    Page {
        items: range.map(|n| post(account, n)).collect(),
        problems: Vec::new(),
        cursor: Some(cursor.into()),
        more,
    }
}

const TEAM: &str = r#"
[users.alice]
unix_user = "alice"
role = "agent"

[users.root]
role = "admin"
"#;

struct Fixture {
    _dir: tempfile::TempDir,
    hub: Arc<Hub>,
}

fn fixture(connectors: Vec<Arc<dyn Connector>>) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let config = Config::parse(Path::new("config.toml"), TEAM).unwrap();
    let hub = Arc::new(Hub::new(store, "test").with_team(Team::from_config(&config), None));
    let mut all = Connectors::default();
    for connector in connectors {
        all.add(connector);
    }
    hub.install_platforms(Platforms::of(all));
    Fixture { _dir: dir, hub }
}

impl Fixture {
    fn client(&self, user: &str) -> HubClient {
        HubClient::local(Arc::clone(&self.hub), Actor::new(user, "test"))
    }

    async fn sync(&self, account: Option<&str>) -> Vec<switchboard::model::SyncSummary> {
        let request = Request::Sync {
            account: account.map(str::to_string),
        };
        match self.client("root").call(request).await.unwrap() {
            Response::Synced { summaries } => summaries,
            other => panic!("unexpected {other:?}"),
        }
    }

    fn state(&self, account: &str) -> AccountState {
        self.hub.accounts().get(account).unwrap().state
    }

    fn stored(&self) -> usize {
        self.hub.store().counts().unwrap().total() as usize
    }
}

#[tokio::test]
async fn pages_are_stored_with_their_cursor_and_a_failed_page_is_read_again() {
    let account = "acme-masto";
    let connector = Scripted::new(
        account,
        vec![
            Ok(page(account, 0..3, "c1", true)),
            Err(ConnectorError::Transient(
                "GET /api/v1/notifications: 502".into(),
            )),
            // The next pass: the failed page again (overlapping what is stored), then more.
            Ok(page(account, 2..6, "c2", true)),
            Ok(page(account, 6..8, "c3", false)),
        ],
    );
    let f = fixture(vec![connector.clone()]);

    let first = f.sync(None).await;
    assert_eq!(first[0].new, 3);
    assert!(
        first[0].error.as_deref().unwrap().contains("502"),
        "{first:?}"
    );
    assert!(matches!(f.state(account), AccountState::Error { .. }));
    assert_eq!(
        f.hub.store().cursor(account).unwrap().as_deref(),
        Some("c1")
    );

    let second = f.sync(Some(account)).await;
    // Item 2 comes again (with a new creation time from the script): updated, not new.
    assert_eq!(
        (second[0].new, second[0].updated, second[0].pages),
        (5, 1, 2)
    );
    assert_eq!(second[0].error, None);
    assert_eq!(f.state(account), AccountState::Ok);
    assert_eq!(f.stored(), 8, "every item once");
    assert_eq!(
        f.hub.store().cursor(account).unwrap().as_deref(),
        Some("c3")
    );
    let seen = connector.cursors_seen();
    assert_eq!(
        seen,
        vec![
            None,
            Some("c1".into()),
            Some("c1".into()),
            Some("c2".into())
        ],
        "the failed page is asked for again with the cursor before it"
    );
}

#[tokio::test]
async fn rate_limits_and_refused_credentials_become_account_states() {
    let until = Utc::now() + chrono::Duration::minutes(5);
    let limited = Scripted::new("limited", vec![Err(ConnectorError::RateLimited { until })]);
    let refused = Scripted::new(
        "refused",
        vec![Err(ConnectorError::Auth(
            "GET /api/v1/notifications: 401".into(),
        ))],
    );
    let healthy = Scripted::new("healthy", vec![Ok(page("healthy", 0..2, "h1", false))]);
    let f = fixture(vec![limited, refused, healthy]);

    let summaries = f.sync(None).await;
    let names: Vec<&str> = summaries.iter().map(|s| s.account.as_str()).collect();
    assert_eq!(names, ["healthy", "limited", "refused"]);
    assert_eq!(
        summaries[0].new, 2,
        "a failing account does not stop the others"
    );
    assert_eq!(f.state("limited"), AccountState::RateLimited { until });
    assert!(
        matches!(f.state("refused"), AccountState::AuthFailed { reason } if reason.contains("401"))
    );
    assert_eq!(f.state("healthy"), AccountState::Ok);

    // What `doctor` shows after a restart: the saved states.
    let saved = f.hub.store().account_statuses().unwrap();
    assert_eq!(saved.len(), 3);
    assert!(saved
        .iter()
        .any(|s| s.state == AccountState::RateLimited { until }));
}

#[tokio::test]
async fn unreadable_payloads_are_kept_with_their_raw_text_and_the_pass_goes_on() {
    let account = "acme-masto";
    let mut first = page(account, 0..2, "c1", false);
    first.problems.push(PayloadProblem::new(
        "notification 77: status.account is missing",
        r#"{"id":"77","type":"mention","status":{"id":"9"}}"#,
    ));
    let f = fixture(vec![Scripted::new(account, vec![Ok(first)])]);

    let summary = &f.sync(None).await[0];
    assert_eq!((summary.new, summary.problems), (2, 1));
    assert_eq!(f.state(account), AccountState::Ok);
    let problems = match f
        .client("root")
        .call(Request::SyncProblems {
            account: None,
            limit: 10,
        })
        .await
        .unwrap()
    {
        Response::SyncProblems { problems } => problems,
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(problems.len(), 1);
    assert!(problems[0].reason.contains("status.account is missing"));
    assert!(problems[0].raw.contains(r#""id":"77""#));
}

#[tokio::test]
async fn replies_bring_their_thread_in_as_resolved_context() {
    let account = "acme-masto";
    let reply = NewItem {
        remote_id: "20".into(),
        thread_id: Some("10".into()),
        parent_id: Some("10".into()),
        ..post(account, 20)
    };
    let brand_post = NewItem {
        remote_id: "10".into(),
        thread_id: Some("10".into()),
        from_brand: true,
        ..post(account, 10)
    };
    let bystander = NewItem {
        remote_id: "15".into(),
        thread_id: Some("10".into()),
        parent_id: Some("10".into()),
        ..post(account, 15)
    };
    let answers = vec![Ok(Page {
        items: vec![reply],
        cursor: Some("c1".into()),
        ..Page::default()
    })];
    let connector = Arc::new(Scripted {
        thread: vec![brand_post, bystander, post(account, 20)],
        ..Arc::into_inner(Scripted::new(account, answers)).unwrap()
    });
    let f = fixture(vec![connector]);

    let summary = &f.sync(None).await[0];
    assert_eq!((summary.new, summary.context), (1, 2));
    let thread = f.hub.store().thread(account, "10", 10).unwrap();
    let by_remote = |id: &str| thread.iter().find(|i| i.remote_id == id).unwrap().clone();
    assert_eq!(
        by_remote("20").status,
        Status::New,
        "the reply itself is in the queue"
    );
    assert!(by_remote("10").from_brand);
    let context = by_remote("15");
    assert_eq!(context.status, Status::Resolved);
    assert!(context.tags.contains("context"));
}

#[tokio::test]
async fn subscribers_hear_of_account_state_changes() {
    let account = "acme-masto";
    let f = fixture(vec![Scripted::new(
        account,
        vec![Err(ConnectorError::Auth("401".into()))],
    )]);
    let mut events = f.client("root").subscribe().await.unwrap();
    f.sync(None).await;
    let accounts = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let Some(Event::Accounts { accounts }) = events.recv().await {
                return accounts;
            }
        }
    })
    .await
    .expect("an accounts event in time");
    assert!(matches!(accounts[0].state, AccountState::AuthFailed { .. }));
}

#[tokio::test]
async fn sync_names_the_accounts_it_knows_when_asked_for_another() {
    let f = fixture(vec![Scripted::new("acme-masto", vec![])]);
    let err = f
        .client("root")
        .call(Request::Sync {
            account: Some("acme-typo".into()),
        })
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("no account named 'acme-typo'"),
        "{message}"
    );
    assert!(message.contains("acme-masto"), "{message}");
}

/// Queues a moderation step and returns its outbox entry.
async fn moderate(f: &Fixture, user: &str, id: ItemId, action: Moderation) -> OutboxEntry {
    match f.client(user).call(Request::Moderate { id, action }).await {
        Ok(Response::Entry { entry }) => entry,
        other => panic!("unexpected {other:?}"),
    }
}

/// One delivery pass, then the entry as it is now.
async fn delivered(f: &Fixture, entry: &OutboxEntry) -> OutboxEntry {
    deliver_due(&f.hub, &f.hub.connectors()).await.unwrap();
    let outbox = f.hub.store().outbox().unwrap();
    outbox.into_iter().find(|e| e.id == entry.id).unwrap()
}

#[tokio::test]
async fn moderation_goes_through_the_outbox_is_recorded_once_done_and_blocking_waits_for_an_approver(
) {
    let account = "acme-masto";
    let connector = Scripted::new(account, vec![Ok(page(account, 0..1, "c1", false))]);
    let f = fixture(vec![connector.clone()]);
    f.sync(None).await;
    let id = f.hub.store().lookup_remote(account, "0").unwrap().unwrap();
    let tags = |f: &Fixture| f.hub.store().get(id).unwrap().unwrap().tags;

    let block = moderate(&f, "alice", id, Moderation::Block).await;
    assert_eq!(block.state, OutboxState::Held, "an agent's block waits");
    assert_eq!(block.moderation, Some(Moderation::Block));
    assert_eq!(delivered(&f, &block).await.state, OutboxState::Held);
    assert!(
        connector.moderated.lock().unwrap().is_empty(),
        "never reached the platform"
    );

    let hide = moderate(&f, "alice", id, Moderation::Hide).await;
    let hide = delivered(&f, &hide).await;
    let OutboxState::Failed { reason } = &hide.state else {
        panic!("{hide:?}")
    };
    assert!(reason.contains("no hidden replies"), "{reason}");
    assert!(
        !tags(&f).contains("hidden"),
        "nothing recorded on a refusal"
    );

    let edit = f
        .client("root")
        .call(Request::Approve {
            entry: block.id,
            text: Some("something else".into()),
        })
        .await
        .unwrap_err();
    assert!(edit.to_string().contains("no text to edit"), "{edit}");
    f.client("root")
        .call(Request::Approve {
            entry: block.id,
            text: None,
        })
        .await
        .unwrap();
    let block = delivered(&f, &block).await;
    assert!(matches!(block.state, OutboxState::Sent { .. }), "{block:?}");
    assert!(tags(&f).contains("blocked"));
    assert_eq!(
        *connector.moderated.lock().unwrap(),
        vec![Moderation::Hide, Moderation::Block]
    );
    let audit = f.hub.store().audit(Some(id), 20).unwrap();
    assert!(audit
        .iter()
        .any(|a| a.actor.user == "alice" && a.detail.starts_with("block on the platform")));

    let mute = moderate(&f, "root", id, Moderation::Mute).await;
    assert!(matches!(mute.state, OutboxState::Queued { .. }));
    let status = f.hub.store().get(id).unwrap().unwrap().status;
    assert_ne!(status, Status::Pending, "moderation is no reply");
}

#[tokio::test]
async fn an_account_unknown_to_the_store_is_not_found() {
    let f = fixture(vec![]);
    let err = f
        .client("root")
        .call(Request::Moderate {
            id: switchboard::model::ItemId::generate(),
            action: Moderation::Mute,
        })
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        switchboard::hub::ClientError::Hub(ref e) if e.kind == ErrorKind::NotFound
    ));
}
