//! What each process of the benchmark does. Every measurement runs in a fresh child process
//! so that its start is a real start and its resident memory is its own:
//! - `cold`: opens the store, starts a hub and the TUI in-process, times the first frame,
//!   then waits for the hub's queue index (memory at both points);
//! - `inproc`: the same process kind once the index is ready: the first frame of a new
//!   client on the warm hub, then moving, filtering and render times, and memory;
//! - `serve`: a hub serving the Unix socket (what `switchboard serve` runs), for `client`;
//! - `client`: the TUI attached over the socket: first frames, moving, filtering, memory.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use switchboard::hub::client::HubClient;
use switchboard::hub::protocol::{Request, Response};
use switchboard::hub::server::serve as serve_socket;
use switchboard::hub::Hub;
use switchboard::model::Actor;
use switchboard::store::{SledStore, Store};

use super::corpus::TEAM;
use super::measure;
use super::report::{emit, emit_value, monotonic_ns, ms, Memory, Row};
use super::session::{options, Session};

/// The screen the issue measures at.
const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;
/// First frames of new clients timed on a warm hub.
const WARM_STARTS: usize = 20;
/// How long the hub's index may take to build.
const INDEX_WAIT: Duration = Duration::from_secs(1800);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The store and a hub on it, as `switchboard serve` or an in-process TUI starts them.
fn open_hub(dir: &Path) -> (Arc<Hub>, Duration, Duration) {
    let began = Instant::now();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(dir).expect("open the bench store"));
    let opened = began.elapsed();
    emit_memory("opened", Memory::own());
    let hub = Arc::new(Hub::new(store, "bench"));
    (hub, opened, began.elapsed() - opened)
}

fn wait_for_index(hub: &Hub) -> Duration {
    assert!(
        hub.index().wait_ready(INDEX_WAIT),
        "the hub's queue index was not ready within {INDEX_WAIT:?}"
    );
    hub.index().stats().expect("index stats").built_in
}

fn local_client(hub: &Arc<Hub>) -> HubClient {
    HubClient::local(Arc::clone(hub), Actor::new(TEAM[0], "tui"))
}

fn emit_memory(prefix: &str, memory: Memory) {
    emit_value(&format!("{prefix}_rss"), memory.rss_mib);
    emit_value(&format!("{prefix}_hwm"), memory.hwm_mib);
}

/// A cold start with the hub in-process: store open → first page drawn.
pub fn cold(dir: &Path) {
    let rt = runtime();
    let began = Instant::now();
    let (hub, opened, hub_made) = open_hub(dir);
    let mut session = Session::new(local_client(&hub), options(TEAM[0]), WIDTH, HEIGHT);
    let first = rt.block_on(session.first_frame(began));
    assert!(
        !session.app.queue.items.is_empty(),
        "the first page shows items"
    );
    emit_value("cold_open_ms", opened.as_secs_f64() * 1e3);
    emit_value("cold_hub_ms", hub_made.as_secs_f64() * 1e3);
    emit_value("cold_first_ms", first.page_drawn.as_secs_f64() * 1e3);
    emit_value("cold_frames", first.frames as f64);
    emit_memory("cold_first", Memory::own());
    let built = wait_for_index(&hub);
    emit_value("cold_index_s", built.as_secs_f64());
    emit_memory("cold_index", Memory::own());
    // How much of that is memory the allocator kept from the build (freed, not returned).
    // SAFETY: malloc_trim only returns free heap memory to the system.
    unsafe { libc::malloc_trim(0) };
    emit_memory("cold_trimmed", Memory::own());
    drop(session);
}

/// The warm hub in-process: new clients' first frames, then the key and render runs.
pub fn inproc(dir: &Path) {
    let rt = runtime();
    let (hub, _, _) = open_hub(dir);
    wait_for_index(&hub);
    if let Some(stats) = hub.index().stats() {
        emit(&Row::new(
            "hub queue index (in-process)",
            format!(
                "{} items, about {:.0} MiB of heap, built in {:.1} s",
                stats.items,
                stats.heap_bytes as f64 / 1048576.0,
                stats.built_in.as_secs_f64()
            ),
            "",
        ));
    }
    emit(&store_contents(&hub));
    let mut firsts = Vec::new();
    let mut session = None;
    for _ in 0..WARM_STARTS {
        let began = Instant::now();
        let mut fresh = Session::new(local_client(&hub), options(TEAM[0]), WIDTH, HEIGHT);
        firsts.push(rt.block_on(fresh.first_frame(began)).page_drawn);
        session = Some(fresh);
    }
    emit(&first_frames_row(
        "first frame, new in-process client on the warm hub",
        &firsts,
    ));
    emit_memory("inproc_first", Memory::own());
    let mut session = session.expect("at least one session");
    rt.block_on(key_runs(&mut session, "in-process", "inproc_filtered"));
    rt.block_on(render_runs(&mut session));
}

/// How many items of each status the store holds.
fn store_contents(hub: &Hub) -> Row {
    let actor = Actor::new(TEAM[0], "bench");
    let counts = match hub.handle(&actor, Request::Counts) {
        Ok(Response::Counts { counts }) => counts,
        other => panic!("counts failed: {other:?}"),
    };
    let by_status: Vec<String> = counts
        .by_status
        .iter()
        .map(|(status, n)| format!("{status} {n}"))
        .collect();
    Row::new(
        "store contents",
        format!("{} items: {}", counts.total(), by_status.join(", ")),
        "",
    )
}

/// Moving, then filtering; memory after filtering under `memory_name`.
async fn key_runs(session: &mut Session, title: &str, memory_name: &str) {
    for row in measure::moving(session, &format!("{title}, moving")).await {
        emit(&row);
    }
    let (rows, sizes) = measure::filtering(session, &format!("{title}, filtering")).await;
    for row in rows {
        emit(&row);
    }
    emit(&Row::new(
        format!("{title}: items in the filtered views (All tab)"),
        sizes,
        "",
    ));
    emit_memory(memory_name, Memory::own());
}

async fn render_runs(session: &mut Session) {
    let (position, thread) = measure::longest_thread(session).await;
    emit(&Row::new(
        "detail pane item",
        format!("the loaded queue item with the longest thread: {thread} other items in it (the hub sends at most 200)"),
        "",
    ));
    for row in measure::render(session, position).await {
        emit(&row);
    }
    session.resize(80, 24).await;
    for row in measure::render(session, position).await {
        emit(&row);
    }
}

fn first_frames_row(what: &str, firsts: &[Duration]) -> Row {
    let mut sorted = firsts.to_vec();
    sorted.sort();
    Row::new(
        format!("{what} ({} starts)", firsts.len()),
        format!(
            "first start {} · median {} · max {}",
            ms(firsts[0]),
            ms(sorted[sorted.len() / 2]),
            ms(sorted[sorted.len() - 1])
        ),
        "≤ 100 ms",
    )
}

/// A hub serving `socket` once its index is ready; runs until stdin closes.
pub fn serve(dir: &Path, socket: &Path) {
    let rt = runtime();
    let (hub, _, _) = open_hub(dir);
    let built = wait_for_index(&hub);
    rt.block_on(async {
        let server = serve_socket(Arc::clone(&hub), socket, None)
            .await
            .expect("serve the socket");
        println!("READY\t{}", built.as_secs_f64());
        tokio::task::spawn_blocking(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
        })
        .await
        .expect("wait for stdin to close");
        drop(server);
    });
}

/// The TUI attached over the socket: first frames, key runs, memory.
pub fn client(socket: &Path, spawned_ns: Option<u64>) {
    let rt = runtime();
    let mut firsts = Vec::new();
    let mut session = None;
    for n in 0..WARM_STARTS {
        let began = Instant::now();
        let fresh = rt.block_on(async {
            let client = HubClient::connect(socket, "tui")
                .await
                .expect("connect to the bench hub");
            let mut fresh = Session::new(client, options(""), WIDTH, HEIGHT);
            firsts.push(fresh.first_frame(began).await.page_drawn);
            fresh
        });
        if n == 0 {
            if let Some(spawned) = spawned_ns {
                let since_spawn = monotonic_ns().saturating_sub(spawned);
                emit_value("client_exec_first_ms", since_spawn as f64 / 1e6);
            }
            emit_memory("client_first", Memory::own());
        }
        session = Some(fresh);
    }
    emit(&first_frames_row(
        "first frame, client over the socket on the warm hub",
        &firsts,
    ));
    let mut session = session.expect("at least one session");
    rt.block_on(key_runs(&mut session, "over the socket", "client_filtered"));
}
