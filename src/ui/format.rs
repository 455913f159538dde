//! Short human renderings of times: ages (`3h`), SLA countdowns (`≤12m`, `!5m` when
//! overdue) and timestamps for the detail pane.

use chrono::{DateTime, Duration, Utc};

use crate::model::Item;

/// What the time column of a queue line says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeCell {
    /// How long ago the item arrived.
    Age(String),
    /// How long until the SLA is breached.
    Due(String),
    /// How long ago the SLA was breached.
    Overdue(String),
}

impl TimeCell {
    pub fn of(item: &Item, now: DateTime<Utc>) -> TimeCell {
        match item.sla_due {
            Some(due) if item.status.is_active() => {
                if due > now {
                    TimeCell::Due(format!("≤{}", compact_up(due - now)))
                } else {
                    TimeCell::Overdue(format!("!{}", compact(now - due)))
                }
            }
            _ => TimeCell::Age(compact(now - item.created_at)),
        }
    }

    pub fn text(&self) -> &str {
        match self {
            TimeCell::Age(s) | TimeCell::Due(s) | TimeCell::Overdue(s) => s,
        }
    }
}

/// A duration in its largest whole unit: `40s`, `12m`, `3h`, `2d`, `6w`, `2y`.
pub fn compact(duration: Duration) -> String {
    let secs = duration.num_seconds().max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3_600),
        s if s < 14 * 86_400 => format!("{}d", s / 86_400),
        s if s < 365 * 86_400 => format!("{}w", s / (7 * 86_400)),
        s => format!("{}y", s / (365 * 86_400)),
    }
}

/// A time left, in its largest whole unit rounded *up*, so that `≤` after it holds: 1h59m
/// left is `2h`, never `1h`.
pub fn compact_up(duration: Duration) -> String {
    let secs = duration.num_seconds().max(0);
    let up = |unit: i64| (secs + unit - 1) / unit;
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3_600 => format!("{}m", up(60)),
        s if s < 86_400 => format!("{}h", up(3_600)),
        s if s < 14 * 86_400 => format!("{}d", up(86_400)),
        s if s < 365 * 86_400 => format!("{}w", up(7 * 86_400)),
        _ => format!("{}y", up(365 * 86_400)),
    }
}

/// What an item's `sla_due` stands for: our first reply, then the resolution.
pub fn sla_stage(item: &Item) -> &'static str {
    match item.first_response_at {
        None => "reply",
        Some(_) => "resolution",
    }
}

/// A duration with two units for the status bar: `4m 12s`, `2h 05m`, `3d 4h`.
pub fn countdown(duration: Duration) -> String {
    let secs = duration.num_seconds().abs();
    let (d, h, m, s) = (secs / 86_400, secs / 3_600 % 24, secs / 60 % 60, secs % 60);
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m:02}m")
    } else {
        format!("{m}m {s:02}s")
    }
}

/// A timestamp for the detail pane (UTC, minutes).
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_uses_the_largest_whole_unit() {
        assert_eq!(compact(Duration::seconds(40)), "40s");
        assert_eq!(compact(Duration::minutes(12)), "12m");
        assert_eq!(compact(Duration::minutes(185)), "3h");
        assert_eq!(compact(Duration::days(3)), "3d");
        assert_eq!(compact(Duration::days(30)), "4w");
        assert_eq!(compact(Duration::days(800)), "2y");
        assert_eq!(compact(Duration::seconds(-5)), "0s");
    }

    #[test]
    fn time_left_rounds_up_so_at_most_holds() {
        assert_eq!(compact_up(Duration::minutes(119)), "2h");
        assert_eq!(compact_up(Duration::minutes(120)), "2h");
        assert_eq!(compact_up(Duration::seconds(61)), "2m");
        assert_eq!(compact_up(Duration::seconds(40)), "40s");
        assert_eq!(compact_up(Duration::hours(25)), "2d");
        let now = Utc::now();
        let mut item: Item = serde_json::from_value(serde_json::json!({
            "id": crate::model::ItemId::generate(), "platform": "x", "account": "acme",
            "kind": "dm", "remote_id": "1", "thread_id": null, "parent_id": null,
            "author": {}, "text": "", "created_at": now, "received_at": now, "url": null,
            "status": "open", "priority": "normal", "tags": [], "assignee": null
        }))
        .unwrap();
        item.sla_due = Some(now + Duration::minutes(119));
        assert_eq!(TimeCell::of(&item, now), TimeCell::Due("≤2h".into()));
        item.sla_due = Some(now - Duration::minutes(119));
        assert_eq!(TimeCell::of(&item, now), TimeCell::Overdue("!1h".into()));
    }

    #[test]
    fn countdown_has_two_units() {
        assert_eq!(countdown(Duration::seconds(252)), "4m 12s");
        assert_eq!(countdown(Duration::minutes(125)), "2h 05m");
        assert_eq!(countdown(Duration::hours(76)), "3d 4h");
        assert_eq!(countdown(Duration::seconds(-90)), "1m 30s");
    }
}
