//! The on-call schedule inside the hub: the team's `[oncall]` as the shift clock and
//! handoffs read it (it changes with `ReloadTeam`), and the `OnCall` request.

use chrono::{DateTime, Duration, Utc};

use super::protocol::{OnCallReport, Response};
use super::Hub;
use crate::model::Page;
use crate::team::{Member, OnCall};

/// How far ahead `OnCall` lists who goes on or off call.
const AHEAD: Duration = Duration::hours(24);

impl Hub {
    /// The on-call schedule, when `[oncall]` is configured (a copy: a reload may replace it).
    pub fn schedule(&self) -> Option<OnCall> {
        self.read_team().oncall().cloned()
    }

    /// The member a user name stands for (anyone, when the team is open).
    pub(super) fn member_named(&self, name: &str) -> Option<Member> {
        self.read_team().member(name)
    }

    /// Who is on call at `at` and the changes in the day after, with the open `pages`.
    pub(super) fn oncall_report(&self, at: DateTime<Utc>, pages: Vec<Page>) -> Response {
        let oncall = self.schedule().map(|schedule| OnCallReport {
            at,
            timezone: schedule.zone().name().to_string(),
            handover: schedule.handover().as_str().to_string(),
            on_call: schedule.on_call_at(at),
            changes: schedule.transitions(at, at + AHEAD),
        });
        Response::OnCall { oncall, pages }
    }
}
