//! `update` driven with fabricated messages against a fake hub: moving and paging without
//! loading the whole list, triage actions, resolve-and-next, undo, multi-select, stale
//! answers dropped, the cursor staying on its item when the list shifts, live events.

mod ui_support;

use std::sync::Arc;

use chrono::Duration;
use switchboard::hub::protocol::{Event, Request, Response};
use switchboard::model::{Kind, Platform, Priority, Status};
use switchboard::store::{Change, ChangeKind};
use switchboard::ui::action::Action;
use switchboard::ui::app::{update, Overlay};
use switchboard::ui::msg::{CallTag, Effect, Msg};
use ui_support::*;

fn changed(item: &switchboard::model::Item) -> Msg {
    Msg::Hub(Event::Changed {
        change: Change {
            seq: 1,
            kind: ChangeKind::Updated,
            item: Arc::new(item.clone()),
        },
    })
}

fn list_requests(hub: &FakeHub) -> Vec<(usize, usize)> {
    hub.requests
        .iter()
        .filter_map(|r| match r {
            Request::List { skip, limit, .. } => Some((*skip, *limit)),
            _ => None,
        })
        .collect()
}

#[test]
fn start_loads_one_page_and_counts() {
    let mut hub = FakeHub::new(sample_items(30));
    let app = started(80, 24, &mut hub);
    assert_eq!(app.queue.items.len(), 30);
    assert_eq!(app.queue.end, Some(30));
    assert_eq!(app.queue.cursor, 0);
    assert!(app.counts.is_some());
    assert_eq!(app.hub_status.as_ref().unwrap().clients, 2);
    // Queue order: urgent first.
    assert_eq!(app.queue.items[0].priority, Priority::Urgent);
}

#[test]
fn moving_through_a_long_queue_loads_pages_never_everything() {
    let mut hub = FakeHub::new(sample_items(5000));
    let mut app = started(80, 24, &mut hub);
    assert!(app.queue.items.len() < 5000);
    keys(&mut app, &mut hub, "j j j");
    assert_eq!(app.queue.cursor, 3);
    for _ in 0..40 {
        keys(&mut app, &mut hub, "ctrl-d");
    }
    assert_eq!(app.queue.cursor, 3 + 40 * 20);
    assert_eq!(app.queue.current().unwrap().id, hub.select_id(803));
    keys(&mut app, &mut hub, "G");
    assert_eq!(app.queue.cursor, 4999);
    assert_eq!(app.queue.current().unwrap().id, hub.select_id(4999));
    keys(&mut app, &mut hub, "g g");
    assert_eq!(app.queue.cursor, 0);
    assert_eq!(app.queue.current().unwrap().id, hub.select_id(0));
    for (skip, limit) in list_requests(&hub) {
        assert!(limit <= 200, "asked for {limit} items at {skip}");
    }
    assert!(app.queue.items.len() <= 200);
}

#[test]
fn resolve_next_moves_on_and_the_cursor_follows_its_item() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    let first = app.queue.items[0].id;
    let second = app.queue.items[1].id;
    keys(&mut app, &mut hub, "R");
    assert_eq!(hub.get(first).status, Status::Resolved);
    // The resolved item left the view after the refresh; the cursor is on the next one.
    assert!(app.queue.position(first).is_none());
    assert_eq!(app.queue.current().unwrap().id, second);
    assert_eq!(app.queue.cursor, 0);
}

#[test]
fn undo_restores_status_and_tags() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    let target = app.queue.items[0].clone();
    assert_eq!(target.status, Status::New);
    keys(&mut app, &mut hub, "r");
    assert_eq!(hub.get(target.id).status, Status::Resolved);
    keys(&mut app, &mut hub, "u");
    // Nothing goes back to new: undoing a resolve reopens.
    assert_eq!(hub.get(target.id).status, Status::Open);
    assert_eq!(app.queue.current().unwrap().id, target.id);

    keys(&mut app, &mut hub, "t");
    type_text(&mut app, &mut hub, "legal");
    keys(&mut app, &mut hub, "enter");
    assert!(hub.get(target.id).tags.contains("legal"));
    keys(&mut app, &mut hub, "u");
    assert!(!hub.get(target.id).tags.contains("legal"));
    keys(&mut app, &mut hub, "u");
    assert_eq!(app.flash.as_ref().unwrap().text, "nothing to undo");
}

#[test]
fn undo_of_spam_on_a_pending_item_goes_back_to_pending() {
    let mut items = sample_items(3);
    items[0].status = Status::Pending;
    items[0].priority = Priority::Urgent;
    let mut hub = FakeHub::new(items);
    let mut app = started(80, 24, &mut hub);
    let id = app.queue.items[0].id;
    keys(&mut app, &mut hub, "!");
    assert_eq!(hub.get(id).status, Status::Spam);
    keys(&mut app, &mut hub, "u");
    assert_eq!(hub.get(id).status, Status::Pending);
}

#[test]
fn multi_select_applies_one_request_per_item() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "x x j x");
    let selected: Vec<_> = app.queue.selected.keys().copied().collect();
    assert_eq!(selected.len(), 3);
    keys(&mut app, &mut hub, "t");
    type_text(&mut app, &mut hub, "recall");
    keys(&mut app, &mut hub, "enter");
    let tag_requests = hub
        .requests
        .iter()
        .filter(|r| matches!(r, Request::Tag { .. }))
        .count();
    assert_eq!(tag_requests, 3);
    for id in &selected {
        assert!(hub.get(*id).tags.contains("recall"));
    }
    // Resolving the selection resolves all of them and clears it.
    keys(&mut app, &mut hub, "r");
    for id in &selected {
        assert_eq!(hub.get(*id).status, Status::Resolved);
    }
    assert!(app.queue.selected.is_empty());
    keys(&mut app, &mut hub, "u");
    for id in &selected {
        assert_eq!(hub.get(*id).status, Status::Open);
    }
}

#[test]
fn a_stale_page_for_an_old_filter_is_dropped() {
    let mut hub = FakeHub::new(sample_items(30));
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "f");
    type_text(&mut app, &mut hub, "platform:x");
    let old = update(&mut app, Msg::Action(Action::Confirm));
    keys(&mut app, &mut hub, "f ctrl-u");
    type_text(&mut app, &mut hub, "platform:youtube");
    let new = update(&mut app, Msg::Action(Action::Confirm));
    // The newer answer arrives first, then the old one.
    run(&mut app, &mut hub, new);
    run(&mut app, &mut hub, old);
    assert!(!app.queue.items.is_empty());
    assert!(app
        .queue
        .items
        .iter()
        .all(|i| i.platform == Platform::Youtube));
    assert_eq!(app.tabs.filter, "platform:youtube");
}

#[test]
fn stale_find_answers_are_dropped() {
    let mut hub = FakeHub::new(sample_items(30));
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "/");
    let mut pending = update(&mut app, Msg::Text("lyon".into()));
    // Fire the debounce timer of "lyon" and keep its request unanswered.
    let timer = pending.pop().unwrap();
    let Effect::After { timer, .. } = timer else {
        panic!("{timer:?}")
    };
    let old_call = update(&mut app, Msg::Timer(timer));
    keys(&mut app, &mut hub, "ctrl-u");
    type_text(&mut app, &mut hub, "refund");
    // Now the answer for "lyon" arrives, late.
    run(&mut app, &mut hub, old_call);
    let Some(Overlay::Find(find)) = &app.overlay else {
        panic!()
    };
    assert!(!find.hits.is_empty());
    assert!(find
        .hits
        .iter()
        .all(|h| h.item.text.to_lowercase().contains("refund")));
}

#[test]
fn the_cursor_stays_on_its_item_when_the_list_shifts() {
    let mut hub = FakeHub::new(sample_items(40));
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "j j j j j");
    let watched = app.queue.current().unwrap().id;
    assert_eq!(app.queue.cursor, 5);
    // Two urgent items arrive at the top.
    for n in [900, 901] {
        let mut urgent = item(
            n,
            Platform::X,
            Kind::Dm,
            "angry",
            "URGENT my account was hacked",
        );
        urgent.priority = Priority::Urgent;
        urgent.sla_due = Some(now() - Duration::minutes(30));
        hub.items.push(urgent.clone());
        send(&mut app, &mut hub, changed(&urgent));
    }
    assert_eq!(app.queue.current().unwrap().id, watched);
    assert_eq!(app.queue.cursor, 7);
}

#[test]
fn a_changed_item_updates_in_place_before_the_reload() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    let mut shown = app.queue.items[2].clone();
    shown.tags.insert("cli".into());
    shown.assignee = Some("bob".into());
    let effects = update(&mut app, changed(&shown));
    assert!(app.queue.items[2].tags.contains("cli"));
    assert!(effects.iter().any(|e| matches!(e, Effect::After { .. })));
    assert!(screen(&app).contains("#cli"));
    // A burst of events schedules one reload, not one each.
    let again = update(&mut app, changed(&shown));
    assert!(again.iter().all(|e| !matches!(
        e,
        Effect::After {
            timer: switchboard::ui::msg::Timer::RefreshWindow(_),
            ..
        }
    )));
}

#[test]
fn a_refused_filter_comes_back_with_the_hubs_message() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "f");
    type_text(&mut app, &mut hub, "bogus:1");
    keys(&mut app, &mut hub, "enter");
    let Some(Overlay::Prompt(prompt)) = &app.overlay else {
        panic!("{:?}", app.overlay)
    };
    assert_eq!(prompt.input.text(), "bogus:1");
    assert_eq!(
        prompt.error.as_deref(),
        Some("malformed query: unknown field 'bogus'")
    );
    assert_eq!(app.tabs.filter, "");
    assert_eq!(app.queue.items.len(), 10);
    assert!(screen(&app).contains("malformed query: unknown field 'bogus'"));
}

#[test]
fn typing_in_a_prompt_never_runs_commands() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "n");
    keys(&mut app, &mut hub, "q u i t space r");
    assert!(!app.should_quit);
    let Some(Overlay::Prompt(prompt)) = &app.overlay else {
        panic!()
    };
    assert_eq!(prompt.input.text(), "quit r");
    keys(&mut app, &mut hub, "enter");
    let id = app.queue.items[0].id;
    assert_eq!(hub.get(id).notes[0].text, "quit r");
    keys(&mut app, &mut hub, "q");
    assert!(app.should_quit);
}

#[test]
fn snooze_reads_times_and_refuses_nonsense() {
    let mut hub = FakeHub::new(sample_items(5));
    let mut app = started(80, 24, &mut hub);
    let id = app.queue.items[0].id;
    keys(&mut app, &mut hub, "s");
    type_text(&mut app, &mut hub, "whenever");
    keys(&mut app, &mut hub, "enter");
    let Some(Overlay::Prompt(prompt)) = &app.overlay else {
        panic!()
    };
    assert!(prompt
        .error
        .as_ref()
        .unwrap()
        .starts_with("cannot read \"whenever\""));
    keys(&mut app, &mut hub, "ctrl-u");
    type_text(&mut app, &mut hub, "2h");
    keys(&mut app, &mut hub, "enter");
    assert!(app.overlay.is_none());
    assert_eq!(hub.get(id).snoozed_until, Some(now() + Duration::hours(2)));
    keys(&mut app, &mut hub, "u");
    assert_eq!(hub.get(id).snoozed_until, None);
}

#[test]
fn assign_completes_team_members_and_assign_me_uses_the_user() {
    let mut hub = FakeHub::new(sample_items(5));
    let mut app = started(80, 24, &mut hub);
    let id = app.queue.items[0].id;
    keys(&mut app, &mut hub, "a");
    type_text(&mut app, &mut hub, "b");
    keys(&mut app, &mut hub, "tab");
    let Some(Overlay::Prompt(prompt)) = &app.overlay else {
        panic!()
    };
    assert_eq!(prompt.input.text(), "bob");
    keys(&mut app, &mut hub, "enter");
    assert_eq!(hub.get(id).assignee.as_deref(), Some("bob"));
    keys(&mut app, &mut hub, "m");
    assert_eq!(hub.get(id).assignee.as_deref(), Some("alice"));
    keys(&mut app, &mut hub, "u");
    assert_eq!(hub.get(id).assignee.as_deref(), Some("bob"));
}

#[test]
fn next_sla_jumps_to_the_soonest_breach() {
    let mut hub = FakeHub::new(sample_items(30));
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "g s");
    let current = app.queue.current().unwrap();
    let soonest = app
        .queue
        .items
        .iter()
        .filter_map(|i| i.sla_due)
        .min()
        .unwrap();
    assert_eq!(current.sla_due, Some(soonest));
}

#[test]
fn palette_runs_the_chosen_action() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    let first = app.queue.items[0].id;
    keys(&mut app, &mut hub, ":");
    type_text(&mut app, &mut hub, "resnext");
    keys(&mut app, &mut hub, "enter");
    assert!(app.overlay.is_none());
    assert_eq!(hub.get(first).status, Status::Resolved);
}

#[test]
fn tabs_switch_views_and_find_opens_the_hit() {
    let mut hub = FakeHub::new(sample_items(30));
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "2");
    assert_eq!(app.tabs.current().name, "Mine");
    assert!(app
        .queue
        .items
        .iter()
        .all(|i| i.assignee.as_deref() == Some("alice")));
    keys(&mut app, &mut hub, "tab tab tab tab");
    assert_eq!(app.tabs.current().name, "vip");
    keys(&mut app, &mut hub, "1 /");
    type_text(&mut app, &mut hub, "lawyer");
    keys(&mut app, &mut hub, "enter");
    let detail = app.detail.as_ref().expect("the hit opens");
    assert!(detail.item.text.contains("lawyer"));
    assert!(detail.detail.is_some());
    assert_eq!(app.queue.current().unwrap().id, detail.id());
    keys(&mut app, &mut hub, "esc");
    assert!(app.detail.is_none());
}

#[test]
fn resolve_next_in_the_detail_opens_the_next_item() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    let first = app.queue.items[0].id;
    let second = app.queue.items[1].id;
    keys(&mut app, &mut hub, "enter");
    assert_eq!(app.detail.as_ref().unwrap().id(), first);
    keys(&mut app, &mut hub, "R");
    assert_eq!(hub.get(first).status, Status::Resolved);
    assert_eq!(app.detail.as_ref().unwrap().id(), second);
}

#[test]
fn a_failed_change_says_why_and_leaves_nothing_to_undo() {
    let mut hub = FakeHub::new(sample_items(5));
    let mut app = started(80, 24, &mut hub);
    let id = app.queue.items[0].id;
    // Someone else removed the item meanwhile.
    hub.items.retain(|i| i.id != id);
    let effects = update(&mut app, Msg::Action(Action::Resolve));
    let Some(Effect::Call { tag, request }) = effects.into_iter().next() else {
        panic!()
    };
    assert!(matches!(tag, CallTag::Change { .. }));
    let result = hub.answer(&request);
    send(&mut app, &mut hub, Msg::Answer { tag, result });
    let flash = app.flash.as_ref().unwrap();
    assert!(
        flash.error && flash.text.starts_with("resolve failed: no item with id"),
        "{flash:?}"
    );
    assert!(app.undo.is_empty());
    assert!(app.queue.position(id).is_none());
}

#[test]
fn which_key_waits_then_lists_continuations() {
    let mut hub = FakeHub::new(sample_items(5));
    let mut app = started(80, 24, &mut hub);
    let effects = update(
        &mut app,
        Msg::Key(switchboard::ui::keys::KeyChord::plain('g')),
    );
    assert_eq!(app.pending.keys.len(), 1);
    assert!(!app.pending.shown);
    run(&mut app, &mut hub, effects);
    assert!(app.pending.shown);
    keys(&mut app, &mut hub, "z");
    assert!(app.pending.keys.is_empty());
    assert_eq!(app.flash.as_ref().unwrap().text, "g z is not bound here");
    let _ = Response::Done;
}

#[test]
fn the_emacs_keymap_drives_the_same_commands() {
    let mut hub = FakeHub::new(sample_items(10));
    let keymap = switchboard::ui::Keymap::builtin("emacs").unwrap();
    let mut app = app_with_keymap(keymap, 80, 24, &[]);
    let effects = app.start();
    run(&mut app, &mut hub, effects);
    let second = app.queue.items[1].id;
    let third = app.queue.items[2].id;
    keys(&mut app, &mut hub, "C-n C-c");
    assert!(app.pending.shown, "C-c lists its continuations");
    assert!(screen(&app).contains("resolve_next"));
    keys(&mut app, &mut hub, "C-c");
    assert_eq!(hub.get(second).status, Status::Resolved);
    assert_eq!(app.queue.current().unwrap().id, third);
    keys(&mut app, &mut hub, "C-x u");
    assert_eq!(hub.get(second).status, Status::Open);
    keys(&mut app, &mut hub, "M-> M-<");
    assert_eq!(app.queue.cursor, 0);
    keys(&mut app, &mut hub, "C-x C-c");
    assert!(app.should_quit);
}
