//! Shifts through the hub: the rollover when a shift ends (to the next on call, to the pool,
//! within what the next person may see, once, caught up after a restart), handoffs (the
//! numbers of the shift, scoped to the author, the latest kept), and the `handoff` and
//! `oncall` verbs on a temporary `--home`. Times are given explicitly: nothing waits for a
//! real shift boundary.

mod common;

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Duration, Timelike, Utc};
use serde_json::Value;
use switchboard::config::Config;
use switchboard::hub::protocol::{ErrorKind, Request, Response};
use switchboard::hub::shifts::{catch_up, rollover};
use switchboard::hub::Hub;
use switchboard::model::{Actor, Item, ItemId, NewItem, Status};
use switchboard::store::{AuditNote, SledStore, Store};
use switchboard::team::Team;

const USERS: &str = r#"
[users.alice]
role = "approver"
[users.bob]
role = "approver"
[users.carol]
role = "admin"
[users.dan]
role = "agent"
accounts = ["acme-x"]
"#;

/// Every day in Paris: alice 08–16, then `evening` 16–24.
fn rota(handover: &str, evening: &str) -> String {
    format!(
        r#"{USERS}
[oncall]
timezone = "Europe/Paris"
handover = "{handover}"
[[oncall.shifts]]
user = "alice"
start = "08:00"
end = "16:00"
[[oncall.shifts]]
user = "{evening}"
start = "16:00"
end = "00:00"
"#
    )
}

fn hub_on(store_dir: &Path, config: &str) -> Arc<Hub> {
    let config = Config::parse(Path::new("config.toml"), config).expect("config");
    let store: Arc<dyn Store> = Arc::new(SledStore::open(store_dir).unwrap());
    Arc::new(Hub::new(store, "test").with_team(Team::from_config(&config), None))
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// Monday 2026-11-23: alice's shift ends at 16:00 Paris, 15:00 UTC.
const BEFORE_END: &str = "2026-11-23T14:00:00Z";
const AFTER_END: &str = "2026-11-23T16:00:00Z";

fn new_item(n: usize, account: &str) -> NewItem {
    NewItem {
        thread_id: None,
        ..common::items::customer_item(account, n)
    }
}

fn call(hub: &Hub, user: &str, request: Request) -> Response {
    hub.handle(&Actor::new(user, "test"), request)
        .unwrap_or_else(|e| panic!("{user}: {e}"))
}

/// Ingests one item with a status and an assignee.
fn item_for(hub: &Hub, n: usize, account: &str, status: Status, assignee: &str) -> ItemId {
    let request = Request::Ingest {
        items: vec![new_item(n, account)],
        source: "test".into(),
    };
    let Response::Ingested { outcomes } = call(hub, "carol", request) else {
        panic!("not ingested")
    };
    let id = outcomes[0].id();
    if status != Status::New {
        call(hub, "carol", Request::SetStatus { id, status });
    }
    let user = Some(assignee.to_string());
    call(hub, "carol", Request::Assign { id, user });
    id
}

fn get(hub: &Hub, id: ItemId) -> Item {
    hub.store().get(id).unwrap().unwrap()
}

fn last_audit(hub: &Hub, id: ItemId) -> (String, String, String) {
    let entry = hub.store().audit(Some(id), 1).unwrap().pop().unwrap();
    (entry.actor.user, entry.action, entry.detail)
}

#[test]
fn a_shift_end_hands_open_items_to_the_next_on_call_once() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_on(&dir.path().join("store"), &rota("next", "bob"));
    let open = item_for(&hub, 1, "acme-bluesky", Status::Open, "alice");
    let new = item_for(&hub, 2, "acme-bluesky", Status::New, "alice");
    let escalated = item_for(&hub, 3, "acme-bluesky", Status::Escalated, "alice");
    let resolved = item_for(&hub, 4, "acme-bluesky", Status::Resolved, "alice");
    let carols = item_for(&hub, 5, "acme-bluesky", Status::Open, "carol");

    assert!(
        catch_up(&hub, utc(BEFORE_END)).unwrap().is_empty(),
        "a first pass only marks"
    );
    let handed = rollover(&hub, utc(BEFORE_END), utc(AFTER_END)).unwrap();
    let moved: Vec<ItemId> = handed.iter().map(|h| h.item).collect();
    assert_eq!(moved.len(), 3, "{handed:?}");
    for id in [open, new, escalated] {
        assert!(moved.contains(&id));
        assert_eq!(get(&hub, id).assignee.as_deref(), Some("bob"));
        assert_eq!(
            last_audit(&hub, id),
            (
                "switchboard".into(),
                "assign".into(),
                "shift ended: alice -> bob".into()
            )
        );
    }
    assert_eq!(handed[0].shift_end, utc("2026-11-23T15:00:00Z"));
    assert_eq!(
        get(&hub, resolved).assignee.as_deref(),
        Some("alice"),
        "done work stays"
    );
    assert_eq!(
        get(&hub, carols).assignee.as_deref(),
        Some("carol"),
        "not on the rota"
    );

    // The same window again, or catching up to where it already is: nothing.
    call(
        &hub,
        "carol",
        Request::Assign {
            id: open,
            user: Some("alice".into()),
        },
    );
    assert!(rollover(&hub, utc(BEFORE_END), utc(AFTER_END))
        .unwrap()
        .is_empty());
    assert!(catch_up(&hub, utc(AFTER_END)).unwrap().is_empty());
    assert_eq!(get(&hub, open).assignee.as_deref(), Some("alice"));
}

#[test]
fn the_pool_takes_what_nobody_next_may_have() {
    let dir = tempfile::tempdir().unwrap();
    let pool = hub_on(&dir.path().join("pool"), &rota("pool", "bob"));
    let id = item_for(&pool, 1, "acme-bluesky", Status::Open, "alice");
    catch_up(&pool, utc(BEFORE_END)).unwrap();
    let handed = rollover(&pool, utc(BEFORE_END), utc(AFTER_END)).unwrap();
    assert_eq!(handed[0].to, None);
    assert_eq!(get(&pool, id).assignee, None);
    assert_eq!(last_audit(&pool, id).2, "shift ended: alice -> unassigned");

    // dan is next, but sees only acme-x and no escalations.
    let next = hub_on(&dir.path().join("next"), &rota("next", "dan"));
    let elsewhere = item_for(&next, 1, "acme-bluesky", Status::Open, "alice");
    let his = item_for(&next, 2, "acme-x", Status::Open, "alice");
    let escalated = item_for(&next, 3, "acme-x", Status::Escalated, "alice");
    catch_up(&next, utc(BEFORE_END)).unwrap();
    rollover(&next, utc(BEFORE_END), utc(AFTER_END)).unwrap();
    assert_eq!(get(&next, elsewhere).assignee, None);
    assert_eq!(get(&next, his).assignee.as_deref(), Some("dan"));
    assert_eq!(get(&next, escalated).assignee, None);
}

#[test]
fn a_hub_that_was_down_at_the_shift_end_catches_up_at_start_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let id = {
        let hub = hub_on(&store, &rota("next", "bob"));
        let id = item_for(&hub, 1, "acme-bluesky", Status::Open, "alice");
        catch_up(&hub, utc(BEFORE_END)).unwrap();
        id
    };
    let hub = hub_on(&store, &rota("next", "bob"));
    assert_eq!(catch_up(&hub, utc(AFTER_END)).unwrap().len(), 1);
    assert_eq!(get(&hub, id).assignee.as_deref(), Some("bob"));
    assert!(catch_up(&hub, utc(AFTER_END) + Duration::minutes(1))
        .unwrap()
        .is_empty());
}

/// A rota whose only shift (carol's) started two hours ago and is still running.
fn running_shift(now: DateTime<Utc>) -> (String, DateTime<Utc>) {
    let start = (now - Duration::hours(2))
        .with_second(0)
        .unwrap()
        .with_nanosecond(0)
        .unwrap();
    let end = now + Duration::hours(2);
    let config = format!(
        "{USERS}\n[oncall]\ntimezone = \"UTC\"\n[[oncall.shifts]]\nuser = \"carol\"\nstart = \"{}\"\nend = \"{}\"\n",
        start.format("%H:%M"),
        end.format("%H:%M")
    );
    (config, start)
}

fn handoff(hub: &Hub, user: &str, note: Option<&str>) -> switchboard::model::Handoff {
    let request = Request::Handoff {
        note: note.map(String::from),
        since: None,
    };
    match call(hub, user, request) {
        Response::Handoff { handoff } => handoff,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_handoff_sums_up_the_shift_within_what_its_author_sees() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let (config, shift_start) = running_shift(now);
    let hub = hub_on(&dir.path().join("store"), &config);
    let late = item_for(&hub, 1, "acme-bluesky", Status::Open, "carol");
    let soon = item_for(&hub, 2, "acme-bluesky", Status::New, "carol");
    let done = item_for(&hub, 3, "acme-bluesky", Status::Open, "carol");
    item_for(&hub, 4, "acme-bluesky", Status::Escalated, "carol");
    let dans = item_for(&hub, 5, "acme-x", Status::New, "dan");
    let mut ours = new_item(6, "acme-bluesky");
    ours.from_brand = true;
    call(
        &hub,
        "carol",
        Request::Ingest {
            items: vec![ours],
            source: "test".into(),
        },
    );
    call(
        &hub,
        "alice",
        Request::SetStatus {
            id: done,
            status: Status::Resolved,
        },
    );
    call(
        &hub,
        "bob",
        Request::Note {
            id: soon,
            text: "customer calls back at 5".into(),
        },
    );
    call(
        &hub,
        "dan",
        Request::Note {
            id: dans,
            text: "asked for the invoice".into(),
        },
    );
    for (id, due) in [
        (late, now - Duration::minutes(10)),
        (soon, now + Duration::minutes(30)),
    ] {
        hub.store()
            .update(id, &Actor::system(), now, &mut |item| {
                item.sla_due = Some(due);
                Ok(Some(AuditNote::new("sla", "due set by the test")))
            })
            .unwrap();
    }

    let carols = handoff(&hub, "carol", Some("  The refund thread is hot  "));
    assert_eq!(carols.author, "carol");
    assert_eq!(carols.since, shift_start, "from the start of her shift");
    assert_eq!(carols.note.as_deref(), Some("The refund thread is hot"));
    let c = carols.counts;
    assert_eq!(
        (c.new, c.handled, c.open, c.escalated),
        (5, 1, 4, 1),
        "{c:?}"
    );
    assert_eq!((c.near_sla, c.past_sla), (1, 1), "{c:?}");
    let notes: Vec<(&str, &str)> = carols
        .notes
        .iter()
        .map(|n| (n.by.as_str(), n.text.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            ("bob", "customer calls back at 5"),
            ("dan", "asked for the invoice")
        ]
    );

    // dan sees acme-x only; with no shift of his, the period is the last 8 hours.
    let dans_handoff = handoff(&hub, "dan", None);
    let c = dans_handoff.counts;
    assert_eq!(
        (c.new, c.handled, c.open, c.escalated),
        (1, 0, 1, 0),
        "{c:?}"
    );
    assert_eq!(dans_handoff.notes.len(), 1);
    assert!(
        (dans_handoff.at - dans_handoff.since - Duration::hours(8))
            .num_seconds()
            .abs()
            < 1
    );

    let Response::LatestHandoff { handoff: latest } = call(&hub, "alice", Request::LatestHandoff)
    else {
        panic!()
    };
    assert_eq!(latest, Some(dans_handoff));
    let future = Request::Handoff {
        note: None,
        since: Some(now + Duration::hours(1)),
    };
    let refused = hub
        .handle(&Actor::new("carol", "test"), future)
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::BadRequest);
    assert!(
        refused.message.contains("in the future"),
        "{}",
        refused.message
    );
}

#[test]
fn no_handoff_yet_is_none_and_no_rota_is_no_report() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_on(&dir.path().join("store"), USERS);
    assert!(matches!(
        call(&hub, "bob", Request::LatestHandoff),
        Response::LatestHandoff { handoff: None }
    ));
    assert!(matches!(
        call(&hub, "bob", Request::OnCall { at: None }),
        Response::OnCall { oncall: None, .. }
    ));
}

// The verbs, end to end.

fn home_with(config: &str) -> common::Home {
    let home = common::Home::new();
    std::fs::write(home.path().join("config.toml"), config).unwrap();
    home
}

const OPEN_ROTA: &str = r#"
[oncall]
timezone = "Europe/Paris"
[[oncall.shifts]]
user = "alice"
days = ["mon", "tue", "wed", "thu", "fri"]
start = "08:00"
end = "16:00"
[[oncall.shifts]]
user = "bob"
start = "16:00"
end = "08:00"
"#;

#[test]
fn oncall_json_lists_who_is_on_and_the_next_changes() {
    let home = home_with(OPEN_ROTA);
    let out = home.ok(&["oncall", "--json", "--at", "2026-11-23T10:00:00+01:00"]);
    let report: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(report["timezone"], "Europe/Paris");
    assert_eq!(report["handover"], "next");
    assert_eq!(report["on_call"], serde_json::json!(["alice"]));
    let changes = report["changes"].as_array().unwrap();
    let first: Vec<(&str, &str, &str)> = changes
        .iter()
        .take(2)
        .map(|c| {
            (
                c["at"].as_str().unwrap(),
                c["user"].as_str().unwrap(),
                c["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        first,
        [
            ("2026-11-23T15:00:00Z", "alice", "ends"),
            ("2026-11-23T15:00:00Z", "bob", "starts")
        ]
    );
    let human = home.ok(&["oncall", "--at", "2026-11-23T10:00:00+01:00"]);
    assert!(
        human.contains("On call at Mon 2026-11-23 10:00 (Europe/Paris): alice"),
        "{human}"
    );
    assert!(
        human.contains("Mon 2026-11-23 16:00  alice off, bob on"),
        "{human}"
    );

    let none = home_with("").fails(&["oncall", "--json"]);
    assert!(none.contains("[oncall]"), "{none}");
    let bad = home_with(&OPEN_ROTA.replace("Europe/Paris", "Mars/Olympus")).fails(&["oncall"]);
    assert!(bad.contains("unknown time zone 'Mars/Olympus'"), "{bad}");
}

#[test]
fn handoff_json_prints_and_keeps_the_summary() {
    let home = home_with(OPEN_ROTA);
    home.ok(&["demo", "--items", "20", "--no-tui", "--seed", "7"]);
    let out = home.ok(&[
        "handoff",
        "--json",
        "--since",
        "2h",
        "--note",
        "Watch @claire",
    ]);
    let handoff: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(handoff["note"], "Watch @claire");
    assert!(!handoff["author"].as_str().unwrap().is_empty());
    let at: DateTime<Utc> = handoff["at"].as_str().unwrap().parse().unwrap();
    let since: DateTime<Utc> = handoff["since"].as_str().unwrap().parse().unwrap();
    assert!(
        ((at - since) - Duration::hours(2)).num_seconds().abs() <= 2,
        "{handoff}"
    );
    let counts = &handoff["counts"];
    assert!(counts["new"].as_u64().unwrap() > 0, "{handoff}");
    assert!(counts["open"].as_u64().unwrap() > 0, "{handoff}");
    for field in ["handled", "escalated", "near_sla", "past_sla"] {
        assert!(counts[field].is_u64(), "{field} in {handoff}");
    }
    let day = (Utc::now() - Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    let human = home.ok(&["handoff", "--since", &day]);
    assert!(human.starts_with("Handoff by "), "{human}");
    assert!(
        human.contains(&format!("(since {day} 00:00 UTC)")),
        "{human}"
    );
    let bad = home.fails(&["handoff", "--since", "yesterday"]);
    assert!(bad.contains("--since 'yesterday'"), "{bad}");
}
