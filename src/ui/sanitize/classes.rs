//! Which code points may reach the terminal, and what stands in for those that may not.
//!
//! The lists are explicit ranges rather than a Unicode property crate, so a reviewer can read
//! exactly what is dropped: every Default_Ignorable_Code_Point (Unicode 16), which covers the
//! bidi controls, zero-width characters, Hangul fillers, variation selectors and tag
//! characters, plus the interlinear annotation controls and the emoji skin-tone modifiers.

use unicode_width::UnicodeWidthChar;

/// Code points removed without a trace: they draw nothing by design, so keeping them can only
/// hide text (zero-width), reorder it (bidi), or make terminals disagree on widths (joiners,
/// variation selectors, skin tones).
const INVISIBLE: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),   // soft hyphen
    ('\u{034F}', '\u{034F}'),   // combining grapheme joiner
    ('\u{061C}', '\u{061C}'),   // Arabic letter mark (bidi)
    ('\u{115F}', '\u{1160}'),   // Hangul choseong / jungseong fillers
    ('\u{17B4}', '\u{17B5}'),   // Khmer inherent vowels
    ('\u{180B}', '\u{180F}'),   // Mongolian variation selectors, vowel separator
    ('\u{200B}', '\u{200F}'),   // ZWSP, ZWNJ, ZWJ, LRM, RLM
    ('\u{202A}', '\u{202E}'),   // bidi embeddings and overrides
    ('\u{2060}', '\u{206F}'),   // word joiner, invisible operators, bidi isolates, deprecated
    ('\u{3164}', '\u{3164}'),   // Hangul filler
    ('\u{FE00}', '\u{FE0F}'),   // variation selectors
    ('\u{FEFF}', '\u{FEFF}'),   // zero-width no-break space (BOM)
    ('\u{FFA0}', '\u{FFA0}'),   // halfwidth Hangul filler
    ('\u{FFF0}', '\u{FFFB}'),   // unassigned specials, interlinear annotation
    ('\u{1BCA0}', '\u{1BCA3}'), // shorthand format controls
    ('\u{1D173}', '\u{1D17A}'), // musical symbol format controls
    ('\u{1F3FB}', '\u{1F3FF}'), // emoji skin-tone modifiers
    ('\u{E0000}', '\u{E0FFF}'), // tags, variation selectors supplement
];

/// Whether `c` is dropped as invisible (see [`INVISIBLE`]).
pub(super) fn is_invisible(c: char) -> bool {
    let cp = c as u32;
    // Everything below U+00AD is either visible or a control handled elsewhere.
    cp >= 0xAD
        && INVISIBLE
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    std::cmp::Ordering::Less
                } else if lo > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

/// Paragraph and line separators: shown as line breaks.
pub(super) fn is_line_separator(c: char) -> bool {
    matches!(c, '\n' | '\u{2028}' | '\u{2029}')
}

/// 8-bit C1 controls, U+0080–U+009F.
pub(super) fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9F}').contains(&c)
}

/// A character that draws nothing of its own but attaches to the one before: combining
/// marks, Hangul medial and final jamo. Capped per base character against "Zalgo" text.
pub(super) fn is_mark(c: char) -> bool {
    !c.is_ascii() && c.width() == Some(0)
}

/// What a stray C0 control or DEL shows as: its Control Pictures glyph (`␇` for BEL, `␡` for
/// DEL), one column wide, so the reader sees that something was there.
pub(super) fn control_picture(c: char) -> char {
    match c {
        '\u{7F}' => '\u{2421}',
        c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
        _ => '\u{FFFD}',
    }
}

/// What a stray C1 control shows as (Unicode has no pictures for them).
pub(super) const REPLACEMENT: char = '\u{FFFD}';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_sorted_and_disjoint_for_the_binary_search() {
        for pair in INVISIBLE.windows(2) {
            assert!(pair[0].0 <= pair[0].1 && pair[0].1 < pair[1].0, "{pair:?}");
        }
    }

    #[test]
    fn classifies_edges_of_ranges() {
        for c in [
            '\u{AD}',
            '\u{200B}',
            '\u{202E}',
            '\u{2069}',
            '\u{FE0F}',
            '\u{E007F}',
        ] {
            assert!(is_invisible(c), "{:04X}", c as u32);
        }
        for c in [
            'a',
            '\u{AC}',
            '\u{200A}',
            '\u{2030}',
            '\u{FE10}',
            '\u{1F3FA}',
            'é',
        ] {
            assert!(!is_invisible(c), "{:04X}", c as u32);
        }
    }

    #[test]
    fn pictures_for_controls() {
        assert_eq!(control_picture('\u{0}'), '␀');
        assert_eq!(control_picture('\u{7}'), '␇');
        assert_eq!(control_picture('\u{1B}'), '␛');
        assert_eq!(control_picture('\u{7F}'), '␡');
    }

    #[test]
    fn marks_are_zero_width_attachments() {
        assert!(is_mark('\u{301}'));
        assert!(is_mark('\u{1161}'));
        assert!(!is_mark('e'));
        assert!(!is_mark('日'));
    }
}
