//! The team verbs: `claim`, `approve`, `reject`, `team` (who is who, who is online) and
//! `watch` (the hub's live events, for scripts and for a second screen).

use std::process::ExitCode;

use chrono::Utc;

use super::output::{self, json_line};
use super::verbs::{call, parse_id};
use super::Failure;
use crate::hub::protocol::{Event, PresenceEntry, Request, Response};
use crate::hub::HubClient;
use crate::model::{ItemId, OutboxEntry, OutboxState};
use crate::team::Member;

pub async fn claim(hub: &HubClient, id: &str) -> Result<ExitCode, Failure> {
    let Response::Item { item } = call(hub, Request::Claim { id: parse_id(id)? }).await? else {
        return Err(Failure("unexpected answer from the hub to claim".into()));
    };
    println!("{}", output::list_line(&item, Utc::now()));
    Ok(ExitCode::SUCCESS)
}

/// Approves a held reply, named by its outbox id or by its item's id.
pub async fn approve(hub: &HubClient, id: &str, text: Option<String>) -> Result<ExitCode, Failure> {
    let entry = held_reply(hub, id).await?;
    let Response::Entry { entry } = call(hub, Request::Approve { entry, text }).await? else {
        return Err(Failure("unexpected answer from the hub to approve".into()));
    };
    println!(
        "{} {} approved: queued for item {}",
        entry.what(),
        entry.id,
        entry.item
    );
    Ok(ExitCode::SUCCESS)
}

/// Rejects a held reply, named by its outbox id or by its item's id.
pub async fn reject(hub: &HubClient, id: &str, reason: String) -> Result<ExitCode, Failure> {
    let entry = held_reply(hub, id).await?;
    let Response::Entry { entry } = call(hub, Request::Reject { entry, reason }).await? else {
        return Err(Failure("unexpected answer from the hub to reject".into()));
    };
    println!(
        "{} {} rejected; {} can edit and retry it",
        entry.what(),
        entry.id,
        entry.author
    );
    Ok(ExitCode::SUCCESS)
}

/// The outbox entry an id names: the entry itself, or the one held reply of an item.
async fn held_reply(hub: &HubClient, id: &str) -> Result<ItemId, Failure> {
    let id = parse_id(id)?;
    let Response::Entries { entries } = call(hub, Request::Outbox).await? else {
        return Err(Failure("unexpected answer from the hub to outbox".into()));
    };
    if entries.iter().any(|e| e.id == id) {
        return Ok(id);
    }
    let held: Vec<&OutboxEntry> = entries
        .iter()
        .filter(|e| e.item == id && e.state == OutboxState::Held)
        .collect();
    match held.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Failure(format!(
            "no reply waiting for approval has id {id}, and item {id} has none"
        ))),
        several => Err(Failure(format!(
            "item {id} has {} replies waiting for approval; name one: {}",
            several.len(),
            several
                .iter()
                .map(|e| e.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The team (configured users, roles) and who is attached now.
pub async fn team(hub: &HubClient, json: bool) -> Result<ExitCode, Failure> {
    let Response::Team {
        members,
        online,
        open,
    } = call(hub, Request::Team).await?
    else {
        return Err(Failure("unexpected answer from the hub to team".into()));
    };
    if json {
        for member in &members {
            println!("{}", json_line(&member_json(member, &online)));
        }
        for entry in &online {
            println!("{}", json_line(&serde_json::json!({ "online": entry })));
        }
        return Ok(ExitCode::SUCCESS);
    }
    if open {
        println!(
            "open team: no [users] configured, every Unix user who can reach the hub is an admin"
        );
    }
    for member in &members {
        println!("{}", member_line(member, &online));
    }
    let now = Utc::now();
    for entry in &online {
        println!("{}", presence_line(entry, now));
    }
    Ok(ExitCode::SUCCESS)
}

fn member_json(member: &Member, online: &[PresenceEntry]) -> serde_json::Value {
    let sessions = online.iter().filter(|e| e.user == member.name).count();
    serde_json::json!({ "member": member, "sessions": sessions })
}

fn member_line(member: &Member, online: &[PresenceEntry]) -> String {
    let here = online.iter().any(|e| e.user == member.name);
    format!(
        "{} {:<16} {:<24} {:<8} {:<10} {}{}",
        if here { "●" } else { "○" },
        output::excerpt(&member.name, 16),
        output::excerpt(&member.display_name, 24),
        member.role,
        output::excerpt(member.team.as_deref().unwrap_or("-"), 10),
        member
            .accounts
            .as_ref()
            .map_or("all accounts".to_string(), |a| {
                output::excerpt(&a.iter().cloned().collect::<Vec<_>>().join(","), 40)
            }),
        if member.requires_approval {
            "  (replies need approval)"
        } else {
            ""
        }
    )
}

fn presence_line(entry: &PresenceEntry, now: chrono::DateTime<Utc>) -> String {
    let mut line = format!(
        "  online: {} ({}) for {}",
        output::excerpt(&entry.user, 16),
        output::excerpt(&entry.client, 8),
        output::age(entry.since, now)
    );
    if let Some(item) = entry.viewing {
        line.push_str(&format!(", viewing {item}"));
    }
    if let Some(item) = entry.composing {
        line.push_str(&format!(", writing a reply to {item}"));
    }
    line
}

/// Prints the hub's events as they happen until the hub goes away or the user interrupts.
pub async fn watch(hub: &HubClient, json: bool) -> Result<ExitCode, Failure> {
    let mut events = hub.subscribe().await.map_err(|e| Failure(e.to_string()))?;
    let now = Utc::now;
    while let Some(event) = events.recv().await {
        if json {
            println!("{}", json_line(&event));
            continue;
        }
        match event {
            Event::Changed { change } => {
                println!("{}", output::list_line(&change.item, now()));
            }
            Event::Lagged { missed } => println!("(missed {missed} events)"),
            Event::Presence { online } => {
                let names: Vec<String> = online
                    .iter()
                    .map(|e| output::excerpt(&e.user, 16))
                    .collect();
                println!("online: {}", names.join(", "));
            }
            Event::Accounts { accounts } => {
                for status in accounts {
                    println!("{}", super::sync::account_line(&status, now()));
                }
            }
            Event::Outbox { entry, by } => println!(
                "outbox: {} {} on item {} {} (by {})",
                entry.what(),
                entry.id,
                entry.item,
                entry.state,
                output::excerpt(&by, 24)
            ),
            Event::Notice { notice } => println!(
                "notice: {} {}",
                notice.kind.as_str(),
                output::excerpt(&notice.title, 100)
            ),
            Event::Escalation { escalation, by } => println!(
                "escalation: item {} {} {} (by {})",
                escalation.item,
                output::excerpt(&escalation.name, 24),
                escalation.state,
                output::excerpt(&by, 24)
            ),
            Event::Sla { event } => println!("{}", super::pages::event_line(&event)),
        }
    }
    Err(Failure("the hub closed the connection".into()))
}
