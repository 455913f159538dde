//! The team inside one hub, in-process: who may see what (accounts, escalation queues),
//! who may do what (roles), held replies and their approval, the collision check on
//! replies, drafts, claims, presence and scoped live events. The same rules over real Unix
//! users and SSH are in `team_unix.rs`.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use switchboard::config::Config;
use switchboard::hub::protocol::{ErrorKind, Event, Request, Response, WireError};
use switchboard::hub::Hub;
use switchboard::model::{
    Actor, Author, Item, ItemId, Kind, NewItem, OutboxState, Platform, Status,
};
use switchboard::store::{SledStore, Store};
use switchboard::team::Team;

const TEAM: &str = r#"
[users.alice]
unix_user = "alice"
role = "agent"
accounts = ["acme-x"]
requires_approval = true

[users.bob]
unix_user = "bob"
role = "approver"

[users.root]
role = "admin"
"#;

struct Fixture {
    _dir: tempfile::TempDir,
    hub: Arc<Hub>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let config = Config::parse(Path::new("config.toml"), TEAM).unwrap();
    let hub = Arc::new(Hub::new(store, "test").with_team(Team::from_config(&config), None));
    Fixture { _dir: dir, hub }
}

fn actor(name: &str) -> Actor {
    Actor::new(name, "test")
}

fn item(account: &str, n: usize) -> NewItem {
    NewItem {
        platform: if account == "acme-x" {
            Platform::X
        } else {
            Platform::Facebook
        },
        kind: Kind::Comment,
        remote_id: format!("{account}-{n}"),
        thread_id: Some(format!("{account}-thread-{n}")),
        author: Author {
            id: format!("user-{n}"),
            handle: format!("user{n}"),
            name: format!("User {n}"),
        },
        text: format!("where is my parcel number {n}"),
        ..common::items::customer_item(account, n)
    }
}

impl Fixture {
    fn ask(&self, who: &str, request: Request) -> Result<Response, WireError> {
        self.hub.handle(&actor(who), request)
    }

    /// Two items on acme-x, two on acme-fb; returns their ids in that order.
    fn seed(&self) -> Vec<ItemId> {
        let items = vec![
            item("acme-x", 1),
            item("acme-x", 2),
            item("acme-fb", 3),
            item("acme-fb", 4),
        ];
        let Ok(Response::Ingested { outcomes }) = self.ask(
            "root",
            Request::Ingest {
                items,
                source: "test".into(),
            },
        ) else {
            panic!("ingest failed")
        };
        outcomes.iter().map(|o| o.id()).collect()
    }

    fn list(&self, who: &str, query: &str) -> Vec<Item> {
        match self.ask(
            who,
            Request::List {
                query: query.into(),
                skip: 0,
                limit: 100,
                raw: false,
            },
        ) {
            Ok(Response::Items { items, .. }) => items,
            other => panic!("list: {other:?}"),
        }
    }

    fn count(&self, who: &str, query: &str) -> u64 {
        match self.ask(
            who,
            Request::Count {
                query: query.into(),
            },
        ) {
            Ok(Response::Count { count }) => count,
            other => panic!("count: {other:?}"),
        }
    }

    fn version(&self, who: &str, id: ItemId) -> u64 {
        match self.ask(who, Request::Show { id, raw: false }) {
            Ok(Response::Detail { detail }) => detail.item.version,
            other => panic!("show: {other:?}"),
        }
    }

    fn reply(&self, who: &str, id: ItemId, seen: Option<u64>) -> Result<Response, WireError> {
        self.ask(
            who,
            Request::Reply {
                id,
                text: format!("Hello from {who}, we are on it."),
                seen_version: seen,
            },
        )
    }
}

fn kind_of(result: Result<Response, WireError>) -> ErrorKind {
    result.expect_err("refused").kind
}

#[test]
fn a_member_sees_only_their_accounts_everywhere() {
    let f = fixture();
    let ids = f.seed();
    assert_eq!(f.list("alice", "").len(), 2);
    assert!(f.list("alice", "").iter().all(|i| i.account == "acme-x"));
    assert_eq!(
        f.list("alice", "account:acme-fb").len(),
        0,
        "asking does not widen the scope"
    );
    assert_eq!(f.count("alice", ""), 2);
    assert_eq!(f.list("bob", "").len(), 4);
    let Ok(Response::Found { hits }) = f.ask(
        "alice",
        Request::Find {
            pattern: "parcel".into(),
            query: String::new(),
            limit: 10,
        },
    ) else {
        panic!()
    };
    assert_eq!(hits.len(), 2);
    let Ok(Response::Counts { counts }) = f.ask("alice", Request::Counts) else {
        panic!()
    };
    assert_eq!(counts.total(), 2);
    let status_items = |who: &str| match f.ask(who, Request::Status) {
        Ok(Response::Status { status }) => status.items,
        other => panic!("status: {other:?}"),
    };
    assert_eq!(status_items("alice"), 2, "the status bar's count is scoped");
    assert_eq!(status_items("bob"), 4);
    // An item of another account is "not found" for alice, whatever she tries.
    for request in [
        Request::Show {
            id: ids[2],
            raw: false,
        },
        Request::Tag {
            id: ids[2],
            tag: "x".into(),
        },
        Request::Claim { id: ids[2] },
        Request::SaveDraft {
            id: ids[2],
            text: "hi".into(),
        },
        Request::Audit {
            id: Some(ids[2]),
            limit: 10,
        },
    ] {
        assert_eq!(kind_of(f.ask("alice", request)), ErrorKind::NotFound);
    }
    let Ok(Response::Audit { entries }) = f.ask(
        "alice",
        Request::Audit {
            id: None,
            limit: 100,
        },
    ) else {
        panic!()
    };
    assert!(entries
        .iter()
        .all(|e| e.item.is_none_or(|i| i == ids[0] || i == ids[1])));
}

#[test]
fn escalation_queues_are_for_approvers_and_admins() {
    let f = fixture();
    let ids = f.seed();
    f.ask(
        "alice",
        Request::SetStatus {
            id: ids[0],
            status: Status::Escalated,
        },
    )
    .unwrap();
    assert_eq!(f.count("alice", "status:escalated"), 0);
    assert_eq!(f.count("alice", ""), 1);
    assert_eq!(f.count("bob", "status:escalated"), 1);
    // The agent who escalated it can still open it by id.
    assert!(f
        .ask(
            "alice",
            Request::Show {
                id: ids[0],
                raw: false
            }
        )
        .is_ok());
}

#[test]
fn roles_are_enforced_by_the_hub() {
    let f = fixture();
    let ids = f.seed();
    let ingest = Request::Ingest {
        items: vec![item("acme-x", 9)],
        source: "import".into(),
    };
    let refusal = f.ask("alice", ingest).expect_err("agents do not import");
    assert_eq!(refusal.kind, ErrorKind::Forbidden);
    assert!(
        refusal.message.contains("alice is an agent"),
        "{}",
        refusal.message
    );
    assert_eq!(
        kind_of(f.ask("bob", Request::ReloadTeam)),
        ErrorKind::Forbidden
    );
    // Unknown names never act, and an unknown Unix user is refused by name.
    assert_eq!(
        kind_of(f.ask("mallory", Request::Counts)),
        ErrorKind::Forbidden
    );
    let refused = f.hub.identify(4242, "mallory").unwrap_err();
    assert!(
        refused.message.contains("'mallory' (uid 4242)"),
        "{}",
        refused.message
    );
    assert_eq!(f.hub.identify(1000, "bob").unwrap().name, "bob");
    // Assignments go to members only.
    let err = f
        .ask(
            "bob",
            Request::Assign {
                id: ids[0],
                user: Some("zed".into()),
            },
        )
        .unwrap_err();
    assert!(err.message.contains("no user 'zed'"), "{}", err.message);
}

#[test]
fn a_reply_that_needs_approval_is_held_then_approved_or_rejected() {
    let f = fixture();
    let ids = f.seed();
    let Ok(Response::Entry { entry }) = f.reply("alice", ids[0], None) else {
        panic!()
    };
    assert_eq!(entry.state, OutboxState::Held);
    assert_eq!(
        kind_of(f.ask(
            "alice",
            Request::Approve {
                entry: entry.id,
                text: None
            }
        )),
        ErrorKind::Forbidden,
        "nobody approves their own held reply as an agent"
    );
    let Ok(Response::Entry { entry: approved }) = f.ask(
        "bob",
        Request::Approve {
            entry: entry.id,
            text: Some("Hello, we are on it (approved).".into()),
        },
    ) else {
        panic!()
    };
    assert_eq!(approved.state, OutboxState::Queued { retry_at: None });
    assert_eq!(approved.text, "Hello, we are on it (approved).");

    let Ok(Response::Entry { entry: second }) = f.reply("alice", ids[1], None) else {
        panic!()
    };
    let empty = f.ask(
        "bob",
        Request::Reject {
            entry: second.id,
            reason: " ".into(),
        },
    );
    assert_eq!(kind_of(empty), ErrorKind::BadRequest);
    let Ok(Response::Entry { entry: rejected }) = f.ask(
        "bob",
        Request::Reject {
            entry: second.id,
            reason: "too casual for this customer".into(),
        },
    ) else {
        panic!()
    };
    assert!(matches!(rejected.state, OutboxState::Rejected { ref by, .. } if by == "bob"));
    let Ok(Response::Detail { detail }) = f.ask(
        "alice",
        Request::Show {
            id: ids[1],
            raw: false,
        },
    ) else {
        panic!()
    };
    assert_eq!(
        detail.item.status,
        Status::Open,
        "back to work for its author"
    );
    assert!(detail
        .audit
        .iter()
        .any(|e| e.action == "reject" && e.detail.contains("too casual")));
    // Edited and retried, it waits for approval again.
    let Ok(Response::Entry { entry: retried }) = f.ask(
        "alice",
        Request::RetryReply {
            entry: second.id,
            text: Some("Hello! We are on it.".into()),
        },
    ) else {
        panic!()
    };
    assert_eq!(retried.state, OutboxState::Held);
}

#[test]
fn a_reply_after_someone_else_changed_the_item_stops_with_what_changed() {
    let f = fixture();
    let ids = f.seed();
    let seen = f.version("bob", ids[2]);
    // Bob's own changes since he opened it are no conflict.
    f.ask(
        "bob",
        Request::Tag {
            id: ids[2],
            tag: "parcel".into(),
        },
    )
    .unwrap();
    f.ask(
        "root",
        Request::Tag {
            id: ids[3],
            tag: "legal".into(),
        },
    )
    .unwrap();
    assert!(f.reply("bob", ids[2], Some(seen)).is_ok());

    let seen = f.version("bob", ids[3]) - 1; // bob opened it before root's tag
    let conflict = f.reply("bob", ids[3], Some(seen)).unwrap_err();
    assert_eq!(conflict.kind, ErrorKind::Conflict);
    assert!(
        conflict.message.contains("root tag: +legal"),
        "{}",
        conflict.message
    );
    // Having seen the change, bob may send.
    let now = f.version("bob", ids[3]);
    assert!(f.reply("bob", ids[3], Some(now)).is_ok());
    // Another reply by bob, on a version before his own reply, is not blocked by himself.
    assert!(f.reply("bob", ids[3], Some(now)).is_ok());
}

#[test]
fn drafts_are_kept_per_user_and_discarded_by_empty_text() {
    let f = fixture();
    let ids = f.seed();
    let save = |who: &str, id, text: &str| {
        f.ask(
            who,
            Request::SaveDraft {
                id,
                text: text.into(),
            },
        )
        .unwrap();
    };
    save("alice", ids[0], "Bonjour, nous regardons");
    save("bob", ids[0], "Hello from bob");
    save("alice", ids[1], "second");
    let drafts = |who: &str| match f.ask(who, Request::Drafts) {
        Ok(Response::Drafts { drafts }) => drafts,
        other => panic!("{other:?}"),
    };
    let alice = drafts("alice");
    assert_eq!(alice.len(), 2);
    assert!(alice
        .iter()
        .any(|d| d.item == ids[0] && d.text == "Bonjour, nous regardons"));
    assert_eq!(drafts("bob").len(), 1);
    save("alice", ids[0], "   ");
    assert_eq!(drafts("alice").len(), 1);
}

#[test]
fn claiming_takes_free_items_and_names_who_has_the_others() {
    let f = fixture();
    let ids = f.seed();
    let Ok(Response::Item { item }) = f.ask("bob", Request::Claim { id: ids[2] }) else {
        panic!()
    };
    assert_eq!(item.assignee.as_deref(), Some("bob"));
    assert!(
        f.ask("bob", Request::Claim { id: ids[2] }).is_ok(),
        "claiming twice is fine"
    );
    let err = f.ask("root", Request::Claim { id: ids[2] }).unwrap_err();
    assert!(
        err.message.contains("bob already has this item"),
        "{}",
        err.message
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_events_respect_scope_and_presence_is_shared() {
    let f = fixture();
    let alice = actor("alice");
    let scope = f.hub.member_scope(&alice).unwrap();
    let mut feed = f.hub.event_feed(scope);
    let guard = f.hub.join(&Actor::new("bob", "tui"));
    let ids = f.seed();
    let mut seen_accounts = Vec::new();
    let mut presence = Vec::new();
    f.hub
        .handle_in_session(
            guard.session(),
            &actor("bob"),
            Request::Presence {
                viewing: Some(ids[0]),
                composing: None,
            },
        )
        .unwrap();
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_millis(500), feed.next()).await
    {
        match event {
            Event::Changed { change } => seen_accounts.push(change.item.account.clone()),
            Event::Presence { online } => presence.push(online),
            Event::Lagged { .. } => panic!("no lag here"),
            Event::Accounts { .. }
            | Event::Outbox { .. }
            | Event::Notice { .. }
            | Event::Escalation { .. }
            | Event::Sla { .. } => {}
        }
    }
    assert!(
        seen_accounts.iter().all(|a| a == "acme-x"),
        "{seen_accounts:?}"
    );
    // Alice's two items, each created already routed (its priority set in the same write).
    assert_eq!(seen_accounts.len(), 2);
    let last = presence.last().expect("presence events");
    assert_eq!(last.len(), 1);
    assert_eq!(
        (last[0].user.as_str(), last[0].viewing),
        ("bob", Some(ids[0]))
    );
    drop(guard);
    let Ok(Some(Event::Presence { online })) =
        tokio::time::timeout(Duration::from_secs(2), feed.next()).await
    else {
        panic!("bob's departure is announced")
    };
    assert!(online.is_empty());
}

/// The outbox events a feed delivers within `wait`: (what, state, by).
async fn outbox_events(
    feed: &mut switchboard::hub::EventFeed,
    wait: Duration,
) -> Vec<(ItemId, String, String)> {
    let mut seen = Vec::new();
    while let Ok(Some(event)) = tokio::time::timeout(wait, feed.next()).await {
        if let Event::Outbox { entry, by } = event {
            seen.push((entry.item, entry.state.name().to_string(), by));
        }
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbox_entries_reach_the_subscribers_who_see_their_account() {
    let f = fixture();
    let ids = f.seed();
    let mut alice = f
        .hub
        .event_feed(f.hub.member_scope(&actor("alice")).unwrap());
    let mut bob = f.hub.event_feed(f.hub.member_scope(&actor("bob")).unwrap());
    // alice's reply on acme-x is held; root's on acme-fb is queued, where alice cannot see.
    assert!(f.reply("alice", ids[0], None).is_ok());
    assert!(f.reply("root", ids[2], None).is_ok());
    let wait = Duration::from_millis(300);
    let held = (ids[0], "held".to_string(), "alice".to_string());
    let queued = (ids[2], "queued".to_string(), "root".to_string());
    assert_eq!(
        outbox_events(&mut alice, wait).await,
        std::slice::from_ref(&held)
    );
    assert_eq!(outbox_events(&mut bob, wait).await, [held, queued]);
    // An approval is an event too, naming the approver.
    let Ok(Response::Entries { entries }) = f.ask("bob", Request::Outbox) else {
        panic!()
    };
    let entry = entries.iter().find(|e| e.item == ids[0]).unwrap().id;
    f.ask("bob", Request::Approve { entry, text: None })
        .unwrap();
    let approved = (ids[0], "queued".to_string(), "bob".to_string());
    assert_eq!(outbox_events(&mut alice, wait).await, [approved]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_presence_changes_reaches_a_subscriber_as_its_newest_list() {
    let f = fixture();
    let ids = f.seed();
    let bob = actor("bob");
    let guard = f.hub.join(&Actor::new("bob", "tui"));
    let mut feed = f.hub.event_feed(f.hub.member_scope(&bob).unwrap());
    let Ok(Some(Event::Presence { online })) =
        tokio::time::timeout(Duration::from_secs(1), feed.next()).await
    else {
        panic!("who is online comes first")
    };
    assert_eq!(online.len(), 1);
    for round in 0..20 {
        let viewing = Some(ids[round % ids.len()]);
        let request = Request::Presence {
            viewing,
            composing: None,
        };
        f.hub
            .handle_in_session(guard.session(), &bob, request)
            .unwrap();
    }
    let mut lists = Vec::new();
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_millis(600), feed.next()).await
    {
        if let Event::Presence { online } = event {
            lists.push(online);
        }
    }
    assert!(
        lists.len() <= 2,
        "20 changes in a burst, {} lists sent",
        lists.len()
    );
    let newest = lists.last().expect("the newest list");
    assert_eq!(newest[0].viewing, Some(ids[19 % ids.len()]));
}

#[test]
fn two_terminals_of_one_cm_are_two_writers() {
    let f = fixture();
    let ids = f.seed();
    let first = f.hub.join(&Actor::new("bob", "tui"));
    let second = f.hub.join(&Actor::new("bob", "tui"));
    let in_session = |guard: &switchboard::hub::ClientGuard| {
        Actor::new("bob", "tui").in_session(guard.session())
    };
    let seen = f.version("bob", ids[2]);
    f.hub
        .handle_in_session(
            second.session(),
            &in_session(&second),
            Request::Tag {
                id: ids[2],
                tag: "vip".into(),
            },
        )
        .unwrap();
    let reply = Request::Reply {
        id: ids[2],
        text: "On it.".into(),
        seen_version: Some(seen),
    };
    let conflict = f
        .hub
        .handle_in_session(first.session(), &in_session(&first), reply.clone())
        .unwrap_err();
    assert_eq!(conflict.kind, ErrorKind::Conflict);
    assert!(
        conflict.message.contains("bob (in another tui) tag: +vip"),
        "{}",
        conflict.message
    );
    // The terminal that tagged it saw its own change.
    assert!(f
        .hub
        .handle_in_session(second.session(), &in_session(&second), reply)
        .is_ok());
}
