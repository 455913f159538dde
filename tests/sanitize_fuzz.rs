//! Randomized properties of the sanitizer over texts stitched from hostile fragments, and
//! ignored timing measurements of the helpers the views call every frame.

use std::hint::black_box;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use switchboard::ui::sanitize::{display_width, one_line, pad_to, sanitize, wrap, wrap_max};

const FRAGMENTS: &[&str] = &[
    "word",
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\u{1b}",
    "\u{1b}[",
    "31m",
    "\u{1b}]0;",
    "\u{7}",
    "\u{1b}\\",
    "\u{9b}",
    "\u{9c}",
    "\u{9d}",
    "\u{90}",
    "\u{85}",
    "\u{0}",
    "\u{8}",
    "\u{7f}",
    "日本",
    "語",
    "é",
    "e\u{301}",
    "\u{301}",
    "\u{302}\u{303}",
    "👨\u{200d}👩",
    "❤\u{fe0f}",
    "🇫🇷",
    "👍🏽",
    "\u{202e}",
    "\u{2066}",
    "\u{200b}",
    "\u{2028}",
    "طلب",
    "\u{e0041}",
    "\u{1161}",
    "ｶﾞ",
    "…",
    "long-unbroken-token-without-spaces",
    "a",
];

fn random_text(rng: &mut ChaCha8Rng) -> String {
    let n = rng.gen_range(0..24);
    (0..n)
        .map(|_| FRAGMENTS[rng.gen_range(0..FRAGMENTS.len())])
        .collect()
}

/// What `one_line` skips at the start of a line: whitespace and zero-width characters, which
/// ratatui would not draw anyway.
fn blank(c: char) -> bool {
    c.is_whitespace() || display_width(c.encode_utf8(&mut [0; 4])) == 0
}

fn has_raw_control(s: &str) -> bool {
    s.chars()
        .any(|c| (c.is_control() && c != '\n') || c == '\u{1b}')
}

#[test]
fn random_hostile_texts_keep_every_promise() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for _ in 0..8_000 {
        let text = random_text(&mut rng);
        let clean = sanitize(&text);
        assert!(!has_raw_control(&clean), "{text:?} -> {clean:?}");
        assert_eq!(
            sanitize(&clean),
            clean,
            "sanitizing twice changes nothing: {text:?}"
        );

        let cols = rng.gen_range(1..30);
        let line = one_line(&text, cols);
        assert!(display_width(&line) <= cols, "{text:?} in {cols}: {line:?}");
        assert!(!line.contains('\n'), "{text:?}");
        let first_visible = clean
            .split('\n')
            .map(|l| l.trim_start_matches(blank).trim_end())
            .find(|l| !l.is_empty())
            .unwrap_or("");
        if !line.ends_with('…') {
            assert_eq!(line, first_visible, "{text:?}");
        }
        assert_eq!(display_width(&pad_to(&text, cols)), cols, "{text:?}");

        let rows = wrap(&text, cols);
        for row in &rows {
            assert!(display_width(row) <= cols, "{text:?} at {cols}: {row:?}");
            assert!(!has_raw_control(row), "{text:?}");
        }
        let max = rng.gen_range(1..5);
        let bounded = wrap_max(&text, cols, max);
        assert_eq!(bounded.lines, rows[..rows.len().min(max)], "{text:?}");
        assert_eq!(bounded.truncated, rows.len() > max, "{text:?} {rows:?}");
    }
}

fn time<R>(label: &str, runs: u32, mut f: impl FnMut() -> R) {
    let start = Instant::now();
    for _ in 0..runs {
        black_box(f());
    }
    println!("{label:50} {:>10.2?} per call", start.elapsed() / runs);
}

#[test]
#[ignore = "timing: cargo test --release --test sanitize_fuzz -- --ignored --nocapture"]
fn helpers_on_a_megabyte_cost_microseconds() {
    let spam = "spam ".repeat(200_000);
    let one_mb_line = "x".repeat(1_000_000);
    let unterminated_osc = format!("\u{1b}]0;{one_mb_line}");
    let many_lines = "line of text\n".repeat(80_000);
    let cjk = "注文がまだ届きません。".repeat(35_000);
    time("one_line(1 MB of words, 80)", 1000, || one_line(&spam, 80));
    time("one_line(1 MB single token, 80)", 1000, || {
        one_line(&one_mb_line, 80)
    });
    time("one_line(1 MB CJK, 80)", 1000, || one_line(&cjk, 80));
    time("wrap_max(1 MB of words, 80, 40)", 200, || {
        wrap_max(&spam, 80, 40)
    });
    time("wrap_max(1 MB of short lines, 80, 40)", 200, || {
        wrap_max(&many_lines, 80, 40)
    });
    time("one_line(1 MB unterminated OSC, 80) [worst]", 20, || {
        one_line(&unterminated_osc, 80)
    });
    time("sanitize(1 MB of words) [borrowed]", 20, || {
        sanitize(&spam).len()
    });
    time("sanitize(1 MB CJK) [borrowed]", 20, || sanitize(&cjk).len());
    time("wrap(1 MB of words, 80)", 5, || wrap(&spam, 80).len());
}
