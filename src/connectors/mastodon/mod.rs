//! The Mastodon connector: one account on one instance (`api_base`), acting with the
//! account's token.
//!
//! - What is new (`fetch`): mention notifications (mentions, replies to the brand, DMs) and
//!   DM conversations, paged forward with a cursor of our own (`cursor`);
//! - threads (`threads`): the thread root of a reply, from what was seen or the status's
//!   context, and `fetch_thread`;
//! - replies (`reply`): `POST /api/v1/statuses` under an `Idempotency-Key`, and `find_sent`;
//! - moderation (`moderation`), the user stream (`stream`);
//! - the payloads (`payload`), their conversion to items (`items`) and HTML to plain text
//!   (`html`), and what the connector remembers between calls (`seen`).
//!
//! Every request goes through the shared [`HttpClient`] (origin lock, timeouts, retries,
//! rate limits). The brand's own account is read once (`verify_credentials`) and kept.

mod cursor;
mod fetch;
mod html;
mod items;
mod moderation;
mod offline;
mod payload;
mod reply;
mod seen;
mod stream;
mod threads;

use std::sync::Arc;

use serde_json::Value;

use super::credentials::{self, Secret};
use super::http::{Call, HttpClient, HttpOptions};
use super::{BoxFuture, Connector, ConnectorError, Delivered, Moderation, Page, ReplyRequest};
use crate::config::AccountConfig;
use crate::model::{Item, NewItem, Platform};

pub use html::to_text as html_to_text;
pub use items::Brand;
pub use offline::{read_answer, Answer};

/// A connector for a mastodon account.
pub fn connect(
    account: &AccountConfig,
    options: HttpOptions,
) -> Result<Arc<dyn Connector>, ConnectorError> {
    Ok(Arc::new(MastodonConnector::new(account, options)?))
}

/// One Mastodon account.
pub struct MastodonConnector {
    account: String,
    http: HttpClient,
    token: Secret,
    streaming: bool,
    brand: tokio::sync::OnceCell<Brand>,
    memory: seen::Memory,
}

impl MastodonConnector {
    /// Needs `api_base` (the instance) and a token; errors name the account, never the token.
    pub fn new(
        account: &AccountConfig,
        options: HttpOptions,
    ) -> Result<MastodonConnector, ConnectorError> {
        let name = &account.name;
        let api_base = account
            .api_base
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .ok_or_else(|| {
                ConnectorError::Refused(format!(
                    "account {name}: a mastodon account needs api_base (its instance, e.g. https://mastodon.social)"
                ))
            })?;
        let token = credentials::token(account).map_err(|e| ConnectorError::Auth(e.to_string()))?;
        let http = HttpClient::new(api_base, options).map_err(|e| match e {
            ConnectorError::Refused(why) => {
                ConnectorError::Refused(format!("account {name}: {why}"))
            }
            other => other,
        })?;
        Ok(MastodonConnector {
            account: name.clone(),
            http,
            token,
            streaming: account.streaming.unwrap_or(true),
            brand: tokio::sync::OnceCell::new(),
            memory: seen::Memory::default(),
        })
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> u64 {
        self.http.requests()
    }

    /// Time spent waiting for the server so far.
    pub fn waiting(&self) -> std::time::Duration {
        self.http.waiting()
    }

    /// The brand's own account, read once.
    pub async fn brand(&self) -> Result<&Brand, ConnectorError> {
        self.brand
            .get_or_try_init(|| async {
                let me = self
                    .get(Call::get("/api/v1/accounts/verify_credentials"))
                    .await?;
                let account: payload::Account = payload::read(&me).unwrap_or_default();
                let id = account
                    .id
                    .clone()
                    .filter(|id| !id.is_empty())
                    .ok_or_else(|| {
                        ConnectorError::Refused(
                            "GET /api/v1/accounts/verify_credentials: no account id".into(),
                        )
                    })?;
                Ok(Brand {
                    id,
                    handle: account.handle(),
                })
            })
            .await
    }

    /// Sends a call with the account's token.
    async fn send(&self, call: Call) -> Result<super::http::Answer, ConnectorError> {
        self.http.send(&call.bearer(&self.token)).await
    }

    /// Sends a call and reads its JSON answer.
    async fn get(&self, call: Call) -> Result<Value, ConnectorError> {
        self.send(call).await?.json()
    }
}

impl Connector for MastodonConnector {
    fn account(&self) -> &str {
        &self.account
    }

    fn platform(&self) -> Platform {
        Platform::Mastodon
    }

    fn fetch_new<'a>(
        &'a self,
        cursor: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Page, ConnectorError>> {
        Box::pin(self.fetch_page(cursor))
    }

    fn fetch_thread<'a>(
        &'a self,
        item: &'a Item,
    ) -> BoxFuture<'a, Result<Vec<NewItem>, ConnectorError>> {
        Box::pin(self.thread_items(&item.remote_id))
    }

    fn send_reply<'a>(
        &'a self,
        request: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Delivered, ConnectorError>> {
        Box::pin(self.reply(request))
    }

    fn find_sent<'a>(
        &'a self,
        request: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Option<Delivered>, ConnectorError>> {
        Box::pin(self.look_for_reply(request))
    }

    fn moderate<'a>(
        &'a self,
        item: &'a Item,
        action: &'a Moderation,
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(self.apply(item, action))
    }

    fn stream<'a>(
        &'a self,
        wake: &'a (dyn Fn() + Send + Sync),
    ) -> Option<BoxFuture<'a, Result<(), ConnectorError>>> {
        self.streaming
            .then(|| Box::pin(self.listen(wake)) as BoxFuture<'a, _>)
    }
}

/// An id from a payload or the store, checked before it goes into a request path: Mastodon
/// ids are letters, digits, `_` and `-`, and anything else (`../`, `?`) is refused.
fn path_id(id: &str) -> Result<&str, ConnectorError> {
    let fine = super::http::made_of(id, 64, super::http::word_byte);
    super::http::checked_id(id, "a Mastodon id", fine)
}
