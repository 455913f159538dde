//! The fake hub's outbox: entries answered to `Outbox`, and `Approve`, `Reject`,
//! `RetryReply` and `Moderate` with the real hub's rules (roles, states, reasons), as user
//! alice, an agent or an approver.

use switchboard::hub::protocol::{ErrorKind, Request, Response, WireError};
use switchboard::model::{Item, ItemId, Moderation, OutboxEntry, OutboxState};
use switchboard::ui::msg::CallFailure;

use super::{now, FakeHub};

/// The outbox the fake hub keeps.
#[derive(Default)]
pub struct FakeOutbox {
    /// Oldest first, as the hub answers.
    pub entries: Vec<OutboxEntry>,
    /// alice is an agent: approving and rejecting are refused, blocks and deletes held.
    pub agent: bool,
}

/// Entry `n` by `author` on `item`, saved `3n + 1` minutes ago (a lower `n` is newer).
pub fn entry(n: u64, item: &Item, author: &str, text: &str, state: OutboxState) -> OutboxEntry {
    let at = now() - chrono::Duration::minutes(n as i64 * 3 + 1);
    OutboxEntry {
        id: ItemId::from_parts(at.timestamp_millis() as u64, u128::from(n)),
        item: item.id,
        account: item.account.clone(),
        text: text.into(),
        author: author.into(),
        idempotency_key: format!("switchboard-{n}"),
        state,
        attempts: 0,
        moderation: None,
        private: false,
        created_at: at,
        updated_at: at,
    }
}

fn refused(kind: ErrorKind, message: &str) -> CallFailure {
    CallFailure::Hub(WireError {
        kind,
        message: message.into(),
    })
}

impl FakeHub {
    /// The outbox requests, if this is one.
    pub(super) fn outbox_answer(
        &mut self,
        request: &Request,
    ) -> Option<Result<Response, CallFailure>> {
        Some(match request.clone() {
            Request::Outbox => Ok(Response::Entries {
                entries: self.outbox.entries.clone(),
            }),
            Request::Approve { entry, text } => self.approver_edit(entry, "approve", |e| {
                if let Some(text) = text {
                    e.text = text;
                }
                e.state = OutboxState::Queued { retry_at: None };
                Ok(())
            }),
            Request::Reject { entry, reason } => self.approver_edit(entry, "reject", |e| {
                if reason.trim().is_empty() {
                    return Err(refused(ErrorKind::BadRequest, "a rejection needs a reason"));
                }
                e.state = OutboxState::Rejected {
                    reason,
                    by: "alice".into(),
                };
                Ok(())
            }),
            Request::RetryReply { entry, text } => {
                let held = self.team.held;
                self.edit_entry(entry, |e| {
                    if !matches!(
                        e.state,
                        OutboxState::Failed { .. } | OutboxState::Rejected { .. }
                    ) {
                        return Err(refused(ErrorKind::Refused, "not failed or rejected"));
                    }
                    if let Some(text) = text {
                        e.text = text;
                    }
                    e.state = match held {
                        true => OutboxState::Held,
                        false => OutboxState::Queued { retry_at: None },
                    };
                    Ok(())
                })
            }
            Request::Moderate { id, action } => self.moderate(id, action),
            _ => return None,
        })
    }

    fn approver_edit(
        &mut self,
        id: ItemId,
        verb: &str,
        edit: impl FnOnce(&mut OutboxEntry) -> Result<(), CallFailure>,
    ) -> Result<Response, CallFailure> {
        if self.outbox.agent {
            return Err(refused(
                ErrorKind::Forbidden,
                &format!("alice is an agent; only approvers and above may {verb} replies"),
            ));
        }
        self.edit_entry(id, |e| match e.state {
            OutboxState::Held => edit(e),
            _ => Err(refused(
                ErrorKind::Refused,
                &format!("reply {id} is {}, not waiting for approval", e.state),
            )),
        })
    }

    fn edit_entry(
        &mut self,
        id: ItemId,
        edit: impl FnOnce(&mut OutboxEntry) -> Result<(), CallFailure>,
    ) -> Result<Response, CallFailure> {
        let entry = self
            .outbox
            .entries
            .iter_mut()
            .find(|e| e.id == id)
            .ok_or_else(|| refused(ErrorKind::NotFound, "no outbox entry with that id"))?;
        edit(entry)?;
        entry.attempts = 0;
        Ok(Response::Entry {
            entry: entry.clone(),
        })
    }

    fn moderate(&mut self, id: ItemId, action: Moderation) -> Result<Response, CallFailure> {
        let item = self
            .items
            .iter()
            .find(|i| i.id == id)
            .cloned()
            .ok_or_else(|| refused(ErrorKind::NotFound, "no such item"))?;
        let lasting = matches!(action, Moderation::Block | Moderation::Delete);
        let state = match lasting && self.outbox.agent {
            true => OutboxState::Held,
            false => OutboxState::Queued { retry_at: None },
        };
        let n = self.outbox.entries.len() as u64;
        let mut moderation = entry(0, &item, "alice", &action.to_string(), state);
        moderation.id = ItemId::from_parts(now().timestamp_millis() as u64, 900 + u128::from(n));
        (moderation.created_at, moderation.updated_at) = (now(), now());
        moderation.moderation = Some(action);
        self.outbox.entries.push(moderation.clone());
        Ok(Response::Entry { entry: moderation })
    }
}
