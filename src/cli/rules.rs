//! `rules test ID` (which routing rules fire on an item and why, their outcome, and the
//! priority with its reasons, as the hub would decide now) and `rules check` (the config's
//! rules: they load, and the canned responses they draft exist). Reasons quote item text
//! and handles: the human output sanitizes every line, `--json` escapes it.

use std::process::ExitCode;

use clap::Subcommand;

use super::output::json_line;
use super::verbs::{call, parse_id};
use super::{Context, Failure};
use crate::hub::protocol::{Request, Response, RulesReport};
use crate::hub::{responses_dir, HubClient};
use crate::responses::Library;
use crate::triage::rules::Outcome;
use crate::ui::sanitize;

/// Widest line printed.
const WIDTH: usize = 160;

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Which rules fire on an item and why (the conditions that matched, or the first
    /// that did not), the outcome, and the priority with its reasons. Changes nothing.
    Test {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Validate the config's [[rules]] (they load) and the canned responses they draft
    /// (they exist in responses/ next to the config). Exit 1 on a problem.
    Check,
}

/// `rules test`.
pub async fn test(hub: &HubClient, id: &str, json: bool) -> Result<ExitCode, Failure> {
    let id = parse_id(id)?;
    let Response::RulesTest { report } = call(hub, Request::RulesTest { id }).await? else {
        return Err(Failure(
            "unexpected answer from the hub to rules test".into(),
        ));
    };
    match json {
        true => println!("{}", json_line(&report)),
        false => print!("{}", describe(&report)),
    }
    Ok(ExitCode::SUCCESS)
}

/// The report as text, every line sanitized.
pub fn describe(report: &RulesReport) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        // Indentation is ours; the sanitizer trims the rest to one line.
        let indent = &text[..text.len() - text.trim_start().len()];
        out.push_str(indent);
        out.push_str(&sanitize::one_line(&text, WIDTH));
        out.push('\n');
    };
    if report.verdicts.is_empty() {
        line("no [[rules]] configured".into());
    }
    for verdict in &report.verdicts {
        let mark = if verdict.fired { "fires " } else { "skips " };
        line(format!(
            "{mark} {}: {}",
            verdict.rule,
            verdict.why.join("; ")
        ));
    }
    line(format!("outcome: {}", outcome(&report.outcome, report)));
    line(format!("priority: {}", report.priority));
    for reason in &report.priority_why {
        line(format!("  · {reason}"));
    }
    out
}

fn outcome(outcome: &Outcome, report: &RulesReport) -> String {
    let mut parts = Vec::new();
    if !outcome.tags.is_empty() {
        let tags: Vec<String> = outcome.tags.iter().map(|t| format!("+{t}")).collect();
        parts.push(format!("tags {}", tags.join(" ")));
    }
    if let Some(e) = &outcome.escalate {
        parts.push(format!("escalate to {} ({})", e.value, e.rule));
    }
    if let Some(p) = &outcome.priority {
        parts.push(format!("priority {} ({})", p.value, p.rule));
    }
    if let Some(a) = &outcome.assign {
        let user = report.assignee.as_deref().unwrap_or("nobody");
        parts.push(format!("assign {} → {user} ({})", a.value, a.rule));
    }
    if let Some(h) = &outcome.hide {
        parts.push(format!("hide as {} ({})", h.value, h.rule));
    }
    if let Some(d) = &outcome.draft {
        parts.push(format!("draft '{}' ({})", d.value, d.rule));
    }
    match parts.is_empty() {
        true => "nothing".into(),
        false => parts.join(", "),
    }
}

/// `rules check`: the config loaded already (an invalid rule stops every verb with its
/// name); this lists the rules and checks their drafts against the library.
pub fn check(context: &Context) -> Result<ExitCode, Failure> {
    let rules = &context.config.rules;
    let library = Library::load(&responses_dir(&context.paths.config_file));
    let mut problems = 0;
    for (i, rule) in rules.iter().enumerate() {
        let status = match &rule.draft {
            Some(name) if library.variants(name).is_empty() => {
                problems += 1;
                format!("error: draft '{name}' is not in the canned library")
            }
            _ => "ok".into(),
        };
        println!(
            "rules[{i}] ({}): {status}",
            sanitize::one_line(&rule.name, 60)
        );
    }
    let file = context.paths.config_file.display();
    match problems {
        0 => {
            println!("{} rules in {file}: ok", rules.len());
            Ok(ExitCode::SUCCESS)
        }
        n => Err(Failure(format!("{n} of the rules in {file} have problems"))),
    }
}
