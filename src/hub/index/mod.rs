//! The hub's in-memory queue index: `List`, `Find` and `Counts` over a million items in
//! milliseconds, where the store scan decodes every item's JSON.
//!
//! One compact [`entry`] per item (what queue order and the query language read, strings
//! interned, the text cut to fuzzy find's scope in one shared [`arena`]), the slots in queue
//! [`order`], built from the store in one scan when the hub starts ([`build`]) and kept
//! current from the store's change feed ([`follow`]). Until the build is done the hub
//! answers from the store as before, so start-up stays instant.
//!
//! Queries run on entries through the query language's [`Subject`] trait (the same matcher
//! as for items); only a page's or the winners' full items are read from the store. See
//! [`list`] and [`find`] for the scans and [`bound`] for how fuzzy find avoids scoring most
//! texts.
//!
//! [`Subject`]: crate::model::query::Subject

mod arena;
mod bound;
mod build;
mod entry;
mod find;
mod follow;
mod list;
mod order;
mod quick;
mod scan;
mod table;
mod view;
mod vocab;

#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use self::follow::{Shared, State};
use self::scan::Selector;
use self::table::Table;
use super::core::store_error;
use super::protocol::{ErrorKind, FindHit, Response, WireError};
use crate::model::query::MatchContext;
use crate::model::{Actor, Item, ItemId, Query};
use crate::store::{Counts, Store};

/// The index a hub owns. Cheap to query from many threads at once.
pub struct QueueIndex {
    shared: Option<Arc<Shared>>,
}

/// What the index holds, for benchmarks and `doctor`-like reports.
#[derive(Clone, Copy, Debug)]
pub struct IndexStats {
    pub items: usize,
    /// Heap bytes the index holds, roughly (entries, order, strings, vocabulary).
    pub heap_bytes: usize,
    /// How long the build from the store took.
    pub built_in: Duration,
}

/// The page a `List` request asks for.
pub(super) struct PageRequest<'a> {
    /// Already narrowed to what the caller may see.
    pub query: &'a Query,
    pub skip: usize,
    pub limit: usize,
    pub raw: bool,
}

impl QueueIndex {
    /// Starts building the index of `store` in the background and following its changes.
    pub fn start(store: &Arc<dyn Store>) -> QueueIndex {
        QueueIndex {
            shared: Some(Shared::start(store)),
        }
    }

    /// An index that is never ready: the hub always answers from the store.
    pub fn disabled() -> QueueIndex {
        QueueIndex { shared: None }
    }

    /// Whether requests are answered from the index.
    pub fn is_ready(&self) -> bool {
        self.with_table(|_| ()).is_some()
    }

    /// Waits up to `timeout` for the index to be ready; says whether it is.
    pub fn wait_ready(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while !self.is_ready() {
            if self.shared.is_none() || Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        true
    }

    pub fn stats(&self) -> Option<IndexStats> {
        let shared = self.shared.as_ref()?;
        let state = shared.read()?;
        match &*state {
            State::Ready(ready) => Some(IndexStats {
                items: ready.table.len(),
                heap_bytes: ready.table.heap_bytes(),
                built_in: ready.built_in,
            }),
            State::Building | State::Failed => None,
        }
    }

    /// Runs `read` on the current table, once every change so far is applied; `None` when
    /// the index is not ready.
    fn with_table<R>(&self, read: impl FnOnce(&Table) -> R) -> Option<R> {
        let shared = self.shared.as_ref()?;
        shared.catch_up();
        let state = shared.read()?;
        match &*state {
            State::Ready(ready) => Some(read(&ready.table)),
            State::Building | State::Failed => None,
        }
    }

    /// Answers `List`, or `None` when the store must.
    pub(super) fn list(
        &self,
        store: &dyn Store,
        actor: &Actor,
        page: PageRequest<'_>,
        now: DateTime<Utc>,
    ) -> Option<Result<Response, WireError>> {
        let ctx = MatchContext::new(&actor.user, now);
        let found = self.with_table(|table| {
            let selector = Selector::new(page.query, &ctx, store);
            let (slots, more) = list::page(table, &selector, page.skip, page.limit)?;
            Ok((ids(table, &slots), more))
        })?;
        Some(found.map_err(store_error).and_then(|(ids, more)| {
            let mut items = Vec::with_capacity(ids.len());
            for id in ids {
                let mut item = stored(store, id)?;
                if page.raw {
                    item.raw = store.raw(id).map_err(store_error)?;
                }
                items.push(item);
            }
            Ok(Response::Items { items, more })
        }))
    }

    /// Answers `Count`, or `None` when the store must.
    pub(super) fn count(
        &self,
        store: &dyn Store,
        actor: &Actor,
        query: &Query,
        now: DateTime<Utc>,
    ) -> Option<Result<Response, WireError>> {
        let ctx = MatchContext::new(&actor.user, now);
        let counted =
            self.with_table(|table| list::count(table, &Selector::new(query, &ctx, store)))?;
        Some(
            counted
                .map(|count| Response::Count { count })
                .map_err(store_error),
        )
    }

    /// Answers `Find`, or `None` when the store must.
    pub(super) fn find(
        &self,
        store: &dyn Store,
        actor: &Actor,
        (query, pattern): (&Query, &str),
        limit: usize,
        now: DateTime<Utc>,
    ) -> Option<Result<Response, WireError>> {
        let pattern = pattern.trim();
        let ctx = MatchContext::new(&actor.user, now);
        let winners = self.with_table(|table| {
            let selector = Selector::new(query, &ctx, store);
            let best = find::best(table, &selector, pattern, limit)?;
            Ok(best
                .into_iter()
                .map(|(slot, score)| (table.entry(slot).id(), score))
                .collect::<Vec<_>>())
        })?;
        Some(winners.map_err(store_error).and_then(|winners| {
            let hits = winners
                .into_iter()
                .map(|(id, score)| Ok(super::find::hit(stored(store, id)?, pattern, score)))
                .collect::<Result<Vec<FindHit>, WireError>>()?;
            Ok(Response::Found { hits })
        }))
    }

    /// Answers `Counts`, or `None` when the store must.
    pub(super) fn counts(&self) -> Option<Counts> {
        self.with_table(Table::counts)
    }
}

fn ids(table: &Table, slots: &[u32]) -> Vec<ItemId> {
    slots.iter().map(|&slot| table.entry(slot).id()).collect()
}

/// An item the index named, read from the store.
fn stored(store: &dyn Store, id: ItemId) -> Result<Item, WireError> {
    store
        .get(id)
        .map_err(store_error)?
        .ok_or_else(|| WireError {
            kind: ErrorKind::Internal,
            message: format!("the queue index names item {id}, which the store does not have"),
        })
}

impl super::Hub {
    /// The hub's queue index (for benchmarks and health reports).
    pub fn index(&self) -> &QueueIndex {
        &self.index
    }
}
