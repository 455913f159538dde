//! The one-line prompt at the bottom of the screen: the filter bar, the tag, untag, assign,
//! note and snooze inputs, and the reason a rejection or a report needs. It offers
//! completions for the word being typed (tags seen, team members, query keywords, snooze
//! times), cycles through them with `complete`, and recalls earlier inputs of the same kind
//! with `history_prev`/`history_next`.

use super::super::action::Action;
use super::line_input::LineInput;

/// What the prompt is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PromptKind {
    Filter,
    Tag,
    Untag,
    Assign,
    Note,
    Snooze,
    /// A rejection's comment for the reply's author.
    Reject,
    /// A report's reason for the platform.
    Report,
    /// Why an item is escalated (after picking where to).
    EscalationNote,
    /// An owner's guidance on an escalation.
    Guidance,
    /// An owner's words when handing an escalated item back.
    HandBack,
}

impl PromptKind {
    pub fn label(self) -> &'static str {
        match self {
            PromptKind::Filter => "filter",
            PromptKind::Tag => "tag",
            PromptKind::Untag => "untag",
            PromptKind::Assign => "assign to",
            PromptKind::Note => "note",
            PromptKind::Snooze => "snooze until",
            PromptKind::Reject => "reject",
            PromptKind::Report => "report",
            PromptKind::EscalationNote => "escalate, note",
            PromptKind::Guidance => "guidance",
            PromptKind::HandBack => "hand back, note",
        }
    }

    /// Whether completion works on the word being typed (queries) or the whole line.
    fn completes_words(self) -> bool {
        matches!(self, PromptKind::Filter | PromptKind::Snooze)
    }
}

/// Query words the filter bar completes.
pub const QUERY_WORDS: &[&str] = &[
    "status:new",
    "status:open",
    "status:pending",
    "status:escalated",
    "status:resolved",
    "status:spam",
    "kind:comment",
    "kind:dm",
    "kind:mention",
    "platform:mastodon",
    "platform:bluesky",
    "platform:x",
    "platform:facebook",
    "platform:instagram",
    "platform:youtube",
    "assignee:me",
    "is:unassigned",
    "from:@",
    "account:",
    "tag:",
    "before:",
    "after:",
];

/// An open prompt.
#[derive(Clone, Debug)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: LineInput,
    /// Everything completion may offer (filtered by what is typed).
    candidates: Vec<String>,
    /// The candidate `complete` put in last, to cycle from.
    cycling: Option<(String, usize)>,
    /// Position in the history while recalling (0 = newest).
    history_pos: Option<usize>,
    /// Why the last submission was refused (a bad query, an unreadable time).
    pub error: Option<String>,
    /// What the prompt acts on, for its label (`3 items`).
    pub target: String,
}

impl Prompt {
    pub fn new(kind: PromptKind, initial: &str, candidates: Vec<String>, target: String) -> Prompt {
        Prompt {
            kind,
            input: LineInput::new(initial),
            candidates,
            cycling: None,
            history_pos: None,
            error: None,
            target,
        }
    }

    fn fragment(&self) -> String {
        match &self.cycling {
            Some((typed, _)) => typed.clone(),
            None if self.kind.completes_words() => self.input.current_word(),
            None => self.input.text().to_string(),
        }
    }

    /// The candidates matching what is typed (prefix first, then anywhere), at most `limit`.
    pub fn matches(&self, limit: usize) -> Vec<&str> {
        self.matching(&self.fragment(), limit)
    }

    fn matching(&self, typed: &str, limit: usize) -> Vec<&str> {
        let typed = typed.to_lowercase();
        let mut prefixed: Vec<&str> = Vec::new();
        let mut inside: Vec<&str> = Vec::new();
        for candidate in &self.candidates {
            let lower = candidate.to_lowercase();
            if lower.starts_with(&typed) {
                prefixed.push(candidate);
            } else if lower.contains(&typed) {
                inside.push(candidate);
            }
        }
        prefixed.extend(inside);
        prefixed.truncate(limit);
        prefixed
    }

    /// Puts the next matching candidate in place of the word (or line) being typed.
    pub fn complete(&mut self) {
        let typed = self.fragment();
        let next = match &self.cycling {
            Some((_, i)) => i + 1,
            None => 0,
        };
        let matches: Vec<String> = self
            .matching(&typed, usize::MAX)
            .into_iter()
            .map(String::from)
            .collect();
        if matches.is_empty() {
            return;
        }
        let index = next % matches.len();
        if self.kind.completes_words() {
            self.input.replace_word(&matches[index]);
        } else {
            self.input.set(&matches[index]);
        }
        self.cycling = Some((typed, index));
    }

    /// Steps through earlier inputs (`older`: towards the oldest).
    pub fn recall(&mut self, history: &[String], older: bool) {
        if history.is_empty() {
            return;
        }
        let pos = match (self.history_pos, older) {
            (None, true) => Some(0),
            (None, false) => None,
            (Some(p), true) => Some((p + 1).min(history.len() - 1)),
            (Some(0), false) => None,
            (Some(p), false) => Some(p - 1),
        };
        self.history_pos = pos;
        let text = pos.map_or("", |p| history[history.len() - 1 - p].as_str());
        self.input.set(text);
        self.cycling = None;
    }

    /// Types text; ends any completion cycle.
    pub fn type_text(&mut self, text: &str) {
        self.input.insert(text);
        self.cycling = None;
        self.error = None;
    }

    /// Applies an editing action; whether it was one.
    pub fn edit(&mut self, action: Action) -> bool {
        let edited = self.input.edit(action);
        if edited {
            self.cycling = None;
            self.error = None;
        }
        edited
    }
}

/// Adds a submitted input to a history (no immediate repeats, bounded).
pub fn remember(history: &mut Vec<String>, text: &str) {
    const MAX: usize = 100;
    if text.trim().is_empty() || history.last().is_some_and(|last| last == text) {
        return;
    }
    history.push(text.to_string());
    if history.len() > MAX {
        history.remove(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags() -> Vec<String> {
        ["refund", "legal", "late-order", "vip"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn completion_prefers_prefixes_and_cycles() {
        let mut prompt = Prompt::new(PromptKind::Tag, "l", tags(), "1 item".into());
        assert_eq!(prompt.matches(5), ["legal", "late-order"]);
        prompt.complete();
        assert_eq!(prompt.input.text(), "legal");
        prompt.complete();
        assert_eq!(prompt.input.text(), "late-order");
        prompt.type_text("!");
        assert_eq!(prompt.matches(5), Vec::<&str>::new());
    }

    #[test]
    fn filter_completes_the_last_word_only() {
        let words = QUERY_WORDS.iter().map(|w| w.to_string()).collect();
        let mut prompt = Prompt::new(PromptKind::Filter, "tag:vip kind:d", words, String::new());
        prompt.complete();
        assert_eq!(prompt.input.text(), "tag:vip kind:dm");
    }

    #[test]
    fn history_steps_back_and_forth() {
        let history = vec!["a".to_string(), "b".to_string()];
        let mut prompt = Prompt::new(PromptKind::Note, "", Vec::new(), String::new());
        prompt.recall(&history, true);
        assert_eq!(prompt.input.text(), "b");
        prompt.recall(&history, true);
        prompt.recall(&history, true);
        assert_eq!(prompt.input.text(), "a");
        prompt.recall(&history, false);
        assert_eq!(prompt.input.text(), "b");
        prompt.recall(&history, false);
        assert_eq!(prompt.input.text(), "");
        let mut kept = history.clone();
        remember(&mut kept, "b");
        remember(&mut kept, " ");
        assert_eq!(kept.len(), 2);
    }
}
