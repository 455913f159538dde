//! The built-in demo simulator: believable customer traffic for `switchboard demo`, with
//! nothing to configure, and deterministic benchmark data.
//!
//! It plays one brand (default "Acme") with one account per platform (`acme-mastodon`,
//! `acme-bluesky`, `acme-x`, `acme-facebook`, `acme-instagram`, `acme-youtube`) and a cast of
//! people writing to it in English and French (and, sparsely, six other languages): late
//! orders, refunds, damaged goods, praise, questions, store hours, checkout trouble, trolls,
//! insults, spam, legal threats, a journalist, an influencer. Regular customers come back,
//! conversations continue, others chime in under the same post.
//!
//! What it emits, decided here once:
//! - Customer messages (`from_brand: false`): comments on the brand's posts, DMs (several
//!   messages per conversation) and mentions.
//! - Context (`from_brand: true`): the brand's own posts, emitted just before the first
//!   comment that answers them, as kind `comment` with no parent and `thread_id` = their own
//!   remote id (the root of the comment thread); and, in the backlog, some earlier brand
//!   replies inside conversations, in the kind of the conversation they answer.
//! - Every `parent_id` names an item of the same thread emitted earlier (a brand post, a
//!   customer message or a brand reply); DM openers and mentions have none.
//!
//! Determinism: everything comes from one ChaCha8 stream seeded with the seed, and every
//! time is computed from the `start` time given to [`Simulator::new`]; the wall clock is
//! never read. The same seed, brand and start give byte-identical items, live arrivals and
//! replies, as long as the same calls are made in the same order.

mod brand;
mod compose;
mod conversation;
mod corpus;
mod dice;
mod ids;
mod payload;
mod people;
mod replies;
mod script;
mod timing;
mod traffic;

use std::collections::VecDeque;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use rand::SeedableRng;

use crate::model::{NewItem, Platform};
use brand::Brand;
use conversation::Ledger;
use dice::Dice;
use ids::IdMint;
use people::Cast;
use script::Forced;
use timing::LivePace;
use traffic::Mode;

pub use corpus::Topic;
pub use replies::{SentReply, SimulatedReply, SimulatorError};

/// The brand the demo plays when none is configured.
pub const DEFAULT_BRAND: &str = "Acme";

/// A deterministic source of customer traffic for one brand.
pub struct Simulator {
    rng: Dice,
    start: DateTime<Utc>,
    /// The time of the latest live arrival (starts at `start`).
    clock: DateTime<Utc>,
    brand: Brand,
    cast: Cast,
    mint: IdMint,
    ledger: Ledger,
    pace: LivePace,
    /// Items already decided that come right after the last one handed out.
    queued: VecDeque<NewItem>,
    /// Customer answers to our replies, soonest first.
    scheduled: Vec<(DateTime<Utc>, NewItem)>,
    sent: Vec<SentReply>,
}

impl Simulator {
    /// A simulator for `brand` (an empty name means [`DEFAULT_BRAND`]); the backlog ends
    /// just before `start` and live traffic begins at it.
    pub fn new(seed: u64, brand: &str, start: DateTime<Utc>) -> Simulator {
        let mut rng = Dice::seed_from_u64(seed);
        let brand = Brand::new(&mut rng, brand);
        let cast = Cast::new(&mut rng);
        Simulator {
            rng,
            start,
            clock: start,
            brand,
            cast,
            mint: IdMint::default(),
            ledger: Ledger::default(),
            pace: LivePace::default(),
            queued: VecDeque::new(),
            scheduled: Vec::new(),
            sent: Vec::new(),
        }
    }

    /// The brand's name as it appears in messages.
    pub fn brand(&self) -> &str {
        &self.brand.name
    }

    /// The demo accounts, one per platform: `(account name, platform)`.
    pub fn accounts(&self) -> Vec<(String, Platform)> {
        Platform::KNOWN
            .iter()
            .map(|p| (self.brand.account(p), p.clone()))
            .collect()
    }

    /// Where the backlog ends and live traffic begins.
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The simulated time of the latest live arrival (`start` before the first one).
    pub fn clock(&self) -> DateTime<Utc> {
        self.clock
    }

    /// The backlog: `n` customer messages written during the three days before `start`,
    /// plus the brand context they need (the posts they comment on, the brand's earlier
    /// replies), all sorted oldest first. Call it once, before live traffic.
    ///
    /// Whenever `n` allows, the backlog includes a showcase: a legal threat in French and
    /// one in English, a journalist, an influencer, spam (a comment and a DM), a troll and
    /// an insult, at random places among the ordinary traffic.
    pub fn backlog(&mut self, n: usize) -> Vec<NewItem> {
        let times = timing::backlog_times(&mut self.rng, self.start, n);
        let plan = self.showcase_plan(n);
        let mut items = Vec::with_capacity(n + n / 3);
        for (at, forced) in times.into_iter().zip(plan) {
            let arrival = self.arrival(at, Mode::Backlog, forced);
            items.extend(arrival.context);
            items.push(arrival.message);
        }
        items.sort_by_key(|item| item.created_at);
        items
    }

    /// The next live arrival and how long after the previous one it comes: usually a few
    /// seconds, with bursts. Customer answers to [`Simulator::deliver_reply`] come out here
    /// when they are due. Brand posts arrive right before the first comment on them, with a
    /// zero delay before that comment.
    pub fn next_live(&mut self) -> (StdDuration, NewItem) {
        if let Some(item) = self.queued.pop_front() {
            return (StdDuration::ZERO, item);
        }
        let gap = self.pace.next_gap(&mut self.rng);
        let natural = self.clock + chrono::Duration::from_std(gap).unwrap_or_default();
        if self
            .scheduled
            .first()
            .is_some_and(|(due, _)| *due <= natural)
        {
            let (due, item) = self.scheduled.remove(0);
            let wait = (due - self.clock).to_std().unwrap_or_default();
            self.clock = self.clock.max(due);
            return (wait, item);
        }
        self.clock = natural;
        let arrival = self.arrival(natural, Mode::Live, None);
        let mut context = VecDeque::from(arrival.context);
        match context.pop_front() {
            Some(first) => {
                self.queued.extend(context);
                self.queued.push_back(arrival.message);
                (gap, first)
            }
            None => (gap, arrival.message),
        }
    }

    /// What a customer message the simulator wrote is about (`None` for brand items and ids
    /// it did not make).
    pub fn topic_of(&self, remote_id: &str) -> Option<Topic> {
        let conv = self.ledger.conversation_of(remote_id)?;
        Some(self.ledger.get(conv).topic)
    }

    /// Every reply delivered so far, in order.
    pub fn sent_replies(&self) -> &[SentReply] {
        &self.sent
    }

    /// For each backlog slot, the showcase topic to force there, if any.
    fn showcase_plan(&mut self, n: usize) -> Vec<Option<Forced>> {
        let mut plan = vec![None; n];
        for forced in script::SHOWCASE {
            if plan.iter().all(Option::is_some) {
                break;
            }
            loop {
                let slot = dice::index(&mut self.rng, n);
                if plan[slot].is_none() {
                    plan[slot] = Some(forced);
                    break;
                }
            }
        }
        plan
    }
}
