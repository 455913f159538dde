//! `reply`, `outbox` and `retry`: replies go through the hub's durable outbox. A reply's
//! text is given (`--text`) or a canned response filled for the item (`--canned`, see
//! `canned.rs`). Where the platform bills the reply (X), `reply` says what it costs
//! (`responses::cost`) with the queued or held line, before anything is sent.

use std::process::ExitCode;

use chrono::Utc;
use clap::Args;

use super::output::{self, json_line};
use super::verbs::{call, parse_id};
use super::Failure;
use crate::hub::protocol::{Request, Response};
use crate::hub::HubClient;
use crate::model::{OutboxEntry, OutboxState};
use crate::responses::cost;

/// `reply ID (--text T | --canned NAME [--var K=V]... [--lang L]) [--seen VERSION]`.
#[derive(Debug, Args)]
pub struct ReplyArgs {
    pub id: String,
    /// The reply's text.
    #[arg(long, required_unless_present = "canned", conflicts_with = "canned")]
    pub text: Option<String>,
    /// The item version you reviewed (`show --json` gives `version`): if someone else
    /// changed or answered the item since, the reply is refused and the changes listed.
    #[arg(long, value_name = "VERSION")]
    pub seen: Option<u64>,
    /// A canned response (`switchboard canned list`), filled for the item, in the item's
    /// language (else English, else the first).
    #[arg(long, value_name = "NAME")]
    pub canned: Option<String>,
    /// A fill-in field of the canned response, e.g. `--var order=1234` (once per field).
    #[arg(long = "var", value_name = "KEY=VALUE", requires = "canned")]
    pub vars: Vec<String>,
    /// The canned response's language instead of the item's.
    #[arg(long, value_name = "LANG", requires = "canned")]
    pub lang: Option<String>,
    /// Answer a public Facebook or Instagram comment privately: a direct message to its
    /// author (once per comment, within 7 days of it).
    #[arg(long)]
    pub private: bool,
}

pub async fn reply(
    hub: &HubClient,
    args: ReplyArgs,
    in_process: bool,
) -> Result<ExitCode, Failure> {
    let id = parse_id(&args.id)?;
    let text = match (&args.text, &args.canned) {
        (Some(text), _) => text.clone(),
        (None, Some(name)) => canned_text(hub, id, name, &args).await?,
        (None, None) => return Err(Failure("reply needs --text or --canned".into())),
    };
    let price = reply_cost(hub, id, &text).await;
    let request = match args.private {
        true => Request::PrivateReply {
            seen_version: args.seen,
            id,
            text,
        },
        false => Request::Reply {
            seen_version: args.seen,
            id,
            text,
        },
    };
    let what = if args.private {
        "private reply"
    } else {
        "reply"
    };
    let Response::Entry { entry } = call(hub, request).await? else {
        return Err(Failure("unexpected answer from the hub to reply".into()));
    };
    if let Some(price) = price {
        println!("{price}");
    }
    if entry.state == OutboxState::Held {
        if let Some(owners) = escalation_owners(hub, entry.item).await {
            println!(
                "reply {} held for the owners of the item's escalation ({owners}): they approve it with `switchboard answer {} --approve`",
                entry.id, entry.item
            );
            return Ok(ExitCode::SUCCESS);
        }
        println!(
            "reply {} held for approval (item {}): an approver releases it with `switchboard approve {}`",
            entry.id, entry.item, entry.id
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("{what} {} queued for item {}", entry.id, entry.item);
    if in_process {
        eprintln!("note: no hub is running to deliver it; it goes out when `switchboard serve` (or the inbox) runs");
    }
    Ok(ExitCode::SUCCESS)
}

/// "this reply costs $0.20 (has a link) on x", where the item's platform bills replies.
async fn reply_cost(hub: &HubClient, id: crate::model::ItemId, text: &str) -> Option<String> {
    let Ok(Response::Detail { detail }) = call(hub, Request::Show { id, raw: false }).await else {
        return None;
    };
    let item = &detail.item;
    let action = cost::Action::Reply {
        kind: item.kind,
        text,
    };
    let price = cost::cost(&item.platform, action)?;
    Some(format!(
        "this reply {} on {}",
        price.describe(),
        item.platform
    ))
}

/// The owners of the item's open escalation, when it has one (a reply to it is held for
/// them).
async fn escalation_owners(hub: &HubClient, id: crate::model::ItemId) -> Option<String> {
    let Ok(Response::Detail { detail }) = call(hub, Request::Show { id, raw: false }).await else {
        return None;
    };
    let open = detail.escalations.iter().find(|e| e.state.is_open())?;
    Some(format!(
        "{}: {}",
        output::excerpt(&open.name, 32),
        output::excerpt(&open.owners.join(", "), 60)
    ))
}

/// The canned response `name` filled for the item.
async fn canned_text(
    hub: &HubClient,
    id: crate::model::ItemId,
    name: &str,
    args: &ReplyArgs,
) -> Result<String, Failure> {
    let Response::Detail { detail } = call(hub, Request::Show { id, raw: false }).await? else {
        return Err(Failure("unexpected answer from the hub to show".into()));
    };
    let choice = super::canned::Choice {
        name,
        vars: &args.vars,
        lang: args.lang.as_deref(),
    };
    super::canned::fill_for(hub, &detail.item, &choice).await
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
