//! Replies and moderation of the Facebook Pages connector against the loopback Page world
//! (tests/common/facebook_api.rs): comment replies under the top-level comment, private
//! replies and Messenger answers inside Meta's windows (RESPONSE within 24 hours, the
//! HUMAN_AGENT tag up to 7 days where the account allows it), `find_sent` looking for the
//! Page's own reply, hide/unhide/delete/block with their JSON bodies, and threads.

mod common;

use chrono::{Duration, Utc};
use common::facebook_api::*;
use common::fake_api::Reply;
use serde_json::json;
use switchboard::connectors::{Connector, ConnectorError, Moderation, ReplyRequest};
use switchboard::model::{Item, Kind};

fn request_for(item: &Item, text: &str) -> ReplyRequest {
    ReplyRequest::new(item.clone(), text, "switchboard-01TEST")
}

#[tokio::test]
async fn comment_replies_go_under_the_top_level_comment() {
    let world = start_facebook_world();
    let items = synced(&world).await;
    let c = connector(&world);
    world.api.clear();
    let top = &items["10158407654328553_10158407903973553"];
    let sent = c
        .send_reply(&request_for(top, "We're on it"))
        .await
        .unwrap();
    let posted = world.received_at("POST", &format!("/{}/comments", top.remote_id));
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].json(), json!({"message": "We're on it"}));
    assert_eq!(sent.reply.remote_id, "245778718206154_229887283291835");
    assert!(sent.reply.from_brand);
    assert_eq!(sent.reply.kind, Kind::Comment);
    assert_eq!(sent.reply.thread_id.as_deref(), Some(POST_ID));
    assert_eq!(
        sent.reply.parent_id.as_deref(),
        Some(top.remote_id.as_str())
    );

    let reply = &items["10158407654328553_10158409984053553"];
    c.send_reply(&request_for(reply, "Sorry about that"))
        .await
        .unwrap();
    assert_eq!(
        world
            .received_at("POST", &format!("/{}/comments", top.remote_id))
            .len(),
        2,
        "a reply to a reply goes under the top-level comment"
    );
    c.send_reply(&request_for(&items[TAGGED_ID], "Thanks for the tag"))
        .await
        .unwrap();
    let on_tag = world.received_at("POST", &format!("/{TAGGED_ID}/comments"));
    assert_eq!(on_tag[0].json(), json!({"message": "Thanks for the tag"}));
}

#[tokio::test]
async fn a_private_reply_goes_to_the_comment_author_within_seven_days() {
    let world = start_facebook_world();
    let items = synced(&world).await;
    let c = connector(&world);
    world.api.clear();
    let mut comment = items[SECOND_PAGE_COMMENT].clone();
    comment.created_at = Utc::now() - Duration::days(6);
    let mut request = request_for(&comment, "Could you send us your order number?");
    request.private = true;
    let sent = c.send_reply(&request).await.unwrap();
    let posted = world.received_at("POST", &format!("/{PAGE_ID}/messages"));
    assert_eq!(
        posted[0].json(),
        json!({"recipient": {"comment_id": SECOND_PAGE_COMMENT},
            "message": {"text": "Could you send us your order number?"}})
    );
    assert_eq!(sent.reply.kind, Kind::Dm);
    assert!(sent.reply.from_brand);
    assert_eq!(sent.reply.remote_id, "m_sent1");
    assert_eq!(sent.reply.parent_id.as_deref(), Some(SECOND_PAGE_COMMENT));

    comment.created_at = Utc::now() - Duration::days(8);
    let mut late = request_for(&comment, "too late");
    late.private = true;
    let refused = c.send_reply(&late).await;
    assert!(
        matches!(refused, Err(ConnectorError::Refused(ref why)) if why.contains("7 days")),
        "{refused:?}"
    );
    let mut on_post = request_for(&items[TAGGED_ID], "no");
    on_post.private = true;
    assert!(matches!(
        c.send_reply(&on_post).await,
        Err(ConnectorError::Refused(_))
    ));
    assert_eq!(
        world
            .received_at("POST", &format!("/{PAGE_ID}/messages"))
            .len(),
        1
    );
}

#[tokio::test]
async fn dm_replies_keep_to_the_messaging_windows() {
    let world = start_facebook_world();
    let items = synced(&world).await;
    let dm = &items[TEXT_MESSAGE_ID];
    let plain = connector(&world);
    let agent = connector_for(&world.api_base(), "human_agent = true");
    let at = |hours: i64, text: &str| {
        let mut request = request_for(dm, text);
        request.last_customer_message = Utc::now() - Duration::hours(hours);
        request
    };
    world.api.clear();
    let sent = plain.send_reply(&at(2, "Hello!")).await.unwrap();
    assert_eq!(sent.reply.thread_id.as_deref(), Some(OTHER_CONVERSATION_ID));
    assert_eq!(sent.reply.kind, Kind::Dm);
    assert!(sent.reply.from_brand);
    agent.send_reply(&at(30, "Following up")).await.unwrap();
    let posted = world.received_at("POST", &format!("/{PAGE_ID}/messages"));
    assert_eq!(
        posted[0].json(),
        json!({"recipient": {"id": TEXT_MESSAGE_AUTHOR}, "messaging_type": "RESPONSE",
            "message": {"text": "Hello!"}})
    );
    assert_eq!(
        posted[1].json(),
        json!({"recipient": {"id": TEXT_MESSAGE_AUTHOR}, "messaging_type": "MESSAGE_TAG",
            "tag": "HUMAN_AGENT", "message": {"text": "Following up"}})
    );
    let closed = plain.send_reply(&at(30, "late")).await;
    assert!(
        matches!(closed, Err(ConnectorError::Refused(ref why)) if why.contains("24 hours")),
        "{closed:?}"
    );
    let week = agent.send_reply(&at(8 * 24, "very late")).await;
    assert!(matches!(week, Err(ConnectorError::Refused(_))), "{week:?}");
    assert_eq!(
        world
            .received_at("POST", &format!("/{PAGE_ID}/messages"))
            .len(),
        2
    );
}

#[tokio::test]
async fn find_sent_looks_for_the_pages_own_reply() {
    let ours = json!({"id": "9_reply", "message": "We're  on it",
        "created_time": "2026-11-23T06:00:00+0000", "from": {"id": PAGE_ID, "name": "MyLife"}});
    let theirs = json!({"id": "9_other", "message": "We're on it",
        "created_time": "2026-11-23T06:00:00+0000", "from": {"id": "5"}});
    let ours_dm = json!({"id": "m_ours", "message": "Hello!", "from": {"id": PAGE_ID}});
    let world = start_facebook_world_with(move |request, path| {
        let top = "/10158407654328553_10158407903973553/comments";
        if path == top && request.method == "GET" {
            return Some(Reply::json(
                200,
                &json!({"data": [theirs.clone(), ours.clone()]}),
            ));
        }
        if path == format!("/{OTHER_CONVERSATION_ID}/messages") {
            return Some(Reply::json(
                200,
                &json!({"data": [text_message(), ours_dm.clone()]}),
            ));
        }
        None
    });
    let items = synced(&world).await;
    let c = connector(&world);
    let top = &items["10158407654328553_10158407903973553"];
    let found = c.find_sent(&request_for(top, "We're on it")).await.unwrap();
    let found = found.expect("our reply is there");
    assert_eq!(found.reply.remote_id, "9_reply");
    assert!(found.reply.from_brand);
    assert!(c
        .find_sent(&request_for(top, "Something else"))
        .await
        .unwrap()
        .is_none());
    let dm = &items[TEXT_MESSAGE_ID];
    let found = c
        .find_sent(&request_for(dm, "Hello!"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.reply.remote_id, "m_ours");
    assert!(
        c.find_sent(&request_for(dm, "hehe"))
            .await
            .unwrap()
            .is_none(),
        "not the Page's"
    );
}

#[tokio::test]
async fn moderation_reaches_the_right_endpoints() {
    let world = start_facebook_world();
    let items = synced(&world).await;
    let c = connector(&world);
    world.api.clear();
    let comment = &items[SECOND_PAGE_COMMENT];
    let path = format!("/{SECOND_PAGE_COMMENT}");
    c.moderate(comment, &Moderation::Hide).await.unwrap();
    c.moderate(comment, &Moderation::Unhide).await.unwrap();
    let posted = world.received_at("POST", &path);
    assert_eq!(posted[0].json(), json!({"is_hidden": true}));
    assert_eq!(posted[1].json(), json!({"is_hidden": false}));
    c.moderate(comment, &Moderation::Delete).await.unwrap();
    assert_eq!(world.received_at("DELETE", &path).len(), 1);
    c.moderate(comment, &Moderation::Block).await.unwrap();
    c.moderate(&items[TEXT_MESSAGE_ID], &Moderation::Block)
        .await
        .unwrap();
    let blocked = world.received_at("POST", &format!("/{PAGE_ID}/blocked"));
    assert_eq!(blocked[0].json(), json!({"user": ["5550001"]}));
    assert_eq!(blocked[1].json(), json!({"psid": [TEXT_MESSAGE_AUTHOR]}));
    let calls = world.api.received().len();
    for (item, action) in [
        (&items[TEXT_MESSAGE_ID], Moderation::Hide),
        (&items[TAGGED_ID], Moderation::Hide),
        (&items[TAGGED_ID], Moderation::Delete),
        (comment, Moderation::Mute),
        (comment, Moderation::Dismiss),
        (
            comment,
            Moderation::Report {
                reason: "spam".into(),
            },
        ),
    ] {
        let result = c.moderate(item, &action).await;
        assert!(
            matches!(result, Err(ConnectorError::Unsupported(_))),
            "{action}: {result:?}"
        );
    }
    assert_eq!(world.api.received().len(), calls);
}

#[tokio::test]
async fn a_failed_hide_is_a_refusal() {
    let world = start_facebook_world_with(|request, _| {
        (request.method == "POST").then(|| Reply::json(200, &json!({"success": false})))
    });
    let items = synced(&world).await;
    let result = connector(&world)
        .moderate(&items[SECOND_PAGE_COMMENT], &Moderation::Hide)
        .await;
    assert!(
        matches!(result, Err(ConnectorError::Refused(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_thread_is_its_post_and_comments() {
    let world = start_facebook_world();
    let items = synced(&world).await;
    let thread = connector(&world)
        .fetch_thread(&items[SECOND_PAGE_COMMENT])
        .await
        .unwrap();
    let ids: Vec<&str> = thread.iter().map(|i| i.remote_id.as_str()).collect();
    assert_eq!(ids[0], POST_ID);
    assert!(thread[0].from_brand);
    assert!(ids.contains(&"10158407654328553_10158407903973553"));
    let dms = connector(&world)
        .fetch_thread(&items[TEXT_MESSAGE_ID])
        .await
        .unwrap();
    assert_eq!(dms.len(), 1);
}

#[tokio::test]
async fn find_sent_looks_for_a_private_reply_in_the_newest_conversations() {
    let world = start_facebook_world_with(|request, path| {
        let nested = request
            .param("fields")
            .is_some_and(|f| f.contains("messages"));
        (path == format!("/{PAGE_ID}/conversations") && nested).then(|| {
            Reply::json(200, &json!({"data": [
                {"id": "t_1", "messages": {"data": [
                    {"id": "m_theirs", "message": "Your order number?", "from": {"id": "5"}}]}},
                {"id": "t_2", "messages": {"data": [
                    {"id": "m_ours", "message": "Your order number?", "from": {"id": PAGE_ID}}]}},
            ]}))
        })
    });
    let items = synced(&world).await;
    let c = connector(&world);
    let mut request = request_for(&items[SECOND_PAGE_COMMENT], "Your order number?");
    request.private = true;
    let found = c.find_sent(&request).await.unwrap().expect("found");
    assert_eq!(found.reply.remote_id, "m_ours");
    assert_eq!(found.reply.kind, Kind::Dm);
    assert_eq!(found.reply.parent_id.as_deref(), Some(SECOND_PAGE_COMMENT));
    request.text = "Something we never sent".into();
    assert!(c.find_sent(&request).await.unwrap().is_none());
    let asked = world.received_at("GET", &format!("/{PAGE_ID}/conversations"));
    let fields = asked.last().unwrap().param("fields").unwrap().to_string();
    assert!(fields.starts_with("id,messages.limit(10){"), "{fields}");
}
