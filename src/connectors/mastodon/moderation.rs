//! Moderation on Mastodon.
//!
//! - Dismiss: `POST /api/v1/notifications/:id/dismiss`. The notification id is the one this
//!   connector saw bring the status; after a restart it is found again among the author's
//!   mention notifications (`account_id` filter, a few pages at most). An item without one
//!   (the brand's own status, a DM read from conversations only, a notification already
//!   dismissed) has nothing left to dismiss: that is done, not an error.
//! - Mute, Block: `POST /api/v1/accounts/:author/mute|block` (repeatable: doing it twice is
//!   harmless).
//! - Report: `POST /api/v1/reports` with the author, the status and the reason (cut to
//!   Mastodon's 1000 characters), forwarded to the author's own server when it is remote.
//!   Not repeated on failure: a retry could file it twice.
//! - Delete: only the brand's own statuses (`DELETE /api/v1/statuses/:id`); one already
//!   gone is done.
//! - Hide, Unhide: Mastodon has no hidden replies.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::payload::{read, Notification, Status};
use super::{path_id, MastodonConnector};
use crate::connectors::http::Call;
use crate::connectors::{ConnectorError, Moderation};
use crate::model::Item;

/// Mastodon's limit on a report's comment.
const REPORT_COMMENT_MAX: usize = 1000;
/// Pages of the author's mentions looked through for a notification to dismiss.
const DISMISS_PAGES: usize = 3;

impl MastodonConnector {
    pub(super) async fn apply(
        &self,
        item: &Item,
        action: &Moderation,
    ) -> Result<(), ConnectorError> {
        match action {
            Moderation::Hide | Moderation::Unhide => Err(ConnectorError::Unsupported(
                "Mastodon has no hidden replies: mute or block the author, report, or dismiss instead"
                    .into(),
            )),
            Moderation::Dismiss => self.dismiss(item).await,
            Moderation::Mute | Moderation::Block => {
                let author = self.author_of(item, action)?;
                let verb = action.name();
                let call = Call::post(format!("/api/v1/accounts/{author}/{verb}")).repeatable(true);
                self.send(call).await.map(drop)
            }
            Moderation::Report { reason } => {
                let author = self.author_of(item, action)?;
                let comment: String = reason.chars().take(REPORT_COMMENT_MAX).collect();
                let call = Call::post("/api/v1/reports").json(json!({
                    "account_id": author,
                    "status_ids": [item.remote_id],
                    "comment": comment,
                    "category": "other",
                    "forward": item.author.handle.contains('@'),
                }));
                self.send(call).await.map(drop)
            }
            Moderation::Delete => {
                if !item.from_brand {
                    return Err(ConnectorError::Unsupported(
                        "Mastodon lets an account delete only its own posts: report this one, or mute or block its author"
                            .into(),
                    ));
                }
                let id = path_id(&item.remote_id)?;
                let call = Call::new(Method::DELETE, format!("/api/v1/statuses/{id}"), true)
                    .accept(StatusCode::NOT_FOUND);
                self.send(call).await.map(drop)
            }
        }
    }

    /// The author's account id, checked for a path; never the brand itself.
    fn author_of<'i>(
        &self,
        item: &'i Item,
        action: &Moderation,
    ) -> Result<&'i str, ConnectorError> {
        if item.from_brand {
            return Err(ConnectorError::Refused(format!(
                "cannot {} the brand's own account",
                action.name()
            )));
        }
        if item.author.id.is_empty() {
            return Err(ConnectorError::Refused(format!(
                "cannot {} an author without an account id",
                action.name()
            )));
        }
        path_id(&item.author.id)
    }

    async fn dismiss(&self, item: &Item) -> Result<(), ConnectorError> {
        if item.from_brand {
            return Ok(());
        }
        let seen = self
            .memory
            .get(&item.remote_id)
            .and_then(|s| s.notification);
        let notification = match seen {
            Some(id) => Some(id),
            None => self.find_notification(item).await?,
        };
        let Some(notification) = notification else {
            tracing::debug!(status = %item.remote_id, "no notification left to dismiss");
            return Ok(());
        };
        let id = path_id(&notification)?;
        let call = Call::post(format!("/api/v1/notifications/{id}/dismiss"))
            .repeatable(true)
            .accept(StatusCode::NOT_FOUND);
        self.send(call).await.map(drop)
    }

    /// The mention notification of the item's status, among its author's.
    async fn find_notification(&self, item: &Item) -> Result<Option<String>, ConnectorError> {
        if item.author.id.is_empty() {
            return Ok(None);
        }
        let mut below: Option<String> = None;
        for _ in 0..DISMISS_PAGES {
            let mut call = Call::get("/api/v1/notifications")
                .query("types[]", "mention")
                .query("include_filtered", "true")
                .query("account_id", &item.author.id)
                .query("limit", super::fetch::NOTIFICATIONS_LIMIT);
            if let Some(max_id) = &below {
                call = call.query("max_id", max_id);
            }
            let body = self.get(call).await?;
            let values = match body {
                Value::Array(values) => values,
                _ => return Ok(None),
            };
            let notifications: Vec<Notification> = values.iter().filter_map(read).collect();
            let found = notifications.iter().find(|n| {
                n.status
                    .as_ref()
                    .and_then(read::<Status>)
                    .and_then(|s| s.id)
                    .is_some_and(|id| id == item.remote_id)
            });
            if let Some(found) = found {
                return Ok(found.id.clone());
            }
            match notifications.last().and_then(|n| n.id.clone()) {
                Some(last) if values.len() >= 40 => below = Some(last),
                _ => break,
            }
        }
        Ok(None)
    }
}
