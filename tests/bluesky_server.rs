//! The Bluesky test network itself (tests/servers/bluesky-dev-env, the reference AT Protocol
//! implementation on 127.0.0.1): what a connector will rely on, checked against the real
//! servers. A customer mentions the brand and replies to a brand post; the brand's
//! notifications show both once the AppView has indexed them; the brand answers with a reply
//! whose record key it chose itself (a TID), and finds it again by that key, as a connector
//! does after a crash to learn whether a reply already went out.

mod common;

use std::time::{Duration, Instant};

use common::bluesky::{byte_range, now, poll, tid, tid_from, BlueskyNet, INDEXING};
use serde_json::{json, Value};

fn uri_cid(created: &Value) -> Value {
    json!({ "uri": created["uri"], "cid": created["cid"] })
}

fn rkey_of(uri: &str) -> &str {
    uri.rsplit('/').next().unwrap()
}

#[test]
fn tids_are_13_sortable_characters() {
    assert_eq!(tid_from(0, 0), "2222222222222");
    let a = tid_from(1_700_000_000_000_000, 0);
    let b = tid_from(1_700_000_000_000_001, 0);
    assert_eq!(a.len(), 13);
    assert!(a < b, "{a} < {b}");
    let t = tid();
    assert_eq!(t.len(), 13);
    assert!(
        t.chars()
            .all(|c| "234567abcdefghijklmnopqrstuvwxyz".contains(c)),
        "{t}"
    );
    // The first character carries the top bit, which is always 0.
    assert!("234567abcdefghij".contains(&t[..1]), "{t}");
}

#[test]
fn mention_and_reply_reach_the_brand_and_its_reply_is_found_by_its_rkey() {
    let net = BlueskyNet::start();
    eprintln!("Bluesky network ready in {:?}: {}", net.startup, net.ready);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(scenario(&net));
}

async fn scenario(net: &BlueskyNet) {
    let brand = net.create_account("brand").await;
    let alice = net.create_account("alice").await;
    assert_eq!(brand.handle, "brand.test");
    assert!(brand.did.starts_with("did:plc:"), "{}", brand.did);

    // A session from the password, as the connector logs in.
    let session = net
        .create_session("brand.test", &brand.password)
        .await
        .expect("createSession");
    assert_eq!(session.did, brand.did);
    let wrong = net.create_session("brand.test", "nope").await.unwrap_err();
    assert_eq!(
        (wrong.status, wrong.name()),
        (401, "AuthenticationRequired")
    );
    let brand = session;

    // Until the account has once said when it last looked, the AppView takes the newest
    // notification's time for it: only that one is unread (isRead = lastSeenAt > indexedAt).
    // updateSeen writes both seen times at once, and whichever write creates the account's
    // state row sets its `priorityNotifs` flag: half the time it is on, and a listing without
    // `priority=false` then holds only people the brand follows, i.e. nothing here.
    net.procedure(
        Some(&brand),
        "app.bsky.notification.updateSeen",
        &json!({ "seenAt": now() }),
    )
    .await
    .expect("updateSeen");
    tokio::time::sleep(Duration::from_millis(5)).await;

    // The brand's post, which the customer will answer.
    let brand_post = net
        .post(
            &brand,
            json!({ "$type": "app.bsky.feed.post", "text": "Our winter sale starts today!", "createdAt": now() }),
            None,
        )
        .await
        .expect("brand post");
    // A reply indexed before its parent never notifies the parent's author.
    net.wait_until_indexed(&brand, &brand_post).await;

    // A mention with its facet (byte offsets, the brand's DID).
    let text = "hey @brand.test where is my refund? 💸";
    let (start, end) = byte_range(text, "@brand.test");
    let mention = net
        .post(
            &alice,
            json!({
                "$type": "app.bsky.feed.post",
                "text": text,
                "createdAt": now(),
                "facets": [{
                    "index": { "byteStart": start, "byteEnd": end },
                    "features": [{ "$type": "app.bsky.richtext.facet#mention", "did": brand.did }],
                }],
            }),
            None,
        )
        .await
        .expect("mention");

    // A reply to the brand's post.
    let reply = net
        .post(
            &alice,
            json!({
                "$type": "app.bsky.feed.post",
                "text": "Same here, order #8812 is two weeks late 😡",
                "createdAt": now(),
                "reply": { "root": uri_cid(&brand_post), "parent": uri_cid(&brand_post) },
            }),
            None,
        )
        .await
        .expect("reply");

    // The brand's notifications (through its PDS, which proxies to the AppView) once indexed.
    let indexing = Instant::now();
    let last_seen = std::cell::Cell::new(usize::MAX);
    let notifications = poll(
        INDEXING,
        "the mention and the reply in listNotifications",
        || async {
            let out = net
                .query(
                    Some(&brand),
                    "app.bsky.notification.listNotifications",
                    &[("limit", "50"), ("priority", "false")],
                )
                .await
                .ok()?;
            let list = out["notifications"].as_array()?.clone();
            let has = |reason: &str, uri: &Value| {
                list.iter()
                    .any(|n| n["reason"] == reason && &n["uri"] == uri)
            };
            let both = has("mention", &mention["uri"]) && has("reply", &reply["uri"]);
            if !both && last_seen.replace(list.len()) != list.len() {
                // What the AppView has so far, for a timeout's diagnosis.
                let reasons: Vec<&str> = list.iter().filter_map(|n| n["reason"].as_str()).collect();
                eprintln!("notifications so far: {reasons:?}");
            }
            both.then_some(list)
        },
    )
    .await;
    eprintln!("indexed and notified in {:?}", indexing.elapsed());
    let find = |reason: &str| {
        notifications
            .iter()
            .find(|n| n["reason"] == reason)
            .unwrap()
            .clone()
    };
    let n_mention = find("mention");
    assert_eq!(n_mention["author"]["handle"], "alice.test");
    assert_eq!(n_mention["author"]["did"], json!(alice.did));
    assert_eq!(n_mention["cid"], mention["cid"]);
    assert_eq!(n_mention["record"]["text"], text);
    assert_eq!(
        n_mention["record"]["facets"][0]["features"][0]["did"],
        json!(brand.did)
    );
    assert_eq!(n_mention["isRead"], false);
    let n_reply = find("reply");
    assert_eq!(n_reply["reasonSubject"], brand_post["uri"]);
    assert_eq!(
        n_reply["record"]["reply"]["parent"]["uri"],
        brand_post["uri"]
    );

    // The brand answers the customer's reply: root stays the thread's root (the brand's
    // post), parent is the customer's reply. The record key is chosen first, so that after a
    // crash the connector can ask whether this reply went out.
    let rkey = tid();
    let missing = net
        .query(
            Some(&brand),
            "com.atproto.repo.getRecord",
            &[
                ("repo", &brand.did),
                ("collection", "app.bsky.feed.post"),
                ("rkey", &rkey),
            ],
        )
        .await
        .expect_err("nothing under the new rkey yet");
    assert_eq!(
        (missing.status, missing.name()),
        (400, "RecordNotFound"),
        "{:?}",
        missing.body
    );
    let answer_record = json!({
        "$type": "app.bsky.feed.post",
        "text": "Bonjour ! Nous regardons votre commande tout de suite.",
        "createdAt": now(),
        "reply": { "root": uri_cid(&brand_post), "parent": uri_cid(&reply) },
    });
    let answer = net
        .post(&brand, answer_record.clone(), Some(&rkey))
        .await
        .expect("brand reply");
    let answer_uri = answer["uri"].as_str().unwrap();
    assert_eq!(
        answer_uri,
        format!("at://{}/app.bsky.feed.post/{rkey}", brand.did)
    );
    assert_eq!(rkey_of(answer_uri), rkey);
    assert_eq!(answer["validationStatus"], "valid");

    let found = net
        .query(
            None,
            "com.atproto.repo.getRecord",
            &[
                ("repo", &brand.did),
                ("collection", "app.bsky.feed.post"),
                ("rkey", &rkey),
            ],
        )
        .await
        .expect("getRecord by the chosen rkey");
    assert_eq!(found["uri"], answer["uri"]);
    assert_eq!(found["cid"], answer["cid"]);
    assert_eq!(found["value"]["reply"]["parent"]["uri"], reply["uri"]);
    assert_eq!(found["value"]["reply"]["root"]["uri"], brand_post["uri"]);

    // Sending again under the same rkey does not make a second post. dev-env 0.3.215 answers
    // 500 InternalServerError here (not a 4xx): a connector must not take a 5xx on
    // createRecord as "not sent", but ask getRecord with its rkey, as above.
    let again = net
        .post(&brand, answer_record, Some(&rkey))
        .await
        .expect_err("a second createRecord with the same rkey");
    eprintln!(
        "createRecord with an existing rkey: {} {}",
        again.status, again.body
    );
    assert!(again.status >= 400, "{again:?}");
    let still = net
        .query(
            None,
            "com.atproto.repo.getRecord",
            &[
                ("repo", &brand.did),
                ("collection", "app.bsky.feed.post"),
                ("rkey", &rkey),
            ],
        )
        .await
        .expect("getRecord after the duplicate");
    assert_eq!(still["cid"], answer["cid"]);

    // The customer is told of the brand's answer, in the right thread.
    let customer_sees = poll(
        INDEXING,
        "the brand's answer in alice's notifications",
        || async {
            let out = net
                .query(Some(&alice), "app.bsky.notification.listNotifications", &[])
                .await
                .ok()?;
            out["notifications"]
                .as_array()?
                .iter()
                .find(|n| n["uri"] == answer["uri"])
                .cloned()
        },
    )
    .await;
    assert_eq!(customer_sees["reason"], "reply");
    assert_eq!(customer_sees["author"]["handle"], "brand.test");

    // The thread as the AppView shows it.
    let thread = net
        .query(
            Some(&brand),
            "app.bsky.feed.getPostThread",
            &[("uri", brand_post["uri"].as_str().unwrap())],
        )
        .await
        .expect("getPostThread");
    let replies = thread["thread"]["replies"].as_array().unwrap();
    let customer_reply = replies
        .iter()
        .find(|r| r["post"]["uri"] == reply["uri"])
        .expect("the customer's reply in the thread");
    assert!(
        customer_reply["replies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["post"]["uri"] == answer["uri"]),
        "the brand's answer under the customer's reply: {thread}"
    );
}
