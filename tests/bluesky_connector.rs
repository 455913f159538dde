//! The Bluesky connector against the reference network (`@atproto/dev-env` on 127.0.0.1,
//! see `tests/servers/BLUESKY.md`), logged in with an app password like a real account.
//!
//! Customers mention the brand, reply to its post (and deeper in the thread), quote it,
//! like it and follow it; the connector's notifications walk gives each piece of work once
//! with the right kind and place in its thread, and nothing on a second pass, except a
//! post written with a slow clock that landed behind what was read. Then the brand answers
//! (refs, facets, exactly once under concurrent and repeated sends), hides a reply with
//! its threadgate, mutes, blocks, reports and deletes; its session survives a spoiled
//! access token and a spoiled refresh token; a wrong password is an auth error.
//!
//! One network for the whole scenario: it takes ~10 s to start.

mod bluesky_support;
mod common;

use bluesky_support::{
    account_config, ozone_reports, record, rkey, seed, stored, strong, sync, Cast, Seeded, INDEXING,
};
use chrono::Utc;
use common::bluesky::{byte_range, poll, BlueskyNet};
use common::bsky_chat::ChatServer;
use serde_json::{json, Value};
use switchboard::connectors::bluesky::{tid, Bluesky};
use switchboard::connectors::http::HttpOptions;
use switchboard::connectors::{Connector, ConnectorError, Moderation, ReplyRequest};
use switchboard::model::{ItemId, Kind, NewItem};

#[test]
fn the_connector_syncs_replies_and_moderates_on_the_reference_network() {
    let net = BlueskyNet::start();
    eprintln!("Bluesky network ready in {:?}", net.startup);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(scenario(&net));
}

async fn scenario(net: &BlueskyNet) {
    let cast = Cast {
        brand: net.create_account("brand").await,
        alice: net.create_account("alice").await,
        bob: net.create_account("bob").await,
        carol: net.create_account("carol").await,
        dave: net.create_account("dave").await,
    };
    let app = net
        .procedure(
            Some(&cast.brand),
            "com.atproto.server.createAppPassword",
            &json!({ "name": "switchboard" }),
        )
        .await
        .expect("createAppPassword");
    let app_password = app["password"].as_str().unwrap();
    let chat = ChatServer::start().await;
    chat.adopt(&cast.brand.did, &cast.brand.handle);
    let config = account_config(&net.pds, "brand.test", app_password, Some(&chat.base()));
    let conn = Bluesky::new(&config, HttpOptions::default()).unwrap();
    assert_eq!(conn.requests(), 0, "no login before the first use");

    let seeded = seed(net, &cast).await;
    let items = sync_twice(net, &cast, &conn, &seeded).await;
    let ours = replies(net, &cast, &conn, &seeded, &items).await;
    moderation(net, &cast, &conn, &seeded, &items, &ours).await;
    sessions(net, &conn, app_password).await;
}

/// What the customers wrote.
struct Synced {
    mention: NewItem,
    reply: NewItem,
    deeper: NewItem,
    quote: NewItem,
}

async fn sync_twice(net: &BlueskyNet, cast: &Cast, conn: &Bluesky, s: &Seeded) -> Synced {
    let (items, cursor) = sync(conn, None).await;
    let find = |uri: &Value| {
        let found: Vec<&NewItem> = items
            .iter()
            .filter(|i| i.remote_id == uri.as_str().unwrap())
            .collect();
        assert_eq!(found.len(), 1, "{uri} once in {items:#?}");
        found[0].clone()
    };
    assert_eq!(items.len(), 4, "likes and follows are not work: {items:#?}");
    let synced = Synced {
        mention: find(&s.mention["uri"]),
        reply: find(&s.reply["uri"]),
        deeper: find(&s.deeper["uri"]),
        quote: find(&s.quote["uri"]),
    };
    let root = s.brand_post["uri"].as_str();
    let m = &synced.mention;
    assert_eq!(m.kind, Kind::Mention);
    assert_eq!(m.thread_id.as_deref(), Some(m.remote_id.as_str()));
    assert_eq!(
        (m.parent_id.as_deref(), m.lang.as_deref()),
        (None, Some("fr"))
    );
    assert_eq!(
        (m.author.id.as_str(), m.author.handle.as_str()),
        (cast.alice.did.as_str(), "alice.test")
    );
    assert_eq!(m.text, "hey @brand.test où est mon remboursement ? 💸");
    assert_eq!(
        m.url,
        Some(format!(
            "https://bsky.app/profile/alice.test/post/{}",
            rkey(&m.remote_id)
        ))
    );
    assert!(!m.from_brand && m.raw.as_ref().unwrap()["cid"] == s.mention["cid"]);
    assert_eq!(
        (synced.reply.kind, synced.reply.thread_id.as_deref()),
        (Kind::Comment, root)
    );
    assert_eq!(synced.reply.parent_id.as_deref(), root);
    assert_eq!(
        (synced.deeper.kind, synced.deeper.thread_id.as_deref()),
        (Kind::Comment, root)
    );
    assert_eq!(synced.deeper.parent_id.as_deref(), s.reply["uri"].as_str());
    assert_eq!(synced.quote.kind, Kind::Mention);
    assert_eq!(synced.quote.thread_id.as_deref(), s.quote["uri"].as_str());

    // A second pass: nothing new.
    let (again, cursor) = sync(conn, cursor).await;
    assert!(again.is_empty(), "{again:#?}");

    // A post with a clock two minutes slow sorts behind what was read: still found, once.
    let late = net
        .post(
            &cast.dave,
            json!({ "$type": "app.bsky.feed.post", "text": "@brand.test hello from the past",
                    "createdAt": (Utc::now() - chrono::Duration::minutes(2))
                        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    "facets": [{ "index": { "byteStart": 0, "byteEnd": 11 },
                      "features": [{ "$type": "app.bsky.richtext.facet#mention", "did": cast.brand.did }] }] }),
            None,
        )
        .await
        .unwrap();
    let sorted_at = poll(INDEXING, "the late mention indexed", || async {
        let out = net
            .query(
                Some(&cast.brand),
                "app.bsky.notification.listNotifications",
                &[],
            )
            .await
            .ok()?;
        let list = out["notifications"].as_array()?;
        let found = list.iter().find(|n| n["uri"] == late["uri"])?;
        found["indexedAt"]
            .as_str()?
            .parse::<chrono::DateTime<Utc>>()
            .ok()
    })
    .await;
    // The AppView's time for it is its createdAt: older than everything read already.
    assert!(sorted_at < synced.quote.created_at, "{sorted_at}");
    let (late_items, cursor) = sync(conn, cursor).await;
    let uris: Vec<&str> = late_items.iter().map(|i| i.remote_id.as_str()).collect();
    assert_eq!(uris, [late["uri"].as_str().unwrap()]);
    let (again, _) = sync(conn, cursor).await;
    assert!(again.is_empty(), "{again:#?}");
    synced
}

async fn replies(
    net: &BlueskyNet,
    cast: &Cast,
    conn: &Bluesky,
    s: &Seeded,
    items: &Synced,
) -> NewItem {
    // The context of Bob's reply: the brand's post and Alice's reply above it.
    let thread = conn.fetch_thread(&stored(&items.deeper)).await.unwrap();
    let uris: Vec<&str> = thread.iter().map(|i| i.remote_id.as_str()).collect();
    for post in [&s.brand_post, &s.reply, &s.deeper] {
        assert!(uris.contains(&post["uri"].as_str().unwrap()), "{uris:?}");
    }
    let root = thread
        .iter()
        .find(|i| i.remote_id == s.brand_post["uri"])
        .unwrap();
    assert!(root.from_brand && root.kind == Kind::Comment && root.parent_id.is_none());

    // The brand answers Bob, twice at once and once more: one post, under the key's TID.
    let key = format!("switchboard-{}", ItemId::generate());
    let text = "@bob.test désolé 🙏 we are on it: https://example.com/help?o=8812.";
    let request = ReplyRequest::new(stored(&items.deeper), text, key.clone());
    assert!(conn.find_sent(&request).await.unwrap().is_none());
    let (first, second) = tokio::join!(conn.send_reply(&request), conn.send_reply(&request));
    let (first, second) = (first.unwrap().reply, second.unwrap().reply);
    let uri = format!(
        "at://{}/app.bsky.feed.post/{}",
        cast.brand.did,
        tid::for_key(&key)
    );
    assert_eq!(
        (first.remote_id.as_str(), second.remote_id.as_str()),
        (uri.as_str(), uri.as_str())
    );
    let third = conn.send_reply(&request).await.unwrap().reply;
    let found = conn.find_sent(&request).await.unwrap().unwrap().reply;
    assert_eq!(
        (third.remote_id.as_str(), found.remote_id.as_str()),
        (uri.as_str(), uri.as_str())
    );
    assert!(first.from_brand && first.kind == Kind::Comment);
    assert_eq!(first.thread_id.as_deref(), s.brand_post["uri"].as_str());
    assert_eq!(first.parent_id.as_deref(), s.deeper["uri"].as_str());
    assert_eq!(
        (first.text.as_str(), first.lang.as_deref()),
        (text, Some("en"))
    );
    assert_eq!(first.author.handle, "brand.test");
    let listed = net
        .query(
            None,
            "com.atproto.repo.listRecords",
            &[
                ("repo", &cast.brand.did),
                ("collection", "app.bsky.feed.post"),
                ("limit", "100"),
            ],
        )
        .await
        .unwrap();
    let copies = listed["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["value"]["text"] == text)
        .count();
    assert_eq!(copies, 1, "{listed}");

    let written = record(net, &cast.brand.did, "app.bsky.feed.post", rkey(&uri))
        .await
        .unwrap();
    let value = &written["value"];
    assert_eq!(value["reply"]["root"], strong(&s.brand_post));
    assert_eq!(value["reply"]["parent"], strong(&s.deeper));
    let (start, end) = byte_range(text, "@bob.test");
    assert_eq!(
        value["facets"][0]["index"],
        json!({ "byteStart": start, "byteEnd": end })
    );
    assert_eq!(
        value["facets"][0]["features"][0]["did"],
        json!(cast.bob.did)
    );
    let (start, end) = byte_range(text, "https://example.com/help?o=8812");
    assert_eq!(
        value["facets"][1]["index"],
        json!({ "byteStart": start, "byteEnd": end })
    );
    assert_eq!(
        value["facets"][1]["features"][0]["uri"],
        "https://example.com/help?o=8812"
    );

    // The AppView puts it under Bob's reply.
    poll(INDEXING, "the brand's answer in the thread", || async {
        let out = net
            .query(
                Some(&cast.brand),
                "app.bsky.feed.getPostThread",
                &[("uri", s.brand_post["uri"].as_str().unwrap())],
            )
            .await
            .ok()?;
        let alice = out["thread"]["replies"]
            .as_array()?
            .iter()
            .find(|r| r["post"]["uri"] == s.reply["uri"])?;
        let bob = alice["replies"]
            .as_array()?
            .iter()
            .find(|r| r["post"]["uri"] == s.deeper["uri"])?;
        bob["replies"]
            .as_array()?
            .iter()
            .any(|r| r["post"]["uri"] == uri.as_str())
            .then_some(())
    })
    .await;

    // Answering Alice's mention: her post is the root of its own thread.
    let request = ReplyRequest::new(
        stored(&items.mention),
        "Bonjour Alice, nous regardons votre remboursement.",
        format!("switchboard-{}", ItemId::generate()),
    );
    let answer = conn.send_reply(&request).await.unwrap().reply;
    let written = record(
        net,
        &cast.brand.did,
        "app.bsky.feed.post",
        rkey(&answer.remote_id),
    )
    .await
    .unwrap();
    assert_eq!(written["value"]["reply"]["root"], strong(&s.mention));
    assert_eq!(written["value"]["reply"]["parent"], strong(&s.mention));
    assert_eq!(written["value"]["langs"], json!(["fr"]));
    assert_eq!(answer.thread_id.as_deref(), s.mention["uri"].as_str());

    // Too long: refused before anything is sent.
    let long = ReplyRequest {
        text: "é".repeat(301),
        idempotency_key: format!("switchboard-{}", ItemId::generate()),
        ..request
    };
    match conn.send_reply(&long).await {
        Err(ConnectorError::Refused(reason)) => {
            assert!(reason.contains("301 characters"), "{reason}")
        }
        other => panic!("a 301-grapheme reply: {other:?}"),
    }
    assert!(conn.find_sent(&long).await.unwrap().is_none());
    answer
}

async fn moderation(
    net: &BlueskyNet,
    cast: &Cast,
    conn: &Bluesky,
    s: &Seeded,
    items: &Synced,
    ours: &NewItem,
) {
    let brand = &cast.brand;
    let root_uri = s.brand_post["uri"].as_str().unwrap();
    let hidden = || async {
        let gate = record(net, &brand.did, "app.bsky.feed.threadgate", rkey(root_uri))
            .await
            .unwrap();
        assert_eq!(gate["value"]["post"], root_uri);
        assert!(
            gate["value"].get("allow").is_none(),
            "replies stay open: {gate}"
        );
        gate["value"]["hiddenReplies"].clone()
    };
    let (reply, deeper) = (stored(&items.reply), stored(&items.deeper));
    conn.moderate(&reply, &Moderation::Hide).await.unwrap();
    assert_eq!(hidden().await, json!([s.reply["uri"]]));
    conn.moderate(&reply, &Moderation::Hide).await.unwrap();
    conn.moderate(&deeper, &Moderation::Hide).await.unwrap();
    assert_eq!(hidden().await, json!([s.reply["uri"], s.deeper["uri"]]));
    conn.moderate(&deeper, &Moderation::Unhide).await.unwrap();
    assert_eq!(hidden().await, json!([s.reply["uri"]]));
    poll(INDEXING, "the threadgate on the AppView", || async {
        let out = net
            .query(
                Some(brand),
                "app.bsky.feed.getPostThread",
                &[("uri", root_uri)],
            )
            .await
            .ok()?;
        let hidden = &out["thread"]["post"]["threadgate"]["record"]["hiddenReplies"];
        (hidden == &json!([s.reply["uri"]])).then_some(())
    })
    .await;
    let elsewhere = conn
        .moderate(&stored(&items.mention), &Moderation::Hide)
        .await;
    match elsewhere {
        Err(ConnectorError::Refused(reason)) => {
            assert!(reason.contains("someone else"), "{reason}")
        }
        other => panic!("hiding in Alice's thread: {other:?}"),
    }

    // Mute Carol, block Bob (twice: one block record), report Alice's mention as spam.
    let profile = |did: String| async move {
        net.query(Some(brand), "app.bsky.actor.getProfile", &[("actor", &did)])
            .await
            .unwrap()
    };
    conn.moderate(&stored(&items.quote), &Moderation::Mute)
        .await
        .unwrap();
    assert_eq!(
        profile(cast.carol.did.clone()).await["viewer"]["muted"],
        true
    );
    conn.moderate(&deeper, &Moderation::Block).await.unwrap();
    poll(INDEXING, "the block on the AppView", || async {
        profile(cast.bob.did.clone()).await["viewer"]["blocking"]
            .as_str()
            .map(str::to_string)
    })
    .await;
    conn.moderate(&deeper, &Moderation::Block).await.unwrap();
    let blocks = net
        .query(
            None,
            "com.atproto.repo.listRecords",
            &[("repo", &brand.did), ("collection", "app.bsky.graph.block")],
        )
        .await
        .unwrap();
    let blocks = blocks["records"].as_array().unwrap();
    assert_eq!(blocks.len(), 1, "{blocks:?}");
    assert_eq!(blocks[0]["value"]["subject"], json!(cast.bob.did));

    let mention = stored(&items.mention);
    let reason = "spam: the same refund link posted everywhere".to_string();
    conn.moderate(
        &mention,
        &Moderation::Report {
            reason: reason.clone(),
        },
    )
    .await
    .unwrap();
    let events = ozone_reports(net, &s.mention["uri"]).await;
    assert!(
        events
            .iter()
            .any(|e| e["event"]["comment"] == reason.as_str()
                && e["event"]["reportType"] == "com.atproto.moderation.defs#reasonSpam"),
        "{events:#?}"
    );

    // Delete: only the brand's own posts.
    match conn.moderate(&mention, &Moderation::Delete).await {
        Err(ConnectorError::Refused(reason)) => assert!(reason.contains("own posts"), "{reason}"),
        other => panic!("deleting Alice's post: {other:?}"),
    }
    conn.moderate(&stored(ours), &Moderation::Delete)
        .await
        .unwrap();
    assert!(
        record(net, &brand.did, "app.bsky.feed.post", rkey(&ours.remote_id))
            .await
            .is_none()
    );
    assert!(matches!(
        conn.moderate(&mention, &Moderation::Dismiss).await,
        Err(ConnectorError::Unsupported(_))
    ));
}

/// The reports Ozone (the network's moderation service) holds on `uri`.
async fn sessions(net: &BlueskyNet, conn: &Bluesky, app_password: &str) {
    // A refused access token: refreshed, and the call goes through.
    let before = conn.requests();
    conn.session().spoil_tokens(false).await;
    conn.fetch_new(None).await.expect("after a refresh");
    assert_eq!(
        conn.requests() - before,
        3,
        "refused, refreshSession, again"
    );
    // The refresh token refused too: a new login.
    let before = conn.requests();
    conn.session().spoil_tokens(true).await;
    conn.fetch_new(None).await.expect("after a new login");
    assert_eq!(
        conn.requests() - before,
        4,
        "refused, refreshSession refused, createSession, again"
    );

    let wrong = Bluesky::new(
        &account_config(&net.pds, "brand.test", "wrong-pass-1234", None),
        HttpOptions::default(),
    )
    .unwrap();
    match wrong.fetch_new(None).await {
        Err(ConnectorError::Auth(reason)) => {
            assert!(
                reason.contains("acme-bsky") && reason.contains("brand.test"),
                "{reason}"
            );
            assert!(
                !reason.contains("wrong-pass-1234") && !reason.contains(app_password),
                "{reason}"
            );
        }
        other => panic!("a wrong password: {other:?}"),
    }
}
