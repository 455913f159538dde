//! The Bluesky connector: one account on its PDS (`api_base`, default
//! `https://bsky.social`), logged in with its `identifier` and an app password.
//!
//! | module | job |
//! |---|---|
//! | [`xrpc`] | XRPC queries and procedures over the shared `HttpClient`, error names |
//! | [`session`] | createSession / refreshSession, tokens held as secrets |
//! | [`api`] | authenticated calls (renew and retry once on a stale token), repo helpers |
//! | [`payload`] | tolerant serde types of what the platform sends |
//! | [`items`] | notifications and posts → items |
//! | [`cursor`] | the opaque sync cursor and the notifications walk |
//! | [`notifications`] | one page of `listNotifications` |
//! | [`thread`] | `getPostThread` → items |
//! | [`reply`], [`facets`], [`tid`] | replies exactly once, with mention and link facets |
//! | [`moderation`] | hide (threadgate), mute, block, report, delete |
//! | [`dm`] | the seam where the chat module (DMs) plugs in |
//!
//! No push stream: the account is polled (the firehose carries every account's records,
//! not an account's notifications).

pub mod api;
pub mod cursor;
pub mod dm;
pub mod facets;
pub mod items;
pub mod moderation;
pub mod notifications;
pub mod payload;
pub mod reply;
pub mod session;
pub mod thread;
pub mod tid;
pub mod xrpc;

pub mod chat;

use std::sync::Arc;

use super::credentials;
use super::http::{HttpClient, HttpOptions};
use super::ReplyRequest;
use super::{BoxFuture, Connector, ConnectorError, Delivered, Moderation, Page, PayloadProblem};
use crate::config::AccountConfig;
use crate::model::{Item, Kind, NewItem, Platform};
use api::Api;
use cursor::Cursor;
use session::Session;

/// The PDS when the account names none.
pub const DEFAULT_PDS: &str = "https://bsky.social";

/// A connector for a Bluesky account.
pub fn connect(
    account: &AccountConfig,
    options: HttpOptions,
) -> Result<Arc<dyn Connector>, ConnectorError> {
    Ok(Arc::new(Bluesky::new(account, options)?))
}

/// One Bluesky account.
pub struct Bluesky {
    account: String,
    /// Calls to the PDS.
    api: Api,
    session: Arc<Session>,
    options: HttpOptions,
    chat_api_base: String,
    /// Calls to the chat service (through the PDS's proxy, or `chat_api_base`).
    chat_http: HttpClient,
    /// The last chat failure reported, so a lasting one (an app password without DM
    /// access) is one sync problem, not one per pass.
    chat_failure: std::sync::Mutex<Option<String>>,
}

impl Bluesky {
    /// Checks the account's settings; the session is only made on first use.
    pub fn new(account: &AccountConfig, options: HttpOptions) -> Result<Bluesky, ConnectorError> {
        let identifier = account
            .identifier
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .ok_or_else(|| {
                ConnectorError::Auth(format!(
                    "account {}: no identifier configured (set identifier to the account's \
                     handle, e.g. \"brand.bsky.social\")",
                    account.name
                ))
            })?;
        let password =
            credentials::password(account).map_err(|e| ConnectorError::Auth(e.to_string()))?;
        let base = account.api_base.as_deref().unwrap_or(DEFAULT_PDS);
        let http = HttpClient::new(base, options.clone())?;
        let session = Arc::new(Session::new(&account.name, identifier, password));
        let chat_api_base = account
            .chat_api_base
            .clone()
            .unwrap_or_else(|| base.to_string());
        let chat_http = HttpClient::new(&chat_api_base, options.clone())?;
        Ok(Bluesky {
            account: account.name.clone(),
            api: Api::new(http, Arc::clone(&session)),
            session,
            options,
            chat_api_base,
            chat_http,
            chat_failure: std::sync::Mutex::default(),
        })
    }

    /// Requests sent to the PDS so far.
    pub fn requests(&self) -> u64 {
        self.api.requests()
    }

    /// Authenticated calls to the PDS.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// The login, to share with the chat calls (one session per account).
    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }

    /// The account's HTTP settings, for the chat client.
    pub fn http_options(&self) -> &HttpOptions {
        &self.options
    }

    /// Where `chat.bsky.convo.*` goes (default: the PDS, which proxies it).
    pub fn chat_api_base(&self) -> &str {
        &self.chat_api_base
    }

    /// Whether `error` differs from the chat failure reported last (and remembers it).
    fn chat_failure_is_new(&self, error: &ConnectorError) -> bool {
        let text = error.to_string();
        let mut last = self.chat_failure.lock().unwrap_or_else(|e| e.into_inner());
        last.replace(text.clone()).as_deref() != Some(text.as_str())
    }

    /// The chat works again: its next failure is reported.
    fn chat_works_again(&self) {
        *self.chat_failure.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The client for the chat service.
    pub fn chat_http(&self) -> &HttpClient {
        &self.chat_http
    }

    async fn next_page(&self, cursor: Option<&str>) -> Result<Page, ConnectorError> {
        let mut page = Page::default();
        // A cursor that cannot be read (damaged, from another connector) would stop the
        // account for good: start over as a first sync (bounded; ingest keeps one copy).
        let mut state = Cursor::parse(cursor).unwrap_or_else(|error| {
            page.problems.push(PayloadProblem::new(
                format!(
                    "{error}; syncing again from the last {} days",
                    cursor::BACKLOG_DAYS
                ),
                cursor.unwrap_or_default(),
            ));
            Cursor::fresh()
        });
        if !state.chat_more {
            notifications::step(&self.api, &self.account, &mut state.notif, &mut page).await?;
        }
        // DMs get their turn once the notifications walk is over.
        if state.notif.walk.is_none() {
            match dm::fetch_new(self, state.chat.as_deref()).await {
                Ok(Some(chat)) => {
                    self.chat_works_again();
                    page.items.extend(chat.items);
                    page.problems.extend(chat.problems);
                    state.chat = chat.cursor.or(state.chat);
                    state.chat_more = chat.more;
                }
                Ok(None) => state.chat_more = false,
                // A chat failure (e.g. an app password without DM access) must not hold
                // the notifications back: it is reported with the page.
                Err(error) => {
                    state.chat_more = false;
                    if self.chat_failure_is_new(&error) {
                        page.problems
                            .push(PayloadProblem::new(format!("bluesky DMs: {error}"), ""));
                    }
                }
            }
        }
        page.more = state.notif.walk.is_some() || state.chat_more;
        page.cursor = Some(state.to_text());
        Ok(page)
    }
}

impl Connector for Bluesky {
    fn account(&self) -> &str {
        &self.account
    }

    fn platform(&self) -> Platform {
        Platform::Bluesky
    }

    /// Replies in brand threads, mentions and quotes (see [`cursor`] for the walk and the
    /// first sync's backlog), then DMs.
    fn fetch_new<'a>(
        &'a self,
        cursor: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Page, ConnectorError>> {
        Box::pin(self.next_page(cursor))
    }

    fn fetch_thread<'a>(
        &'a self,
        item: &'a Item,
    ) -> BoxFuture<'a, Result<Vec<NewItem>, ConnectorError>> {
        Box::pin(async move {
            match item.kind {
                Kind::Dm => dm::fetch_thread(self, item).await,
                _ => thread::fetch(&self.api, &self.account, &item.remote_id).await,
            }
        })
    }

    fn send_reply<'a>(
        &'a self,
        request: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Delivered, ConnectorError>> {
        Box::pin(async move {
            match request.item.kind {
                Kind::Dm => dm::send_reply(self, request).await,
                _ => reply::send(&self.api, &self.account, request).await,
            }
        })
    }

    fn find_sent<'a>(
        &'a self,
        request: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Option<Delivered>, ConnectorError>> {
        Box::pin(async move {
            match request.item.kind {
                Kind::Dm => dm::find_sent(self, request).await,
                _ => reply::find(&self.api, &self.account, request).await,
            }
        })
    }

    fn moderate<'a>(
        &'a self,
        item: &'a Item,
        action: &'a Moderation,
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(async move {
            let about_author = matches!(action, Moderation::Mute | Moderation::Block);
            match item.kind {
                Kind::Dm if !about_author => dm::moderate(self, item, action).await,
                _ => moderation::moderate(&self.api, item, action).await,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::path::Path;

    fn account(fields: &str) -> AccountConfig {
        let text = format!("[[accounts]]\nname = \"acme-bsky\"\nplatform = \"bluesky\"\n{fields}");
        Config::parse(Path::new("c.toml"), &text).unwrap().accounts[0].clone()
    }

    #[test]
    fn an_account_needs_an_identifier_and_a_password_and_logs_in_only_when_used() {
        let missing = Bluesky::new(&account("password = \"p\""), HttpOptions::default());
        let error = missing.err().unwrap().to_string();
        assert!(
            error.contains("account acme-bsky: no identifier"),
            "{error}"
        );
        let no_password = Bluesky::new(
            &account("identifier = \"acme.test\""),
            HttpOptions::default(),
        );
        let error = no_password.err().unwrap().to_string();
        assert!(error.contains("account acme-bsky: no password"), "{error}");
        let ok = Bluesky::new(
            &account("identifier = \"acme.test\"\npassword = \"app-pass\""),
            HttpOptions::default(),
        )
        .unwrap();
        assert_eq!(ok.requests(), 0);
        assert_eq!(ok.chat_api_base(), DEFAULT_PDS);
        assert_eq!(ok.platform(), Platform::Bluesky);
    }
}
