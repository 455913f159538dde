//! `reply`, `outbox` and `retry`: replies go through the hub's durable outbox.

use std::process::ExitCode;

use chrono::Utc;

use super::output::{self, json_line};
use super::verbs::{call, parse_id};
use super::Failure;
use crate::hub::protocol::{Request, Response};
use crate::hub::HubClient;
use crate::model::{OutboxEntry, OutboxState};

pub async fn reply(
    hub: &HubClient,
    (id, text, seen_version): (&str, &str, Option<u64>),
    in_process: bool,
) -> Result<ExitCode, Failure> {
    let request = Request::Reply {
        seen_version,
        id: parse_id(id)?,
        text: text.to_string(),
    };
    let Response::Entry { entry } = call(hub, request).await? else {
        return Err(Failure("unexpected answer from the hub to reply".into()));
    };
    if entry.state == OutboxState::Held {
        println!(
            "reply {} held for approval (item {}): an approver releases it with `switchboard approve {}`",
            entry.id, entry.item, entry.id
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("reply {} queued for item {}", entry.id, entry.item);
    if in_process {
        eprintln!("note: no hub is running to deliver it; it goes out when `switchboard serve` (or the inbox) runs");
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn outbox(hub: &HubClient, json: bool) -> Result<ExitCode, Failure> {
    let Response::Entries { entries } = call(hub, Request::Outbox).await? else {
        return Err(Failure("unexpected answer from the hub to outbox".into()));
    };
    let now = Utc::now();
    for entry in entries {
        if json {
            println!("{}", json_line(&entry));
        } else {
            println!("{}", describe(&entry, now));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(entry: &OutboxEntry, now: chrono::DateTime<Utc>) -> String {
    let detail = match &entry.state {
        OutboxState::Sent { remote_id, .. } => format!(" as {}", output::excerpt(remote_id, 40)),
        OutboxState::Failed { reason } => format!(": {}", output::excerpt(reason, 80)),
        OutboxState::Rejected { reason, by } => format!(
            " by {}: {}",
            output::excerpt(by, 24),
            output::excerpt(reason, 80)
        ),
        OutboxState::Queued { retry_at: Some(t) } => {
            format!(" (retry at {})", t.format("%H:%M:%S"))
        }
        _ => String::new(),
    };
    format!(
        "{}  {:<7} item {}  by {}  {} ago  {}{detail}",
        entry.id,
        entry.state.name(),
        entry.item,
        output::excerpt(&entry.author, 24),
        output::age(entry.created_at, now),
        output::excerpt(&entry.text, 50),
    )
}

pub async fn retry(
    hub: &HubClient,
    entry: &str,
    text: Option<String>,
) -> Result<ExitCode, Failure> {
    let request = Request::RetryReply {
        entry: parse_id(entry)?,
        text,
    };
    let Response::Entry { entry } = call(hub, request).await? else {
        return Err(Failure("unexpected answer from the hub to retry".into()));
    };
    println!("{} {} queued again", entry.what(), entry.id);
    Ok(ExitCode::SUCCESS)
}
