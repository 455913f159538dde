//! The conversation around a post: `app.bsky.feed.getPostThread` with its ancestors
//! (`parentHeight`) and replies (`depth`), every post made into an item. Nodes the viewer
//! cannot see (`#notFoundPost`, `#blockedPost`) and posts that cannot be read are left out;
//! the rest of the thread still comes back.

use serde_json::Value;

use super::api::Api;
use super::items::{self, Reader};
use super::xrpc;
use crate::connectors::ConnectorError;
use crate::model::NewItem;

/// How many levels of replies below the post.
pub const DEPTH: u32 = 10;
/// How many ancestors above it.
pub const PARENT_HEIGHT: u32 = 80;
/// The most posts taken from one thread.
const MAX_POSTS: usize = 1000;

/// The posts around `uri`, the post itself included.
pub async fn fetch(api: &Api, account: &str, uri: &str) -> Result<Vec<NewItem>, ConnectorError> {
    let me = api.me().await?;
    let call = xrpc::query("app.bsky.feed.getPostThread")
        .query("uri", uri)
        .query("depth", DEPTH)
        .query("parentHeight", PARENT_HEIGHT);
    let answer = match api.send(call).await {
        Ok(answer) => answer,
        Err(e) if e.rejected("NotFound") => {
            return Err(ConnectorError::Refused(format!(
                "bluesky: {uri} is gone (deleted, or its author left)"
            )))
        }
        Err(e) => return Err(e.into()),
    };
    let body: Value = xrpc::read(&answer)?;
    let reader = Reader {
        account,
        did: &me.did,
    };
    Ok(posts_of(&body["thread"], reader))
}

/// The items of a thread view: the node, its parents and all its replies.
pub fn posts_of(thread: &Value, reader: Reader<'_>) -> Vec<NewItem> {
    let mut items = Vec::new();
    let mut stack = vec![thread];
    while let Some(node) = stack.pop() {
        if items.len() >= MAX_POSTS {
            break;
        }
        let kind = node.get("$type").and_then(Value::as_str).unwrap_or("");
        let Some(post) = node
            .get("post")
            .filter(|_| !kind.ends_with("#notFoundPost"))
        else {
            continue;
        };
        if kind.ends_with("#blockedPost") {
            continue;
        }
        match items::from_post_view(post, reader) {
            Ok(item) => items.push(item),
            Err(problem) => tracing::debug!(reason = %problem.reason, "thread post skipped"),
        }
        if let Some(parent) = node.get("parent") {
            stack.push(parent);
        }
        if let Some(replies) = node.get("replies").and_then(Value::as_array) {
            stack.extend(replies.iter().rev());
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hidden_and_missing_nodes_are_skipped_and_the_rest_kept() {
        let post = |rkey: &str, parent: Option<&str>| {
            let mut record = json!({ "$type": "app.bsky.feed.post", "text": rkey });
            if let Some(p) = parent {
                let r =
                    json!({ "uri": format!("at://did:plc:a/app.bsky.feed.post/{p}"), "cid": "c" });
                record["reply"] = json!({ "root": r, "parent": r });
            }
            json!({ "uri": format!("at://did:plc:a/app.bsky.feed.post/{rkey}"), "cid": "c",
                    "author": { "did": "did:plc:a", "handle": "a.test" }, "record": record })
        };
        let thread = json!({
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": post("mid", Some("top")),
            "parent": { "$type": "app.bsky.feed.defs#threadViewPost", "post": post("top", None) },
            "replies": [
                { "$type": "app.bsky.feed.defs#notFoundPost", "uri": "at://x/y/z", "notFound": true },
                { "$type": "app.bsky.feed.defs#blockedPost", "uri": "at://x/y/w", "blocked": true,
                  "author": { "did": "did:plc:x" } },
                { "$type": "app.bsky.feed.defs#threadViewPost", "post": post("low", Some("mid")) },
                { "$type": "app.bsky.feed.defs#threadViewPost", "post": { "uri": 7 } },
            ],
        });
        let reader = Reader {
            account: "acme",
            did: "did:plc:brand",
        };
        let texts: Vec<String> = posts_of(&thread, reader)
            .into_iter()
            .map(|i| i.text)
            .collect();
        assert_eq!(texts, ["mid", "low", "top"]);
        assert!(posts_of(&json!(null), reader).is_empty());
    }
}
