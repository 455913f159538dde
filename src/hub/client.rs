//! The client side of the hub: one [`HubClient`] whether the hub runs in this process or
//! behind the Unix socket, so every CLI verb and the TUI are written once.
//! (Interface fixed; implementation being written.)

use tokio::sync::mpsc;

use super::protocol::{Event, Request, Response, WireError};

/// Why a call did not get an answer.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The hub answered with a refusal or failure.
    #[error(transparent)]
    Hub(#[from] WireError),
    /// The connection to the hub broke.
    #[error("lost the connection to the hub: {0}")]
    Disconnected(String),
}

/// A handle on the hub. Cheap to clone; clones share one connection.
#[derive(Clone)]
pub struct HubClient {}

impl HubClient {
    /// Sends one request and waits for its answer.
    pub async fn call(&self, _request: Request) -> Result<Response, ClientError> {
        unimplemented!("being written")
    }

    /// Subscribes to hub events (changes made by anyone). Each call is a new subscription.
    pub async fn subscribe(&self) -> Result<mpsc::Receiver<Event>, ClientError> {
        unimplemented!("being written")
    }

    /// The user the hub says we are.
    pub fn user(&self) -> &str {
        unimplemented!("being written")
    }

    /// `socket PATH` or `in-process`, for the status bar.
    pub fn connection(&self) -> String {
        unimplemented!("being written")
    }
}
