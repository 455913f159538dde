//! [`HttpClient`]: the one way a connector talks to its platform. It owns what every
//! platform needs the same way:
//!
//! - the account's `api_base` is the only origin it calls (a URL from a payload, such as a
//!   `Link` next page, is refused when it points elsewhere: see [`super::paging`]);
//! - a timeout on every call, and retries with full-jitter backoff for what is worth retrying
//!   (connection errors, timeouts, 5xx) when the call is safe to repeat;
//! - the platform's rate-limit signals: a short wait is taken in place, a long one comes back
//!   as [`ConnectorError::RateLimited`] so the account shows "rate-limited until T"; an
//!   announced empty budget holds the next call until its reset;
//! - errors that name the call and the platform's reason, cut short and stripped of control
//!   characters (platform text is untrusted), and never a secret;
//! - a count of the requests made (the sync bench reports it);
//! - long-lived answers (a push stream) opened with the same rules but no total timeout,
//!   only an idle one ([`HttpClient::open_stream`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;

use super::{same_origin, Backoff, RateLimit};
use crate::connectors::credentials::Secret;
use crate::connectors::ConnectorError;

/// How long one call may take, unless the account says otherwise (`timeout` in seconds).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Rate-limit waits up to this long are taken in place; longer ones end the pass.
pub const DEFAULT_INLINE_WAIT: Duration = Duration::from_secs(15);
/// A push stream that sends nothing (not even a heartbeat) this long is taken as dead.
pub const DEFAULT_STREAM_IDLE: Duration = Duration::from_secs(90);
/// A 429 without any signal waits this long.
const FALLBACK_WAIT_SECS: i64 = 60;
/// The most of a platform's error body quoted in an error.
const MAX_REASON: usize = 300;

/// How a client is set up.
#[derive(Clone, Debug)]
pub struct HttpOptions {
    pub timeout: Duration,
    pub backoff: Backoff,
    pub inline_wait: Duration,
    /// How long a push stream may stay silent before it is dropped.
    pub stream_idle: Duration,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: DEFAULT_TIMEOUT,
            backoff: Backoff::default(),
            inline_wait: DEFAULT_INLINE_WAIT,
            stream_idle: DEFAULT_STREAM_IDLE,
        }
    }
}

/// One call to make.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: Method,
    /// A path under `api_base` (`/api/v1/notifications`) or an absolute URL on its origin.
    pub target: String,
    pub query: Vec<(String, String)>,
    pub json: Option<serde_json::Value>,
    pub headers: Vec<(HeaderName, String)>,
    pub bearer: Option<Secret>,
    /// Whether sending it twice is harmless (reads; writes with an idempotency key).
    pub repeatable: bool,
    /// Error statuses the caller reads as an answer (a 404 that means "already gone").
    pub accept: Vec<StatusCode>,
    /// Whether a 4xx other than 429 comes back as an [`Answer`] for the caller to read,
    /// instead of an error: for platforms whose error bodies carry a name the connector acts
    /// on (XRPC's `ExpiredToken`, `RecordNotFound`).
    pub client_errors: bool,
}

impl Call {
    pub fn get(target: impl Into<String>) -> Call {
        Call::new(Method::GET, target, true)
    }

    /// A write: not repeated unless [`Call::repeatable`] says it may be.
    pub fn post(target: impl Into<String>) -> Call {
        Call::new(Method::POST, target, false)
    }

    pub fn new(method: Method, target: impl Into<String>, repeatable: bool) -> Call {
        Call {
            method,
            target: target.into(),
            query: Vec::new(),
            json: None,
            headers: Vec::new(),
            bearer: None,
            repeatable,
            accept: Vec::new(),
            client_errors: false,
        }
    }

    pub fn query(mut self, key: &str, value: impl ToString) -> Call {
        self.query.push((key.to_string(), value.to_string()));
        self
    }

    pub fn json(mut self, body: serde_json::Value) -> Call {
        self.json = Some(body);
        self
    }

    pub fn header(mut self, name: HeaderName, value: impl Into<String>) -> Call {
        self.headers.push((name, value.into()));
        self
    }

    pub fn bearer(mut self, token: &Secret) -> Call {
        self.bearer = Some(token.clone());
        self
    }

    pub fn repeatable(mut self, repeatable: bool) -> Call {
        self.repeatable = repeatable;
        self
    }

    /// Takes an answer with this (error) status as an [`Answer`] instead of an error.
    pub fn accept(mut self, status: StatusCode) -> Call {
        self.accept.push(status);
        self
    }

    /// Hands 4xx answers (but 429) back as [`Answer`]s: see [`Call::client_errors`].
    pub fn answer_client_errors(mut self) -> Call {
        self.client_errors = true;
        self
    }

    fn describe(&self) -> String {
        let path = self.target.split('?').next().unwrap_or_default();
        format!("{} {path}", self.method)
    }
}

/// A successful (2xx) answer, or an error answer the call asked to read: a status it
/// [accepts](Call::accept), or any 4xx but 429 ([`Call::answer_client_errors`]).
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// What was called, for error messages.
    pub call: String,
}

impl Answer {
    /// The body as `T`; a body that does not parse is a [`ConnectorError::Transient`]
    /// naming the call (a truncated answer is worth another try).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ConnectorError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            ConnectorError::Transient(format!("{}: unreadable answer: {e}", self.call))
        })
    }

    /// The body as text (lossy on bad UTF-8), for a sync error's raw payload.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

/// An HTTP client bound to one account's `api_base`.
pub struct HttpClient {
    client: reqwest::Client,
    /// For push streams: no total timeout, an idle one.
    streams: reqwest::Client,
    base: Url,
    options: HttpOptions,
    /// No call goes out before this (an exhausted budget, a `Retry-After`).
    hold_until: Mutex<Option<DateTime<Utc>>>,
    requests: AtomicU64,
    /// Nanoseconds spent waiting for the platform (sending, answers, rate-limit holds,
    /// backoff): what is left of a sync pass is switchboard's own work.
    waiting_nanos: AtomicU64,
}

impl HttpClient {
    /// A client for `api_base` (`http` or `https` only).
    pub fn new(api_base: &str, options: HttpOptions) -> Result<HttpClient, ConnectorError> {
        let base = Url::parse(api_base)
            .map_err(|e| ConnectorError::Refused(format!("api_base '{api_base}': {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
            return Err(ConnectorError::Refused(format!(
                "api_base '{api_base}' is not an http(s) URL"
            )));
        }
        let builder = || {
            reqwest::Client::builder()
                .connect_timeout(options.timeout.min(Duration::from_secs(10)))
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
        };
        let built = |b: reqwest::ClientBuilder| {
            b.build()
                .map_err(|e| ConnectorError::Refused(format!("HTTP client: {e}")))
        };
        let client = built(builder().timeout(options.timeout))?;
        let streams = built(builder().read_timeout(options.stream_idle))?;
        Ok(HttpClient {
            client,
            streams,
            base,
            options,
            hold_until: Mutex::new(None),
            requests: AtomicU64::new(0),
            waiting_nanos: AtomicU64::new(0),
        })
    }

    /// The origin every call goes to.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Time spent waiting for the platform so far (see [`HttpClient::send`]).
    pub fn waiting(&self) -> Duration {
        Duration::from_nanos(self.waiting_nanos.load(Ordering::Relaxed))
    }

    /// The URL of `target`: a path under `api_base`, or an absolute URL on its origin.
    pub fn url(&self, target: &str) -> Result<Url, ConnectorError> {
        if target.starts_with("http://") || target.starts_with("https://") {
            if !same_origin(self.base.as_str(), target) {
                return Err(ConnectorError::Refused(format!(
                    "refusing to follow {} off the account's api_base",
                    clip(target)
                )));
            }
            return Url::parse(target).map_err(|e| ConnectorError::Refused(format!("{e}")));
        }
        let mut url = self.base.clone();
        let prefix = self.base.path().trim_end_matches('/');
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        url.set_path(&format!("{prefix}/{}", path.trim_start_matches('/')));
        url.set_query((!query.is_empty()).then_some(query));
        Ok(url)
    }

    /// Sends `call`, retrying what may be retried; a 2xx answer, or why not.
    pub async fn send(&self, call: &Call) -> Result<Answer, ConnectorError> {
        let started = std::time::Instant::now();
        let outcome = self.send_retrying(call).await;
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.waiting_nanos.fetch_add(nanos, Ordering::Relaxed);
        outcome
    }

    async fn send_retrying(&self, call: &Call) -> Result<Answer, ConnectorError> {
        let mut retry = 0;
        loop {
            self.wait_for_hold(call).await?;
            let outcome = self.send_once(call).await;
            let failure = match outcome {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            match failure {
                Failure::Final(error) => return Err(error),
                // Not processed: safe to send again once the hold is over.
                Failure::Limited(error) => {
                    retry += 1;
                    if retry >= self.options.backoff.attempts {
                        return Err(error);
                    }
                }
                Failure::Retry(error) => {
                    retry += 1;
                    let delay = call
                        .repeatable
                        .then(|| self.options.backoff.delay(retry, &mut rand::thread_rng()))
                        .flatten();
                    match delay {
                        Some(delay) => {
                            tracing::debug!(call = %call.describe(), %error, ?delay, "retrying");
                            tokio::time::sleep(delay).await;
                        }
                        None => return Err(error),
                    }
                }
            }
        }
    }

    /// Waits out a hold shorter than the inline wait; a longer one is an error.
    async fn wait_for_hold(&self, call: &Call) -> Result<(), ConnectorError> {
        let until = *self.hold_until.lock().unwrap_or_else(|e| e.into_inner());
        let Some(until) = until else { return Ok(()) };
        let now = Utc::now();
        if until <= now {
            return Ok(());
        }
        let wait = (until - now).to_std().unwrap_or_default();
        if wait > self.options.inline_wait {
            tracing::info!(call = %call.describe(), %until, "rate-limited");
            return Err(ConnectorError::RateLimited { until });
        }
        tokio::time::sleep(wait).await;
        Ok(())
    }

    /// Opens a long-lived answer (a push stream): the same origin lock, headers, rate-limit
    /// hold and error mapping as [`HttpClient::send`], but no retries, no total timeout (the
    /// stream is dropped after [`HttpOptions::stream_idle`] without a byte), and the body is
    /// left to the caller to read as it comes.
    pub async fn open_stream(&self, call: &Call) -> Result<reqwest::Response, ConnectorError> {
        self.wait_for_hold(call).await?;
        let request = self.request(&self.streams, call).map_err(|f| f.error())?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let response = request.send().await.map_err(|e| network_error(call, &e))?;
        let status = response.status();
        self.note_limits(response.headers(), status);
        if status.is_success() {
            return Ok(response);
        }
        let headers = response.headers().clone();
        let body = response.bytes().await.unwrap_or_default().to_vec();
        match classify(call, status, headers, body) {
            Ok(_) => Err(ConnectorError::Refused(format!(
                "{}: {status} is not a stream",
                call.describe()
            ))),
            Err(failure) => Err(failure.error()),
        }
    }

    /// The request for `call` on `client`: URL checked, query, body, headers, token.
    fn request(
        &self,
        client: &reqwest::Client,
        call: &Call,
    ) -> Result<reqwest::RequestBuilder, Failure> {
        let url = self.url(&call.target).map_err(Failure::Final)?;
        let mut request = client.request(call.method.clone(), url);
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        if let Some(body) = &call.json {
            request = request.json(body);
        }
        for (name, value) in &call.headers {
            let value = HeaderValue::from_str(value).map_err(|_| {
                Failure::Final(ConnectorError::Refused(format!("bad {name} header value")))
            })?;
            request = request.header(name.clone(), value);
        }
        if let Some(token) = &call.bearer {
            let mut value =
                HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
                    Failure::Final(ConnectorError::Auth(
                        "the token is not a valid header".into(),
                    ))
                })?;
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        Ok(request)
    }

    async fn send_once(&self, call: &Call) -> Result<Answer, Failure> {
        let request = self.request(&self.client, call)?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let response = request
            .send()
            .await
            .map_err(|e| Failure::Retry(network_error(call, &e)))?;
        let status = response.status();
        let headers = response.headers().clone();
        self.note_limits(&headers, status);
        let body = response
            .bytes()
            .await
            .map_err(|e| Failure::Retry(network_error(call, &e)))?
            .to_vec();
        classify(call, status, headers, body)
    }

    /// Remembers a `Retry-After` or an exhausted budget for the next call.
    fn note_limits(&self, headers: &HeaderMap, status: StatusCode) {
        let now = Utc::now();
        let refused = status == StatusCode::TOO_MANY_REQUESTS;
        let fallback = chrono::Duration::seconds(FALLBACK_WAIT_SECS);
        let until = RateLimit::from_headers(headers, now).wait_until(refused, now, fallback);
        let mut hold = self.hold_until.lock().unwrap_or_else(|e| e.into_inner());
        *hold = until;
    }
}

/// What went wrong with one attempt.
enum Failure {
    /// Worth another attempt (if the call is repeatable and attempts remain).
    Retry(ConnectorError),
    /// A 429: the platform did not act on it; wait for the hold, then again.
    Limited(ConnectorError),
    Final(ConnectorError),
}

impl Failure {
    fn error(self) -> ConnectorError {
        match self {
            Failure::Retry(e) | Failure::Limited(e) | Failure::Final(e) => e,
        }
    }
}

fn classify(
    call: &Call,
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
) -> Result<Answer, Failure> {
    let what = call.describe();
    let wanted_4xx =
        call.client_errors && status.is_client_error() && status != StatusCode::TOO_MANY_REQUESTS;
    if status.is_success() || wanted_4xx || call.accept.contains(&status) {
        return Ok(Answer {
            status,
            headers,
            body,
            call: what,
        });
    }
    let reason = format!("{what}: {status}{}", platform_reason(&body));
    Err(match status {
        // Retried: the hold noted from its headers is waited out (or ends the pass).
        StatusCode::TOO_MANY_REQUESTS => Failure::Limited(ConnectorError::Transient(reason)),
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            Failure::Final(ConnectorError::Auth(reason))
        }
        s if s.is_server_error() || s == StatusCode::REQUEST_TIMEOUT => {
            Failure::Retry(ConnectorError::Transient(reason))
        }
        _ => Failure::Final(ConnectorError::Refused(reason)),
    })
}

fn network_error(call: &Call, error: &reqwest::Error) -> ConnectorError {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else {
        "connection failed"
    };
    // reqwest's message names the URL (without credentials: tokens go in headers).
    ConnectorError::Transient(format!(
        "{}: {kind}: {}",
        call.describe(),
        clip(&error.to_string())
    ))
}

/// The platform's own words for an error (`error`, `message`, `error_description`), or
/// the start of the body; cut and made printable.
pub fn platform_reason(body: &[u8]) -> String {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let field = |name: &str| {
        json.as_ref()
            .and_then(|j| j.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let message = field("message")
        .or_else(|| field("error_description"))
        .or_else(|| field("error"))
        .or_else(|| {
            json.as_ref()
                .and_then(|j| j.pointer("/error/message"))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    let message = clip(message.trim());
    if message.is_empty() {
        String::new()
    } else {
        format!(" ({message})")
    }
}

/// Platform text made safe for a log line or a terminal: control characters, bidi and
/// zero-width characters dropped, cut to [`MAX_REASON`] characters.
pub fn clip(text: &str) -> String {
    let mut out = String::new();
    for (n, c) in text
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c))
        .enumerate()
    {
        if n == MAX_REASON {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> HttpClient {
        HttpClient::new("http://127.0.0.1:9/base/", HttpOptions::default()).unwrap()
    }

    #[test]
    fn paths_go_under_the_base_and_other_origins_are_refused() {
        let c = client();
        assert_eq!(
            c.url("/api/v1/x?a=1").unwrap().as_str(),
            "http://127.0.0.1:9/base/api/v1/x?a=1"
        );
        assert!(c.url("http://127.0.0.1:9/other?max_id=3").is_ok());
        let err = c.url("https://mastodon.social/api/v1/x").unwrap_err();
        assert!(err.to_string().contains("off the account's api_base"));
        assert!(HttpClient::new("ftp://h/", HttpOptions::default()).is_err());
    }

    #[test]
    fn statuses_map_to_the_right_errors() {
        let call = Call::get("/x");
        let body = br#"{"error":"This method requires an authenticated user"}"#.to_vec();
        let auth = classify(&call, StatusCode::UNAUTHORIZED, HeaderMap::new(), body);
        match auth {
            Err(Failure::Final(ConnectorError::Auth(reason))) => {
                assert!(reason.contains("GET /x: 401"), "{reason}");
                assert!(
                    reason.contains("requires an authenticated user"),
                    "{reason}"
                );
            }
            _ => panic!("401 is an auth failure"),
        }
        let server = classify(&call, StatusCode::BAD_GATEWAY, HeaderMap::new(), vec![]);
        assert!(matches!(server, Err(Failure::Retry(_))));
        let refused = classify(
            &call,
            StatusCode::UNPROCESSABLE_ENTITY,
            HeaderMap::new(),
            vec![],
        );
        assert!(matches!(
            refused,
            Err(Failure::Final(ConnectorError::Refused(_)))
        ));
    }

    #[test]
    fn a_call_may_take_an_error_status_as_its_answer() {
        let call = Call::post("/x").accept(StatusCode::NOT_FOUND);
        let gone = classify(&call, StatusCode::NOT_FOUND, HeaderMap::new(), vec![]);
        assert!(matches!(gone, Ok(ref a) if a.status == StatusCode::NOT_FOUND));
        let other = classify(&call, StatusCode::GONE, HeaderMap::new(), vec![]);
        assert!(matches!(
            other,
            Err(Failure::Final(ConnectorError::Refused(_)))
        ));
    }

    #[test]
    fn client_errors_come_back_as_answers_only_when_asked_and_never_a_429() {
        let call = Call::get("/xrpc/x").answer_client_errors();
        let body = br#"{"error":"ExpiredToken","message":"Token has expired"}"#.to_vec();
        let answer = classify(
            &call,
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            body.clone(),
        )
        .unwrap_or_else(|_| panic!("a 400 is answered"));
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert_eq!(answer.body, body);
        assert!(classify(&call, StatusCode::UNAUTHORIZED, HeaderMap::new(), vec![]).is_ok());
        let limited = classify(
            &call,
            StatusCode::TOO_MANY_REQUESTS,
            HeaderMap::new(),
            vec![],
        );
        assert!(matches!(limited, Err(Failure::Limited(_))));
        let server = classify(&call, StatusCode::BAD_GATEWAY, HeaderMap::new(), vec![]);
        assert!(matches!(server, Err(Failure::Retry(_))));
        let plain = classify(
            &Call::get("/x"),
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            body,
        );
        assert!(matches!(
            plain,
            Err(Failure::Final(ConnectorError::Refused(_)))
        ));
    }

    #[test]
    fn platform_reasons_are_cut_and_made_printable() {
        let hostile = format!(
            "{{\"error\":\"\u{1b}]0;pwned\u{7}bad\u{202E}{}\"}}",
            "x".repeat(500)
        );
        let reason = platform_reason(hostile.as_bytes());
        assert!(!reason.contains('\u{1b}') && !reason.contains('\u{202E}'));
        assert!(reason.chars().count() < MAX_REASON + 10);
        assert_eq!(platform_reason(b""), "");
    }
}
