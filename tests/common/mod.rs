//! Helpers for the end-to-end tests: run the real `switchboard` binary on a temporary home.

#![allow(dead_code)]

pub mod accepting;
pub mod bluesky;
pub mod bsky_chat;
pub mod crash;
pub mod facebook_api;
pub mod fake_api;
pub mod instagram;
pub mod instagram_api;
pub mod items;
pub mod loopback;
pub mod mastodon;
pub mod smtp;
pub mod sshd;
pub mod team_box;
pub mod tmux;
pub mod unix_users;
pub mod webhook;
pub mod webhooks_hub;
pub mod x_api;
pub mod youtube_api;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// HTTP settings for connector tests against loopback servers: short timeouts and quick
/// retries, so fault scenarios take milliseconds, not the production minutes.
pub fn quick_http_options() -> switchboard::connectors::http::HttpOptions {
    use switchboard::connectors::http::{Backoff, HttpOptions};
    HttpOptions {
        timeout: Duration::from_secs(2),
        backoff: Backoff {
            base: Duration::from_millis(50),
            cap: Duration::from_millis(500),
            attempts: 4,
        },
        ..HttpOptions::default()
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_switchboard")
}

/// A temporary `--home`.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.arg("--home").arg(self.path()).args(args);
        cmd.env_remove("SWITCHBOARD_HOME");
        cmd
    }

    /// Runs a command to completion.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args)
            .stdin(Stdio::null())
            .output()
            .expect("run switchboard")
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "switchboard {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs a command that must fail with exit code 1; returns its stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "switchboard {args:?} should fail: {out:?}"
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// `list --json` parsed.
    pub fn items(&self, query: &[&str]) -> Vec<serde_json::Value> {
        let mut args = vec!["list", "--json"];
        args.extend_from_slice(query);
        self.ok(&args)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l}: {e}")))
            .collect()
    }

    pub fn socket(&self) -> PathBuf {
        self.path().join("hub.sock")
    }

    /// Starts `serve` and waits for its socket to accept.
    pub fn serve(&self) -> Hub {
        let child = self
            .command(&["serve"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn serve");
        wait_for(
            || std::os::unix::net::UnixStream::connect(self.socket()).is_ok(),
            "the hub socket",
        );
        Hub { child }
    }
}

/// A running `switchboard serve`, stopped with SIGTERM when dropped.
pub struct Hub {
    pub child: Child,
}

impl Hub {
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        // SAFETY: kill with a valid pid of our own child and a valid signal number.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        self.child.wait().expect("wait for hub")
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.terminate();
        }
    }
}

pub fn wait_for(mut ready: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}
