//! The item store: items, their secondary indexes, the audit log, sync cursors and the change
//! feed, behind one [`Store`] interface.
//!
//! sled is the embedded default ([`SledStore`]). The hub is the store's only writer, and the
//! interface speaks in whole operations (ingest a batch, change one item) rather than raw
//! keys, so a replicated engine can stand in later without the hub noticing.

mod keys;
mod migrate;
mod sled_store;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{
    AccountStatus, Actor, AuditEntry, Delivery, Draft, Escalation, Handoff, Item, ItemId, NewItem,
    OutboxEntry, Page, SlaMark, Status, SyncProblem,
};

pub use migrate::SCHEMA_VERSION;
pub use sled_store::SledStore;

/// Sync problems kept per account (older ones are dropped as new ones come).
pub const MAX_SYNC_PROBLEMS: usize = 500;
/// Deliveries kept (pending ones are never dropped; the oldest settled ones make room).
pub const MAX_DELIVERIES: usize = 2000;

/// What went wrong inside the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store at {path} is locked by another process{}", holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
    Locked {
        path: String,
        holder: Option<String>,
    },
    #[error("store engine error: {0}")]
    Engine(String),
    #[error("stored record {key} is unreadable: {reason}")]
    Corrupt { key: String, reason: String },
    #[error("the store at {path} has schema version {found}, newer than this switchboard understands ({supported}); upgrade switchboard")]
    TooNew {
        path: String,
        found: u32,
        supported: u32,
    },
    #[error("no item with id {0}")]
    NotFound(ItemId),
    #[error(transparent)]
    Rejected(#[from] ChangeRejected),
}

/// A change the caller asked for that the item's rules refuse (e.g. a forbidden status move).
/// Nothing is written when a change is rejected.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct ChangeRejected(pub String);

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What ingesting one item did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IngestOutcome {
    /// First sight of this (account, remote id).
    Created(ItemId),
    /// Seen before; its content changed.
    Updated(ItemId),
    /// Seen before; nothing changed.
    Unchanged(ItemId),
}

impl IngestOutcome {
    pub fn id(self) -> ItemId {
        match self {
            IngestOutcome::Created(id)
            | IngestOutcome::Updated(id)
            | IngestOutcome::Unchanged(id) => id,
        }
    }
}

/// What kind of change a [`Change`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Created,
    Updated,
}

/// One committed change to one item, as the change feed reports it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Change {
    /// Strictly increasing across the store's life.
    pub seq: u64,
    pub kind: ChangeKind,
    /// The item as it is after the change (without its raw payload).
    pub item: Arc<Item>,
}

/// How many items are in each status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub by_status: std::collections::BTreeMap<Status, u64>,
}

impl Counts {
    pub fn total(&self) -> u64 {
        self.by_status.values().sum()
    }
    pub fn get(&self, status: Status) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }
}

/// The edit a caller applies to one item in [`Store::update`]: it mutates the item and says
/// what it did for the audit log, or refuses. `Ok(None)` means "nothing to change".
pub type Edit<'a> =
    &'a mut dyn FnMut(&mut Item) -> std::result::Result<Option<AuditNote>, ChangeRejected>;

/// What ingest does to each item it creates before writing it: edits, and the audit lines
/// (with who wrote them) to add (see [`Store::ingest_page`]).
pub type Prepare<'a> = dyn FnMut(&mut Item) -> Vec<(Actor, AuditNote)> + 'a;

/// The audit line an edit asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditNote {
    pub action: String,
    pub detail: String,
}

impl AuditNote {
    pub fn new(action: impl Into<String>, detail: impl Into<String>) -> AuditNote {
        AuditNote {
            action: action.into(),
            detail: detail.into(),
        }
    }
}

/// The store interface. All writes are atomic (an item, its indexes, its counters and its
/// audit lines land together or not at all) and durable once [`Store::flush`] returns.
pub trait Store: Send + Sync {
    /// Ingests a batch of platform items, deduplicated by (account, remote id): new ones are
    /// created, known ones refreshed (content only; triage state is kept). One atomic write
    /// for the whole batch. Updates are audited; creations are not (the item's `received_at`
    /// says it). Returns one outcome per input, in order; a batch that names the same
    /// (account, remote id) twice creates it once.
    fn ingest(
        &self,
        items: Vec<NewItem>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<IngestOutcome>>;

    /// Applies `edit` to one item and writes the item, its moved index entries and the audit
    /// line atomically. Returns the item after the edit (unchanged if the edit returned `None`).
    fn update(&self, id: ItemId, actor: &Actor, now: DateTime<Utc>, edit: Edit<'_>)
        -> Result<Item>;

    /// [`Store::update`] that also saves `escalation` in the same atomic write (escalating an
    /// item, answering an escalation): the item, its audit line and the record land together.
    /// The record is saved even when the edit changes nothing.
    fn update_with_escalation(
        &self,
        id: ItemId,
        actor: &Actor,
        now: DateTime<Utc>,
        edit: Edit<'_>,
        escalation: &Escalation,
    ) -> Result<Item>;
    /// Every escalation, oldest first.
    fn escalations(&self) -> Result<Vec<Escalation>>;

    /// One item, without its raw payload.
    fn get(&self, id: ItemId) -> Result<Option<Item>>;
    /// The raw platform payload of an item.
    fn raw(&self, id: ItemId) -> Result<Option<serde_json::Value>>;
    /// The id of the item with this (account, remote id).
    fn lookup_remote(&self, account: &str, remote_id: &str) -> Result<Option<ItemId>>;

    /// Items in queue order (priority, then SLA due, then received time) among the given
    /// statuses, read by index range: `skip` and `limit` page through it without loading
    /// the rest.
    fn queue(&self, statuses: &[Status], skip: usize, limit: usize) -> Result<Vec<Item>>;
    /// Iterates items in queue order among the given statuses, lazily (for filters and export).
    fn queue_iter<'a>(&'a self, statuses: &[Status])
        -> Box<dyn Iterator<Item = Result<Item>> + 'a>;
    /// The newest `limit` items of one thread (account + thread key), oldest first.
    fn thread(&self, account: &str, thread_key: &str, limit: usize) -> Result<Vec<Item>>;
    /// The newest `limit` items of one author on one account, oldest first.
    fn by_author(&self, account: &str, author_id: &str, limit: usize) -> Result<Vec<Item>>;
    /// The ids of the newest `limit` items of one author on one account, oldest first
    /// (no item is read: what counting a repeat contact needs).
    fn author_ids(&self, account: &str, author_id: &str, limit: usize) -> Result<Vec<ItemId>>;
    /// Ids of one author's resolved items in one thread (what a new message of theirs
    /// reopens): one short range read, however long the thread.
    fn resolved_in_thread(
        &self,
        account: &str,
        thread_key: &str,
        author_id: &str,
    ) -> Result<Vec<ItemId>>;
    /// Ids of items with a tag.
    fn by_tag(&self, tag: &str) -> Result<Vec<ItemId>>;
    /// Ids of items assigned to a user.
    fn by_assignee(&self, user: &str) -> Result<Vec<ItemId>>;
    /// Items per status, from counters kept with every write (no scan).
    fn counts(&self) -> Result<Counts>;
    /// Items switchboard first saw at or after `since`, oldest first, lazily: one range read
    /// of the item records, whose ULID ids carry that time (`received_at`).
    fn received_since<'a>(
        &'a self,
        since: DateTime<Utc>,
    ) -> Box<dyn Iterator<Item = Result<Item>> + 'a>;
    /// Items among `statuses` whose SLA falls due before `before`: one queue-index range
    /// per status and priority, so items without an SLA are never read.
    fn due_before(&self, statuses: &[Status], before: DateTime<Utc>) -> Result<Vec<Item>>;

    /// Appends an audit line not tied to an item change (e.g. an import summary).
    fn append_audit(
        &self,
        actor: &Actor,
        now: DateTime<Utc>,
        item: Option<ItemId>,
        action: &str,
        detail: &str,
    ) -> Result<u64>;
    /// The audit log, oldest first: of one item, or of everything; `limit` newest lines at most.
    fn audit(&self, item: Option<ItemId>, limit: usize) -> Result<Vec<AuditEntry>>;
    /// The whole audit log newest first, lazily: a caller reads back as far as it needs.
    fn audit_newest_first<'a>(&'a self) -> Box<dyn Iterator<Item = Result<AuditEntry>> + 'a>;

    /// The sync cursor of an account (opaque to the store).
    fn cursor(&self, account: &str) -> Result<Option<String>>;
    fn set_cursor(&self, account: &str, cursor: &str) -> Result<()>;

    /// Ingests one page of a sync and moves the account's cursor past it, atomically: after
    /// a crash either both are there or neither (and the page is read again). `prepare` sees
    /// each item the page creates before it is written, and may edit it (the hub's SLA clock
    /// and routing rules) and add audit lines: all in the same atomic write.
    fn ingest_page(
        &self,
        items: Vec<NewItem>,
        actor: &Actor,
        now: DateTime<Utc>,
        cursor: Option<(&str, &str)>,
        prepare: &mut Prepare<'_>,
    ) -> Result<Vec<IngestOutcome>>;

    /// Saves an account's sync state (what `doctor` shows of it before the hub syncs again).
    fn put_account_status(&self, status: &AccountStatus) -> Result<()>;
    /// Every account's last saved sync state, by account name.
    fn account_statuses(&self) -> Result<Vec<AccountStatus>>;

    /// Records a payload a sync pass could not read; keeps the newest
    /// [`MAX_SYNC_PROBLEMS`] per account.
    fn add_sync_problem(&self, problem: &SyncProblem) -> Result<()>;
    /// Recorded problems, oldest first: of one account or all; `limit` newest at most.
    fn sync_problems(&self, account: Option<&str>, limit: usize) -> Result<Vec<SyncProblem>>;

    /// Saves an outbox entry (new or in a new state).
    fn put_outbox(&self, entry: &OutboxEntry) -> Result<()>;
    /// Every outbox entry, oldest first.
    fn outbox(&self) -> Result<Vec<OutboxEntry>>;
    /// Outbox entries created at or after `since`, oldest first, lazily: one range read of
    /// the entries, whose time-ordered ids carry their creation time.
    fn outbox_since<'a>(
        &'a self,
        since: DateTime<Utc>,
    ) -> Box<dyn Iterator<Item = Result<OutboxEntry>> + 'a>;

    /// Saves a notice's delivery to one channel (new or in a new state); when more than
    /// [`MAX_DELIVERIES`] are kept, the oldest settled ones go.
    fn put_delivery(&self, delivery: &Delivery) -> Result<()>;
    /// Every kept delivery, oldest first.
    fn deliveries(&self) -> Result<Vec<Delivery>>;

    /// Saves a user's draft reply to an item (replacing the previous one).
    fn put_draft(&self, draft: &Draft) -> Result<()>;
    /// Discards a user's draft reply to an item (nothing happens if there is none).
    fn delete_draft(&self, user: &str, item: ItemId) -> Result<()>;
    /// One user's drafts, in item id order.
    fn drafts(&self, user: &str) -> Result<Vec<Draft>>;
    /// One user's draft reply to one item.
    fn draft(&self, user: &str, item: ItemId) -> Result<Option<Draft>>;

    /// Saves a shift handoff.
    fn put_handoff(&self, handoff: &Handoff) -> Result<()>;
    /// The handoff with the latest time, if any was written.
    fn latest_handoff(&self) -> Result<Option<Handoff>>;

    /// How far in time a periodic hub task (`shifts`) has done its work: kept in the store
    /// so that a restarted hub neither repeats nor skips any of it.
    fn processed_until(&self, task: &str) -> Result<Option<DateTime<Utc>>>;
    fn set_processed_until(&self, task: &str, at: DateTime<Utc>) -> Result<()>;

    /// Saves a page (new, acknowledged or closed).
    fn put_page(&self, page: &Page) -> Result<()>;
    /// Every page, oldest first.
    fn pages(&self) -> Result<Vec<Page>>;
    /// How far the SLA clock got with an item's due time.
    fn sla_mark(&self, item: ItemId) -> Result<Option<SlaMark>>;
    fn put_sla_mark(&self, mark: &SlaMark) -> Result<()>;

    /// Subscribes to every committed change from now on.
    fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Change>;

    /// Makes every acknowledged write durable (fsync).
    fn flush(&self) -> Result<()>;
    /// Where the store lives, for messages.
    fn location(&self) -> String;
    /// Bytes the store uses on disk.
    fn size_on_disk(&self) -> Result<u64>;
}
