//! [`SledStore`]: the [`Store`] on sled 0.34, the embedded default.
//!
//! Every record kind lives in one tree (layout in `keys`), so each operation commits with one
//! atomic `apply_batch`. The hub is the only writer: a mutex serializes writes (read what is
//! needed, plan, apply one batch, then update the in-memory counters and announce the
//! changes). Readers never take that mutex.

pub(crate) mod codec;
mod deliveries;
mod ingest;
mod read;
mod update;
mod write;

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};

use chrono::{DateTime, Utc};
use tokio::sync::broadcast;

use self::read::Reader;
use self::write::{PendingWrite, WriterState, STATUS_COUNT};
use super::keys;
use super::migrate::{self, MIGRATIONS, SCHEMA_VERSION};
use super::{Change, Counts, Edit, IngestOutcome, Prepare, Result, Store, StoreError};
use crate::model::{
    AccountStatus, Actor, AuditEntry, Delivery, Draft, Escalation, Handoff, Item, ItemId, NewItem,
    OutboxEntry, Page, Priority, SlaMark, Status, SyncProblem,
};

/// How many changes a slow subscriber may fall behind before it is told it lagged.
const CHANGE_FEED_CAPACITY: usize = 4096;

/// sled's page cache. sled's default (1 GiB) ingested no faster in the store benchmark (within
/// noise at 200k items); 256 MiB holds the index levels and the recent items and keeps the
/// hub's memory bounded. See BENCHMARKS.md.
const CACHE_BYTES: u64 = 256 * 1024 * 1024;

/// How long `open` waits for a lock that a just-dropped store of this process still holds.
const LOCK_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// The sled-backed item store.
pub struct SledStore {
    db: sled::Db,
    location: String,
    writer: Mutex<WriterState>,
    /// The status counters as of the last committed write, for readers.
    counts: RwLock<[u64; STATUS_COUNT]>,
    changes: broadcast::Sender<Change>,
}

impl SledStore {
    /// Opens (creating it if needed) the store in `dir`. Fails with [`StoreError::Locked`]
    /// when another process (or another open in this one) holds it, and with
    /// [`StoreError::TooNew`] when a newer switchboard wrote it.
    pub fn open(dir: &Path) -> Result<SledStore> {
        let location = dir.display().to_string();
        // sled's background threads may hold the file lock for a moment after the previous
        // `Db` in this process was dropped: wait that moment out before calling it locked.
        let deadline = std::time::Instant::now() + LOCK_GRACE;
        loop {
            match tuned_config().path(dir).open() {
                Ok(db) => return SledStore::start(db, location),
                Err(e) => match codec::open_error(e, &location) {
                    StoreError::Locked { .. } if std::time::Instant::now() < deadline => {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                    }
                    other => return Err(other),
                },
            }
        }
    }

    /// A store in a temporary directory, removed when dropped (for tests and demos).
    pub fn temporary() -> Result<SledStore> {
        let location = "a temporary store".to_string();
        let db = tuned_config()
            .temporary(true)
            .open()
            .map_err(|e| codec::open_error(e, &location))?;
        SledStore::start(db, location)
    }

    fn start(db: sled::Db, location: String) -> Result<SledStore> {
        migrate::prepare(&db, &location, MIGRATIONS, SCHEMA_VERSION)?;
        let state = WriterState::load(&db)?;
        let (changes, _) = broadcast::channel(CHANGE_FEED_CAPACITY);
        Ok(SledStore {
            counts: RwLock::new(state.counts),
            writer: Mutex::new(state),
            db,
            location,
            changes,
        })
    }

    fn reader(&self) -> Reader<'_> {
        Reader { tree: &self.db }
    }

    /// The writer's lock. A panic while holding it cannot leave the state half-changed (it
    /// only changes after a batch landed), so a poisoned lock is still safe to use.
    fn lock_writer(&self) -> MutexGuard<'_, WriterState> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes one plain record as its own batch.
    fn put_record(&self, key: Vec<u8>, value: &[u8]) -> Result<()> {
        let mut state = self.lock_writer();
        let mut pending = self.begin(&state);
        pending.put(key, value);
        self.commit(&mut state, pending)
    }

    fn begin(&self, state: &WriterState) -> PendingWrite {
        PendingWrite::start(state, self.changes.receiver_count() > 0)
    }

    /// Applies `pending`, then publishes the counters and announces the changes.
    fn commit(&self, state: &mut WriterState, pending: PendingWrite) -> Result<()> {
        let changes = pending.commit(&self.db, state)?;
        *self.counts.write().unwrap_or_else(PoisonError::into_inner) = state.counts;
        for change in changes {
            // An error only means every subscriber has gone since the write began.
            let _ = self.changes.send(change);
        }
        Ok(())
    }
}

/// The sled settings of every store. `HighThroughput` rather than `LowSpace`: the latter
/// cleaned no more space and cost the same CPU in the benchmark.
fn tuned_config() -> sled::Config {
    sled::Config::new()
        .cache_capacity(CACHE_BYTES)
        .mode(sled::Mode::HighThroughput)
}

impl Store for SledStore {
    fn ingest(
        &self,
        items: Vec<NewItem>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<IngestOutcome>> {
        let mut state = self.lock_writer();
        let mut pending = self.begin(&state);
        let outcomes = ingest::plan(
            &self.reader(),
            items,
            (actor, now),
            &mut pending,
            &mut |_| Vec::new(),
        )?;
        self.commit(&mut state, pending)?;
        Ok(outcomes)
    }

    fn update(
        &self,
        id: ItemId,
        actor: &Actor,
        now: DateTime<Utc>,
        edit: Edit<'_>,
    ) -> Result<Item> {
        self.update_and_put(id, (actor, now), edit, None)
    }

    fn update_with_escalation(
        &self,
        id: ItemId,
        actor: &Actor,
        now: DateTime<Utc>,
        edit: Edit<'_>,
        escalation: &Escalation,
    ) -> Result<Item> {
        let record = (keys::escalation(escalation.id), codec::encode(escalation)?);
        self.update_and_put(id, (actor, now), edit, Some(record))
    }

    fn escalations(&self) -> Result<Vec<Escalation>> {
        self.reader().decode_all(&[keys::ESCALATION])
    }

    fn get(&self, id: ItemId) -> Result<Option<Item>> {
        self.reader().find_item(id)
    }

    fn raw(&self, id: ItemId) -> Result<Option<serde_json::Value>> {
        self.reader().raw(id)
    }

    fn lookup_remote(&self, account: &str, remote_id: &str) -> Result<Option<ItemId>> {
        self.reader()
            .remote_id_at(&keys::remote(account, remote_id))
    }

    fn queue(&self, statuses: &[Status], skip: usize, limit: usize) -> Result<Vec<Item>> {
        let reader = self.reader();
        let mut items = Vec::with_capacity(limit.min(1024));
        if limit == 0 {
            return Ok(items);
        }
        for (position, id) in reader.queue_ids(statuses).enumerate() {
            let id = id?;
            if position < skip {
                continue;
            }
            items.push(reader.item(id)?);
            if items.len() == limit {
                break;
            }
        }
        Ok(items)
    }

    fn queue_iter<'a>(
        &'a self,
        statuses: &[Status],
    ) -> Box<dyn Iterator<Item = Result<Item>> + 'a> {
        let reader = self.reader();
        Box::new(reader.queue_ids(statuses).map(move |id| reader.item(id?)))
    }

    fn thread(&self, account: &str, thread_key: &str, limit: usize) -> Result<Vec<Item>> {
        self.reader()
            .last_items_under(&keys::thread_prefix(account, thread_key), limit)
    }

    fn by_author(&self, account: &str, author_id: &str, limit: usize) -> Result<Vec<Item>> {
        if author_id.is_empty() {
            return Ok(Vec::new());
        }
        self.reader()
            .last_items_under(&keys::author_prefix(account, author_id), limit)
    }

    fn author_ids(&self, account: &str, author_id: &str, limit: usize) -> Result<Vec<ItemId>> {
        if author_id.is_empty() {
            return Ok(Vec::new());
        }
        self.reader()
            .last_ids_under(&keys::author_prefix(account, author_id), limit)
    }

    fn resolved_in_thread(
        &self,
        account: &str,
        thread_key: &str,
        author_id: &str,
    ) -> Result<Vec<ItemId>> {
        if author_id.is_empty() {
            return Ok(Vec::new());
        }
        self.reader()
            .ids_under(&keys::resolved_prefix(account, thread_key, author_id))
    }

    fn by_tag(&self, tag: &str) -> Result<Vec<ItemId>> {
        self.reader().ids_under(&keys::tag_prefix(tag))
    }

    fn by_assignee(&self, user: &str) -> Result<Vec<ItemId>> {
        self.reader().ids_under(&keys::assignee_prefix(user))
    }

    fn counts(&self) -> Result<Counts> {
        let counts = *self.counts.read().unwrap_or_else(PoisonError::into_inner);
        let by_status = Status::ALL
            .into_iter()
            .map(|s| (s, counts[usize::from(s.index_byte())]))
            .collect();
        Ok(Counts { by_status })
    }

    fn received_since<'a>(
        &'a self,
        since: DateTime<Utc>,
    ) -> Box<dyn Iterator<Item = Result<Item>> + 'a> {
        let items = self.reader().items_from(keys::first_item_since(since));
        Box::new(items.filter(move |item| !matches!(item, Ok(i) if i.received_at < since)))
    }

    fn due_before(&self, statuses: &[Status], before: DateTime<Utc>) -> Result<Vec<Item>> {
        let reader = self.reader();
        let mut items = Vec::new();
        for status in statuses.iter().collect::<std::collections::BTreeSet<_>>() {
            for priority in Priority::ALL {
                let (start, end) = keys::queue_due_range(*status, priority, before);
                items.extend(reader.items_between(start, end)?);
            }
        }
        Ok(items)
    }

    fn append_audit(
        &self,
        actor: &Actor,
        now: DateTime<Utc>,
        item: Option<ItemId>,
        action: &str,
        detail: &str,
    ) -> Result<u64> {
        let mut state = self.lock_writer();
        let mut pending = self.begin(&state);
        let seq = pending.audit(actor, now, item, action, detail)?;
        self.commit(&mut state, pending)?;
        Ok(seq)
    }

    fn audit(&self, item: Option<ItemId>, limit: usize) -> Result<Vec<AuditEntry>> {
        match item {
            Some(id) => self.reader().item_audit(id, limit),
            None => self.reader().audit_tail(limit),
        }
    }

    fn audit_newest_first<'a>(&'a self) -> Box<dyn Iterator<Item = Result<AuditEntry>> + 'a> {
        Box::new(self.reader().audit_back())
    }

    fn cursor(&self, account: &str) -> Result<Option<String>> {
        self.reader().cursor(account)
    }

    fn set_cursor(&self, account: &str, cursor: &str) -> Result<()> {
        let mut state = self.lock_writer();
        let mut pending = self.begin(&state);
        pending.put(keys::cursor(account), cursor.as_bytes());
        self.commit(&mut state, pending)
    }

    fn ingest_page(
        &self,
        items: Vec<NewItem>,
        actor: &Actor,
        now: DateTime<Utc>,
        cursor: Option<(&str, &str)>,
        prepare: &mut Prepare<'_>,
    ) -> Result<Vec<IngestOutcome>> {
        let mut state = self.lock_writer();
        let mut pending = self.begin(&state);
        let outcomes = ingest::plan(&self.reader(), items, (actor, now), &mut pending, prepare)?;
        if let Some((account, cursor)) = cursor {
            pending.put(keys::cursor(account), cursor.as_bytes());
        }
        self.commit(&mut state, pending)?;
        Ok(outcomes)
    }

    fn put_account_status(&self, status: &AccountStatus) -> Result<()> {
        self.put_record(
            keys::account_status(&status.account),
            &codec::encode(status)?,
        )
    }

    fn account_statuses(&self) -> Result<Vec<AccountStatus>> {
        self.reader().decode_all(&[keys::ACCOUNT])
    }

    fn add_sync_problem(&self, problem: &SyncProblem) -> Result<()> {
        let mut state = self.lock_writer();
        let mut pending = self.begin(&state);
        let prefix = keys::sync_problems_of(Some(&problem.account));
        let kept = self.db.scan_prefix(&prefix).keys().count();
        let excess = (kept + 1).saturating_sub(crate::store::MAX_SYNC_PROBLEMS);
        for key in self.db.scan_prefix(&prefix).keys().take(excess) {
            pending.remove(key.map_err(codec::engine)?.to_vec());
        }
        let key = keys::sync_problem(&problem.account, ItemId::generate());
        pending.put(key, &codec::encode(problem)?);
        self.commit(&mut state, pending)
    }

    fn sync_problems(&self, account: Option<&str>, limit: usize) -> Result<Vec<SyncProblem>> {
        let mut all: Vec<SyncProblem> =
            self.reader().decode_all(&keys::sync_problems_of(account))?;
        all.sort_by_key(|p| p.at);
        let skip = all.len().saturating_sub(limit);
        Ok(all.split_off(skip))
    }

    fn put_outbox(&self, entry: &OutboxEntry) -> Result<()> {
        let mut state = self.lock_writer();
        let mut pending = self.begin(&state);
        pending.put(keys::outbox(entry.id), &codec::encode(entry)?);
        self.commit(&mut state, pending)
    }

    fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        self.reader().outbox()
    }

    fn put_delivery(&self, delivery: &Delivery) -> Result<()> {
        self.save_delivery(delivery)
    }

    fn deliveries(&self) -> Result<Vec<Delivery>> {
        self.all_deliveries()
    }

    fn outbox_since<'a>(
        &'a self,
        since: DateTime<Utc>,
    ) -> Box<dyn Iterator<Item = Result<OutboxEntry>> + 'a> {
        let entries = self.reader().outbox_from(keys::first_outbox_since(since));
        Box::new(entries.filter(move |e| !matches!(e, Ok(e) if e.created_at < since)))
    }

    fn put_draft(&self, draft: &Draft) -> Result<()> {
        let mut state = self.lock_writer();
        let mut pending = self.begin(&state);
        pending.put(keys::draft(&draft.user, draft.item), &codec::encode(draft)?);
        self.commit(&mut state, pending)
    }

    fn delete_draft(&self, user: &str, item: ItemId) -> Result<()> {
        let mut state = self.lock_writer();
        let mut pending = self.begin(&state);
        pending.remove(keys::draft(user, item));
        self.commit(&mut state, pending)
    }

    fn drafts(&self, user: &str) -> Result<Vec<Draft>> {
        self.reader().decode_all(&keys::drafts_of(user))
    }

    fn draft(&self, user: &str, item: ItemId) -> Result<Option<Draft>> {
        self.reader().record(&keys::draft(user, item))
    }

    fn put_handoff(&self, handoff: &Handoff) -> Result<()> {
        let key = keys::handoff(handoff.at, &handoff.author);
        self.put_record(key, &codec::encode(handoff)?)
    }

    fn latest_handoff(&self) -> Result<Option<Handoff>> {
        self.reader().last_under(&[keys::HANDOFF])
    }

    fn processed_until(&self, task: &str) -> Result<Option<DateTime<Utc>>> {
        self.reader().record(&keys::processed_until(task))
    }

    fn set_processed_until(&self, task: &str, at: DateTime<Utc>) -> Result<()> {
        self.put_record(keys::processed_until(task), &codec::encode(&at)?)
    }

    fn put_page(&self, page: &Page) -> Result<()> {
        self.put_record(keys::page(page.id), &codec::encode(page)?)
    }

    fn pages(&self) -> Result<Vec<Page>> {
        self.reader().decode_all(&[keys::PAGE])
    }

    fn sla_mark(&self, item: ItemId) -> Result<Option<SlaMark>> {
        self.reader().record(&keys::sla_mark(item))
    }

    fn put_sla_mark(&self, mark: &SlaMark) -> Result<()> {
        self.put_record(keys::sla_mark(mark.item), &codec::encode(mark)?)
    }

    fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    fn flush(&self) -> Result<()> {
        self.db.flush().map(|_| ()).map_err(codec::engine)
    }

    fn location(&self) -> String {
        self.location.clone()
    }

    fn size_on_disk(&self) -> Result<u64> {
        self.db.size_on_disk().map_err(codec::engine)
    }
}
