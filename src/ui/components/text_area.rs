//! A multi-line text input with a cursor: what the reply composer types into. Positions are
//! (line, char) so multi-byte text edits cleanly; [`TextArea::rows`] soft-wraps the lines at
//! spaces for a given width, measuring each character the way the sanitizer draws it, so the
//! view and the cursor agree on where everything is.

use super::super::action::Action;
use super::super::sanitize::{display_width, TAB_STOP};

/// An editable block of text, never empty (one empty line at least).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextArea {
    lines: Vec<String>,
    /// Cursor line.
    row: usize,
    /// Cursor position in chars within its line.
    col: usize,
}

/// One screen row of a wrapped line: chars `start..end` of line `line`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

impl Default for TextArea {
    fn default() -> Self {
        TextArea::new("")
    }
}

impl TextArea {
    /// The text with the cursor at its end.
    pub fn new(text: &str) -> TextArea {
        let mut area = TextArea {
            lines: vec![String::new()],
            row: 0,
            col: 0,
        };
        area.insert(text);
        area
    }

    /// The whole text, lines joined by `\n`.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Whether there is nothing but whitespace.
    pub fn is_blank(&self) -> bool {
        self.lines.iter().all(|l| l.trim().is_empty())
    }

    /// Cursor (line, char).
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    /// Inserts typed or pasted text: line breaks (`\n`, `\r\n`, `\r`) start new lines, tabs
    /// become spaces, other control characters are dropped.
    pub fn insert(&mut self, typed: &str) {
        let typed = typed.replace("\r\n", "\n").replace('\r', "\n");
        for c in typed.chars() {
            match c {
                '\n' => self.newline(),
                '\t' => self.insert_str(&" ".repeat(TAB_STOP)),
                c if c.is_control() => {}
                c => self.insert_str(c.encode_utf8(&mut [0; 4])),
            }
        }
    }

    fn insert_str(&mut self, text: &str) {
        let at = byte_at(&self.lines[self.row], self.col);
        self.lines[self.row].insert_str(at, text);
        self.col += text.chars().count();
    }

    /// Splits the line at the cursor.
    pub fn newline(&mut self) {
        let at = byte_at(&self.lines[self.row], self.col);
        let rest = self.lines[self.row].split_off(at);
        self.lines.insert(self.row + 1, rest);
        self.row += 1;
        self.col = 0;
    }

    fn line_len(&self) -> usize {
        self.lines[self.row].chars().count()
    }

    /// Applies an editing or cursor action; returns whether it was one.
    pub fn edit(&mut self, action: Action) -> bool {
        match action {
            Action::Newline => self.newline(),
            Action::DeleteBack => self.delete_back(),
            Action::DeleteForward => self.delete_forward(),
            Action::DeleteWord => self.delete_word(),
            Action::ClearLine => {
                self.remove(0, self.col);
                self.col = 0;
            }
            Action::CursorLeft => self.left(),
            Action::CursorRight => self.right(),
            Action::CursorUp => self.vertical(-1),
            Action::CursorDown => self.vertical(1),
            Action::LineStart => self.col = 0,
            Action::LineEnd => self.col = self.line_len(),
            _ => return false,
        }
        true
    }

    /// Whether an action changes the text (rather than only moving the cursor).
    pub fn changes_text(action: Action) -> bool {
        matches!(
            action,
            Action::Newline
                | Action::DeleteBack
                | Action::DeleteForward
                | Action::DeleteWord
                | Action::ClearLine
        )
    }

    fn delete_back(&mut self) {
        if self.col > 0 {
            self.remove(self.col - 1, self.col);
            self.col -= 1;
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.line_len();
            self.lines[self.row].push_str(&line);
        }
    }

    fn delete_forward(&mut self) {
        if self.col < self.line_len() {
            self.remove(self.col, self.col + 1);
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.lines[self.row].push_str(&next);
        }
    }

    /// Deletes the word before the cursor (at a line's start: the line break).
    fn delete_word(&mut self) {
        if self.col == 0 {
            self.delete_back();
            return;
        }
        let chars: Vec<char> = self.lines[self.row].chars().take(self.col).collect();
        let mut start = chars.len();
        while start > 0 && chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        self.remove(start, self.col);
        self.col = start;
    }

    fn left(&mut self) {
        if self.col > 0 {
            self.col -= 1;
        } else if self.row > 0 {
            self.row -= 1;
            self.col = self.line_len();
        }
    }

    fn right(&mut self) {
        if self.col < self.line_len() {
            self.col += 1;
        } else if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = 0;
        }
    }

    fn vertical(&mut self, delta: isize) {
        let target = self.row.saturating_add_signed(delta);
        if target < self.lines.len() && target != self.row {
            self.row = target;
            self.col = self.col.min(self.line_len());
        }
    }

    fn remove(&mut self, from: usize, to: usize) {
        let line = &mut self.lines[self.row];
        let (a, b) = (byte_at(line, from), byte_at(line, to));
        line.replace_range(a..b, "");
    }

    /// The screen rows of the text wrapped to `width` columns (at a space when a word fits
    /// on its row, else between characters).
    pub fn rows(&self, width: usize) -> Vec<Row> {
        let width = width.max(1);
        let mut rows = Vec::new();
        for (index, line) in self.lines.iter().enumerate() {
            wrap_line(index, line, width, &mut rows);
        }
        rows
    }

    /// The cursor's screen row (index into [`TextArea::rows`]) and column, for `width`.
    pub fn cursor_position(&self, width: usize) -> (usize, usize) {
        let rows = self.rows(width);
        let index = rows
            .iter()
            .rposition(|r| r.line == self.row && r.start <= self.col)
            .unwrap_or(0);
        let row = rows[index];
        let line = &self.lines[self.row];
        let before: String = line
            .chars()
            .skip(row.start)
            .take(self.col - row.start)
            .collect();
        (index, display_width(&before))
    }
}

/// Appends the rows of one line.
fn wrap_line(index: usize, line: &str, width: usize, rows: &mut Vec<Row>) {
    let chars: Vec<char> = line.chars().collect();
    let mut start = 0;
    let mut used = 0;
    let mut last_space = None;
    let mut i = 0;
    while i < chars.len() {
        let w = char_width(chars[i]);
        if used + w > width && i > start {
            let end = match last_space {
                Some(space) if space >= start => space + 1,
                _ => i,
            };
            rows.push(Row {
                line: index,
                start,
                end,
            });
            start = end;
            used = chars[start..i].iter().map(|c| char_width(*c)).sum();
            last_space = None;
            continue;
        }
        if chars[i] == ' ' {
            last_space = Some(i);
        }
        used += w;
        i += 1;
    }
    rows.push(Row {
        line: index,
        start,
        end: chars.len(),
    });
}

/// Columns one character takes once sanitized (0 for what the sanitizer drops).
fn char_width(c: char) -> usize {
    if c.is_ascii_graphic() || c == ' ' {
        return 1;
    }
    display_width(c.encode_utf8(&mut [0; 4]))
}

fn byte_at(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_lines_and_joins_them_back() {
        let mut area = TextArea::new("Bonjour\r\nmerci\tbien");
        assert_eq!(area.text(), "Bonjour\nmerci    bien");
        assert_eq!(area.cursor(), (1, 13));
        area.edit(Action::LineStart);
        area.edit(Action::DeleteBack);
        assert_eq!(area.text(), "Bonjourmerci    bien");
        assert_eq!(area.cursor(), (0, 7));
        area.edit(Action::Newline);
        area.insert("é\u{1b}");
        assert_eq!(area.text(), "Bonjour\némerci    bien");
        area.edit(Action::CursorUp);
        assert_eq!(area.cursor(), (0, 1));
        area.edit(Action::LineEnd);
        area.edit(Action::DeleteForward);
        assert_eq!(area.lines(), ["Bonjourémerci    bien"]);
        area.edit(Action::DeleteWord);
        assert_eq!(area.text(), "émerci    bien");
        assert!(!area.edit(Action::Resolve));
        assert!(TextArea::new(" \n ").is_blank());
    }

    #[test]
    fn wraps_at_spaces_and_places_the_cursor() {
        let area = TextArea::new("hello there world\nok");
        let rows = area.rows(12);
        let shown: Vec<String> = rows
            .iter()
            .map(|r| {
                area.lines()[r.line]
                    .chars()
                    .skip(r.start)
                    .take(r.end - r.start)
                    .collect()
            })
            .collect();
        assert_eq!(shown, ["hello there ", "world", "ok"]);
        assert_eq!(area.cursor_position(12), (2, 2));
        let long = TextArea::new("abcdefghij");
        assert_eq!(long.rows(4).len(), 3);
        assert_eq!(long.cursor_position(4), (2, 2));
        let wide = TextArea::new("日本語");
        assert_eq!(wide.cursor_position(80), (0, 6));
    }
}
