//! Handoffs inside the hub: writing one (the numbers since the author's shift started, the
//! notes written since, their own note), within what the author may see, and reading the
//! latest.
//!
//! Each number costs one bounded read: `new` reads the item records received since the
//! start (a range of the time-ordered ids), `handled` and the notes read the audit back to
//! the start, `open` and `escalated` come from the counters (or the index), and the SLA
//! numbers read only the queue-index ranges of items due within the hour.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use super::core::store_error;
use super::protocol::{ErrorKind, Response, WireError};
use super::Hub;
use crate::model::{Actor, AuditEntry, Handoff, HandoffCounts, HandoffNote, ItemId, Status};
use crate::team::Scope;

/// The period a handoff covers when neither the schedule nor the caller says.
const DEFAULT_PERIOD: Duration = Duration::hours(8);
/// An open item due within this long is "near SLA".
const NEAR_SLA: Duration = Duration::hours(1);
/// The newest notes a handoff lists at most.
const MAX_NOTES: usize = 50;
/// Longest handoff note accepted.
const MAX_NOTE: usize = 10_000;
/// Audit lines a handoff reads back at most (days of a very busy team).
const MAX_AUDIT_LINES: usize = 1_000_000;

/// What the audit says about the period: items handled, and notes written (newest first).
#[derive(Default)]
struct Activity {
    handled: HashSet<ItemId>,
    notes: Vec<HandoffNote>,
}

impl Hub {
    /// Writes the caller's handoff and keeps it.
    pub(super) fn write_handoff(
        &self,
        actor: &Actor,
        scope: &Scope,
        (note, since): (Option<String>, Option<DateTime<Utc>>),
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let note = clean_note(note)?;
        let since = self.handoff_since(&actor.user, since, now)?;
        let activity = self.activity_since(scope, since)?;
        let mut counts = self.open_counts(actor, scope, now)?;
        counts.new = self.received_count(scope, since)?;
        counts.handled = activity.handled.len() as u64;
        let mut notes = activity.notes;
        notes.reverse();
        let handoff = Handoff {
            author: actor.user.clone(),
            at: now,
            since,
            counts,
            notes,
            note,
        };
        self.store.put_handoff(&handoff).map_err(store_error)?;
        self.flush()?;
        Ok(Response::Handoff { handoff })
    }

    /// The handoff written last, if any.
    pub(super) fn latest_handoff(&self) -> Result<Response, WireError> {
        let handoff = self.store.latest_handoff().map_err(store_error)?;
        Ok(Response::LatestHandoff { handoff })
    }

    /// Where the period starts: what the caller asked, else the start of their current or
    /// last shift, else 8 hours ago.
    fn handoff_since(
        &self,
        user: &str,
        asked: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, WireError> {
        if let Some(since) = asked {
            if since > now {
                return Err(bad(format!(
                    "a handoff sums up the past: {} is in the future",
                    since.to_rfc3339()
                )));
            }
            return Ok(since);
        }
        let shift_start = self.schedule().and_then(|s| s.last_start(user, now));
        Ok(shift_start.unwrap_or(now - DEFAULT_PERIOD))
    }

    /// Customer items received since `since` that the scope sees.
    fn received_count(&self, scope: &Scope, since: DateTime<Utc>) -> Result<u64, WireError> {
        let mut count = 0;
        for item in self.store.received_since(since) {
            let item = item.map_err(store_error)?;
            if !item.from_brand && scope.shows(&item) {
                count += 1;
            }
        }
        Ok(count)
    }

    /// Open and escalated items now, and the open items near or past their SLA.
    fn open_counts(
        &self,
        actor: &Actor,
        scope: &Scope,
        now: DateTime<Utc>,
    ) -> Result<HandoffCounts, WireError> {
        let Response::Counts { counts } = self.counts(actor, scope, now)? else {
            return Err(internal("counts answered with something else"));
        };
        let mut out = HandoffCounts {
            open: Status::ACTIVE.iter().map(|s| counts.get(*s)).sum(),
            escalated: counts.get(Status::Escalated),
            ..HandoffCounts::default()
        };
        let due = self
            .store
            .due_before(&Status::ACTIVE, now + NEAR_SLA)
            .map_err(store_error)?;
        for item in due.iter().filter(|item| scope.shows(item)) {
            match item.sla_due {
                Some(due) if due < now => out.past_sla += 1,
                Some(_) => out.near_sla += 1,
                None => {}
            }
        }
        Ok(out)
    }

    /// Reads the audit back to `since`: items resolved or replied to, and notes, within
    /// what the scope sees.
    fn activity_since(&self, scope: &Scope, since: DateTime<Utc>) -> Result<Activity, WireError> {
        let mut activity = Activity::default();
        let mut seen: HashMap<ItemId, bool> = HashMap::new();
        for entry in self.store.audit_newest_first().take(MAX_AUDIT_LINES) {
            let entry = entry.map_err(store_error)?;
            if entry.at < since {
                break;
            }
            let (handled, note) = (is_handled(&entry), entry.action == "note");
            let Some(id) = entry.item.filter(|_| handled || note) else {
                continue;
            };
            if !self.item_shown(scope, id, &mut seen)? {
                continue;
            }
            if handled {
                activity.handled.insert(id);
            }
            if note && activity.notes.len() < MAX_NOTES {
                activity.notes.push(HandoffNote {
                    at: entry.at,
                    by: entry.actor.user.clone(),
                    item: Some(id),
                    text: entry.detail.clone(),
                });
            }
        }
        Ok(activity)
    }

    /// Whether the scope sees an item, reading each item once.
    fn item_shown(
        &self,
        scope: &Scope,
        id: ItemId,
        seen: &mut HashMap<ItemId, bool>,
    ) -> Result<bool, WireError> {
        if scope.is_everything() {
            return Ok(true);
        }
        if let Some(known) = seen.get(&id) {
            return Ok(*known);
        }
        let item = self.store.get(id).map_err(store_error)?;
        let shown = item.is_some_and(|item| scope.shows(&item));
        seen.insert(id, shown);
        Ok(shown)
    }
}

/// An audit line that says a person dealt with an item: resolved it, or replied to it.
fn is_handled(entry: &AuditEntry) -> bool {
    match entry.action.as_str() {
        "status" => entry.detail.contains("-> resolved"),
        "reply" => entry.actor != Actor::system(),
        _ => false,
    }
}

fn clean_note(note: Option<String>) -> Result<Option<String>, WireError> {
    let Some(note) = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if note.chars().count() > MAX_NOTE {
        return Err(bad(format!(
            "a handoff note is limited to {MAX_NOTE} characters"
        )));
    }
    Ok(Some(note))
}

fn bad(message: String) -> WireError {
    WireError {
        kind: ErrorKind::BadRequest,
        message,
    }
}

fn internal(message: &str) -> WireError {
    WireError {
        kind: ErrorKind::Internal,
        message: message.to_string(),
    }
}
