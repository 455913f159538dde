//! The X connector syncing from a loopback X API ([`common::x_api`]'s little world, built
//! on the recorded real answers in `../shared/fixtures/x`, read in place), and from handlers
//! of its own for what the recordings lack: pagination, since_id on the next pass, 429 with
//! `x-rate-limit-reset`, an expired token, error bodies, a post without an id, hostile text;
//! the day's spend.

mod common;
mod x_support;

use chrono::Utc;
use common::fake_api::{fixture_body, fixtures_dir, FakeApi, Reply};
use common::x_api::*;
use serde_json::{json, Value};
use switchboard::connectors::{Connector, ConnectorError};
use switchboard::model::Kind;
use x_support::{connector, spent, Store};

#[tokio::test]
async fn a_sync_brings_mentions_comments_and_dms_as_the_right_kinds_and_threads() {
    let api = start_x_world();
    let c = connector(&api.base(), X_TOKEN);
    let mut store = Store::default();
    let new = store.pass(&c).await;
    assert_eq!(
        new.len(),
        14,
        "{:?}",
        new.iter().map(|i| &i.remote_id).collect::<Vec<_>>()
    );
    let kinds = |kind: Kind| new.iter().filter(|i| i.kind == kind).count();
    assert_eq!(
        (kinds(Kind::Mention), kinds(Kind::Comment), kinds(Kind::Dm)),
        (10, 2, 2)
    );

    // The recorded mentions have no author_id and no created_at: still items.
    let recorded = &store.items["1578516295611748353"];
    assert_eq!(recorded.kind, Kind::Mention);
    assert_eq!(recorded.author.id, "");
    assert_eq!(recorded.thread_id.as_deref(), Some("1578516295611748353"));
    assert_eq!(
        recorded.created_at.to_rfc3339(),
        "2022-10-07T22:43:06.945+00:00"
    );
    assert!(recorded
        .text
        .starts_with("@Twitter @TwitterSupport this is my ENTIRE feed"));

    let reply = &store.items[X_REPLY_ID];
    assert_eq!(reply.kind, Kind::Comment);
    assert_eq!(reply.thread_id.as_deref(), Some(X_BRAND_POST_ID));
    assert_eq!(reply.parent_id.as_deref(), Some(X_BRAND_POST_ID));
    assert_eq!(
        (reply.author.handle.as_str(), reply.author.name.as_str()),
        ("ben", "Ben")
    );
    let deep = &store.items[X_DEEP_REPLY_ID];
    assert_eq!(
        deep.kind,
        Kind::Comment,
        "a reply in the brand's conversation"
    );
    assert_eq!(deep.parent_id.as_deref(), Some(X_REPLY_ID));

    let dm = &store.items[X_CUSTOMER_DM_ID];
    assert_eq!((dm.kind, dm.from_brand), (Kind::Dm, false));
    assert_eq!(dm.thread_id.as_deref(), Some(X_DM_CONVERSATION));
    assert_eq!(dm.author.handle, "claire");
    assert!(store.items["1585800613752881156"].from_brand);

    let mentions = api.received_at("GET", &format!("/2/users/{X_BRAND_ID}/mentions"));
    assert_eq!(mentions.len(), 2, "the recorded page, then its next_token");
    let first = &mentions[0];
    assert_eq!(first.param("expansions"), Some("author_id"));
    assert_eq!(
        first.param("tweet.fields"),
        Some("created_at,conversation_id,in_reply_to_user_id,referenced_tweets,author_id,lang")
    );
    assert_eq!(first.param("user.fields"), Some("username,name"));
    assert_eq!(first.param("since_id"), None);
    let recorded_token = fixture_body("x", "mentions-01.json")["meta"]["next_token"].clone();
    assert_eq!(
        mentions[1].param("pagination_token"),
        recorded_token.as_str()
    );
    let search = &api.received_at("GET", "/2/tweets/search/recent")[0];
    assert_eq!(
        search.param("query"),
        Some(&*format!("conversation_id:{X_BRAND_POST_ID}"))
    );
    let dms = &api.received_at("GET", "/2/dm_events")[0];
    assert_eq!(dms.param("event_types"), Some("MessageCreate"));
    assert_eq!(dms.param("expansions"), Some("sender_id"));
    assert_eq!(
        dms.param("dm_event.fields"),
        Some("id,text,event_type,created_at,dm_conversation_id,sender_id")
    );
    assert!(api
        .received()
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer x-world-token")));

    // 12 posts + 1 brand post, 2 users (ben, dana) and claire, 2 DM events, once each.
    let (micros, calls) = spent(&c);
    assert_eq!(micros, 13 * 5_000 + 3 * 10_000 + 2 * 10_000);
    assert_eq!(
        calls, 5,
        "mentions twice, the brand's posts, the search, the DMs"
    );
}

#[tokio::test]
async fn the_next_pass_asks_only_what_is_newer_and_brings_nothing_twice() {
    let api = start_x_world();
    let c = connector(&api.base(), X_TOKEN);
    let mut store = Store::default();
    store.pass(&c).await;
    api.clear();
    let again = store.pass(&c).await;
    assert!(again.is_empty(), "{again:?}");
    let mentions = &api.received_at("GET", &format!("/2/users/{X_BRAND_ID}/mentions"))[0];
    assert_eq!(mentions.param("since_id"), Some(X_REPLY_ID));
    assert_eq!(mentions.param("pagination_token"), None);
    // Recent search reaches back 7 days and refuses an older since_id: the world's posts
    // are from 2022, so it is left out (the mentions' is not).
    let search = &api.received_at("GET", "/2/tweets/search/recent")[0];
    assert_eq!(search.param("since_id"), None);
    assert_eq!(
        api.received_at("GET", "/2/dm_events").len(),
        1,
        "stops at what was stored"
    );
}

#[tokio::test]
async fn a_429_with_a_reset_ends_as_rate_limited_until_then() {
    let reset = Utc::now().timestamp() + 900;
    let api = FakeApi::start(move |_| {
        Reply::json(
            429,
            &json!({"title": "Too Many Requests", "detail": "Too Many Requests"}),
        )
        .with_header("x-rate-limit-limit", "450")
        .with_header("x-rate-limit-remaining", "0")
        .with_header("x-rate-limit-reset", &reset.to_string())
    });
    let c = connector(&api.base(), X_TOKEN);
    match c.fetch_new(None).await {
        Err(ConnectorError::RateLimited { until }) => assert_eq!(until.timestamp(), reset),
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(api.received().len(), 1, "no call is made into the hold");
}

#[tokio::test]
async fn an_expired_token_is_reported_as_such() {
    let api = start_x_world();
    let c = connector(&api.base(), "expired");
    let error = c.fetch_new(None).await.unwrap_err();
    let ConnectorError::Auth(why) = &error else {
        panic!("expected Auth, got {error:?}")
    };
    assert!(
        why.contains(&format!("GET /2/users/{X_BRAND_ID}/mentions")),
        "{why}"
    );
    assert!(why.contains("token expired or revoked"), "{why}");
    assert!(!why.contains("expired\""), "no token in the error: {why}");
}

#[tokio::test]
async fn error_bodies_give_the_reason_and_the_call() {
    let api = FakeApi::start(|_| {
        Reply::json(
            400,
            &json!({
            "errors": [{"parameters": {"since_id": ["1"]},
                        "message": "Invalid 'since_id':'1'. 'since_id' must be a tweet id created after 2010-11-04"}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request"}),
        )
    });
    let c = connector(&api.base(), X_TOKEN);
    let error = c.fetch_new(None).await.unwrap_err();
    let ConnectorError::Refused(why) = &error else {
        panic!("expected Refused, got {error:?}")
    };
    assert!(
        why.starts_with(&format!("GET /2/users/{X_BRAND_ID}/mentions: 400")),
        "{why}"
    );
    assert!(
        why.contains("One or more parameters") && why.contains("Invalid 'since_id'"),
        "{why}"
    );
}

#[tokio::test]
async fn a_post_without_an_id_is_a_problem_and_the_rest_of_the_page_syncs() {
    let api = FakeApi::start(|_| {
        Reply::json(
            200,
            &json!({
            "data": [{"text": "@acme no id here"}, {"id": "1578516295611748353", "text": "@acme ok"}],
            "meta": {"result_count": 2}}),
        )
    });
    let c = connector(&api.base(), X_TOKEN);
    let page = c.fetch_new(None).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.problems.len(), 1);
    assert!(page.problems[0].reason.contains("without an id"));
    assert!(page.problems[0].raw.contains("no id here"));
}

#[tokio::test]
async fn hostile_text_is_kept_exactly_as_received() {
    let path = fixtures_dir("x").join("../hostile-text.json");
    let hostile: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let data: Vec<Value> = hostile
        .iter()
        .enumerate()
        .map(|(n, h)| json!({"id": format!("{}", 1_578_516_295_611_748_353u64 + n as u64), "text": h["text"]}))
        .collect();
    let body = json!({"data": data, "meta": {"result_count": data.len()}});
    let api = FakeApi::start(move |_| Reply::json(200, &body));
    let c = connector(&api.base(), X_TOKEN);
    let page = c.fetch_new(None).await.unwrap();
    assert_eq!(page.items.len(), hostile.len());
    for (item, h) in page.items.iter().zip(&hostile) {
        assert_eq!(item.text, h["text"].as_str().unwrap(), "{}", h["name"]);
    }
}

/// An X id written `minutes` ago (a snowflake), `n` telling ids of the same minute apart.
fn recent_id(minutes: i64, n: u64) -> String {
    let at = (Utc::now() - chrono::Duration::minutes(minutes)).timestamp_millis();
    ((((at - 1_288_834_974_657) as u64) << 22) + n).to_string()
}

#[tokio::test]
async fn the_replies_search_carries_its_since_id_and_reaches_back_for_a_new_conversation() {
    let (first_post, reply, newer_post) = (recent_id(60, 0), recent_id(30, 0), recent_id(45, 0));
    let posts = std::sync::Arc::new(std::sync::Mutex::new(vec![first_post.clone()]));
    let timeline = posts.clone();
    let answer = reply.clone();
    let api = FakeApi::start(move |request| match request.path.as_str() {
        p if p.ends_with("/tweets") && p.starts_with("/2/users/") => {
            let data: Vec<Value> = timeline
                .lock()
                .unwrap()
                .iter()
                .map(|id| json!({"id": id, "conversation_id": id, "author_id": X_BRAND_ID}))
                .collect();
            Reply::json(
                200,
                &json!({"data": data, "meta": {"result_count": data.len()}}),
            )
        }
        "/2/tweets/search/recent" if request.param("since_id").is_none() => Reply::json(
            200,
            &json!({
            "data": [{"id": answer, "conversation_id": first_post, "author_id": "7",
                      "in_reply_to_user_id": X_BRAND_ID, "text": "@acme help"}],
            "meta": {"result_count": 1}}),
        ),
        _ => Reply::json(200, &json!({"meta": {"result_count": 0}})),
    });
    let c = connector(&api.base(), X_TOKEN);
    let mut store = Store::default();
    let new = store.pass(&c).await;
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].kind, Kind::Comment);
    store.pass(&c).await;
    let searches = api.received_at("GET", "/2/tweets/search/recent");
    assert_eq!(
        searches[1].param("since_id"),
        Some(reply.as_str()),
        "carried"
    );
    // The brand posts again, earlier than the last reply read: its conversation is searched
    // from its first post on.
    posts.lock().unwrap().insert(0, newer_post.clone());
    store.pass(&c).await;
    let searches = api.received_at("GET", "/2/tweets/search/recent");
    let last = searches.last().unwrap();
    assert_eq!(last.param("since_id"), Some(newer_post.as_str()));
    let query = format!(
        "conversation_id:{newer_post} OR conversation_id:{}",
        posts.lock().unwrap()[1]
    );
    assert_eq!(last.param("query"), Some(query.as_str()));
}
