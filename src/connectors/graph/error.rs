//! Graph API errors, as Facebook and Instagram send them: `{"error": {"message", "type",
//! "code", "error_subcode", "fbtrace_id"}}`, with a 4xx status or (as the recorded
//! `../shared/fixtures/facebook/error.json` shows) with a 200. Each becomes the
//! [`ConnectorError`] the hub acts on:
//!
//! - throttling (codes 4 app, 17 user, 32 page, 613 custom, 80001–80014 business use case):
//!   `RateLimited` until the platform says access comes back (`X-Business-Use-Case-Usage`'s
//!   `estimated_time_to_regain_access`) or a cautious default;
//! - an expired or revoked token (code 190 and its subcodes, 102): `Auth`, saying which;
//! - a missing permission (10, 200–299): `Auth`, naming the permission problem;
//! - a temporary platform failure (1, 2, `is_transient`): `Transient`;
//! - anything else (100 invalid parameter, 368 blocked for policy, …): `Refused`.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::Value;

use crate::connectors::http::client::clip;
use crate::connectors::ConnectorError;

/// How long a throttled account waits when Meta does not say.
pub const DEFAULT_THROTTLE_WAIT: Duration = Duration::minutes(10);

/// The `error` object of a Graph API answer.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct GraphError {
    #[serde(default)]
    pub message: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub code: i64,
    #[serde(default)]
    pub error_subcode: Option<i64>,
    #[serde(default)]
    pub is_transient: bool,
    #[serde(default)]
    pub fbtrace_id: Option<String>,
}

impl GraphError {
    /// The error in an answer's body, if it holds one.
    pub fn in_body(body: &Value) -> Option<GraphError> {
        let error = body.get("error")?;
        serde_json::from_value(error.clone()).ok().or_else(|| {
            Some(GraphError {
                message: error.as_str().unwrap_or("unreadable error").to_string(),
                ..GraphError::default()
            })
        })
    }

    /// Whether this is one of Meta's throttling codes.
    pub fn is_throttling(&self) -> bool {
        matches!(self.code, 4 | 17 | 32 | 613) || (80_001..=80_014).contains(&self.code)
    }

    /// The [`ConnectorError`] for `call` (`GET /{page-id}/feed`); a throttled call waits
    /// until `regain_at` when Meta said when access comes back.
    pub fn into_connector_error(
        self,
        call: &str,
        now: DateTime<Utc>,
        regain_at: Option<DateTime<Utc>>,
    ) -> ConnectorError {
        let said = format!(
            "{call}: {} (code {}{})",
            clip(self.message.trim()),
            self.code,
            self.error_subcode
                .map(|s| format!(", subcode {s}"))
                .unwrap_or_default()
        );
        if self.is_throttling() {
            let until = regain_at
                .filter(|t| *t > now)
                .unwrap_or(now + DEFAULT_THROTTLE_WAIT);
            return ConnectorError::RateLimited { until };
        }
        if let Some(why) = token_problem(self.code, self.error_subcode) {
            return ConnectorError::Auth(format!("{why}: {said}"));
        }
        match self.code {
            10 | 200..=299 => ConnectorError::Auth(format!("permission missing: {said}")),
            1 | 2 => ConnectorError::Transient(said),
            _ if self.is_transient => ConnectorError::Transient(said),
            _ => ConnectorError::Refused(said),
        }
    }
}

/// What is wrong with the token, for code 190 (and 102, a session error).
fn token_problem(code: i64, subcode: Option<i64>) -> Option<&'static str> {
    if code != 190 && code != 102 {
        return None;
    }
    Some(match subcode {
        Some(463) => "the access token has expired: renew it",
        Some(460) => "the access token was invalidated (password changed): renew it",
        Some(458) => "the access token was revoked (the app was removed): reconnect the app",
        Some(459) => "the account is checkpointed: log in on the platform to clear it",
        Some(464) => "the account is unconfirmed: confirm it on the platform",
        Some(467) => "the access token is invalid (revoked or logged out): renew it",
        Some(492) => "the token's user has no role on the Page any more",
        _ => "the access token is expired or revoked: renew it",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    fn error(code: i64, subcode: Option<i64>) -> GraphError {
        GraphError::in_body(&json!({"error": {
            "message": "Something", "type": "OAuthException", "code": code,
            "error_subcode": subcode, "fbtrace_id": "A1"
        }}))
        .unwrap()
    }

    #[test]
    fn throttling_codes_wait_until_access_returns() {
        for code in [4, 17, 32, 613, 80001, 80006] {
            let regain = now() + Duration::minutes(19);
            match error(code, None).into_connector_error("GET /x", now(), Some(regain)) {
                ConnectorError::RateLimited { until } => assert_eq!(until, regain),
                other => panic!("code {code}: {other:?}"),
            }
        }
        match error(4, None).into_connector_error("GET /x", now(), None) {
            ConnectorError::RateLimited { until } => {
                assert_eq!(until, now() + DEFAULT_THROTTLE_WAIT)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_expired_token_says_so() {
        let expired = error(190, Some(463)).into_connector_error("GET /me", now(), None);
        match expired {
            ConnectorError::Auth(why) => {
                assert!(why.starts_with("the access token has expired"), "{why}");
                assert!(
                    why.contains("GET /me") && why.contains("subcode 463"),
                    "{why}"
                );
            }
            other => panic!("{other:?}"),
        }
        let revoked = error(190, Some(458)).into_connector_error("GET /me", now(), None);
        assert!(revoked.to_string().contains("revoked"), "{revoked}");
        let bare = error(190, None).into_connector_error("GET /me", now(), None);
        assert!(bare.to_string().contains("expired or revoked"), "{bare}");
    }

    #[test]
    fn the_recorded_error_is_refused_with_its_message() {
        let body: Value = serde_json::from_str(
            r#"{"error":{"message":"(#100) Pages Public Content Access requires either app secret proof or an app token","type":"OAuthException","code":100,"fbtrace_id":"A1m6KK6iBqvjzPeQd4DYbKM"}}"#,
        )
        .unwrap();
        let error = GraphError::in_body(&body).unwrap();
        match error.into_connector_error("GET /123/feed", now(), None) {
            ConnectorError::Refused(why) => {
                assert!(why.contains("Pages Public Content Access"), "{why}");
                assert!(why.contains("code 100"), "{why}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn permissions_transients_and_hostile_messages() {
        assert!(matches!(
            error(200, None).into_connector_error("POST /x", now(), None),
            ConnectorError::Auth(_)
        ));
        assert!(matches!(
            error(2, None).into_connector_error("GET /x", now(), None),
            ConnectorError::Transient(_)
        ));
        let hostile =
            GraphError::in_body(&json!({"error": {"message": "\u{1b}]0;x\u{7}bad", "code": 100}}))
                .unwrap()
                .into_connector_error("GET /x", now(), None);
        assert!(!hostile.to_string().contains('\u{1b}'));
        assert!(GraphError::in_body(&json!({"data": []})).is_none());
    }
}
