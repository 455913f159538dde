//! The UI's components, each owning its state: the queue window, the detail pane, the
//! prompt, the finder, the palette, the help overlay, the tabs, the undo history, the reply
//! composer (with its multi-line input and the platform's checks), the canned-response
//! picker over it, presence (who we are, who else is here), the outbox screen, the
//! dashboard and the yes/no question.
//!
//! Like gitui's components, each one names the keymap context its keys are read in and
//! lists its most useful commands for the hint bar; the keys shown come from the keymap,
//! so the hints are always true.

pub mod canned;
pub mod composer;
pub mod confirm;
pub mod dashboard;
pub mod detail;
pub mod escalations;
pub mod find;
pub mod handoff;
pub mod line_input;
pub mod outbox;
pub mod palette;
pub mod presence;
pub mod prompt;
pub mod queue;
pub mod reply_checks;
pub mod tabs;
pub mod text_area;
pub mod undo;

pub use canned::CannedPicker;
pub use composer::{Composer, Sends, Stage};
pub use confirm::{Confirm, OnYes, ReasonFor};
pub use dashboard::DashboardView;
pub use detail::Detail;
pub use escalations::EscalationsView;
pub use find::Find;
pub use handoff::HandoffView;
pub use line_input::LineInput;
pub use outbox::{OutboxThen, OutboxView};
pub use palette::Palette;
pub use presence::{Me, PresenceOut, Shown};
pub use prompt::{Prompt, PromptKind};
pub use queue::{PageRequest, ProbeStep, Queue};
pub use reply_checks::{Counter, Level, WindowLine};
pub use tabs::{Tab, TabCount, Tabs};
pub use text_area::TextArea;
pub use undo::UndoLog;

use super::action::Action;
use super::keymap::Context;

/// What every component tells the hint bar.
pub trait Component {
    /// The keymap context its keys are read in.
    fn context(&self) -> Context;
    /// Its most useful commands, most useful first.
    fn commands(&self) -> &'static [Action];
}

/// The help overlay: every binding of the context it was opened from.
#[derive(Clone, Debug)]
pub struct Help {
    pub context: Context,
    pub scroll: usize,
}

impl Component for Queue {
    fn context(&self) -> Context {
        Context::Queue
    }
    fn commands(&self) -> &'static [Action] {
        &[
            Action::MoveDown,
            Action::Open,
            Action::Resolve,
            Action::ResolveNext,
            Action::Tag,
            Action::AssignMe,
            Action::Reply,
            Action::Snooze,
            Action::ToggleSelect,
            Action::Undo,
            Action::Filter,
            Action::Find,
            Action::Help,
            Action::Quit,
        ]
    }
}

impl Component for Detail {
    fn context(&self) -> Context {
        Context::Detail
    }
    fn commands(&self) -> &'static [Action] {
        &[
            Action::Back,
            Action::MoveDown,
            Action::Reply,
            Action::ResolveNext,
            Action::Resolve,
            Action::Tag,
            Action::Assign,
            Action::Note,
            Action::Snooze,
            Action::Undo,
            Action::Help,
        ]
    }
}

impl Component for Prompt {
    fn context(&self) -> Context {
        Context::Compose
    }
    fn commands(&self) -> &'static [Action] {
        &[
            Action::Confirm,
            Action::Cancel,
            Action::Complete,
            Action::HistoryPrev,
        ]
    }
}

impl Component for Find {
    fn context(&self) -> Context {
        Context::Picker
    }
    fn commands(&self) -> &'static [Action] {
        &[
            Action::Confirm,
            Action::MoveDown,
            Action::MoveUp,
            Action::Cancel,
        ]
    }
}

impl Component for Palette {
    fn context(&self) -> Context {
        Context::Palette
    }
    fn commands(&self) -> &'static [Action] {
        &[
            Action::Confirm,
            Action::MoveDown,
            Action::MoveUp,
            Action::Cancel,
        ]
    }
}

impl Component for Help {
    fn context(&self) -> Context {
        self.context
    }
    fn commands(&self) -> &'static [Action] {
        &[Action::MoveDown, Action::MoveUp, Action::Help]
    }
}
