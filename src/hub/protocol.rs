//! The hub's wire protocol: versioned JSON lines over a Unix socket.
//!
//! Every line is one [`Frame`]. A client opens with `{"v":1,"hello":{...}}`; the hub answers
//! with `welcome` (or an error naming both versions). Then the client sends requests, each
//! with its own `id`, and the hub answers each with `ok` or `err` under the same `id`. After
//! `subscribe`, the hub also pushes `event` frames at any time. The same [`Request`] and
//! [`Response`] types serve an in-process hub, so a CLI verb is written once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::connectors::Moderation;
use crate::model::Draft;
use crate::model::Handoff;
use crate::model::Page;
use crate::model::{AccountStatus, SyncProblem, SyncSummary};
use crate::model::{AnswerRequest, Escalation, EscalationRow, EscalationTarget};
use crate::model::{AuditEntry, Item, ItemId, NewItem, OutboxEntry, Priority, Status};
use crate::model::{ChannelHealth, Delivery, Notice};
use crate::reports::StatsReport;
use crate::responses::{CannedResponse, Problem};
use crate::store::{Change, Counts, IngestOutcome};
use crate::team::oncall::Transition;
use crate::team::{Member, Role};
pub use crate::triage::rules::RulesReport;

/// The protocol version this build speaks. Bump on any incompatible change.
pub const PROTOCOL_VERSION: u32 = 1;

/// One line on the wire.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Frame {
    /// Protocol version of the sender.
    pub v: u32,
    /// Request id, echoed on its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    #[serde(flatten)]
    pub body: FrameBody,
}

// Frames are built, encoded and dropped one at a time; boxing the large variants would only
// add an allocation per message.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameBody {
    Hello(Hello),
    Welcome(Welcome),
    Req(Request),
    Ok(Response),
    Err(WireError),
    Event(Event),
}

/// The client's opening line.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Hello {
    /// `cli`, `tui`, ... (informational: identity comes from the kernel, not from here).
    pub client: String,
}

/// The hub's answer to `hello`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Welcome {
    pub server: String,
    /// Who the hub says you are (from your Unix uid): your switchboard user name.
    pub user: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default = "default_role")]
    pub role: Role,
    /// This connection's presence session (see `Event::Presence`).
    #[serde(default)]
    pub session: u64,
}

fn default_role() -> Role {
    Role::Agent
}

impl Welcome {
    /// What a member's connection is told: who they are here and their presence session.
    pub fn new(member: &Member, session: u64) -> Welcome {
        Welcome {
            server: format!("switchboard {}", env!("CARGO_PKG_VERSION")),
            user: member.name.clone(),
            display_name: member.display_name.clone(),
            role: member.role,
            session,
        }
    }
}

/// Everything a client can ask of the hub.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// Items matching a query, in queue order.
    List {
        #[serde(default)]
        query: String,
        #[serde(default)]
        skip: usize,
        #[serde(default = "default_limit")]
        limit: usize,
        /// Include raw payloads (for export).
        #[serde(default)]
        raw: bool,
    },
    /// Fuzzy-finds over the text and authors of the items a query selects: best first.
    Find {
        pattern: String,
        #[serde(default)]
        query: String,
        #[serde(default = "default_limit")]
        limit: usize,
    },
    /// One item with its context.
    Show {
        id: ItemId,
        #[serde(default)]
        raw: bool,
    },
    SetStatus {
        id: ItemId,
        status: Status,
    },
    SetPriority {
        id: ItemId,
        priority: Priority,
    },
    Tag {
        id: ItemId,
        tag: String,
    },
    Untag {
        id: ItemId,
        tag: String,
    },
    /// Assign to a user (`None` unassigns).
    Assign {
        id: ItemId,
        user: Option<String>,
    },
    Note {
        id: ItemId,
        text: String,
    },
    /// Hide from the active queue until a time (`None` wakes it).
    Snooze {
        id: ItemId,
        until: Option<DateTime<Utc>>,
    },
    /// Brings platform items in (connectors, `import`, the simulator).
    Ingest {
        items: Vec<NewItem>,
        /// Where they come from, for the audit (`import`, `sync:<account>`, `demo`).
        source: String,
    },
    /// Queues a reply to an item (public or DM, as the item calls for) in the outbox. Held
    /// for approval when the author `requires_approval`.
    Reply {
        id: ItemId,
        text: String,
        /// The item version the writer last saw: when someone else changed or answered the
        /// item since, the reply is refused with a `conflict` naming what changed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seen_version: Option<u64>,
    },
    /// A private reply to a public comment (Facebook, Instagram): a direct message to the
    /// comment's author, allowed once per comment within 7 days of it. Otherwise as `Reply`.
    PrivateReply {
        id: ItemId,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seen_version: Option<u64>,
    },
    /// Releases a reply held for approval (approvers), with edited text if given.
    Approve {
        entry: ItemId,
        #[serde(default)]
        text: Option<String>,
    },
    /// Turns down a reply held for approval (approvers), with a reason for its author.
    Reject {
        entry: ItemId,
        reason: String,
    },
    /// Assigns an unassigned item to the caller (refused when someone else has it).
    Claim {
        id: ItemId,
    },
    /// Says what this connection shows: the item viewed and the item a reply is being
    /// written for. Everyone subscribed sees it as `Event::Presence`.
    Presence {
        #[serde(default)]
        viewing: Option<ItemId>,
        #[serde(default)]
        composing: Option<ItemId>,
    },
    /// Keeps the caller's unsent reply to an item on the hub (empty text discards it).
    SaveDraft {
        id: ItemId,
        text: String,
    },
    /// The caller's drafts, newest first.
    Drafts,
    /// The team and who is online.
    Team,
    /// Writes and keeps the caller's shift handoff: the numbers since their shift started
    /// (or `since`, or 8 hours ago), the notes written since, and their own note.
    Handoff {
        #[serde(default)]
        note: Option<String>,
        #[serde(default)]
        since: Option<DateTime<Utc>>,
    },
    /// The handoff written last, if any.
    LatestHandoff,
    /// The team's figures over `[since, until)` (default: the 7 days before now), within
    /// what the caller sees: volume, response and resolution times, SLA met, per agent,
    /// escalations.
    Stats {
        #[serde(default)]
        since: Option<DateTime<Utc>>,
        #[serde(default)]
        until: Option<DateTime<Utc>>,
    },
    /// Who is on call at `at` (default now) and who goes on or off call in the 24 hours after.
    OnCall {
        #[serde(default)]
        at: Option<DateTime<Utc>>,
    },
    /// Acknowledges a page about an SLA breach: `id` is the page's, or the paged item's
    /// (every open page of it). No backup is paged for that breach after this.
    Ack {
        id: ItemId,
    },
    /// Re-reads `[users]` from the hub's config (admins).
    ReloadTeam,
    /// The outbox, oldest first.
    Outbox,
    /// Queues a failed reply again, optionally with corrected text.
    RetryReply {
        entry: ItemId,
        #[serde(default)]
        text: Option<String>,
    },
    Audit {
        id: Option<ItemId>,
        #[serde(default = "default_limit")]
        limit: usize,
    },
    Counts,
    /// How many items a query selects (the TUI's tab counts).
    Count {
        #[serde(default)]
        query: String,
    },
    /// The hub's health, for `doctor` and the status bar.
    Status,
    /// Start receiving `event` frames.
    Subscribe,
    /// Every platform account the member sees, with its sync state.
    Accounts,
    /// Runs one sync pass now (of every account the member sees, or of one) and answers
    /// when it is done.
    Sync {
        #[serde(default)]
        account: Option<String>,
    },
    /// Payloads sync passes could not read, newest `limit` (of one account or all).
    SyncProblems {
        #[serde(default)]
        account: Option<String>,
        #[serde(default = "default_limit")]
        limit: usize,
    },
    /// Queues a moderation step on an item or its author (hide, delete, mute, block,
    /// report, dismiss) in the outbox; answered with the entry (`held` when it needs an
    /// approver). It is recorded on the item once the platform did it.
    Moderate {
        id: ItemId,
        #[serde(flatten)]
        action: Moderation,
    },
    /// The team's canned responses, read from the `responses/` directory next to the hub's
    /// config on each request (so a `git pull` there shows at once).
    Canned,
    /// How each `[notify.NAME]` channel's deliveries stand, and the newest `limit` deliveries
    /// (or only the one with `id`); the deliveries for approvers and admins.
    Deliveries {
        #[serde(default)]
        limit: usize,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<ItemId>,
    },
    /// Sends a test notice to one channel (admins); answered with its delivery.
    NotifyTest {
        channel: String,
    },
    /// Hands an item to the owners of `[escalations.NAME]`: status `escalated`, the name as
    /// a tag, who and why recorded, the owners notified. Answered with the escalation.
    Escalate {
        id: ItemId,
        name: String,
        #[serde(default)]
        note: String,
    },
    /// Escalations the caller may see, oldest first: `mine`, only those the caller owns;
    /// `waiting_only`, only those still with the owners (waiting or answered with guidance).
    Escalations {
        #[serde(default)]
        mine: bool,
        #[serde(default)]
        waiting_only: bool,
    },
    /// An owner's (or an admin's) answer to an escalation: `id` is the escalation's id, or
    /// an item's with one open escalation the caller may answer.
    AnswerEscalation {
        id: ItemId,
        answer: AnswerRequest,
    },
    /// Which routing rules fire on an item and why, their outcome, and the priority the
    /// item would get now with its reasons (changes nothing).
    RulesTest {
        id: ItemId,
    },
}

impl Request {
    /// Requests that wait on a platform: answered on the async side of the hub, never on
    /// a blocking thread.
    pub fn reaches_platform(&self) -> bool {
        matches!(self, Request::Sync { .. })
    }
}

fn default_limit() -> usize {
    100
}

/// The hub's answers.
#[allow(clippy::large_enum_variant)] // see FrameBody
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    Done,
    Item {
        item: Item,
    },
    Items {
        items: Vec<Item>,
        /// True when more items match after these.
        more: bool,
    },
    Detail {
        detail: Box<ItemDetail>,
    },
    Found {
        hits: Vec<FindHit>,
    },
    Ingested {
        outcomes: Vec<IngestOutcome>,
    },
    Audit {
        entries: Vec<AuditEntry>,
    },
    Entry {
        entry: OutboxEntry,
    },
    Entries {
        entries: Vec<OutboxEntry>,
    },
    Counts {
        counts: Counts,
    },
    Status {
        status: HubStatus,
    },
    Count {
        count: u64,
    },
    Team {
        members: Vec<Member>,
        online: Vec<PresenceEntry>,
        /// True when no `[users]` are configured: every Unix user is an admin.
        open: bool,
    },
    Drafts {
        drafts: Vec<Draft>,
    },
    Handoff {
        handoff: Handoff,
    },
    LatestHandoff {
        handoff: Option<Handoff>,
    },
    /// The answer to `Stats`.
    Stats(StatsReport),
    /// `None` when the hub has no `[oncall]` schedule.
    OnCall {
        oncall: Option<OnCallReport>,
        /// Pages about SLA breaches still waiting for an acknowledgement (that the caller
        /// may see).
        #[serde(default)]
        pages: Vec<Page>,
    },
    /// Pages (those `Ack` acknowledged).
    Pages {
        pages: Vec<Page>,
    },
    Accounts {
        accounts: Vec<AccountStatus>,
    },
    Synced {
        summaries: Vec<SyncSummary>,
    },
    SyncProblems {
        problems: Vec<SyncProblem>,
    },
    /// The canned library: what loaded, what did not (located), and the values of
    /// `{brand}` and `{agent.name}` for the caller.
    Canned {
        responses: Vec<CannedResponse>,
        problems: Vec<Problem>,
        #[serde(default)]
        brand: String,
        /// The caller's display name.
        #[serde(default)]
        agent: String,
    },
    /// Channel health and deliveries, newest first.
    Deliveries {
        channels: Vec<ChannelHealth>,
        deliveries: Vec<Delivery>,
    },
    /// One delivery (of a test notice).
    Delivery {
        delivery: Delivery,
    },
    Escalation {
        escalation: Escalation,
    },
    /// Escalations with their items (an item the caller may not see is left out), and
    /// the configured `[escalations.NAME]` one may escalate to.
    Escalations {
        escalations: Vec<EscalationRow>,
        #[serde(default)]
        targets: Vec<EscalationTarget>,
    },
    RulesTest {
        report: RulesReport,
    },
}

/// The on-call schedule around one instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnCallReport {
    pub at: DateTime<Utc>,
    /// The schedule's IANA time zone.
    pub timezone: String,
    /// Where a leaver's open items go: `next` or `pool`.
    pub handover: String,
    /// On call at `at`.
    pub on_call: Vec<String>,
    /// Who goes on or off call in the 24 hours after `at`, in time order.
    pub changes: Vec<Transition>,
}

/// One attached client, as everyone sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceEntry {
    pub session: u64,
    pub user: String,
    pub display_name: String,
    /// `tui`, `cli`, ...
    pub client: String,
    pub since: DateTime<Utc>,
    #[serde(default)]
    pub viewing: Option<ItemId>,
    #[serde(default)]
    pub composing: Option<ItemId>,
}

/// One fuzzy-find result.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FindHit {
    pub item: Item,
    pub score: i64,
    /// Char indices of the matched characters in `item.text`.
    #[serde(default)]
    pub text_matches: Vec<usize>,
    /// Char indices of the matched characters in `item.author.handle`.
    #[serde(default)]
    pub handle_matches: Vec<usize>,
}

/// One item with everything the detail pane shows.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItemDetail {
    pub item: Item,
    /// The rest of the thread or conversation, oldest first (ours included).
    pub thread: Vec<Item>,
    /// The author's other items on this account, oldest first.
    pub author_history: Vec<Item>,
    pub audit: Vec<AuditEntry>,
    /// When a reply to the item must be sent by (Meta's DM windows), as the hub's reply
    /// policy sees it; none when the platform sets no window. Older hubs do not send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_window: Option<crate::responses::window::ReplyWindow>,
    /// The item's escalations, oldest first, with their answers. Older hubs do not send it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalations: Vec<Escalation>,
    /// A routing rule's draft reply nobody has taken over yet: what the composer opens with
    /// when the CM has no draft of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_draft: Option<String>,
}

/// The hub's view of itself.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HubStatus {
    pub server: String,
    pub pid: u32,
    pub store: String,
    pub schema_version: u32,
    /// The items the caller may see (all of them for an admin, their scope for others).
    pub items: u64,
    pub clients: usize,
    pub started_at: DateTime<Utc>,
    /// `socket` when reached over the socket, `in-process` otherwise.
    pub mode: String,
    /// The webhook endpoint, when `[webhooks] listen` is set. Older hubs do not send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhooks: Option<crate::hub::webhooks::WebhookStatus>,
}

/// Something that happened in the hub, pushed to subscribers.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// An item was created or changed.
    Changed { change: Change },
    /// The subscriber fell behind and missed events: reload what you show.
    Lagged { missed: u64 },
    /// Who is online and what each session views or composes (the whole list, each time).
    Presence { online: Vec<PresenceEntry> },
    /// The platform accounts the subscriber sees, after any of them changed state.
    Accounts { accounts: Vec<AccountStatus> },
    /// An outbox entry (a reply or a moderation step) was saved: queued, held, approved,
    /// rejected, retried, sending, sent or failed. `by` is who did it (`switchboard` for
    /// delivery). Only entries of accounts the subscriber sees.
    Outbox {
        entry: Box<OutboxEntry>,
        #[serde(default)]
        by: String,
    },
    /// A notice for the subscriber's user (an escalation, an SLA warning, a page): the TUI
    /// rings and shows it. Only notices naming the subscriber's user.
    Notice { notice: Notice },
    /// An escalation was made or answered; `by` is who did it. Only escalations on accounts
    /// the subscriber sees, and for an agent only those they own or made.
    Escalation {
        escalation: Box<Escalation>,
        #[serde(default)]
        by: String,
    },
    /// The SLA clock warned, saw a breach or paged someone, or someone acknowledged a page
    /// (see `hub::sla`). Only events of accounts the subscriber sees.
    Sla { event: super::sla::SlaEvent },
}

/// A refusal or failure, with a machine-readable kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct WireError {
    pub kind: ErrorKind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The request names something that does not exist.
    NotFound,
    /// The request is malformed (bad query, bad field).
    BadRequest,
    /// The change is not allowed (status rules, roles).
    Refused,
    /// The peer speaks another protocol version.
    Version,
    /// The item changed since the caller saw it (someone else answered or edited it).
    Conflict,
    /// The caller is not allowed to do this (role, account) or not a user of this hub.
    Forbidden,
    /// The hub failed internally.
    Internal,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a script writes on the socket for the platform requests, and back.
    #[test]
    fn platform_requests_read_as_scripts_write_them() {
        let id = ItemId::generate();
        let line = format!(r#"{{"op":"moderate","id":"{id}","action":"report","reason":"spam"}}"#);
        let request: Request = serde_json::from_str(&line).unwrap();
        let Request::Moderate { action, .. } = &request else {
            panic!("{request:?}")
        };
        assert_eq!(
            *action,
            Moderation::Report {
                reason: "spam".into()
            }
        );
        let again: Request =
            serde_json::from_str(&serde_json::to_string(&request).unwrap()).unwrap();
        assert!(matches!(again, Request::Moderate { .. }));
        let sync: Request = serde_json::from_str(r#"{"op":"sync","account":"acme"}"#).unwrap();
        assert!(matches!(sync, Request::Sync { account: Some(ref a) } if a == "acme"));
        assert!(sync.reaches_platform());
        assert!(
            !again.reaches_platform(),
            "moderation is queued in the outbox"
        );
        let all: Request = serde_json::from_str(r#"{"op":"sync"}"#).unwrap();
        assert!(matches!(all, Request::Sync { account: None }));
    }

    /// `canned` is a plain op; its answer reads without the optional names.
    #[test]
    fn the_canned_library_request_and_answer() {
        let request: Request = serde_json::from_str(r#"{"op":"canned"}"#).unwrap();
        assert!(matches!(request, Request::Canned));
        assert_eq!(
            serde_json::to_string(&Request::Canned).unwrap(),
            r#"{"op":"canned"}"#
        );
        let answer: Response =
            serde_json::from_str(r#"{"type":"canned","responses":[],"problems":[]}"#).unwrap();
        assert!(matches!(answer, Response::Canned { brand, .. } if brand.is_empty()));
    }
}
