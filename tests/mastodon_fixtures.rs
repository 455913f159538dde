//! The Mastodon connector's reading of real answers: every recorded response in
//! `../shared/fixtures/mastodon/` (read in place) that holds notifications, conversations,
//! statuses or a context becomes the right items — kinds, threads, authors, text — seen from
//! the account that made the recording. A fixture without an expectation here fails the
//! test, so a new recording cannot go unchecked.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::Value;
use switchboard::connectors::mastodon::{read_answer, Answer, Brand};
use switchboard::model::{Author, Kind, NewItem, Platform};

const ADMIN: &str = "117020565693913441";
const TEST: &str = "117020565966271181";
const TEST_2: &str = "117020566092212359";

fn dir() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/fixtures/mastodon"
    ))
    .to_path_buf()
}

fn brand(id: &str, handle: &str) -> Brand {
    Brand {
        id: id.into(),
        handle: handle.into(),
    }
}

fn read(name: &str, as_brand: &Brand) -> Answer {
    let text = std::fs::read_to_string(dir().join(name)).unwrap();
    let exchange: Value = serde_json::from_str(&text).unwrap();
    let path = exchange["request"]["path"].as_str().unwrap();
    read_answer(
        "acme-mastodon",
        as_brand,
        path,
        &exchange["response"]["body"],
    )
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn author(id: &str, handle: &str, name: &str) -> Author {
    Author {
        id: id.into(),
        handle: handle.into(),
        name: name.into(),
    }
}

fn one(answer: Answer) -> NewItem {
    assert!(answer.problems.is_empty(), "{:?}", answer.problems);
    assert_eq!(answer.items.len(), 1, "{:?}", answer.items);
    answer.items.into_iter().next().unwrap()
}

/// The mention notification, as the mentioned account (`mastodonpy_test`) reads it.
fn check_mention(item: &NewItem) {
    assert_eq!(item.platform, Platform::Mastodon);
    assert_eq!(item.account, "acme-mastodon");
    assert_eq!(item.kind, Kind::Mention);
    assert_eq!(item.remote_id, "117020577157693549");
    assert_eq!(item.thread_id.as_deref(), Some("117020577157693549"));
    assert_eq!(item.parent_id, None);
    assert_eq!(item.author, author(ADMIN, "admin", ""));
    assert_eq!(item.text, "@mastodonpy_test hello!");
    assert_eq!(item.lang.as_deref(), Some("en"));
    assert_eq!(item.created_at, at("2026-08-01T13:51:42.823Z"));
    assert_eq!(
        item.url.as_deref(),
        Some("http://localhost:3000/@admin/117020577157693549")
    );
    assert!(!item.from_brand);
    assert_eq!(item.raw.as_ref().unwrap()["id"], "117020577157693549");
}

/// The DM `mastodonpy_test_2` sent `admin`, as either of them reads it.
fn check_dm_to_admin(item: &NewItem, read_by_sender: bool) {
    assert_eq!(item.kind, Kind::Dm);
    assert_eq!(item.remote_id, "117020593780198542");
    let other = if read_by_sender { ADMIN } else { TEST_2 };
    assert_eq!(
        item.thread_id.as_deref(),
        Some(format!("dm:{other}").as_str())
    );
    assert_eq!(item.author, author(TEST_2, "mastodonpy_test_2", ""));
    assert_eq!(item.text, "@admin ilu bby ;3");
    assert_eq!(item.lang.as_deref(), Some("ja"));
    assert_eq!(item.created_at, at("2026-08-01T13:55:56.462Z"));
    assert_eq!(item.from_brand, read_by_sender);
}

#[test]
fn every_recorded_answer_becomes_the_right_items() {
    let test = brand(TEST, "mastodonpy_test");
    let test_2 = brand(TEST_2, "mastodonpy_test_2");
    let admin = brand(ADMIN, "admin");
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 23, "{names:?}");
    for name in &names {
        match name.as_str() {
            "notifications-mentions-01.json" | "notifications-mentions-02.json" => {
                check_mention(&one(read(name, &test)));
            }
            // The DM as posted, and as the answer to its deletion (source text, no HTML).
            "conversations-01.json" | "conversations-05.json" => {
                check_dm_to_admin(&one(read(name, &test_2)), true);
                check_dm_to_admin(&one(read(name, &admin)), false);
            }
            "conversations-03.json" => check_dm_to_admin(&one(read(name, &test_2)), true),
            "conversations-02.json" | "conversations-04.json" => {
                let answer = read(name, &test_2);
                assert!(answer.problems.is_empty());
                // Oldest first: the DM to mastodonpy_test, then the one to admin.
                let ids: Vec<&str> = answer.items.iter().map(|i| i.remote_id.as_str()).collect();
                assert_eq!(ids, ["117020588388552703", "117020593780198542"]);
                let first = &answer.items[0];
                assert_eq!(first.kind, Kind::Dm);
                assert_eq!(
                    first.thread_id.as_deref(),
                    Some(format!("dm:{TEST}").as_str())
                );
                assert_eq!(first.parent_id.as_deref(), Some("117020588315335369"));
                assert_eq!(first.text, "@mastodonpy_test pssssst!");
                assert!(first.from_brand);
                check_dm_to_admin(&answer.items[1], true);
            }
            // An unlisted post, as posted and as deleted.
            "status-context-01.json" | "status-context-03.json" => {
                let item = one(read(name, &test_2));
                assert_eq!(item.kind, Kind::Mention);
                assert_eq!(item.remote_id, "117020585487094447");
                assert_eq!(item.thread_id.as_deref(), Some("117020585487094447"));
                assert_eq!(item.author, author(TEST, "mastodonpy_test", "John Lennon"));
                assert_eq!(item.text, "Toot!");
                assert!(!item.from_brand);
                let own = one(read(name, &test));
                assert_eq!((own.kind, own.from_brand), (Kind::Comment, true));
            }
            "status-context-02.json" => {
                let answer = read(name, &test);
                assert!(answer.items.is_empty() && answer.problems.is_empty());
            }
            "status-reply-01.json" | "status-reply-04.json" => {
                let item = one(read(name, &test_2));
                assert_eq!(item.remote_id, "117020583245459824");
                assert_eq!(item.text, "Toot, finally!");
                assert_eq!((item.kind, item.from_brand), (Kind::Comment, true));
                assert_eq!(item.thread_id.as_deref(), Some("117020583245459824"));
            }
            // admin answers mastodonpy_test_2's post: a comment on its post.
            "status-reply-02.json" | "status-reply-03.json" => {
                let item = one(read(name, &test_2));
                assert_eq!(item.kind, Kind::Comment);
                assert_eq!(item.remote_id, "117020583258292382");
                assert_eq!(item.parent_id.as_deref(), Some("117020583245459824"));
                assert_eq!(item.thread_id.as_deref(), Some("117020583245459824"));
                assert_eq!(item.author, author(ADMIN, "admin", ""));
                assert_eq!(item.text, "@mastodonpy_test_2 same!");
                assert!(!item.from_brand);
                // To a third account it is only a mention of someone else.
                assert_eq!(one(read(name, &test)).kind, Kind::Mention);
            }
            n if n.starts_with("pagination-") => check_hashtag_page(n, &read(n, &test)),
            other => panic!("no expectation for fixture {other}"),
        }
    }
}

/// A hashtag timeline page: ten toots (or none), oldest first, the hashtag as its text.
fn check_hashtag_page(name: &str, answer: &Answer) {
    assert!(answer.problems.is_empty());
    let first = match name {
        "pagination-01.json" => 20,
        "pagination-02.json" | "pagination-06.json" => 10,
        "pagination-03.json" | "pagination-07.json" => 0,
        _ => {
            assert!(answer.items.is_empty(), "{name}");
            return;
        }
    };
    assert_eq!(answer.items.len(), 10, "{name}");
    for (n, item) in answer.items.iter().enumerate() {
        assert_eq!(
            item.text,
            format!(
                "Toot number {}! #fgiztsshwiaqqiztpmmjbtvmescsculuvmgjgopwoeidbcrixp",
                first + n
            )
        );
        assert_eq!(item.author.handle, "mastodonpy_test_2");
        assert_eq!(item.thread_id.as_ref(), Some(&item.remote_id));
    }
}

#[test]
fn a_reply_read_with_its_parent_is_threaded_at_the_root_and_bad_entries_are_problems() {
    let test_2 = brand(TEST_2, "mastodonpy_test_2");
    let body = |name: &str| -> Value {
        let text = std::fs::read_to_string(dir().join(name)).unwrap();
        serde_json::from_str::<Value>(&text).unwrap()["response"]["body"].clone()
    };
    let mut notification = body("notifications-mentions-02.json");
    notification["status"] = body("status-reply-02.json");
    let page = Value::Array(vec![
        notification,
        serde_json::json!({"id": "30", "type": "favourite", "status": body("status-reply-01.json")}),
        serde_json::json!({"id": "29", "type": "mention", "status": {"content": "<p>no id</p>"}}),
        serde_json::json!("garbage"),
        serde_json::json!({"id": "28", "type": "mention"}),
    ]);
    let answer = read_answer("acme-mastodon", &test_2, "/api/v1/notifications", &page);
    let reasons: Vec<&str> = answer.problems.iter().map(|p| p.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "notification 28: a mention without a status",
            "notification: not an object",
            "notification 29: status without an id",
        ]
    );
    assert!(answer.problems[2].raw.contains("no id"));
    // The favourite is not an item; the reply is.
    assert_eq!(answer.items.len(), 1);
    assert_eq!(answer.items[0].kind, Kind::Comment);
    assert_eq!(answer.items[0].text, "@mastodonpy_test_2 same!");

    // A chain read together: the grandchild is threaded at the root, not at its parent.
    let mut grandchild = body("status-reply-02.json");
    grandchild["id"] = "117020583258292399".into();
    grandchild["in_reply_to_id"] = "117020583258292382".into();
    grandchild["in_reply_to_account_id"] = ADMIN.into();
    grandchild["account"]["id"] = TEST.into();
    let chain = Value::Array(vec![
        body("status-reply-01.json"),
        body("status-reply-02.json"),
        grandchild,
    ]);
    let answer = read_answer("acme-mastodon", &test_2, "/api/v1/statuses", &chain);
    let threads: Vec<&str> = answer
        .items
        .iter()
        .map(|i| i.thread_id.as_deref().unwrap())
        .collect();
    assert_eq!(threads, ["117020583245459824"; 3]);
    // Answering someone else under the brand's post (and naming the brand) is a mention.
    assert_eq!(answer.items[2].kind, Kind::Mention);
}
