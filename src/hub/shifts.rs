//! The shift clock: when someone's time on call ends, every item assigned to them that still
//! needs work goes to whoever is on call right after (`handover = "next"`), or back to the
//! unassigned pool (`"pool"`, or nobody next, or the next person may not see the item), each
//! with an audit line by the hub (`shift ended: alice -> bob`).
//!
//! [`rollover`] does that for the shift ends between two instants, and records in the store
//! how far it got, so a second pass over the same time does nothing and a hub that was down
//! during a shift end catches up at start, once. [`keep_forever`] is the task long-running
//! hosts start (`serve`, the TUI, the demo): it wakes at the next shift boundary, and at
//! least every minute, and rolls over up to now.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Hub;
use crate::model::{Actor, ItemId};
use crate::store::{AuditNote, StoreError};
use crate::team::OnCall;

/// The name the store keeps the shift clock's progress under.
pub const TASK: &str = "shifts";
/// The longest the clock sleeps: a changed `[oncall]` (team reload) is seen within it.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// One item handed on at a shift end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handed {
    pub item: ItemId,
    pub from: String,
    /// `None`: back to the unassigned pool.
    pub to: Option<String>,
    pub shift_end: DateTime<Utc>,
}

/// Rolls shifts over until the process ends.
pub async fn keep_forever(hub: Arc<Hub>) {
    loop {
        let now = Utc::now();
        let worker = Arc::clone(&hub);
        match tokio::task::spawn_blocking(move || catch_up(&worker, now)).await {
            Ok(Ok(handed)) if !handed.is_empty() => {
                tracing::info!(items = handed.len(), "shift ends handed items on");
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "shift rollover failed"),
            Err(e) => tracing::error!(error = %e, "shift rollover task failed"),
        }
        tokio::time::sleep(sleep_after(&hub, now)).await;
    }
}

/// How long to sleep after a pass at `now`: until the next boundary, a minute at most.
fn sleep_after(hub: &Hub, now: DateTime<Utc>) -> Duration {
    hub.schedule()
        .and_then(|schedule| schedule.next_boundary(now))
        .and_then(|next| (next - now).to_std().ok())
        .map_or(MAX_SLEEP, |wait| wait.min(MAX_SLEEP))
}

/// Rolls over from where the last pass stopped to `now`. The first pass on a store only
/// marks `now`: shift ends from before the hub ever ran are history, not work.
pub fn catch_up(hub: &Hub, now: DateTime<Utc>) -> Result<Vec<Handed>, StoreError> {
    match hub.store().processed_until(TASK)? {
        Some(done) => rollover(hub, done, now),
        None => {
            hub.store().set_processed_until(TASK, now)?;
            hub.store().flush()?;
            Ok(Vec::new())
        }
    }
}

/// Hands on the open items of everyone whose shift ended in `(from, to]`, skipping the part
/// of that window an earlier pass already did, and records `to` as done.
pub fn rollover(
    hub: &Hub,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Handed>, StoreError> {
    let store = hub.store();
    let from = store
        .processed_until(TASK)?
        .map_or(from, |done| done.max(from));
    if to <= from {
        return Ok(Vec::new());
    }
    let mut handed = Vec::new();
    if let Some(schedule) = hub.schedule() {
        for (leaver, end) in schedule.ends_between(from, to) {
            handed.extend(hand_on(hub, &schedule, &leaver, end, to)?);
        }
    }
    store.set_processed_until(TASK, to)?;
    store.flush()?;
    Ok(handed)
}

/// Moves `leaver`'s open items to the next person on call (or the pool), written at `now`.
fn hand_on(
    hub: &Hub,
    schedule: &OnCall,
    leaver: &str,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<Handed>, StoreError> {
    let next = match schedule.handover() {
        crate::config::Handover::Next => schedule
            .on_call_at(end)
            .into_iter()
            .find(|user| user != leaver)
            .and_then(|user| hub.member_named(&user)),
        crate::config::Handover::Pool => None,
    };
    let mut handed = Vec::new();
    for id in hub.store().by_assignee(leaver)? {
        let mut moved = None;
        hub.store().update(id, &Actor::system(), now, &mut |item| {
            if item.assignee.as_deref() != Some(leaver) || !item.status.is_active() {
                return Ok(None);
            }
            let to = next
                .as_ref()
                .filter(|member| member.scope().shows(item))
                .map(|member| member.name.clone());
            item.assignee = to.clone();
            let detail = format!(
                "shift ended: {leaver} -> {}",
                to.as_deref().unwrap_or("unassigned")
            );
            moved = Some(to);
            Ok(Some(AuditNote::new("assign", detail)))
        })?;
        if let Some(to) = moved {
            handed.push(Handed {
                item: id,
                from: leaver.to_string(),
                to,
                shift_end: end,
            });
        }
    }
    Ok(handed)
}
