//! The X (API v2) connector: one brand account (`user_id`), acting with its OAuth 2.0
//! user-context token (`token`, `token_env` or `token_cmd`), on `api_base` (default
//! `https://api.x.com`; any server, a loopback one in tests).
//!
//! - What is new (`fetch`, with `cursor`): mentions, replies in the brand's recent
//!   conversations (`conversations`) and DMs, one page per call;
//! - threads (`thread`): the parent and root of a post, the recent events of a DM;
//! - replies (`reply`): `POST /2/tweets` and `POST /2/dm_conversations/:id/messages`, and
//!   `find_sent` (`find`: X has no idempotency key, so the brand's recent posts and DMs are
//!   looked through instead);
//! - moderation (`moderation`), X's error answers (`errors`), the payloads (`payload`)
//!   and their items (`items`);
//! - the day's spend (`meter`): X bills every call, priced from `responses::pricing`.
//!
//! Every request goes through the shared [`HttpClient`] (origin lock, timeouts, retries,
//! `x-rate-limit-*` holds) with the token in the `Authorization` header.

mod conversations;
mod cursor;
mod errors;
mod fetch;
mod find;
mod items;
mod meter;
mod moderation;
mod payload;
mod reply;
mod thread;

use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::credentials::{self, Secret};
use super::http::{Answer, Call, HttpClient, HttpOptions};
use super::{BoxFuture, Connector, ConnectorError, Delivered, Moderation, Page, ReplyRequest};
use crate::config::AccountConfig;
use crate::model::{Item, NewItem, Platform, Usage};

pub use items::snowflake_time;
pub use meter::{Resource, SpendMeter};

/// Where X's API is when the account does not say.
pub const DEFAULT_API_BASE: &str = "https://api.x.com";
/// The post fields every read asks for.
pub const TWEET_FIELDS: &str =
    "created_at,conversation_id,in_reply_to_user_id,referenced_tweets,author_id,lang";
/// The user fields of the `author_id` and `sender_id` expansions.
pub const USER_FIELDS: &str = "username,name";
/// The DM event fields every DM read asks for.
pub const DM_EVENT_FIELDS: &str = "id,text,event_type,created_at,dm_conversation_id,sender_id";

/// A connector for an X account.
pub fn connect(
    account: &AccountConfig,
    options: HttpOptions,
) -> Result<Arc<dyn Connector>, ConnectorError> {
    Ok(Arc::new(XConnector::new(account, options)?))
}

/// One X account.
pub struct XConnector {
    account: String,
    http: HttpClient,
    token: Secret,
    /// The brand's X user id.
    user_id: String,
    meter: SpendMeter,
    /// The conversations of the brand's recent posts, as last read.
    conversations: Mutex<Vec<String>>,
    /// Replies whose last send ended unclear: looked for before sending again.
    unclear: reply::Unclear,
}

impl XConnector {
    /// Needs `user_id` and a token; errors name the account, never the token.
    pub fn new(
        account: &AccountConfig,
        options: HttpOptions,
    ) -> Result<XConnector, ConnectorError> {
        let name = &account.name;
        let user_id = account
            .user_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                ConnectorError::Refused(format!(
                    "account {name}: an x account needs user_id (the brand's numeric X user id)"
                ))
            })?;
        let user_id = path_id(user_id)
            .map_err(|e| ConnectorError::Refused(format!("account {name}: user_id: {e}")))?
            .to_string();
        let token = credentials::token(account).map_err(|e| ConnectorError::Auth(e.to_string()))?;
        let api_base = account
            .api_base
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .unwrap_or(DEFAULT_API_BASE);
        let http = HttpClient::new(api_base, options).map_err(|e| match e {
            ConnectorError::Refused(why) => {
                ConnectorError::Refused(format!("account {name}: {why}"))
            }
            other => other,
        })?;
        let budget = account
            .daily_budget
            .filter(|b| b.is_finite() && *b > 0.0)
            .map(|dollars| (dollars * 1e6).round() as u64);
        Ok(XConnector {
            account: name.clone(),
            http,
            token,
            user_id,
            meter: SpendMeter::new(budget),
            conversations: Mutex::new(Vec::new()),
            unclear: reply::Unclear::default(),
        })
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> u64 {
        self.http.requests()
    }

    /// Sends a call with the account's token; X's error answers become errors.
    async fn send(&self, call: Call) -> Result<Value, ConnectorError> {
        errors::read(&self.answer(call).await?)
    }

    /// Sends a call with the account's token; 4xx answers (but 429) come back to be read.
    async fn answer(&self, call: Call) -> Result<Answer, ConnectorError> {
        let call = call.bearer(&self.token).answer_client_errors();
        self.http.send(&call).await
    }

    fn brand_conversations(&self) -> Vec<String> {
        self.conversations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn remember_conversations(&self, conversations: &[String]) {
        *self.conversations.lock().unwrap_or_else(|e| e.into_inner()) = conversations.to_vec();
    }
}

impl Connector for XConnector {
    fn account(&self) -> &str {
        &self.account
    }

    fn platform(&self) -> Platform {
        Platform::X
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
        Box::pin(self.thread_items(item))
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

    fn usage(&self) -> Option<Usage> {
        Some(self.meter.usage())
    }

    fn resume_usage(&self, saved: &Usage) {
        self.meter.resume(saved);
    }
}

/// A user or post id from the config, a payload or the store, checked before it goes into
/// a request path: X ids are decimal numbers.
fn path_id(id: &str) -> Result<&str, ConnectorError> {
    let fine = super::http::made_of(id, 32, |b| b.is_ascii_digit());
    super::http::checked_id(id, "an X id", fine)
}

/// A DM conversation id (`123-456` for one-to-one, a number for groups), checked for a path.
fn conversation_path_id(id: &str) -> Result<&str, ConnectorError> {
    let fine = id.len() <= 64
        && id.split('-').count() <= 2
        && id
            .split('-')
            .all(|part| super::http::made_of(part, 64, |b| b.is_ascii_digit()));
    super::http::checked_id(id, "an X DM conversation id", fine)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn account(fields: &str) -> AccountConfig {
        let text = format!("[[accounts]]\nname = \"acme-x\"\nplatform = \"x\"\n{fields}");
        Config::parse(std::path::Path::new("c.toml"), &text)
            .unwrap()
            .accounts[0]
            .clone()
    }

    #[test]
    fn an_account_needs_a_user_id_and_a_token() {
        let missing = XConnector::new(&account("token = \"t\"\n"), HttpOptions::default());
        let error = missing.err().unwrap().to_string();
        assert!(
            error.contains("account acme-x") && error.contains("user_id"),
            "{error}"
        );
        let bad = XConnector::new(
            &account("token = \"t\"\nuser_id = \"../me\"\n"),
            HttpOptions::default(),
        );
        assert!(bad.err().unwrap().to_string().contains("not an X id"));
        let no_token = XConnector::new(&account("user_id = \"100\"\n"), HttpOptions::default());
        assert!(matches!(no_token.err().unwrap(), ConnectorError::Auth(_)));
        let fine = XConnector::new(
            &account("token = \"t\"\nuser_id = \"100\"\ndaily_budget = 2.5\n"),
            HttpOptions::default(),
        )
        .unwrap();
        assert_eq!(fine.http.base().as_str(), "https://api.x.com/");
        assert_eq!(
            fine.usage().unwrap().describe(),
            "spent $0.00 of a $2.50 budget today (0 billed calls)"
        );
    }

    #[test]
    fn ids_in_paths_are_checked() {
        assert!(path_id("1578516295611748353").is_ok());
        for bad in ["", "12/34", "..", "1?x=1", "12a"] {
            assert!(path_id(bad).is_err(), "{bad}");
        }
        assert!(conversation_path_id("750362064426721281-1072250532645998596").is_ok());
        assert!(conversation_path_id("1585800614365339648").is_ok());
        for bad in ["1-2-3", "-1", "1-", "a-b", "1/../2"] {
            assert!(conversation_path_id(bad).is_err(), "{bad}");
        }
    }
}
