//! The background sync of one account: a pass, then a pause, forever. The pause is the
//! account's `poll_interval` after a good pass; after a failure it grows (full-jitter
//! backoff, capped) so a dead platform is not hammered; a rate limit waits exactly until
//! the platform's reset. Where the platform has a push stream (Mastodon's user stream), a
//! pushed event ends the pause at once: the pass then reads what is new with the cursor, so
//! the stream never makes an item arrive twice, and polling goes on if the stream drops. A
//! webhook wakes the same way, through the handle the loop registers (`wakes`).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::Notify;

use super::pass::run_pass;
use crate::connectors::http::Backoff;
use crate::connectors::Connector;
use crate::hub::Hub;
use crate::model::AccountState;

/// How an account is synced in the background.
#[derive(Clone, Copy, Debug)]
pub struct Cadence {
    pub poll: Duration,
    pub streaming: bool,
}

/// The longest pause after failures.
const MAX_FAILURE_PAUSE: Duration = Duration::from_secs(15 * 60);

/// Syncs `connector`'s account until the task is dropped.
pub async fn keep_syncing(hub: Arc<Hub>, connector: Arc<dyn Connector>, cadence: Cadence) {
    let wake = Arc::new(Notify::new());
    let _registration = hub.wakes.register(connector.account(), &wake);
    let _stream = cadence.streaming.then(|| {
        tokio::spawn(keep_streaming(
            Arc::clone(&hub),
            Arc::clone(&connector),
            Arc::clone(&wake),
        ))
    });
    let _stream = AbortOnDrop(_stream);
    let mut failures = 0u32;
    loop {
        run_pass(&hub, &connector).await;
        let state = hub
            .accounts
            .get(connector.account())
            .map(|s| s.state)
            .unwrap_or(AccountState::Idle);
        let pause = match state {
            AccountState::RateLimited { until } => {
                failures = 0;
                (until - Utc::now()).to_std().unwrap_or_default()
            }
            AccountState::Error { .. } | AccountState::AuthFailed { .. } => {
                failures += 1;
                failure_pause(cadence.poll, failures)
            }
            _ => {
                failures = 0;
                connector.poll_interval(cadence.poll)
            }
        };
        let rate_limited = matches!(state, AccountState::RateLimited { .. });
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = wake.notified(), if !rate_limited => {}
        }
    }
}

/// After `failures` failed passes in a row: at least the poll interval, growing to the cap.
fn failure_pause(poll: Duration, failures: u32) -> Duration {
    let backoff = Backoff {
        base: poll,
        cap: MAX_FAILURE_PAUSE.max(poll),
        attempts: u32::MAX,
    };
    backoff.ceiling(failures.saturating_sub(1)).max(poll)
}

/// Keeps the push stream connected, reconnecting with backoff; returns when the platform
/// has none.
async fn keep_streaming(hub: Arc<Hub>, connector: Arc<dyn Connector>, wake: Arc<Notify>) {
    let account = connector.account().to_string();
    let backoff = Backoff {
        base: Duration::from_secs(1),
        cap: Duration::from_secs(300),
        attempts: u32::MAX,
    };
    let mut failures = 0u32;
    loop {
        let notify = Arc::clone(&wake);
        let on_event = move || notify.notify_one();
        let Some(stream) = connector.stream(&on_event) else {
            return;
        };
        let store = hub.store().as_ref();
        hub.accounts.set_streaming(store, &account, true);
        // Whatever arrived while the stream was down is read now.
        wake.notify_one();
        let started = tokio::time::Instant::now();
        let ended = stream.await;
        hub.accounts.set_streaming(store, &account, false);
        if started.elapsed() > Duration::from_secs(60) {
            failures = 0;
        }
        failures += 1;
        if let Err(e) = ended {
            tracing::info!(account, error = %e, "push stream dropped; polling meanwhile");
        }
        let delay = backoff
            .delay(failures, &mut rand::thread_rng())
            .unwrap_or_default();
        tokio::time::sleep(delay.max(Duration::from_millis(200))).await;
    }
}

/// Aborts a spawned task when dropped (the stream dies with its account's loop).
struct AbortOnDrop(Option<tokio::task::JoinHandle<()>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(task) = &self.0 {
            task.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_pause_longer_up_to_the_cap() {
        let poll = Duration::from_secs(60);
        assert_eq!(failure_pause(poll, 1), poll);
        assert_eq!(failure_pause(poll, 2), Duration::from_secs(120));
        assert_eq!(failure_pause(poll, 30), MAX_FAILURE_PAUSE);
        let slow = Duration::from_secs(3600);
        assert_eq!(failure_pause(slow, 5), slow);
    }
}
