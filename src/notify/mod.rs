//! Notice delivery: the background task that takes each pending [`Delivery`] (saved by
//! `Hub::notify`, one per notice and channel) to its `[notify.NAME]` channel, one file per
//! channel kind (`webhook.rs`, `email.rs`; what they say and how it is made safe in
//! `text.rs`).
//!
//! Started by long-running hosts like the outbox (`Hosted::start_notifications`). Every
//! attempt runs in its own task under a timeout, so a slow or dead receiver holds neither the
//! hub nor the other channels. A failed attempt is retried with exponential backoff and
//! jitter (`[notifications] attempts`, `retry`), then the delivery is `failed` with the last
//! reason. The state lives in the store, so a restarted hub resumes pending deliveries
//! (delivery is at least once: a hub killed mid-attempt sends that notice again).

mod email;
pub mod text;
mod webhook;

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

use crate::config::{Config, NotifyConfig};
use crate::hub::Hub;
use crate::model::{Delivery, DeliveryState, ItemId};

/// The longest sleep of the task: a new notice or a finished attempt wakes it sooner, and
/// so does the next retry that is due.
const IDLE: Duration = Duration::from_secs(30);
/// The longest wait between two attempts.
const MAX_BACKOFF_SECS: i64 = 600;

/// What one attempt came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// Worth another attempt (timeouts, 5xx, network errors).
    Retry(String),
    /// Final (a 4xx, a refused address, a channel that no longer exists).
    Fail(String),
}

/// Delivers pending notices until the task is aborted. Wakes when a notice is raised.
pub async fn deliver_forever(hub: Arc<Hub>) {
    let http = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(http) => http,
        Err(e) => {
            tracing::error!(error = %e, "cannot build the webhook client: no notice delivery");
            return;
        }
    };
    let in_flight = Arc::new(Mutex::new(HashSet::new()));
    loop {
        let next = start_due(&hub, &http, &in_flight);
        let pause = next.map_or(IDLE, |at| {
            (at - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(IDLE)
        });
        tokio::select! {
            _ = hub.notify_wakeup().notified() => {}
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// Starts one attempt for every due delivery not already being attempted; says when the
/// next retry falls due.
fn start_due(
    hub: &Arc<Hub>,
    http: &reqwest::Client,
    in_flight: &Arc<Mutex<HashSet<ItemId>>>,
) -> Option<DateTime<Utc>> {
    let deliveries = match hub.store().deliveries() {
        Ok(deliveries) => deliveries,
        Err(e) => {
            tracing::error!(error = %e, "cannot read pending deliveries");
            return Some(Utc::now() + chrono::Duration::seconds(5));
        }
    };
    let now = Utc::now();
    let next = deliveries
        .iter()
        .filter_map(|d| match d.state {
            DeliveryState::Pending { retry_at: Some(at) } if at > now => Some(at),
            _ => None,
        })
        .min();
    for delivery in deliveries.into_iter().filter(|d| d.is_due(now)) {
        let fresh = in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(delivery.id);
        if !fresh {
            continue;
        }
        let (hub, http, in_flight) = (Arc::clone(hub), http.clone(), Arc::clone(in_flight));
        tokio::spawn(async move {
            let id = delivery.id;
            attempt(&hub, &http, delivery).await;
            in_flight
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&id);
            // Its retry time is new: let the loop look again.
            hub.notify_wakeup().notify_one();
        });
    }
    next
}

/// One attempt, under the configured timeout, and its outcome recorded.
async fn attempt(hub: &Hub, http: &reqwest::Client, mut delivery: Delivery) {
    let config = hub.config();
    let timeout = to_std(config.notifications.timeout.duration());
    delivery.attempts += 1;
    // The channel's own timeout, plus a margin for the connection's setup and teardown.
    let outcome = tokio::time::timeout(timeout * 2, send(hub, http, &config, &delivery, timeout))
        .await
        .unwrap_or_else(|_| Outcome::Retry(format!("no outcome within {:?}", timeout * 2)));
    let state = next_state(&config, &mut delivery, outcome);
    delivery.state = state;
    delivery.updated_at = Utc::now();
    if let Err(e) = hub.save_delivery(&delivery) {
        tracing::error!(delivery = %delivery.id, error = %e, "cannot record a delivery");
    }
}

/// Sends a delivery on its channel.
async fn send(
    hub: &Hub,
    http: &reqwest::Client,
    config: &Config,
    delivery: &Delivery,
    timeout: Duration,
) -> Outcome {
    let Some(channel) = config.notify.get(&delivery.channel) else {
        return Outcome::Fail(format!("no [notify.{}] is configured", delivery.channel));
    };
    let item = match delivery.notice.item.map(|id| hub.store().get(id)) {
        Some(Ok(item)) => item,
        Some(Err(e)) => return Outcome::Retry(format!("cannot read the item: {e}")),
        None => None,
    };
    match channel {
        NotifyConfig::Webhook { url, format } => {
            let body = webhook::body(*format, delivery, item.as_ref());
            webhook::send(http, url, &body, timeout).await
        }
        NotifyConfig::Email { to } => {
            let Some(smtp) = &config.smtp else {
                return Outcome::Fail("an email channel needs [smtp]".into());
            };
            match email::message(smtp, to, delivery, item.as_ref()) {
                Ok(message) => email::send(smtp, message, timeout).await,
                Err(reason) => Outcome::Fail(reason),
            }
        }
    }
}

/// Where a delivery goes after an attempt: delivered, retried later, or failed for good.
fn next_state(config: &Config, delivery: &mut Delivery, outcome: Outcome) -> DeliveryState {
    let now = Utc::now();
    let attempts = config.notifications.attempts;
    match outcome {
        Outcome::Delivered => DeliveryState::Delivered { at: now },
        Outcome::Fail(reason) => {
            delivery.last_error = Some(reason.clone());
            tracing::warn!(delivery = %delivery.id, channel = %delivery.channel, %reason, "notice delivery failed");
            DeliveryState::Failed { reason, at: now }
        }
        Outcome::Retry(reason) if delivery.attempts >= attempts => {
            delivery.last_error = Some(reason.clone());
            tracing::warn!(delivery = %delivery.id, channel = %delivery.channel, %reason, "notice delivery gave up");
            DeliveryState::Failed {
                reason: format!("{reason}; gave up after {attempts} attempts"),
                at: now,
            }
        }
        Outcome::Retry(reason) => {
            tracing::info!(delivery = %delivery.id, channel = %delivery.channel, %reason, "notice delivery will be retried");
            delivery.last_error = Some(reason);
            let wait = backoff(config.notifications.retry.duration(), delivery.attempts);
            DeliveryState::Pending {
                retry_at: Some(now + wait),
            }
        }
    }
}

/// `first`, doubled after each attempt, capped at 10 minutes, plus up to half again of
/// jitter (so channels that failed together do not retry together).
fn backoff(first: chrono::Duration, attempts: u32) -> chrono::Duration {
    let doublings = attempts.saturating_sub(1).min(16);
    let base = (first.num_milliseconds().max(1) << doublings).min(MAX_BACKOFF_SECS * 1000);
    let jitter = rand::thread_rng().gen_range(0..=base / 2);
    chrono::Duration::milliseconds(base + jitter)
}

fn to_std(duration: chrono::Duration) -> Duration {
    duration.to_std().unwrap_or(Duration::from_secs(10))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Notice, NoticeKind};

    #[test]
    fn backoff_doubles_within_its_jitter_and_is_capped() {
        let first = chrono::Duration::seconds(2);
        for (attempts, base) in [(1, 2_000), (2, 4_000), (3, 8_000), (12, 600_000)] {
            let wait = backoff(first, attempts).num_milliseconds();
            assert!((base..=base * 3 / 2).contains(&wait), "{attempts}: {wait}");
        }
    }

    #[test]
    fn a_retry_past_the_last_attempt_fails_with_the_reason() {
        let config = Config::default();
        let notice = Notice {
            kind: NoticeKind::Page,
            at: Utc::now(),
            title: "t".into(),
            body: String::new(),
            item: None,
            channels: vec!["c".into()],
            users: Vec::new(),
        };
        let mut delivery = Delivery::new("c", notice, Utc::now());
        delivery.attempts = 1;
        let state = next_state(&config, &mut delivery, Outcome::Retry("503".into()));
        assert!(matches!(
            state,
            DeliveryState::Pending { retry_at: Some(_) }
        ));
        delivery.attempts = config.notifications.attempts;
        let state = next_state(&config, &mut delivery, Outcome::Retry("503".into()));
        let DeliveryState::Failed { reason, .. } = state else {
            panic!("{state:?}")
        };
        assert_eq!(reason, "503; gave up after 6 attempts");
        assert_eq!(delivery.last_error.as_deref(), Some("503"));
    }
}
