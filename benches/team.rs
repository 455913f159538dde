//! Team benchmark (issue 4): 20 TUI clients attached to one hub over its Unix socket while
//! items arrive at 100 per second. Measures, for every client, key press → frame (the frame
//! drawn right after the key) and key press → answered frame (the frame that shows the hub's
//! answers the key asked for), and the hub's resident memory per attached client.
//!
//! `cargo bench --bench team`. Store size from `SWITCHBOARD_BENCH_ITEMS` (default 100,000;
//! built once from the demo simulator and cached in `target/bench-data/tui-<count>`),
//! clients from `SWITCHBOARD_BENCH_CLIENTS` (default 20), run length in seconds from
//! `SWITCHBOARD_BENCH_SECONDS` (default 30). The hub runs in a child process (this binary
//! with `SWITCHBOARD_TEAM_BENCH_ROLE=serve`), as `switchboard serve` would; the clients and
//! the feeder run in this process, each client in its own task on its own connection.

#[path = "tui/corpus.rs"]
#[allow(dead_code)] // shared with the TUI benchmark, which uses all of it
mod corpus;
#[path = "tui/report.rs"]
#[allow(dead_code)] // shared with the TUI benchmark, which uses all of it
mod report;
#[path = "tui/session.rs"]
#[allow(dead_code)] // shared with the TUI benchmark, which uses all of it
mod session;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use report::{ms, percentile, Memory};
use session::{key, options, Press, Session};
use switchboard::connectors::simulator::Simulator;
use switchboard::hub::protocol::Request;
use switchboard::hub::server::serve as serve_socket;
use switchboard::hub::{Hub, HubClient};
use switchboard::store::{SledStore, Store};

const ROLE: &str = "SWITCHBOARD_TEAM_BENCH_ROLE";
const STORE: &str = "SWITCHBOARD_TEAM_BENCH_STORE";
const SOCKET: &str = "SWITCHBOARD_TEAM_BENCH_SOCKET";
const ARRIVALS_PER_SECOND: u64 = 100;
/// Connectors delivering at once (each its own connection).
const ACCOUNTS_SYNCING: u64 = 4;
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
/// What one CM does, over and over: down the queue, open an item, back, up.
const KEYS: [&str; 8] = ["j", "j", "enter", "esc", "j", "k", "enter", "esc"];
/// Time between two key presses of one client (a fast CM).
const THINK: Duration = Duration::from_millis(150);
const TARGET: &str = "≤ 50 ms p99, every client";

fn main() {
    match std::env::var(ROLE).as_deref() {
        Ok("serve") => serve(
            &PathBuf::from(std::env::var_os(STORE).expect("store dir")),
            &PathBuf::from(std::env::var_os(SOCKET).expect("socket")),
        ),
        Ok(other) => panic!("unknown {ROLE} {other}"),
        Err(_) => orchestrate(),
    }
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// The hub process: opens the store, waits for its queue index, serves until stdin closes.
fn serve(dir: &Path, socket: &Path) {
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    let store: Arc<dyn Store> = Arc::new(SledStore::open(dir).expect("open the bench store"));
    let hub = Arc::new(Hub::new(store, "bench"));
    assert!(
        hub.index().wait_ready(Duration::from_secs(600)),
        "index ready"
    );
    rt.block_on(async {
        let server = serve_socket(Arc::clone(&hub), socket, None)
            .await
            .expect("serve the socket");
        println!("READY");
        tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new()))
            .await
            .expect("wait for stdin to close")
            .ok();
        drop(server);
    });
}

fn orchestrate() {
    let count = setting("SWITCHBOARD_BENCH_ITEMS", 100_000) as usize;
    let clients = setting("SWITCHBOARD_BENCH_CLIENTS", 20) as usize;
    let seconds = setting("SWITCHBOARD_BENCH_SECONDS", 30);
    let dir = corpus::store_dir(count);
    if !corpus::is_cached(&dir, count) {
        eprintln!("building a store of {count} items in {}", dir.display());
        corpus::build(&dir, count);
    }
    let work = tempfile::tempdir().expect("temp dir");
    let socket = work.path().join("hub.sock");
    let mut hub = Command::new(std::env::current_exe().expect("this binary"))
        .env(ROLE, "serve")
        .env(STORE, &dir)
        .env(SOCKET, &socket)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the hub");
    let mut ready = String::new();
    BufReader::new(hub.stdout.take().expect("hub stdout"))
        .read_line(&mut ready)
        .expect("hub says READY");
    assert_eq!(ready.trim(), "READY");
    let pid = hub.id().to_string();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let idle = Memory::of(&pid);
    let run = rt.block_on(run_clients(
        &socket,
        &pid,
        clients,
        Duration::from_secs(seconds),
    ));
    drop(hub.stdin.take());
    let _ = hub.wait();
    report(count, clients, seconds, idle, &run);
}

/// What the clients measured.
struct Run {
    /// Per client, every key press.
    presses: Vec<Vec<Press>>,
    /// The hub with every client attached and loaded, before the run.
    attached: Memory,
    /// The hub at the end of the run.
    after: Memory,
    arrived: u64,
}

async fn run_clients(socket: &Path, hub_pid: &str, clients: usize, span: Duration) -> Run {
    let mut sessions = Vec::with_capacity(clients);
    for _ in 0..clients {
        let client = HubClient::connect(socket, "tui").await.expect("attach");
        let mut session = Session::new(client, options(""), WIDTH, HEIGHT).honoring_delays();
        session.first_frame(Instant::now()).await;
        sessions.push(session);
    }
    let attached = Memory::of(hub_pid);
    let feeder = tokio::spawn(feed(socket.to_path_buf(), span));
    let drivers: Vec<_> = sessions
        .into_iter()
        .enumerate()
        .map(|(n, session)| tokio::spawn(drive(session, n, span)))
        .collect();
    let mut presses = Vec::with_capacity(clients);
    for driver in drivers {
        presses.push(driver.await.expect("client task"));
    }
    let arrived = feeder.await.expect("feeder task");
    Run {
        presses,
        attached,
        after: Memory::of(hub_pid),
        arrived,
    }
}

/// One CM: a key every `THINK` (staggered per client), taking live events in between.
async fn drive(mut session: Session, n: usize, span: Duration) -> Vec<Press> {
    let end = Instant::now() + span;
    session.idle(THINK * n as u32 / 20).await;
    let mut presses = Vec::new();
    let mut step = 0;
    while Instant::now() < end {
        presses.push(session.press(key(KEYS[step % KEYS.len()])).await);
        step += 1;
        session.idle(THINK).await;
    }
    presses
}

/// New items at `ARRIVALS_PER_SECOND` in all, one ingest each, from `ACCOUNTS_SYNCING`
/// connections at once: the accounts' connectors deliver live side by side, each waiting
/// for its own acknowledgement (the hub flushes every ingest to disk before answering).
async fn feed(socket: PathBuf, span: Duration) -> u64 {
    let feeders: Vec<_> = (0..ACCOUNTS_SYNCING)
        .map(|n| tokio::spawn(feed_one(socket.clone(), n, span)))
        .collect();
    let mut sent = 0;
    for feeder in feeders {
        sent += feeder.await.expect("feeder task");
    }
    sent
}

/// One connector's share of the arrivals.
async fn feed_one(socket: PathBuf, n: u64, span: Duration) -> u64 {
    let client = HubClient::connect(&socket, "sync")
        .await
        .expect("feeder attaches");
    let start = chrono::DateTime::parse_from_rfc3339("2026-02-01T00:00:00Z")
        .expect("time")
        .to_utc();
    let mut simulator = Simulator::new(7 + n, "Acme", start);
    let period = Duration::from_millis(1000 * ACCOUNTS_SYNCING / ARRIVALS_PER_SECOND);
    let mut tick = tokio::time::interval(period);
    let end = Instant::now() + span;
    let mut sent = 0;
    while Instant::now() < end {
        tick.tick().await;
        let (_, item) = simulator.next_live();
        let request = Request::Ingest {
            items: vec![item],
            source: "bench".into(),
        };
        client.call(request).await.expect("ingest");
        sent += 1;
    }
    sent
}

fn report(count: usize, clients: usize, seconds: u64, idle: Memory, run: &Run) {
    println!("## Team benchmark");
    println!();
    println!(
        "{clients} TUI clients over the socket, {count} items, {seconds} s, {} items arrived ({:.0}/s), {} key presses",
        run.arrived,
        run.arrived as f64 / seconds as f64,
        run.presses.iter().map(Vec::len).sum::<usize>()
    );
    println!("{}", machine());
    println!();
    println!(
        "| client | presses | frame p50 | frame p99 | answered p50 | answered p99 | answered max |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut worst = (Duration::ZERO, Duration::ZERO);
    for (n, presses) in run.presses.iter().enumerate() {
        let frame: Vec<Duration> = presses.iter().map(|p| p.frame).collect();
        let answered: Vec<Duration> = presses.iter().map(|p| p.answered).collect();
        let (f99, a99) = (percentile(&frame, 0.99), percentile(&answered, 0.99));
        worst = (worst.0.max(f99), worst.1.max(a99));
        println!(
            "| {n} | {} | {} | {} | {} | {} | {} |",
            presses.len(),
            ms(percentile(&frame, 0.5)),
            ms(f99),
            ms(percentile(&answered, 0.5)),
            ms(a99),
            ms(answered.iter().copied().max().unwrap_or_default()),
        );
    }
    println!();
    println!("| measurement | result | target |");
    println!("|---|---|---|");
    println!(
        "| worst client's key → frame p99 | {} | {TARGET} |",
        ms(worst.0)
    );
    println!(
        "| worst client's key → answered frame p99 | {} | {TARGET} |",
        ms(worst.1)
    );
    let per_client = (run.attached.rss_mib - idle.rss_mib) / clients as f64;
    println!(
        "| hub memory | idle {:.0} MiB → {clients} clients attached {:.0} MiB → after the run {:.0} MiB (VmHWM {:.0} MiB) | |",
        idle.rss_mib, run.attached.rss_mib, run.after.rss_mib, run.after.hwm_mib
    );
    println!(
        "| hub memory per attached client | {:.2} MiB | |",
        per_client
    );
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_default();
    format!("machine: {cpus} cores ({model}), load average {}", load())
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
