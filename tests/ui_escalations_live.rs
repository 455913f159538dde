//! An escalation across two users, end to end in one process: a real hub with `[users]`
//! and `[escalations.legal]` owned by dana (an agent), two TUIs (`App`s driven through
//! `update`, each with its own hub client and live events) and the outbox delivering through
//! a connector that accepts every reply. alice escalates from the detail (picker, note);
//! dana is told at once and finds it in "My escalations"; alice's reply is held for dana;
//! dana gives guidance, then approves the reply; alice learns each answer live; the reply
//! goes out. The item's audit says all of it.

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
use switchboard::model::{Actor, ItemId, OutboxState, Status};
use switchboard::store::{SledStore, Store};
use switchboard::team::Team;
use ui_support::live::{audit, flashed, Cm};

const CONFIG: &str = r#"
[users.alice]
role = "agent"

[users.dana]
role = "agent"

[users.root]
role = "admin"

[escalations.legal]
description = "Legal threats"
owners = ["dana"]
sla = "2h"
"#;

const ACCOUNT: &str = "acme-bsky";

fn hub(dir: &Path) -> (Arc<Hub>, ItemId) {
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.join("store")).unwrap());
    let config = Config::parse(Path::new("config.toml"), CONFIG).unwrap();
    let hub = Hub::new(store, "test")
        .with_team(Team::from_config(&config), None)
        .with_config(config);
    let hub = Arc::new(hub);
    let mut connectors = Connectors::default();
    connectors.add(Arc::new(Accepting::new(ACCOUNT)));
    hub.install_platforms(Platforms::of(connectors));
    let request = Request::Ingest {
        items: vec![common::items::customer_item(ACCOUNT, 1)],
        source: "test".into(),
    };
    let Ok(Response::Ingested { outcomes }) = hub.handle(&Actor::new("root", "test"), request)
    else {
        panic!("ingest")
    };
    (hub, outcomes[0].id())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alice_escalates_dana_answers_and_approves_and_alice_sees_it_live() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, id) = hub(dir.path());
    let mut alice = Cm::open(&hub, "alice").await;
    let mut dana = Cm::open(&hub, "dana").await;
    assert!(!dana.app.escalations.shown, "nothing waits on dana yet");

    // alice opens the item and escalates it to legal with a note.
    alice.keys("g g enter E").await;
    alice.type_text("leg").await;
    alice.keys("enter").await;
    alice.type_text("the customer threatens to sue").await;
    alice.keys("enter").await;
    assert_eq!(alice.flash(), "escalated to legal: waiting on dana");
    let item = hub.store().get(id).unwrap().unwrap();
    assert_eq!(item.status, Status::Escalated);
    assert!(item.tags.contains("legal"));

    // dana, an agent, is told at once and finds it in her escalations.
    dana.settle_until(flashed("escalated an item to you")).await;
    assert_eq!(
        dana.flash(),
        "alice escalated an item to you (legal): the customer threatens to sue"
    );
    dana.keys("g e").await;
    assert!(
        dana.screen().contains("My escalations · 1 waiting on me"),
        "{}",
        dana.screen()
    );

    // alice drafts a reply meanwhile: it is held for legal's owners.
    alice.keys("c").await;
    alice
        .type_text("We are sorry; our team will contact you.")
        .await;
    alice.keys("ctrl-s y").await;
    assert_eq!(
        alice.flash(),
        "reply held for the legal escalation's owners (dana)"
    );

    // dana gives guidance: alice learns it live, and the detail shows it.
    dana.keys("g").await;
    dana.type_text("fine, but promise nothing").await;
    dana.keys("enter").await;
    alice
        .settle_until(flashed("dana answered your legal escalation"))
        .await;
    assert_eq!(
        alice.flash(),
        "dana answered your legal escalation: guidance: fine, but promise nothing"
    );
    let shown = alice.screen();
    assert!(shown.contains("▲ legal · answered · by alice"), "{shown}");
    assert!(shown.contains("fine, but promise nothing"), "{shown}");

    // dana approves the held reply: it goes out, and alice is told.
    dana.keys("a").await;
    assert!(
        dana.flash()
            .starts_with("answered the legal escalation: approved"),
        "{}",
        dana.flash()
    );
    alice
        .settle_until(flashed("legal escalation: approved"))
        .await;
    deliver_due(&hub, &hub.connectors()).await.unwrap();
    let Ok(Response::Entries { entries }) =
        hub.handle(&Actor::new("root", "test"), Request::Outbox)
    else {
        panic!("outbox")
    };
    assert!(matches!(entries[0].state, OutboxState::Sent { .. }));
    assert_eq!(
        hub.store().get(id).unwrap().unwrap().status,
        Status::Resolved
    );
    let lines = audit(&hub, id);
    let expected = [
        "alice tui: escalate legal: the customer threatens to sue",
        "held for the legal escalation's owners",
        "dana tui: escalation legal answered: guidance: fine, but promise nothing",
        "dana tui: approve",
        "dana tui: escalation legal answered: approved",
    ];
    for line in expected {
        assert!(lines.iter().any(|l| l.contains(line)), "{line}: {lines:#?}");
    }
}
