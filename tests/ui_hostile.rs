//! A queue full of the hostile corpus (`../shared/fixtures/hostile-text.json`, read in
//! place) in every platform string: no escape, C0/C1 control, bidi or zero-width character
//! may reach the screen buffer, in the queue, the detail, find results or prompts.

mod ui_support;

use std::path::Path;

use ratatui::buffer::Buffer;
use switchboard::model::{Item, Kind, Platform};
use switchboard::ui::app::App;
use ui_support::*;

fn corpus() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/hostile-text.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let entries: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    entries
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every hostile string in every field a platform fills (and in tags and assignees).
fn hostile_items() -> Vec<Item> {
    let corpus = corpus();
    corpus
        .iter()
        .enumerate()
        .map(|(n, (_, text))| {
            let other = &corpus[(n + 1) % corpus.len()].1;
            let mut it = item(
                n as u64,
                Platform::KNOWN[n % 6].clone(),
                Kind::Dm,
                other,
                text,
            );
            it.author.name = text.clone();
            it.account = other.clone();
            it.tags.insert(text.chars().take(40).collect());
            it.assignee = Some(other.chars().take(30).collect());
            it.url = Some(text.chars().take(200).collect());
            it.thread_id = Some("hostile".into());
            it
        })
        .collect()
}

/// Characters that must never be in a cell: they move the cursor, change modes, reorder
/// text or hide themselves.
fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}' | '\u{200C}' | '\u{200E}' | '\u{200F}' | '\u{2060}'..='\u{2064}'
            | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}' | '\u{180E}')
}

/// A zero-width joiner may only stand inside an emoji sequence.
fn lone_joiner(symbol: &str) -> bool {
    symbol.contains('\u{200D}')
        && !symbol
            .chars()
            .any(|c| ('\u{1F300}'..='\u{1FAFF}').contains(&c))
}

fn assert_clean(buffer: &Buffer, what: &str) {
    for (i, cell) in buffer.content.iter().enumerate() {
        let symbol = cell.symbol();
        let bad = symbol.chars().find(|c| forbidden(*c));
        assert!(
            bad.is_none() && !lone_joiner(symbol),
            "{what}: cell {i} holds {symbol:?}"
        );
    }
}

fn hostile_app(width: u16, height: u16, hub: &mut FakeHub) -> App {
    started(width, height, hub)
}

#[test]
fn the_corpus_is_read_in_place() {
    let corpus = corpus();
    assert!(corpus.len() >= 17);
    assert!(corpus.iter().any(|(_, t)| t.contains('\u{1b}')));
    assert!(corpus.iter().any(|(_, t)| t.len() >= 20_000));
}

#[test]
fn hostile_queue_snapshots_hold_no_raw_control_sequences() {
    for (width, height) in [(80, 24), (120, 40)] {
        let mut hub = FakeHub::new(hostile_items());
        let app = hostile_app(width, height, &mut hub);
        let terminal = draw(&app);
        assert_clean(terminal.backend().buffer(), "queue");
        insta::assert_snapshot!(
            format!("hostile_queue_{width}x{height}"),
            terminal.backend().to_string()
        );
    }
}

#[test]
fn every_hostile_item_in_the_detail_pane_is_clean() {
    let mut hub = FakeHub::new(hostile_items());
    let mut app = hostile_app(120, 40, &mut hub);
    for n in 0..app.queue.items.len() {
        app.queue.move_to(n);
        keys(&mut app, &mut hub, "enter");
        assert_clean(
            draw(&app).backend().buffer(),
            &format!("detail of item {n}"),
        );
        keys(&mut app, &mut hub, "G");
        assert_clean(
            draw(&app).backend().buffer(),
            &format!("end of detail of item {n}"),
        );
        keys(&mut app, &mut hub, "esc");
    }
    app.queue.move_to(0);
    keys(&mut app, &mut hub, "enter");
    insta::assert_snapshot!("hostile_detail_120x40", screen(&app));
}

#[test]
fn hostile_find_results_and_prompts_are_clean() {
    let mut hub = FakeHub::new(hostile_items());
    let mut app = hostile_app(80, 24, &mut hub);
    for pattern in ["e", "pa", "refund", "2J", "spam"] {
        keys(&mut app, &mut hub, "/");
        type_text(&mut app, &mut hub, pattern);
        assert_clean(draw(&app).backend().buffer(), &format!("find {pattern}"));
        keys(&mut app, &mut hub, "esc");
    }
    // Pasting hostile text into any input shows it defused too.
    for (name, text) in corpus() {
        for opener in ["n", "f", "/", ":"] {
            keys(&mut app, &mut hub, opener);
            type_text(&mut app, &mut hub, &text);
            let what = format!("{opener} input with {name}");
            assert_clean(draw(&app).backend().buffer(), &what);
            keys(&mut app, &mut hub, "esc");
        }
    }
}

#[test]
fn a_megabyte_message_renders_quickly() {
    let mut big = item(1, Platform::X, Kind::Dm, "flood", &"spam ".repeat(200_000));
    big.text.push_str("\u{1b}[2J");
    let mut hub = FakeHub::new(vec![big]);
    let mut app = hostile_app(120, 40, &mut hub);
    let start = std::time::Instant::now();
    let terminal = draw(&app);
    let queue_frame = start.elapsed();
    assert_clean(terminal.backend().buffer(), "1 MB queue line");
    keys(&mut app, &mut hub, "enter");
    let start = std::time::Instant::now();
    for _ in 0..10 {
        keys(&mut app, &mut hub, "ctrl-d");
        draw(&app);
    }
    let per_frame = start.elapsed() / 10;
    assert_clean(draw(&app).backend().buffer(), "1 MB detail");
    // Debug build, shared machine: generous bounds that still catch per-frame re-wrapping.
    assert!(
        queue_frame.as_millis() < 500,
        "queue frame took {queue_frame:?}"
    );
    assert!(
        per_frame.as_millis() < 100,
        "detail frame took {per_frame:?}"
    );
}
