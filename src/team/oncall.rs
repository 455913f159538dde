//! [`OnCall`]: the schedule `[oncall]` describes, as pure functions of time: who is on call
//! at an instant, and when someone's time on call starts or ends. The hub's shift clock
//! (`hub/shifts.rs`), `switchboard oncall` and the handoff's "since" all ask it.
//!
//! An override covering an instant wins; otherwise every shift covering it counts (in config
//! order, each person once). Shifts are wall-clock times in the schedule's time zone, so a
//! 22:00–06:00 night lasts nine hours on the night clocks go back and seven when they go
//! forward. A local time that does not exist (clocks jump forward over it) means the moment
//! the jump lands on; one that happens twice (clocks go back) means the first.

use std::collections::BTreeSet;

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
    Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::config::{Handover, OnCallConfig};

/// How far back [`OnCall::last_start`] looks for the start of someone's time on call.
const LOOKBACK: Duration = Duration::days(8);
/// How far ahead [`OnCall::next_boundary`] looks (a week's rotation repeats within it).
const LOOKAHEAD: Duration = Duration::days(8);

/// The on-call schedule.
#[derive(Clone, Debug)]
pub struct OnCall {
    zone: Tz,
    handover: Handover,
    shifts: Vec<Shift>,
    overrides: Vec<Override>,
}

/// One weekly shift, in the schedule's wall-clock time.
#[derive(Clone, Debug)]
struct Shift {
    user: String,
    /// The days it starts on.
    days: Vec<Weekday>,
    start: NaiveTime,
    /// At or before `start`: the next day.
    end: NaiveTime,
}

/// Someone on call instead of the rotation, `[from, until)`.
#[derive(Clone, Debug)]
struct Override {
    user: String,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
}

/// Whether someone goes on call or off it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TransitionKind {
    Starts,
    Ends,
}

/// One person going on or off call at one instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub at: DateTime<Utc>,
    pub user: String,
    pub kind: TransitionKind,
}

impl Shift {
    /// The instants of its occurrence that starts on local day `day`, if it runs that day.
    fn on(&self, zone: Tz, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        weekly_window(zone, day, &self.days, (self.start, self.end))
    }
}

impl OnCall {
    /// The schedule a (validated) `[oncall]` section describes.
    pub fn from_config(config: &OnCallConfig) -> OnCall {
        let zone = config.timezone.0;
        OnCall {
            zone,
            handover: config.handover,
            shifts: config
                .shifts
                .iter()
                .map(|s| Shift {
                    user: s.user.clone(),
                    days: s.days.iter().map(|d| d.0).collect(),
                    start: s.start.0,
                    end: s.end.0,
                })
                .collect(),
            overrides: config
                .overrides
                .iter()
                .map(|o| Override {
                    user: o.user.clone(),
                    from: o.from.instant(zone),
                    until: o.until.instant(zone),
                })
                .collect(),
        }
    }

    /// The time zone shifts are written in.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Where a leaver's open items go.
    pub fn handover(&self) -> Handover {
        self.handover
    }

    /// Who is on call at `at`: the overrides covering it if any, else the shifts covering it;
    /// in config order, each person once.
    pub fn on_call_at(&self, at: DateTime<Utc>) -> Vec<String> {
        let overriding = self
            .overrides
            .iter()
            .filter(|o| o.from <= at && at < o.until)
            .map(|o| o.user.as_str());
        let mut users = unique(overriding);
        if users.is_empty() {
            let today = at.with_timezone(&self.zone).date_naive();
            let days = [today.pred_opt(), Some(today)];
            let covering = self.shifts.iter().filter(|shift| {
                days.iter().flatten().any(|day| {
                    shift
                        .on(self.zone, *day)
                        .is_some_and(|(start, end)| start <= at && at < end)
                })
            });
            users = unique(covering.map(|s| s.user.as_str()));
        }
        users
    }

    /// Everyone going on or off call in `(from, to]`, in time order (at one instant, those
    /// leaving before those arriving). Someone whose next shift starts exactly when the last
    /// ends does not appear there.
    pub fn transitions(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Transition> {
        let mut before = self.on_call_at(from);
        let mut out = Vec::new();
        for at in self.boundaries(from, to) {
            let after = self.on_call_at(at);
            let moved = |users: &[String], others: &[String], kind| {
                users
                    .iter()
                    .filter(|u| !others.contains(u))
                    .map(|user| Transition {
                        at,
                        user: user.clone(),
                        kind,
                    })
                    .collect::<Vec<_>>()
            };
            out.extend(moved(&before, &after, TransitionKind::Ends));
            out.extend(moved(&after, &before, TransitionKind::Starts));
            before = after;
        }
        out
    }

    /// Whose time on call ends in `(from, to]`, and when.
    pub fn ends_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<(String, DateTime<Utc>)> {
        self.transitions(from, to)
            .into_iter()
            .filter(|t| t.kind == TransitionKind::Ends)
            .map(|t| (t.user, t.at))
            .collect()
    }

    /// When `user`'s current or last time on call began (looking back eight days).
    pub fn last_start(&self, user: &str, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.transitions(at - LOOKBACK, at)
            .into_iter()
            .filter(|t| t.kind == TransitionKind::Starts && t.user == user)
            .map(|t| t.at)
            .next_back()
    }

    /// The first instant after `after` where a shift or override starts or ends (within eight
    /// days): when the shift clock must look again.
    pub fn next_boundary(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.boundaries(after, after + LOOKAHEAD).into_iter().next()
    }

    /// Every instant in `(from, to]` where a shift or an override starts or ends.
    fn boundaries(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> BTreeSet<DateTime<Utc>> {
        let mut instants = BTreeSet::new();
        let first = from.with_timezone(&self.zone).date_naive().pred_opt();
        let last = to.with_timezone(&self.zone).date_naive();
        let mut day = first;
        while let Some(d) = day.filter(|d| *d <= last) {
            for shift in &self.shifts {
                if let Some((start, end)) = shift.on(self.zone, d) {
                    instants.extend([start, end]);
                }
            }
            day = d.succ_opt();
        }
        for o in &self.overrides {
            instants.extend([o.from, o.until]);
        }
        instants.retain(|t| from < *t && *t <= to);
        instants
    }
}

/// Names in first-seen order, each once.
fn unique<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        if !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// The instants of a weekly wall-clock window (a shift, business hours) that opens on local
/// day `day`, if `days` has that weekday; an `end` at or before `start` is the next day.
pub fn weekly_window(
    zone: Tz,
    day: NaiveDate,
    days: &[Weekday],
    (start, end): (NaiveTime, NaiveTime),
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    if !days.contains(&day.weekday()) {
        return None;
    }
    let end_day = if end <= start { day.succ_opt()? } else { day };
    Some((
        local_instant(zone, day.and_time(start)),
        local_instant(zone, end_day.and_time(end)),
    ))
}

/// The instant a wall-clock time in `zone` stands for. A time clocks skip means the moment
/// they jump to (the first minute after the gap); a time they show twice means the first.
pub fn local_instant(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    if let Some(at) = zone.from_local_datetime(&local).earliest() {
        return at.with_timezone(&Utc);
    }
    let mut probe = local
        .with_second(0)
        .unwrap_or(local)
        .with_nanosecond(0)
        .unwrap_or(local);
    // Gaps last an hour or two in practice; a day bounds the search whatever the zone.
    for _ in 0..24 * 60 {
        probe += Duration::minutes(1);
        if let Some(at) = zone.from_local_datetime(&probe).earliest() {
            return at.with_timezone(&Utc);
        }
    }
    local.and_utc()
}

#[cfg(test)]
mod tests;
