//! The Facebook Pages connector: one Page, acting with a Page access token through the
//! shared Graph API client (`graph::GraphClient`: bearer token, error bodies, throttling).
//!
//! - what is new (`fetch`, with its own cursor, `cursor`): comments and replies on the Page's
//!   recent posts, posts that tag the Page, Messenger conversations;
//! - the payloads (`payload`) and their conversion to items (`items`);
//! - threads (`thread`), replies and private replies (`reply`), moderation (`moderation`).
//!
//! Account keys: `page_id` (required), `token`/`token_env`/`token_cmd` (a Page access
//! token), `api_base` (default [`graph::FACEBOOK_GRAPH`], the API version included),
//! `human_agent` (answer DMs up to 7 days with the `HUMAN_AGENT` tag).

mod cursor;
mod fetch;
mod items;
mod messenger;
mod moderation;
mod payload;
mod reply;
mod thread;

use std::sync::Arc;

use chrono::Utc;

use super::graph::{self, GraphClient};
use super::http::HttpOptions;
use super::{BoxFuture, Connector, ConnectorError, Delivered, Moderation, Page, ReplyRequest};
use crate::config::AccountConfig;
use crate::model::{Item, NewItem, Platform, Usage};

pub use cursor::{Cursor, Step, Walk, FIRST_SYNC_PAGES, MAX_WALK_PAGES, WATCHED_POSTS};
pub use payload::PermalinkIds;

/// A connector for a Facebook Page account.
pub fn connect(
    account: &AccountConfig,
    options: HttpOptions,
) -> Result<Arc<dyn Connector>, ConnectorError> {
    Ok(Arc::new(FacebookConnector::new(account, options)?))
}

/// One Facebook Page.
pub struct FacebookConnector {
    account: String,
    page_id: String,
    human_agent: bool,
    graph: GraphClient,
    origin: items::Origin,
}

impl FacebookConnector {
    /// Needs `page_id` and a token; errors name the account, never the token.
    pub fn new(
        account: &AccountConfig,
        options: HttpOptions,
    ) -> Result<FacebookConnector, ConnectorError> {
        let name = &account.name;
        let page_id = account
            .page_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                ConnectorError::Refused(format!(
                    "account {name}: a facebook account needs page_id (the Page's numeric id)"
                ))
            })?;
        graph::path_id(page_id)
            .map_err(|e| ConnectorError::Refused(format!("account {name}: page_id: {e}")))?;
        let graph = GraphClient::new(account, graph::FACEBOOK_GRAPH, options)?;
        Ok(FacebookConnector {
            account: name.clone(),
            page_id: page_id.to_string(),
            human_agent: account.human_agent.unwrap_or(false),
            graph,
            origin: items::Origin {
                account: name.clone(),
                page_id: page_id.to_string(),
            },
        })
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> u64 {
        self.graph.requests()
    }
}

impl Connector for FacebookConnector {
    fn account(&self) -> &str {
        &self.account
    }

    fn platform(&self) -> Platform {
        Platform::Facebook
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
        Box::pin(self.reply(request, Utc::now()))
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
}
