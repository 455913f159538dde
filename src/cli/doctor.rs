//! `doctor`: one status line each for config, store, hub, accounts and logs, so a CM on call
//! (or a script) sees at a glance what is wrong. Exit code 1 when anything failed.

use std::process::ExitCode;

use super::{Context, Failure};
use crate::config::Config;
use crate::hub::attach::Attached;
use crate::hub::protocol::{Request, Response};
use crate::hub::{attach, AttachOptions};
use crate::model::AccountState;

pub(super) enum Level {
    Ok,
    Warn,
    Fail,
}

pub(super) fn line(what: &str, level: Level, text: &str) -> bool {
    let tag = match level {
        Level::Ok => "ok",
        Level::Warn => "warn",
        Level::Fail => "FAIL",
    };
    println!("{what:<9} {tag:<5} {text}");
    !matches!(level, Level::Fail)
}

pub async fn run(context: &Context) -> Result<ExitCode, Failure> {
    let mut healthy = check_config(context);
    let (hub_ok, attached) = check_store_and_hub(context).await;
    healthy &= hub_ok;
    healthy &= match &attached {
        Some(attached) => {
            check_accounts(context, attached).await
                & check_outbox(attached).await
                & check_notify(attached).await
                & super::doctor_webhooks::check(context, attached).await
        }
        None => true,
    };
    healthy &= line(
        "logs",
        Level::Ok,
        &context.paths.log_dir.display().to_string(),
    );
    Ok(if healthy {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn check_config(context: &Context) -> bool {
    let path = &context.paths.config_file;
    if !path.exists() {
        return line(
            "config",
            Level::Ok,
            &format!("{} (not present: defaults)", path.display()),
        );
    }
    match Config::load(path) {
        Ok(c) if crate::connectors::credentials::exposure_warning(path, &c).is_some() => {
            let warning = crate::connectors::credentials::exposure_warning(path, &c);
            line("config", Level::Warn, &warning.unwrap_or_default())
        }
        Ok(c) => line(
            "config",
            Level::Ok,
            &format!(
                "{} ({} accounts, {} users, {} views)",
                path.display(),
                c.accounts.len(),
                c.users.len(),
                c.views.len()
            ),
        ),
        Err(e) => line("config", Level::Fail, &e.to_string()),
    }
}

/// The outbox line: how many entries in each state; failed ones and ones waiting for an
/// approver are worth a look (a warning, not a failure: the hub itself is fine).
async fn check_outbox(attached: &Attached) -> bool {
    let entries = match attached.client.call(Request::Outbox).await {
        Ok(Response::Entries { entries }) => entries,
        Ok(_) => return line("outbox", Level::Fail, "unexpected answer to outbox"),
        Err(e) => return line("outbox", Level::Fail, &e.to_string()),
    };
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for entry in &entries {
        *counts.entry(entry.state.name()).or_default() += 1;
    }
    let summary = if counts.is_empty() {
        "empty".to_string()
    } else {
        let parts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
        parts.join(", ")
    };
    let attention =
        counts.get("failed").copied().unwrap_or(0) + counts.get("held").copied().unwrap_or(0);
    let level = if attention > 0 {
        Level::Warn
    } else {
        Level::Ok
    };
    let hint = if attention > 0 {
        " (`switchboard outbox`: retry failed entries, approve or reject held ones)"
    } else {
        ""
    };
    line("outbox", level, &format!("{summary}{hint}"))
}

/// One `notify` line per `[notify.NAME]` channel: deliveries delivered, pending and failed,
/// and the last error. Failures are a warning (the hub is fine; a receiver is not).
async fn check_notify(attached: &Attached) -> bool {
    let request = Request::Deliveries { limit: 0, id: None };
    let channels = match attached.client.call(request).await {
        Ok(Response::Deliveries { channels, .. }) => channels,
        Ok(_) => return line("notify", Level::Fail, "unexpected answer to deliveries"),
        Err(e) => return line("notify", Level::Fail, &e.to_string()),
    };
    for health in &channels {
        let mut text = format!(
            "{}: {} delivered, {} pending, {} failed",
            super::output::excerpt(&health.channel, 24),
            health.delivered,
            health.pending,
            health.failed
        );
        if let Some(error) = &health.last_error {
            text.push_str(&format!(
                "; last error: {}",
                super::output::excerpt(error, 160)
            ));
        }
        if health.pending > 0 && attached.hosted.is_some() {
            text.push_str(" (no hub running: pending notices go out once one runs)");
        }
        let level = if health.failed > 0 || (health.pending > 0 && attached.hosted.is_some()) {
            Level::Warn
        } else {
            Level::Ok
        };
        line("notify", level, &text);
    }
    true
}

/// The store and hub lines; the attached hub, for the checks that ask it.
async fn check_store_and_hub(context: &Context) -> (bool, Option<Attached>) {
    let options = AttachOptions {
        client: "doctor".into(),
        ..AttachOptions::cli()
    };
    let attached = match attach(&context.paths, &context.config, &options).await {
        Ok(a) => a,
        Err(e) => {
            line("store", Level::Fail, &e.to_string());
            return (line("hub", Level::Fail, "unreachable"), None);
        }
    };
    let status = match attached.client.call(Request::Status).await {
        Ok(Response::Status { status }) => status,
        Ok(_) => {
            return (
                line("hub", Level::Fail, "unexpected answer to status"),
                None,
            )
        }
        Err(e) => return (line("hub", Level::Fail, &e.to_string()), None),
    };
    let size = attached
        .hosted
        .as_ref()
        .and_then(|h| h.hub.store().size_on_disk().ok())
        .map(|b| format!(", {:.1} MB on disk", b as f64 / 1e6))
        .unwrap_or_default();
    let ok = line(
        "store",
        Level::Ok,
        &format!(
            "{}: {} items, schema v{}{size}",
            status.store, status.items, status.schema_version
        ),
    );
    let hub_text = match &attached.hosted {
        Some(_) => {
            "no hub running: commands host one in-process (run `switchboard serve` for a team)"
                .to_string()
        }
        None => format!(
            "{} on {} (pid {}, {} clients, up since {})",
            status.server,
            attached.client.connection(),
            status.pid,
            status.clients,
            status.started_at.format("%Y-%m-%d %H:%M UTC")
        ),
    };
    let ok = ok & line("hub", Level::Ok, &hub_text);
    let ok = ok & check_team(&attached.client).await;
    (ok, Some(attached))
}

/// Who the hub says we are, the team it knows, and who is on call.
async fn check_team(client: &crate::hub::HubClient) -> bool {
    let me = client.welcome();
    let Ok(Response::Team {
        members,
        online,
        open,
    }) = client.call(Request::Team).await
    else {
        return line(
            "team",
            Level::Fail,
            "the hub did not answer the team request",
        );
    };
    let you = format!(
        "you are {} ({})",
        super::output::excerpt(&me.user, 24),
        me.role
    );
    let text = if open {
        format!("{you}; open team: no [users], every Unix user who reaches the hub is an admin")
    } else {
        let count = |role| members.iter().filter(|m| m.role == role).count();
        format!(
            "{you}; {} users ({} admins, {} approvers, {} agents), {} sessions online",
            members.len(),
            count(crate::team::Role::Admin),
            count(crate::team::Role::Approver),
            count(crate::team::Role::Agent),
            online.len()
        )
    };
    let ok = line("team", Level::Ok, &text);
    match client.call(Request::OnCall { at: None }).await {
        Ok(Response::OnCall {
            oncall: Some(report),
            ..
        }) => {
            let names: Vec<String> = report
                .on_call
                .iter()
                .map(|n| super::output::excerpt(n, 24))
                .collect();
            let who = if names.is_empty() {
                "nobody".to_string()
            } else {
                names.join(", ")
            };
            ok & line(
                "oncall",
                Level::Ok,
                &format!("on call now: {who} ({})", report.timezone),
            )
        }
        Ok(_) => ok,
        Err(e) => ok & line("oncall", Level::Fail, &e.to_string()),
    }
}

/// One line per account: its sync state as the hub knows it (a hub hosted here shows the
/// state the last sync saved; a connector that cannot be built says why).
async fn check_accounts(context: &Context, attached: &Attached) -> bool {
    super::sync::install_configured(attached, &context.config);
    let accounts = match attached.client.call(Request::Accounts).await {
        Ok(Response::Accounts { accounts }) => accounts,
        Ok(_) => return line("accounts", Level::Fail, "unexpected answer to accounts"),
        Err(e) => return line("accounts", Level::Fail, &e.to_string()),
    };
    if accounts.is_empty() {
        let text = match context.config.accounts.is_empty() {
            true => "none configured (try `switchboard demo`)",
            false => "none you can see on this hub",
        };
        return line("accounts", Level::Ok, text);
    }
    let now = chrono::Utc::now();
    let mut ok = true;
    for status in &accounts {
        let level = match &status.state {
            AccountState::AuthFailed { .. } | AccountState::Error { .. } => Level::Fail,
            AccountState::RateLimited { .. } => Level::Warn,
            _ if status.usage.as_ref().is_some_and(|u| u.is_low()) => Level::Warn,
            _ => Level::Ok,
        };
        ok &= line("account", level, &super::sync::account_line(status, now));
    }
    ok
}
