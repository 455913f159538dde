//! The team's reply rules as configured: what a sent reply does to its item
//! (`[replies] after_send`), which accounts may use Meta's human-agent window
//! (`human_agent = true`), and the check every reply passes before it is queued: the
//! platform's length limit, counted its way, and the messaging window.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::{limits, window};
use crate::config::{AfterSend, Config};
use crate::model::Item;

/// The reply rules of one hub (reloaded with the team).
#[derive(Clone, Debug, Default)]
pub struct ReplyPolicy {
    /// The item's status once the reply is on the platform.
    pub after_send: AfterSend,
    /// Accounts whose app may answer DMs with the `HUMAN_AGENT` tag.
    human_agent: BTreeSet<String>,
}

impl ReplyPolicy {
    pub fn from_config(config: &Config) -> ReplyPolicy {
        ReplyPolicy {
            after_send: config.replies.after_send,
            human_agent: config
                .accounts
                .iter()
                .filter(|a| a.human_agent == Some(true))
                .map(|a| a.name.clone())
                .collect(),
        }
    }

    /// Whether `account` may use the 7-day human-agent window.
    pub fn human_agent(&self, account: &str) -> bool {
        self.human_agent.contains(account)
    }

    /// The messaging window of a reply to `item`, whose customer last wrote at
    /// `last_customer_message`.
    pub fn window(
        &self,
        item: &Item,
        last_customer_message: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> window::Window {
        window::dm_window(
            &item.platform,
            item.kind,
            last_customer_message,
            self.human_agent(&item.account),
            now,
        )
    }

    /// What a client needs to follow the window of a reply to `item` (none when the reply
    /// has no window): sent with the item's detail so the composer can count down.
    pub fn reply_window(
        &self,
        item: &Item,
        last_customer_message: DateTime<Utc>,
    ) -> Option<window::ReplyWindow> {
        window::has_window(&item.platform, item.kind).then(|| window::ReplyWindow {
            last_customer_message,
            human_agent: self.human_agent(&item.account),
        })
    }

    /// Why the platform would refuse `text` as a reply to `item` now, if it would.
    pub fn refusal(
        &self,
        item: &Item,
        text: &str,
        last_customer_message: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<String> {
        let direct = item.kind == crate::model::Kind::Dm;
        let length = limits::measure_reply(&item.platform, direct, text);
        if !length.fits() {
            return Some(format!(
                "the reply is too long for {}: {} (shorten it by {})",
                item.platform,
                length.describe(),
                -length.left().unwrap_or(0)
            ));
        }
        let window = self.window(item, last_customer_message, now);
        if !window.allows_reply() {
            let human_agent = self.human_agent(&item.account);
            return Some(window.refusal(&item.platform, now, human_agent));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ItemId, Kind, NewItem, Platform};
    use chrono::Duration;

    fn item(platform: Platform, kind: Kind, account: &str) -> Item {
        let new: NewItem = serde_json::from_value(serde_json::json!({
            "platform": platform.as_str(), "account": account, "kind": kind,
            "remote_id": "r1", "author": {"id": "a", "handle": "claire", "name": "Claire"},
            "text": "hello", "created_at": Utc::now(),
        }))
        .unwrap();
        Item::from_new(ItemId::generate(), new, Utc::now())
    }

    fn policy(toml: &str) -> ReplyPolicy {
        ReplyPolicy::from_config(&Config::parse(std::path::Path::new("c.toml"), toml).unwrap())
    }

    #[test]
    fn too_long_for_the_platform_is_refused_with_the_count() {
        let policy = ReplyPolicy::default();
        let x = item(Platform::X, Kind::Mention, "acme-x");
        let now = Utc::now();
        let why = policy.refusal(&x, &"日".repeat(141), now, now).unwrap();
        assert_eq!(
            why,
            "the reply is too long for x: 282/280 weighted characters (shorten it by 2)"
        );
        assert_eq!(policy.refusal(&x, &"a".repeat(280), now, now), None);
    }

    #[test]
    fn a_dm_outside_the_window_is_refused_unless_the_account_is_a_human_agent() {
        let config = "[[accounts]]\nname = \"acme-fb\"\nplatform = \"facebook\"\n\
                      human_agent = true\n";
        let dm = item(Platform::Facebook, Kind::Dm, "acme-fb");
        let now = Utc::now();
        let two_days_ago = now - Duration::days(2);
        assert_eq!(policy(config).refusal(&dm, "hi", two_days_ago, now), None);
        let why = policy("").refusal(&dm, "hi", two_days_ago, now).unwrap();
        assert!(why.contains("within 24 hours"), "{why}");
        let basis = policy(config).reply_window(&dm, two_days_ago).unwrap();
        assert!(basis.human_agent && basis.at(now).allows_reply());
        let public = item(Platform::Facebook, Kind::Comment, "acme-fb");
        assert_eq!(policy(config).reply_window(&public, now), None);
        assert_eq!(
            policy("[replies]\nafter_send = \"pending\"\n").after_send,
            AfterSend::Pending
        );
    }
}
