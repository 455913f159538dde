//! Seeding: the brand and its customers on each platform, and what the customers write.

use std::collections::BTreeMap;

use futures::stream::{self, StreamExt};
use serde_json::{json, Value};

use super::{Mix, BRAND_POSTS};
use crate::common::bluesky::{self, BlueskyNet};
use crate::common::bsky_chat::ChatServer;
use crate::common::mastodon::{self, MastodonMock};

/// Customers per platform (each writes several messages; DMs come from distinct ones).
const CUSTOMERS: usize = 10;
/// Requests in flight while seeding.
const SEEDING: usize = 6;

/// The brand `acmebrand`, customers `cust00`…, the brand's posts, and the customers'
/// mentions, comments (replies naming the brand under its posts) and DMs.
pub async fn seed_mastodon(mock: &MastodonMock, mix: Mix) -> mastodon::Account {
    let brand = mock.create_account("acmebrand").await;
    let mut customers = Vec::new();
    for n in 0..CUSTOMERS {
        customers.push(mock.create_account(&format!("cust{n:02}")).await);
    }
    let mut posts = Vec::new();
    for n in 0..BRAND_POSTS {
        let post = mock
            .post_status(
                &brand,
                &format!("Acme news {n} on Mastodon"),
                "public",
                None,
            )
            .await;
        posts.push(post["id"].as_str().unwrap().to_string());
    }
    let (mock, brand_ref, customers, posts) = (&mock, &brand, &customers, &posts);
    let writes = (0..mix.total()).map(|n| async move {
        let who = &customers[n % CUSTOMERS];
        if n < mix.mentions {
            mock.mention(who, brand_ref, &format!("where is my order M{n:03}?"))
                .await;
        } else if n < mix.mentions + mix.comments {
            let text = format!("@acmebrand question C{n:03} about this");
            let parent = &posts[n % BRAND_POSTS];
            mock.post_status(who, &text, "public", Some(parent)).await;
        } else {
            // One DM per customer: a conversation each.
            let who = &customers[(n - mix.mentions - mix.comments) % CUSTOMERS];
            mock.direct_message(who, brand_ref, &format!("refund please D{n:03}"))
                .await;
        }
    });
    stream::iter(writes)
        .buffer_unordered(SEEDING)
        .collect::<Vec<()>>()
        .await;
    brand
}

/// The brand `acmebrand.test`, customers `bcustNN.test`, the brand's posts (indexed before
/// anyone answers them), the customers' mentions (with a mention facet) and replies, and
/// DMs in the loopback chat service, one conversation per customer. Waits until the AppView
/// lists every notification.
pub async fn seed_bluesky(
    net: &BlueskyNet,
    chat: &ChatServer,
    mix: Mix,
) -> (bluesky::Account, BTreeMap<String, String>) {
    let brand = net.create_account("acmebrand").await;
    let mut customers = Vec::new();
    for n in 0..CUSTOMERS {
        customers.push(net.create_account(&format!("bcust{n:02}")).await);
    }
    let mut posts = Vec::new();
    for n in 0..BRAND_POSTS {
        let record = post_record(&format!("Acme news {n} on Bluesky"), None);
        posts.push(net.post(&brand, record, None).await.expect("brand post"));
    }
    // A reply indexed before its parent never notifies the parent's author.
    for post in &posts {
        net.wait_until_indexed(&brand, post).await;
    }
    let (brand_ref, customers_ref, posts_ref) = (&brand, &customers, &posts);
    let writes = (0..mix.mentions + mix.comments).map(|n| async move {
        let who = &customers_ref[n % CUSTOMERS];
        let record = if n < mix.mentions {
            let text = format!("@{} where is my order M{n:03}?", brand_ref.handle);
            let mention = format!("@{}", brand_ref.handle);
            let (start, end) = bluesky::byte_range(&text, &mention);
            let mut record = post_record(&text, None);
            record["facets"] = json!([{
                "index": {"byteStart": start, "byteEnd": end},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": brand_ref.did}],
            }]);
            record
        } else {
            let parent = &posts_ref[n % BRAND_POSTS];
            post_record(&format!("question C{n:03} about this"), Some(parent))
        };
        net.post(who, record, None).await.expect("customer post");
    });
    stream::iter(writes)
        .buffer_unordered(SEEDING)
        .collect::<Vec<()>>()
        .await;

    let brand_in_chat = chat.adopt(&brand.did, &brand.handle);
    let mut convos = BTreeMap::new();
    for n in 0..mix.dms {
        let customer = chat.account(&format!("dmcust{n:02}"));
        let convo = chat.start_convo(&customer, &brand_in_chat);
        chat.send(&customer, &convo, &format!("refund please D{n:03}"));
        convos.insert(customer.handle.clone(), convo);
    }
    net.wait_for_notifications(&brand, mix.mentions + mix.comments)
        .await;
    (brand, convos)
}

fn post_record(text: &str, reply_to: Option<&Value>) -> Value {
    let mut record = json!({
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": bluesky::now(),
    });
    if let Some(parent) = reply_to {
        let strong = json!({"uri": parent["uri"], "cid": parent["cid"]});
        record["reply"] = json!({"root": strong, "parent": strong});
    }
    record
}
