//! `fetch_new`: one page of one list per call, as the cursor says (see `cursor`).
//!
//! - Media: `GET /{ig-user-id}/media?fields=…&limit=10`, the account's newest
//!   [`MEDIA_LIMIT`] media. The ones whose comments are read this pass come back as the
//!   brand's own items (the parents of their comments).
//! - Comments: `GET /{media-id}/comments?fields=…,replies{…}&limit=50[&after=…]`, up to
//!   [`COMMENT_PAGES`] pages per media and pass, each comment with its first replies; a
//!   comment whose replies go on is read further with `GET /{comment-id}/replies&after=…`
//!   (up to [`REPLY_PAGES`] pages). Pages are asked with `after=` built here, never by
//!   following `paging.next`.
//! - A media deleted since it was listed (or a comment since its replies were announced):
//!   a problem for the record, and the pass goes on.
//! - Then the tags and the DMs (`mentions`, `dms`).
//!
//! Instagram gives no order guarantee or "since" filter for comments, so a media whose
//! count moved is read whole again (ingest keeps one copy of each comment), up to
//! [`COMMENT_PAGES`] pages of [`COMMENTS_LIMIT`]: on a media with more than 500 comments
//! only the first 500 Instagram lists are followed.

use serde_json::Value;

use super::cursor::{Cursor, Phase};
use super::items::Maker;
use super::payload::{entry, list, Comment, Media};
use super::{out_of_reach, InstagramConnector};
use crate::connectors::graph::path_id;
use crate::connectors::{ConnectorError, Page, PayloadProblem};
use crate::model::NewItem;

/// The account's newest media whose comments are followed.
pub const MEDIA_LIMIT: usize = 10;
/// Comments asked per page.
pub const COMMENTS_LIMIT: usize = 50;
/// The most comment pages of one media read in one pass.
pub const COMMENT_PAGES: u32 = 10;
/// The most extra reply pages read for one comment.
pub const REPLY_PAGES: u32 = 4;

pub const MEDIA_FIELDS: &str = "id,caption,timestamp,permalink,username,comments_count";
pub const COMMENT_FIELDS: &str = "id,text,timestamp,username,from,hidden,like_count,parent_id";

/// What a page read made: items, problems, and whether the list goes on.
#[derive(Default)]
pub(super) struct Read {
    pub items: Vec<NewItem>,
    pub problems: Vec<PayloadProblem>,
}

impl InstagramConnector {
    pub(super) async fn fetch_page(&self, stored: Option<&str>) -> Result<Page, ConnectorError> {
        if let Some(page) = self.read_pushed_mentions().await? {
            return Ok(page);
        }
        let maker = self.maker().await?;
        let mut cursor = Cursor::parse(stored);
        let phase = cursor.phase;
        let read = match phase {
            Phase::Media => self.read_media(&maker, &mut cursor).await?,
            Phase::Comments => self.read_comments(&maker, &mut cursor).await?,
            Phase::Tags => self.read_tags(&maker, &mut cursor).await?,
            Phase::Dms => self.read_dms(&maker, &mut cursor).await?,
        };
        tracing::debug!(
            account = %self.account,
            phase = ?phase,
            items = read.items.len(),
            problems = read.problems.len(),
            "instagram page"
        );
        Ok(Page {
            items: read.items,
            problems: read.problems,
            more: !(phase == Phase::Dms && cursor.phase == Phase::Media),
            cursor: Some(cursor.to_text()),
        })
    }

    /// The account's newest media: queues those with new comments.
    async fn read_media(
        &self,
        maker: &Maker<'_>,
        cursor: &mut Cursor,
    ) -> Result<Read, ConnectorError> {
        let path = self.routes.user("/media");
        let limit = MEDIA_LIMIT.to_string();
        let body = self
            .graph
            .get(&path, &[("fields", MEDIA_FIELDS), ("limit", &limit)])
            .await?;
        let what = format!("GET {path}");
        let page = list(&body, &what).map_err(|p| ConnectorError::Transient(p.reason))?;
        let mut read = Read::default();
        let mut media = Vec::new();
        for value in page.data.iter().take(MEDIA_LIMIT) {
            match entry::<Media>(value, &what) {
                Ok(m) => media.push((m, value)),
                Err(problem) => read.problems.push(problem),
            }
        }
        let counts: Vec<(String, Option<u64>)> = media
            .iter()
            .map(|(m, _)| (m.id.clone(), m.comments_count))
            .collect();
        cursor.queue_changed(&counts);
        for (m, raw) in &media {
            if cursor.queue.iter().any(|v| v.id == m.id) {
                push(&mut read, maker.own_media(m, raw));
            }
        }
        Ok(read)
    }

    /// One page of comments of the first queued media.
    async fn read_comments(
        &self,
        maker: &Maker<'_>,
        cursor: &mut Cursor,
    ) -> Result<Read, ConnectorError> {
        let Some(visit) = cursor.queue.first().cloned() else {
            cursor.media_done();
            return Ok(Read::default());
        };
        let mut read = Read::default();
        let Ok(media) = path_id(&visit.id) else {
            read.problems.push(PayloadProblem::new(
                "instagram media: not a Graph id",
                &visit.id,
            ));
            cursor.media_done();
            return Ok(read);
        };
        let path = format!("/{media}/comments");
        let fields = format!("{COMMENT_FIELDS},replies{{{COMMENT_FIELDS}}}");
        let limit = COMMENTS_LIMIT.to_string();
        let mut params = vec![("fields", fields.as_str()), ("limit", limit.as_str())];
        if let Some(after) = cursor.after.as_deref() {
            params.push(("after", after));
        }
        let body = match self.graph.get(&path, &params).await {
            Ok(body) => body,
            Err(e) if out_of_reach(&e) => {
                // Deleted since it was listed, or comments closed: the pass goes on.
                let reason = format!("comments not read: {e}");
                read.problems.push(PayloadProblem::new(reason, ""));
                cursor.after = None;
                cursor.pages = 0;
                cursor.media_done();
                return Ok(read);
            }
            Err(e) => return Err(e),
        };
        let what = format!("GET {path}");
        let page = list(&body, &what).map_err(|p| ConnectorError::Transient(p.reason))?;
        for value in &page.data {
            match entry::<Comment>(value, &what) {
                Ok(comment) => {
                    self.comment_and_replies(maker, &comment, value, media, &mut read)
                        .await?
                }
                Err(problem) => read.problems.push(problem),
            }
        }
        if !cursor.next_page(page.next_after(), COMMENT_PAGES) {
            cursor.media_done();
        }
        Ok(read)
    }

    /// A comment, the replies it came with, and the rest of its replies.
    async fn comment_and_replies(
        &self,
        maker: &Maker<'_>,
        comment: &Comment,
        raw: &Value,
        media: &str,
        read: &mut Read,
    ) -> Result<(), ConnectorError> {
        let mut own = raw.clone();
        if let Some(object) = own.as_object_mut() {
            object.remove("replies");
        }
        push(read, maker.comment(comment, media, &own));
        let Some(replies) = &comment.replies else {
            return Ok(());
        };
        self.replies_into(maker, comment, media, &replies.data, read);
        let mut after = replies.next_after().map(str::to_string);
        let mut pages = 0;
        while let Some(cursor) = after.take().filter(|_| pages < REPLY_PAGES) {
            pages += 1;
            let page = match self.replies_page(&comment.id, Some(&cursor)).await {
                Ok(page) => page,
                Err(e) if out_of_reach(&e) => {
                    let reason = format!("replies not read: {e}");
                    read.problems.push(PayloadProblem::new(reason, ""));
                    return Ok(());
                }
                Err(e) => return Err(e),
            };
            self.replies_into(maker, comment, media, &page.data, read);
            after = page.next_after().map(str::to_string);
        }
        Ok(())
    }

    /// `GET /{comment-id}/replies` (one page).
    pub(super) async fn replies_page(
        &self,
        comment: &str,
        after: Option<&str>,
    ) -> Result<crate::connectors::graph::paging::Paged, ConnectorError> {
        let path = format!("/{}/replies", path_id(comment)?);
        let mut params = vec![("fields", COMMENT_FIELDS)];
        if let Some(after) = after {
            params.push(("after", after));
        }
        let body = self.graph.get(&path, &params).await?;
        list(&body, &format!("GET {path}")).map_err(|p| ConnectorError::Transient(p.reason))
    }

    pub(super) fn replies_into(
        &self,
        maker: &Maker<'_>,
        parent: &Comment,
        media: &str,
        values: &[Value],
        read: &mut Read,
    ) {
        let what = format!("GET /{}/replies", parent.id);
        for value in values {
            match entry::<Comment>(value, &what) {
                Ok(mut reply) => {
                    reply.parent_id.get_or_insert_with(|| parent.id.clone());
                    push(read, maker.comment(&reply, media, value));
                }
                Err(problem) => read.problems.push(problem),
            }
        }
    }
}

/// An item, or its problem.
pub(super) fn push(read: &mut Read, made: Result<NewItem, PayloadProblem>) {
    match made {
        Ok(item) => read.items.push(item),
        Err(problem) => read.problems.push(problem),
    }
}
