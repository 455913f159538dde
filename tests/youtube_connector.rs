//! The YouTube connector against a loopback Data API replaying the recorded real answers in
//! `../shared/fixtures/youtube/` (read in place): a sync of the channel (published and held
//! threads, replies read by parent over two pages), paging by `nextPageToken` and the
//! cursor stopping early on the next pass, replies and moderation reaching the right
//! endpoints with the right query and body, `find_sent`, `fetch_thread`, the quota counted,
//! resumed, pacing the polls and stopping them at the reserve, and the errors: a used-up
//! quota, a rate limit, an expired token, recorded and written error bodies, a 429, and
//! payloads missing optional fields or unreadable.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use serde_json::{json, Value};
use switchboard::config::{AccountConfig, Config};
use switchboard::connectors::youtube::{next_reset, quota_day, YoutubeConnector, HELD_TAG};
use switchboard::connectors::{Connector, ConnectorError, Moderation, ReplyRequest};
use switchboard::model::{Item, ItemId, Kind, Meter, NewItem, Usage};

use common::fake_api::*;
use common::quick_http_options;
use common::youtube_api::*;

fn config(base: &str, extra: &str) -> AccountConfig {
    let text = format!("{}{extra}", account_toml("acme-yt", base));
    Config::parse(std::path::Path::new("c.toml"), &text)
        .unwrap()
        .accounts[0]
        .clone()
}

fn connector(base: &str) -> YoutubeConnector {
    YoutubeConnector::new(&config(base, ""), quick_http_options()).unwrap()
}

fn stored(new: &NewItem) -> Item {
    Item::from_new(ItemId::generate(), new.clone(), Utc::now())
}

/// Every page until `more` is false: the items, the problems' reasons, the cursor.
async fn sync(
    conn: &YoutubeConnector,
    cursor: Option<String>,
) -> (Vec<NewItem>, Vec<String>, Option<String>) {
    let (mut cursor, mut items, mut problems) = (cursor, Vec::new(), Vec::new());
    for _ in 0..30 {
        let page = conn.fetch_new(cursor.as_deref()).await.expect("fetch_new");
        items.extend(page.items);
        problems.extend(page.problems.into_iter().map(|p| p.reason));
        cursor = page.cursor.or(cursor);
        if !page.more {
            return (items, problems, cursor);
        }
    }
    panic!("fetch_new never said it was done");
}

fn by_id<'a>(items: &'a [NewItem], id: &str) -> &'a NewItem {
    items
        .iter()
        .find(|i| i.remote_id == id)
        .unwrap_or_else(|| panic!("no {id} in {:?}", ids(items)))
}

fn ids(items: &[NewItem]) -> Vec<&str> {
    items.iter().map(|i| i.remote_id.as_str()).collect()
}

fn used(conn: &YoutubeConnector) -> u64 {
    match conn.usage().expect("youtube meters its quota").meter {
        Meter::Quota { used, .. } => used,
        other => panic!("{other:?}"),
    }
}

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
async fn the_quota_is_counted_resumed_the_same_day_only_and_slows_polling_when_low() {
    let world = start_youtube_world();
    let conn = connector(&world.base());
    let today = quota_day(Utc::now());
    let minute = Duration::from_secs(60);
    assert_eq!(
        conn.poll_interval(minute),
        minute,
        "a fresh day polls as configured"
    );

    let yesterday = Usage {
        day: today.pred_opt().unwrap(),
        meter: Meter::Quota {
            used: 9_999,
            limit: 10_000,
        },
    };
    conn.resume_usage(&yesterday);
    assert_eq!(used(&conn), 0, "another day's count is ignored");

    let saved = Usage {
        day: today,
        meter: Meter::Quota {
            used: 8_900,
            limit: 10_000,
        },
    };
    conn.resume_usage(&saved);
    let usage = conn.usage().unwrap();
    assert_eq!(usage.describe(), "quota 1,100 of 10,000 units left today");
    assert!(usage.is_low());

    let (items, _, _) = sync(&conn, None).await;
    assert_eq!(used(&conn), 8_904, "a pass of four calls counted on top");

    // One more pass (four units) above the reserve: the next poll waits for the reset.
    conn.resume_usage(&Usage {
        day: today,
        meter: Meter::Quota {
            used: 8_996,
            limit: 10_000,
        },
    });
    let to_reset = (next_reset(Utc::now()) - Utc::now()).to_std().unwrap();
    let pause = conn.poll_interval(minute);
    assert!(pause >= minute, "never faster than configured: {pause:?}");
    assert!(
        pause + Duration::from_secs(2) >= to_reset.max(minute) && pause <= to_reset.max(minute),
        "{pause:?} for {to_reset:?} to the reset"
    );

    // Only the reserve left: no call, rate-limited until the quota resets.
    conn.resume_usage(&Usage {
        day: today,
        meter: Meter::Quota {
            used: 9_000,
            limit: 10_000,
        },
    });
    world.api.clear();
    let error = conn.fetch_new(None).await.unwrap_err();
    assert_eq!(
        error,
        ConnectorError::RateLimited {
            until: next_reset(Utc::now())
        }
    );
    assert!(world.api.received().is_empty());
    let pause = conn.poll_interval(minute);
    assert!(
        pause + Duration::from_secs(2) >= to_reset && pause <= Duration::from_secs(25 * 3600),
        "no polling until the reset: {pause:?}"
    );
    // Replies still go out from the reserve.
    let item = stored(&items[0]);
    conn.send_reply(&ReplyRequest::new(item, "on it", "k"))
        .await
        .expect("the reserve is for replies");
    assert_eq!(used(&conn), 9_050);
}

#[tokio::test]
async fn a_used_up_quota_is_rate_limited_until_pacific_midnight() {
    let api = FakeApi::start(|_| {
        error(
            403,
            "quotaExceeded",
            "The request cannot be completed because you have exceeded your quota.",
        )
    });
    let conn = connector(&api.base());
    let error = conn.fetch_new(None).await.unwrap_err();
    assert_eq!(
        error,
        ConnectorError::RateLimited {
            until: next_reset(Utc::now())
        }
    );
    assert_eq!(conn.usage().unwrap().quota_left(), Some(0));
    assert_eq!(conn.usage().unwrap().badge(), "0 left");
}

#[tokio::test]
async fn a_rate_limit_is_a_short_hold_and_a_429_is_waited_out() {
    let api = FakeApi::start(|_| error(403, "rateLimitExceeded", "slow down"));
    let conn = connector(&api.base());
    let before = Utc::now();
    let ConnectorError::RateLimited { until } = conn.fetch_new(None).await.unwrap_err() else {
        panic!("a rate limit")
    };
    assert!(
        until > before && until < before + chrono::Duration::minutes(2),
        "{until}"
    );

    let channel = recorded_channel();
    let mut first = true;
    let api = FakeApi::start(move |_| {
        if std::mem::take(&mut first) {
            return error(429, "rateLimitExceeded", "too many").with_header("retry-after", "1");
        }
        Reply::json(
            200,
            &list(
                "youtube#commentThreadListResponse",
                channel.published.clone(),
                None,
            ),
        )
    });
    let conn = connector(&api.base());
    let page = conn
        .fetch_new(None)
        .await
        .expect("the 429 waited out, then the page");
    assert_eq!(page.items.len(), 5, "four threads, one inline reply");
    assert_eq!(
        api.received_at("GET", "/youtube/v3/commentThreads").len(),
        2
    );
}

#[tokio::test]
async fn an_expired_token_is_reported_as_such() {
    let world = start_youtube_world();
    let conn = YoutubeConnector::new(
        &config(&world.base(), "").clone_with_token("stale"),
        quick_http_options(),
    )
    .unwrap();
    let error = conn.fetch_new(None).await.unwrap_err();
    let ConnectorError::Auth(why) = &error else {
        panic!("{error}")
    };
    assert!(why.contains("token expired or revoked"), "{why}");
    assert!(
        why.starts_with("GET /youtube/v3/commentThreads: 401"),
        "{why}"
    );
    assert!(!why.contains("stale"), "never the token: {why}");
}

trait WithToken {
    fn clone_with_token(&self, token: &str) -> AccountConfig;
}

impl WithToken for AccountConfig {
    fn clone_with_token(&self, token: &str) -> AccountConfig {
        AccountConfig {
            token: Some(token.to_string()),
            ..self.clone()
        }
    }
}

#[tokio::test]
async fn error_bodies_give_their_reason() {
    let recorded = fixture("youtube", "error.json");
    let base = Arc::new(Mutex::new(String::new()));
    let b = Arc::clone(&base);
    let api = FakeApi::start(move |_| Reply::recorded(&recorded, &b.lock().unwrap()));
    *base.lock().unwrap() = api.base();
    let conn = connector(&api.base());
    let refused = conn.fetch_new(None).await.unwrap_err();
    assert_eq!(
        refused,
        ConnectorError::Refused(
            "GET /youtube/v3/commentThreads: 400 keyInvalid (Bad Request)".into()
        )
    );

    let world = start_youtube_world();
    let conn = connector(&world.base());
    let (items, _, _) = sync(&conn, None).await;
    world
        .api
        .set_handler(|_| error(403, "commentsDisabled", "The video has disabled comments."));
    let request = ReplyRequest::new(stored(&items[0]), "hello", "k");
    let refused = conn.send_reply(&request).await.unwrap_err();
    assert_eq!(
        refused,
        ConnectorError::Refused(
            "POST /youtube/v3/comments: 403 commentsDisabled (The video has disabled comments.)"
                .into()
        )
    );
    world
        .api
        .set_handler(|_| error(403, "forbidden", "\u{1b}]0;owned\u{7}Not allowed"));
    let refused = conn
        .moderate(&stored(&items[0]), &Moderation::Hide)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, ConnectorError::Refused(w) if w.contains("forbidden") && !w.contains('\u{1b}')),
        "{refused}"
    );
}

#[tokio::test]
async fn missing_optional_fields_are_fine_and_unreadable_threads_are_problems() {
    let api = FakeApi::start(|request| {
        let items = match request.param("moderationStatus") {
            Some("published") => vec![
                json!({"id": "UgzBARE", "snippet": {"topLevelComment": {"id": "UgzBARE", "snippet": {"textOriginal": "hi"}}}}),
                json!({"kind": "youtube#commentThread", "snippet": {"videoId": "v"}}),
                json!("not a thread"),
            ],
            _ => vec![],
        };
        Reply::json(200, &list("youtube#commentThreadListResponse", items, None))
    });
    let conn = connector(&api.base());
    let (items, problems, _) = sync(&conn, None).await;
    assert_eq!(ids(&items), ["UgzBARE"]);
    assert_eq!(items[0].author.id, "");
    assert_eq!(items[0].url, None);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems.iter().all(|p| p.starts_with("commentThreads:")),
        "{problems:?}"
    );
}

#[test]
fn an_account_needs_a_channel_id() {
    let text = "[[accounts]]\nname = \"acme-yt\"\nplatform = \"youtube\"\ntoken = \"t\"\n";
    let account = Config::parse(std::path::Path::new("c.toml"), text)
        .unwrap()
        .accounts[0]
        .clone();
    let Err(error) = YoutubeConnector::new(&account, quick_http_options()) else {
        panic!("built without a channel")
    };
    assert!(
        matches!(&error, ConnectorError::Refused(w) if w.contains("account acme-yt") && w.contains("channel_id")),
        "{error}"
    );
    let bad = AccountConfig {
        channel_id: Some("../x?y".into()),
        ..account.clone()
    };
    assert!(YoutubeConnector::new(&bad, quick_http_options()).is_err());
    let good = AccountConfig {
        channel_id: Some(CHANNEL.into()),
        ..account
    };
    assert!(
        YoutubeConnector::new(&good, quick_http_options()).is_ok(),
        "api_base defaults to googleapis"
    );
}
