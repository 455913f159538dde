//! Raising notices (see `model::notice`): [`Hub::notify`] turns a notice into one durable
//! [`Delivery`] per channel, wakes the delivery task (`crate::notify`), and publishes the
//! notice to the attached terminals of the users it names (`Event::Notice`, scoped in
//! `hub/feed.rs`). It never waits on a channel: a slow webhook or mail server cannot hold
//! the hub. Also the requests about deliveries: `Deliveries` (doctor, `notify list`) and
//! `NotifyTest`.

use chrono::{DateTime, Utc};

use super::core::{require, store_error};
use super::protocol::{ErrorKind, Response, WireError};
use super::Hub;
use crate::model::{Actor, ChannelHealth, Delivery, ItemId, Notice, NoticeKind};
use crate::team::{Member, Role};

/// Notices a slow subscriber may fall behind before it is told it lagged.
pub(super) const NOTICES_CAPACITY: usize = 256;

impl Hub {
    /// Hands a notice over for delivery. Never waits on a channel: delivery is background
    /// work, so a slow webhook or mail server cannot hold the hub. Fails only when the store
    /// cannot save the deliveries.
    pub fn notify(&self, notice: Notice) -> Result<(), WireError> {
        self.save_notice(notice).map(|_| ())
    }

    /// Saves one pending delivery per distinct channel (durably), wakes the delivery task,
    /// and tells the named users' terminals. Returns the deliveries saved.
    fn save_notice(&self, notice: Notice) -> Result<Vec<Delivery>, WireError> {
        tracing::info!(kind = notice.kind.as_str(), title = %notice.title, channels = ?notice.channels, "notice");
        let now = self.now();
        let mut channels = notice.channels.clone();
        channels.sort();
        channels.dedup();
        let mut saved = Vec::with_capacity(channels.len());
        for channel in &channels {
            let delivery = Delivery::new(channel, notice.clone(), now);
            self.store.put_delivery(&delivery).map_err(store_error)?;
            saved.push(delivery);
        }
        if !saved.is_empty() {
            self.flush()?;
            self.notify_wakeup.notify_one();
        }
        if !notice.users.is_empty() {
            // No subscriber is not an error: nobody is attached.
            let _ = self.notices.send(notice);
        }
        Ok(saved)
    }

    /// Records a delivery's new state durably (the delivery task's one way to write).
    pub(crate) fn save_delivery(&self, delivery: &Delivery) -> Result<(), WireError> {
        self.store.put_delivery(delivery).map_err(store_error)?;
        self.flush()
    }

    /// Wakes the delivery task when a notice is raised.
    pub(crate) fn notify_wakeup(&self) -> &tokio::sync::Notify {
        &self.notify_wakeup
    }

    /// Every channel's health, and the newest `limit` deliveries (or the one with `id`),
    /// newest first. The deliveries quote customers: approvers and admins only.
    pub(super) fn deliveries_answer(
        &self,
        member: &Member,
        limit: usize,
        id: Option<ItemId>,
    ) -> Result<Response, WireError> {
        if limit > 0 || id.is_some() {
            require(member, Role::Approver, "read notice deliveries")?;
        }
        let all = self.store.deliveries().map_err(store_error)?;
        let config = self.config();
        let channels = ChannelHealth::tally(config.notify.keys(), &all);
        let deliveries: Vec<Delivery> = match id {
            Some(id) => all.into_iter().filter(|d| d.id == id).collect(),
            None => all.into_iter().rev().take(limit).collect(),
        };
        Ok(Response::Deliveries {
            channels,
            deliveries,
        })
    }

    /// Sends a test notice to one configured channel (admins): answered with its delivery,
    /// whose outcome the caller follows with `Deliveries { id }`.
    pub(super) fn notify_test(
        &self,
        member: &Member,
        actor: &Actor,
        channel: &str,
        now: DateTime<Utc>,
    ) -> Result<Response, WireError> {
        require(member, Role::Admin, "send test notices")?;
        if !self.config().notify.contains_key(channel) {
            return Err(WireError {
                kind: ErrorKind::NotFound,
                message: format!("no [notify.{channel}] is configured"),
            });
        }
        let notice = Notice {
            kind: NoticeKind::Test,
            at: now,
            title: format!("switchboard test notice for {channel}"),
            body: format!(
                "{} sent this with `switchboard notify test {channel}`: the channel works.",
                actor.user
            ),
            item: None,
            channels: vec![channel.to_string()],
            users: Vec::new(),
        };
        let mut saved = self.save_notice(notice)?;
        let delivery = saved.pop().ok_or_else(|| WireError {
            kind: ErrorKind::Internal,
            message: "the test notice made no delivery".into(),
        })?;
        Ok(Response::Delivery { delivery })
    }

    /// Receives every notice addressed to users (see `EventFeed`).
    pub(super) fn notice_feed(&self) -> tokio::sync::broadcast::Receiver<Notice> {
        self.notices.subscribe()
    }
}
