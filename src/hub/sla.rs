//! The SLA inside the hub: keeps each item's `sla_due` right as it lives (the rules are
//! `triage::sla`; this file applies them where items change: ingest, status edits, the
//! reopen rule, a sent reply), answers `Ack`, and publishes SLA events to subscribers.
//! The clock that warns, breaches and pages is `sla_clock.rs`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::core::store_error;
use super::protocol::{ErrorKind, Response, WireError};
use super::Hub;
use crate::model::{Actor, Item, ItemId, Page, Status};
use crate::store::{AuditNote, StoreError};
use crate::team::Member;
use crate::triage::sla::SlaPolicy;

/// Capacity of the SLA event channel (a subscriber further behind gets `Lagged`).
pub const EVENTS_CAPACITY: usize = 256;

/// Something the SLA clock did, as subscribers see it (`Event::Sla`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaEvent {
    pub kind: SlaEventKind,
    pub item: ItemId,
    /// The item's account (subscribers only get events of accounts they see).
    pub account: String,
    /// The due time concerned.
    pub due: DateTime<Utc>,
    pub at: DateTime<Utc>,
    /// Who was told, paged, or acknowledged.
    #[serde(default)]
    pub users: Vec<String>,
    /// The page, for `paged` and `acked`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<ItemId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaEventKind {
    /// The due time is `warn_before` away.
    Warning,
    /// The due time passed with the item still waiting.
    Breached,
    /// Someone was paged about a breach.
    Paged,
    /// A page was acknowledged: the chain stops.
    Acked,
}

impl Hub {
    /// The SLA policy of the config in force (`None` without `[sla]`).
    pub(crate) fn sla_policy(&self) -> Option<SlaPolicy> {
        crate::triage::sla::policy(&self.config())
    }

    /// Publishes an SLA event (nobody listening is fine).
    pub(super) fn publish_sla(&self, event: SlaEvent) {
        let _ = self.sla_events.send(event);
    }

    /// Answers `Ack`: the page `id`, or every open page of the item `id`, acknowledged by
    /// the caller. The chain stops: no backup is paged for that breach.
    pub(super) fn ack(
        &self,
        member: &Member,
        id: ItemId,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let _paging = self.paging.lock().unwrap_or_else(|e| e.into_inner());
        let pages = self.store.pages().map_err(store_error)?;
        let chain = match pages.iter().find(|p| p.id == id) {
            Some(page) => (page.item, page.due),
            None => match pages.iter().rev().find(|p| p.item == id && p.is_open()) {
                Some(page) => (page.item, page.due),
                None => return Err(nothing_to_ack(id, &pages)),
            },
        };
        let item = self.existing(chain.0)?;
        if !member.scope().shows(&item) {
            return Err(store_error(StoreError::NotFound(chain.0)));
        }
        let mut acked = Vec::new();
        for mut page in pages.into_iter().filter(|p| (p.item, p.due) == chain) {
            if page.is_open() {
                page.acked_by = Some(member.name.clone());
                page.acked_at = Some(now);
                self.store.put_page(&page).map_err(store_error)?;
                acked.push(page);
            }
        }
        if acked.is_empty() {
            return Err(WireError {
                kind: ErrorKind::Refused,
                message: format!(
                    "the page for item {} is no longer waiting for an acknowledgement",
                    chain.0
                ),
            });
        }
        let detail = format!("page acknowledged by {}", member.name);
        let actor = Actor::new(member.name.clone(), "ack");
        self.store
            .append_audit(&actor, now, Some(chain.0), "sla", &detail)
            .map_err(store_error)?;
        self.flush()?;
        self.publish_sla(SlaEvent {
            kind: SlaEventKind::Acked,
            item: chain.0,
            account: item.account.clone(),
            due: chain.1,
            at: now,
            users: vec![member.name.clone()],
            page: acked.first().map(|p| p.id),
        });
        Ok(Response::Pages { pages: acked })
    }

    /// Pages still waiting for an acknowledgement, within what the member sees.
    pub(crate) fn open_pages(&self, member: &Member) -> Result<Vec<Page>, WireError> {
        let scope = member.scope();
        let mut open = Vec::new();
        for page in self.store.pages().map_err(store_error)? {
            if page.is_open() && self.existing(page.item).is_ok_and(|i| scope.shows(&i)) {
                open.push(page);
            }
        }
        Ok(open)
    }
}

/// Starts the first-response clock of a customer item ingest creates (inside the ingest
/// write): the audit line for its due time, by the system actor, when it has one.
pub(super) fn arrival_note(
    policy: Option<&SlaPolicy>,
    item: &mut Item,
    now: DateTime<Utc>,
) -> Option<(Actor, AuditNote)> {
    let policy = policy?;
    policy
        .on_arrival(item, now)
        .then(|| (Actor::system(), due_note("first response", item)))
}

/// Keeps `sla_due` right after an edit that may have moved the status from `before`.
pub(super) fn follow_status(
    policy: Option<&SlaPolicy>,
    item: &mut Item,
    before: Status,
    now: DateTime<Utc>,
) {
    if let Some(policy) = policy {
        if item.status != before {
            policy.on_status_change(item, before, now);
        }
    }
}

/// The audit detail for a new due time: "first response due 2026-11-23T10:00:00Z".
fn due_note(what: &str, item: &Item) -> AuditNote {
    let due = item
        .sla_due
        .map_or_else(|| "none".into(), super::sla_clock::stamp);
    AuditNote::new("sla", format!("{what} due {due}"))
}

fn nothing_to_ack(id: ItemId, pages: &[Page]) -> WireError {
    let answered = pages.iter().any(|p| p.item == id);
    WireError {
        kind: if answered {
            ErrorKind::Refused
        } else {
            ErrorKind::NotFound
        },
        message: if answered {
            format!("no page about item {id} is waiting for an acknowledgement")
        } else {
            format!("no page and no paged item with id {id}")
        },
    }
}
