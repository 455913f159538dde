//! Moderation on YouTube, as the channel owner:
//!
//! - Hide: `POST /youtube/v3/comments/setModerationStatus?id=…&moderationStatus=rejected`;
//!   Unhide: `…&moderationStatus=published` (which also approves a comment held for review);
//!   Block: `…&moderationStatus=rejected&banAuthor=true` (the author's later comments are
//!   rejected too). 50 units each; setting a status twice is the same as once.
//! - Delete: `DELETE /youtube/v3/comments?id=…` (50 units), for the channel's own comments
//!   only: YouTube lets an owner reject others' comments, not delete them. One already gone
//!   (404) is done.
//! - Report: `comments.markAsSpam` is no longer supported by the Data API (Google's comments
//!   guide); Mute and Dismiss have no API at all. These are `Unsupported`, saying what to
//!   do instead.

use reqwest::Method;

use super::quota::WRITE_COST;
use super::{path_id, YoutubeConnector};
use crate::connectors::http::Call;
use crate::connectors::{ConnectorError, Moderation};
use crate::model::Item;

impl YoutubeConnector {
    pub(super) async fn apply(
        &self,
        item: &Item,
        action: &Moderation,
    ) -> Result<(), ConnectorError> {
        let id = path_id(&item.remote_id)?;
        match action {
            Moderation::Hide => self.set_status(id, "rejected", false).await,
            Moderation::Unhide => self.set_status(id, "published", false).await,
            Moderation::Block => self.set_status(id, "rejected", true).await,
            Moderation::Delete if item.from_brand => {
                let call = Call::new(Method::DELETE, "/youtube/v3/comments", true).query("id", id);
                self.call_unless_gone(call, WRITE_COST).await
            }
            Moderation::Delete => Err(unsupported(
                "delete on youtube: a channel deletes only its own comments; hide (reject) this one instead",
            )),
            Moderation::Report { .. } => Err(unsupported(
                "report on youtube: the Data API no longer supports marking comments as spam; hide (reject) it or block its author",
            )),
            Moderation::Mute => Err(unsupported(
                "mute on youtube: the Data API cannot mute a commenter; block (reject and ban) instead",
            )),
            Moderation::Dismiss => Err(unsupported(
                "dismiss on youtube: YouTube has no notifications to dismiss",
            )),
        }
    }

    async fn set_status(&self, id: &str, status: &str, ban: bool) -> Result<(), ConnectorError> {
        let mut call = Call::post("/youtube/v3/comments/setModerationStatus")
            .repeatable(true)
            .query("id", id)
            .query("moderationStatus", status);
        if ban {
            call = call.query("banAuthor", "true");
        }
        self.call(call, WRITE_COST).await.map(drop)
    }
}

fn unsupported(why: &str) -> ConnectorError {
    ConnectorError::Unsupported(why.to_string())
}
