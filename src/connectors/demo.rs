//! The simulator as a connector: in the demo, replies go to the simulated platforms, which
//! answer like the real ones would (our reply appears in the thread; the customer may write
//! back later through the live stream).

use std::sync::{Arc, Mutex};

use super::simulator::Simulator;
use super::{BoxFuture, Connector, ConnectorError, Delivered, Moderation, Page, ReplyRequest};
use crate::model::{Item, NewItem, Platform};

/// One demo account, backed by the shared simulator.
pub struct DemoConnector {
    account: String,
    platform: Platform,
    simulator: Arc<Mutex<Simulator>>,
    /// Replies delivered, by idempotency key (what a platform's idempotency would remember).
    delivered: Arc<Mutex<std::collections::HashMap<String, Delivered>>>,
}

impl DemoConnector {
    /// A connector for every demo account of the simulator.
    pub fn for_all_accounts(simulator: &Arc<Mutex<Simulator>>) -> Vec<Arc<dyn Connector>> {
        let accounts = simulator
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .accounts();
        let delivered = Arc::default();
        accounts
            .into_iter()
            .map(|(account, platform)| {
                Arc::new(DemoConnector {
                    account,
                    platform,
                    simulator: Arc::clone(simulator),
                    delivered: Arc::clone(&delivered),
                }) as Arc<dyn Connector>
            })
            .collect()
    }
}

impl Connector for DemoConnector {
    fn account(&self) -> &str {
        &self.account
    }

    fn platform(&self) -> Platform {
        self.platform.clone()
    }

    /// The simulator pushes its traffic into the hub itself (see `cli::demo`): nothing to
    /// fetch.
    fn fetch_new<'a>(
        &'a self,
        _cursor: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Page, ConnectorError>> {
        Box::pin(async { Ok(Page::default()) })
    }

    /// The simulator writes whole threads: the context is already stored.
    fn fetch_thread<'a>(
        &'a self,
        _item: &'a Item,
    ) -> BoxFuture<'a, Result<Vec<NewItem>, ConnectorError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    /// A simulated platform accepts every moderation step.
    fn moderate<'a>(
        &'a self,
        _item: &'a Item,
        _action: &'a Moderation,
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(async { Ok(()) })
    }

    fn send_reply<'a>(
        &'a self,
        request: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Delivered, ConnectorError>> {
        Box::pin(async move {
            let mut delivered = self.delivered.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(earlier) = delivered.get(&request.idempotency_key) {
                return Ok(earlier.clone());
            }
            let mut simulator = self.simulator.lock().unwrap_or_else(|e| e.into_inner());
            let sent = simulator
                .deliver_reply(&request.item, &request.text)
                .map_err(|e| ConnectorError::Refused(e.to_string()))?;
            let result = Delivered { reply: sent.reply };
            delivered.insert(request.idempotency_key.clone(), result.clone());
            Ok(result)
        })
    }

    fn find_sent<'a>(
        &'a self,
        request: &'a ReplyRequest,
    ) -> BoxFuture<'a, Result<Option<Delivered>, ConnectorError>> {
        Box::pin(async move {
            let delivered = self.delivered.lock().unwrap_or_else(|e| e.into_inner());
            Ok(delivered.get(&request.idempotency_key).cloned())
        })
    }
}
