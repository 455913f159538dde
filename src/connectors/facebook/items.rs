//! Graph objects → [`NewItem`]s of a Facebook Page account:
//!
//! - a comment or reply on a Page post: `Kind::Comment`, thread = the post, parent = the
//!   comment answered (`parent.id`) or the post; the Page's own comments are `from_brand`;
//! - a Page post read from the feed: the thread's root. The Page's own posts (and, as in the
//!   recorded feed, posts without `from`, which the Page feed only leaves out for the Page
//!   itself) are brand context (`from_brand`, `Kind::Comment`); a visitor's post on the Page
//!   is a `Kind::Mention`;
//! - a post that tags the Page (`/tagged`): `Kind::Mention`, its own thread;
//! - a Messenger message: `Kind::Dm`, thread = the conversation; the Page's are `from_brand`.
//!
//! Comments read without `id` (the field is withheld from apps without the MODERATE task, as
//! in the recorded comments) get the ids their `permalink_url` holds (`comment_id`,
//! `reply_comment_id`: see [`PermalinkIds`]); a comment with neither, and any message without
//! an id, is a [`PayloadProblem`] with the raw payload. Missing times read as "now", missing
//! authors as unknown. Text is kept exactly as received.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::payload::{read, Attachment, Comment, Message, PermalinkIds, Post, Profile};
use crate::connectors::graph::time;
use crate::connectors::PayloadProblem;
use crate::model::{Author, Kind, NewItem, Platform};

/// Whose items these are: the configured account and its Page.
#[derive(Clone, Debug)]
pub struct Origin {
    pub account: String,
    pub page_id: String,
}

/// Where a post was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostSource {
    /// The Page's feed: its own posts and visitors' posts.
    Feed,
    /// Posts by others that tag the Page.
    Tagged,
}

impl Origin {
    fn by_page(&self, from: Option<&Profile>) -> bool {
        from.and_then(|f| f.id.as_deref()) == Some(self.page_id.as_str())
    }

    /// A post as an item (see the module doc for its kind).
    pub fn post(&self, raw: &Value, source: PostSource) -> Result<NewItem, PayloadProblem> {
        let what = match source {
            PostSource::Feed => "feed post",
            PostSource::Tagged => "tagged post",
        };
        let post: Post = read(raw).ok_or_else(|| problem(what, "not an object", raw))?;
        let id = post
            .id
            .clone()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| problem(what, "no id", raw))?;
        let brand = match source {
            PostSource::Feed => post.from.is_none() || self.by_page(post.from.as_ref()),
            PostSource::Tagged => self.by_page(post.from.as_ref()),
        };
        let kind = match (source, brand) {
            (PostSource::Feed, true) => Kind::Comment,
            _ => Kind::Mention,
        };
        let text = post
            .message
            .clone()
            .or(post.story.clone())
            .unwrap_or_default();
        Ok(self.item(Fields {
            kind,
            remote_id: id.clone(),
            thread: id,
            parent: None,
            from: post.from.as_ref(),
            text,
            created: post.created_time.as_deref(),
            url: post.permalink_url.clone(),
            from_brand: brand,
            raw,
        }))
    }

    /// A comment under `post_id` as an item.
    pub fn comment(&self, raw: &Value, post_id: &str) -> Result<NewItem, PayloadProblem> {
        let what = "comment";
        let comment: Comment = read(raw).ok_or_else(|| problem(what, "not an object", raw))?;
        let derived = comment.permalink_url.as_deref().and_then(PermalinkIds::of);
        let id = comment
            .id
            .clone()
            .filter(|id| !id.is_empty())
            .or_else(|| derived.as_ref().map(|d| d.comment.clone()))
            .ok_or_else(|| problem(what, "no id and no permalink_url with a comment_id", raw))?;
        let parent = comment
            .parent
            .as_ref()
            .and_then(|p| p.id.clone())
            .or_else(|| derived.and_then(|d| d.parent))
            .unwrap_or_else(|| post_id.to_string());
        let mut text = comment.message.clone().unwrap_or_default();
        append_attachments(&mut text, comment.attachment.iter());
        Ok(self.item(Fields {
            kind: Kind::Comment,
            remote_id: id,
            thread: post_id.to_string(),
            parent: Some(parent),
            from: comment.from.as_ref(),
            text,
            created: comment.created_time.as_deref(),
            url: comment.permalink_url.clone(),
            from_brand: self.by_page(comment.from.as_ref()),
            raw,
        }))
    }

    /// A Messenger message of `conversation_id` as an item.
    pub fn message(&self, raw: &Value, conversation_id: &str) -> Result<NewItem, PayloadProblem> {
        let what = "message";
        let message: Message = read(raw).ok_or_else(|| problem(what, "not an object", raw))?;
        let id = message
            .id
            .clone()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| problem(what, "no id", raw))?;
        let mut text = message.message.clone().unwrap_or_default();
        let attachments = message.attachments.as_ref().map(|a| a.data.as_slice());
        append_attachments(&mut text, attachments.unwrap_or_default().iter());
        Ok(self.item(Fields {
            kind: Kind::Dm,
            remote_id: id,
            thread: conversation_id.to_string(),
            parent: None,
            from: message.from.as_ref(),
            text,
            created: message.created_time.as_deref(),
            url: None,
            from_brand: self.by_page(message.from.as_ref()),
            raw,
        }))
    }

    fn item(&self, f: Fields<'_>) -> NewItem {
        let from = f.from.cloned().unwrap_or_default();
        NewItem {
            platform: Platform::Facebook,
            account: self.account.clone(),
            kind: f.kind,
            remote_id: f.remote_id,
            thread_id: Some(f.thread),
            parent_id: f.parent,
            author: Author {
                id: from.id.unwrap_or_default(),
                handle: String::new(),
                name: from.name.unwrap_or_default(),
            },
            text: f.text,
            lang: None,
            created_at: created_at(f.created),
            url: f.url,
            from_brand: f.from_brand,
            raw: Some(f.raw.clone()),
            status: None,
            priority: None,
            tags: Default::default(),
            assignee: None,
        }
    }
}

/// What one item is made of.
struct Fields<'a> {
    kind: Kind,
    remote_id: String,
    thread: String,
    parent: Option<String>,
    from: Option<&'a Profile>,
    text: String,
    created: Option<&'a str>,
    url: Option<String>,
    from_brand: bool,
    raw: &'a Value,
}

/// A Graph time, or now when it is missing or unreadable.
pub fn created_at(text: Option<&str>) -> DateTime<Utc> {
    text.and_then(time::parse).unwrap_or_else(Utc::now)
}

fn append_attachments<'a>(text: &mut String, attachments: impl Iterator<Item = &'a Attachment>) {
    for attachment in attachments {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&attachment.line());
    }
}

fn problem(what: &str, why: &str, raw: &Value) -> PayloadProblem {
    PayloadProblem::new(format!("facebook {what}: {why}"), &raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn origin() -> Origin {
        Origin {
            account: "acme-fb".into(),
            page_id: "111".into(),
        }
    }

    #[test]
    fn comments_keep_their_thread_parent_and_author() {
        let o = origin();
        let reply = o
            .comment(
                &json!({"id": "9_2", "message": "thanks", "created_time": "2026-11-23T09:00:00+0000",
                    "from": {"id": "111", "name": "Acme"}, "parent": {"id": "9_1"}}),
                "111_9",
            )
            .unwrap();
        assert_eq!(reply.kind, Kind::Comment);
        assert_eq!(reply.thread_id.as_deref(), Some("111_9"));
        assert_eq!(reply.parent_id.as_deref(), Some("9_1"));
        assert!(reply.from_brand);
        assert_eq!(reply.author.name, "Acme");
        let top = o
            .comment(&json!({"id": "9_3", "from": {"id": "5"}}), "111_9")
            .unwrap();
        assert_eq!(top.parent_id.as_deref(), Some("111_9"));
        assert!(!top.from_brand);
        assert_eq!(top.text, "");
    }

    #[test]
    fn a_comment_without_any_id_is_a_problem() {
        let problem = origin()
            .comment(&json!({"message": "x"}), "1_2")
            .unwrap_err();
        assert!(problem.reason.contains("no id"), "{}", problem.reason);
        assert!(problem.raw.contains("\"x\""));
        assert!(origin().message(&json!({"message": "x"}), "t_1").is_err());
        assert!(origin().post(&json!("x"), PostSource::Feed).is_err());
    }

    #[test]
    fn posts_are_brand_context_or_mentions() {
        let o = origin();
        let ours = o
            .post(
                &json!({"id": "111_9", "message": "launch"}),
                PostSource::Feed,
            )
            .unwrap();
        assert!(ours.from_brand);
        assert_eq!(ours.kind, Kind::Comment);
        assert_eq!(ours.thread_id.as_deref(), Some("111_9"));
        let visitor = o
            .post(
                &json!({"id": "111_8", "from": {"id": "5"}}),
                PostSource::Feed,
            )
            .unwrap();
        assert_eq!(visitor.kind, Kind::Mention);
        assert!(!visitor.from_brand);
        let tagged = o
            .post(
                &json!({"id": "5_7", "story": "Bo tagged Acme", "from": {"id": "5"}}),
                PostSource::Tagged,
            )
            .unwrap();
        assert_eq!(tagged.kind, Kind::Mention);
        assert_eq!(tagged.text, "Bo tagged Acme");
    }

    #[test]
    fn messages_are_dms_of_their_conversation() {
        let m = origin()
            .message(
                &json!({"id": "m_1", "message": "where is my order",
                    "from": {"id": "77", "name": "Kun"}, "created_time": "2021-07-23T09:50:48+0000",
                    "attachments": {"data": [{"mime_type": "image/jpeg", "name": "a.jpg"}]}}),
                "t_5",
            )
            .unwrap();
        assert_eq!(m.kind, Kind::Dm);
        assert_eq!(m.thread_id.as_deref(), Some("t_5"));
        assert_eq!(m.text, "where is my order\n[image/jpeg: a.jpg]");
        assert_eq!(
            m.created_at,
            "2021-07-23T09:50:48Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert!(!m.from_brand);
    }
}
