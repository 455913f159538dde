//! Escalations in the TUI, as state: the configured escalations one may pick (from the
//! hub's `Escalations` answer), the picker opened by `escalate` (a filter line over names
//! and descriptions, the items it escalates), the "My escalations" screen (the open
//! escalations we own, the cursor), and what the open note prompt is for. What the keys do
//! is `app/escalations.rs`; drawing is `view/escalations.rs`.

use super::super::action::Action;
use super::super::keymap::Context;
use super::line_input::LineInput;
use super::Component;
use crate::model::{EscalationRow, EscalationTarget, ItemId};

/// The escalations as the TUI holds them.
#[derive(Clone, Debug, Default)]
pub struct EscalationsView {
    /// The open escalations we own, oldest first (the screen's rows).
    pub rows: Vec<EscalationRow>,
    /// The configured escalations.
    pub targets: Vec<EscalationTarget>,
    /// Whether the hub answered once (targets are known).
    pub loaded: bool,
    /// Whether the screen is shown over the panes.
    pub shown: bool,
    pub cursor: usize,
    /// Rows of the list on screen (set by the layout).
    pub height: usize,
    /// The picker, while open.
    pub picker: Option<EscalationPicker>,
    /// What the open note, guidance or hand-back prompt is for.
    pub prompt_for: Option<PromptFor>,
}

/// What an answer to `Escalations` is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EscalationsThen {
    /// At start: show the screen when some wait for us.
    Start,
    /// The screen was asked for.
    Screen,
    /// The picker was asked for before the configured escalations were known.
    Picker,
    /// Keeping the list current (after an answer, an event).
    Reload,
}

/// What a prompt's text is sent with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptFor {
    /// Escalating these items to this escalation.
    Escalate { name: String, items: Vec<ItemId> },
    /// Guidance on this escalation.
    Guidance(ItemId),
    /// Handing this escalation's item back.
    HandBack(ItemId),
}

impl EscalationsView {
    /// The row under the cursor.
    pub fn current(&self) -> Option<&EscalationRow> {
        self.rows.get(self.cursor)
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
    }

    /// Keeps the rows from the hub, the cursor on the same escalation when it is still there.
    pub fn load(&mut self, rows: Vec<EscalationRow>, targets: Vec<EscalationTarget>) {
        let at = self.current().map(|r| r.escalation.id);
        self.rows = rows;
        self.targets = targets;
        self.loaded = true;
        self.cursor = at
            .and_then(|id| self.rows.iter().position(|r| r.escalation.id == id))
            .unwrap_or(self.cursor)
            .min(self.rows.len().saturating_sub(1));
    }
}

/// The open picker: a filter over the configured escalations.
#[derive(Clone, Debug)]
pub struct EscalationPicker {
    pub input: LineInput,
    /// Position among the matches.
    pub selected: usize,
    /// The items it escalates, and how to name them (`@claire`, `3 items`).
    pub items: Vec<ItemId>,
    pub label: String,
}

impl EscalationPicker {
    pub fn new(items: Vec<ItemId>, label: String) -> EscalationPicker {
        EscalationPicker {
            input: LineInput::new(""),
            selected: 0,
            items,
            label,
        }
    }

    /// The targets whose name or description holds what is typed (any case), name hits
    /// first.
    pub fn matches<'a>(&self, targets: &'a [EscalationTarget]) -> Vec<&'a EscalationTarget> {
        let typed = self.input.text().trim().to_lowercase();
        let (mut named, mut described): (Vec<_>, Vec<_>) = (Vec::new(), Vec::new());
        for target in targets {
            if target.name.to_lowercase().contains(&typed) {
                named.push(target);
            } else if target.description.to_lowercase().contains(&typed) {
                described.push(target);
            }
        }
        named.extend(described);
        named
    }

    pub fn move_by(&mut self, delta: isize, count: usize) {
        self.selected = self
            .selected
            .saturating_add_signed(delta)
            .min(count.saturating_sub(1));
    }
}

impl Component for EscalationsView {
    fn context(&self) -> Context {
        Context::Escalations
    }
    fn commands(&self) -> &'static [Action] {
        &[
            Action::Open,
            Action::Guidance,
            Action::Approve,
            Action::TakeOver,
            Action::HandBack,
            Action::Back,
        ]
    }
}

impl Component for EscalationPicker {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn target(name: &str, description: &str) -> EscalationTarget {
        EscalationTarget {
            name: name.into(),
            description: description.into(),
            owners: vec!["dana".into()],
            sla: None,
        }
    }

    #[test]
    fn the_picker_filters_on_names_first_then_descriptions() {
        let targets = [
            target("brand", "Logo and tone questions"),
            target("legal", "Lawsuits, GDPR"),
            target("pr", "Press and legal-sounding threats"),
        ];
        let mut picker = EscalationPicker::new(vec![], "@claire".into());
        assert_eq!(picker.matches(&targets).len(), 3);
        picker.input.insert("LEGAL");
        let names: Vec<&str> = picker
            .matches(&targets)
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(names, ["legal", "pr"]);
        picker.move_by(5, 2);
        assert_eq!(picker.selected, 1);
    }
}
