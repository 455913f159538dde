//! The hub's read side: list, count, counts, show, audit and outbox, each within the
//! caller's scope. `List`, `Find` and `Count` run on the queue index when it is ready and on
//! the store until then; both give the same answers.

use chrono::{DateTime, Utc};

use super::core::{parse_query, store_error};
use super::protocol::{ItemDetail, Response, WireError};
use super::Hub;
use crate::model::query::MatchContext;
use crate::model::{Actor, Item, ItemId, Query, Status};
use crate::team::Scope;

/// How many items a thread or author history shows at most in the detail pane (the newest).
const CONTEXT_LIMIT: usize = 200;

impl Hub {
    pub(super) fn list(
        &self,
        actor: &Actor,
        query: &Query,
        skip: usize,
        limit: usize,
        raw: bool,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
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

    /// Counts on the index, or by walking the store while the index is not ready.
    pub(super) fn count(
        &self,
        actor: &Actor,
        query: &Query,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        if let Some(answer) = self.index.count(&*self.store, actor, query, now) {
            return answer;
        }
        let ctx = MatchContext::new(&actor.user, now);
        let mut count = 0u64;
        for item in self.store.queue_iter(&query.statuses()) {
            if query.matches(&item.map_err(store_error)?, &ctx) {
                count += 1;
            }
        }
        Ok(Response::Count { count })
    }

    /// Items per status: from counters when the caller sees everything, else counted
    /// within their scope.
    pub(super) fn counts(
        &self,
        actor: &Actor,
        scope: &Scope,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        if scope.is_everything() {
            let counts = match self.index.counts() {
                Some(counts) => counts,
                None => self.store.counts().map_err(store_error)?,
            };
            return Ok(Response::Counts { counts });
        }
        let mut counts = crate::store::Counts::default();
        for status in Status::ALL {
            let query = scope.narrow(parse_query(&format!("status:{status}"))?);
            if let Response::Count { count } = self.count(actor, &query, now)? {
                counts.by_status.insert(status, count);
            }
        }
        Ok(Response::Counts { counts })
    }

    pub(super) fn audit(
        &self,
        scope: &Scope,
        id: Option<ItemId>,
        limit: usize,
    ) -> Result<Response, WireError> {
        if let Some(id) = id {
            self.visible(scope, id)?;
        }
        let mut entries = self.store.audit(id, limit).map_err(store_error)?;
        if id.is_none() && !scope.is_everything() {
            let mut accounts = std::collections::HashMap::new();
            entries.retain(|entry| match entry.item {
                None => true,
                Some(item) => *accounts.entry(item).or_insert_with(
                    || matches!(self.store.get(item), Ok(Some(found)) if scope.sees(&found)),
                ),
            });
        }
        Ok(Response::Audit { entries })
    }

    pub(super) fn outbox(&self, scope: &Scope) -> Result<Response, WireError> {
        let mut entries = self.store.outbox().map_err(store_error)?;
        entries.retain(|entry| scope.sees_account(&entry.account));
        Ok(Response::Entries { entries })
    }

    pub(super) fn show(&self, scope: &Scope, id: ItemId, raw: bool) -> Result<Response, WireError> {
        let mut item = self.visible(scope, id)?;
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
        // The thread just read holds its newest messages: what a window runs from.
        let last_customer = super::replies::last_customer_message_in(&item, &thread);
        let reply_window = self.reply_policy().reply_window(&item, last_customer);
        Ok(Response::Detail {
            detail: Box::new(ItemDetail {
                item,
                thread,
                author_history,
                audit,
                reply_window,
                escalations: self
                    .item_escalations(id)?
                    .into_iter()
                    .filter(|e| scope.sees_escalation(e))
                    .collect(),
                suggested_draft: self.suggested_draft(id)?,
            }),
        })
    }
}
