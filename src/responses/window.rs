//! Meta's messaging windows: when a page may still answer a direct message.
//!
//! Messenger and Instagram let a business answer a person's message within **24 hours** of
//! that person's last message (`messaging_type=RESPONSE`). Up to **7 days** it may still
//! answer with the `HUMAN_AGENT` tag, when the account enables it (`human_agent = true` in
//! its `[[accounts]]`: Meta grants the permission per app). Past that the platform refuses,
//! so the composer shows the time left and the hub refuses to queue the reply.
//! Other platforms and public replies have no window.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Kind, Platform};

/// The standard messaging window after a customer's message.
pub const STANDARD: Duration = Duration::hours(24);
/// The human-agent window, for accounts that may use the `HUMAN_AGENT` tag.
pub const HUMAN_AGENT: Duration = Duration::days(7);

/// Whether a reply may be sent now, and until when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Window {
    /// The platform sets no window on this reply.
    None,
    /// Open until `closes_at`; `human_agent` when only the tagged window is left.
    Open {
        closes_at: DateTime<Utc>,
        human_agent: bool,
    },
    /// Closed since `closed_at`.
    Closed { closed_at: DateTime<Utc> },
}

impl Window {
    /// Whether a reply may be sent now.
    pub fn allows_reply(&self) -> bool {
        !matches!(self, Window::Closed { .. })
    }

    /// A short line for the composer ("DM window: 3h 12m left"), if there is a window.
    pub fn describe(&self, now: DateTime<Utc>) -> Option<String> {
        match self {
            Window::None => None,
            Window::Open {
                closes_at,
                human_agent: false,
            } => Some(format!("messaging window: {} left", span(*closes_at - now))),
            Window::Open { closes_at, .. } => Some(format!(
                "messaging window: {} left with the HUMAN_AGENT tag",
                span(*closes_at - now)
            )),
            Window::Closed { closed_at } => Some(format!(
                "messaging window closed {} ago",
                span(now - *closed_at)
            )),
        }
    }

    /// Why the hub refuses a reply outside the window.
    pub fn refusal(&self, platform: &Platform, now: DateTime<Utc>, human_agent: bool) -> String {
        let allowed = if human_agent {
            "within 7 days of the customer's last message (with the HUMAN_AGENT tag)"
        } else {
            "within 24 hours of the customer's last message (7 days needs `human_agent = true` \
             on the account)"
        };
        let closed = self.describe(now).unwrap_or_default();
        format!("{closed}: {platform} accepts a reply to a direct message only {allowed}")
    }
}

/// What a client needs to follow a DM's window as time passes: when the customer last
/// wrote, and whether the account may use the human-agent tag (which only the hub's config
/// says). The hub sends it with the item's detail; the composer asks it for the window now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyWindow {
    pub last_customer_message: DateTime<Utc>,
    pub human_agent: bool,
}

impl ReplyWindow {
    /// The window at `now`.
    pub fn at(&self, now: DateTime<Utc>) -> Window {
        open_or_closed(self.last_customer_message, self.human_agent, now)
    }

    /// Why a reply is refused at `now`, if it is.
    pub fn refusal(&self, platform: &Platform, now: DateTime<Utc>) -> Option<String> {
        let window = self.at(now);
        match window.allows_reply() {
            true => None,
            false => Some(window.refusal(platform, now, self.human_agent)),
        }
    }
}

/// Whether a platform's direct messages have a window at all.
pub fn has_window(platform: &Platform, kind: Kind) -> bool {
    kind == Kind::Dm && matches!(platform, Platform::Facebook | Platform::Instagram)
}

/// The window of a reply to a DM whose customer last wrote at `last_customer_message`.
pub fn dm_window(
    platform: &Platform,
    kind: Kind,
    last_customer_message: DateTime<Utc>,
    human_agent: bool,
    now: DateTime<Utc>,
) -> Window {
    if !has_window(platform, kind) {
        return Window::None;
    }
    open_or_closed(last_customer_message, human_agent, now)
}

/// The window after a customer's message, for a reply that has one.
fn open_or_closed(
    last_customer_message: DateTime<Utc>,
    human_agent: bool,
    now: DateTime<Utc>,
) -> Window {
    let standard = last_customer_message + STANDARD;
    if now < standard {
        return Window::Open {
            closes_at: standard,
            human_agent: false,
        };
    }
    let tagged = last_customer_message + HUMAN_AGENT;
    if human_agent && now < tagged {
        return Window::Open {
            closes_at: tagged,
            human_agent: true,
        };
    }
    Window::Closed {
        closed_at: if human_agent { tagged } else { standard },
    }
}

/// "3h 12m", "2d 4h", "45m", "30s".
fn span(d: Duration) -> String {
    let secs = d.num_seconds().max(0);
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::hours(1_000_000) + Duration::hours(h)
    }

    #[test]
    fn only_meta_dms_have_a_window() {
        assert_eq!(
            dm_window(&Platform::Facebook, Kind::Comment, at(0), false, at(100)),
            Window::None
        );
        assert_eq!(
            dm_window(&Platform::X, Kind::Dm, at(0), false, at(100)),
            Window::None
        );
        assert!(has_window(&Platform::Instagram, Kind::Dm));
    }

    #[test]
    fn the_standard_window_is_24_hours() {
        let open = dm_window(&Platform::Facebook, Kind::Dm, at(0), false, at(21));
        assert_eq!(
            open,
            Window::Open {
                closes_at: at(24),
                human_agent: false
            }
        );
        assert_eq!(
            open.describe(at(21)).unwrap(),
            "messaging window: 3h 0m left"
        );
        let closed = dm_window(&Platform::Facebook, Kind::Dm, at(0), false, at(26));
        assert!(!closed.allows_reply());
        assert_eq!(
            closed.describe(at(26)).unwrap(),
            "messaging window closed 2h 0m ago"
        );
        assert!(closed
            .refusal(&Platform::Facebook, at(26), false)
            .contains("within 24 hours"));
    }

    #[test]
    fn human_agent_accounts_get_seven_days() {
        let tagged = dm_window(&Platform::Instagram, Kind::Dm, at(0), true, at(48));
        assert_eq!(
            tagged,
            Window::Open {
                closes_at: at(168),
                human_agent: true
            }
        );
        assert!(tagged.describe(at(48)).unwrap().contains("HUMAN_AGENT"));
        let closed = dm_window(&Platform::Instagram, Kind::Dm, at(0), true, at(169));
        assert_eq!(closed, Window::Closed { closed_at: at(168) });
    }

    #[test]
    fn a_reply_window_follows_the_clock() {
        let basis = ReplyWindow {
            last_customer_message: at(0),
            human_agent: false,
        };
        assert_eq!(
            basis.at(at(20)),
            dm_window(&Platform::Facebook, Kind::Dm, at(0), false, at(20))
        );
        assert_eq!(basis.refusal(&Platform::Facebook, at(20)), None);
        assert!(basis
            .refusal(&Platform::Facebook, at(25))
            .unwrap()
            .starts_with("messaging window closed 1h 0m ago"));
        let tagged = ReplyWindow {
            human_agent: true,
            ..basis
        };
        assert!(tagged.at(at(25)).allows_reply());
    }
}
