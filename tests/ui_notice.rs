//! Notices in the TUI: `Event::Notice` puts a message in the status bar and asks the runtime
//! to ring, and the bytes the runtime writes for that (BEL, OSC 9, OSC 777) carry hostile
//! text only cleaned to one bounded line, with no control character that could end the
//! sequence or start another. Snapshots of the status bar.

mod ui_support;

use chrono::Utc;
use switchboard::hub::protocol::Event;
use switchboard::model::{Notice, NoticeKind};
use switchboard::ui::alert::{alert_bytes, Alerter};
use switchboard::ui::msg::Msg;
use ui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn notice(kind: NoticeKind, title: &str, body: &str) -> Notice {
    Notice {
        kind,
        at: Utc::now(),
        title: title.into(),
        body: body.into(),
        item: None,
        channels: Vec::new(),
        users: vec!["alice".into()],
    }
}

#[test]
fn the_bell_and_both_desktop_notifications_are_written() {
    let mut alerter = Alerter::new(Vec::new(), true);
    alerter
        .ring("Escalated to legal", "@claire: refund or lawyer")
        .unwrap();
    assert_eq!(
        String::from_utf8(alerter.into_inner()).unwrap(),
        "\x07\x1b]9;Escalated to legal: @claire: refund or lawyer\x07\
         \x1b]777;notify;Escalated to legal;@claire: refund or lawyer\x07"
    );
}

#[test]
fn without_desktop_notifications_only_the_bell_rings() {
    let mut alerter = Alerter::new(Vec::new(), false);
    alerter.ring("Escalated to legal", "body").unwrap();
    assert_eq!(alerter.into_inner(), b"\x07");
}

#[test]
fn hostile_text_cannot_break_out_of_the_sequences() {
    let hostile = "Legal;x\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\r\nrm -rf\u{9b}31m\u{202e}exe\u{200b}";
    let long = format!("{hostile} {}", "a".repeat(5000));
    let bytes = alert_bytes(hostile, &long, true);
    let text = String::from_utf8(bytes.clone()).unwrap();
    // Exactly the framing: one bell, two OSC openings, two terminators.
    assert_eq!(bytes.iter().filter(|b| **b == 0x1b).count(), 2, "{text:?}");
    assert_eq!(bytes.iter().filter(|b| **b == 0x07).count(), 3, "{text:?}");
    assert!(
        !text.contains(['\r', '\n', '\u{9b}', '\u{202e}', '\u{200b}']),
        "{text:?}"
    );
    let osc777 = text.split("\x1b]777;").nth(1).unwrap();
    let fields: Vec<&str> = osc777.trim_end_matches('\x07').splitn(3, ';').collect();
    assert_eq!(fields[0], "notify");
    assert!(
        !fields[1].contains(';'),
        "the title keeps to its field: {fields:?}"
    );
    let osc9 = text.split("\x1b]9;").nth(1).unwrap();
    let osc9 = osc9.split('\x07').next().unwrap();
    assert!(!osc9.contains(';'), "no OSC 9 sub-command: {osc9:?}");
    assert!(
        text.chars().count() < 700,
        "bounded: {} chars",
        text.chars().count()
    );
}

#[test]
fn a_notice_shows_in_the_status_bar_and_rings() {
    for (width, height) in SIZES {
        let mut hub = FakeHub::new(sample_items(5));
        let mut app = started(width, height, &mut hub);
        let event = Event::Notice {
            notice: notice(
                NoticeKind::Test,
                "Escalated to legal: @claire\x1b[31m on x",
                "Dana: lawsuit\u{202e}",
            ),
        };
        send(&mut app, &mut hub, Msg::Hub(event));
        assert_eq!(
            hub.alerts,
            [(
                "Escalated to legal: @claire\x1b[31m on x".to_string(),
                "Dana: lawsuit\u{202e}".to_string()
            )],
            "the runtime is asked to ring with the notice's own text (it cleans it)"
        );
        let screen = screen(&app);
        let status = screen
            .lines()
            .nth(usize::from(height) - 2)
            .unwrap()
            .to_string();
        assert!(
            status.contains("test notice: Escalated to legal: @claire on x"),
            "{status}"
        );
        assert!(!screen.contains(['\u{1b}', '\u{202e}']));
        insta::assert_snapshot!(format!("notice_status_{width}x{height}"), status);
    }
}

/// An escalation's notice rings but leaves the status bar to the escalation's own event,
/// which says who escalated and why (both arrive, in either order).
#[test]
fn a_notice_with_its_own_event_only_rings() {
    let mut hub = FakeHub::new(sample_items(5));
    let mut app = started(80, 24, &mut hub);
    let before = screen(&app);
    let event = Event::Notice {
        notice: notice(NoticeKind::Escalated, "Escalated to legal: @claire", "why"),
    };
    send(&mut app, &mut hub, Msg::Hub(event));
    assert_eq!(hub.alerts.len(), 1, "it rings");
    assert_eq!(screen(&app), before, "no status message of its own");
}
