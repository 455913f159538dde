//! `fetch_thread`: the conversation around an item, kept to one cheap call (X bills every
//! post read).
//!
//! - A post: its parent and its conversation's first post, in one lookup
//!   (`GET /2/tweets?ids=PARENT,ROOT` with the usual fields and `expansions=author_id`); what
//!   X no longer has (deleted, protected) comes back as a partial error and is left out.
//! - A DM: the conversation's latest events (`GET /2/dm_conversations/:id/dm_events`).

use super::fetch::posts_call;
use super::{conversation_path_id, path_id, XConnector};
use crate::connectors::ConnectorError;
use crate::model::{Item, Kind, NewItem};

impl XConnector {
    pub(super) async fn thread_items(&self, item: &Item) -> Result<Vec<NewItem>, ConnectorError> {
        if item.kind == Kind::Dm {
            let conversation = conversation_path_id(item.thread_key())?;
            return self.recent_dms(conversation).await;
        }
        let mut ids: Vec<&str> = Vec::new();
        for id in [item.parent_id.as_deref(), item.thread_id.as_deref()]
            .into_iter()
            .flatten()
        {
            if id != item.remote_id && !ids.contains(&id) && path_id(id).is_ok() {
                ids.push(id);
            }
        }
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut call = posts_call("/2/tweets".into());
        // `max_results` is not a parameter of the lookup.
        call.query.retain(|(key, _)| key != "max_results");
        let answer = self.read_posts(call.query("ids", ids.join(","))).await?;
        Ok(self.post_items(&answer).items)
    }
}
