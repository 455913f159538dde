//! Platform connectors: they turn platform payloads into [`NewItem`]s and carry replies back.
//! They know HTTP and their platform; they know nothing of the TUI or of sled. One file (or
//! folder) per platform.
//!
//! The hub holds one [`Connector`] per account and drives it: the outbox hands it replies.

pub mod credentials;
pub mod demo;
pub mod http;
pub mod simulator;

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::model::{Item, NewItem};

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
}

/// What the platform made of a delivered reply: our reply as an item of the thread.
#[derive(Clone, Debug)]
pub struct Delivered {
    pub reply: NewItem,
}

/// Why a connector could not do something.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ConnectorError {
    /// Worth trying again later (network, 5xx, rate limit).
    #[error("{0} (will retry)")]
    Transient(String),
    /// The platform refused; retrying the same request will not help.
    #[error("{0}")]
    Refused(String),
}

/// One platform account.
pub trait Connector: Send + Sync {
    /// The configured account name.
    fn account(&self) -> &str;

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
}
