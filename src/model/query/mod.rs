//! The query language: one syntax for `switchboard list QUERY`, saved views and the TUI
//! filter bar.
//!
//! A query is terms separated by whitespace; an item matches when every term does.
//!
//! | term | matches |
//! |---|---|
//! | `refund`, `"free shipping"` | text, `@handle` or author name contains it (any case) |
//! | `platform:x,bluesky` | the platform (aliases such as `twitter` work) |
//! | `account:acme-masto` | the configured account |
//! | `kind:comment\|dm\|mention` | the kind |
//! | `status:new,open` | the status |
//! | `tag:vip` | one of the tags (any case) |
//! | `priority:low\|normal\|high\|urgent` | the priority |
//! | `lang:en` | the language; `en` also matches `en-US` |
//! | `from:@claire` | the author handle (`@` optional); `claire` also matches `claire@example.social` |
//! | `assignee:me`, `assignee:NAME` | the assignee (`me` is the person asking) |
//! | `is:unassigned\|assigned\|unread\|snoozed\|mine` | unread is status new; snoozed is a snooze still running |
//! | `before:DATE`, `after:DATE` | created before / at-or-after `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` (UTC) or an age `30m`, `24h`, `7d`, `2w` ago |
//!
//! A comma inside a value means OR within that field, `-` before a term negates it, and values
//! may be quoted (`tag:"needs legal"`). A word whose prefix is not a plain field name
//! (`12:30`) or whose value starts with `//` (`https://…`) is a free word.
//!
//! Matching is built for speed (the hub filters up to a million items, the TUI refilters on
//! every key): needles are folded at parse time, fields are tested before text, and text is
//! folded into one reused buffer with an ASCII fast path (see [`fold`]).

mod date;
mod display;
mod eval;
mod fold;
mod lexer;
mod parse;
mod subject;

use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::{Item, Kind, Platform, Priority, Status};
use date::DateBound;
pub use fold::folds_like_ascii;
use fold::Needle;
pub use subject::{Subject, TextField, TextFields};

/// A parsed query. `Query::default()` (the empty query) matches everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    terms: Vec<Term>,
}

/// A query that could not be parsed: the message names the problem and the term.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("malformed query: {0}")]
pub struct QueryError(pub String);

impl QueryError {
    fn in_term(problem: impl std::fmt::Display, term: &str) -> QueryError {
        QueryError(format!("{problem} in '{term}'"))
    }
}

/// What a match depends on besides the item: who is asking and when.
#[derive(Clone, Copy, Debug)]
pub struct MatchContext<'a> {
    /// The user asking: `assignee:me` and `is:mine` mean this name.
    pub me: &'a str,
    /// The time relative dates (`after:24h`) and `is:snoozed` are measured from.
    pub now: DateTime<Utc>,
}

impl<'a> MatchContext<'a> {
    pub fn new(me: &'a str, now: DateTime<Utc>) -> MatchContext<'a> {
        MatchContext { me, now }
    }
}

/// One term: a predicate, maybe negated.
#[derive(Clone, Debug, PartialEq)]
struct Term {
    negated: bool,
    predicate: Predicate,
}

/// What one term tests. Lists mean OR; string values are stored folded (lowercase).
#[derive(Clone, Debug, PartialEq)]
enum Predicate {
    Text(Box<Needle>),
    Platform(Vec<Platform>),
    Account(Vec<String>),
    Kind(Vec<Kind>),
    Status(Vec<Status>),
    Tag(Vec<String>),
    Priority(Vec<Priority>),
    Lang(Vec<String>),
    From(Vec<String>),
    Assignee(Vec<Assignee>),
    Is(Vec<Flag>),
    Before(DateBound),
    After(DateBound),
    /// Escalated and tagged with none of these (folded): never parsed from text, only added
    /// by [`Query::and_not_escalated_except`] (the escalations an agent owns).
    EscalatedExcept(Vec<String>),
}

/// A value of `assignee:`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Assignee {
    Me,
    Name(String),
}

/// A value of `is:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Flag {
    Unassigned,
    Assigned,
    Unread,
    Snoozed,
    Mine,
}

impl Query {
    /// Parses a query. Empty or all-whitespace text is the empty query.
    pub fn parse(s: &str) -> Result<Query, QueryError> {
        parse::parse(s)
    }

    /// True for the query that matches everything.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether `item` matches every term.
    pub fn matches(&self, item: &Item, ctx: &MatchContext) -> bool {
        eval::matches(&self.terms, item, ctx)
    }

    /// Whether `subject` (an item, or anything else that offers what terms test) matches
    /// every term.
    pub fn matches_subject<S: Subject>(&self, subject: &S, ctx: &MatchContext) -> bool {
        eval::matches(&self.terms, subject, ctx)
    }

    /// Narrows the query to items on one of `accounts` (the hub's visibility rule: a member
    /// given some accounts sees nothing else, whatever they ask).
    pub fn and_account_in<'s>(mut self, accounts: impl IntoIterator<Item = &'s str>) -> Query {
        let list = accounts.into_iter().map(fold::fold).collect();
        self.terms.push(Term {
            negated: false,
            predicate: Predicate::Account(list),
        });
        self
    }

    /// Narrows the query to items not in `status` (agents do not see escalation queues).
    pub fn and_not_status(mut self, status: Status) -> Query {
        self.terms.push(Term {
            negated: true,
            predicate: Predicate::Status(vec![status]),
        });
        self
    }

    /// Narrows the query to items not escalated, except those tagged with one of `tags` (an
    /// agent sees the items escalated to the escalations they own, and no other).
    pub fn and_not_escalated_except<'s>(
        mut self,
        tags: impl IntoIterator<Item = &'s str>,
    ) -> Query {
        self.terms.push(Term {
            negated: true,
            predicate: Predicate::EscalatedExcept(tags.into_iter().map(fold::fold).collect()),
        });
        self
    }

    /// Narrows the query to items assigned to `user`.
    pub fn and_assignee(mut self, user: &str) -> Query {
        self.terms.push(Term {
            negated: false,
            predicate: Predicate::Assignee(vec![Assignee::Name(fold::fold(user))]),
        });
        self
    }

    /// Narrows the query to items in one of `statuses`.
    pub fn and_status_in(mut self, statuses: &[Status]) -> Query {
        self.terms.push(Term {
            negated: false,
            predicate: Predicate::Status(statuses.to_vec()),
        });
        self
    }

    /// Whether some term (negated or not) looks in the text, handle or name.
    pub fn has_text_terms(&self) -> bool {
        self.terms.iter().any(Term::is_text)
    }

    /// The statuses an index scan must cover: only those a matching item can have, in
    /// [`Status::ALL`] order (all six unless the query pins or excludes some).
    pub fn statuses(&self) -> Vec<Status> {
        eval::possible_statuses(&self.terms)
    }

    /// The free words and phrases the query looks for (not the negated ones), as written:
    /// what a view may highlight in the text it shows.
    pub fn highlights(&self) -> Vec<&str> {
        self.terms
            .iter()
            .filter(|t| !t.negated)
            .filter_map(|t| match &t.predicate {
                Predicate::Text(needle) => Some(needle.written()),
                _ => None,
            })
            .collect()
    }
}

impl FromStr for Query {
    type Err = QueryError;
    fn from_str(s: &str) -> Result<Query, QueryError> {
        Query::parse(s)
    }
}
