//! Splits a query into words: whitespace separates words, a leading `-` negates one, and
//! double quotes group text (spaces, commas, colons) into one literal piece, as in a shell:
//! `tag:"needs legal"` is one word whose value is quoted. Inside quotes, `\"` is a quote and
//! `\\` a backslash; any other backslash is itself. Nothing here knows about fields.

use super::QueryError;

/// One part of a word: a run of unquoted text or the inside of one pair of quotes.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Piece {
    pub text: String,
    pub quoted: bool,
}

/// One whitespace-separated word of the query.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Word<'a> {
    /// The word exactly as written, for error messages.
    pub source: &'a str,
    pub negated: bool,
    pub pieces: Vec<Piece>,
}

/// Splits `input` into words.
pub(super) fn words(input: &str) -> Result<Vec<Word<'_>>, QueryError> {
    let mut lexer = Lexer { input, pos: 0 };
    let mut words = Vec::new();
    while let Some(word) = lexer.next_word()? {
        words.push(word);
    }
    Ok(words)
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn at_word_end(&self) -> bool {
        self.peek().is_none_or(char::is_whitespace)
    }

    fn next_word(&mut self) -> Result<Option<Word<'a>>, QueryError> {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
        if self.peek().is_none() {
            return Ok(None);
        }
        let start = self.pos;
        let negated = self.peek() == Some('-');
        if negated {
            self.bump();
            if self.at_word_end() {
                return Err(lone_dash(self.input, start));
            }
        }
        let mut pieces = Vec::new();
        while !self.at_word_end() {
            let piece = if self.peek() == Some('"') {
                self.quoted_piece(start)?
            } else {
                self.unquoted_piece()
            };
            pieces.push(piece);
        }
        Ok(Some(Word {
            source: &self.input[start..self.pos],
            negated,
            pieces,
        }))
    }

    fn unquoted_piece(&mut self) -> Piece {
        let start = self.pos;
        while !self.at_word_end() && self.peek() != Some('"') {
            self.bump();
        }
        Piece {
            text: self.input[start..self.pos].to_string(),
            quoted: false,
        }
    }

    fn quoted_piece(&mut self, word_start: usize) -> Result<Piece, QueryError> {
        self.bump(); // the opening quote
        let mut text = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(QueryError::in_term(
                        "unterminated quote",
                        &self.input[word_start..],
                    ))
                }
                Some('"') => break,
                Some('\\') if matches!(self.peek(), Some('"' | '\\')) => {
                    text.extend(self.bump());
                }
                Some(c) => text.push(c),
            }
        }
        Ok(Piece { text, quoted: true })
    }
}

fn lone_dash(input: &str, at: usize) -> QueryError {
    let column = input[..at].chars().count() + 1;
    QueryError(format!(
        "a lone '-' at column {column} negates nothing: write it right before a term, \
         as in -tag:spam, or quote it (\"-\") to search for a dash"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(text: &str, quoted: bool) -> Piece {
        Piece {
            text: text.into(),
            quoted,
        }
    }

    #[test]
    fn splits_on_any_whitespace() {
        let w = words("  a\tb\u{3000}c\n").unwrap();
        let sources: Vec<_> = w.iter().map(|w| w.source).collect();
        assert_eq!(sources, ["a", "b", "c"]);
    }

    #[test]
    fn quotes_group_and_escape() {
        let w = words(r#"-"free shipping" tag:"needs \"legal\"" a"b\c""#).unwrap();
        assert!(w[0].negated);
        assert_eq!(w[0].pieces, [piece("free shipping", true)]);
        assert_eq!(w[0].source, "-\"free shipping\"");
        assert_eq!(
            w[1].pieces,
            [piece("tag:", false), piece("needs \"legal\"", true)]
        );
        assert_eq!(w[2].pieces, [piece("a", false), piece("b\\c", true)]);
    }

    #[test]
    fn errors_name_the_term() {
        let e = words("ok tag:\"needs legal").unwrap_err();
        assert_eq!(
            e.to_string(),
            "malformed query: unterminated quote in 'tag:\"needs legal'"
        );
        let e = words("refund - spam").unwrap_err();
        assert!(e.to_string().contains("lone '-' at column 8"), "{e}");
    }
}
