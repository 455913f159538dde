//! Escalating an item to the owners of an `[escalations.NAME]` (legal, brand, ...) and
//! listing what is waiting on whom. The owners' answers are `escalation_answers.rs`; a reply
//! held for the owners is `replies.rs`.
//!
//! An escalation is one atomic write: the item moves to `escalated` (through
//! `Status::transition`) with the name as a tag and the audit line `escalate` / `NAME: NOTE`,
//! and its [`Escalation`] record is saved with it. Then the owners are notified
//! (`Hub::notify`) and every subscriber who sees the item's account gets
//! `Event::Escalation`.

use chrono::{DateTime, Utc};

use super::core::store_error;
use super::protocol::{ErrorKind, Response, WireError};
use super::Hub;
use crate::model::{
    Actor, Escalation, EscalationRow, EscalationTarget, Item, ItemId, Notice, NoticeKind, Status,
};
use crate::store::{AuditNote, ChangeRejected};
use crate::team::{Member, Role, Scope};

/// Longest note accepted with an escalation or an answer.
pub(super) const MAX_NOTE: usize = 10_000;

/// One escalation as it was just saved, and the user who saved it: what subscribers get as
/// `Event::Escalation`.
#[derive(Clone, Debug)]
pub struct EscalationSaved {
    pub escalation: Escalation,
    pub by: String,
}

impl Hub {
    /// What a member may see: their role's scope, plus the items escalated to the
    /// escalations they own (an agent who owns `legal` sees its queue).
    pub(super) fn scope_of(&self, member: &Member) -> Scope {
        let owned = self
            .config()
            .escalations
            .iter()
            .filter(|(_, e)| e.owners.contains(&member.name))
            .map(|(name, _)| name.clone())
            .collect();
        member.scope().with_escalations_of(&member.name, owned)
    }

    /// Escalates item `id` to `[escalations.NAME]` on behalf of `actor` (a person, or the
    /// routing rules with a system actor whose client is `rules`): no scope check here, the
    /// caller has made it.
    pub(crate) fn escalate_item(
        &self,
        actor: &Actor,
        id: ItemId,
        name: &str,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<Escalation, WireError> {
        let config = self.config();
        let Some(target) = config.escalations.get(name) else {
            return Err(unknown_escalation(name, config.escalations.keys()));
        };
        let note = checked_note(note)?;
        let item = self.existing(id)?;
        if let Some(open) = self.open_escalations(id)?.iter().find(|e| e.name == name) {
            return Err(refused(format!(
                "item {id} is already escalated to {name} (by {} at {}, {})",
                open.by,
                open.at.format("%Y-%m-%d %H:%M UTC"),
                open.state
            )));
        }
        let sla = target.sla.map(|span| span.0);
        let escalation = Escalation::new(
            &item,
            (name, &target.owners),
            (&actor.user, &note),
            now,
            sla,
        );
        let detail = format!("{name}: {note}");
        // Tags are lower-case everywhere (the hub's tag rule); names may not be.
        let tag = name.to_lowercase();
        let mut edit = |item: &mut Item| {
            item.set_status(Status::Escalated)
                .map_err(|e| ChangeRejected(format!("item {}: {e}", item.id)))?;
            item.tags.insert(tag.clone());
            Ok(Some(AuditNote::new("escalate", detail.clone())))
        };
        self.store
            .update_with_escalation(id, actor, now, &mut edit, &escalation)
            .map_err(store_error)?;
        self.flush()?;
        self.publish_escalation(&escalation, actor);
        self.raise(Notice {
            kind: NoticeKind::Escalated,
            at: now,
            title: format!(
                "Escalated to {name}: @{} on {}",
                item.author.handle, item.platform
            ),
            body: format!("{} escalated it: {note}\n\n{}", actor.user, item.text),
            item: Some(id),
            channels: target.notify.clone(),
            users: target.owners.clone(),
        });
        Ok(escalation)
    }

    /// Escalations the member may see, oldest first, with their items: approvers and
    /// admins see every escalation on their accounts; agents those they own or made.
    pub(super) fn list_escalations(
        &self,
        member: &Member,
        scope: &Scope,
        mine: bool,
        waiting_only: bool,
    ) -> Result<Response, WireError> {
        let mut escalations = Vec::new();
        for escalation in self.store.escalations().map_err(store_error)? {
            let owner = self.may_answer_as_owner(member, &escalation);
            let theirs = owner || escalation.by == member.name;
            let wanted = (!mine || owner)
                && (!waiting_only || escalation.state.is_open())
                && (theirs || member.at_least(Role::Approver))
                && scope.sees_account(&escalation.account);
            if !wanted {
                continue;
            }
            if let Some(item) = self.store.get(escalation.item).map_err(store_error)? {
                escalations.push(EscalationRow { escalation, item });
            }
        }
        Ok(Response::Escalations {
            escalations,
            targets: self.escalation_targets(),
        })
    }

    /// The configured escalations, by name.
    fn escalation_targets(&self) -> Vec<EscalationTarget> {
        self.config()
            .escalations
            .iter()
            .map(|(name, e)| EscalationTarget {
                name: name.clone(),
                description: e.description.clone(),
                owners: e.owners.clone(),
                sla: e.sla.map(|span| span.to_string()),
            })
            .collect()
    }

    /// One item's escalations, oldest first (for its detail).
    pub(super) fn item_escalations(&self, id: ItemId) -> Result<Vec<Escalation>, WireError> {
        Ok(self
            .store
            .escalations()
            .map_err(store_error)?
            .into_iter()
            .filter(|e| e.item == id)
            .collect())
    }

    /// One item's escalations still with their owners.
    pub(super) fn open_escalations(&self, id: ItemId) -> Result<Vec<Escalation>, WireError> {
        let mut all = self.item_escalations(id)?;
        all.retain(|e| e.state.is_open());
        Ok(all)
    }

    /// Whether the member owns the escalation: named when it was made, or by its
    /// `[escalations.NAME]` now (owners change with the config).
    pub(super) fn may_answer_as_owner(&self, member: &Member, escalation: &Escalation) -> bool {
        escalation.owned_by(&member.name)
            || self
                .config()
                .escalations
                .get(&escalation.name)
                .is_some_and(|e| e.owners.contains(&member.name))
    }

    /// Tells subscribers an escalation was saved.
    pub(super) fn publish_escalation(&self, escalation: &Escalation, by: &Actor) {
        // No subscriber is not an error: nobody is watching.
        let _ = self.escalation_changes.send(EscalationSaved {
            escalation: escalation.clone(),
            by: by.user.clone(),
        });
    }

    /// Hands a notice over; the change it is about is already stored, so a failure to
    /// hand it over is logged rather than undoing it.
    pub(super) fn raise(&self, notice: Notice) {
        if let Err(e) = self.notify(notice) {
            tracing::error!(error = %e, "could not raise a notice");
        }
    }
}

/// A note or answer as kept (trimmed), or why it is refused.
pub(super) fn checked_note(note: &str) -> Result<String, WireError> {
    let note = note.trim();
    if note.chars().count() > MAX_NOTE {
        return Err(WireError {
            kind: ErrorKind::BadRequest,
            message: format!("a note is limited to {MAX_NOTE} characters"),
        });
    }
    Ok(note.to_string())
}

fn unknown_escalation<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> WireError {
    let known: Vec<&str> = known.map(String::as_str).collect();
    let message = if known.is_empty() {
        format!(
            "unknown escalation '{name}': none is configured; add [escalations.{name}] with \
             owners (and notify, sla, description) to the hub's config"
        )
    } else {
        format!(
            "unknown escalation '{name}'; configured: {}",
            known.join(", ")
        )
    };
    WireError {
        kind: ErrorKind::BadRequest,
        message,
    }
}

pub(super) fn refused(message: String) -> WireError {
    WireError {
        kind: ErrorKind::Refused,
        message,
    }
}
