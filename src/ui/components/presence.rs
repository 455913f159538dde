//! Who is here: who the hub says we are ([`Me`]), what we tell the hub we show
//! ([`PresenceOut`]: the item viewed, the item a reply is written for, one call at a time
//! with only the latest state kept while one is in flight, so a burst of moves costs at most
//! two calls), and what the views read from the presence list the hub pushes (who else is
//! online, who views or writes on an item). Other sessions count, not other users: the same
//! person in a second terminal is someone the first one should see.

use crate::hub::protocol::{PresenceEntry, Request, Welcome};
use crate::model::ItemId;
use crate::team::Role;

/// Us, as the hub knows us.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Me {
    pub user: String,
    pub display_name: String,
    pub role: Role,
    /// Our presence session: the entry of the presence list that is us.
    pub session: u64,
}

impl Me {
    /// From the hub's welcome.
    pub fn from_welcome(welcome: &Welcome) -> Me {
        Me {
            user: welcome.user.clone(),
            display_name: welcome.display_name.clone(),
            role: welcome.role,
            session: welcome.session,
        }
    }

    /// A user the hub has not described (an open team's admin), with no session yet.
    pub fn named(user: &str) -> Me {
        Me {
            user: user.to_string(),
            display_name: user.to_string(),
            role: Role::Admin,
            session: 0,
        }
    }

    /// Whether the escalation queues are ours to see (the hub hides them from agents).
    pub fn sees_escalations(&self) -> bool {
        self.role >= Role::Approver
    }
}

/// What this TUI shows, as presence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    pub viewing: Option<ItemId>,
    pub composing: Option<ItemId>,
}

/// Presence on its way to the hub.
#[derive(Clone, Debug, Default)]
pub struct PresenceOut {
    /// What the hub was last told (or is being told); a new session starts with nothing.
    told: Shown,
    in_flight: bool,
}

impl PresenceOut {
    /// The call that tells the hub what is shown now, if it does not know yet and no call
    /// is in flight (the answer to that one brings the latest state along).
    pub fn follow(&mut self, shown: Shown) -> Option<Request> {
        if self.in_flight || shown == self.told {
            return None;
        }
        self.told = shown;
        self.in_flight = true;
        Some(Request::Presence {
            viewing: shown.viewing,
            composing: shown.composing,
        })
    }

    /// The call in flight came back (answered or failed).
    pub fn returned(&mut self) {
        self.in_flight = false;
    }
}

/// The sessions other than ours.
pub fn others<'a>(
    online: &'a [PresenceEntry],
    me: &'a Me,
) -> impl Iterator<Item = &'a PresenceEntry> {
    online
        .iter()
        .filter(move |entry| entry.session != me.session)
}

/// The users of other sessions, each once, in session order.
pub fn others_online<'a>(online: &'a [PresenceEntry], me: &'a Me) -> Vec<&'a str> {
    unique(others(online, me).map(|e| e.user.as_str()))
}

/// The users of other sessions writing a reply to `id`.
pub fn composers<'a>(online: &'a [PresenceEntry], me: &'a Me, id: ItemId) -> Vec<&'a str> {
    unique(
        others(online, me)
            .filter(|e| e.composing == Some(id))
            .map(|e| e.user.as_str()),
    )
}

/// The users of other sessions viewing `id` without writing on it.
pub fn viewers<'a>(online: &'a [PresenceEntry], me: &'a Me, id: ItemId) -> Vec<&'a str> {
    let writing = composers(online, me, id);
    unique(
        others(online, me)
            .filter(|e| e.viewing == Some(id) && e.composing != Some(id))
            .map(|e| e.user.as_str())
            .filter(|user| !writing.contains(user)),
    )
}

/// What a presence list puts on screen when `shown` are the items the screen may mark:
/// who else is online, and for each shown item who writes or views it. Two lists with the
/// same picture need no new frame (a colleague opening an item far down the queue).
pub fn picture<'a>(
    online: &'a [PresenceEntry],
    me: &'a Me,
    shown: &std::collections::HashSet<ItemId>,
) -> (Vec<&'a str>, Vec<(ItemId, &'a str, bool)>) {
    let mut marks: Vec<(ItemId, &str, bool)> = others(online, me)
        .flat_map(|e| {
            let writing = e.composing.filter(|id| shown.contains(id));
            let viewing = e
                .viewing
                .filter(|id| shown.contains(id) && e.composing != Some(*id));
            writing
                .map(|id| (id, e.user.as_str(), true))
                .into_iter()
                .chain(viewing.map(|id| (id, e.user.as_str(), false)))
        })
        .collect();
    marks.sort_unstable();
    marks.dedup();
    (others_online(online, me), marks)
}

fn unique<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for name in names {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        session: u64,
        user: &str,
        viewing: Option<ItemId>,
        composing: Option<ItemId>,
    ) -> PresenceEntry {
        PresenceEntry {
            session,
            user: user.into(),
            display_name: user.into(),
            client: "tui".into(),
            since: chrono::Utc::now(),
            viewing,
            composing,
        }
    }

    #[test]
    fn one_call_in_flight_then_the_latest_state() {
        let mut out = PresenceOut::default();
        let (a, b) = (ItemId::generate(), ItemId::generate());
        assert!(
            out.follow(Shown::default()).is_none(),
            "the hub starts with nothing"
        );
        let first = Shown {
            viewing: Some(a),
            composing: None,
        };
        assert!(out.follow(first).is_some());
        assert!(out
            .follow(Shown {
                viewing: Some(b),
                composing: None
            })
            .is_none());
        out.returned();
        let latest = Shown {
            viewing: Some(b),
            composing: Some(b),
        };
        let Some(Request::Presence { viewing, composing }) = out.follow(latest) else {
            panic!()
        };
        assert_eq!((viewing, composing), (Some(b), Some(b)));
        out.returned();
        assert!(out.follow(latest).is_none());
    }

    #[test]
    fn others_are_other_sessions_each_user_once() {
        let me = Me {
            session: 1,
            ..Me::named("alice")
        };
        let id = ItemId::generate();
        let online = vec![
            entry(1, "alice", Some(id), None),
            entry(2, "alice", Some(id), None),
            entry(3, "bob", Some(id), Some(id)),
            entry(4, "bob", Some(id), None),
            entry(5, "carol", None, None),
        ];
        assert_eq!(others_online(&online, &me), ["alice", "bob", "carol"]);
        assert_eq!(composers(&online, &me, id), ["bob"]);
        assert_eq!(viewers(&online, &me, id), ["alice"]);
    }
}
