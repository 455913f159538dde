//! The report of a store built with known timestamps, every figure worked out by hand.

use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::model::ItemId;
use crate::model::{
    Actor, Author, Kind, Moderation, NewItem, OutboxEntry, OutboxState, Platform, Status,
};
use crate::store::{AuditNote, SledStore, Store};
use crate::team::Scope;

fn at(hhmm: &str) -> DateTime<Utc> {
    format!("2026-01-05T{hhmm}:00Z").parse().unwrap()
}

fn window() -> Window {
    Window::new(
        Some(at("00:00")),
        Some(at("00:00") + Duration::days(1)),
        Utc::now(),
    )
    .unwrap()
}

fn post(account: &str, platform: Platform, kind: Kind, remote: &str) -> NewItem {
    NewItem {
        platform,
        account: account.into(),
        kind,
        remote_id: remote.into(),
        thread_id: Some(remote.into()),
        parent_id: None,
        author: Author {
            id: format!("a{remote}"),
            handle: format!("h{remote}"),
            name: "Customer".into(),
        },
        text: "hello".into(),
        lang: None,
        created_at: at("00:00") - Duration::days(2),
        url: None,
        from_brand: false,
        raw: None,
        status: None,
        priority: None,
        tags: Default::default(),
        assignee: None,
    }
}

/// Ingests one item received at `received`, due at `due`.
fn item(
    store: &SledStore,
    new: NewItem,
    received: DateTime<Utc>,
    due: Option<DateTime<Utc>>,
) -> ItemId {
    let sync = Actor::new("switchboard", "sync:test");
    let id = store.ingest(vec![new], &sync, received).unwrap()[0].id();
    if let Some(due) = due {
        store
            .update(id, &Actor::system(), received, &mut |item| {
                item.sla_due = Some(due);
                Ok(Some(AuditNote::new("sla", "due")))
            })
            .unwrap();
    }
    id
}

fn resolve(store: &SledStore, id: ItemId, user: &str, when: DateTime<Utc>) {
    store
        .update(id, &Actor::new(user, "cli"), when, &mut |item| {
            let from = item.status;
            item.set_status(Status::Resolved).unwrap();
            Ok(Some(AuditNote::new(
                "status",
                format!("{from} -> resolved"),
            )))
        })
        .unwrap();
}

fn sent(store: &SledStore, (id, account): (ItemId, &str), user: &str, when: DateTime<Utc>) {
    let created = when - Duration::minutes(1);
    let ms = u64::try_from(created.timestamp_millis()).unwrap();
    let entry = OutboxEntry {
        id: ItemId::from_parts(ms, u128::from(rand::random::<u32>())),
        item: id,
        account: account.into(),
        text: "thanks".into(),
        author: user.into(),
        idempotency_key: format!("k{ms}"),
        state: OutboxState::Sent {
            remote_id: "r".into(),
            url: None,
            at: when,
        },
        attempts: 1,
        moderation: None,
        private: false,
        created_at: created,
        updated_at: when,
    };
    store.put_outbox(&entry).unwrap();
}

fn audit(
    store: &SledStore,
    id: ItemId,
    user: &str,
    (action, detail): (&str, &str),
    when: DateTime<Utc>,
) {
    store
        .append_audit(&Actor::new(user, "tui"), when, Some(id), action, detail)
        .unwrap();
}

/// The store of the module's figures (see each line).
fn built() -> SledStore {
    let store = SledStore::temporary().unwrap();
    let acme = |kind, remote| post("acme", Platform::Mastodon, kind, remote);
    let a = item(
        &store,
        acme(Kind::Mention, "a"),
        at("01:00"),
        Some(at("02:00")),
    );
    let b = item(&store, acme(Kind::Dm, "b"), at("02:00"), Some(at("02:15")));
    let c = item(
        &store,
        post("shop", Platform::Bluesky, Kind::Comment, "c"),
        at("03:00"),
        None,
    );
    let d = item(
        &store,
        acme(Kind::Mention, "d"),
        at("04:00"),
        Some(at("05:00")),
    );
    item(
        &store,
        acme(Kind::Dm, "e"),
        at("23:00"),
        Some(at("23:00") + Duration::hours(2)),
    );
    let mut ours = acme(Kind::Comment, "f");
    ours.from_brand = true;
    item(&store, ours, at("05:00"), None);
    let g = item(
        &store,
        acme(Kind::Mention, "g"),
        at("00:00") - Duration::hours(4),
        None,
    );
    let h = item(
        &store,
        acme(Kind::Mention, "h"),
        at("01:00") + Duration::days(1),
        None,
    );

    sent(&store, (a, "acme"), "alice", at("01:10")); // A: 600 s, before its due: met
    sent(&store, (b, "acme"), "bob", at("02:30")); // B: 1800 s, after 02:15: breached
    sent(&store, (b, "acme"), "alice", at("02:40")); // not B's first
    sent(&store, (c, "shop"), "alice", at("03:20")); // C: 1200 s, no due
    sent(&store, (g, "acme"), "carol", at("05:00")); // G arrived before the window
    sent(
        &store,
        (h, "acme"),
        "alice",
        at("01:30") + Duration::days(1),
    ); // after the window
    not_counted(&store, d);

    resolve(&store, a, "alice", at("01:20")); // A: 1200 s
    resolve(&store, b, "bob", at("03:00")); // B: 3600 s
    resolve(&store, g, "carol", at("06:00")); // counts for carol, not for the timings

    audit(
        &store,
        a,
        "alice",
        ("escalate", "legal: threatens to sue"),
        at("01:05"),
    );
    audit(
        &store,
        a,
        "lena",
        ("escalation", "legal answered: say sorry"),
        at("01:35"),
    );
    audit(
        &store,
        b,
        "bob",
        ("escalate", "brand: logo question"),
        at("02:05"),
    );
    store
}

/// A moderation step and a failed reply to D: neither is a response.
fn not_counted(store: &SledStore, d: ItemId) {
    sent(store, (d, "acme"), "alice", at("04:10"));
    let mut entries = store.outbox().unwrap();
    let hide = entries.iter_mut().find(|e| e.item == d).unwrap();
    hide.moderation = Some(Moderation::Hide);
    store.put_outbox(hide).unwrap();
    let mut failed = hide.clone();
    failed.id = ItemId::from_parts(hide.id.0.timestamp_ms(), 99);
    failed.moderation = None;
    failed.state = OutboxState::Failed {
        reason: "refused".into(),
    };
    store.put_outbox(&failed).unwrap();
}

#[test]
fn volume_counts_customer_items_of_the_window_by_platform_kind_and_hour() {
    let report = stats(&built(), &Scope::everything(), window()).unwrap();
    let volume = &report.volume;
    assert_eq!(volume.total, 5);
    assert_eq!(volume.by_platform["mastodon"], 4);
    assert_eq!(volume.by_platform["bluesky"], 1);
    assert_eq!(volume.by_kind["mention"], 2);
    assert_eq!(volume.by_kind["dm"], 2);
    assert_eq!(volume.by_kind["comment"], 1);
    assert_eq!(volume.bucket_seconds, 3600);
    let mut expected = vec![0; 24];
    for hour in [1, 2, 3, 4, 23] {
        expected[hour] = 1;
    }
    assert_eq!(volume.over_time, expected);
}

#[test]
fn first_response_and_resolution_medians_and_p90() {
    let report = stats(&built(), &Scope::everything(), window()).unwrap();
    // First responses 600, 1200, 1800: median 1200, p90 the 3rd of 3.
    let first = &report.first_response;
    assert_eq!((first.count, first.missing), (3, 2));
    assert_eq!(
        (first.median_seconds, first.p90_seconds),
        (Some(1200), Some(1800))
    );
    // Resolutions 1200 and 3600: median their mean, p90 the 2nd of 2.
    let resolution = &report.resolution;
    assert_eq!((resolution.count, resolution.missing), (2, 3));
    assert_eq!(
        (resolution.median_seconds, resolution.p90_seconds),
        (Some(2400), Some(3600))
    );
}

#[test]
fn sla_met_counts_items_without_a_due_apart() {
    let sla = stats(&built(), &Scope::everything(), window()).unwrap().sla;
    assert_eq!(
        (sla.met, sla.breached, sla.pending, sla.without_due),
        (1, 2, 1, 1)
    );
    let percent = sla.met_percent.unwrap();
    assert!((percent - 100.0 / 3.0).abs() < 1e-9, "{percent}");
}

#[test]
fn per_agent_replies_resolutions_and_median_first_response() {
    let agents = stats(&built(), &Scope::everything(), window())
        .unwrap()
        .agents;
    let rows: Vec<_> = agents
        .iter()
        .map(|a| {
            (
                a.user.as_str(),
                a.replies_sent,
                a.resolved,
                a.first_response_median_seconds,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("alice", 3, 1, Some(900)),
            ("bob", 1, 1, Some(1800)),
            ("carol", 1, 1, None),
        ]
    );
}

#[test]
fn escalations_by_name_with_their_time_to_answer() {
    let report = stats(&built(), &Scope::everything(), window()).unwrap();
    assert!(report.escalations_shown);
    let rows: Vec<_> = report
        .escalations
        .iter()
        .map(|e| {
            (
                e.name.as_str(),
                e.raised,
                e.answered,
                e.answer_median_seconds,
            )
        })
        .collect();
    assert_eq!(rows, [("brand", 1, 0, None), ("legal", 1, 1, Some(1800))]);
}

#[test]
fn a_narrow_scope_sees_only_its_accounts_and_no_escalations() {
    let shop = Scope::new(Some(["shop".to_string()].into()), false);
    let report = stats(&built(), &shop, window()).unwrap();
    assert_eq!(report.volume.total, 1);
    assert_eq!(report.first_response.median_seconds, Some(1200));
    assert_eq!(report.resolution.count, 0);
    let agents: Vec<_> = report
        .agents
        .iter()
        .map(|a| (a.user.as_str(), a.replies_sent, a.resolved))
        .collect();
    assert_eq!(agents, [("alice", 1, 0)]);
    assert!(!report.escalations_shown);
    assert!(report.escalations.is_empty());
}

#[test]
fn an_empty_store_reports_zeros_and_no_figures() {
    let store = SledStore::temporary().unwrap();
    let report = stats(&store, &Scope::everything(), window()).unwrap();
    assert_eq!(report.volume.total, 0);
    assert_eq!(report.volume.over_time.len(), 24);
    assert_eq!(report.first_response.median_seconds, None);
    assert_eq!(report.sla.met_percent, None);
    assert!(report.agents.is_empty());
}
