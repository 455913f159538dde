//! Public replies: an `app.bsky.feed.post` record in the brand's repo with `reply.root` and
//! `reply.parent` (each `{uri, cid}`), written with `com.atproto.repo.createRecord`.
//!
//! - **Exactly once.** The record key is a TID derived from the idempotency key
//!   (`tid::for_key`), the same on every attempt. Before writing, `getRecord` under that key
//!   tells whether an earlier attempt went out; a failed `createRecord` (a timeout, a 5xx:
//!   the reference PDS answers a duplicate key with 500) is also checked with `getRecord`
//!   before it counts as a failure. `find_sent` is that `getRecord`.
//! - **The refs.** The stored item has the post's URI but not its cid (nor its raw payload),
//!   so the answered post is read again with `app.bsky.feed.getPosts`: its current cid, and
//!   its own `reply.root` (the thread's root), or itself when it is a root.
//! - **Text.** At most 300 graphemes (and 3000 bytes), as the lexicon says; longer is
//!   refused before anything is sent. `@handle` mentions (resolved with
//!   `com.atproto.identity.resolveHandle`) and links get facets. `langs` is the answered
//!   post's language, the best guess available.

use chrono::{SecondsFormat, Utc};
use serde_json::{json, Value};
use unicode_segmentation::UnicodeSegmentation;

use super::api::{Api, AtUri, RecordAnswer};
use super::items::{Post, Reader};
use super::payload::{PostRecord, Posts, Profile, StrongRef};
use super::{facets, tid, xrpc};
use crate::connectors::{ConnectorError, Delivered, ReplyRequest};
use crate::model::Kind;

/// The most graphemes in a post.
pub const MAX_GRAPHEMES: usize = 300;
/// The most bytes in a post's text.
pub const MAX_BYTES: usize = 3000;

/// Refuses a text Bluesky would refuse.
pub fn check_text(text: &str) -> Result<(), ConnectorError> {
    let graphemes = text.graphemes(true).count();
    if graphemes > MAX_GRAPHEMES {
        return Err(ConnectorError::Refused(format!(
            "the reply is {graphemes} characters long; Bluesky posts hold at most {MAX_GRAPHEMES}"
        )));
    }
    if text.len() > MAX_BYTES {
        return Err(ConnectorError::Refused(format!(
            "the reply is {} bytes long; Bluesky posts hold at most {MAX_BYTES} (emoji count \
             for several)",
            text.len()
        )));
    }
    if text.trim().is_empty() {
        return Err(ConnectorError::Refused("the reply is empty".into()));
    }
    Ok(())
}

/// Sends the reply (once, whatever the number of attempts).
pub async fn send(
    api: &Api,
    account: &str,
    request: &ReplyRequest,
) -> Result<Delivered, ConnectorError> {
    check_text(&request.text)?;
    if let Some(earlier) = find(api, account, request).await? {
        return Ok(earlier);
    }
    let rkey = tid::for_key(&request.idempotency_key);
    let record = record(api, request).await?;
    match api
        .create_record(PostRecord::TYPE, Some(&rkey), record.clone())
        .await
    {
        Ok(written) => {
            let answer = RecordAnswer {
                uri: written.uri,
                cid: Some(written.cid),
                value: record,
            };
            Ok(delivered(api, account, answer).await?)
        }
        Err(error) => {
            // It may have gone out all the same (a lost answer, a duplicate key).
            tracing::info!(?error, %rkey, "createRecord failed; asking whether it went out");
            match find(api, account, request).await {
                Ok(Some(sent)) => Ok(sent),
                _ => Err(error.into()),
            }
        }
    }
}

/// The reply sent with this idempotency key, if it went out.
pub async fn find(
    api: &Api,
    account: &str,
    request: &ReplyRequest,
) -> Result<Option<Delivered>, ConnectorError> {
    let me = api.me().await?;
    let rkey = tid::for_key(&request.idempotency_key);
    match api.get_record(&me.did, PostRecord::TYPE, &rkey).await? {
        Some(answer) => Ok(Some(delivered(api, account, answer).await?)),
        None => Ok(None),
    }
}

/// Our reply as an item of its thread.
async fn delivered(
    api: &Api,
    account: &str,
    answer: RecordAnswer,
) -> Result<Delivered, ConnectorError> {
    let me = api.me().await?;
    let record = PostRecord::read(&answer.value).unwrap_or_default();
    let author = Profile {
        did: me.did.clone(),
        handle: me.handle.clone(),
        ..Profile::default()
    };
    let post = Post {
        uri: &answer.uri,
        author: &author,
        record: &record,
        indexed_at: None,
    };
    let reader = Reader {
        account,
        did: &me.did,
    };
    let raw = json!({ "uri": answer.uri, "cid": answer.cid, "value": answer.value });
    Ok(Delivered {
        reply: post.item(Kind::Comment, reader, raw),
    })
}

/// The post record answering `request.item`.
async fn record(api: &Api, request: &ReplyRequest) -> Result<Value, ConnectorError> {
    let item = &request.item;
    let (root, parent) = refs(api, &item.remote_id).await?;
    let spans = facets::find(&request.text);
    let mut dids = Vec::new();
    for span in &spans {
        if let facets::Found::Mention(handle) = &span.found {
            let did =
                if handle.eq_ignore_ascii_case(&item.author.handle) && !item.author.id.is_empty() {
                    Some(item.author.id.clone())
                } else {
                    resolve_handle(api, handle).await?
                };
            dids.push((handle.clone(), did));
        }
    }
    let facets = facets::build(&spans, |handle| {
        dids.iter()
            .find(|(h, _)| h == handle)
            .and_then(|(_, did)| did.clone())
    });
    let mut record = json!({
        "$type": PostRecord::TYPE,
        "text": request.text,
        "createdAt": Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        "reply": { "root": root, "parent": parent },
    });
    if let Some(lang) = &item.lang {
        record["langs"] = json!([lang]);
    }
    if !facets.is_empty() {
        record["facets"] = Value::Array(facets);
    }
    Ok(record)
}

/// The thread's root and the answered post, as strong refs, from the post as it is now.
async fn refs(api: &Api, uri: &str) -> Result<(StrongRef, StrongRef), ConnectorError> {
    if AtUri::parse(uri).is_none() {
        return Err(ConnectorError::Refused(format!(
            "bluesky: cannot answer '{uri}': not an at:// post URI"
        )));
    }
    let call = xrpc::query("app.bsky.feed.getPosts").query("uris", uri);
    let posts: Posts = api.call(call).await?;
    let Some(post) = posts
        .posts
        .into_iter()
        .find(|p| p.uri == uri && !p.cid.is_empty())
    else {
        return Err(ConnectorError::Refused(format!(
            "bluesky: {uri} cannot be answered: it was deleted, or its author blocks the brand"
        )));
    };
    let parent = StrongRef {
        uri: post.uri,
        cid: post.cid,
    };
    let root = PostRecord::read(&post.record)
        .and_then(|r| r.reply)
        .map_or_else(|| parent.clone(), |r| r.root);
    Ok((root, parent))
}

/// A handle's DID; `None` when it resolves to nothing.
async fn resolve_handle(api: &Api, handle: &str) -> Result<Option<String>, ConnectorError> {
    let call = xrpc::query("com.atproto.identity.resolveHandle").query("handle", handle);
    match api.send(call).await {
        Ok(answer) => {
            let body: Value = xrpc::read(&answer)?;
            Ok(body["did"].as_str().map(str::to_string))
        }
        Err(xrpc::XrpcError::Rejected(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_over_300_graphemes_are_refused_whatever_their_bytes() {
        // A family emoji is one grapheme of 5 chars and 18 bytes.
        let family = "👨‍👩‍👧".repeat(100);
        assert!(check_text(&family).is_ok(), "100 graphemes, 1800 bytes");
        let accents = "é".repeat(300);
        assert!(check_text(&accents).is_ok());
        let long = "é".repeat(301);
        let error = check_text(&long).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the reply is 301 characters long; Bluesky posts hold at most 300"
        );
        let bytes = check_text(&"👨‍👩‍👧".repeat(200)).unwrap_err();
        assert!(bytes.to_string().contains("3600 bytes"), "{bytes}");
        assert!(check_text("  ").is_err());
    }
}
