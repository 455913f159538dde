//! What is new on the channel: `GET /youtube/v3/commentThreads?part=snippet,replies&
//! allThreadsRelatedToChannelId=…&moderationStatus=…&order=time&maxResults=100&
//! textFormat=plainText`, one page a call (1 unit), the published listing then the
//! held-for-review one, walked as `cursor` says. A thread is new when a comment in it was
//! written after the listing's cursor, or (on the first page) when its reply count grew;
//! its replies beyond those the listing included are read by parent (`thread`). Before calling, the quota is checked: with only the reserve
//! left, the account is rate-limited until the quota resets, and nothing is called.

use std::collections::BTreeMap;

use chrono::Utc;

use super::cursor::{Cursor, Listing, PageSeen};
use super::items::{self, Context, Place, ThreadRead};
use super::quota::{self, next_reset};
use super::thread::Read;
use super::YoutubeConnector;
use crate::connectors::http::Call;
use crate::connectors::{ConnectorError, Page, PayloadProblem};

/// The listings one pass reads at least (one page each): the smallest cost of a poll.
pub const LISTINGS_PER_PASS: u64 = 2;

impl YoutubeConnector {
    pub(super) async fn fetch_page(&self, stored: Option<&str>) -> Result<Page, ConnectorError> {
        let now = Utc::now();
        if self.quota.left(now) < quota::RESERVE + quota::LIST_COST {
            return Err(ConnectorError::RateLimited {
                until: next_reset(now),
            });
        }
        let mut cursor = Cursor::parse(stored);
        let listing = cursor.next;
        let position = cursor.position(listing).clone();
        if listing == Listing::Published && position.walk.is_none() {
            // A new pass: what an earlier one left uncounted (it failed) is not this one's.
            self.pass_cost
                .store(0, std::sync::atomic::Ordering::Relaxed);
        }
        let mut call = Call::get("/youtube/v3/commentThreads")
            .query("part", "snippet,replies")
            .query("allThreadsRelatedToChannelId", &self.channel_id)
            .query("moderationStatus", listing.status())
            .query("order", "time")
            .query("maxResults", 100)
            .query("textFormat", "plainText");
        if let Some(walk) = &position.walk {
            call = call.query("pageToken", &walk.token);
        }
        let (list, _) = self.pass_list(call).await?;
        let context = self.context(listing == Listing::Held);
        let mut read = Read::default();
        let mut seen = PageSeen {
            next_token: list.next_page_token.clone().filter(|t| !t.is_empty()),
            ..PageSeen::default()
        };
        let first_page = position.walk.is_none();
        let mut counts = BTreeMap::new();
        for raw in &list.items {
            let thread = match items::thread(raw, &context, Utc::now()) {
                Ok(thread) => thread,
                Err(problem) => {
                    read.problems.push(problem);
                    continue;
                }
            };
            if first_page {
                counts.insert(thread.id.clone(), thread.reply_count);
            }
            if !position.is_new_thread(thread.newest) {
                seen.reached_stored = true;
                let grew = first_page && position.replies_grew(&thread.id, thread.reply_count);
                if !grew {
                    continue;
                }
            }
            seen.newest = seen.newest.max(thread.newest);
            read.merge(self.whole_thread(&context, thread).await?);
        }
        let (mut position, done) = position.after(seen);
        if first_page {
            position.replies = counts;
        }
        cursor.set(listing, position);
        let more = !done || listing == Listing::Published;
        if done {
            cursor.next = match listing {
                Listing::Published => Listing::Held,
                Listing::Held => Listing::Published,
            };
        }
        if !more {
            self.end_pass();
        }
        Ok(page(read, cursor, more))
    }
}

impl YoutubeConnector {
    /// A thread's items, with the replies the listing did not include read by parent.
    async fn whole_thread(
        &self,
        context: &Context,
        thread: ThreadRead,
    ) -> Result<Read, ConnectorError> {
        let mut read = Read::default();
        if thread.replies_missing {
            let place = Place {
                thread: &thread.id,
                video: thread.video_id.as_deref(),
                channel: None,
            };
            read = self.replies(context, &place, true).await?;
        }
        let mut whole = Read {
            items: thread.items,
            problems: thread.problems,
        };
        whole.merge(read);
        Ok(whole)
    }
}

fn page(read: Read, cursor: Cursor, more: bool) -> Page {
    let problems: Vec<PayloadProblem> = read.problems;
    Page {
        items: read.items,
        problems,
        cursor: Some(cursor.encode()),
        more,
    }
}
