//! The detail pane's "why this priority" (the reasons the hub stored with the item,
//! sanitized: they quote handles) and the composer opening with a routing rule's draft.

mod ui_support;

use switchboard::model::{Kind, Platform, Priority};
use ui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn reasons() -> Vec<String> {
    [
        "direct message: +2",
        "negative words \"arnaque\", \"remboursez\": +2",
        "VIP author @claire\u{1b}[31m\u{202e}: +3",
        "repeat contact, 2 earlier messages: +1",
        "8 points: urgent",
        "rule legal-threat: urgent",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn the_detail_pane_says_why_this_priority() {
    for (width, height) in SIZES {
        let mut first = item(
            1,
            Platform::Mastodon,
            Kind::Dm,
            "claire",
            "C'est une arnaque, remboursez-moi",
        );
        first.priority = Priority::Urgent;
        first.priority_why = reasons();
        let mut hub = FakeHub::new(vec![first]);
        let mut app = started(width, height, &mut hub);
        keys(&mut app, &mut hub, "enter");
        let screen = screen(&app);
        assert!(screen.contains("Why urgent priority"), "{screen}");
        assert!(!screen.contains('\u{1b}') && !screen.contains('\u{202e}'));
        insta::assert_snapshot!(format!("priority_why_{width}x{height}"), screen);
    }
}

#[test]
fn an_item_without_reasons_has_no_section() {
    let mut hub = FakeHub::new(vec![item(1, Platform::X, Kind::Mention, "ann", "hello")]);
    let mut app = started(120, 40, &mut hub);
    keys(&mut app, &mut hub, "enter");
    assert!(!screen(&app).contains("priority ──"));
}

#[test]
fn the_composer_opens_with_a_rules_draft_unless_we_have_our_own() {
    let items = vec![
        item(1, Platform::X, Kind::Mention, "ann", "mon avocat"),
        item(2, Platform::X, Kind::Mention, "bob", "my lawyer"),
    ];
    let mut hub = FakeHub::new(items);
    let mut app = started(120, 40, &mut hub);
    let (first, second) = (app.queue.items[0].id, app.queue.items[1].id);
    hub.team.suggested.insert(first, "Bonjour, merci.".into());
    hub.team.suggested.insert(second, "Hello there.".into());
    app.drafts.insert(second, "my own words".into());
    keys(&mut app, &mut hub, "enter c");
    let composer = app.composer.as_ref().expect("composer open");
    assert_eq!(composer.id(), first);
    assert_eq!(composer.text.text(), "Bonjour, merci.");
    assert!(
        !composer.unsent_draft(),
        "an untouched suggestion is not saved as ours"
    );
    keys(&mut app, &mut hub, "esc esc j enter c");
    let composer = app.composer.as_ref().expect("composer open");
    assert_eq!(composer.id(), second);
    assert_eq!(composer.text.text(), "my own words");
}
