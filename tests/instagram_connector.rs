//! The Instagram connector syncing from a loopback Graph API (`tests/common/instagram_api.rs`)
//! that replays the recorded answers of `../shared/fixtures/instagram` in place: comments,
//! replies, tags and DMs page by page with the cursor, both logins, Meta's throttling,
//! expired tokens, error bodies, unreadable entries and hostile text.

mod common;

use std::path::Path;

use chrono::{Duration, Utc};
use common::fake_api::{fixture_body, Reply};
use common::instagram::{connector, pass, stored, synced};
use common::instagram_api::*;
use serde_json::{json, Value};
use switchboard::config::Config;
use switchboard::connectors::{build_connectors, Connector, ConnectorError, ReplyRequest};
use switchboard::model::{Kind, Meter};

#[tokio::test]
async fn a_sync_brings_comments_replies_tags_and_dms_as_their_kinds_and_threads() {
    let world = start_instagram_world();
    let c = connector(&world, "");
    let items = synced(&c).await;

    let media = &items[COMMENTED_MEDIA];
    assert!(media.from_brand && media.kind == Kind::Comment);
    assert!(
        !items.contains_key(QUIET_MEDIA),
        "a media without comments is not read"
    );
    for id in RECORDED_COMMENTS {
        let comment = &items[id];
        assert_eq!(comment.kind, Kind::Comment);
        assert_eq!(comment.thread_id.as_deref(), Some(COMMENTED_MEDIA));
        assert_eq!(comment.parent_id.as_deref(), Some(COMMENTED_MEDIA));
        assert_eq!(comment.text, "Beautiful!");
        assert_eq!(
            comment.author.handle, "",
            "recorded comments have no username"
        );
        assert!(!comment.from_brand);
    }
    let customer = &items[CUSTOMER_COMMENT];
    assert_eq!(
        (customer.author.handle.as_str(), customer.author.id.as_str()),
        ("alice", "5001")
    );
    assert!(
        customer.raw.as_ref().unwrap().get("replies").is_none(),
        "raw is the comment alone"
    );
    let ours = &items[BRAND_REPLY];
    assert!(ours.from_brand);
    assert_eq!(ours.parent_id.as_deref(), Some(CUSTOMER_COMMENT));
    let recorded = &items[RECORDED_REPLY];
    assert_eq!(recorded.text, "@lixiangguodu123 nihao");
    assert_eq!(recorded.parent_id.as_deref(), Some(CUSTOMER_COMMENT));
    assert_eq!(recorded.thread_id.as_deref(), Some(COMMENTED_MEDIA));

    let tag = &items[TAGGING_MEDIA];
    assert_eq!(
        (tag.kind, tag.thread_id.as_deref()),
        (Kind::Mention, Some(TAGGING_MEDIA))
    );
    assert_eq!(tag.author.handle, "bob");
    assert_eq!(
        tag.url.as_deref(),
        Some("https://www.instagram.com/p/TAGGED1/")
    );

    let dm = &items[CUSTOMER_DM];
    assert_eq!(
        (dm.kind, dm.thread_id.as_deref()),
        (Kind::Dm, Some(CONVERSATION))
    );
    assert_eq!(dm.author.id, CUSTOMER_IGSID);
    assert!(!dm.from_brand && items[BRAND_DM].from_brand);

    let received = world.api.received();
    for request in &received {
        assert!(request.path.starts_with(VERSION), "{}", request.line());
        assert_eq!(
            request.header("authorization"),
            Some("Bearer ig-test-token")
        );
        assert!(
            request.param("access_token").is_none(),
            "the token never goes in a URL"
        );
    }
    let pages = world
        .api
        .received_at("GET", &format!("{VERSION}/{COMMENTED_MEDIA}/comments"));
    let afters: Vec<Option<&str>> = pages.iter().map(|r| r.param("after")).collect();
    assert_eq!(afters, [None, Some("after")], "paged by after to the end");
    assert!(pages[0].param("fields").unwrap().contains("replies{"));
    let more = world
        .api
        .received_at("GET", &format!("{VERSION}/{CUSTOMER_COMMENT}/replies"));
    assert_eq!(more.len(), 1);
    assert_eq!(more[0].param("after"), Some("r1"));
    let dms = world
        .api
        .received_at("GET", &format!("{VERSION}/me/conversations"));
    assert_eq!(dms[0].param("platform"), Some("instagram"));
}

#[tokio::test]
async fn the_next_pass_reads_only_what_moved() {
    let world = start_instagram_world();
    let c = connector(&world, "");
    let mut cursor = None;
    let first = pass(&c, &mut cursor).await;
    world.api.clear();
    let second = pass(&c, &mut cursor).await;
    let comments_path = format!("{VERSION}/{COMMENTED_MEDIA}/comments");
    assert!(
        world.api.received_at("GET", &comments_path).is_empty(),
        "count unchanged: not read"
    );
    assert!(
        second.keys().all(|id| first.contains_key(id)) && second.len() <= 2,
        "only the newest tag and DM (the mark's own second) come again: {:?}",
        second.keys()
    );
    world.lock().comments_count = 7;
    world.api.clear();
    let third = pass(&c, &mut cursor).await;
    assert_eq!(
        world.api.received_at("GET", &comments_path).len(),
        2,
        "a new comment: read again"
    );
    assert!(third.contains_key(CUSTOMER_COMMENT));
    let stored: Value = serde_json::from_str(cursor.as_deref().unwrap()).unwrap();
    assert_eq!(stored["n"][COMMENTED_MEDIA], 7);
}

#[tokio::test]
async fn each_login_reads_and_writes_dms_where_the_docs_say() {
    let world = start_instagram_world();
    for (extra, inbox) in [
        ("", "me".to_string()),
        (&*format!("page_id = \"{PAGE_ID}\""), PAGE_ID.to_string()),
        ("login = \"instagram\"", IG_USER_ID.to_string()),
    ] {
        world.api.clear();
        let c = connector(&world, extra);
        let items = synced(&c).await;
        assert!(items.contains_key(CUSTOMER_DM), "{extra}");
        let path = format!("{VERSION}/{inbox}/conversations");
        assert_eq!(world.api.received_at("GET", &path).len(), 1, "{extra}");
        let mut request = ReplyRequest::new(stored(&items[CUSTOMER_DM]), "On its way!", "k1");
        request.last_customer_message = Utc::now() - Duration::hours(2);
        c.send_reply(&request).await.unwrap();
        let sent = world
            .api
            .received_at("POST", &format!("{VERSION}/{inbox}/messages"));
        assert_eq!(sent.len(), 1, "{extra}");
    }
}

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
async fn a_mentioned_comment_is_read_by_the_id_a_webhook_carries() {
    let world = start_instagram_world();
    let c = connector(&world, "");
    let item = c.mentioned_comment(MENTIONED_COMMENT).await.unwrap();
    assert_eq!(item.kind, Kind::Mention);
    assert_eq!(
        (item.text.as_str(), item.author.handle.as_str()),
        ("@ikroskun good", "ikroskun")
    );
    let asked = world.api.received().last().cloned().unwrap();
    assert_eq!(asked.path, format!("{VERSION}/{IG_USER_ID}"));
    assert!(asked.param("fields").unwrap().starts_with(&format!(
        "mentioned_comment.comment_id({MENTIONED_COMMENT}){{"
    )));
    assert!(c.mentioned_comment("1/../2").await.is_err());
    assert!(matches!(
        c.mentioned_comment("123").await,
        Err(ConnectorError::Refused(_))
    ));
}

#[test]
fn a_plain_config_builds_and_a_missing_ig_user_id_is_refused_by_name() {
    let text = "[[accounts]]\nname = \"acme-ig\"\nplatform = \"instagram\"\ntoken = \"t\"\nig_user_id = \"1784\"\n\
                [[accounts]]\nname = \"bare-ig\"\nplatform = \"instagram\"\ntoken = \"t\"\n";
    let config = Config::parse(Path::new("c.toml"), text).unwrap();
    let (connectors, problems) = build_connectors(&config);
    assert!(connectors.get("acme-ig").is_some());
    assert_eq!(problems.len(), 1);
    let why = problems[0].error.to_string();
    assert!(
        problems[0].account == "bare-ig" && why.contains("bare-ig") && why.contains("ig_user_id"),
        "{why}"
    );
}
