//! `escalate`, `escalations` and `answer`: handing an item to the owners of an
//! `[escalations.NAME]`, what is waiting on whom, and the owners' answers.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Args;

use super::output::{age, excerpt, json_line};
use super::verbs::{call, parse_id};
use super::Failure;
use crate::hub::protocol::{Request, Response};
use crate::hub::HubClient;
use crate::model::{AnswerRequest, Escalation, EscalationRow};

/// `answer ID (--guidance T | --approve | --take | --hand-back [T])`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("answer").required(true).multiple(false)))]
pub struct AnswerArgs {
    /// The escalation's id, or its item's (when the item has one open escalation of yours).
    pub id: String,
    /// Advice for the CM who escalated; the item stays escalated.
    #[arg(long, value_name = "TEXT", group = "answer")]
    pub guidance: Option<String>,
    /// Approve the reply a CM wrote while the item is escalated (it is sent).
    #[arg(long, group = "answer")]
    pub approve: bool,
    /// Take the item over: assigned to you, open.
    #[arg(long, group = "answer")]
    pub take: bool,
    /// Hand the item back to who escalated it, open, with your words.
    #[arg(long, value_name = "TEXT", group = "answer", num_args = 0..=1, default_missing_value = "")]
    pub hand_back: Option<String>,
}

impl AnswerArgs {
    fn answer(self) -> AnswerRequest {
        if let Some(text) = self.guidance {
            AnswerRequest::Guidance { text }
        } else if self.approve {
            AnswerRequest::Approve
        } else if self.take {
            AnswerRequest::TakeOver
        } else {
            AnswerRequest::HandBack {
                text: self.hand_back.unwrap_or_default(),
            }
        }
    }
}

/// `escalate ID NAME [--note TEXT]`.
pub async fn escalate(
    hub: &HubClient,
    id: &str,
    name: String,
    note: Option<String>,
) -> Result<ExitCode, Failure> {
    let request = Request::Escalate {
        id: parse_id(id)?,
        name,
        note: note.unwrap_or_default(),
    };
    let Response::Escalation { escalation } = call(hub, request).await? else {
        return Err(Failure("unexpected answer from the hub to escalate".into()));
    };
    let due = escalation
        .due
        .map(|due| format!(", answer due {}", due.format("%Y-%m-%d %H:%M UTC")))
        .unwrap_or_default();
    println!(
        "item {} escalated to {} (escalation {}): waiting on {}{due}",
        escalation.item,
        excerpt(&escalation.name, 32),
        escalation.id,
        excerpt(&escalation.owners.join(", "), 60),
    );
    Ok(ExitCode::SUCCESS)
}

/// `escalations [--mine] [--all] [--json]`: what is waiting on whom, oldest first.
pub async fn list(hub: &HubClient, mine: bool, all: bool, json: bool) -> Result<ExitCode, Failure> {
    let request = Request::Escalations {
        mine,
        waiting_only: !all,
    };
    let Response::Escalations { escalations, .. } = call(hub, request).await? else {
        return Err(Failure(
            "unexpected answer from the hub to escalations".into(),
        ));
    };
    if json {
        for row in &escalations {
            println!("{}", json_line(row));
        }
        return Ok(ExitCode::SUCCESS);
    }
    if escalations.is_empty() {
        println!("no escalations {}", if all { "at all" } else { "waiting" });
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", header());
    let now = Utc::now();
    for row in &escalations {
        println!("{}", line(row, now));
    }
    Ok(ExitCode::SUCCESS)
}

/// `answer ID ...`.
pub async fn answer(hub: &HubClient, args: AnswerArgs) -> Result<ExitCode, Failure> {
    let id = parse_id(&args.id)?;
    let request = Request::AnswerEscalation {
        id,
        answer: args.answer(),
    };
    let Response::Escalation { escalation } = call(hub, request).await? else {
        return Err(Failure("unexpected answer from the hub to answer".into()));
    };
    println!(
        "the {} escalation of item {} is {}; {} is told",
        excerpt(&escalation.name, 32),
        escalation.item,
        escalation.state,
        excerpt(&escalation.by, 32)
    );
    Ok(ExitCode::SUCCESS)
}

fn header() -> String {
    format!(
        "{:<26}  {:<10} {:<16} {:<12} {:>4} {:<17} {:<11}  LAST ANSWER / ITEM",
        "ITEM", "NAME", "OWNERS", "BY", "AGE", "DUE", "STATE"
    )
}

/// One human line: every name and text passes the sanitizer.
fn line(row: &EscalationRow, now: DateTime<Utc>) -> String {
    let e = &row.escalation;
    format!(
        "{:<26}  {:<10} {:<16} {:<12} {:>4} {:<17} {:<11}  {}",
        e.item,
        excerpt(&e.name, 10),
        excerpt(&e.owners.join(","), 16),
        excerpt(&e.by, 12),
        age(e.at, now),
        due(e, now),
        e.state.as_str(),
        last(row),
    )
}

fn due(e: &Escalation, now: DateTime<Utc>) -> String {
    match e.due {
        Some(due) if due < now => format!("{} late", age(due, now)),
        Some(due) => due.format("%m-%d %H:%M UTC").to_string(),
        None => "-".into(),
    }
}

fn last(row: &EscalationRow) -> String {
    match row.escalation.last_answer() {
        Some(answer) => {
            let mut text = format!("{} {}", excerpt(&answer.by, 12), answer.kind.words());
            if !answer.text.is_empty() {
                text.push_str(": ");
                text.push_str(&excerpt(&answer.text, 60));
            }
            text
        }
        None => format!(
            "@{}: {}",
            excerpt(&row.item.author.handle, 20),
            excerpt(&row.item.text, 60)
        ),
    }
}
