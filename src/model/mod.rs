//! The normalized data model shared by every platform: items, their triage status and the
//! rules for changing it, and the query language that selects them.
//!
//! Nothing here knows about sled, sockets or terminals: these are plain values that the store
//! persists, the hub changes and the clients render.

pub mod account;
pub mod audit;
pub mod delivery;
pub mod draft;
pub mod escalation;
pub mod handoff;
pub mod id;
pub mod item;
pub mod moderation;
pub mod notice;
pub mod outbox;
pub mod page;
pub mod query;
pub mod status;
pub mod usage;

pub use account::{AccountState, AccountStatus, SyncProblem, SyncSummary};
pub use audit::{Actor, AuditEntry};
pub use delivery::{ChannelHealth, Delivery, DeliveryState};
pub use draft::Draft;
pub use escalation::{
    Answer, AnswerKind, AnswerRequest, Escalation, EscalationRow, EscalationState, EscalationTarget,
};
pub use handoff::{Handoff, HandoffCounts, HandoffNote};
pub use id::ItemId;
pub use item::{Author, Item, Kind, NewItem, Note, Platform, Priority};
pub use moderation::Moderation;
pub use notice::{Notice, NoticeKind};
pub use outbox::{OutboxEntry, OutboxState};
pub use page::{Page, SlaMark};
pub use query::Query;
pub use status::{Status, TransitionError};
pub use usage::{Meter, Usage};
