//! The SLA clock: warns before an item's due time, records the breach when it passes, and
//! pages whoever is on call, then the backups while nobody acknowledges.
//!
//! [`pass`] is one step at one instant, which tests call with a controlled time:
//! - an active item whose `sla_due` is `warn_before` away or less gets a warning (a
//!   `SlaWarning` notice to its assignee, else whoever is on call, and an event);
//! - one whose `sla_due` has passed is breached: an audit line `sla`, a `SlaBreached`
//!   notice and event, and a page for each person on call at the due time (overrides
//!   included), through their `[users.X] notify` channels; nobody on call pages the first
//!   backup;
//! - a page nobody acknowledged within `[oncall] ack_timeout` pages the next `backup`
//!   (someone already paged for that breach is skipped); the chain stops at an
//!   acknowledgement (`Request::Ack`), or when the item no longer waits on that due time
//!   (answered, resolved); when nobody is left, the last pages stay open for an
//!   acknowledgement and nobody else is paged.
//!
//! Progress is durable: an [`SlaMark`] per item (warned, breached, for which due time) and
//! the [`Page`] records are written and flushed before any notice goes out, so a restarted
//! hub repeats no warning or page and skips none (a notice is at most once: a crash between
//! the flush and the hand-over loses that notice, never doubles it). A pass and an `Ack`
//! take turns (`Hub::paging`), so a pass never rewrites a page acknowledged after it read it.
//! [`keep_forever`] is the task long-running hosts start, like the shift clock.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};

use super::sla::{SlaEvent, SlaEventKind};
use super::Hub;
use crate::model::{Actor, Item, ItemId, Notice, NoticeKind, Page, SlaMark, Status};
use crate::store::StoreError;

/// How often the clock looks: warnings and breaches are at most this late.
const INTERVAL: StdDuration = StdDuration::from_secs(15);

/// What one pass did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PassReport {
    pub warned: Vec<ItemId>,
    pub breached: Vec<ItemId>,
    /// Pages made in this pass (on-call and backups).
    pub paged: Vec<Page>,
    /// The notices handed to `Hub::notify`, in order.
    pub notices: Vec<Notice>,
}

/// Runs the clock until the process ends.
pub async fn keep_forever(hub: Arc<Hub>) {
    loop {
        let worker = Arc::clone(&hub);
        let now = hub.now();
        match tokio::task::spawn_blocking(move || pass(&worker, now)).await {
            Ok(Ok(report)) if !report.breached.is_empty() || !report.paged.is_empty() => {
                tracing::info!(
                    breached = report.breached.len(),
                    paged = report.paged.len(),
                    "SLA breaches and pages"
                );
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "SLA clock pass failed"),
            Err(e) => tracing::error!(error = %e, "SLA clock task failed"),
        }
        tokio::time::sleep(INTERVAL).await;
    }
}

/// Everything due at `now`: warnings, breaches and their pages, backups paged.
pub fn pass(hub: &Hub, now: DateTime<Utc>) -> Result<PassReport, StoreError> {
    let mut report = PassReport::default();
    let mut notices = Vec::new();
    let paging = hub.paging.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(policy) = hub.sla_policy() {
        // Everything due within `warn_before`: the near ones are warned, the past ones breached.
        let horizon = now + policy.warn_before() + Duration::milliseconds(1);
        for item in hub.store().due_before(&Status::ACTIVE, horizon)? {
            check(hub, &item, now, &mut report, &mut notices)?;
        }
    }
    chase(hub, now, &mut report, &mut notices)?;
    hub.store().flush()?;
    drop(paging);
    for (notice, event) in notices {
        report.notices.push(notice.clone());
        if let Err(e) = hub.notify(notice) {
            tracing::warn!(error = %e.message, "an SLA notice was not handed over");
        }
        hub.publish_sla(event);
    }
    Ok(report)
}

type Raised = Vec<(Notice, SlaEvent)>;

/// Warns or breaches one item whose due time is near or past, once per due time.
fn check(
    hub: &Hub,
    item: &Item,
    now: DateTime<Utc>,
    report: &mut PassReport,
    raised: &mut Raised,
) -> Result<(), StoreError> {
    let Some(due) = item.sla_due else {
        return Ok(());
    };
    let store = hub.store();
    let mut mark = store
        .sla_mark(item.id)?
        .filter(|m| m.due == due)
        .unwrap_or(SlaMark {
            item: item.id,
            due,
            warned: false,
            breached: false,
        });
    if mark.breached {
        return Ok(());
    }
    if due <= now {
        breach(hub, item, due, now, report, raised)?;
        mark.warned = true;
        mark.breached = true;
    } else if !mark.warned {
        let users = told(hub, item, now);
        let title = format!("SLA soon: {} due {}", what_is_due(item), stamp(due));
        store.append_audit(&Actor::system(), now, Some(item.id), "sla", &title)?;
        raised.push(raise(
            NoticeKind::SlaWarning,
            item,
            (due, now),
            title,
            users,
            None,
        ));
        report.warned.push(item.id);
        mark.warned = true;
    } else {
        return Ok(());
    }
    store.put_sla_mark(&mark)
}

/// The breach: pages for whoever is on call at `due` (or the first backup), an audit line.
fn breach(
    hub: &Hub,
    item: &Item,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
    report: &mut PassReport,
    raised: &mut Raised,
) -> Result<(), StoreError> {
    let already = hub
        .store()
        .pages()?
        .iter()
        .any(|p| p.item == item.id && p.due == due);
    let mut paged = Vec::new();
    let breach_at = raised.len();
    if !already {
        let on_call = hub
            .schedule()
            .map(|s| s.on_call_at(due))
            .unwrap_or_default();
        let (step, users) = match on_call.is_empty() {
            false => (0, on_call),
            true => (1, backups(hub).into_iter().take(1).collect()),
        };
        for user in users {
            paged.push(page(hub, item, due, (user, step), now, raised)?);
        }
    }
    let who: Vec<&str> = paged.iter().map(|p| p.user.as_str()).collect();
    let title = format!("SLA breached: {} was due {}", what_is_due(item), stamp(due));
    let detail = match who.is_empty() {
        true if already => title.clone(),
        true => format!("{title}; nobody on call and no backup to page"),
        false => format!("{title}; paged {}", who.join(", ")),
    };
    hub.store()
        .append_audit(&Actor::system(), now, Some(item.id), "sla", &detail)?;
    let users = told(hub, item, due);
    raised.insert(
        breach_at,
        raise(
            NoticeKind::SlaBreached,
            item,
            (due, now),
            title,
            users,
            None,
        ),
    );
    report.breached.push(item.id);
    report.paged.extend(paged);
    Ok(())
}

/// Records a page for `user` at `step` and raises its notice through their channels.
fn page(
    hub: &Hub,
    item: &Item,
    due: DateTime<Utc>,
    (user, step): (String, usize),
    now: DateTime<Utc>,
    raised: &mut Raised,
) -> Result<Page, StoreError> {
    let page = Page {
        id: ItemId::generate(),
        item: item.id,
        due,
        user: user.clone(),
        step,
        at: now,
        acked_by: None,
        acked_at: None,
        closed_at: None,
        last: false,
    };
    hub.store().put_page(&page)?;
    let channels = hub
        .config()
        .users
        .get(&user)
        .map(|u| u.notify.clone())
        .unwrap_or_default();
    let title = format!(
        "Page: {} on {} missed its SLA (due {}); acknowledge with `switchboard ack {}`",
        what_is_due(item),
        item.platform.as_str(),
        stamp(due),
        item.id
    );
    let mut notice = raise(
        NoticeKind::Page,
        item,
        (due, now),
        title,
        vec![user],
        Some(page.id),
    );
    notice.0.channels = channels;
    raised.push(notice);
    Ok(page)
}

/// Pages the next backup of every chain whose open pages waited `ack_timeout` in vain.
fn chase(
    hub: &Hub,
    now: DateTime<Utc>,
    report: &mut PassReport,
    raised: &mut Raised,
) -> Result<(), StoreError> {
    let timeout = hub
        .config()
        .oncall
        .as_ref()
        .map_or(Duration::minutes(15), |o| o.ack_timeout());
    let pages = hub.store().pages()?;
    let mut chains: Vec<(ItemId, DateTime<Utc>)> = pages
        .iter()
        .filter(|p| p.is_open() && !p.last && p.at + timeout <= now)
        .map(|p| (p.item, p.due))
        .collect();
    chains.sort();
    chains.dedup();
    for (item_id, due) in chains {
        let chain: Vec<&Page> = pages
            .iter()
            .filter(|p| (p.item, p.due) == (item_id, due))
            .collect();
        if chain.iter().any(|p| p.acked_at.is_some()) {
            continue;
        }
        let item = hub.store().get(item_id)?;
        let waiting = item
            .as_ref()
            .filter(|i| i.status.is_active() && i.sla_due == Some(due));
        let next = waiting.and_then(|_| next_backup(hub, &chain));
        let exhausted = waiting.is_some() && next.is_none();
        for open in chain.iter().filter(|p| p.is_open()) {
            let mut page = (*open).clone();
            match exhausted {
                true => page.last = true,
                false => page.closed_at = Some(now),
            }
            hub.store().put_page(&page)?;
        }
        let (Some(item), Some((user, step))) = (waiting, next) else {
            let why = match exhausted {
                true => "nobody acknowledged the page and no backup is left: it stays open",
                false => "the page is no longer needed: the item moved on",
            };
            hub.store()
                .append_audit(&Actor::system(), now, Some(item_id), "sla", why)?;
            continue;
        };
        let detail = format!(
            "nobody acknowledged within {}m: paged {user} (backup)",
            timeout.num_minutes()
        );
        hub.store()
            .append_audit(&Actor::system(), now, Some(item_id), "sla", &detail)?;
        report
            .paged
            .push(page(hub, item, due, (user, step), now, raised)?);
    }
    Ok(())
}

/// The next backup after the chain's last step, skipping anyone the chain already paged.
fn next_backup(hub: &Hub, chain: &[&Page]) -> Option<(String, usize)> {
    let last = chain.iter().map(|p| p.step).max()?;
    backups(hub)
        .into_iter()
        .enumerate()
        .map(|(i, user)| (user, i + 1))
        .skip(last)
        .find(|(user, _)| !chain.iter().any(|p| &p.user == user))
}

fn backups(hub: &Hub) -> Vec<String> {
    hub.config()
        .oncall
        .as_ref()
        .map(|o| o.backup.0.clone())
        .unwrap_or_default()
}

/// Who hears about an item's SLA: its assignee, else whoever is on call at `at`.
fn told(hub: &Hub, item: &Item, at: DateTime<Utc>) -> Vec<String> {
    match &item.assignee {
        Some(user) => vec![user.clone()],
        None => hub.schedule().map(|s| s.on_call_at(at)).unwrap_or_default(),
    }
}

fn what_is_due(item: &Item) -> String {
    let stage = match item.first_response_at {
        None => "first response",
        Some(_) => "resolution",
    };
    format!("{stage} to {} ({})", item.id, item.kind.as_str())
}

/// A notice and its event, both about `item`.
fn raise(
    kind: NoticeKind,
    item: &Item,
    (due, now): (DateTime<Utc>, DateTime<Utc>),
    title: String,
    users: Vec<String>,
    page: Option<ItemId>,
) -> (Notice, SlaEvent) {
    let event_kind = match kind {
        NoticeKind::SlaWarning => SlaEventKind::Warning,
        NoticeKind::Page => SlaEventKind::Paged,
        _ => SlaEventKind::Breached,
    };
    let body = format!(
        "{} on {} ({}), by @{}: {}",
        item.kind.as_str(),
        item.platform.as_str(),
        item.account,
        item.author.handle,
        item.first_line()
    );
    let notice = Notice {
        kind,
        at: now,
        title,
        body,
        item: Some(item.id),
        channels: Vec::new(),
        users: users.clone(),
    };
    let event = SlaEvent {
        kind: event_kind,
        item: item.id,
        account: item.account.clone(),
        due,
        at: now,
        users,
        page,
    };
    (notice, event)
}

/// A due time in messages: RFC 3339 to the second, in UTC (`2026-11-23T14:00:00Z`).
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
