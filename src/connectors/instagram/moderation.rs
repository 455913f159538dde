//! Moderation on Instagram: the account may hide, unhide and delete comments on its own
//! media (`POST /{ig-comment-id}` with `{"hide": true|false}`, `DELETE /{ig-comment-id}`).
//! Instagram's API has nothing for DMs, for media that tag the account or comments on other
//! people's media, and no mute, block, report or dismiss: those are `Unsupported`, saying so.

use serde_json::json;

use super::InstagramConnector;
use crate::connectors::graph::path_id;
use crate::connectors::{ConnectorError, Moderation};
use crate::model::{Item, Kind};

impl InstagramConnector {
    pub(super) async fn apply(
        &self,
        item: &Item,
        action: &Moderation,
    ) -> Result<(), ConnectorError> {
        match action {
            Moderation::Hide | Moderation::Unhide | Moderation::Delete => {
                let comment = own_comment(item, action)?;
                let path = format!("/{comment}");
                match action {
                    Moderation::Delete => self.graph.delete(&path).await.map(drop),
                    hide => {
                        let body = json!({"hide": *hide == Moderation::Hide});
                        self.graph.post(&path, body).await.map(drop)
                    }
                }
            }
            Moderation::Mute | Moderation::Block => Err(ConnectorError::Unsupported(format!(
                "{} is not possible through Instagram's API: hide or delete the comment instead",
                action.name()
            ))),
            Moderation::Report { .. } => Err(ConnectorError::Unsupported(
                "reporting is not possible through Instagram's API: report it in the Instagram app"
                    .into(),
            )),
            Moderation::Dismiss => Err(ConnectorError::Unsupported(
                "Instagram has no notifications to dismiss through its API".into(),
            )),
        }
    }
}

/// The comment's id, when it is a comment on the account's own media.
fn own_comment<'i>(item: &'i Item, action: &Moderation) -> Result<&'i str, ConnectorError> {
    let what = match item.kind {
        Kind::Comment if item.remote_id == item.thread_key() => "the account's own media",
        Kind::Comment => return path_id(&item.remote_id),
        Kind::Dm => "a DM",
        Kind::Mention => "a mention on someone else's media",
    };
    Err(ConnectorError::Unsupported(format!(
        "cannot {} {what} on Instagram: only comments on the account's media can be hidden or deleted",
        action.name()
    )))
}
