//! Replies as the hub accepts them: the collision check (someone else answered or changed
//! the item since the writer opened it), holding replies that need approval, approving,
//! rejecting and retrying. Delivery itself is `outbox.rs`.

use chrono::{DateTime, Utc};

use super::core::store_error;
use super::protocol::{ErrorKind, Response, WireError};
use super::Hub;
use crate::model::{Actor, AnswerKind, AuditEntry, Item, ItemId, OutboxEntry, OutboxState, Status};
use crate::store::AuditNote;
use crate::team::Member;

/// How many of an item's changes a conflict message lists at most.
const CONFLICT_LINES: usize = 10;
/// How many of a thread's newest messages are read to find the customer's last one.
const THREAD_WINDOW_READ: usize = 50;

/// A reply as a writer asks for it.
pub(super) struct ReplyAsk<'a> {
    pub id: ItemId,
    pub text: &'a str,
    /// The item version the writer saw (the collision check).
    pub seen_version: Option<u64>,
    /// A private reply to a public comment (see `private_replies.rs`).
    pub private: bool,
}

impl<'a> ReplyAsk<'a> {
    pub fn public(id: ItemId, text: &'a str, seen_version: Option<u64>) -> Self {
        ReplyAsk {
            id,
            text,
            seen_version,
            private: false,
        }
    }

    pub fn private(id: ItemId, text: &'a str, seen_version: Option<u64>) -> Self {
        ReplyAsk {
            private: true,
            ..ReplyAsk::public(id, text, seen_version)
        }
    }
}

impl Hub {
    /// Saves a reply in the outbox (durably) and marks the item pending until it is sent;
    /// held for an approver when its author needs approval.
    pub(super) fn queue_reply(
        &self,
        member: &Member,
        actor: &Actor,
        ask: ReplyAsk<'_>,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let (id, text) = (ask.id, ask.text);
        let item = self.visible(&member.scope(), id)?;
        if let Some(seen) = ask.seen_version {
            self.refuse_if_changed_by_others(&item, seen, actor)?;
        }
        if ask.private {
            self.refuse_private_reply(&item, text, now)?;
        }
        self.refuse_if_platform_would(&item, text, now)?;
        let mut entry = super::outbox::new_entry(self, actor, id, text, now)?;
        entry.private = ask.private;
        let holding = self.escalation_holding(member, id)?;
        if member.requires_approval || holding.is_some() {
            entry.state = OutboxState::Held;
        }
        self.save_entry(&entry, actor).map_err(store_error)?;
        let excerpt = crate::ui::sanitize::one_line(&entry.text, 60);
        let note = match (&entry.state, &holding) {
            (_, Some(e)) => format!(
                "reply {} held for the {} escalation's owners: {excerpt}",
                entry.id, e.name
            ),
            (OutboxState::Held, None) => {
                format!("reply {} held for approval: {excerpt}", entry.id)
            }
            _ => format!("reply {} queued: {excerpt}", entry.id),
        };
        let note = match entry.private {
            true => format!("private {note}"),
            false => note,
        };
        // An item under an escalation stays escalated until an owner answers.
        self.mark_pending(id, actor, now, (note, holding.is_none()))?;
        self.flush()?;
        self.outbox_wakeup().notify_one();
        Ok(Response::Entry { entry })
    }

    /// Refuses with a `conflict` when anyone but the writer changed the item after the
    /// version the writer saw, naming each change. The writer is a user, a client *and* a
    /// connection: the same person in another program or another terminal made a change
    /// this one never showed.
    fn refuse_if_changed_by_others(
        &self,
        item: &Item,
        seen: u64,
        writer: &Actor,
    ) -> Result<(), WireError> {
        if item.version <= seen {
            return Ok(());
        }
        let newer = usize::try_from(item.version - seen).unwrap_or(usize::MAX);
        let entries = self
            .store
            .audit(Some(item.id), newer.min(200))
            .map_err(store_error)?;
        let others: Vec<&AuditEntry> = entries.iter().filter(|e| e.actor != *writer).collect();
        if others.is_empty() {
            return Ok(());
        }
        Err(WireError {
            kind: ErrorKind::Conflict,
            message: conflict_message(&others, writer),
        })
    }

    /// Refuses a reply the platform would refuse: too long (counted the platform's way) or
    /// outside its messaging window (Meta's DMs).
    fn refuse_if_platform_would(
        &self,
        item: &Item,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(), WireError> {
        let last = self.last_customer_message(item);
        match self.reply_policy().refusal(item, text.trim(), last, now) {
            Some(why) => Err(refused(why)),
            None => Ok(()),
        }
    }

    /// When the customer last wrote in the item's thread (the item itself at least): what
    /// a messaging window runs from. The detail (`show`) sends it to the composer too.
    pub(super) fn last_customer_message(&self, item: &Item) -> DateTime<Utc> {
        if !crate::responses::window::has_window(&item.platform, item.kind) {
            return item.created_at;
        }
        let thread = self
            .store
            .thread(&item.account, item.thread_key(), THREAD_WINDOW_READ)
            .unwrap_or_default();
        last_customer_message_in(item, &thread)
    }

    /// Checks an edited or retried reply against its item as it is now.
    fn refuse_entry_if_platform_would(
        &self,
        entry: &OutboxEntry,
        now: DateTime<Utc>,
    ) -> Result<(), WireError> {
        if entry.moderation.is_some() {
            return Ok(());
        }
        match self.store.get(entry.item).map_err(store_error)? {
            Some(item) => self.refuse_if_platform_would(&item, &entry.text, now),
            None => Ok(()),
        }
    }

    /// Marks the item pending (when its rules allow) with an audit line about the reply.
    fn mark_pending(
        &self,
        id: ItemId,
        actor: &Actor,
        now: DateTime<Utc>,
        (note, move_status): (String, bool),
    ) -> Result<(), WireError> {
        self.store
            .update(id, actor, now, &mut |item| {
                let from = item.status;
                let moved = move_status && matches!(item.set_status(Status::Pending), Ok(true));
                let detail = if moved {
                    format!("{note} ({from} -> pending)")
                } else {
                    note.clone()
                };
                Ok(Some(AuditNote::new("reply", detail)))
            })
            .map_err(store_error)?;
        Ok(())
    }

    /// Puts a failed or rejected reply back in the queue, with corrected text if given.
    /// A rejected reply goes back to its approvers when its author needs approval.
    pub(super) fn retry_reply(
        &self,
        member: &Member,
        actor: &Actor,
        entry_id: ItemId,
        text: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let mut entry = self.outbox_entry(member, entry_id)?;
        if !matches!(
            entry.state,
            OutboxState::Failed { .. } | OutboxState::Rejected { .. }
        ) {
            return Err(refused(format!(
                "reply {entry_id} is {}, only a failed or rejected reply can be retried",
                entry.state
            )));
        }
        if let Some(text) = text {
            refuse_text_on_moderation(&entry)?;
            entry.text = super::outbox::checked_text(&text)?;
        }
        self.refuse_entry_if_platform_would(&entry, now)?;
        entry.state = if member.requires_approval {
            OutboxState::Held
        } else {
            OutboxState::Queued { retry_at: None }
        };
        entry.attempts = 0;
        let detail = format!("{} {entry_id} retried ({})", entry.what(), entry.state);
        self.settle_entry(actor, entry, now, "reply", &detail)
    }

    /// Releases a held reply for delivery, with the approver's edits if any.
    pub(super) fn approve(
        &self,
        member: &Member,
        actor: &Actor,
        entry_id: ItemId,
        text: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let mut entry = self.held_entry(member, entry_id)?;
        let escalation = self.may_decide(member, &entry, "approve replies")?;
        let mut detail = format!("{} {entry_id} by {} approved", entry.what(), entry.author);
        if let Some(text) = text {
            refuse_text_on_moderation(&entry)?;
            entry.text = super::outbox::checked_text(&text)?;
            detail.push_str(" with edits");
        }
        self.refuse_entry_if_platform_would(&entry, now)?;
        entry.state = OutboxState::Queued { retry_at: None };
        let settled = self.settle_entry(actor, entry, now, "approve", &detail)?;
        if let Some(escalation) = escalation {
            self.record_answer(actor, escalation, AnswerKind::Approved, "", now)?;
        }
        Ok(settled)
    }

    /// Turns a held reply down; its author sees the reason on the item.
    pub(super) fn reject(
        &self,
        member: &Member,
        actor: &Actor,
        entry_id: ItemId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(WireError {
                kind: ErrorKind::BadRequest,
                message: "a rejection needs a reason for the reply's author".into(),
            });
        }
        let mut entry = self.held_entry(member, entry_id)?;
        self.may_decide(member, &entry, "reject replies")?;
        let detail = format!(
            "{} {entry_id} by {} rejected: {}",
            entry.what(),
            entry.author,
            crate::ui::sanitize::one_line(reason, 200)
        );
        entry.state = OutboxState::Rejected {
            reason: reason.to_string(),
            by: actor.user.clone(),
        };
        self.settle_entry(actor, entry, now, "reject", &detail)
    }

    /// Saves an entry in its new state with an audit line on its item (so everyone showing
    /// the item sees the outcome live), then wakes delivery.
    fn settle_entry(
        &self,
        actor: &Actor,
        mut entry: OutboxEntry,
        now: DateTime<Utc>,
        action: &str,
        detail: &str,
    ) -> Result<Response, WireError> {
        entry.updated_at = now;
        self.save_entry(&entry, actor).map_err(store_error)?;
        let rejected =
            matches!(entry.state, OutboxState::Rejected { .. }) && entry.moderation.is_none();
        self.store
            .update(entry.item, actor, now, &mut |item| {
                // A rejected reply leaves the item waiting on nobody: it needs work again.
                if rejected && item.status == Status::Pending {
                    let _ = item.set_status(Status::Open);
                }
                Ok(Some(AuditNote::new(action, detail)))
            })
            .map_err(store_error)?;
        self.flush()?;
        self.outbox_wakeup().notify_one();
        Ok(Response::Entry { entry })
    }

    fn held_entry(&self, member: &Member, entry_id: ItemId) -> Result<OutboxEntry, WireError> {
        let entry = self.outbox_entry(member, entry_id)?;
        if entry.state != OutboxState::Held {
            return Err(refused(format!(
                "reply {entry_id} is {}, not waiting for approval",
                entry.state
            )));
        }
        Ok(entry)
    }

    /// An outbox entry the member may see.
    fn outbox_entry(&self, member: &Member, entry_id: ItemId) -> Result<OutboxEntry, WireError> {
        self.store
            .outbox()
            .map_err(store_error)?
            .into_iter()
            .find(|e| e.id == entry_id && member.scope().sees_account(&e.account))
            .ok_or_else(|| WireError {
                kind: ErrorKind::NotFound,
                message: format!("no outbox entry with id {entry_id}"),
            })
    }
}

/// When the customer last wrote among `thread`'s messages (newest ones) and `item`.
pub(super) fn last_customer_message_in(item: &Item, thread: &[Item]) -> DateTime<Utc> {
    thread
        .iter()
        .filter(|i| !i.from_brand)
        .map(|i| i.created_at)
        .chain([item.created_at])
        .max()
        .unwrap_or(item.created_at)
}

/// A moderation step has no text to edit (its text says what it does).
fn refuse_text_on_moderation(entry: &OutboxEntry) -> Result<(), WireError> {
    match &entry.moderation {
        Some(action) => Err(WireError {
            kind: ErrorKind::BadRequest,
            message: format!(
                "{} {} is a moderation step ({action}): it has no text to edit",
                entry.what(),
                entry.id
            ),
        }),
        None => Ok(()),
    }
}

fn refused(message: String) -> WireError {
    WireError {
        kind: ErrorKind::Refused,
        message,
    }
}

/// "Changed since you opened it" with one line per change, newest last; the writer's own
/// changes from another client say which.
fn conflict_message(changes: &[&AuditEntry], writer: &Actor) -> String {
    let mut message = String::from("someone else changed this item since you opened it:");
    let skip = changes.len().saturating_sub(CONFLICT_LINES);
    for entry in &changes[skip..] {
        let who = if entry.actor.user != writer.user {
            entry.actor.user.clone()
        } else if entry.actor.client == writer.client {
            format!("{} (in another {})", entry.actor.user, entry.actor.client)
        } else {
            format!("{} (in {})", entry.actor.user, entry.actor.client)
        };
        message.push_str(&format!(
            "\n  {} {} {}: {}",
            entry.at.format("%H:%M:%S"),
            who,
            entry.action,
            crate::ui::sanitize::one_line(&entry.detail, 120)
        ));
    }
    message.push_str("\nreview the item, then send again to reply anyway");
    message
}
