//! [`Hub`]: validates each request against the item rules, applies it to the store, flushes
//! before answering, and republishes the store's change feed as protocol events.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::edits;
use super::index::{PageRequest, QueueIndex};
use super::protocol::{ErrorKind, Event, HubStatus, ItemDetail, Request, Response, WireError};
use crate::model::query::MatchContext;
use crate::model::{Actor, Item, ItemId, NewItem, Query, Status};
use crate::store::{IngestOutcome, Store, StoreError, SCHEMA_VERSION};

/// How many items a thread or author history shows at most in the detail pane (the newest).
const CONTEXT_LIMIT: usize = 200;

/// The hub core. Cheap to share behind an `Arc`; every method is synchronous (the store is)
/// and is called from blocking tasks by the server and the in-process client.
pub struct Hub {
    store: Arc<dyn Store>,
    started_at: DateTime<Utc>,
    clients: AtomicUsize,
    mode: String,
    clock: fn() -> DateTime<Utc>,
    /// Wakes the outbox delivery task when a reply is queued.
    outbox_wakeup: tokio::sync::Notify,
    /// Answers `List`, `Find` and `Counts` once built (the store does until then).
    pub(super) index: QueueIndex,
}

impl Hub {
    /// A hub on `store`, with its queue index building in the background.
    pub fn new(store: Arc<dyn Store>, mode: &str) -> Hub {
        let index = QueueIndex::start(&store);
        Hub::with_index(store, mode, index)
    }

    /// A hub with the given queue index (`QueueIndex::disabled()`: everything from the store).
    pub fn with_index(store: Arc<dyn Store>, mode: &str, index: QueueIndex) -> Hub {
        Hub {
            index,
            store,
            started_at: Utc::now(),
            clients: AtomicUsize::new(0),
            mode: mode.to_string(),
            clock: Utc::now,
            outbox_wakeup: tokio::sync::Notify::new(),
        }
    }

    /// The store behind the hub (for benches and maintenance verbs).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Notified whenever a reply is queued (see `hub::outbox`).
    pub fn outbox_wakeup(&self) -> &tokio::sync::Notify {
        &self.outbox_wakeup
    }

    /// Counts attached clients while the guard lives.
    pub fn client_attached(self: &Arc<Self>) -> ClientGuard {
        self.clients.fetch_add(1, Ordering::Relaxed);
        ClientGuard(Arc::clone(self))
    }

    /// Subscribes to the change feed, as protocol events.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<crate::store::Change> {
        self.store.subscribe()
    }

    /// Turns a change-feed receive result into the event a client sees.
    pub fn event_from(
        received: Result<crate::store::Change, tokio::sync::broadcast::error::RecvError>,
    ) -> Option<Event> {
        use tokio::sync::broadcast::error::RecvError;
        match received {
            Ok(change) => Some(Event::Changed { change }),
            Err(RecvError::Lagged(missed)) => Some(Event::Lagged { missed }),
            Err(RecvError::Closed) => None,
        }
    }

    /// Handles one request from `actor`. Writes are durable before this returns.
    pub fn handle(&self, actor: &Actor, request: Request) -> Result<Response, WireError> {
        let now = (self.clock)();
        match request {
            Request::List {
                query,
                skip,
                limit,
                raw,
            } => {
                let page = PageRequest {
                    query: &query,
                    skip,
                    limit,
                    raw,
                };
                if let Some(answer) = self.index.list(&*self.store, actor, page, now) {
                    return answer;
                }
                self.list(actor, &query, skip, limit, raw, now)
            }
            Request::Find {
                pattern,
                query,
                limit,
            } => {
                let asked = (query.as_str(), pattern.as_str());
                if let Some(answer) = self.index.find(&*self.store, actor, asked, limit, now) {
                    return answer;
                }
                let query = parse_query(&query)?;
                let ctx = MatchContext {
                    me: &actor.user,
                    now,
                };
                let hits = super::find::find(
                    self.store.queue_iter(&query.statuses()),
                    &query,
                    &ctx,
                    &pattern,
                    limit,
                )
                .map_err(store_error)?;
                Ok(Response::Found { hits })
            }
            Request::Show { id, raw } => self.show(id, raw),
            Request::Ingest { items, source } => self.ingest(actor, items, &source, now),
            Request::Audit { id, limit } => {
                if let Some(id) = id {
                    self.existing(id)?;
                }
                let entries = self.store.audit(id, limit).map_err(store_error)?;
                Ok(Response::Audit { entries })
            }
            Request::Counts => Ok(Response::Counts {
                counts: match self.index.counts() {
                    Some(counts) => counts,
                    None => self.store.counts().map_err(store_error)?,
                },
            }),
            Request::Status => Ok(Response::Status {
                status: self.status()?,
            }),
            Request::Subscribe => Ok(Response::Done),
            Request::Count { query } => match self.index.count(&*self.store, actor, &query, now) {
                Some(answer) => answer,
                None => self.count_from_store(actor, &query, now),
            },
            Request::Reply { id, text } => self.queue_reply(actor, id, &text, now),
            Request::Outbox => Ok(Response::Entries {
                entries: self.store.outbox().map_err(store_error)?,
            }),
            Request::RetryReply { entry, text } => self.retry_reply(actor, entry, text, now),
            change => self.change_item(actor, change, now),
        }
    }

    fn list(
        &self,
        actor: &Actor,
        query: &str,
        skip: usize,
        limit: usize,
        raw: bool,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let query = parse_query(query)?;
        let ctx = MatchContext {
            me: &actor.user,
            now,
        };
        let mut matching = self
            .store
            .queue_iter(&query.statuses())
            .filter(|item| item.as_ref().map_or(true, |i| query.matches(i, &ctx)))
            .skip(skip);
        let mut items = Vec::with_capacity(limit.min(1024));
        for item in matching.by_ref().take(limit) {
            let mut item = item.map_err(store_error)?;
            if raw {
                item.raw = self.store.raw(item.id).map_err(store_error)?;
            }
            items.push(item);
        }
        let more = matching.next().is_some();
        Ok(Response::Items { items, more })
    }

    /// Counts by walking the store (while the index is not ready).
    fn count_from_store(
        &self,
        actor: &Actor,
        query: &str,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let query = parse_query(query)?;
        let ctx = MatchContext::new(&actor.user, now);
        let mut count = 0u64;
        for item in self.store.queue_iter(&query.statuses()) {
            if query.matches(&item.map_err(store_error)?, &ctx) {
                count += 1;
            }
        }
        Ok(Response::Count { count })
    }

    fn show(&self, id: ItemId, raw: bool) -> Result<Response, WireError> {
        let mut item = self.existing(id)?;
        if raw {
            item.raw = self.store.raw(id).map_err(store_error)?;
        }
        let others = |items: Vec<Item>| -> Vec<Item> {
            items.into_iter().filter(|other| other.id != id).collect()
        };
        let thread = others(
            self.store
                .thread(&item.account, item.thread_key(), CONTEXT_LIMIT)
                .map_err(store_error)?,
        );
        let author_history = others(
            self.store
                .by_author(&item.account, &item.author.id, CONTEXT_LIMIT)
                .map_err(store_error)?,
        );
        let audit = self
            .store
            .audit(Some(id), CONTEXT_LIMIT)
            .map_err(store_error)?;
        Ok(Response::Detail {
            detail: Box::new(ItemDetail {
                item,
                thread,
                author_history,
                audit,
            }),
        })
    }

    /// Ingests a batch, then reopens resolved items whose customer wrote again in the thread.
    fn ingest(
        &self,
        actor: &Actor,
        items: Vec<NewItem>,
        source: &str,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let actor = Actor::new(actor.user.clone(), source);
        let writers: Vec<Option<ThreadWriter>> = items.iter().map(ThreadWriter::of).collect();
        let outcomes = self.store.ingest(items, &actor, now).map_err(store_error)?;
        for (outcome, writer) in outcomes.iter().zip(writers) {
            if let (IngestOutcome::Created(_), Some(writer)) = (outcome, writer) {
                self.reopen_for(&writer, now)?;
            }
        }
        self.flush()?;
        Ok(Response::Ingested { outcomes })
    }

    /// A customer's new message reopens their resolved items in the same thread.
    fn reopen_for(&self, writer: &ThreadWriter, now: DateTime<Utc>) -> Result<(), WireError> {
        let resolved = self
            .store
            .resolved_in_thread(&writer.account, &writer.thread, &writer.author)
            .map_err(store_error)?;
        let reason = format!("customer wrote again ({})", writer.remote_id);
        for id in resolved {
            self.store
                .update(id, &Actor::system(), now, &mut |item| {
                    edits::reopen_because(item, &reason)
                })
                .map_err(store_error)?;
        }
        Ok(())
    }

    /// Status, tag, assignment, note, snooze, priority: one item, one audited write.
    fn change_item(
        &self,
        actor: &Actor,
        request: Request,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let (id, mut edit) = edits::edit_for(request, actor, now)?;
        let item = self
            .store
            .update(id, actor, now, &mut *edit)
            .map_err(store_error)?;
        self.flush()?;
        Ok(Response::Item { item })
    }

    /// Saves a reply in the outbox (durably) and marks the item pending until it is sent.
    fn queue_reply(
        &self,
        actor: &Actor,
        id: ItemId,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let entry = super::outbox::new_entry(self, actor, id, text, now)?;
        self.store.put_outbox(&entry).map_err(store_error)?;
        let note = format!(
            "reply {} queued: {}",
            entry.id,
            crate::ui::sanitize::one_line(&entry.text, 60)
        );
        self.store
            .update(id, actor, now, &mut |item| {
                let from = item.status;
                let moved = matches!(item.set_status(Status::Pending), Ok(true));
                let detail = if moved {
                    format!("{note} ({from} -> pending)")
                } else {
                    note.clone()
                };
                Ok(Some(crate::store::AuditNote::new("reply", detail)))
            })
            .map_err(store_error)?;
        self.flush()?;
        self.outbox_wakeup.notify_one();
        Ok(Response::Entry { entry })
    }

    /// Puts a failed reply back in the queue, with corrected text if given.
    fn retry_reply(
        &self,
        actor: &Actor,
        entry_id: ItemId,
        text: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let mut entry = self
            .store
            .outbox()
            .map_err(store_error)?
            .into_iter()
            .find(|e| e.id == entry_id)
            .ok_or_else(|| WireError {
                kind: ErrorKind::NotFound,
                message: format!("no outbox entry with id {entry_id}"),
            })?;
        if !matches!(entry.state, crate::model::OutboxState::Failed { .. }) {
            return Err(WireError {
                kind: ErrorKind::Refused,
                message: format!(
                    "reply {entry_id} is {}, only a failed reply can be retried",
                    entry.state
                ),
            });
        }
        if let Some(text) = text {
            entry.text = super::outbox::new_entry(self, actor, entry.item, &text, now)?.text;
        }
        entry.state = crate::model::OutboxState::Queued { retry_at: None };
        entry.attempts = 0;
        entry.updated_at = now;
        self.store.put_outbox(&entry).map_err(store_error)?;
        self.store
            .append_audit(
                actor,
                now,
                Some(entry.item),
                "reply",
                &format!("reply {entry_id} retried"),
            )
            .map_err(store_error)?;
        self.flush()?;
        self.outbox_wakeup.notify_one();
        Ok(Response::Entry { entry })
    }

    fn existing(&self, id: ItemId) -> Result<Item, WireError> {
        self.store
            .get(id)
            .map_err(store_error)?
            .ok_or_else(|| store_error(StoreError::NotFound(id)))
    }

    fn flush(&self) -> Result<(), WireError> {
        self.store.flush().map_err(store_error)
    }

    fn status(&self) -> Result<HubStatus, WireError> {
        Ok(HubStatus {
            server: format!("switchboard {}", env!("CARGO_PKG_VERSION")),
            pid: std::process::id(),
            store: self.store.location(),
            schema_version: SCHEMA_VERSION,
            items: self.store.counts().map_err(store_error)?.total(),
            clients: self.clients.load(Ordering::Relaxed),
            started_at: self.started_at,
            mode: self.mode.clone(),
        })
    }
}

/// Who wrote a new message in which thread: what the reopen rule needs, taken before the
/// item goes into the store. Only customers' messages in a platform thread qualify.
struct ThreadWriter {
    account: String,
    thread: String,
    author: String,
    remote_id: String,
}

impl ThreadWriter {
    fn of(item: &NewItem) -> Option<ThreadWriter> {
        let thread = item.thread_id.as_ref()?;
        if item.from_brand || item.author.id.is_empty() {
            return None;
        }
        Some(ThreadWriter {
            account: item.account.clone(),
            thread: thread.clone(),
            author: item.author.id.clone(),
            remote_id: item.remote_id.clone(),
        })
    }
}

/// Decrements the attached-client count when a client goes away.
pub struct ClientGuard(Arc<Hub>);

impl Drop for ClientGuard {
    fn drop(&mut self) {
        self.0.clients.fetch_sub(1, Ordering::Relaxed);
    }
}

pub(super) fn parse_query(text: &str) -> Result<Query, WireError> {
    Query::parse(text).map_err(|e| WireError {
        kind: ErrorKind::BadRequest,
        message: e.to_string(),
    })
}

/// Maps a store failure to what the client is told.
pub(super) fn store_error(e: StoreError) -> WireError {
    let kind = match &e {
        StoreError::NotFound(_) => ErrorKind::NotFound,
        StoreError::Rejected(_) => ErrorKind::Refused,
        _ => ErrorKind::Internal,
    };
    if kind == ErrorKind::Internal {
        tracing::error!(error = %e, "store failure");
    }
    WireError {
        kind,
        message: e.to_string(),
    }
}
