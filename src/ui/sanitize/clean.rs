//! The character filter at the heart of the sanitizer: a lazy iterator over the input that
//! yields only characters safe to draw, plus `\n` for line breaks and `\t` for tabs (which
//! the layout expands). Lazy, so a view that shows one line of a 1 MB message reads only
//! that line's first few hundred characters.
//!
//! Escape sequences are removed whole, payload included (ECMA-48 shapes):
//! - `ESC [` or 8-bit CSI: parameter and intermediate bytes up to a final byte `@`–`~`;
//! - `ESC ]` OSC, `ESC P` DCS, `ESC X` SOS, `ESC ^` PM, `ESC _` APC and their 8-bit forms:
//!   a string up to BEL, ST (`ESC \` or U+009C), or the end of the line, so an unterminated
//!   string hides at most the rest of its line;
//! - `ESC` + intermediates + final (`ESC ( B`), and two-character escapes (`ESC c`).
//!
//! A sequence that breaks off early (a CSI interrupted by a newline or a letter outside its
//! grammar) ends there, and the interrupting character is read again as text. None of this
//! parsing is what keeps the terminal safe (ESC and every C0/C1 control are simply never
//! emitted); it only decides how much of the payload is hidden along with them.

use super::classes::{
    control_picture, is_c1, is_invisible, is_line_separator, is_mark, REPLACEMENT,
};

/// Combining marks kept after one base character; more are dropped ("Zalgo" text).
pub const MAX_MARKS_PER_BASE: u8 = 2;

const ESC: char = '\u{1B}';
const BEL: char = '\u{7}';
const ST_8BIT: char = '\u{9C}';

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Text,
    /// After ESC.
    Escape,
    /// After ESC and one or more intermediate bytes.
    EscapeIntermediate,
    /// Inside a control sequence (CSI).
    ControlSequence,
    /// Inside a control string (OSC, DCS, SOS, PM, APC).
    ControlString,
    /// After ESC inside a control string: `\` ends it, anything else starts a new escape.
    ControlStringEscape,
}

/// The safe characters of a text, in order (see the module docs).
#[derive(Clone, Debug)]
pub struct Cleaner<'a> {
    chars: std::str::Chars<'a>,
    /// A character that ended a sequence and must be read again in the new state.
    again: Option<char>,
    state: State,
    /// Marks kept since the last base character.
    marks: u8,
}

impl<'a> Cleaner<'a> {
    pub fn new(text: &'a str) -> Cleaner<'a> {
        Cleaner {
            chars: text.chars(),
            again: None,
            state: State::Text,
            marks: 0,
        }
    }

    fn text_char(&mut self, c: char) -> Option<char> {
        if (' '..='~').contains(&c) {
            self.marks = 0;
            return Some(c);
        }
        match c {
            '\t' => self.base(c),
            '\r' => None,
            c if is_line_separator(c) => self.base('\n'),
            ESC => self.enter(State::Escape),
            '\u{9B}' => self.enter(State::ControlSequence),
            '\u{90}' | '\u{98}' | '\u{9D}' | '\u{9E}' | '\u{9F}' => {
                self.enter(State::ControlString)
            }
            c if c.is_ascii_control() => self.base(control_picture(c)),
            c if is_c1(c) => self.base(REPLACEMENT),
            c if is_invisible(c) => None,
            c if is_mark(c) => self.mark(c),
            c => self.base(c),
        }
    }

    fn base(&mut self, c: char) -> Option<char> {
        self.marks = 0;
        Some(c)
    }

    fn mark(&mut self, c: char) -> Option<char> {
        if self.marks >= MAX_MARKS_PER_BASE {
            return None;
        }
        self.marks += 1;
        Some(c)
    }

    fn enter(&mut self, state: State) -> Option<char> {
        self.state = state;
        None
    }

    /// Ends the current sequence and has `c` read again as text.
    fn abort(&mut self, c: char) {
        self.state = State::Text;
        self.again = Some(c);
    }

    fn after_escape(&mut self, c: char) {
        match c {
            '[' => self.state = State::ControlSequence,
            ']' | 'P' | 'X' | '^' | '_' => self.state = State::ControlString,
            ESC => {}
            ' '..='/' => self.state = State::EscapeIntermediate,
            '0'..='~' => self.state = State::Text,
            c => self.abort(c),
        }
    }

    fn in_escape_intermediate(&mut self, c: char) {
        match c {
            ' '..='/' => {}
            '0'..='~' => self.state = State::Text,
            c => self.abort(c),
        }
    }

    fn in_control_sequence(&mut self, c: char) {
        match c {
            ' '..='?' => {}
            '@'..='~' => self.state = State::Text,
            c => self.abort(c),
        }
    }

    fn in_control_string(&mut self, c: char) {
        match c {
            BEL | ST_8BIT => self.state = State::Text,
            ESC => self.state = State::ControlStringEscape,
            c if is_line_separator(c) => self.abort(c),
            _ => {}
        }
    }

    fn in_control_string_escape(&mut self, c: char) {
        if c == '\\' {
            self.state = State::Text;
        } else {
            self.state = State::Escape;
            self.again = Some(c);
        }
    }
}

impl Iterator for Cleaner<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        loop {
            let c = self.again.take().or_else(|| self.chars.next())?;
            match self.state {
                State::Text => {
                    if let Some(out) = self.text_char(c) {
                        return Some(out);
                    }
                }
                State::Escape => self.after_escape(c),
                State::EscapeIntermediate => self.in_escape_intermediate(c),
                State::ControlSequence => self.in_control_sequence(c),
                State::ControlString => self.in_control_string(c),
                State::ControlStringEscape => self.in_control_string_escape(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> String {
        Cleaner::new(s).collect()
    }

    #[test]
    fn removes_whole_escape_sequences() {
        assert_eq!(clean("a\u{1b}[1;31mb\u{1b}[0mc"), "abc");
        assert_eq!(clean("a\u{1b}[?25lb"), "ab");
        assert_eq!(clean("a\u{1b}]0;title\u{7}b"), "ab");
        assert_eq!(clean("a\u{1b}]0;title\u{1b}\\b"), "ab");
        assert_eq!(clean("a\u{1b}]0;title\u{9c}b"), "ab");
        assert_eq!(clean("a\u{1b}Pq#0;2;0;0;0\u{1b}\\b"), "ab");
        assert_eq!(
            clean("a\u{1b}_apc\u{1b}\\b\u{1b}^pm\u{7}c\u{1b}Xsos\u{1b}\\d"),
            "abcd"
        );
        assert_eq!(clean("a\u{1b}(Bb\u{1b}cd\u{1b}7e"), "abde");
        assert_eq!(
            clean("a\u{9b}2Jb\u{9d}0;t\u{9c}c\u{90}x\u{9c}d\u{9f}y\u{9c}e"),
            "abcde"
        );
        assert_eq!(clean("a\u{98}x\u{9c}b\u{9e}y\u{9c}c"), "abc");
    }

    #[test]
    fn broken_sequences_end_early() {
        assert_eq!(clean("a\u{1b}[12\nb"), "a\nb");
        assert_eq!(clean("a\u{1b}]0;unterminated\nnext line"), "a\nnext line");
        assert_eq!(clean("a\u{1b}]0;x\u{1b}[31mb"), "ab");
        assert_eq!(clean("a\u{1b}\u{1b}[31mb"), "ab");
        assert_eq!(clean("a\u{1b}é"), "aé");
        assert_eq!(clean("trailing\u{1b}"), "trailing");
        assert_eq!(clean("trailing\u{1b}[1;"), "trailing");
    }

    #[test]
    fn controls_become_pictures_or_nothing() {
        assert_eq!(clean("a\u{7}b\u{8}c\u{0}d\u{7f}e"), "a␇b␈c␀d␡e");
        assert_eq!(clean("a\u{85}b\u{9c}c"), "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(clean("a\r\nb\rc"), "a\nbc");
        assert_eq!(clean("a\u{2028}b\u{2029}c\td"), "a\nb\nc\td");
    }

    #[test]
    fn caps_marks_per_base() {
        assert_eq!(clean("e\u{301}\u{302}\u{303}\u{304}x"), "e\u{301}\u{302}x");
        assert_eq!(clean("\u{301}\u{302}\u{303}"), "\u{301}\u{302}");
        assert_eq!(clean("a\u{301}\u{1b}[0m\u{302}\u{303}"), "a\u{301}\u{302}");
    }
}
