//! The canonical text of a query: lowercase field names, OR lists sorted and deduplicated,
//! canonical values (`platform:twitter` shows as `platform:x`), and quotes exactly where
//! the lexer needs them. Parsing the text gives back an equal query.

use std::fmt::{self, Display, Formatter, Write};

use super::parse::Field;
use super::{Assignee, Predicate, Query, Term};

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, term) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            term.fmt(f)?;
        }
        Ok(())
    }
}

impl Display for Term {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.negated {
            f.write_char('-')?;
        }
        match &self.predicate {
            Predicate::Text(needle) => write_free_text(f, needle.written()),
            Predicate::Platform(list) => {
                write_field(f, Field::Platform, list.iter().map(|p| p.as_str()))
            }
            Predicate::Account(list) => {
                write_field(f, Field::Account, list.iter().map(String::as_str))
            }
            Predicate::Kind(list) => write_field(f, Field::Kind, list.iter().map(|k| k.as_str())),
            Predicate::Status(list) => {
                write_field(f, Field::Status, list.iter().map(|s| s.as_str()))
            }
            Predicate::Tag(list) => write_field(f, Field::Tag, list.iter().map(String::as_str)),
            Predicate::Priority(list) => {
                write_field(f, Field::Priority, list.iter().map(|p| p.as_str()))
            }
            Predicate::Lang(list) => write_field(f, Field::Lang, list.iter().map(String::as_str)),
            Predicate::From(list) => {
                let handles: Vec<String> = list.iter().map(|h| format!("@{h}")).collect();
                write_field(f, Field::From, handles.iter().map(String::as_str))
            }
            Predicate::Assignee(list) => write_field(
                f,
                Field::Assignee,
                list.iter().map(|a| match a {
                    Assignee::Me => "me",
                    Assignee::Name(name) => name,
                }),
            ),
            Predicate::Is(flags) => write_field(f, Field::Is, flags.iter().map(|flag| flag.name())),
            Predicate::Before(bound) => write!(f, "before:{bound}"),
            Predicate::After(bound) => write!(f, "after:{bound}"),
            // Added by the hub after parsing, never parsed: shown for logs only.
            Predicate::EscalatedExcept(list) => {
                write!(f, "(status:escalated -tag:{})", list.join(","))
            }
        }
    }
}

fn write_field<'a>(
    f: &mut Formatter<'_>,
    field: Field,
    values: impl Iterator<Item = &'a str>,
) -> fmt::Result {
    f.write_str(field.name())?;
    f.write_char(':')?;
    for (i, value) in values.enumerate() {
        if i > 0 {
            f.write_char(',')?;
        }
        let needs_quotes = value.starts_with("//")
            || value.contains(|c: char| c.is_whitespace() || c == '"' || c == ',');
        write_maybe_quoted(f, value, needs_quotes)?;
    }
    Ok(())
}

/// Free text is quoted when it would otherwise read as a negation, a field or several words.
fn write_free_text(f: &mut Formatter<'_>, text: &str) -> fmt::Result {
    let needs_quotes =
        text.starts_with('-') || text.contains(|c: char| c.is_whitespace() || c == '"' || c == ':');
    write_maybe_quoted(f, text, needs_quotes)
}

fn write_maybe_quoted(f: &mut Formatter<'_>, text: &str, quoted: bool) -> fmt::Result {
    if !quoted {
        return f.write_str(text);
    }
    f.write_char('"')?;
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('"')
}
