//! TUI benchmark (issue 3): first frame, key press → frame, render time and resident memory
//! of the TUI on a store of 1,000,000 items, against the real hub and sled store.
//!
//! `cargo bench --bench tui` (items from `SWITCHBOARD_BENCH_ITEMS`, default 1,000,000). The
//! store is built once from the demo simulator and cached in `target/bench-data/tui-<count>`.
//! Each measurement runs in a child process of this binary (see `tui/roles.rs`), chosen by
//! `SWITCHBOARD_TUI_BENCH_ROLE`; this parent builds the store, runs the children and prints
//! one Markdown table.

#[path = "tui/corpus.rs"]
mod corpus;
#[path = "tui/measure.rs"]
mod measure;
#[path = "tui/report.rs"]
mod report;
#[path = "tui/roles.rs"]
mod roles;
#[path = "tui/session.rs"]
#[allow(dead_code)] // shared with the team benchmark (live sessions)
mod session;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use report::{monotonic_ns, Collected, Memory, Row};

const ROLE: &str = "SWITCHBOARD_TUI_BENCH_ROLE";
const STORE: &str = "SWITCHBOARD_TUI_BENCH_STORE";
const SOCKET: &str = "SWITCHBOARD_TUI_BENCH_SOCKET";
const SPAWNED: &str = "SWITCHBOARD_TUI_BENCH_SPAWNED_NS";
/// Cold starts measured (each a new process).
const COLD_RUNS: usize = 3;
const MEMORY_TARGET: &str = "≤ 200 MB";

fn main() {
    let path = |name: &str| std::env::var_os(name).map(PathBuf::from);
    match std::env::var(ROLE).as_deref() {
        Ok("cold") => roles::cold(&path(STORE).expect("store dir")),
        Ok("inproc") => roles::inproc(&path(STORE).expect("store dir")),
        Ok("serve") => roles::serve(
            &path(STORE).expect("store dir"),
            &path(SOCKET).expect("socket"),
        ),
        Ok("client") => roles::client(
            &path(SOCKET).expect("socket"),
            std::env::var(SPAWNED).ok().and_then(|v| v.parse().ok()),
        ),
        Ok(other) => panic!("unknown {ROLE} {other}"),
        Err(_) => orchestrate(),
    }
}

fn item_count() -> usize {
    std::env::var("SWITCHBOARD_BENCH_ITEMS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000)
}

fn orchestrate() {
    let count = item_count();
    let dir = corpus::store_dir(count);
    println!("TUI benchmark: {count} items, store in {}", dir.display());
    println!("{}", machine());
    let mut rows = vec![store_row(&dir, count)];
    println!("load average before: {}", load());

    let mut cold = Collected::default();
    for run in 1..=COLD_RUNS {
        eprintln!("cold start {run}/{COLD_RUNS}");
        cold.take(&run_child("cold", &dir, &[]));
    }
    rows.extend(cold_rows(&cold));

    eprintln!("in-process runs");
    let mut inproc = Collected::default();
    inproc.take(&run_child("inproc", &dir, &[]));
    rows.extend(inproc.rows.iter().cloned());
    rows.push(memory_row(
        &inproc,
        "memory, hub in-process with its index, after the first frame",
        "inproc_first",
    ));
    rows.push(memory_row(
        &inproc,
        "memory, hub in-process with its index, after moving and filtering",
        "inproc_filtered",
    ));

    eprintln!("socket runs");
    rows.extend(socket_runs(&dir));
    println!("load average after: {}", load());
    print_table(&rows);
}

/// The store, cached or built now.
fn store_row(dir: &Path, count: usize) -> Row {
    if corpus::is_cached(dir, count) {
        return Row::new("store", format!("reused {}", dir.display()), "");
    }
    eprintln!("building the store (once; cached for later runs)");
    let built = corpus::build(dir, count);
    Row::new(
        "store",
        format!(
            "built: {} items, generated in {:.1} s, ingested through the hub in {:.1} s",
            built.items,
            built.generated_in.as_secs_f64(),
            built.ingested_in.as_secs_f64()
        ),
        "",
    )
}

fn child(role: &str, dir: &Path, env: &[(&str, String)]) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("this benchmark's path"));
    command.env(ROLE, role).env(STORE, dir);
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

/// Runs a measuring child to the end; its stdout.
fn run_child(role: &str, dir: &Path, env: &[(&str, String)]) -> String {
    let output = child(role, dir, env)
        .stderr(Stdio::inherit())
        .output()
        .expect("run a benchmark child");
    assert!(output.status.success(), "the {role} child failed");
    String::from_utf8(output.stdout).expect("utf-8 from a child")
}

fn cold_rows(cold: &Collected) -> Vec<Row> {
    let runs = |name: &str, unit: &str| {
        let (median, all) = cold.median(name);
        let all: Vec<String> = all.iter().map(|v| format!("{v:.1}")).collect();
        format!("{median:.1} {unit} (runs: {})", all.join(", "))
    };
    vec![
        Row::new(
            "cold start, hub in-process: `SledStore::open`",
            runs("cold_open_ms", "ms"),
            "",
        ),
        Row::new("cold start: `Hub::new`", runs("cold_hub_ms", "ms"), ""),
        Row::new(
            "cold start: store open → first page drawn (200×50)",
            runs("cold_first_ms", "ms"),
            "≤ 100 ms",
        ),
        memory_row(cold, "memory right after `SledStore::open`", "opened"),
        memory_row(
            cold,
            "memory after that first frame (index still building)",
            "cold_first",
        ),
        Row::new(
            "cold start: the hub's queue index built after",
            runs("cold_index_s", "s"),
            "",
        ),
        memory_row(
            cold,
            "memory once the index is built (no TUI use yet)",
            "cold_index",
        ),
        memory_row(
            cold,
            "the same after `malloc_trim(0)` (freed heap returned)",
            "cold_trimmed",
        ),
    ]
}

fn memory_row(collected: &Collected, what: &str, name: &str) -> Row {
    let (rss, _) = collected.median(&format!("{name}_rss"));
    let (hwm, _) = collected.median(&format!("{name}_hwm"));
    Row::new(
        what,
        format!("VmRSS {rss:.0} MiB · VmHWM {hwm:.0} MiB"),
        MEMORY_TARGET,
    )
}

/// A hub serving a socket in one child, the TUI attached to it in another.
fn socket_runs(dir: &Path) -> Vec<Row> {
    let socket_dir = tempfile::tempdir().expect("a directory for the socket");
    let socket = socket_dir.path().join("hub.sock");
    let env = [(SOCKET, socket.display().to_string())];
    let mut server = child("serve", dir, &env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the serving child");
    let index_built = wait_ready(&mut server);
    let hub_before = Memory::of(&server.id().to_string());
    let spawned = (SPAWNED, monotonic_ns().to_string());
    let mut client = Collected::default();
    client.take(&run_child("client", dir, &[env[0].clone(), spawned]));
    let hub_after = Memory::of(&server.id().to_string());
    drop(server.stdin.take());
    server.wait().expect("the serving child ends");

    let (exec_first, _) = client.median("client_exec_first_ms");
    let mut rows = vec![Row::new(
        "hub process (`serve`): index built",
        format!("in {index_built}"),
        "",
    )];
    rows.push(Row::new(
        "client over the socket: process spawn → first page drawn (exec, connect, first frame)",
        format!("{exec_first:.1} ms"),
        "≤ 100 ms",
    ));
    rows.extend(client.rows.iter().cloned());
    rows.push(memory_row(
        &client,
        "memory of the TUI client process after the first frame",
        "client_first",
    ));
    rows.push(memory_row(
        &client,
        "memory of the TUI client process after moving and filtering",
        "client_filtered",
    ));
    rows.push(Row::new(
        "memory of the hub process (`serve`), before → after the client's runs",
        format!("{} → {}", hub_before.describe(), hub_after.describe()),
        "",
    ));
    rows
}

/// Waits for the serving child's `READY` line; the index build time it reports.
fn wait_ready(server: &mut Child) -> String {
    let stdout = server.stdout.take().expect("the child's stdout");
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line.expect("read the serving child");
        if let Some(seconds) = line.strip_prefix("READY\t") {
            let seconds: f64 = seconds.parse().expect("seconds");
            // Keep draining its stdout so that it never blocks on a full pipe.
            std::thread::spawn(move || lines.for_each(drop));
            return format!("{seconds:.1} s");
        }
    }
    panic!("the serving child ended before it was ready");
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or("unknown".into(), |kib| {
            format!("{:.1} GiB", kib / 1048576.0)
        });
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("machine: {cores} cores, {model}, {memory}")
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn print_table(rows: &[Row]) {
    println!("\n| measurement | result | target |\n|---|---|---|");
    for row in rows {
        println!("| {} | {} | {} |", row.what, row.result, row.target);
    }
    let _ = std::io::stdout().flush();
}
