//! The YouTube connector (Data API v3): the comments on one channel's videos, acting with
//! the channel owner's OAuth token (`token`, scope `youtube.force-ssl`) for the channel
//! `channel_id`. Calls go to `{api_base}/youtube/v3/…` (`api_base` defaults to
//! `https://www.googleapis.com`).
//!
//! - What is new (`fetch`): `commentThreads.list` for the channel, published and held for
//!   review, newest first, with a cursor of our own (`cursor`); replies a thread did not
//!   include are read with `comments.list` (`thread`, which also serves `fetch_thread`);
//! - replies (`reply`): `comments.insert` under the top-level comment, and `find_sent`;
//! - moderation (`moderation`): `setModerationStatus`, `comments.delete`;
//! - the day's quota (`quota`): every call's cost counted, polling paced by what is left;
//! - the payloads (`payload`), their conversion to items (`items`), error bodies (`errors`),
//!   and the one way calls are made (`api`).

mod api;
mod cursor;
mod errors;
mod fetch;
mod items;
mod moderation;
mod payload;
mod quota;
mod reply;
mod thread;

use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use super::credentials::{self, Secret};
use super::http::{HttpClient, HttpOptions};
use super::{BoxFuture, Connector, ConnectorError, Delivered, Moderation, Page, ReplyRequest};
use crate::config::AccountConfig;
use crate::model::{Item, NewItem, Platform, Usage};

pub use items::HELD_TAG;
pub use quota::{next_reset, quota_day, DEFAULT_DAILY_QUOTA, RESERVE};

/// Where the Data API lives when the account does not say.
pub const DEFAULT_API_BASE: &str = "https://www.googleapis.com";

/// A connector for a youtube account.
pub fn connect(
    account: &AccountConfig,
    options: HttpOptions,
) -> Result<Arc<dyn Connector>, ConnectorError> {
    Ok(Arc::new(YoutubeConnector::new(account, options)?))
}

/// One YouTube channel.
pub struct YoutubeConnector {
    account: String,
    channel_id: String,
    http: HttpClient,
    token: Secret,
    quota: quota::Quota,
    /// Units spent by the pass under way, and by the last whole pass (what a poll costs).
    pass_cost: AtomicU64,
    last_pass_cost: AtomicU64,
}

impl YoutubeConnector {
    /// Needs `channel_id` and a token; errors name the account, never the token.
    pub fn new(
        account: &AccountConfig,
        options: HttpOptions,
    ) -> Result<YoutubeConnector, ConnectorError> {
        let name = &account.name;
        let channel_id = account
            .channel_id
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .ok_or_else(|| {
                ConnectorError::Refused(format!(
                    "account {name}: a youtube account needs channel_id (the channel's id, UC…)"
                ))
            })?;
        let channel_id = path_id(channel_id)
            .map_err(|e| ConnectorError::Refused(format!("account {name}: channel_id: {e}")))?;
        let api_base = account
            .api_base
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .unwrap_or(DEFAULT_API_BASE);
        let token = credentials::token(account).map_err(|e| ConnectorError::Auth(e.to_string()))?;
        let http = HttpClient::new(api_base, options).map_err(|e| match e {
            ConnectorError::Refused(why) => {
                ConnectorError::Refused(format!("account {name}: {why}"))
            }
            other => other,
        })?;
        let limit = account.daily_quota.unwrap_or(DEFAULT_DAILY_QUOTA);
        Ok(YoutubeConnector {
            account: name.clone(),
            channel_id: channel_id.to_string(),
            http,
            token,
            quota: quota::Quota::new(limit, Utc::now()),
            pass_cost: AtomicU64::new(0),
            last_pass_cost: AtomicU64::new(fetch::LISTINGS_PER_PASS),
        })
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> u64 {
        self.http.requests()
    }
}

impl Connector for YoutubeConnector {
    fn account(&self) -> &str {
        &self.account
    }

    fn platform(&self) -> Platform {
        Platform::Youtube
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
        Some(self.quota.usage(Utc::now()))
    }

    fn resume_usage(&self, saved: &Usage) {
        self.quota.resume(saved, Utc::now());
    }

    fn poll_interval(&self, configured: Duration) -> Duration {
        let now = Utc::now();
        let per_poll = self
            .last_pass_cost
            .load(std::sync::atomic::Ordering::Relaxed);
        quota::pause(self.quota.left(now), per_poll, now, configured).unwrap_or_else(|| {
            let to_reset = (next_reset(now) - now).to_std().unwrap_or_default();
            to_reset.max(configured)
        })
    }
}

/// An id from a payload, the store or the config, checked before it goes into a request:
/// YouTube ids are letters, digits, `_`, `-` (and `.` between a reply's two parts).
fn path_id(id: &str) -> Result<&str, ConnectorError> {
    let reply_part = |b: u8| super::http::word_byte(b) || b == b'.';
    let fine =
        super::http::made_of(id, 128, reply_part) && !id.starts_with('.') && !id.contains("..");
    super::http::checked_id(id, "a YouTube id", fine)
}
