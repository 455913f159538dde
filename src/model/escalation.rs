//! An [`Escalation`]: one item handed to the owners of an `[escalations.NAME]` (legal, brand,
//! ...), who escalated it and why, when an answer is due, and the owners' answers.
//!
//! The hub keeps one record per escalation (the store's `E` records) next to the item's own
//! change (status `escalated`, the name as a tag), so "what is waiting on whom" is read from
//! the records without scanning items, and the answers outlive the item's later changes.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Item, ItemId};

/// Where an escalation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationState {
    /// Nobody answered yet.
    Waiting,
    /// An owner gave guidance; the item stays with the owners until handed back.
    Answered,
    /// An owner approved the reply held for them; the reply goes out.
    Approved,
    /// An owner took the item over (assigned to them, open).
    TakenOver,
    /// An owner handed the item back to whoever escalated it (open).
    HandedBack,
}

impl EscalationState {
    pub fn as_str(self) -> &'static str {
        match self {
            EscalationState::Waiting => "waiting",
            EscalationState::Answered => "answered",
            EscalationState::Approved => "approved",
            EscalationState::TakenOver => "taken_over",
            EscalationState::HandedBack => "handed_back",
        }
    }

    /// Still with the owners: waiting for an answer, or answered with guidance.
    pub fn is_open(self) -> bool {
        matches!(self, EscalationState::Waiting | EscalationState::Answered)
    }
}

impl fmt::Display for EscalationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an owner's answer did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    Guidance,
    Approved,
    TookOver,
    HandedBack,
}

impl AnswerKind {
    /// The words of the audit line: `legal answered: took over`.
    pub fn words(self) -> &'static str {
        match self {
            AnswerKind::Guidance => "guidance",
            AnswerKind::Approved => "approved",
            AnswerKind::TookOver => "took over",
            AnswerKind::HandedBack => "handed back",
        }
    }

    /// The state an escalation is in after this answer.
    pub fn leaves(self) -> EscalationState {
        match self {
            AnswerKind::Guidance => EscalationState::Answered,
            AnswerKind::Approved => EscalationState::Approved,
            AnswerKind::TookOver => EscalationState::TakenOver,
            AnswerKind::HandedBack => EscalationState::HandedBack,
        }
    }
}

/// One owner's answer, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub by: String,
    pub at: DateTime<Utc>,
    pub kind: AnswerKind,
    /// Guidance or the hand-back's words (empty for the others).
    #[serde(default)]
    pub text: String,
}

/// An owner's answer as a client asks for it (`Request::AnswerEscalation`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnswerRequest {
    /// Advice for the CM; the item stays escalated.
    Guidance { text: String },
    /// Approves the reply held for the owners (and so sends it).
    Approve,
    /// Takes the item over: assigned to the owner, open.
    TakeOver,
    /// Hands the item back to whoever escalated it, open, with the owner's words.
    HandBack {
        #[serde(default)]
        text: String,
    },
}

impl AnswerRequest {
    pub fn kind(&self) -> AnswerKind {
        match self {
            AnswerRequest::Guidance { .. } => AnswerKind::Guidance,
            AnswerRequest::Approve => AnswerKind::Approved,
            AnswerRequest::TakeOver => AnswerKind::TookOver,
            AnswerRequest::HandBack { .. } => AnswerKind::HandedBack,
        }
    }

    /// The answer's words (trimmed; empty for approve and take over).
    pub fn text(&self) -> &str {
        match self {
            AnswerRequest::Guidance { text } | AnswerRequest::HandBack { text } => text.trim(),
            AnswerRequest::Approve | AnswerRequest::TakeOver => "",
        }
    }
}

/// One item escalated to one `[escalations.NAME]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    /// The escalation's own id (a ULID: records sort by when they were made).
    pub id: ItemId,
    pub item: ItemId,
    /// The item's account (what a subscriber's scope is checked against).
    pub account: String,
    /// The `[escalations.NAME]` it went to.
    pub name: String,
    /// The owners when it was escalated.
    pub owners: Vec<String>,
    /// Who escalated it, and why.
    pub by: String,
    #[serde(default)]
    pub note: String,
    pub at: DateTime<Utc>,
    /// `at` plus the escalation's `sla`, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<DateTime<Utc>>,
    pub state: EscalationState,
    /// Oldest first.
    #[serde(default)]
    pub answers: Vec<Answer>,
}

impl Escalation {
    /// A new, waiting escalation of `item`.
    pub fn new(
        item: &Item,
        (name, owners): (&str, &[String]),
        (by, note): (&str, &str),
        at: DateTime<Utc>,
        sla: Option<chrono::Duration>,
    ) -> Escalation {
        Escalation {
            id: ItemId::generate(),
            item: item.id,
            account: item.account.clone(),
            name: name.to_string(),
            owners: owners.to_vec(),
            by: by.to_string(),
            note: note.to_string(),
            at,
            due: sla.map(|sla| at + sla),
            state: EscalationState::Waiting,
            answers: Vec::new(),
        }
    }

    /// Records an answer and moves to the state it leaves.
    pub fn record(&mut self, answer: Answer) {
        self.state = answer.kind.leaves();
        self.answers.push(answer);
    }

    pub fn last_answer(&self) -> Option<&Answer> {
        self.answers.last()
    }

    /// Whether `user` is one of its owners.
    pub fn owned_by(&self, user: &str) -> bool {
        self.owners.iter().any(|o| o == user)
    }

    /// The audit detail of an answer: `legal answered: handed back: over to you`.
    pub fn answer_detail(&self, answer: &Answer) -> String {
        let mut detail = format!("{} answered: {}", self.name, answer.kind.words());
        if !answer.text.is_empty() {
            detail.push_str(": ");
            detail.push_str(&answer.text);
        }
        detail
    }
}

/// One escalation and its item, as `escalations` lists them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EscalationRow {
    pub escalation: Escalation,
    pub item: Item,
}

/// A configured `[escalations.NAME]`, as a client offers it to pick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationTarget {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub owners: Vec<String>,
    /// The answer time (`2h`), when one is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Escalation {
        Escalation {
            id: ItemId::generate(),
            item: ItemId::generate(),
            account: "acme".into(),
            name: "legal".into(),
            owners: vec!["dana".into()],
            by: "alice".into(),
            note: "threatens to sue".into(),
            at: Utc::now(),
            due: None,
            state: EscalationState::Waiting,
            answers: Vec::new(),
        }
    }

    #[test]
    fn answers_move_the_state_and_read_as_the_audit_wants() {
        let mut e = sample();
        let guidance = Answer {
            by: "dana".into(),
            at: Utc::now(),
            kind: AnswerKind::Guidance,
            text: "say nothing about fault".into(),
        };
        assert_eq!(
            e.answer_detail(&guidance),
            "legal answered: guidance: say nothing about fault"
        );
        e.record(guidance);
        assert_eq!(e.state, EscalationState::Answered);
        assert!(e.state.is_open());
        let took = Answer {
            by: "dana".into(),
            at: Utc::now(),
            kind: AnswerKind::TookOver,
            text: String::new(),
        };
        assert_eq!(e.answer_detail(&took), "legal answered: took over");
        e.record(took);
        assert_eq!(e.state, EscalationState::TakenOver);
        assert!(!e.state.is_open());
        assert_eq!(e.answers.len(), 2);
    }

    #[test]
    fn answer_requests_read_as_scripts_write_them() {
        let r: AnswerRequest =
            serde_json::from_str(r#"{"kind":"hand_back","text":" yours "}"#).unwrap();
        assert_eq!(r.kind(), AnswerKind::HandedBack);
        assert_eq!(r.text(), "yours");
        let r: AnswerRequest = serde_json::from_str(r#"{"kind":"take_over"}"#).unwrap();
        assert_eq!(r, AnswerRequest::TakeOver);
    }
}
