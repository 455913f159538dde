//! The Facebook Pages connector's sync against a loopback Graph API
//! (tests/common/facebook_api.rs) replaying the recorded answers in
//! `../shared/fixtures/facebook/` in place: the feed's comments (cursor paging with `after`),
//! tagged posts and Messenger conversations as their kinds and threads; the cursor on the next
//! pass; missing fields and hostile text. Throttling and errors are in `facebook_limits.rs`,
//! replies and moderation in `facebook_replies.rs`.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};
use common::facebook_api::*;
use common::fake_api::{fixture_body, Reply};
use serde_json::{json, Value};
use switchboard::config::Config;
use switchboard::connectors::facebook::{Cursor, FacebookConnector, Step, Walk};
use switchboard::connectors::{build_connectors, Connector, ConnectorError};
use switchboard::model::{Kind, NewItem};

#[tokio::test]
async fn a_first_sync_brings_comments_mentions_and_dms_as_their_kinds_and_threads() {
    let world = start_facebook_world();
    let c = connector(&world);
    let mut cursor = None;
    let items = by_id(&pass(&c, &mut cursor).await.unwrap());

    // The feed's posts: the Page's own, as thread roots (brand context).
    let post = &items[POST_ID];
    assert!(post.from_brand);
    assert_eq!(post.thread_id.as_deref(), Some(POST_ID));
    assert!(items["4_10113477241177441"].from_brand);

    // The recorded comments (no id, no from): ids and parents from their permalinks.
    let top = &items["10158407654328553_10158407903973553"];
    assert_eq!(top.kind, Kind::Comment);
    assert_eq!(top.thread_id.as_deref(), Some(POST_ID));
    assert_eq!(top.parent_id.as_deref(), Some(POST_ID));
    assert_eq!(top.author.id, "");
    assert!(!top.from_brand);
    let reply = &items["10158407654328553_10158409984053553"];
    assert_eq!(reply.parent_id.as_deref(), Some(top.remote_id.as_str()));
    assert_eq!(reply.text, "Facebook for Developers they don’t respond 😞");
    assert_eq!(
        reply.created_at,
        "2021-08-11T23:23:03Z"
            .parse::<chrono::DateTime<Utc>>()
            .unwrap()
    );
    // Page 2 of the comments, asked for with `after`.
    let second = &items[SECOND_PAGE_COMMENT];
    assert_eq!(second.author.id, "5550001");
    assert_eq!(second.author.name, "Dana");
    let comments = items
        .values()
        .filter(|i| i.kind == Kind::Comment && !i.from_brand)
        .count();
    assert_eq!(comments, 11);

    let mention = &items[TAGGED_ID];
    assert_eq!(mention.kind, Kind::Mention);
    assert_eq!(mention.thread_id.as_deref(), Some(TAGGED_ID));

    // Messenger: the recorded messages (attachments only) and a text message.
    let recorded = fixture_body("facebook", "messages.json");
    for id in recorded.as_object().unwrap().keys() {
        let dm = &items[id.as_str()];
        assert_eq!(dm.kind, Kind::Dm);
        assert_eq!(dm.thread_id.as_deref(), Some(CONVERSATION_ID));
        assert_eq!(dm.author.id, "2711636948859886");
        assert!(dm.text.starts_with("[image/jpeg") || dm.text.starts_with("[video/mp4"));
    }
    let text = &items[TEXT_MESSAGE_ID];
    assert_eq!(
        (text.kind, text.thread_id.as_deref(), text.text.as_str()),
        (Kind::Dm, Some(OTHER_CONVERSATION_ID), "hehe")
    );
    assert_eq!(items.len(), 6 + 11 + 1 + 3);

    // The requests: the token as a bearer header only, the paging with `after`.
    let comments = world.received_at("GET", &format!("/{POST_ID}/comments"));
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0].param("filter"), Some("stream"));
    assert_eq!(comments[0].param("order"), Some("reverse_chronological"));
    assert!(comments[0].param("fields").unwrap().contains("parent"));
    assert_eq!(comments[0].param("after"), None);
    assert_eq!(comments[1].param("after"), Some("after"));
    let conversations = world.received_at("GET", &format!("/{PAGE_ID}/conversations"));
    assert_eq!(conversations[0].param("platform"), Some("messenger"));
    for request in world.api.received() {
        assert_eq!(request.header("authorization"), Some("Bearer page-token"));
        assert!(request.param("access_token").is_none());
    }
}

#[tokio::test]
async fn the_next_pass_reads_only_what_is_new() {
    // The post's `updated_time` follows its newest comment, as on Facebook.
    let extra: Arc<Mutex<Option<Value>>> = Arc::default();
    let scene = Arc::clone(&extra);
    let world = start_facebook_world_with(move |_, path| {
        let comment = scene.lock().unwrap().clone();
        if path == format!("/{PAGE_ID}/feed") {
            let mut feed = feed();
            feed["data"][0]["updated_time"] = match &comment {
                Some(c) => c["created_time"].clone(),
                None => json!("2021-08-12T18:30:51+0000"),
            };
            return Some(Reply::json(200, &feed));
        }
        let comment = comment?;
        (path == format!("/{POST_ID}/comments")).then(|| {
            let mut recorded = fixture_body("facebook", "comments-p1.json");
            recorded["data"].as_array_mut().unwrap().insert(0, comment);
            Reply::json(200, &recorded)
        })
    });
    let c = connector(&world);
    let mut cursor = None;
    let first = by_id(&pass(&c, &mut cursor).await.unwrap());
    let stored = Cursor::parse(cursor.as_deref());
    assert_eq!(stored.step, Step::Feed);
    let newest: chrono::DateTime<Utc> = "2021-08-12T18:30:51Z".parse().unwrap();
    assert_eq!(stored.posts[POST_ID], Some(newest.timestamp()));
    assert!(stored.tagged.is_some() && stored.conversations.is_some());

    // A new comment arrives on the post.
    *extra.lock().unwrap() = Some(json!({"id": "10158407654328553_10158499999999999",
        "message": "any news?", "created_time": "2021-08-13T08:00:00+0000",
        "from": {"id": "5550009", "name": "Gil"}}));
    world.api.clear();
    let second = pass(&c, &mut cursor).await.unwrap();
    let new: Vec<&str> = second
        .iter()
        .filter(|i| !first.contains_key(&i.remote_id))
        .map(|i| i.remote_id.as_str())
        .collect();
    assert_eq!(new, vec!["10158407654328553_10158499999999999"]);
    // Read again at most: what sits at a mark's very second.
    assert!(second.len() <= 4, "{second:?}");
    let comments = world.received_at("GET", &format!("/{POST_ID}/comments"));
    assert_eq!(comments.len(), 1, "the walk stops at the mark");
    let stored = Cursor::parse(cursor.as_deref());
    assert_eq!(
        stored.posts[POST_ID],
        Some(
            "2021-08-13T08:00:00Z"
                .parse::<chrono::DateTime<Utc>>()
                .unwrap()
                .timestamp()
        )
    );

    // Nothing changed: the post's comments are not asked for again.
    world.api.clear();
    pass(&c, &mut cursor).await.unwrap();
    assert!(world
        .received_at("GET", &format!("/{POST_ID}/comments"))
        .is_empty());
    assert_eq!(
        world
            .received_at("GET", "/4_10113477241177441/comments")
            .len(),
        1,
        "a post without updated_time is read every pass"
    );
}

#[tokio::test]
async fn comments_are_paged_by_after_to_the_end() {
    let world = start_facebook_world_with(|request, path| {
        if path != format!("/{POST_ID}/comments") {
            return None;
        }
        let (n, next) = match request.param("after") {
            None => (1, Some("c1")),
            Some("c1") => (2, Some("c2")),
            Some("c2") => (3, None),
            Some(other) => panic!("unexpected after={other}"),
        };
        let mut paging = json!({"cursors": {"before": "b", "after": next.unwrap_or("end")}});
        if let Some(after) = next {
            paging["next"] = json!(format!("https://graph.facebook.com/v17.0/x?after={after}"));
        }
        Some(Reply::json(
            200,
            &json!({"data": [{"id": format!("1_{n}"), "message": format!("page {n}"),
                "created_time": format!("2026-11-2{n}T10:00:00+0000")}], "paging": paging}),
        ))
    });
    let c = connector(&world);
    let start = Cursor {
        posts: [(POST_ID.to_string(), Some(1))].into(),
        step: Step::Comments {
            todo: vec![(POST_ID.into(), None)],
            walk: Walk::default(),
        },
        ..Cursor::default()
    };
    let mut cursor = Some(start.to_text());
    let mut read = Vec::new();
    for _ in 0..3 {
        let page = c.fetch_new(cursor.as_deref()).await.unwrap();
        assert!(page.more);
        read.extend(page.items.into_iter().map(|i| i.remote_id));
        cursor = page.cursor;
    }
    assert_eq!(read, vec!["1_1", "1_2", "1_3"]);
    let asked: Vec<Option<String>> = world
        .received_at("GET", &format!("/{POST_ID}/comments"))
        .iter()
        .map(|r| r.param("after").map(str::to_string))
        .collect();
    assert_eq!(asked, vec![None, Some("c1".into()), Some("c2".into())]);
    let after = Cursor::parse(cursor.as_deref());
    let newest: chrono::DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
    assert_eq!(after.posts[POST_ID], Some(newest.timestamp()));
    assert!(matches!(after.step, Step::Comments { ref todo, .. } if todo.is_empty()));
    // The next call goes on to the tagged posts.
    c.fetch_new(cursor.as_deref()).await.unwrap();
    assert_eq!(
        world
            .received_at("GET", &format!("/{PAGE_ID}/tagged"))
            .len(),
        1
    );
}

/// Every page of one pass, problems included.
async fn pass_with_problems(c: &FacebookConnector) -> (Vec<NewItem>, Vec<String>) {
    let (mut items, mut problems, mut cursor) = (Vec::new(), Vec::new(), None::<String>);
    loop {
        let page = c.fetch_new(cursor.as_deref()).await.unwrap();
        items.extend(page.items);
        problems.extend(
            page.problems
                .into_iter()
                .map(|p| format!("{}: {}", p.reason, p.raw)),
        );
        cursor = page.cursor;
        if !page.more {
            return (items, problems);
        }
    }
}

#[tokio::test]
async fn missing_optional_fields_are_fine_and_an_unusable_comment_is_a_problem() {
    let world = start_facebook_world_with(|_, path| {
        (path == format!("/{POST_ID}/comments")).then(|| {
            Reply::json(
                200,
                &json!({"data": [
                    {"message": "who am I?", "like_count": 3},
                    {"id": "1_5"},
                    {"id": "1_6", "message": 42, "from": "nobody", "created_time": "yesterday"},
                ]}),
            )
        })
    });
    let c = connector(&world);
    let (items, problems) = pass_with_problems(&c).await;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("no id") && problems[0].contains("who am I?"));
    let items = by_id(&items);
    let bare = &items["1_5"];
    assert_eq!((bare.text.as_str(), bare.author.id.as_str()), ("", ""));
    assert_eq!(bare.parent_id.as_deref(), Some(POST_ID));
    assert!(Utc::now() - bare.created_at < Duration::minutes(1));
    assert_eq!(items["1_6"].text, "");
    assert!(items.contains_key(TAGGED_ID), "the rest still syncs");
}

#[tokio::test]
async fn hostile_text_is_kept_raw() {
    let hostile: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(common::fake_api::fixtures_dir("").join("hostile-text.json"))
            .unwrap(),
    )
    .unwrap();
    let texts: Vec<String> = hostile
        .iter()
        .map(|h| h["text"].as_str().unwrap().to_string())
        .collect();
    let served = texts.clone();
    let world = start_facebook_world_with(move |_, path| {
        (path == format!("/{POST_ID}/comments")).then(|| {
            let data: Vec<Value> = served
                .iter()
                .enumerate()
                .map(|(n, t)| {
                    json!({"id": format!("9_{n}"), "message": t,
                    "created_time": "2026-11-23T06:00:00+0000", "from": {"id": "5", "name": t}})
                })
                .collect();
            Reply::json(200, &json!({"data": data}))
        })
    });
    let items = by_id(&pass(&connector(&world), &mut None).await.unwrap());
    for (n, text) in texts.iter().enumerate() {
        let item = &items[&format!("9_{n}")];
        assert_eq!(&item.text, text);
        assert_eq!(&item.author.name, text);
    }
}

#[test]
fn a_plain_account_builds_and_page_id_is_required() {
    let world = start_facebook_world();
    let text = format!(
        "{}\n[[accounts]]\nname = \"no-page\"\nplatform = \"facebook\"\ntoken = \"t\"\n",
        world.account_toml("acme-fb")
    );
    let config = Config::parse(Path::new("test.toml"), &text).unwrap();
    let (connectors, problems) = build_connectors(&config);
    assert!(connectors.get("acme-fb").is_some());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].account, "no-page");
    match &problems[0].error {
        ConnectorError::Refused(why) => {
            assert!(why.contains("no-page") && why.contains("page_id"), "{why}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_post_deleted_since_the_feed_was_read_is_skipped_not_stuck_on() {
    let world = start_facebook_world_with(|_, path| {
        (path == "/4_10113477241177441/comments").then(|| {
            graph_error(
                400,
                100,
                "Unsupported get request. Object with ID '4_10113477241177441' does not exist",
            )
        })
    });
    let c = connector(&world);
    let (items, problems) = pass_with_problems(&c).await;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("skipped") && problems[0].contains("does not exist"));
    let items = by_id(&items);
    assert!(items.contains_key(SECOND_PAGE_COMMENT) && items.contains_key(TEXT_MESSAGE_ID));
}

#[tokio::test]
async fn the_recorded_single_comment_keeps_its_own_id() {
    let world = start_facebook_world_with(|_, path| {
        (path == format!("/{POST_ID}/comments")).then(|| {
            let comment = fixture_body("facebook", "comment.json");
            Reply::json(200, &json!({"data": [comment]}))
        })
    });
    let items = by_id(&pass(&connector(&world), &mut None).await.unwrap());
    let comment = &items["10158371815748553_10158371930463553"];
    assert_eq!(comment.kind, Kind::Comment);
    assert_eq!(comment.text, "This is really nice");
    assert_eq!(comment.thread_id.as_deref(), Some(POST_ID));
    assert_eq!(comment.parent_id.as_deref(), Some(POST_ID));
    assert_eq!(
        comment.created_at,
        "2021-07-21T21:05:14Z"
            .parse::<chrono::DateTime<Utc>>()
            .unwrap()
    );
}
