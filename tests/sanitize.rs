//! The sanitizer against the hostile-text corpus, every forbidden code point, and the width
//! rules the views depend on.

use std::borrow::Cow;

use serde::Deserialize;
use switchboard::ui::sanitize::{
    display_width, one_line, pad_to, sanitize, wrap, wrap_max, Wrapped,
};

#[derive(Deserialize)]
struct Case {
    name: String,
    text: String,
}

fn corpus() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/fixtures/hostile-text.json"
    );
    let json = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&json).unwrap()
}

fn corpus_text(name: &str) -> String {
    corpus()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no corpus case {name}"))
        .text
}

/// The code points that must never be drawn, written out independently of the sanitizer.
fn forbidden(c: char) -> bool {
    let cp = c as u32;
    (cp < 0x20 && c != '\n')
        || (0x7F..=0x9F).contains(&cp)
        || matches!(
            cp,
            0x200E | 0x200F | 0x061C | 0x202A..=0x202E | 0x2066..=0x2069 // bidi
            | 0x200B..=0x200D | 0x2060..=0x2064 | 0xFEFF | 0x180E | 0x00AD | 0x034F
            | 0x115F | 0x1160 | 0x3164 | 0xFFA0 | 0xFFF9..=0xFFFB // invisible
            | 0xE0000..=0xE007F | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF // tags, selectors
            | 0x2028 | 0x2029
        )
}

#[track_caller]
fn assert_clean(shown: &str, context: &str) {
    if let Some(c) = shown.chars().find(|&c| forbidden(c)) {
        panic!(
            "U+{:04X} reached the output of {context}: {shown:?}",
            c as u32
        );
    }
}

#[test]
fn no_corpus_case_leaks_a_forbidden_code_point() {
    let cases = corpus();
    assert!(cases.len() >= 17);
    for case in &cases {
        assert_clean(&sanitize(&case.text), &case.name);
        assert_clean(&one_line(&case.text, 30), &case.name);
        for row in wrap(&case.text, 12) {
            assert_clean(&row, &case.name);
            assert!(display_width(&row) <= 12, "{}: {row:?}", case.name);
        }
        assert_eq!(display_width(&pad_to(&case.text, 17)), 17, "{}", case.name);
    }
}

#[test]
fn corpus_cases_show_the_expected_text() {
    let expected = [
        ("csi-colors", "URGENT refund please"),
        ("csi-clear-screen", "Bonjourvotre colis est perdu"),
        ("osc-window-title", "hi  there"),
        ("osc-52-clipboard", "copy me  ok"),
        ("osc-8-hyperlink-spoof", "https://brand.example/help"),
        ("c1-csi", "eight-bit  CSI"),
        ("bell-backspace-cr", "Merci␇␇ pour rien␈␈␈␈FAKE LINE"),
        ("bidi-override", "refund SI REDRO RUOY now"),
        ("bidi-isolates", "admin says hello"),
        ("zero-width", "password"),
        ("emoji-zwj", "famille 👨👩👧👦 drapeau 🇫🇷 ❤"),
        (
            "combining-zalgo",
            "h\u{335}\u{321}e\u{336}\u{327}l\u{334}\u{31b}p\u{338}\u{328}",
        ),
        (
            "tabs-and-newlines",
            "col1    col2    col3\nline two\nline three",
        ),
        ("nul-and-del", "a␀b␡c"),
    ];
    for (name, shown) in expected {
        assert_eq!(sanitize(&corpus_text(name)), shown, "{name}");
    }
    for name in ["cjk-wide", "arabic-rtl", "very-long-line"] {
        let text = corpus_text(name);
        assert!(matches!(sanitize(&text), Cow::Borrowed(_)), "{name}");
    }
}

#[test]
fn every_forbidden_code_point_is_removed_or_replaced() {
    let mut checked = 0;
    for c in (0..=0x10FFFF)
        .filter_map(char::from_u32)
        .filter(|&c| forbidden(c))
    {
        let text = format!("a{c}b{c}");
        let context = format!("U+{:04X}", c as u32);
        assert_clean(&sanitize(&text), &context);
        assert_clean(&one_line(&text, 10), &context);
        assert_clean(&wrap(&text, 10).concat(), &context);
        checked += 1;
    }
    assert!(checked > 450, "{checked}");
}

#[test]
fn no_scalar_value_anywhere_leaks_through() {
    let mut text = String::new();
    for (i, c) in (0..=0x10FFFF).filter_map(char::from_u32).enumerate() {
        text.push(c);
        if i % 4096 == 4095 {
            assert_clean(&sanitize(&text), "a block of scalar values");
            text.clear();
        }
    }
    assert_clean(&sanitize(&text), "the last block");
}

#[test]
fn escape_payloads_vanish_with_their_sequence() {
    let text = "a\u{1b}]52;c;c2VjcmV0\u{7}b\u{1b}P1$r0m\u{1b}\\c\u{9d}8;;http://x\u{9c}d";
    assert_eq!(sanitize(text), "abcd");
    assert_eq!(sanitize("one\u{1b}]0;unterminated title\ntwo"), "one\ntwo");
}

#[test]
fn zalgo_keeps_two_marks_per_base() {
    let zalgo = format!("Z{}a{}", "\u{301}".repeat(50), "\u{300}\u{316}\u{317}");
    assert_eq!(sanitize(&zalgo), "Z\u{301}\u{301}a\u{300}\u{316}");
    assert_eq!(sanitize("Vie\u{323}\u{302}t"), "Vie\u{323}\u{302}t");
}

#[test]
fn clean_text_is_borrowed() {
    for text in [
        "plain ascii\nlines",
        "déjà vu",
        "日本語",
        "🙂 ok",
        "e\u{301}",
    ] {
        assert!(matches!(sanitize(text), Cow::Borrowed(_)), "{text}");
    }
    assert!(matches!(sanitize("tab\there"), Cow::Owned(_)));
}

#[test]
fn widths_of_cjk_rtl_and_emoji() {
    assert_eq!(display_width("注文が"), 6);
    assert_eq!(display_width("طلبي لم"), 7);
    assert_eq!(display_width("👨‍👩‍👧"), 6, "joined family draws as three emoji");
    assert_eq!(display_width("❤️"), 1, "heart without its selector");
    assert_eq!(display_width("👍🏽"), 2, "thumbs up without its skin tone");
    assert_eq!(display_width("🇫🇷"), 2);
    assert_eq!(display_width("e\u{301}\u{302}"), 1);
    assert_eq!(display_width("short\nmuch longer line"), 16);
    assert_eq!(display_width("a\tb"), 5);
    assert_eq!(display_width(""), 0);
}

#[test]
fn pad_to_aligns_columns_of_mixed_scripts() {
    let names = [
        "Claire",
        "注文がまだ届きません",
        "طلبي لم يصل",
        "👨‍👩‍👧‍👦 family",
        "e\u{301}e\u{301}",
    ];
    for cols in [1, 2, 3, 7, 10, 11, 40] {
        for name in names {
            let cell = pad_to(name, cols);
            assert_eq!(display_width(&cell), cols, "{name:?} in {cols}: {cell:?}");
        }
    }
    assert_eq!(pad_to("Claire", 8), "Claire  ");
    assert_eq!(pad_to("注文がまだ", 5), "注文…");
    assert_eq!(pad_to("注文がまだ", 6), "注文… ");
}

#[test]
fn one_line_takes_the_first_visible_line_and_truncates() {
    assert_eq!(
        one_line("\n  \n\u{200b}\n  Hello there  \nsecond", 40),
        "Hello there"
    );
    assert_eq!(one_line("Hello there", 8), "Hello t…");
    assert_eq!(one_line("Hello there", 7), "Hello…");
    assert_eq!(one_line("Hello there", 11), "Hello there");
    assert_eq!(one_line("Hello there", 1), "…");
    assert_eq!(one_line("Hello there", 0), "");
    assert_eq!(one_line("注文がまだ届きません", 7), "注文が…");
    assert_eq!(one_line("\u{1b}[31m\u{1b}[0m\nred", 10), "red");
    assert_eq!(one_line("", 10), "");
    assert_eq!(one_line("\t\tindented\tword", 20), "indented    word");
}

#[test]
fn one_line_on_a_megabyte_is_correct() {
    let huge = "spam ".repeat(200_000) + "\nsecond line";
    assert_eq!(huge.len(), 1_000_012);
    let shown = one_line(&huge, 24);
    assert_eq!(shown, "spam spam spam spam spa…");
    assert_eq!(display_width(&shown), 24);
    let hostile = "\u{1b}]0;".to_string() + &"x".repeat(1_000_000);
    assert_eq!(one_line(&hostile, 10), "");
    let combining = "e".to_string() + &"\u{301}".repeat(500_000);
    assert_eq!(one_line(&combining, 10), "e\u{301}\u{301}");
}

#[test]
fn wrap_breaks_at_spaces_and_never_inside_graphemes() {
    assert_eq!(wrap("the quick brown fox", 10), ["the quick", "brown fox"]);
    assert_eq!(
        wrap("  indented text here", 10),
        ["  indented", "text here"]
    );
    assert_eq!(wrap("a\n\nb", 5), ["a", "", "b"]);
    assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    assert_eq!(wrap("ab 日本語", 5), ["ab 日", "本語"]);
    assert_eq!(wrap("abcd日本", 5), ["abcd", "日本"]);
    assert_eq!(wrap("a日本語", 4), ["a日", "本語"]);
    assert_eq!(
        wrap("e\u{301}e\u{301}e\u{301}", 2),
        ["e\u{301}e\u{301}", "e\u{301}"]
    );
    assert_eq!(wrap("日本", 1), ["…", "…"]);
    assert_eq!(wrap("x", 0), Vec::<String>::new());
    assert_eq!(wrap("", 10), Vec::<String>::new());
    assert_eq!(wrap("col1\tcol2", 20), ["col1    col2"]);
}

#[test]
fn wrapped_rows_fit_in_every_width() {
    for case in corpus() {
        for width in 1..=30 {
            for row in wrap(&case.text, width) {
                assert!(
                    display_width(&row) <= width,
                    "{} at {width}: {row:?}",
                    case.name
                );
            }
        }
    }
}

#[test]
fn wrap_max_stops_early_and_says_so() {
    let text = "one two three four five six";
    assert_eq!(
        wrap_max(text, 9, 2),
        Wrapped {
            lines: vec!["one two".into(), "three".into()],
            truncated: true
        }
    );
    assert!(!wrap_max(text, 9, 10).truncated);
    assert!(wrap_max("a\nb", 5, 1).truncated);
    assert!(!wrap_max("a\n", 5, 1).truncated);
    let huge = "word ".repeat(200_000);
    let shown = wrap_max(&huge, 20, 3);
    assert_eq!(
        shown.lines,
        [
            "word word word word",
            "word word word word",
            "word word word word"
        ]
    );
    assert!(shown.truncated);
}
