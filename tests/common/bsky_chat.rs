//! A loopback Bluesky chat service for the DM tests (tests/servers/BLUESKY_CHAT.md): an
//! in-process HTTP server on 127.0.0.1 (a free port) implementing the eight
//! `chat.bsky.convo.*` methods of `../shared/fixtures/bluesky/lexicons/chat.bsky.convo/`
//! (loaded in place at start) with real state: accounts, direct convos, messages, and a log
//! per account whose entries carry sortable revs (TIDs).
//!
//! Every request is checked against the lexicons before it is served: the method exists
//! (else 501 `MethodNotImplemented`), GET for a query and POST for a procedure, the query
//! parameters and the JSON body match their schemas; then `Authorization: Bearer` must be a
//! token this server issued and `atproto-proxy` the chat service's. Refusals are XRPC
//! errors, `{"error": NAME, "message": ...}`. Every answer is checked against the method's
//! output schema too: one that breaks it is answered 500 and recorded, and the server
//! panics when dropped (in debug builds), so the test fails.
//!
//! Tests drive it through [`ChatServer`]'s own methods: accounts, convos, messages sent
//! as a member, deletions, raw log entries, and faults for the next call of a method
//! ([`Fault`]). Tasks run on the test's tokio runtime; the server stops with it or when
//! dropped.

pub mod lexicon;
mod methods;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, SecondsFormat, Utc};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

pub use lexicon::{Lexicons, MethodKind};

/// The `atproto-proxy` value a client must send (what Bluesky's clients send).
pub const PROXY: &str = "did:web:api.bsky.chat#bsky_chat";
/// `getLog` entries per page, unless [`ChatServer::set_log_page`] says otherwise.
pub const LOG_PAGE: usize = 100;

const DEFS: &str = "chat.bsky.convo.defs";

/// Where the lexicons are read from.
pub fn lexicon_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/bluesky/lexicons/chat.bsky.convo")
}

/// The chat lexicons, plus a stand-in for the one def of `chat.bsky.actor.defs` they use
/// most (`profileViewBasic`, which is not among the fixtures): its required fields and
/// limits as Bluesky publishes them, so the profiles this server hands out are checked too.
pub fn chat_lexicons() -> Lexicons {
    let mut lexicons = Lexicons::load(&lexicon_dir());
    lexicons.add(json!({
        "lexicon": 1,
        "id": "chat.bsky.actor.defs",
        "defs": {
            "profileViewBasic": {
                "type": "object",
                "required": ["did", "handle"],
                "properties": {
                    "did": {"type": "string", "format": "did"},
                    "handle": {"type": "string", "format": "handle"},
                    "displayName": {"type": "string", "maxGraphemes": 64, "maxLength": 640},
                    "avatar": {"type": "string", "format": "uri"},
                    "chatDisabled": {"type": "boolean"}
                }
            }
        }
    }));
    lexicons
}

/// An account of the chat service and the token this server issued for it.
#[derive(Clone, Debug)]
pub struct Account {
    pub did: String,
    pub handle: String,
    pub display_name: String,
    pub token: String,
}

/// A fault for the next call of a method.
#[derive(Clone, Debug)]
pub enum Fault {
    /// 500, not processed.
    ServerError,
    /// 429 with `RateLimit-*` (remaining 0, reset in `retry_after` seconds) and
    /// `Retry-After`, not processed.
    RateLimited { retry_after: u64 },
    /// 200 with a cut-off JSON body, not processed.
    Malformed,
    /// Processed, then answered 500: the call's effect happened, its answer was lost.
    FailAfterProcessing,
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub nsid: String,
    pub query: String,
    pub status: u16,
}

/// The running server. Dropping it stops accepting and, in a debug build, fails the test
/// if any answer broke the lexicons.
pub struct ChatServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

struct Shared {
    lexicons: Lexicons,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    accounts: BTreeMap<String, Account>,
    tokens: HashMap<String, String>,
    convos: BTreeMap<String, Convo>,
    /// Per account (DID): its log, oldest first.
    logs: HashMap<String, Vec<LogRec>>,
    last_tid: u64,
    faults: VecDeque<(String, Fault)>,
    seen: Vec<Seen>,
    violations: Vec<String>,
    log_page: usize,
    /// Accounts of a real PDS (`adopt`): their session JWTs are taken by their subject.
    adopted: std::collections::HashSet<String>,
}

impl State {
    /// Whose call this is: a token this server issued, or a JWT of an adopted account.
    fn viewer_of(&self, token: &str) -> Option<String> {
        if let Some(did) = self.tokens.get(token) {
            return Some(did.clone());
        }
        let sub = jwt_subject(token)?;
        self.adopted.contains(&sub).then_some(sub)
    }
}

/// The `sub` claim of a JWT (its signature is not checked: see `ChatServer::adopt`).
fn jwt_subject(token: &str) -> Option<String> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("sub")?.as_str().map(str::to_string)
}

struct Convo {
    id: String,
    rev: String,
    members: Vec<String>,
    messages: Vec<Msg>,
    /// Per member: the rev of the last message read.
    read: HashMap<String, String>,
}

#[derive(Clone)]
struct Msg {
    id: String,
    rev: String,
    text: String,
    sender: String,
    sent_at: DateTime<Utc>,
    deleted: bool,
    reply_to: Option<String>,
}

struct LogRec {
    rev: String,
    event: Event,
}

enum Event {
    Begin { convo: String },
    Create { convo: String, message: String },
    Delete { convo: String, message: String },
    Read { convo: String },
    Raw(Value),
}

/// An XRPC error answer.
#[derive(Debug)]
struct XrpcError {
    status: StatusCode,
    error: &'static str,
    message: String,
}

fn invalid(message: impl Into<String>) -> XrpcError {
    XrpcError {
        status: StatusCode::BAD_REQUEST,
        error: "InvalidRequest",
        message: message.into(),
    }
}

fn invalid_convo() -> XrpcError {
    XrpcError {
        status: StatusCode::BAD_REQUEST,
        error: "InvalidConvo",
        message: "Convo not found".into(),
    }
}

impl ChatServer {
    /// Loads the lexicons and starts listening on 127.0.0.1 and a free port.
    pub async fn start() -> ChatServer {
        let shared = Arc::new(Shared {
            lexicons: chat_lexicons(),
            state: Mutex::new(State {
                log_page: LOG_PAGE,
                ..State::default()
            }),
        });
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let serving = shared.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let shared = serving.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(shared.handle(request).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        ChatServer { addr, shared, task }
    }

    /// `http://127.0.0.1:PORT`: the `chat_api_base` to give the client.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }

    /// A new account `NAME.test` with a `did:plc:` DID and a token.
    pub fn account(&self, name: &str) -> Account {
        let mut state = self.state();
        let n = state.accounts.len();
        let did = format!("did:plc:{}", plc_id(name, n));
        let token = format!("chat-token-{n}-{:016x}", rand::random::<u64>());
        let account = Account {
            did: did.clone(),
            handle: format!("{name}.test"),
            display_name: capitalized(name),
            token: token.clone(),
        };
        state.tokens.insert(token, did.clone());
        state.accounts.insert(did, account.clone());
        account
    }

    /// An account of a real PDS (the dev-env network): calls carrying one of its session
    /// JWTs are taken as its own. The real chat service checks a service token the PDS
    /// signed; this server only reads the subject (`sub`) of the JWT, which is enough to
    /// test a client that must send the session's current token.
    pub fn adopt(&self, did: &str, handle: &str) -> Account {
        let mut state = self.state();
        let account = Account {
            did: did.to_string(),
            handle: handle.to_string(),
            display_name: handle
                .split('.')
                .next()
                .map(capitalized)
                .unwrap_or_default(),
            token: String::new(),
        };
        state.adopted.insert(did.to_string());
        state.accounts.insert(did.to_string(), account.clone());
        account
    }

    /// Starts (or finds) the direct convo between two accounts; its id.
    pub fn start_convo(&self, a: &Account, b: &Account) -> String {
        self.state()
            .convo_for(&[a.did.clone(), b.did.clone()])
            .expect("two known accounts")
    }

    /// Sends a message as `from` (a member); its id.
    pub fn send(&self, from: &Account, convo_id: &str, text: &str) -> String {
        let mut state = self.state();
        let msg = state
            .create_message(&from.did, convo_id, text, None)
            .unwrap_or_else(|e| panic!("send: {}", e.message));
        msg.id
    }

    /// Deletes a message for everyone (as a moderator would): its views become
    /// `#deletedMessageView` and every member's log gets a `#logDeleteMessage`.
    pub fn delete(&self, convo_id: &str, message_id: &str) {
        let mut state = self.state();
        let members = {
            let convo = state.convos.get_mut(convo_id).expect("convo");
            let msg = convo
                .messages
                .iter_mut()
                .find(|m| m.id == message_id)
                .expect("message");
            msg.deleted = true;
            convo.members.clone()
        };
        let rev = state.tid();
        for member in members {
            state.log(
                &member,
                &rev,
                Event::Delete {
                    convo: convo_id.into(),
                    message: message_id.into(),
                },
            );
        }
    }

    /// Appends a raw entry (a kind clients may not know) to an account's log; its rev.
    pub fn push_log(&self, viewer: &Account, mut entry: Value) -> String {
        let mut state = self.state();
        let rev = state.tid();
        entry["rev"] = json!(rev);
        state.log(&viewer.did, &rev, Event::Raw(entry));
        rev
    }

    /// The next call of `nsid` (`chat.bsky.convo.getLog`) meets `fault`.
    pub fn inject(&self, nsid: &str, fault: Fault) {
        self.state().faults.push_back((nsid.to_string(), fault));
    }

    /// `getLog` entries per page from now on.
    pub fn set_log_page(&self, entries: usize) {
        self.state().log_page = entries.max(1);
    }

    /// The messages of a convo, oldest first: (sender DID, text, deleted).
    pub fn messages(&self, convo_id: &str) -> Vec<(String, String, bool)> {
        self.state().convos[convo_id]
            .messages
            .iter()
            .map(|m| (m.sender.clone(), m.text.clone(), m.deleted))
            .collect()
    }

    /// The requests served so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state().seen.clone()
    }

    /// How many calls of `nsid` were answered with `status`.
    pub fn calls(&self, nsid: &str, status: u16) -> usize {
        self.state()
            .seen
            .iter()
            .filter(|s| s.nsid == nsid && s.status == status)
            .count()
    }

    /// Answers that broke the lexicons (should stay empty).
    pub fn violations(&self) -> Vec<String> {
        self.state().violations.clone()
    }

    /// The lexicons the server holds requests and answers to.
    pub fn lexicons(&self) -> &Lexicons {
        &self.shared.lexicons
    }
}

impl Drop for ChatServer {
    fn drop(&mut self) {
        self.task.abort();
        let violations = self.violations();
        if cfg!(debug_assertions) && !violations.is_empty() && !std::thread::panicking() {
            panic!(
                "the loopback chat server answered outside the lexicons:\n{}",
                violations.join("\n")
            );
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn handle(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let method = request.method().as_str().to_string();
        let path = request.uri().path().to_string();
        let query = request.uri().query().unwrap_or("").to_string();
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (authorization, proxy, content_type) = (
            header("authorization"),
            header("atproto-proxy"),
            header("content-type"),
        );
        let body = match request.into_body().collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => Bytes::new(),
        };
        let nsid = path.strip_prefix("/xrpc/").unwrap_or("").to_string();
        let response = self.serve(
            &method,
            &nsid,
            &query,
            authorization.as_deref(),
            proxy.as_deref(),
            content_type.as_deref(),
            &body,
        );
        self.lock().seen.push(Seen {
            method,
            nsid,
            query,
            status: response.status().as_u16(),
        });
        response
    }

    #[allow(clippy::too_many_arguments)]
    fn serve(
        &self,
        method: &str,
        nsid: &str,
        query: &str,
        authorization: Option<&str>,
        proxy: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Response<Full<Bytes>> {
        let Some(kind) = self.lexicons.method(nsid) else {
            return error(XrpcError {
                status: StatusCode::NOT_IMPLEMENTED,
                error: "MethodNotImplemented",
                message: format!("Method Not Implemented: {nsid}"),
            });
        };
        if method != kind.http_method() {
            return error(invalid(format!(
                "Incorrect HTTP method ({method}) expected {}",
                kind.http_method()
            )));
        }
        let viewer = match authorization.and_then(|a| a.strip_prefix("Bearer ")) {
            None => {
                return error(XrpcError {
                    status: StatusCode::UNAUTHORIZED,
                    error: "AuthenticationRequired",
                    message: "Authentication Required".into(),
                })
            }
            Some(token) => match self.lock().viewer_of(token) {
                Some(did) => did,
                None => {
                    return error(XrpcError {
                        status: StatusCode::UNAUTHORIZED,
                        error: "InvalidToken",
                        message: "Token could not be verified".into(),
                    })
                }
            },
        };
        if proxy != Some(PROXY) {
            return error(invalid(format!(
                "the atproto-proxy header must be {PROXY} (got {proxy:?})"
            )));
        }

        let fault = {
            let mut state = self.lock();
            let at = state.faults.iter().position(|(n, _)| n == nsid);
            at.and_then(|i| state.faults.remove(i)).map(|(_, f)| f)
        };
        match fault {
            Some(Fault::ServerError) => {
                return error(XrpcError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    error: "InternalServerError",
                    message: "Internal Server Error".into(),
                })
            }
            Some(Fault::RateLimited { retry_after }) => return rate_limited(retry_after),
            Some(Fault::Malformed) => {
                return Response::builder()
                    .status(StatusCode::OK)
                    .header("content-type", "application/json; charset=utf-8")
                    .body(Full::new(Bytes::from_static(
                        b"{\"logs\": [{\"$type\": \"chat.bs",
                    )))
                    .expect("response")
            }
            Some(Fault::FailAfterProcessing) | None => {}
        }

        let params: Vec<(String, String)> = reqwest::Url::parse(&format!("http://x/?{query}"))
            .map(|u| u.query_pairs().into_owned().collect())
            .unwrap_or_default();
        if let Err(e) = self.lexicons.check_params(nsid, &params) {
            return error(invalid(e));
        }
        let input = match kind {
            MethodKind::Query if !body.is_empty() => {
                return error(invalid("a query takes no body"));
            }
            MethodKind::Query => Value::Null,
            MethodKind::Procedure => {
                if !content_type.is_some_and(|t| t.starts_with("application/json")) {
                    return error(invalid(format!(
                        "Wrong request encoding (Content-Type): {content_type:?}"
                    )));
                }
                let Ok(input) = serde_json::from_slice::<Value>(body) else {
                    return error(invalid("the body is not JSON"));
                };
                if let Err(e) = self.lexicons.check_input(nsid, &input) {
                    return error(invalid(e));
                }
                input
            }
        };

        let output = {
            let mut state = self.lock();
            state.call(nsid, &viewer, &Params(params), &input)
        };
        let output = match output {
            Ok(output) => output,
            Err(e) => return error(e),
        };
        if let Err(violation) = self.lexicons.check_output(nsid, &output) {
            let violation = format!("{nsid}: {violation}\n  answer: {output}");
            eprintln!("loopback chat server: an answer broke the lexicon: {violation}");
            self.lock().violations.push(violation.clone());
            return error(XrpcError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                error: "InternalServerError",
                message: format!("the answer broke the lexicon: {violation}"),
            });
        }
        if matches!(fault, Some(Fault::FailAfterProcessing)) {
            return error(XrpcError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                error: "InternalServerError",
                message: "Internal Server Error".into(),
            });
        }
        json_response(StatusCode::OK, &output)
    }
}

/// Query parameters, by name.
struct Params(Vec<(String, String)>);

impl Params {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn limit(&self) -> usize {
        self.get("limit").and_then(|l| l.parse().ok()).unwrap_or(50)
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json; charset=utf-8")
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("response")
}

fn error(e: XrpcError) -> Response<Full<Bytes>> {
    json_response(e.status, &json!({ "error": e.error, "message": e.message }))
}

fn rate_limited(retry_after: u64) -> Response<Full<Bytes>> {
    let reset = Utc::now().timestamp() as u64 + retry_after;
    Response::builder()
        .status(StatusCode::TOO_MANY_REQUESTS)
        .header("content-type", "application/json; charset=utf-8")
        .header("ratelimit-limit", "3000")
        .header("ratelimit-remaining", "0")
        .header("ratelimit-reset", reset.to_string())
        .header("ratelimit-policy", "3000;w=300")
        .header("retry-after", retry_after.to_string())
        .body(Full::new(Bytes::from(
            json!({"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}).to_string(),
        )))
        .expect("response")
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

const BASE32_SORTABLE: &[u8] = b"234567abcdefghijklmnopqrstuvwxyz";

/// A TID: 13 base32-sortable characters of microseconds (53 bits) and a clock id of 0.
pub fn tid(micros: u64) -> String {
    let value = (micros & ((1 << 53) - 1)) << 10;
    (0..13)
        .rev()
        .map(|i| BASE32_SORTABLE[((value >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// 24 base32 characters, as a `did:plc:` has, from a name and a counter.
fn plc_id(name: &str, n: usize) -> String {
    let alphabet = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut seed = name.bytes().fold(n as u64 ^ 0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    (0..24)
        .map(|_| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            alphabet[(seed >> 59) as usize] as char
        })
        .collect()
}

fn capitalized(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
