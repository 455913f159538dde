//! Presence, both ways. Out: after every message, what we show (the item open in the detail
//! pane, the item a reply is written for) is told to the hub when it changed, one call at a
//! time (a burst of moves sends the first state and then the latest, never a queue of them).
//! In: the hub's presence list, asked once at start along with the team and then pushed as
//! events, feeds the status bar, the queue's markers and the detail pane.

use std::collections::HashSet;

use super::super::components::presence::picture;
use super::super::components::Shown;
use super::super::msg::{CallFailure, CallTag, Effect};
use super::App;
use crate::hub::protocol::{PresenceEntry, Request, Response};
use crate::model::ItemId;

/// Tells the hub what we show, if it changed and no presence call is in flight.
pub fn follow(app: &mut App) -> Vec<Effect> {
    let shown = Shown {
        viewing: app.detail.as_ref().map(|d| d.id()),
        composing: app.composer.as_ref().map(|c| c.id()),
    };
    app.presence_out
        .follow(shown)
        .map(|request| Effect::Call {
            tag: CallTag::Presence,
            request,
        })
        .into_iter()
        .collect()
}

/// The presence call came back: the latest state follows (see [`follow`]).
pub fn returned(app: &mut App, result: &Result<Response, CallFailure>) -> Vec<Effect> {
    app.presence_out.returned();
    if result.is_ok() {
        // Nothing on screen depends on it.
        app.dirty = false;
    }
    Vec::new()
}

/// Asks for the team and who is online (presence events only tell of changes).
pub fn team_call(app: &App) -> Effect {
    Effect::Call {
        tag: CallTag::Team {
            events: app.presence_events,
        },
        request: Request::Team,
    }
}

/// The team: its members complete the assign prompt; the online list counts unless a
/// presence event (newer) came in the meantime.
pub fn team(app: &mut App, events: u64, result: Result<Response, CallFailure>) -> Vec<Effect> {
    if let Ok(Response::Team {
        members, online, ..
    }) = result
    {
        app.assignees.extend(members.into_iter().map(|m| m.name));
        if events == app.presence_events {
            set_online(app, online);
        }
    }
    Vec::new()
}

/// A presence event: the whole list, newest.
pub fn online(app: &mut App, online: Vec<PresenceEntry>) -> Vec<Effect> {
    app.presence_events += 1;
    set_online(app, online);
    Vec::new()
}

fn set_online(app: &mut App, online: Vec<PresenceEntry>) {
    let shown: HashSet<ItemId> = app
        .queue
        .items
        .iter()
        .map(|item| item.id)
        .chain(app.detail.as_ref().map(|d| d.id()))
        .collect();
    let same_picture = picture(&app.online, &app.me, &shown) == picture(&online, &app.me, &shown);
    app.online = online;
    if same_picture {
        // Nothing we show changed (someone opened an item we do not hold): no frame.
        app.dirty = false;
        return;
    }
    // The detail pane's presence line may come or go.
    app.relayout();
}
