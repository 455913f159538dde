//! The outbox: replies become durable entries before anything is sent, and a delivery task
//! hands them to the account's connector with retries and backoff.
//!
//! Exactly-once across crashes: the idempotency key is fixed when the entry is queued; an
//! entry found in `sending` (the hub died mid-attempt) is first looked for on the platform
//! (`Connector::find_sent`) and only sent again if it is not there.
//!
//! Every entry is written through [`Hub::save_entry`], which also publishes it to
//! subscribers (`Event::Outbox`), so clients follow each entry's states live.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

use super::protocol::{ErrorKind, WireError};
use super::Hub;
use crate::config::AfterSend;
use crate::connectors::{ConnectorError, Connectors, Delivered, ReplyRequest};
use crate::model::{Actor, Item, ItemId, OutboxEntry, OutboxState, Status};
use crate::store::{AuditNote, StoreError};

/// Attempts before an entry is marked failed.
pub const MAX_ATTEMPTS: u32 = 5;
/// Longest reply text accepted into the outbox (the connector checks the platform's limit).
const MAX_REPLY: usize = 20_000;
/// How often the delivery task looks for due retries when nothing wakes it.
const POLL: Duration = Duration::from_secs(1);
/// Saved entries a slow subscriber may fall behind before it is told it lagged.
pub(super) const CHANGES_CAPACITY: usize = 1024;

/// One outbox entry as it was just saved, and the user who saved it (`switchboard` for
/// delivery): what subscribers get as `Event::Outbox`.
#[derive(Clone, Debug)]
pub struct EntrySaved {
    pub entry: OutboxEntry,
    pub by: String,
}

impl Hub {
    /// Saves an outbox entry (new or in a new state) and tells every subscriber who may see
    /// its account: the one place entries are written.
    pub(super) fn save_entry(&self, entry: &OutboxEntry, by: &Actor) -> Result<(), StoreError> {
        self.store.put_outbox(entry)?;
        // No subscriber is not an error: nobody is watching.
        let _ = self.outbox_changes.send(EntrySaved {
            entry: entry.clone(),
            by: by.user.clone(),
        });
        Ok(())
    }
}

/// A reply's text as the outbox keeps it (trimmed), or why it cannot be sent.
pub(super) fn checked_text(text: &str) -> Result<String, WireError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(bad("a reply cannot be empty"));
    }
    if text.chars().count() > MAX_REPLY {
        return Err(bad(&format!(
            "a reply is limited to {MAX_REPLY} characters"
        )));
    }
    Ok(text.to_string())
}

/// A new queued entry for a reply to `item` by `actor`.
pub(super) fn new_entry(
    hub: &Hub,
    actor: &Actor,
    item: ItemId,
    text: &str,
    now: DateTime<Utc>,
) -> Result<OutboxEntry, WireError> {
    let text = checked_text(text)?;
    let answered = hub
        .store()
        .get(item)
        .map_err(super::core::store_error)?
        .ok_or_else(|| super::core::store_error(StoreError::NotFound(item)))?;
    if answered.from_brand {
        return Err(bad(
            "that item is our own post or reply; answer the customer's item instead",
        ));
    }
    let id = ItemId::generate();
    Ok(OutboxEntry {
        id,
        item,
        account: answered.account,
        text,
        author: actor.user.clone(),
        idempotency_key: format!("switchboard-{id}"),
        state: OutboxState::Queued { retry_at: None },
        attempts: 0,
        moderation: None,
        private: false,
        created_at: now,
        updated_at: now,
    })
}

/// Delivers due entries through the hub's connectors until the task is aborted (see
/// `attach::PlatformTasks`). Wakes when the hub queues a reply.
pub async fn deliver_forever(hub: Arc<Hub>) {
    loop {
        if let Err(e) = deliver_due(&hub, &hub.connectors()).await {
            tracing::error!(error = %e, "outbox delivery pass failed");
        }
        tokio::select! {
            _ = hub.outbox_wakeup().notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

/// One pass over the outbox: every entry that is due gets one attempt.
pub async fn deliver_due(hub: &Arc<Hub>, connectors: &Connectors) -> Result<(), StoreError> {
    let now = Utc::now();
    for entry in hub.store().outbox()? {
        let due = match &entry.state {
            OutboxState::Queued { retry_at } => retry_at.is_none_or(|t| t <= now),
            OutboxState::Sending => true,
            _ => false,
        };
        if due {
            attempt(hub, connectors, entry).await?;
        }
    }
    Ok(())
}

async fn attempt(
    hub: &Arc<Hub>,
    connectors: &Connectors,
    mut entry: OutboxEntry,
) -> Result<(), StoreError> {
    let Some(connector) = connectors.get(&entry.account) else {
        let reason = format!("no connector for account '{}' in this hub", entry.account);
        return settle(hub, entry, OutboxState::Failed { reason });
    };
    let Some(item) = hub.store().get(entry.item)? else {
        let reason = format!("item {} no longer exists", entry.item);
        return settle(hub, entry, OutboxState::Failed { reason });
    };
    let request = ReplyRequest {
        last_customer_message: hub.last_customer_message(&item),
        item,
        text: entry.text.clone(),
        idempotency_key: entry.idempotency_key.clone(),
        private: entry.private,
    };
    if may_have_arrived(&entry) {
        match connector.find_sent(&request).await {
            Ok(Some(delivered)) => return record_sent(hub, entry, delivered),
            Ok(None) | Err(ConnectorError::Unsupported(_)) => {}
            Err(error) => return check_again_later(hub, entry, &error),
        }
    }
    entry.attempts += 1;
    let sending = OutboxEntry {
        state: OutboxState::Sending,
        ..entry.clone()
    };
    hub.save_entry(&sending, &Actor::system())?;
    hub.store().flush()?;
    let outcome = match &entry.moderation {
        Some(action) => connector
            .moderate(&request.item, action)
            .await
            .map(|()| None),
        None => connector.send_reply(&request).await.map(Some),
    };
    let store = hub.store().as_ref();
    hub.accounts
        .set_usage(store, connector.account(), connector.usage());
    match outcome {
        Ok(Some(delivered)) => record_sent(hub, entry, delivered),
        Ok(None) => record_moderated(hub, entry, &request.item),
        Err(ConnectorError::RateLimited { until }) => {
            tracing::warn!(entry = %entry.id, %until, "delivery rate-limited");
            settle(
                hub,
                entry,
                OutboxState::Queued {
                    retry_at: Some(until),
                },
            )
        }
        Err(
            error @ (ConnectorError::Refused(_)
            | ConnectorError::Auth(_)
            | ConnectorError::Unsupported(_)),
        ) => settle(
            hub,
            entry,
            OutboxState::Failed {
                reason: error.to_string(),
            },
        ),
        Err(ConnectorError::Transient(reason)) if entry.attempts >= MAX_ATTEMPTS => settle(
            hub,
            entry,
            OutboxState::Failed {
                reason: format!("{reason}; gave up after {MAX_ATTEMPTS} attempts"),
            },
        ),
        Err(ConnectorError::Transient(reason)) => {
            tracing::warn!(entry = %entry.id, %reason, "delivery failed; will retry");
            let retry_at = Some(Utc::now() + backoff(entry.attempts));
            settle(hub, entry, OutboxState::Queued { retry_at })
        }
    }
}

/// Whether an earlier attempt of this reply may have reached the platform: the hub stopped
/// mid-attempt (`sending`), or an attempt failed in a way that does not prove the platform
/// never got it (a timeout after the platform accepted). Such a reply is looked for before it
/// is sent again: platforms without an idempotency key (Bluesky DMs) rely on that. A
/// moderation step is simply carried out again (hiding, muting, blocking twice is the same
/// as once).
fn may_have_arrived(entry: &OutboxEntry) -> bool {
    entry.moderation.is_none() && (entry.state == OutboxState::Sending || entry.attempts > 0)
}

/// The platform could not say whether an earlier attempt arrived: never send blind; ask
/// again after a pause, and give up (failed, retryable by a person) after the attempts.
fn check_again_later(
    hub: &Hub,
    mut entry: OutboxEntry,
    error: &ConnectorError,
) -> Result<(), StoreError> {
    entry.attempts += 1;
    if entry.attempts >= MAX_ATTEMPTS {
        let reason = format!(
            "could not check whether an earlier attempt arrived: {error}; gave up after \
             {MAX_ATTEMPTS} attempts (look on the platform before retrying)"
        );
        return settle(hub, entry, OutboxState::Failed { reason });
    }
    tracing::warn!(entry = %entry.id, %error, "could not look for an earlier attempt");
    let retry_at = match error {
        ConnectorError::RateLimited { until } => *until,
        _ => Utc::now() + backoff(entry.attempts),
    };
    let retry_at = Some(retry_at);
    settle(hub, entry, OutboxState::Queued { retry_at })
}

/// Exponential backoff with jitter: about 2 s, 4 s, 8 s, ... capped at 5 minutes.
fn backoff(attempts: u32) -> chrono::Duration {
    let base = 2u64.saturating_pow(attempts.min(8)).min(300) * 1000;
    let jitter = rand::thread_rng().gen_range(0..=base / 2);
    chrono::Duration::milliseconds((base + jitter) as i64)
}

/// Records the new state and audits it on the item.
fn settle(hub: &Hub, mut entry: OutboxEntry, state: OutboxState) -> Result<(), StoreError> {
    let now = Utc::now();
    let what = entry.what();
    let detail = match &state {
        OutboxState::Failed { reason } => format!("{what} {} failed: {reason}", entry.id),
        OutboxState::Queued { .. } => format!(
            "{what} {} will be retried (attempt {})",
            entry.id, entry.attempts
        ),
        other => format!("{what} {} {other}", entry.id),
    };
    entry.state = state;
    entry.updated_at = now;
    hub.save_entry(&entry, &Actor::system())?;
    let action = if entry.moderation.is_some() {
        "moderate"
    } else {
        "reply"
    };
    hub.store()
        .append_audit(&Actor::system(), now, Some(entry.item), action, &detail)?;
    hub.store().flush()
}

/// The platform has our reply: put it in the thread, move the item as the team configured
/// (`[replies] after_send`: resolved, or pending on the customer), then record the entry
/// `sent`.
///
/// In that order, each step flushed before the next: a hub killed in between leaves the
/// entry `sending`, so the next one finds the reply with `find_sent` and comes back here
/// (the reply is ingested once, the item is already resolved). Recorded `sent` first, a
/// kill before the item was resolved left it pending for good, since nothing looks at a
/// sent entry again.
fn record_sent(hub: &Hub, entry: OutboxEntry, delivered: Delivered) -> Result<(), StoreError> {
    let now = hub.now();
    let policy = hub.sla_policy();
    let reply = delivered.reply;
    let state = OutboxState::Sent {
        remote_id: reply.remote_id.clone(),
        url: reply.url.clone(),
        at: now,
    };
    let actor = Actor::new(entry.author.clone(), "outbox");
    hub.store().ingest(vec![reply], &actor, now)?;
    let after = match hub.reply_policy().after_send {
        AfterSend::Resolved => Status::Resolved,
        AfterSend::Pending => Status::Pending,
    };
    let moved = hub.store().update(entry.item, &actor, now, &mut |item| {
        let from = item.status;
        let moved = matches!(item.set_status(after), Ok(true));
        let first = item.first_response_at.is_none();
        item.first_response_at.get_or_insert(now);
        if let Some(policy) = &policy {
            policy.on_status_change(item, from, now);
            policy.on_reply_sent(item, now);
        }
        Ok(if moved {
            Some(AuditNote::new(
                "status",
                format!("{from} -> {after}: reply sent"),
            ))
        } else if first {
            Some(AuditNote::new("sla", "first response sent"))
        } else {
            None
        })
    });
    match moved {
        Ok(_) | Err(StoreError::NotFound(_)) => hub.store().flush()?,
        Err(e) => return Err(e),
    }
    settle(hub, entry, state)
}

/// The platform carried out a moderation step: record it on the item, then the entry.
fn record_moderated(hub: &Hub, entry: OutboxEntry, item: &Item) -> Result<(), StoreError> {
    let now = Utc::now();
    if let Some(action) = &entry.moderation {
        super::moderation::record_moderation(hub, &entry, action, now)?;
    }
    let state = OutboxState::Sent {
        remote_id: item.remote_id.clone(),
        url: item.url.clone(),
        at: now,
    };
    settle(hub, entry, state)
}

fn bad(message: &str) -> WireError {
    WireError {
        kind: ErrorKind::BadRequest,
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests;
