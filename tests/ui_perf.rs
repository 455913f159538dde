//! Frame-time measurements of the TUI (ignored by default; run them in release):
//! `cargo test --release --test ui_perf -- --ignored --nocapture`.
//! They time `update` plus a full draw at 200×50, key press by key press, and print the
//! median and 99th percentile. The hub is the in-memory fake, so this is the UI's own cost.

mod ui_support;

use std::time::{Duration, Instant};

use switchboard::ui::keys::parse_sequence;
use switchboard::ui::msg::Msg;
use ui_support::*;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn time_keys(label: &str, width: u16, height: u16, sequence: &str, rounds: usize) {
    let mut hub = FakeHub::new(sample_items(2_000));
    let mut app = started(width, height, &mut hub);
    let chords = parse_sequence(sequence).unwrap();
    let mut terminal = draw(&app);
    let mut samples = Vec::with_capacity(rounds * chords.len());
    for _ in 0..rounds {
        for chord in &chords {
            let start = Instant::now();
            send(&mut app, &mut hub, Msg::Key(*chord));
            terminal
                .draw(|frame| switchboard::ui::view::draw(&app, frame))
                .unwrap();
            samples.push(start.elapsed());
        }
    }
    let p50 = percentile(&mut samples, 0.5);
    let p99 = percentile(&mut samples, 0.99);
    println!(
        "{label} {width}x{height}: {} frames, p50 {p50:?}, p99 {p99:?}",
        samples.len()
    );
}

#[test]
#[ignore]
fn frame_times() {
    time_keys("move down/up", 200, 50, "j j j j j k k k k k", 100);
    time_keys("page down/up", 200, 50, "ctrl-d ctrl-d ctrl-u ctrl-u", 100);
    time_keys("open/close detail", 200, 50, "enter esc j", 100);
    time_keys("move down/up", 80, 24, "j j j j j k k k k k", 100);
    let mut hub = FakeHub::new(sample_items(2_000));
    let mut app = started(200, 50, &mut hub);
    let mut terminal = draw(&app);
    let start = Instant::now();
    for _ in 0..1_000 {
        terminal
            .draw(|frame| switchboard::ui::view::draw(&app, frame))
            .unwrap();
    }
    println!("draw only 200x50: {:?} per frame", start.elapsed() / 1_000);
    keys(&mut app, &mut hub, "/");
    type_text(&mut app, &mut hub, "refund");
    let start = Instant::now();
    for _ in 0..1_000 {
        terminal
            .draw(|frame| switchboard::ui::view::draw(&app, frame))
            .unwrap();
    }
    println!(
        "draw find results 200x50: {:?} per frame",
        start.elapsed() / 1_000
    );
}
