//! The Mastodon test server (mastodon-mock, tests/servers/MASTODON.md) does what the
//! connector tests will rely on: tokens, mention notifications with `Link` paging, replies
//! with `in_reply_to_id` and `Idempotency-Key`, DMs as conversations, and injected faults.
//! Only talks to 127.0.0.1.

mod common;

use std::time::{Duration, Instant};

use common::mastodon::{Fault, MastodonMock};
use serde_json::Value;

async fn get(mock: &MastodonMock, token: &str, path: &str) -> reqwest::Response {
    mock.http()
        .get(mock.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

async fn json_ok(response: reqwest::Response) -> Value {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap()
}

/// The URL of the `rel` link of a `Link` header.
fn link(header: &str, rel: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params.contains(&format!("rel=\"{rel}\"")).then(|| {
            url.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mock_serves_mentions_replies_dms_and_faults() {
    let started = Instant::now();
    let mock = MastodonMock::start();
    let brand = mock.create_account("brand").await;
    let alice = mock.create_account("alice").await;

    // Tokens: the control plane's, and one from the OAuth app + authorization-code flow.
    let me = json_ok(get(&mock, &brand.token, "/api/v1/accounts/verify_credentials").await).await;
    assert_eq!(me["username"], "brand");
    assert_eq!(me["id"], brand.id.as_str());
    let oauth = mock.oauth_token("brand", "read write").await;
    let me = json_ok(get(&mock, &oauth, "/api/v1/accounts/verify_credentials").await).await;
    assert_eq!(me["username"], "brand");
    let anonymous = mock
        .http()
        .get(mock.url("/api/v1/accounts/verify_credentials"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(json_body(anonymous).await["error"].is_string());

    // Three mentions from a customer; the brand pages through them two at a time.
    let mut mentions = Vec::new();
    for n in 1..=3 {
        let status = mock
            .mention(&alice, &brand, &format!("where is my order #{n}?"))
            .await;
        mentions.push(status["id"].as_str().unwrap().to_string());
    }
    let page = get(
        &mock,
        &brand.token,
        "/api/v1/notifications?types[]=mention&limit=2",
    )
    .await;
    let header = page
        .headers()
        .get("link")
        .expect("a Link header on a full page")
        .to_str()
        .unwrap()
        .to_string();
    let first = json_ok(page).await;
    let first = first.as_array().unwrap();
    assert_eq!(first.len(), 2);
    for notification in first {
        assert_eq!(notification["type"], "mention");
        assert_eq!(notification["account"]["acct"], "alice");
        assert_eq!(notification["status"]["visibility"], "public");
    }
    // Newest first.
    assert_eq!(first[0]["status"]["id"], mentions[2].as_str());
    assert_eq!(first[1]["status"]["id"], mentions[1].as_str());
    let next = link(&header, "next").expect("rel=next");
    let prev = link(&header, "prev").expect("rel=prev");
    assert!(
        next.starts_with(&mock.url("/api/v1/notifications?")),
        "{next}"
    );
    assert!(next.contains("max_id="), "{next}");
    assert!(prev.contains("min_id="), "{prev}");
    // The mock's links drop `types[]` (real Mastodon keeps it): the client adds it back.
    let next = format!("{}&types[]=mention", &next[mock.base_url().len()..]);
    let rest = json_ok(get(&mock, &brand.token, &next).await).await;
    let rest = rest.as_array().unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0]["status"]["id"], mentions[0].as_str());

    // The brand answers the oldest mention; a retry with the same Idempotency-Key posts
    // nothing new.
    let reply = |key: &'static str| {
        mock.http()
            .post(mock.url("/api/v1/statuses"))
            .bearer_auth(&brand.token)
            .header("Idempotency-Key", key)
            .json(&serde_json::json!({
                "status": "@alice it left the warehouse this morning",
                "in_reply_to_id": mentions[0],
                "visibility": "public",
            }))
            .send()
    };
    let once = json_ok(reply("reply-1").await.unwrap()).await;
    let twice = json_ok(reply("reply-1").await.unwrap()).await;
    assert_eq!(once["id"], twice["id"]);
    assert_eq!(once["in_reply_to_id"], mentions[0].as_str());
    assert_eq!(once["in_reply_to_account_id"], alice.id.as_str());
    let other = json_ok(reply("reply-2").await.unwrap()).await;
    assert_ne!(other["id"], once["id"], "another key is another status");
    let posted = json_ok(
        get(
            &mock,
            &brand.token,
            &format!("/api/v1/accounts/{}/statuses", brand.id),
        )
        .await,
    )
    .await;
    assert_eq!(posted.as_array().unwrap().len(), 2);
    let context = json_ok(
        get(
            &mock,
            &brand.token,
            &format!("/api/v1/statuses/{}/context", mentions[0]),
        )
        .await,
    )
    .await;
    let descendants: Vec<&str> = context["descendants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        descendants,
        [once["id"].as_str().unwrap(), other["id"].as_str().unwrap()]
    );
    assert_eq!(context["ancestors"], serde_json::json!([]));

    // A DM is a conversation with the customer (and a mention notification).
    let dm = mock
        .direct_message(&alice, &brand, "my address changed")
        .await;
    assert_eq!(dm["visibility"], "direct");
    let conversations = json_ok(get(&mock, &brand.token, "/api/v1/conversations").await).await;
    let conversations = conversations.as_array().unwrap();
    assert_eq!(conversations.len(), 1, "{conversations:?}");
    assert_eq!(conversations[0]["unread"], true);
    assert_eq!(conversations[0]["last_status"]["id"], dm["id"]);
    let with: Vec<&Value> = conversations[0]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(with.len(), 1);
    assert_eq!(with[0]["acct"], "alice");
    let latest = json_ok(get(&mock, &brand.token, "/api/v1/notifications?limit=1").await).await;
    assert_eq!(latest[0]["type"], "mention");
    assert_eq!(latest[0]["status"]["visibility"], "direct");

    // Faults: one 429 with rate-limit headers, then one 503, then the real answer.
    mock.inject(
        Fault::rate_limit("/api/v1/notifications")
            .method("GET")
            .times(1),
    )
    .await;
    mock.inject(Fault::status("/api/v1/notifications", 503).times(1))
        .await;
    let limited = get(&mock, &brand.token, "/api/v1/notifications").await;
    assert_eq!(limited.status(), 429);
    let headers = limited.headers().clone();
    assert_eq!(headers["retry-after"], "300");
    assert_eq!(headers["x-ratelimit-remaining"], "0");
    assert_eq!(headers["x-ratelimit-limit"], "300");
    let reset: u64 = headers["x-ratelimit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .expect("the mock's X-RateLimit-Reset is Unix seconds");
    assert!(reset > 1_700_000_000);
    assert_eq!(json_body(limited).await["error"], "Too many requests");
    let unavailable = get(&mock, &brand.token, "/api/v1/notifications").await;
    assert_eq!(unavailable.status(), 503);
    assert!(mock.faults().await.is_empty(), "both rules were used up");
    let fine = get(&mock, &brand.token, "/api/v1/notifications").await;
    assert_eq!(fine.status(), 200);

    // A real Mastodon-style reset time can be given instead.
    mock.inject(
        Fault::rate_limit("/api/v1/statuses")
            .times(1)
            .header("X-RateLimit-Reset", "2026-08-01T15:00:00.492968Z"),
    )
    .await;
    let limited = mock
        .http()
        .post(mock.url("/api/v1/statuses"))
        .bearer_auth(&brand.token)
        .form(&[("status", "hello")])
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status(), 429);
    assert_eq!(
        limited.headers()["x-ratelimit-reset"],
        "2026-08-01T15:00:00.492968Z"
    );

    // Latency is added to the real answer.
    mock.inject(Fault::latency("/api/v1/conversations", 300).times(1))
        .await;
    let t = Instant::now();
    let slow = get(&mock, &brand.token, "/api/v1/conversations").await;
    assert_eq!(slow.status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(300));

    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

async fn json_body(response: reqwest::Response) -> Value {
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad JSON ({e}): {text}"))
}
