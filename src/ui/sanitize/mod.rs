//! The untrusted-text sanitizer: every string from a platform passes through here before it
//! reaches the terminal. The store keeps text exactly as received; this module decides what
//! the screen shows, and measures it so views can lay it out.
//!
//! What never reaches the output, and what stands in for it:
//!
//! | input | shown as | why |
//! |---|---|---|
//! | escape sequences (CSI, OSC, DCS, SOS, PM, APC, `ESC x`, and 8-bit CSI/OSC/DCS/…), payload included | nothing | colour codes are common noise in pasted text; titles, clipboard writes and hyperlinks must not act, and showing each would clutter the text |
//! | other C0 controls (BEL, BS, NUL, …) and DEL | their Control Pictures glyph (`␇`, `␈`, `␀`, `␡`) | a visible, one-column hint that the sender put something odd there |
//! | other 8-bit C1 controls (U+0080–U+009F) | `�` | same, and Unicode has no pictures for them |
//! | `\r` | nothing (`\r\n` is a line break) | a lone CR would let a line overwrite itself |
//! | `\n`, U+2028, U+2029 | a line break | |
//! | `\t` | spaces to the next multiple of 4 columns | a tab's width is up to the terminal |
//! | bidi controls, zero-width and other default-ignorable characters, tag characters, variation selectors, emoji skin-tone modifiers | nothing | they draw nothing themselves; kept, they hide, reorder or misalign text |
//! | a third and further combining mark on one base character | nothing | "Zalgo" text that paints over neighbouring lines |
//!
//! Emoji: with ZWJ, variation selectors and skin-tone modifiers removed, `👨‍👩‍👧‍👦`
//! becomes `👨👩👧👦` and `❤️` becomes `❤`. Terminals disagree on joined sequences: some draw
//! one 2-column glyph, some draw every part, some count widths per code point, so a joined
//! emoji can take 2, 8 or 11 columns depending on the terminal and every column after it
//! shifts. A lone emoji is 2 columns (and `❤` without its selector 1) in every terminal and in
//! ratatui's own count, so the views stay aligned everywhere; the reader still sees each
//! person of the family. Flags (pairs of regional indicators) are 2 columns everywhere and kept.
//!
//! Widths are ratatui's own (unicode-width per grapheme), all layout is grapheme-aware, and
//! the one-line and bounded wrap helpers read only as much of the text as they can show.

mod classes;
mod clean;
mod lines;
mod wrap;

use std::borrow::Cow;

pub use clean::{Cleaner, MAX_MARKS_PER_BASE};
pub use lines::{grapheme_width, TAB_STOP};

use lines::{cells, expand_tabs, expand_tabs_from, line_width, Ending, Lines};
use wrap::{wrap_line, Rows};

/// What [`one_line`] and [`pad_to`] put where text was cut.
pub const ELLIPSIS: char = '…';

/// The whole text, safe to draw: lines separated by `\n`, tabs expanded, nothing hidden or
/// active left (see the module docs). Borrows when the text needs no change.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if is_plain_ascii(text) || (!text.contains('\t') && Cleaner::new(text).eq(text.chars())) {
        return Cow::Borrowed(text);
    }
    let cleaned: String = Cleaner::new(text).collect();
    if !cleaned.contains('\t') {
        return Cow::Owned(cleaned);
    }
    let lines: Vec<Cow<str>> = cleaned.split('\n').map(expand_tabs).collect();
    Cow::Owned(lines.join("\n"))
}

fn is_plain_ascii(text: &str) -> bool {
    text.bytes()
        .all(|b| (b' '..=b'~').contains(&b) || b == b'\n')
}

/// The first line with something visible on it, sanitized, trimmed, and cut to at most
/// `max_cols` columns with `…` when it is longer (or when the line had to be cut). Reads only
/// about `2 × max_cols` characters of that line, so it is cheap on a huge text.
pub fn one_line(text: &str, max_cols: usize) -> String {
    if max_cols == 0 {
        return String::new();
    }
    let budget = max_cols.saturating_mul(2).saturating_add(8);
    let mut lines = Lines::new(text);
    let mut buf = String::new();
    loop {
        buf.clear();
        let Some(ending) = lines.read(&mut buf, Some(budget), true) else {
            return String::new();
        };
        if !buf.is_empty() {
            let line = expand_tabs_from(&buf, lines.skipped_columns());
            return fit(&line, max_cols, ending == Ending::Cut);
        }
    }
}

/// Like [`one_line`], but the visible lines run on, joined by a space, until `max_cols` are
/// filled, runs of spaces folded to one: a message that opens with a lone "Hello," still
/// shows what it is about. Reads only
/// about `2 × max_cols` characters, so it is cheap on a huge text.
pub fn flat_line(text: &str, max_cols: usize) -> String {
    if max_cols == 0 {
        return String::new();
    }
    let budget = max_cols.saturating_mul(2).saturating_add(8);
    let mut lines = Lines::new(text);
    let mut joined = String::new();
    let mut buf = String::new();
    let mut cut = false;
    while joined.chars().count() < budget {
        buf.clear();
        let Some(ending) = lines.read(&mut buf, Some(budget), true) else {
            break;
        };
        if buf.is_empty() {
            continue;
        }
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(&expand_tabs_from(&buf, lines.skipped_columns()));
        cut = ending == Ending::Cut;
        if cut {
            break;
        }
    }
    let folded: Vec<&str> = joined.split_whitespace().collect();
    fit(&folded.join(" "), max_cols, cut)
}

/// Cuts one clean line to `max_cols`, ending with `…` when anything is left out.
fn fit(line: &str, max_cols: usize, more: bool) -> String {
    let mut out = String::with_capacity(line.len().min(max_cols * 4));
    let mut width = 0;
    let mut ellipsis_at = None; // where the text must stop to leave room for `…`
    for (g, w) in cells(line) {
        if ellipsis_at.is_none() && width + w >= max_cols {
            ellipsis_at = Some(out.len());
        }
        if width + w > max_cols {
            return ellipsize(out, ellipsis_at.unwrap_or(0));
        }
        out.push_str(g);
        width += w;
    }
    if more {
        let at = ellipsis_at.unwrap_or(out.len());
        return ellipsize(out, at);
    }
    out.truncate(out.trim_end().len());
    out
}

fn ellipsize(mut out: String, at: usize) -> String {
    out.truncate(at);
    out.truncate(out.trim_end().len());
    out.push(ELLIPSIS);
    out
}

/// The sanitized lines of a text wrapped to `width` columns (see [`wrap_max`]).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_max(text, width, usize::MAX).lines
}

/// Rows of wrapped text, and whether some of the text did not fit in them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wrapped {
    pub lines: Vec<String>,
    pub truncated: bool,
}

/// The first `max_lines` rows of the sanitized text wrapped to `width` columns: breaks at
/// whitespace when possible, never inside a grapheme, and moves a wide character that would
/// straddle the edge to the next row. Empty lines are kept. Reads only about as much of the
/// text as the rows can show.
pub fn wrap_max(text: &str, width: usize, max_lines: usize) -> Wrapped {
    let mut lines = Lines::new(text);
    let mut buf = String::new();
    if width == 0 || max_lines == 0 {
        let truncated = lines.read(&mut buf, Some(1), false).is_some();
        return Wrapped {
            lines: Vec::new(),
            truncated,
        };
    }
    let mut rows = Rows::new(max_lines);
    let mut cut = false;
    while !rows.is_full() {
        buf.clear();
        let remaining = max_lines - rows.rows.len();
        // Three times the columns shown: enough even when every row breaks early at a space.
        let budget = remaining
            .saturating_mul(width)
            .saturating_mul(3)
            .saturating_add(16);
        let Some(ending) = lines.read(&mut buf, Some(budget), false) else {
            break;
        };
        wrap_line(&expand_tabs(&buf), width, &mut rows);
        if ending == Ending::Cut {
            cut = true;
            break;
        }
    }
    buf.clear();
    let more_lines = rows.is_full() && lines.read(&mut buf, Some(1), false).is_some();
    Wrapped {
        truncated: rows.overflowed || cut || more_lines,
        lines: rows.rows,
    }
}

/// The columns the sanitized text takes: the width of its widest line.
pub fn display_width(text: &str) -> usize {
    sanitize(text)
        .split('\n')
        .map(line_width)
        .max()
        .unwrap_or(0)
}

/// [`one_line`] padded with spaces to exactly `cols` columns: for table cells.
pub fn pad_to(text: &str, cols: usize) -> String {
    let mut line = one_line(text, cols);
    let width = line_width(&line);
    line.extend(std::iter::repeat_n(' ', cols.saturating_sub(width)));
    line
}

#[cfg(test)]
mod flat_tests {
    use super::flat_line;

    #[test]
    fn lines_run_on_until_the_width_is_filled() {
        assert_eq!(
            flat_line("Hello,\n\nmy order\tis late", 40),
            "Hello, my order is late"
        );
        assert_eq!(
            flat_line("Bonjour,\nje travaille pour un journal", 20),
            "Bonjour, je travail…"
        );
        assert_eq!(flat_line("a\u{1b}[2J\nb", 10), "a b");
        assert_eq!(flat_line("", 10), "");
        let huge = "word ".repeat(200_000) + "\n";
        assert_eq!(flat_line(&huge, 12).chars().count(), 12);
    }
}
