//! Replies, private replies, DMs inside Meta's windows, `find_sent`, threads and moderation
//! of the Instagram connector against the loopback Graph API of
//! `tests/common/instagram_api.rs`: each reaches the right endpoint with the right body.

mod common;

use chrono::{Duration, Utc};
use common::fake_api::{fixture_body, Reply};
use common::instagram::{connector, stored, synced};
use common::instagram_api::*;
use serde_json::{json, Value};
use switchboard::connectors::{Connector, ConnectorError, Moderation, ReplyRequest};
use switchboard::model::Kind;

#[tokio::test]
async fn comment_replies_go_under_the_top_level_comment_and_are_found_again() {
    let world = start_instagram_world();
    let c = connector(&world, "");
    let items = synced(&c).await;
    let top = stored(&items[CUSTOMER_COMMENT]);
    let request = ReplyRequest::new(top.clone(), "We sent you a DM", "k1");
    assert!(c.find_sent(&request).await.unwrap().is_none());
    let delivered = c.send_reply(&request).await.unwrap().reply;
    let posted = world
        .api
        .received_at("POST", &format!("{VERSION}/{CUSTOMER_COMMENT}/replies"));
    assert_eq!(posted[0].json(), json!({"message": "We sent you a DM"}));
    assert!(delivered.from_brand && delivered.kind == Kind::Comment);
    assert_eq!(delivered.parent_id.as_deref(), Some(CUSTOMER_COMMENT));
    assert_eq!(delivered.thread_id.as_deref(), Some(COMMENTED_MEDIA));
    let found = c.find_sent(&request).await.unwrap().expect("found").reply;
    assert_eq!(found.remote_id, delivered.remote_id);

    let mut reply = stored(&items[RECORDED_REPLY]);
    reply.author.handle = "lixiangguodu123".into();
    c.send_reply(&ReplyRequest::new(reply, "thanks!", "k2"))
        .await
        .unwrap();
    let posted = world
        .api
        .received_at("POST", &format!("{VERSION}/{CUSTOMER_COMMENT}/replies"));
    assert_eq!(
        posted[1].json(),
        json!({"message": "@lixiangguodu123 thanks!"})
    );

    let media = stored(&items[COMMENTED_MEDIA]);
    c.send_reply(&ReplyRequest::new(media, "New drop tomorrow", "k3"))
        .await
        .unwrap();
    assert_eq!(
        world
            .api
            .received_at("POST", &format!("{VERSION}/{COMMENTED_MEDIA}/comments"))
            .len(),
        1
    );

    let tagged = stored(&items[TAGGING_MEDIA]);
    let refused = c.send_reply(&ReplyRequest::new(tagged, "hi", "k4")).await;
    assert!(
        matches!(refused, Err(ConnectorError::Unsupported(_))),
        "{refused:?}"
    );
    let recorded = stored(&c.mentioned_comment(MENTIONED_COMMENT).await.unwrap());
    let unknown_media = c
        .send_reply(&ReplyRequest::new(recorded, "Thank you!", "k5"))
        .await;
    assert!(
        matches!(unknown_media, Err(ConnectorError::Unsupported(_))),
        "the recording names no media"
    );
    let mut with_media = fixture_body("instagram", "mentioned-comment.json");
    with_media["mentioned_comment"]["media"] = json!({"id": "17999999999"});
    world.answer_next(Reply::json(200, &with_media));
    let mentioned = stored(&c.mentioned_comment(MENTIONED_COMMENT).await.unwrap());
    assert_eq!(mentioned.thread_id.as_deref(), Some("17999999999"));
    c.send_reply(&ReplyRequest::new(mentioned, "Thank you!", "k6"))
        .await
        .unwrap();
    let asked = world
        .api
        .received_at("POST", &format!("{VERSION}/{IG_USER_ID}/mentions"));
    assert_eq!(
        asked[0].json(),
        json!({"comment_id": MENTIONED_COMMENT, "media_id": "17999999999", "message": "Thank you!"})
    );
}

#[tokio::test]
async fn a_private_reply_goes_to_the_commenter_within_seven_days() {
    let world = start_instagram_world();
    let c = connector(&world, "");
    let items = synced(&c).await;
    let mut request = ReplyRequest::new(
        stored(&items[CUSTOMER_COMMENT]),
        "Here is your tracking link",
        "k1",
    );
    request.private = true;
    let delivered = c.send_reply(&request).await.unwrap().reply;
    let sent = world
        .api
        .received_at("POST", &format!("{VERSION}/me/messages"));
    assert_eq!(
        sent[0].json(),
        json!({"recipient": {"comment_id": CUSTOMER_COMMENT}, "message": {"text": "Here is your tracking link"}})
    );
    assert_eq!(delivered.kind, Kind::Dm);
    assert_eq!(delivered.parent_id.as_deref(), Some(CUSTOMER_COMMENT));

    let mut old = stored(&items[CUSTOMER_COMMENT]);
    old.created_at = Utc::now() - Duration::days(8);
    let mut late = ReplyRequest::new(old, "too late", "k2");
    late.private = true;
    let refused = c.send_reply(&late).await;
    assert!(
        matches!(refused, Err(ConnectorError::Refused(ref why)) if why.contains("7 days")),
        "{refused:?}"
    );
    assert_eq!(
        world
            .api
            .received_at("POST", &format!("{VERSION}/me/messages"))
            .len(),
        1,
        "nothing sent"
    );
}

#[tokio::test]
async fn dm_replies_keep_to_the_messaging_windows() {
    let world = start_instagram_world();
    let c = connector(&world, "");
    let items = synced(&c).await;
    let dm = stored(&items[CUSTOMER_DM]);
    let path = format!("{VERSION}/me/messages");

    let mut request = ReplyRequest::new(dm.clone(), "Your order number?", "k1");
    request.last_customer_message = Utc::now() - Duration::hours(23);
    let delivered = c.send_reply(&request).await.unwrap().reply;
    assert_eq!(
        world.api.received_at("POST", &path)[0].json(),
        json!({"recipient": {"id": CUSTOMER_IGSID}, "messaging_type": "RESPONSE", "message": {"text": "Your order number?"}})
    );
    assert_eq!(delivered.thread_id.as_deref(), Some(CONVERSATION));

    request.last_customer_message = Utc::now() - Duration::hours(30);
    let refused = c.send_reply(&request).await;
    assert!(
        matches!(refused, Err(ConnectorError::Refused(ref why)) if why.contains("human_agent")),
        "{refused:?}"
    );
    assert_eq!(world.api.received_at("POST", &path).len(), 1);

    let agent = connector(&world, "human_agent = true");
    agent.send_reply(&request).await.unwrap();
    let tagged = world.api.received_at("POST", &path)[1].json();
    assert_eq!(
        (tagged["messaging_type"].as_str(), tagged["tag"].as_str()),
        (Some("MESSAGE_TAG"), Some("HUMAN_AGENT"))
    );

    let found = c
        .find_sent(&ReplyRequest::new(
            dm,
            "Sorry to hear that!  What is your order number?",
            "k0",
        ))
        .await
        .unwrap();
    assert_eq!(
        found.expect("the brand's message").reply.remote_id,
        BRAND_DM
    );
}

#[tokio::test]
async fn hide_unhide_and_delete_reach_the_comment_and_the_rest_is_unsupported() {
    let world = start_instagram_world();
    let c = connector(&world, "");
    let items = synced(&c).await;
    let comment = stored(&items[CUSTOMER_COMMENT]);
    c.moderate(&comment, &Moderation::Hide).await.unwrap();
    c.moderate(&comment, &Moderation::Unhide).await.unwrap();
    c.moderate(&comment, &Moderation::Delete).await.unwrap();
    let path = format!("{VERSION}/{CUSTOMER_COMMENT}");
    let posts: Vec<Value> = world
        .api
        .received_at("POST", &path)
        .iter()
        .map(|r| r.json())
        .collect();
    assert_eq!(posts, [json!({"hide": true}), json!({"hide": false})]);
    assert_eq!(world.api.received_at("DELETE", &path).len(), 1);
    for action in [
        Moderation::Mute,
        Moderation::Block,
        Moderation::Dismiss,
        Moderation::Report {
            reason: "spam".into(),
        },
    ] {
        assert!(
            matches!(
                c.moderate(&comment, &action).await,
                Err(ConnectorError::Unsupported(_))
            ),
            "{action}"
        );
    }
    for other in [CUSTOMER_DM, TAGGING_MEDIA, COMMENTED_MEDIA] {
        let result = c.moderate(&stored(&items[other]), &Moderation::Hide).await;
        assert!(
            matches!(result, Err(ConnectorError::Unsupported(ref why)) if why.contains("Instagram")),
            "{other}: {result:?}"
        );
    }
}

#[tokio::test]
async fn the_thread_of_a_reply_is_its_media_top_comment_and_replies() {
    let world = start_instagram_world();
    let c = connector(&world, "");
    let items = synced(&c).await;
    world.api.clear();
    let thread = c
        .fetch_thread(&stored(&items[RECORDED_REPLY]))
        .await
        .unwrap();
    let ids: Vec<&str> = thread.iter().map(|i| i.remote_id.as_str()).collect();
    assert!(
        ids.contains(&COMMENTED_MEDIA) && ids.contains(&CUSTOMER_COMMENT),
        "{ids:?}"
    );
    let dm_thread = c.fetch_thread(&stored(&items[CUSTOMER_DM])).await.unwrap();
    assert_eq!(dm_thread.len(), 2);
    assert!(dm_thread
        .iter()
        .all(|i| i.thread_id.as_deref() == Some(CONVERSATION)));
}

#[tokio::test]
async fn the_account_is_read_before_a_send_so_nothing_can_fail_after_it() {
    let world = start_instagram_world();
    let items = synced(&connector(&world, "")).await;
    world.api.clear();
    let fresh = connector(&world, "");
    let request = ReplyRequest::new(stored(&items[CUSTOMER_COMMENT]), "On it", "k1");
    let reply = fresh.send_reply(&request).await.unwrap().reply;
    let lines: Vec<String> = world.api.received().iter().map(|r| r.line()).collect();
    assert_eq!(
        lines,
        [
            format!("GET {VERSION}/{IG_USER_ID}"),
            format!("POST {VERSION}/{CUSTOMER_COMMENT}/replies")
        ]
    );
    assert_eq!(reply.author.handle, BRAND_USERNAME);
}
