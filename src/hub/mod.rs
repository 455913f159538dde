//! The hub: the one place where state changes. It owns the store, turns typed requests into
//! validated store operations, and fans every committed change out to subscribers.
//!
//! `switchboard serve` puts a hub behind a Unix socket ([`server`]); any other command
//! attaches to that hub, or hosts one in-process on the same data directory when none runs
//! ([`attach`]). Either way callers hold a [`HubClient`] and speak [`protocol`].

mod access;
pub mod attach;
mod canned;
pub mod client;
mod core;
mod edits;
mod escalation_answers;
mod escalations;
mod feed;
mod find;
mod handoff;
pub mod identity;
mod index;
mod ingest;
mod moderation;
mod notify;
mod oncall;
pub mod outbox;
mod owner;
mod presence;
mod private_replies;
pub mod protocol;
mod reads;
mod replies;
mod routing;
mod rule_drafts;
// TEMPORARY: replaced at merge by the escalations branch's `escalate_item`.
pub mod server;
pub mod shifts;
mod sla;
pub mod sla_clock;
mod stats;
pub mod sync;
pub mod webhooks;

pub use self::core::{ClientGuard, Clock, Hub};
pub use attach::{attach, AttachOptions, Attached};
pub use canned::responses_dir;
pub use client::{ClientError, HubClient};
pub use feed::EventFeed;
pub use index::{IndexStats, QueueIndex};
pub use private_replies::not_privately_answerable as private_reply_refusal;
pub use sla::{SlaEvent, SlaEventKind};
