//! Replies sent to the simulator, as if it were the platforms: each is checked like a
//! platform would (one of our accounts, not empty, within the length limit), becomes our
//! item in that thread, is kept for inspection, and sometimes earns a customer answer that
//! the live stream yields later ("thanks!", "still nothing…", the order number asked for).

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::corpus::{Topic, ENGLISH, FRENCH, OTHERS};
use super::dice;
use super::ids::Shape;
use super::script::{self, customer_line, reply_shape, Next};
use super::traffic::Outgoing;
use super::Simulator;
use crate::model::{Item, Kind, NewItem, Platform};

/// A reply as the platform accepted it.
#[derive(Clone, Debug, PartialEq)]
pub struct SimulatedReply {
    /// Our reply as it now appears in the thread (`from_brand: true`).
    pub reply: NewItem,
    /// When the customer will answer it, if they will (it then comes out of
    /// [`Simulator::next_live`]).
    pub follow_up_in: Option<StdDuration>,
}

/// A reply the simulator received, for tests and the demo's own checks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SentReply {
    pub platform: Platform,
    pub account: String,
    /// The remote id of the item answered.
    pub in_reply_to: String,
    pub thread_id: String,
    /// The remote id the platform gave our reply.
    pub remote_id: String,
    pub text: String,
    pub at: DateTime<Utc>,
}

/// Why the simulated platform refused a reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimulatorError {
    #[error("account '{account}' is not a demo account (the simulator serves {known})")]
    NotOurAccount { account: String, known: String },
    #[error("the reply is empty: {platform} refuses empty messages")]
    EmptyReply { platform: Platform },
    #[error("the reply is {length} characters long; {platform} allows at most {limit}")]
    TooLong {
        platform: Platform,
        length: usize,
        limit: usize,
    },
}

/// The most characters (grapheme clusters) a platform accepts in one reply.
fn length_limit(platform: &Platform) -> usize {
    match platform {
        Platform::X => 280,
        Platform::Bluesky => 300,
        Platform::Mastodon => 500,
        Platform::Instagram => 2_200,
        Platform::Facebook => 8_000,
        Platform::Youtube => 10_000,
        Platform::Other(_) => 10_000,
    }
}

/// How soon a customer answers a reply: between 20 seconds and two and a half minutes.
const FOLLOW_UP_MS: (u64, u64) = (20_000, 150_000);

impl Simulator {
    /// Sends our reply to `item` on its platform. The reply is dated at the simulator's
    /// clock (the latest live arrival), and always after the item it answers.
    pub fn deliver_reply(
        &mut self,
        item: &Item,
        text: &str,
    ) -> Result<SimulatedReply, SimulatorError> {
        let platform = self.check_reply(item, text)?;
        let at = self.clock.max(item.created_at + Duration::seconds(1));
        let conv = self.ledger.conversation_of(&item.remote_id);
        let lang = item.lang.clone().unwrap_or_else(|| "en".to_string());
        let reply = self.publish(Outgoing {
            platform: platform.clone(),
            kind: item.kind,
            shape: reply_shape(item.kind),
            at,
            thread: Some(item.thread_key().to_string()),
            parent: Some(item.remote_id.clone()),
            author: self.brand.author(&platform).clone(),
            recipient: item.author.clone(),
            text: text.to_string(),
            lang,
            from_brand: true,
            followers: None,
        });
        if let Some(conv) = conv {
            self.ledger.record(conv, &reply.remote_id, at, true);
        }
        self.sent.push(SentReply {
            platform,
            account: item.account.clone(),
            in_reply_to: item.remote_id.clone(),
            thread_id: item.thread_key().to_string(),
            remote_id: reply.remote_id.clone(),
            text: text.to_string(),
            at,
        });
        let follow_up_in = match item.from_brand {
            true => None,
            false => self.schedule_follow_up(item, conv, &reply, text),
        };
        Ok(SimulatedReply {
            reply,
            follow_up_in,
        })
    }

    /// The platform of the item's account, if the reply is acceptable there.
    fn check_reply(&self, item: &Item, text: &str) -> Result<Platform, SimulatorError> {
        let Some(platform) = self.brand.platform_of(&item.account).cloned() else {
            let known = self
                .accounts()
                .into_iter()
                .map(|(account, _)| account)
                .collect::<Vec<_>>()
                .join(", ");
            return Err(SimulatorError::NotOurAccount {
                account: item.account.clone(),
                known,
            });
        };
        if text.trim().is_empty() {
            return Err(SimulatorError::EmptyReply { platform });
        }
        let length = text.graphemes(true).count();
        let limit = length_limit(&platform);
        if length > limit {
            return Err(SimulatorError::TooLong {
                platform,
                length,
                limit,
            });
        }
        Ok(platform)
    }

    /// Decides whether and how the customer answers our reply, and queues that answer.
    fn schedule_follow_up(
        &mut self,
        item: &Item,
        conv: Option<usize>,
        reply: &NewItem,
        text: &str,
    ) -> Option<StdDuration> {
        let topic = conv.map(|c| self.ledger.get(c).topic);
        let next = self.follow_up_kind(topic, text)?;
        let delay_ms = dice::between(&mut self.rng, FOLLOW_UP_MS.0, FOLLOW_UP_MS.1);
        let delay = StdDuration::from_millis(delay_ms);
        let due = reply.created_at + Duration::milliseconds(i64::try_from(delay_ms).ok()?);
        let answer = match conv {
            Some(c) => self.customer_says(c, next, due),
            None => self.stranger_says(item, reply, next, due),
        };
        let slot = self.scheduled.partition_point(|(t, _)| *t <= due);
        self.scheduled.insert(slot, (due, answer));
        Some(delay)
    }

    /// What the customer answers with, or `None` when they do not answer.
    fn follow_up_kind(&mut self, topic: Option<Topic>, reply_text: &str) -> Option<Next> {
        let rng = &mut self.rng;
        match topic {
            Some(Topic::Spam) => None,
            Some(Topic::Troll | Topic::Insult) => dice::chance(rng, 50).then_some(Next::FollowUp),
            Some(Topic::Journalist) => dice::chance(rng, 70).then_some(Next::FollowUp),
            _ if script::asks_for_details(reply_text) && dice::chance(rng, 75) => {
                Some(Next::Details)
            }
            Some(Topic::LegalThreat) => {
                dice::chance(rng, 80).then(|| script::reaction(rng, Topic::LegalThreat, reply_text))
            }
            _ => dice::weighted(
                rng,
                &[
                    (Some(Next::Thanks), 50),
                    (Some(Next::StillWaiting), 20),
                    (None, 30),
                ],
            ),
        }
    }

    /// An answer from someone the simulator did not write (an imported item): written in
    /// the item's language, with facts rolled on the spot.
    fn stranger_says(
        &mut self,
        item: &Item,
        reply: &NewItem,
        next: Next,
        at: DateTime<Utc>,
    ) -> NewItem {
        let lang = [ENGLISH, FRENCH]
            .into_iter()
            .chain(OTHERS)
            .find(|l| Some(l.code) == item.lang.as_deref())
            .unwrap_or(ENGLISH);
        let (lang, template) = customer_line(&mut self.rng, lang, Topic::LateOrder, next);
        let mut fill = self.fill_for(lang, &item.platform, None);
        fill.first = item
            .author
            .name
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        let text = super::compose::render(template, &fill);
        self.publish(Outgoing {
            platform: item.platform.clone(),
            kind: item.kind,
            shape: if item.kind == Kind::Dm {
                Shape::Message
            } else {
                Shape::Reply
            },
            at,
            thread: Some(item.thread_key().to_string()),
            parent: Some(reply.remote_id.clone()),
            author: item.author.clone(),
            recipient: reply.author.clone(),
            text,
            lang: lang.code.to_string(),
            from_brand: false,
            followers: None,
        })
    }
}
