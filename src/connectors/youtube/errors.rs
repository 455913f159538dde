//! What a YouTube answer means when it is not a success: Google's error body names a
//! `reason` (`error.errors[].reason`) the connector acts on, rather than the status alone
//! (a 403 is a used-up quota, a short rate limit, a missing scope or a plain refusal).
//!
//! - `quotaExceeded`, `dailyLimitExceeded`: rate-limited until the next Pacific midnight
//!   (the quota's reset), and the day's count is set to the limit;
//! - `rateLimitExceeded`, `userRateLimitExceeded`: a short hold ([`SHORT_HOLD_SECS`]);
//! - a 401, `authError`, `invalidCredentials`: the token expired or was revoked;
//!   `insufficientPermissions`: the token lacks the `youtube.force-ssl` scope;
//! - anything else (`keyInvalid`, `commentsDisabled`, `forbidden`, `commentNotFound`, …):
//!   refused, with the reason and Google's message (cut and made printable).
//!
//! A body holding an `error` object is an error whatever its status says.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;

use super::payload::{ErrorBody, ErrorDetail};
use super::quota::next_reset;
use crate::connectors::http::client::clip;
use crate::connectors::ConnectorError;

/// How long a per-user or per-second rate limit holds the account.
pub const SHORT_HOLD_SECS: i64 = 60;

/// What an answer means.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// A success: read the body.
    Fine,
    /// The day's quota is used up: the error to return, and the count goes to the limit.
    QuotaExhausted(ConnectorError),
    Failed(ConnectorError),
}

/// Judges the answer to `call` (`GET /youtube/v3/commentThreads`) at `now`.
pub fn judge(call: &str, status: StatusCode, body: &[u8], now: DateTime<Utc>) -> Verdict {
    let detail = serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .and_then(|b| b.error);
    match detail {
        None if status.is_success() => Verdict::Fine,
        None => Verdict::Failed(refused(
            call,
            status.as_u16(),
            None,
            &ErrorDetail::default(),
        )),
        Some(detail) => judge_error(call, status, &detail, now),
    }
}

fn judge_error(
    call: &str,
    status: StatusCode,
    detail: &ErrorDetail,
    now: DateTime<Utc>,
) -> Verdict {
    let code = detail
        .code
        .filter(|_| status.is_success())
        .unwrap_or(status.as_u16());
    let reason = detail.reason();
    let until = match reason {
        Some("quotaExceeded" | "dailyLimitExceeded") => {
            return Verdict::QuotaExhausted(ConnectorError::RateLimited {
                until: next_reset(now),
            })
        }
        Some("rateLimitExceeded" | "userRateLimitExceeded") => {
            now + chrono::Duration::seconds(SHORT_HOLD_SECS)
        }
        Some("authError" | "invalidCredentials" | "unauthorized") => {
            return Verdict::Failed(expired(call, code, detail))
        }
        Some("insufficientPermissions") => {
            return Verdict::Failed(ConnectorError::Auth(format!(
            "{call}: {code} insufficientPermissions: the token lacks the youtube.force-ssl scope{}",
            quoted(detail)
        )))
        }
        _ if code == 401 => return Verdict::Failed(expired(call, code, detail)),
        _ => return Verdict::Failed(refused(call, code, reason, detail)),
    };
    Verdict::Failed(ConnectorError::RateLimited { until })
}

fn expired(call: &str, code: u16, detail: &ErrorDetail) -> ConnectorError {
    ConnectorError::Auth(format!(
        "{call}: {code}: token expired or revoked{}",
        quoted(detail)
    ))
}

fn refused(call: &str, code: u16, reason: Option<&str>, detail: &ErrorDetail) -> ConnectorError {
    let reason = reason.map(|r| format!(" {}", clip(r))).unwrap_or_default();
    ConnectorError::Refused(format!("{call}: {code}{reason}{}", quoted(detail)))
}

fn quoted(detail: &ErrorDetail) -> String {
    detail
        .message()
        .map(|m| clip(m.trim()))
        .filter(|m| !m.is_empty())
        .map(|m| format!(" ({m})"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T06:35:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn body(code: u16, reason: &str, message: &str) -> Vec<u8> {
        serde_json::json!({"error": {"code": code, "message": message,
            "errors": [{"domain": "youtube", "reason": reason, "message": message}]}})
        .to_string()
        .into_bytes()
    }

    const CALL: &str = "GET /youtube/v3/commentThreads";

    #[test]
    fn a_used_up_quota_holds_until_pacific_midnight() {
        let verdict = judge(
            CALL,
            StatusCode::FORBIDDEN,
            &body(403, "quotaExceeded", "exceeded"),
            now(),
        );
        let until = DateTime::parse_from_rfc3339("2026-11-23T08:00:00Z").unwrap();
        assert_eq!(
            verdict,
            Verdict::QuotaExhausted(ConnectorError::RateLimited {
                until: until.into()
            })
        );
    }

    #[test]
    fn a_rate_limit_is_a_short_hold() {
        let verdict = judge(
            CALL,
            StatusCode::FORBIDDEN,
            &body(403, "userRateLimitExceeded", "slow down"),
            now(),
        );
        let until = now() + chrono::Duration::seconds(SHORT_HOLD_SECS);
        assert_eq!(
            verdict,
            Verdict::Failed(ConnectorError::RateLimited { until })
        );
    }

    #[test]
    fn an_expired_token_says_so() {
        let verdict = judge(
            CALL,
            StatusCode::UNAUTHORIZED,
            &body(401, "authError", "Invalid Credentials"),
            now(),
        );
        let Verdict::Failed(ConnectorError::Auth(why)) = verdict else {
            panic!("{verdict:?}")
        };
        assert!(why.contains("token expired or revoked"), "{why}");
        assert!(why.starts_with(CALL), "{why}");
    }

    #[test]
    fn other_reasons_are_refusals_naming_the_reason_even_under_a_200() {
        let verdict = judge(
            "POST /youtube/v3/comments",
            StatusCode::OK,
            &body(403, "commentsDisabled", "\u{1b}[31mdisabled"),
            now(),
        );
        let Verdict::Failed(ConnectorError::Refused(why)) = verdict else {
            panic!("{verdict:?}")
        };
        assert_eq!(
            why,
            "POST /youtube/v3/comments: 403 commentsDisabled ([31mdisabled)"
        );
        assert_eq!(judge(CALL, StatusCode::OK, b"{}", now()), Verdict::Fine);
        let bare = judge(CALL, StatusCode::NOT_FOUND, b"<html>", now());
        assert!(
            matches!(bare, Verdict::Failed(ConnectorError::Refused(ref w)) if w == "GET /youtube/v3/commentThreads: 404")
        );
    }
}
