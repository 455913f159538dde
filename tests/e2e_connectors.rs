//! The "done when" for X, Facebook, Instagram and YouTube, with the real binary: four
//! accounts, each pointed at a loopback server replaying that platform's recorded real
//! answers (`../shared/fixtures/`, read in place, through `tests/common/*_api.rs`).
//!
//! `switchboard sync --once` brings in comments, mentions and DMs from all four as the right
//! kinds and threads, and nothing twice; a running hub then delivers replies (public, DM,
//! private) and moderation to the right endpoints with the right bodies; Meta's windows are
//! enforced (a Messenger conversation from 2021 is refused before anything is sent, as is a
//! private reply to a comment older than 7 days); `doctor` shows each account's state and
//! what the metered platforms used (YouTube's quota, X's spend).

mod common;

use std::time::{Duration, Instant};

use common::facebook_api::{self, start_facebook_world};
use common::fake_api::ApiRequest;
use common::instagram_api::{self, start_instagram_world};
use common::x_api::{self, start_x_world, x_account_toml};
use common::youtube_api::{self, start_youtube_world};
use common::Home;
use serde_json::Value;

fn by_remote<'a>(items: &'a [Value], remote_id: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["remote_id"] == remote_id)
        .unwrap_or_else(|| panic!("no item {remote_id} in {items:#?}"))
}

fn kinds(items: &[Value]) -> Vec<String> {
    let mut kinds: Vec<String> = items
        .iter()
        .map(|i| i["kind"].as_str().unwrap_or_default().to_string())
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

fn id(item: &Value) -> &str {
    item["id"].as_str().expect("an item id")
}

/// Waits until a request matching `wanted` reached `what`'s server.
fn arrived(
    what: &str,
    received: impl Fn() -> Vec<ApiRequest>,
    wanted: impl Fn(&ApiRequest) -> bool,
) -> ApiRequest {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(found) = received().into_iter().find(|r| wanted(r)) {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: no such request in 30 s; got {:?}",
            received().iter().map(ApiRequest::line).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn four_platforms_sync_reply_and_moderate_through_the_real_binary() {
    let x = start_x_world();
    let facebook = start_facebook_world();
    let instagram = start_instagram_world();
    let youtube = start_youtube_world();
    let home = Home::new();
    let config = format!(
        "{}poll_interval = 3600\n\n{}poll_interval = 3600\n\n{}poll_interval = 3600\n\n{}poll_interval = 3600\n",
        x_account_toml("acme-x", &x.base()),
        facebook.account_toml("acme-fb"),
        instagram.account_toml("acme-ig", ""),
        youtube.account_toml("acme-yt"),
    );
    let config_file = home.path().join("config.toml");
    std::fs::write(&config_file, config).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&config_file, std::fs::Permissions::from_mode(0o600)).unwrap();

    // One pass of every account: each summary clean, and something new on each.
    let first = home.ok(&["sync", "--once", "--json"]);
    let summaries: Vec<Value> = first
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(summaries.len(), 4, "{first}");
    for summary in &summaries {
        assert_eq!(summary["error"], Value::Null, "{summary}");
        assert!(summary["new"].as_u64().unwrap() > 0, "{summary}");
    }
    let again = home.ok(&["sync", "--once"]);
    for account in ["acme-x", "acme-fb", "acme-ig", "acme-yt"] {
        assert!(
            again.contains(&format!("{account}: 0 new")),
            "nothing twice: {again}"
        );
    }

    // X: mentions, comments in the brand post's thread, DMs in their conversation.
    let x_items = home.items(&["account:acme-x"]);
    assert_eq!(kinds(&x_items), ["comment", "dm", "mention"]);
    let x_reply = by_remote(&x_items, x_api::X_REPLY_ID);
    assert_eq!(x_reply["kind"], "comment");
    assert_eq!(x_reply["thread_id"], x_api::X_BRAND_POST_ID);
    let x_dm = by_remote(&x_items, x_api::X_CUSTOMER_DM_ID);
    assert_eq!(x_dm["kind"], "dm");
    assert_eq!(x_dm["thread_id"], x_api::X_DM_CONVERSATION);

    // Facebook: comments under the post, a tagged post as a mention, Messenger as DMs.
    let fb_items = home.items(&["account:acme-fb"]);
    assert_eq!(kinds(&fb_items), ["comment", "dm", "mention"]);
    let fb_comment = fb_items
        .iter()
        .find(|i| {
            i["kind"] == "comment"
                && i["parent_id"] == facebook_api::POST_ID
                && i["from_brand"] != true
        })
        .unwrap_or_else(|| panic!("a customer's comment on the post: {fb_items:#?}"));
    assert_eq!(
        by_remote(&fb_items, facebook_api::TAGGED_ID)["kind"],
        "mention"
    );
    let fb_dm = by_remote(&fb_items, facebook_api::TEXT_MESSAGE_ID);
    assert_eq!(fb_dm["kind"], "dm");
    assert_eq!(fb_dm["thread_id"], facebook_api::OTHER_CONVERSATION_ID);

    // Instagram: comments under the media, a tagging media as a mention, DMs.
    let ig_items = home.items(&["account:acme-ig"]);
    assert_eq!(kinds(&ig_items), ["comment", "dm", "mention"]);
    let ig_comment = by_remote(&ig_items, instagram_api::CUSTOMER_COMMENT);
    assert_eq!(ig_comment["kind"], "comment");
    assert_eq!(ig_comment["thread_id"], instagram_api::COMMENTED_MEDIA);
    assert_eq!(
        by_remote(&ig_items, instagram_api::TAGGING_MEDIA)["kind"],
        "mention"
    );
    let ig_dm = by_remote(&ig_items, instagram_api::CUSTOMER_DM);
    assert_eq!(ig_dm["kind"], "dm");
    assert_eq!(ig_dm["thread_id"], instagram_api::CONVERSATION);

    // YouTube: threads of comments, replies under their top-level comment, held ones tagged.
    let yt_items = home.items(&["account:acme-yt"]);
    assert_eq!(kinds(&yt_items), ["comment"]);
    let yt_top = by_remote(&yt_items, youtube_api::PAGED_THREAD);
    let yt_replies: Vec<&Value> = yt_items
        .iter()
        .filter(|i| i["parent_id"] == youtube_api::PAGED_THREAD)
        .collect();
    assert!(yt_replies.len() >= 3, "{yt_items:#?}");
    assert!(yt_replies
        .iter()
        .all(|r| r["thread_id"] == youtube_api::PAGED_THREAD));
    let held = by_remote(&yt_items, youtube_api::HELD_THREAD);
    assert!(
        held["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "held-for-review"),
        "{held}"
    );

    // Windows are enforced before anything is queued.
    let closed = home.run(&["reply", id(fb_dm), "--text", "Sorry for the wait"]);
    assert!(!closed.status.success());
    let said = String::from_utf8_lossy(&closed.stderr);
    assert!(said.contains("messaging window closed"), "{said}");
    let late = home.run(&[
        "reply",
        id(fb_comment),
        "--text",
        "See your inbox",
        "--private",
    ]);
    assert!(!late.status.success());
    let said = String::from_utf8_lossy(&late.stderr);
    assert!(said.contains("within 7 days"), "{said}");

    // A running hub delivers replies and moderation to the right endpoints.
    let _hub = home.serve();
    let priced = home.ok(&[
        "reply",
        id(x_reply),
        "--text",
        "We are on it: https://acme.example/help",
    ]);
    assert!(priced.contains("costs $0.20"), "{priced}");
    home.ok(&["reply", id(x_dm), "--text", "Refund issued"]);
    home.ok(&[
        "reply",
        id(fb_comment),
        "--text",
        "Thanks, we will look into it",
    ]);
    home.ok(&["reply", id(ig_comment), "--text", "Merci !"]);
    home.ok(&["reply", id(ig_dm), "--text", "Your order ships today"]);
    home.ok(&["reply", id(yt_top), "--text", "Glad you liked it"]);

    let tweet = arrived("x", || x.received_at("POST", "/2/tweets"), |_| true);
    assert_eq!(
        tweet.json()["reply"]["in_reply_to_tweet_id"],
        x_api::X_REPLY_ID
    );
    let dm_path = format!("/2/dm_conversations/{}/messages", x_api::X_DM_CONVERSATION);
    let x_dm_sent = arrived("x", || x.received_at("POST", &dm_path), |_| true);
    assert_eq!(x_dm_sent.json()["text"], "Refund issued");
    let fb_path = format!("/{}/comments", fb_comment["remote_id"].as_str().unwrap());
    let fb_sent = arrived(
        "facebook",
        || facebook.received_at("POST", &fb_path),
        |_| true,
    );
    assert_eq!(fb_sent.json()["message"], "Thanks, we will look into it");
    let ig_path = format!(
        "{}/{}/replies",
        instagram_api::VERSION,
        instagram_api::CUSTOMER_COMMENT
    );
    let ig_sent = arrived(
        "instagram",
        || instagram.api.received_at("POST", &ig_path),
        |_| true,
    );
    assert_eq!(ig_sent.json()["message"], "Merci !");
    let ig_dm_sent = arrived(
        "instagram",
        || instagram.api.received(),
        |r| r.method == "POST" && r.path.ends_with("/messages"),
    );
    let body = ig_dm_sent.json();
    assert_eq!(body["recipient"]["id"], instagram_api::CUSTOMER_IGSID);
    assert_eq!(body["messaging_type"], "RESPONSE");
    let yt_sent = arrived(
        "youtube",
        || youtube.api.received_at("POST", "/youtube/v3/comments"),
        |_| true,
    );
    assert_eq!(
        yt_sent.json()["snippet"]["parentId"],
        youtube_api::PAGED_THREAD
    );

    // Moderation: hide on each platform that has it.
    let x_hidden_id = by_remote(&x_items, x_api::X_DEEP_REPLY_ID);
    for target in [id(x_hidden_id), id(fb_comment), id(yt_top)] {
        let out = home.ok(&["moderate", target, "hide"]);
        assert!(out.contains("hide"), "{out}");
    }
    let hidden_path = format!("/2/tweets/{}/hidden", x_api::X_DEEP_REPLY_ID);
    let x_hide = arrived("x", || x.received_at("PUT", &hidden_path), |_| true);
    assert_eq!(x_hide.json()["hidden"], true);
    let fb_hide_path = format!("/{}", fb_comment["remote_id"].as_str().unwrap());
    let fb_hide = arrived(
        "facebook",
        || facebook.received_at("POST", &fb_hide_path),
        |_| true,
    );
    assert_eq!(fb_hide.json()["is_hidden"], true);
    let yt_hide = arrived(
        "youtube",
        || {
            youtube
                .api
                .received_at("POST", "/youtube/v3/comments/setModerationStatus")
        },
        |_| true,
    );
    assert_eq!(yt_hide.param("moderationStatus"), Some("rejected"));
    assert_eq!(yt_hide.param("id"), Some(youtube_api::PAGED_THREAD));

    // doctor: every account fine, YouTube's quota and X's spend counted.
    let doctor = home.ok(&["doctor"]);
    for account in [
        "acme-x (x): ok",
        "acme-fb (facebook): ok",
        "acme-ig (instagram): ok",
        "acme-yt (youtube): ok",
    ] {
        assert!(doctor.contains(account), "{doctor}");
    }
    assert!(doctor.contains("units left today"), "{doctor}");
    assert!(doctor.contains("spent $"), "{doctor}");
}

/// A comment that @mentions the Instagram account is listed nowhere Instagram lets us poll:
/// Meta's `mentions` webhook names it. Through the real binary: `serve` with `[webhooks]`,
/// a signed delivery naming the recorded mentioned comment, and the comment is in the queue
/// as a mention within seconds (read by its id), while the account polls hourly.
#[test]
fn a_mentions_webhook_brings_the_mentioned_instagram_comment_in() {
    let instagram = start_instagram_world();
    let home = Home::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let secret = "meta-app-secret";
    let config = format!(
        "{}poll_interval = 3600\n\n[webhooks]\nlisten = \"127.0.0.1:{port}\"\n\
         meta_app_secret = \"{secret}\"\nmeta_verify_token = \"verify-me\"\n",
        instagram.account_toml("acme-ig", ""),
    );
    let config_file = home.path().join("config.toml");
    std::fs::write(&config_file, config).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&config_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    home.ok(&["sync", "--once"]);
    let before = home.items(&["account:acme-ig"]);
    assert!(before
        .iter()
        .all(|i| i["remote_id"] != instagram_api::MENTIONED_COMMENT));

    let _hub = home.serve();
    let body = serde_json::json!({"object": "instagram", "entry": [{
        "id": instagram_api::IG_USER_ID,
        "time": 1_700_000_000,
        "changes": [{"field": "mentions", "value": {
            "comment_id": instagram_api::MENTIONED_COMMENT,
            "media_id": instagram_api::COMMENTED_MEDIA
        }}]
    }]})
    .to_string();
    let signature = common::webhooks_hub::meta_signature(secret, body.as_bytes());
    let url = format!("http://127.0.0.1:{port}/webhooks/meta");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // The endpoint binds as the hub starts its platforms: asked again until it answers.
    let status = runtime.block_on(async {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let sent = reqwest::Client::new()
                .post(&url)
                .header("X-Hub-Signature-256", &signature)
                .header("Content-Type", "application/json")
                .body(body.clone())
                .send()
                .await;
            match sent {
                Ok(answer) => break answer.status(),
                Err(e) if e.is_connect() && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(e) => panic!("the webhook endpoint does not answer: {e}"),
            }
        }
    });
    assert_eq!(status.as_u16(), 200);

    let deadline = Instant::now() + Duration::from_secs(20);
    let mention = loop {
        let items = home.items(&["account:acme-ig"]);
        if let Some(found) = items
            .iter()
            .find(|i| i["remote_id"] == instagram_api::MENTIONED_COMMENT)
        {
            break found.clone();
        }
        assert!(Instant::now() < deadline, "not brought in: {items:#?}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(mention["kind"], "mention", "{mention}");
    assert_eq!(mention["text"], "@ikroskun good");
}
