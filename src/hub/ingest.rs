//! Items coming in (connectors, `import`, the simulator): one atomic batch, then the
//! reopen rule: a customer's new message reopens their resolved items in the same thread;
//! then each new customer item is routed (priority and `[[rules]]`, `routing.rs`).

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::core::store_error;
use super::edits;
use super::protocol::{Response, WireError};
use super::Hub;
use crate::model::{Actor, Item, NewItem};
use crate::store::IngestOutcome;

impl Hub {
    /// Ingests a batch, then reopens resolved items whose customer wrote again in the thread.
    pub(super) fn ingest(
        &self,
        actor: &Actor,
        items: Vec<NewItem>,
        source: &str,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let outcomes = self.ingest_page(actor, items, source, None, true, now)?;
        Ok(Response::Ingested { outcomes })
    }

    /// Ingests a batch and, atomically with it, moves `cursor.0`'s sync cursor to
    /// `cursor.1`; with `reopen`, applies the reopen rule to the new messages. Durable
    /// (flushed) when it returns.
    pub(crate) fn ingest_page(
        &self,
        actor: &Actor,
        items: Vec<NewItem>,
        source: &str,
        cursor: Option<(&str, &str)>,
        reopen: bool,
        now: DateTime<Utc>,
    ) -> Result<Vec<IngestOutcome>, WireError> {
        let actor = Actor::new(actor.user.clone(), source);
        let writers: Vec<Option<ThreadWriter>> = match reopen {
            true => items.iter().map(ThreadWriter::of).collect(),
            false => Vec::new(),
        };
        let routable: HashSet<(String, String)> = items
            .iter()
            .filter(|item| super::routing::routable(item))
            .map(|item| (item.account.clone(), item.remote_id.clone()))
            .collect();
        let config = self.config();
        let sla = self.sla_policy();
        let mut follow_ups = Vec::new();
        let mut batch = super::routing::BatchLoad::new();
        // New items land with their SLA due time, priority and rules' edits in the same
        // atomic write as the page: one write per page, not one more per item.
        let mut prepare = |item: &mut Item| {
            let mut notes = Vec::new();
            notes.extend(super::sla::arrival_note(sla.as_ref(), item, now));
            if routable.contains(&(item.account.clone(), item.remote_id.clone())) {
                let (note, follow_up) = self.route_arrival(&config, item, now, &mut batch);
                notes.extend(note);
                follow_ups.extend(follow_up);
            }
            notes
        };
        let outcomes = self
            .store
            .ingest_page(items, &actor, now, cursor, &mut prepare)
            .map_err(store_error)?;
        for (outcome, writer) in outcomes.iter().zip(writers) {
            if let (IngestOutcome::Created(_), Some(writer)) = (outcome, writer) {
                self.reopen_for(&writer, now)?;
            }
        }
        for report in &follow_ups {
            self.route_follow_up(report, now);
        }
        self.flush()?;
        Ok(outcomes)
    }

    /// A customer's new message reopens their resolved items in the same thread.
    fn reopen_for(&self, writer: &ThreadWriter, now: DateTime<Utc>) -> Result<(), WireError> {
        let resolved = self
            .store
            .resolved_in_thread(&writer.account, &writer.thread, &writer.author)
            .map_err(store_error)?;
        let reason = format!("customer wrote again ({})", writer.remote_id);
        let policy = self.sla_policy();
        for id in resolved {
            self.store
                .update(id, &Actor::system(), now, &mut |item| {
                    let before = item.status;
                    let note = edits::reopen_because(item, &reason)?;
                    super::sla::follow_status(policy.as_ref(), item, before, now);
                    Ok(note)
                })
                .map_err(store_error)?;
        }
        Ok(())
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
