//! The hub's reply rules: a reply the platform would refuse is refused before it is queued
//! (its length counted the platform's way; Meta's messaging windows, from the customer's
//! last message in the thread, 7 days for a `human_agent` account), and `[replies]
//! after_send` decides where a sent reply leaves its item.

mod common;

use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, Utc};
use common::accepting::Accepting;
use switchboard::config::Config;
use switchboard::connectors::Connectors;
use switchboard::hub::outbox::deliver_due;
use switchboard::hub::protocol::{ErrorKind, Request, Response, WireError};
use switchboard::hub::sync::Platforms;
use switchboard::hub::Hub;
use switchboard::model::{Actor, ItemId, Kind, NewItem, OutboxState, Platform, Status};
use switchboard::responses::policy::ReplyPolicy;
use switchboard::store::{SledStore, Store};

struct Fixture {
    _dir: tempfile::TempDir,
    hub: Arc<Hub>,
    root: Actor,
}

fn fixture(config: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let config = Config::parse(Path::new("config.toml"), config).unwrap();
    let hub =
        Arc::new(Hub::new(store, "test").with_reply_policy(ReplyPolicy::from_config(&config)));
    let mut connectors = Connectors::default();
    connectors.add(Arc::new(Accepting::new("acme-bsky")));
    hub.install_platforms(Platforms::of(connectors));
    Fixture {
        _dir: dir,
        hub,
        root: Actor::new("root", "test"),
    }
}

impl Fixture {
    fn ingest(&self, items: Vec<NewItem>) -> Vec<ItemId> {
        let request = Request::Ingest {
            items,
            source: "test".into(),
        };
        match self.hub.handle(&self.root, request).unwrap() {
            Response::Ingested { outcomes } => outcomes.iter().map(|o| o.id()).collect(),
            other => panic!("unexpected {other:?}"),
        }
    }

    fn reply(&self, id: ItemId, text: &str) -> Result<Response, WireError> {
        let request = Request::Reply {
            id,
            text: text.into(),
            seen_version: None,
        };
        self.hub.handle(&self.root, request)
    }

    fn status(&self, id: ItemId) -> Status {
        self.hub.store().get(id).unwrap().unwrap().status
    }
}

/// A Facebook DM from `hours_ago`, in conversation `thread`.
fn facebook_dm(account: &str, n: usize, thread: &str, hours_ago: i64) -> NewItem {
    NewItem {
        platform: Platform::Facebook,
        kind: Kind::Dm,
        thread_id: Some(thread.into()),
        created_at: Utc::now() - Duration::hours(hours_ago),
        ..common::items::customer_item(account, n)
    }
}

#[test]
fn a_reply_too_long_for_the_platform_is_refused_with_its_count() {
    let f = fixture("");
    let id = f.ingest(vec![common::items::customer_item("acme-bsky", 1)])[0];
    let err = f.reply(id, &"👍🏽".repeat(301)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Refused);
    assert!(
        err.message
            .contains("too long for bluesky: 301/300 graphemes (shorten it by 1)"),
        "{}",
        err.message
    );
    assert!(f.hub.store().outbox().unwrap().is_empty(), "nothing queued");
    assert_ne!(f.status(id), Status::Pending);
    f.reply(id, &"👍🏽".repeat(300)).unwrap();
}

#[test]
fn a_meta_dm_is_answered_only_inside_its_messaging_window() {
    let f = fixture(
        "[[accounts]]\nname = \"acme-fb-agent\"\nplatform = \"facebook\"\nhuman_agent = true\n",
    );
    let ids = f.ingest(vec![
        facebook_dm("acme-fb", 1, "t-old", 30),
        facebook_dm("acme-fb", 2, "t-fresh", 2),
        facebook_dm("acme-fb", 3, "t-again", 30),
        facebook_dm("acme-fb", 4, "t-again", 1),
        facebook_dm("acme-fb-agent", 5, "t-agent", 50),
        facebook_dm("acme-fb-agent", 6, "t-week", 24 * 8),
    ]);
    let old = f.reply(ids[0], "sorry for the wait").unwrap_err();
    assert_eq!(old.kind, ErrorKind::Refused);
    assert!(
        old.message.contains("messaging window closed 6h"),
        "{}",
        old.message
    );
    assert!(old.message.contains("within 24 hours"), "{}", old.message);
    f.reply(ids[1], "on it").unwrap();
    // The window runs from the customer's last message in the conversation.
    f.reply(ids[2], "answering the older message").unwrap();
    // A human-agent account has 7 days, not more.
    f.reply(ids[4], "on it").unwrap();
    let week = f.reply(ids[5], "late").unwrap_err();
    assert!(week.message.contains("HUMAN_AGENT"), "{}", week.message);
}

#[test]
fn the_detail_tells_the_composer_when_the_window_runs_from() {
    let f = fixture(
        "[[accounts]]\nname = \"acme-fb-agent\"\nplatform = \"facebook\"\nhuman_agent = true\n",
    );
    let ids = f.ingest(vec![
        facebook_dm("acme-fb", 1, "t-again", 30),
        facebook_dm("acme-fb", 2, "t-again", 3),
        facebook_dm("acme-fb-agent", 3, "t-agent", 50),
        common::items::customer_item("acme-bsky", 4),
    ]);
    let window = |id| match f.hub.handle(&f.root, Request::Show { id, raw: false }) {
        Ok(Response::Detail { detail }) => detail.reply_window,
        other => panic!("unexpected {other:?}"),
    };
    // From the customer's last message in the conversation, not the item's own.
    let again = window(ids[0]).unwrap();
    assert!(!again.human_agent);
    let three_hours = Utc::now() - again.last_customer_message;
    assert!((Duration::minutes(179)..Duration::minutes(181)).contains(&three_hours));
    assert!(again.at(Utc::now()).allows_reply());
    // Only the hub's config knows the account may use the human-agent tag.
    let agent = window(ids[2]).unwrap();
    assert!(agent.human_agent && agent.at(Utc::now()).allows_reply());
    assert_eq!(window(ids[3]), None, "public replies have no window");
}

#[tokio::test]
async fn a_sent_reply_resolves_its_item_or_leaves_it_pending_as_configured() {
    for (config, after) in [
        ("", Status::Resolved),
        ("[replies]\nafter_send = \"pending\"\n", Status::Pending),
    ] {
        let f = fixture(config);
        let id = f.ingest(vec![common::items::customer_item("acme-bsky", 1)])[0];
        f.reply(id, "thanks!").unwrap();
        deliver_due(&f.hub, &f.hub.connectors()).await.unwrap();
        let outbox = f.hub.store().outbox().unwrap();
        assert!(matches!(outbox[0].state, OutboxState::Sent { .. }));
        assert_eq!(f.status(id), after, "after_send in {config:?}");
    }
}

#[test]
fn an_unknown_after_send_is_refused_when_the_config_loads() {
    let err = Config::parse(Path::new("c.toml"), "[replies]\nafter_send = \"later\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("after_send") || err.contains("later"), "{err}");
    assert!(err.contains("c.toml:2"), "{err}");
}

/// A customer's comment on `platform` from `days_ago`.
fn comment(platform: Platform, account: &str, n: usize, days_ago: i64) -> NewItem {
    NewItem {
        platform,
        kind: Kind::Comment,
        created_at: Utc::now() - Duration::days(days_ago),
        ..common::items::customer_item(account, n)
    }
}

/// A private reply (a DM to a comment's author) is for Facebook and Instagram comments only,
/// within 7 days of the comment, once per comment (a failed one does not count); the
/// connector is told it is private and when the customer wrote.
#[tokio::test]
async fn a_private_reply_goes_once_within_seven_days_to_a_meta_comment() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let hub = Arc::new(Hub::new(store, "test"));
    let facebook = Accepting::new("acme-fb");
    let handed = facebook.requests();
    let mut connectors = Connectors::default();
    connectors.add(Arc::new(facebook));
    hub.install_platforms(Platforms::of(connectors));
    let root = Actor::new("root", "test");
    let ingest = Request::Ingest {
        items: vec![
            comment(Platform::Facebook, "acme-fb", 1, 6),
            comment(Platform::Facebook, "acme-fb", 2, 8),
            comment(Platform::Mastodon, "acme-masto", 3, 0),
            facebook_dm("acme-fb", 4, "t-1", 1),
            comment(Platform::Instagram, "acme-ig", 5, 1),
            NewItem {
                kind: Kind::Mention,
                ..comment(Platform::Facebook, "acme-fb", 6, 0)
            },
        ],
        source: "test".into(),
    };
    let Response::Ingested { outcomes } = hub.handle(&root, ingest).unwrap() else {
        panic!("ingest")
    };
    let ids: Vec<ItemId> = outcomes.iter().map(|o| o.id()).collect();
    let private = |id: ItemId, text: &str| {
        hub.handle(
            &root,
            Request::PrivateReply {
                id,
                text: text.into(),
                seen_version: None,
            },
        )
    };
    let refusal = |result: Result<Response, WireError>| {
        let err = result.unwrap_err();
        assert_eq!(err.kind, ErrorKind::Refused, "{}", err.message);
        err.message
    };

    let Response::Entry { entry } = private(ids[0], "we sent you the details").unwrap() else {
        panic!("entry")
    };
    assert!(entry.private);
    let again = refusal(private(ids[0], "and once more"));
    assert!(again.contains("already has a private reply"), "{again}");
    assert!(again.contains("one per comment"), "{again}");
    let late = refusal(private(ids[1], "too late"));
    assert!(
        late.contains("within 7 days") && late.contains("8 days old"),
        "{late}"
    );
    let mastodon = refusal(private(ids[2], "hi"));
    assert!(mastodon.contains("not mastodon's"), "{mastodon}");
    let dm = refusal(private(ids[3], "hi"));
    assert!(dm.contains("answered directly"), "{dm}");
    let mention = refusal(private(ids[5], "hi"));
    assert!(mention.contains("not a mention"), "{mention}");
    private(ids[4], "on Instagram too").unwrap();

    deliver_due(&hub, &hub.connectors()).await.unwrap();
    let requests = handed.lock().unwrap().clone();
    assert_eq!(requests.len(), 1, "only acme-fb has a connector here");
    assert!(requests[0].private);
    assert_eq!(requests[0].item.id, ids[0]);
    assert_eq!(
        requests[0].last_customer_message,
        requests[0].item.created_at
    );
    let outbox = hub.store().outbox().unwrap();
    let sent = outbox.iter().find(|e| e.item == ids[0]).unwrap();
    assert!(matches!(sent.state, OutboxState::Sent { .. }) && sent.private);
    let audit = hub.store().audit(Some(ids[0]), 10).unwrap();
    assert!(
        audit.iter().any(|a| a.detail.contains("private reply")),
        "{audit:?}"
    );

    // A failed private reply reached nobody: another may be sent.
    let failed = outbox.iter().find(|e| e.item == ids[4]).unwrap();
    assert!(
        matches!(failed.state, OutboxState::Failed { .. }),
        "{failed:?}"
    );
    private(ids[4], "second try").unwrap();
}
