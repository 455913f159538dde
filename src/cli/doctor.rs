//! `doctor`: one status line each for config, store, hub, accounts and logs, so a CM on call
//! (or a script) sees at a glance what is wrong. Exit code 1 when anything failed.

use std::process::ExitCode;

use super::{Context, Failure};
use crate::config::Config;
use crate::hub::protocol::{Request, Response};
use crate::hub::{attach, AttachOptions};

enum Level {
    Ok,
    Warn,
    Fail,
}

fn line(what: &str, level: Level, text: &str) -> bool {
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
    healthy &= check_store_and_hub(context).await;
    healthy &= check_accounts(&context.config);
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

async fn check_store_and_hub(context: &Context) -> bool {
    let options = AttachOptions {
        client: "doctor".into(),
        ..AttachOptions::cli()
    };
    let attached = match attach(&context.paths, &context.config, &options).await {
        Ok(a) => a,
        Err(e) => {
            line("store", Level::Fail, &e.to_string());
            return line("hub", Level::Fail, "unreachable");
        }
    };
    let status = match attached.client.call(Request::Status).await {
        Ok(Response::Status { status }) => status,
        Ok(_) => return line("hub", Level::Fail, "unexpected answer to status"),
        Err(e) => return line("hub", Level::Fail, &e.to_string()),
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
    let hub_text = match attached.hosted {
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
    ok & check_team(&attached.client).await
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

fn check_accounts(config: &Config) -> bool {
    if config.accounts.is_empty() {
        return line(
            "accounts",
            Level::Ok,
            "none configured (try `switchboard demo`)",
        );
    }
    for account in &config.accounts {
        line(
            "account",
            Level::Warn,
            &format!(
                "{} ({}): configured; this build has no connector to sync it yet",
                account.name, account.platform
            ),
        );
    }
    true
}
