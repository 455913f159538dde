//! Store benchmark: how fast the sled store ingests, deduplicates and reopens at inbox scale.
//!
//! `cargo bench --bench store` (items from `SWITCHBOARD_BENCH_ITEMS`, default 1,000,000;
//! the store goes in a temporary directory under `SWITCHBOARD_BENCH_DIR` or the system's).
//! Prints a Markdown table. Items are generated deterministically from their index, so a
//! re-ingest sees exactly the same content.
//!
//! Ingest is measured through [`measure_ingest`], which takes any `&dyn Fn(Vec<NewItem>)`:
//! a variant that ingests through the hub only has to pass a closure that sends the batch.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;
use std::sync::Arc;
use switchboard::model::{Actor, Author, Item, ItemId, Kind, NewItem, Platform, Status};

use switchboard::hub::protocol::Request;
use switchboard::hub::Hub;
use switchboard::store::{SledStore, Store};

const BATCH: usize = 1_000;
const REINGEST: usize = 100_000;

const WORDS: [&str; 24] = [
    "order", "delivery", "still", "waiting", "refund", "please", "help", "account", "the",
    "parcel", "arrived", "broken", "thanks", "great", "service", "why", "is", "my", "app",
    "crashing", "again", "since", "update", "support",
];

fn main() {
    let count: usize = std::env::var("SWITCHBOARD_BENCH_ITEMS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let base = std::env::var_os("SWITCHBOARD_BENCH_DIR").map(std::path::PathBuf::from);
    let base = base.unwrap_or_else(std::env::temp_dir);
    let store_dir = tempfile::tempdir_in(&base).expect("temporary directory");
    let ceiling_dir = tempfile::tempdir_in(&base).expect("temporary directory");
    println!(
        "store benchmark: {count} items in batches of {BATCH}, store in {}",
        base.display()
    );

    let mut rows = Vec::new();
    let (ceiling, ceiling_open) = measure_ceiling(ceiling_dir.path(), count);
    drop(ceiling_dir);

    let store: Arc<dyn Store> =
        Arc::new(SledStore::open(store_dir.path()).expect("open the store"));
    let hub = Hub::new(Arc::clone(&store), "bench");
    let actor = Actor::new("bench", "bench");
    let through_hub = |items: Vec<NewItem>| {
        let request = Request::Ingest {
            items,
            source: "bench".into(),
        };
        hub.handle(&actor, request).expect("ingest through the hub");
    };
    let ingest = measure_ingest(0, count, &through_hub);
    rows.push(rate_row(
        "ingest through the hub (dedup, indexes, audit, change feed, flush per batch)",
        count,
        ingest,
        "≥ 50,000",
    ));
    rows.push(rate_row(
        "ceiling: raw sled apply_batch of the item records only",
        count,
        ceiling,
        "",
    ));
    let through_store = |batch: Vec<NewItem>| {
        store.ingest(batch, &actor, Utc::now()).expect("ingest");
        store.flush().expect("flush");
    };
    let again = count.min(REINGEST);
    let dedup = measure_ingest(0, again, &through_store);
    rows.push(rate_row(
        &format!("re-ingest {again} known items (dedup)"),
        again,
        dedup,
        "",
    ));
    let reported = store.size_on_disk().expect("size on disk");
    drop(hub);
    drop(store);

    rows.extend(measure_reopen(store_dir.path()));
    // After the reopen, so that "open the closed store" is the first open after the session.
    let same_bytes_dir = tempfile::tempdir_in(&base).expect("temporary directory");
    rows.push(rate_row(
        "ceiling: raw sled apply_batch of the same keys and bytes the store wrote",
        count,
        measure_same_bytes(store_dir.path(), same_bytes_dir.path(), count),
        "",
    ));
    drop(same_bytes_dir);
    rows.push(ms_row(
        "ceiling: open the closed item-records-only tree",
        ceiling_open,
        "",
    ));
    let files = directory_bytes(store_dir.path());
    rows.push(bytes_row(
        "bytes on disk per item (sled size_on_disk)",
        reported,
        count,
    ));
    rows.push(bytes_row(
        "bytes on disk per item (files after close)",
        files,
        count,
    ));
    print_table(&rows);
}

/// Wall time and CPU time (all threads of the process) spent in the measured parts.
#[derive(Clone, Copy, Default)]
struct Spent {
    wall: Duration,
    cpu: Duration,
}

/// A running measurement: [`Timer::stop`] adds what passed since [`Timer::start`].
struct Timer {
    wall: Instant,
    cpu: Duration,
}

impl Timer {
    fn start() -> Timer {
        Timer {
            wall: Instant::now(),
            cpu: process_cpu(),
        }
    }

    fn stop(self, into: &mut Spent) {
        into.wall += self.wall.elapsed();
        into.cpu += process_cpu().saturating_sub(self.cpu);
    }
}

/// User + system CPU time of the whole process so far.
fn process_cpu() -> Duration {
    // SAFETY: getrusage only writes into the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

/// Ingests items `start..start + count` in batches, timing only `ingest` (not generation).
fn measure_ingest(start: usize, count: usize, ingest: &dyn Fn(Vec<NewItem>)) -> Spent {
    let mut spent = Spent::default();
    let mut next = start;
    while next < start + count {
        let end = (next + BATCH).min(start + count);
        let batch: Vec<NewItem> = (next..end).map(generate).collect();
        let timer = Timer::start();
        ingest(batch);
        timer.stop(&mut spent);
        next = end;
    }
    spent
}

/// The same item records (item and raw payload, one key per item) written straight with
/// sled (no dedup, indexes, counters or audit): what the engine can do with these bytes.
/// Returns the time spent writing and the time to open the closed tree again.
fn measure_ceiling(dir: &Path, count: usize) -> (Spent, Duration) {
    let db = open_sled(dir);
    let mut spent = Spent::default();
    for first in (0..count).step_by(BATCH) {
        let mut batch = sled::Batch::default();
        for n in first..(first + BATCH).min(count) {
            let mut item = Item::from_new(ItemId::generate(), generate(n), Utc::now());
            let raw = serde_json::to_vec(&item.raw.take()).expect("encode raw");
            let json = serde_json::to_vec(&item).expect("encode item");
            // The store's item record: item length, item JSON, raw JSON.
            let mut record = Vec::with_capacity(4 + json.len() + raw.len());
            record.extend_from_slice(&(json.len() as u32).to_be_bytes());
            record.extend_from_slice(&json);
            record.extend_from_slice(&raw);
            let mut key = vec![b'i'];
            key.extend_from_slice(&item.id.to_bytes());
            batch.insert(key, record);
        }
        let timer = Timer::start();
        db.apply_batch(batch).expect("apply batch");
        db.flush().expect("flush");
        timer.stop(&mut spent);
    }
    drop(db);
    let began = Instant::now();
    let db = open_sled(dir);
    let opened = began.elapsed();
    drop(db);
    (spent, opened)
}

/// Every key and value the store wrote (item records and index entries, counters, audit),
/// written again straight into a fresh tree: as many batches as the ingest had, one flush per
/// batch. The engine's ceiling for exactly these bytes.
fn measure_same_bytes(store_dir: &Path, dir: &Path, count: usize) -> Spent {
    let written: Vec<(sled::IVec, sled::IVec)> = {
        let db = open_sled(store_dir);
        let all = db.iter().map(|kv| kv.expect("read the store")).collect();
        drop(db);
        all
    };
    let batches = count.div_ceil(BATCH).max(1);
    let per_batch = written.len().div_ceil(batches);
    let db = open_sled(dir);
    let mut spent = Spent::default();
    for chunk in written.chunks(per_batch.max(1)) {
        let mut batch = sled::Batch::default();
        for (key, value) in chunk {
            batch.insert(key.clone(), value.clone());
        }
        let timer = Timer::start();
        db.apply_batch(batch).expect("apply batch");
        db.flush().expect("flush");
        timer.stop(&mut spent);
    }
    spent
}

/// sled as the store configures it.
fn open_sled(dir: &Path) -> sled::Db {
    sled::Config::new()
        .path(dir)
        .cache_capacity(256 * 1024 * 1024)
        .mode(sled::Mode::HighThroughput)
        .open()
        .expect("open sled")
}

/// Opens the store once sled's background threads of the previous open have let go of its
/// lock (they may outlive the drop by a moment).
fn open_when_free(dir: &Path) -> SledStore {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match SledStore::open(dir) {
            Ok(store) => return store,
            Err(switchboard::store::StoreError::Locked { .. }) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => panic!("reopen the store: {e}"),
        }
    }
}

/// Opens the closed store and reads the first 100 of the active queue.
fn measure_reopen(dir: &Path) -> Vec<Row> {
    let began = Instant::now();
    let store = open_when_free(dir);
    let opened = began.elapsed();
    let read_began = Instant::now();
    let first = store
        .queue(&Status::ACTIVE, 0, 100)
        .expect("read the queue");
    let read = read_began.elapsed();
    assert_eq!(
        first.len(),
        100.min(store.counts().expect("counts").total() as usize)
    );
    drop(store);
    let began = Instant::now();
    let store = open_when_free(dir);
    let again = began.elapsed();
    drop(store);
    vec![
        ms_row("open the closed store", opened, ""),
        ms_row("read the first 100 of the active queue", read, ""),
        ms_row("open + first 100", opened + read, "≤ 50"),
        ms_row("open it once more (sled snapshot now current)", again, ""),
    ]
}

/// One realistic platform item, the same every time for the same `n`.
fn generate(n: usize) -> NewItem {
    let mut rng = ChaCha8Rng::seed_from_u64(n as u64 ^ 0x5EED_5EED);
    let platform = Platform::KNOWN[n % Platform::KNOWN.len()].clone();
    let account = format!("acme-{platform}");
    let remote_id = format!("{}{:012}", platform.badge().trim(), n);
    let thread_root = n - rng.gen_range(0..=n.min(40));
    let author_number: u32 = rng.gen_range(0..50_000);
    let created_at = Utc.timestamp_opt(1_790_000_000 + n as i64 * 3, 0).unwrap();
    let text = sentence(&mut rng, 200);
    NewItem {
        raw: Some(raw_payload(&remote_id, author_number, created_at, &text)),
        platform,
        account,
        kind: Kind::ALL[n % 3],
        thread_id: Some(format!("thread-{thread_root}")),
        parent_id: (thread_root != n).then(|| format!("reply-to-{thread_root}")),
        author: Author {
            id: format!("{author_number}"),
            handle: format!("customer{author_number}"),
            name: format!("Customer {author_number}"),
        },
        text,
        lang: Some("en".into()),
        created_at,
        url: Some(format!("https://social.example/@acme/{remote_id}")),
        from_brand: rng.gen_ratio(1, 20),
        remote_id,
        status: None,
        priority: None,
        tags: Default::default(),
        assignee: None,
    }
}

fn sentence(rng: &mut ChaCha8Rng, bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 16);
    while text.len() < bytes {
        text.push_str(WORDS[rng.gen_range(0..WORDS.len())]);
        text.push(' ');
    }
    text.trim_end().to_string()
}

/// About 300 bytes of platform JSON, shaped like a Mastodon status.
fn raw_payload(id: &str, author: u32, at: DateTime<Utc>, text: &str) -> serde_json::Value {
    json!({
        "id": id,
        "created_at": at.to_rfc3339(),
        "visibility": "public",
        "account": { "id": author.to_string(), "acct": format!("customer{author}@social.example") },
        "content": format!("<p>{}</p>", &text[..text.len().min(80)]),
        "favourites_count": author % 7,
        "reblogs_count": author % 3,
        "uri": format!("https://social.example/users/customer{author}/statuses/{id}"),
    })
}

fn directory_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => directory_bytes(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

struct Row {
    what: String,
    value: String,
    target: String,
}

fn rate_row(what: &str, items: usize, spent: Spent, target: &str) -> Row {
    let per = |d: Duration| thousands((items as f64 / d.as_secs_f64()) as u64);
    let value = format!(
        "{} items/s ({:.1} s wall; {} items per CPU-second)",
        per(spent.wall),
        spent.wall.as_secs_f64(),
        per(spent.cpu)
    );
    Row {
        what: what.to_string(),
        value,
        target: target.to_string(),
    }
}

fn ms_row(what: &str, spent: Duration, target: &str) -> Row {
    Row {
        what: what.to_string(),
        value: format!("{:.1} ms", spent.as_secs_f64() * 1e3),
        target: target.to_string(),
    }
}

fn bytes_row(what: &str, bytes: u64, items: usize) -> Row {
    Row {
        what: what.to_string(),
        value: format!(
            "{} B ({:.0} MiB total)",
            bytes / items.max(1) as u64,
            bytes as f64 / 1048576.0
        ),
        target: String::new(),
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn print_table(rows: &[Row]) {
    println!("\n| measurement | result | target |\n|---|---|---|");
    for row in rows {
        println!("| {} | {} | {} |", row.what, row.value, row.target);
    }
}
