//! Pages about SLA breaches in the TUI: the paged user sees the page as a status message
//! (with the bell of `hub::notify`'s terminal notice), warnings and breaches of their items
//! show there too, and `ack` (`A`) acknowledges the page about the item under the cursor.

use chrono::Duration;

use super::super::msg::{CallFailure, CallTag, Effect};
use super::triage::targets;
use super::App;
use crate::hub::protocol::{Request, Response};
use crate::hub::{SlaEvent, SlaEventKind};

/// How long a page stays in the status bar (other messages last a few seconds).
const PAGE_SHOWN: Duration = Duration::seconds(60);

/// A live SLA event: told when it names us.
pub fn event(app: &mut App, event: &SlaEvent) -> Vec<Effect> {
    if !event.users.iter().any(|u| u == &app.user) {
        return Vec::new();
    }
    let due = event.due.format("%H:%M UTC");
    let text = match event.kind {
        SlaEventKind::Paged => format!(
            "PAGED: item {} missed its SLA (due {due}); open it and press A to acknowledge",
            event.item
        ),
        SlaEventKind::Warning => format!("SLA: item {} is due at {due}", event.item),
        SlaEventKind::Breached => format!("SLA breached: item {} was due at {due}", event.item),
        SlaEventKind::Acked => return Vec::new(),
    };
    app.flash(text, event.kind != SlaEventKind::Warning);
    if event.kind == SlaEventKind::Paged {
        if let Some(flash) = app.flash.as_mut() {
            flash.until = app.now + PAGE_SHOWN;
        }
    }
    app.dirty = true;
    Vec::new()
}

/// Acknowledges the page about the open item (else the cursor's).
pub fn ack(app: &mut App) -> Vec<Effect> {
    match targets(app).as_slice() {
        [item] => vec![Effect::Call {
            tag: CallTag::Ack,
            request: Request::Ack { id: item.id },
        }],
        [] => Vec::new(),
        _ => {
            app.flash("acknowledge one page at a time: open the item", true);
            Vec::new()
        }
    }
}

/// The hub's answer to an acknowledgement.
pub fn acked(app: &mut App, result: Result<Response, CallFailure>) -> Vec<Effect> {
    match result {
        Ok(Response::Pages { pages }) => {
            let item = pages
                .first()
                .map(|p| p.item.to_string())
                .unwrap_or_default();
            app.flash(format!("page about item {item} acknowledged"), false);
        }
        Ok(_) => app.flash("ack: unexpected answer from the hub", true),
        Err(failure) => app.flash(format!("ack: {failure}"), true),
    }
    Vec::new()
}
