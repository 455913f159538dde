//! Every user-facing command of the TUI, as one enum with a stable snake_case name and a
//! one-line description.
//!
//! Keymaps name actions, the help overlay and the command palette list them, and `update`
//! executes them: keeping names and descriptions next to the variants means the three can
//! never disagree.

use std::fmt;

/// What kind of command an action is: the palette offers every group but `Input`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// Moving through the queue or the detail pane.
    Move,
    /// Changing items (through the hub).
    Triage,
    /// Choosing several items at once.
    Select,
    /// Tabs, filter, find, overlays, quitting.
    View,
    /// Editing a line of text (prompts, find, palette).
    Input,
}

macro_rules! actions {
    ($($variant:ident = $name:literal, $group:ident, $description:literal;)*) => {
        /// One user-facing command.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            /// Every action, in the order the help overlay lists them.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The stable name keymaps and the palette use.
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            /// One line for the help overlay and the palette.
            pub fn description(self) -> &'static str {
                match self {
                    $(Action::$variant => $description,)*
                }
            }

            pub fn group(self) -> Group {
                match self {
                    $(Action::$variant => Group::$group,)*
                }
            }
        }
    };
}

actions! {
    MoveDown = "move_down", Move, "Move down one line";
    MoveUp = "move_up", Move, "Move up one line";
    PageDown = "page_down", Move, "Move down one page";
    PageUp = "page_up", Move, "Move up one page";
    Top = "top", Move, "Go to the first item";
    Bottom = "bottom", Move, "Go to the last item";
    Open = "open", Move, "Open the item with its thread and history";
    Back = "back", Move, "Close the detail pane or overlay";
    NextSla = "next_sla", Move, "Jump to the item closest to its SLA breach";
    Resolve = "resolve", Triage, "Resolve the item";
    ResolveNext = "resolve_next", Triage, "Resolve the item and move to the next one";
    Reopen = "reopen", Triage, "Reopen a resolved or spam item";
    Escalate = "escalate", Triage, "Escalate the item to its owners, with a note";
    Guidance = "guidance", Triage, "Answer the escalation with guidance (the item stays escalated)";
    TakeOver = "take_over", Triage, "Take the escalated item over (assigned to you, open)";
    HandBack = "hand_back", Triage, "Hand the escalated item back to who escalated it, with a word";
    Spam = "spam", Triage, "Mark the item as spam";
    Tag = "tag", Triage, "Add a tag (with completion)";
    Untag = "untag", Triage, "Remove a tag (with completion)";
    AssignMe = "assign_me", Triage, "Assign the item to me";
    Assign = "assign", Triage, "Assign the item to someone (with completion)";
    Unassign = "unassign", Triage, "Remove the assignee";
    Note = "note", Triage, "Add a note for the team";
    Snooze = "snooze", Triage, "Snooze until a time (30m, 2h, tomorrow 09:00, ...)";
    Undo = "undo", Triage, "Undo the last status, tag, assign or snooze change";
    Reply = "reply", Triage, "Write a reply to the item (the draft is kept on the hub)";
    Claim = "claim", Triage, "Take the item, unless someone else has it";
    Ack = "ack", Triage, "Acknowledge the page about the item's SLA breach (no backup is paged)";
    Canned = "canned", Triage, "Insert a canned response (the team's library) into the reply";
    ModerateHide = "moderate_hide", Triage, "Hide the reply from the thread on its platform (asks first)";
    ModerateUnhide = "moderate_unhide", Triage, "Show a hidden reply in the thread again (asks first)";
    ModerateDelete = "moderate_delete", Triage, "Delete the message on its platform (asks first)";
    ModerateBlock = "moderate_block", Triage, "Block the author on the platform (asks first)";
    ModerateMute = "moderate_mute", Triage, "Mute the author on the platform (asks first)";
    ModerateReport = "moderate_report", Triage, "Report the message to its platform, with a reason";
    Approve = "approve", Triage, "Approve the held reply as written (approvers)";
    ApproveEdited = "approve_edited", Triage, "Edit the held reply, then approve it (approvers)";
    Reject = "reject", Triage, "Turn the held reply down, with a comment for its author (approvers)";
    Retry = "retry", Triage, "Queue the failed or rejected entry again as it is";
    EditRetry = "edit_retry", Triage, "Edit the failed or rejected reply, then queue it again";
    ToggleSelect = "toggle_select", Select, "Select or unselect the item";
    SelectAll = "select_all", Select, "Select every loaded item of the view";
    ClearSelection = "clear_selection", Select, "Unselect everything";
    Filter = "filter", View, "Filter the view with a query (tag:vip -kind:dm ...)";
    ClearFilter = "clear_filter", View, "Remove the filter";
    Find = "find", View, "Fuzzy-find over the text and authors of the view";
    Help = "help", View, "Show every key binding";
    Handoff = "handoff", View, "Show the latest shift handoff note";
    Outbox = "outbox", View, "Show the outbox: replies and moderation on their way out";
    Escalations = "escalations", View, "My escalations: the items escalated to me, to answer";
    NeedsApproval = "needs_approval", View, "In the outbox, show only what waits for approval (again: all)";
    Dashboard = "dashboard", View, "Show the dashboard: volume, response times, SLA met, agents, escalations";
    StatsDay = "stats_24h", View, "On the dashboard, show the last 24 hours";
    StatsWeek = "stats_7d", View, "On the dashboard, show the last 7 days";
    StatsMonth = "stats_30d", View, "On the dashboard, show the last 30 days";
    Palette = "palette", View, "Run any command by name";
    NextTab = "next_tab", View, "Next view tab";
    PrevTab = "prev_tab", View, "Previous view tab";
    Tab1 = "tab_1", View, "Go to view tab 1";
    Tab2 = "tab_2", View, "Go to view tab 2";
    Tab3 = "tab_3", View, "Go to view tab 3";
    Tab4 = "tab_4", View, "Go to view tab 4";
    Tab5 = "tab_5", View, "Go to view tab 5";
    Tab6 = "tab_6", View, "Go to view tab 6";
    Tab7 = "tab_7", View, "Go to view tab 7";
    Tab8 = "tab_8", View, "Go to view tab 8";
    Tab9 = "tab_9", View, "Go to view tab 9";
    Refresh = "refresh", View, "Reload the view from the hub";
    Quit = "quit", View, "Quit switchboard";
    Confirm = "confirm", Input, "Accept the input or the highlighted choice";
    Cancel = "cancel", Input, "Close the prompt without acting";
    Complete = "complete", Input, "Complete the input (again: next candidate)";
    HistoryPrev = "history_prev", Input, "Recall the previous input";
    HistoryNext = "history_next", Input, "Recall the next input";
    DeleteBack = "delete_back", Input, "Delete the character before the cursor";
    DeleteForward = "delete_forward", Input, "Delete the character under the cursor";
    DeleteWord = "delete_word", Input, "Delete the word before the cursor";
    ClearLine = "clear_line", Input, "Clear the input";
    CursorLeft = "cursor_left", Input, "Move the cursor left";
    CursorRight = "cursor_right", Input, "Move the cursor right";
    LineStart = "line_start", Input, "Move the cursor to the start";
    LineEnd = "line_end", Input, "Move the cursor to the end";
    CursorUp = "cursor_up", Input, "Move the cursor up a line";
    CursorDown = "cursor_down", Input, "Move the cursor down a line";
    Newline = "newline", Input, "Start a new line";
    Send = "send", Input, "Review the reply, then send it";
    EditExternal = "edit_external", Input, "Write the reply in $EDITOR";
    PrivateReply = "private_reply", Input, "Make the reply private: a direct message to the comment's author (Facebook, Instagram)";
}

impl Action {
    /// The action with this name.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// Whether the palette offers it (editing keys make no sense there).
    pub fn in_palette(self) -> bool {
        self.group() != Group::Input
    }

    /// The tab number (0-based) of `tab_N` actions.
    pub fn tab_index(self) -> Option<usize> {
        const TABS: [Action; 9] = [
            Action::Tab1,
            Action::Tab2,
            Action::Tab3,
            Action::Tab4,
            Action::Tab5,
            Action::Tab6,
            Action::Tab7,
            Action::Tab8,
            Action::Tab9,
        ];
        TABS.iter().position(|a| *a == self)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for action in Action::ALL {
            let name = action.name();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{name}"
            );
            assert_eq!(Action::from_name(name), Some(*action));
            assert!(!action.description().is_empty());
        }
        assert_eq!(Action::from_name("resolve_nxt"), None);
    }

    #[test]
    fn tab_actions_know_their_index() {
        assert_eq!(Action::Tab1.tab_index(), Some(0));
        assert_eq!(Action::Tab9.tab_index(), Some(8));
        assert_eq!(Action::Quit.tab_index(), None);
        assert!(!Action::DeleteBack.in_palette());
        assert!(Action::Resolve.in_palette());
    }
}
