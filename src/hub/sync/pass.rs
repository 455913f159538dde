//! One sync pass of one account: page after page of what is new since the stored cursor,
//! each page ingested together with the cursor past it (one atomic write), then the thread
//! context of new replies whose parent the store lacks.
//!
//! A page the connector could not read ends the pass with the cursor where it was: nothing
//! stored is lost, and the next pass reads the page again (ingest keeps one copy of each
//! (account, remote id)). A payload the connector could read only in part is kept as a
//! sync problem, raw included, and the pass goes on.

use std::sync::Arc;

use chrono::Utc;

use super::super::Hub;
use crate::connectors::{Connector, ConnectorError, PayloadProblem};
use crate::model::{AccountState, Actor, NewItem, Status, SyncProblem, SyncSummary};
use crate::store::IngestOutcome;

/// Pages one pass reads at most; a longer backlog continues in the next pass.
pub const MAX_PAGES_PER_PASS: u64 = 1_000;
/// Threads whose context one pass fetches at most (each costs a request).
pub const MAX_CONTEXTS_PER_PASS: usize = 25;
/// The tag on posts stored only as a thread's context (resolved, out of the queue).
pub const CONTEXT_TAG: &str = "context";

/// Why a pass stopped early.
enum Stop {
    Platform(ConnectorError),
    Store(String),
}

impl Stop {
    fn state(&self) -> AccountState {
        match self {
            Stop::Platform(ConnectorError::RateLimited { until }) => {
                AccountState::RateLimited { until: *until }
            }
            Stop::Platform(ConnectorError::Auth(reason)) => AccountState::AuthFailed {
                reason: reason.clone(),
            },
            Stop::Platform(other) => AccountState::Error {
                reason: other.to_string(),
            },
            Stop::Store(reason) => AccountState::Error {
                reason: format!("store: {reason}"),
            },
        }
    }
}

/// Runs one pass of `connector`'s account (waiting for a pass already running to end).
pub async fn run_pass(hub: &Arc<Hub>, connector: &Arc<dyn Connector>) -> SyncSummary {
    let account = connector.account().to_string();
    let lock = hub.accounts.pass_lock(&account);
    let _one_at_a_time = lock.lock().await;
    let store = hub.store().as_ref();
    hub.accounts
        .set_state(store, &account, AccountState::Syncing, Utc::now());
    let mut summary = SyncSummary {
        account: account.clone(),
        ..SyncSummary::default()
    };
    let outcome = read_pages(hub, connector, &mut summary).await;
    let state = match &outcome {
        Ok(()) => AccountState::Ok,
        Err(stop) => stop.state(),
    };
    if let Err(stop) = &outcome {
        summary.error = Some(state.to_string());
        if matches!(stop, Stop::Store(_)) {
            tracing::error!(account, %state, "sync pass failed");
        } else {
            tracing::warn!(account, %state, "sync pass stopped");
        }
    }
    hub.accounts.set_last_new(store, &account, summary.new);
    hub.accounts.set_usage(store, &account, connector.usage());
    hub.accounts.set_state(store, &account, state, Utc::now());
    summary
}

async fn read_pages(
    hub: &Arc<Hub>,
    connector: &Arc<dyn Connector>,
    summary: &mut SyncSummary,
) -> Result<(), Stop> {
    let account = connector.account();
    let mut cursor = hub.store().cursor(account).map_err(store_stop)?;
    let mut need_context: Vec<Orphan> = Vec::new();
    loop {
        let page = connector
            .fetch_new(cursor.as_deref())
            .await
            .map_err(Stop::Platform)?;
        summary.pages += 1;
        keep_problems(hub, account, &page.problems, summary)?;
        let next = page.cursor.clone();
        let wanting: Vec<Orphan> = page.items.iter().filter_map(Orphan::of).collect();
        let outcomes = ingest(hub, connector, page.items, next.as_deref(), true)?;
        count(summary, &outcomes);
        need_context.extend(parent_not_stored(wanting, hub, account));
        if next.is_some() {
            cursor = next;
        }
        if !page.more || summary.pages >= MAX_PAGES_PER_PASS {
            break;
        }
    }
    fetch_contexts(hub, connector, need_context, summary).await
}

/// A customer's reply whose parent the store may lack: what fetching its thread needs.
struct Orphan {
    remote_id: String,
    parent_id: String,
    thread: String,
}

impl Orphan {
    fn of(item: &NewItem) -> Option<Orphan> {
        let parent_id = item.parent_id.clone().filter(|_| !item.from_brand)?;
        Some(Orphan {
            remote_id: item.remote_id.clone(),
            parent_id,
            thread: item
                .thread_id
                .clone()
                .unwrap_or_else(|| item.remote_id.clone()),
        })
    }
}

/// Those of `replies` whose parent is not stored (yet).
fn parent_not_stored(replies: Vec<Orphan>, hub: &Hub, account: &str) -> Vec<Orphan> {
    replies
        .into_iter()
        .filter(|reply| {
            matches!(
                hub.store().lookup_remote(account, &reply.parent_id),
                Ok(None)
            )
        })
        .collect()
}

async fn fetch_contexts(
    hub: &Arc<Hub>,
    connector: &Arc<dyn Connector>,
    orphans: Vec<Orphan>,
    summary: &mut SyncSummary,
) -> Result<(), Stop> {
    let account = connector.account();
    let mut threads_done = std::collections::BTreeSet::new();
    for orphan in orphans.into_iter().take(MAX_CONTEXTS_PER_PASS) {
        if !threads_done.insert(orphan.thread) {
            continue;
        }
        let Ok(Some(id)) = hub.store().lookup_remote(account, &orphan.remote_id) else {
            continue;
        };
        let Ok(Some(item)) = hub.store().get(id) else {
            continue;
        };
        match connector.fetch_thread(&item).await {
            Ok(context) => {
                let fresh = as_context(hub, account, context);
                summary.context += fresh.len() as u64;
                ingest(hub, connector, fresh, None, false)?;
            }
            // Context is a nicety: the items themselves are stored.
            Err(ConnectorError::RateLimited { until }) => {
                return Err(Stop::Platform(ConnectorError::RateLimited { until }))
            }
            Err(e) => tracing::info!(account, error = %e, "thread context not fetched"),
        }
    }
    Ok(())
}

/// The posts of a thread not stored yet, marked as context: resolved (out of the queue)
/// and tagged, unless the brand wrote them (those are resolved anyway).
fn as_context(hub: &Hub, account: &str, posts: Vec<NewItem>) -> Vec<NewItem> {
    posts
        .into_iter()
        .filter(|post| post.account == account)
        .filter(|post| {
            matches!(
                hub.store().lookup_remote(account, &post.remote_id),
                Ok(None)
            )
        })
        .map(|mut post| {
            if !post.from_brand {
                post.status = Some(Status::Resolved);
                post.tags.insert(CONTEXT_TAG.to_string());
            }
            post
        })
        .collect()
}

fn ingest(
    hub: &Hub,
    connector: &Arc<dyn Connector>,
    items: Vec<NewItem>,
    cursor: Option<&str>,
    reopen: bool,
) -> Result<Vec<IngestOutcome>, Stop> {
    let account = connector.account();
    let actor = Actor::system();
    let source = format!("sync:{account}");
    let cursor = cursor.map(|c| (account, c));
    hub.ingest_page(&actor, items, &source, cursor, reopen, hub.now())
        .map_err(|e| Stop::Store(e.message))
}

fn keep_problems(
    hub: &Hub,
    account: &str,
    problems: &[PayloadProblem],
    summary: &mut SyncSummary,
) -> Result<(), Stop> {
    for problem in problems {
        tracing::warn!(account, reason = %problem.reason, "unreadable payload kept as a sync problem");
        let record = SyncProblem {
            account: account.to_string(),
            at: Utc::now(),
            reason: problem.reason.clone(),
            raw: problem.raw.clone(),
        };
        hub.store().add_sync_problem(&record).map_err(store_stop)?;
        summary.problems += 1;
    }
    Ok(())
}

fn count(summary: &mut SyncSummary, outcomes: &[IngestOutcome]) {
    for outcome in outcomes {
        match outcome {
            IngestOutcome::Created(_) => summary.new += 1,
            IngestOutcome::Updated(_) => summary.updated += 1,
            IngestOutcome::Unchanged(_) => summary.unchanged += 1,
        }
    }
}

fn store_stop(e: crate::store::StoreError) -> Stop {
    Stop::Store(e.to_string())
}
