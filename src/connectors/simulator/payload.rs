//! Turning a drafted message into the [`NewItem`] a connector would have produced: its
//! permalink on an example host, and a small `raw` payload shaped like the platform's API
//! object (a Mastodon status, a Bluesky post view, an X v2 tweet, a Graph API comment, a
//! YouTube `commentThread`...).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

use super::ids::instagram_shortcode;
use crate::model::{Author, Kind, NewItem, Platform};

/// One message, before it becomes an item.
pub(crate) struct Draft {
    pub platform: Platform,
    pub account: String,
    pub kind: Kind,
    pub remote_id: String,
    pub thread_id: String,
    pub parent_id: Option<String>,
    pub author: Author,
    /// The other side of a DM (the brand for a customer's message, and vice versa).
    pub recipient: Author,
    pub text: String,
    pub lang: String,
    pub at: DateTime<Utc>,
    pub from_brand: bool,
    /// Shown in the payload for accounts that have a public count (influencers).
    pub followers: Option<u64>,
}

impl Draft {
    pub fn into_item(self) -> NewItem {
        let url = permalink(&self);
        let raw = raw_payload(&self, url.as_deref());
        NewItem {
            platform: self.platform,
            account: self.account,
            kind: self.kind,
            remote_id: self.remote_id,
            thread_id: Some(self.thread_id),
            parent_id: self.parent_id,
            author: self.author,
            text: self.text,
            lang: Some(self.lang.clone()),
            created_at: self.at,
            url,
            from_brand: self.from_brand,
            raw: Some(raw),
            status: None,
            priority: None,
            tags: Default::default(),
            assignee: None,
        }
    }

    fn is_root(&self) -> bool {
        self.thread_id == self.remote_id
    }
}

fn permalink(d: &Draft) -> Option<String> {
    let id = &d.remote_id;
    match d.platform {
        Platform::Mastodon => {
            let (user, host) = d.author.handle.split_once('@')?;
            Some(format!("https://{host}/@{user}/{id}"))
        }
        Platform::Bluesky if d.kind == Kind::Dm => None,
        Platform::Bluesky => {
            let rkey = id.rsplit('/').next()?;
            Some(format!(
                "https://bsky.example/profile/{}/post/{rkey}",
                d.author.handle
            ))
        }
        Platform::X if d.kind == Kind::Dm => {
            Some(format!("https://x.example/messages/{}", d.thread_id))
        }
        Platform::X => Some(format!("https://x.example/{}/status/{id}", d.author.handle)),
        Platform::Facebook => facebook_link(d),
        Platform::Instagram if d.kind == Kind::Dm => Some(format!(
            "https://instagram.example/direct/t/{}/",
            d.thread_id
        )),
        Platform::Instagram => {
            let code = instagram_shortcode(&d.thread_id);
            Some(match d.is_root() {
                true => format!("https://instagram.example/p/{code}/"),
                false => format!("https://instagram.example/p/{code}/c/{id}/"),
            })
        }
        Platform::Youtube => Some(match d.is_root() {
            true => format!("https://youtube.example/watch?v={id}"),
            false => format!("https://youtube.example/watch?v={}&lc={id}", d.thread_id),
        }),
        Platform::Other(_) => None,
    }
}

fn facebook_link(d: &Draft) -> Option<String> {
    if d.kind == Kind::Dm {
        let user = d.thread_id.trim_start_matches("t_");
        return Some(format!("https://facebook.example/messages/t/{user}"));
    }
    let (owner, post) = d.thread_id.split_once('_')?;
    let post_url = format!("https://facebook.example/{owner}/posts/{post}");
    if d.is_root() {
        return Some(post_url);
    }
    let comment = d
        .remote_id
        .split_once('_')
        .map_or(&*d.remote_id, |(_, c)| c);
    Some(format!("{post_url}?comment_id={comment}"))
}

fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Graph API timestamps: `2025-03-14T09:26:53+0000`.
fn graph_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%z").to_string()
}

fn raw_payload(d: &Draft, url: Option<&str>) -> Value {
    match d.platform {
        Platform::Mastodon => mastodon_status(d, url),
        Platform::Bluesky if d.kind == Kind::Dm => bluesky_message(d),
        Platform::Bluesky => bluesky_post(d),
        Platform::X if d.kind == Kind::Dm => x_dm_event(d),
        Platform::X => x_tweet(d),
        Platform::Facebook if d.kind == Kind::Dm => messenger_message(d),
        Platform::Facebook => facebook_object(d, url),
        Platform::Instagram if d.kind == Kind::Dm => instagram_message(d),
        Platform::Instagram => instagram_object(d, url),
        Platform::Youtube => youtube_object(d),
        Platform::Other(_) => json!({ "id": d.remote_id, "text": d.text }),
    }
}

/// Mastodon renders statuses as HTML; the text is escaped and lines become `<br>`.
fn mastodon_status(d: &Draft, url: Option<&str>) -> Value {
    let html = d
        .text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', "<br>");
    let (username, _) = d
        .author
        .handle
        .split_once('@')
        .unwrap_or((&d.author.handle, ""));
    let mut account = json!({
        "id": d.author.id,
        "username": username,
        "acct": d.author.handle,
        "display_name": d.author.name,
    });
    if let Some(n) = d.followers {
        account["followers_count"] = json!(n);
    }
    json!({
        "id": d.remote_id,
        "created_at": iso(d.at),
        "in_reply_to_id": d.parent_id,
        "visibility": if d.kind == Kind::Dm { "direct" } else { "public" },
        "language": d.lang,
        "url": url,
        "content": format!("<p>{html}</p>"),
        "account": account,
    })
}

fn bluesky_post(d: &Draft) -> Value {
    let mut record = json!({
        "$type": "app.bsky.feed.post",
        "text": d.text,
        "createdAt": iso(d.at),
        "langs": [d.lang],
    });
    if let Some(parent) = &d.parent_id {
        record["reply"] = json!({
            "root": { "uri": d.thread_id },
            "parent": { "uri": parent },
        });
    }
    json!({
        "uri": d.remote_id,
        "author": { "did": d.author.id, "handle": d.author.handle, "displayName": d.author.name },
        "record": record,
        "indexedAt": iso(d.at),
    })
}

fn bluesky_message(d: &Draft) -> Value {
    json!({
        "$type": "chat.bsky.convo.defs#messageView",
        "id": d.remote_id,
        "convoId": d.thread_id,
        "text": d.text,
        "sender": { "did": d.author.id },
        "sentAt": iso(d.at),
    })
}

fn x_tweet(d: &Draft) -> Value {
    let mut data = json!({
        "id": d.remote_id,
        "text": d.text,
        "author_id": d.author.id,
        "conversation_id": d.thread_id,
        "created_at": iso(d.at),
        "lang": d.lang,
    });
    if let Some(parent) = &d.parent_id {
        data["referenced_tweets"] = json!([{ "type": "replied_to", "id": parent }]);
    }
    let mut user = json!({ "id": d.author.id, "username": d.author.handle, "name": d.author.name });
    if let Some(n) = d.followers {
        user["public_metrics"] = json!({ "followers_count": n });
    }
    json!({ "data": data, "includes": { "users": [user] } })
}

fn x_dm_event(d: &Draft) -> Value {
    json!({
        "id": d.remote_id,
        "event_type": "MessageCreate",
        "text": d.text,
        "sender_id": d.author.id,
        "dm_conversation_id": d.thread_id,
        "created_at": iso(d.at),
    })
}

fn facebook_object(d: &Draft, url: Option<&str>) -> Value {
    let mut object = json!({
        "id": d.remote_id,
        "message": d.text,
        "created_time": graph_time(d.at),
        "from": { "id": d.author.id, "name": d.author.name },
        "permalink_url": url,
    });
    if let Some(parent) = d.parent_id.as_ref().filter(|p| **p != d.thread_id) {
        object["parent"] = json!({ "id": parent });
    }
    object
}

fn messenger_message(d: &Draft) -> Value {
    json!({
        "sender": { "id": d.author.id },
        "recipient": { "id": d.recipient.id },
        "timestamp": d.at.timestamp_millis(),
        "message": { "mid": d.remote_id, "text": d.text },
    })
}

fn instagram_object(d: &Draft, url: Option<&str>) -> Value {
    if d.is_root() {
        return json!({
            "id": d.remote_id,
            "caption": d.text,
            "media_type": "IMAGE",
            "timestamp": graph_time(d.at),
            "username": d.author.handle,
            "permalink": url,
        });
    }
    let mut comment = json!({
        "id": d.remote_id,
        "text": d.text,
        "timestamp": graph_time(d.at),
        "username": d.author.handle,
        "from": { "id": d.author.id, "username": d.author.handle },
        "media": { "id": d.thread_id },
    });
    if let Some(parent) = d.parent_id.as_ref().filter(|p| **p != d.thread_id) {
        comment["parent_id"] = json!(parent);
    }
    comment
}

fn instagram_message(d: &Draft) -> Value {
    json!({
        "id": d.remote_id,
        "created_time": graph_time(d.at),
        "from": { "id": d.author.id, "username": d.author.handle },
        "to": { "data": [{ "id": d.recipient.id, "username": d.recipient.handle }] },
        "message": d.text,
    })
}

fn youtube_object(d: &Draft) -> Value {
    if d.is_root() {
        let title = d.text.lines().next().unwrap_or("");
        let mut video = json!({
            "kind": "youtube#video",
            "id": d.remote_id,
            "snippet": {
                "title": title,
                "description": d.text,
                "channelId": d.author.id,
                "channelTitle": d.author.name,
                "publishedAt": iso(d.at),
                "defaultAudioLanguage": d.lang,
            },
        });
        if let Some(n) = d.followers {
            video["channelStatistics"] = json!({ "subscriberCount": n.to_string() });
        }
        return video;
    }
    let mut snippet = json!({
        "videoId": d.thread_id,
        "textOriginal": d.text,
        "authorDisplayName": d.author.name,
        "authorChannelId": { "value": d.author.id },
        "publishedAt": iso(d.at),
        "likeCount": 0,
    });
    if let Some(parent) = d.parent_id.as_ref().filter(|p| p.starts_with("Ug")) {
        snippet["parentId"] = json!(parent.split('.').next().unwrap_or(parent));
    }
    json!({ "kind": "youtube#comment", "id": d.remote_id, "snippet": snippet })
}
