//! Private replies in the composer: `private_reply` (ctrl-p) turns a reply to a Facebook or
//! Instagram comment into a direct message to its author — the composer and the review
//! question say so and sending asks the hub for a private reply — and says why not on other
//! platforms, on DMs and on comments older than 7 days. Its length is counted as a
//! message (Messenger: 2,000 characters).

mod ui_support;

use chrono::Duration;
use switchboard::hub::protocol::Request;
use switchboard::model::{Item, Kind, Platform};
use switchboard::ui::app::App;
use switchboard::ui::components::Stage;
use ui_support::*;

fn comment_on(platform: Platform, age: Duration) -> Item {
    Item {
        created_at: now() - age,
        ..item(
            1,
            platform,
            Kind::Comment,
            "claire",
            "My parcel never came, who do I talk to?",
        )
    }
}

fn composing(hub: &mut FakeHub, text: &str) -> App {
    let mut app = started(100, 30, hub);
    keys(&mut app, hub, "c");
    type_text(&mut app, hub, text);
    app
}

fn error(app: &App) -> Option<String> {
    app.composer.as_ref().unwrap().error.clone()
}

#[test]
fn a_facebook_comment_can_be_answered_privately() {
    let mut hub = FakeHub::new(vec![comment_on(Platform::Facebook, Duration::hours(3))]);
    let mut app = composing(&mut hub, "We sent you a message with the tracking link");
    assert!(screen(&app).contains("public reply"));
    assert!(
        screen(&app).contains("44/8000 characters"),
        "{}",
        screen(&app)
    );
    keys(&mut app, &mut hub, "ctrl-p");
    // A private reply is a Messenger message: Messenger's limit counts.
    assert!(
        screen(&app).contains("44/2000 characters"),
        "{}",
        screen(&app)
    );
    assert!(app.composer.as_ref().unwrap().private);
    assert!(
        screen(&app).contains("private reply (a direct message to the author)"),
        "{}",
        screen(&app)
    );
    keys(&mut app, &mut hub, "ctrl-s");
    assert_eq!(app.composer.as_ref().unwrap().stage, Stage::Review);
    assert!(screen(&app).contains("private reply"), "{}", screen(&app));
    keys(&mut app, &mut hub, "y");
    let asked: Vec<&Request> = hub
        .requests
        .iter()
        .filter(|r| matches!(r, Request::Reply { .. } | Request::PrivateReply { .. }))
        .collect();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(
        matches!(asked[0], Request::PrivateReply { text, .. } if text.starts_with("We sent you")),
        "{asked:?}"
    );
}

#[test]
fn toggling_twice_makes_it_public_again() {
    let mut hub = FakeHub::new(vec![comment_on(Platform::Instagram, Duration::days(2))]);
    let mut app = composing(&mut hub, "Thanks!");
    keys(&mut app, &mut hub, "ctrl-p");
    keys(&mut app, &mut hub, "ctrl-p");
    assert!(!app.composer.as_ref().unwrap().private);
    keys(&mut app, &mut hub, "ctrl-s y");
    assert!(hub
        .requests
        .iter()
        .any(|r| matches!(r, Request::Reply { .. })));
    assert!(!hub
        .requests
        .iter()
        .any(|r| matches!(r, Request::PrivateReply { .. })));
}

#[test]
fn where_the_platform_refuses_the_composer_says_why() {
    let cases = [
        (
            comment_on(Platform::Mastodon, Duration::hours(1)),
            "not mastodon's",
        ),
        (
            comment_on(Platform::Facebook, Duration::days(8)),
            "within 7 days",
        ),
        (
            Item {
                kind: Kind::Dm,
                ..comment_on(Platform::Facebook, Duration::hours(1))
            },
            "answered directly",
        ),
        (
            Item {
                kind: Kind::Mention,
                ..comment_on(Platform::Instagram, Duration::hours(1))
            },
            "not a mention",
        ),
    ];
    for (item, why) in cases {
        let mut hub = FakeHub::new(vec![item]);
        let mut app = composing(&mut hub, "hello");
        keys(&mut app, &mut hub, "ctrl-p");
        assert!(!app.composer.as_ref().unwrap().private);
        let said = error(&app).unwrap_or_default();
        assert!(said.contains(why), "{said}");
    }
}
