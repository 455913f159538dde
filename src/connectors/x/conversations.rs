//! Replies to the brand's posts: the conversations of the brand's recent posts, searched.
//!
//! A replies walk starts with the brand's latest posts (`GET /2/users/:id/tweets`,
//! `max_results=5`, `exclude=replies,retweets`: five post reads, which X charges once a day
//! however often they are read again); their conversations are kept in the cursor. Then
//! **one** recent search covers them all (`GET /2/tweets/search/recent`,
//! `query=conversation_id:A OR conversation_id:B ...`, `since_id`, paged by `next_token`),
//! so a pass costs two calls plus the posts that are new, whatever the number of
//! conversations. Mentions bring most replies already (a reply names who it answers); the
//! search brings the rest (replies to replies in the brand's threads), and ingest keeps one
//! copy of each.
//!
//! A conversation new to the cursor may hold replies older than `since_id`: they are all
//! newer than the post that started it (ids grow with time), so `since_id` is lowered to
//! that post's id for the walk. Recent search refuses a `since_id` older than 7 days: such a
//! one is dropped (the walk then reads like a first sync, bounded).

use chrono::{Duration, Utc};

use super::cursor::{compare_ids, Cursor};
use super::fetch::{ids, posts_call, FeedRead};
use super::items::snowflake_time;
use super::payload::text;
use super::XConnector;
use crate::connectors::http::Call;
use crate::connectors::ConnectorError;

/// The brand's posts whose conversations are searched (X's least `max_results`).
pub const RECENT_POSTS: u32 = 5;
/// How far back recent search reaches, less an hour for safety.
const SEARCH_REACH_HOURS: i64 = 7 * 24 - 1;

impl XConnector {
    pub(super) async fn replies(&self, cursor: &mut Cursor) -> Result<FeedRead, ConnectorError> {
        if !cursor.r.under_way() {
            let fresh = self.recent_conversations().await?;
            let oldest_new = fresh
                .iter()
                .filter(|c| !cursor.conversations.contains(c))
                .min_by(|a, b| compare_ids(a, b));
            if let (Some(new), Some(since)) = (oldest_new, cursor.r.since.as_deref()) {
                if compare_ids(new, since).is_lt() {
                    cursor.r.since = Some(new.clone());
                }
            }
            if cursor.r.since.as_deref().is_some_and(beyond_search) {
                cursor.r.since = None;
            }
            self.remember_conversations(&fresh);
            cursor.conversations = fresh;
        }
        if cursor.conversations.is_empty() {
            return Ok(FeedRead::default());
        }
        let query = cursor
            .conversations
            .iter()
            .map(|c| format!("conversation_id:{c}"))
            .collect::<Vec<_>>()
            .join(" OR ");
        let mut call = posts_call("/2/tweets/search/recent".into()).query("query", query);
        if let Some(since) = &cursor.r.since {
            call = call.query("since_id", since);
        }
        if let Some(token) = &cursor.r.next_token {
            call = call.query("next_token", token);
        }
        let answer = self.read_posts(call).await?;
        let mut read = self.post_items(&answer);
        read.goes_on = cursor
            .r
            .advance(&ids(&answer.data), answer.next_token.as_deref(), false);
        Ok(read)
    }

    /// The conversation ids of the brand's latest posts (a post starts its own).
    async fn recent_conversations(&self) -> Result<Vec<String>, ConnectorError> {
        let call = Call::get(format!("/2/users/{}/tweets", self.user_id))
            .query("max_results", RECENT_POSTS)
            .query("exclude", "replies,retweets")
            .query("tweet.fields", "conversation_id,created_at");
        let answer = self.read_posts(call).await?;
        let mut conversations: Vec<String> = answer
            .data
            .iter()
            .filter_map(|post| text(post, "conversation_id").or_else(|| text(post, "id")))
            .filter(|id| super::path_id(id).is_ok())
            .collect();
        conversations.dedup();
        Ok(conversations)
    }
}

/// Whether a `since_id` is older than recent search reaches.
fn beyond_search(since: &str) -> bool {
    let reach = Utc::now() - Duration::hours(SEARCH_REACH_HOURS);
    snowflake_time(since).is_some_and(|t| t < reach)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_since_id_older_than_recent_search_reaches_is_dropped() {
        assert!(beyond_search("1578516295611748353"), "2022");
        let millis = (Utc::now() - Duration::hours(1)).timestamp_millis() - 1_288_834_974_657;
        let recent = ((millis as u64) << 22).to_string();
        assert!(!beyond_search(&recent));
    }
}
