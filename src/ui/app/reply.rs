//! Writing a reply. `reply` opens the composer over the detail pane (opening the item when
//! it is not), restoring the draft the hub keeps for it. Typing saves the draft on the hub
//! half a second after the last keystroke, and closing saves it too (empty text discards
//! it), so a dropped connection loses nothing. `send` asks for a review first (unless the
//! platform would refuse the reply: [`super::review`]); the reply goes out with the item
//! version the writer saw. `edit_external` hands the text to `$EDITOR` ([`super::editor`]). A conflict (someone else changed the item
//! since) stops it: the hub's account of what changed is shown, the item reloaded, and the
//! writer sends anyway with the new version or goes back to editing.

use std::time::Duration;

use super::super::action::Action;
use super::super::components::{Composer, Stage, TextArea};
use super::super::msg::{CallFailure, CallTag, Effect, Timer};
use super::commands::{open_detail, reload_detail};
use super::App;
use crate::hub::protocol::{ErrorKind, Request, Response};
use crate::model::{ItemId, OutboxEntry, OutboxState};

/// How long after the last keystroke the draft is saved.
pub const DRAFT_DELAY: Duration = Duration::from_millis(500);

/// Lines the thread above the input scrolls by.
const SCROLL_STEP: isize = 5;

/// Asks for our drafts (at start: they come back after a dropped connection).
pub fn drafts_call() -> Effect {
    Effect::Call {
        tag: CallTag::Drafts,
        request: Request::Drafts,
    }
}

/// Our drafts arrived.
pub fn drafts_loaded(app: &mut App, result: Result<Response, CallFailure>) -> Vec<Effect> {
    let Ok(Response::Drafts { drafts }) = result else {
        return Vec::new();
    };
    let count = drafts.len();
    for draft in drafts {
        app.drafts.entry(draft.item).or_insert(draft.text);
    }
    match count {
        0 => {}
        1 => app.flash("1 draft restored", false),
        n => app.flash(format!("{n} drafts restored"), false),
    }
    app.relayout();
    Vec::new()
}

/// Opens the composer on the open item, else the one under the cursor.
pub fn open(app: &mut App) -> Vec<Effect> {
    let item = match &app.detail {
        Some(detail) => Some(detail.item.clone()),
        None => app.queue.current().cloned(),
    };
    let Some(item) = item else {
        app.flash("no item under the cursor", true);
        return Vec::new();
    };
    if item.from_brand {
        app.flash(
            "that is our own post or reply; answer the customer's item",
            true,
        );
        return Vec::new();
    }
    let mut effects = Vec::new();
    if app.detail.as_ref().map(|d| d.id()) != Some(item.id) {
        effects.extend(open_detail(app, item.clone()));
    }
    let draft = app
        .drafts
        .get(&item.id)
        .cloned()
        .or_else(|| suggested_draft(app, item.id))
        .unwrap_or_default();
    app.composer = Some(Composer::new(item, &draft));
    effects
}

/// A routing rule's draft for the item, when the detail shown is that item's.
fn suggested_draft(app: &App, id: ItemId) -> Option<String> {
    app.detail
        .as_ref()
        .and_then(|d| d.detail.as_ref())
        .filter(|d| d.item.id == id)
        .and_then(|d| d.suggested_draft.clone())
}

/// An action while the composer is open.
pub fn action(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(composer) = &app.composer else {
        return Vec::new();
    };
    match composer.stage {
        Stage::Editing => editing(app, action),
        Stage::Review => review(app, action),
        Stage::Conflict { .. } => conflict(app, action),
        Stage::Sending => stop_waiting(app, action),
    }
}

/// `private_reply`: turns the reply private (or public again) where the platform allows
/// a private reply to this comment now, else says why not.
fn toggle_private(app: &mut App) -> Vec<Effect> {
    let now = app.now;
    let Some(composer) = &mut app.composer else {
        return Vec::new();
    };
    let why_not = crate::hub::private_reply_refusal(&composer.item, now);
    match (composer.private, composer.may_be_private(), why_not) {
        (true, _, _) => composer.private = false,
        (false, true, None) => composer.private = true,
        (false, _, Some(why)) => composer.error = Some(why),
        (false, false, None) => {
            composer.error = Some("only a new reply to a comment can be made private".into())
        }
    }
    if composer.private {
        composer.error = None;
    }
    Vec::new()
}

/// A hub that does not answer must not hold the CM: `cancel` goes back to the text. The
/// reply may still have reached the hub, so its answer, if it comes, is still shown (and a
/// queued reply closes the composer) until another send replaces it.
fn stop_waiting(app: &mut App, action: Action) -> Vec<Effect> {
    if let (Action::Cancel, Some(composer)) = (action, &mut app.composer) {
        composer.stage = Stage::Editing;
        composer.error = Some(
            "stopped waiting for the hub: the reply may still be queued (see the outbox) before you send again"
                .into(),
        );
    }
    Vec::new()
}

fn editing(app: &mut App, action: Action) -> Vec<Effect> {
    let lines = app.detail.as_ref().map_or(0, |d| d.lines.len());
    let Some(composer) = &mut app.composer else {
        return Vec::new();
    };
    match action {
        Action::Send => super::review::ask(app),
        Action::EditExternal => super::editor::open(app),
        Action::PrivateReply => toggle_private(app),
        Action::Cancel | Action::Back => close(app),
        Action::PageUp => {
            composer.scroll_by(-SCROLL_STEP, lines);
            Vec::new()
        }
        Action::PageDown => {
            composer.scroll_by(SCROLL_STEP, lines);
            Vec::new()
        }
        edit if composer.text.edit(edit) && TextArea::changes_text(edit) => edited(app),
        _ => Vec::new(),
    }
}

fn review(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Confirm => send(app),
        Action::Cancel | Action::Back => {
            back_to_editing(app);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn conflict(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(composer) = &mut app.composer else {
        return Vec::new();
    };
    match (action, &composer.stage) {
        (
            Action::Confirm,
            Stage::Conflict {
                refreshed: true, ..
            },
        ) => send(app),
        (Action::Confirm, _) => {
            app.flash("still loading the item as it is now", false);
            Vec::new()
        }
        (Action::Cancel | Action::Back, _) => {
            back_to_editing(app);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn back_to_editing(app: &mut App) {
    if let Some(composer) = &mut app.composer {
        composer.stage = Stage::Editing;
    }
}

/// Text typed or pasted into the composer.
pub fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    match &mut app.composer {
        Some(composer) if composer.stage == Stage::Editing => {
            composer.text.insert(text);
            edited(app)
        }
        _ => Vec::new(),
    }
}

/// The text changed: save the draft once the typing pauses.
pub(super) fn edited(app: &mut App) -> Vec<Effect> {
    let Some(composer) = &mut app.composer else {
        return Vec::new();
    };
    composer.edits += 1;
    composer.error = None;
    vec![Effect::After {
        delay: DRAFT_DELAY,
        timer: Timer::SaveDraft(composer.edits),
    }]
}

/// The draft timer of edit `edits` went off: save, unless the typing went on since.
pub fn save_timer(app: &mut App, edits: u64) -> Vec<Effect> {
    match &app.composer {
        Some(composer) if composer.edits == edits => save_draft(app),
        _ => {
            app.dirty = false;
            Vec::new()
        }
    }
}

/// Sends the composer's text as the draft when the hub has not been sent it yet.
pub(super) fn save_draft(app: &mut App) -> Vec<Effect> {
    let Some(composer) = &mut app.composer else {
        return Vec::new();
    };
    if !composer.unsent_draft() || !composer.keeps_draft() {
        return Vec::new();
    }
    let (id, text) = (composer.id(), composer.text.text());
    composer.requested = text.clone();
    keep_locally(app, id, &text);
    vec![save_call(id, text)]
}

fn save_call(id: ItemId, text: String) -> Effect {
    Effect::Call {
        tag: CallTag::SaveDraft {
            id,
            text: text.clone(),
        },
        request: Request::SaveDraft { id, text },
    }
}

/// What the queue marks and the composer restores, at once (the hub confirms later).
fn keep_locally(app: &mut App, id: ItemId, text: &str) {
    if text.trim().is_empty() {
        app.drafts.remove(&id);
    } else {
        app.drafts.insert(id, text.to_string());
    }
    app.relayout();
}

/// The hub kept (or discarded) a draft.
pub fn draft_saved(
    app: &mut App,
    id: ItemId,
    text: String,
    result: Result<Response, CallFailure>,
) -> Vec<Effect> {
    let composer = app.composer.as_mut().filter(|c| c.id() == id);
    match result {
        Ok(_) => {
            if let Some(composer) = composer {
                composer.saved = text;
            }
        }
        Err(failure) => {
            if let Some(composer) = composer {
                // The next edit or closing tries again.
                composer.requested = composer.saved.clone();
            }
            app.flash(format!("draft not saved: {failure}"), true);
        }
    }
    Vec::new()
}

/// Closes the composer, keeping the draft (saved now if it was not yet).
fn close(app: &mut App) -> Vec<Effect> {
    let effects = save_draft(app);
    app.composer = None;
    effects
}

/// The terminal is going away: save the draft being typed, if the hub does not have it.
pub fn closing(app: &mut App) -> Vec<Effect> {
    save_draft(app)
}

/// Sends the reply with the version the writer saw.
fn send(app: &mut App) -> Vec<Effect> {
    let seq = app.next_seq();
    let Some(composer) = &mut app.composer else {
        return Vec::new();
    };
    composer.stage = Stage::Sending;
    composer.seq = seq;
    let id = composer.id();
    vec![Effect::Call {
        tag: CallTag::Reply { id, seq },
        request: composer.request(),
    }]
}

/// The hub's answer to a reply.
pub fn replied(
    app: &mut App,
    id: ItemId,
    seq: u64,
    result: Result<Response, CallFailure>,
) -> Vec<Effect> {
    // The latest send of the open composer, even if the CM stopped waiting for it.
    let current = app
        .composer
        .as_ref()
        .is_some_and(|c| c.id() == id && c.seq == seq);
    if !current {
        return Vec::new();
    }
    let edits = app.composer.as_ref().is_some_and(|c| !c.keeps_draft());
    match result {
        // An outbox entry's text, retried or approved with edits.
        Ok(Response::Entry { entry }) if edits => super::approvals::edits_sent(app, entry),
        Ok(Response::Entry { entry }) => {
            let settled = already_settled(app, &entry);
            sent(app, id, entry.state == OutboxState::Held, settled)
        }
        Ok(_) => sent(app, id, false, false),
        Err(CallFailure::Hub(refusal)) if refusal.kind == ErrorKind::Conflict => {
            collided(app, refusal.message)
        }
        Err(failure) => {
            if let Some(composer) = &mut app.composer {
                composer.stage = Stage::Editing;
                composer.error = Some(format!("not sent: {failure}"));
            }
            Vec::new()
        }
    }
}

/// Whether the entry's outcome (sent, failed) came in on the live feed before this answer:
/// the hub delivers at once, and its event can overtake the answer to the request.
fn already_settled(app: &App, entry: &OutboxEntry) -> bool {
    app.outbox.get(entry.id).is_some_and(|known| {
        matches!(
            known.state,
            OutboxState::Sent { .. } | OutboxState::Failed { .. }
        )
    })
}

/// The reply is in the outbox: close, say so (unless its outcome, already shown, says
/// more), and discard the draft on the hub.
fn sent(app: &mut App, id: ItemId, held: bool, settled: bool) -> Vec<Effect> {
    app.composer = None;
    let message = match (held, super::escalations::open_on_detail(app, id)) {
        (true, Some(owners)) => format!("reply held for {owners}"),
        (true, None) => "reply held for approval".into(),
        (false, _) => "reply queued".into(),
    };
    if !settled {
        app.flash(message, false);
    }
    keep_locally(app, id, "");
    let mut effects = vec![save_call(id, String::new())];
    effects.extend(reload_detail(app));
    effects
}

/// Someone else changed the item: show what, and reload it so sending again sends with the
/// version now shown.
fn collided(app: &mut App, message: String) -> Vec<Effect> {
    let Some(composer) = &mut app.composer else {
        return Vec::new();
    };
    composer.stage = Stage::Conflict {
        message,
        refreshed: false,
    };
    let item = composer.item.clone();
    match &app.detail {
        Some(detail) if detail.id() == item.id => reload_detail(app),
        _ => open_detail(app, item),
    }
}

/// The detail pane got the item as it is now: a composer on it that hit a conflict now
/// sends with this version (the writer is looking at what changed).
pub fn item_refreshed(app: &mut App, item: &crate::model::Item) {
    let Some(composer) = app.composer.as_mut().filter(|c| c.id() == item.id) else {
        return;
    };
    if let Stage::Conflict { refreshed, .. } = &mut composer.stage {
        *refreshed = true;
        composer.seen_version = item.version;
        composer.item = item.clone();
    }
}
