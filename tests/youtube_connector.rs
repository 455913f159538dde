//! The YouTube connector against a loopback Data API replaying the recorded real answers in
//! `../shared/fixtures/youtube/` (read in place): a sync of the channel (published and held
//! threads, replies read by parent over two pages), paging by `nextPageToken` and the
//! cursor stopping early on the next pass, replies and moderation reaching the right
//! endpoints with the right query and body, `find_sent` and `fetch_thread`. The quota and
//! the errors are in `youtube_limits.rs`.

mod common;
mod youtube_support;

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use switchboard::connectors::youtube::HELD_TAG;
use switchboard::connectors::{Connector, ConnectorError, Moderation, ReplyRequest};
use switchboard::model::{Kind, NewItem};

use common::fake_api::*;
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

/// A handler serving published threads in two pages (the recorded channel listing, then the
/// recorded video listing, whose own `nextPageToken` leads to an empty page), `newer` on top.
fn paged(newer: Arc<Mutex<Vec<Value>>>) -> impl FnMut(&ApiRequest) -> Reply + Send + 'static {
    let first = fixture_body("youtube", "comment-threads-all.json");
    let second = fixture_body("youtube", "comment-threads-video-p1.json");
    let second_token = second["nextPageToken"].as_str().unwrap().to_string();
    move |request| {
        let threads = "youtube#commentThreadListResponse";
        match (
            request.path.as_str(),
            request.param("moderationStatus"),
            request.param("pageToken"),
        ) {
            ("/youtube/v3/commentThreads", Some("published"), None) => {
                let mut items = newer.lock().unwrap().clone();
                items.extend(first["items"].as_array().unwrap().iter().cloned());
                Reply::json(200, &list(threads, items, Some("P2")))
            }
            ("/youtube/v3/commentThreads", Some("published"), Some("P2")) => {
                Reply::json(200, &second)
            }
            ("/youtube/v3/commentThreads", _, Some(t)) if t == second_token => {
                Reply::json(200, &list(threads, vec![], None))
            }
            ("/youtube/v3/commentThreads", Some("heldForReview"), None) => {
                Reply::json(200, &list(threads, vec![], None))
            }
            ("/youtube/v3/comments", _, _) => {
                Reply::json(200, &list("youtube#commentListResponse", vec![], None))
            }
            _ => Reply::not_found(request),
        }
    }
}

fn new_thread(id: &str, at: &str) -> Value {
    json!({"kind": "youtube#commentThread", "id": id, "snippet": {"videoId": "JE8xdDp5B8Q",
        "topLevelComment": {"id": id, "snippet": {"authorDisplayName": "@newcomer",
            "authorChannelId": {"value": "UCnew"}, "textOriginal": "my order never came",
            "publishedAt": at, "updatedAt": at}}, "totalReplyCount": 0}})
}

#[tokio::test]
async fn pages_follow_next_page_token_and_the_next_pass_stops_at_what_was_stored() {
    let newer = Arc::new(Mutex::new(Vec::new()));
    let api = FakeApi::start(paged(Arc::clone(&newer)));
    let conn = connector(&api.base());
    let (items, problems, cursor) = sync(&conn, None).await;
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        items.len(),
        9,
        "4 threads on page 1, 5 on page 2: {:?}",
        ids(&items)
    );
    let tokens: Vec<_> = api
        .received_at("GET", "/youtube/v3/commentThreads")
        .iter()
        .map(|r| r.param("pageToken").map(str::to_string))
        .collect();
    assert_eq!(
        tokens.len(),
        4,
        "three published pages, one held: {tokens:?}"
    );
    assert_eq!(tokens[1].as_deref(), Some("P2"));

    // Nothing new: one page of each listing, nothing brought in again.
    api.clear();
    let (again, _, cursor) = sync(&conn, cursor).await;
    assert!(again.is_empty(), "{:?}", ids(&again));
    assert_eq!(
        api.received_at("GET", "/youtube/v3/commentThreads").len(),
        2
    );

    // A new thread on top: read from page 1, and page 2 is never asked for.
    newer
        .lock()
        .unwrap()
        .push(new_thread("UgzNEW", "2026-11-23T06:00:00Z"));
    api.clear();
    let (fresh, _, _) = sync(&conn, cursor).await;
    assert_eq!(ids(&fresh), ["UgzNEW"]);
    let lists = api.received_at("GET", "/youtube/v3/commentThreads");
    assert_eq!(
        lists.len(),
        2,
        "{:?}",
        lists.iter().map(|r| r.query.clone()).collect::<Vec<_>>()
    );
    assert!(lists.iter().all(|r| r.param("pageToken").is_none()));
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
async fn a_new_reply_on_an_older_thread_of_the_first_page_is_read_by_parent() {
    let world = start_youtube_world();
    let conn = connector(&world.base());
    let (_, _, cursor) = sync(&conn, None).await;
    let quiet = "UgyWeTdgc4sc1xgmbld4AaABAg";
    {
        let mut channel = world.channel.lock().unwrap();
        let thread = channel
            .published
            .iter_mut()
            .find(|t| t["id"] == quiet)
            .unwrap();
        thread["snippet"]["totalReplyCount"] = json!(1);
        let reply = json!({"kind": "youtube#comment", "id": format!("{quiet}.late1"),
            "snippet": {"parentId": quiet, "authorDisplayName": "kun liu",
                "authorChannelId": {"value": "UCNvMBmCASzTNNX8lW3JRMbw"},
                "textOriginal": "still waiting for an answer", "publishedAt": "2026-11-23T06:00:00Z"}});
        channel.replies.insert(quiet.to_string(), vec![vec![reply]]);
    }
    world.api.clear();
    let (items, _, _) = sync(&conn, cursor).await;
    let reply = by_id(&items, &format!("{quiet}.late1"));
    assert_eq!(reply.parent_id.as_deref(), Some(quiet));
    assert_eq!(reply.text, "still waiting for an answer");
    let by_parent = world.api.received_at("GET", "/youtube/v3/comments");
    assert_eq!(by_parent.len(), 1, "only the thread whose count grew");
    assert_eq!(by_parent[0].param("parentId"), Some(quiet));
}
