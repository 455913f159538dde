//! X's error answers, read into [`ConnectorError`]s that say what went wrong and on which
//! call. X answers errors as problem documents (`{"title","detail","type"}`), as
//! `{"errors":[{"message"}]}` (v1-style), or both; a 200 may also carry only `errors`.
//!
//! - 401: the token expired or was revoked: [`ConnectorError::Auth`] says so.
//! - 403 with X's `unsupported-authentication` or `client-forbidden` problem: the token is
//!   of the wrong kind or the app lacks access: `Auth` too; any other 403 (not allowed to
//!   act on that post) is a refusal.
//! - other 4xx: [`ConnectorError::Refused`] with X's reason.
//!
//! 429 and 5xx never come here: the shared client holds on `x-rate-limit-reset` and ends
//! as [`ConnectorError::RateLimited`], and retries 5xx where that is safe.

use serde_json::Value;

use super::payload::{errors, text, ListAnswer};
use crate::connectors::http::client::clip;
use crate::connectors::http::Answer;
use crate::connectors::ConnectorError;

/// X's problem types that mean the credentials, not the request, are wrong.
const AUTH_PROBLEMS: [&str; 3] = [
    "unsupported-authentication",
    "client-forbidden",
    "not-authorized-for-resource",
];

/// A 2xx answer's JSON (an empty body is `null`), or the error it holds.
pub fn read(answer: &Answer) -> Result<Value, ConnectorError> {
    if !answer.status.is_success() {
        return Err(error_of(answer));
    }
    if answer.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    let body: Value = answer.json()?;
    if ListAnswer::failed(&body) {
        return Err(ConnectorError::Refused(format!(
            "{}: {}",
            answer.call,
            reason(&body)
        )));
    }
    Ok(body)
}

/// The error an error answer stands for.
pub fn error_of(answer: &Answer) -> ConnectorError {
    let body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
    let status = answer.status;
    let why = match reason(&body) {
        r if r.is_empty() => clip(&String::from_utf8_lossy(&answer.body)),
        r => r,
    };
    let said = if why.is_empty() {
        status.to_string()
    } else {
        format!("{status}: {why}")
    };
    let problem = text(&body, "type").unwrap_or_default();
    match status.as_u16() {
        401 => ConnectorError::Auth(format!(
            "{}: token expired or revoked ({said})",
            answer.call
        )),
        403 if AUTH_PROBLEMS.iter().any(|p| problem.ends_with(p)) => {
            ConnectorError::Auth(format!("{}: {said}", answer.call))
        }
        _ => ConnectorError::Refused(format!("{}: {said}", answer.call)),
    }
}

/// X's words: the problem's `detail` (or `title`) and each error's message, cut and made
/// printable.
pub fn reason(body: &Value) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(head) = text(body, "detail").or_else(|| text(body, "title")) {
        parts.push(head);
    }
    for message in errors(body) {
        if !parts.contains(&message) {
            parts.push(message);
        }
    }
    clip(&parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;
    use reqwest::StatusCode;
    use serde_json::json;

    fn answer(status: u16, body: &Value) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: serde_json::to_vec(body).unwrap(),
            call: "GET /2/users/100/mentions".into(),
        }
    }

    #[test]
    fn a_401_is_an_expired_or_revoked_token() {
        let body = json!({"title": "Unauthorized", "type": "about:blank",
            "status": 401, "detail": "Unauthorized"});
        let error = error_of(&answer(401, &body));
        assert_eq!(
            error,
            ConnectorError::Auth(
                "GET /2/users/100/mentions: token expired or revoked (401 Unauthorized: Unauthorized)".into()
            )
        );
    }

    #[test]
    fn problem_documents_and_error_lists_give_the_reason() {
        let body = json!({
            "errors": [{"parameters": {"since_id": ["1"]}, "message": "Invalid 'since_id'"}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request"
        });
        let ConnectorError::Refused(why) = error_of(&answer(400, &body)) else {
            panic!("a 400 is a refusal");
        };
        assert!(
            why.starts_with("GET /2/users/100/mentions: 400 Bad Request: One or more"),
            "{why}"
        );
        assert!(why.ends_with("; Invalid 'since_id'"), "{why}");
        let wrong_token = json!({"title": "Unsupported Authentication",
            "type": "https://api.twitter.com/2/problems/unsupported-authentication",
            "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden"});
        assert!(matches!(
            error_of(&answer(403, &wrong_token)),
            ConnectorError::Auth(_)
        ));
        let not_allowed = json!({"detail": "You are not permitted to hide this reply",
            "type": "https://api.twitter.com/2/problems/not-permitted"});
        assert!(matches!(
            error_of(&answer(403, &not_allowed)),
            ConnectorError::Refused(_)
        ));
    }

    #[test]
    fn a_200_with_only_errors_is_a_refusal_and_an_empty_body_is_null() {
        let only = json!({"errors": [{"detail": "Could not find user with id: [100].",
            "title": "Not Found Error"}]});
        let error = read(&answer(200, &only)).unwrap_err();
        assert!(error.to_string().contains("Could not find user"), "{error}");
        let mut empty = answer(200, &json!(null));
        empty.body = Vec::new();
        assert_eq!(read(&empty).unwrap(), Value::Null);
    }

    #[test]
    fn hostile_reasons_are_made_printable() {
        let body = json!({"detail": "bad\u{1b}]0;pwned\u{7} thing"});
        let why = error_of(&answer(400, &body)).to_string();
        assert!(!why.contains('\u{1b}') && !why.contains('\u{7}'), "{why}");
    }
}
