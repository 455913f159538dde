//! TEMPORARY (replaced at merge): a minimal `Hub::escalate_item` so that the routing rules'
//! `escalate` action works on the `rules` branch. The escalations branch provides the real
//! method with this same signature (returning its `Escalation`, owners' queue and notices);
//! at merge this file is deleted and `hub/routing.rs` calls that one unchanged.

use chrono::{DateTime, Utc};

use super::core::store_error;
use super::protocol::WireError;
use super::Hub;
use crate::model::{Actor, ItemId, Notice, NoticeKind, Status};
use crate::store::{AuditNote, ChangeRejected};

impl Hub {
    /// Sets the item `escalated`, tags it with the escalation's name and writes the audit
    /// line `escalate` `NAME: NOTE`, in one store update; then raises the notice for the
    /// escalation's owners and channels.
    pub(super) fn escalate_item(
        &self,
        actor: &Actor,
        id: ItemId,
        name: &str,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<(), WireError> {
        let detail = format!("{name}: {note}");
        self.store
            .update(id, actor, now, &mut |item| {
                item.set_status(Status::Escalated)
                    .map_err(|e| ChangeRejected(format!("item {}: {e}", item.id)))?;
                item.tags.insert(name.to_string());
                Ok(Some(AuditNote::new("escalate", detail.clone())))
            })
            .map_err(store_error)?;
        let config = self.config();
        let target = config.escalations.get(name);
        self.notify(Notice {
            kind: NoticeKind::Escalated,
            at: now,
            title: format!("Escalated to {name}"),
            body: note.to_string(),
            item: Some(id),
            channels: target.map(|t| t.notify.clone()).unwrap_or_default(),
            users: target.map(|t| t.owners.clone()).unwrap_or_default(),
        })
    }
}
