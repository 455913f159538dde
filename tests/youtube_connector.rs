//! The YouTube connector against a loopback Data API replaying the recorded real answers in
//! `../shared/fixtures/youtube/` (read in place): a sync of the channel (published and held
//! threads, replies read by parent over two pages), replies and moderation reaching the
//! right endpoints with the right query and body, `find_sent` and `fetch_thread`. Paging and
//! the cursor are in `youtube_paging.rs`, the quota and the errors in `youtube_limits.rs`.

mod common;
mod youtube_support;

use serde_json::json;
use switchboard::connectors::youtube::HELD_TAG;
use switchboard::connectors::{Connector, ConnectorError, Moderation, ReplyRequest};
use switchboard::model::{Kind, NewItem};

use common::youtube_api::*;
use youtube_support::*;

#[tokio::test]
async fn a_sync_brings_in_the_channels_threads_replies_and_held_comments() {
    let world = start_youtube_world();
    let conn = connector(&world.base());
    let (items, problems, _) = sync(&conn, None).await;
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        items.len(),
        8,
        "4 published, 1 held, 3 replies: {:?}",
        ids(&items)
    );
    assert!(items
        .iter()
        .all(|i| i.kind == Kind::Comment && i.account == "acme-yt"));

    let top = by_id(&items, PAGED_THREAD);
    assert_eq!(
        (top.text.as_str(), top.author.name.as_str()),
        ("This is so beautiful !", "kun liu")
    );
    assert_eq!(top.thread_id.as_deref(), Some(PAGED_THREAD));
    assert_eq!(
        top.url.as_deref(),
        Some("https://www.youtube.com/watch?v=JE8xdDp5B8Q&lc=Ugw5zYU6n9pmIgAZWvN4AaABAg")
    );
    assert!(!top.from_brand && top.parent_id.is_none());
    let replies: Vec<&NewItem> = items
        .iter()
        .filter(|i| i.parent_id.as_deref() == Some(PAGED_THREAD))
        .collect();
    assert_eq!(
        replies.len(),
        3,
        "one inline, two more by parent, once each"
    );
    assert!(replies
        .iter()
        .all(|r| r.thread_id.as_deref() == Some(PAGED_THREAD)));
    let brand: Vec<_> = replies.iter().filter(|r| r.from_brand).collect();
    assert_eq!(brand.len(), 1);
    assert_eq!(brand[0].text, "wow");

    let held = by_id(&items, HELD_THREAD);
    assert!(held.tags.contains(HELD_TAG), "{:?}", held.tags);
    assert_eq!(
        held.text, "Google.com",
        "textOriginal, not the HTML textDisplay"
    );
    assert!(items.iter().filter(|i| i.tags.contains(HELD_TAG)).count() == 1);
    let discussion = by_id(&items, "Ugy0FhSzKMNMT9qs6zt4AaABAg");
    assert_eq!(
        discussion.url.as_deref(),
        Some("https://www.youtube.com/channel/UCa-vrCLQHviTOVnEKDOdetQ")
    );

    let lists = world.api.received_at("GET", "/youtube/v3/commentThreads");
    let statuses: Vec<_> = lists
        .iter()
        .map(|r| r.param("moderationStatus").unwrap())
        .collect();
    assert_eq!(statuses, ["published", "heldForReview"]);
    for list in &lists {
        assert_eq!(list.param("part"), Some("snippet,replies"));
        assert_eq!(list.param("allThreadsRelatedToChannelId"), Some(CHANNEL));
        assert_eq!(list.param("order"), Some("time"));
        assert_eq!(list.param("maxResults"), Some("100"));
        assert_eq!(list.param("textFormat"), Some("plainText"));
        assert_eq!(list.header("authorization"), Some("Bearer yt-test-token"));
    }
    let by_parent = world.api.received_at("GET", "/youtube/v3/comments");
    let pages: Vec<_> = by_parent
        .iter()
        .map(|r| (r.param("parentId").unwrap(), r.param("pageToken")))
        .collect();
    assert_eq!(
        pages,
        [(PAGED_THREAD, None), (PAGED_THREAD, Some("replies-page-2"))]
    );
    assert_eq!(used(&conn), 4, "four list calls, one unit each");
}

#[tokio::test]
async fn a_reply_goes_under_the_top_level_comment_and_find_sent_finds_it_afterwards() {
    let world = start_youtube_world();
    let conn = connector(&world.base());
    let (items, _, _) = sync(&conn, None).await;
    let answered = stored(
        items
            .iter()
            .find(|i| i.parent_id.is_some() && !i.from_brand)
            .unwrap(),
    );
    let request = ReplyRequest::new(answered.clone(), "Thanks, we are on it!", "k1");
    assert!(
        conn.find_sent(&request).await.unwrap().is_none(),
        "not sent yet"
    );
    let before = used(&conn);

    let delivered = conn.send_reply(&request).await.expect("reply");
    let insert = world.api.received_at("POST", "/youtube/v3/comments");
    assert_eq!(insert.len(), 1);
    assert_eq!(insert[0].param("part"), Some("snippet"));
    assert_eq!(
        insert[0].json(),
        json!({"snippet": {"parentId": PAGED_THREAD, "textOriginal": "Thanks, we are on it!"}})
    );
    let reply = delivered.reply;
    assert!(reply.from_brand && reply.kind == Kind::Comment);
    assert_eq!(reply.parent_id.as_deref(), Some(PAGED_THREAD));
    assert_eq!(reply.thread_id.as_deref(), Some(PAGED_THREAD));
    assert_eq!(reply.text, "Thanks, we are on it!");
    assert_eq!(used(&conn), before + 50, "an insert costs 50 units");

    let found = conn
        .find_sent(&request)
        .await
        .unwrap()
        .expect("found after sending");
    assert_eq!(found.reply.remote_id, reply.remote_id);
    assert_eq!(
        world.api.received_at("POST", "/youtube/v3/comments").len(),
        1,
        "never sent blind"
    );
}

#[tokio::test]
async fn moderation_reaches_set_moderation_status_and_delete_with_the_right_query() {
    let world = start_youtube_world();
    let conn = connector(&world.base());
    let (items, _, _) = sync(&conn, None).await;
    let theirs = stored(by_id(&items, HELD_THREAD));
    let ours = stored(items.iter().find(|i| i.from_brand).unwrap());
    for action in [Moderation::Hide, Moderation::Unhide, Moderation::Block] {
        conn.moderate(&theirs, &action)
            .await
            .unwrap_or_else(|e| panic!("{action}: {e}"));
    }
    let calls: Vec<_> = world
        .api
        .received_at("POST", "/youtube/v3/comments/setModerationStatus")
        .iter()
        .map(|r| r.query.clone())
        .collect();
    let q = |status: &str, ban: bool| {
        let mut q = vec![
            ("id".to_string(), HELD_THREAD.to_string()),
            ("moderationStatus".to_string(), status.to_string()),
        ];
        if ban {
            q.push(("banAuthor".into(), "true".into()));
        }
        q
    };
    assert_eq!(
        calls,
        [
            q("rejected", false),
            q("published", false),
            q("rejected", true)
        ]
    );
    assert!(world
        .api
        .received_at("POST", "/youtube/v3/comments/setModerationStatus")
        .iter()
        .all(|r| r.body.is_empty()));

    conn.moderate(&ours, &Moderation::Delete)
        .await
        .expect("the channel deletes its own comment");
    let deletes = world.api.received_at("DELETE", "/youtube/v3/comments");
    assert_eq!(deletes.len(), 1);
    assert_eq!(deletes[0].param("id"), Some(ours.remote_id.as_str()));

    world.api.clear();
    let report = Moderation::Report {
        reason: "spam".into(),
    };
    for action in [
        Moderation::Delete,
        report,
        Moderation::Mute,
        Moderation::Dismiss,
    ] {
        let error = conn.moderate(&theirs, &action).await.unwrap_err();
        assert!(
            matches!(error, ConnectorError::Unsupported(ref why) if why.contains("on youtube")),
            "{action}: {error}"
        );
    }
    assert!(
        world.api.received().is_empty(),
        "nothing called for what YouTube cannot do"
    );
    assert_eq!(used(&conn), 4 + 4 * 50, "four lists, four writes");
}

#[tokio::test]
async fn fetch_thread_reads_the_thread_and_every_reply() {
    let world = start_youtube_world();
    let conn = connector(&world.base());
    let (items, _, _) = sync(&conn, None).await;
    world.api.clear();
    let reply = stored(items.iter().find(|i| i.parent_id.is_some()).unwrap());
    let thread = conn.fetch_thread(&reply).await.unwrap();
    assert_eq!(thread.len(), 4, "{:?}", ids(&thread));
    let by_id_call = world.api.received_at("GET", "/youtube/v3/commentThreads");
    assert_eq!(by_id_call[0].param("id"), Some(PAGED_THREAD));
}

#[tokio::test]
async fn deleting_a_comment_already_gone_is_done() {
    let world = start_youtube_world();
    let conn = connector(&world.base());
    let (items, _, _) = sync(&conn, None).await;
    let ours = stored(items.iter().find(|i| i.from_brand).unwrap());
    world
        .api
        .set_handler(|_| error(404, "commentNotFound", "The comment could not be found."));
    conn.moderate(&ours, &Moderation::Delete)
        .await
        .expect("a 404 on delete means it is gone");
    let hide = conn.moderate(&ours, &Moderation::Hide).await.unwrap_err();
    assert!(
        matches!(&hide, ConnectorError::Refused(w) if w.contains("commentNotFound")),
        "{hide}"
    );
}
