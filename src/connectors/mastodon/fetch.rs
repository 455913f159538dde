//! `fetch_new`: one page of one feed per call, as the cursor says (see `cursor`).
//!
//! - Mentions: `GET /api/v1/notifications?types[]=mention&include_filtered=true&limit=80`.
//!   Mentions include replies to the brand and DMs; `include_filtered` (Mastodon 4.3+,
//!   ignored before) keeps the DMs of strangers that the notification policy would file
//!   away as requests.
//! - DMs: `GET /api/v1/conversations?limit=40`, each conversation's last status (paged by
//!   that status's id, on Mastodon as on the test server). It brings what notifications do
//!   not: DMs whose notification was dropped, and the brand's own DMs sent elsewhere. A DM
//!   whose mention this connector already brought is not brought again; after a restart it
//!   may be, as the same item (same id, thread and kind), and ingest keeps one.
//! - Pages are asked with `min_id`/`max_id` built from the ids read, never from `Link`
//!   headers (the test server's drop `types[]`), so no page is asked twice and the filter
//!   always holds. A page is full, and another may wait, when it has 40 entries or more: the
//!   test server caps every page at 40 (Mastodon at 80 for notifications), so on Mastodon a
//!   burst of 40 to 79 new mentions costs one extra request, and nothing is ever left.
//! - A body that is not a JSON list is [`ConnectorError::Transient`]: the cursor does not
//!   move and the page is asked again. Entries that cannot be read are [`PayloadProblem`]s
//!   and the page goes on.
//!
//! [`PayloadProblem`]: crate::connectors::PayloadProblem

use chrono::Utc;
use serde_json::Value;

use super::cursor::{Cursor, Feed, Request};
use super::offline::{self, Entries};
use super::seen::Seen;
use super::MastodonConnector;
use crate::connectors::http::Call;
use crate::connectors::{ConnectorError, Page};

/// The most notifications Mastodon returns in one page.
pub const NOTIFICATIONS_LIMIT: usize = 80;
/// The most conversations Mastodon returns in one page.
pub const CONVERSATIONS_LIMIT: usize = 40;
/// A page with this many entries may have more behind it (the smallest cap of the two).
const FULL: usize = 40;

impl MastodonConnector {
    pub(super) async fn fetch_page(&self, stored: Option<&str>) -> Result<Page, ConnectorError> {
        let brand = self.brand().await?;
        let mut cursor = Cursor::parse(stored);
        let feed = cursor.next;
        let request = cursor.position(feed).request();
        let call = feed_call(feed, &request);
        let what = format!("GET {}", call.target);
        let body = self.get(call).await?;
        let Value::Array(values) = body else {
            return Err(ConnectorError::Transient(format!(
                "{what}: the answer is not a list"
            )));
        };
        let now = Utc::now();
        let page = match feed {
            Feed::Notifications => offline::notifications(&values, now),
            Feed::Conversations => offline::conversations(&values, now),
        };
        let Entries {
            entries,
            ids,
            problems,
        } = page;
        for entry in &entries {
            if let Some(notification) = &entry.notification {
                let seen = Seen {
                    notification: Some(notification.clone()),
                    ..Seen::default()
                };
                self.memory.note(&entry.post.id, seen);
            }
        }
        let posts: Vec<_> = entries
            .into_iter()
            .filter(|e| e.notification.is_some() || !self.brought_by_mention(&e.post.id))
            .map(|e| (e.post, e.time))
            .collect();
        let mut items = Vec::new();
        let placed = self.place_all(brand, &posts, &mut items).await?;
        items.extend(placed);

        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let waiting = cursor
            .position(feed)
            .advance(&request, &ids, values.len() >= FULL);
        if !waiting {
            cursor.next = match feed {
                Feed::Notifications => Feed::Conversations,
                Feed::Conversations => Feed::Notifications,
            };
        }
        tracing::debug!(
            account = %self.account,
            feed = ?feed,
            entries = values.len(),
            items = items.len(),
            problems = problems.len(),
            "mastodon page"
        );
        Ok(Page {
            items,
            problems,
            cursor: Some(cursor.to_text()),
            // After the mentions, the conversations are still to be read in this pass.
            more: waiting || feed == Feed::Notifications,
        })
    }
}

impl MastodonConnector {
    /// Whether a mention notification already brought this status.
    fn brought_by_mention(&self, status_id: &str) -> bool {
        self.memory
            .get(status_id)
            .is_some_and(|seen| seen.notification.is_some())
    }
}

/// The request for the next page of `feed`.
fn feed_call(feed: Feed, request: &Request) -> Call {
    let call = match feed {
        Feed::Notifications => Call::get("/api/v1/notifications")
            .query("types[]", "mention")
            .query("include_filtered", "true")
            .query("limit", NOTIFICATIONS_LIMIT),
        Feed::Conversations => {
            Call::get("/api/v1/conversations").query("limit", CONVERSATIONS_LIMIT)
        }
    };
    match request {
        Request::Newest => call,
        Request::Below(id) => call.query("max_id", id),
        Request::Above(id) => call.query("min_id", id),
    }
}
