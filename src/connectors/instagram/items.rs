//! Instagram payloads as items:
//!
//! - a comment on the account's media: `Kind::Comment`, thread = the media, parent = the
//!   comment it answers (a reply) or the media (a top-level comment);
//! - the account's own media (the parent of its comments): `Kind::Comment`, from the brand;
//! - a media that tags the account, or a comment that @mentions it: `Kind::Mention`, thread =
//!   that media;
//! - a DM: `Kind::Dm`, thread = the conversation.
//!
//! The brand is the account's id (`ig_user_id`) or its username; the text is kept exactly as
//! received, the payload as `raw`. A timestamp that is there but unreadable makes the entry a
//! problem; a missing one (a recording that did not ask for it) is read as "now".

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::payload::{Comment, Media, Message, Person};
use crate::connectors::graph::time;
use crate::connectors::PayloadProblem;
use crate::model::{Author, Kind, NewItem, Platform};

/// The account itself.
#[derive(Clone, Debug, Default)]
pub struct Brand {
    pub id: String,
    pub username: Option<String>,
}

impl Brand {
    /// Whether `person` (or a bare `username`) is the account.
    pub fn is(&self, person: Option<&Person>, username: Option<&str>) -> bool {
        let id = person.and_then(|p| p.id.as_deref());
        let name = username.or_else(|| person.and_then(|p| p.username.as_deref()));
        id == Some(self.id.as_str())
            || matches!((name, self.username.as_deref()), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
    }
}

/// Makes items for one account.
pub struct Maker<'a> {
    pub account: &'a str,
    pub brand: &'a Brand,
    pub now: DateTime<Utc>,
}

impl Maker<'_> {
    /// A comment (or reply) on `media`.
    pub fn comment(
        &self,
        comment: &Comment,
        media: &str,
        raw: &Value,
    ) -> Result<NewItem, PayloadProblem> {
        let parent = comment
            .parent_id
            .clone()
            .unwrap_or_else(|| media.to_string());
        let mut item = self.base(
            Kind::Comment,
            &comment.id,
            comment.timestamp.as_deref(),
            raw,
        )?;
        item.thread_id = Some(media.to_string());
        item.parent_id = Some(parent);
        item.author = author(comment.from.as_ref(), comment.username.as_deref());
        item.text = comment.text.clone().unwrap_or_default();
        item.from_brand = self
            .brand
            .is(comment.from.as_ref(), comment.username.as_deref());
        Ok(item)
    }

    /// A comment that @mentions the account, on someone's media.
    pub fn mentioned_comment(
        &self,
        comment: &Comment,
        raw: &Value,
    ) -> Result<NewItem, PayloadProblem> {
        let media = comment.media.as_ref().and_then(|m| m.id.clone());
        let mut item = self.comment(comment, media.as_deref().unwrap_or(&comment.id), raw)?;
        item.kind = Kind::Mention;
        if media.is_none() {
            item.parent_id = None;
        }
        Ok(item)
    }

    /// The account's own media, the root of its comment threads.
    pub fn own_media(&self, media: &Media, raw: &Value) -> Result<NewItem, PayloadProblem> {
        let mut item = self.media(Kind::Comment, media, raw)?;
        item.from_brand = true;
        item.author = Author {
            id: self.brand.id.clone(),
            handle: media.username.clone().unwrap_or_default(),
            name: media.username.clone().unwrap_or_default(),
        };
        Ok(item)
    }

    /// A media that tags the account.
    pub fn tagging_media(&self, media: &Media, raw: &Value) -> Result<NewItem, PayloadProblem> {
        let mut item = self.media(Kind::Mention, media, raw)?;
        item.author = author(None, media.username.as_deref());
        item.from_brand = self.brand.is(None, media.username.as_deref());
        Ok(item)
    }

    /// A DM of `conversation`.
    pub fn message(
        &self,
        message: &Message,
        conversation: &str,
        raw: &Value,
    ) -> Result<NewItem, PayloadProblem> {
        let mut item = self.base(Kind::Dm, &message.id, message.created_time.as_deref(), raw)?;
        item.thread_id = Some(conversation.to_string());
        item.author = author(message.from.as_ref(), None);
        item.text = message.message.clone().unwrap_or_default();
        item.from_brand = self.brand.is(message.from.as_ref(), None);
        Ok(item)
    }

    /// Our own reply or message as the platform took it, written now.
    pub fn ours(
        &self,
        kind: Kind,
        id: &str,
        text: &str,
        thread: Option<&str>,
        parent: Option<&str>,
    ) -> NewItem {
        let raw = serde_json::json!({"id": id, "text": text});
        let mut item = self.blank(kind, id, self.now, &raw);
        item.thread_id = thread.map(str::to_string);
        item.parent_id = parent.map(str::to_string);
        item.text = text.to_string();
        item.from_brand = true;
        item.author = Author {
            id: self.brand.id.clone(),
            handle: self.brand.username.clone().unwrap_or_default(),
            name: self.brand.username.clone().unwrap_or_default(),
        };
        item
    }

    fn media(&self, kind: Kind, media: &Media, raw: &Value) -> Result<NewItem, PayloadProblem> {
        let mut item = self.base(kind, &media.id, media.timestamp.as_deref(), raw)?;
        item.thread_id = Some(media.id.clone());
        item.text = media.caption.clone().unwrap_or_default();
        item.url = media.permalink.clone();
        Ok(item)
    }

    fn base(
        &self,
        kind: Kind,
        id: &str,
        timestamp: Option<&str>,
        raw: &Value,
    ) -> Result<NewItem, PayloadProblem> {
        let created_at = match timestamp {
            None => self.now,
            Some(text) => time::parse(text).ok_or_else(|| {
                PayloadProblem::new(
                    format!("instagram {kind} {id}: unreadable timestamp"),
                    &raw.to_string(),
                )
            })?,
        };
        Ok(self.blank(kind, id, created_at, raw))
    }

    /// An item of this account with nothing read yet.
    fn blank(&self, kind: Kind, id: &str, created_at: DateTime<Utc>, raw: &Value) -> NewItem {
        NewItem {
            platform: Platform::Instagram,
            account: self.account.to_string(),
            kind,
            remote_id: id.to_string(),
            thread_id: None,
            parent_id: None,
            author: Author::default(),
            text: String::new(),
            lang: None,
            created_at,
            url: None,
            from_brand: false,
            raw: Some(raw.clone()),
            status: None,
            priority: None,
            tags: Default::default(),
            assignee: None,
        }
    }
}

fn author(person: Option<&Person>, username: Option<&str>) -> Author {
    let handle = username
        .or_else(|| person.and_then(|p| p.username.as_deref()))
        .unwrap_or_default()
        .to_string();
    Author {
        id: person.and_then(|p| p.id.clone()).unwrap_or_default(),
        name: handle.clone(),
        handle,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectors::instagram::payload::entry;
    use serde_json::json;

    fn brand() -> Brand {
        Brand {
            id: "178".into(),
            username: Some("acme".into()),
        }
    }

    fn maker(brand: &Brand) -> Maker<'_> {
        Maker {
            account: "acme-ig",
            brand,
            now: "2026-11-23T10:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn comments_and_replies_thread_under_their_media() {
        let b = brand();
        let raw = json!({"id": "1", "text": "Beautiful!", "timestamp": "2020-06-01T10:56:52+0000"});
        let top = maker(&b)
            .comment(&entry(&raw, "x").unwrap(), "900", &raw)
            .unwrap();
        assert_eq!(
            (top.kind, top.thread_id.as_deref(), top.parent_id.as_deref()),
            (Kind::Comment, Some("900"), Some("900"))
        );
        assert_eq!(top.created_at.to_rfc3339(), "2020-06-01T10:56:52+00:00");
        assert!(!top.from_brand && top.author.handle.is_empty());
        let raw = json!({"id": "2", "text": "thanks", "parent_id": "1", "username": "ACME"});
        let reply = maker(&b)
            .comment(&entry(&raw, "x").unwrap(), "900", &raw)
            .unwrap();
        assert_eq!(reply.parent_id.as_deref(), Some("1"));
        assert!(reply.from_brand, "the brand by username");
        assert_eq!(reply.created_at, maker(&b).now, "no timestamp asked: now");
        let raw = json!({"id": "3", "timestamp": "last tuesday"});
        let problem = maker(&b)
            .comment(&entry(&raw, "x").unwrap(), "900", &raw)
            .unwrap_err();
        assert!(problem.raw.contains("last tuesday"));
    }

    #[test]
    fn dms_thread_by_conversation_and_know_the_brand_by_id() {
        let b = brand();
        let raw = json!({"id": "m_1", "created_time": "2026-11-23T09:00:00+0000",
            "from": {"id": "178", "username": "someone-else"}, "message": "\u{1b}[2Jhi"});
        let dm = maker(&b)
            .message(&entry(&raw, "x").unwrap(), "t_9", &raw)
            .unwrap();
        assert_eq!((dm.kind, dm.thread_id.as_deref()), (Kind::Dm, Some("t_9")));
        assert!(dm.from_brand);
        assert_eq!(dm.text, "\u{1b}[2Jhi", "kept raw");
    }
}
