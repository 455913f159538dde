//! Composing a reply, driven through `update` against the fake hub: the length counted
//! live the platform's way, `send` refused (with the reason, still editing) when the text
//! is too long or Meta's messaging window has closed, the window counting down with the
//! clock, and the hand-off to `$EDITOR` (the effect asked for, the edited text coming back
//! as an edit with its draft save), the cost of an X reply in the review question.
//! Snapshots of the counter near and over X's limit, of a Facebook DM's window line and of
//! the review question with its cost.

mod ui_support;

use chrono::Duration;
use ratatui::style::Color;
use switchboard::hub::protocol::Request;
use switchboard::model::{Item, Kind, Platform};
use switchboard::responses::window::ReplyWindow;
use switchboard::ui::app::{update, App};
use switchboard::ui::components::{Level, Stage};
use switchboard::ui::keys::parse_sequence;
use switchboard::ui::msg::{CallTag, Effect, Msg, Timer};
use switchboard::ui::theme::Theme;
use switchboard::ui::{ColorMode, Keymap};
use ui_support::*;

/// A customer's mention on X.
fn x_mention() -> Item {
    item(
        1,
        Platform::X,
        Kind::Mention,
        "claire",
        "Where is my order #4411?",
    )
}

/// A customer's Facebook DM.
fn facebook_dm() -> Item {
    item(
        2,
        Platform::Facebook,
        Kind::Dm,
        "marc_d",
        "Bonjour, ma commande n'est toujours pas arrivée",
    )
}

/// A reply of exactly `n` characters (it never ends with a space, so trimming keeps it).
fn reply_of(n: usize) -> String {
    let sentence = "We are so sorry about the delay with order 4411, it left today. ";
    let text: String = sentence.chars().cycle().take(n).collect();
    assert!(!text.ends_with(' '), "pick another length than {n}");
    text
}

/// The composer open on the only item of the hub, with `text` typed.
fn composing(hub: &mut FakeHub, width: u16, height: u16, text: &str) -> App {
    let mut app = started(width, height, hub);
    keys(&mut app, hub, "c");
    type_text(&mut app, hub, text);
    app
}

fn stage(app: &App) -> &Stage {
    &app.composer.as_ref().expect("the composer is open").stage
}

fn error(app: &App) -> Option<&str> {
    app.composer.as_ref().unwrap().error.as_deref()
}

fn replies_asked(hub: &FakeHub) -> usize {
    hub.requests
        .iter()
        .filter(|r| matches!(r, Request::Reply { .. }))
        .count()
}

/// A Facebook DM whose customer last wrote `ago` before the test's now.
fn dm_hub(ago: Duration) -> FakeHub {
    let mut hub = FakeHub::new(vec![facebook_dm()]);
    hub.reply_window = Some(ReplyWindow {
        last_customer_message: now() - ago,
        human_agent: false,
    });
    hub
}

#[test]
fn the_count_follows_the_text_the_platforms_way() {
    let mut hub = FakeHub::new(vec![x_mention()]);
    let mut app = composing(&mut hub, 80, 24, &reply_of(212));
    let counter = app.composer.as_ref().unwrap().counter();
    assert_eq!((counter.length.used, counter.level), (212, Level::Fine));
    assert!(screen(&app).contains("212/280 weighted characters"));
    // CJK weighs two on X.
    type_text(&mut app, &mut hub, &"日".repeat(20));
    let counter = app.composer.as_ref().unwrap().counter();
    assert_eq!((counter.length.used, counter.level), (252, Level::Near));
    assert!(screen(&app).contains("252/280 weighted characters (28 left)"));
}

#[test]
fn too_long_a_reply_never_gets_to_the_review_question() {
    let mut hub = FakeHub::new(vec![x_mention()]);
    let mut app = composing(&mut hub, 80, 24, &reply_of(292));
    keys(&mut app, &mut hub, "ctrl-s");
    assert_eq!(stage(&app), &Stage::Editing);
    assert_eq!(
        error(&app),
        Some("too long for x: 292/280 weighted characters — shorten it by 12")
    );
    assert!(
        screen(&app).contains("shorten it by 12"),
        "{}",
        screen(&app)
    );
    keys(&mut app, &mut hub, "ctrl-s");
    assert_eq!(stage(&app), &Stage::Editing, "asked again: still no");
    assert_eq!(replies_asked(&hub), 0);
    // Shortened, it goes to the review question, which says the count.
    for _ in 0..12 {
        keys(&mut app, &mut hub, "backspace");
    }
    assert_eq!(error(&app), None, "an edit clears the refusal");
    keys(&mut app, &mut hub, "ctrl-s");
    assert_eq!(stage(&app), &Stage::Review);
    assert!(
        screen(&app)
            .contains("Send to @claire on x? public reply · 280/280 · costs $0.015 · y / n"),
        "{}",
        screen(&app)
    );
    keys(&mut app, &mut hub, "y");
    assert_eq!(hub.team.replies, [(x_mention().id, reply_of(280))]);
}

#[test]
fn a_dm_shows_its_window_counting_down_and_is_refused_once_it_closed() {
    let mut hub = dm_hub(Duration::minutes(20 * 60 + 48));
    let mut app = composing(&mut hub, 80, 24, "On it, sorry for the wait.");
    assert!(screen(&app).contains("messaging window: 3h 12m left"));
    assert_eq!(app.reply_window_line().unwrap().level, Level::Fine);
    // The clock moves: the window line follows.
    send(&mut app, &mut hub, Msg::Tick(now() + Duration::hours(3)));
    assert!(screen(&app).contains("messaging window: 12m left"));
    assert_eq!(app.reply_window_line().unwrap().level, Level::Near);
    keys(&mut app, &mut hub, "ctrl-s");
    assert_eq!(stage(&app), &Stage::Review, "still open");
    keys(&mut app, &mut hub, "n");
    send(&mut app, &mut hub, Msg::Tick(now() + Duration::hours(4)));
    keys(&mut app, &mut hub, "ctrl-s");
    assert_eq!(stage(&app), &Stage::Editing);
    let why = error(&app).unwrap();
    assert!(
        why.starts_with("messaging window closed 48m ago: facebook accepts a reply"),
        "{why}"
    );
    assert!(why.contains("within 24 hours"), "{why}");
    assert_eq!(replies_asked(&hub), 0);
}

#[test]
fn a_public_reply_and_an_unknown_window_have_no_window_line() {
    let mut hub = FakeHub::new(vec![x_mention()]);
    hub.reply_window = Some(ReplyWindow {
        last_customer_message: now() - Duration::days(30),
        human_agent: false,
    });
    let mut app = composing(&mut hub, 80, 24, "Hi");
    assert_eq!(app.reply_window(), None, "only Meta DMs have a window");
    keys(&mut app, &mut hub, "ctrl-s");
    assert_eq!(stage(&app), &Stage::Review);
    // A hub that does not send the window (an older one): the hub itself still refuses.
    let mut hub = FakeHub::new(vec![facebook_dm()]);
    let mut app = composing(&mut hub, 80, 24, "Hi");
    assert!(!screen(&app).contains("messaging window"));
    keys(&mut app, &mut hub, "ctrl-s");
    assert_eq!(stage(&app), &Stage::Review);
}

#[test]
fn edit_external_hands_the_text_to_the_editor_after_saving_the_draft() {
    for (keymap, chord) in [("default", "ctrl-e"), ("emacs", "C-x C-e")] {
        let mut hub = FakeHub::new(vec![x_mention()]);
        let mut app = app_with_keymap(Keymap::builtin(keymap).unwrap(), 80, 24, &[]);
        let effects = app.start();
        run(&mut app, &mut hub, effects);
        let reply = match keymap {
            "default" => "c",
            _ => "C-c c",
        };
        keys(&mut app, &mut hub, reply);
        // Typed just now: the draft timer has not gone off yet.
        update(&mut app, Msg::Text("Let me write this properly".into()));
        let mut effects = Vec::new();
        for key in parse_sequence(chord).unwrap() {
            effects = update(&mut app, Msg::Key(key));
        }
        assert!(
            effects.iter().any(|e| matches!(e,
                Effect::EditExternally { text } if text == "Let me write this properly")),
            "{keymap}: {effects:?}"
        );
        assert!(
            effects.iter().any(|e| matches!(e,
                Effect::Call { tag: CallTag::SaveDraft { text, .. }, .. }
                    if text == "Let me write this properly")),
            "{keymap}: the draft is saved before the editor runs: {effects:?}"
        );
    }
}

#[test]
fn the_edited_text_replaces_the_reply_and_is_saved_as_a_draft() {
    let mut hub = FakeHub::new(vec![x_mention()]);
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "c");
    // Typed just before the editor: its draft timer is still to go off.
    let typed = update(&mut app, Msg::Text("Draft".into()));
    let stale = typed
        .iter()
        .find_map(|e| match e {
            Effect::After {
                timer: Timer::SaveDraft(n),
                ..
            } => Some(*n),
            _ => None,
        })
        .unwrap();
    let effects = update(
        &mut app,
        Msg::Edited {
            text: "Hello Claire,\n\nyour parcel left this morning.".into(),
        },
    );
    let composer = app.composer.as_ref().unwrap();
    assert_eq!(
        composer.text.text(),
        "Hello Claire,\n\nyour parcel left this morning."
    );
    assert_eq!(composer.text.cursor(), (2, 30), "the cursor at the end");
    let fresh = effects
        .iter()
        .find_map(|e| match e {
            Effect::After {
                timer: Timer::SaveDraft(n),
                ..
            } => Some(*n),
            _ => None,
        })
        .expect("the edit schedules a draft save");
    assert_ne!(fresh, stale);
    // The timer set before the editor ran goes off late: it saves nothing stale.
    send(&mut app, &mut hub, Msg::Timer(Timer::SaveDraft(stale)));
    assert!(hub.team.drafts.is_empty(), "{:?}", hub.team.drafts);
    run(&mut app, &mut hub, effects);
    assert_eq!(
        hub.team.drafts.values().collect::<Vec<_>>(),
        ["Hello Claire,\n\nyour parcel left this morning."]
    );
    assert!(screen(&app).contains("draft saved"));
}

#[test]
fn a_failed_editor_keeps_the_text_and_says_why() {
    let mut hub = FakeHub::new(vec![x_mention()]);
    let mut app = composing(&mut hub, 80, 24, "Keep me");
    let why = "the editor `vim` exited with status 1: the reply is unchanged";
    send(&mut app, &mut hub, Msg::EditFailed(why.into()));
    assert_eq!(app.composer.as_ref().unwrap().text.text(), "Keep me");
    assert_eq!(app.flash.as_ref().unwrap().text, why);
    assert!(app.flash.as_ref().unwrap().error);
}

/// The colour of the first cell of `needle` on screen.
fn colour_of(app: &App, needle: &str) -> Color {
    let terminal = draw(app);
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    let rows: Vec<String> = buffer
        .content
        .chunks(width)
        .map(|row| row.iter().map(|c| c.symbol()).collect())
        .collect();
    for (y, row) in rows.iter().enumerate() {
        if let Some(at) = row.find(needle) {
            let x = row[..at].chars().count();
            return buffer.content[y * width + x].fg;
        }
    }
    panic!("{needle} not on screen")
}

#[test]
fn the_counter_near_and_over_the_limit_on_screen() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut hub = FakeHub::new(vec![x_mention()]);
        let mut app = composing(&mut hub, width, height, &reply_of(262));
        insta::assert_snapshot!(format!("counter_near_{width}x{height}"), screen(&app));
        app.theme = Theme::new(ColorMode::Full);
        assert_eq!(colour_of(&app, "262/280"), Color::Indexed(214), "amber");
        type_text(&mut app, &mut hub, &format!(" {}", reply_of(29)));
        keys(&mut app, &mut hub, "ctrl-s");
        insta::assert_snapshot!(format!("counter_over_{width}x{height}"), screen(&app));
        app.theme = Theme::new(ColorMode::Full);
        assert_eq!(colour_of(&app, "292/280"), Color::Indexed(203), "red");
    }
}

#[test]
fn the_review_question_says_what_a_reply_costs_on_x() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut hub = FakeHub::new(vec![x_mention()]);
        let text = "So sorry Claire! Track order 4411 at https://acme.example/track/4411";
        let mut app = composing(&mut hub, width, height, text);
        keys(&mut app, &mut hub, "ctrl-s");
        assert_eq!(stage(&app), &Stage::Review);
        let shown = screen(&app);
        // The composer is narrower beside the queue at 120 columns: the short form.
        let question = match width {
            80 => "public reply · 60/280 · costs $0.20 (has a link) · y / n",
            _ => "public reply · 60/280 · $0.20 · y / n",
        };
        assert!(shown.contains(question), "{shown}");
        insta::assert_snapshot!(format!("review_cost_{width}x{height}"), shown);
    }
    // Without a link a post costs X's plain price, and other platforms show no cost.
    let mut hub = FakeHub::new(vec![x_mention()]);
    let mut app = composing(&mut hub, 80, 24, "So sorry Claire, it left today");
    keys(&mut app, &mut hub, "ctrl-s");
    assert!(
        screen(&app).contains("· costs $0.015 · y / n"),
        "{}",
        screen(&app)
    );
    let mut hub = dm_hub(Duration::hours(1));
    let mut app = composing(&mut hub, 80, 24, "Bonjour Marc, https://acme.example/suivi");
    keys(&mut app, &mut hub, "ctrl-s");
    assert_eq!(stage(&app), &Stage::Review);
    assert!(!screen(&app).contains("costs"), "{}", screen(&app));
}

#[test]
fn a_facebook_dm_with_its_window_on_screen() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut hub = dm_hub(Duration::minutes(20 * 60 + 48));
        let mut app = composing(
            &mut hub,
            width,
            height,
            "Bonjour Marc, on regarde ça tout de suite.",
        );
        insta::assert_snapshot!(format!("dm_window_{width}x{height}"), screen(&app));
        send(&mut app, &mut hub, Msg::Tick(now() + Duration::hours(4)));
        keys(&mut app, &mut hub, "ctrl-s");
        insta::assert_snapshot!(format!("dm_window_closed_{width}x{height}"), screen(&app));
    }
}
