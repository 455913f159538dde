//! Reading cleaned text one line at a time, and measuring it.
//!
//! Widths are those ratatui itself uses when it draws a string (`CellWidth`: unicode-width per
//! grapheme, zero-width graphemes skipped), so what these helpers measure is what the buffer
//! draws. A line can be read with a column budget: a 1 MB line then costs only the few hundred
//! characters the caller can show.

use std::borrow::Cow;

use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

use super::clean::Cleaner;

/// Tabs stop at every multiple of this many columns.
pub const TAB_STOP: usize = 4;

const SPACES: &str = "    ";

/// How a line read from a [`Lines`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ending {
    /// At a line break or at the end of the text: the line is whole.
    Whole,
    /// The column budget ran out: more of the line follows.
    Cut,
}

/// The cleaned lines of a text, read lazily.
pub(super) struct Lines<'a> {
    cleaner: Cleaner<'a>,
    /// The columns of the blank start skipped from the last line read.
    skipped_columns: usize,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Lines<'a> {
        Lines {
            cleaner: Cleaner::new(text),
            skipped_columns: 0,
        }
    }

    /// Appends the next line to `buf` (which the caller cleared), without its line break.
    /// With a budget, stops once the characters read would take that many columns; the last
    /// grapheme read is then left out, since its combining marks may not have been read yet.
    /// With `skip_blank_start`, leading whitespace and zero-width characters are skipped (and
    /// [`Lines::skipped_columns`] says how wide they were). Returns `None` when no line is left.
    pub(super) fn read(
        &mut self,
        buf: &mut String,
        budget: Option<usize>,
        skip_blank_start: bool,
    ) -> Option<Ending> {
        let mut columns = 0usize;
        let mut read_any = false;
        self.skipped_columns = 0;
        for c in self.cleaner.by_ref() {
            read_any = true;
            if c == '\n' {
                return Some(Ending::Whole);
            }
            if skip_blank_start && buf.is_empty() && is_blank(c) {
                self.skipped_columns += match c {
                    '\t' => TAB_STOP - self.skipped_columns % TAB_STOP,
                    c => c.width().unwrap_or(0),
                };
                continue;
            }
            buf.push(c);
            columns += char_columns(c);
            if budget.is_some_and(|b| columns >= b) {
                drop_last_grapheme(buf);
                return Some(Ending::Cut);
            }
        }
        read_any.then_some(Ending::Whole)
    }

    /// How many columns the blank start skipped by the last [`Lines::read`] took.
    pub(super) fn skipped_columns(&self) -> usize {
        self.skipped_columns
    }
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c.width() == Some(0)
}

/// The most columns one character can take before graphemes are formed.
fn char_columns(c: char) -> usize {
    if c == '\t' {
        TAB_STOP
    } else {
        c.width().unwrap_or(0)
    }
}

fn drop_last_grapheme(buf: &mut String) {
    if let Some((start, _)) = buf.grapheme_indices(true).next_back() {
        buf.truncate(start);
    }
}

/// The columns one grapheme of clean text takes, exactly as ratatui counts them.
pub fn grapheme_width(grapheme: &str) -> usize {
    if grapheme.len() == 1 && grapheme.as_bytes()[0].is_ascii_control() {
        return 0; // never in clean text; ratatui would not draw it either
    }
    usize::from(grapheme.cell_width())
}

/// The graphemes of one clean line (tabs already expanded) with their widths.
pub(super) fn cells(line: &str) -> impl Iterator<Item = (&str, usize)> {
    line.graphemes(true).map(|g| (g, grapheme_width(g)))
}

/// The columns one clean line takes (tabs already expanded).
pub(super) fn line_width(line: &str) -> usize {
    if line.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return line.len();
    }
    cells(line).map(|(_, w)| w).sum()
}

/// Replaces each tab of one clean line with spaces up to the next tab stop.
pub(super) fn expand_tabs(line: &str) -> Cow<'_, str> {
    expand_tabs_from(line, 0)
}

/// [`expand_tabs`] for a line whose first character is at column `start`.
pub(super) fn expand_tabs_from(line: &str, start: usize) -> Cow<'_, str> {
    if !line.contains('\t') {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + TAB_STOP);
    let mut column = start;
    for (g, w) in cells(line) {
        if g == "\t" {
            let n = TAB_STOP - column % TAB_STOP;
            out.push_str(&SPACES[..n]);
            column += n;
        } else {
            out.push_str(g);
            column += w;
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_like_str_lines() {
        let mut lines = Lines::new("a\n\nb\n");
        let mut got = Vec::new();
        let mut buf = String::new();
        while lines.read(&mut buf, None, false).is_some() {
            got.push(std::mem::take(&mut buf));
        }
        assert_eq!(got, ["a", "", "b"]);
        assert!(Lines::new("").read(&mut buf, None, false).is_none());
    }

    #[test]
    fn budget_cuts_before_the_last_grapheme() {
        let mut buf = String::new();
        let ending = Lines::new("abcde\u{301}fgh").read(&mut buf, Some(5), false);
        assert_eq!((ending, buf.as_str()), (Some(Ending::Cut), "abcd"));
        buf.clear();
        let ending = Lines::new("日本語です").read(&mut buf, Some(5), false);
        assert_eq!((ending, buf.as_str()), (Some(Ending::Cut), "日本"));
    }

    #[test]
    fn skips_a_blank_start() {
        let mut buf = String::new();
        let mut lines = Lines::new(" \t\u{301} x y");
        assert_eq!(lines.read(&mut buf, None, true), Some(Ending::Whole));
        assert_eq!(buf, "x y");
        assert_eq!(lines.skipped_columns(), 5);
    }

    #[test]
    fn tabs_stop_every_four_columns() {
        assert_eq!(expand_tabs("a\tb"), "a   b");
        assert_eq!(expand_tabs("abcd\tb"), "abcd    b");
        assert_eq!(expand_tabs("日\tb"), "日  b");
        assert_eq!(expand_tabs("\t\t"), "        ");
        assert!(matches!(expand_tabs("no tabs"), Cow::Borrowed(_)));
        assert_eq!(expand_tabs_from("a\tb", 2), "a b");
    }

    #[test]
    fn widths_follow_ratatui() {
        assert_eq!(line_width("abc"), 3);
        assert_eq!(line_width("日本"), 4);
        assert_eq!(line_width("e\u{301}"), 1);
        assert_eq!(line_width("🇫🇷"), 2);
        assert_eq!(line_width("👍"), 2);
    }
}
