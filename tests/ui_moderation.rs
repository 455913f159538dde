//! Moderation from the keyboard, driven through `update` against the fake hub: each step
//! asks first and sends nothing on no; a yes queues it (or it is held for an approver); a
//! report asks its reason first; the emacs keymap reaches the same steps; a step X bills
//! says what it costs. A snapshot of the question.

mod ui_support;

use switchboard::hub::protocol::{Event, Request};
use switchboard::model::{ItemId, Kind, Moderation, OutboxEntry, OutboxState, Platform};
use switchboard::store::{Change, ChangeKind};
use switchboard::ui::app::{App, Overlay};
use switchboard::ui::msg::Msg;
use switchboard::ui::Keymap;
use ui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn moderations(hub: &FakeHub) -> Vec<(ItemId, Moderation)> {
    hub.requests
        .iter()
        .filter_map(|r| match r {
            Request::Moderate { id, action } => Some((*id, action.clone())),
            _ => None,
        })
        .collect()
}

fn flash(app: &App) -> String {
    app.flash.as_ref().expect("a message").text.clone()
}

fn question(app: &App) -> String {
    match &app.overlay {
        Some(Overlay::Confirm(confirm)) => format!("{} {}", confirm.question, confirm.warning),
        other => panic!("no question: {other:?}"),
    }
}

#[test]
fn a_step_is_confirmed_then_queued() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    let item = app.queue.items[0].clone();
    keys(&mut app, &mut hub, "z b");
    let platform = item.platform.as_str();
    assert_eq!(
        question(&app),
        format!(
            "Block @{} on {platform}? This is public and lasting.",
            item.author.handle
        )
    );
    assert!(moderations(&hub).is_empty(), "nothing before the answer");
    keys(&mut app, &mut hub, "y");
    assert_eq!(moderations(&hub), [(item.id, Moderation::Block)]);
    assert_eq!(flash(&app), "block queued");
    assert!(app.overlay.is_none());
    let entry = app.outbox.entries()[0].clone();
    assert_eq!(entry.moderation, Some(Moderation::Block));
    // The outcome arrives live: the entry done, the item tagged.
    let done = OutboxEntry {
        state: OutboxState::Sent {
            remote_id: item.remote_id.clone(),
            url: None,
            at: now(),
        },
        ..entry
    };
    let event = Event::Outbox {
        entry: Box::new(done),
        by: "switchboard".into(),
    };
    send(&mut app, &mut hub, Msg::Hub(event));
    assert_eq!(
        flash(&app),
        format!(
            "Your block request on @{} was carried out on the platform",
            item.author.handle
        )
    );
    let stored = hub.items.iter_mut().find(|i| i.id == item.id).unwrap();
    stored.tags.insert("blocked".into());
    let blocked = stored.clone();
    let change = Change {
        seq: 1,
        kind: ChangeKind::Updated,
        item: std::sync::Arc::new(blocked),
    };
    send(&mut app, &mut hub, Msg::Hub(Event::Changed { change }));
    assert!(screen(&app).contains("#blocked"), "{}", screen(&app));
    // In the detail, on the open item.
    keys(&mut app, &mut hub, "j enter z h y");
    let second = app.queue.items[1].id;
    assert_eq!(moderations(&hub)[1], (second, Moderation::Hide));
}

#[test]
fn no_sends_nothing() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    for (keys_typed, what) in [("z h n", "hide"), ("z m esc", "mute"), ("z d n", "delete")] {
        keys(&mut app, &mut hub, keys_typed);
        assert_eq!(flash(&app), format!("{what}: cancelled, nothing sent"));
        assert!(app.overlay.is_none());
    }
    assert!(moderations(&hub).is_empty());
}

#[test]
fn an_agents_block_waits_for_an_approver() {
    let mut hub = FakeHub::new(sample_items(10));
    hub.outbox.agent = true;
    let mut app = started(80, 24, &mut hub);
    app.outbox.approver = false;
    keys(&mut app, &mut hub, "z d");
    assert!(
        question(&app).ends_with("This is public and lasting: an approver releases it first."),
        "{}",
        question(&app)
    );
    keys(&mut app, &mut hub, "y");
    assert_eq!(flash(&app), "delete held for approval");
    keys(&mut app, &mut hub, "z u y");
    assert_eq!(flash(&app), "unhide queued");
}

#[test]
fn a_report_asks_its_reason_first() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    let item = app.queue.items[0].clone();
    keys(&mut app, &mut hub, "z r enter");
    assert!(
        screen(&app).contains("a report needs a reason"),
        "{}",
        screen(&app)
    );
    type_text(&mut app, &mut hub, "spam links");
    keys(&mut app, &mut hub, "enter");
    assert!(question(&app).starts_with(&format!(
        "Report @{} to {} (spam links)?",
        item.author.handle,
        item.platform.as_str()
    )));
    keys(&mut app, &mut hub, "y");
    let report = Moderation::Report {
        reason: "spam links".into(),
    };
    assert_eq!(moderations(&hub), [(item.id, report)]);
}

#[test]
fn several_selected_items_are_refused_one_at_a_time() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "x x z b");
    assert_eq!(
        flash(&app),
        "moderation acts on one item: open it, or clear the selection"
    );
    assert!(app.overlay.is_none());
}

#[test]
fn the_emacs_keymap_moderates_under_c_c_z() {
    let mut hub = FakeHub::new(sample_items(10));
    let mut app = app_with_keymap(Keymap::builtin("emacs").unwrap(), 80, 24, &[]);
    let effects = app.start();
    run(&mut app, &mut hub, effects);
    keys(&mut app, &mut hub, "C-c z m y");
    assert_eq!(moderations(&hub)[0].1, Moderation::Mute);
}

#[test]
fn the_question_on_screen() {
    for (width, height) in SIZES {
        let mut hub = FakeHub::new(sample_items(10));
        let mut app = started(width, height, &mut hub);
        // A hostile handle is shown sanitized in the question.
        app.queue.items[0].author.handle = "tr\u{202e}oll\u{1b}[2J".into();
        keys(&mut app, &mut hub, "z b");
        let text = screen(&app);
        for bad in ['\u{1b}', '\u{202e}'] {
            assert!(!text.contains(bad), "{bad:?} on screen");
        }
        insta::assert_snapshot!(format!("moderation_question_{width}x{height}"), text);
    }
}

#[test]
fn a_step_x_bills_says_what_it_costs_and_others_do_not() {
    let reply = item(1, Platform::X, Kind::Comment, "ben", "the app crashes");
    let mut hub = FakeHub::new(vec![reply]);
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "z h");
    assert_eq!(
        question(&app),
        "Hide @ben's reply from the thread on x? Others stop seeing it under the brand's post. \
         This costs $0.005."
    );
    keys(&mut app, &mut hub, "n z m");
    assert!(
        question(&app).ends_with("This costs $0.015."),
        "{}",
        question(&app)
    );
    keys(&mut app, &mut hub, "n z b");
    assert!(
        !question(&app).contains("costs"),
        "X offers no block: nothing is billed"
    );
    let mut hub = FakeHub::new(vec![item(
        2,
        Platform::Mastodon,
        Kind::Comment,
        "ben",
        "hi",
    )]);
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "z m");
    assert!(!question(&app).contains("costs"), "{}", question(&app));
}
