//! [`Hub`]: validates each request against the item rules, applies it to the store, flushes
//! before answering, and republishes the store's change feed as protocol events. This file
//! holds the hub itself and the dispatch of requests; reads are `reads.rs`, ingest
//! `ingest.rs`, replies `replies.rs`, the team `access.rs`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};

use super::edits;
use super::index::{PageRequest, QueueIndex};
use super::presence::Presence;
use super::protocol::{ErrorKind, Event, HubStatus, Request, Response, WireError};
use super::replies::ReplyAsk;
use crate::model::query::MatchContext;
use crate::model::{Actor, Item, ItemId, Query};
use crate::responses::policy::ReplyPolicy;
use crate::store::{Store, StoreError, SCHEMA_VERSION};
use crate::team::{Member, Role, Scope, Team};

/// A source of the current time.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The hub core. Cheap to share behind an `Arc`; every method is synchronous (the store is)
/// and is called from blocking tasks by the server and the in-process client.
pub struct Hub {
    pub(super) store: Arc<dyn Store>,
    started_at: DateTime<Utc>,
    clients: AtomicUsize,
    mode: String,
    /// What time it is for the hub: requests, ingest, sent replies and the SLA clock read
    /// it, so tests drive time with [`Hub::with_clock`].
    clock: Clock,
    /// Wakes the outbox delivery task when a reply is queued.
    outbox_wakeup: tokio::sync::Notify,
    /// What the SLA clock did, for subscribers (`Event::Sla`).
    pub(super) sla_events: tokio::sync::broadcast::Sender<super::sla::SlaEvent>,
    /// Held while pages are read and rewritten (an SLA clock pass, an `Ack`), so an
    /// acknowledgement is never overwritten by a pass that read the page before it.
    pub(super) paging: std::sync::Mutex<()>,
    /// Every outbox entry saved, with who saved it (see `Hub::save_entry`).
    pub(super) outbox_changes: tokio::sync::broadcast::Sender<super::outbox::EntrySaved>,
    /// Every escalation made or answered, with who did it (`Event::Escalation`).
    pub(super) escalation_changes:
        tokio::sync::broadcast::Sender<super::escalations::EscalationSaved>,
    /// Answers `List`, `Find` and `Counts` once built (the store does until then).
    pub(super) index: QueueIndex,
    /// Who may use the hub (reloadable by admins).
    pub(super) team: RwLock<Team>,
    /// The config file `ReloadTeam` re-reads.
    pub(super) config_file: Option<PathBuf>,
    /// Who is attached and what they view or compose.
    pub(super) presence: Presence,
    /// The platform accounts and their sync states.
    pub(super) accounts: super::sync::AccountBoard,
    /// The wake handles of the accounts syncing in the background (`Hub::wake_account`).
    pub(super) wakes: Arc<super::sync::wakes::Wakes>,
    /// The webhook endpoint's routes and counters, once started (`hub::webhooks`).
    pub(super) webhooks: super::webhooks::EndpointSlot,
    /// The connectors replies, sync and moderation go through.
    pub(super) platforms: RwLock<super::sync::Platforms>,
    /// Length limits, messaging windows and what a sent reply does (reloaded with the team).
    pub(super) reply_policy: RwLock<ReplyPolicy>,
    /// The whole config the hub was started or last reloaded with: escalations, channels,
    /// rules and SLAs read their sections from it (`Hub::config`).
    pub(super) config: RwLock<Arc<crate::config::Config>>,
    /// Wakes the notice delivery task (`crate::notify`) when a notice is raised.
    pub(super) notify_wakeup: tokio::sync::Notify,
    /// Every notice addressed to users' terminals (see `Hub::notify`).
    pub(super) notices: tokio::sync::broadcast::Sender<crate::model::Notice>,
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
            clock: Arc::new(Utc::now),
            outbox_wakeup: tokio::sync::Notify::new(),
            outbox_changes: tokio::sync::broadcast::channel(super::outbox::CHANGES_CAPACITY).0,
            escalation_changes: tokio::sync::broadcast::channel(super::outbox::CHANGES_CAPACITY).0,
            sla_events: tokio::sync::broadcast::channel(super::sla::EVENTS_CAPACITY).0,
            paging: std::sync::Mutex::new(()),
            team: RwLock::new(Team::default()),
            config_file: None,
            presence: Presence::default(),
            accounts: Default::default(),
            wakes: Default::default(),
            webhooks: Default::default(),
            platforms: Default::default(),
            reply_policy: Default::default(),
            config: Default::default(),
            notify_wakeup: tokio::sync::Notify::new(),
            notices: tokio::sync::broadcast::channel(super::notify::NOTICES_CAPACITY).0,
        }
    }

    /// The same hub with this team; `config_file` is what `ReloadTeam` re-reads.
    pub fn with_team(mut self, team: Team, config_file: Option<PathBuf>) -> Hub {
        self.team = RwLock::new(team);
        self.config_file = config_file;
        self
    }

    /// The same hub reading the time from `clock` instead of the system clock.
    pub fn with_clock(mut self, clock: Clock) -> Hub {
        self.clock = clock;
        self
    }

    /// The hub's current time (the system clock unless [`Hub::with_clock`] replaced it).
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The same hub with these reply rules (`[replies]`, the accounts' `human_agent`).
    pub fn with_reply_policy(self, policy: ReplyPolicy) -> Hub {
        *self.reply_policy.write().unwrap_or_else(|e| e.into_inner()) = policy;
        self
    }

    /// The same hub with this config (the sections beyond the team and the reply rules).
    pub fn with_config(self, config: crate::config::Config) -> Hub {
        self.set_config(config);
        self
    }

    /// The config in force (replaced whole by `ReloadTeam`).
    pub(crate) fn config(&self) -> Arc<crate::config::Config> {
        Arc::clone(&self.config.read().unwrap_or_else(|e| e.into_inner()))
    }

    pub(super) fn set_config(&self, config: crate::config::Config) {
        *self.config.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(config);
    }

    /// The reply rules in force.
    pub(super) fn reply_policy(&self) -> ReplyPolicy {
        self.reply_policy
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The store behind the hub (for benches and maintenance verbs).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Notified whenever a reply is queued (see `hub::outbox`).
    pub fn outbox_wakeup(&self) -> &tokio::sync::Notify {
        &self.outbox_wakeup
    }

    /// Registers an attached client: counted and shown as online while the guard lives.
    pub fn join(self: &Arc<Self>, actor: &Actor) -> ClientGuard {
        self.clients.fetch_add(1, Ordering::Relaxed);
        let member = self
            .member_of(actor)
            .unwrap_or_else(|_| Member::open(&actor.user));
        let session = self.presence.join(&member, &actor.client, self.now());
        ClientGuard {
            hub: Arc::clone(self),
            session,
        }
    }

    /// Handles a request from one connection: presence belongs to the session, the rest
    /// to [`Hub::handle`].
    pub fn handle_in_session(
        &self,
        session: u64,
        actor: &Actor,
        request: Request,
    ) -> Result<Response, WireError> {
        match request {
            Request::Presence { viewing, composing } => {
                self.presence.set(session, viewing, composing);
                Ok(Response::Done)
            }
            other => self.handle(actor, other),
        }
    }

    /// Answers any request: those that wait on a platform on this task, the rest on a
    /// blocking thread (the store is synchronous).
    pub async fn answer(
        self: &Arc<Self>,
        session: u64,
        actor: &Actor,
        request: Request,
    ) -> Result<Response, WireError> {
        if request.reaches_platform() {
            return self.answer_platform(actor, request).await;
        }
        let hub = Arc::clone(self);
        let actor = actor.clone();
        tokio::task::spawn_blocking(move || hub.handle_in_session(session, &actor, request))
            .await
            .unwrap_or_else(|e| {
                Err(WireError {
                    kind: ErrorKind::Internal,
                    message: format!("request failed: {e}"),
                })
            })
    }

    async fn answer_platform(
        self: &Arc<Self>,
        actor: &Actor,
        request: Request,
    ) -> Result<Response, WireError> {
        let member = self.member_of(actor)?;
        let scope = member.scope();
        match request {
            Request::Sync { account } => {
                let summaries = super::sync::sync_once(self, account.as_deref(), &scope).await?;
                Ok(Response::Synced { summaries })
            }
            other => self.handle(actor, other),
        }
    }

    /// Receives the whole presence list after every change.
    pub fn presence_feed(
        &self,
    ) -> tokio::sync::broadcast::Receiver<Vec<super::protocol::PresenceEntry>> {
        self.presence.subscribe()
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

    /// Handles one request from `actor` (whose name the hub established: see
    /// [`Hub::identify`]), within what that member may see and do. Writes are durable
    /// before this returns.
    pub fn handle(&self, actor: &Actor, request: Request) -> Result<Response, WireError> {
        let now = self.now();
        let member = self.member_of(actor)?;
        let scope = self.scope_of(&member);
        match request {
            Request::List {
                query,
                skip,
                limit,
                raw,
            } => {
                let query = scoped_query(&scope, &query)?;
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
                let query = scoped_query(&scope, &query)?;
                let asked = (&query, pattern.as_str());
                if let Some(answer) = self.index.find(&*self.store, actor, asked, limit, now) {
                    return answer;
                }
                let ctx = MatchContext::new(&actor.user, now);
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
            Request::Show { id, raw } => self.show(&scope, id, raw),
            Request::Ingest { items, source } => {
                require(&member, Role::Admin, "bring items in (import, ingest)")?;
                self.ingest(actor, items, &source, now)
            }
            Request::Audit { id, limit } => self.audit(&scope, id, limit),
            Request::Counts => self.counts(actor, &scope, now),
            Request::Status => self.status_for(actor, &scope, now),
            Request::Subscribe => Ok(Response::Done),
            Request::Count { query } => {
                let query = scoped_query(&scope, &query)?;
                self.count(actor, &query, now)
            }
            Request::Reply {
                id,
                text,
                seen_version,
            } => {
                let ask = ReplyAsk::public(id, &text, seen_version);
                self.queue_reply(&member, actor, ask, now)
            }
            Request::PrivateReply {
                id,
                text,
                seen_version,
            } => {
                let ask = ReplyAsk::private(id, &text, seen_version);
                self.queue_reply(&member, actor, ask, now)
            }
            Request::Outbox => self.outbox(&scope),
            Request::RetryReply { entry, text } => {
                self.retry_reply(&member, actor, entry, text, now)
            }
            Request::Approve { entry, text } => self.approve(&member, actor, entry, text, now),
            Request::Reject { entry, reason } => self.reject(&member, actor, entry, &reason, now),
            Request::SaveDraft { id, text } => self.save_draft(&scope, actor, id, text, now),
            Request::Drafts => self.drafts(actor),
            Request::Team => Ok(self.team_answer()),
            Request::Handoff { note, since } => {
                self.write_handoff(actor, &scope, (note, since), now)
            }
            Request::LatestHandoff => self.latest_handoff(),
            Request::Stats { since, until } => self.stats(&scope, (since, until), now),
            Request::OnCall { at } => {
                Ok(self.oncall_report(at.unwrap_or(now), self.open_pages(&member)?))
            }
            Request::Ack { id } => self.ack(&member, id, now),
            Request::ReloadTeam => {
                require(&member, Role::Admin, "reload the team")?;
                self.reload_team(actor, now)
            }
            Request::Presence { .. } => Err(WireError {
                kind: ErrorKind::BadRequest,
                message: "presence belongs to a connection; send it over one".into(),
            }),
            Request::Canned => Ok(self.canned(&member)),
            Request::Deliveries { limit, id } => self.deliveries_answer(&member, limit, id),
            Request::NotifyTest { channel } => self.notify_test(&member, actor, &channel, now),
            Request::RulesTest { id } => self.rules_test(&scope, id, now),
            Request::Accounts => Ok(Response::Accounts {
                accounts: self.accounts_for(&scope),
            }),
            Request::SyncProblems { account, limit } => {
                self.sync_problems(&scope, account.as_deref(), limit)
            }
            Request::Moderate { id, action } => {
                self.queue_moderation(&member, actor, (id, action), now)
            }
            Request::Escalate { id, name, note } => {
                self.visible(&scope, id)?;
                let escalation = self.escalate_item(actor, id, &name, &note, now)?;
                Ok(Response::Escalation { escalation })
            }
            Request::Escalations { mine, waiting_only } => {
                self.list_escalations(&member, &scope, mine, waiting_only)
            }
            Request::AnswerEscalation { id, answer } => {
                self.answer_escalation(&member, actor, id, answer, now)
            }
            Request::Sync { .. } => Err(WireError {
                kind: ErrorKind::BadRequest,
                message: "this request waits on a platform: send it through Hub::answer".into(),
            }),
            change => self.change_item(&scope, actor, change, now),
        }
    }

    /// Status, tag, assignment, note, snooze, priority: one item, one audited write.
    fn change_item(
        &self,
        scope: &Scope,
        actor: &Actor,
        request: Request,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        if let Request::Assign {
            user: Some(user), ..
        } = &request
        {
            self.check_assignee(user)?;
        }
        let (id, mut edit) = edits::edit_for(request, actor, now)?;
        self.visible(scope, id)?;
        let policy = self.sla_policy();
        let item = self
            .store
            .update(id, actor, now, &mut |item| {
                let before = item.status;
                let note = edit(item)?;
                super::sla::follow_status(policy.as_ref(), item, before, now);
                Ok(note)
            })
            .map_err(store_error)?;
        self.flush()?;
        Ok(Response::Item { item })
    }

    pub(super) fn existing(&self, id: ItemId) -> Result<Item, WireError> {
        self.store
            .get(id)
            .map_err(store_error)?
            .ok_or_else(|| store_error(StoreError::NotFound(id)))
    }

    pub(super) fn flush(&self) -> Result<(), WireError> {
        self.store.flush().map_err(store_error)
    }

    /// The hub's status as one member sees it: `items` counts only what their scope shows.
    fn status_for(
        &self,
        actor: &Actor,
        scope: &Scope,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let mut status = self.status()?;
        if !scope.is_everything() {
            if let Response::Counts { counts } = self.counts(actor, scope, now)? {
                status.items = counts.total();
            }
        }
        Ok(Response::Status { status })
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
            webhooks: self.webhook_status(),
        })
    }
}

/// An attached client: uncounted and shown offline when it goes away.
pub struct ClientGuard {
    hub: Arc<Hub>,
    session: u64,
}

impl ClientGuard {
    /// The client's presence session.
    pub fn session(&self) -> u64 {
        self.session
    }
}

impl Drop for ClientGuard {
    fn drop(&mut self) {
        self.hub.clients.fetch_sub(1, Ordering::Relaxed);
        self.hub.presence.leave(self.session);
    }
}

/// Parses a client's query and narrows it to what the caller may see.
fn scoped_query(scope: &Scope, text: &str) -> Result<Query, WireError> {
    Ok(scope.narrow(parse_query(text)?))
}

/// Refuses unless the member has at least `role`.
pub(super) fn require(member: &Member, role: Role, what: &str) -> Result<(), WireError> {
    if member.at_least(role) {
        return Ok(());
    }
    Err(WireError {
        kind: ErrorKind::Forbidden,
        message: format!(
            "{} is an {}; only {}s and above may {what}",
            member.name, member.role, role
        ),
    })
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
