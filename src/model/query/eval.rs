//! Matching subjects (items, index entries) against terms, and the statuses a query can
//! match.
//!
//! Field terms are cheap comparisons and run first; only when they all pass are the
//! subject's text fields prepared (folded once, whatever the number of text terms, unless
//! the subject knows they fold like ASCII) and searched.

use super::fold::{eq_folded, eq_ignoring_case, with_haystacks};
use super::subject::Subject;
use super::{Assignee, Flag, MatchContext, Predicate, Term};
use crate::model::Status;

pub(super) fn matches<S: Subject>(terms: &[Term], item: &S, ctx: &MatchContext) -> bool {
    let fields_match = terms
        .iter()
        .filter(|t| !t.is_text())
        .all(|t| t.negated != t.predicate.matches_fields(item, ctx));
    if !fields_match {
        return false;
    }
    if !terms.iter().any(Term::is_text) {
        return true;
    }
    with_haystacks(&item.text_fields(), |fields| {
        terms.iter().all(|t| match &t.predicate {
            Predicate::Text(needle) => t.negated != fields.contain(needle),
            _ => true,
        })
    })
}

impl Term {
    pub(super) fn is_text(&self) -> bool {
        matches!(self.predicate, Predicate::Text(_))
    }
}

impl Predicate {
    /// Whether a field predicate holds (text predicates are matched by [`matches`]).
    fn matches_fields<S: Subject>(&self, item: &S, ctx: &MatchContext) -> bool {
        match self {
            Predicate::Text(_) => true,
            Predicate::Platform(list) => list.contains(item.platform()),
            Predicate::Account(list) => list.iter().any(|a| eq_folded(item.account(), a)),
            Predicate::Kind(list) => list.contains(&item.kind()),
            Predicate::Status(list) => list.contains(&item.status()),
            Predicate::Tag(list) => item
                .tags()
                .any(|tag| list.iter().any(|wanted| eq_folded(tag, wanted))),
            Predicate::Priority(list) => list.contains(&item.priority()),
            Predicate::Lang(list) => item
                .lang()
                .is_some_and(|lang| list.iter().any(|wanted| lang_matches(lang, wanted))),
            Predicate::From(list) => list.iter().any(|h| handle_matches(item.handle(), h)),
            Predicate::Assignee(list) => list.iter().any(|a| assignee_matches(item, a, ctx)),
            Predicate::Is(flags) => flags.iter().any(|f| flag_holds(item, *f, ctx)),
            Predicate::Before(bound) => item.created_at() < bound.resolve(ctx.now),
            Predicate::After(bound) => item.created_at() >= bound.resolve(ctx.now),
            Predicate::EscalatedExcept(list) => {
                item.status() == Status::Escalated
                    && !item
                        .tags()
                        .any(|tag| list.iter().any(|owned| eq_folded(tag, owned)))
            }
        }
    }
}

/// `lang:en` matches `en`, `EN` and the regional `en-US` / `en_GB`.
fn lang_matches(lang: &str, wanted: &str) -> bool {
    if eq_folded(lang, wanted) {
        return true;
    }
    let n = wanted.len();
    lang.len() > n
        && lang.is_char_boundary(n)
        && matches!(lang.as_bytes()[n], b'-' | b'_')
        && eq_folded(&lang[..n], wanted)
}

/// `from:claire` matches the handle `claire`, and the fediverse handle
/// `claire@example.social`; `from:claire@example.social` matches only the latter.
fn handle_matches(handle: &str, wanted: &str) -> bool {
    let handle = handle.strip_prefix('@').unwrap_or(handle);
    if eq_folded(handle, wanted) {
        return true;
    }
    !wanted.contains('@')
        && handle
            .split_once('@')
            .is_some_and(|(local, _server)| eq_folded(local, wanted))
}

/// The assignee, if there is one (an empty name counts as nobody).
fn assignee<S: Subject>(item: &S) -> Option<&str> {
    item.assignee().filter(|a| !a.trim().is_empty())
}

fn is_mine<S: Subject>(item: &S, ctx: &MatchContext) -> bool {
    !ctx.me.trim().is_empty() && assignee(item).is_some_and(|a| eq_ignoring_case(a, ctx.me))
}

fn assignee_matches<S: Subject>(item: &S, wanted: &Assignee, ctx: &MatchContext) -> bool {
    match wanted {
        Assignee::Me => is_mine(item, ctx),
        Assignee::Name(name) => assignee(item).is_some_and(|a| eq_folded(a, name)),
    }
}

fn flag_holds<S: Subject>(item: &S, flag: Flag, ctx: &MatchContext) -> bool {
    match flag {
        Flag::Unassigned => assignee(item).is_none(),
        Flag::Assigned => assignee(item).is_some(),
        Flag::Unread => item.status() == Status::New,
        Flag::Snoozed => item.snoozed_until().is_some_and(|t| t > ctx.now),
        Flag::Mine => is_mine(item, ctx),
    }
}

/// The statuses a matching item can have, in `Status::ALL` order.
pub(super) fn possible_statuses(terms: &[Term]) -> Vec<Status> {
    let mut possible = Status::ALL.to_vec();
    for term in terms {
        if term.negated {
            let excluded = statuses_that_satisfy(&term.predicate);
            possible.retain(|s| !excluded.contains(s));
        } else if let Some(required) = statuses_required_by(&term.predicate) {
            possible.retain(|s| required.contains(s));
        }
    }
    possible
}

/// The statuses a predicate needs, when it can only hold for some.
fn statuses_required_by(predicate: &Predicate) -> Option<Vec<Status>> {
    match predicate {
        Predicate::Status(list) => Some(list.clone()),
        Predicate::Is(flags) if flags.iter().all(|f| *f == Flag::Unread) => Some(vec![Status::New]),
        _ => None,
    }
}

/// The statuses for which a predicate always holds, whatever the rest of the item.
fn statuses_that_satisfy(predicate: &Predicate) -> Vec<Status> {
    match predicate {
        Predicate::Status(list) => list.clone(),
        Predicate::Is(flags) if flags.contains(&Flag::Unread) => vec![Status::New],
        _ => Vec::new(),
    }
}
