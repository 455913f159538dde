//! How the Instagram connector meets a Graph API that does not simply answer: Meta's
//! throttling headers and codes (80002 is Instagram's business-use-case code), an expired
//! token, error bodies under a 200, entries that cannot be read, hostile text, and feeds out
//! of the token's reach, against the loopback world of `tests/common/instagram_api.rs`.

mod common;

use chrono::{Duration, Utc};
use common::fake_api::{fixture_body, Reply};
use common::instagram::connector;
use common::instagram_api::*;
use serde_json::{json, Value};
use switchboard::connectors::{Connector, ConnectorError};
use switchboard::model::Meter;

#[tokio::test]
async fn throttling_headers_and_codes_hold_the_account() {
    let world = start_instagram_world();
    let c = connector(&world, "");
    let buc = r#"{"17841406338772941":[{"type":"instagram","call_count":97,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":12}]}"#;
    world.answer_next(
        Reply::json(200, &json!({"id": IG_USER_ID, "username": "acme"}))
            .with_header("x-business-use-case-usage", buc),
    );
    c.brand().await.unwrap();
    match c.usage().map(|u| u.meter) {
        Some(Meter::Throttle { percent }) => assert_eq!(percent, 97),
        other => panic!("{other:?}"),
    }
    let before = world.api.received().len();
    match c.fetch_new(None).await {
        Err(ConnectorError::RateLimited { until }) => {
            let wait = until - Utc::now();
            assert!(
                wait > Duration::minutes(11) && wait <= Duration::minutes(12),
                "{wait}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(world.api.received().len(), before, "held: no call sent");

    let world = start_instagram_world();
    let c = connector(&world, "");
    world.answer_next(Reply::json(
        400,
        &json!({"error": {
        "message": "(#80002) There have been too many calls to this Instagram account.",
        "type": "OAuthException", "code": 80002, "fbtrace_id": "A"}}),
    ));
    assert!(matches!(
        c.fetch_new(None).await,
        Err(ConnectorError::RateLimited { .. })
    ));
    let app = Reply::json(200, &json!({"id": IG_USER_ID}))
        .with_header("x-app-usage", r#"{"call_count":40,"total_time":5}"#);
    world.answer_next(app);
    c.brand().await.unwrap();
    assert!(matches!(
        c.usage().map(|u| u.meter),
        Some(Meter::Throttle { percent: 40 })
    ));
    assert!(
        c.fetch_new(None).await.unwrap().more,
        "below the hold: calls go on"
    );
}

#[tokio::test]
async fn an_expired_token_is_reported_as_expired_and_error_bodies_under_200_are_errors() {
    let world = start_instagram_world();
    let c = connector(&world, "");
    world.answer_next(Reply::json(
        400,
        &json!({"error": {
        "message": "Error validating access token: Session has expired on Friday.",
        "type": "OAuthException", "code": 190, "error_subcode": 463, "fbtrace_id": "B"}}),
    ));
    match c.fetch_new(None).await {
        Err(ConnectorError::Auth(why)) => {
            assert!(why.contains("expired"), "{why}");
            assert!(why.contains(&format!("GET /{IG_USER_ID}:")), "{why}");
            assert!(!why.contains("ig-test-token"));
        }
        other => panic!("{other:?}"),
    }
    let c = connector(&world, "");
    let mut error = fixture_body("facebook", "error.json");
    error["error"]["message"] =
        json!("(#100) Tried accessing nonexisting field (mentioned_comment)");
    world.answer_next(Reply::json(
        200,
        &json!({"id": IG_USER_ID, "username": "acme"}),
    ));
    world.answer_next(Reply::json(200, &error));
    match c.fetch_new(None).await {
        Err(ConnectorError::Refused(why)) => {
            assert!(
                why.contains("nonexisting field") && why.contains("code 100"),
                "{why}"
            );
            assert!(why.contains("/media"), "{why}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn unreadable_entries_are_problems_and_hostile_text_is_kept_raw() {
    let world = start_instagram_world();
    let c = connector(&world, "");
    let hostile: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/fixtures/hostile-text.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut data: Vec<Value> = hostile
        .iter()
        .enumerate()
        .map(|(n, h)| json!({"id": format!("1790{n:04}"), "text": h["text"], "timestamp": "2026-11-23T09:00:00+0000"}))
        .collect();
    data.push(json!({"text": "no id at all"}));
    data.push(json!({"id": "17909999", "text": "when?", "timestamp": "soon"}));
    let mut cursor = Some(r#"{"p":"c","q":[{"i":"17896622936197745","c":6}]}"#.to_string());
    c.brand().await.unwrap();
    world.answer_next(Reply::json(200, &json!({"data": data})));
    let page = c.fetch_new(cursor.as_deref()).await.unwrap();
    assert_eq!(
        page.items.len(),
        hostile.len(),
        "the rest of the page still syncs"
    );
    for (item, h) in page.items.iter().zip(&hostile) {
        assert_eq!(item.text, h["text"].as_str().unwrap(), "{}", h["name"]);
    }
    assert_eq!(page.problems.len(), 2);
    assert!(page.problems[0].raw.contains("no id at all"));
    assert!(page.problems[1].raw.contains("soon"));
    cursor = page.cursor;
    assert!(
        cursor.unwrap().contains(r#""p":"t""#),
        "the media is done: tags next"
    );
}

#[tokio::test]
async fn out_of_reach_dms_are_a_problem_and_the_pass_still_ends() {
    let world = start_instagram_world();
    let c = connector(&world, "");
    c.brand().await.unwrap();
    world.answer_next(Reply::json(
        403,
        &json!({"error": {
        "message": "(#230) Requires instagram_manage_messages permission", "code": 230}}),
    ));
    let page = c.fetch_new(Some(r#"{"p":"d"}"#)).await.unwrap();
    assert!(!page.more, "the pass ends");
    assert_eq!(page.problems.len(), 1);
    assert!(
        page.problems[0].reason.contains("DMs not synced"),
        "{}",
        page.problems[0].reason
    );
    assert!(page.cursor.unwrap().contains(r#""p":"m""#));
}

#[tokio::test]
async fn a_media_deleted_since_it_was_listed_is_a_problem_and_the_pass_goes_on() {
    let world = start_instagram_world();
    let c = connector(&world, "");
    c.brand().await.unwrap();
    world.answer_next(Reply::json(
        400,
        &json!({"error": {
        "message": "Unsupported get request. Object with ID '17896622936197745' does not exist",
        "type": "GraphMethodException", "code": 100, "error_subcode": 33}}),
    ));
    let cursor = r#"{"p":"c","q":[{"i":"17896622936197745","c":6}]}"#;
    let page = c.fetch_new(Some(cursor)).await.unwrap();
    assert!(page.more && page.items.is_empty());
    assert!(
        page.problems[0].reason.contains("does not exist"),
        "{:?}",
        page.problems
    );
    let next: Value = serde_json::from_str(page.cursor.as_deref().unwrap()).unwrap();
    assert_eq!(next["p"], "t", "on to the tags");
}
