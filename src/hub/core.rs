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

/// How many items a thread or author history shows at most in the detail pane.
const CONTEXT_LIMIT: usize = 200;

/// The hub core. Cheap to share behind an `Arc`; every method is synchronous (the store is)
/// and is called from blocking tasks by the server and the in-process client.
pub struct Hub {
    store: Arc<dyn Store>,
    started_at: DateTime<Utc>,
    clients: AtomicUsize,
    mode: String,
    clock: fn() -> DateTime<Utc>,
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
        }
    }

    /// The store behind the hub (for benches and maintenance verbs).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
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

    fn show(&self, id: ItemId, raw: bool) -> Result<Response, WireError> {
        let mut item = self.existing(id)?;
        if raw {
            item.raw = self.store.raw(id).map_err(store_error)?;
        }
        let thread = self
            .store
            .thread(&item.account, item.thread_key())
            .map_err(store_error)?
            .into_iter()
            .filter(|other| other.id != id)
            .take(CONTEXT_LIMIT)
            .collect();
        let author_history = if item.author.id.is_empty() {
            Vec::new()
        } else {
            self.store
                .by_author(&item.account, &item.author.id)
                .map_err(store_error)?
                .into_iter()
                .filter(|other| other.id != id)
                .take(CONTEXT_LIMIT)
                .collect()
        };
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
        let outcomes = self.store.ingest(items, &actor, now).map_err(store_error)?;
        for outcome in &outcomes {
            if let IngestOutcome::Created(id) = outcome {
                self.reopen_thread_for(*id, now)?;
            }
        }
        self.flush()?;
        Ok(Response::Ingested { outcomes })
    }

    /// A customer's new message reopens their resolved items in the same thread.
    fn reopen_thread_for(&self, new_id: ItemId, now: DateTime<Utc>) -> Result<(), WireError> {
        let Some(new_item) = self.store.get(new_id).map_err(store_error)? else {
            return Ok(());
        };
        if new_item.from_brand || new_item.thread_id.is_none() {
            return Ok(());
        }
        let resolved_by_same_author: Vec<Item> = self
            .store
            .thread(&new_item.account, new_item.thread_key())
            .map_err(store_error)?
            .into_iter()
            .filter(|i| i.id != new_id && i.status == Status::Resolved)
            .filter(|i| !i.author.id.is_empty() && i.author.id == new_item.author.id)
            .collect();
        for old in resolved_by_same_author {
            let reason = format!("customer wrote again ({})", new_item.remote_id);
            self.store
                .update(old.id, &Actor::system(), now, &mut |item| {
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
