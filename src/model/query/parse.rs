//! Turns the lexer's words into terms: recognizes fields, splits OR lists on unquoted commas,
//! checks every value and folds string values once, here, so matching never has to.

use super::date::{DateBound, DATE_FORMS};
use super::fold::{fold, Needle};
use super::lexer::{words, Piece, Word};
use super::{Assignee, Flag, Predicate, Query, QueryError, Term};
use crate::model::Platform;

/// The fields, by the name written before the colon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    Platform,
    Account,
    Kind,
    Status,
    Tag,
    Priority,
    Lang,
    From,
    Assignee,
    Is,
    Before,
    After,
}

impl Field {
    pub(super) const ALL: [Field; 12] = [
        Field::Platform,
        Field::Account,
        Field::Kind,
        Field::Status,
        Field::Tag,
        Field::Priority,
        Field::Lang,
        Field::From,
        Field::Assignee,
        Field::Is,
        Field::Before,
        Field::After,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            Field::Platform => "platform",
            Field::Account => "account",
            Field::Kind => "kind",
            Field::Status => "status",
            Field::Tag => "tag",
            Field::Priority => "priority",
            Field::Lang => "lang",
            Field::From => "from",
            Field::Assignee => "assignee",
            Field::Is => "is",
            Field::Before => "before",
            Field::After => "after",
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

impl Flag {
    pub(super) const ALL: [Flag; 5] = [
        Flag::Unassigned,
        Flag::Assigned,
        Flag::Unread,
        Flag::Snoozed,
        Flag::Mine,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            Flag::Unassigned => "unassigned",
            Flag::Assigned => "assigned",
            Flag::Unread => "unread",
            Flag::Snoozed => "snoozed",
            Flag::Mine => "mine",
        }
    }

    fn from_name(name: &str) -> Result<Flag, String> {
        Flag::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                format!(
                    "unknown is: value '{name}' (expected unassigned, assigned, unread, \
                     snoozed or mine)"
                )
            })
    }
}

pub(super) fn parse(input: &str) -> Result<Query, QueryError> {
    let terms = words(input)?
        .iter()
        .map(term)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Query { terms })
}

fn term(word: &Word) -> Result<Term, QueryError> {
    let predicate = match field_and_value(word)? {
        Some((field, value)) => field_predicate(field, &value, word.source)?,
        None => free_text(word)?,
    };
    Ok(Term {
        negated: word.negated,
        predicate,
    })
}

/// A plain field name: ASCII letters only, so `12:30` or `a-b:c` stay free words.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphabetic())
}

/// The field and the value pieces, when the word is a field term.
fn field_and_value(word: &Word) -> Result<Option<(Field, Vec<Piece>)>, QueryError> {
    let Some(first) = word.pieces.first().filter(|p| !p.quoted) else {
        return Ok(None);
    };
    let Some((name, rest)) = first.text.split_once(':') else {
        return Ok(None);
    };
    if !is_plain_name(name) || rest.starts_with("//") {
        return Ok(None);
    }
    let Some(field) = Field::from_name(name) else {
        return Err(unknown_field(name, word.source));
    };
    let mut value = vec![Piece {
        text: rest.to_string(),
        quoted: false,
    }];
    value.extend(word.pieces[1..].iter().cloned());
    Ok(Some((field, value)))
}

fn unknown_field(name: &str, source: &str) -> QueryError {
    let known: Vec<_> = Field::ALL.iter().map(|f| f.name()).collect();
    QueryError::in_term(
        format!(
            "unknown field '{name}' (known fields: {}; quote the word to search for it as text)",
            known.join(", ")
        ),
        source,
    )
}

fn free_text(word: &Word) -> Result<Predicate, QueryError> {
    let text: String = word.pieces.iter().map(|p| p.text.as_str()).collect();
    if text.is_empty() {
        return Err(QueryError::in_term("empty phrase", word.source));
    }
    Ok(Predicate::Text(Box::new(Needle::new(text))))
}

/// Splits a value on its unquoted commas; every alternative must be non-empty.
fn alternatives(value: &[Piece], source: &str) -> Result<Vec<String>, QueryError> {
    let mut list = vec![String::new()];
    for piece in value {
        if piece.quoted {
            list.last_mut().expect("never empty").push_str(&piece.text);
            continue;
        }
        let mut parts = piece.text.split(',');
        list.last_mut()
            .expect("never empty")
            .push_str(parts.next().unwrap_or(""));
        list.extend(parts.map(str::to_string));
    }
    if list.iter().any(|v| v.trim().is_empty()) {
        let problem = if list.len() > 1 {
            "empty value in list"
        } else {
            "empty value"
        };
        return Err(QueryError::in_term(problem, source));
    }
    Ok(list)
}

fn field_predicate(field: Field, value: &[Piece], source: &str) -> Result<Predicate, QueryError> {
    let values = alternatives(value, source)?;
    let folded = |v: &str| Ok(fold(v));
    Ok(match field {
        Field::Platform => Predicate::Platform(each(&values, source, |v| {
            Ok(Platform::from(v.to_string()))
        })?),
        Field::Account => Predicate::Account(each(&values, source, folded)?),
        Field::Kind => Predicate::Kind(each(&values, source, str::parse)?),
        Field::Status => Predicate::Status(each(&values, source, str::parse)?),
        Field::Tag => Predicate::Tag(each(&values, source, folded)?),
        Field::Priority => Predicate::Priority(each(&values, source, str::parse)?),
        Field::Lang => Predicate::Lang(each(&values, source, folded)?),
        Field::From => Predicate::From(each(&values, source, parse_handle)?),
        Field::Assignee => Predicate::Assignee(each(&values, source, parse_assignee)?),
        Field::Is => Predicate::Is(each(&values, source, Flag::from_name)?),
        Field::Before => Predicate::Before(single_date(field, &values, source)?),
        Field::After => Predicate::After(single_date(field, &values, source)?),
    })
}

/// Parses every alternative, then sorts and dedups them so that equal meanings compare (and
/// display) equal.
fn each<T: Ord>(
    values: &[String],
    source: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Vec<T>, QueryError> {
    let mut list = values
        .iter()
        .map(|v| parse(v).map_err(|problem| QueryError::in_term(problem, source)))
        .collect::<Result<Vec<T>, _>>()?;
    list.sort();
    list.dedup();
    Ok(list)
}

fn parse_handle(value: &str) -> Result<String, String> {
    let handle = value.strip_prefix('@').unwrap_or(value);
    if handle.trim().is_empty() {
        return Err(format!("'{value}' names no handle"));
    }
    Ok(fold(handle))
}

fn parse_assignee(value: &str) -> Result<Assignee, String> {
    Ok(if value.eq_ignore_ascii_case("me") {
        Assignee::Me
    } else {
        Assignee::Name(fold(value))
    })
}

fn single_date(field: Field, values: &[String], source: &str) -> Result<DateBound, QueryError> {
    let [value] = values else {
        let problem = format!("{}: takes one date, not a list", field.name());
        return Err(QueryError::in_term(problem, source));
    };
    DateBound::parse(value)
        .ok_or_else(|| QueryError::in_term(format!("bad date '{value}' ({DATE_FORMS})"), source))
}
