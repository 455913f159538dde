//! A thread's replies and whole threads: `comments.list` by `parentId` (paged, 1 unit a
//! page) for the replies a `commentThread` did not include (it carries a few at most), and
//! `fetch_thread`: `commentThreads.list` by `id`, then the replies it lacks.

use chrono::Utc;

use super::items::{self, top_level_of, Context, Place};
use super::{path_id, YoutubeConnector};
use crate::connectors::http::Call;
use crate::connectors::{ConnectorError, PayloadProblem};
use crate::model::{Item, NewItem};

/// The most pages of replies read for one thread (100 replies each).
pub const MAX_REPLY_PAGES: usize = 10;

/// Items and the payloads that could not become items.
#[derive(Debug, Default)]
pub struct Read {
    pub items: Vec<NewItem>,
    pub problems: Vec<PayloadProblem>,
}

impl Read {
    /// Adds `more`, leaving out items already there.
    pub fn merge(&mut self, more: Read) {
        for item in more.items {
            if !self.items.iter().any(|i| i.remote_id == item.remote_id) {
                self.items.push(item);
            }
        }
        self.problems.extend(more.problems);
    }
}

impl YoutubeConnector {
    pub(super) fn context(&self, held: bool) -> Context {
        Context {
            account: self.account.clone(),
            channel_id: self.channel_id.clone(),
            held,
        }
    }

    /// Every reply under the top-level comment of `place`; `in_pass` when a sync pass reads.
    pub(super) async fn replies(
        &self,
        context: &Context,
        place: &Place<'_>,
        in_pass: bool,
    ) -> Result<Read, ConnectorError> {
        let parent = path_id(place.thread)?;
        let mut read = Read::default();
        let mut token: Option<String> = None;
        for _ in 0..MAX_REPLY_PAGES {
            let mut call = Call::get("/youtube/v3/comments")
                .query("part", "snippet")
                .query("parentId", parent)
                .query("maxResults", 100)
                .query("textFormat", "plainText");
            if let Some(token) = &token {
                call = call.query("pageToken", token);
            }
            let (list, _) = if in_pass {
                self.pass_list(call).await?
            } else {
                self.list(call).await?
            };
            for raw in &list.items {
                match items::comment(raw, context, place, true, Utc::now()) {
                    Ok((item, _)) => read.items.push(item),
                    Err(problem) => read.problems.push(problem),
                }
            }
            token = list.next_page_token.filter(|t| !t.is_empty());
            if token.is_none() {
                break;
            }
        }
        Ok(read)
    }

    /// `fetch_thread`: the item's whole thread (top-level comment and every reply).
    pub(super) async fn thread_items(&self, item: &Item) -> Result<Vec<NewItem>, ConnectorError> {
        let thread_id = item.thread_id.as_deref().unwrap_or(&item.remote_id);
        let top = path_id(top_level_of(thread_id))?;
        let call = Call::get("/youtube/v3/commentThreads")
            .query("part", "snippet,replies")
            .query("id", top)
            .query("textFormat", "plainText");
        let (list, _) = self.list(call).await?;
        let context = self.context(false);
        let mut read = Read::default();
        let mut video = None;
        // A held thread is not listed by id: its replies are still read by parent.
        let mut missing = list.items.is_empty();
        for raw in &list.items {
            match items::thread(raw, &context, Utc::now()) {
                Ok(thread) => {
                    video = thread.video_id.clone();
                    missing |= thread.replies_missing;
                    read.items.extend(thread.items);
                    read.problems.extend(thread.problems);
                }
                Err(problem) => read.problems.push(problem),
            }
        }
        let place = Place {
            thread: top,
            video: video.as_deref(),
            channel: None,
        };
        if missing {
            read.merge(self.replies(&context, &place, false).await?);
        }
        for problem in &read.problems {
            tracing::warn!(account = %self.account, reason = %problem.reason, "youtube thread");
        }
        Ok(read.items)
    }
}
