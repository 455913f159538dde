//! One step of the notifications walk (see `cursor` for how the walk goes): one page of
//! `app.bsky.notification.listNotifications`, newest first, made into items.
//!
//! - `reasons=reply,mention,quote`: the AppView filters server-side, so likes and follows
//!   neither cost pages nor come back (any other reason that still does is skipped);
//! - `limit=100`, the most allowed;
//! - `priority=false`: without it, an account that turned on "priority notifications" in
//!   the app would only be told of people it follows, i.e. hardly any customer;
//! - `isRead` is not used (the AppView makes it up for accounts that never marked
//!   anything seen, see `tests/servers/BLUESKY.md`), and nothing is marked seen
//!   (`updateSeen` is all-before-a-time: it would clear the badges of people using the app).
//!
//! A page that is not JSON, or has no `notifications`, is a
//! [`ConnectorError::Transient`]: the cursor does not move.

use chrono::Utc;

use super::api::Api;
use super::cursor::{Notifications, Seen};
use super::items::{self, Reader};
use super::payload::NotificationPage;
use super::xrpc;
use crate::connectors::{ConnectorError, Page};

/// The reasons that are work: a reply in a brand thread, a mention, a quote of a brand post.
pub const REASONS: [&str; 3] = ["reply", "mention", "quote"];
/// The most `listNotifications` gives at once.
pub const LIMIT: u32 = 100;

/// Reads the walk's next page into `page`, moving `state` on.
pub async fn step(
    api: &Api,
    account: &str,
    state: &mut Notifications,
    page: &mut Page,
) -> Result<(), ConnectorError> {
    let me = api.me().await?;
    let mut call = xrpc::query("app.bsky.notification.listNotifications")
        .query("limit", LIMIT)
        .query("priority", false);
    for reason in REASONS {
        call = call.query("reasons", reason);
    }
    if let Some(cursor) = state.next_page() {
        call = call.query("cursor", cursor);
    }
    let answer = api.send(call).await?;
    let list: NotificationPage = xrpc::read(&answer)?;
    let seen: Vec<Seen<'_>> = list
        .notifications
        .iter()
        .map(|n| Seen {
            uri: n.get("uri").and_then(|u| u.as_str()).unwrap_or_default(),
            at: items::time(n.get("indexedAt").and_then(|t| t.as_str())),
        })
        .collect();
    let (fresh, _more) = state.take_page(&seen, list.cursor.as_deref(), Utc::now());
    let reader = Reader {
        account,
        did: &me.did,
    };
    for (raw, fresh) in list.notifications.iter().zip(fresh) {
        if !fresh {
            continue;
        }
        match items::from_notification(raw, reader) {
            Ok(Some(item)) => page.items.push(item),
            Ok(None) => {}
            Err(problem) => page.problems.push(problem),
        }
    }
    Ok(())
}
