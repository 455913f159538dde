//! The team inside the hub: who a connection is, what they may see, and the team-facing
//! requests (drafts, the team list, reloading `[users]`). Claiming is an item edit
//! (`edits.rs`).

use chrono::{DateTime, Utc};

use super::core::store_error;
use super::protocol::{ErrorKind, Response, WireError};
use super::Hub;
use crate::config::Config;
use crate::model::{Actor, Draft, Item, ItemId};
use crate::store::StoreError;
use crate::team::{Member, Scope, Team};

/// Longest draft kept (a reply is far shorter; this only bounds what a client can store).
const MAX_DRAFT: usize = 64 * 1024;

impl Hub {
    /// Who a Unix user is on this hub. A refusal is logged and its message says what an
    /// admin must add.
    pub fn identify(&self, uid: u32, unix_user: &str) -> Result<Member, WireError> {
        self.read_team()
            .identify(uid, unix_user)
            .map_err(|refusal| {
                tracing::warn!(uid, unix_user, "refused a client: not a switchboard user");
                WireError {
                    kind: ErrorKind::Forbidden,
                    message: refusal.to_string(),
                }
            })
    }

    /// What the member behind an actor may see.
    pub fn member_scope(&self, actor: &Actor) -> Result<Scope, WireError> {
        Ok(self.scope_of(&self.member_of(actor)?))
    }

    /// The member behind an actor the hub named.
    pub(super) fn member_of(&self, actor: &Actor) -> Result<Member, WireError> {
        self.read_team()
            .member(&actor.user)
            .ok_or_else(|| WireError {
                kind: ErrorKind::Forbidden,
                message: format!("'{}' is not a user of this hub", actor.user),
            })
    }

    /// An item the scope may see; any other is "not found", so ids leak nothing.
    pub(super) fn visible(&self, scope: &Scope, id: ItemId) -> Result<Item, WireError> {
        let item = self.existing(id)?;
        if scope.sees(&item) {
            Ok(item)
        } else {
            Err(store_error(StoreError::NotFound(id)))
        }
    }

    /// With a configured team, assignments go to its members only.
    pub(super) fn check_assignee(&self, user: &str) -> Result<(), WireError> {
        let team = self.read_team();
        if team.is_open() || team.member(user).is_some() {
            return Ok(());
        }
        let names: Vec<&str> = team.members().map(|m| m.name.as_str()).collect();
        Err(WireError {
            kind: ErrorKind::BadRequest,
            message: format!("no user '{user}' on this hub (users: {})", names.join(", ")),
        })
    }

    /// Keeps (or, with empty text, discards) the caller's draft reply to an item.
    pub(super) fn save_draft(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: ItemId,
        text: String,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        self.visible(scope, id)?;
        if text.len() > MAX_DRAFT {
            return Err(WireError {
                kind: ErrorKind::BadRequest,
                message: format!("a draft is limited to {MAX_DRAFT} bytes"),
            });
        }
        if text.trim().is_empty() {
            self.store.delete_draft(&actor.user, id)
        } else {
            self.store.put_draft(&Draft {
                user: actor.user.clone(),
                item: id,
                text,
                updated_at: now,
            })
        }
        .map_err(store_error)?;
        self.drop_suggested_draft(id)?;
        self.flush()?;
        Ok(Response::Done)
    }

    /// The caller's drafts, newest first.
    pub(super) fn drafts(&self, actor: &Actor) -> Result<Response, WireError> {
        let mut drafts = self.store.drafts(&actor.user).map_err(store_error)?;
        drafts.sort_by_key(|draft| std::cmp::Reverse(draft.updated_at));
        Ok(Response::Drafts { drafts })
    }

    /// The team and who is online.
    pub(super) fn team_answer(&self) -> Response {
        let team = self.read_team();
        Response::Team {
            members: team.members().cloned().collect(),
            online: self.presence.online(),
            open: team.is_open(),
        }
    }

    /// Re-reads `[users]` from the config file; a config that does not load changes nothing.
    pub(super) fn reload_team(
        &self,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        let Some(path) = &self.config_file else {
            return Err(WireError {
                kind: ErrorKind::Refused,
                message: "this hub was started without a config file to reload".into(),
            });
        };
        let config = Config::load(path).map_err(|e| WireError {
            kind: ErrorKind::BadRequest,
            message: format!("the team was not reloaded: {e}"),
        })?;
        let team = Team::from_config(&config);
        let detail = format!("{} users from {}", team.members().count(), path.display());
        *self
            .team
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = team;
        *self
            .reply_policy
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            crate::responses::policy::ReplyPolicy::from_config(&config);
        self.set_config(config);
        self.store
            .append_audit(actor, now, None, "team", &format!("reloaded {detail}"))
            .map_err(store_error)?;
        self.flush()?;
        Ok(self.team_answer())
    }

    pub(super) fn read_team(&self) -> std::sync::RwLockReadGuard<'_, Team> {
        self.team
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
