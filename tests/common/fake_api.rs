//! A loopback stand-in for a platform's HTTP API, for the connector tests of X, Facebook,
//! Instagram and YouTube (platforms with no open server to run): a [`LoopbackServer`] that
//! hands every request to a handler the test writes (usually one that replays a recorded real response from
//! `../shared/fixtures/`, read in place, and keeps the little state a test needs), and records
//! every request for the test to check endpoints and bodies. Stopped when dropped.
//!
//! [`fixture`] reads a recorded exchange; [`Reply::recorded`] answers with its status,
//! headers and body, every absolute URL of the real hosts in the body rewritten to this
//! server (a test never follows a URL off the machine).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Response, StatusCode};
use serde_json::Value;

use super::loopback::LoopbackServer;

/// The real hosts whose URLs recorded bodies hold.
const REAL_HOSTS: [&str; 6] = [
    "https://api.twitter.com",
    "https://api.x.com",
    "https://graph.facebook.com",
    "https://graph.instagram.com",
    "https://www.googleapis.com",
    "https://youtube.googleapis.com",
];

/// One request as the server got it.
#[derive(Clone, Debug)]
pub struct ApiRequest {
    pub method: String,
    pub path: String,
    /// Query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// Header names lower-case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl ApiRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (panics when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} {}: body is not JSON ({e}): {}",
                self.method,
                self.path,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// A form-encoded body (`application/x-www-form-urlencoded`), decoded.
    pub fn form(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(&self.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// `METHOD /path`.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// What the handler answers.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: &Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: serde_json::to_vec(body).expect("JSON"),
        }
    }

    /// 404 with a short JSON body naming the request (an endpoint the test did not expect).
    pub fn not_found(request: &ApiRequest) -> Reply {
        Reply::json(
            404,
            &serde_json::json!({"error": format!("no route for {}", request.line())}),
        )
    }

    /// The recorded response of `exchange` (from [`fixture`]): its status, headers and
    /// body, the real hosts' URLs in the body pointed at `base` (this server).
    pub fn recorded(exchange: &Value, base: &str) -> Reply {
        let response = &exchange["response"];
        let body = rewrite_urls(&response["body"], base);
        let headers = response["headers"]
            .as_object()
            .map(|h| {
                h.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        Reply {
            status: response["status"].as_u64().unwrap_or(200) as u16,
            headers,
            body: serde_json::to_vec(&body).expect("JSON"),
        }
    }

    /// The same answer with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// The handler: every request, in order of arrival (called under the server's lock, so a
/// handler may keep state in a `Mutex` without racing itself).
pub type Handler = Box<dyn FnMut(&ApiRequest) -> Reply + Send>;

struct State {
    received: Vec<ApiRequest>,
    handler: Handler,
}

/// A running fake API.
pub struct FakeApi {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    _server: LoopbackServer,
}

impl FakeApi {
    /// Binds 127.0.0.1 on a free port and serves `handler` until dropped.
    pub fn start(handler: impl FnMut(&ApiRequest) -> Reply + Send + 'static) -> FakeApi {
        let state = Arc::new(Mutex::new(State {
            received: Vec::new(),
            handler: Box::new(handler),
        }));
        let serving = Arc::clone(&state);
        let server = LoopbackServer::start(move |request| {
            let state = Arc::clone(&serving);
            async move { handle(&state, request).await }
        });
        FakeApi {
            addr: server.addr,
            state,
            _server: server,
        }
    }

    /// `http://127.0.0.1:PORT`: an account's `api_base`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Replaces the handler (a test moving to its next scene).
    pub fn set_handler(&self, handler: impl FnMut(&ApiRequest) -> Reply + Send + 'static) {
        self.lock().handler = Box::new(handler);
    }

    /// Every request so far.
    pub fn received(&self) -> Vec<ApiRequest> {
        self.lock().received.clone()
    }

    /// The requests so far whose `METHOD /path` is `line`.
    pub fn received_at(&self, method: &str, path: &str) -> Vec<ApiRequest> {
        self.received()
            .into_iter()
            .filter(|r| r.method == method && r.path == path)
            .collect()
    }

    /// Forgets the requests so far.
    pub fn clear(&self) {
        self.lock().received.clear();
    }

    /// Waits until a request matching `wanted` arrived; panics after `timeout`.
    pub fn wait_for(&self, timeout: Duration, wanted: impl Fn(&ApiRequest) -> bool) -> ApiRequest {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(found) = self.received().into_iter().find(|r| wanted(r)) {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "no such request in {timeout:?}; got: {:?}",
                self.received()
                    .iter()
                    .map(ApiRequest::line)
                    .collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

async fn handle(state: &Mutex<State>, request: hyper::Request<Incoming>) -> Response<Full<Bytes>> {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let query = request
        .uri()
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let headers = request
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into(),
            )
        })
        .collect();
    let body = match request.into_body().collect().await {
        Ok(body) => body.to_bytes().to_vec(),
        Err(_) => Vec::new(),
    };
    let received = ApiRequest {
        method,
        path,
        query,
        headers,
        body,
    };
    let reply = {
        let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
        state.received.push(received.clone());
        (state.handler)(&received)
    };
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            hyper::header::HeaderValue::from_str(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// `../shared/fixtures/{platform}`, in place.
pub fn fixtures_dir(platform: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures")
        .join(platform)
}

/// A recorded exchange: `fixture("x", "mentions-01.json")`.
pub fn fixture(platform: &str, file: &str) -> Value {
    let path = fixtures_dir(platform).join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The recorded response body of an exchange.
pub fn fixture_body(platform: &str, file: &str) -> Value {
    fixture(platform, file)["response"]["body"].clone()
}

/// `value` with every string starting with a real host's URL pointed at `base` instead.
pub fn rewrite_urls(value: &Value, base: &str) -> Value {
    match value {
        Value::String(s) => {
            let host = REAL_HOSTS.iter().find(|h| s.starts_with(*h));
            match host {
                Some(host) => Value::String(format!("{base}{}", &s[host.len()..])),
                None => value.clone(),
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| rewrite_urls(v, base)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), rewrite_urls(v, base)))
                .collect(),
        ),
        other => other.clone(),
    }
}
