//! The outbox in the TUI: loaded at start (and on refresh, after a lag) and then followed
//! from `Event::Outbox`; its screen (`outbox`: newest first, all or only what needs
//! approval, `enter` opens the entry's item); an entry's item read from the hub when it is
//! not loaded; and what a live entry tells: its author learns the outcome (approved,
//! rejected, sent, failed), an approver learns that something waits for them.

use super::super::action::Action;
use super::super::components::{Detail, OutboxThen};
use super::super::msg::{CallFailure, CallTag, Effect};
use super::super::sanitize::one_line;
use super::{answers, approvals, commands, App};
use crate::hub::protocol::{ItemDetail, Request, Response};
use crate::model::{Item, ItemId, OutboxEntry, OutboxState};

/// Items whose authors' handles are read from the hub when the outbox loads, at most.
const HANDLES_READ: usize = 20;

/// Asks the hub for the outbox.
pub fn load_call() -> Effect {
    Effect::Call {
        tag: CallTag::Outbox,
        request: Request::Outbox,
    }
}

/// The hub's outbox arrived: keep it, and find the handles of the items it is about.
pub fn loaded(app: &mut App, result: Result<Response, CallFailure>) -> Vec<Effect> {
    match result {
        Ok(Response::Entries { entries }) => {
            app.outbox.load(entries);
            learn_loaded(app);
            app.outbox
                .unknown_items(HANDLES_READ)
                .into_iter()
                .map(|(entry, item)| read_item(entry, item, OutboxThen::Learn))
                .collect()
        }
        Ok(_) => Vec::new(),
        Err(failure) => {
            if app.outbox.shown {
                app.flash(format!("cannot load the outbox: {failure}"), true);
            }
            Vec::new()
        }
    }
}

/// Learns handles from the items the queue and the detail hold.
fn learn_loaded(app: &mut App) {
    app.outbox.learn(app.queue.items.iter());
    if let Some(detail) = &app.detail {
        app.outbox.learn(std::iter::once(&detail.item));
    }
}

/// `outbox` from the panes: shows the screen, the newest entry first under the cursor, with
/// the outbox as the hub has it now.
pub fn open_screen(app: &mut App) -> Vec<Effect> {
    app.outbox.shown = true;
    app.outbox.move_by(isize::MIN / 2);
    vec![load_call()]
}

/// An action on the outbox screen.
pub fn action(app: &mut App, action: Action) -> Vec<Effect> {
    if let Some(delta) = commands::step(action, app.outbox.rows) {
        app.outbox.move_by(delta);
        return Vec::new();
    }
    match action {
        Action::Back | Action::Outbox => {
            app.outbox.shown = false;
            Vec::new()
        }
        Action::Open => match app.outbox.current() {
            Some(entry) => with_item(app, entry.id, entry.item, OutboxThen::Open),
            None => Vec::new(),
        },
        Action::NeedsApproval => {
            app.outbox.toggle_filter();
            Vec::new()
        }
        Action::Refresh => vec![load_call()],
        Action::Approve => approvals::approve(app),
        Action::ApproveEdited => approvals::approve_edited(app),
        Action::Reject => approvals::reject(app),
        Action::Retry => approvals::retry(app),
        Action::EditRetry => approvals::edit_retry(app),
        Action::Help | Action::Palette | Action::Handoff | Action::Quit => {
            commands::pane_action(app, action)
        }
        // Anything else (from the palette) is for the panes: the screen gives way.
        other => {
            app.outbox.shown = false;
            commands::pane_action(app, other)
        }
    }
}

/// Does `then` with an entry's item: at once when the queue or the detail holds it, else
/// once the hub has answered for it.
pub fn with_item(app: &mut App, entry: ItemId, item: ItemId, then: OutboxThen) -> Vec<Effect> {
    let held = match &app.detail {
        Some(detail) if detail.id() == item => Some(detail.item.clone()),
        _ => app.queue.items.iter().find(|i| i.id == item).cloned(),
    };
    match held {
        Some(found) => then_do(app, entry, found, then),
        None => vec![read_item(entry, item, then)],
    }
}

fn read_item(entry: ItemId, item: ItemId, then: OutboxThen) -> Effect {
    Effect::Call {
        tag: CallTag::OutboxItem { entry, then },
        request: Request::Show {
            id: item,
            raw: false,
        },
    }
}

fn then_do(app: &mut App, entry: ItemId, item: Item, then: OutboxThen) -> Vec<Effect> {
    app.outbox.learn(std::iter::once(&item));
    match then {
        OutboxThen::Open => {
            app.outbox.shown = false;
            commands::open_detail(app, item)
        }
        OutboxThen::Edit(sends) => approvals::edit(app, entry, item, sends),
        OutboxThen::Learn => Vec::new(),
    }
}

/// The hub's answer for an entry's item.
pub fn item_read(
    app: &mut App,
    entry: ItemId,
    then: OutboxThen,
    result: Result<Response, CallFailure>,
) -> Vec<Effect> {
    match result {
        Ok(Response::Detail { detail }) if then == OutboxThen::Open => {
            app.outbox.learn(std::iter::once(&detail.item));
            app.outbox.shown = false;
            show_detail(app, detail)
        }
        Ok(Response::Detail { detail }) => then_do(app, entry, detail.item, then),
        Ok(_) => Vec::new(),
        Err(failure) => {
            if then != OutboxThen::Learn {
                app.flash(format!("cannot read the item: {failure}"), true);
            }
            Vec::new()
        }
    }
}

/// Opens the detail pane on an item the hub just gave in full (no second request).
fn show_detail(app: &mut App, detail: Box<ItemDetail>) -> Vec<Effect> {
    let seq = app.next_seq();
    let id = detail.item.id;
    app.detail = Some(Detail::new(detail.item.clone(), seq));
    app.relayout();
    answers::answer(
        app,
        CallTag::Detail { id, seq },
        Ok(Response::Detail { detail }),
    )
}

/// An outbox entry was saved (`by` did it): keep it, and tell what it means for us.
pub fn event(app: &mut App, entry: OutboxEntry, by: String) -> Vec<Effect> {
    let item = entry.item;
    let before = app.outbox.upsert(entry.clone());
    learn_loaded(app);
    if let Some((text, error)) = news(app, before.as_ref(), &entry, &by) {
        app.flash(text, error);
    }
    match before.is_none() && app.outbox.handle(item).is_none() {
        true => vec![read_item(entry.id, item, OutboxThen::Learn)],
        false => Vec::new(),
    }
}

/// What an entry's new state means to us: its author learns the outcome, an approver that
/// it waits for them.
fn news(
    app: &App,
    before: Option<&OutboxEntry>,
    entry: &OutboxEntry,
    by: &str,
) -> Option<(String, bool)> {
    let was = before.map(|e| &e.state);
    if was == Some(&entry.state) {
        return None;
    }
    let subject = app.outbox.subject(entry);
    if entry.author != app.user {
        let waits = entry.state == OutboxState::Held && app.outbox.approver && by != app.user;
        let author = one_line(&entry.author, 20);
        return waits.then(|| (format!("{author}'s {subject} waits for approval"), false));
    }
    let yours = format!("Your {subject}");
    match &entry.state {
        OutboxState::Queued { retry_at: None } if was == Some(&OutboxState::Held) => {
            let edits = match before.is_some_and(|b| b.text != entry.text) {
                true => " with edits",
                false => "",
            };
            let by = one_line(by, 20);
            Some((format!("{yours} was approved by {by}{edits}"), false))
        }
        OutboxState::Rejected { reason, by } => Some((
            format!(
                "{yours} was rejected by {}: {}",
                one_line(by, 20),
                one_line(reason, 160)
            ),
            true,
        )),
        OutboxState::Sent { .. } if entry.moderation.is_some() => {
            Some((format!("{yours} was carried out on the platform"), false))
        }
        OutboxState::Sent { .. } => Some((format!("{yours} was sent"), false)),
        OutboxState::Failed { reason } => {
            Some((format!("{yours} failed: {}", one_line(reason, 160)), true))
        }
        _ => None,
    }
}
