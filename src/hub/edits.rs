//! Turns one item-changing request into the edit the store applies: each edit checks the
//! item's rules, changes the item, and says what to write in the audit log.

use chrono::{DateTime, Utc};

use super::protocol::{ErrorKind, Request, WireError};
use crate::model::{Actor, Item, ItemId, Note, Status};
use crate::store::{AuditNote, ChangeRejected};

type EditResult = Result<Option<AuditNote>, ChangeRejected>;
pub(super) type BoxedEdit = Box<dyn FnMut(&mut Item) -> EditResult + Send>;

/// Longest tag, user name or note accepted.
const MAX_TAG: usize = 64;
const MAX_NOTE: usize = 10_000;

/// The edit for an item-changing request (status, priority, tag, untag, assign, claim, note,
/// snooze).
pub(super) fn edit_for(
    request: Request,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(ItemId, BoxedEdit), WireError> {
    Ok(match request {
        Request::SetStatus { id, status } => (id, Box::new(move |item| set_status(item, status))),
        Request::SetPriority { id, priority } => (
            id,
            Box::new(move |item| {
                let before = std::mem::replace(&mut item.priority, priority);
                Ok((before != priority)
                    .then(|| AuditNote::new("priority", format!("{before} -> {priority}"))))
            }),
        ),
        Request::Tag { id, tag } => {
            let tag = clean_tag(&tag)?;
            (
                id,
                Box::new(move |item| {
                    Ok(item
                        .tags
                        .insert(tag.clone())
                        .then(|| AuditNote::new("tag", format!("+{tag}"))))
                }),
            )
        }
        Request::Untag { id, tag } => {
            let tag = clean_tag(&tag)?;
            (
                id,
                Box::new(move |item| {
                    Ok(item
                        .tags
                        .remove(&tag)
                        .then(|| AuditNote::new("untag", format!("-{tag}"))))
                }),
            )
        }
        Request::Assign { id, user } => {
            let user = user.map(|u| clean_user(&u, actor)).transpose()?;
            (id, Box::new(move |item| Ok(assign(item, user.clone()))))
        }
        Request::Note { id, text } => {
            let note = clean_note(&text, actor, now)?;
            (
                id,
                Box::new(move |item| {
                    item.notes.push(note.clone());
                    Ok(Some(AuditNote::new(
                        "note",
                        crate::ui::sanitize::one_line(&note.text, 80),
                    )))
                }),
            )
        }
        Request::Snooze { id, until } => {
            if let Some(t) = until.filter(|t| *t <= now) {
                return Err(bad_request(format!(
                    "cannot snooze until {t}: that time has passed"
                )));
            }
            (id, Box::new(move |item| Ok(snooze(item, until))))
        }
        Request::Claim { id } => {
            let me = actor.user.clone();
            (id, Box::new(move |item| claim(item, &me)))
        }
        other => {
            return Err(WireError {
                kind: ErrorKind::Internal,
                message: format!("not an item change: {other:?}"),
            })
        }
    })
}

/// Takes an unassigned item for `me` (or confirms one already theirs); refused, naming the
/// holder, when someone else has it.
fn claim(item: &mut Item, me: &str) -> EditResult {
    match &item.assignee {
        Some(owner) if owner == me => Ok(None),
        Some(owner) => Err(ChangeRejected(format!(
            "{owner} already has this item; ask them, or assign it explicitly"
        ))),
        None => {
            item.assignee = Some(me.to_string());
            Ok(Some(AuditNote::new("assign", format!("claimed by {me}"))))
        }
    }
}

fn set_status(item: &mut Item, to: Status) -> EditResult {
    let from = item.status;
    match item.set_status(to) {
        Ok(true) => Ok(Some(AuditNote::new("status", format!("{from} -> {to}")))),
        Ok(false) => Ok(None),
        Err(e) => Err(ChangeRejected(format!("item {}: {e}", item.id))),
    }
}

/// Reopens a resolved item because of something outside the team (a customer's new message).
pub(super) fn reopen_because(item: &mut Item, reason: &str) -> EditResult {
    let from = item.status;
    match item.set_status(Status::Open) {
        Ok(true) => Ok(Some(AuditNote::new(
            "status",
            format!("{from} -> open: {reason}"),
        ))),
        _ => Ok(None),
    }
}

fn assign(item: &mut Item, user: Option<String>) -> Option<AuditNote> {
    if item.assignee == user {
        return None;
    }
    let detail = match (&item.assignee, &user) {
        (_, Some(to)) => format!("to {to}"),
        (Some(from), None) => format!("unassigned from {from}"),
        (None, None) => unreachable!("equal assignees return early"),
    };
    item.assignee = user;
    Some(AuditNote::new("assign", detail))
}

fn snooze(item: &mut Item, until: Option<DateTime<Utc>>) -> Option<AuditNote> {
    if item.snoozed_until == until {
        return None;
    }
    item.snoozed_until = until;
    Some(match until {
        Some(t) => AuditNote::new(
            "snooze",
            format!("until {}", t.format("%Y-%m-%d %H:%M UTC")),
        ),
        None => AuditNote::new("snooze", "woken"),
    })
}

fn clean_tag(tag: &str) -> Result<String, WireError> {
    let tag = tag.trim().to_lowercase();
    if tag.is_empty() {
        return Err(bad_request("a tag cannot be empty".into()));
    }
    if tag.chars().count() > MAX_TAG
        || tag
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ',')
    {
        return Err(bad_request(format!(
            "invalid tag '{}': use up to {MAX_TAG} characters without spaces or commas",
            tag.escape_debug()
        )));
    }
    Ok(tag)
}

fn clean_user(user: &str, actor: &Actor) -> Result<String, WireError> {
    let user = user.trim();
    if user == "me" {
        return Ok(actor.user.clone());
    }
    if user.is_empty()
        || user.chars().count() > MAX_TAG
        || user.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad_request(format!(
            "invalid user name '{}'",
            user.escape_debug()
        )));
    }
    Ok(user.to_string())
}

fn clean_note(text: &str, actor: &Actor, now: DateTime<Utc>) -> Result<Note, WireError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(bad_request("a note cannot be empty".into()));
    }
    if text.chars().count() > MAX_NOTE {
        return Err(bad_request(format!(
            "a note is limited to {MAX_NOTE} characters"
        )));
    }
    Ok(Note {
        at: now,
        by: actor.user.clone(),
        text: text.to_string(),
    })
}

fn bad_request(message: String) -> WireError {
    WireError {
        kind: ErrorKind::BadRequest,
        message,
    }
}
