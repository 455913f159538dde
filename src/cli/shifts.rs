//! `handoff` and `oncall`: writing the shift handoff and reading the on-call schedule, both
//! through the hub. Every name and note is sanitized in the human output.

use std::process::ExitCode;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::output::json_line;
use super::verbs::{call, parse_until};
use super::Failure;
use crate::hub::protocol::{OnCallReport, Request, Response};
use crate::hub::HubClient;
use crate::model::Handoff;
use crate::team::oncall::{Transition, TransitionKind};
use crate::ui::sanitize;

/// Writes the caller's handoff and prints it.
pub async fn handoff(
    hub: &HubClient,
    note: Option<String>,
    since: Option<&str>,
    json: bool,
) -> Result<ExitCode, Failure> {
    let since = since.map(|s| parse_since(s, Utc::now())).transpose()?;
    let Response::Handoff { handoff } = call(hub, Request::Handoff { note, since }).await? else {
        return Err(Failure("unexpected answer from the hub to handoff".into()));
    };
    if json {
        println!("{}", json_line(&handoff));
    } else {
        print!("{}", describe_handoff(&handoff));
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints who is on call at a time (default now) and the changes of the next 24 hours.
pub async fn oncall(hub: &HubClient, at: Option<&str>, json: bool) -> Result<ExitCode, Failure> {
    let at = at.map(|text| parse_at(text, Utc::now())).transpose()?;
    let Response::OnCall { oncall, pages } = call(hub, Request::OnCall { at }).await? else {
        return Err(Failure("unexpected answer from the hub to oncall".into()));
    };
    let Some(report) = oncall else {
        return Err(Failure(
            "the hub has no on-call schedule: add an [oncall] section to its config.toml".into(),
        ));
    };
    if json {
        println!("{}", json_line(&report));
        for page in &pages {
            println!("{}", json_line(&OpenPage { page }));
        }
    } else {
        print!("{}", describe_oncall(&report));
        print!("{}", super::pages::describe_open(&pages, Utc::now()));
    }
    Ok(ExitCode::SUCCESS)
}

/// An open page as `oncall --json` prints it: `{"page": {...}}`, after the schedule line.
#[derive(serde::Serialize)]
struct OpenPage<'a> {
    page: &'a crate::model::Page,
}

/// `8h`, `30m`, `2d` (ago), `2026-11-23`, `2026-11-23T08:00` (UTC) or RFC 3339.
pub fn parse_since(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, Failure> {
    let bad = || {
        Failure(format!(
            "invalid --since '{text}': use 8h, 30m or 2d (ago), 2026-11-23T08:00 (UTC) or an RFC 3339 time"
        ))
    };
    if let Some(ago) = span(text.trim()) {
        return Ok(now - ago);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(at.with_timezone(&Utc));
    }
    match parse_until(text, now) {
        Ok(Some(at)) => Ok(at),
        _ => Err(bad()),
    }
}

/// `2h` (from now), `2026-11-23T08:00` (UTC) or RFC 3339.
fn parse_at(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, Failure> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(at.with_timezone(&Utc));
    }
    match parse_until(text, now) {
        Ok(Some(at)) => Ok(at),
        _ => Err(Failure(format!(
            "invalid --at '{text}': use 2h (from now), 2026-11-23T08:00 (UTC) or an RFC 3339 time"
        ))),
    }
}

/// `30m`, `8h`, `2d`, `1w` as a positive duration.
fn span(text: &str) -> Option<Duration> {
    let (number, unit) = text.split_at_checked(text.len().checked_sub(1)?)?;
    let n = number.parse::<i64>().ok().filter(|n| *n > 0)?;
    match unit {
        "m" => Duration::try_minutes(n),
        "h" => Duration::try_hours(n),
        "d" => Duration::try_days(n),
        "w" => Duration::try_weeks(n),
        _ => None,
    }
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The human handoff: who and when, the numbers, the note, the notes of the period.
pub fn describe_handoff(handoff: &Handoff) -> String {
    let c = &handoff.counts;
    let mut text = format!(
        "Handoff by {} at {} (since {})\n  new {}  handled {}  open {}  escalated {}  near SLA {}  past SLA {}\n",
        sanitize::one_line(&handoff.author, 32),
        utc(handoff.at),
        utc(handoff.since),
        c.new,
        c.handled,
        c.open,
        c.escalated,
        c.near_sla,
        c.past_sla
    );
    if let Some(note) = &handoff.note {
        text.push_str("\nNote:\n");
        for line in sanitize::sanitize(note).lines() {
            text.push_str(&format!("  {line}\n"));
        }
    }
    if !handoff.notes.is_empty() {
        text.push_str("\nNotes since:\n");
        for note in &handoff.notes {
            let item = note.item.map(|i| i.to_string()).unwrap_or_default();
            text.push_str(&format!(
                "  {}  {}  {}  {}\n",
                note.at.format("%m-%d %H:%M"),
                sanitize::pad_to(&note.by, 12),
                item,
                sanitize::one_line(&note.text, 80)
            ));
        }
    }
    text
}

/// The human on-call report, in the schedule's time zone.
pub fn describe_oncall(report: &OnCallReport) -> String {
    let zone: Tz = report.timezone.parse().unwrap_or(Tz::UTC);
    let local = |at: DateTime<Utc>| {
        at.with_timezone(&zone)
            .format("%a %Y-%m-%d %H:%M")
            .to_string()
    };
    let names = |users: &[String]| -> String {
        if users.is_empty() {
            return "nobody".into();
        }
        let clean: Vec<String> = users.iter().map(|u| sanitize::one_line(u, 32)).collect();
        clean.join(", ")
    };
    let mut text = format!(
        "On call at {} ({}): {}\nA leaver's open items go to: {}\n",
        local(report.at),
        sanitize::one_line(&report.timezone, 40),
        names(&report.on_call),
        if report.handover == "pool" {
            "the unassigned pool"
        } else {
            "the next on call"
        },
    );
    if report.changes.is_empty() {
        text.push_str("No changes in the next 24 hours.\n");
        return text;
    }
    text.push_str("Next 24 hours:\n");
    for (at, moves) in by_instant(&report.changes) {
        let described: Vec<String> = moves
            .iter()
            .map(|t| {
                let word = match t.kind {
                    TransitionKind::Ends => "off",
                    TransitionKind::Starts => "on",
                };
                format!("{} {word}", sanitize::one_line(&t.user, 32))
            })
            .collect();
        text.push_str(&format!("  {}  {}\n", local(at), described.join(", ")));
    }
    text
}

/// Transitions grouped by instant, in order.
fn by_instant(changes: &[Transition]) -> Vec<(DateTime<Utc>, Vec<&Transition>)> {
    let mut groups: Vec<(DateTime<Utc>, Vec<&Transition>)> = Vec::new();
    for change in changes {
        match groups.last_mut() {
            Some((at, moves)) if *at == change.at => moves.push(change),
            _ => groups.push((change.at, vec![change])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_reads_ages_dates_and_rfc3339() {
        let now: DateTime<Utc> = "2026-11-23T16:00:00Z".parse().unwrap();
        assert_eq!(parse_since("8h", now).unwrap(), now - Duration::hours(8));
        assert_eq!(
            parse_since("2026-11-23T08:00", now).unwrap().to_rfc3339(),
            "2026-11-23T08:00:00+00:00"
        );
        assert_eq!(
            parse_since("2026-11-23T08:00:00+01:00", now)
                .unwrap()
                .to_rfc3339(),
            "2026-11-23T07:00:00+00:00"
        );
        assert!(parse_since("yesterday", now)
            .unwrap_err()
            .0
            .contains("--since 'yesterday'"));
        assert!(parse_since("0h", now).is_err());
    }

    #[test]
    fn human_handoff_text_is_sanitized() {
        let at: DateTime<Utc> = "2026-11-23T16:00:00Z".parse().unwrap();
        let handoff = Handoff {
            author: "alice".into(),
            at,
            since: at - Duration::hours(8),
            counts: Default::default(),
            notes: vec![crate::model::HandoffNote {
                at,
                by: "bob\u{1b}[31m".into(),
                item: None,
                text: "call back \u{1b}]0;pwned\u{7}tomorrow".into(),
            }],
            note: Some("refund thread \u{202e}is hot\nsecond line".into()),
        };
        let text = describe_handoff(&handoff);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{text:?}"
        );
        assert!(text.contains("since 2026-11-23 08:00 UTC"), "{text}");
        assert!(text.contains("  second line\n"), "{text}");
    }
}
