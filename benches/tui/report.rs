//! What the benchmark reports and how: table rows, percentiles of key presses, resident
//! memory from `/proc`, and the line protocol the measuring child processes use to hand
//! their rows and values to the parent (`ROW\t<json>`, `VAL\t<name>\t<number>` on stdout).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::session::Press;

/// One line of the results table.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Row {
    pub what: String,
    pub result: String,
    pub target: String,
}

impl Row {
    pub fn new(what: impl Into<String>, result: impl Into<String>, target: &str) -> Row {
        Row {
            what: what.into(),
            result: result.into(),
            target: target.to_string(),
        }
    }
}

/// Hands a row to the parent process.
pub fn emit(row: &Row) {
    println!(
        "ROW\t{}",
        serde_json::to_string(row).expect("a row encodes")
    );
}

/// Hands a named number to the parent process (aggregated over runs there).
pub fn emit_value(name: &str, value: f64) {
    println!("VAL\t{name}\t{value}");
}

/// What a child process handed back.
#[derive(Default)]
pub struct Collected {
    pub rows: Vec<Row>,
    pub values: BTreeMap<String, Vec<f64>>,
}

impl Collected {
    /// Takes the protocol lines of a child's stdout; other lines are echoed.
    pub fn take(&mut self, stdout: &str) {
        for line in stdout.lines() {
            if let Some(json) = line.strip_prefix("ROW\t") {
                self.rows
                    .push(serde_json::from_str(json).expect("a row from a child"));
            } else if let Some(rest) = line.strip_prefix("VAL\t") {
                let (name, value) = rest.split_once('\t').expect("VAL name value");
                let value = value.parse().expect("a number from a child");
                self.values.entry(name.to_string()).or_default().push(value);
            } else {
                println!("{line}");
            }
        }
    }

    /// The median of a value over the runs, and every run's value.
    pub fn median(&self, name: &str) -> (f64, Vec<f64>) {
        let all = self.values.get(name).cloned().unwrap_or_default();
        let mut sorted = all.clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN);
        (median, all)
    }
}

/// The `p`-quantile (0..=1) of `samples`, nearest rank.
pub fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

pub fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

/// A row for key presses: frame and answer, p50/p99/max.
pub fn press_row(what: &str, presses: &[Press], target: &str) -> Row {
    let frames: Vec<Duration> = presses.iter().map(|p| p.frame).collect();
    let cpu: Vec<Duration> = presses.iter().map(|p| p.frame_cpu).collect();
    let answers: Vec<Duration> = presses.iter().map(|p| p.answered).collect();
    let called = presses.iter().filter(|p| p.calls > 0).count();
    let calls: usize = presses.iter().map(|p| p.calls).sum();
    let stat = |samples: &[Duration]| {
        format!(
            "p50 {} · p99 {} · max {}",
            ms(percentile(samples, 0.5)),
            ms(percentile(samples, 0.99)),
            ms(percentile(samples, 1.0))
        )
    };
    Row::new(
        format!(
            "{what} ({} presses, {called} asked the hub, {calls} calls)",
            presses.len()
        ),
        format!(
            "frame after the key: {}<br>its CPU time: {}<br>answer drawn: {}",
            stat(&frames),
            stat(&cpu),
            stat(&answers)
        ),
        target,
    )
}

/// Mean and p99 of repeated draws.
/// Mean and p99 of repeated draws: wall time, and the drawing thread's CPU time.
pub fn draw_row(what: &str, wall: &[Duration], cpu: &[Duration]) -> Row {
    let stat = |samples: &[Duration]| {
        let total: Duration = samples.iter().sum();
        let mean = total / samples.len().max(1) as u32;
        format!("mean {} · p99 {}", ms(mean), ms(percentile(samples, 0.99)))
    };
    Row::new(
        format!("{what} ({} draws)", wall.len()),
        format!("{} (CPU: {})", stat(wall), stat(cpu)),
        "",
    )
}

/// VmRSS and VmHWM of a process (`self` or a pid), in MiB.
#[derive(Clone, Copy, Debug)]
pub struct Memory {
    pub rss_mib: f64,
    pub hwm_mib: f64,
}

impl Memory {
    pub fn of(process: &str) -> Memory {
        let status = std::fs::read_to_string(format!("/proc/{process}/status"))
            .expect("read /proc/<process>/status");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<f64>()
                        .ok()
                })
                .map_or(f64::NAN, |kib| kib / 1024.0)
        };
        Memory {
            rss_mib: field("VmRSS:"),
            hwm_mib: field("VmHWM:"),
        }
    }

    pub fn own() -> Memory {
        Memory::of("self")
    }

    pub fn describe(self) -> String {
        format!(
            "VmRSS {:.0} MiB · VmHWM {:.0} MiB",
            self.rss_mib, self.hwm_mib
        )
    }
}

/// The monotonic clock in nanoseconds: the same clock in every process, so a parent and its
/// child can measure across the `exec`.
pub fn monotonic_ns() -> u64 {
    // SAFETY: clock_gettime only writes into the struct it is given.
    let ts = unsafe {
        let mut ts = std::mem::zeroed::<libc::timespec>();
        libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts);
        ts
    };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}
