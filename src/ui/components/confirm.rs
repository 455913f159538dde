//! A yes/no question over the panes, asked before something public and lasting goes out (a
//! moderation step), with what a yes does; and what a reason prompt is asked for (a
//! rejection's comment, a report's reason), kept until the prompt is answered.

use super::super::action::Action;
use super::super::keymap::Context;
use super::Component;
use crate::model::{Item, ItemId, Moderation};

/// What a yes does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OnYes {
    /// Queue this moderation step on this item.
    Moderate { item: ItemId, action: Moderation },
}

/// An open question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    /// "Block @troll on mastodon?"
    pub question: String,
    /// What follows from a yes ("This is public and lasting.").
    pub warning: String,
    pub on_yes: OnYes,
}

impl Component for Confirm {
    fn context(&self) -> Context {
        Context::Confirm
    }
    fn commands(&self) -> &'static [Action] {
        &[Action::Confirm, Action::Cancel]
    }
}

/// What the open reason prompt is for.
#[derive(Clone, Debug, PartialEq)]
pub enum ReasonFor {
    /// Rejecting a held outbox entry (the comment goes to its author).
    Reject { entry: ItemId },
    /// Reporting an item to its platform (the reason goes with the report).
    Report { item: Box<Item> },
}
