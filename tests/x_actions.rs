//! The X connector acting on the loopback X world ([`common::x_api`]): replies and DM
//! answers reaching `POST /2/tweets` and `POST /2/dm_conversations/:id/messages` with the
//! right bodies and found again by `find_sent`, what X would refuse refused before any call,
//! moderation reaching its endpoints (or unsupported, saying why), a reply's thread in one
//! lookup, and the spend of each.

mod common;
mod x_support;

use chrono::Utc;
use common::x_api::*;
use serde_json::json;
use switchboard::connectors::{Connector, ConnectorError, Moderation, ReplyRequest};
use switchboard::model::{Item, ItemId, Kind};
use x_support::{connector, spent, Store};

#[tokio::test]
async fn replies_and_dm_answers_reach_their_endpoints_and_are_found_after_a_crash() {
    let api = start_x_world();
    let c = connector(&api.base(), X_TOKEN);
    let mut store = Store::default();
    store.pass(&c).await;
    let before = spent(&c).0;

    let comment = ReplyRequest::new(store.stored(X_REPLY_ID), "Sorry Ben, a fix is coming", "k1");
    assert!(
        c.find_sent(&comment).await.unwrap().is_none(),
        "nothing sent yet"
    );
    let sent = c.send_reply(&comment).await.unwrap().reply;
    let post = &api.received_at("POST", "/2/tweets")[0];
    assert_eq!(
        post.json(),
        json!({"text": "Sorry Ben, a fix is coming", "reply": {"in_reply_to_tweet_id": X_REPLY_ID}})
    );
    assert_eq!((sent.kind, sent.from_brand), (Kind::Comment, true));
    assert_eq!(sent.thread_id.as_deref(), Some(X_BRAND_POST_ID));
    assert_eq!(sent.parent_id.as_deref(), Some(X_REPLY_ID));
    let found = c
        .find_sent(&comment)
        .await
        .unwrap()
        .expect("found after sending");
    assert_eq!(found.reply.remote_id, sent.remote_id);

    let dm = ReplyRequest::new(
        store.stored(X_CUSTOMER_DM_ID),
        "Here is your tracking link",
        "k2",
    );
    assert!(c.find_sent(&dm).await.unwrap().is_none());
    let sent = c.send_reply(&dm).await.unwrap().reply;
    let path = format!("/2/dm_conversations/{X_DM_CONVERSATION}/messages");
    assert_eq!(
        api.received_at("POST", &path)[0].json(),
        json!({"text": "Here is your tracking link"})
    );
    assert_eq!((sent.kind, sent.from_brand), (Kind::Dm, true));
    assert_eq!(sent.thread_id.as_deref(), Some(X_DM_CONVERSATION));
    assert!(c.find_sent(&dm).await.unwrap().is_some());

    let linked = ReplyRequest::new(
        store.stored(X_REPLY_ID),
        "Status: https://status.acme.test",
        "k3",
    );
    let at = spent(&c).0;
    c.send_reply(&linked).await.unwrap();
    assert_eq!(spent(&c).0 - at, 200_000, "a post with a link");
    assert!(spent(&c).0 - before >= 15_000 + 15_000 + 200_000);
}

#[tokio::test]
async fn a_reply_x_would_refuse_is_refused_before_any_call() {
    let api = start_x_world();
    let c = connector(&api.base(), X_TOKEN);
    let mut store = Store::default();
    store.pass(&c).await;
    api.clear();
    let long = ReplyRequest::new(store.stored(X_REPLY_ID), "é".repeat(281), "k");
    let error = c.send_reply(&long).await.unwrap_err();
    assert!(
        error.to_string().contains("281/280 weighted characters"),
        "{error}"
    );
    assert!(api.received().is_empty());
}

#[tokio::test]
async fn moderation_reaches_the_right_endpoints_or_says_why_not() {
    let api = start_x_world();
    let c = connector(&api.base(), X_TOKEN);
    let mut store = Store::default();
    store.pass(&c).await;
    let reply = store.stored(X_REPLY_ID);
    let hidden = format!("/2/tweets/{X_REPLY_ID}/hidden");
    c.moderate(&reply, &Moderation::Hide).await.unwrap();
    c.moderate(&reply, &Moderation::Unhide).await.unwrap();
    let puts = api.received_at("PUT", &hidden);
    assert_eq!(puts[0].json(), json!({"hidden": true}));
    assert_eq!(puts[1].json(), json!({"hidden": false}));

    c.moderate(&reply, &Moderation::Mute).await.unwrap();
    let mute = &api.received_at("POST", &format!("/2/users/{X_BRAND_ID}/muting"))[0];
    assert_eq!(mute.json(), json!({"target_user_id": "2244994945"}));

    let ours = store.stored("1585800613752881156");
    assert!(
        matches!(
            c.moderate(&ours, &Moderation::Delete).await,
            Err(ConnectorError::Unsupported(_))
        ),
        "a DM"
    );
    let sent = c
        .send_reply(&ReplyRequest::new(reply.clone(), "Fixed now", "k"))
        .await
        .unwrap()
        .reply;
    let sent = Item::from_new(ItemId::generate(), sent, Utc::now());
    c.moderate(&sent, &Moderation::Delete).await.unwrap();
    assert_eq!(
        api.received_at("DELETE", &format!("/2/tweets/{}", sent.remote_id))
            .len(),
        1
    );

    for action in [
        Moderation::Block,
        Moderation::Report {
            reason: "spam".into(),
        },
        Moderation::Dismiss,
    ] {
        let error = c.moderate(&reply, &action).await.unwrap_err();
        assert!(
            matches!(error, ConnectorError::Unsupported(_)),
            "{action}: {error:?}"
        );
    }
    let not_ours = c.moderate(&reply, &Moderation::Delete).await.unwrap_err();
    assert!(
        not_ours.to_string().contains("only its own posts"),
        "{not_ours}"
    );
    let anonymous = store.stored("1578516295611748353");
    let error = c.moderate(&anonymous, &Moderation::Mute).await.unwrap_err();
    assert!(error.to_string().contains("did not name"), "{error}");
}

#[tokio::test]
async fn the_thread_of_a_reply_is_its_parent_and_root_in_one_lookup() {
    let api = start_x_world();
    let c = connector(&api.base(), X_TOKEN);
    let mut store = Store::default();
    store.pass(&c).await;
    let thread = c
        .fetch_thread(&store.stored(X_DEEP_REPLY_ID))
        .await
        .unwrap();
    let mut ids: Vec<&str> = thread.iter().map(|i| i.remote_id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, [X_BRAND_POST_ID, X_REPLY_ID]);
    let lookup = &api.received_at("GET", "/2/tweets")[0];
    assert_eq!(
        lookup.param("ids"),
        Some(&*format!("{X_REPLY_ID},{X_BRAND_POST_ID}"))
    );
    let root = thread
        .iter()
        .find(|i| i.remote_id == X_BRAND_POST_ID)
        .unwrap();
    assert!(root.from_brand);
}

#[tokio::test]
async fn a_reply_whose_send_ended_unclear_is_looked_for_before_it_is_sent_again() {
    use common::fake_api::{FakeApi, Reply};
    let posted = std::sync::Arc::new(std::sync::Mutex::new(false));
    let seen = posted.clone();
    let api =
        FakeApi::start(
            move |request| match (request.method.as_str(), request.path.as_str()) {
                // X took the post, but the answer was lost in a 503.
                ("POST", "/2/tweets") => {
                    *seen.lock().unwrap() = true;
                    Reply::json(503, &json!({"title": "Service Unavailable"}))
                }
                ("GET", p) if p.ends_with("/tweets") && *seen.lock().unwrap() => Reply::json(
                    200,
                    &json!({
            "data": [{"id": "1578516300000000009", "author_id": X_BRAND_ID,
                      "text": "@ben Sorry Ben, a fix is coming",
                      "referenced_tweets": [{"type": "replied_to", "id": X_REPLY_ID}]}],
            "meta": {"result_count": 1}}),
                ),
                _ => Reply::json(200, &json!({"meta": {"result_count": 0}})),
            },
        );
    let c = connector(&api.base(), X_TOKEN);
    let new = switchboard::model::NewItem {
        platform: switchboard::model::Platform::X,
        account: "acme-x".into(),
        kind: Kind::Comment,
        remote_id: X_REPLY_ID.into(),
        thread_id: Some(X_BRAND_POST_ID.into()),
        parent_id: Some(X_BRAND_POST_ID.into()),
        author: Default::default(),
        text: "@acme the app crashes".into(),
        lang: None,
        created_at: Utc::now(),
        url: None,
        from_brand: false,
        raw: None,
        status: None,
        priority: None,
        tags: Default::default(),
        assignee: None,
    };
    let item = Item::from_new(ItemId::generate(), new, Utc::now());
    let request = ReplyRequest::new(item, "Sorry Ben, a fix is coming", "k1");
    let first = c.send_reply(&request).await.unwrap_err();
    assert!(matches!(first, ConnectorError::Transient(_)), "{first:?}");
    let again = c.send_reply(&request).await.unwrap();
    assert_eq!(again.reply.remote_id, "1578516300000000009");
    assert_eq!(
        api.received_at("POST", "/2/tweets").len(),
        1,
        "never posted twice"
    );
    assert!(*posted.lock().unwrap());
}
