//! The shift handoff in the TUI: asked for when the inbox opens and shown if someone else
//! wrote it in the last day; asked for again by the `handoff` action; scrolled and closed
//! like the help overlay (any other key closes it).

use chrono::Duration;

use super::super::components::HandoffView;
use super::super::msg::{CallFailure, CallTag, Effect};
use super::{App, Overlay};
use crate::hub::protocol::{Request, Response};
use crate::model::Handoff;

/// How recent a handoff must be to open by itself when the inbox opens.
const FRESH: Duration = Duration::hours(24);

/// Asks the hub for the latest handoff.
pub fn call(asked: bool) -> Effect {
    Effect::Call {
        tag: CallTag::Handoff { asked },
        request: Request::LatestHandoff,
    }
}

/// The hub's answer: shown when asked for, or at start when it is fresh and not ours.
pub fn answered(app: &mut App, asked: bool, result: Result<Response, CallFailure>) -> Vec<Effect> {
    match result {
        Ok(Response::LatestHandoff {
            handoff: Some(handoff),
        }) if asked || (app.overlay.is_none() && is_news(app, &handoff)) => show(app, handoff),
        Ok(Response::LatestHandoff { handoff: None }) if asked => {
            app.flash(
                "no handoff has been written yet (switchboard handoff)",
                false,
            );
        }
        Err(failure) if asked => app.flash(format!("handoff: {failure}"), true),
        _ => {}
    }
    Vec::new()
}

/// Someone else's handoff from the last day.
fn is_news(app: &App, handoff: &Handoff) -> bool {
    handoff.author != app.user && app.now - handoff.at < FRESH
}

fn show(app: &mut App, handoff: Handoff) {
    app.overlay = Some(Overlay::Handoff(HandoffView {
        handoff,
        context: app.pane_context(),
        scroll: 0,
    }));
}

/// An action while the overlay is open: a move (`step` lines) scrolls it, anything else
/// closes it.
pub fn overlay_action(app: &mut App, step: Option<isize>) -> Vec<Effect> {
    match (&mut app.overlay, step) {
        (Some(Overlay::Handoff(view)), Some(delta)) => {
            view.scroll = view.scroll.saturating_add_signed(delta);
        }
        _ => app.overlay = None,
    }
    Vec::new()
}
