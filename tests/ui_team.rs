//! The TUI on a shared hub, driven through `update` against the fake hub: presence told to
//! the hub (one call in flight, the latest state after it) and shown (status bar, queue
//! marks, detail line), the reply composer (review, send, held replies, the conflict
//! warning and sending anyway), drafts kept on the hub (saved after a pause and on close,
//! restored at the next start), claim and its refusal, and an agent's view. Snapshots of
//! the queue and detail with presence, the composer and the conflict warning.

mod ui_support;

use switchboard::hub::protocol::{Event, PresenceEntry, Request, Response};
use switchboard::model::{ItemId, Status};
use switchboard::team::Role;
use switchboard::ui::action::Action;
use switchboard::ui::app::{update, App};
use switchboard::ui::components::{Me, Stage};
use switchboard::ui::msg::{CallTag, Effect, Msg, Timer};
use switchboard::ui::{ColorMode, Keymap, UiOptions};
use ui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The presence calls among effects: (viewing, composing).
fn presence_calls(effects: &[Effect]) -> Vec<(Option<ItemId>, Option<ItemId>)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Call {
                request: Request::Presence { viewing, composing },
                ..
            } => Some((*viewing, *composing)),
            _ => None,
        })
        .collect()
}

/// The last presence the hub was told.
fn last_presence(hub: &FakeHub) -> (Option<ItemId>, Option<ItemId>) {
    hub.requests
        .iter()
        .rev()
        .find_map(|r| match r {
            Request::Presence { viewing, composing } => Some((*viewing, *composing)),
            _ => None,
        })
        .expect("a presence call")
}

fn presence_answer() -> Msg {
    Msg::Answer {
        tag: CallTag::Presence,
        result: Ok(Response::Done),
    }
}

fn online(app: &mut App, hub: &mut FakeHub, entries: Vec<PresenceEntry>) {
    send(app, hub, Msg::Hub(Event::Presence { online: entries }));
}

/// The screen row showing an item (by its position in the queue).
fn row(app: &App, position: usize) -> String {
    let row = 1 + position - app.queue.scroll;
    screen(app).lines().nth(row).unwrap().to_string()
}

fn stage(app: &App) -> &Stage {
    &app.composer.as_ref().expect("the composer is open").stage
}

fn replies_sent(hub: &FakeHub) -> Vec<(ItemId, Option<u64>)> {
    hub.requests
        .iter()
        .filter_map(|r| match r {
            Request::Reply {
                id, seen_version, ..
            } => Some((*id, *seen_version)),
            _ => None,
        })
        .collect()
}

fn flash(app: &App) -> &str {
    &app.flash.as_ref().expect("a message").text
}

#[test]
fn presence_tells_the_hub_what_is_shown_one_call_at_a_time() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    let ids: Vec<ItemId> = app.queue.items.iter().map(|i| i.id).collect();
    assert!(
        !hub.requests
            .iter()
            .any(|r| matches!(r, Request::Presence { .. })),
        "nothing shown, nothing to say"
    );
    let first = update(&mut app, Msg::Action(Action::Open));
    assert_eq!(presence_calls(&first), [(Some(ids[0]), None)]);
    // While that call is out, a burst of moves sends nothing more...
    let mut burst = Vec::new();
    for _ in 0..5 {
        for action in [Action::Back, Action::MoveDown, Action::Open] {
            burst.extend(update(&mut app, Msg::Action(action)));
        }
    }
    assert_eq!(presence_calls(&burst), []);
    // ...and its answer brings the latest state along, once.
    let latest = update(&mut app, presence_answer());
    assert_eq!(presence_calls(&latest), [(Some(ids[5]), None)]);
    assert_eq!(presence_calls(&update(&mut app, presence_answer())), []);
    run(&mut app, &mut hub, first.into_iter().chain(burst).collect());
    // Writing a reply says so; closing everything says nothing is shown.
    keys(&mut app, &mut hub, "c");
    assert_eq!(last_presence(&hub), (Some(ids[5]), Some(ids[5])));
    keys(&mut app, &mut hub, "esc esc");
    assert_eq!(last_presence(&hub), (None, None));
}

#[test]
fn others_show_in_the_status_bar_the_queue_and_the_detail() {
    for (width, height) in SIZES {
        let mut hub = FakeHub::new(sample_items(40));
        let mut app = started(width, height, &mut hub);
        app.me.session = 1;
        let ids: Vec<ItemId> = app.queue.items.iter().map(|i| i.id).collect();
        online(
            &mut app,
            &mut hub,
            vec![
                presence(1, "alice", Some(ids[2]), None),
                presence(2, "bob", Some(ids[0]), None),
                presence(3, "carol", Some(ids[1]), Some(ids[1])),
                presence(4, "dave", Some(ids[1]), None),
            ],
        );
        let text = screen(&app);
        assert!(text.contains(" ● alice  ● bob ● carol ● dave"), "{text}");
        assert!(row(&app, 0).contains("◉bob"), "{text}");
        // At 80 columns the marks take a third of the text at most.
        let marks = if width < 120 {
            "✎carol +1"
        } else {
            "✎carol ◉dave"
        };
        assert!(row(&app, 1).contains(marks), "{text}");
        assert!(
            !row(&app, 2).contains("◉alice"),
            "our own session is not marked"
        );
        insta::assert_snapshot!(format!("queue_presence_{width}x{height}"), text);
        keys(&mut app, &mut hub, "j enter");
        let text = screen(&app);
        assert!(
            text.contains("✎ carol is writing a reply · ◉ dave is viewing"),
            "{text}"
        );
        insta::assert_snapshot!(format!("detail_presence_{width}x{height}"), text);
        // The last line of the item stays reachable with the presence line above it.
        let detail = app.detail.as_ref().unwrap();
        assert_eq!(detail.rows, usize::from(height) - 3 - 1 - 1);
    }
}

#[test]
fn the_online_list_comes_at_start_and_a_stale_one_is_dropped() {
    let mut hub = FakeHub::new(sample_items(5));
    hub.team.online = vec![presence(2, "bob", None, None)];
    let mut app = started(80, 24, &mut hub);
    assert_eq!(app.online, hub.team.online);
    online(&mut app, &mut hub, vec![presence(3, "carol", None, None)]);
    // A team answer asked before that event arrives late: the event wins.
    send(
        &mut app,
        &mut hub,
        Msg::Answer {
            tag: CallTag::Team { events: 0 },
            result: Ok(Response::Team {
                members: Vec::new(),
                online: vec![presence(2, "bob", None, None)],
                open: true,
            }),
        },
    );
    assert_eq!(app.online[0].user, "carol");
}

#[test]
fn names_from_the_hub_are_sanitized() {
    let mut hub = FakeHub::new(sample_items(5));
    let mut app = started(120, 40, &mut hub);
    let id = app.queue.items[0].id;
    let hostile = "mal\u{1b}]0;PWNED\u{7}lory\u{202e}";
    online(
        &mut app,
        &mut hub,
        vec![presence(9, hostile, Some(id), Some(id))],
    );
    keys(&mut app, &mut hub, "enter");
    let text = screen(&app);
    assert!(text.contains("mallory is writing a reply"), "{text}");
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!text.contains(bad), "{bad:?} on screen");
    }
}

#[test]
fn a_reply_is_reviewed_then_sent_with_the_version_seen() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    let item = app.queue.items[0].clone();
    keys(&mut app, &mut hub, "c");
    assert_eq!(app.detail.as_ref().unwrap().id(), item.id, "the item opens");
    keys(&mut app, &mut hub, "ctrl-s");
    assert_eq!(
        app.composer.as_ref().unwrap().error.as_deref(),
        Some("nothing to send yet")
    );
    type_text(&mut app, &mut hub, "Hello,");
    keys(&mut app, &mut hub, "enter");
    type_text(&mut app, &mut hub, "it ships today.");
    keys(&mut app, &mut hub, "ctrl-s");
    assert_eq!(stage(&app), &Stage::Review);
    let handle = &item.author.handle;
    assert!(
        screen(&app).contains(&format!("Send to @{handle} on ")),
        "{}",
        screen(&app)
    );
    // No: back to the text, nothing sent.
    keys(&mut app, &mut hub, "n");
    assert_eq!(stage(&app), &Stage::Editing);
    assert!(replies_sent(&hub).is_empty());
    keys(&mut app, &mut hub, "ctrl-s y");
    assert_eq!(replies_sent(&hub), [(item.id, Some(item.version))]);
    assert_eq!(
        hub.team.replies,
        [(item.id, "Hello,\nit ships today.".into())]
    );
    assert!(app.composer.is_none());
    assert_eq!(flash(&app), "reply queued");
    assert!(!app.drafts.contains_key(&item.id));
    assert!(hub.team.drafts.is_empty(), "sending discards the draft");
    assert_eq!(app.detail.as_ref().unwrap().item.status, Status::Pending);
}

#[test]
fn a_reply_that_needs_approval_says_it_is_held() {
    let mut hub = FakeHub::new(sample_items(10));
    hub.team.held = true;
    let keymap = Keymap::builtin("emacs").unwrap();
    let mut app = app_with_keymap(keymap, 80, 24, &[]);
    let effects = app.start();
    run(&mut app, &mut hub, effects);
    keys(&mut app, &mut hub, "C-c c");
    type_text(&mut app, &mut hub, "Thanks for waiting");
    keys(&mut app, &mut hub, "C-c C-c y");
    assert_eq!(hub.team.replies.len(), 1);
    assert_eq!(flash(&app), "reply held for approval");
}

#[test]
fn the_composer_on_screen() {
    for (width, height) in SIZES {
        let mut hub = FakeHub::new(sample_items(40));
        let mut app = started(width, height, &mut hub);
        keys(&mut app, &mut hub, "j c");
        type_text(
            &mut app,
            &mut hub,
            "Bonjour, we are sorry about the delay: the parcel left our warehouse this morning",
        );
        keys(&mut app, &mut hub, "enter");
        type_text(&mut app, &mut hub, "and should reach you tomorrow.");
        insta::assert_snapshot!(format!("composer_{width}x{height}"), screen(&app));
        keys(&mut app, &mut hub, "ctrl-s");
        insta::assert_snapshot!(format!("composer_review_{width}x{height}"), screen(&app));
    }
}

#[test]
fn a_conflict_stops_the_reply_shows_what_changed_and_sending_anyway_works() {
    for (width, height) in SIZES {
        let mut hub = FakeHub::new(sample_items(40));
        let mut app = started(width, height, &mut hub);
        let id = app.queue.items[0].id;
        keys(&mut app, &mut hub, "c");
        type_text(&mut app, &mut hub, "We are on it");
        let seen = app.composer.as_ref().unwrap().seen_version;
        hub.change_by("bob", id, "tag: +legal", |i| {
            i.tags.insert("legal".into());
        });
        keys(&mut app, &mut hub, "ctrl-s y");
        let Stage::Conflict { message, refreshed } = stage(&app) else {
            panic!("{:?}", stage(&app))
        };
        assert!(message.contains("bob tag: +legal"), "{message}");
        assert!(refreshed, "the item was reloaded");
        assert!(hub.team.replies.is_empty());
        let text = screen(&app);
        assert!(text.contains("y send anyway · n back to editing"), "{text}");
        assert!(
            text.contains("#legal"),
            "the thread in view shows the change:\n{text}"
        );
        insta::assert_snapshot!(format!("conflict_{width}x{height}"), text);
        // Sending anyway sends with the version now shown.
        keys(&mut app, &mut hub, "y");
        let now_seen = hub.get(id).version - 1;
        assert_eq!(replies_sent(&hub), [(id, Some(seen)), (id, Some(now_seen))]);
        assert_eq!(flash(&app), "reply queued");
    }
}

#[test]
fn after_a_conflict_going_back_to_editing_keeps_the_text_and_the_new_version() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    let id = app.queue.items[0].id;
    keys(&mut app, &mut hub, "c");
    type_text(&mut app, &mut hub, "Hi");
    hub.change_by("carol", id, "assign: alice -> carol", |i| {
        i.assignee = Some("carol".into());
    });
    keys(&mut app, &mut hub, "ctrl-s y n");
    let composer = app.composer.as_ref().unwrap();
    assert_eq!(composer.stage, Stage::Editing);
    assert_eq!(composer.text.text(), "Hi");
    assert_eq!(composer.seen_version, hub.get(id).version);
    type_text(&mut app, &mut hub, ", Carol has it");
    keys(&mut app, &mut hub, "ctrl-s y");
    assert_eq!(hub.team.replies, [(id, "Hi, Carol has it".into())]);
}

#[test]
fn drafts_are_saved_after_a_pause_and_on_close_and_come_back() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    let id = app.queue.items[0].id;
    keys(&mut app, &mut hub, "c");
    // Each keystroke restarts the wait: only the last timer saves.
    let timer = |effects: Vec<Effect>| match effects.as_slice() {
        [Effect::After { timer, delay }] => {
            assert_eq!(delay.as_millis(), 500);
            *timer
        }
        other => panic!("{other:?}"),
    };
    let early = timer(update(&mut app, Msg::Text("Hel".into())));
    let late = timer(update(&mut app, Msg::Text("lo".into())));
    assert!(matches!(late, Timer::SaveDraft(_)));
    assert!(update(&mut app, Msg::Timer(early)).is_empty());
    let save = update(&mut app, Msg::Timer(late));
    assert!(
        matches!(save.as_slice(), [Effect::Call { request: Request::SaveDraft { text, .. }, .. }] if text == "Hello")
    );
    assert!(screen(&app).contains("draft not saved yet"));
    run(&mut app, &mut hub, save);
    assert_eq!(hub.team.drafts[&id], "Hello");
    assert!(screen(&app).contains("draft saved"));
    // Closing saves what the timer had no time to.
    let _never_fired = update(&mut app, Msg::Text(" again".into()));
    keys(&mut app, &mut hub, "esc");
    assert!(app.composer.is_none());
    assert_eq!(hub.team.drafts[&id], "Hello again");
    assert!(screen(&app).contains("your draft is kept (c to go on)"));
    keys(&mut app, &mut hub, "esc");
    assert!(row(&app, 0).contains(" draft"), "{}", screen(&app));
    keys(&mut app, &mut hub, "c");
    assert_eq!(app.composer.as_ref().unwrap().text.text(), "Hello again");
    keys(&mut app, &mut hub, "esc esc");

    // A dropped connection (SIGHUP) hands the hub what was typed since the last save.
    keys(&mut app, &mut hub, "c");
    let _never_fired = update(&mut app, Msg::Text(", bye".into()));
    let last = update(&mut app, Msg::Closing);
    run(&mut app, &mut hub, last);
    assert_eq!(hub.team.drafts[&id], "Hello again, bye");
    keys(&mut app, &mut hub, "ctrl-w backspace backspace esc esc");
    assert_eq!(hub.team.drafts[&id], "Hello again");

    // A new start (after a dropped connection) brings it back from the hub.
    let mut again = started(80, 24, &mut hub);
    assert_eq!(flash(&again), "1 draft restored");
    assert!(row(&again, 0).contains(" draft"));
    keys(&mut again, &mut hub, "c");
    assert_eq!(again.composer.as_ref().unwrap().text.text(), "Hello again");
    // Emptying it discards it.
    keys(&mut again, &mut hub, "ctrl-u esc");
    assert!(hub.team.drafts.is_empty());
    assert!(again.drafts.is_empty());
}

#[test]
fn claim_takes_a_free_item_and_a_refusal_says_who_has_it() {
    let mut items = sample_items(6);
    for item in &mut items {
        item.assignee = None;
    }
    let mut hub = FakeHub::new(items);
    let mut app = started(80, 24, &mut hub);
    let (free, taken) = (app.queue.items[0].id, app.queue.items[1].id);
    hub.items
        .iter_mut()
        .find(|i| i.id == taken)
        .unwrap()
        .assignee = Some("bob".into());
    keys(&mut app, &mut hub, "C");
    assert_eq!(hub.get(free).assignee.as_deref(), Some("alice"));
    keys(&mut app, &mut hub, "u");
    assert_eq!(hub.get(free).assignee, None, "claiming can be undone");
    keys(&mut app, &mut hub, "j C");
    let message = app.flash.as_ref().unwrap();
    assert!(message.error);
    assert_eq!(
        message.text,
        "claim failed: bob already has this item; ask them, or assign it explicitly"
    );
    assert_eq!(hub.get(taken).assignee.as_deref(), Some("bob"));
    assert_eq!(
        app.queue.current().unwrap().assignee.as_deref(),
        Some("bob")
    );
}

#[test]
fn an_agent_sees_their_role_and_no_escalation_tab() {
    let mut options = UiOptions::new(Keymap::builtin("default").unwrap(), "alice");
    options.color = ColorMode::None;
    options.me = Some(Me {
        user: "alice".into(),
        display_name: "Alice Martin".into(),
        role: Role::Agent,
        session: 3,
    });
    let mut app = App::new(options, "socket /run/switchboard/hub.sock".into(), now());
    update(
        &mut app,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    let mut hub = FakeHub::new(sample_items(5));
    let effects = app.start();
    run(&mut app, &mut hub, effects);
    let names: Vec<&str> = app.tabs.tabs.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["All", "Mine", "Unassigned", "DMs"]);
    let text = screen(&app);
    assert!(text.contains(" ● alice (agent)"), "{text}");
    assert!(!text.contains("Escalated"));
}

#[test]
fn a_quiet_answer_does_not_hide_a_change_waiting_to_be_drawn() {
    let mut hub = FakeHub::new(sample_items(5));
    let mut app = started(80, 24, &mut hub);
    let effects = update(&mut app, Msg::Action(Action::Open));
    app.dirty = false; // drawn
    let mut calls: Vec<(CallTag, Request)> = effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Call { tag, request } => Some((tag, request)),
            _ => None,
        })
        .collect();
    // The detail arrives, then (in the same batch, before the next frame) the presence
    // answer, which changes nothing on screen.
    calls.sort_by_key(|(tag, _)| matches!(tag, CallTag::Presence));
    for (tag, request) in calls {
        let result = hub.answer(&request);
        update(&mut app, Msg::Answer { tag, result });
    }
    assert!(app.dirty, "the detail must still be drawn");
}

#[test]
fn presence_about_items_we_do_not_hold_draws_nothing() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(120, 40, &mut hub);
    app.me.session = 1;
    let held = app.queue.items[3].id;
    let far = ItemId::generate();
    online(&mut app, &mut hub, vec![presence(2, "bob", None, None)]);
    assert!(app.dirty, "bob coming online changes the status bar");
    app.dirty = false;
    online(
        &mut app,
        &mut hub,
        vec![presence(2, "bob", Some(far), None)],
    );
    assert!(
        !app.dirty,
        "bob opening an item we do not show needs no frame"
    );
    online(
        &mut app,
        &mut hub,
        vec![presence(2, "bob", Some(held), None)],
    );
    assert!(app.dirty, "bob opening a row we show marks it");
    assert_eq!(
        app.online[0].viewing,
        Some(held),
        "the list is kept either way"
    );
}

#[test]
fn a_hub_that_does_not_answer_a_reply_does_not_hold_the_cm() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    let item = app.queue.items[0].clone();
    keys(&mut app, &mut hub, "c");
    type_text(&mut app, &mut hub, "On it.");
    keys(&mut app, &mut hub, "ctrl-s");
    // "y" sends; the hub never answers (the effects are dropped).
    let chord = switchboard::ui::keys::KeyChord::plain('y');
    let effects = update(&mut app, Msg::Key(chord));
    let tag = effects
        .iter()
        .find_map(|e| match e {
            Effect::Call {
                tag: tag @ CallTag::Reply { .. },
                ..
            } => Some(tag.clone()),
            _ => None,
        })
        .expect("the reply call");
    assert_eq!(stage(&app), &Stage::Sending);
    keys(&mut app, &mut hub, "esc");
    assert_eq!(stage(&app), &Stage::Editing, "cancel stops waiting");
    let error = app.composer.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("may still be queued"), "{error}");
    assert_eq!(app.composer.as_ref().unwrap().text.text(), "On it.");
    // The answer comes after all: the reply was queued, so the composer closes and says so.
    let entry = switchboard::model::OutboxEntry {
        id: ItemId::generate(),
        item: item.id,
        account: item.account.clone(),
        text: "On it.".into(),
        author: "root".into(),
        idempotency_key: "k".into(),
        state: switchboard::model::OutboxState::Queued { retry_at: None },
        attempts: 0,
        moderation: None,
        private: false,
        created_at: item.created_at,
        updated_at: item.created_at,
    };
    send(
        &mut app,
        &mut hub,
        Msg::Answer {
            tag,
            result: Ok(Response::Entry { entry }),
        },
    );
    assert!(app.composer.is_none());
    assert_eq!(flash(&app), "reply queued");
}

/// The status bar shows each account's sync state by platform badge, and spells out the
/// worst trouble (its platform-given reason sanitized).
#[test]
fn account_states_show_in_the_status_bar() {
    use switchboard::model::{AccountState, AccountStatus, Platform};
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(120, 30, &mut hub);
    let status = |name: &str, platform: Platform, state: AccountState| AccountStatus {
        state,
        ..AccountStatus::new(name, platform)
    };
    let until = chrono::DateTime::parse_from_rfc3339("2026-01-05T14:05:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let accounts = vec![
        status("acme-masto", Platform::Mastodon, AccountState::Ok),
        status("acme-bsky", Platform::Bluesky, AccountState::Syncing),
        status("acme-x", Platform::X, AccountState::RateLimited { until }),
        status(
            "acme-fb",
            Platform::Facebook,
            AccountState::AuthFailed {
                reason: "GET /me: 401 (token \u{1b}]0;expired\u{7}revoked)".into(),
            },
        ),
    ];
    send(&mut app, &mut hub, Msg::Hub(Event::Accounts { accounts }));
    let screen = screen(&app);
    let bar = screen_of(&app);
    insta::assert_snapshot!("status_bar_accounts", bar);
    assert!(bar.contains("MA✓ BS⟳ X⏸ FB✗"), "{bar}");
    assert!(
        bar.contains("acme-fb: auth failed: GET /me: 401 (token revoked)"),
        "the worst trouble first, sanitized: {bar}"
    );
    assert!(!screen.contains('\u{1b}'));

    // The hub's answer to `Accounts` replaces the list; all well, no reason is shown.
    let healthy = vec![status("acme-masto", Platform::Mastodon, AccountState::Ok)];
    send(
        &mut app,
        &mut hub,
        Msg::Hub(Event::Accounts { accounts: healthy }),
    );
    let bar = screen_of(&app);
    assert!(bar.contains("MA✓") && !bar.contains("acme-"), "{bar}");
}

/// The status bar: the row above the key hints.
fn screen_of(app: &App) -> String {
    screen(app).lines().rev().nth(1).unwrap().to_string()
}
