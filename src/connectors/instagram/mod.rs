//! The Instagram connector: one Instagram professional account (`ig_user_id`) on the Graph
//! API, with a Facebook-Login or an Instagram-Login token (`login`, see [`routes`]).
//!
//! - What is new (`fetch`, with its own `cursor`): comments and replies on the account's
//!   newest media, media that tag it (`mentions`), and DMs (`dms`), one page per call;
//!   a comment that @mentions the account is read by id (`mentions`: the id comes from a
//!   webhook, Instagram lists no such comments);
//! - the conversation around an item (`thread`), replies and private replies (`reply`),
//!   hiding and deleting comments (`moderation`);
//! - payloads (`payload`) and their items (`items`).
//!
//! Every call goes through the shared [`GraphClient`]: bearer token, Meta's error bodies
//! (even under a 200) and throttling headers, whose share in use is this account's usage.

mod cursor;
mod dms;
mod fetch;
mod items;
mod mentions;
mod moderation;
mod payload;
mod pushed;
mod reply;
pub mod routes;
mod sent;
mod thread;

use std::sync::Arc;

use chrono::Utc;

use super::graph::GraphClient;
use super::http::HttpOptions;
use super::{BoxFuture, Connector, ConnectorError, Delivered, Moderation, Page, ReplyRequest};
use crate::config::AccountConfig;
use crate::model::{Item, NewItem, Platform, Usage};
pub use items::Brand;
use routes::{Login, Routes};

/// A connector for an instagram account.
pub fn connect(
    account: &AccountConfig,
    options: HttpOptions,
) -> Result<Arc<dyn Connector>, ConnectorError> {
    Ok(Arc::new(InstagramConnector::new(account, options)?))
}

/// One Instagram professional account.
pub struct InstagramConnector {
    account: String,
    graph: GraphClient,
    routes: Routes,
    human_agent: bool,
    brand: tokio::sync::OnceCell<Brand>,
    /// Mentioned comments webhooks named, read on the next page asked for.
    pushed: pushed::PushedMentions,
}

impl InstagramConnector {
    /// Needs a token and `ig_user_id`; `login`, `page_id`, `api_base` and `human_agent` are
    /// optional. Errors name the account, never the token.
    pub fn new(
        account: &AccountConfig,
        options: HttpOptions,
    ) -> Result<InstagramConnector, ConnectorError> {
        let login = Login::of(account)?;
        let routes = Routes::of(account, login)?;
        let graph = GraphClient::new(account, login.default_base(), options)?;
        Ok(InstagramConnector {
            account: account.name.clone(),
            graph,
            routes,
            human_agent: account.human_agent.unwrap_or(false),
            brand: tokio::sync::OnceCell::new(),
            pushed: pushed::PushedMentions::default(),
        })
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> u64 {
        self.graph.requests()
    }

    /// The account itself (`GET /{ig-user-id}?fields=id,username`), read once.
    pub async fn brand(&self) -> Result<&Brand, ConnectorError> {
        self.brand
            .get_or_try_init(|| async {
                let me = self
                    .graph
                    .get(&self.routes.user(""), &[("fields", "id,username")])
                    .await?;
                let username = me
                    .get("username")
                    .and_then(|u| u.as_str())
                    .filter(|u| !u.is_empty())
                    .map(str::to_string);
                Ok(Brand {
                    id: self.routes.ig_user.clone(),
                    username,
                })
            })
            .await
    }
}

impl InstagramConnector {
    /// Makes items for this account now (the brand read once, then kept: after a send this
    /// never calls the platform).
    async fn maker(&self) -> Result<items::Maker<'_>, ConnectorError> {
        Ok(items::Maker {
            account: &self.account,
            brand: self.brand().await?,
            now: Utc::now(),
        })
    }
}

impl Connector for InstagramConnector {
    fn account(&self) -> &str {
        &self.account
    }

    fn platform(&self) -> Platform {
        Platform::Instagram
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
        self.graph.usage(Utc::now())
    }

    fn pushed(&self, entry: &serde_json::Value) {
        self.pushed.note(entry);
    }
}

/// Whether an error only means this feed is out of the token's reach (a permission not
/// granted, an edge this login lacks): the feed is skipped with a problem, the rest syncs.
fn out_of_reach(error: &ConnectorError) -> bool {
    match error {
        ConnectorError::Refused(_) => true,
        ConnectorError::Auth(why) => why.starts_with("permission missing"),
        _ => false,
    }
}
