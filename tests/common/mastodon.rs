//! A real Mastodon-compatible server for the connector tests: the PyPI package
//! `mastodon-mock` (tests/servers/MASTODON.md), installed into a virtualenv of the project's
//! own and run by `tests/servers/mastodon-mock serve PORT` on 127.0.0.1 and a free port, with
//! an in-memory database. Killed when dropped; when the test panics, the drop prints the
//! server's log (one line per request).
//!
//! Accounts are created through the mock's control plane (`/api/v1/_mock/*`), statuses and
//! everything else through the ordinary Mastodon API with each account's bearer token.
//! Faults (429 with rate-limit headers, 5xx, latency, malformed bodies, hung requests) are
//! rules added through `/api/v1/_mock/faults`: see [`Fault`].
//!
//! Only ever listens on, and connects to, 127.0.0.1.

use std::fs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// The script that installs and runs the server.
pub fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/servers/mastodon-mock")
}

/// A running mastodon-mock on loopback.
pub struct MastodonMock {
    dir: tempfile::TempDir,
    pub port: u16,
    child: Child,
    http: reqwest::Client,
}

/// A local account of the mock and a user token for it.
#[derive(Clone, Debug)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub token: String,
}

impl MastodonMock {
    /// Installs the server if missing, starts it and waits until it answers.
    pub fn start() -> MastodonMock {
        install();
        let dir = tempfile::Builder::new()
            .prefix("sbt-mastodon-")
            .tempdir()
            .expect("temp dir");
        let mut attempts = 0;
        loop {
            attempts += 1;
            let port = free_port();
            let log = fs::File::create(dir.path().join("server.log")).expect("server log");
            let mut child = Command::new(script())
                .arg("serve")
                .arg(port.to_string())
                .current_dir(dir.path())
                .stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("start {}: {e}", script().display()));
            match wait_ready(&mut child, port) {
                Ok(()) => {
                    let http = reqwest::Client::builder()
                        .redirect(reqwest::redirect::Policy::none())
                        .timeout(Duration::from_secs(20))
                        .build()
                        .expect("http client");
                    return MastodonMock {
                        dir,
                        port,
                        child,
                        http,
                    };
                }
                Err(why) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    let log = log_of(dir.path());
                    // Someone took the port between our probe and the server's bind.
                    if attempts < 3 && log.contains("address already in use") {
                        continue;
                    }
                    panic!(
                        "mastodon-mock did not start on 127.0.0.1:{port} ({why}); its log:\n{log}"
                    );
                }
            }
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The absolute URL of an API path (`/api/v1/...`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// A client for the tests' own requests (no redirects followed, 20 s timeout).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The server's log so far (uvicorn's start-up lines and one access line per request).
    pub fn log(&self) -> String {
        log_of(self.dir.path())
    }

    /// Creates a local account with a user token (read, write, follow, push) through the
    /// mock's control plane.
    pub async fn create_account(&self, username: &str) -> Account {
        let body = self
            .control(
                "POST",
                "/api/v1/_mock/dev_user",
                json!({ "username": username }),
            )
            .await;
        Account {
            id: str_field(&body, "id"),
            username: str_field(&body, "username"),
            token: str_field(&body, "access_token"),
        }
    }

    /// A user token for `username` obtained the way a real client gets one: registers an
    /// app (`POST /api/v1/apps`), authorizes it as that user (`POST /oauth/authorize`, which
    /// in the mock needs no password and redirects with a code), and exchanges the code
    /// (`POST /oauth/token`, `authorization_code`).
    pub async fn oauth_token(&self, username: &str, scopes: &str) -> String {
        let redirect = "urn:ietf:wg:oauth:2.0:oob";
        let app = self
            .send(self.http.post(self.url("/api/v1/apps")).form(&[
                ("client_name", "switchboard-test"),
                ("redirect_uris", redirect),
                ("scopes", scopes),
            ]))
            .await;
        let client_id = str_field(&app, "client_id");
        let client_secret = str_field(&app, "client_secret");
        // Out-of-band: the page shows the code instead of redirecting.
        let page = self
            .http
            .post(self.url("/oauth/authorize"))
            .form(&[
                ("username", username),
                ("client_id", client_id.as_str()),
                ("redirect_uri", redirect),
                ("scope", scopes),
            ])
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST /oauth/authorize: {e}\n{}", self.log()))
            .text()
            .await
            .expect("authorize page");
        let code = page
            .split("Authorization code: ")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .unwrap_or_else(|| panic!("no code on the authorize page: {page}"));
        let token = self
            .send(self.http.post(self.url("/oauth/token")).form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("client_id", client_id.as_str()),
                ("client_secret", client_secret.as_str()),
                ("redirect_uri", redirect),
                ("scope", scopes),
            ]))
            .await;
        str_field(&token, "access_token")
    }

    /// Posts a status as `author` (`visibility`: public, unlisted, private or direct).
    pub async fn post_status(
        &self,
        author: &Account,
        text: &str,
        visibility: &str,
        in_reply_to_id: Option<&str>,
    ) -> Value {
        let mut body = json!({ "status": text, "visibility": visibility });
        if let Some(parent) = in_reply_to_id {
            body["in_reply_to_id"] = json!(parent);
        }
        self.send(
            self.http
                .post(self.url("/api/v1/statuses"))
                .bearer_auth(&author.token)
                .json(&body),
        )
        .await
    }

    /// A public status by `from` that mentions `to` (a `mention` notification for `to`).
    pub async fn mention(&self, from: &Account, to: &Account, text: &str) -> Value {
        self.post_status(from, &format!("@{} {text}", to.username), "public", None)
            .await
    }

    /// A direct message from `from` to `to` (a `direct` status mentioning `to`: a
    /// conversation for both and a `mention` notification for `to`).
    pub async fn direct_message(&self, from: &Account, to: &Account, text: &str) -> Value {
        self.post_status(from, &format!("@{} {text}", to.username), "direct", None)
            .await
    }

    /// Adds a fault rule; returns its id (for [`MastodonMock::remove_fault`]).
    pub async fn inject(&self, fault: Fault) -> String {
        let rule = self.control("POST", "/api/v1/_mock/faults", fault.0).await;
        str_field(&rule, "id")
    }

    /// The active fault rules, with their remaining budgets.
    pub async fn faults(&self) -> Vec<Value> {
        match self
            .control("GET", "/api/v1/_mock/faults", Value::Null)
            .await
        {
            Value::Array(rules) => rules,
            other => panic!("fault list is not an array: {other}"),
        }
    }

    pub async fn remove_fault(&self, id: &str) {
        self.control("DELETE", &format!("/api/v1/_mock/faults/{id}"), Value::Null)
            .await;
    }

    pub async fn clear_faults(&self) {
        self.control("DELETE", "/api/v1/_mock/faults", Value::Null)
            .await;
    }

    /// Drops every account, status and fault rule (the seed account `testuser`, token
    /// `mock_token`, comes back).
    pub async fn reset(&self) {
        self.control("POST", "/api/v1/_mock/reset", Value::Null)
            .await;
    }

    /// The newest statuses `author` posted (up to 40), as the API shows them to the author
    /// (direct ones included).
    pub async fn statuses_by(&self, author: &Account) -> Vec<Value> {
        let path = format!("/api/v1/accounts/{}/statuses?limit=40", author.id);
        let answer = self
            .send(self.http.get(self.url(&path)).bearer_auth(&author.token))
            .await;
        answer.as_array().cloned().unwrap_or_default()
    }

    /// Every status `author` posted, newest first, paged back with `max_id` (the mock caps a
    /// page at 40).
    pub async fn all_statuses_by(&self, author: &Account) -> Vec<Value> {
        let mut all: Vec<Value> = Vec::new();
        loop {
            let mut path = format!("/api/v1/accounts/{}/statuses?limit=40", author.id);
            if let Some(last) = all.last() {
                path.push_str(&format!("&max_id={}", str_field(last, "id")));
            }
            let answer = self
                .send(self.http.get(self.url(&path)).bearer_auth(&author.token))
                .await;
            let page = answer.as_array().cloned().unwrap_or_default();
            if page.is_empty() {
                return all;
            }
            all.extend(page);
        }
    }

    /// A control-plane request (never affected by faults); its JSON answer.
    async fn control(&self, method: &str, path: &str, body: Value) -> Value {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.http.request(method, self.url(path));
        if !body.is_null() {
            request = request.json(&body);
        }
        self.send(request).await
    }

    /// Sends a request that must succeed; its JSON answer (the log is shown when not).
    async fn send(&self, request: reqwest::RequestBuilder) -> Value {
        let request = request.build().expect("request");
        let what = format!("{} {}", request.method(), request.url().path());
        let response = self
            .http
            .execute(request)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}\nserver log:\n{}", self.log()));
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(
            status.is_success(),
            "{what}: {status}: {text}\nserver log:\n{}",
            self.log()
        );
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: bad JSON ({e}): {text}"))
    }
}

impl Drop for MastodonMock {
    fn drop(&mut self) {
        // In-memory state only: nothing to shut down gracefully.
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!(
                "--- mastodon-mock log (127.0.0.1:{}) ---\n{}--- end of log ---",
                self.port,
                self.log()
            );
        }
    }
}

/// A fault rule for `/api/v1/_mock/faults`: which requests it matches (all, unless narrowed
/// by [`Fault::method`]) and what they get instead of the real answer. Rules fire forever
/// unless given [`Fault::times`]; the first matching rule wins.
#[derive(Clone, Debug)]
pub struct Fault(pub Value);

impl Fault {
    fn new(path: &str, effect: Value) -> Fault {
        // A `*` makes the path a glob (fnmatch); otherwise it must be equal.
        Fault(json!({ "match": { "path": path }, "effect": effect }))
    }

    /// 429 with `Retry-After: 300` and `X-RateLimit-Limit/Remaining/Reset` (Reset in Unix
    /// seconds, unlike real Mastodon's ISO 8601: override it with [`Fault::header`]).
    pub fn rate_limit(path: &str) -> Fault {
        Fault::new(path, json!({ "type": "ratelimit" }))
    }

    /// The given status with a Mastodon-shaped `{"error": ...}` body.
    pub fn status(path: &str, status: u16) -> Fault {
        Fault::new(path, json!({ "type": "status", "status": status }))
    }

    /// The real answer, `ms` milliseconds late.
    pub fn latency(path: &str, ms: u64) -> Fault {
        Fault::new(path, json!({ "type": "latency", "delay_ms": ms }))
    }

    /// 200 with a truncated JSON body (`{"error": "truncated`).
    pub fn malformed(path: &str) -> Fault {
        Fault::new(path, json!({ "type": "malformed" }))
    }

    /// Holds the request for 30 s (or `ms`, if longer) before answering: for client timeouts.
    pub fn hang(path: &str, ms: u64) -> Fault {
        Fault::new(path, json!({ "type": "timeout", "delay_ms": ms }))
    }

    /// Matches only this HTTP method (may be given several times).
    pub fn method(mut self, method: &str) -> Fault {
        let methods = self.0["match"]
            .as_object_mut()
            .unwrap()
            .entry("methods")
            .or_insert_with(|| json!([]));
        methods.as_array_mut().unwrap().push(json!(method));
        self
    }

    /// Fires for the next `n` matching requests only.
    pub fn times(mut self, n: u32) -> Fault {
        self.0["count"] = json!(n);
        self
    }

    /// Adds (or overrides) a response header of the fault.
    pub fn header(mut self, name: &str, value: &str) -> Fault {
        let effect = self.0["effect"].as_object_mut().unwrap();
        let headers = effect.entry("headers").or_insert_with(|| json!({}));
        headers[name] = json!(value);
        self
    }

    /// Replaces the response body of a `status` or `rate_limit` fault.
    pub fn body(mut self, body: Value) -> Fault {
        self.0["effect"]["body"] = body;
        self
    }
}

/// Runs the install step (fast when the virtualenv is there); panics with its output if it
/// fails.
fn install() {
    let out = Command::new(script())
        .arg("install")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", script().display()));
    assert!(
        out.status.success(),
        "{} install failed ({}):\n{}{}",
        script().display(),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn log_of(dir: &Path) -> String {
    fs::read_to_string(dir.join("server.log")).unwrap_or_default()
}

/// Waits until `GET /api/v1/instance` answers 200 (a plain HTTP/1.0 exchange, so this needs no
/// runtime); why not if the server exits or stays silent.
fn wait_ready(child: &mut Child, port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("exited: {status}"));
        }
        if let Ok(mut stream) = TcpStream::connect(SocketAddrV4::new(LOOPBACK, port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let request = "GET /api/v1/instance HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
            let mut answer = Vec::new();
            if stream.write_all(request.as_bytes()).is_ok()
                && stream.read_to_end(&mut answer).is_ok()
                && answer.starts_with(b"HTTP/1.1 200")
            {
                return Ok(());
            }
        }
        if Instant::now() > deadline {
            return Err("no answer within 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A port free on 127.0.0.1 right now.
fn free_port() -> u16 {
    TcpListener::bind(SocketAddrV4::new(LOOPBACK, 0))
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

fn str_field(value: &Value, name: &str) -> String {
    value[name]
        .as_str()
        .unwrap_or_else(|| panic!("no string {name:?} in {value}"))
        .to_string()
}
