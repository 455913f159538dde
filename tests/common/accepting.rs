//! A platform that accepts every reply and moderation step: for tests of what the hub does
//! around delivery (approvals, after-send rules), not of a platform.

use std::sync::{Arc, Mutex};
use switchboard::connectors::{
    BoxFuture, Connector, ConnectorError, Delivered, Moderation, Page, ReplyRequest,
};

use switchboard::model::{Item, NewItem, Platform};

/// Accepts every reply on `account` and hands it back as our post in the item's thread.
pub struct Accepting {
    account: String,
    /// Every reply request it was handed, in order.
    sent: Arc<Mutex<Vec<ReplyRequest>>>,
}

impl Accepting {
    pub fn new(account: &str) -> Accepting {
        Accepting {
            account: account.to_string(),
            sent: Arc::default(),
        }
    }

    /// The requests it will be handed, for the test to read later.
    pub fn requests(&self) -> Arc<Mutex<Vec<ReplyRequest>>> {
        Arc::clone(&self.sent)
    }
}

impl Connector for Accepting {
    fn account(&self) -> &str {
        &self.account
    }
    fn platform(&self) -> Platform {
        Platform::Bluesky
    }
    fn fetch_new<'a>(&'a self, _: Option<&'a str>) -> BoxFuture<'a, Result<Page, ConnectorError>> {
        Box::pin(async { Ok(Page::default()) })
    }
    fn fetch_thread<'a>(
        &'a self,
        _: &'a Item,
    ) -> BoxFuture<'a, Result<Vec<NewItem>, ConnectorError>> {
        Box::pin(async { Ok(vec![]) })
    }
    fn send_reply<'a>(
        &'a self,
        request: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Delivered, ConnectorError>> {
        let mut reply = super::items::customer_item(&self.account, 0);
        reply.remote_id = format!("reply-{}", request.idempotency_key);
        reply.parent_id = Some(request.item.remote_id.clone());
        reply.thread_id = Some(request.item.thread_key().to_string());
        reply.author.handle = "acme.bsky.social".into();
        reply.text = request.text.clone();
        reply.from_brand = true;
        self.sent.lock().unwrap().push(request.clone());
        Box::pin(async move { Ok(Delivered { reply }) })
    }
    fn find_sent<'a>(
        &'a self,
        _: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Option<Delivered>, ConnectorError>> {
        Box::pin(async { Ok(None) })
    }
    fn moderate<'a>(
        &'a self,
        _: &'a Item,
        _: &'a Moderation,
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(async { Ok(()) })
    }
}
