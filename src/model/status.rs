//! Triage status and the transitions allowed between statuses.
//!
//! Every status change goes through [`Status::transition`], so the rules live in one place:
//! nothing goes back to `new`, a resolved or spam item must be reopened before it can be
//! worked again, and asking for the status an item already has changes nothing.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Where an item stands in the team's work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Arrived, nobody has looked at it yet (the "unread" marker).
    New,
    /// Someone is working on it.
    Open,
    /// Waiting on the customer or on a delivery (a reply in the outbox, an approval).
    Pending,
    /// Handed to an escalation owner (legal, brand, ...).
    Escalated,
    /// Done.
    Resolved,
    /// Junk, trolls, bots: kept for audit, out of the queue.
    Spam,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::New,
        Status::Open,
        Status::Pending,
        Status::Escalated,
        Status::Resolved,
        Status::Spam,
    ];

    /// Statuses that still need work: the default queue.
    pub const ACTIVE: [Status; 4] = [
        Status::New,
        Status::Open,
        Status::Pending,
        Status::Escalated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Pending => "pending",
            Status::Escalated => "escalated",
            Status::Resolved => "resolved",
            Status::Spam => "spam",
        }
    }

    /// One byte that orders statuses inside index keys.
    pub fn index_byte(self) -> u8 {
        self as u8
    }

    pub fn from_index_byte(b: u8) -> Option<Status> {
        Status::ALL.get(b as usize).copied()
    }

    pub fn is_active(self) -> bool {
        Status::ACTIVE.contains(&self)
    }

    /// Checks a change from `self` to `to`. `Ok(None)` means "already there, nothing to do".
    pub fn transition(self, to: Status) -> Result<Option<Status>, TransitionError> {
        use Status::*;
        if self == to {
            return Ok(None);
        }
        let allowed = match (self, to) {
            (_, New) => false,
            (Resolved | Spam, Open) => true,
            (Resolved | Spam, _) => false,
            (New | Open | Pending | Escalated, _) => true,
        };
        if allowed {
            Ok(Some(to))
        } else {
            Err(TransitionError { from: self, to })
        }
    }
}

/// A status change the rules do not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot move an item from {from} to {to}{}", hint(*.from, *.to))]
pub struct TransitionError {
    pub from: Status,
    pub to: Status,
}

fn hint(from: Status, to: Status) -> &'static str {
    match (from, to) {
        (_, Status::New) => " (nothing goes back to new)",
        (Status::Resolved | Status::Spam, _) => " (reopen it first)",
        _ => "",
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown status '{s}' (expected new, open, pending, escalated, resolved or spam)")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::Status::*;
    use super::*;

    #[test]
    fn active_statuses_move_freely_but_never_back_to_new() {
        for from in Status::ACTIVE {
            for to in Status::ALL {
                let r = from.transition(to);
                match (from == to, to) {
                    (true, _) => assert_eq!(r, Ok(None)),
                    (false, New) => assert!(r.is_err(), "{from} -> new must fail"),
                    (false, _) => assert_eq!(r, Ok(Some(to))),
                }
            }
        }
    }

    #[test]
    fn closed_items_only_reopen() {
        for from in [Resolved, Spam] {
            assert_eq!(from.transition(Open), Ok(Some(Open)));
            for to in [New, Pending, Escalated] {
                let err = from.transition(to).unwrap_err();
                assert!(err.to_string().contains("cannot move"), "{err}");
            }
        }
        assert!(Resolved.transition(Spam).is_err());
        assert!(Spam.transition(Resolved).is_err());
    }

    #[test]
    fn index_bytes_round_trip_and_parse_is_case_insensitive() {
        for s in Status::ALL {
            assert_eq!(Status::from_index_byte(s.index_byte()), Some(s));
            assert_eq!(s.as_str().to_uppercase().parse::<Status>(), Ok(s));
        }
        assert!("closed".parse::<Status>().unwrap_err().contains("'closed'"));
    }
}
