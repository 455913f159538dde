//! The Instagram account end to end with the real binary, against the loopback Graph API of
//! `tests/common/instagram_api.rs` (recorded answers read in place): `sync --once` from a
//! plain config brings comments, a reply thread, a tagging media and a DM in once each, as
//! their kinds and threads; a running hub delivers a comment reply, a DM answer and a hide to
//! the right endpoints with the right bodies.

mod common;

use std::time::{Duration, Instant};

use common::instagram_api::*;
use common::Home;
use serde_json::{json, Value};

fn by_remote<'a>(items: &'a [Value], remote_id: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["remote_id"] == remote_id)
        .unwrap_or_else(|| panic!("{remote_id} not synced: {items:#?}"))
}

fn wait_until_sent(home: &Home, expected: usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let entries: Vec<Value> = home
            .ok(&["outbox", "--json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        if let Some(failed) = entries.iter().find(|e| e["state"] == "failed") {
            panic!("an outbox entry failed: {failed:#}");
        }
        if entries.iter().filter(|e| e["state"] == "sent").count() == expected {
            return;
        }
        assert!(Instant::now() < deadline, "not sent in time: {entries:#?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn instagram_comments_mentions_and_dms_sync_and_are_answered() {
    let world = start_instagram_world();
    let home = Home::new();
    let config = world.account_toml("acme-ig", "poll_interval = 1\ntimeout = 5");
    std::fs::write(home.path().join("config.toml"), config).unwrap();

    let first: Value = serde_json::from_str(&home.ok(&["sync", "--once", "--json"])).unwrap();
    assert_eq!(
        first["new"], 9,
        "media, five comments, a tag, two DMs: {first}"
    );
    let again = home.ok(&["sync", "--once", "--account", "acme-ig"]);
    assert!(again.contains("acme-ig: 0 new"), "nothing twice: {again}");

    let items = home.items(&["account:acme-ig"]);
    let comment = by_remote(&items, CUSTOMER_COMMENT);
    assert_eq!(comment["kind"], "comment");
    assert_eq!(comment["thread_id"], COMMENTED_MEDIA);
    assert_eq!(comment["parent_id"], COMMENTED_MEDIA);
    assert_eq!(
        by_remote(&items, RECORDED_REPLY)["parent_id"],
        CUSTOMER_COMMENT
    );
    assert_eq!(by_remote(&items, TAGGING_MEDIA)["kind"], "mention");
    let dm = by_remote(&items, CUSTOMER_DM);
    assert_eq!(
        (&dm["kind"], &dm["thread_id"]),
        (&json!("dm"), &json!(CONVERSATION))
    );
    let doctor = home.ok(&["doctor"]);
    assert!(doctor.contains("acme-ig (instagram): ok"), "{doctor}");

    let _hub = home.serve();
    let comment_id = comment["id"].as_str().unwrap();
    home.ok(&[
        "reply",
        comment_id,
        "--text",
        "Sorry Alice, we sent you a DM",
    ]);
    home.ok(&[
        "reply",
        dm["id"].as_str().unwrap(),
        "--text",
        "Refund issued, Carol.",
    ]);
    home.ok(&[
        "moderate",
        by_remote(&items, RECORDED_COMMENTS[0])["id"]
            .as_str()
            .unwrap(),
        "hide",
    ]);
    wait_until_sent(&home, 3);

    let replies = world
        .api
        .received_at("POST", &format!("{VERSION}/{CUSTOMER_COMMENT}/replies"));
    assert_eq!(replies.len(), 1, "exactly once");
    assert_eq!(
        replies[0].json(),
        json!({"message": "Sorry Alice, we sent you a DM"})
    );
    let messages = world
        .api
        .received_at("POST", &format!("{VERSION}/me/messages"));
    assert_eq!(messages.len(), 1);
    assert_eq!(
        messages[0].json(),
        json!({"recipient": {"id": CUSTOMER_IGSID}, "messaging_type": "RESPONSE",
               "message": {"text": "Refund issued, Carol."}})
    );
    let hidden = world
        .api
        .received_at("POST", &format!("{VERSION}/{}", RECORDED_COMMENTS[0]));
    assert_eq!(hidden[0].json(), json!({"hide": true}));
}
