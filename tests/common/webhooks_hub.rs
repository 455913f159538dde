//! An in-process hub for the webhook endpoint's tests: one counting connector per account
//! (Facebook, Instagram, X), each polled once an hour, its background sync running, and the
//! endpoint listening on 127.0.0.1 and a free port. Signatures are computed here with an
//! HMAC-SHA256 written out from SHA-256 (RFC 2104), not with the code under test.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use switchboard::config::Config;
use switchboard::connectors::{
    BoxFuture, Connector, ConnectorError, Connectors, Delivered, Moderation, Page, ReplyRequest,
};
use switchboard::hub::sync::Platforms;
use switchboard::hub::webhooks::{self, WebhookServer};
use switchboard::hub::Hub;
use switchboard::model::{Item, NewItem, Platform};
use switchboard::store::{SledStore, Store};

pub const APP_SECRET: &str = "meta-app-s3cret";
pub const VERIFY_TOKEN: &str = "verify-me-please";
pub const CONSUMER_SECRET: &str = "x-consumer-s3cret";

/// The accounts: a Page, an Instagram account and an X user, polled hourly.
pub const ACCOUNTS: &str = r#"
[[accounts]]
name = "acme-fb"
platform = "facebook"
page_id = "1234567890"
poll_interval = 3600
streaming = false

[[accounts]]
name = "acme-ig"
platform = "instagram"
ig_user_id = "17841400000000000"
poll_interval = 3600
streaming = false

[[accounts]]
name = "acme-x"
platform = "x"
user_id = "2244994945"
poll_interval = 3600
streaming = false
"#;

/// A `[webhooks]` section on a free port with both routes.
pub fn full_section() -> String {
    format!(
        "[webhooks]\nlisten = \"127.0.0.1:0\"\nmeta_app_secret = \"{APP_SECRET}\"\n\
         meta_verify_token = \"{VERIFY_TOKEN}\"\nx_consumer_secret = \"{CONSUMER_SECRET}\"\n"
    )
}

/// A connector that counts `fetch_new` calls and answers each with `answer` (empty pages).
pub struct Counting {
    account: String,
    platform: Platform,
    calls: AtomicUsize,
    answer: Mutex<Option<ConnectorError>>,
}

impl Counting {
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// Every later `fetch_new` fails with `error`.
    pub fn fail_with(&self, error: ConnectorError) {
        *self.answer.lock().unwrap() = Some(error);
    }
}

impl Connector for Counting {
    fn account(&self) -> &str {
        &self.account
    }

    fn platform(&self) -> Platform {
        self.platform.clone()
    }

    fn fetch_new<'a>(
        &'a self,
        _cursor: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Page, ConnectorError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let answer = self.answer.lock().unwrap().clone();
        Box::pin(async move { answer.map_or_else(|| Ok(Page::default()), Err) })
    }

    fn fetch_thread<'a>(
        &'a self,
        _: &'a Item,
    ) -> BoxFuture<'a, Result<Vec<NewItem>, ConnectorError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn send_reply<'a>(
        &'a self,
        _: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Delivered, ConnectorError>> {
        Box::pin(async { Err(ConnectorError::Refused("not in this test".into())) })
    }

    fn find_sent<'a>(
        &'a self,
        _: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Option<Delivered>, ConnectorError>> {
        Box::pin(async { Ok(None) })
    }

    fn moderate<'a>(
        &'a self,
        _: &'a Item,
        _: &'a Moderation,
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(async { Ok(()) })
    }
}

/// The hub, its accounts' connectors, their sync loops and the endpoint.
pub struct WebhookHub {
    _dir: tempfile::TempDir,
    pub hub: Arc<Hub>,
    pub fb: Arc<Counting>,
    pub ig: Arc<Counting>,
    pub x: Arc<Counting>,
    pub server: Option<WebhookServer>,
    _sync: Vec<tokio::task::JoinHandle<()>>,
    pub http: reqwest::Client,
}

impl Drop for WebhookHub {
    fn drop(&mut self) {
        for task in &self._sync {
            task.abort();
        }
    }
}

/// A hub with [`ACCOUNTS`] and `webhooks` (a `[webhooks]` section, or nothing), every
/// account past its first pass.
pub async fn start(webhooks: &str) -> WebhookHub {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::parse(Path::new("config.toml"), &format!("{ACCOUNTS}{webhooks}")).unwrap();
    let store: Arc<dyn Store> = Arc::new(SledStore::open(&dir.path().join("store")).unwrap());
    let hub = Arc::new(Hub::new(store, "test").with_config(config.clone()));
    let counting = |account: &str, platform| {
        Arc::new(Counting {
            account: account.into(),
            platform,
            calls: AtomicUsize::new(0),
            answer: Mutex::new(None),
        })
    };
    let (fb, ig, x) = (
        counting("acme-fb", Platform::Facebook),
        counting("acme-ig", Platform::Instagram),
        counting("acme-x", Platform::X),
    );
    let mut connectors = Connectors::default();
    for connector in [&fb, &ig, &x] {
        connectors.add(Arc::clone(connector) as Arc<dyn Connector>);
    }
    hub.install_platforms(Platforms::of(connectors));
    let sync = switchboard::hub::sync::start(&hub, &config);
    let server = webhooks::start(&hub, &config).expect("the endpoint starts");
    for account in [&fb, &ig, &x] {
        wait_until(Duration::from_secs(5), || account.calls() == 1).await;
    }
    WebhookHub {
        _dir: dir,
        hub,
        fb,
        ig,
        x,
        server,
        _sync: sync,
        http: reqwest::Client::new(),
    }
}

impl WebhookHub {
    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        let addr = self.server.as_ref().expect("an endpoint").addr();
        format!("http://{addr}{path}")
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let answer = self.http.get(self.url(path)).send().await.unwrap();
        (answer.status().as_u16(), answer.text().await.unwrap())
    }

    /// POSTs `body` with the header `name: value` (when given).
    pub async fn post(&self, path: &str, header: Option<(&str, String)>, body: &[u8]) -> u16 {
        let mut request = self.http.post(self.url(path)).body(body.to_vec());
        if let Some((name, value)) = header {
            request = request.header(name, value);
        }
        request.send().await.unwrap().status().as_u16()
    }

    /// The endpoint's counters as the hub reports them.
    pub fn status(&self) -> webhooks::WebhookStatus {
        self.hub
            .webhook_status()
            .expect("the hub reports its endpoint")
    }
}

/// Waits up to `limit` for `done`; false when it never came.
pub async fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while !done() {
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    true
}

/// HMAC-SHA256 (RFC 2104) from SHA-256.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    use ring::digest::{digest, SHA256};
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(digest(&SHA256, key).as_ref());
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|k| k ^ byte).collect::<Vec<u8>>();
    let inner = digest(&SHA256, &[pad(0x36), message.to_vec()].concat());
    digest(&SHA256, &[pad(0x5c), inner.as_ref().to_vec()].concat())
        .as_ref()
        .to_vec()
}

/// `sha256=<hex>`: Meta's `X-Hub-Signature-256`.
pub fn meta_signature(secret: &str, body: &[u8]) -> String {
    let hex: String = hmac_sha256(secret.as_bytes(), body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

/// `sha256=<base64>`: X's signature and CRC token.
pub fn x_signature(secret: &str, body: &[u8]) -> String {
    let tag = hmac_sha256(secret.as_bytes(), body);
    format!(
        "sha256={}",
        base64::engine::general_purpose::STANDARD.encode(tag)
    )
}

/// A Meta delivery about `ids` of `object`.
pub fn meta_body(object: &str, ids: &[&str]) -> Vec<u8> {
    let entries: Vec<serde_json::Value> = ids
        .iter()
        .map(|id| serde_json::json!({"id": id, "time": 1_700_000_000, "changes": [{"field": "feed"}]}))
        .collect();
    serde_json::json!({"object": object, "entry": entries})
        .to_string()
        .into_bytes()
}
