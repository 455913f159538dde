//! Snapshots of the main screens at 80×24 and 120×40 (queue, detail, help, palette, find
//! with highlights, which-key), and the colour modes.

mod ui_support;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use switchboard::ui::app::App;
use switchboard::ui::msg::Msg;
use switchboard::ui::ColorMode;
use ui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn each_size(name: &str, setup: impl Fn(&mut App, &mut FakeHub)) {
    for (width, height) in SIZES {
        let mut hub = FakeHub::new(sample_items(40));
        let mut app = started(width, height, &mut hub);
        setup(&mut app, &mut hub);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), screen(&app));
    }
}

#[test]
fn queue_screen() {
    each_size("queue", |app, hub| keys(app, hub, "j j x j"));
}

#[test]
fn detail_pane() {
    each_size("detail", |app, hub| {
        let id = app.queue.items[1].id;
        // A note and a long text, to see notes and wrapping.
        let item = hub.items.iter_mut().find(|i| i.id == id).unwrap();
        item.text = format!(
            "{}\n\nSecond paragraph: {}",
            item.text,
            "the parcel tracking says delivered but nothing arrived. ".repeat(3)
        );
        keys(app, hub, "j n");
        type_text(app, hub, "called the carrier, waiting");
        keys(app, hub, "enter enter");
    });
}

#[test]
fn help_overlay() {
    each_size("help", |app, hub| keys(app, hub, "?"));
}

#[test]
fn help_overlay_scrolled_in_the_detail() {
    each_size("help_detail", |app, hub| keys(app, hub, "enter ? ctrl-d"));
}

#[test]
fn palette() {
    each_size("palette", |app, hub| {
        keys(app, hub, ":");
        type_text(app, hub, "res");
    });
}

#[test]
fn find_results() {
    each_size("find", |app, hub| {
        keys(app, hub, "/");
        type_text(app, hub, "refund");
    });
}

#[test]
fn which_key_popup() {
    each_size("which_key", |app, hub| keys(app, hub, "space"));
}

#[test]
fn prompt_with_completion_and_filter_bar() {
    each_size("tag_prompt", |app, hub| {
        keys(app, hub, "t");
        type_text(app, hub, "r");
    });
    each_size("filtered", |app, hub| {
        keys(app, hub, "f");
        type_text(app, hub, "platform:youtube");
        keys(app, hub, "enter");
    });
}

/// Cells (x, y) whose style has all of `modifier`.
fn cells_with(buffer: &Buffer, modifier: Modifier) -> Vec<(u16, u16, String)> {
    let area = buffer.area;
    let mut out = Vec::new();
    for y in 0..area.height {
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            if cell.modifier.contains(modifier) {
                out.push((x, y, cell.symbol().to_string()));
            }
        }
    }
    out
}

#[test]
fn find_highlights_exactly_the_matched_characters() {
    let mut hub = FakeHub::new(sample_items(40));
    let mut app = started(80, 24, &mut hub);
    keys(&mut app, &mut hub, "/");
    type_text(&mut app, &mut hub, "zipper");
    let terminal = draw(&app);
    // Inside the find window (the status bar underlines a breached SLA the same way).
    let highlighted: Vec<_> = cells_with(
        terminal.backend().buffer(),
        Modifier::UNDERLINED | Modifier::BOLD,
    )
    .into_iter()
    .filter(|(_, y, _)| (1..22).contains(y))
    .collect();
    let rows: std::collections::BTreeSet<u16> = highlighted.iter().map(|(_, y, _)| *y).collect();
    assert!(rows.len() >= 2, "{highlighted:?}");
    for row in rows {
        let word: String = highlighted
            .iter()
            .filter(|(_, y, _)| *y == row)
            .map(|(_, _, s)| s.as_str())
            .collect();
        assert_eq!(word, "zipper", "row {row}");
    }
}

#[test]
fn no_color_means_no_colours_and_basic_means_sixteen() {
    for (mode, check) in [
        (
            ColorMode::None,
            (|c: Color| c == Color::Reset) as fn(Color) -> bool,
        ),
        (ColorMode::Basic, |c: Color| {
            !matches!(c, Color::Indexed(_) | Color::Rgb(..))
        }),
    ] {
        let mut hub = FakeHub::new(sample_items(40));
        let mut app = started(120, 40, &mut hub);
        app.theme = switchboard::ui::theme::Theme::new(mode);
        keys(&mut app, &mut hub, "x enter");
        let terminal = draw(&app);
        let buffer = terminal.backend().buffer();
        for cell in &buffer.content {
            assert!(check(cell.fg) && check(cell.bg), "{mode:?}: {cell:?}");
        }
        // The cursor row stays visible without colour.
        if mode == ColorMode::None {
            assert!(!cells_with(buffer, Modifier::REVERSED).is_empty());
        }
    }
}

#[test]
fn tiny_and_resized_terminals_do_not_break() {
    let mut hub = FakeHub::new(sample_items(40));
    let mut app = started(80, 24, &mut hub);
    for (width, height) in [(20, 4), (30, 6), (200, 60), (80, 24)] {
        send(&mut app, &mut hub, Msg::Resize { width, height });
        let text = screen(&app);
        assert_eq!(text.lines().count(), usize::from(height));
    }
    keys(&mut app, &mut hub, "G");
    assert_eq!(app.queue.cursor, 39);
    assert!(app.queue.scroll + app.queue.rows > 39);
}
