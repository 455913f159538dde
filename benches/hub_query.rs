//! Hub queries over a large queue (issue 3): how fast the hub answers `List`, `Find` and
//! `Counts` from its in-memory queue index, how long the index takes to build, what it
//! costs in memory, and fuzzy find side by side with `fzf --filter` over the same texts.
//!
//! `cargo bench --bench hub_query` (1,000,000 items). Environment:
//! * `SWITCHBOARD_BENCH_ITEMS=N`: fewer items;
//! * `SWITCHBOARD_BENCH_STORE=DIR`: keep the filled store (and the fzf input) in `DIR` and
//!   reuse it on the next run instead of filling a temporary one;
//! * `SWITCHBOARD_BENCH_BASELINE=0`: skip the one-off store-scan measurements;
//! * `SWITCHBOARD_BENCH_FZF=0`: skip the fzf comparison.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::Utc;
use switchboard::hub::protocol::{Request, Response};
use switchboard::hub::{Hub, QueueIndex};
use switchboard::model;
use switchboard::model::query::MatchContext;
use switchboard::model::{Actor, Query, Status};
use switchboard::store::{SledStore, Store};

#[path = "hub_query/corpus.rs"]
mod corpus;

const DEFAULT_ITEMS: usize = 1_000_000;
const BATCH: usize = 1_000;
const LIST_QUERIES: &[&str] = &[
    "",
    "platform:x",
    "status:new,open tag:legal",
    "lyon",
    "-refund status:new",
    "remboursement kind:dm tag:billing",
];
const FIND_PATTERNS: &[&str] = &["refund", "rfnd", "colis livr"];
const LIST_RUNS: usize = 40;
const FIND_RUNS: usize = 15;
const FZF_RUNS: usize = 3;
/// Items ingested into fresh stores to see what following the change feed costs.
const INGEST_ITEMS: usize = 100_000;

fn main() -> Result<()> {
    let items = env_number("SWITCHBOARD_BENCH_ITEMS").unwrap_or(DEFAULT_ITEMS);
    let kept = std::env::var_os("SWITCHBOARD_BENCH_STORE").map(PathBuf::from);
    let temporary = tempfile::tempdir()?;
    let dir = kept.unwrap_or_else(|| temporary.path().to_path_buf());
    // A run that filled the store measures in a child process (see below).
    if std::env::var_os("SWITCHBOARD_BENCH_CHILD").is_none() {
        println!("# Hub queries (issue 3): {items} items\n");
        print_machine();
    }

    let lines = dir.join("texts.txt");
    let store_dir = dir.join("store");
    let marker = dir.join(format!("filled-{items}"));
    if marker.exists() {
        println!("reusing the store in {}", store_dir.display());
    } else {
        let took = fill(&store_dir, &lines, items)?;
        File::create(&marker)?;
        println!(
            "filled the store: {items} items in {:.1} s (setup, store ingest without the hub)",
            took.as_secs_f64()
        );
        // Measure in a fresh process, so that the memory figures are the hub's alone.
        let status = Command::new(std::env::current_exe()?)
            .env("SWITCHBOARD_BENCH_STORE", &dir)
            .env("SWITCHBOARD_BENCH_CHILD", "1")
            .status()?;
        if !status.success() {
            bail!("the measuring run failed: {status}");
        }
        return Ok(());
    }
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&store_dir)?);
    let actor = Actor::new("alice", "bench");

    if std::env::var("SWITCHBOARD_BENCH_BASELINE").as_deref() != Ok("0") {
        baseline(&*store, &actor)?;
    }
    let rss_before = rss_kb("VmRSS");
    println!("\n## Start-up\n");
    let started = Instant::now();
    let hub = Hub::new(Arc::clone(&store), "bench");
    let first = timed(|| list(&hub, &actor, "", 0, 100)).0;
    println!(
        "first page of 100 while the index builds (from the store): {}",
        ms(first)
    );
    if !hub.index().wait_ready(Duration::from_secs(3600)) {
        bail!("the index did not get ready");
    }
    let ready_after = started.elapsed();
    let stats = hub.index().stats().context("index stats")?;
    let rss_after = rss_kb("VmRSS");
    println!(
        "index built in {:.2} s ({} items; ready {:.2} s after the hub started)",
        stats.built_in.as_secs_f64(),
        stats.items,
        ready_after.as_secs_f64()
    );
    print_memory(rss_before, rss_after, stats.heap_bytes, stats.items);

    println!("\n## List (first 100, {LIST_RUNS} runs)\n");
    println!("| query | p50 | p99 | returned | more |\n|---|---|---|---|---|");
    for query in LIST_QUERIES {
        list_row(&hub, &actor, query, 0)?;
    }
    list_row(&hub, &actor, "", items / 2)?;
    list_row(&hub, &actor, "status:new,open -refund", items / 5)?;
    let counts = timed(|| hub.handle(&actor, Request::Counts)).0;
    println!("\nCounts: {}", ms(counts));

    println!(
        "\n## Find (limit 100, {FIND_RUNS} runs) and fzf --filter ({FZF_RUNS} runs, median)\n"
    );
    let fzf = std::env::var("SWITCHBOARD_BENCH_FZF").as_deref() != Ok("0") && ensure_fzf();
    println!("| pattern | hits | find p50 | find p99 | fzf --filter | find / fzf |\n|---|---|---|---|---|---|");
    for pattern in FIND_PATTERNS {
        find_row(&hub, &actor, pattern, fzf.then_some(lines.as_path()))?;
    }
    drop(hub);
    ingest_rates(INGEST_ITEMS.min(items))?;
    println!("\nload average at the end: {}", load_average());
    Ok(())
}

/// Fills a store with the corpus (straight into the store, in batches) and writes the texts
/// for fzf, one line each.
fn fill(store_dir: &Path, lines: &Path, items: usize) -> Result<Duration> {
    let _ = std::fs::remove_dir_all(store_dir);
    let store = SledStore::open(store_dir)?;
    let mut out = BufWriter::new(File::create(lines)?);
    let mut corpus = corpus::Corpus::new(42, items);
    let actor = Actor::new("bench", "import");
    let started = Instant::now();
    let mut left = items;
    while left > 0 {
        let batch = corpus.take(left.min(BATCH));
        left -= batch.len();
        out.write_all(corpus::fzf_lines(&batch).as_bytes())?;
        store.ingest(batch, &actor, Utc::now())?;
    }
    store.flush()?;
    out.flush()?;
    Ok(started.elapsed())
}

/// Ingest into a fresh store straight, and through a hub whose index follows every change;
/// then how soon a `List` sees the last batch.
fn ingest_rates(items: usize) -> Result<()> {
    println!("\n## Ingest with the index following ({items} items, batches of {BATCH})\n");
    let batches: Vec<_> = {
        let mut corpus = corpus::Corpus::new(9, items);
        (0..items.div_ceil(BATCH))
            .map(|b| corpus.take(BATCH.min(items - b * BATCH)))
            .collect()
    };
    let actor = Actor::new("bench", "import");
    let ingest_all = |hub: &Hub| {
        timed(|| {
            for batch in batches.clone() {
                let request = Request::Ingest {
                    items: batch,
                    source: "bench".into(),
                };
                hub.handle(&actor, request).expect("ingest");
            }
        })
        .0
    };
    let fresh = || -> Result<Arc<dyn Store>> { Ok(Arc::new(SledStore::temporary()?)) };
    let without = Hub::with_index(fresh()?, "bench", QueueIndex::disabled());
    let took = ingest_all(&without);
    println!(
        "hub ingest (flushed per batch), no index: {:.0} items/s",
        rate(items, took)
    );
    drop(without);
    let hub = Hub::new(fresh()?, "bench");
    hub.index().wait_ready(Duration::from_secs(60));
    let took = ingest_all(&hub);
    println!(
        "hub ingest (flushed per batch), index following: {:.0} items/s",
        rate(items, took)
    );
    let (took, (seen, _)) = timed(|| list(&hub, &actor, "", items - 1, 10));
    println!(
        "then a List at the last item: {} ({seen} item, from the index: {})",
        ms(took),
        hub.index().is_ready()
    );
    Ok(())
}

fn rate(items: usize, took: Duration) -> f64 {
    items as f64 / took.as_secs_f64()
}

/// What the hub did before the index: scan the store, decoding every item. Once each (it is
/// slow), and it warms sled's cache so that the memory measured next is the index's.
fn baseline(store: &dyn Store, actor: &Actor) -> Result<()> {
    println!("\n## Before: the store scan\n");
    let ctx = MatchContext::new(&actor.user, Utc::now());
    for text in ["lyon", ""] {
        let query = Query::parse(text)?;
        let (took, found) = timed(|| {
            store
                .queue_iter(&query.statuses())
                .filter(|item| item.as_ref().map_or(true, |i| query.matches(i, &ctx)))
                .count()
        });
        println!(
            "store scan of the whole queue for {text:?} ({found} match): {}",
            ms(took)
        );
    }
    let (took, page) = timed(|| store.queue(&Status::ALL, 500_000.min(count(store)), 100));
    println!(
        "store page of 100 at skip 500000: {} ({} items)",
        ms(took),
        page?.len()
    );
    Ok(())
}

fn count(store: &dyn Store) -> usize {
    store.counts().map_or(0, |c| c.total() as usize)
}

fn list(hub: &Hub, actor: &Actor, query: &str, skip: usize, limit: usize) -> (usize, bool) {
    let request = Request::List {
        query: query.to_string(),
        skip,
        limit,
        raw: false,
    };
    match hub.handle(actor, request) {
        Ok(Response::Items { items, more }) => (items.len(), more),
        other => panic!("List {query:?}: unexpected answer {other:?}"),
    }
}

fn list_row(hub: &Hub, actor: &Actor, query: &str, skip: usize) -> Result<()> {
    let mut samples = Vec::with_capacity(LIST_RUNS);
    let mut answer = (0, false);
    for _ in 0..LIST_RUNS {
        let (took, got) = timed(|| list(hub, actor, query, skip, 100));
        samples.push(took);
        answer = got;
    }
    let (p50, p99) = percentiles(&mut samples);
    let label = if skip > 0 {
        format!("`{query}` skip={skip}")
    } else {
        format!("`{query}`")
    };
    println!(
        "| {label} | {} | {} | {} | {} |",
        ms(p50),
        ms(p99),
        answer.0,
        answer.1
    );
    Ok(())
}

fn find(hub: &Hub, actor: &Actor, pattern: &str) -> usize {
    let request = Request::Find {
        pattern: pattern.to_string(),
        query: String::new(),
        limit: 100,
    };
    match hub.handle(actor, request) {
        Ok(Response::Found { hits }) => hits.len(),
        other => panic!("Find {pattern:?}: unexpected answer {other:?}"),
    }
}

fn find_row(hub: &Hub, actor: &Actor, pattern: &str, fzf_input: Option<&Path>) -> Result<()> {
    let mut samples = Vec::with_capacity(FIND_RUNS);
    let mut hits = 0;
    for _ in 0..FIND_RUNS {
        let (took, got) = timed(|| find(hub, actor, pattern));
        samples.push(took);
        hits = got;
    }
    let (p50, p99) = percentiles(&mut samples);
    let fzf = match fzf_input {
        Some(input) => Some(fzf_median(pattern, input)?),
        None => None,
    };
    let (fzf_text, ratio) = match fzf {
        Some(fzf) => (
            ms(fzf),
            format!("1/{:.0}", fzf.as_secs_f64() / p50.as_secs_f64()),
        ),
        None => ("not measured".into(), "-".into()),
    };
    println!(
        "| `{pattern}` | {hits} | {} | {} | {fzf_text} | {ratio} |",
        ms(p50),
        ms(p99)
    );
    Ok(())
}

/// The median wall time of `fzf --filter PATTERN < input` (output discarded).
fn fzf_median(pattern: &str, input: &Path) -> Result<Duration> {
    let mut samples = Vec::with_capacity(FZF_RUNS);
    for _ in 0..FZF_RUNS {
        let started = Instant::now();
        let status = Command::new("fzf")
            .arg("--filter")
            .arg(pattern)
            .stdin(File::open(input)?)
            .stdout(Stdio::null())
            .status()?;
        // fzf exits 1 when nothing matches; anything else is a failure.
        if !matches!(status.code(), Some(0 | 1)) {
            bail!("fzf --filter {pattern:?} failed: {status}");
        }
        samples.push(started.elapsed());
    }
    samples.sort();
    Ok(samples[samples.len() / 2])
}

/// Whether fzf can run, installing it with apt when it is missing.
fn ensure_fzf() -> bool {
    let runs = |cmd: &mut Command| {
        cmd.stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if runs(Command::new("fzf").arg("--version")) {
        return true;
    }
    println!("fzf is missing: trying `apt-get install -y fzf`");
    if runs(Command::new("apt-get").args(["install", "-y", "fzf"]))
        && runs(Command::new("fzf").arg("--version"))
    {
        return true;
    }
    println!("note: fzf could not be installed; the fzf comparison is skipped");
    false
}

fn print_machine() {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let memory = meminfo_kb("MemTotal") / 1024;
    println!(
        "machine: {model}, {cores} cores, {memory} MiB RAM; load average at the start: {}",
        load_average()
    );
}

fn print_memory(before_kb: u64, after_kb: u64, heap_bytes: usize, items: usize) {
    let per_item = |bytes: f64| bytes / items.max(1) as f64;
    let grown = after_kb.saturating_sub(before_kb) as f64 * 1024.0;
    println!(
        "memory: RSS {} MiB before the index, {} MiB with it (+{:.0} MiB, {:.0} bytes/item); \
         the index's own estimate {:.0} MiB ({:.0} bytes/item); peak RSS {} MiB",
        before_kb / 1024,
        after_kb / 1024,
        grown / 1048576.0,
        per_item(grown),
        heap_bytes as f64 / 1048576.0,
        per_item(heap_bytes as f64),
        rss_kb("VmHWM") / 1024
    );
}

fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let value = f();
    (started.elapsed(), value)
}

/// p50 and p99 (nearest rank) of the samples.
fn percentiles(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    let rank =
        |p: f64| samples[((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    (rank(0.50), rank(0.99))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn rss_kb(field: &str) -> u64 {
    status_kb("/proc/self/status", field)
}

fn meminfo_kb(field: &str) -> u64 {
    status_kb("/proc/meminfo", field)
}

/// A `Field:   123 kB` line of a /proc file.
fn status_kb(path: &str, field: &str) -> u64 {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn env_number(name: &str) -> Option<usize> {
    std::env::var(name).ok()?.replace('_', "").parse().ok()
}
