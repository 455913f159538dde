//! The outbox in the TUI, driven through `update` against the fake hub: the screen (newest
//! first, the filter, `enter` opening the entry's item), what waits for approval in the
//! status bar, approving as written and with edits, rejecting with a required comment, an
//! agent's attempt, a failed reply edited and retried, and the author learning each outcome
//! live from `Event::Outbox`. Snapshots of the screen, hostile text included.

mod ui_support;

use switchboard::hub::protocol::{Event, Request};
use switchboard::model::{ItemId, OutboxEntry, OutboxState};
use switchboard::team::Role;
use switchboard::ui::action::Action;
use switchboard::ui::app::{update, App};
use switchboard::ui::components::Me;
use switchboard::ui::msg::Msg;
use switchboard::ui::{ColorMode, Keymap, UiOptions};
use ui_support::outbox::entry;
use ui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// A hub whose outbox holds, newest first: carol's held reply to claire (0), alice's
/// failed reply to marc_d (1), a sent one (2), alice's reply rejected by bob (3).
fn hub_with_outbox() -> FakeHub {
    let mut hub = FakeHub::new(sample_items(10));
    let it = |n: usize| hub.items[n].clone();
    let mut entries = vec![
        entry(
            3,
            &it(2),
            "alice",
            "hey",
            OutboxState::Rejected {
                reason: "too informal".into(),
                by: "bob".into(),
            },
        ),
        entry(
            2,
            &it(3),
            "alice",
            "Your refund is on its way.",
            OutboxState::Sent {
                remote_id: "109".into(),
                url: Some("https://mastodon.example/@acme/109".into()),
                at: now(),
            },
        ),
        entry(
            1,
            &it(1),
            "alice",
            "Votre commande arrive demain.",
            OutboxState::Failed {
                reason: "platform refused: too long".into(),
            },
        ),
        entry(
            0,
            &it(0),
            "carol",
            "Hello Claire, we are on it!",
            OutboxState::Held,
        ),
    ];
    hub.outbox.entries.append(&mut entries);
    hub
}

/// An app as alice with `role`.
fn app_as(role: Role, width: u16, height: u16, hub: &mut FakeHub) -> App {
    let mut options = UiOptions::new(Keymap::builtin("default").unwrap(), "alice");
    options.color = ColorMode::None;
    options.me = Some(Me {
        user: "alice".into(),
        display_name: "Alice".into(),
        role,
        session: 1,
    });
    let mut app = App::new(options, "socket /run/switchboard/hub.sock".into(), now());
    update(&mut app, Msg::Resize { width, height });
    let effects = app.start();
    run(&mut app, hub, effects);
    app
}

fn flash(app: &App) -> String {
    app.flash.as_ref().expect("a message").text.clone()
}

fn status_bar(app: &App) -> String {
    screen(app).lines().rev().nth(1).unwrap().to_string()
}

fn sent<T>(hub: &FakeHub, pick: impl Fn(&Request) -> Option<T>) -> Vec<T> {
    hub.requests.iter().filter_map(pick).collect()
}

fn approvals(hub: &FakeHub) -> Vec<(ItemId, Option<String>)> {
    sent(hub, |r| match r {
        Request::Approve { entry, text } => Some((*entry, text.clone())),
        _ => None,
    })
}

/// The entry the cursor is on.
fn current(app: &App) -> OutboxEntry {
    app.outbox.current().expect("an entry").clone()
}

fn outbox_event(app: &mut App, hub: &mut FakeHub, entry: OutboxEntry, by: &str) {
    let event = Event::Outbox {
        entry: Box::new(entry),
        by: by.into(),
    };
    send(app, hub, Msg::Hub(event));
}

#[test]
fn the_screen_lists_newest_first_filters_and_opens_the_item() {
    let mut hub = hub_with_outbox();
    let mut app = app_as(Role::Approver, 120, 40, &mut hub);
    assert!(
        status_bar(&app).contains("1 to approve"),
        "{}",
        status_bar(&app)
    );
    send(&mut app, &mut hub, Msg::Action(Action::Approve));
    assert_eq!(flash(&app), "approve works in the outbox (O)");
    keys(&mut app, &mut hub, "O");
    let text = screen(&app);
    assert!(text.contains("Outbox · all 4 · 1 to approve"), "{text}");
    let states: Vec<&str> = app
        .outbox
        .visible()
        .iter()
        .map(|e| e.state.name())
        .collect();
    assert_eq!(states, ["held", "failed", "sent", "rejected"]);
    assert!(text.contains("@claire"), "{text}");
    assert!(text.contains("bob: too informal"), "{text}");
    keys(&mut app, &mut hub, "f");
    assert_eq!(app.outbox.visible().len(), 1);
    assert!(screen(&app).contains("Outbox · needs approval 1"));
    keys(&mut app, &mut hub, "f j enter");
    assert!(!app.outbox.shown, "enter leaves the screen");
    let open = app.detail.as_ref().expect("the item opens");
    assert_eq!(open.id(), hub.items[1].id);
    keys(&mut app, &mut hub, "esc O");
    assert!(app.outbox.shown);
    keys(&mut app, &mut hub, "esc");
    assert!(!app.outbox.shown);
}

#[test]
fn an_approver_approves_as_written_or_with_edits() {
    let mut hub = hub_with_outbox();
    let mut app = app_as(Role::Approver, 80, 24, &mut hub);
    let held = current(&app);
    keys(&mut app, &mut hub, "O a");
    assert_eq!(approvals(&hub), [(held.id, None)]);
    assert_eq!(
        flash(&app),
        "approved carol's reply to @claire: it goes out now"
    );
    assert_eq!(app.outbox.held(), 0);
    assert!(!status_bar(&app).contains("to approve"));
    // Again: the hub's refusal is shown as it words it.
    keys(&mut app, &mut hub, "a");
    assert!(
        flash(&app).contains("not waiting for approval"),
        "{}",
        flash(&app)
    );
    assert_eq!(approvals(&hub).len(), 1);

    let mut hub = hub_with_outbox();
    let mut app = app_as(Role::Admin, 80, 24, &mut hub);
    keys(&mut app, &mut hub, "O E");
    let composer = app.composer.as_ref().expect("the composer opens");
    assert_eq!(composer.text.text(), "Hello Claire, we are on it!");
    assert!(screen(&app).contains("approve with edits: reply to @claire"));
    keys(&mut app, &mut hub, "end");
    type_text(&mut app, &mut hub, " Sorry for the wait.");
    keys(&mut app, &mut hub, "ctrl-s");
    assert!(
        screen(&app).contains("Approve and send to @claire"),
        "{}",
        screen(&app)
    );
    keys(&mut app, &mut hub, "y");
    let edited = "Hello Claire, we are on it! Sorry for the wait.".to_string();
    assert_eq!(approvals(&hub), [(held.id, Some(edited))]);
    assert!(app.composer.is_none());
    assert!(app.outbox.shown, "back to the outbox");
    assert!(
        flash(&app).starts_with("approved carol's reply"),
        "{}",
        flash(&app)
    );
    let saved = sent(&hub, |r| {
        matches!(r, Request::SaveDraft { .. }).then_some(())
    });
    assert!(saved.is_empty(), "an approver's edits are no draft");
}

#[test]
fn a_rejection_needs_a_comment_for_the_author() {
    let mut hub = hub_with_outbox();
    let mut app = app_as(Role::Approver, 80, 24, &mut hub);
    keys(&mut app, &mut hub, "O x");
    assert!(
        screen(&app).contains("reject carol's reply to @claire:"),
        "{}",
        screen(&app)
    );
    keys(&mut app, &mut hub, "enter");
    assert!(
        screen(&app).contains("a rejection needs a comment"),
        "{}",
        screen(&app)
    );
    type_text(&mut app, &mut hub, "too informal for a complaint");
    keys(&mut app, &mut hub, "enter");
    let rejected = sent(&hub, |r| match r {
        Request::Reject { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    assert_eq!(rejected, ["too informal for a complaint"]);
    assert_eq!(
        flash(&app),
        "rejected carol's reply to @claire; carol sees why"
    );
    assert_eq!(current(&app).state.name(), "rejected");
}

#[test]
fn an_agent_is_told_approvals_are_not_theirs_and_the_hub_would_refuse() {
    let mut hub = hub_with_outbox();
    let mut app = app_as(Role::Agent, 80, 24, &mut hub);
    assert!(!status_bar(&app).contains("to approve"));
    keys(&mut app, &mut hub, "O a");
    assert_eq!(
        flash(&app),
        "only approvers and admins approve replies (you are an agent)"
    );
    keys(&mut app, &mut hub, "x E");
    assert!(app.overlay.is_none() && app.composer.is_none());
    assert!(approvals(&hub).is_empty());
    // An approver whose role the hub no longer grants gets the hub's words.
    let mut hub = hub_with_outbox();
    hub.outbox.agent = true;
    let mut app = app_as(Role::Approver, 80, 24, &mut hub);
    keys(&mut app, &mut hub, "O a");
    assert_eq!(
        flash(&app),
        "approve refused: alice is an agent; only approvers and above may approve replies"
    );
}

#[test]
fn a_failed_reply_is_edited_and_retried_or_retried_as_is() {
    let mut hub = hub_with_outbox();
    let mut app = app_as(Role::Agent, 80, 24, &mut hub);
    keys(&mut app, &mut hub, "O R");
    assert!(
        flash(&app).contains("only a failed or rejected one"),
        "{}",
        flash(&app)
    );
    keys(&mut app, &mut hub, "j e");
    let composer = app.composer.as_ref().expect("the composer opens");
    assert_eq!(composer.text.text(), "Votre commande arrive demain.");
    keys(&mut app, &mut hub, "ctrl-u");
    type_text(&mut app, &mut hub, "Votre commande arrive jeudi.");
    keys(&mut app, &mut hub, "ctrl-s y");
    let retried = |hub: &FakeHub| {
        sent(hub, |r| match r {
            Request::RetryReply { text, .. } => Some(text.clone()),
            _ => None,
        })
    };
    assert_eq!(retried(&hub), [Some("Votre commande arrive jeudi.".into())]);
    assert_eq!(flash(&app), "your reply to @marc_d is queued again");
    // The rejected one, as it is.
    keys(&mut app, &mut hub, "G R");
    assert_eq!(retried(&hub).len(), 2);
    assert_eq!(retried(&hub)[1], None);
}

#[test]
fn the_author_learns_each_outcome_live() {
    let mut hub = FakeHub::new(sample_items(10));
    let mine = entry(0, &hub.items[0], "alice", "Hello Claire", OutboxState::Held);
    hub.outbox.entries.push(mine.clone());
    let mut app = app_as(Role::Agent, 80, 24, &mut hub);
    let approved = OutboxEntry {
        state: OutboxState::Queued { retry_at: None },
        text: "Hello Claire!".into(),
        ..mine.clone()
    };
    outbox_event(&mut app, &mut hub, approved.clone(), "bob");
    assert_eq!(
        flash(&app),
        "Your reply to @claire was approved by bob with edits"
    );
    let sending = OutboxEntry {
        state: OutboxState::Sending,
        ..approved.clone()
    };
    outbox_event(&mut app, &mut hub, sending, "switchboard");
    let delivered = OutboxEntry {
        state: OutboxState::Sent {
            remote_id: "1".into(),
            url: None,
            at: now(),
        },
        ..approved
    };
    outbox_event(&mut app, &mut hub, delivered, "switchboard");
    assert_eq!(flash(&app), "Your reply to @claire was sent");
    let failed = OutboxEntry {
        state: OutboxState::Failed {
            reason: "auth failed: token expired".into(),
        },
        ..mine.clone()
    };
    outbox_event(&mut app, &mut hub, failed, "switchboard");
    assert_eq!(
        flash(&app),
        "Your reply to @claire failed: auth failed: token expired"
    );
    assert!(app.flash.as_ref().unwrap().error);
    let rejected = OutboxEntry {
        state: OutboxState::Rejected {
            reason: "too informal".into(),
            by: "bob".into(),
        },
        ..mine
    };
    outbox_event(&mut app, &mut hub, rejected, "bob");
    assert_eq!(
        flash(&app),
        "Your reply to @claire was rejected by bob: too informal"
    );
}

#[test]
fn an_approver_is_told_when_a_reply_waits() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = app_as(Role::Approver, 80, 24, &mut hub);
    let held = entry(0, &hub.items[4], "carol", "On it!", OutboxState::Held);
    outbox_event(&mut app, &mut hub, held, "carol");
    assert_eq!(flash(&app), "carol's reply to @tom waits for approval");
    assert!(
        status_bar(&app).contains("1 to approve"),
        "{}",
        status_bar(&app)
    );
}

#[test]
fn the_screen_in_the_emacs_keymap() {
    let mut hub = hub_with_outbox();
    let mut options = UiOptions::new(Keymap::builtin("emacs").unwrap(), "alice");
    options.color = ColorMode::None;
    let mut app = App::new(options, "in-process".into(), now());
    update(
        &mut app,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    let effects = app.start();
    run(&mut app, &mut hub, effects);
    keys(&mut app, &mut hub, "C-x O");
    assert!(app.outbox.shown);
    keys(&mut app, &mut hub, "a C-g");
    assert_eq!(approvals(&hub).len(), 1);
    assert!(!app.outbox.shown);
}

#[test]
fn the_outbox_on_screen() {
    for (width, height) in SIZES {
        let mut hub = hub_with_outbox();
        // Hostile text in an excerpt and a reason: nothing of it reaches the terminal.
        let hostile = &mut hub.outbox.entries[2];
        hostile.text = "Votre\u{1b}[2J commande\u{202e} arrive\u{7} demain".into();
        hostile.state = OutboxState::Failed {
            reason: "refused\u{1b}]0;pwned\u{7} by the platform".into(),
        };
        let mut app = app_as(Role::Approver, width, height, &mut hub);
        keys(&mut app, &mut hub, "O");
        let text = screen(&app);
        for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(!text.contains(bad), "{bad:?} on screen");
        }
        insta::assert_snapshot!(format!("outbox_{width}x{height}"), text);
    }
}
