//! The Graph API, shared by the Facebook Pages and Instagram connectors: one
//! [`GraphClient`] per account that sends every call with the account's token (as a bearer
//! header, never in a URL), reads Meta's error bodies (even under a 200: [`error`]) and
//! throttling headers ([`throttle`]), pages lists by cursor ([`paging`]), parses Graph
//! timestamps ([`time`]) and builds Send API messages inside Meta's windows ([`send`]).
//!
//! The API version is part of `api_base` (`https://graph.facebook.com/v21.0`), so an upgrade
//! is a config change and a loopback test server sees the same paths as the recordings.

pub mod error;
pub mod paging;
pub mod send;
pub mod throttle;
pub mod time;

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::credentials::{self, Secret};
use super::http::{Answer, Call, HttpClient, HttpOptions};
use super::ConnectorError;
use crate::config::AccountConfig;
use crate::model::{Meter, Usage};
use error::GraphError;
use throttle::Throttle;

/// The Graph API root when an account gives no `api_base` (Facebook login).
pub const FACEBOOK_GRAPH: &str = "https://graph.facebook.com/v21.0";
/// The Graph API root of Instagram-login tokens.
pub const INSTAGRAM_GRAPH: &str = "https://graph.instagram.com/v21.0";

/// One account's way to the Graph API.
pub struct GraphClient {
    http: HttpClient,
    token: Secret,
    /// What the last answer's usage headers said.
    throttle: Mutex<Throttle>,
}

impl GraphClient {
    /// A client for `account` (its `api_base`, else `default_base`) with its token; errors
    /// name the account, never the token.
    pub fn new(
        account: &AccountConfig,
        default_base: &str,
        options: HttpOptions,
    ) -> Result<GraphClient, ConnectorError> {
        let name = &account.name;
        let base = account
            .api_base
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .unwrap_or(default_base);
        let token = credentials::token(account).map_err(|e| ConnectorError::Auth(e.to_string()))?;
        let http = HttpClient::new(base, options).map_err(|e| match e {
            ConnectorError::Refused(why) => {
                ConnectorError::Refused(format!("account {name}: {why}"))
            }
            other => other,
        })?;
        Ok(GraphClient {
            http,
            token,
            throttle: Mutex::new(Throttle::default()),
        })
    }

    /// `GET path?params`, its JSON answer.
    pub async fn get(&self, path: &str, params: &[(&str, &str)]) -> Result<Value, ConnectorError> {
        let mut call = Call::get(path);
        for (key, value) in params {
            call = call.query(key, value);
        }
        self.send(call).await
    }

    /// `POST path` with a JSON body (not repeated on failure: a write).
    pub async fn post(&self, path: &str, body: Value) -> Result<Value, ConnectorError> {
        self.send(Call::post(path).json(body)).await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> Result<Value, ConnectorError> {
        self.send(Call::new(reqwest::Method::DELETE, path, false))
            .await
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> u64 {
        self.http.requests()
    }

    /// The share of Meta's allowance in use, as the last answer said.
    pub fn usage(&self, now: DateTime<Utc>) -> Option<Usage> {
        let percent = self.lock().percent?;
        Some(Usage {
            day: now.date_naive(),
            meter: Meter::Throttle { percent },
        })
    }

    /// Sends `call` with the token unless Meta asked us to hold off; reads the answer's
    /// throttling headers and any error in its body.
    async fn send(&self, call: Call) -> Result<Value, ConnectorError> {
        let now = Utc::now();
        if let Some(until) = self.lock().hold_until(now) {
            return Err(ConnectorError::RateLimited { until });
        }
        let call = call.bearer(&self.token).answer_client_errors();
        let answer = self.http.send(&call).await?;
        let throttle = Throttle::from_headers(&answer.headers, Utc::now());
        *self.lock() = throttle;
        read_answer(&answer, throttle.regain_at)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Throttle> {
        self.throttle.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The JSON of an answer, or the error it holds (a Graph error body, whatever the status).
fn read_answer(answer: &Answer, regain_at: Option<DateTime<Utc>>) -> Result<Value, ConnectorError> {
    let body: Option<Value> = serde_json::from_slice(&answer.body).ok();
    let error = body.as_ref().and_then(GraphError::in_body);
    if let Some(error) = error {
        return Err(error.into_connector_error(&answer.call, Utc::now(), regain_at));
    }
    if !answer.status.is_success() {
        let reason = super::http::client::platform_reason(&answer.body);
        let said = format!("{}: {}{reason}", answer.call, answer.status);
        return Err(match answer.status.as_u16() {
            401 | 403 => ConnectorError::Auth(said),
            _ => ConnectorError::Refused(said),
        });
    }
    body.ok_or_else(|| {
        ConnectorError::Transient(format!("{}: unreadable answer (not JSON)", answer.call))
    })
}

/// A Graph id from a payload or the store, checked before it goes into a request path: page,
/// post, comment, thread (`t_…`) and message (`m_…`) ids are letters, digits, `_` and `-`.
pub fn path_id(id: &str) -> Result<&str, ConnectorError> {
    let fine = super::http::made_of(id, 256, super::http::word_byte);
    super::http::checked_id(id, "a Graph API id", fine)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_with_path_characters_are_refused() {
        assert!(path_id("245778718206154_229887283291835").is_ok());
        assert!(path_id("t_587956915396498").is_ok());
        assert!(
            path_id("m_ToF35NI1OImBjyUIgplSaBMylUFmkYY4bHogy9C1otLISU6SGhccB5NK-THX_W4EdVQ")
                .is_ok()
        );
        for bad in ["", "../me", "1?fields=x", "1/2", "a b"] {
            assert!(path_id(bad).is_err(), "{bad}");
        }
    }
}
