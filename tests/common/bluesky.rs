//! A real Bluesky network for the tests: the reference AT Protocol implementation
//! (`@atproto/dev-env`: PLC directory, PDS, AppView, Ozone) with Debian's PostgreSQL and Redis,
//! all on 127.0.0.1, started by `tests/servers/bluesky-dev-env start` (which installs what is
//! missing first; `tests/run` installs it up front). Stopped when dropped: closing the script's
//! standard input stops node, then postgres and redis; if that hangs, its process group is
//! killed.
//!
//! When the network does not come up, the panic shows the script's output and the postgres
//! log. See `tests/servers/BLUESKY.md`.

use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

/// How long the network may take to start (the first run may also `npm ci`: minutes).
/// How long the AppView may take to index a post (well under a second here, but CI is busy).
pub const INDEXING: Duration = Duration::from_secs(60);

const START_TIMEOUT: Duration = Duration::from_secs(600);
/// How long the script may take to stop after its standard input closes.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

pub fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/servers/bluesky-dev-env")
}

/// A running dev-env network.
pub struct BlueskyNet {
    dir: tempfile::TempDir,
    child: Child,
    stdin: Option<ChildStdin>,
    /// The PDS, e.g. `http://127.0.0.1:41234` (accounts, repos, and the app.bsky.* proxy).
    pub pds: String,
    /// The AppView (app.bsky.* directly; needs service auth for per-user views).
    pub appview: String,
    /// The PLC directory.
    pub plc: String,
    /// The ready line as printed.
    pub ready: Value,
    /// From spawning the script to its ready line.
    pub startup: Duration,
    pub http: reqwest::Client,
}

/// An account on the PDS with a live session.
#[derive(Clone, Debug)]
pub struct Account {
    pub handle: String,
    pub did: String,
    pub password: String,
    pub access_jwt: String,
    pub refresh_jwt: String,
}

/// An XRPC error: status and body.
#[derive(Debug)]
pub struct XrpcError {
    pub status: u16,
    pub body: Value,
}

impl XrpcError {
    /// The `error` name (e.g. `RecordNotFound`).
    pub fn name(&self) -> &str {
        self.body["error"].as_str().unwrap_or("")
    }
}

impl BlueskyNet {
    /// Starts the network and waits for its ready line.
    pub fn start() -> BlueskyNet {
        let dir = tempfile::Builder::new()
            .prefix("sbt-bluesky-")
            .tempdir()
            .expect("temp dir");
        let log = dir.path().join("script.log");
        let stderr = fs::File::create(&log).expect("script log");
        let started = Instant::now();
        let mut child = Command::new(script())
            .arg("start")
            .arg(dir.path().join("net"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            // Its own process group, so a hung shutdown can be killed whole.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", script().display()));
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut net = BlueskyNet {
            dir,
            child,
            stdin,
            pds: String::new(),
            appview: String::new(),
            plc: String::new(),
            ready: Value::Null,
            startup: Duration::ZERO,
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("reqwest client"),
        };
        let ready = loop {
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => match serde_json::from_str::<Value>(&line) {
                    Ok(v) if v["pds"].is_string() => break v,
                    _ => continue,
                },
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Ok(Some(status)) = net.child.try_wait() {
                        panic!(
                            "the Bluesky network exited before it was ready ({status}):\n{}",
                            net.logs()
                        );
                    }
                    if started.elapsed() > START_TIMEOUT {
                        panic!(
                            "the Bluesky network was not ready within {START_TIMEOUT:?}:\n{}",
                            net.logs()
                        );
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = net.child.wait();
                    panic!(
                        "the Bluesky network closed its output before it was ready ({status:?}):\n{}",
                        net.logs()
                    );
                }
            }
        };
        net.startup = started.elapsed();
        let url = |key: &str| {
            let url = ready[key].as_str().unwrap_or_default().to_string();
            assert!(
                url.starts_with("http://127.0.0.1:"),
                "{key} is not on loopback: {ready}"
            );
            url
        };
        net.pds = url("pds");
        net.appview = url("appview");
        net.plc = url("plc");
        net.ready = ready;
        net
    }

    /// The script's output (node's included) and the postgres and redis logs.
    pub fn logs(&self) -> String {
        let read = |p: PathBuf| fs::read_to_string(p).unwrap_or_default();
        let net = self.dir.path().join("net");
        format!(
            "--- bluesky-dev-env / node ---\n{}\n--- postgres ---\n{}\n--- redis ---\n{}",
            read(self.dir.path().join("script.log")),
            read(net.join("postgres.log")),
            read(net.join("redis.log")),
        )
    }

    /// `POST {pds}/xrpc/{nsid}` with a JSON body, as `auth` if given.
    pub async fn procedure(
        &self,
        auth: Option<&Account>,
        nsid: &str,
        body: &Value,
    ) -> Result<Value, XrpcError> {
        let mut req = self
            .http
            .post(format!("{}/xrpc/{nsid}", self.pds))
            .json(body);
        if let Some(account) = auth {
            req = req.bearer_auth(&account.access_jwt);
        }
        xrpc_result(req.send().await).await
    }

    /// `GET {pds}/xrpc/{nsid}?query`, as `auth` if given (app.bsky.* goes through the PDS to
    /// the AppView, as for a real client).
    pub async fn query(
        &self,
        auth: Option<&Account>,
        nsid: &str,
        query: &[(&str, &str)],
    ) -> Result<Value, XrpcError> {
        let mut req = self
            .http
            .get(format!("{}/xrpc/{nsid}", self.pds))
            .query(query);
        if let Some(account) = auth {
            req = req.bearer_auth(&account.access_jwt);
        }
        xrpc_result(req.send().await).await
    }

    /// Waits until the AppView knows `post`, seen by `viewer`. A reply indexed before its
    /// parent never notifies the parent's author: answer a post only once it is indexed.
    pub async fn wait_until_indexed(&self, viewer: &Account, post: &Value) {
        poll(INDEXING, "the post on the AppView", || async {
            let uri = post["uri"].as_str()?;
            let out = self
                .query(Some(viewer), "app.bsky.feed.getPosts", &[("uris", uri)])
                .await
                .ok()?;
            (!out["posts"].as_array()?.is_empty()).then_some(())
        })
        .await;
    }

    /// Waits until the AppView lists at least `count` notifications for `account`.
    pub async fn wait_for_notifications(&self, account: &Account, count: usize) {
        poll(INDEXING, "notifications indexed", || async {
            let answer = self
                .query(
                    Some(account),
                    "app.bsky.notification.listNotifications",
                    &[("limit", "100")],
                )
                .await
                .ok()?;
            let seen = answer["notifications"].as_array()?.len();
            (seen >= count).then_some(())
        })
        .await;
    }

    /// `com.atproto.server.createAccount` with handle `{name}.test`, email `{name}@test.com`
    /// and a password; the account comes with its session.
    pub async fn create_account(&self, name: &str) -> Account {
        let handle = format!("{name}.test");
        let password = format!("{name}-pass");
        let out = self
            .procedure(
                None,
                "com.atproto.server.createAccount",
                &json!({ "handle": handle, "email": format!("{name}@test.com"), "password": password }),
            )
            .await
            .unwrap_or_else(|e| panic!("createAccount {handle}: {e:?}\n{}", self.logs()));
        account_from(&out, &password)
    }

    /// `com.atproto.server.createSession`: a fresh session for an account.
    pub async fn create_session(&self, handle: &str, password: &str) -> Result<Account, XrpcError> {
        let out = self
            .procedure(
                None,
                "com.atproto.server.createSession",
                &json!({ "identifier": handle, "password": password }),
            )
            .await?;
        Ok(account_from(&out, password))
    }

    /// `com.atproto.repo.createRecord` of an `app.bsky.feed.post` (with `rkey` if given);
    /// returns `{uri, cid, ...}`.
    pub async fn post(
        &self,
        author: &Account,
        record: Value,
        rkey: Option<&str>,
    ) -> Result<Value, XrpcError> {
        let mut body = json!({
            "repo": author.did,
            "collection": "app.bsky.feed.post",
            "record": record,
        });
        if let Some(rkey) = rkey {
            body["rkey"] = json!(rkey);
        }
        self.procedure(Some(author), "com.atproto.repo.createRecord", &body)
            .await
    }
}

fn account_from(out: &Value, password: &str) -> Account {
    let s = |key: &str| {
        out[key]
            .as_str()
            .unwrap_or_else(|| panic!("no {key} in {out}"))
            .to_string()
    };
    Account {
        handle: s("handle"),
        did: s("did"),
        password: password.to_string(),
        access_jwt: s("accessJwt"),
        refresh_jwt: s("refreshJwt"),
    }
}

async fn xrpc_result(
    response: Result<reqwest::Response, reqwest::Error>,
) -> Result<Value, XrpcError> {
    let response = response.unwrap_or_else(|e| panic!("XRPC request failed: {e}"));
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    if (200..300).contains(&status) {
        Ok(body)
    } else {
        Err(XrpcError { status, body })
    }
}

/// `createdAt` as the lexicons want it: RFC 3339, milliseconds, `Z`.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A record key as the PDS makes them: a TID (13 characters of base32-sortable: 53 bits of
/// microseconds since the epoch, then 10 bits of clock id).
pub fn tid() -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_micros() as u64;
    let clock_id = u64::from(rand::random::<u16>() & 0x3ff);
    tid_from(micros, clock_id)
}

pub fn tid_from(micros: u64, clock_id: u64) -> String {
    const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
    let value = ((micros & ((1 << 53) - 1)) << 10) | (clock_id & 0x3ff);
    (0..13)
        .rev()
        .map(|i| ALPHABET[((value >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// The UTF-8 byte range of `needle` in `text` (facet indices are in bytes).
pub fn byte_range(text: &str, needle: &str) -> (usize, usize) {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    (start, start + needle.len())
}

/// Polls `check` every 100 ms until it gives a value or `timeout` passes.
pub async fn poll<T, F, Fut>(timeout: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

impl Drop for BlueskyNet {
    fn drop(&mut self) {
        // Closing stdin asks node to close the network; the script then stops postgres and
        // redis and exits.
        drop(self.stdin.take());
        let deadline = Instant::now() + STOP_TIMEOUT;
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) | Err(_) => return,
                Ok(None) if Instant::now() > deadline => break,
                Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
        eprintln!(
            "the Bluesky network did not stop within {STOP_TIMEOUT:?}; killing it:\n{}",
            self.logs()
        );
        // SAFETY: kill with our child's process group (it leads it) and a valid signal.
        unsafe { libc::kill(-(self.child.id() as i32), libc::SIGKILL) };
        let _ = self.child.wait();
    }
}
