//! Moderation, as far as Bluesky allows an account:
//!
//! - **Hide / Unhide** a reply in a brand thread: the root post's threadgate
//!   (`app.bsky.feed.threadgate`, record key = the root post's) lists it in
//!   `hiddenReplies`. Read with `getRecord`, edited (its other fields, such as who may
//!   reply, kept) and written back with `putRecord` over the version read; a concurrent
//!   edit makes it read again. Only the root's author has a threadgate: a thread started by
//!   someone else is refused.
//! - **Mute**: `app.bsky.graph.muteActor` (private to the account).
//! - **Block**: an `app.bsky.graph.block` record, unless the profile shows one already.
//! - **Report**: `com.atproto.moderation.createReport` on the post (a strong ref), its
//!   reason type guessed from the words given (spam, rude, sexual, misleading, violation,
//!   else other) and the words kept as the reason; a post that is gone reports its author.
//! - **Delete**: `deleteRecord`, for the brand's own posts only.
//! - **Dismiss** is [`ConnectorError::Unsupported`]: Bluesky has no per-notification
//!   state; `updateSeen` marks *everything* before a time as read, for the people using
//!   the app as well. The item is dismissed in switchboard only.

use chrono::{SecondsFormat, Utc};
use serde_json::{json, Value};

use super::api::{Api, AtUri};
use super::payload::{PostRecord, Posts, Profile};
use super::xrpc;
use crate::connectors::{ConnectorError, Moderation};
use crate::model::Item;

const THREADGATE: &str = "app.bsky.feed.threadgate";
const BLOCK: &str = "app.bsky.graph.block";
/// The most hidden replies a threadgate holds (lexicon).
const MAX_HIDDEN: usize = 300;

pub async fn moderate(api: &Api, item: &Item, action: &Moderation) -> Result<(), ConnectorError> {
    match action {
        Moderation::Hide => set_hidden(api, item, true).await,
        Moderation::Unhide => set_hidden(api, item, false).await,
        Moderation::Mute => {
            let body = json!({ "actor": author_did(item)? });
            api.send(xrpc::procedure("app.bsky.graph.muteActor", body, true))
                .await?;
            Ok(())
        }
        Moderation::Block => block(api, item).await,
        Moderation::Report { reason } => report(api, item, reason).await,
        Moderation::Delete => delete(api, item).await,
        Moderation::Dismiss => Err(ConnectorError::Unsupported(
            "Bluesky cannot dismiss one notification (it only marks all of them seen up to a \
             time); dismiss it in switchboard"
                .into(),
        )),
    }
}

/// The DID of the item's author: its author id, else its URI's repo.
pub fn author_did(item: &Item) -> Result<String, ConnectorError> {
    let did = if item.author.id.starts_with("did:") {
        item.author.id.as_str()
    } else {
        AtUri::parse(&item.remote_id).map_or("", |u| u.repo)
    };
    if did.starts_with("did:") {
        Ok(did.to_string())
    } else {
        Err(ConnectorError::Refused(format!(
            "bluesky: no DID known for the author of {}",
            item.remote_id
        )))
    }
}

async fn set_hidden(api: &Api, item: &Item, hide: bool) -> Result<(), ConnectorError> {
    let me = api.me().await?;
    let root_uri = item.thread_key();
    let Some(root) = AtUri::parse(root_uri) else {
        return Err(ConnectorError::Refused(format!(
            "bluesky: '{root_uri}' is not a post URI"
        )));
    };
    if root.repo != me.did {
        return Err(ConnectorError::Refused(
            "Bluesky only lets a thread's author hide replies: this thread was started by \
             someone else (mute, block or report instead)"
                .into(),
        ));
    }
    if item.remote_id == root_uri {
        return Err(ConnectorError::Refused(
            "that is the thread's first post, not a reply: it cannot be hidden".into(),
        ));
    }
    for _ in 0..3 {
        let existing = api.get_record(&me.did, THREADGATE, root.rkey).await?;
        let (mut gate, swap) = match existing {
            Some(found) if found.value.is_object() => (found.value, found.cid),
            _ => (
                json!({
                    "$type": THREADGATE,
                    "post": root_uri,
                    "createdAt": Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
                }),
                None,
            ),
        };
        let mut hidden: Vec<Value> = gate["hiddenReplies"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let present = hidden.iter().any(|u| u == item.remote_id.as_str());
        match (hide, present) {
            (true, true) | (false, false) => return Ok(()),
            (true, false) if hidden.len() >= MAX_HIDDEN => {
                return Err(ConnectorError::Refused(format!(
                    "this thread already hides {MAX_HIDDEN} replies, the most Bluesky allows"
                )))
            }
            (true, false) => hidden.push(json!(item.remote_id)),
            (false, true) => hidden.retain(|u| u != item.remote_id.as_str()),
        }
        gate["hiddenReplies"] = Value::Array(hidden);
        match api
            .put_record(THREADGATE, root.rkey, gate, swap.as_deref())
            .await
        {
            Ok(_) => return Ok(()),
            Err(e) if e.rejected("InvalidSwap") => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ConnectorError::Transient(
        "bluesky: the thread's reply settings kept changing while hiding".into(),
    ))
}

async fn block(api: &Api, item: &Item) -> Result<(), ConnectorError> {
    let did = author_did(item)?;
    let call = xrpc::query("app.bsky.actor.getProfile").query("actor", &did);
    let profile: Profile = api.call(call).await?;
    if profile.viewer.and_then(|v| v.blocking).is_some() {
        return Ok(());
    }
    let record = json!({
        "$type": BLOCK,
        "subject": did,
        "createdAt": Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
    });
    api.create_record(BLOCK, None, record).await?;
    Ok(())
}

/// The reason type a moderator's words point at.
pub fn reason_type(reason: &str) -> &'static str {
    let words = reason.to_lowercase();
    let has = |keys: &[&str]| keys.iter().any(|k| words.contains(k));
    if has(&["spam", "scam", "bot"]) {
        "com.atproto.moderation.defs#reasonSpam"
    } else if has(&["rude", "harass", "abus", "insult", "hate", "troll"]) {
        "com.atproto.moderation.defs#reasonRude"
    } else if has(&["sexual", "nsfw", "porn", "nudity"]) {
        "com.atproto.moderation.defs#reasonSexual"
    } else if has(&["mislead", "fake", "imperson", "misinfo"]) {
        "com.atproto.moderation.defs#reasonMisleading"
    } else if has(&["violat", "illegal", "threat"]) {
        "com.atproto.moderation.defs#reasonViolation"
    } else {
        "com.atproto.moderation.defs#reasonOther"
    }
}

async fn report(api: &Api, item: &Item, reason: &str) -> Result<(), ConnectorError> {
    let call = xrpc::query("app.bsky.feed.getPosts").query("uris", &item.remote_id);
    let posts: Posts = api.call(call).await?;
    let subject = match posts.posts.iter().find(|p| p.uri == item.remote_id) {
        Some(post) => {
            json!({ "$type": "com.atproto.repo.strongRef", "uri": post.uri, "cid": post.cid })
        }
        None => json!({ "$type": "com.atproto.admin.defs#repoRef", "did": author_did(item)? }),
    };
    let body = json!({ "reasonType": reason_type(reason), "reason": reason, "subject": subject });
    api.send(xrpc::procedure(
        "com.atproto.moderation.createReport",
        body,
        false,
    ))
    .await?;
    Ok(())
}

async fn delete(api: &Api, item: &Item) -> Result<(), ConnectorError> {
    let me = api.me().await?;
    match AtUri::parse(&item.remote_id) {
        Some(uri) if uri.repo == me.did && uri.collection == PostRecord::TYPE => {
            api.delete_record(PostRecord::TYPE, uri.rkey).await?;
            Ok(())
        }
        _ => Err(ConnectorError::Refused(
            "Bluesky only lets the brand delete its own posts: hide this reply, or report it"
                .into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_types_follow_the_words() {
        assert_eq!(
            reason_type("Spam link farm"),
            "com.atproto.moderation.defs#reasonSpam"
        );
        assert_eq!(
            reason_type("harassment of staff"),
            "com.atproto.moderation.defs#reasonRude"
        );
        assert_eq!(
            reason_type("impersonates us"),
            "com.atproto.moderation.defs#reasonMisleading"
        );
        assert_eq!(reason_type(""), "com.atproto.moderation.defs#reasonOther");
    }
}
