//! A Mastodon status → a [`NewItem`]: which kind of conversation it is, its DM thread key,
//! its author and its plain text. The thread root of a public reply is found by the caller
//! (`threads`), which may need the server.
//!
//! Kinds, for a status someone else wrote: `direct` visibility is a DM; a status answering
//! one of the brand's statuses (`in_reply_to_account_id` is the brand, or the parent is known
//! to be the brand's) is a comment; any other mention is a mention. The brand's own statuses
//! (context in threads) are DMs when direct and comments otherwise, wherever they are read,
//! so an item never changes kind between a sync, a thread fetch and a sent reply.
//!
//! The DM thread key is `dm:` and the sorted ids of the accounts in the DM other than the
//! brand (author and mentioned accounts). It can be computed from any one status of the
//! conversation, read from a notification, a conversation or a context, without a request,
//! and it does not move: Mastodon's conversation id is not stable on the test server (it is
//! the latest status id there), and a root status id would need the whole reply chain.
//! A returning customer's DMs therefore land in one thread, as on the other platforms.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::html;
use super::payload::{read, Status, Visibility};
use crate::connectors::PayloadProblem;
use crate::model::{Author, Kind, NewItem, Platform};

/// The account the connector acts as (from `verify_credentials`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Brand {
    pub id: String,
    pub handle: String,
}

/// A status that can become an item: it has an id.
#[derive(Clone, Debug)]
pub struct Post {
    pub id: String,
    pub status: Status,
    pub raw: Value,
}

impl Post {
    /// Reads a status payload; `what` names where it came from, for the problem.
    pub fn read(raw: &Value, what: &str) -> Result<Post, PayloadProblem> {
        let status: Status = read(raw).ok_or_else(|| {
            PayloadProblem::new(format!("{what}: not a status"), &raw.to_string())
        })?;
        let id = status
            .id
            .clone()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                PayloadProblem::new(format!("{what}: status without an id"), &raw.to_string())
            })?;
        Ok(Post {
            id,
            status,
            raw: raw.clone(),
        })
    }

    pub fn visibility(&self) -> Visibility {
        Visibility::of(&self.status)
    }

    pub fn is_dm(&self) -> bool {
        self.visibility() == Visibility::Direct
    }

    pub fn author_id(&self) -> Option<&str> {
        self.status.account.as_ref()?.id.as_deref()
    }

    pub fn by(&self, brand: &Brand) -> bool {
        self.author_id() == Some(brand.id.as_str())
    }

    /// The DM thread key (see the module doc); `None` for a DM with no one but the brand.
    pub fn dm_thread(&self, brand: &Brand) -> Option<String> {
        let mut people: Vec<&str> = self
            .author_id()
            .into_iter()
            .chain(self.status.mentions.iter().filter_map(|m| m.id.as_deref()))
            .filter(|id| *id != brand.id && !id.is_empty())
            .collect();
        people.sort_unstable();
        people.dedup();
        (!people.is_empty()).then(|| format!("dm:{}", people.join(",")))
    }

    /// The kind of conversation; `parent_by_brand` when the parent is known to be the brand's.
    pub fn kind(&self, brand: &Brand, parent_by_brand: bool) -> Kind {
        if self.is_dm() {
            Kind::Dm
        } else if self.by(brand)
            || parent_by_brand
            || self.status.in_reply_to_account_id.as_deref() == Some(brand.id.as_str())
        {
            Kind::Comment
        } else {
            Kind::Mention
        }
    }

    /// The item, in `thread`; `fallback_time` when the status has no readable time.
    pub fn item(
        &self,
        account: &str,
        brand: &Brand,
        kind: Kind,
        thread: String,
        fallback_time: DateTime<Utc>,
    ) -> NewItem {
        let status = &self.status;
        let author = status.account.clone().unwrap_or_default();
        NewItem {
            platform: Platform::Mastodon,
            account: account.to_string(),
            kind,
            remote_id: self.id.clone(),
            thread_id: Some(thread),
            parent_id: status.in_reply_to_id.clone(),
            author: Author {
                id: author.id.clone().unwrap_or_default(),
                handle: author.handle(),
                name: author.display_name.clone().unwrap_or_default(),
            },
            text: text(status),
            lang: status.language.clone().filter(|l| !l.is_empty()),
            created_at: parse_time(status.created_at.as_deref()).unwrap_or(fallback_time),
            url: status.url.clone().or_else(|| status.uri.clone()),
            from_brand: self.by(brand),
            raw: Some(self.raw.clone()),
            status: None,
            priority: None,
            tags: Default::default(),
            assignee: None,
        }
    }
}

/// A time as Mastodon writes it (RFC 3339).
pub fn parse_time(text: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The text a person reads: the content warning, the body as plain text (the source `text`
/// when there is no HTML), and a line per attachment.
pub fn text(status: &Status) -> String {
    let mut parts = Vec::new();
    if let Some(warning) = status.spoiler_text.as_deref().map(str::trim) {
        if !warning.is_empty() {
            parts.push(format!("CW: {warning}"));
        }
    }
    let body = match (&status.content, &status.text) {
        (Some(html), _) => html::to_text(html),
        (None, Some(source)) => source.clone(),
        (None, None) => String::new(),
    };
    if !body.is_empty() {
        parts.push(body);
    }
    let attachments: Vec<String> = status
        .media_attachments
        .iter()
        .map(|a| {
            let kind = a.kind.as_deref().unwrap_or("attachment");
            let mut line = match a.description.as_deref().map(str::trim) {
                Some(d) if !d.is_empty() => format!("[{kind}: {d}]"),
                _ => format!("[{kind}]"),
            };
            if let Some(url) = &a.url {
                line.push(' ');
                line.push_str(url);
            }
            line
        })
        .collect();
    if !attachments.is_empty() {
        parts.push(attachments.join("\n"));
    }
    parts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn brand() -> Brand {
        Brand {
            id: "1".into(),
            handle: "brand".into(),
        }
    }

    fn post(value: Value) -> Post {
        Post::read(&value, "test").unwrap()
    }

    #[test]
    fn kinds_follow_visibility_and_who_is_answered() {
        let b = brand();
        let mention = post(json!({"id": "10", "account": {"id": "2"}, "visibility": "public"}));
        assert_eq!(mention.kind(&b, false), Kind::Mention);
        assert_eq!(mention.kind(&b, true), Kind::Comment);
        let reply = post(
            json!({"id": "11", "account": {"id": "2"}, "in_reply_to_id": "5", "in_reply_to_account_id": "1"}),
        );
        assert_eq!(reply.kind(&b, false), Kind::Comment);
        let dm = post(
            json!({"id": "12", "account": {"id": "2"}, "visibility": "direct", "in_reply_to_account_id": "1"}),
        );
        assert_eq!(dm.kind(&b, false), Kind::Dm);
        let ours = post(json!({"id": "13", "account": {"id": "1"}, "in_reply_to_account_id": "2"}));
        assert_eq!(ours.kind(&b, false), Kind::Comment);
        assert!(ours.by(&b));
    }

    #[test]
    fn dm_threads_are_the_people_in_them_but_the_brand() {
        let b = brand();
        let from = post(
            json!({"id": "12", "account": {"id": "3"}, "visibility": "direct",
            "mentions": [{"id": "1"}, {"id": "2"}]}),
        );
        let ours = post(
            json!({"id": "13", "account": {"id": "1"}, "visibility": "direct",
            "mentions": [{"id": "2"}, {"id": "3"}]}),
        );
        assert_eq!(from.dm_thread(&b).as_deref(), Some("dm:2,3"));
        assert_eq!(ours.dm_thread(&b), from.dm_thread(&b));
        let alone = post(json!({"id": "14", "account": {"id": "1"}, "visibility": "direct"}));
        assert_eq!(alone.dm_thread(&b), None);
    }

    #[test]
    fn unreadable_statuses_are_problems_and_odd_ones_items() {
        let problem = Post::read(&json!({"content": "<p>x</p>"}), "notification 7").unwrap_err();
        assert_eq!(problem.reason, "notification 7: status without an id");
        assert!(Post::read(&json!([1]), "x").is_err());
        let odd = post(
            json!({"id": "9", "created_at": "yesterday", "content": {"html": 1},
            "spoiler_text": "food", "media_attachments": [{"type": "image", "url": "https://m.example/a.png", "description": "a box"}]}),
        );
        let at: DateTime<Utc> = "2026-08-01T13:50:00Z".parse().unwrap();
        let item = odd.item("acme", &brand(), Kind::Mention, "9".into(), at);
        assert_eq!(item.created_at, at);
        assert_eq!(
            item.text,
            "CW: food\n\n[image: a box] https://m.example/a.png"
        );
        assert_eq!(item.author, Author::default());
        assert_eq!(item.raw.as_ref().unwrap()["content"]["html"], 1);
    }
}
