//! `fetch_thread`: the conversation around an item, for the hub's thread context.
//!
//! - a DM: the newest page of its conversation (`GET /{conversation-id}/messages`);
//! - a comment or a mention: the post at the thread's root (`GET /{post-id}`) and the
//!   newest page of its comments and replies (`GET /{post-id}/comments?filter=stream`).

use super::fetch::{COMMENT_FIELDS, MESSAGE_FIELDS, POST_FIELDS};
use super::items::PostSource;
use super::payload::entries;
use super::FacebookConnector;
use crate::connectors::graph::path_id;
use crate::connectors::ConnectorError;
use crate::model::{Item, Kind, NewItem};

impl FacebookConnector {
    pub(super) async fn thread_items(&self, item: &Item) -> Result<Vec<NewItem>, ConnectorError> {
        let thread = path_id(item.thread_key())?;
        if item.kind == Kind::Dm {
            let body = self
                .graph
                .get(
                    &format!("/{thread}/messages"),
                    &[("fields", MESSAGE_FIELDS), ("limit", "25")],
                )
                .await?;
            return Ok(entries(&body)
                .data
                .iter()
                .filter_map(|raw| self.origin.message(raw, thread).ok())
                .collect());
        }
        let source = match item.kind {
            Kind::Mention => PostSource::Tagged,
            _ => PostSource::Feed,
        };
        let post = self
            .graph
            .get(&format!("/{thread}"), &[("fields", POST_FIELDS)])
            .await?;
        let mut items: Vec<NewItem> = self.origin.post(&post, source).into_iter().collect();
        let comments = self.comments_under(thread).await?;
        items.extend(
            entries(&comments)
                .data
                .iter()
                .filter_map(|raw| self.origin.comment(raw, thread).ok()),
        );
        Ok(items)
    }

    /// The newest page of comments under a post or a comment (replies included).
    pub(super) async fn comments_under(
        &self,
        object: &str,
    ) -> Result<serde_json::Value, ConnectorError> {
        let path = format!("/{}/comments", path_id(object)?);
        self.graph
            .get(
                &path,
                &[
                    ("fields", COMMENT_FIELDS),
                    ("filter", "stream"),
                    ("order", "reverse_chronological"),
                    ("limit", "50"),
                ],
            )
            .await
    }
}
