//! The fuzzy finder's state: the pattern being typed, the hub's best hits for it, and which
//! hit is highlighted. Each keystroke gets a sequence number; only the answer for the latest
//! one is shown, so a slow answer for an old pattern never overwrites a newer one.

use super::line_input::LineInput;
use crate::hub::protocol::FindHit;

/// How many hits to ask the hub for.
pub const FIND_LIMIT: usize = 100;

/// An open finder.
#[derive(Clone, Debug)]
pub struct Find {
    pub input: LineInput,
    pub hits: Vec<FindHit>,
    pub selected: usize,
    /// The latest keystroke's number.
    pub seq: u64,
    /// The keystroke whose hits are shown.
    pub shown: u64,
    pub error: Option<String>,
}

impl Find {
    /// A new finder; `seq` continues the app's counter so answers for an earlier finder
    /// can never match.
    pub fn new(seq: u64) -> Find {
        Find {
            input: LineInput::default(),
            hits: Vec::new(),
            selected: 0,
            seq,
            shown: seq,
            error: None,
        }
    }

    /// The pattern changed; returns the keystroke's number.
    pub fn changed(&mut self, seq: u64) -> u64 {
        self.seq = seq;
        if self.input.text().trim().is_empty() {
            self.hits.clear();
            self.shown = seq;
            self.selected = 0;
        }
        seq
    }

    /// Takes the hits for keystroke `seq`; `false` when a newer keystroke superseded it.
    pub fn accept(&mut self, seq: u64, hits: Vec<FindHit>) -> bool {
        if seq != self.seq {
            return false;
        }
        self.hits = hits;
        self.shown = seq;
        self.selected = 0;
        self.error = None;
        true
    }

    pub fn refuse(&mut self, seq: u64, message: String) -> bool {
        if seq != self.seq {
            return false;
        }
        self.shown = seq;
        self.error = Some(message);
        true
    }

    /// Whether the shown hits are for an older pattern than the one typed.
    pub fn searching(&self) -> bool {
        self.shown != self.seq
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.hits.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn current(&self) -> Option<&FindHit> {
        self.hits.get(self.selected)
    }
}
