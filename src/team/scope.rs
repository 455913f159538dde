//! [`Scope`]: what one member may see, applied by the hub to every query it answers and to
//! every event it pushes.

use std::collections::BTreeSet;

use crate::model::{Item, Query, Status};

/// The part of the inbox a member may see.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// `None`: every account.
    accounts: Option<BTreeSet<String>>,
    /// Whether escalated items appear in lists, counts and searches (approvers and admins).
    escalations: bool,
    /// The escalations the member owns (their names are the items' tags): an agent sees
    /// the items escalated to them even though other escalated items stay hidden.
    owned: Vec<String>,
    /// The member's name: an agent follows the escalations they made.
    member: Option<String>,
}

impl Scope {
    pub fn new(accounts: Option<BTreeSet<String>>, escalations: bool) -> Scope {
        Scope {
            accounts,
            escalations,
            owned: Vec::new(),
            member: None,
        }
    }

    /// The same scope for `member`, also showing the items escalated to `owned` (the names
    /// of the escalations they own) and the escalations they made.
    pub fn with_escalations_of(mut self, member: &str, owned: Vec<String>) -> Scope {
        self.member = Some(member.to_string());
        self.owned = owned;
        self
    }

    /// Whether an escalation (its note, its answers) may be shown: on the scope's accounts,
    /// and for an agent only one they own or made.
    pub fn sees_escalation(&self, escalation: &crate::model::Escalation) -> bool {
        self.sees_account(&escalation.account)
            && (self.escalations
                || self.owned.contains(&escalation.name)
                || self.member.as_deref() == Some(escalation.by.as_str()))
    }

    /// Sees everything (the hub itself, an open team).
    pub fn everything() -> Scope {
        Scope::new(None, true)
    }

    /// The query narrowed to what this scope may see.
    pub fn narrow(&self, query: Query) -> Query {
        let query = match &self.accounts {
            Some(accounts) => query.and_account_in(accounts.iter().map(String::as_str)),
            None => query,
        };
        if self.escalations {
            query
        } else if self.owned.is_empty() {
            query.and_not_status(Status::Escalated)
        } else {
            query.and_not_escalated_except(self.owned.iter().map(String::as_str))
        }
    }

    /// Whether an item on `account` may be shown at all (opened by id, pushed as an event).
    pub fn sees_account(&self, account: &str) -> bool {
        self.accounts.as_ref().is_none_or(|a| a.contains(account))
    }

    /// Whether `item` may be shown at all.
    pub fn sees(&self, item: &Item) -> bool {
        self.sees_account(&item.account)
    }

    /// Whether `item` appears in this scope's lists and counts: on its accounts, and
    /// escalated only where the escalation queues are visible.
    pub fn shows(&self, item: &Item) -> bool {
        self.sees(item)
            && (self.escalations
                || item.status != Status::Escalated
                || item
                    .tags
                    .iter()
                    .any(|tag| self.owned.iter().any(|o| o.to_lowercase() == *tag)))
    }

    /// The escalations whose items this scope shows to an agent.
    pub fn owned_escalations(&self) -> &[String] {
        &self.owned
    }

    /// Whether escalation queues are visible.
    pub fn sees_escalations(&self) -> bool {
        self.escalations
    }

    /// Whether this scope hides nothing.
    pub fn is_everything(&self) -> bool {
        self.accounts.is_none() && self.escalations
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::query::MatchContext;
    use crate::model::{Escalation, EscalationState, ItemId};

    fn escalation(name: &str, by: &str) -> Escalation {
        Escalation {
            id: ItemId::generate(),
            item: ItemId::generate(),
            account: "acme".into(),
            name: name.into(),
            owners: vec!["dana".into()],
            by: by.into(),
            note: String::new(),
            at: Utc::now(),
            due: None,
            state: EscalationState::Waiting,
            answers: Vec::new(),
        }
    }

    #[test]
    fn an_agent_sees_the_escalations_they_own_or_made_and_no_other() {
        let dana = Scope::new(None, false).with_escalations_of("dana", vec!["legal".into()]);
        assert!(dana.sees_escalation(&escalation("legal", "alice")));
        assert!(!dana.sees_escalation(&escalation("brand", "alice")));
        assert!(
            dana.sees_escalation(&escalation("brand", "dana")),
            "made by her"
        );
        let approver = Scope::new(None, true);
        assert!(approver.sees_escalation(&escalation("brand", "alice")));
        let elsewhere = Scope::new(Some(["other".to_string()].into()), true);
        assert!(!elsewhere.sees_escalation(&escalation("legal", "alice")));
    }

    #[test]
    fn an_owner_agents_queries_show_their_escalated_items_only() {
        let dana = Scope::new(None, false).with_escalations_of("dana", vec!["legal".into()]);
        let query = dana.narrow(Query::parse("status:escalated").unwrap());
        let ctx = MatchContext::new("dana", Utc::now());
        let mut item: Item = serde_json::from_value(serde_json::json!({
            "id": ItemId::generate(), "platform": "x", "account": "acme", "kind": "mention",
            "remote_id": "1", "author": {"id": "a", "handle": "a", "name": "A"}, "text": "t",
            "created_at": Utc::now(), "received_at": Utc::now(), "status": "escalated",
            "priority": "normal", "updated_at": Utc::now(), "version": 1, "tags": [], "notes": []
        }))
        .unwrap();
        assert!(!query.matches(&item, &ctx), "escalated elsewhere");
        assert!(!dana.shows(&item));
        item.tags.insert("legal".into());
        assert!(query.matches(&item, &ctx));
        assert!(dana.shows(&item));
    }
}
