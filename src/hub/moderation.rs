//! Moderation through the outbox: hiding a troll's reply, muting or blocking its author,
//! reporting it, deleting what the brand may delete, dismissing a notification.
//!
//! A moderation step is an outbox entry like a reply (`OutboxEntry::moderation`), so it
//! gets the same durability, retries, approvals and crash recovery: queued here, carried out
//! by the delivery task (`outbox.rs`), and recorded on the item (an audit line, and a tag:
//! `hidden`, `deleted`, `blocked`, `muted`, `reported`) only once the platform said yes.
//!
//! Blocking an author and deleting are lasting and public-facing: from anyone below
//! approver they are held for an approver; everything is held for a member whose replies
//! need approval.

use chrono::{DateTime, Utc};

use super::core::{require, store_error};
use super::protocol::{ErrorKind, Response, WireError};
use super::Hub;
use crate::model::{Actor, Item, ItemId, Moderation, OutboxEntry, OutboxState};
use crate::store::{AuditNote, StoreError};
use crate::team::{Member, Role};

impl Hub {
    /// Queues `action` on item `id` (held when it needs an approver first).
    pub(super) fn queue_moderation(
        &self,
        member: &Member,
        actor: &Actor,
        (id, action): (ItemId, Moderation),
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        if let Moderation::Report { reason } = &action {
            if reason.trim().is_empty() {
                return Err(bad("a report needs a reason (--reason)"));
            }
        }
        let item = self.visible(&member.scope(), id)?;
        let lasting = matches!(action, Moderation::Block | Moderation::Delete);
        let needs_approver = lasting && require(member, Role::Approver, "").is_err();
        let held = member.requires_approval || needs_approver;
        let entry = moderation_entry(actor, &item, action, held, now);
        self.save_entry(&entry, actor).map_err(store_error)?;
        let detail = match held {
            true => format!("{} {} held for approval", entry.text, entry.id),
            false => format!("{} {} queued", entry.text, entry.id),
        };
        self.store
            .update(id, actor, now, &mut |_| {
                Ok(Some(AuditNote::new("moderate", detail.clone())))
            })
            .map_err(store_error)?;
        self.flush()?;
        self.outbox_wakeup().notify_one();
        Ok(Response::Entry { entry })
    }
}

/// A new entry for `action` on `item`; its text says what and why.
fn moderation_entry(
    actor: &Actor,
    item: &Item,
    action: Moderation,
    held: bool,
    now: DateTime<Utc>,
) -> OutboxEntry {
    let id = ItemId::generate();
    OutboxEntry {
        id,
        item: item.id,
        account: item.account.clone(),
        text: action.to_string(),
        author: actor.user.clone(),
        idempotency_key: format!("switchboard-{id}"),
        state: match held {
            true => OutboxState::Held,
            false => OutboxState::Queued { retry_at: None },
        },
        attempts: 0,
        moderation: Some(action),
        private: false,
        created_at: now,
        updated_at: now,
    }
}

/// The platform carried out `action`: tag the item and audit it, as the entry's author.
pub(super) fn record_moderation(
    hub: &Hub,
    entry: &OutboxEntry,
    action: &Moderation,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let actor = Actor::new(entry.author.clone(), "outbox");
    let detail = format!("{action} on the platform ({})", entry.id);
    let done = hub.store().update(entry.item, &actor, now, &mut |item| {
        match tag_for(action) {
            Some((tag, true)) => item.tags.insert(tag.to_string()),
            Some((tag, false)) => item.tags.remove(tag),
            None => false,
        };
        Ok(Some(AuditNote::new("moderate", detail.clone())))
    });
    match done {
        Ok(_) | Err(StoreError::NotFound(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The tag an action leaves on the item, and whether it adds (or removes) it.
fn tag_for(action: &Moderation) -> Option<(&'static str, bool)> {
    match action {
        Moderation::Hide => Some(("hidden", true)),
        Moderation::Unhide => Some(("hidden", false)),
        Moderation::Delete => Some(("deleted", true)),
        Moderation::Mute => Some(("muted", true)),
        Moderation::Block => Some(("blocked", true)),
        Moderation::Report { .. } => Some(("reported", true)),
        Moderation::Dismiss => None,
    }
}

fn bad(message: &str) -> WireError {
    WireError {
        kind: ErrorKind::BadRequest,
        message: message.to_string(),
    }
}
