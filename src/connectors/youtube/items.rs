//! YouTube comments → [`NewItem`]s. Every YouTube item is a [`Kind::Comment`]: a comment
//! thread on one of the channel's videos (or on the channel itself) is the conversation,
//! its id (the top-level comment's) the `thread_id`; a reply's `parent_id` is the top-level
//! comment (YouTube threads are one level deep). The channel's own comments are
//! `from_brand`. The text is `textOriginal` (what the author typed, plain), not the HTML
//! `textDisplay`. A comment from the held-for-review listing is tagged [`HELD_TAG`], so a
//! CM sees it awaits review (publish it with unhide, reject it with hide).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::payload::{read, Comment, Thread};
use crate::connectors::PayloadProblem;
use crate::model::{Author, Kind, NewItem, Platform};

/// The tag on comments YouTube holds for the channel's review.
pub const HELD_TAG: &str = "held-for-review";

/// Where comments are read for: the account and the channel it acts as.
#[derive(Clone, Debug)]
pub struct Context {
    pub account: String,
    pub channel_id: String,
    /// Read from the held-for-review listing.
    pub held: bool,
}

/// One thread as read from a listing.
#[derive(Debug)]
pub struct ThreadRead {
    /// The thread's (and its top-level comment's) id.
    pub id: String,
    pub video_id: Option<String>,
    pub items: Vec<NewItem>,
    pub problems: Vec<PayloadProblem>,
    /// The newest time written on any of its comments: what the cursor compares.
    pub newest: Option<DateTime<Utc>>,
    /// More replies than the listing included: read them with `comments.list`.
    pub replies_missing: bool,
    /// How many replies the thread has (`totalReplyCount`, else those included).
    pub reply_count: u64,
}

/// Reads one `commentThread`: its comments as items (a comment that cannot be read is a
/// problem, the others still come), or a problem when the thread itself cannot be read.
pub fn thread(
    raw: &Value,
    context: &Context,
    now: DateTime<Utc>,
) -> Result<ThreadRead, PayloadProblem> {
    let problem =
        |why: &str| PayloadProblem::new(format!("commentThreads: {why}"), &raw.to_string());
    let thread: Thread = read(raw).ok_or_else(|| problem("not a comment thread"))?;
    let id = thread
        .id
        .clone()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| problem("thread without an id"))?;
    let top = thread
        .snippet
        .top_level_comment
        .as_ref()
        .ok_or_else(|| problem("thread without a top-level comment"))?;
    let video_id = thread.snippet.video_id.clone();
    let place = Place {
        thread: &id,
        video: video_id.as_deref(),
        channel: thread.snippet.channel_id.as_deref(),
    };
    let mut read = ThreadRead {
        id: id.clone(),
        video_id: video_id.clone(),
        items: Vec::new(),
        problems: Vec::new(),
        newest: None,
        replies_missing: false,
        reply_count: 0,
    };
    for (n, raw_comment) in std::iter::once(top)
        .chain(&thread.replies.comments)
        .enumerate()
    {
        match comment(raw_comment, context, &place, n > 0, now) {
            Ok((item, time)) => {
                read.newest = read.newest.max(time);
                read.items.push(item);
            }
            Err(problem) => read.problems.push(problem),
        }
    }
    let included = thread.replies.comments.len() as u64;
    read.reply_count = thread
        .snippet
        .total_reply_count
        .unwrap_or(included)
        .max(included);
    read.replies_missing = read.reply_count > included;
    Ok(read)
}

/// Where a comment sits: its thread, the video (if any) and the channel.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    pub thread: &'a str,
    pub video: Option<&'a str>,
    pub channel: Option<&'a str>,
}

/// One comment as an item, and the newest time written on it; `reply` for a thread's
/// replies (not its top-level comment).
pub fn comment(
    raw: &Value,
    context: &Context,
    place: &Place<'_>,
    reply: bool,
    now: DateTime<Utc>,
) -> Result<(NewItem, Option<DateTime<Utc>>), PayloadProblem> {
    let problem = |why: &str| PayloadProblem::new(format!("comment: {why}"), &raw.to_string());
    let comment: Comment = read(raw).ok_or_else(|| problem("not a comment"))?;
    let id = comment
        .id
        .clone()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| problem("comment without an id"))?;
    let snippet = &comment.snippet;
    let published = parse_time(snippet.published_at.as_deref());
    let updated = parse_time(snippet.updated_at.as_deref());
    let video = place.video.or(snippet.video_id.as_deref());
    let parent_id = reply.then(|| {
        snippet
            .parent_id
            .clone()
            .unwrap_or_else(|| place.thread.to_string())
    });
    let name = snippet.author_display_name.clone().unwrap_or_default();
    let item = NewItem {
        platform: Platform::Youtube,
        account: context.account.clone(),
        kind: Kind::Comment,
        remote_id: id.clone(),
        thread_id: Some(place.thread.to_string()),
        parent_id,
        author: Author {
            id: comment.author().unwrap_or_default().to_string(),
            handle: name.trim_start_matches('@').to_string(),
            name,
        },
        text: comment.text().unwrap_or_default().to_string(),
        lang: None,
        created_at: published.or(updated).unwrap_or(now),
        url: url(video, place.channel.or(snippet.channel_id.as_deref()), &id),
        from_brand: comment.author() == Some(context.channel_id.as_str()),
        raw: Some(raw.clone()),
        status: None,
        priority: None,
        tags: held_tags(
            context.held || snippet.moderation_status.as_deref() == Some("heldForReview"),
        ),
        assignee: None,
    };
    Ok((item, published.max(updated)))
}

fn held_tags(held: bool) -> std::collections::BTreeSet<String> {
    held.then(|| HELD_TAG.to_string()).into_iter().collect()
}

/// The comment on its video (`lc` highlights it), or the channel a discussion comment is on.
fn url(video: Option<&str>, channel: Option<&str>, id: &str) -> Option<String> {
    let safe = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
    };
    match (video, channel) {
        (Some(v), _) if safe(v) && safe(id) => {
            Some(format!("https://www.youtube.com/watch?v={v}&lc={id}"))
        }
        (None, Some(c)) if safe(c) => Some(format!("https://www.youtube.com/channel/{c}")),
        _ => None,
    }
}

pub fn parse_time(text: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The top-level comment a comment belongs to: a reply's id is `TOP.SUFFIX`.
pub fn top_level_of(remote_id: &str) -> &str {
    remote_id.split('.').next().unwrap_or(remote_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn context(held: bool) -> Context {
        Context {
            account: "acme-yt".into(),
            channel_id: "UCbrand".into(),
            held,
        }
    }

    fn now() -> DateTime<Utc> {
        parse_time(Some("2026-11-23T06:35:00Z")).unwrap()
    }

    #[test]
    fn a_thread_becomes_its_comment_and_replies() {
        let raw = json!({"id": "T1", "snippet": {"videoId": "v1", "totalReplyCount": 3,
            "topLevelComment": {"id": "T1", "snippet": {"authorDisplayName": "@ann",
                "authorChannelId": {"value": "UCann"}, "textDisplay": "<b>hi</b>", "textOriginal": "hi",
                "publishedAt": "2026-11-20T10:00:00Z", "updatedAt": "2026-11-20T10:00:00Z"}}},
            "replies": {"comments": [{"id": "T1.r1", "snippet": {"parentId": "T1",
                "authorChannelId": {"value": "UCbrand"}, "textOriginal": "hello",
                "publishedAt": "2026-11-21T10:00:00Z"}}, {"snippet": {}}]}});
        let read = thread(&raw, &context(true), now()).unwrap();
        assert_eq!(read.items.len(), 2);
        assert_eq!(read.problems.len(), 1, "the reply without an id");
        let (top, reply) = (&read.items[0], &read.items[1]);
        assert_eq!(
            (top.kind, top.text.as_str(), top.author.handle.as_str()),
            (Kind::Comment, "hi", "ann")
        );
        assert_eq!(top.thread_id.as_deref(), Some("T1"));
        assert_eq!(top.parent_id, None);
        assert_eq!(
            top.url.as_deref(),
            Some("https://www.youtube.com/watch?v=v1&lc=T1")
        );
        assert!(top.tags.contains(HELD_TAG) && !top.from_brand);
        assert_eq!(reply.parent_id.as_deref(), Some("T1"));
        assert!(reply.from_brand);
        assert_eq!(read.newest, parse_time(Some("2026-11-21T10:00:00Z")));
        assert!(read.replies_missing, "3 replies, 2 included");
    }

    #[test]
    fn missing_optional_fields_are_fine_and_a_thread_without_an_id_is_a_problem() {
        let bare = json!({"id": "T2", "snippet": {"channelId": "UCbrand", "topLevelComment": {"id": "T2"}}});
        let read = thread(&bare, &context(false), now()).unwrap();
        let item = &read.items[0];
        assert_eq!((item.created_at, item.text.as_str()), (now(), ""));
        assert_eq!(
            item.url.as_deref(),
            Some("https://www.youtube.com/channel/UCbrand")
        );
        assert!(item.tags.is_empty() && !read.replies_missing && read.newest.is_none());
        let problem = thread(&json!({"snippet": {}}), &context(false), now()).unwrap_err();
        assert!(
            problem.reason.contains("without an id"),
            "{}",
            problem.reason
        );
        assert!(thread(&json!([1]), &context(false), now()).is_err());
    }

    #[test]
    fn a_reply_belongs_to_the_top_level_comment_before_the_dot() {
        assert_eq!(top_level_of("Ugw5.91zT3"), "Ugw5");
        assert_eq!(top_level_of("Ugw5"), "Ugw5");
    }
}
