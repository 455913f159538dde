//! What the simulator remembers about the traffic it made: the brand's posts (so comments
//! have something to answer), every conversation (who, about what, where it stands), and
//! which conversation each remote id belongs to (so a reply lands in the right one).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::compose::Fill;
use super::corpus::{Language, Topic};
use super::dice::{self, Dice};
use crate::model::{Kind, Platform};

/// How many conversations stay open for follow-ups; older ones are abandoned, as people
/// give up.
const OPEN_LIMIT: usize = 60;
/// A brand post stops attracting new comments after this long.
const POST_SHELF_LIFE_HOURS: i64 = 36;
/// Only a platform's latest posts are considered for new comments.
const RECENT_POSTS: usize = 12;

/// A post the brand published, that customers comment on.
pub(crate) struct BrandPost {
    pub platform: Platform,
    pub id: String,
    pub at: DateTime<Utc>,
}

/// One customer's conversation with the brand.
pub(crate) struct Conversation {
    pub platform: Platform,
    pub kind: Kind,
    pub thread_id: String,
    /// The index of the customer in the cast.
    pub customer: usize,
    pub topic: Topic,
    pub lang: &'static Language,
    pub fill: Fill,
    /// The customer's first message in it.
    pub first_id: String,
    /// The latest message in it (theirs or ours) and when.
    pub last_id: String,
    pub last_at: DateTime<Utc>,
    /// How many more times the customer may write without being asked.
    pub turns_left: u8,
    /// Whether the brand wrote the latest message.
    pub brand_spoke_last: bool,
}

/// The simulator's memory.
#[derive(Default)]
pub(crate) struct Ledger {
    conversations: Vec<Conversation>,
    open: Vec<usize>,
    by_item: BTreeMap<String, usize>,
    posts: Vec<BrandPost>,
}

impl Ledger {
    /// Remembers a new conversation, whose first message is `conv.first_id`.
    pub fn open(&mut self, conv: Conversation) -> usize {
        let index = self.conversations.len();
        self.by_item.insert(conv.first_id.clone(), index);
        let keep_open = conv.turns_left > 0;
        self.conversations.push(conv);
        if keep_open {
            self.open.push(index);
            if self.open.len() > OPEN_LIMIT {
                self.open.remove(0);
            }
        }
        index
    }

    pub fn get(&self, index: usize) -> &Conversation {
        &self.conversations[index]
    }

    /// Records a new message in a conversation (`by_brand` when it is ours).
    pub fn record(&mut self, index: usize, id: &str, at: DateTime<Utc>, by_brand: bool) {
        self.by_item.insert(id.to_string(), index);
        let conv = &mut self.conversations[index];
        conv.last_id = id.to_string();
        conv.last_at = conv.last_at.max(at);
        conv.brand_spoke_last = by_brand;
    }

    /// Uses up one of the customer's unprompted turns; closes the conversation at zero.
    pub fn spend_turn(&mut self, index: usize) {
        let conv = &mut self.conversations[index];
        conv.turns_left = conv.turns_left.saturating_sub(1);
        if conv.turns_left == 0 {
            self.open.retain(|&i| i != index);
        }
    }

    /// The conversation a remote id belongs to.
    pub fn conversation_of(&self, remote_id: &str) -> Option<usize> {
        self.by_item.get(remote_id).copied()
    }

    /// A recent open conversation whose latest message is at least a minute older than
    /// `at`, if there is one. Recent ones are likelier.
    pub fn pick_open(&self, rng: &mut Dice, at: DateTime<Utc>) -> Option<usize> {
        let ready: Vec<usize> = self
            .open
            .iter()
            .copied()
            .filter(|&i| self.conversations[i].last_at + Duration::minutes(1) < at)
            .collect();
        if ready.is_empty() {
            return None;
        }
        let a = dice::index(rng, ready.len());
        let b = dice::index(rng, ready.len());
        Some(ready[a.max(b)])
    }

    /// A brand post on `platform` fresh enough to comment on at `at`, if any.
    pub fn recent_post(
        &self,
        rng: &mut Dice,
        platform: &Platform,
        at: DateTime<Utc>,
    ) -> Option<&BrandPost> {
        let fresh: Vec<&BrandPost> = self
            .posts
            .iter()
            .rev()
            .filter(|p| &p.platform == platform)
            .take(RECENT_POSTS)
            .filter(|p| at - p.at < Duration::hours(POST_SHELF_LIFE_HOURS))
            .filter(|p| p.at + Duration::minutes(2) < at)
            .collect();
        if fresh.is_empty() {
            None
        } else {
            Some(fresh[dice::index(rng, fresh.len())])
        }
    }

    pub fn add_post(&mut self, post: BrandPost) {
        self.posts.push(post);
    }
}
