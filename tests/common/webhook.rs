//! A loopback webhook receiver for the notification tests (a [`LoopbackServer`]), recording
//! the method, path, headers and body of every request it gets. It answers 200 unless told
//! otherwise: the next requests answered with a status
//! ([`WebhookReceiver::answer_next`]), or every request left hanging, never answered
//! ([`WebhookReceiver::hang`]). Stopped when dropped.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};

use super::loopback::LoopbackServer;

/// One request as the receiver got it.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Header names lower-case, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON (panics when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

#[derive(Default)]
struct State {
    received: Vec<Received>,
    /// Statuses for the next requests, in order; 200 once empty.
    next: VecDeque<u16>,
    hang: bool,
}

/// A running receiver.
pub struct WebhookReceiver {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    _server: LoopbackServer,
}

impl WebhookReceiver {
    /// Binds 127.0.0.1 on a free port and serves until dropped.
    pub fn start() -> WebhookReceiver {
        let state = Arc::new(Mutex::new(State::default()));
        let serving = Arc::clone(&state);
        let server = LoopbackServer::start(move |request| {
            let state = Arc::clone(&serving);
            async move { handle(&state, request).await }
        });
        WebhookReceiver {
            addr: server.addr,
            state,
            _server: server,
        }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Answers the next requests with these statuses, in order (then 200 again).
    pub fn answer_next(&self, statuses: &[u16]) {
        self.lock().next.extend(statuses);
    }

    /// Forgets the statuses not used yet: 200 from now on.
    pub fn clear_answers(&self) {
        self.lock().next.clear();
    }

    /// Leaves every request from now on unanswered (`false`: answer again).
    pub fn hang(&self, hang: bool) {
        self.lock().hang = hang;
    }

    /// Every request so far.
    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    /// Waits until at least `count` requests arrived; panics after `timeout`.
    pub fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "the webhook receiver got {} requests in {timeout:?}, not {count}: {received:?}",
                received.len()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

async fn handle(state: &Mutex<State>, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
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
    let (hang, status) = {
        let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
        state.received.push(Received {
            method,
            path,
            headers,
            body,
        });
        let status = if state.hang {
            0
        } else {
            state.next.pop_front().unwrap_or(200)
        };
        (state.hang, status)
    };
    if hang {
        std::future::pending::<()>().await;
    }
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let text = if status.is_success() {
        "ok"
    } else {
        "receiver told to fail"
    };
    Response::builder()
        .status(status)
        .body(Full::new(Bytes::from(text)))
        .expect("response")
}
