//! The YouTube connector's cursor against a loopback Data API replaying the recorded
//! listings: pages followed by `nextPageToken`, the next pass stopping at what was stored
//! (page two never asked for again), and a new reply under an older thread of the first page
//! found by its grown reply count.

mod common;
mod youtube_support;

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use common::fake_api::*;
use common::youtube_api::*;
use youtube_support::*;

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
