//! The team: who may use the hub, in which role, and what each person may see.
//!
//! The hub learns a client's Unix uid from the kernel (SO_PEERCRED, or `getuid` in-process)
//! and asks [`Team::identify`] who that is. A name a client sends is never trusted. With no
//! `[users]` in the config the team is *open*: every Unix user who can reach the socket is an
//! admin under their login name (a single CM on a laptop). As soon as one user is configured,
//! only configured users get in.
//!
//! [`Scope`] is what one member may see: the accounts they are given and, for agents, no
//! escalation queues. The hub applies it to every list, count, search, export and event.

mod scope;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::config::{Config, UserConfig};
pub use scope::Scope;

/// What a member may do. Each role includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Triages and replies (replies held for approval when `requires_approval`).
    Agent,
    /// Also sees the escalation queues and approves or rejects held replies.
    Approver,
    /// Also manages the team: reloads the config, imports data.
    Admin,
}

impl Role {
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "agent" => Some(Role::Agent),
            "approver" => Some(Role::Approver),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One person on the team, as the hub knows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The switchboard user name (`[users.NAME]`): what assignments and the audit record.
    pub name: String,
    /// The Unix login that authenticates as this member.
    pub unix_user: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The accounts this member may see; `None` means all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<BTreeSet<String>>,
    #[serde(default)]
    pub requires_approval: bool,
}

impl Member {
    /// The member an open team gives every Unix user: an admin who sees everything.
    pub fn open(unix_user: &str) -> Member {
        Member {
            name: unix_user.to_string(),
            unix_user: unix_user.to_string(),
            display_name: unix_user.to_string(),
            role: Role::Admin,
            team: None,
            accounts: None,
            requires_approval: false,
        }
    }

    /// The hub itself (rules, clocks, reopening): sees and may do everything.
    pub fn system() -> Member {
        Member::open(crate::model::Actor::system().user.as_str())
    }

    pub fn at_least(&self, role: Role) -> bool {
        self.role >= role
    }

    /// What this member may see.
    pub fn scope(&self) -> Scope {
        Scope::new(self.accounts.clone(), self.role >= Role::Approver)
    }
}

/// A Unix user the hub refuses, with why (shown to the client and logged).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Unix user '{unix_user}' (uid {uid}) is not a switchboard user on this hub; an admin adds [users.NAME] with unix_user = \"{unix_user}\" to its config")]
pub struct Unknown {
    pub unix_user: String,
    pub uid: u32,
}

/// Everyone who may use this hub.
#[derive(Clone, Debug, Default)]
pub struct Team {
    members: BTreeMap<String, Member>,
    /// Unix login → member name.
    by_unix: BTreeMap<String, String>,
}

impl Team {
    /// The team the config describes (already validated by `Config::parse`).
    pub fn from_config(config: &Config) -> Team {
        let mut team = Team::default();
        for (name, user) in &config.users {
            let member = member_from(name, user);
            team.by_unix.insert(member.unix_user.clone(), name.clone());
            team.members.insert(name.clone(), member);
        }
        team
    }

    /// Whether every Unix user gets in as an admin (no `[users]` configured).
    pub fn is_open(&self) -> bool {
        self.members.is_empty()
    }

    /// Who a Unix user is on this hub.
    pub fn identify(&self, uid: u32, unix_user: &str) -> Result<Member, Unknown> {
        if self.is_open() {
            return Ok(Member::open(unix_user));
        }
        self.by_unix
            .get(unix_user)
            .and_then(|name| self.members.get(name))
            .cloned()
            .ok_or_else(|| Unknown {
                unix_user: unix_user.to_string(),
                uid,
            })
    }

    /// The member a (trusted) actor name stands for: configured members, the hub itself, or
    /// anyone when the team is open.
    pub fn member(&self, name: &str) -> Option<Member> {
        if let Some(member) = self.members.get(name) {
            return Some(member.clone());
        }
        if name == crate::model::Actor::system().user {
            return Some(Member::system());
        }
        self.is_open().then(|| Member::open(name))
    }

    /// Every configured member, by name.
    pub fn members(&self) -> impl Iterator<Item = &Member> {
        self.members.values()
    }
}

fn member_from(name: &str, user: &UserConfig) -> Member {
    Member {
        name: name.to_string(),
        unix_user: user.unix_user.clone().unwrap_or_else(|| name.to_string()),
        display_name: user
            .display_name
            .clone()
            .unwrap_or_else(|| name.to_string()),
        role: user
            .role
            .as_deref()
            .and_then(Role::parse)
            .unwrap_or(Role::Agent),
        team: user.team.clone(),
        accounts: user.accounts.as_ref().map(|a| a.iter().cloned().collect()),
        requires_approval: user.requires_approval,
    }
}

#[cfg(test)]
mod tests;
