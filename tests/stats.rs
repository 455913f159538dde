//! Reports through the hub (`Request::Stats`, scoped to the caller, over the wire format)
//! and through the real binary (`stats --json`, `--csv` and the table).

mod common;

use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, Utc};
use serde_json::Value;
use switchboard::config::Config;
use switchboard::hub::protocol::{ErrorKind, Request, Response};
use switchboard::hub::Hub;
use switchboard::model::{
    Actor, ItemId, Kind, NewItem, OutboxEntry, OutboxState, Platform, Status,
};
use switchboard::reports::StatsReport;
use switchboard::store::{SledStore, Store};
use switchboard::team::Team;

const USERS: &str = r#"
[users.alice]
role = "approver"
[users.carol]
role = "admin"
[users.dan]
role = "agent"
accounts = ["acme-x"]
"#;

fn hub() -> (tempfile::TempDir, Hub) {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::parse(Path::new("config.toml"), USERS).unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let hub = Hub::new(store, "test").with_team(Team::from_config(&config), None);
    (dir, hub)
}

fn call(hub: &Hub, user: &str, request: Request) -> Response {
    hub.handle(&Actor::new(user, "test"), request)
        .unwrap_or_else(|e| panic!("{user}: {e}"))
}

fn ingest(hub: &Hub, item: NewItem) -> ItemId {
    let request = Request::Ingest {
        items: vec![item],
        source: "test".into(),
    };
    let Response::Ingested { outcomes } = call(hub, "carol", request) else {
        panic!("not ingested")
    };
    outcomes[0].id()
}

fn x_dm(n: usize) -> NewItem {
    NewItem {
        platform: Platform::X,
        kind: Kind::Dm,
        ..common::items::customer_item("acme-x", n)
    }
}

/// A reply of `user` to `id` that the platform took `after` the item arrived.
fn sent_reply(hub: &Hub, id: ItemId, user: &str, after: Duration) {
    let item = hub.store().get(id).unwrap().unwrap();
    let entry = OutboxEntry {
        id: ItemId::generate(),
        item: id,
        account: item.account.clone(),
        text: "on it".into(),
        author: user.into(),
        idempotency_key: format!("key-{id}"),
        state: OutboxState::Sent {
            remote_id: "r1".into(),
            url: None,
            at: item.received_at + after,
        },
        attempts: 1,
        moderation: None,
        private: false,
        created_at: item.received_at,
        updated_at: item.received_at + after,
    };
    hub.store().put_outbox(&entry).unwrap();
}

fn stats(hub: &Hub, user: &str) -> StatsReport {
    let until = Some(Utc::now() + Duration::hours(1));
    match call(hub, user, Request::Stats { since: None, until }) {
        Response::Stats(report) => report,
        other => panic!("{other:?}"),
    }
}

#[test]
fn stats_through_the_hub_are_scoped_to_the_caller() {
    let (_dir, hub) = hub();
    let blue = ingest(&hub, common::items::customer_item("acme-bluesky", 1));
    ingest(&hub, common::items::customer_item("acme-bluesky", 2));
    let dm = ingest(&hub, x_dm(3));
    sent_reply(&hub, blue, "alice", Duration::seconds(90));
    sent_reply(&hub, dm, "dan", Duration::seconds(300));
    let resolve = |id| Request::SetStatus {
        id,
        status: Status::Resolved,
    };
    call(&hub, "alice", resolve(blue));
    let system = Actor::new("alice", "tui");
    let now = Utc::now();
    let log = |action: &str, detail: &str| {
        hub.store()
            .append_audit(&system, now, Some(dm), action, detail)
            .unwrap();
    };
    log("escalate", "legal: they threaten to sue");
    log("escalation", "legal answered: refund them");

    let all = stats(&hub, "carol");
    assert_eq!(all.volume.total, 3);
    assert_eq!(all.volume.by_platform["bluesky"], 2);
    assert_eq!(all.volume.by_kind["dm"], 1);
    assert_eq!(all.first_response.count, 2);
    assert_eq!(all.first_response.median_seconds, Some((90 + 300) / 2));
    assert_eq!(all.first_response.p90_seconds, Some(300));
    assert_eq!(all.resolution.count, 1);
    assert_eq!(all.sla.without_due, 3, "no item has a due time");
    let agents: Vec<_> = all
        .agents
        .iter()
        .map(|a| (a.user.as_str(), a.replies_sent, a.resolved))
        .collect();
    assert_eq!(agents, [("alice", 1, 1), ("dan", 1, 0)]);
    assert_eq!(all.escalations.len(), 1);
    assert_eq!(
        (all.escalations[0].raised, all.escalations[0].answered),
        (1, 1)
    );

    let dans = stats(&hub, "dan");
    assert_eq!(dans.volume.total, 1, "dan sees acme-x only");
    assert_eq!(dans.first_response.median_seconds, Some(300));
    assert_eq!(dans.agents.len(), 1);
    assert!(!dans.escalations_shown && dans.escalations.is_empty());

    let wire = serde_json::to_string(&Response::Stats(all.clone())).unwrap();
    let Response::Stats(back) = serde_json::from_str(&wire).unwrap() else {
        panic!("{wire}")
    };
    assert_eq!(back, all, "the report crosses the socket unchanged");
}

#[test]
fn an_empty_or_reversed_window_is_refused() {
    let (_dir, hub) = hub();
    let now = Utc::now();
    let request = Request::Stats {
        since: Some(now + Duration::hours(2)),
        until: Some(now + Duration::hours(1)),
    };
    let err = hub
        .handle(&Actor::new("carol", "test"), request)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::BadRequest);
    assert!(err.message.contains("window is empty"), "{}", err.message);
}

/// A home with three imported items (two Bluesky mentions, an X DM), one of them resolved.
fn home_with_items() -> common::Home {
    let home = common::Home::new();
    let lines: Vec<String> = [
        common::items::customer_item("acme-bluesky", 1),
        common::items::customer_item("acme-bluesky", 2),
        x_dm(3),
    ]
    .iter()
    .map(|item| serde_json::to_string(item).unwrap())
    .collect();
    let file = home.path().join("items.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    home.ok(&["import", file.to_str().unwrap()]);
    let first = home.items(&["platform:x"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    home.ok(&["resolve", &first]);
    home
}

#[test]
fn stats_verb_prints_json_csv_and_a_table() {
    let home = home_with_items();
    let out = home.ok(&["stats", "--json"]);
    let report: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(report["volume"]["total"], 3);
    assert_eq!(report["volume"]["by_platform"]["bluesky"], 2);
    assert_eq!(report["volume"]["by_kind"]["dm"], 1);
    assert_eq!(report["volume"]["over_time"].as_array().unwrap().len(), 7);
    assert_eq!(report["resolution"]["count"], 1);
    let agents = report["agents"].as_array().unwrap();
    assert_eq!(agents.len(), 1, "{report}");
    assert_eq!(agents[0]["resolved"], 1);
    let me = agents[0]["user"].as_str().unwrap().to_string();

    let csv = home.ok(&["stats", "--csv", "--since", "24h"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("metric,dimension,key,value,unit"));
    let rows: Vec<&str> = lines.collect();
    for expected in [
        "volume,,,3,items",
        "volume,platform,bluesky,2,items",
        "volume,kind,dm,1,items",
        "resolution_count,,,1,items",
        "sla_without_due,,,3,items",
        "sla_met_percent,,,,percent",
        &format!("resolved,agent,{me},1,items"),
    ] {
        assert!(rows.contains(&expected), "{expected} not in\n{csv}");
    }
    let buckets = rows
        .iter()
        .filter(|r| r.starts_with("volume,bucket,"))
        .count();
    assert_eq!(buckets, 24, "hourly buckets over a day\n{csv}");

    let table = home.ok(&["stats"]);
    assert!(table.starts_with("Stats from "), "{table}");
    assert!(table.contains("Volume          3 items"), "{table}");
    assert!(table.contains("by platform   bluesky 2 · x 1"), "{table}");
    assert!(table.contains("(1 resolved, 2 not yet)"), "{table}");
    let head: String = me.chars().take(12).collect();
    let row = table
        .lines()
        .find(|l| l.trim_start().starts_with(&head) && l.contains("  0  "))
        .unwrap_or_else(|| panic!("no row for {me} in\n{table}"));
    assert!(row.ends_with("0         1  —"), "{row}");

    let bad = home.fails(&["stats", "--since", "yesterday"]);
    assert!(bad.contains("--since 'yesterday'"), "{bad}");
}
