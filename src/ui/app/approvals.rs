//! Deciding on outbox entries from the outbox screen: approving a held entry as written or
//! with edits, rejecting it with a comment (approvers and admins; for an agent the keys only
//! say so, and the hub would refuse anyway), retrying a failed or rejected entry as it is or
//! with corrected text (in the composer). The hub's answers update the outbox at once; a
//! refusal is shown as the hub words it.

use super::super::action::Action;
use super::super::components::{Composer, OutboxThen, Prompt, PromptKind, ReasonFor, Sends};
use super::super::keymap::Context;
use super::super::keys::sequence_label;
use super::super::msg::{CallFailure, CallTag, Effect};
use super::super::sanitize::one_line;
use super::commands::{open_detail, reload_detail};
use super::outbox::with_item;
use super::{App, Overlay};
use crate::hub::protocol::{Request, Response};
use crate::model::{Item, ItemId, OutboxEntry, OutboxState};

/// `approve`: the held entry goes out as written.
pub fn approve(app: &mut App) -> Vec<Effect> {
    let Some(entry) = held_for_approver(app, "approve") else {
        return Vec::new();
    };
    let request = Request::Approve {
        entry: entry.id,
        text: None,
    };
    vec![decision(entry.id, "approve", request)]
}

/// `approve_edited`: the held reply opens in the composer; sending approves the edits.
pub fn approve_edited(app: &mut App) -> Vec<Effect> {
    let Some(entry) = held_for_approver(app, "approve") else {
        return Vec::new();
    };
    if !has_text(app, &entry) {
        return Vec::new();
    }
    let then = OutboxThen::Edit(Sends::Approve(entry.id));
    with_item(app, entry.id, entry.item, then)
}

/// `reject`: asks for the comment its author will read.
pub fn reject(app: &mut App) -> Vec<Effect> {
    let Some(entry) = held_for_approver(app, "reject") else {
        return Vec::new();
    };
    let target = describe(app, &entry);
    app.reason_for = Some(ReasonFor::Reject { entry: entry.id });
    let prompt = Prompt::new(PromptKind::Reject, "", Vec::new(), target);
    app.overlay = Some(Overlay::Prompt(prompt));
    Vec::new()
}

/// `retry`: a failed or rejected entry is queued again as it is.
pub fn retry(app: &mut App) -> Vec<Effect> {
    let Some(entry) = retryable(app) else {
        return Vec::new();
    };
    let request = Request::RetryReply {
        entry: entry.id,
        text: None,
    };
    vec![decision(entry.id, "retry", request)]
}

/// `edit_retry`: a failed or rejected reply opens in the composer; sending queues it again.
pub fn edit_retry(app: &mut App) -> Vec<Effect> {
    let Some(entry) = retryable(app) else {
        return Vec::new();
    };
    if !has_text(app, &entry) {
        return Vec::new();
    }
    with_item(
        app,
        entry.id,
        entry.item,
        OutboxThen::Edit(Sends::Retry(entry.id)),
    )
}

/// Opens the composer on an entry's text, over its item.
pub fn edit(app: &mut App, entry: ItemId, item: Item, sends: Sends) -> Vec<Effect> {
    let Some(text) = app.outbox.get(entry).map(|e| e.text.clone()) else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    if app.detail.as_ref().map(|d| d.id()) != Some(item.id) {
        effects.extend(open_detail(app, item.clone()));
    }
    app.composer = Some(Composer::for_entry(item, &text, sends));
    effects
}

/// The reason prompt was answered: reject the entry, or report the item. A reason is
/// required.
pub fn reason_given(app: &mut App) -> Vec<Effect> {
    let Some(Overlay::Prompt(prompt)) = &mut app.overlay else {
        return Vec::new();
    };
    let reason = prompt.input.text().trim().to_string();
    if reason.is_empty() {
        prompt.error = Some(match prompt.kind {
            PromptKind::Reject => "a rejection needs a comment for the reply's author".into(),
            _ => "a report needs a reason for the platform".into(),
        });
        return Vec::new();
    }
    app.overlay = None;
    match app.reason_for.take() {
        Some(ReasonFor::Reject { entry }) => {
            let request = Request::Reject { entry, reason };
            vec![decision(entry, "reject", request)]
        }
        Some(ReasonFor::Report { item }) => super::moderation::reported(app, &item, reason),
        None => Vec::new(),
    }
}

/// An outbox command from the panes (the palette): it works on the outbox screen.
pub fn outside_outbox(app: &mut App, action: Action) -> Vec<Effect> {
    let key = app
        .keymap
        .keys_for(Context::Global, Action::Outbox)
        .map(|k| format!(" ({})", sequence_label(&k)))
        .unwrap_or_default();
    app.flash(format!("{action} works in the outbox{key}"), true);
    Vec::new()
}

/// The entry under the cursor when it waits for approval and we may decide on it.
fn held_for_approver(app: &mut App, verb: &str) -> Option<OutboxEntry> {
    let entry = current(app)?;
    if !app.outbox.approver {
        let role = app.me.role;
        app.flash(
            format!("only approvers and admins {verb} replies (you are an {role})"),
            true,
        );
        return None;
    }
    if entry.state != OutboxState::Held {
        app.flash(
            format!(
                "this {} is {}, not waiting for approval",
                entry.what(),
                entry.state
            ),
            true,
        );
        return None;
    }
    Some(entry)
}

/// The entry under the cursor when it failed or was rejected.
fn retryable(app: &mut App) -> Option<OutboxEntry> {
    let entry = current(app)?;
    if matches!(
        entry.state,
        OutboxState::Failed { .. } | OutboxState::Rejected { .. }
    ) {
        return Some(entry);
    }
    app.flash(
        format!(
            "this {} is {}: only a failed or rejected one can be retried",
            entry.what(),
            entry.state
        ),
        true,
    );
    None
}

fn current(app: &mut App) -> Option<OutboxEntry> {
    let entry = app.outbox.current().cloned();
    if entry.is_none() {
        app.flash("no outbox entry under the cursor", true);
    }
    entry
}

/// A moderation step has no text to edit (its text says what it does).
fn has_text(app: &mut App, entry: &OutboxEntry) -> bool {
    if entry.moderation.is_some() {
        app.flash(format!("a {} has no text to edit", entry.what()), true);
    }
    entry.moderation.is_none()
}

/// "alice's reply to @claire", "your block request on @troll".
fn describe(app: &App, entry: &OutboxEntry) -> String {
    let whose = match entry.author == app.user {
        true => "your".to_string(),
        false => format!("{}'s", one_line(&entry.author, 20)),
    };
    format!("{whose} {}", app.outbox.subject(entry))
}

fn decision(entry: ItemId, label: &'static str, request: Request) -> Effect {
    Effect::Call {
        tag: CallTag::Decision { entry, label },
        request,
    }
}

/// The hub's answer to an approve, reject or retry.
pub fn decided(
    app: &mut App,
    label: &'static str,
    result: Result<Response, CallFailure>,
) -> Vec<Effect> {
    match result {
        Ok(Response::Entry { entry }) => {
            let done = done(app, label, &entry);
            app.outbox.upsert(entry);
            app.flash(done, false);
        }
        Ok(_) => {}
        Err(failure) => app.flash(format!("{label} refused: {failure}"), true),
    }
    Vec::new()
}

/// What a decision did, for the status bar.
fn done(app: &App, label: &str, entry: &OutboxEntry) -> String {
    let what = describe(app, entry);
    match (label, &entry.state) {
        ("approve", _) => format!("approved {what}: it goes out now"),
        ("reject", _) => format!("rejected {what}; {} sees why", one_line(&entry.author, 20)),
        (_, OutboxState::Held) => format!("{what} is held for approval again"),
        _ => format!("{what} is queued again"),
    }
}

/// The composer's edits of an entry were accepted by the hub: close it and say so.
pub fn edits_sent(app: &mut App, entry: OutboxEntry) -> Vec<Effect> {
    let label = match app.composer.as_ref().map(|c| c.sends) {
        Some(Sends::Approve(_)) => "approve",
        _ => "retry",
    };
    app.composer = None;
    let mut effects = decided(app, label, Ok(Response::Entry { entry }));
    effects.extend(reload_detail(app));
    effects
}
