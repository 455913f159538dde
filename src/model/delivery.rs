//! A [`Delivery`]: one notice on its way to one `[notify.NAME]` channel, kept in the store
//! from the moment the notice is raised until the channel took it or delivery gave up, so a
//! restarted hub resumes what was pending and `doctor` can say what failed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ItemId, Notice};

/// Where one delivery stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its first attempt, or for its next one at `retry_at`.
    Pending {
        #[serde(default)]
        retry_at: Option<DateTime<Utc>>,
    },
    /// The channel's receiver took it.
    Delivered { at: DateTime<Utc> },
    /// Given up: the last attempt's reason.
    Failed { reason: String, at: DateTime<Utc> },
}

impl DeliveryState {
    pub fn name(&self) -> &'static str {
        match self {
            DeliveryState::Pending { .. } => "pending",
            DeliveryState::Delivered { .. } => "delivered",
            DeliveryState::Failed { .. } => "failed",
        }
    }

    /// Whether delivery is over (delivered or failed).
    pub fn is_settled(&self) -> bool {
        !matches!(self, DeliveryState::Pending { .. })
    }
}

/// One notice for one channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// A ULID: deliveries sort by when they were raised.
    pub id: ItemId,
    /// The `[notify.NAME]` channel.
    pub channel: String,
    pub notice: Notice,
    #[serde(flatten)]
    pub state: DeliveryState,
    /// Attempts made so far.
    #[serde(default)]
    pub attempts: u32,
    /// Why the last attempt failed, if it did (kept after a later success too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Delivery {
    /// A new pending delivery of `notice` to `channel`.
    pub fn new(channel: &str, notice: Notice, now: DateTime<Utc>) -> Delivery {
        Delivery {
            id: ItemId::generate(),
            channel: channel.to_string(),
            notice,
            state: DeliveryState::Pending { retry_at: None },
            attempts: 0,
            last_error: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// Whether an attempt is due at `now`.
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        match &self.state {
            DeliveryState::Pending { retry_at } => retry_at.is_none_or(|t| t <= now),
            _ => false,
        }
    }
}

/// How one channel's deliveries stand, for `doctor` and `notify list`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelHealth {
    pub channel: String,
    pub delivered: u64,
    pub pending: u64,
    pub failed: u64,
    /// The newest error any attempt on this channel met, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

impl ChannelHealth {
    /// The health of every channel in `deliveries` (oldest first), by channel name; the
    /// configured `channels` appear even with no delivery yet.
    pub fn tally<'a>(
        channels: impl IntoIterator<Item = &'a String>,
        deliveries: &[Delivery],
    ) -> Vec<ChannelHealth> {
        let mut by_name = std::collections::BTreeMap::<String, ChannelHealth>::new();
        for channel in channels {
            by_name.entry(channel.clone()).or_default();
        }
        for delivery in deliveries {
            let health = by_name.entry(delivery.channel.clone()).or_default();
            match delivery.state {
                DeliveryState::Pending { .. } => health.pending += 1,
                DeliveryState::Delivered { .. } => health.delivered += 1,
                DeliveryState::Failed { .. } => health.failed += 1,
            }
            if delivery.last_error.is_some() {
                health.last_error.clone_from(&delivery.last_error);
            }
        }
        by_name
            .into_iter()
            .map(|(channel, health)| ChannelHealth { channel, ..health })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NoticeKind;

    fn notice() -> Notice {
        Notice {
            kind: NoticeKind::Escalated,
            at: Utc::now(),
            title: "t".into(),
            body: String::new(),
            item: None,
            channels: vec!["a".into()],
            users: Vec::new(),
        }
    }

    #[test]
    fn tally_counts_states_and_keeps_the_newest_error() {
        let now = Utc::now();
        let mut failed = Delivery::new("a", notice(), now);
        failed.state = DeliveryState::Failed {
            reason: "500".into(),
            at: now,
        };
        failed.last_error = Some("old".into());
        let mut retried = Delivery::new("a", notice(), now);
        retried.last_error = Some("new".into());
        let mut done = Delivery::new("b", notice(), now);
        done.state = DeliveryState::Delivered { at: now };
        let quiet = "c".to_string();
        let health = ChannelHealth::tally([&quiet], &[failed, retried, done]);
        let names: Vec<&str> = health.iter().map(|h| h.channel.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!((health[0].failed, health[0].pending), (1, 1));
        assert_eq!(health[0].last_error.as_deref(), Some("new"));
        assert_eq!(health[1].delivered, 1);
        assert_eq!(
            health[2],
            ChannelHealth {
                channel: "c".into(),
                ..Default::default()
            }
        );
    }

    #[test]
    fn a_delivery_round_trips_as_json() {
        let mut d = Delivery::new("a", notice(), Utc::now());
        d.state = DeliveryState::Pending {
            retry_at: Some(Utc::now()),
        };
        let back: Delivery = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d);
    }
}
