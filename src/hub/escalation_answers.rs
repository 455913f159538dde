//! The owners' answers to an escalation: guidance (the item stays escalated), approving the
//! reply held for them, taking the item over, handing it back. Only an owner (or an admin)
//! answers; each answer is one atomic write (the item, the audit line `escalation` /
//! `NAME answered: KIND[: TEXT]`, the record), then the CM who escalated is notified and
//! every subscriber who sees the account gets `Event::Escalation`.
//!
//! Replies on an escalated item: a reply by someone who owns none of the item's open
//! escalations is held for the owners (`replies.rs` asks [`Hub::escalation_holding`]), and
//! only an owner or an admin may approve or reject it ([`Hub::may_decide`]).

use chrono::{DateTime, Utc};

use super::core::{require, store_error};
use super::escalations::{checked_note, refused};
use super::protocol::{ErrorKind, Response, WireError};
use super::Hub;
use crate::model::{
    Actor, Answer, AnswerKind, AnswerRequest, Escalation, Item, ItemId, Notice, NoticeKind,
    OutboxEntry, OutboxState, Status,
};
use crate::store::AuditNote;
use crate::team::{Member, Role};

impl Hub {
    /// Answers an escalation (`id`: the escalation's, or an item's with one open escalation
    /// the member may answer).
    pub(super) fn answer_escalation(
        &self,
        member: &Member,
        actor: &Actor,
        id: ItemId,
        answer: AnswerRequest,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let escalation = self.answerable(member, id)?;
        if answer == AnswerRequest::Approve {
            let entry = self.held_for(&escalation)?;
            self.approve(member, actor, entry.id, None, now)?;
            let approved = self.escalation_by_id(escalation.id)?;
            return Ok(Response::Escalation {
                escalation: approved.unwrap_or(escalation),
            });
        }
        let text = checked_note(answer.text())?;
        if answer.kind() == AnswerKind::Guidance && text.is_empty() {
            return Err(WireError {
                kind: ErrorKind::BadRequest,
                message: "guidance needs its text".into(),
            });
        }
        let escalation = self.record_answer(actor, escalation, answer.kind(), &text, now)?;
        Ok(Response::Escalation { escalation })
    }

    /// Records one answer on the item and the escalation together, then tells the CM who
    /// escalated and every subscriber.
    pub(super) fn record_answer(
        &self,
        actor: &Actor,
        mut escalation: Escalation,
        kind: AnswerKind,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<Escalation, WireError> {
        let still_open = self
            .open_escalations(escalation.item)?
            .iter()
            .any(|e| e.id != escalation.id);
        let answer = Answer {
            by: actor.user.clone(),
            at: now,
            kind,
            text: text.to_string(),
        };
        let detail = escalation.answer_detail(&answer);
        escalation.record(answer);
        let (owner, escalated_by) = (actor.user.clone(), escalation.by.clone());
        let mut edit = |item: &mut Item| {
            apply_answer(item, kind, (&owner, &escalated_by), still_open);
            Ok(Some(AuditNote::new("escalation", detail.clone())))
        };
        self.store
            .update_with_escalation(escalation.item, actor, now, &mut edit, &escalation)
            .map_err(store_error)?;
        self.flush()?;
        self.publish_escalation(&escalation, actor);
        self.raise(Notice {
            kind: NoticeKind::EscalationAnswered,
            at: now,
            title: format!("{} answered the {} escalation", actor.user, escalation.name),
            body: detail,
            item: Some(escalation.item),
            channels: Vec::new(),
            users: vec![escalation.by.clone()],
        });
        Ok(escalation)
    }

    /// The open escalation a reply by `member` to `item` is held for: the first open one,
    /// unless the member owns one of the item's open escalations.
    pub(super) fn escalation_holding(
        &self,
        member: &Member,
        item: ItemId,
    ) -> Result<Option<Escalation>, WireError> {
        let open = self.open_escalations(item)?;
        if open.iter().any(|e| self.may_answer_as_owner(member, e)) {
            return Ok(None);
        }
        Ok(open.into_iter().next())
    }

    /// Whether the member may approve or reject a held entry: on an item under an open
    /// escalation, its owners and admins (answered with that escalation); otherwise
    /// approvers.
    pub(super) fn may_decide(
        &self,
        member: &Member,
        entry: &OutboxEntry,
        what: &str,
    ) -> Result<Option<Escalation>, WireError> {
        let open = self.open_escalations(entry.item)?;
        if open.is_empty() {
            require(member, Role::Approver, what)?;
            return Ok(None);
        }
        if let Some(owned) = open.iter().find(|e| self.may_answer_as_owner(member, e)) {
            return Ok(Some(owned.clone()));
        }
        if member.at_least(Role::Admin) {
            return Ok(open.into_iter().next());
        }
        Err(not_owner(member, &open[0]))
    }

    /// The escalation `id` names that the member may answer, still open.
    fn answerable(&self, member: &Member, id: ItemId) -> Result<Escalation, WireError> {
        let escalation = match self.escalation_by_id(id)? {
            Some(escalation) => escalation,
            None => self.only_open_on(member, id)?,
        };
        if !member.scope().sees_account(&escalation.account) {
            return Err(no_escalation(id));
        }
        if !self.may_answer_as_owner(member, &escalation) && !member.at_least(Role::Admin) {
            return Err(not_owner(member, &escalation));
        }
        if !escalation.state.is_open() {
            return Err(refused(format!(
                "the {} escalation {} of item {} is {} already",
                escalation.name, escalation.id, escalation.item, escalation.state
            )));
        }
        Ok(escalation)
    }

    /// The one open escalation on item `id` the member may answer.
    fn only_open_on(&self, member: &Member, id: ItemId) -> Result<Escalation, WireError> {
        let mut open = self.open_escalations(id)?;
        let owned: Vec<Escalation> = open
            .iter()
            .filter(|e| self.may_answer_as_owner(member, e))
            .cloned()
            .collect();
        if !owned.is_empty() {
            open = owned;
        }
        match open.len() {
            0 => Err(no_escalation(id)),
            1 => Ok(open.remove(0)),
            _ => Err(WireError {
                kind: ErrorKind::BadRequest,
                message: format!(
                    "item {id} has {} open escalations; answer one by its id: {}",
                    open.len(),
                    open.iter()
                        .map(|e| format!("{} ({})", e.id, e.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }

    fn escalation_by_id(&self, id: ItemId) -> Result<Option<Escalation>, WireError> {
        Ok(self
            .store
            .escalations()
            .map_err(store_error)?
            .into_iter()
            .find(|e| e.id == id))
    }

    /// The newest reply held on the escalation's item.
    fn held_for(&self, escalation: &Escalation) -> Result<OutboxEntry, WireError> {
        self.store
            .outbox()
            .map_err(store_error)?
            .into_iter()
            .rev()
            .find(|e| {
                e.item == escalation.item && e.state == OutboxState::Held && e.moderation.is_none()
            })
            .ok_or_else(|| {
                refused(format!(
                    "no reply is held on item {} for the {} escalation: approve answers a \
                     CM's reply written while it is escalated",
                    escalation.item, escalation.name
                ))
            })
    }
}

/// What an answer does to the item: guidance nothing; approval sends the reply (pending);
/// taking over assigns it to the owner and hand-back to who escalated, open. The item stays
/// escalated while another escalation of it is open.
fn apply_answer(item: &mut Item, kind: AnswerKind, (owner, by): (&str, &str), still_open: bool) {
    let status = match kind {
        AnswerKind::Guidance => return,
        AnswerKind::Approved => Status::Pending,
        AnswerKind::TookOver => {
            item.assignee = Some(owner.to_string());
            Status::Open
        }
        AnswerKind::HandedBack => {
            item.assignee = Some(by.to_string());
            Status::Open
        }
    };
    if !still_open {
        // From escalated every move but to `new` is allowed; an item resolved meanwhile
        // (the approved reply already went out) stays resolved.
        let _ = item.set_status(status);
    }
}

fn not_owner(member: &Member, escalation: &Escalation) -> WireError {
    WireError {
        kind: ErrorKind::Forbidden,
        message: format!(
            "{} is not an owner of the {} escalation (owners: {}); only its owners and \
             admins answer it",
            member.name,
            escalation.name,
            escalation.owners.join(", ")
        ),
    }
}

fn no_escalation(id: ItemId) -> WireError {
    WireError {
        kind: ErrorKind::NotFound,
        message: format!("no open escalation with id {id}, nor an item {id} with one for you"),
    }
}
