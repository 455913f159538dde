//! Stats benchmark (issue 7): the cost of `Request::Stats` on a large store, for windows of
//! 24 hours, 7 days and 30 days.
//!
//! `cargo bench --bench stats`. Store size from `SWITCHBOARD_BENCH_ITEMS` (default
//! 100,000), built fresh in a temporary directory: the items arrive in batches of 1,000
//! spread evenly over the last 30 days; each gets a sent reply 1 to 40 minutes after it
//! arrived, every second one is resolved an hour after, and one in a hundred is escalated
//! (`legal`) and answered 30 minutes later. Audit lines are written in time order, as a
//! live hub writes them.
//!
//! The store's ingest stamps item ids with the wall clock, so every item of this store has
//! an id of the build's minutes, whatever its `received_at`: the item range read of every
//! window here covers all the items (a live store's ids and arrival times agree, and a 24
//! hour window reads only a day of them). The item part is thus measured at its worst;
//! the audit part is bounded by the window as in a live store.

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use switchboard::hub::protocol::{Request, Response};
use switchboard::hub::{Hub, QueueIndex};
use switchboard::model::{
    Actor, Author, ItemId, Kind, NewItem, OutboxEntry, OutboxState, Platform, Status,
};
use switchboard::store::{AuditNote, SledStore, Store};

const BATCH: usize = 1_000;
const SPAN_DAYS: i64 = 30;
const RUNS: usize = 5;

fn main() {
    let count = std::env::var("SWITCHBOARD_BENCH_ITEMS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(100_000usize);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SledStore::open(&dir.path().join("store")).expect("open the bench store");
    let now = Utc::now();
    let started = Instant::now();
    let audit_lines = build(&store, count, now);
    store.flush().expect("flush");
    println!(
        "built {count} items, {audit_lines} audit lines in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let store: Arc<dyn Store> = Arc::new(store);
    let hub = Hub::with_index(store, "bench", QueueIndex::disabled());
    println!("| window | items in it | audit lines in it | median | slowest of {RUNS} |");
    println!("|---|---|---|---|---|");
    for (label, days) in [("24 hours", 1), ("7 days", 7), ("30 days", SPAN_DAYS)] {
        measure(
            &hub,
            label,
            Duration::days(days),
            audit_lines / SPAN_DAYS as usize * days as usize,
        );
    }
}

fn measure(hub: &Hub, label: &str, span: Duration, audit_lines: usize) {
    let mut times: Vec<StdDuration> = Vec::new();
    let mut total = 0;
    for _ in 0..RUNS {
        let request = Request::Stats {
            since: Some(Utc::now() - span),
            until: None,
        };
        let start = Instant::now();
        let answer = hub.handle(&Actor::new("bench", "bench"), request);
        times.push(start.elapsed());
        let Ok(Response::Stats(report)) = answer else {
            panic!("stats failed: {answer:?}");
        };
        total = report.volume.total;
    }
    times.sort();
    let ms = |d: StdDuration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "| {label} | {total} | ~{audit_lines} | {} | {} |",
        ms(times[RUNS / 2]),
        ms(times[RUNS - 1])
    );
}

/// Fills the store; returns how many audit lines it wrote.
fn build(store: &SledStore, count: usize, now: DateTime<Utc>) -> usize {
    let batches = count.div_ceil(BATCH).max(1);
    let step = Duration::days(SPAN_DAYS) / i32::try_from(batches).expect("batches");
    let start = now - Duration::days(SPAN_DAYS);
    let sync = Actor::new("switchboard", "sync:bench");
    let mut lines = 0;
    for b in 0..batches {
        let at = start + step * i32::try_from(b).expect("batch");
        let items: Vec<NewItem> = (b * BATCH..((b + 1) * BATCH).min(count))
            .map(item)
            .collect();
        let ids: Vec<ItemId> = store
            .ingest(items, &sync, at)
            .expect("ingest")
            .into_iter()
            .map(|o| o.id())
            .collect();
        lines += follow_up(store, &ids, at);
    }
    lines
}

/// Replies, escalations, answers and resolutions of one batch, in time order.
fn follow_up(store: &SledStore, ids: &[ItemId], at: DateTime<Utc>) -> usize {
    for (n, id) in ids.iter().enumerate() {
        let sent = at + Duration::minutes(1 + (n % 40) as i64);
        store.put_outbox(&reply(*id, n, sent)).expect("outbox");
    }
    let mut lines = 0;
    let escalated: Vec<ItemId> = ids.iter().step_by(100).copied().collect();
    for (action, detail, after) in [
        ("escalate", "legal: threatens to sue", 5),
        ("escalation", "legal answered: offer a refund", 35),
    ] {
        for id in &escalated {
            let when = at + Duration::minutes(after);
            let lena = Actor::new("lena", "tui");
            store
                .append_audit(&lena, when, Some(*id), action, detail)
                .expect("audit");
            lines += 1;
        }
    }
    for (n, id) in ids.iter().enumerate().filter(|(n, _)| n % 2 == 0) {
        let agent = Actor::new(agent(n), "tui");
        store
            .update(*id, &agent, at + Duration::hours(1), &mut |item| {
                let from = item.status;
                item.set_status(Status::Resolved).expect("resolvable");
                Ok(Some(AuditNote::new(
                    "status",
                    format!("{from} -> resolved"),
                )))
            })
            .expect("resolve");
        lines += 1;
    }
    lines
}

fn agent(n: usize) -> &'static str {
    ["alice", "bob", "carol", "dan"][n % 4]
}

fn reply(item: ItemId, n: usize, sent: DateTime<Utc>) -> OutboxEntry {
    let created = sent - Duration::seconds(30);
    let ms = u64::try_from(created.timestamp_millis()).expect("after 1970");
    OutboxEntry {
        id: ItemId::from_parts(ms, n as u128),
        item,
        account: "acme".into(),
        text: "Thanks, we are on it.".into(),
        author: agent(n).into(),
        idempotency_key: format!("bench-{item}"),
        state: OutboxState::Sent {
            remote_id: format!("r{n}"),
            url: None,
            at: sent,
        },
        attempts: 1,
        moderation: None,
        private: false,
        created_at: created,
        updated_at: sent,
    }
}

fn item(n: usize) -> NewItem {
    let platform = Platform::KNOWN[n % Platform::KNOWN.len()].clone();
    NewItem {
        platform,
        account: "acme".into(),
        kind: Kind::ALL[n % 3],
        remote_id: format!("bench-{n}"),
        thread_id: Some(format!("thread-{}", n / 10)),
        parent_id: None,
        author: Author {
            id: format!("author-{}", n % 5_000),
            handle: format!("customer{}", n % 5_000),
            name: "Customer".into(),
        },
        text: "Where is my order? It was due on Monday and nobody answers.".into(),
        lang: Some("en".into()),
        created_at: Utc::now(),
        url: None,
        from_brand: false,
        raw: None,
        status: None,
        priority: None,
        tags: Default::default(),
        assignee: None,
    }
}
