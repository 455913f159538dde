//! `stats --csv`: one row per metric, columns `metric,dimension,key,value,unit`.
//!
//! `dimension` says what `key` names (`platform`, `kind`, `bucket` start, `agent`,
//! `escalation`; empty for a team-wide figure); `value` is empty when there is no figure
//! (a median of nothing); `unit` is `items`, `replies`, `seconds`, `percent` or `time`.
//! Keys from the store are made one line and defused against spreadsheet formulas.

use super::exchange::defuse_formula;
use super::Failure;
use crate::reports::{StatsReport, Timing};
use crate::ui::sanitize::one_line;

/// The header row.
pub const COLUMNS: [&str; 5] = ["metric", "dimension", "key", "value", "unit"];

/// The whole CSV text of a report.
pub fn write_csv(report: &StatsReport) -> Result<String, Failure> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(COLUMNS)?;
    for row in rows(report) {
        csv.write_record(row)?;
    }
    let bytes = csv.into_inner().map_err(|e| Failure(e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

type Row = [String; 5];

fn row(metric: &str, dimension: &str, key: &str, value: String, unit: &str) -> Row {
    let key = defuse_formula(one_line(key, 200));
    [metric, dimension, &key, &value, unit].map(str::to_string)
}

fn count(n: u64) -> String {
    n.to_string()
}

fn secs(value: Option<i64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn rows(report: &StatsReport) -> Vec<Row> {
    let mut rows = vec![
        row("since", "", "", report.since.to_rfc3339(), "time"),
        row("until", "", "", report.until.to_rfc3339(), "time"),
    ];
    volume(report, &mut rows);
    timing("first_response", &report.first_response, &mut rows);
    timing("resolution", &report.resolution, &mut rows);
    let sla = &report.sla;
    for (metric, n) in [
        ("sla_met", sla.met),
        ("sla_breached", sla.breached),
        ("sla_pending", sla.pending),
        ("sla_without_due", sla.without_due),
    ] {
        rows.push(row(metric, "", "", count(n), "items"));
    }
    let pct = sla
        .met_percent
        .map(|p| format!("{p:.1}"))
        .unwrap_or_default();
    rows.push(row("sla_met_percent", "", "", pct, "percent"));
    people(report, &mut rows);
    rows
}

fn volume(report: &StatsReport, rows: &mut Vec<Row>) {
    let v = &report.volume;
    rows.push(row("volume", "", "", count(v.total), "items"));
    for (platform, n) in &v.by_platform {
        rows.push(row("volume", "platform", platform, count(*n), "items"));
    }
    for (kind, n) in &v.by_kind {
        rows.push(row("volume", "kind", kind, count(*n), "items"));
    }
    let step = chrono::Duration::seconds(v.bucket_seconds);
    for (i, n) in v.over_time.iter().enumerate() {
        let start = report.since + step * i32::try_from(i).unwrap_or(i32::MAX);
        rows.push(row(
            "volume",
            "bucket",
            &start.to_rfc3339(),
            count(*n),
            "items",
        ));
    }
}

fn timing(name: &str, t: &Timing, rows: &mut Vec<Row>) {
    rows.push(row(
        &format!("{name}_median"),
        "",
        "",
        secs(t.median_seconds),
        "seconds",
    ));
    rows.push(row(
        &format!("{name}_p90"),
        "",
        "",
        secs(t.p90_seconds),
        "seconds",
    ));
    rows.push(row(
        &format!("{name}_count"),
        "",
        "",
        count(t.count),
        "items",
    ));
    rows.push(row(
        &format!("{name}_missing"),
        "",
        "",
        count(t.missing),
        "items",
    ));
}

fn people(report: &StatsReport, rows: &mut Vec<Row>) {
    for a in &report.agents {
        rows.push(row(
            "replies_sent",
            "agent",
            &a.user,
            count(a.replies_sent),
            "replies",
        ));
        rows.push(row(
            "resolved",
            "agent",
            &a.user,
            count(a.resolved),
            "items",
        ));
        let median = secs(a.first_response_median_seconds);
        rows.push(row(
            "first_response_median",
            "agent",
            &a.user,
            median,
            "seconds",
        ));
    }
    for e in &report.escalations {
        rows.push(row(
            "escalations_raised",
            "escalation",
            &e.name,
            count(e.raised),
            "items",
        ));
        rows.push(row(
            "escalations_answered",
            "escalation",
            &e.name,
            count(e.answered),
            "items",
        ));
        let (median, p90) = (secs(e.answer_median_seconds), secs(e.answer_p90_seconds));
        rows.push(row(
            "escalation_answer_median",
            "escalation",
            &e.name,
            median,
            "seconds",
        ));
        rows.push(row(
            "escalation_answer_p90",
            "escalation",
            &e.name,
            p90,
            "seconds",
        ));
    }
}
