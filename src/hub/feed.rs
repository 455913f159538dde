//! One subscriber's event stream: the store's committed changes that the subscriber may see,
//! the outbox entries saved on the accounts it sees, the presence list, the sync states
//! of the accounts it sees, the escalations it may see, the SLA clock's warnings, breaches
//! and pages on its accounts, and the notices naming its user, merged.
//!
//! Changes pass at once. Presence is coalesced: after a presence change the subscriber gets
//! the newest list once [`PRESENCE_PAUSE`] has passed, so twenty CMs opening and closing items
//! cost each client a few presence events a second rather than one per keystroke of everyone.

use std::time::Duration;

use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::Instant;

use super::escalations::EscalationSaved;
use super::outbox::EntrySaved;
use super::protocol::{Event, PresenceEntry};
use super::sla::SlaEvent;
use super::Hub;
use crate::model::{AccountStatus, Notice};
use crate::store::Change;
use crate::team::Scope;

/// How long presence changes are collected before the newest list is sent.
pub const PRESENCE_PAUSE: Duration = Duration::from_millis(150);
/// How long account state changes are collected: a quick pass (syncing, then ok) shows as
/// no change at all.
pub const ACCOUNTS_PAUSE: Duration = Duration::from_secs(1);

/// Events for one subscriber, within its scope.
pub struct EventFeed {
    changes: broadcast::Receiver<Change>,
    outbox: broadcast::Receiver<EntrySaved>,
    escalations: broadcast::Receiver<EscalationSaved>,
    presence: broadcast::Receiver<Vec<PresenceEntry>>,
    /// The newest presence list not sent yet, and when it goes out. The list online when
    /// the subscription starts goes out first, at once.
    held: Option<(Vec<PresenceEntry>, Instant)>,
    accounts: broadcast::Receiver<Vec<AccountStatus>>,
    /// What the SLA clock did (warnings, breaches, pages, acknowledgements).
    sla: broadcast::Receiver<SlaEvent>,
    /// The newest account list not sent yet, when it goes out, and the last one sent.
    held_accounts: Option<(Vec<AccountStatus>, Instant)>,
    sent_accounts: Option<Vec<AccountStatus>>,
    scope: Scope,
    notices: broadcast::Receiver<Notice>,
    /// The subscriber's user: only notices naming it pass (none without a user).
    user: Option<String>,
}

impl EventFeed {
    /// The next event; `None` when the hub is gone.
    pub async fn next(&mut self) -> Option<Event> {
        loop {
            let due = self.held.as_ref().map(|(_, at)| *at);
            let accounts_due = self.held_accounts.as_ref().map(|(_, at)| *at);
            tokio::select! {
                change = self.changes.recv() => match change {
                    Ok(change) if !self.scope.sees(&change.item) => continue,
                    received => return Hub::event_from(received),
                },
                saved = self.outbox.recv() => match saved {
                    Ok(saved) if !self.scope.sees_account(&saved.entry.account) => continue,
                    Ok(EntrySaved { entry, by }) => {
                        return Some(Event::Outbox { entry: Box::new(entry), by })
                    }
                    Err(RecvError::Lagged(missed)) => return Some(Event::Lagged { missed }),
                    Err(RecvError::Closed) => return None,
                },
                saved = self.escalations.recv() => match saved {
                    Ok(saved) if !self.scope.sees_escalation(&saved.escalation) => continue,
                    Ok(EscalationSaved { escalation, by }) => {
                        return Some(Event::Escalation { escalation: Box::new(escalation), by })
                    }
                    Err(RecvError::Lagged(missed)) => return Some(Event::Lagged { missed }),
                    Err(RecvError::Closed) => return None,
                },
                sla = self.sla.recv() => match sla {
                    Ok(event) if !self.scope.sees_account(&event.account) => continue,
                    Ok(event) => return Some(Event::Sla { event }),
                    Err(RecvError::Lagged(missed)) => return Some(Event::Lagged { missed }),
                    Err(RecvError::Closed) => return None,
                },
                online = self.presence.recv() => match online {
                    Ok(online) => self.hold(online),
                    // Each update is the whole list: skipping old ones loses nothing.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                },
                () = sleep_until(due) => {
                    if let Some((online, _)) = self.held.take() {
                        return Some(Event::Presence { online });
                    }
                }
                accounts = self.accounts.recv() => match accounts {
                    Ok(accounts) => self.hold_accounts(accounts),
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                },
                () = sleep_until(accounts_due) => {
                    if let Some(event) = self.release_accounts() {
                        return Some(event);
                    }
                }
                notice = self.notices.recv() => match notice {
                    Ok(notice) if self.is_for_me(&notice) => {
                        return Some(Event::Notice { notice })
                    }
                    Ok(_) => continue,
                    // A notice is a ring, not state: nothing to reload when one is missed.
                    Err(RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "a subscriber missed notices");
                        continue;
                    }
                    Err(RecvError::Closed) => return None,
                },
            }
        }
    }

    /// Receives the notices that name `user` (the subscriber's switchboard user).
    pub fn with_user(mut self, user: &str) -> EventFeed {
        self.user = Some(user.to_string());
        self
    }

    fn is_for_me(&self, notice: &Notice) -> bool {
        self.user
            .as_ref()
            .is_some_and(|me| notice.users.iter().any(|u| u == me))
    }

    fn hold_accounts(&mut self, all: Vec<AccountStatus>) {
        let seen: Vec<AccountStatus> = all
            .into_iter()
            .filter(|s| self.scope.sees_account(&s.account))
            .collect();
        let at = match &self.held_accounts {
            Some((_, at)) => *at,
            None => Instant::now() + ACCOUNTS_PAUSE,
        };
        self.held_accounts = Some((seen, at));
    }

    /// The held list, unless it is the one sent last.
    fn release_accounts(&mut self) -> Option<Event> {
        let (accounts, _) = self.held_accounts.take()?;
        if self.sent_accounts.as_ref() == Some(&accounts) {
            return None;
        }
        self.sent_accounts = Some(accounts.clone());
        Some(Event::Accounts { accounts })
    }

    /// Keeps the newest list; the pause starts at the first change not sent yet.
    fn hold(&mut self, online: Vec<PresenceEntry>) {
        let at = match &self.held {
            Some((_, at)) => *at,
            None => Instant::now() + PRESENCE_PAUSE,
        };
        self.held = Some((online, at));
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

impl Hub {
    /// Subscribes to what `scope` may see of the hub's events.
    pub fn event_feed(&self, scope: Scope) -> EventFeed {
        let presence = self.presence_feed();
        EventFeed {
            held: Some((self.presence.online(), Instant::now())),
            changes: self.subscribe(),
            outbox: self.outbox_changes.subscribe(),
            escalations: self.escalation_changes.subscribe(),
            presence,
            accounts: self.accounts.subscribe(),
            sla: self.sla_events.subscribe(),
            held_accounts: None,
            sent_accounts: Some(self.accounts_for(&scope)),
            scope,
            notices: self.notice_feed(),
            user: None,
        }
    }
}
