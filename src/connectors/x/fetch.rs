//! `fetch_new`: one page of one feed per call, as the cursor says (see `cursor`): mentions,
//! then replies in the brand's conversations (`conversations`), then DMs; `more` until the
//! DMs are read, and the next pass starts again with mentions.
//!
//! - Mentions: `GET /2/users/:id/mentions` with `since_id`, `max_results=100`,
//!   `expansions=author_id`, the post and user fields, paged by `pagination_token`.
//! - DMs: `GET /2/dm_events` with `event_types=MessageCreate`, `expansions=sender_id`, the
//!   DM event and user fields, `max_results=20`, paged by `pagination_token` until the page
//!   that reaches what was stored (the endpoint has no `since_id`); events already stored
//!   are not brought again.
//!
//! Every page is charged to the day's spend (posts, users and DM events returned). A post
//! or event that cannot be an item is a [`PayloadProblem`]; the page goes on.

use chrono::Utc;
use serde_json::Value;

use super::cursor::{Cursor, Feed, Walk};
use super::items::{dm_item, tweet_item, Placing};
use super::meter::Resource;
use super::payload::{text, ListAnswer};
use super::{XConnector, DM_EVENT_FIELDS, TWEET_FIELDS, USER_FIELDS};
use crate::connectors::http::Call;
use crate::connectors::{ConnectorError, Page, PayloadProblem};
use crate::model::NewItem;

/// Posts asked per page (X's most).
pub const POSTS_PER_PAGE: u32 = 100;
/// DM events asked per page: `GET /2/dm_events` has no `since_id`, so every pass reads a
/// page of events already stored, which X charges again each UTC day (DM Event: Read): a
/// small page keeps that to $0.20 a day, at the cost of more pages after a busy spell.
pub const DMS_PER_PAGE: u32 = 20;

/// What one page of a feed gave.
#[derive(Default)]
pub struct FeedRead {
    pub items: Vec<NewItem>,
    pub problems: Vec<PayloadProblem>,
    /// Whether the feed's walk has another page.
    pub goes_on: bool,
}

impl XConnector {
    pub(super) async fn fetch_page(&self, stored: Option<&str>) -> Result<Page, ConnectorError> {
        let mut cursor = Cursor::parse(stored);
        if self.brand_conversations().is_empty() && !cursor.conversations.is_empty() {
            self.remember_conversations(&cursor.conversations);
        }
        let feed = cursor.next;
        let read = match feed {
            Feed::Mentions => self.mentions(&mut cursor.m).await?,
            Feed::Replies => self.replies(&mut cursor).await?,
            Feed::Dms => self.dms(&mut cursor.d).await?,
        };
        if !read.goes_on {
            cursor.next = feed.next().unwrap_or_default();
        }
        tracing::debug!(
            account = %self.account,
            ?feed,
            items = read.items.len(),
            problems = read.problems.len(),
            "x page"
        );
        Ok(Page {
            items: read.items,
            problems: read.problems,
            cursor: Some(cursor.to_text()),
            more: read.goes_on || feed.next().is_some(),
        })
    }

    async fn mentions(&self, walk: &mut Walk) -> Result<FeedRead, ConnectorError> {
        let mut call = posts_call(format!("/2/users/{}/mentions", self.user_id));
        if let Some(since) = &walk.since {
            call = call.query("since_id", since);
        }
        if let Some(token) = &walk.next_token {
            call = call.query("pagination_token", token);
        }
        let answer = self.read_posts(call).await?;
        let mut read = self.post_items(&answer);
        read.goes_on = walk.advance(&ids(&answer.data), answer.next_token.as_deref(), false);
        Ok(read)
    }

    async fn dms(&self, walk: &mut Walk) -> Result<FeedRead, ConnectorError> {
        let mut call = Call::get("/2/dm_events")
            .query("dm_event.fields", DM_EVENT_FIELDS)
            .query("event_types", "MessageCreate")
            .query("expansions", "sender_id")
            .query("user.fields", USER_FIELDS)
            .query("max_results", DMS_PER_PAGE);
        if let Some(token) = &walk.next_token {
            call = call.query("pagination_token", token);
        }
        let answer = ListAnswer::read(&self.send(call).await?);
        self.charge(&answer, |id| Resource::DmEvent(id));
        let ids = ids(&answer.data);
        let reached = ids.iter().any(|id| !walk.is_new(id));
        let placing = self.placing();
        let placing = placing.get();
        let mut read = FeedRead::default();
        for event in &answer.data {
            if text(event, "id").is_some_and(|id| !walk.is_new(&id)) {
                continue; // stored by an earlier walk
            }
            match dm_item(event, &answer.users, &placing) {
                Some(Ok(item)) => read.items.push(item),
                Some(Err(problem)) => read.problems.push(problem),
                None => {}
            }
        }
        read.goes_on = walk.advance(&ids, answer.next_token.as_deref(), reached);
        Ok(read)
    }

    /// Reads a page of posts and charges it.
    pub(super) async fn read_posts(&self, call: Call) -> Result<ListAnswer, ConnectorError> {
        let answer = ListAnswer::read(&self.send(call).await?);
        self.charge(&answer, |id| Resource::Post(id));
        if !answer.errors.is_empty() {
            tracing::debug!(account = %self.account, errors = ?answer.errors, "x partial errors");
        }
        Ok(answer)
    }

    /// Charges a read answer: each entry of `data` as `resource`, each included user.
    pub(super) fn charge(&self, answer: &ListAnswer, resource: fn(&str) -> Resource<'_>) {
        let ids: Vec<String> = answer.data.iter().filter_map(|v| text(v, "id")).collect();
        let mut billed: Vec<Resource<'_>> = ids.iter().map(|id| resource(id)).collect();
        billed.extend(answer.users.keys().map(|id| Resource::User(id)));
        self.meter.read(&billed);
    }

    /// The posts of an answer as items (or problems).
    pub(super) fn post_items(&self, answer: &ListAnswer) -> FeedRead {
        let placing = self.placing();
        let placing = placing.get();
        let mut read = FeedRead::default();
        for tweet in &answer.data {
            match tweet_item(tweet, &answer.users, &placing) {
                Ok(item) => read.items.push(item),
                Err(problem) => read.problems.push(problem),
            }
        }
        read
    }

    /// What making items needs, as of now.
    pub(super) fn placing(&self) -> PlacingData<'_> {
        PlacingData {
            account: &self.account,
            brand_id: &self.user_id,
            conversations: self.brand_conversations(),
        }
    }
}

/// The owned part of a [`Placing`] (the conversations are a copy).
pub struct PlacingData<'a> {
    account: &'a str,
    brand_id: &'a str,
    conversations: Vec<String>,
}

impl PlacingData<'_> {
    pub fn get(&self) -> Placing<'_> {
        Placing {
            account: self.account,
            brand_id: self.brand_id,
            brand_conversations: &self.conversations,
            now: Utc::now(),
        }
    }
}

/// A read of posts with the fields and expansions every post read asks for.
pub fn posts_call(target: String) -> Call {
    Call::get(target)
        .query("max_results", POSTS_PER_PAGE)
        .query("expansions", "author_id")
        .query("tweet.fields", TWEET_FIELDS)
        .query("user.fields", USER_FIELDS)
}

/// The ids of a page's entries.
pub fn ids(data: &[Value]) -> Vec<&str> {
    data.iter()
        .filter_map(|v| v.get("id").and_then(Value::as_str))
        .collect()
}
