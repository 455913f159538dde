//! The bounded reads a report needs, within the caller's scope, as plain facts:
//!
//! - the customer items received in the window: one range read of the item records from
//!   the window's start (their time-ordered ids carry the arrival time);
//! - the replies sent: one range read of the outbox entries created since the window's
//!   start (a reply to an item of the window is created after the item arrived);
//! - resolutions and escalations: the audit read newest first, stopping at the first line
//!   older than the window.
//!
//! Nothing else is read, except each item an audit line names that is not of the window
//! (once, to know whether the scope sees its account).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::window::Window;
use crate::model::{Actor, AuditEntry, ItemId, Kind, OutboxState};
use crate::store::{Result, Store};
use crate::team::Scope;

/// A customer item received in the window.
#[derive(Clone, Debug)]
pub struct Received {
    pub id: ItemId,
    pub platform: String,
    pub kind: Kind,
    pub received_at: DateTime<Utc>,
    pub sla_due: Option<DateTime<Utc>>,
}

/// Something a person did to an item at a time: a reply sent, a resolution.
#[derive(Clone, Debug)]
pub struct Done {
    pub item: ItemId,
    pub user: String,
    pub at: DateTime<Utc>,
}

/// An escalation line of the audit: raised (`escalate`, `NAME: NOTE`) or answered
/// (`escalation`, `NAME answered: ...`).
#[derive(Clone, Debug)]
pub struct EscalationLine {
    pub item: ItemId,
    pub name: String,
    pub at: DateTime<Utc>,
}

/// What the store says about the window, oldest first in every list.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub items: Vec<Received>,
    pub replies: Vec<Done>,
    pub resolutions: Vec<Done>,
    pub raised: Vec<EscalationLine>,
    pub answers: Vec<EscalationLine>,
}

/// Reads the facts of `window` that `scope` may see.
pub fn gather(store: &dyn Store, scope: &Scope, window: Window) -> Result<Facts> {
    let mut facts = Facts {
        items: received(store, scope, window)?,
        replies: replies(store, scope, window)?,
        ..Facts::default()
    };
    let mut shown: HashMap<ItemId, bool> = facts.items.iter().map(|i| (i.id, true)).collect();
    for entry in store.audit_newest_first() {
        let entry = entry?;
        if entry.at < window.since {
            break;
        }
        if entry.at >= window.until {
            continue;
        }
        audit_line(store, scope, &entry, &mut shown, &mut facts)?;
    }
    facts.resolutions.reverse();
    facts.raised.reverse();
    facts.answers.reverse();
    Ok(facts)
}

fn received(store: &dyn Store, scope: &Scope, window: Window) -> Result<Vec<Received>> {
    let mut items = Vec::new();
    for item in store.received_since(window.since) {
        let item = item?;
        if item.from_brand || !window.contains(item.received_at) || !scope.sees(&item) {
            continue;
        }
        items.push(Received {
            id: item.id,
            platform: item.platform.as_str().to_string(),
            kind: item.kind,
            received_at: item.received_at,
            sla_due: item.sla_due,
        });
    }
    Ok(items)
}

/// Replies (not moderation steps) the platforms accepted, sent before the window's end.
fn replies(store: &dyn Store, scope: &Scope, window: Window) -> Result<Vec<Done>> {
    let mut replies = Vec::new();
    for entry in store.outbox_since(window.since) {
        let entry = entry?;
        let OutboxState::Sent { at, .. } = entry.state else {
            continue;
        };
        if entry.moderation.is_some() || at >= window.until || !scope.sees_account(&entry.account) {
            continue;
        }
        replies.push(Done {
            item: entry.item,
            user: entry.author,
            at,
        });
    }
    replies.sort_by_key(|r| r.at);
    Ok(replies)
}

/// Files one audit line of the window among the facts, if it is one that counts.
fn audit_line(
    store: &dyn Store,
    scope: &Scope,
    entry: &AuditEntry,
    shown: &mut HashMap<ItemId, bool>,
    facts: &mut Facts,
) -> Result<()> {
    let Some(item) = entry.item else {
        return Ok(());
    };
    let resolved = is_resolution(entry);
    let escalation = escalation_name(entry).filter(|_| scope.sees_escalations());
    if (!resolved && escalation.is_none()) || !item_seen(store, scope, item, shown)? {
        return Ok(());
    }
    if resolved {
        facts.resolutions.push(Done {
            item,
            user: entry.actor.user.clone(),
            at: entry.at,
        });
    }
    if let Some((name, answer)) = escalation {
        let line = EscalationLine {
            item,
            name,
            at: entry.at,
        };
        if answer {
            facts.answers.push(line);
        } else {
            facts.raised.push(line);
        }
    }
    Ok(())
}

/// A status change to `resolved` (by a person or the hub).
fn is_resolution(entry: &AuditEntry) -> bool {
    entry.action == "status" && entry.detail.contains("-> resolved")
}

/// The escalation name of an `escalate` line (`NAME: NOTE`, false) or an `escalation`
/// answer (`NAME answered: ...`, true).
fn escalation_name(entry: &AuditEntry) -> Option<(String, bool)> {
    let head = entry.detail.split(':').next().unwrap_or_default().trim();
    match entry.action.as_str() {
        "escalate" if !head.is_empty() => Some((head.to_string(), false)),
        "escalation" => head
            .strip_suffix(" answered")
            .map(|name| (name.trim().to_string(), true)),
        _ => None,
    }
}

/// Whether the scope sees an item's account, reading each item once.
fn item_seen(
    store: &dyn Store,
    scope: &Scope,
    id: ItemId,
    shown: &mut HashMap<ItemId, bool>,
) -> Result<bool> {
    if scope.is_everything() {
        return Ok(true);
    }
    if let Some(known) = shown.get(&id) {
        return Ok(*known);
    }
    let seen = store.get(id)?.is_some_and(|item| scope.sees(&item));
    shown.insert(id, seen);
    Ok(seen)
}

/// The hub itself (it resolves nothing by hand, but reopens and rules may).
pub fn is_person(user: &str) -> bool {
    user != Actor::system().user
}
