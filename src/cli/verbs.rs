//! The item verbs: each turns its arguments into hub requests and prints the outcome.

use std::process::ExitCode;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

use super::output::{self, json_line};
use super::{Command, Context, Failure};
use crate::hub::protocol::{ItemDetail, Request, Response};
use crate::hub::{attach, AttachOptions, HubClient};
use crate::model::{Item, ItemId, Status};
use crate::ui::sanitize;

/// Page size when a verb walks the whole queue.
const PAGE: usize = 5000;

pub async fn dispatch(context: Context, command: Command) -> Result<ExitCode, Failure> {
    match command {
        Command::Serve => return serve(&context).await,
        Command::Doctor => return super::doctor::run(&context).await,
        Command::Demo {
            items,
            seed,
            start,
            no_tui,
        } => {
            let seeding = super::demo::Seeding::new(seed, start);
            return super::demo::run(&context, items, seeding, no_tui).await;
        }
        Command::Tui => return tui(&context).await,
        Command::Sync {
            once,
            account,
            json,
        } => return super::sync::sync(&context, once, account, json).await,
        Command::Moderate { id, action, reason } => {
            return super::sync::moderate(&context, &id, action, reason).await
        }
        Command::Canned { command } => return super::canned::run(&context, command).await,
        Command::Notify { command } => return super::notify::run(&context, command).await,
        Command::Rules {
            command: super::rules::RulesCommand::Check,
        } => return super::rules::check(&context),
        _ => {}
    }
    let attached = attach(&context.paths, &context.config, &AttachOptions::cli()).await?;
    let hub = &attached.client;
    match command {
        Command::List { json, limit, query } => list(hub, &query.join(" "), limit, json).await,
        Command::Show { id, json } => show(hub, &id, json).await,
        Command::Resolve { ids } => set_status_all(hub, &ids, Status::Resolved).await,
        Command::Reopen { ids } => set_status_all(hub, &ids, Status::Open).await,
        Command::Spam { ids } => set_status_all(hub, &ids, Status::Spam).await,
        Command::Tag { id, tag } => {
            change(
                hub,
                Request::Tag {
                    id: parse_id(&id)?,
                    tag,
                },
            )
            .await
        }
        Command::Untag { id, tag } => {
            change(
                hub,
                Request::Untag {
                    id: parse_id(&id)?,
                    tag,
                },
            )
            .await
        }
        Command::Assign { id, user } => {
            let user = (!matches!(user.as_str(), "none" | "-")).then_some(user);
            change(
                hub,
                Request::Assign {
                    id: parse_id(&id)?,
                    user,
                },
            )
            .await
        }
        Command::Note { id, text } => {
            change(
                hub,
                Request::Note {
                    id: parse_id(&id)?,
                    text,
                },
            )
            .await
        }
        Command::Snooze { id, until } => {
            let until = parse_until(&until, Utc::now())?;
            change(
                hub,
                Request::Snooze {
                    id: parse_id(&id)?,
                    until,
                },
            )
            .await
        }
        Command::Reply(args) => super::replies::reply(hub, args, attached.hosted.is_some()).await,
        Command::Claim { id } => super::team::claim(hub, &id).await,
        Command::Ack { id, json } => super::pages::ack(hub, &id, json).await,
        Command::Rules {
            command: super::rules::RulesCommand::Test { id, json },
        } => super::rules::test(hub, &id, json).await,
        Command::Approve { id, text } => super::team::approve(hub, &id, text).await,
        Command::Reject { id, reason } => super::team::reject(hub, &id, reason).await,
        Command::Escalate { id, name, note } => {
            super::escalations::escalate(hub, &id, name, note).await
        }
        Command::Escalations { json, mine, all } => {
            super::escalations::list(hub, mine, all, json).await
        }
        Command::Answer(args) => super::escalations::answer(hub, args).await,
        Command::Team { json, reload } => {
            if reload {
                call(hub, Request::ReloadTeam).await?;
            }
            super::team::team(hub, json).await
        }
        Command::Watch { json } => super::team::watch(hub, json).await,
        Command::Outbox { json } => super::replies::outbox(hub, json).await,
        Command::Retry { entry, text } => super::replies::retry(hub, &entry, text).await,
        Command::Import { file } => super::exchange::import(hub, &file).await,
        Command::Export { format } => super::exchange::export(hub, format).await,
        Command::Audit { id, json, limit } => audit(hub, id.as_deref(), json, limit).await,
        Command::Handoff { note, since, json } => {
            super::shifts::handoff(hub, note, since.as_deref(), json).await
        }
        Command::Oncall { at, json } => super::shifts::oncall(hub, at.as_deref(), json).await,
        Command::Stats { since, json, csv } => {
            super::stats::stats(hub, since.as_deref(), (json, csv)).await
        }
        Command::Accounts {
            json,
            problems,
            account,
        } => {
            super::sync::install_configured(&attached, &context.config);
            match problems {
                true => super::sync::problems(hub, account, json).await,
                false => super::sync::accounts(hub, json).await,
            }
        }
        Command::Serve
        | Command::Doctor
        | Command::Demo { .. }
        | Command::Tui
        | Command::Sync { .. }
        | Command::Canned { .. }
        | Command::Notify { .. }
        | Command::Rules { .. }
        | Command::Moderate { .. } => {
            unreachable!("handled above")
        }
    }
}

pub fn parse_id(text: &str) -> Result<ItemId, Failure> {
    text.parse::<ItemId>().map_err(|e| Failure(e.to_string()))
}

/// Calls the hub and fails with the hub's message.
pub async fn call(hub: &HubClient, request: Request) -> Result<Response, Failure> {
    hub.call(request).await.map_err(|e| Failure(e.to_string()))
}

async fn serve(context: &Context) -> Result<ExitCode, Failure> {
    let hosted = match attach::host(&context.paths, &context.config, true, "socket").await {
        Err(attach::AttachError::Store(crate::store::StoreError::Locked { path, .. })) => {
            let holder =
                attach::describe_owner(&context.paths).unwrap_or_else(|| "another process".into());
            return Err(Failure(format!(
                "cannot serve: the store {path} is held by {holder}"
            )));
        }
        other => other?,
    };
    let platforms = hosted.start_platforms(&context.config);
    if let Some(problem) = hosted
        .hub
        .webhook_status()
        .and_then(|status| status.problem.map(|p| (status.listen, p)))
    {
        return Err(Failure(format!(
            "cannot serve: webhooks.listen {}: {} (free the address or change [webhooks] listen)",
            problem.0, problem.1
        )));
    }
    let _notifications = hosted.start_notifications();
    let _shifts = hosted.start_shifts();
    let _sla_clock = hosted.start_sla_clock();
    let socket = hosted
        .server
        .as_ref()
        .map(|s| s.path().display().to_string())
        .unwrap_or_default();
    let webhooks = platforms
        .webhooks_addr()
        .map(|addr| format!(", webhooks on http://{addr}"))
        .unwrap_or_default();
    eprintln!(
        "switchboard hub serving {} on {socket} (pid {}{webhooks})",
        context.paths.store_dir.display(),
        std::process::id()
    );
    wait_for_shutdown().await?;
    tracing::info!("hub stopping");
    hosted.hub.store().flush()?;
    drop(hosted);
    Ok(ExitCode::SUCCESS)
}

/// Until SIGINT, SIGTERM or SIGHUP.
pub async fn wait_for_shutdown() -> Result<(), Failure> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
        _ = hup.recv() => {}
    }
    Ok(())
}

async fn tui(context: &Context) -> Result<ExitCode, Failure> {
    let inbox = super::demo::inbox_options(context)?;
    let options = AttachOptions {
        client: "tui".into(),
        serve_socket: true,
        ..AttachOptions::cli()
    };
    let attached = attach(&context.paths, &context.config, &options).await?;
    let _platforms = attached
        .hosted
        .as_ref()
        .map(|h| h.start_platforms(&context.config));
    let _notifications = attached.hosted.as_ref().map(|h| h.start_notifications());
    let _shifts = attached.hosted.as_ref().map(|h| h.start_shifts());
    let _sla_clock = attached.hosted.as_ref().map(|h| h.start_sla_clock());
    super::demo::open_inbox(inbox, attached.client).await?;
    Ok(ExitCode::SUCCESS)
}

/// Walks every item a query selects, a page at a time.
pub async fn for_each_item(
    hub: &HubClient,
    query: &str,
    limit: Option<usize>,
    raw: bool,
    mut each: impl FnMut(Item) -> Result<(), Failure>,
) -> Result<usize, Failure> {
    let mut seen = 0;
    loop {
        let want = limit.map_or(PAGE, |l| (l - seen).min(PAGE));
        if want == 0 {
            return Ok(seen);
        }
        let request = Request::List {
            query: query.to_string(),
            skip: seen,
            limit: want,
            raw,
        };
        let Response::Items { items, more } = call(hub, request).await? else {
            return Err(Failure("unexpected answer from the hub to list".into()));
        };
        seen += items.len();
        for item in items {
            each(item)?;
        }
        if !more {
            return Ok(seen);
        }
    }
}

async fn list(
    hub: &HubClient,
    query: &str,
    limit: Option<usize>,
    json: bool,
) -> Result<ExitCode, Failure> {
    let now = Utc::now();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    use std::io::Write;
    if !json {
        writeln!(out, "{}", output::list_header())?;
    }
    for_each_item(hub, query, limit, false, |item| {
        let line = if json {
            json_line(&item)
        } else {
            output::list_line(&item, now)
        };
        writeln!(out, "{line}").map_err(Failure::from)
    })
    .await?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

async fn show(hub: &HubClient, id: &str, json: bool) -> Result<ExitCode, Failure> {
    let id = parse_id(id)?;
    let Response::Detail { detail } = call(hub, Request::Show { id, raw: json }).await? else {
        return Err(Failure("unexpected answer from the hub to show".into()));
    };
    if json {
        println!("{}", json_line(&detail));
    } else {
        print!("{}", describe(&detail, Utc::now()));
    }
    Ok(ExitCode::SUCCESS)
}

/// The human `show` text; platform strings sanitized.
fn describe(detail: &ItemDetail, now: DateTime<Utc>) -> String {
    let item = &detail.item;
    let clean = |s: &str| sanitize::sanitize(s).into_owned();
    let mut text = format!(
        "{}  {} {} on {} ({})  {}  priority {}\nfrom @{} ({})  {} ago{}\n",
        item.id,
        item.platform,
        item.kind,
        clean(&item.account),
        clean(&item.remote_id),
        item.status,
        item.priority,
        clean(&item.author.handle),
        clean(&item.author.name),
        output::age(item.created_at, now),
        item.url
            .as_deref()
            .map(|u| format!("  {}", clean(u)))
            .unwrap_or_default(),
    );
    if !item.tags.is_empty() {
        text.push_str(&format!(
            "tags: {}\n",
            clean(&item.tags.iter().cloned().collect::<Vec<_>>().join(", "))
        ));
    }
    if let Some(a) = &item.assignee {
        text.push_str(&format!("assigned to {}\n", clean(a)));
    }
    text.push_str(&format!("\n{}\n", clean(&item.text)));
    for (title, items) in [
        ("thread", &detail.thread),
        ("earlier from this author", &detail.author_history),
    ] {
        if !items.is_empty() {
            text.push_str(&format!("\n{title}:\n"));
            for other in items {
                text.push_str(&format!(
                    "  {} @{}: {}\n",
                    other.id,
                    output::excerpt(&other.author.handle, 24),
                    output::excerpt(&other.text, 70)
                ));
            }
        }
    }
    for note in &item.notes {
        text.push_str(&format!(
            "\nnote by {} at {}:\n  {}\n",
            clean(&note.by),
            note.at.format("%Y-%m-%d %H:%M"),
            clean(&note.text)
        ));
    }
    if !detail.audit.is_empty() {
        text.push_str("\naudit:\n");
        for entry in &detail.audit {
            text.push_str(&format!(
                "  {}  {} via {}: {} {}\n",
                entry.at.format("%Y-%m-%d %H:%M:%S"),
                clean(&entry.actor.user),
                clean(&entry.actor.client),
                entry.action,
                clean(&entry.detail)
            ));
        }
    }
    text
}

async fn set_status_all(
    hub: &HubClient,
    ids: &[String],
    status: Status,
) -> Result<ExitCode, Failure> {
    let ids = ids
        .iter()
        .map(|id| parse_id(id))
        .collect::<Result<Vec<_>, _>>()?;
    for id in ids {
        change(hub, Request::SetStatus { id, status }).await?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Sends an item change and prints the item's new state in one line.
async fn change(hub: &HubClient, request: Request) -> Result<ExitCode, Failure> {
    let Response::Item { item } = call(hub, request).await? else {
        return Err(Failure("unexpected answer from the hub".into()));
    };
    println!("{}", output::list_line(&item, Utc::now()));
    Ok(ExitCode::SUCCESS)
}

async fn audit(
    hub: &HubClient,
    id: Option<&str>,
    json: bool,
    limit: usize,
) -> Result<ExitCode, Failure> {
    let id = id.map(parse_id).transpose()?;
    let Response::Audit { entries } = call(hub, Request::Audit { id, limit }).await? else {
        return Err(Failure("unexpected answer from the hub to audit".into()));
    };
    for entry in entries {
        if json {
            println!("{}", json_line(&entry));
        } else {
            let item = entry
                .item
                .map(|i| i.to_string())
                .unwrap_or_else(|| "-".into());
            println!(
                "{}  {:<26}  {} via {}: {} {}",
                entry.at.format("%Y-%m-%d %H:%M:%S"),
                item,
                sanitize::one_line(&entry.actor.user, 32),
                sanitize::one_line(&entry.actor.client, 32),
                entry.action,
                sanitize::one_line(&entry.detail, 120)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `2h`, `30m`, `1d`, `2w`, `2026-11-23`, `2026-11-23T09:00`, or `off`.
pub fn parse_until(text: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, Failure> {
    let text = text.trim();
    if matches!(text, "off" | "none" | "wake") {
        return Ok(None);
    }
    let bad = || {
        Failure(format!(
            "invalid time '{text}': use 30m, 2h, 1d, 2w, 2026-11-23, 2026-11-23T09:00 or off"
        ))
    };
    if let Some((number, unit)) = text.split_at_checked(text.len().saturating_sub(1)) {
        if let Ok(n) = number.parse::<i64>() {
            let span = match unit {
                "m" => Duration::try_minutes(n),
                "h" => Duration::try_hours(n),
                "d" => Duration::try_days(n),
                "w" => Duration::try_weeks(n),
                _ => None,
            };
            return span
                .filter(|s| *s > Duration::zero())
                .map(|s| Some(now + s))
                .ok_or_else(bad);
        }
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M") {
        return Ok(Some(t.and_utc()));
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()));
    }
    Err(bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snooze_times() {
        let now: DateTime<Utc> = "2026-11-22T10:00:00Z".parse().unwrap();
        assert_eq!(
            parse_until("2h", now).unwrap(),
            Some(now + Duration::hours(2))
        );
        assert_eq!(parse_until("off", now).unwrap(), None);
        assert_eq!(
            parse_until("2026-11-23T09:00", now)
                .unwrap()
                .unwrap()
                .to_rfc3339(),
            "2026-11-23T09:00:00+00:00"
        );
        assert!(parse_until("soon", now).unwrap_err().0.contains("'soon'"));
        assert!(parse_until("0h", now).is_err());
    }
}
