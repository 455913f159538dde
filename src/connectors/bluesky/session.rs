//! The account's session on its PDS: `com.atproto.server.createSession` with the
//! identifier and app password gives an access JWT (short-lived, sent with every call) and a
//! refresh JWT (long-lived, only for `com.atproto.server.refreshSession`). Both are held as
//! [`Secret`]s, never logged or shown.
//!
//! The session is made on first use, not when the connector is built. When a call is
//! refused for a stale token (`ExpiredToken`, `InvalidToken`, 401), [`Session::renew`]
//! refreshes it; when the refresh token is refused too (expired, revoked, a PDS restarted
//! with new keys), it logs in again. Concurrent callers share one renewal.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::json;
use tokio::sync::Mutex;

use super::xrpc::{self, XrpcError};
use crate::connectors::credentials::Secret;
use crate::connectors::http::HttpClient;
use crate::connectors::ConnectorError;

/// What a session gives: the tokens and who the account is.
pub struct Tokens {
    pub access: Secret,
    refresh: Secret,
    /// The account's DID (`did:plc:…`): its repo, and how its own posts are recognized.
    pub did: String,
    pub handle: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionAnswer {
    access_jwt: String,
    refresh_jwt: String,
    did: String,
    #[serde(default)]
    handle: String,
}

impl From<SessionAnswer> for Tokens {
    fn from(answer: SessionAnswer) -> Tokens {
        Tokens {
            access: Secret::new(answer.access_jwt),
            refresh: Secret::new(answer.refresh_jwt),
            did: answer.did,
            handle: answer.handle,
        }
    }
}

/// One account's login and its current tokens.
pub struct Session {
    account: String,
    identifier: String,
    password: Secret,
    current: Mutex<Option<Arc<Tokens>>>,
}

impl Session {
    pub fn new(account: &str, identifier: &str, password: Secret) -> Session {
        Session {
            account: account.to_string(),
            identifier: identifier.to_string(),
            password,
            current: Mutex::new(None),
        }
    }

    /// The current tokens, logging in first if there are none yet.
    pub async fn tokens(&self, http: &HttpClient) -> Result<Arc<Tokens>, ConnectorError> {
        let mut current = self.current.lock().await;
        if let Some(tokens) = &*current {
            return Ok(Arc::clone(tokens));
        }
        let tokens = Arc::new(self.create(http).await?);
        *current = Some(Arc::clone(&tokens));
        Ok(tokens)
    }

    /// New tokens after `stale` was refused: refreshed, or from a new login when the
    /// refresh is refused. When another caller renewed them meanwhile, theirs.
    pub async fn renew(
        &self,
        http: &HttpClient,
        stale: &Arc<Tokens>,
    ) -> Result<Arc<Tokens>, ConnectorError> {
        let mut current = self.current.lock().await;
        if let Some(tokens) = &*current {
            if !Arc::ptr_eq(tokens, stale) {
                return Ok(Arc::clone(tokens));
            }
        }
        let renewed = match self.refresh(http, stale).await {
            Ok(tokens) => tokens,
            Err(XrpcError::Rejected(rejection)) => {
                tracing::info!(account = %self.account, %rejection, "refresh refused; logging in again");
                self.create(http).await?
            }
            Err(XrpcError::Failed(error)) => return Err(error),
        };
        let renewed = Arc::new(renewed);
        *current = Some(Arc::clone(&renewed));
        Ok(renewed)
    }

    /// For tests: the next call presents an access token the PDS refuses, as when it has
    /// expired, so the renewal runs (and, with `refresh_too`, finds the refresh token
    /// refused as well and logs in again).
    #[doc(hidden)]
    pub async fn spoil_tokens(&self, refresh_too: bool) {
        let mut current = self.current.lock().await;
        if let Some(tokens) = current.take() {
            *current = Some(Arc::new(Tokens {
                access: Secret::new("spoiled"),
                refresh: if refresh_too {
                    Secret::new("spoiled")
                } else {
                    tokens.refresh.clone()
                },
                did: tokens.did.clone(),
                handle: tokens.handle.clone(),
            }));
        }
    }

    async fn create(&self, http: &HttpClient) -> Result<Tokens, ConnectorError> {
        let body = json!({ "identifier": self.identifier, "password": self.password.expose() });
        // Repeating a login is harmless.
        let call = xrpc::procedure("com.atproto.server.createSession", body, true);
        match xrpc::send(http, &call).await {
            Ok(answer) => Ok(xrpc::read::<SessionAnswer>(&answer)?.into()),
            Err(XrpcError::Rejected(rejection)) => Err(ConnectorError::Auth(format!(
                "account {}: the PDS refused the login of {} with its app password ({}{})",
                self.account,
                self.identifier,
                rejection.name,
                if rejection.message.is_empty() {
                    String::new()
                } else {
                    format!(": {}", rejection.message)
                }
            ))),
            Err(XrpcError::Failed(error)) => Err(error),
        }
    }

    async fn refresh(&self, http: &HttpClient, stale: &Tokens) -> Result<Tokens, XrpcError> {
        let mut call = xrpc::procedure("com.atproto.server.refreshSession", json!({}), true)
            .bearer(&stale.refresh);
        // refreshSession takes no input: no body at all.
        call.json = None;
        let answer = xrpc::send(http, &call).await?;
        Ok(xrpc::read::<SessionAnswer>(&answer)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_session_answer_gives_tokens_that_never_show() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/fixtures/bluesky/create-session.json"
        );
        let fixture: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let answer: SessionAnswer =
            serde_json::from_value(fixture["response"]["body"].clone()).unwrap();
        let tokens = Tokens::from(answer);
        assert_eq!(tokens.did, "did:plc:lywjq27wkoqyzjolksqhvpah");
        assert_eq!(tokens.handle, "brand.test");
        assert!(tokens.access.expose().starts_with("eyJ0eXAiOiJhdCtqd3Qi"));
        assert_eq!(
            format!("{:?} {}", tokens.access, tokens.refresh),
            "Secret(***) ***"
        );
    }
}
