//! The messages `update` consumes and the effects it asks the runtime to perform.
//!
//! Everything that happens to the UI is a [`Msg`]; everything the UI wants done outside
//! itself (a hub call, a timer, the external editor) is an [`Effect`]. Hub calls carry a
//! [`CallTag`] that comes back with the answer, so `update` can tell which request an
//! answer belongs to and drop stale ones (an old filter's page, a find pattern the user
//! has typed past).

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::action::Action;
use super::components::OutboxThen;
use super::keys::KeyChord;
use crate::hub::protocol::{Event, Request, Response, WireError};
use crate::model::ItemId;

/// Something that happened.
// Answers carry a whole item; messages are moved once, not stored, so size is harmless.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Msg {
    /// A key press, to be read through the keymap of the active context.
    Key(KeyChord),
    /// A command, already chosen (from the keymap, the palette, a test).
    Action(Action),
    /// Text typed or pasted into the focused input.
    Text(String),
    /// The hub's answer to a call.
    Answer {
        tag: CallTag,
        result: Result<Response, CallFailure>,
    },
    /// A hub event (someone changed something).
    Hub(Event),
    /// The subscription to hub events is running (again).
    Subscribed,
    /// The subscription to hub events ended or could not start.
    HubLost(String),
    /// A timer set with [`Effect::After`] went off.
    Timer(Timer),
    /// The clock moved (SLA countdowns, ages, message expiry).
    Tick(DateTime<Utc>),
    /// The terminal has a new size.
    Resize {
        width: u16,
        height: u16,
    },
    /// Mouse wheel (positive: down) and clicks, when the mouse is on.
    Scroll(i32),
    Click {
        column: u16,
        row: u16,
    },
    /// The terminal is going away (SIGHUP from a dropped SSH connection, SIGTERM): last
    /// chance to hand the hub what would be lost.
    Closing,
    /// The external editor ([`Effect::EditExternally`]) saved and quit: the reply's text.
    Edited {
        text: String,
    },
    /// The external editor could not run or failed (which editor, its exit status).
    EditFailed(String),
}

/// Why a call got no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallFailure {
    /// The hub refused or failed (bad query, forbidden transition, unknown id).
    Hub(WireError),
    /// The connection broke.
    Disconnected(String),
}

impl From<crate::hub::ClientError> for CallFailure {
    fn from(error: crate::hub::ClientError) -> Self {
        match error {
            crate::hub::ClientError::Hub(wire) => CallFailure::Hub(wire),
            crate::hub::ClientError::Disconnected(why) => CallFailure::Disconnected(why),
        }
    }
}

impl std::fmt::Display for CallFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallFailure::Hub(e) => write!(f, "{}", e.message),
            CallFailure::Disconnected(why) => write!(f, "hub unreachable: {why}"),
        }
    }
}

/// Which request an answer belongs to.
#[derive(Clone, Debug)]
pub enum CallTag {
    /// A page of the queue for query generation `generation`; only the latest `seq` counts.
    Page {
        generation: u64,
        seq: u64,
        start: usize,
    },
    /// Looking for the end of a long list (one item at `skip`).
    Probe {
        generation: u64,
        skip: usize,
    },
    Counts,
    /// The size of view tab `index` (views that are not a plain status set).
    TabCount {
        index: usize,
    },
    HubStatus,
    /// The platform accounts' sync states.
    Accounts,
    /// The detail of an item; only the latest `seq` counts.
    Detail {
        id: ItemId,
        seq: u64,
    },
    /// Fuzzy-find results; only the latest `seq` counts.
    Find {
        seq: u64,
    },
    /// One item's change in a batch; `inverse` undoes it.
    Change {
        batch: u64,
        id: ItemId,
        label: &'static str,
        inverse: Vec<Request>,
    },
    /// One item's undo.
    Undo {
        id: ItemId,
    },
    /// The latest handoff: `asked` by the user (shown whatever it is), or at start (shown
    /// when someone else wrote it in the last day).
    Handoff {
        asked: bool,
    },
    /// What we show, told to the hub (at most one in flight).
    Presence,
    /// The team and who is online, at start; dropped if a presence event came meanwhile
    /// (`events`: how many had arrived when it was asked).
    Team {
        events: u64,
    },
    /// Our drafts kept on the hub, at start.
    Drafts,
    /// A draft saved (or discarded, with empty text).
    SaveDraft {
        id: ItemId,
        text: String,
    },
    /// A reply sent from the composer; only the latest `seq` counts.
    Reply {
        id: ItemId,
        seq: u64,
    },
    /// The outbox (at start, on refresh, after a lag).
    Outbox,
    /// An acknowledgement of a page about an SLA breach.
    Ack,
    /// The item an outbox entry is about, read to do `then`.
    OutboxItem {
        entry: ItemId,
        then: OutboxThen,
    },
    /// An approve, reject or retry of an outbox entry; `label` names it in messages.
    Decision {
        entry: ItemId,
        label: &'static str,
    },
    /// A moderation step asked from the keyboard; `what` names it ("block").
    Moderate {
        id: ItemId,
        what: &'static str,
    },
    /// The canned library for the picker numbered `seq` (a closed picker's is dropped).
    Canned {
        seq: u64,
    },
    /// The escalations we own and the configured ones; `then` says what for.
    Escalations {
        then: super::components::escalations::EscalationsThen,
    },
    /// An escalation made or answered from the keyboard; `label` names it in messages.
    Escalation {
        label: &'static str,
    },
    /// The dashboard's report of call `seq` (an older call's answer is dropped).
    Stats {
        seq: u64,
    },
}

/// A timer's purpose; each carries the generation it was set for, so a superseded timer
/// does nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// Reload the queue window after a burst of changes.
    RefreshWindow(u64),
    /// Reload the header counts after a burst of changes.
    RefreshCounts(u64),
    /// Reload the open detail after a change to its thread.
    RefreshDetail(u64),
    /// Send the find request for this keystroke.
    Find(u64),
    /// Show the which-key hint for this pending sequence.
    WhichKey(u64),
    /// Try to subscribe to hub events again.
    Resubscribe,
    /// Save the composer's draft, unless it was edited after this edit number.
    SaveDraft(u64),
}

/// Something for the runtime to do.
#[derive(Clone, Debug)]
pub enum Effect {
    /// Send one request; the answer comes back as [`Msg::Answer`] with the tag.
    Call { tag: CallTag, request: Request },
    /// Send requests one after the other, stopping at the first failure; the last answer
    /// (or the failure) comes back with the tag.
    Chain {
        tag: CallTag,
        requests: Vec<Request>,
    },
    /// Send [`Msg::Timer`] after a delay.
    After { delay: Duration, timer: Timer },
    /// Subscribe to hub events; they come back as [`Msg::Hub`].
    Subscribe,
    /// Hand the terminal to `$VISUAL`/`$EDITOR` on this text; comes back as [`Msg::Edited`]
    /// or [`Msg::EditFailed`].
    EditExternally { text: String },
    /// Ring the terminal for a notice: the bell, and a desktop notification unless the
    /// config turned those off (see `ui::alert`). Nothing comes back.
    Alert { title: String, body: String },
}
