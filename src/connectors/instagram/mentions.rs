//! Mentions of the account.
//!
//! - Media that tag it: `GET /{ig-user-id}/tags?fields=…&limit=25`, newest first, read
//!   until the feed's mark (see `cursor`), at most [`TAG_PAGES`] pages a pass. Each is a
//!   `Kind::Mention` whose thread is that media.
//! - Comments that @mention it: Instagram lists none; a `mentions` webhook carries the
//!   comment's id, and [`InstagramConnector::mentioned_comment`] reads that one comment
//!   (`GET /{ig-user-id}?fields=mentioned_comment.comment_id(ID){…}`) as an item, when the
//!   webhook endpoint handed the id over (see `pushed`).
//!
//! A tags list out of the token's reach (a permission not granted) is a problem for the
//! record and the pass goes on to the DMs.

use super::cursor::{Cursor, Phase};
use super::fetch::{push, Read};
use super::items::Maker;
use super::payload::{entry, list, Comment, Media};
use super::{out_of_reach, InstagramConnector};
use crate::connectors::graph::path_id;
use crate::connectors::{ConnectorError, PayloadProblem};
use crate::model::NewItem;

/// Tagging media asked per page.
pub const TAGS_LIMIT: usize = 25;
/// The most pages of tags read in one pass.
pub const TAG_PAGES: u32 = 4;

const TAG_FIELDS: &str = "id,caption,timestamp,permalink,username,media_type";
const MENTIONED_FIELDS: &str = "id,text,timestamp,like_count,username,media{id}";

impl InstagramConnector {
    /// One page of media that tag the account.
    pub(super) async fn read_tags(
        &self,
        maker: &Maker<'_>,
        cursor: &mut Cursor,
    ) -> Result<Read, ConnectorError> {
        let path = self.routes.user("/tags");
        let what = format!("GET {path}");
        let limit = TAGS_LIMIT.to_string();
        let mut params = vec![("fields", TAG_FIELDS), ("limit", limit.as_str())];
        if let Some(after) = cursor.after.as_deref() {
            params.push(("after", after));
        }
        let mut read = Read::default();
        let body = match self.graph.get(&path, &params).await {
            Ok(body) => body,
            Err(e) if out_of_reach(&e) => {
                read.problems
                    .push(PayloadProblem::new(format!("mentions not synced: {e}"), ""));
                finish_tags(cursor);
                return Ok(read);
            }
            Err(e) => return Err(e),
        };
        let page = list(&body, &what).map_err(|p| ConnectorError::Transient(p.reason))?;
        let mut reached_mark = false;
        for value in &page.data {
            let made = entry::<Media>(value, &what).and_then(|m| maker.tagging_media(&m, value));
            if let Ok(item) = &made {
                if !cursor.tags.wants(item.created_at) {
                    reached_mark = true;
                    continue;
                }
                cursor.tags.note(item.created_at);
            }
            push(&mut read, made);
        }
        let after = page.next_after().filter(|_| !reached_mark);
        if !cursor.next_page(after, TAG_PAGES) {
            finish_tags(cursor);
        }
        Ok(read)
    }

    /// A comment that @mentions the account, by the id a `mentions` webhook carried.
    pub async fn mentioned_comment(&self, comment_id: &str) -> Result<NewItem, ConnectorError> {
        let maker = self.maker().await?;
        let field = format!(
            "mentioned_comment.comment_id({}){{{MENTIONED_FIELDS}}}",
            path_id(comment_id)?
        );
        let path = self.routes.user("");
        let body = self.graph.get(&path, &[("fields", &field)]).await?;
        let what = format!("GET {path}?fields=mentioned_comment");
        let raw = body.get("mentioned_comment").cloned().ok_or_else(|| {
            ConnectorError::Refused(format!(
                "{what}: no comment {comment_id} mentions the account"
            ))
        })?;
        entry::<Comment>(&raw, &what)
            .and_then(|c| maker.mentioned_comment(&c, &raw))
            .map_err(|p| ConnectorError::Transient(p.reason))
    }
}

/// The tags are read: the mark moves, the DMs are next.
fn finish_tags(cursor: &mut Cursor) {
    cursor.tags.close();
    cursor.after = None;
    cursor.pages = 0;
    cursor.phase = Phase::Dms;
}
