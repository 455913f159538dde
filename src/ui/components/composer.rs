//! The reply composer's state: the item answered and the version of it the writer saw, the
//! text (a [`TextArea`]), where the reply stands ([`Stage`]: editing, the review question,
//! sending, a conflict to settle), what the hub keeps of the draft, and what sending does
//! ([`Sends`]: a new reply, or an outbox entry's corrected text). Its key context and
//! commands follow its stage, so the hint bar always says what the keys do now.

use super::super::action::Action;
use super::super::keymap::Context;
use super::reply_checks::Counter;
use super::text_area::TextArea;
use super::Component;
use crate::hub::protocol::Request;
use crate::model::{Item, ItemId, Kind, Platform};

/// Where the reply stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    Editing,
    /// "Send to @handle on X?": waiting for yes or no.
    Review,
    /// Sent to the hub, waiting for its answer.
    Sending,
    /// The hub refused because someone else changed the item since the writer saw it.
    /// `message` is the hub's (what changed, who); `refreshed` once the item as it is now
    /// has been loaded: sending again then sends with that version.
    Conflict {
        message: String,
        refreshed: bool,
    },
}

/// What sending the composer's text does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sends {
    /// A new reply to the item (its draft kept on the hub).
    Reply,
    /// Corrected text for a failed or rejected outbox entry, queued again.
    Retry(ItemId),
    /// An approver's edits to a held outbox entry, approved with them.
    Approve(ItemId),
}

impl Sends {
    /// How the review question starts: "Send to", "Approve and send to", ...
    pub fn verb(self) -> &'static str {
        match self {
            Sends::Reply => "Send to",
            Sends::Retry(_) => "Queue again for",
            Sends::Approve(_) => "Approve and send to",
        }
    }
}

/// An open composer.
#[derive(Clone, Debug)]
pub struct Composer {
    /// The item answered, as it was when the composer opened.
    pub item: Item,
    /// The item version the writer saw: sent with the reply for the collision check.
    pub seen_version: u64,
    pub text: TextArea,
    pub stage: Stage,
    /// Why the last attempt failed (other than a conflict).
    pub error: Option<String>,
    /// The text the hub confirmed keeping as the draft.
    pub saved: String,
    /// The text last sent to the hub as the draft (confirmed or not).
    pub requested: String,
    /// Numbers the edits: a draft timer saves only when no edit came after it.
    pub edits: u64,
    /// The reply request whose answer is awaited; older answers are dropped.
    pub seq: u64,
    /// First line of the thread shown above the input.
    pub scroll: usize,
    /// What sending does: a new reply, or an outbox entry's corrected text.
    pub sends: Sends,
    /// A private reply to a public comment (a direct message to its author) instead of a
    /// public one: `private_reply` toggles it on Facebook and Instagram comments.
    pub private: bool,
}

impl Composer {
    /// A composer on `item`, restoring `draft` (what the hub kept) when there is one.
    pub fn new(item: Item, draft: &str) -> Composer {
        Composer {
            seen_version: item.version,
            item,
            text: TextArea::new(draft),
            stage: Stage::Editing,
            error: None,
            saved: draft.to_string(),
            requested: draft.to_string(),
            edits: 0,
            seq: 0,
            scroll: 0,
            sends: Sends::Reply,
            private: false,
        }
    }

    /// A composer on an outbox entry's text (`sends` says which entry and what for).
    pub fn for_entry(item: Item, text: &str, sends: Sends) -> Composer {
        Composer {
            sends,
            ..Composer::new(item, text)
        }
    }

    /// Whether the hub keeps the text as a draft (a new reply; not an entry's edits).
    pub fn keeps_draft(&self) -> bool {
        self.sends == Sends::Reply
    }

    /// The request that sends the text.
    pub fn request(&self) -> Request {
        let text = self.text.text();
        match self.sends {
            Sends::Reply if self.private => Request::PrivateReply {
                id: self.id(),
                text,
                seen_version: Some(self.seen_version),
            },
            Sends::Reply => Request::Reply {
                id: self.id(),
                text,
                seen_version: Some(self.seen_version),
            },
            Sends::Retry(entry) => Request::RetryReply {
                entry,
                text: Some(text),
            },
            Sends::Approve(entry) => Request::Approve {
                entry,
                text: Some(text),
            },
        }
    }

    pub fn id(&self) -> ItemId {
        self.item.id
    }

    /// Whether the hub keeps exactly what is typed.
    pub fn draft_saved(&self) -> bool {
        self.text.text() == self.saved
    }

    /// Whether the hub has not been sent what is typed.
    pub fn unsent_draft(&self) -> bool {
        self.text.text() != self.requested
    }

    /// "public reply", "private reply" or "direct message", as the item calls for.
    pub fn channel(&self) -> &'static str {
        match self.item.kind {
            Kind::Dm => "direct message",
            _ if self.private => "private reply (a direct message to the author)",
            Kind::Comment | Kind::Mention => "public reply",
        }
    }

    /// Whether the reply may be turned private: a new reply to a Facebook or Instagram
    /// comment (the hub checks the 7 days and the once).
    pub fn may_be_private(&self) -> bool {
        self.sends == Sends::Reply
            && self.item.kind == Kind::Comment
            && matches!(self.item.platform, Platform::Facebook | Platform::Instagram)
    }

    /// The text's length, counted the way the item's platform counts.
    pub fn counter(&self) -> Counter {
        let direct = self.private || self.item.kind == Kind::Dm;
        Counter::of_reply(&self.item.platform, direct, &self.text.text())
    }

    /// Replaces the whole text (from the external editor), the cursor at its end.
    pub fn replace_text(&mut self, text: &str) {
        self.text = TextArea::new(text);
    }

    /// Scrolls the thread shown above the input (clamped by the view).
    pub fn scroll_by(&mut self, delta: isize, lines: usize) {
        self.scroll = self
            .scroll
            .saturating_add_signed(delta)
            .min(lines.saturating_sub(1));
    }
}

impl Component for Composer {
    fn context(&self) -> Context {
        match self.stage {
            Stage::Editing => Context::Reply,
            Stage::Review | Stage::Sending | Stage::Conflict { .. } => Context::Confirm,
        }
    }

    fn commands(&self) -> &'static [Action] {
        match self.stage {
            Stage::Editing if self.may_be_private() => &[
                Action::Send,
                Action::Canned,
                Action::PrivateReply,
                Action::Newline,
                Action::Cancel,
                Action::EditExternal,
                Action::PageUp,
                Action::PageDown,
                Action::DeleteWord,
            ],
            Stage::Editing => &[
                Action::Send,
                Action::Canned,
                Action::Newline,
                Action::Cancel,
                Action::EditExternal,
                Action::PageUp,
                Action::PageDown,
                Action::DeleteWord,
            ],
            Stage::Review | Stage::Conflict { .. } => &[Action::Confirm, Action::Cancel],
            Stage::Sending => &[Action::Cancel],
        }
    }
}
