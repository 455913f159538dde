//! The canned-response picker in the TUI: opened from the composer or straight from the
//! queue, ranked as typed, previewed filled for the composer's item, fields asked in turn,
//! the filled text inserted at the cursor; stale library answers dropped; hostile names and
//! bodies never reach the screen raw.

mod ui_support;

use std::path::Path;

use switchboard::model::{Item, Platform};
use switchboard::responses::file::parse;
use switchboard::responses::sample::FILES;
use switchboard::responses::CannedResponse;
use switchboard::ui::app::{update, App};
use switchboard::ui::keymap::Context;
use switchboard::ui::msg::{CallTag, Effect, Msg};
use switchboard::ui::Keymap;
use ui_support::*;

fn sample_library() -> Vec<CannedResponse> {
    FILES.iter().map(|(n, t)| parse(n, t).unwrap()).collect()
}

/// A hub with the sample library and French-speaking customers.
fn hub() -> FakeHub {
    let mut items = sample_items(40);
    for item in &mut items {
        item.lang = Some("fr-FR".into());
    }
    let mut hub = FakeHub::new(items);
    hub.team.canned = sample_library();
    hub
}

/// Puts the cursor on the first loaded item on X.
fn on_x(app: &mut App) -> Item {
    let position = app
        .queue
        .items
        .iter()
        .position(|i| i.platform == Platform::X)
        .unwrap();
    app.queue.move_to(position);
    app.queue.items[position].clone()
}

fn composer_text(app: &App) -> String {
    app.composer.as_ref().unwrap().text.text()
}

#[test]
fn the_picker_with_its_preview_on_screen() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut hub = hub();
        let mut app = started(width, height, &mut hub);
        on_x(&mut app);
        keys(&mut app, &mut hub, "c ctrl-t");
        type_text(&mut app, &mut hub, "remb");
        insta::assert_snapshot!(format!("canned_picker_{width}x{height}"), screen(&app));
        keys(&mut app, &mut hub, "enter");
        type_text(&mut app, &mut hub, "A-4");
        insta::assert_snapshot!(format!("canned_field_{width}x{height}"), screen(&app));
    }
}

#[test]
fn a_canned_response_answers_an_item_in_a_handful_of_keys() {
    let mut hub = hub();
    let mut app = started(80, 24, &mut hub);
    let item = on_x(&mut app);
    keys(&mut app, &mut hub, "c");
    type_text(&mut app, &mut hub, "Re: ");
    keys(&mut app, &mut hub, "ctrl-t");
    assert!(hub
        .requests
        .iter()
        .any(|r| matches!(r, switchboard::hub::protocol::Request::Canned)));
    assert_eq!(app.context(), Context::Picker);
    type_text(&mut app, &mut hub, "remb");
    keys(&mut app, &mut hub, "enter");
    assert_eq!(app.context(), Context::Compose, "the order number is asked");
    keys(&mut app, &mut hub, "enter");
    assert!(app
        .canned
        .as_ref()
        .unwrap()
        .filling
        .as_ref()
        .unwrap()
        .error
        .is_some());
    type_text(&mut app, &mut hub, "A-42");
    keys(&mut app, &mut hub, "enter");
    assert!(app.canned.is_none());
    let text = composer_text(&app);
    assert!(
        text.starts_with("Re: Bonjour ") && text.contains("sur la commande A-42."),
        "{text}"
    );
    assert!(text.ends_with("Alice pour Acme"), "{text}");
    assert_eq!(
        hub.team.drafts.get(&item.id),
        Some(&text),
        "the draft is saved"
    );
    keys(&mut app, &mut hub, "ctrl-s y");
    assert_eq!(hub.team.replies, [(item.id, text)]);
}

#[test]
fn esc_goes_back_from_a_field_to_the_list_then_to_the_text_intact() {
    let mut hub = hub();
    let mut app = started(80, 24, &mut hub);
    on_x(&mut app);
    keys(&mut app, &mut hub, "c");
    type_text(&mut app, &mut hub, "kept");
    keys(&mut app, &mut hub, "ctrl-t");
    type_text(&mut app, &mut hub, "remb");
    keys(&mut app, &mut hub, "enter esc");
    assert_eq!(app.context(), Context::Picker);
    keys(&mut app, &mut hub, "esc");
    assert!(app.canned.is_none());
    assert_eq!(composer_text(&app), "kept");
    assert_eq!(app.context(), Context::Reply);
}

#[test]
fn straight_from_the_queue_and_the_detail_in_both_keymaps() {
    for (keymap, open) in [("default", "ctrl-t"), ("emacs", "C-t")] {
        let mut hub = hub();
        let mut app = app_with_keymap(Keymap::builtin(keymap).unwrap(), 80, 24, &[]);
        let effects = app.start();
        run(&mut app, &mut hub, effects);
        on_x(&mut app);
        keys(&mut app, &mut hub, open);
        assert!(app.composer.is_some() && app.canned.is_some(), "{keymap}");
        type_text(&mut app, &mut hub, "merci");
        keys(&mut app, &mut hub, "enter");
        assert!(
            composer_text(&app).starts_with("Merci beaucoup "),
            "{keymap}"
        );
    }
}

#[test]
fn a_late_answer_for_a_closed_picker_is_dropped() {
    let mut hub = hub();
    let mut app = started(80, 24, &mut hub);
    on_x(&mut app);
    keys(&mut app, &mut hub, "c");
    let first = update(
        &mut app,
        Msg::Action(switchboard::ui::action::Action::Canned),
    );
    keys(&mut app, &mut hub, "esc");
    let _second = update(
        &mut app,
        Msg::Action(switchboard::ui::action::Action::Canned),
    );
    let Some(Effect::Call { tag, request }) = first.into_iter().next() else {
        panic!("no call")
    };
    assert!(matches!(tag, CallTag::Canned { .. }));
    let result = hub.answer(&request);
    update(&mut app, Msg::Answer { tag, result });
    assert!(
        app.canned.as_ref().unwrap().loaded.is_none(),
        "the old answer is not taken"
    );
}

/// Characters that must never be in a cell (as in `ui_hostile.rs`).
fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[test]
fn hostile_names_and_bodies_never_reach_the_screen_raw() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/hostile-text.json");
    let corpus: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for entry in corpus.iter().take(12) {
        let hostile = entry["text"].as_str().unwrap();
        let mut hub = hub();
        for item in &mut hub.items {
            item.author.name = hostile.to_string();
        }
        let mut evil = sample_library()[0].clone();
        evil.name = "evil".into();
        evil.tags = vec![hostile.to_string()];
        evil.body = format!(
            "{} {{author.name}} {}",
            hostile.replace(['{', '}'], ""),
            "\u{1b}[31mred"
        );
        hub.team.canned = vec![evil];
        let mut app = started(120, 40, &mut hub);
        on_x(&mut app);
        keys(&mut app, &mut hub, "c ctrl-t");
        let terminal = draw(&app);
        for (i, cell) in terminal.backend().buffer().content.iter().enumerate() {
            let bad = cell.symbol().chars().find(|c| forbidden(*c));
            assert!(
                bad.is_none(),
                "{}: cell {i} holds {:?}",
                entry["name"],
                cell.symbol()
            );
        }
    }
}
