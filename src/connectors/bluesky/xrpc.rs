//! XRPC over the shared [`HttpClient`]: a query is `GET /xrpc/NSID?params`, a procedure
//! `POST /xrpc/NSID` with a JSON body. Errors answer `{"error": NAME, "message": ...}`; the
//! calls made here ask the client to hand 4xx answers back ([`Call::answer_client_errors`])
//! so the connector can act on the name (`ExpiredToken`: refresh the session;
//! `RecordNotFound`: not sent yet). Everything else (timeouts, retries, 5xx, rate limits with
//! the `RateLimit-*` headers Bluesky sends) stays the client's job.

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::connectors::http::client::clip;
use crate::connectors::http::{Answer, Call, HttpClient};
use crate::connectors::ConnectorError;

/// `GET /xrpc/{nsid}`: repeatable.
pub fn query(nsid: &str) -> Call {
    Call::get(format!("/xrpc/{nsid}")).answer_client_errors()
}

/// `POST /xrpc/{nsid}` with a JSON body: not repeated by the client unless `repeatable`.
pub fn procedure(nsid: &str, body: serde_json::Value, repeatable: bool) -> Call {
    Call::post(format!("/xrpc/{nsid}"))
        .json(body)
        .repeatable(repeatable)
        .answer_client_errors()
}

/// An XRPC error answer (4xx).
#[derive(Clone, Debug, PartialEq)]
pub struct Rejection {
    pub status: StatusCode,
    /// The lexicon's error name (`ExpiredToken`, `RecordNotFound`, `InvalidRequest`…).
    pub name: String,
    /// The server's message, printable and cut.
    pub message: String,
    /// What was called (`GET /xrpc/NSID`).
    pub call: String,
}

impl Rejection {
    fn read(answer: &Answer) -> Rejection {
        let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap_or_default();
        let text = |key: &str| clip(body.get(key).and_then(|v| v.as_str()).unwrap_or_default());
        Rejection {
            status: answer.status,
            name: text("error"),
            message: text("message"),
            call: answer.call.clone(),
        }
    }

    /// Whether the access token is no longer good (refresh, then try again).
    pub fn is_stale_session(&self) -> bool {
        matches!(self.name.as_str(), "ExpiredToken" | "InvalidToken")
            || self.status == StatusCode::UNAUTHORIZED
    }

    pub fn is(&self, name: &str) -> bool {
        self.name == name
    }

    /// The error it is when nothing more specific applies: 401/403 are [`ConnectorError::Auth`],
    /// the rest [`ConnectorError::Refused`].
    pub fn into_error(self) -> ConnectorError {
        let reason = self.to_string();
        if matches!(
            self.status,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
        ) {
            ConnectorError::Auth(reason)
        } else {
            ConnectorError::Refused(reason)
        }
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.call, self.status)?;
        match (self.name.is_empty(), self.message.is_empty()) {
            (false, false) => write!(f, " ({}: {})", self.name, self.message),
            (false, true) => write!(f, " ({})", self.name),
            (true, false) => write!(f, " ({})", self.message),
            (true, true) => Ok(()),
        }
    }
}

/// Why an XRPC call gave no answer: the server said no (with a name to act on), or the
/// call failed on the way (network, 5xx after retries, rate limit, a bad URL).
#[derive(Clone, Debug, PartialEq)]
pub enum XrpcError {
    Rejected(Rejection),
    Failed(ConnectorError),
}

impl XrpcError {
    /// The rejection, when it is the named one.
    pub fn rejected(&self, name: &str) -> bool {
        matches!(self, XrpcError::Rejected(r) if r.is(name))
    }
}

impl From<XrpcError> for ConnectorError {
    fn from(error: XrpcError) -> ConnectorError {
        match error {
            XrpcError::Rejected(rejection) => rejection.into_error(),
            XrpcError::Failed(error) => error,
        }
    }
}

impl From<ConnectorError> for XrpcError {
    fn from(error: ConnectorError) -> XrpcError {
        XrpcError::Failed(error)
    }
}

/// Sends an XRPC call: a 2xx answer, or why not.
pub async fn send(http: &HttpClient, call: &Call) -> Result<Answer, XrpcError> {
    let answer = http.send(call).await?;
    if answer.status.is_success() {
        Ok(answer)
    } else {
        Err(XrpcError::Rejected(Rejection::read(&answer)))
    }
}

/// The answer's body as `T` (unreadable: [`ConnectorError::Transient`], naming the call).
pub fn read<T: DeserializeOwned>(answer: &Answer) -> Result<T, ConnectorError> {
    answer.json()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
            call: "GET /xrpc/app.bsky.notification.listNotifications".into(),
        }
    }

    #[test]
    fn rejections_are_named_and_printable() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/fixtures/bluesky/error-invalid-token.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let fixture: serde_json::Value = serde_json::from_str(&text).unwrap();
        let body = fixture["response"]["body"].to_string();
        let rejection = Rejection::read(&answer(400, &body));
        assert_eq!(rejection.name, "InvalidToken");
        assert!(rejection.is_stale_session());
        assert_eq!(
            rejection.to_string(),
            "GET /xrpc/app.bsky.notification.listNotifications: 400 Bad Request \
             (InvalidToken: Token could not be verified)"
        );
        assert!(matches!(rejection.into_error(), ConnectorError::Refused(_)));

        let expired = Rejection::read(&answer(400, r#"{"error":"ExpiredToken"}"#));
        assert!(expired.is_stale_session());
        let auth = Rejection::read(&answer(401, "<html>\u{1b}[2J</html>"));
        assert!(auth.is_stale_session());
        assert!(matches!(auth.clone().into_error(), ConnectorError::Auth(_)));
        assert!(!auth.to_string().contains('\u{1b}'));
        let missing = Rejection::read(&answer(400, r#"{"error":"RecordNotFound"}"#));
        assert!(!missing.is_stale_session());
        assert!(XrpcError::Rejected(missing).rejected("RecordNotFound"));
    }
}
