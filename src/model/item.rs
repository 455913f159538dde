//! The one normalized item every platform's comments, DMs and mentions become.
//!
//! [`NewItem`] is what a connector (or `import`) reads from a platform: content only.
//! [`Item`] is what the store keeps: that content plus the team's triage state. Keeping the
//! two apart means a re-sync of the same remote item can refresh content without ever
//! overwriting a status, tag or assignment a person set.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ItemId, Status};

/// The social platform an item came from. Unknown names are kept as they are, so a platform
/// without a connector can still be brought in with `import`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Platform {
    Mastodon,
    Bluesky,
    X,
    Facebook,
    Instagram,
    Youtube,
    Other(String),
}

impl Platform {
    pub const KNOWN: [Platform; 6] = [
        Platform::Mastodon,
        Platform::Bluesky,
        Platform::X,
        Platform::Facebook,
        Platform::Instagram,
        Platform::Youtube,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            Platform::Mastodon => "mastodon",
            Platform::Bluesky => "bluesky",
            Platform::X => "x",
            Platform::Facebook => "facebook",
            Platform::Instagram => "instagram",
            Platform::Youtube => "youtube",
            Platform::Other(name) => name,
        }
    }

    /// A short badge for one-line views.
    pub fn badge(&self) -> &str {
        match self {
            Platform::Mastodon => "MA",
            Platform::Bluesky => "BS",
            Platform::X => "X ",
            Platform::Facebook => "FB",
            Platform::Instagram => "IG",
            Platform::Youtube => "YT",
            Platform::Other(_) => "??",
        }
    }
}

impl From<String> for Platform {
    fn from(s: String) -> Self {
        let lower = s.trim().to_ascii_lowercase();
        let alias = match lower.as_str() {
            "twitter" => "x",
            "fb" => "facebook",
            "ig" => "instagram",
            "yt" => "youtube",
            "bsky" => "bluesky",
            other => other,
        };
        Platform::KNOWN
            .into_iter()
            .find(|p| p.as_str() == alias)
            .unwrap_or(Platform::Other(lower))
    }
}

impl From<Platform> for String {
    fn from(p: Platform) -> String {
        p.as_str().to_string()
    }
}

impl FromStr for Platform {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Platform::from(s.to_string()))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of conversation an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A public comment or reply on one of the brand's posts.
    Comment,
    /// A private or direct message.
    Dm,
    /// A public post that names the brand.
    Mention,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Comment, Kind::Dm, Kind::Mention];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Comment => "comment",
            Kind::Dm => "dm",
            Kind::Mention => "mention",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown kind '{s}' (expected comment, dm or mention)"))
    }
}

/// How urgent an item is. Ordered: `Urgent` is the greatest.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    /// A byte that sorts the most urgent first inside index keys.
    pub fn index_byte(self) -> u8 {
        3 - self as u8
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Priority {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Priority::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown priority '{s}' (expected low, normal, high or urgent)"))
    }
}

/// Who wrote an item, as the platform names them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// The platform's stable id for the account.
    #[serde(default)]
    pub id: String,
    /// The handle, without a leading `@`.
    #[serde(default)]
    pub handle: String,
    /// The display name.
    #[serde(default)]
    pub name: String,
}

/// A note a team member left on an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub at: DateTime<Utc>,
    pub by: String,
    pub text: String,
}

/// An item as read from a platform (or an import line): content, no triage state.
///
/// The triage fields at the end are only honoured when the item is new to the store (an
/// import restoring a backup); a re-sync never overwrites what people decided.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewItem {
    pub platform: Platform,
    /// The configured account (e.g. `acme-mastodon`) the item arrived on.
    pub account: String,
    pub kind: Kind,
    /// The platform's id for this post, comment or message.
    pub remote_id: String,
    /// The conversation it belongs to (root post id, DM conversation id).
    #[serde(default)]
    pub thread_id: Option<String>,
    /// The remote id of what it answers.
    #[serde(default)]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub author: Author,
    /// The text exactly as received: never sanitized in the store.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub lang: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub url: Option<String>,
    /// True when the brand itself wrote it (our earlier replies, our posts).
    #[serde(default)]
    pub from_brand: bool,
    /// The platform's payload, kept for audit and re-parsing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<serde_json::Value>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub tags: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
}

/// A stored item: platform content plus the team's triage state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: ItemId,
    pub platform: Platform,
    pub account: String,
    pub kind: Kind,
    pub remote_id: String,
    pub thread_id: Option<String>,
    pub parent_id: Option<String>,
    pub author: Author,
    pub text: String,
    #[serde(default)]
    pub lang: Option<String>,
    pub created_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub url: Option<String>,
    #[serde(default)]
    pub from_brand: bool,

    pub status: Status,
    pub priority: Priority,
    /// Why the item has its priority (set when it arrived: `triage::priority` and rules).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub priority_why: Vec<String>,
    pub tags: BTreeSet<String>,
    pub assignee: Option<String>,
    /// What is due next under the SLA (`triage::sla`): the first response, then the
    /// resolution; none once resolved.
    #[serde(default)]
    pub sla_due: Option<DateTime<Utc>>,
    /// When the SLA clock started: arrival, or the last reopening.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla_since: Option<DateTime<Utc>>,
    /// When our first reply reached the platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_response_at: Option<DateTime<Utc>>,
    /// Hidden from the active queue until this time.
    #[serde(default)]
    pub snoozed_until: Option<DateTime<Utc>>,
    #[serde(default)]
    pub notes: Vec<Note>,
    /// When the item last changed in any way.
    #[serde(default = "epoch")]
    pub updated_at: DateTime<Utc>,
    /// Bumped on every change: lets a client see that someone changed an item it shows.
    #[serde(default)]
    pub version: u64,
    /// The platform payload; only filled when asked for (`show --json`, `export`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<serde_json::Value>,
}

fn epoch() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

impl Item {
    /// A new stored item from platform content, received now.
    pub fn from_new(id: ItemId, new: NewItem, received_at: DateTime<Utc>) -> Item {
        Item {
            id,
            platform: new.platform,
            account: new.account,
            kind: new.kind,
            remote_id: new.remote_id,
            thread_id: new.thread_id,
            parent_id: new.parent_id,
            author: new.author,
            text: new.text,
            lang: new.lang,
            created_at: new.created_at,
            received_at,
            url: new.url,
            from_brand: new.from_brand,
            // The brand's own posts and replies are context for threads, never work to do.
            status: new.status.unwrap_or(if new.from_brand {
                Status::Resolved
            } else {
                Status::New
            }),
            priority: new.priority.unwrap_or_default(),
            priority_why: Vec::new(),
            tags: new.tags,
            assignee: new.assignee,
            sla_due: None,
            sla_since: None,
            first_response_at: None,
            snoozed_until: None,
            notes: Vec::new(),
            updated_at: received_at,
            version: 1,
            raw: new.raw,
        }
    }

    /// Refreshes platform content from a later sight of the same remote item. Returns whether
    /// anything changed. Triage state is left alone.
    pub fn refresh_content(&mut self, new: NewItem) -> bool {
        let before = (
            &self.text,
            &self.author,
            &self.thread_id,
            &self.parent_id,
            &self.lang,
            &self.url,
            &self.raw,
        );
        let changed = before
            != (
                &new.text,
                &new.author,
                &new.thread_id,
                &new.parent_id,
                &new.lang,
                &new.url,
                &new.raw,
            )
            || self.created_at != new.created_at
            || self.kind != new.kind;
        if changed {
            self.text = new.text;
            self.author = new.author;
            self.thread_id = new.thread_id;
            self.parent_id = new.parent_id;
            self.lang = new.lang;
            self.url = new.url;
            self.raw = new.raw;
            self.created_at = new.created_at;
            self.kind = new.kind;
        }
        changed
    }

    /// The thread key: the thread id when the platform gave one, else the item's own remote id.
    pub fn thread_key(&self) -> &str {
        self.thread_id.as_deref().unwrap_or(&self.remote_id)
    }

    /// The first line of the text, for one-line views (still unsanitized).
    pub fn first_line(&self) -> &str {
        self.text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
    }

    /// Changes the status through the transition rules. Returns whether it changed.
    pub fn set_status(&mut self, to: Status) -> Result<bool, super::TransitionError> {
        Ok(match self.status.transition(to)? {
            Some(next) => {
                self.status = next;
                if next != Status::Open || self.snoozed_until.is_some() {
                    self.snoozed_until = None;
                }
                true
            }
            None => false,
        })
    }

    /// True while a snooze hides the item from the active queue.
    pub fn is_snoozed(&self, now: DateTime<Utc>) -> bool {
        self.snoozed_until.is_some_and(|t| t > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> NewItem {
        NewItem {
            platform: Platform::Mastodon,
            account: "acme-masto".into(),
            kind: Kind::Mention,
            remote_id: "1001".into(),
            thread_id: Some("1000".into()),
            parent_id: Some("1000".into()),
            author: Author {
                id: "42".into(),
                handle: "claire@example.social".into(),
                name: "Claire".into(),
            },
            text: "Where is my order?".into(),
            lang: Some("en".into()),
            created_at: "2026-11-20T10:00:00Z".parse().unwrap(),
            url: None,
            from_brand: false,
            raw: None,
            status: None,
            priority: None,
            tags: BTreeSet::new(),
            assignee: None,
        }
    }

    #[test]
    fn platform_names_and_aliases() {
        assert_eq!(Platform::from("Twitter".to_string()), Platform::X);
        assert_eq!(Platform::from("bsky".to_string()), Platform::Bluesky);
        assert_eq!(
            Platform::from("Threads".to_string()),
            Platform::Other("threads".into())
        );
        let json = serde_json::to_string(&Platform::Youtube).unwrap();
        assert_eq!(json, "\"youtube\"");
    }

    #[test]
    fn refresh_keeps_triage_state() {
        let mut item = Item::from_new(ItemId::generate(), sample(), Utc::now());
        item.set_status(Status::Resolved).unwrap();
        item.tags.insert("vip".into());
        let mut again = sample();
        again.status = Some(Status::New);
        assert!(!item.refresh_content(again.clone()));
        again.text = "Where is my order? (edited)".into();
        assert!(item.refresh_content(again));
        assert_eq!(item.status, Status::Resolved);
        assert!(item.tags.contains("vip"));
        assert_eq!(item.text, "Where is my order? (edited)");
    }

    #[test]
    fn the_brands_own_items_are_context_not_work() {
        let mut ours = sample();
        ours.from_brand = true;
        let item = Item::from_new(ItemId::generate(), ours, Utc::now());
        assert_eq!(item.status, Status::Resolved);
        let theirs = Item::from_new(ItemId::generate(), sample(), Utc::now());
        assert_eq!(theirs.status, Status::New);
    }

    #[test]
    fn priority_orders_urgent_first_in_index() {
        assert!(Priority::Urgent > Priority::Low);
        assert!(Priority::Urgent.index_byte() < Priority::Low.index_byte());
    }
}
