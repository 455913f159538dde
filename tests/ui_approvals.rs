//! The approval flow across two users, end to end in one process: a real hub with `[users]`
//! (alice's replies need approval, bob approves), two TUIs (`App`s driven through `update`,
//! each with its own hub client and live event subscription) and the outbox delivering
//! through a connector that accepts every reply. alice replies → held; bob is told, approves
//! with edits; the outbox delivers; alice learns it was approved, then sent, and sees our
//! reply in the thread. A second reply is rejected with a comment; alice sees why, edits it
//! and sends it again. The item's audit says all of it.

mod common;
mod ui_support;

use std::path::Path;
use std::sync::Arc;

use common::accepting::Accepting;
use switchboard::config::Config;
use switchboard::connectors::Connectors;
use switchboard::hub::outbox::deliver_due;
use switchboard::hub::protocol::{Request, Response};
use switchboard::hub::sync::Platforms;
use switchboard::hub::Hub;
use switchboard::model::{Actor, Item, ItemId, OutboxState};
use switchboard::store::{SledStore, Store};
use switchboard::team::Team;
use switchboard::ui::app::App;
use ui_support::live::{audit, flashed, Cm};

const TEAM: &str = r#"
[users.alice]
role = "agent"
requires_approval = true

[users.bob]
role = "approver"

[users.root]
role = "admin"
"#;

const ACCOUNT: &str = "acme-bsky";

/// A hub with the team, the accepting connector and two customers' items.
fn hub(dir: &Path) -> (Arc<Hub>, Vec<ItemId>) {
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.join("store")).unwrap());
    let config = Config::parse(Path::new("config.toml"), TEAM).unwrap();
    let hub = Arc::new(Hub::new(store, "test").with_team(Team::from_config(&config), None));
    let mut connectors = Connectors::default();
    connectors.add(Arc::new(Accepting::new(ACCOUNT)));
    hub.install_platforms(Platforms::of(connectors));
    let items = (1..=2)
        .map(|n| common::items::customer_item(ACCOUNT, n))
        .collect();
    let request = Request::Ingest {
        items,
        source: "test".into(),
    };
    let Ok(Response::Ingested { outcomes }) = hub.handle(&Actor::new("root", "test"), request)
    else {
        panic!("ingest")
    };
    (hub, outcomes.iter().map(|o| o.id()).collect())
}

fn has(lines: &[String], parts: &[&str]) -> bool {
    lines.iter().any(|l| parts.iter().all(|p| l.contains(p)))
}

/// alice writes a reply to the item under her cursor.
async fn reply(alice: &mut Cm, position: usize, text: &str) -> Item {
    let item = alice.app.queue.items[position].clone();
    alice.keys(&format!("g g {}c", "j ".repeat(position))).await;
    alice.type_text(text).await;
    alice.keys("ctrl-s y").await;
    assert_eq!(alice.flash(), "reply held for approval");
    alice.keys("esc").await;
    item
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_reply_is_approved_with_edits_delivered_and_a_rejected_one_retried() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, _) = hub(dir.path());
    let mut alice = Cm::open(&hub, "alice").await;
    let mut bob = Cm::open(&hub, "bob").await;

    // alice replies: held. bob is told at once, and his status bar counts it.
    let first = reply(&mut alice, 0, "hi, we r on it").await;
    let handle = &first.author.handle;
    bob.settle_until(flashed("waits for approval")).await;
    assert_eq!(
        bob.flash(),
        format!("alice's reply to @{handle} waits for approval")
    );
    assert!(bob.screen().contains("1 to approve"), "{}", bob.screen());

    // bob edits it and approves it.
    bob.keys("O E ctrl-u").await;
    bob.type_text("Hello! We are on it and will write back today.")
        .await;
    bob.keys("ctrl-s y").await;
    assert!(
        bob.flash().starts_with("approved alice's reply"),
        "{}",
        bob.flash()
    );
    alice.settle_until(flashed("approved by bob")).await;
    assert_eq!(
        alice.flash(),
        format!("Your reply to @{handle} was approved by bob with edits")
    );

    // The outbox delivers it: alice learns it was sent, and sees it in the thread.
    alice
        .keys(&format!(
            "g g {}enter",
            "j ".repeat(position_of(&alice, first.id))
        ))
        .await;
    deliver_due(&hub, &hub.connectors()).await.unwrap();
    alice
        .settle_until(|app| flashed("was sent")(app) && thread_has_ours(app))
        .await;
    assert_eq!(alice.flash(), format!("Your reply to @{handle} was sent"));
    let thread = alice.screen();
    assert!(thread.contains("us (@acme.bsky.social)"), "{thread}");
    assert!(
        thread.contains("Hello! We are on it and will write back today."),
        "{thread}"
    );
    let lines = audit(&hub, first.id);
    assert!(
        has(
            &lines,
            &["alice tui: reply", "held for approval: hi, we r on it"]
        ),
        "{lines:#?}"
    );
    assert!(
        has(
            &lines,
            &["bob tui: approve", "by alice approved with edits"]
        ),
        "{lines:#?}"
    );
    assert!(
        has(&lines, &["switchboard hub: reply", "sent"]),
        "{lines:#?}"
    );
    assert!(
        has(&lines, &["alice outbox: status", "reply sent"]),
        "{lines:#?}"
    );

    // A second reply is turned down with a comment: alice sees why, edits, sends again.
    alice.keys("esc").await;
    let at = position_of(&alice, other(&alice, first.id));
    let second = reply(&mut alice, at, "k").await;
    let handle = &second.author.handle;
    bob.settle_until(flashed("waits for approval")).await;
    bob.keys("g g x").await;
    bob.type_text("too short for a customer, say who we are")
        .await;
    bob.keys("enter").await;
    alice.settle_until(flashed("was rejected")).await;
    assert_eq!(
        alice.flash(),
        format!(
            "Your reply to @{handle} was rejected by bob: too short for a customer, say who we are"
        )
    );
    alice.keys("O").await;
    assert!(
        alice.screen().contains("rejected by bob: too short"),
        "{}",
        alice.screen()
    );
    alice.keys("e ctrl-u").await;
    alice
        .type_text("Hello, this is Acme support: we are looking into it.")
        .await;
    alice.keys("ctrl-s y").await;
    assert_eq!(
        alice.flash(),
        format!("your reply to @{handle} is held for approval again")
    );
    bob.settle_until(|app| app.outbox.held() == 1).await;
    assert!(bob.screen().contains("1 to approve"), "{}", bob.screen());
    let lines = audit(&hub, second.id);
    assert!(
        has(
            &lines,
            &["bob tui: reject", "rejected: too short for a customer"]
        ),
        "{lines:#?}"
    );
    assert!(
        has(&lines, &["alice tui: reply", "retried (held)"]),
        "{lines:#?}"
    );
    let Ok(Response::Entries { entries }) =
        hub.handle(&Actor::new("root", "test"), Request::Outbox)
    else {
        panic!("outbox")
    };
    let retried = entries.iter().find(|e| e.item == second.id).unwrap();
    assert_eq!(retried.state, OutboxState::Held);
    assert_eq!(
        retried.text,
        "Hello, this is Acme support: we are looking into it."
    );
}

/// Whether the open item's thread, as the hub last gave it, holds our reply.
fn thread_has_ours(app: &App) -> bool {
    let detail = app.detail.as_ref().and_then(|d| d.detail.as_ref());
    detail.is_some_and(|d| d.thread.iter().any(|i| i.from_brand))
}

/// Where an item is in a CM's queue.
fn position_of(cm: &Cm, id: ItemId) -> usize {
    cm.app
        .queue
        .items
        .iter()
        .position(|i| i.id == id)
        .expect("the item is in the queue")
}

/// The queue's other item.
fn other(cm: &Cm, id: ItemId) -> ItemId {
    cm.app.queue.items.iter().find(|i| i.id != id).unwrap().id
}
