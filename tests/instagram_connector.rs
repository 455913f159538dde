//! The Instagram connector syncing from a loopback Graph API (`tests/common/instagram_api.rs`)
//! that replays the recorded answers of `../shared/fixtures/instagram` in place: comments,
//! replies, tags and DMs page by page with the cursor, both logins, Meta's throttling,
//! expired tokens, error bodies, unreadable entries and hostile text.

mod common;

use std::path::Path;

use chrono::{Duration, Utc};
use common::instagram::{connector, pass, stored, synced};
use common::instagram_api::*;
use serde_json::Value;
use switchboard::config::Config;
use switchboard::connectors::{build_connectors, Connector, ConnectorError, ReplyRequest};
use switchboard::model::Kind;

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
