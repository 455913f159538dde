//! Raising notices (see `model::notice`). PLACEHOLDER for the notifications work: today a
//! notice is only logged; the notifications change makes it a durable delivery per channel
//! with retries, and an event to the named users' terminals.

use super::protocol::WireError;
use super::Hub;
use crate::model::Notice;

impl Hub {
    /// Hands a notice over for delivery. Never waits on a channel: delivery is background
    /// work, so a slow webhook or mail server cannot hold the hub.
    pub(crate) fn notify(&self, notice: Notice) -> Result<(), WireError> {
        tracing::info!(kind = notice.kind.as_str(), title = %notice.title, "notice (not delivered yet)");
        Ok(())
    }
}
