//! Sync benchmark (issue 5): one sync pass over 10,000 new notifications from the loopback
//! Mastodon server (PyPI `mastodon-mock`, installed by `tests/servers/mastodon-mock`).
//! Measures items per second ingested end to end (platform → connector → hub → durable
//! store), and the requests the pass made, by endpoint and page size, read from the
//! server's own request log: pages must be of the maximum size, with no redundant calls.
//!
//! `cargo bench --bench sync`. `SWITCHBOARD_BENCH_NOTIFICATIONS=N` changes the count.
//! Seeding goes through the ordinary API (customers posting mentions, 8 at a time) and is
//! not measured. The pass's time is split into waiting on the server (as the connector's
//! HTTP client counts it) and switchboard's own share.

#[path = "../tests/common/mastodon.rs"]
#[allow(dead_code)] // the test helper, shared whole
mod mastodon;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use mastodon::MastodonMock;
use switchboard::config::Config;
use switchboard::connectors::mastodon::MastodonConnector;
use switchboard::connectors::Connectors;
use switchboard::hub::sync::Platforms;
use switchboard::hub::Hub;
use switchboard::model::Actor;
use switchboard::store::{SledStore, Store};

const DEFAULT_NOTIFICATIONS: usize = 10_000;
const CUSTOMERS: usize = 50;

fn main() {
    let count = std::env::var("SWITCHBOARD_BENCH_NOTIFICATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_NOTIFICATIONS);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(count));
}

async fn run(count: usize) {
    let mock = MastodonMock::start();
    let brand = mock.create_account("acmebrand").await;
    let mut customers = Vec::new();
    for n in 0..CUSTOMERS {
        customers.push(mock.create_account(&format!("customer{n}")).await);
    }

    let dir = tempfile::tempdir().unwrap();
    let config = Config::parse(
        &dir.path().join("config.toml"),
        &format!(
            "[[accounts]]\nname = \"acme-masto\"\nplatform = \"mastodon\"\napi_base = \"{}\"\ntoken = \"{}\"\nstreaming = false\n",
            mock.base_url(),
            brand.token
        ),
    )
    .unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let hub = Arc::new(Hub::new(store, "bench"));
    let options = switchboard::connectors::registry::http_options(&config.accounts[0]);
    let connector = Arc::new(MastodonConnector::new(&config.accounts[0], options).unwrap());
    let mut connectors = Connectors::default();
    connectors.add(Arc::clone(&connector) as Arc<dyn switchboard::connectors::Connector>);
    hub.install_platforms(Platforms::of(connectors));
    let client = switchboard::hub::HubClient::local(Arc::clone(&hub), Actor::new("bench", "bench"));
    let sync = || async {
        match client
            .call(switchboard::hub::protocol::Request::Sync { account: None })
            .await
            .unwrap()
        {
            switchboard::hub::protocol::Response::Synced { summaries } => summaries,
            other => panic!("unexpected {other:?}"),
        }
    };

    // One customer message, then a first pass: the account has a cursor, as in production.
    mock.mention(&customers[0], &brand, "first!").await;
    let first = sync().await;
    assert_eq!(first[0].error, None, "{first:?}");

    eprintln!("seeding {count} mentions through the API...");
    let seeding = Instant::now();
    let mock = &mock;
    let brand = &brand;
    let customers = &customers;
    stream::iter(0..count)
        .for_each_concurrent(8, |n| async move {
            let from = &customers[n % CUSTOMERS];
            mock.mention(
                from,
                brand,
                &format!("order {n} has not arrived, please help"),
            )
            .await;
        })
        .await;
    eprintln!("seeded in {:.1} s", seeding.elapsed().as_secs_f64());

    let log_before = mock.log().lines().count();
    let (requests_before, waiting_before) = (connector.requests(), connector.waiting());
    let started = Instant::now();
    let summaries = sync().await;
    let elapsed = started.elapsed();
    let summary = &summaries[0];
    assert_eq!(summary.error, None, "{summary:?}");
    assert_eq!(
        summary.new as usize, count,
        "every notification once: {summary:?}"
    );

    let log = mock.log();
    let requests: Vec<&str> = log
        .lines()
        .skip(log_before)
        .filter(|l| l.contains("HTTP/1.1"))
        .collect();
    report(count, elapsed, &requests, summary);
    let waiting = connector.waiting() - waiting_before;
    let own = elapsed.saturating_sub(waiting);
    println!(
        "  requests counted by the client: {}; waiting on the server {:.2} s; switchboard's \
         own share {:.2} s ({:.0} items/s: parsing, threading, ingest with fsync per page)",
        connector.requests() - requests_before,
        waiting.as_secs_f64(),
        own.as_secs_f64(),
        count as f64 / own.as_secs_f64().max(1e-3)
    );
}

fn report(
    count: usize,
    elapsed: Duration,
    requests: &[&str],
    summary: &switchboard::model::SyncSummary,
) {
    let mut by_endpoint: BTreeMap<String, usize> = BTreeMap::new();
    let mut limits: BTreeMap<String, usize> = BTreeMap::new();
    for line in requests {
        let target = line
            .split('"')
            .nth(1)
            .and_then(|request| request.split_whitespace().nth(1))
            .unwrap_or("?");
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        *by_endpoint.entry(path.to_string()).or_default() += 1;
        for pair in query.split('&') {
            if let Some(limit) = pair.strip_prefix("limit=") {
                *limits.entry(format!("{path} limit={limit}")).or_default() += 1;
            }
        }
    }
    println!("sync pass over {count} new Mastodon notifications (mastodon-mock on 127.0.0.1)");
    println!(
        "  {} new in {:.2} s: {:.0} items/s end to end ({} pages)",
        summary.new,
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        summary.pages
    );
    println!("  requests: {}", requests.len());
    for (endpoint, n) in &by_endpoint {
        println!("    {n:>5}  {endpoint}");
    }
    for (limit, n) in &limits {
        println!("    {n:>5}  pages asked with {limit}");
    }
}
