//! Moderation on a Facebook Page:
//!
//! - Hide, Unhide: `POST /{comment-id} {"is_hidden": true|false}` (comments only: hidden
//!   from everyone but the author and their friends);
//! - Delete: `DELETE /{comment-id}` for comments on the Page's posts and the Page's own
//!   posts; a post by someone else (a tag) cannot be deleted by the Page;
//! - Block: `POST /{page-id}/blocked` with the author (`{"user": [id]}`, or `{"psid": [id]}`
//!   for a Messenger sender): they can no longer comment on or message the Page;
//! - Mute, Report, Dismiss: the Pages API has none of them.
//!
//! An answer of `{"success": false}` is a refusal.

use serde_json::{json, Value};

use super::FacebookConnector;
use crate::connectors::graph::path_id;
use crate::connectors::{ConnectorError, Moderation};
use crate::model::{Item, Kind};

impl FacebookConnector {
    pub(super) async fn apply(
        &self,
        item: &Item,
        action: &Moderation,
    ) -> Result<(), ConnectorError> {
        match action {
            Moderation::Hide => self.set_hidden(item, true).await,
            Moderation::Unhide => self.set_hidden(item, false).await,
            Moderation::Delete => self.delete(item).await,
            Moderation::Block => self.block(item).await,
            Moderation::Mute => Err(unsupported(
                "muting is not possible on facebook: hide the comment or block the author",
            )),
            Moderation::Report { .. } => Err(unsupported(
                "the Pages API cannot report content on facebook: report it in the Facebook app",
            )),
            Moderation::Dismiss => Err(unsupported(
                "facebook has no notifications to dismiss through the Pages API",
            )),
        }
    }

    async fn set_hidden(&self, item: &Item, hidden: bool) -> Result<(), ConnectorError> {
        let comment = comment_id(item, if hidden { "hide" } else { "unhide" })?;
        let path = format!("/{comment}");
        let answer = self.graph.post(&path, json!({"is_hidden": hidden})).await?;
        succeeded(&answer, &format!("POST {path}"))
    }

    async fn delete(&self, item: &Item) -> Result<(), ConnectorError> {
        let own_post = item.from_brand && is_post(item);
        if !own_post {
            comment_id(item, "delete")?;
        }
        let path = format!("/{}", path_id(&item.remote_id)?);
        let answer = self.graph.delete(&path).await?;
        succeeded(&answer, &format!("DELETE {path}"))
    }

    async fn block(&self, item: &Item) -> Result<(), ConnectorError> {
        let author = item.author.id.trim();
        if author.is_empty() || item.from_brand {
            return Err(ConnectorError::Refused(
                "block on facebook: the item has no author id (or is the Page's own)".into(),
            ));
        }
        let key = if item.kind == Kind::Dm {
            "psid"
        } else {
            "user"
        };
        let path = format!("/{}/blocked", self.page_id);
        let answer = self.graph.post(&path, json!({ key: [author] })).await?;
        let refused = answer
            .as_object()
            .is_some_and(|o| o.values().any(|v| v == &Value::Bool(false)));
        if refused {
            return Err(ConnectorError::Refused(format!(
                "POST {path}: facebook did not block {author}"
            )));
        }
        Ok(())
    }
}

/// The item's id when it is a comment (not a post, not a message).
fn comment_id<'i>(item: &'i Item, verb: &str) -> Result<&'i str, ConnectorError> {
    match item.kind {
        Kind::Dm => Err(unsupported(&format!(
            "{verb} is not possible for Messenger messages on facebook"
        ))),
        _ if is_post(item) => Err(unsupported(&format!(
            "{verb} works on comments on facebook, and this is a post{}",
            if item.from_brand {
                ""
            } else {
                " by someone else (hide or delete it on Facebook)"
            }
        ))),
        _ => path_id(&item.remote_id),
    }
}

/// Whether the item is a post (the root of its thread) rather than a comment.
fn is_post(item: &Item) -> bool {
    item.thread_key() == item.remote_id
}

fn succeeded(answer: &Value, call: &str) -> Result<(), ConnectorError> {
    if answer.get("success") == Some(&Value::Bool(false)) {
        return Err(ConnectorError::Refused(format!(
            "{call}: facebook answered success: false"
        )));
    }
    Ok(())
}

fn unsupported(why: &str) -> ConnectorError {
    ConnectorError::Unsupported(why.to_string())
}
