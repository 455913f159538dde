//! Running `switchboard serve` to be killed, and reading the outbox between runs.

use std::fs;
use std::process::{Child, Stdio};

use serde_json::Value;

use crate::common::Home;

/// `switchboard serve`, its standard error appended to `serve.stderr` in the home.
pub fn serve(home: &Home) -> Child {
    let stderr = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(home.path().join("serve.stderr"))
        .unwrap();
    home.command(&["serve"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("spawn serve")
}

pub fn outbox(home: &Home) -> Vec<Value> {
    home.ok(&["outbox", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn sent(entries: &[Value]) -> usize {
    entries.iter().filter(|e| e["state"] == "sent").count()
}

/// The hub's standard error and the end of its log, for failure messages.
pub fn logs(home: &Home) -> String {
    let stderr = fs::read_to_string(home.path().join("serve.stderr")).unwrap_or_default();
    let mut log = String::new();
    if let Ok(dir) = fs::read_dir(home.path().join("logs")) {
        for file in dir.flatten() {
            log.push_str(&fs::read_to_string(file.path()).unwrap_or_default());
        }
    }
    let tail: Vec<&str> = log.lines().rev().take(60).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    format!(
        "--- serve stderr ---\n{stderr}\n--- log (last 60 lines) ---\n{}",
        tail.join("\n")
    )
}
