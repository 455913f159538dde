//! The whole path a CM relies on, with the real binary and real platform servers on
//! loopback (mastodon-mock; the Bluesky reference network with the loopback chat service):
//! customers write to the brand (a mention, a reply to the brand's post, a DM);
//! `switchboard sync --once` brings each in once with the right kind and thread; a running
//! hub delivers the CM's replies; the platform holds each reply exactly once, in the right
//! thread and with the right visibility; `doctor` shows the account's state.

mod common;

use std::time::{Duration, Instant};

use common::bluesky::BlueskyNet;
use common::bsky_chat::ChatServer;
use common::mastodon::MastodonMock;
use common::Home;
use serde_json::{json, Value};

/// Writes a config with one account whose token comes from a file through `token_cmd` (no
/// literal secret in the config, so no exposure warning).
fn mastodon_home(mock: &MastodonMock, token: &str) -> Home {
    let home = Home::new();
    let token_file = home.path().join("mastodon.token");
    std::fs::write(&token_file, token).unwrap();
    let config = format!(
        r#"
[[accounts]]
name = "acme-masto"
platform = "mastodon"
api_base = "{}"
token_cmd = "cat {}"
poll_interval = 1
timeout = 5
"#,
        mock.base_url(),
        token_file.display()
    );
    std::fs::write(home.path().join("config.toml"), config).unwrap();
    home
}

fn by_text<'a>(items: &'a [Value], needle: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["text"].as_str().unwrap_or_default().contains(needle))
        .unwrap_or_else(|| panic!("no item with {needle:?} in {items:#?}"))
}

/// Waits until every outbox entry is sent (a failed one fails the test with its reason).
fn wait_until_sent(home: &Home, expected: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let entries: Vec<Value> = home
            .ok(&["outbox", "--json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        if let Some(failed) = entries.iter().find(|e| e["state"] == "failed") {
            panic!("a reply failed: {failed:#}");
        }
        let sent = entries.iter().filter(|e| e["state"] == "sent").count();
        if sent == expected {
            return entries;
        }
        assert!(
            Instant::now() < deadline,
            "replies not sent in time: {entries:#?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn assert_doctor_says(home: &Home, account_line: &str) {
    let doctor = home.ok(&["doctor"]);
    let expected = format!("account   ok    {account_line}");
    assert!(doctor.contains(&expected), "{doctor}");
}

/// Answers the mention, the comment and the DM from the command line, through the running
/// hub, and waits until the three replies are sent.
fn answer_all(home: &Home, [mention, comment, dm]: [&Value; 3]) {
    for (item, text) in [
        (mention, "It ships tomorrow, Alice."),
        (comment, "Sorry Bob, a new bell is on its way."),
        (dm, "Refund issued, Carol."),
    ] {
        home.ok(&["reply", item["id"].as_str().unwrap(), "--text", text]);
    }
    let entries = wait_until_sent(home, 3);
    assert_eq!(entries.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_mentions_replies_and_dms_are_answered_once_each() {
    let mock = MastodonMock::start();
    let brand = mock.create_account("acmebrand").await;
    let alice = mock.create_account("alice").await;
    let bob = mock.create_account("bob").await;
    let carol = mock.create_account("carol").await;
    let brand_post = mock
        .post_status(&brand, "Our new bike is out!", "public", None)
        .await;
    let brand_post_id = brand_post["id"].as_str().unwrap().to_string();
    mock.mention(&alice, &brand, "where is my order 1234?")
        .await;
    mock.post_status(
        &bob,
        "@acmebrand the bell on mine is broken",
        "public",
        Some(&brand_post_id),
    )
    .await;
    mock.direct_message(&carol, &brand, "my card was charged twice")
        .await;

    let home = mastodon_home(&mock, &brand.token);
    let first: Value = serde_json::from_str(&home.ok(&["sync", "--once", "--json"])).unwrap();
    // The three messages, and the brand's post as the root of bob's thread.
    assert_eq!(first["new"], 4, "{first}");
    assert_eq!(first["error"], Value::Null, "{first}");
    let again = home.ok(&["sync", "--once", "--account", "acme-masto"]);
    assert!(
        again.contains("acme-masto: 0 new"),
        "nothing twice: {again}"
    );

    let items = home.items(&["account:acme-masto", "-tag:context", "-status:resolved"]);
    assert_eq!(items.len(), 3, "{items:#?}");
    let mention = by_text(&items, "where is my order");
    let comment = by_text(&items, "bell on mine");
    let dm = by_text(&items, "charged twice");
    assert_eq!(mention["kind"], "mention");
    assert_eq!(comment["kind"], "comment");
    assert_eq!(comment["parent_id"], brand_post_id.as_str());
    assert_eq!(dm["kind"], "dm");
    assert_eq!(mention["author"]["handle"], "alice");

    assert_doctor_says(&home, "acme-masto (mastodon): ok");

    // A running hub delivers the replies (and keeps syncing).
    let _hub = home.serve();
    answer_all(&home, [mention, comment, dm]);

    let replies = mock.statuses_by(&brand).await;
    let answer = |needle: &str| -> Vec<Value> {
        replies
            .iter()
            .filter(|s| s["content"].as_str().unwrap_or_default().contains(needle))
            .cloned()
            .collect()
    };
    let to_alice = answer("It ships tomorrow");
    assert_eq!(to_alice.len(), 1, "exactly once: {replies:#?}");
    assert_eq!(to_alice[0]["in_reply_to_id"], mention["remote_id"]);
    assert_eq!(to_alice[0]["visibility"], "public");
    let to_bob = answer("new bell");
    assert_eq!(to_bob.len(), 1);
    assert_eq!(to_bob[0]["in_reply_to_id"], comment["remote_id"]);
    let to_carol = answer("Refund issued");
    assert_eq!(to_carol.len(), 1);
    assert_eq!(
        to_carol[0]["visibility"], "direct",
        "a DM is answered privately"
    );

    // The answered items are resolved, and our replies sit in their threads.
    let open = home.items(&["account:acme-masto", "status:new,open,pending"]);
    assert!(open.is_empty(), "{open:#?}");

    // Moderation goes through the running hub's outbox and waits for the platform.
    let mention_id = mention["id"].as_str().unwrap();
    let muted = home.ok(&["moderate", mention_id, "mute"]);
    assert!(muted.contains("mute"), "{muted}");
    let mutes: Value = mock
        .http()
        .get(mock.url("/api/v1/mutes"))
        .bearer_auth(&brand.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mutes[0]["username"], "alice", "{mutes}");
    let tagged = home.items(&["tag:muted"]);
    assert_eq!(
        tagged.len(),
        1,
        "recorded on the item once done: {tagged:#?}"
    );
    let outbox = home.ok(&["outbox", "--json"]);
    let mute_entry = outbox
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|e| e["moderation"]["action"] == "mute")
        .expect("the mute is an outbox entry");
    assert_eq!(mute_entry["state"], "sent", "{mute_entry}");
    let doctor = home.ok(&["doctor"]);
    assert!(doctor.contains("outbox    ok    4 sent"), "{doctor}");
}

/// A config with one Bluesky account: the dev-env PDS, the loopback chat service, the
/// password from a file through `password_cmd`.
fn bluesky_home(net: &BlueskyNet, chat: &ChatServer, handle: &str, password: &str) -> Home {
    let home = Home::new();
    let password_file = home.path().join("bsky.password");
    std::fs::write(&password_file, password).unwrap();
    let config = format!(
        r#"
[[accounts]]
name = "acme-bsky"
platform = "bluesky"
api_base = "{}"
identifier = "{handle}"
password_cmd = "cat {}"
chat_api_base = "{}"
poll_interval = 1
timeout = 10
"#,
        net.pds,
        password_file.display(),
        chat.base()
    );
    std::fs::write(home.path().join("config.toml"), config).unwrap();
    home
}

fn post_record(text: &str, reply_to: Option<(&Value, &Value)>) -> Value {
    let mut record = json!({
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": common::bluesky::now(),
    });
    if let Some((root, parent)) = reply_to {
        let strong = |p: &Value| json!({"uri": p["uri"], "cid": p["cid"]});
        record["reply"] = json!({"root": strong(root), "parent": strong(parent)});
    }
    record
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bluesky_mentions_replies_and_dms_are_answered_once_each() {
    let net = BlueskyNet::start();
    let chat = ChatServer::start().await;
    let brand = net.create_account("acmebrand").await;
    let alice = net.create_account("alice").await;
    let bob = net.create_account("bob").await;

    let brand_post = net
        .post(&brand, post_record("Our new bike is out!", None), None)
        .await
        .unwrap();
    // A reply the AppView indexes before its parent never notifies the parent's author
    // (tests/servers/BLUESKY.md): Bob answers once the brand's post is known.
    net.wait_until_indexed(&brand, &brand_post).await;
    let mention_text = "@acmebrand.test where is my order 1234?";
    let (start, end) = common::bluesky::byte_range(mention_text, "@acmebrand.test");
    let mut mention = post_record(mention_text, None);
    mention["facets"] = json!([{
        "index": {"byteStart": start, "byteEnd": end},
        "features": [{"$type": "app.bsky.richtext.facet#mention", "did": brand.did}],
    }]);
    net.post(&alice, mention, None).await.unwrap();
    let bobs = net
        .post(
            &bob,
            post_record(
                "the bell on mine is broken",
                Some((&brand_post, &brand_post)),
            ),
            None,
        )
        .await
        .unwrap();
    net.wait_for_notifications(&brand, 2).await;

    let carol = chat.account("carol");
    let brand_in_chat = chat.adopt(&brand.did, &brand.handle);
    let convo = chat.start_convo(&carol, &brand_in_chat);
    chat.send(&carol, &convo, "my card was charged twice");

    let home = bluesky_home(&net, &chat, &brand.handle, &brand.password);
    let first: Value = serde_json::from_str(&home.ok(&["sync", "--once", "--json"])).unwrap();
    assert_eq!(first["error"], Value::Null, "{first}");
    let again = home.ok(&["sync", "--once"]);
    assert!(again.contains("acme-bsky: 0 new"), "nothing twice: {again}");

    let items = home.items(&["account:acme-bsky", "-tag:context", "-status:resolved"]);
    assert_eq!(items.len(), 3, "{items:#?}");
    let mention = by_text(&items, "where is my order");
    let comment = by_text(&items, "bell on mine");
    let dm = by_text(&items, "charged twice");
    assert_eq!(mention["kind"], "mention");
    assert_eq!(comment["kind"], "comment");
    assert_eq!(comment["remote_id"], bobs["uri"]);
    assert_eq!(comment["thread_id"], brand_post["uri"]);
    assert_eq!(dm["kind"], "dm");
    assert_eq!(dm["thread_id"], convo.as_str());

    assert_doctor_says(&home, "acme-bsky (bluesky): ok");

    let _hub = home.serve();
    answer_all(&home, [mention, comment, dm]);

    // Bob's thread on the AppView holds our answer once, under his post.
    let thread = net
        .query(
            Some(&brand),
            "app.bsky.feed.getPostThread",
            &[("uri", bobs["uri"].as_str().unwrap())],
        )
        .await
        .unwrap();
    let answers: Vec<&Value> = thread["thread"]["replies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["post"]["author"]["did"] == brand.did.as_str())
        .collect();
    assert_eq!(answers.len(), 1, "{thread:#}");
    assert_eq!(
        answers[0]["post"]["record"]["text"],
        "Sorry Bob, a new bell is on its way."
    );
    assert_eq!(
        answers[0]["post"]["record"]["reply"]["root"]["uri"], brand_post["uri"],
        "rooted at the brand's post"
    );

    // Alice's mention is answered once, in her thread (once the AppView has indexed it:
    // the outbox is done when the PDS has the post, the AppView follows a moment later).
    let answered_alice = |feed: &Value| {
        feed["feed"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["post"]["record"]["text"] == "It ships tomorrow, Alice.")
            .count()
    };
    let feed = common::bluesky::poll(
        common::bluesky::INDEXING,
        "our answer to Alice in the brand's feed",
        || async {
            let feed = net
                .query(
                    Some(&brand),
                    "app.bsky.feed.getAuthorFeed",
                    &[("actor", brand.did.as_str()), ("limit", "20")],
                )
                .await
                .ok()?;
            (answered_alice(&feed) > 0).then_some(feed)
        },
    )
    .await;
    assert_eq!(answered_alice(&feed), 1, "{feed:#}");

    // The DM is answered once, in Carol's conversation.
    let ours: Vec<_> = chat
        .messages(&convo)
        .into_iter()
        .filter(|(_, text, _)| text == "Refund issued, Carol.")
        .collect();
    assert_eq!(ours.len(), 1, "{:?}", chat.messages(&convo));

    let open = home.items(&["account:acme-bsky", "status:new,open,pending"]);
    assert!(open.is_empty(), "{open:#?}");
}
