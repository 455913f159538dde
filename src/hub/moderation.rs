//! Moderation through the platform: hiding a troll's reply, muting or blocking its author,
//! reporting it, deleting what the brand may delete, dismissing a notification. The hub
//! checks who may do it, asks the item's connector, and records what was done on the item
//! (an audit line, and a tag: `hidden`, `deleted`, `blocked`, `muted`, `reported`) only
//! once the platform said yes.
//!
//! Blocking an author and deleting are lasting and public-facing, so they take an approver;
//! the rest is for any member who sees the item.

use std::sync::Arc;

use chrono::Utc;

use super::core::{require, store_error};
use super::protocol::{ErrorKind, WireError};
use super::Hub;
use crate::connectors::{ConnectorError, Moderation};
use crate::model::{Actor, Item, ItemId};
use crate::store::AuditNote;
use crate::team::{Member, Role};

impl Hub {
    /// Carries out `action` on the platform, then records it on the item.
    pub(super) async fn moderate(
        self: &Arc<Self>,
        member: &Member,
        actor: &Actor,
        id: ItemId,
        action: Moderation,
    ) -> Result<Item, WireError> {
        if matches!(action, Moderation::Block | Moderation::Delete) {
            require(
                member,
                Role::Approver,
                &format!("{} on a platform", action.name()),
            )?;
        }
        if let Moderation::Report { reason } = &action {
            if reason.trim().is_empty() {
                return Err(bad("a report needs a reason (--reason)"));
            }
        }
        let item = self.visible(&member.scope(), id)?;
        let connector = self
            .connectors()
            .get(&item.account)
            .cloned()
            .ok_or_else(|| {
                bad(&format!(
                    "no connector for account '{}' in this hub",
                    item.account
                ))
            })?;
        connector
            .moderate(&item, &action)
            .await
            .map_err(|e| platform_refused(&action, &e))?;
        self.record_moderation(actor, id, &action)
    }

    fn record_moderation(
        &self,
        actor: &Actor,
        id: ItemId,
        action: &Moderation,
    ) -> Result<Item, WireError> {
        let detail = format!("{action} on the platform");
        let item = self
            .store
            .update(id, actor, Utc::now(), &mut |item| {
                match tag_for(action) {
                    Some((tag, true)) => item.tags.insert(tag.to_string()),
                    Some((tag, false)) => item.tags.remove(tag),
                    None => false,
                };
                Ok(Some(AuditNote::new("moderate", detail.clone())))
            })
            .map_err(store_error)?;
        self.flush()?;
        Ok(item)
    }
}

/// The tag an action leaves on the item, and whether it adds (or removes) it.
fn tag_for(action: &Moderation) -> Option<(&'static str, bool)> {
    match action {
        Moderation::Hide => Some(("hidden", true)),
        Moderation::Unhide => Some(("hidden", false)),
        Moderation::Delete => Some(("deleted", true)),
        Moderation::Mute => Some(("muted", true)),
        Moderation::Block => Some(("blocked", true)),
        Moderation::Report { .. } => Some(("reported", true)),
        Moderation::Dismiss => None,
    }
}

fn platform_refused(action: &Moderation, error: &ConnectorError) -> WireError {
    let kind = match error {
        ConnectorError::Unsupported(_) | ConnectorError::Refused(_) => ErrorKind::Refused,
        _ => ErrorKind::Internal,
    };
    WireError {
        kind,
        message: format!("{} failed: {error}", action.name()),
    }
}

fn bad(message: &str) -> WireError {
    WireError {
        kind: ErrorKind::BadRequest,
        message: message.to_string(),
    }
}
