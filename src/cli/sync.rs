//! `sync`, `accounts` and `moderate`: the platform side of the hub from the command line.
//! Platform text (error reasons, raw payloads) is sanitized in the human output.

use std::process::ExitCode;

use chrono::{DateTime, Utc};

use super::output::{self, json_line};
use super::verbs::{call, parse_id};
use super::{Context, Failure, ModerationArg};
use crate::config::Config;
use crate::connectors::Moderation;
use crate::hub::attach::Attached;
use crate::hub::protocol::{Request, Response};
use crate::hub::sync::Platforms;
use crate::hub::{attach, AttachOptions, HubClient};
use crate::model::{AccountState, AccountStatus, ItemId, OutboxEntry, OutboxState, SyncSummary};
use crate::ui::sanitize;

/// A hub hosted by this command gets the configured accounts' connectors (a running hub
/// has its own): their states, as last saved, and what they can do.
pub fn install_configured(attached: &Attached, config: &Config) {
    if let Some(hosted) = &attached.hosted {
        hosted.hub.install_platforms(Platforms::from_config(config));
    }
}

/// `sync [--once] [--account NAME] [--json]`.
pub async fn sync(
    context: &Context,
    once: bool,
    account: Option<String>,
    json: bool,
) -> Result<ExitCode, Failure> {
    let attached = attach(&context.paths, &context.config, &AttachOptions::cli()).await?;
    install_configured(&attached, &context.config);
    let hub = &attached.client;
    if once {
        return sync_once(hub, account, json).await;
    }
    let Some(hosted) = &attached.hosted else {
        eprintln!("a hub is running: it syncs every account in the background");
        return accounts(hub, json).await;
    };
    let mut events = hub.subscribe().await.map_err(|e| Failure(e.to_string()))?;
    let _tasks = hosted.start_platforms(&context.config);
    eprintln!("syncing until interrupted (ctrl-c); each account's state as it changes:");
    accounts(hub, json).await?;
    let shutdown = super::verbs::wait_for_shutdown();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            done = &mut shutdown => { done?; break; }
            event = events.recv() => match event {
                Some(crate::hub::protocol::Event::Accounts { accounts }) => {
                    print_accounts(&accounts, json)
                }
                Some(_) => {}
                None => break,
            },
        }
    }
    hosted.hub.store().flush()?;
    Ok(ExitCode::SUCCESS)
}

async fn sync_once(
    hub: &HubClient,
    account: Option<String>,
    json: bool,
) -> Result<ExitCode, Failure> {
    let Response::Synced { summaries } = call(hub, Request::Sync { account }).await? else {
        return Err(Failure("unexpected answer from the hub to sync".into()));
    };
    if summaries.is_empty() {
        return Err(Failure(
            "no accounts to sync: add [[accounts]] to config.toml (see README)".into(),
        ));
    }
    for summary in &summaries {
        match json {
            true => println!("{}", json_line(summary)),
            false => println!("{}", summary_line(summary)),
        }
    }
    let failed = summaries.iter().any(|s| s.error.is_some());
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `acme-mastodon: 12 new, 1 updated, 40 unchanged, 3 context, 0 problems (2 pages)`, then
/// the error if the pass stopped early.
pub fn summary_line(summary: &SyncSummary) -> String {
    let mut line = format!(
        "{}: {} new, {} updated, {} unchanged, {} context, {} problems ({} pages)",
        sanitize::one_line(&summary.account, 40),
        summary.new,
        summary.updated,
        summary.unchanged,
        summary.context,
        summary.problems,
        summary.pages
    );
    if let Some(error) = &summary.error {
        line.push_str(&format!(" - {}", sanitize::one_line(error, 200)));
    }
    line
}

/// `accounts [--json]`.
pub async fn accounts(hub: &HubClient, json: bool) -> Result<ExitCode, Failure> {
    let Response::Accounts { accounts } = call(hub, Request::Accounts).await? else {
        return Err(Failure("unexpected answer from the hub to accounts".into()));
    };
    if accounts.is_empty() && !json {
        println!("no accounts: add [[accounts]] to config.toml (see README)");
    }
    print_accounts(&accounts, json);
    Ok(ExitCode::SUCCESS)
}

fn print_accounts(accounts: &[AccountStatus], json: bool) {
    let now = Utc::now();
    for status in accounts {
        match json {
            true => println!("{}", json_line(status)),
            false => println!("{}", account_line(status, now)),
        }
    }
}

/// `acme-mastodon (mastodon): ok, last sync 2m ago, 12 new, streaming`.
pub fn account_line(status: &AccountStatus, now: DateTime<Utc>) -> String {
    let mut line = format!(
        "{} ({}): {}",
        sanitize::one_line(&status.account, 40),
        status.platform,
        sanitize::one_line(&status.state.to_string(), 200)
    );
    match status.last_ok {
        Some(at) => line.push_str(&format!(", last sync {} ago", output::age(at, now))),
        None if status.state != AccountState::Syncing => line.push_str(", never synced"),
        None => {}
    }
    if status.last_new > 0 {
        line.push_str(&format!(", {} new", status.last_new));
    }
    if status.streaming {
        line.push_str(", streaming");
    }
    if let Some(usage) = &status.usage {
        line.push_str(&format!(", {}", usage.describe()));
    }
    line
}

/// `accounts --problems [--account NAME] [--json]`.
pub async fn problems(
    hub: &HubClient,
    account: Option<String>,
    json: bool,
) -> Result<ExitCode, Failure> {
    let request = Request::SyncProblems {
        account,
        limit: 100,
    };
    let Response::SyncProblems { problems } = call(hub, request).await? else {
        return Err(Failure(
            "unexpected answer from the hub to sync problems".into(),
        ));
    };
    for problem in &problems {
        if json {
            println!("{}", json_line(problem));
            continue;
        }
        println!(
            "{} {}: {}\n    raw: {}",
            problem.at.format("%Y-%m-%d %H:%M:%S"),
            sanitize::one_line(&problem.account, 40),
            sanitize::one_line(&problem.reason, 200),
            sanitize::flat_line(&problem.raw, 160)
        );
    }
    if problems.is_empty() && !json {
        println!("no sync problems recorded");
    }
    Ok(ExitCode::SUCCESS)
}

/// How long `moderate` waits for the platform's answer before leaving it to the hub.
const MODERATION_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// `moderate ID ACTION [--reason TEXT]`: queues the step in the outbox and waits until the
/// platform did it (or refused), unless it is held for an approver.
pub async fn moderate(
    context: &Context,
    id: &str,
    action: ModerationArg,
    reason: Option<String>,
) -> Result<ExitCode, Failure> {
    let id = parse_id(id)?;
    let action = moderation(action, reason)?;
    let attached = attach(&context.paths, &context.config, &AttachOptions::cli()).await?;
    install_configured(&attached, &context.config);
    // A hub hosted by this command delivers while it waits; a running hub delivers anyway.
    let _delivery = attached.hosted.as_ref().map(|h| h.start_outbox());
    let Response::Entry { entry } =
        call(&attached.client, Request::Moderate { id, action }).await?
    else {
        return Err(Failure("unexpected answer from the hub to moderate".into()));
    };
    let what = sanitize::one_line(&entry.text, 200);
    if entry.state == OutboxState::Held {
        println!(
            "{}: {what} held for approval ({}): an approver releases it with `switchboard approve {}`",
            entry.item, entry.id, entry.id
        );
        return Ok(ExitCode::SUCCESS);
    }
    let settled = wait_for_outcome(&attached.client, entry.id).await?;
    match &settled.state {
        OutboxState::Sent { .. } => {
            println!("{}: {what}", settled.item);
            Ok(ExitCode::SUCCESS)
        }
        OutboxState::Failed { reason } => Err(Failure(format!(
            "{} failed: {}",
            settled.what(),
            sanitize::one_line(reason, 300)
        ))),
        other => Err(Failure(format!(
            "{what} ({}) is still {other} after {} s; the hub keeps trying (`switchboard outbox`)",
            settled.id,
            MODERATION_WAIT.as_secs()
        ))),
    }
}

/// Polls the outbox until entry `id` is sent or failed, or the wait is over.
async fn wait_for_outcome(hub: &HubClient, id: ItemId) -> Result<OutboxEntry, Failure> {
    let deadline = tokio::time::Instant::now() + MODERATION_WAIT;
    loop {
        let Response::Entries { entries } = call(hub, Request::Outbox).await? else {
            return Err(Failure("unexpected answer from the hub to outbox".into()));
        };
        let entry = entries
            .into_iter()
            .find(|e| e.id == id)
            .ok_or_else(|| Failure(format!("outbox entry {id} disappeared")))?;
        let settled = matches!(
            entry.state,
            OutboxState::Sent { .. } | OutboxState::Failed { .. }
        );
        if settled || tokio::time::Instant::now() >= deadline {
            return Ok(entry);
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

fn moderation(action: ModerationArg, reason: Option<String>) -> Result<Moderation, Failure> {
    Ok(match action {
        ModerationArg::Hide => Moderation::Hide,
        ModerationArg::Unhide => Moderation::Unhide,
        ModerationArg::Delete => Moderation::Delete,
        ModerationArg::Mute => Moderation::Mute,
        ModerationArg::Block => Moderation::Block,
        ModerationArg::Dismiss => Moderation::Dismiss,
        ModerationArg::Report => Moderation::Report {
            reason: reason
                .filter(|r| !r.trim().is_empty())
                .ok_or_else(|| Failure("report needs --reason TEXT".into()))?,
        },
    })
}
