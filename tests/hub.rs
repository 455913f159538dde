//! The hub over its socket: handshake and versions, requests from several clients, live
//! events across clients, malformed frames, and a client that stops reading.

mod common;

use std::sync::Arc;
use std::time::Duration;

use switchboard::hub::protocol::{Event, Request, Response};
use switchboard::hub::{server, Hub, HubClient};
use switchboard::model::{NewItem, Status};
use switchboard::store::{SledStore, Store};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;

fn item(n: usize) -> NewItem {
    common::items::customer_item("acme-bluesky", n)
}

struct Fixture {
    _dir: tempfile::TempDir,
    socket: std::path::PathBuf,
    _server: server::Server,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let hub = Arc::new(Hub::new(store, "socket"));
    let socket = dir.path().join("hub.sock");
    let server = server::serve(hub, &socket, None).await.unwrap();
    Fixture {
        _dir: dir,
        socket,
        _server: server,
    }
}

async fn ingest(client: &HubClient, items: Vec<NewItem>) -> Vec<switchboard::store::IngestOutcome> {
    match client
        .call(Request::Ingest {
            items,
            source: "test".into(),
        })
        .await
        .unwrap()
    {
        Response::Ingested { outcomes } => outcomes,
        other => panic!("unexpected {other:?}"),
    }
}

async fn next_change(
    events: &mut tokio::sync::mpsc::Receiver<Event>,
) -> Arc<switchboard::model::Item> {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(5), events.recv())
            .await
            .expect("an event in time")
            .expect("open feed");
        match event {
            Event::Changed { change } => return change.item,
            // Clients coming and going: not what these tests look at.
            Event::Presence { .. } => continue,
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_by_one_client_reaches_the_others_live() {
    let f = fixture().await;
    let alice = HubClient::connect(&f.socket, "tui").await.unwrap();
    let bob = HubClient::connect(&f.socket, "tui").await.unwrap();
    assert_eq!(alice.user(), "root", "identity comes from the peer uid");
    assert_eq!(
        alice.welcome().role,
        switchboard::team::Role::Admin,
        "an open team"
    );
    assert_ne!(alice.welcome().session, bob.welcome().session);
    let mut bob_events = bob.subscribe().await.unwrap();
    let id = ingest(&alice, vec![item(1)]).await[0].id();
    // Routing gave the new item its priority, with the reasons, in the same write.
    let created = next_change(&mut bob_events).await;
    assert_eq!(created.id, id);
    assert!(!created.priority_why.is_empty());
    alice
        .call(Request::SetStatus {
            id,
            status: Status::Resolved,
        })
        .await
        .unwrap();
    let seen = next_change(&mut bob_events).await;
    assert_eq!((seen.id, seen.status), (id, Status::Resolved));
    let Response::Status { status } = bob.call(Request::Status).await.unwrap() else {
        panic!()
    };
    assert_eq!(status.clients, 2);
    assert_eq!(status.items, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_come_back_as_typed_errors() {
    let f = fixture().await;
    let client = HubClient::connect(&f.socket, "cli").await.unwrap();
    let id = ingest(&client, vec![item(1)]).await[0].id();
    client
        .call(Request::SetStatus {
            id,
            status: Status::Spam,
        })
        .await
        .unwrap();
    let err = client
        .call(Request::SetStatus {
            id,
            status: Status::Pending,
        })
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot move an item from spam to pending (reopen it first)"),
        "{err}"
    );
    let err = client
        .call(Request::List {
            query: "is:everything".into(),
            skip: 0,
            limit: 10,
            raw: false,
        })
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("malformed query"), "{err}");
    let unknown = switchboard::model::ItemId::generate();
    let err = client
        .call(Request::Show {
            id: unknown,
            raw: false,
        })
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), format!("no item with id {unknown}"));
}

async fn raw_exchange(socket: &std::path::Path, lines: &[&str]) -> Vec<serde_json::Value> {
    let stream = UnixStream::connect(socket).await.unwrap();
    let (read, mut write) = stream.into_split();
    for line in lines {
        write
            .write_all(format!("{line}\n").as_bytes())
            .await
            .unwrap();
    }
    write.shutdown().await.unwrap();
    let mut reader = BufReader::new(read).lines();
    let mut out = Vec::new();
    while let Ok(Some(line)) = tokio::time::timeout(Duration::from_secs(5), reader.next_line())
        .await
        .unwrap()
    {
        out.push(serde_json::from_str(&line).unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wire_protocol_checks_versions_and_survives_garbage() {
    let f = fixture().await;
    let answers = raw_exchange(&f.socket, &[r#"{"v":99,"hello":{"client":"future"}}"#]).await;
    assert_eq!(answers[0]["err"]["kind"], "version");
    assert!(answers[0]["err"]["message"]
        .as_str()
        .unwrap()
        .contains("protocol v1, the client v99"));

    let answers = raw_exchange(
        &f.socket,
        &[
            r#"{"v":1,"hello":{"client":"script"}}"#,
            "{garbage",
            r#"{"v":1,"id":7,"req":{"op":"counts"}}"#,
        ],
    )
    .await;
    assert_eq!(answers[0]["welcome"]["user"], "root");
    assert!(answers[1]["err"]["message"]
        .as_str()
        .unwrap()
        .starts_with("malformed frame"));
    assert_eq!(answers[2]["id"], 7);
    assert_eq!(answers[2]["ok"]["type"], "counts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_blocks_nobody() {
    let f = fixture().await;
    // A subscriber that never reads its socket.
    let stalled = UnixStream::connect(&f.socket).await.unwrap();
    let (_read, mut write) = stalled.into_split();
    write.write_all(b"{\"v\":1,\"hello\":{\"client\":\"stuck\"}}\n{\"v\":1,\"id\":1,\"req\":{\"op\":\"subscribe\"}}\n").await.unwrap();
    let client = HubClient::connect(&f.socket, "cli").await.unwrap();
    let mut events = client.subscribe().await.unwrap();
    let big = "x".repeat(20_000);
    let started = std::time::Instant::now();
    for batch in 0..20 {
        let items = (0..100)
            .map(|n| NewItem {
                text: big.clone(),
                ..item(batch * 100 + n)
            })
            .collect();
        ingest(&client, items).await;
    }
    // New items are routed (priority and rules) inside the ingest write itself. A stalled
    // client that held the hub would take far longer (its writes stall for 10 s each).
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(30),
        "ingest went on while a client stalled (took {took:?})"
    );
    let mut seen = 0;
    while seen < 2000 {
        match tokio::time::timeout(Duration::from_secs(5), events.recv())
            .await
            .unwrap()
            .unwrap()
        {
            Event::Changed { .. } => seen += 1,
            Event::Lagged { missed } => seen += missed as usize,
            Event::Presence { .. }
            | Event::Accounts { .. }
            | Event::Outbox { .. }
            | Event::Notice { .. }
            | Event::Escalation { .. }
            | Event::Sla { .. } => {}
        }
    }
    drop(write);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn count_answers_how_many_items_a_query_selects() {
    let f = fixture().await;
    let client = HubClient::connect(&f.socket, "tui").await.unwrap();
    let ids: Vec<_> = ingest(&client, (0..30).map(item).collect())
        .await
        .iter()
        .map(|o| o.id())
        .collect();
    for id in &ids[..7] {
        client
            .call(Request::Tag {
                id: *id,
                tag: "vip".into(),
            })
            .await
            .unwrap();
    }
    client
        .call(Request::SetStatus {
            id: ids[0],
            status: Status::Resolved,
        })
        .await
        .unwrap();
    let count = |query: &'static str| {
        let client = client.clone();
        async move {
            match client
                .call(Request::Count {
                    query: query.into(),
                })
                .await
                .unwrap()
            {
                Response::Count { count } => count,
                other => panic!("unexpected {other:?}"),
            }
        }
    };
    assert_eq!(count("").await, 30);
    assert_eq!(count("tag:vip").await, 7);
    assert_eq!(count("tag:vip -status:resolved").await, 6);
    assert_eq!(count("\"message 1\"").await, 11, "message 1, 10..19");
    let err = client
        .call(Request::Count {
            query: "nope:x".into(),
        })
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("malformed query"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_on_a_stale_view_is_refused_when_another_writer_changed_the_item() {
    use switchboard::hub::protocol::ErrorKind;
    use switchboard::model::Actor;
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let hub = Arc::new(Hub::new(store, "test"));
    let (tui, demo) = (Actor::new("root", "tui"), Actor::new("root", "demo"));
    // An in-process client is told who it is like a socket client.
    let local = HubClient::local(Arc::clone(&hub), tui.clone());
    assert_eq!(
        (local.user(), local.welcome().role),
        ("root", switchboard::team::Role::Admin)
    );
    assert!(local.welcome().session > 0);
    let Response::Ingested { outcomes } = hub
        .handle(
            &demo,
            Request::Ingest {
                items: vec![item(1)],
                source: "test".into(),
            },
        )
        .unwrap()
    else {
        panic!()
    };
    let id = outcomes[0].id();
    let seen = match hub.handle(&tui, Request::Show { id, raw: false }).unwrap() {
        Response::Detail { detail } => detail.item.version,
        other => panic!("unexpected {other:?}"),
    };
    let reply = |seen_version| Request::Reply {
        id,
        text: "on it".into(),
        seen_version: Some(seen_version),
    };
    // The writer's own change is no collision.
    let tag = |tag: &str| Request::Tag {
        id,
        tag: tag.into(),
    };
    hub.handle(&tui, tag("mine")).unwrap();
    hub.handle(&tui, reply(seen)).unwrap();
    // The same user in another program is another writer: this view never showed it.
    let seen = seen + 2;
    hub.handle(&demo, tag("legal")).unwrap();
    let refused = hub.handle(&tui, reply(seen)).unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert!(
        refused.message.contains("root (in demo) tag"),
        "{}",
        refused.message
    );
    let now = match hub.handle(&tui, Request::Show { id, raw: false }).unwrap() {
        Response::Detail { detail } => detail.item.version,
        other => panic!("unexpected {other:?}"),
    };
    hub.handle(&tui, reply(now)).unwrap();
}
