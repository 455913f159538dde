//! Notifications and posts made into [`NewItem`]s.
//!
//! - `remote_id`: the post's `at://` URI; `thread_id`: its reply root's URI (its own when it
//!   is a root); `parent_id`: the post it answers.
//! - kind: a notification's `reason` decides (`reply` → comment; `mention`, `quote` →
//!   mention; the others are not work: skipped). A post read from a thread gets the kind
//!   the AppView would have notified it with (it notifies a mention before a quote before
//!   a reply): it names the brand or quotes a brand post → mention, else comment.
//! - `raw`: the notification (or thread post view) as received. The cid needed to reply is
//!   not taken from it: the stored item does not carry its raw payload, so `reply` reads
//!   the post again (`getPosts`) when it answers, which also gives the current cid.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::api::AtUri;
use super::payload::{Notification, PostRecord, PostView, Profile};
use crate::connectors::PayloadProblem;
use crate::model::{Author, Kind, NewItem, Platform};

/// Who is reading: the account's name and DID.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    pub account: &'a str,
    pub did: &'a str,
}

/// The kind a notification's reason makes, `None` for reasons that are not work.
pub fn kind_of_reason(reason: &str) -> Option<Kind> {
    match reason {
        "reply" => Some(Kind::Comment),
        "mention" | "quote" => Some(Kind::Mention),
        _ => None,
    }
}

/// The item a notification makes: `Ok(None)` for a reason that is not work (like, follow,
/// repost, and reasons unknown to this version), a problem when the post cannot be read.
pub fn from_notification(
    raw: &Value,
    reader: Reader<'_>,
) -> Result<Option<NewItem>, PayloadProblem> {
    let problem = |why: &str| PayloadProblem::new(why, &raw.to_string());
    let notification: Notification = serde_json::from_value(raw.clone())
        .ok()
        .filter(|_| raw.is_object())
        .ok_or_else(|| problem("bluesky notification: not an object"))?;
    let Some(kind) = kind_of_reason(&notification.reason) else {
        return Ok(None);
    };
    if AtUri::parse(&notification.uri).is_none() {
        return Err(problem("bluesky notification: no at:// uri"));
    }
    let Some(record) = PostRecord::read(&notification.record) else {
        return Err(problem(&format!(
            "bluesky {} notification: the record is not an app.bsky.feed.post",
            notification.reason
        )));
    };
    let post = Post {
        uri: &notification.uri,
        author: &notification.author,
        record: &record,
        indexed_at: notification.indexed_at.as_deref(),
    };
    Ok(Some(post.item(kind, reader, raw.clone())))
}

/// The item a post view (from a thread, or `getPosts`) makes.
pub fn from_post_view(raw: &Value, reader: Reader<'_>) -> Result<NewItem, PayloadProblem> {
    let problem = |why: &str| PayloadProblem::new(why, &raw.to_string());
    let view: PostView = serde_json::from_value(raw.clone())
        .ok()
        .filter(|_| raw.is_object())
        .ok_or_else(|| problem("bluesky post: not an object"))?;
    if AtUri::parse(&view.uri).is_none() {
        return Err(problem("bluesky post: no at:// uri"));
    }
    let record = PostRecord::read(&view.record)
        .ok_or_else(|| problem("bluesky post: the record is not an app.bsky.feed.post"))?;
    let post = Post {
        uri: &view.uri,
        author: &view.author,
        record: &record,
        indexed_at: view.indexed_at.as_deref(),
    };
    let kind = post.kind(reader);
    Ok(post.item(kind, reader, raw.clone()))
}

/// A post, whichever payload it came in.
pub struct Post<'a> {
    pub uri: &'a str,
    pub author: &'a Profile,
    pub record: &'a PostRecord,
    pub indexed_at: Option<&'a str>,
}

impl Post<'_> {
    /// The kind the AppView would have notified the brand with.
    fn kind(&self, reader: Reader<'_>) -> Kind {
        let by_brand = self.author_did() == reader.did;
        let names_brand = self.record.mentioned_dids().any(|d| d == reader.did);
        let quotes_brand = self
            .record
            .quoted_uri()
            .and_then(AtUri::parse)
            .is_some_and(|q| q.repo == reader.did && q.collection == PostRecord::TYPE);
        if !by_brand && (names_brand || quotes_brand) {
            Kind::Mention
        } else {
            Kind::Comment
        }
    }

    /// The author's DID: from the profile, else the URI's repo.
    fn author_did(&self) -> &str {
        if self.author.did.is_empty() {
            AtUri::parse(self.uri).map_or("", |u| u.repo)
        } else {
            &self.author.did
        }
    }

    pub fn item(&self, kind: Kind, reader: Reader<'_>, raw: Value) -> NewItem {
        let did = self.author_did().to_string();
        let reply = self.record.reply.as_ref();
        NewItem {
            platform: Platform::Bluesky,
            account: reader.account.to_string(),
            kind,
            remote_id: self.uri.to_string(),
            thread_id: Some(reply.map_or(self.uri, |r| r.root.uri.as_str()).to_string()),
            parent_id: reply.map(|r| r.parent.uri.clone()),
            author: Author {
                handle: self.author.handle.clone(),
                name: self.author.display_name.clone().unwrap_or_default(),
                id: did.clone(),
            },
            text: self.record.text.clone(),
            lang: self.record.langs.first().cloned(),
            created_at: time(self.record.created_at.as_deref())
                .or_else(|| time(self.indexed_at))
                .unwrap_or_else(Utc::now),
            url: web_url(self.uri, &self.author.handle),
            from_brand: did == reader.did,
            raw: Some(raw),
            status: None,
            priority: None,
            tags: Default::default(),
            assignee: None,
        }
    }
}

/// An RFC 3339 time.
pub fn time(text: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `https://bsky.app/profile/HANDLE/post/RKEY` (the DID when the handle is unknown or
/// invalid).
pub fn web_url(uri: &str, handle: &str) -> Option<String> {
    let at = AtUri::parse(uri)?;
    let usable = !handle.is_empty()
        && handle != "handle.invalid"
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let profile = if usable { handle } else { at.repo };
    Some(format!(
        "https://bsky.app/profile/{profile}/post/{}",
        at.rkey
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BRAND: &str = "did:plc:brand";
    const READER: Reader<'static> = Reader {
        account: "acme-bsky",
        did: BRAND,
    };

    #[test]
    fn reasons_make_kinds_and_the_rest_is_skipped() {
        let notification = |reason: &str| {
            json!({
                "uri": "at://did:plc:ann/app.bsky.feed.post/3kaaa", "reason": reason,
                "author": { "did": "did:plc:ann", "handle": "ann.test" },
                "record": { "$type": "app.bsky.feed.post", "text": "hi" },
                "indexedAt": "2026-11-22T16:12:25.381Z",
            })
        };
        let kind = |reason: &str| {
            from_notification(&notification(reason), READER)
                .unwrap()
                .map(|i| i.kind)
        };
        assert_eq!(kind("reply"), Some(Kind::Comment));
        assert_eq!(kind("mention"), Some(Kind::Mention));
        assert_eq!(kind("quote"), Some(Kind::Mention));
        assert_eq!(kind("like"), None);
        assert_eq!(kind("some-future-reason"), None);
        let item = from_notification(&notification("mention"), READER)
            .unwrap()
            .unwrap();
        // No createdAt: the indexing time.
        assert_eq!(
            item.created_at.to_rfc3339(),
            "2026-11-22T16:12:25.381+00:00"
        );
        assert_eq!(item.thread_id.as_deref(), Some(item.remote_id.as_str()));
        assert_eq!(
            item.url.as_deref(),
            Some("https://bsky.app/profile/ann.test/post/3kaaa")
        );
    }

    #[test]
    fn unreadable_notifications_are_problems_with_their_payload() {
        let bad_record = json!({
            "uri": "at://did:plc:ann/app.bsky.feed.post/3kaaa", "reason": "reply",
            "record": { "$type": "app.bsky.feed.like" },
        });
        let problem = from_notification(&bad_record, READER).unwrap_err();
        assert!(
            problem.reason.contains("not an app.bsky.feed.post"),
            "{problem:?}"
        );
        assert!(problem.raw.contains("app.bsky.feed.like"));
        let no_uri = json!({ "reason": "mention", "record": { "text": "x" } });
        assert!(from_notification(&no_uri, READER).is_err());
        assert!(from_notification(&json!([1, 2]), READER).is_err());
    }

    #[test]
    fn thread_posts_get_the_kind_the_appview_would_notify() {
        let view = |author: &str, record: Value| {
            json!({ "uri": format!("at://{author}/app.bsky.feed.post/3kbbb"), "cid": "c",
                    "author": { "did": author, "handle": "handle.invalid" }, "record": record })
        };
        let mention = view(
            "did:plc:ann",
            json!({ "text": "@brand", "facets": [{ "features": [
                { "$type": "app.bsky.richtext.facet#mention", "did": BRAND }] }] }),
        );
        let item = from_post_view(&mention, READER).unwrap();
        assert_eq!(item.kind, Kind::Mention);
        assert_eq!(
            item.url.as_deref(),
            Some("https://bsky.app/profile/did:plc:ann/post/3kbbb")
        );
        let own = from_post_view(&view(BRAND, json!({ "text": "sale!" })), READER).unwrap();
        assert!(own.from_brand);
        assert_eq!(own.kind, Kind::Comment);
    }
}
