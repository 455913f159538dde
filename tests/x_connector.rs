//! The X connector against a loopback X API ([`common::x_api`]'s little world, built on the
//! recorded real answers in `../shared/fixtures/x`, read in place), and handlers of its own
//! for what the recordings lack: pagination, since_id on the next pass, 429 with
//! `x-rate-limit-reset`, an expired token, error bodies, missing fields, hostile text;
//! replies, DMs and moderation reaching the right endpoints with the right bodies; the
//! day's spend; and the binary: `sync --once` from a plain config, `doctor`'s spend line,
//! `reply` saying what it costs.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::Utc;
use common::fake_api::{fixture_body, fixtures_dir, FakeApi, Reply};
use common::x_api::*;
use serde_json::{json, Value};
use switchboard::config::Config;
use switchboard::connectors::x::XConnector;
use switchboard::connectors::{
    build_connectors, Connector, ConnectorError, Moderation, ReplyRequest,
};
use switchboard::model::{Item, ItemId, Kind, Meter, NewItem, Platform};

fn connector(base: &str, token: &str) -> XConnector {
    let text = x_account_toml("acme-x", base).replace(X_TOKEN, token);
    let config = Config::parse(Path::new("test.toml"), &text).unwrap();
    XConnector::new(&config.accounts[0], common::quick_http_options()).unwrap()
}

/// What the sync engine does with pages: one copy per remote id, then the cursor.
#[derive(Default)]
struct Store {
    items: BTreeMap<String, NewItem>,
    cursor: Option<String>,
}

impl Store {
    /// One pass: pages until `more` is false; the items new to the store.
    async fn pass(&mut self, c: &XConnector) -> Vec<NewItem> {
        let mut new = Vec::new();
        loop {
            let page = c.fetch_new(self.cursor.as_deref()).await.unwrap();
            assert!(page.problems.is_empty(), "{:?}", page.problems);
            for item in page.items {
                if !self.items.contains_key(&item.remote_id) {
                    new.push(item.clone());
                }
                self.items.insert(item.remote_id.clone(), item);
            }
            self.cursor = page.cursor.or(self.cursor.take());
            if !page.more {
                return new;
            }
        }
    }

    fn stored(&self, remote_id: &str) -> Item {
        let new = self.items[remote_id].clone();
        Item::from_new(ItemId::generate(), new, Utc::now())
    }
}

fn spent(c: &XConnector) -> (u64, u64) {
    match c.usage().unwrap().meter {
        Meter::Spend { micros, calls, .. } => (micros, calls),
        other => panic!("{other:?}"),
    }
}

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

#[test]
fn a_plain_config_makes_an_x_connector_and_a_missing_user_id_names_the_account() {
    let text = format!(
        "{}\n[[accounts]]\nname = \"other-x\"\nplatform = \"x\"\ntoken = \"t\"\n",
        x_account_toml("acme-x", "http://127.0.0.1:9")
    );
    let config = Config::parse(Path::new("c.toml"), &text).unwrap();
    let (connectors, problems) = build_connectors(&config);
    assert_eq!(connectors.get("acme-x").unwrap().platform(), Platform::X);
    assert_eq!(problems.len(), 1);
    let why = problems[0].error.to_string();
    assert!(
        why.contains("account other-x") && why.contains("user_id"),
        "{why}"
    );
}

/// An item of `platform` imported into `home`; its id.
fn import(home: &common::Home, platform: &str) -> String {
    let line = json!({
        "platform": platform, "account": format!("acme-{platform}"), "kind": "mention",
        "remote_id": "1578516295611748353", "created_at": "2026-11-23T06:00:00Z",
        "author": {"id": "7", "handle": "claire", "name": "Claire"}, "text": "where is it?",
    });
    let file = home.path().join(format!("{platform}.jsonl"));
    std::fs::write(&file, format!("{line}\n")).unwrap();
    home.ok(&["import", file.to_str().unwrap()]);
    let items = home.items(&[&format!("platform:{platform}")]);
    items[0]["id"].as_str().unwrap().to_string()
}

#[test]
fn the_reply_command_says_what_a_reply_costs_on_x_and_nothing_elsewhere() {
    let home = common::Home::new();
    let x = import(&home, "x");
    let linked = home.ok(&[
        "reply",
        &x,
        "--text",
        "Track it at https://acme.example/t/1",
    ]);
    assert!(
        linked.contains("this reply costs $0.20 (has a link) on x"),
        "{linked}"
    );
    let plain = home.ok(&["reply", &x, "--text", "It left today"]);
    assert!(plain.contains("this reply costs $0.015 on x"), "{plain}");
    let mastodon = import(&home, "mastodon");
    let free = home.ok(&["reply", &mastodon, "--text", "https://acme.example/t/1"]);
    assert!(!free.contains("costs"), "{free}");
}

#[test]
fn sync_once_brings_the_world_in_and_doctor_shows_the_day_s_spend() {
    let api = start_x_world();
    let home = common::Home::new();
    let config = x_account_toml("acme-x", &api.base());
    std::fs::write(home.path().join("config.toml"), config).unwrap();
    let out = home.run(&["sync", "--once"]);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items = home.items(&["platform:x"]);
    let kinds = |kind: &str| items.iter().filter(|i| i["kind"] == kind).count();
    // The brand's post came in as the thread of @ben's reply (a context comment).
    assert_eq!(
        (kinds("mention"), kinds("comment"), kinds("dm")),
        (10, 3, 2),
        "{said}"
    );
    assert!(said.contains("acme-x: 14 new"), "{said}");
    let doctor = String::from_utf8_lossy(&home.run(&["doctor"]).stdout).to_string();
    let account = doctor
        .lines()
        .find(|l| l.contains("acme-x (x)"))
        .unwrap_or_default();
    // The thread's lookup read a post already charged today: 5 billed calls, not 6.
    assert!(
        account.contains("spent $0.1") && account.ends_with("today (5 billed calls)"),
        "{doctor}"
    );
}
