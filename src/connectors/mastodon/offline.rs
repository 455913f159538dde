//! Reading Mastodon answers without asking the server: the entries of a notifications or a
//! conversations page (what becomes an item, what is a problem, which ids paging goes by),
//! and [`read_answer`], which turns any recorded answer into items (the fixture tests use
//! it). Offline, a reply whose thread root is not in the same answer is threaded under its
//! parent; the connector asks the server instead (`threads`).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::items::{parse_time, Brand, Post};
use super::payload::{read, Context, Conversation, Notification};
use super::seen::Memory;
use super::threads::{known_thread, place};
use crate::connectors::PayloadProblem;
use crate::model::NewItem;

/// A readable status of a page.
#[derive(Clone, Debug)]
pub struct Entry {
    pub post: Post,
    /// When the status has no readable time of its own.
    pub time: DateTime<Utc>,
    /// The mention notification that brought it.
    pub notification: Option<String>,
}

/// What a page holds.
#[derive(Debug, Default)]
pub struct Entries {
    /// Oldest first, so a parent comes before its replies.
    pub entries: Vec<Entry>,
    /// The ids paging goes by: notification ids, or conversations' last status ids.
    pub ids: Vec<String>,
    pub problems: Vec<PayloadProblem>,
}

/// A notifications page: mentions become entries; other types (the test server's `Link`
/// pages carry every type) are passed over; unreadable ones are problems.
pub fn notifications(values: &[Value], now: DateTime<Utc>) -> Entries {
    let mut page = Entries::default();
    for value in values.iter().rev() {
        let Some(notification) = read::<Notification>(value) else {
            page.problems
                .push(problem("notification: not an object", value));
            continue;
        };
        let Some(id) = notification.id.clone() else {
            page.problems
                .push(problem("notification without an id", value));
            continue;
        };
        page.ids.push(id.clone());
        if notification.kind.as_deref() != Some("mention") {
            continue;
        }
        let what = format!("notification {id}");
        let Some(status) = &notification.status else {
            page.problems.push(problem(
                &format!("{what}: a mention without a status"),
                value,
            ));
            continue;
        };
        match Post::read(status, &what) {
            Ok(post) => page.entries.push(Entry {
                post,
                time: parse_time(notification.created_at.as_deref()).unwrap_or(now),
                notification: Some(id),
            }),
            Err(p) => page.problems.push(p),
        }
    }
    page
}

/// A conversations page: each conversation's last status is an entry.
pub fn conversations(values: &[Value], now: DateTime<Utc>) -> Entries {
    let mut page = Entries::default();
    for value in values.iter().rev() {
        let Some(conversation) = read::<Conversation>(value) else {
            page.problems
                .push(problem("conversation: not an object", value));
            continue;
        };
        // A conversation whose last status was deleted has nothing to show.
        let Some(status) = &conversation.last_status else {
            continue;
        };
        let what = format!(
            "conversation {}",
            conversation.id.as_deref().unwrap_or("without an id")
        );
        match Post::read(status, &what) {
            Ok(post) => {
                page.ids.push(post.id.clone());
                page.entries.push(Entry {
                    post,
                    time: now,
                    notification: None,
                });
            }
            Err(p) => page.problems.push(p),
        }
    }
    page
}

/// Items read from a recorded answer.
#[derive(Debug, Default)]
pub struct Answer {
    pub items: Vec<NewItem>,
    pub problems: Vec<PayloadProblem>,
}

/// The items in an answer of `path` (`/api/v1/notifications[/:id]`,
/// `/api/v1/conversations[/…]`, `/api/v1/statuses[/:id]`, `/api/v1/statuses/:id/context`,
/// `/api/v1/timelines/…`) for the account `account` acting as `brand`. Other answers hold
/// no items.
pub fn read_answer(account: &str, brand: &Brand, path: &str, body: &Value) -> Answer {
    let now = Utc::now();
    let list = match body {
        Value::Array(values) => values.clone(),
        other => vec![other.clone()],
    };
    let page = if path.starts_with("/api/v1/notifications") {
        notifications(&list, now)
    } else if path.starts_with("/api/v1/conversations") {
        conversations(&list, now)
    } else if path.starts_with("/api/v1/statuses") && path.ends_with("/context") {
        let context: Context = read(body).unwrap_or_default();
        statuses(context.ancestors.iter().chain(&context.descendants), now)
    } else if path.starts_with("/api/v1/timelines/") {
        // Newest first: read oldest first, like a page.
        statuses(list.iter().rev(), now)
    } else if path.starts_with("/api/v1/statuses") {
        statuses(list.iter(), now)
    } else {
        Entries::default()
    };
    let memory = Memory::default();
    let items = page
        .entries
        .iter()
        .map(|entry| {
            let post = &entry.post;
            let thread = known_thread(&memory, brand, post)
                .or_else(|| post.status.in_reply_to_id.clone())
                .unwrap_or_else(|| post.id.clone());
            place(&memory, account, brand, post, thread, entry.time)
        })
        .collect();
    Answer {
        items,
        problems: page.problems,
    }
}

/// A list of statuses in thread order (ancestors, descendants: already oldest first).
fn statuses<'a>(values: impl Iterator<Item = &'a Value>, now: DateTime<Utc>) -> Entries {
    let mut page = Entries::default();
    for value in values {
        match Post::read(value, "status") {
            Ok(post) => page.entries.push(Entry {
                post,
                time: now,
                notification: None,
            }),
            Err(p) => page.problems.push(p),
        }
    }
    page
}

fn problem(reason: &str, value: &Value) -> PayloadProblem {
    PayloadProblem::new(reason, &value.to_string())
}
