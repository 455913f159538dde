//! The hub's answers: pages of the queue (dropped when stale), probes for the list's end,
//! counts, status, item details, find results (only the latest keystroke's), the outcome of
//! changes and undos; presence, team, drafts, replies, the canned library, the outbox and
//! moderation go to their own modules.

use super::super::components::prompt::Prompt;
use super::super::components::{PromptKind, TabCount};
use super::super::msg::{CallFailure, CallTag, Effect};
use super::triage::{candidates, probe_effect, replace_everywhere};
use super::{App, Overlay};
use crate::hub::protocol::Response;
use crate::model::{Item, ItemId};

/// Takes one answer.
pub fn answer(app: &mut App, tag: CallTag, result: Result<Response, CallFailure>) -> Vec<Effect> {
    if let Err(CallFailure::Disconnected(why)) = &result {
        app.hub_problem = Some(why.clone());
    }
    match tag {
        CallTag::Page {
            generation,
            seq,
            start,
        } => page(app, generation, seq, start, result),
        CallTag::Probe { generation, skip } => probe(app, generation, skip, result),
        CallTag::Counts => {
            if let Ok(Response::Counts { counts }) = result {
                app.counts = Some(counts);
            }
            Vec::new()
        }
        CallTag::TabCount { index } => {
            if let (Ok(Response::Count { count }), Some(tab)) =
                (result, app.tabs.tabs.get_mut(index))
            {
                tab.seen = Some(TabCount::Exact(count));
            }
            Vec::new()
        }
        CallTag::HubStatus => {
            if let Ok(Response::Status { status }) = result {
                app.hub_status = Some(status);
                app.hub_problem = None;
            }
            Vec::new()
        }
        CallTag::Accounts => {
            if let Ok(Response::Accounts { accounts }) = result {
                app.set_accounts(accounts);
            }
            Vec::new()
        }
        CallTag::Detail { id, seq } => detail(app, id, seq, result),
        CallTag::Find { seq } => find(app, seq, result),
        CallTag::Change {
            batch, id, label, ..
        } => change(app, batch, id, label, result),
        CallTag::Undo { id } => undone(app, id, result),
        CallTag::Handoff { asked } => super::handoff::answered(app, asked, result),
        CallTag::Presence => super::presence::returned(app, &result),
        CallTag::Team { events } => super::presence::team(app, events, result),
        CallTag::Drafts => super::reply::drafts_loaded(app, result),
        CallTag::SaveDraft { id, text } => super::reply::draft_saved(app, id, text, result),
        CallTag::Reply { id, seq } => super::reply::replied(app, id, seq, result),
        CallTag::Outbox => super::outbox::loaded(app, result),
        CallTag::Stats { seq } => super::dashboard::loaded(app, seq, result),
        CallTag::OutboxItem { entry, then } => super::outbox::item_read(app, entry, then, result),
        CallTag::Decision { label, .. } => super::approvals::decided(app, label, result),
        CallTag::Moderate { what, .. } => super::moderation::moderated(app, what, result),
        CallTag::Canned { seq } => super::canned::answered(app, seq, result),
        CallTag::Escalations { then } => super::escalations::loaded(app, then, result),
        CallTag::Escalation { label } => super::escalations::done(app, label, result),
        CallTag::Ack => super::pages::acked(app, result),
    }
}

fn page(
    app: &mut App,
    generation: u64,
    seq: u64,
    start: usize,
    result: Result<Response, CallFailure>,
) -> Vec<Effect> {
    match result {
        Ok(Response::Items { items, more }) => {
            app.learn(&items);
            if !app.queue.accept_page(generation, seq, start, items, more) {
                return Vec::new();
            }
            if app
                .filter_attempt
                .as_ref()
                .is_some_and(|a| a.generation == generation)
            {
                app.filter_attempt = None;
            }
            let count = match app.queue.end {
                Some(end) => TabCount::Exact(end as u64),
                None => TabCount::AtLeast((app.queue.start + app.queue.items.len()) as u64),
            };
            if app.queue.end.is_some() || app.queue.start == 0 {
                app.tabs.saw(count);
            }
            app.follow_cursor()
        }
        Ok(_) => Vec::new(),
        Err(failure) => page_refused(app, generation, seq, failure),
    }
}

/// A page the hub would not give: a refused filter comes back to the filter bar with the
/// hub's message, and the previous filter is restored.
fn page_refused(app: &mut App, generation: u64, seq: u64, failure: CallFailure) -> Vec<Effect> {
    if generation != app.queue.generation {
        return Vec::new();
    }
    app.queue.fail_page(seq);
    let attempt = app
        .filter_attempt
        .take()
        .filter(|a| a.generation == generation);
    let Some(attempt) = attempt else {
        app.flash(format!("cannot load the view: {failure}"), true);
        return Vec::new();
    };
    app.tabs.filter = attempt.previous;
    let candidates = candidates(app, PromptKind::Filter, &[]);
    let mut prompt = Prompt::new(
        PromptKind::Filter,
        &attempt.attempted,
        candidates,
        String::new(),
    );
    prompt.error = Some(failure.to_string());
    app.overlay = Some(Overlay::Prompt(prompt));
    let page = app.queue.reset();
    vec![app.page_call(page)]
}

fn probe(
    app: &mut App,
    generation: u64,
    skip: usize,
    result: Result<Response, CallFailure>,
) -> Vec<Effect> {
    let found = match result {
        Ok(Response::Items { items, .. }) => !items.is_empty(),
        _ => return Vec::new(),
    };
    match app.queue.accept_probe(generation, skip, found) {
        Some(step) => vec![probe_effect(app, step)],
        None => Vec::new(),
    }
}

fn detail(
    app: &mut App,
    id: ItemId,
    seq: u64,
    result: Result<Response, CallFailure>,
) -> Vec<Effect> {
    let Some(open) = &mut app.detail else {
        return Vec::new();
    };
    if open.id() != id || open.seq != seq {
        return Vec::new();
    }
    match result {
        Ok(Response::Detail { detail }) => {
            open.item = detail.item.clone();
            open.error = None;
            let mut seen: Vec<Item> = detail.thread.clone();
            seen.extend(detail.author_history.iter().cloned());
            let item = detail.item.clone();
            open.detail = Some(detail);
            app.learn(&seen);
            app.rebuild_detail();
            super::reply::item_refreshed(app, &item);
        }
        Ok(_) => {}
        Err(failure) => {
            open.error = Some(failure.to_string());
            app.rebuild_detail();
        }
    }
    Vec::new()
}

fn find(app: &mut App, seq: u64, result: Result<Response, CallFailure>) -> Vec<Effect> {
    let Some(Overlay::Find(finder)) = &mut app.overlay else {
        return Vec::new();
    };
    match result {
        Ok(Response::Found { hits }) => {
            finder.accept(seq, hits);
        }
        Ok(_) => {}
        Err(failure) => {
            finder.refuse(seq, failure.to_string());
        }
    }
    Vec::new()
}

fn change(
    app: &mut App,
    batch: u64,
    id: ItemId,
    label: &str,
    result: Result<Response, CallFailure>,
) -> Vec<Effect> {
    match result {
        Ok(Response::Item { item }) => {
            app.learn(std::slice::from_ref(&item));
            replace_everywhere(app, &item);
            super::live::schedule_refresh(app)
        }
        Ok(_) => super::live::schedule_refresh(app),
        Err(failure) => {
            app.undo.forget(batch, id);
            app.flash(format!("{label} failed: {failure}"), true);
            // Our optimistic copy is wrong: show the hub's truth.
            super::commands::refresh_all(app)
        }
    }
}

fn undone(app: &mut App, id: ItemId, result: Result<Response, CallFailure>) -> Vec<Effect> {
    match result {
        Ok(Response::Item { item }) => {
            replace_everywhere(app, &item);
            super::live::schedule_refresh(app)
        }
        Ok(_) => super::live::schedule_refresh(app),
        Err(failure) => {
            app.flash(format!("undo failed for {id}: {failure}"), true);
            Vec::new()
        }
    }
}
