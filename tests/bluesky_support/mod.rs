//! The Bluesky connector test's setting: the people, what they post before the connector
//! first syncs, and helpers to look at the network from the outside.

use chrono::Utc;
use serde_json::{json, Value};
use switchboard::config::{AccountConfig, Config};
use switchboard::connectors::bluesky::Bluesky;
use switchboard::connectors::Connector;
use switchboard::model::{Item, ItemId, NewItem};

use crate::common::bluesky::{byte_range, now, poll, Account, BlueskyNet};

pub use crate::common::bluesky::INDEXING;

/// The account as configured; DMs go to `chat` (the loopback chat service: dev-env's PDS
/// has no chat service to proxy to) when given.
pub fn account_config(
    pds: &str,
    identifier: &str,
    password: &str,
    chat: Option<&str>,
) -> AccountConfig {
    let mut text = format!(
        "[[accounts]]\nname = \"acme-bsky\"\nplatform = \"bluesky\"\napi_base = \"{pds}\"\n\
         identifier = \"{identifier}\"\npassword = \"{password}\"\n"
    );
    if let Some(chat) = chat {
        text.push_str(&format!("chat_api_base = \"{chat}\"\n"));
    }
    let config = Config::parse(std::path::Path::new("c.toml"), &text).unwrap();
    config.accounts[0].clone()
}

/// As the store hands it back: no raw payload.
pub fn stored(new: &NewItem) -> Item {
    let mut item = Item::from_new(ItemId::generate(), new.clone(), Utc::now());
    item.raw = None;
    item
}

pub fn strong(created: &Value) -> Value {
    json!({ "uri": created["uri"], "cid": created["cid"] })
}

/// Every page until `more` is false; the items, and the cursor to keep.
pub async fn sync(conn: &Bluesky, cursor: Option<String>) -> (Vec<NewItem>, Option<String>) {
    let mut cursor = cursor;
    let mut items = Vec::new();
    for _ in 0..20 {
        let page = conn.fetch_new(cursor.as_deref()).await.expect("fetch_new");
        assert!(page.problems.is_empty(), "{:?}", page.problems);
        items.extend(page.items);
        cursor = page.cursor.or(cursor);
        if !page.more {
            return (items, cursor);
        }
    }
    panic!("fetch_new never said it was done");
}

pub async fn record(net: &BlueskyNet, repo: &str, collection: &str, rkey: &str) -> Option<Value> {
    let query = [("repo", repo), ("collection", collection), ("rkey", rkey)];
    net.query(None, "com.atproto.repo.getRecord", &query)
        .await
        .ok()
}

pub fn rkey(uri: &str) -> &str {
    uri.rsplit('/').next().unwrap()
}

pub struct Cast {
    pub brand: Account,
    pub alice: Account,
    pub bob: Account,
    pub carol: Account,
    pub dave: Account,
}

pub struct Seeded {
    pub brand_post: Value,
    pub mention: Value,
    pub reply: Value,
    pub deeper: Value,
    pub quote: Value,
}

pub async fn seed(net: &BlueskyNet, cast: &Cast) -> Seeded {
    let post = |author: &Account, record: Value| {
        let author = author.clone();
        async move { net.post(&author, record, None).await.expect("post") }
    };
    let brand_post = post(
        &cast.brand,
        json!({ "$type": "app.bsky.feed.post", "text": "Our winter sale starts today!", "createdAt": now() }),
    )
    .await;
    let text = "hey @brand.test où est mon remboursement ? 💸";
    let (start, end) = byte_range(text, "@brand.test");
    let mention = post(
        &cast.alice,
        json!({ "$type": "app.bsky.feed.post", "text": text, "createdAt": now(), "langs": ["fr"],
                "facets": [{ "index": { "byteStart": start, "byteEnd": end },
                  "features": [{ "$type": "app.bsky.richtext.facet#mention", "did": cast.brand.did }] }] }),
    )
    .await;
    let reply = post(
        &cast.alice,
        json!({ "$type": "app.bsky.feed.post", "text": "Is it on boots too?", "createdAt": now(),
                "reply": { "root": strong(&brand_post), "parent": strong(&brand_post) } }),
    )
    .await;
    // Bob answers once the AppView knows Alice's reply: indexed the other way round (the
    // AppView indexes repos in parallel), the brand is never told of Bob's reply.
    poll(INDEXING, "Alice's reply on the AppView", || async {
        let uri = reply["uri"].as_str()?;
        let out = net
            .query(
                Some(&cast.brand),
                "app.bsky.feed.getPosts",
                &[("uris", uri)],
            )
            .await
            .ok()?;
        (!out["posts"].as_array()?.is_empty()).then_some(())
    })
    .await;
    let deeper = post(
        &cast.bob,
        json!({ "$type": "app.bsky.feed.post", "text": "Same question, and my order #8812 is late 😡",
                "createdAt": now(), "langs": ["en"],
                "reply": { "root": strong(&brand_post), "parent": strong(&reply) } }),
    )
    .await;
    let quote = post(
        &cast.carol,
        json!({ "$type": "app.bsky.feed.post", "text": "Last year's sale was a scam", "createdAt": now(),
                "embed": { "$type": "app.bsky.embed.record", "record": strong(&brand_post) } }),
    )
    .await;
    // Not work: a like and a follow.
    let like = json!({ "repo": cast.dave.did, "collection": "app.bsky.feed.like",
        "record": { "$type": "app.bsky.feed.like", "subject": strong(&brand_post), "createdAt": now() } });
    net.procedure(Some(&cast.dave), "com.atproto.repo.createRecord", &like)
        .await
        .expect("like");
    let follow = json!({ "repo": cast.dave.did, "collection": "app.bsky.graph.follow",
        "record": { "$type": "app.bsky.graph.follow", "subject": cast.brand.did, "createdAt": now() } });
    net.procedure(Some(&cast.dave), "com.atproto.repo.createRecord", &follow)
        .await
        .expect("follow");
    let seeded = Seeded {
        brand_post,
        mention,
        reply,
        deeper,
        quote,
    };
    let wanted: Vec<Value> = [
        &seeded.mention,
        &seeded.reply,
        &seeded.deeper,
        &seeded.quote,
    ]
    .iter()
    .map(|v| v["uri"].clone())
    .collect();
    poll(INDEXING, "the brand's notifications", || async {
        let out = net
            .query(
                Some(&cast.brand),
                "app.bsky.notification.listNotifications",
                &[],
            )
            .await
            .ok()?;
        let list = out["notifications"].as_array()?;
        let has = |uri: &Value| list.iter().any(|n| &n["uri"] == uri);
        let others = ["like", "follow"]
            .iter()
            .all(|r| list.iter().any(|n| n["reason"] == *r));
        (wanted.iter().all(has) && others).then_some(())
    })
    .await;
    seeded
}

/// The items of the first sync, by what they are.
/// The reports Ozone (the network's moderation service) holds on `uri`.
pub async fn ozone_reports(net: &BlueskyNet, uri: &Value) -> Vec<Value> {
    let ozone = net.ready["ozone"].as_str().unwrap();
    let out: Value = net
        .http
        .get(format!("{ozone}/xrpc/tools.ozone.moderation.queryEvents"))
        .query(&[("subject", uri.as_str().unwrap())])
        .basic_auth("admin", Some("admin-pass"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    out["events"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("{out}"))
}
