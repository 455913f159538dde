//! Platform connectors: they turn platform payloads into [`NewItem`]s and carry replies and
//! moderation back. They know HTTP and their platform; they know nothing of the TUI or of
//! sled. One file (or folder) per platform.
//!
//! The hub holds one [`Connector`] per account and drives it: the sync engine
//! (`hub::sync`) asks for what is new since the account's cursor, page by page, and stores
//! the cursor only once the page's items are durable; the outbox hands it replies.

pub mod bluesky;
pub mod credentials;
pub mod demo;
pub mod facebook;
pub mod graph;
pub mod http;
pub mod instagram;
pub mod mastodon;
pub mod registry;
pub mod simulator;
pub mod stored_cursor;
pub mod x;
pub mod youtube;

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Item, NewItem, Platform, Usage};

pub use crate::model::Moderation;
pub use registry::{build_connectors, BuildProblem};

/// A boxed future, so connectors can be used as trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A reply to deliver.
#[derive(Clone, Debug)]
pub struct ReplyRequest {
    /// The item answered (as stored).
    pub item: Item,
    pub text: String,
    /// Fixed when the reply was queued: the same on every attempt.
    pub idempotency_key: String,
    /// A private reply to a public comment (Facebook and Instagram: a direct message to the
    /// commenter, allowed once per comment within 7 days); false for every other reply.
    pub private: bool,
    /// When the customer last wrote in the conversation (the item's thread as stored): what
    /// Meta's messaging windows run from, so a connector picks `RESPONSE` inside 24 hours and
    /// the `HUMAN_AGENT` tag after.
    pub last_customer_message: DateTime<Utc>,
}

impl ReplyRequest {
    /// A public reply (or a DM answer) to `item`, whose customer last wrote when `item`
    /// was written.
    pub fn new(item: Item, text: impl Into<String>, idempotency_key: impl Into<String>) -> Self {
        ReplyRequest {
            last_customer_message: item.created_at,
            item,
            text: text.into(),
            idempotency_key: idempotency_key.into(),
            private: false,
        }
    }
}

/// What the platform made of a delivered reply: our reply as an item of the thread.
#[derive(Clone, Debug)]
pub struct Delivered {
    pub reply: NewItem,
}

/// One page of what is new on an account since a cursor.
#[derive(Clone, Debug, Default)]
pub struct Page {
    /// Items read from the page (new ones and new versions of known ones).
    pub items: Vec<NewItem>,
    /// Payloads that could not be made into items: recorded as sync errors, raw included.
    pub problems: Vec<PayloadProblem>,
    /// The cursor to store once `items` are durable: passed back to the next
    /// [`Connector::fetch_new`]. Opaque to everyone but the connector. `None`: keep the old.
    pub cursor: Option<String>,
    /// True when another page is waiting now (call again with `cursor`).
    pub more: bool,
}

/// A platform payload that could not be read (whole or in part).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PayloadProblem {
    /// What was wrong, naming the field or the endpoint.
    pub reason: String,
    /// The payload as received (cut to [`PayloadProblem::MAX_RAW`] bytes), for the record.
    pub raw: String,
}

impl PayloadProblem {
    /// The most of a raw payload kept with a sync error.
    pub const MAX_RAW: usize = 64 * 1024;

    pub fn new(reason: impl Into<String>, raw: &str) -> PayloadProblem {
        let mut end = raw.len().min(Self::MAX_RAW);
        while !raw.is_char_boundary(end) {
            end -= 1;
        }
        PayloadProblem {
            reason: reason.into(),
            raw: raw[..end].to_string(),
        }
    }
}

/// Why a connector could not do something. Messages never hold a secret, and platform text
/// in them is cut and stripped of control characters (see `http::client`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConnectorError {
    /// Worth trying again later (network, timeout, 5xx).
    #[error("{0} (will retry)")]
    Transient(String),
    /// The platform asks us to wait.
    #[error("rate-limited until {}", until.format("%Y-%m-%d %H:%M:%S UTC"))]
    RateLimited { until: DateTime<Utc> },
    /// The credentials were refused (401/403, a bad app password, an expired session).
    #[error("authentication failed: {0}")]
    Auth(String),
    /// The platform refused; retrying the same request will not help.
    #[error("{0}")]
    Refused(String),
    /// The platform cannot do this at all (a moderation it lacks, a DM it cannot send).
    #[error("{0}")]
    Unsupported(String),
}

/// One platform account.
pub trait Connector: Send + Sync {
    /// The configured account name.
    fn account(&self) -> &str;

    /// The platform the account is on.
    fn platform(&self) -> Platform;

    /// What is new since `cursor` (`None`: never synced), one page at a time: mentions,
    /// replies and comments to the brand's posts, DMs. The first sync of an account reads
    /// its recent backlog (see each connector).
    fn fetch_new<'a>(
        &'a self,
        cursor: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Page, ConnectorError>>;

    /// The conversation around an item (ancestors and replies), as items. Posts that are
    /// already stored come back as well; ingest keeps one copy.
    fn fetch_thread<'a>(
        &'a self,
        item: &'a Item,
    ) -> BoxFuture<'a, Result<Vec<NewItem>, ConnectorError>>;

    /// Sends a reply (public or DM, as the item calls for).
    fn send_reply<'a>(
        &'a self,
        request: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Delivered, ConnectorError>>;

    /// Looks on the platform for a reply already sent with this idempotency key (after a
    /// crash between sending and recording it).
    fn find_sent<'a>(
        &'a self,
        request: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Option<Delivered>, ConnectorError>>;

    /// Moderates an item or its author where the platform allows it.
    fn moderate<'a>(
        &'a self,
        item: &'a Item,
        action: &'a Moderation,
    ) -> BoxFuture<'a, Result<(), ConnectorError>>;

    /// What the account has used today of its platform's metered allowance (YouTube's quota
    /// units, X's spend, Meta's throttling); `None` where the platform meters nothing.
    fn usage(&self) -> Option<Usage> {
        None
    }

    /// Resumes the day's count from what a previous hub saved (the count is only kept by
    /// the connector while the hub runs). A count of another day is ignored.
    fn resume_usage(&self, saved: &Usage) {
        let _ = saved;
    }

    /// The pause between two polls, given the configured `poll_interval`: a metered
    /// platform stretches it as its allowance runs low (YouTube spreads what is left of the
    /// day's quota over the hours left).
    fn poll_interval(&self, configured: std::time::Duration) -> std::time::Duration {
        configured
    }

    /// A signed webhook delivery's entry naming this account (the platform's JSON, e.g. one
    /// `entry` of a Meta delivery), handed over before the account's sync is woken: for a
    /// connector that learns from it what polling cannot list (Instagram's mentioned
    /// comments). Most need nothing from it: the wake is enough.
    fn pushed(&self, entry: &serde_json::Value) {
        let _ = entry;
    }

    /// A push channel for near-real-time sync, where the platform offers one: runs until
    /// the stream ends or fails, calling `wake` whenever something new may be there (the
    /// sync engine then fetches it with the cursor, so nothing is read twice). `None`: the
    /// platform has none, poll only.
    fn stream<'a>(
        &'a self,
        wake: &'a (dyn Fn() + Send + Sync),
    ) -> Option<BoxFuture<'a, Result<(), ConnectorError>>> {
        let _ = wake;
        None
    }
}

/// The connectors the hub drives, by account name.
#[derive(Clone, Default)]
pub struct Connectors {
    by_account: BTreeMap<String, Arc<dyn Connector>>,
}

impl Connectors {
    pub fn add(&mut self, connector: Arc<dyn Connector>) {
        self.by_account
            .insert(connector.account().to_string(), connector);
    }

    pub fn get(&self, account: &str) -> Option<&Arc<dyn Connector>> {
        self.by_account.get(account)
    }

    pub fn accounts(&self) -> impl Iterator<Item = &str> {
        self.by_account.keys().map(String::as_str)
    }

    pub fn all(&self) -> impl Iterator<Item = &Arc<dyn Connector>> {
        self.by_account.values()
    }

    pub fn is_empty(&self) -> bool {
        self.by_account.is_empty()
    }
}
