//! The handoff overlay: it opens by itself when someone else handed over in the last day,
//! not for one's own or an old handoff; the `handoff` action brings it back; any other key
//! closes it; and what it shows (snapshots, hostile text made harmless).

mod ui_support;

use chrono::Duration;
use switchboard::model::{Handoff, HandoffCounts, HandoffNote};
use switchboard::ui::app::{App, Overlay};
use ui_support::*;

fn handoff(author: &str, minutes_ago: i64) -> Handoff {
    let at = now() - Duration::minutes(minutes_ago);
    Handoff {
        author: author.into(),
        at,
        since: at - Duration::hours(8),
        counts: HandoffCounts {
            new: 42,
            handled: 37,
            open: 18,
            escalated: 2,
            near_sla: 3,
            past_sla: 1,
        },
        notes: vec![
            HandoffNote {
                at: at - Duration::hours(3),
                by: "chloe".into(),
                item: None,
                text: "Carrier says the Lyon parcels leave tomorrow".into(),
            },
            HandoffNote {
                at: at - Duration::hours(1),
                by: "bob".into(),
                item: None,
                text: "Journalist from Le Monde: legal is on it, do not answer".into(),
            },
        ],
        note: Some(
            "Refund thread on Instagram is heating up; @claire is a VIP.\nThe zipper recall answer is in the saved replies."
                .into(),
        ),
    }
}

fn opened_with(latest: Option<Handoff>) -> (App, FakeHub) {
    let mut hub = FakeHub::new(sample_items(20));
    hub.handoff = latest;
    let app = started(80, 24, &mut hub);
    (app, hub)
}

fn showing(app: &App) -> Option<&Handoff> {
    match &app.overlay {
        Some(Overlay::Handoff(view)) => Some(&view.handoff),
        _ => None,
    }
}

#[test]
fn someone_elses_fresh_handoff_opens_with_the_inbox() {
    let (app, _) = opened_with(Some(handoff("bob", 20)));
    assert_eq!(showing(&app).map(|h| h.author.as_str()), Some("bob"));
    for quiet in [handoff("alice", 20), handoff("bob", 25 * 60)] {
        let (app, _) = opened_with(Some(quiet));
        assert!(
            app.overlay.is_none(),
            "own or day-old handoffs wait to be asked for"
        );
    }
    let (app, _) = opened_with(None);
    assert!(app.overlay.is_none());
}

#[test]
fn the_action_brings_it_back_and_other_keys_close_it() {
    let (mut app, mut hub) = opened_with(Some(handoff("alice", 60 * 30)));
    keys(&mut app, &mut hub, "H");
    assert_eq!(showing(&app).map(|h| h.author.as_str()), Some("alice"));
    keys(&mut app, &mut hub, "j");
    assert!(showing(&app).is_some(), "moves scroll it");
    for close in ["esc", "q", "enter"] {
        keys(&mut app, &mut hub, "H");
        keys(&mut app, &mut hub, close);
        assert!(app.overlay.is_none(), "{close} closes it");
        assert!(!app.should_quit);
    }
    hub.handoff = None;
    keys(&mut app, &mut hub, "H");
    assert!(app.overlay.is_none());
    assert!(app.flash.as_ref().unwrap().text.contains("no handoff"));
}

#[test]
fn the_emacs_keymap_opens_it_too() {
    let mut hub = FakeHub::new(sample_items(5));
    hub.handoff = Some(handoff("alice", 5));
    let keymap = switchboard::ui::Keymap::builtin("emacs").unwrap();
    let mut app = app_with_keymap(keymap, 80, 24, &[]);
    let effects = app.start();
    run(&mut app, &mut hub, effects);
    keys(&mut app, &mut hub, "C-x H");
    assert!(showing(&app).is_some());
}

#[test]
fn overlay_snapshots() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut hub = FakeHub::new(sample_items(40));
        hub.handoff = Some(handoff("bob", 20));
        let app = started(width, height, &mut hub);
        insta::assert_snapshot!(format!("handoff_{width}x{height}"), screen(&app));
    }
}

#[test]
fn hostile_names_and_notes_are_made_harmless() {
    let mut hostile = handoff("bob\u{1b}[2J\u{202e}", 20);
    hostile.note = Some("fine\u{1b}]0;owned\u{7} \u{200b}really\u{1b}[31m red".into());
    hostile.notes[0].by = "eve\u{9b}31m".into();
    hostile.notes[0].text = "\u{1b}P+q\u{1b}\\ok".into();
    let (app, _) = opened_with(Some(hostile));
    let text = screen(&app);
    for bad in ['\u{1b}', '\u{9b}', '\u{202e}', '\u{200b}', '\u{7}'] {
        assert!(!text.contains(bad), "{bad:?} reached the screen:\n{text}");
    }
    assert!(text.contains("fine really red"), "{text}");
}
