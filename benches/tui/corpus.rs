//! The benchmark's store: `count` items from the demo simulator, given the triage state a
//! busy inbox has (most of the history resolved, some spam, open and pending work, tags,
//! priorities, assignees), ingested through the hub in batches of 1,000 into a sled store
//! cached under `target/bench-data/tui-<count>`. A store is reused when its marker file says
//! it was finished with the same count and generator version; otherwise it is rebuilt.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use switchboard::connectors::simulator::Simulator;
use switchboard::hub::protocol::{Request, Response};
use switchboard::hub::Hub;
use switchboard::model::{Actor, NewItem, Priority, Status};
use switchboard::store::{SledStore, Store};

/// Items per ingest request, as `switchboard demo` and the connectors send them.
const BATCH: usize = 1_000;
/// Bumped whenever the generated items change, so an old cached store is rebuilt.
const GENERATOR_VERSION: u32 = 1;
/// The file that says a cached store is complete.
const MARKER: &str = "bench-complete";
/// The simulated world: seed, and where its backlog ends.
const SEED: u64 = 42;
const START: &str = "2026-01-05T12:00:00Z";
/// The team the generated assignments go to; the TUI runs as the first.
pub const TEAM: [&str; 4] = ["alice", "bob", "chloe", "dmitri"];

/// Where the store for `count` items lives.
pub fn store_dir(count: usize) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-data")
        .join(format!("tui-{count}"))
}

/// Whether a finished store for `count` items is cached in `dir`.
pub fn is_cached(dir: &Path, count: usize) -> bool {
    std::fs::read_to_string(dir.join(MARKER)).is_ok_and(|text| text.trim() == marker_text(count))
}

fn marker_text(count: usize) -> String {
    format!("items={count} generator={GENERATOR_VERSION}")
}

/// What building the store took.
pub struct Built {
    pub generated_in: Duration,
    pub ingested_in: Duration,
    pub items: u64,
}

/// Builds the store for `count` items in `dir` (removing anything there first).
pub fn build(dir: &Path, count: usize) -> Built {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("remove the unfinished store");
    }
    std::fs::create_dir_all(dir).expect("create the store directory");
    let began = Instant::now();
    let items = generate(count);
    let generated_in = began.elapsed();
    eprintln!(
        "generated {} items in {:.1} s; ingesting",
        items.len(),
        generated_in.as_secs_f64()
    );
    let store: Arc<dyn Store> = Arc::new(SledStore::open(dir).expect("open the new store"));
    let hub = Hub::new(Arc::clone(&store), "bench");
    let actor = Actor::new(TEAM[0], "bench");
    let began = Instant::now();
    let mut done = 0;
    for chunk in items.chunks(BATCH) {
        let request = Request::Ingest {
            items: chunk.to_vec(),
            source: "bench".into(),
        };
        match hub.handle(&actor, request) {
            Ok(Response::Ingested { .. }) => {}
            other => panic!("ingest failed: {other:?}"),
        }
        done += chunk.len();
        if done % 100_000 == 0 {
            eprintln!("  {done} items in {:.0} s", began.elapsed().as_secs_f64());
        }
    }
    let ingested_in = began.elapsed();
    let items = store.counts().expect("counts").total();
    drop(hub);
    drop(store);
    // sled writes its page-table snapshot while it opens: open once so that the measured
    // opens do not replay the whole build log (see the store section of BENCHMARKS.md).
    drop(SledStore::open(dir).expect("reopen the built store"));
    std::fs::write(dir.join(MARKER), marker_text(count)).expect("write the marker");
    Built {
        generated_in,
        ingested_in,
        items,
    }
}

/// `count` simulator items, oldest first, with their triage state.
fn generate(count: usize) -> Vec<NewItem> {
    let start: DateTime<Utc> = START.parse().expect("a valid RFC 3339 constant");
    // The backlog counts customer messages and adds the brand's posts and replies, so
    // `count` customers give at least `count` items; the oldest `count` keep threads whole.
    let mut items = Simulator::new(SEED, "Acme", start).backlog(count);
    items.truncate(count);
    let total = items.len();
    for (n, item) in items.iter_mut().enumerate() {
        triage(item, n, total);
    }
    items
}

/// A deterministic number from `n` (splitmix64).
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Gives item `n` (of `total`, oldest first) the state a team's triage would have left:
/// older items are mostly resolved, recent ones mostly new; tags and priority follow the
/// text; a fifth of the work in progress is assigned. The brand's own items stay resolved.
fn triage(item: &mut NewItem, n: usize, total: usize) {
    let text = item.text.to_lowercase();
    let tags = tags_for(&text, mix(n as u64 ^ 0x7A65));
    item.priority = Some(priority_for(&tags, mix(n as u64 ^ 0x9121)));
    item.tags = tags;
    if item.from_brand {
        return;
    }
    let age = 1.0 - n as f64 / total.max(1) as f64;
    let status = status_for(age, mix(n as u64 ^ 0x5747));
    if matches!(status, Status::Open | Status::Pending | Status::Escalated) {
        let roll = mix(n as u64 ^ 0xA551);
        if roll % 5 == 0 {
            item.assignee = Some(TEAM[(roll / 5) as usize % TEAM.len()].to_string());
        }
    }
    item.status = Some(status);
}

fn tags_for(text: &str, roll: u64) -> BTreeSet<String> {
    let rules: [(&str, &[&str]); 4] = [
        ("legal", &["lawyer", "avocat", "legal", "court", "tribunal"]),
        ("refund", &["refund", "rembours"]),
        ("damaged", &["broke", "damaged", "cassé", "abîmé"]),
        ("shipping", &["delivery", "tracking", "livraison", "colis"]),
    ];
    let mut tags: BTreeSet<String> = rules
        .iter()
        .filter(|(_, words)| words.iter().any(|w| text.contains(w)))
        .map(|(tag, _)| tag.to_string())
        .collect();
    if roll % 50 == 0 {
        tags.insert("vip".into());
    }
    tags
}

fn priority_for(tags: &BTreeSet<String>, roll: u64) -> Priority {
    if tags.contains("legal") {
        Priority::Urgent
    } else if tags.contains("vip") || tags.contains("refund") || roll % 20 == 0 {
        Priority::High
    } else if roll % 10 == 1 {
        Priority::Low
    } else {
        Priority::Normal
    }
}

/// Status by age (1.0: the oldest item, 0.0: the newest): half the history is resolved,
/// the recent end is mostly untouched.
fn status_for(age: f64, roll: u64) -> Status {
    let percent = roll % 100;
    let resolved = (age * 90.0) as u64;
    match percent {
        p if p < 3 => Status::Spam,
        p if p < 3 + resolved => Status::Resolved,
        p if p < 8 + resolved => Status::Pending,
        p if p < 9 + resolved => Status::Escalated,
        p if p < 25 + resolved => Status::Open,
        _ => Status::New,
    }
}
