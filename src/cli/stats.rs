//! `stats`: the team's figures over a window (`--since`, default 7 days), read from the
//! hub within what the caller sees, printed as a table, one JSON document (`--json`) or
//! one CSV row per metric (`--csv`, see [`super::stats_csv`]). Names from the store go
//! through the sanitizer in the table.

use std::fmt::Write as _;
use std::process::ExitCode;

use chrono::Utc;

use super::output::json_line;
use super::shifts::parse_since;
use super::stats_csv::write_csv;
use super::verbs::call;
use super::Failure;
use crate::hub::protocol::{Request, Response};
use crate::hub::HubClient;
use crate::reports::format::{duration, percent};
use crate::reports::{StatsReport, Timing};
use crate::ui::sanitize::one_line;

/// Asks the hub for the report and prints it: as JSON, CSV (the flags) or a table.
pub async fn stats(
    hub: &HubClient,
    since: Option<&str>,
    (json, csv): (bool, bool),
) -> Result<ExitCode, Failure> {
    let since = since.map(|s| parse_since(s, Utc::now())).transpose()?;
    let request = Request::Stats { since, until: None };
    let Response::Stats(report) = call(hub, request).await? else {
        return Err(Failure("unexpected answer from the hub to stats".into()));
    };
    if json {
        println!("{}", json_line(&report));
    } else if csv {
        print!("{}", write_csv(&report)?);
    } else {
        print!("{}", describe(&report));
    }
    Ok(ExitCode::SUCCESS)
}

/// The human table.
pub fn describe(report: &StatsReport) -> String {
    let mut out = String::new();
    let when = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%d %H:%M").to_string();
    let _ = writeln!(
        out,
        "Stats from {} to {} UTC",
        when(report.since),
        when(report.until)
    );
    volume(&mut out, report);
    let _ = writeln!(
        out,
        "{}",
        timing("First response", &report.first_response, "answered")
    );
    let _ = writeln!(
        out,
        "{}",
        timing("Resolution", &report.resolution, "resolved")
    );
    let sla = &report.sla;
    let _ = writeln!(
        out,
        "SLA met         {} ({} met, {} breached, {} pending; {} without a due time, not counted)",
        percent(sla.met_percent),
        sla.met,
        sla.breached,
        sla.pending,
        sla.without_due
    );
    agents(&mut out, report);
    escalations(&mut out, report);
    out
}

fn volume(out: &mut String, report: &StatsReport) {
    let v = &report.volume;
    let _ = writeln!(out, "Volume          {} items", v.total);
    let list = |counts: &std::collections::BTreeMap<String, u64>| {
        let mut pairs: Vec<_> = counts.iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let parts: Vec<String> = pairs
            .iter()
            .map(|(name, n)| format!("{} {n}", one_line(name, 20)))
            .collect();
        if parts.is_empty() {
            "—".to_string()
        } else {
            parts.join(" · ")
        }
    };
    let _ = writeln!(out, "  by platform   {}", list(&v.by_platform));
    let _ = writeln!(out, "  by kind       {}", list(&v.by_kind));
}

fn timing(label: &str, t: &Timing, done: &str) -> String {
    format!(
        "{label:<15} median {}  p90 {}  ({} {done}, {} not yet)",
        duration(t.median_seconds),
        duration(t.p90_seconds),
        t.count,
        t.missing
    )
}

fn agents(out: &mut String, report: &StatsReport) {
    if report.agents.is_empty() {
        let _ = writeln!(out, "Agents          nobody replied or resolved");
        return;
    }
    let _ = writeln!(
        out,
        "Agents          {:>7}  {:>8}  first response (median)",
        "replies", "resolved"
    );
    for a in &report.agents {
        let _ = writeln!(
            out,
            "  {:<13} {:>7}  {:>8}  {}",
            one_line(&a.user, 13),
            a.replies_sent,
            a.resolved,
            duration(a.first_response_median_seconds)
        );
    }
}

fn escalations(out: &mut String, report: &StatsReport) {
    if !report.escalations_shown {
        let _ = writeln!(out, "Escalations     not shown to your role");
        return;
    }
    if report.escalations.is_empty() {
        let _ = writeln!(out, "Escalations     none raised");
        return;
    }
    let _ = writeln!(
        out,
        "Escalations     {:>6}  {:>8}  answer median  p90",
        "raised", "answered"
    );
    for e in &report.escalations {
        let _ = writeln!(
            out,
            "  {:<13} {:>6}  {:>8}  {:<13}  {}",
            one_line(&e.name, 13),
            e.raised,
            e.answered,
            duration(e.answer_median_seconds),
            duration(e.answer_p90_seconds)
        );
    }
}
