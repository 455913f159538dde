//! How traffic is made. Each arrival either starts a conversation (a topic, then who writes
//! about it, on which platform, as a comment, DM or mention) or continues an open one (a
//! nudge, a reaction to the brand's reply, another customer chiming in under the same post).

use chrono::{DateTime, Duration, Utc};

use super::compose::{self, Fill, FillContext, Voice};
use super::conversation::{BrandPost, Conversation};
use super::corpus::{Language, Topic, ENGLISH, FRENCH};
use super::dice;
use super::ids::{self, IdRequest, Shape};
use super::payload::Draft;
use super::people::Role;
use super::script::{
    bank_for, brand_answers, carries, customer_line, first_shape, joinable, kind_weights, provokes,
    reaction, reply_lines, reply_shape, turns_for, Forced, Next, TOPIC_WEIGHTS,
};
use super::Simulator;
use crate::model::{Author, Kind, NewItem, Platform};

/// One arrival: the customer's message, and the brand items it needs first.
pub(super) struct Arrival {
    pub context: Vec<NewItem>,
    pub message: NewItem,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// Before `start`: the brand has already answered some conversations.
    Backlog,
    /// From `start` on: only the team answers, through `deliver_reply`.
    Live,
}

/// The odds (percent) that an arrival continues an open conversation rather than starting one.
const CONTINUE_ODDS: u32 = 35;

/// A message to publish on one of the brand's accounts.
pub(super) struct Outgoing {
    pub platform: Platform,
    pub kind: Kind,
    pub shape: Shape,
    pub at: DateTime<Utc>,
    /// The thread it joins; `None` starts one (a DM conversation or its own root).
    pub thread: Option<String>,
    pub parent: Option<String>,
    pub author: Author,
    pub recipient: Author,
    pub text: String,
    pub lang: String,
    pub from_brand: bool,
    pub followers: Option<u64>,
}

impl Simulator {
    pub(super) fn arrival(
        &mut self,
        at: DateTime<Utc>,
        mode: Mode,
        forced: Option<Forced>,
    ) -> Arrival {
        if forced.is_none() && dice::chance(&mut self.rng, CONTINUE_ODDS) {
            if let Some(conv) = self.ledger.pick_open(&mut self.rng, at) {
                return self.continue_conversation(conv, at, mode);
            }
        }
        self.start_conversation(at, forced)
    }

    /// Mints the remote id and thread id, and shapes the item like the platform would.
    pub(super) fn publish(&mut self, out: Outgoing) -> NewItem {
        let request = IdRequest {
            platform: &out.platform,
            shape: out.shape,
            at: out.at,
            author: &out.author,
            root: out.thread.as_deref(),
            parent: out.parent.as_deref(),
        };
        let remote_id = self.mint.remote_id(&mut self.rng, &request);
        let thread_id = match out.thread {
            Some(thread) => thread,
            None if out.kind == Kind::Dm => {
                let (customer, brand) = match out.from_brand {
                    true => (&out.recipient, &out.author),
                    false => (&out.author, &out.recipient),
                };
                ids::dm_thread_id(&out.platform, customer, brand, &remote_id)
            }
            None => remote_id.clone(),
        };
        Draft {
            account: self.brand.account(&out.platform),
            platform: out.platform,
            kind: out.kind,
            remote_id,
            thread_id,
            parent_id: out.parent,
            author: out.author,
            recipient: out.recipient,
            text: out.text,
            lang: out.lang,
            at: out.at,
            from_brand: out.from_brand,
            followers: out.followers,
        }
        .into_item()
    }

    /// The facts of a new conversation, written in `lang`, by `who` if known.
    pub(super) fn fill_for(
        &mut self,
        lang: &'static Language,
        platform: &Platform,
        who: Option<usize>,
    ) -> Fill {
        let (first, outlet) = match who.map(|w| self.cast.get(w)) {
            Some(person) => match person.role {
                Role::Journalist { outlet } => (person.first.clone(), outlet),
                _ => (person.first.clone(), ""),
            },
            None => (String::new(), ""),
        };
        let at = self.brand.tag(platform);
        let order_prefix = self.brand.order_prefix();
        let ctx = FillContext {
            lang,
            brand: &self.brand.name,
            at,
            order_prefix: &order_prefix,
            first: &first,
            outlet,
        };
        Fill::roll(&mut self.rng, ctx)
    }

    fn start_conversation(&mut self, at: DateTime<Utc>, forced: Option<Forced>) -> Arrival {
        let topic = match forced {
            Some(f) => f.topic,
            None => dice::weighted(&mut self.rng, &TOPIC_WEIGHTS),
        };
        let who = self
            .cast
            .for_topic(&mut self.rng, topic, forced.and_then(|f| f.lang));
        let (platform, kind) = self.place(who, topic, forced.and_then(|f| f.kind));
        let (lang, bank) = bank_for(self.cast.get(who).lang, topic);
        let fill = self.fill_for(lang, &platform, Some(who));
        let template = dice::pick(&mut self.rng, bank.openers);
        let voice = Voice {
            topic,
            kind,
            lang,
            fill: &fill,
            opening: true,
        };
        let text = compose::speak(&mut self.rng, template, &voice);
        let mut context = Vec::new();
        let root = match kind {
            Kind::Comment => Some(self.post_for(&platform, at, &mut context)),
            _ => None,
        };
        let person = self.cast.get(who);
        let message = self.publish(Outgoing {
            platform: platform.clone(),
            kind,
            shape: if kind == Kind::Comment {
                Shape::Reply
            } else {
                first_shape(kind)
            },
            at,
            thread: root.clone(),
            parent: root,
            author: person.author(&platform).clone(),
            recipient: self.brand.author(&platform).clone(),
            text,
            lang: lang.code.to_string(),
            from_brand: false,
            followers: person.followers(),
        });
        let turns_left = turns_for(&mut self.rng, topic);
        self.ledger.open(Conversation {
            platform,
            kind,
            thread_id: message.thread_id.clone().unwrap_or_default(),
            customer: who,
            topic,
            lang,
            fill,
            first_id: message.remote_id.clone(),
            last_id: message.remote_id.clone(),
            last_at: at,
            turns_left,
            brand_spoke_last: false,
        });
        Arrival { context, message }
    }

    /// Where `who` writes about `topic`: a platform they use that carries the kind.
    fn place(&mut self, who: usize, topic: Topic, kind: Option<Kind>) -> (Platform, Kind) {
        let kind = kind.unwrap_or_else(|| dice::weighted(&mut self.rng, &kind_weights(topic)));
        let mut usable: Vec<Platform> = self
            .cast
            .get(who)
            .platforms
            .iter()
            .filter(|p| carries(p, kind, topic))
            .cloned()
            .collect();
        if usable.is_empty() {
            usable = Platform::KNOWN
                .into_iter()
                .filter(|p| carries(p, kind, topic))
                .collect();
        }
        (
            usable[dice::index(&mut self.rng, usable.len())].clone(),
            kind,
        )
    }

    /// A brand post on `platform` to comment on at `at`: a recent one, or a new one pushed
    /// onto `context`.
    fn post_for(
        &mut self,
        platform: &Platform,
        at: DateTime<Utc>,
        context: &mut Vec<NewItem>,
    ) -> String {
        if dice::chance(&mut self.rng, 75) {
            if let Some(post) = self.ledger.recent_post(&mut self.rng, platform, at) {
                return post.id.clone();
            }
        }
        let age_ms = dice::between(&mut self.rng, 5 * 60_000, 6 * 3_600_000);
        let post_at = at - Duration::milliseconds(i64::try_from(age_ms).unwrap_or(0));
        let lang = if dice::chance(&mut self.rng, 50) {
            ENGLISH
        } else {
            FRENCH
        };
        let fill = self.fill_for(lang, platform, None);
        let text = compose::brand_text(&mut self.rng, |l| l.brand.posts, lang, &fill);
        let brand = self.brand.author(platform).clone();
        let post = self.publish(Outgoing {
            platform: platform.clone(),
            kind: Kind::Comment,
            shape: Shape::Post,
            at: post_at,
            thread: None,
            parent: None,
            author: brand.clone(),
            recipient: brand,
            text,
            lang: lang.code.to_string(),
            from_brand: true,
            followers: None,
        });
        let id = post.remote_id.clone();
        self.ledger.add_post(BrandPost {
            platform: platform.clone(),
            id: id.clone(),
            at: post_at,
        });
        context.push(post);
        id
    }

    fn continue_conversation(&mut self, idx: usize, at: DateTime<Utc>, mode: Mode) -> Arrival {
        let conv = self.ledger.get(idx);
        let (kind, topic, brand_spoke_last) = (conv.kind, conv.topic, conv.brand_spoke_last);
        self.ledger.spend_turn(idx);
        if kind == Kind::Comment && joinable(topic) && dice::chance(&mut self.rng, 25) {
            if let Some(message) = self.join(idx, at) {
                return Arrival {
                    context: Vec::new(),
                    message,
                };
            }
        }
        let mut context = Vec::new();
        let next = if mode == Mode::Backlog
            && !brand_spoke_last
            && brand_answers(topic)
            && dice::chance(&mut self.rng, 55)
        {
            let reply = self.earlier_brand_reply(idx, at);
            let next = reaction(&mut self.rng, topic, &reply.text);
            context.push(reply);
            next
        } else if brand_spoke_last {
            reaction(&mut self.rng, topic, "")
        } else if provokes(topic) || !dice::chance(&mut self.rng, 50) {
            Next::FollowUp
        } else {
            Next::Nudge
        };
        let message = self.customer_says(idx, next, at);
        Arrival { context, message }
    }

    /// The customer of conversation `idx` writes again at `at`.
    pub(super) fn customer_says(&mut self, idx: usize, next: Next, at: DateTime<Utc>) -> NewItem {
        let conv = self.ledger.get(idx);
        let (lang, template) = customer_line(&mut self.rng, conv.lang, conv.topic, next);
        let voice = Voice {
            topic: conv.topic,
            kind: conv.kind,
            lang,
            fill: &conv.fill,
            opening: false,
        };
        let text = compose::speak(&mut self.rng, template, &voice);
        let person = self.cast.get(conv.customer);
        let out = Outgoing {
            platform: conv.platform.clone(),
            kind: conv.kind,
            shape: reply_shape(conv.kind),
            at,
            thread: Some(conv.thread_id.clone()),
            parent: Some(conv.last_id.clone()),
            author: person.author(&conv.platform).clone(),
            recipient: self.brand.author(&conv.platform).clone(),
            text,
            lang: lang.code.to_string(),
            from_brand: false,
            followers: person.followers(),
        };
        let item = self.publish(out);
        self.ledger.record(idx, &item.remote_id, at, false);
        item
    }

    /// In the backlog, the brand answered between the customer's last message and `at`.
    fn earlier_brand_reply(&mut self, idx: usize, at: DateTime<Utc>) -> NewItem {
        let conv = self.ledger.get(idx);
        let span = (at - conv.last_at).num_milliseconds();
        let share = i64::try_from(dice::between(&mut self.rng, 30, 80)).unwrap_or(50);
        let reply_at = conv.last_at + Duration::milliseconds(span * share / 100);
        let lines = reply_lines(conv.topic);
        let text = compose::brand_text(&mut self.rng, lines, conv.lang, &conv.fill);
        let out = Outgoing {
            platform: conv.platform.clone(),
            kind: conv.kind,
            shape: reply_shape(conv.kind),
            at: reply_at,
            thread: Some(conv.thread_id.clone()),
            parent: Some(conv.last_id.clone()),
            author: self.brand.author(&conv.platform).clone(),
            recipient: self.cast.get(conv.customer).author(&conv.platform).clone(),
            text,
            lang: conv.lang.or_english(lines).code.to_string(),
            from_brand: true,
            followers: None,
        };
        let item = self.publish(out);
        self.ledger.record(idx, &item.remote_id, reply_at, true);
        item
    }

    /// Another customer chimes in under the same post ("same here"). `None` when the only
    /// candidate is the conversation's own customer.
    fn join(&mut self, idx: usize, at: DateTime<Utc>) -> Option<NewItem> {
        let conv = self.ledger.get(idx);
        let (code, topic, original) = (conv.lang.code, conv.topic, conv.customer);
        let who = self.cast.customer(&mut self.rng, Some(code));
        if who == original {
            return None;
        }
        let conv = self.ledger.get(idx);
        let (platform, thread, first_id) = (
            conv.platform.clone(),
            conv.thread_id.clone(),
            conv.first_id.clone(),
        );
        let lang = conv.lang.or_english(|l| l.joins);
        let fill = self.fill_for(lang, &platform, Some(who));
        let template = dice::pick(&mut self.rng, lang.joins);
        let voice = Voice {
            topic,
            kind: Kind::Comment,
            lang,
            fill: &fill,
            opening: false,
        };
        let text = compose::speak(&mut self.rng, template, &voice);
        let parent = if dice::chance(&mut self.rng, 60) {
            thread.clone()
        } else {
            first_id
        };
        let person = self.cast.get(who);
        let item = self.publish(Outgoing {
            platform: platform.clone(),
            kind: Kind::Comment,
            shape: Shape::Reply,
            at,
            thread: Some(thread.clone()),
            parent: Some(parent),
            author: person.author(&platform).clone(),
            recipient: self.brand.author(&platform).clone(),
            text,
            lang: lang.code.to_string(),
            from_brand: false,
            followers: person.followers(),
        });
        let turns_left = u8::from(dice::chance(&mut self.rng, 40));
        self.ledger.open(Conversation {
            platform,
            kind: Kind::Comment,
            thread_id: thread,
            customer: who,
            topic,
            lang,
            fill,
            first_id: item.remote_id.clone(),
            last_id: item.remote_id.clone(),
            last_at: at,
            turns_left,
            brand_spoke_last: false,
        });
        Some(item)
    }
}
