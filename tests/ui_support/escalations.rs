//! The fake hub's escalations: `Escalations` (the open ones alice owns, and the configured
//! escalations), `Escalate` and `AnswerEscalation` with the real hub's effect on the item
//! (status, tag, assignee) and record (state, answers).

use switchboard::hub::protocol::{ErrorKind, Request, Response, WireError};
use switchboard::model::{
    Answer, AnswerRequest, Escalation, EscalationRow, EscalationTarget, ItemId, Status,
};
use switchboard::ui::msg::CallFailure;

use super::{now, FakeHub};

/// A configured escalation.
pub fn target(name: &str, description: &str, owners: &[&str]) -> EscalationTarget {
    EscalationTarget {
        name: name.into(),
        description: description.into(),
        owners: owners.iter().map(|o| o.to_string()).collect(),
        sla: Some("2h".into()),
    }
}

impl FakeHub {
    /// Item `n` escalated to `name` (owned by `owners`) by `by`, `minutes` ago.
    pub fn escalated(&mut self, n: usize, name: &str, owners: &[&str], by: &str, note: &str) {
        let item = &mut self.items[n];
        item.status = Status::Escalated;
        item.tags.insert(name.into());
        let at = now() - chrono::Duration::minutes(30 + n as i64);
        let escalation = Escalation {
            id: ItemId::from_parts(at.timestamp_millis() as u64, n as u128 + 7),
            item: item.id,
            account: item.account.clone(),
            name: name.into(),
            owners: owners.iter().map(|o| o.to_string()).collect(),
            by: by.into(),
            note: note.into(),
            at,
            due: Some(at + chrono::Duration::hours(2)),
            state: switchboard::model::EscalationState::Waiting,
            answers: Vec::new(),
        };
        self.escalations.push(escalation);
    }

    /// The escalation requests, if this is one.
    pub(super) fn escalation_answer(
        &mut self,
        request: &Request,
    ) -> Option<Result<Response, CallFailure>> {
        Some(match request.clone() {
            Request::Escalations { .. } => Ok(self.mine()),
            Request::Escalate { id, name, note } => self.escalate(id, name, note),
            Request::AnswerEscalation { id, answer } => self.answer_escalation(id, answer),
            _ => return None,
        })
    }

    fn mine(&self) -> Response {
        let escalations = self
            .escalations
            .iter()
            .filter(|e| e.state.is_open() && e.owned_by("alice"))
            .map(|e| EscalationRow {
                escalation: e.clone(),
                item: self.get(e.item).clone(),
            })
            .collect();
        Response::Escalations {
            escalations,
            targets: self.escalation_targets.clone(),
        }
    }

    fn escalate(
        &mut self,
        id: ItemId,
        name: String,
        note: String,
    ) -> Result<Response, CallFailure> {
        let Some(target) = self
            .escalation_targets
            .iter()
            .find(|t| t.name == name)
            .cloned()
        else {
            return Err(CallFailure::Hub(WireError {
                kind: ErrorKind::BadRequest,
                message: format!("unknown escalation '{name}'"),
            }));
        };
        let n = self.items.iter().position(|i| i.id == id).unwrap();
        let owners: Vec<&str> = target.owners.iter().map(String::as_str).collect();
        self.escalated(n, &name, &owners, "alice", &note);
        Ok(Response::Escalation {
            escalation: self.escalations.last().unwrap().clone(),
        })
    }

    fn answer_escalation(
        &mut self,
        id: ItemId,
        answer: AnswerRequest,
    ) -> Result<Response, CallFailure> {
        let escalation = self.escalations.iter_mut().find(|e| e.id == id).unwrap();
        escalation.record(Answer {
            by: "alice".into(),
            at: now(),
            kind: answer.kind(),
            text: answer.text().to_string(),
        });
        Ok(Response::Escalation {
            escalation: escalation.clone(),
        })
    }
}
