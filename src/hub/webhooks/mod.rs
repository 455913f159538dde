//! The hub's opt-in webhook endpoint (`[webhooks] listen`): Meta (Facebook Pages,
//! Instagram) and X (Account Activity API) call it when something happens, so items arrive
//! within seconds instead of at the next poll.
//!
//! A webhook only *wakes* the sync of the account it names (`Hub::wake_account`): that
//! account's next pass starts at once and reads what is new with its stored cursor. So
//! nothing arrives twice, nothing is read from the webhook's body beyond which account it
//! is about, and a lost or refused webhook costs nothing: polling stays on and fills any
//! gap. Every delivery is checked (HMAC-SHA256 signatures in constant time) before it
//! wakes anything.
//!
//! - [`signature`]: the HMACs (Meta's hex body signature, X's base64 one and CRC token);
//! - [`routes`]: the routes and their secrets, resolved at start; a route without its
//!   secret answers 404;
//! - [`targets`]: which configured account a page id, IG user id or X user id is;
//! - [`meta`], [`x`]: each platform's verification request and deliveries;
//! - [`endpoint`]: a request's answer, and what an accepted delivery wakes;
//! - [`server`]: the HTTP/1 server (hyper), its limits and timeouts;
//! - [`status`]: counters and the line `doctor` prints.

pub mod endpoint;
pub mod meta;
pub mod routes;
pub mod server;
pub mod signature;
pub mod status;
pub mod targets;
pub mod x;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

pub use status::{RouteDown, WebhookStatus};

use crate::config::Config;
use crate::hub::Hub;

/// What the hub reports about its endpoint (empty until [`start`]).
#[derive(Default)]
pub struct EndpointSlot(RwLock<Option<Published>>);

struct Published {
    status: WebhookStatus,
    counters: Arc<status::Counters>,
}

/// The running endpoint: stopped when dropped.
pub struct WebhookServer {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl WebhookServer {
    /// The address bound (the configured one; its port when `:0` was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for WebhookServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Why the endpoint did not start.
#[derive(Debug, thiserror::Error)]
#[error("webhooks: cannot listen on {addr}: {source}")]
pub struct StartError {
    pub addr: SocketAddr,
    pub source: std::io::Error,
}

/// Starts the endpoint `config` asks for (`None` when `[webhooks] listen` is not set), on
/// the running Tokio runtime. Whether it started or not, the hub reports it (`Status`).
pub fn start(hub: &Arc<Hub>, config: &Config) -> Result<Option<WebhookServer>, StartError> {
    let Some(listen) = config.webhooks.listen else {
        return Ok(None);
    };
    let routes = routes::Routes::resolve(&config.webhooks);
    let counters = Arc::new(status::Counters::default());
    let mut status = WebhookStatus {
        listen: listen.to_string(),
        routes: routes.up(),
        down: routes.down.clone(),
        ..WebhookStatus::default()
    };
    let bound = server::bind(listen).and_then(|l| Ok((l.local_addr()?, l)));
    let (addr, listener) = match bound {
        Ok(bound) => bound,
        Err(source) => {
            status.problem = Some(source.to_string());
            hub.webhooks.publish(status, counters);
            return Err(StartError {
                addr: listen,
                source,
            });
        }
    };
    status.listen = addr.to_string();
    status.listening = true;
    for down in &status.down {
        tracing::warn!(route = %down.route, why = %down.why, "webhook route answers 404");
    }
    tracing::info!(%addr, routes = ?status.routes, "webhook endpoint listening");
    hub.webhooks.publish(status, Arc::clone(&counters));
    let endpoint = Arc::new(endpoint::Endpoint {
        hub: Arc::clone(hub),
        routes,
        targets: targets::Targets::from_accounts(&config.accounts),
        counters,
    });
    let task = tokio::spawn(server::serve(listener, endpoint));
    Ok(Some(WebhookServer { addr, task }))
}

impl EndpointSlot {
    fn publish(&self, status: WebhookStatus, counters: Arc<status::Counters>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Some(Published { status, counters });
    }

    fn current(&self) -> Option<WebhookStatus> {
        let slot = self.0.read().unwrap_or_else(|e| e.into_inner());
        slot.as_ref().map(|published| {
            let mut status = published.status.clone();
            published.counters.fill(&mut status);
            status
        })
    }
}

impl Hub {
    /// The webhook endpoint and its counters; `None` when this hub started none.
    pub fn webhook_status(&self) -> Option<WebhookStatus> {
        self.webhooks.current()
    }
}
