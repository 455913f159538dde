//! The owner file: which process holds the store, so a second process can say so plainly
//! instead of failing on sled's lock with a bare I/O error.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What the owning process writes next to the store.
#[derive(Debug, Serialize, Deserialize)]
pub struct Owner {
    pub pid: u32,
    pub command: String,
    pub socket: Option<PathBuf>,
    pub started_at: DateTime<Utc>,
}

/// Removes the owner file when the owning hub stops.
pub struct OwnerGuard {
    path: PathBuf,
}

impl Drop for OwnerGuard {
    fn drop(&mut self) {
        // Only remove it if it is still ours (a later owner may have replaced a stale file).
        if read(&self.path).is_some_and(|o| o.pid == std::process::id()) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Records this process as the store's owner.
pub fn claim(path: &Path, socket: Option<&Path>) -> std::io::Result<OwnerGuard> {
    let owner = Owner {
        pid: std::process::id(),
        command: std::env::args().collect::<Vec<_>>().join(" "),
        socket: socket.map(Path::to_path_buf),
        started_at: Utc::now(),
    };
    let json = serde_json::to_string(&owner).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, path)?;
    Ok(OwnerGuard {
        path: path.to_path_buf(),
    })
}

fn read(path: &Path) -> Option<Owner> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// "process 1234 (switchboard serve, since 2026-11-22 10:00 UTC)", when the recorded owner
/// still runs.
pub fn describe(path: &Path) -> Option<String> {
    let owner = read(path)?;
    if !Path::new(&format!("/proc/{}", owner.pid)).exists() {
        return None;
    }
    let mut text = format!(
        "process {} ({}, since {})",
        owner.pid,
        owner.command,
        owner.started_at.format("%Y-%m-%d %H:%M UTC")
    );
    if let Some(socket) = owner.socket {
        text.push_str(&format!(", serving {}", socket.display()));
    }
    Some(text)
}
