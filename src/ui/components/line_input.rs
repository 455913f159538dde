//! A one-line text input with a cursor: what the filter bar, the prompts, find and the
//! palette type into. Positions are in chars, so multi-byte text edits cleanly.

use super::super::action::Action;

/// An editable line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Cursor position in chars.
    cursor: usize,
}

impl LineInput {
    pub fn new(text: &str) -> LineInput {
        LineInput {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Replaces the whole text, cursor at the end.
    pub fn set(&mut self, text: &str) {
        *self = LineInput::new(text);
    }

    /// Inserts typed or pasted text (line breaks and controls become spaces).
    pub fn insert(&mut self, typed: &str) {
        let clean: String = typed
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let at = self.byte_at(self.cursor);
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
    }

    /// Applies an editing action; returns whether it was one (and the text may have changed).
    pub fn edit(&mut self, action: Action) -> bool {
        let len = self.text.chars().count();
        match action {
            Action::DeleteBack if self.cursor > 0 => {
                self.remove(self.cursor - 1, self.cursor);
                self.cursor -= 1;
            }
            Action::DeleteForward if self.cursor < len => self.remove(self.cursor, self.cursor + 1),
            Action::DeleteWord => {
                let start = self.word_start();
                self.remove(start, self.cursor);
                self.cursor = start;
            }
            Action::ClearLine => self.set(""),
            Action::CursorLeft => self.cursor = self.cursor.saturating_sub(1),
            Action::CursorRight => self.cursor = (self.cursor + 1).min(len),
            Action::LineStart => self.cursor = 0,
            Action::LineEnd => self.cursor = len,
            Action::DeleteBack | Action::DeleteForward => {}
            _ => return false,
        }
        true
    }

    /// The char index where the word before the cursor starts.
    pub fn word_start(&self) -> usize {
        let chars: Vec<char> = self.text.chars().take(self.cursor).collect();
        let mut i = chars.len();
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
        i
    }

    /// The word being typed (from its start to the cursor).
    pub fn current_word(&self) -> String {
        self.text
            .chars()
            .skip(self.word_start())
            .take(self.cursor - self.word_start())
            .collect()
    }

    /// Replaces the word before the cursor with `word`.
    pub fn replace_word(&mut self, word: &str) {
        let start = self.word_start();
        self.remove(start, self.cursor);
        self.cursor = start;
        self.insert(word);
    }

    fn remove(&mut self, from: usize, to: usize) {
        let (a, b) = (self.byte_at(from), self.byte_at(to));
        self.text.replace_range(a..b, "");
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_multibyte_text_by_chars() {
        let mut input = LineInput::new("café crème");
        input.edit(Action::DeleteWord);
        assert_eq!(input.text(), "café ");
        input.edit(Action::DeleteBack);
        input.edit(Action::DeleteBack);
        assert_eq!(input.text(), "caf");
        input.edit(Action::LineStart);
        input.insert("é\n");
        assert_eq!(input.text(), "é caf");
        assert_eq!(input.cursor(), 2);
        input.edit(Action::DeleteForward);
        assert_eq!(input.text(), "é af");
        assert!(!input.edit(Action::Resolve));
    }

    #[test]
    fn replaces_the_current_word() {
        let mut input = LineInput::new("status:open ta");
        assert_eq!(input.current_word(), "ta");
        input.replace_word("tag:");
        assert_eq!(input.text(), "status:open tag:");
        assert_eq!(input.current_word(), "tag:");
    }
}
