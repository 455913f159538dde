//! Escalations in the TUI, driven through `update` against the fake hub: the picker
//! (`E`: the configured escalations, filtered as one types, then the note), what it says
//! with none configured, "My escalations" (shown at start when some wait for us; guidance,
//! approve, take over, hand back), the CM learning an answer live, and the detail's
//! section. Snapshots of the picker and the screen.

mod ui_support;

use switchboard::hub::protocol::{Event, Request};
use switchboard::model::{Answer, AnswerKind, AnswerRequest, EscalationState, ItemId, Status};
use switchboard::ui::app::App;
use switchboard::ui::msg::Msg;
use switchboard::ui::Keymap;
use ui_support::escalations::target;
use ui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn configured() -> FakeHub {
    let mut hub = FakeHub::new(sample_items(10));
    hub.escalation_targets = vec![
        target("brand", "Logo, tone and campaign questions", &["erin"]),
        target(
            "legal",
            "Lawsuits, GDPR requests, anything a lawyer must see",
            &["dana"],
        ),
        target("security", "Account takeovers, leaked data", &["sam"]),
    ];
    hub
}

/// alice owns legal: two items wait on her, escalated by bob and carol.
fn owning() -> FakeHub {
    let mut hub = configured();
    hub.escalation_targets[1].owners = vec!["alice".into()];
    hub.escalated(1, "legal", &["alice"], "bob", "says he will sue");
    hub.escalated(
        4,
        "legal",
        &["alice"],
        "carol",
        "GDPR erasure \u{1b}[31mrequest",
    );
    hub
}

fn flash(app: &App) -> String {
    app.flash.as_ref().expect("a message").text.clone()
}

fn answers(hub: &FakeHub) -> Vec<(ItemId, AnswerRequest)> {
    hub.requests
        .iter()
        .filter_map(|r| match r {
            Request::AnswerEscalation { id, answer } => Some((*id, answer.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn escalate_picks_a_configured_escalation_then_asks_the_note() {
    for (width, height) in SIZES {
        let mut hub = configured();
        let mut app = started(width, height, &mut hub);
        assert!(!app.escalations.shown, "nothing waits for alice");
        let id = app.queue.current().unwrap().id;
        keys(&mut app, &mut hub, "E");
        let text = screen(&app);
        assert!(text.contains("Escalate @"), "{text}");
        assert!(
            text.contains("legal") && text.contains("Lawsuits"),
            "{text}"
        );
        insta::assert_snapshot!(format!("escalation_picker_{width}x{height}"), text);
        type_text(&mut app, &mut hub, "law");
        let picker = app.escalations.picker.as_ref().unwrap();
        assert_eq!(picker.matches(&app.escalations.targets)[0].name, "legal");
        keys(&mut app, &mut hub, "enter");
        assert!(app.escalations.picker.is_none());
        assert!(screen(&app).contains("escalate, note"), "the note prompt");
        type_text(&mut app, &mut hub, "threatens a lawsuit");
        keys(&mut app, &mut hub, "enter");
        let sent: Vec<_> = hub
            .requests
            .iter()
            .filter_map(|r| match r {
                Request::Escalate { id, name, note } => Some((*id, name.clone(), note.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(sent, [(id, "legal".into(), "threatens a lawsuit".into())]);
        assert_eq!(flash(&app), "escalated to legal: waiting on dana");
        assert_eq!(hub.get(id).status, Status::Escalated);
    }
}

#[test]
fn the_picker_moves_and_cancels_and_says_how_to_configure_none() {
    let mut hub = configured();
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "space e");
    keys(&mut app, &mut hub, "down down");
    assert_eq!(app.escalations.picker.as_ref().unwrap().selected, 2);
    keys(&mut app, &mut hub, "esc");
    assert!(app.escalations.picker.is_none());
    assert!(!hub
        .requests
        .iter()
        .any(|r| matches!(r, Request::Escalate { .. })));

    let mut bare = FakeHub::new(sample_items(5));
    let mut app = started(80, 24, &mut bare);
    keys(&mut app, &mut bare, "E");
    assert!(app.escalations.picker.is_none());
    assert!(
        flash(&app).starts_with("no escalations are configured: an admin adds [escalations.NAME]"),
        "{}",
        flash(&app)
    );
}

#[test]
fn my_escalations_show_at_start_and_take_each_answer() {
    for (width, height) in SIZES {
        let mut hub = owning();
        let app = started(width, height, &mut hub);
        assert!(app.escalations.shown, "shown at start: two wait on alice");
        let text = screen(&app);
        assert!(text.contains("My escalations · 2 waiting on me"), "{text}");
        assert!(text.contains("says he will sue"), "{text}");
        assert!(!text.contains('\u{1b}'), "notes are sanitized");
        insta::assert_snapshot!(format!("my_escalations_{width}x{height}"), text);
    }
    let mut hub = owning();
    let mut app = started(120, 40, &mut hub);
    let first = app.escalations.current().unwrap().escalation.id;
    keys(&mut app, &mut hub, "g");
    type_text(&mut app, &mut hub, "do not admit fault");
    keys(&mut app, &mut hub, "enter");
    keys(&mut app, &mut hub, "a");
    keys(&mut app, &mut hub, "j");
    let second = app.escalations.current().unwrap().escalation.id;
    keys(&mut app, &mut hub, "b");
    type_text(&mut app, &mut hub, "yours");
    keys(&mut app, &mut hub, "enter");
    assert_eq!(
        answers(&hub),
        [
            (
                first,
                AnswerRequest::Guidance {
                    text: "do not admit fault".into()
                }
            ),
            (first, AnswerRequest::Approve),
            (
                second,
                AnswerRequest::HandBack {
                    text: "yours".into()
                }
            ),
        ]
    );
    assert!(
        flash(&app).contains("handed_back; carol is told"),
        "{}",
        flash(&app)
    );
    assert_eq!(app.escalations.rows.len(), 0, "reloaded: nothing open");
    keys(&mut app, &mut hub, "q");
    assert!(!app.escalations.shown);
    keys(&mut app, &mut hub, "g e");
    assert!(app.escalations.shown);
    assert!(screen(&app).contains("nothing is escalated to you"));
}

#[test]
fn enter_opens_the_item_with_its_escalation_and_take_over_answers() {
    let mut hub = owning();
    let mut app = started(120, 40, &mut hub);
    let row = app.escalations.current().unwrap().clone();
    keys(&mut app, &mut hub, "enter");
    assert!(!app.escalations.shown);
    assert_eq!(app.detail.as_ref().unwrap().item.id, row.item.id);
    let text = screen(&app);
    assert!(text.contains("Escalations (1)"), "{text}");
    assert!(text.contains("▲ legal · waiting · by bob"), "{text}");
    assert!(text.contains("says he will sue"), "{text}");
    keys(&mut app, &mut hub, "g e");
    keys(&mut app, &mut hub, "t");
    assert_eq!(
        answers(&hub),
        [(row.escalation.id, AnswerRequest::TakeOver)]
    );
    assert_eq!(app.escalations.rows.len(), 1, "the other one still waits");
    keys(&mut app, &mut hub, "esc");
    let text = screen(&app);
    assert!(
        text.contains("alice took over"),
        "the detail follows: {text}"
    );
}

#[test]
fn the_cm_who_escalated_learns_the_answer_live() {
    let mut hub = configured();
    hub.escalated(2, "legal", &["dana"], "alice", "lawyer letter");
    let mut app = started(120, 40, &mut hub);
    let mut escalation = hub.escalations[0].clone();
    escalation.record(Answer {
        by: "dana".into(),
        at: now(),
        kind: AnswerKind::Guidance,
        text: "offer a refund, admit nothing".into(),
    });
    assert_eq!(escalation.state, EscalationState::Answered);
    let event = Event::Escalation {
        escalation: Box::new(escalation),
        by: "dana".into(),
    };
    send(&mut app, &mut hub, Msg::Hub(event));
    assert_eq!(
        flash(&app),
        "dana answered your legal escalation: guidance: offer a refund, admit nothing"
    );
}

#[test]
fn emacs_has_the_same_escalation_commands() {
    let keymap = Keymap::builtin("emacs").unwrap();
    let mut hub = owning();
    let mut app = app_with_keymap(keymap, 120, 40, &[]);
    let effects = app.start();
    run(&mut app, &mut hub, effects);
    assert!(app.escalations.shown);
    keys(&mut app, &mut hub, "t");
    assert_eq!(answers(&hub).len(), 1);
    keys(&mut app, &mut hub, "q");
    keys(&mut app, &mut hub, "C-x E");
    assert!(app.escalations.shown);
    keys(&mut app, &mut hub, "q");
    keys(&mut app, &mut hub, "C-c e");
    assert!(app.escalations.picker.is_some());
}
