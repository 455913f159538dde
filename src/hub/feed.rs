//! One subscriber's event stream: the store's committed changes that the subscriber may see,
//! and the presence list, merged in arrival order.

use tokio::sync::broadcast::{self, error::RecvError};

use super::protocol::{Event, PresenceEntry};
use super::Hub;
use crate::store::Change;
use crate::team::Scope;

/// Events for one subscriber, within its scope.
pub struct EventFeed {
    /// Who is online when the subscription starts: the first event, so a subscriber knows
    /// at once without waiting for someone to come or go.
    initial: Option<Vec<PresenceEntry>>,
    changes: broadcast::Receiver<Change>,
    presence: broadcast::Receiver<Vec<PresenceEntry>>,
    scope: Scope,
}

impl EventFeed {
    /// The next event; `None` when the hub is gone.
    pub async fn next(&mut self) -> Option<Event> {
        if let Some(online) = self.initial.take() {
            return Some(Event::Presence { online });
        }
        loop {
            tokio::select! {
                change = self.changes.recv() => match change {
                    Ok(change) if !self.scope.sees(&change.item) => continue,
                    received => return Hub::event_from(received),
                },
                online = self.presence.recv() => match online {
                    Ok(online) => return Some(Event::Presence { online }),
                    // Each update is the whole list: skipping old ones loses nothing.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                },
            }
        }
    }
}

impl Hub {
    /// Subscribes to what `scope` may see of the hub's events.
    pub fn event_feed(&self, scope: Scope) -> EventFeed {
        let presence = self.presence_feed();
        EventFeed {
            initial: Some(self.presence.online()),
            changes: self.subscribe(),
            presence,
            scope,
        }
    }
}
