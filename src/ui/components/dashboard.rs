//! The dashboard screen's state: whether it shows, the window asked for (24 hours, 7 or
//! 30 days), the last report the hub sent, and the number of the call in flight, so an
//! answer for a window the user has since left is dropped.

use chrono::Duration;

use super::super::action::Action;
use super::super::keymap::Context;
use super::Component;
use crate::reports::StatsReport;

/// The windows the dashboard offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatsSpan {
    Day,
    #[default]
    Week,
    Month,
}

impl StatsSpan {
    pub fn duration(self) -> Duration {
        match self {
            StatsSpan::Day => Duration::hours(24),
            StatsSpan::Week => Duration::days(7),
            StatsSpan::Month => Duration::days(30),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StatsSpan::Day => "24 hours",
            StatsSpan::Week => "7 days",
            StatsSpan::Month => "30 days",
        }
    }

    /// The span an action chooses, if it chooses one.
    pub fn of(action: Action) -> Option<StatsSpan> {
        match action {
            Action::StatsDay => Some(StatsSpan::Day),
            Action::StatsWeek => Some(StatsSpan::Week),
            Action::StatsMonth => Some(StatsSpan::Month),
            _ => None,
        }
    }
}

/// The dashboard and what it last showed.
#[derive(Clone, Debug, Default)]
pub struct DashboardView {
    /// Whether the screen is shown over the panes.
    pub shown: bool,
    pub span: StatsSpan,
    /// The latest report for `span` (kept while a refresh is on its way).
    pub report: Option<StatsReport>,
    /// Why the last call failed, until the next answer.
    pub error: Option<String>,
    /// The number of the latest call; only its answer counts.
    pub seq: u64,
    /// Whether that call is still on its way.
    pub loading: bool,
}

impl DashboardView {
    /// Starts a call for `span`: its number.
    pub fn ask(&mut self, span: StatsSpan) -> u64 {
        if span != self.span {
            self.report = None;
        }
        self.span = span;
        self.seq += 1;
        self.loading = true;
        self.seq
    }

    /// The hub's answer to call `seq`: kept if it is the latest.
    pub fn answered(&mut self, seq: u64, result: Result<StatsReport, String>) -> bool {
        if seq != self.seq {
            return false;
        }
        self.loading = false;
        match result {
            Ok(report) => {
                self.report = Some(report);
                self.error = None;
            }
            Err(why) => self.error = Some(why),
        }
        true
    }
}

impl Component for DashboardView {
    fn context(&self) -> Context {
        Context::Dashboard
    }
    fn commands(&self) -> &'static [Action] {
        &[
            Action::StatsDay,
            Action::StatsWeek,
            Action::StatsMonth,
            Action::Refresh,
            Action::Back,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_answer_for_an_older_call_is_dropped() {
        let mut view = DashboardView::default();
        let first = view.ask(StatsSpan::Week);
        let second = view.ask(StatsSpan::Day);
        assert!(!view.answered(first, Ok(StatsReport::default())));
        assert!(view.report.is_none() && view.loading);
        assert!(view.answered(second, Err("hub gone".into())));
        assert_eq!(view.error.as_deref(), Some("hub gone"));
        assert!(!view.loading);
    }
}
