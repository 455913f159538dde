//! The dashboard in the TUI: `dashboard` shows it and asks the hub for the report of the
//! chosen window (the answer comes back as a message like every hub call, so the UI never
//! waits); `stats_24h`, `stats_7d`, `stats_30d` change the window, `refresh` asks again,
//! `back` returns to the panes.

use super::super::action::Action;
use super::super::components::dashboard::StatsSpan;
use super::super::msg::{CallFailure, CallTag, Effect};
use super::{commands, App};
use crate::hub::protocol::{Request, Response};

/// `dashboard` (or a window's action) from the panes: shows the screen and loads it.
pub fn open(app: &mut App, span: Option<StatsSpan>) -> Vec<Effect> {
    app.outbox.shown = false;
    app.dashboard.shown = true;
    let span = span.unwrap_or(app.dashboard.span);
    vec![load(app, span)]
}

/// An action on the dashboard.
pub fn action(app: &mut App, action: Action) -> Vec<Effect> {
    if let Some(span) = StatsSpan::of(action) {
        return vec![load(app, span)];
    }
    match action {
        Action::Back | Action::Dashboard => {
            app.dashboard.shown = false;
            Vec::new()
        }
        Action::Refresh => vec![load(app, app.dashboard.span)],
        Action::Help | Action::Palette | Action::Handoff | Action::Quit => {
            commands::pane_action(app, action)
        }
        // Anything else (from the palette) is for the panes: the screen gives way.
        other => {
            app.dashboard.shown = false;
            commands::pane_action(app, other)
        }
    }
}

/// Asks the hub for the report of the `span` up to now.
fn load(app: &mut App, span: StatsSpan) -> Effect {
    let seq = app.dashboard.ask(span);
    app.dirty = true;
    Effect::Call {
        tag: CallTag::Stats { seq },
        request: Request::Stats {
            since: Some(app.now - span.duration()),
            until: None,
        },
    }
}

/// The hub's answer to call `seq`.
pub fn loaded(app: &mut App, seq: u64, result: Result<Response, CallFailure>) -> Vec<Effect> {
    let result = match result {
        Ok(Response::Stats(report)) => Ok(report),
        Ok(_) => Err("the hub answered stats with something else".to_string()),
        Err(failure) => Err(failure.to_string()),
    };
    if app.dashboard.answered(seq, result) {
        app.dirty = true;
    }
    Vec::new()
}
