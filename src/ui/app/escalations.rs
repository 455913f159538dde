//! Escalations in the TUI: what a live `Event::Escalation` tells. The CM who escalated
//! learns each owner's answer at once; an owner learns an item was escalated to them. The
//! item's own change (the same write) reloads the detail, which shows the escalation.

use super::super::sanitize::one_line;
use super::App;
use crate::model::{Escalation, EscalationState};

/// An escalation was made or answered by `by`.
pub fn event(app: &mut App, escalation: Escalation, by: String) {
    if by == app.user {
        return;
    }
    let message = match escalation.last_answer() {
        Some(answer) if escalation.by == app.user => {
            let mut text = format!(
                "{} answered your {} escalation: {}",
                one_line(&by, 24),
                one_line(&escalation.name, 24),
                answer.kind.words()
            );
            if !answer.text.is_empty() {
                text.push_str(": ");
                text.push_str(&one_line(&answer.text, 120));
            }
            text
        }
        None if escalation.state == EscalationState::Waiting && escalation.owned_by(&app.user) => {
            format!(
                "{} escalated an item to you ({}): {}",
                one_line(&by, 24),
                one_line(&escalation.name, 24),
                one_line(&escalation.note, 120)
            )
        }
        _ => return,
    };
    app.flash(message, false);
    app.dirty = true;
}
