//! The hub's webhook endpoint over real HTTP on 127.0.0.1, in front of an in-process hub
//! whose accounts poll once an hour: Meta's subscription check, signed Meta and X
//! deliveries waking the right account's sync within a second, refused deliveries (bad,
//! forged or missing signatures, oversized bodies) waking nothing, X's CRC answer against
//! the documented example, ids not configured here counted, a wake during a rate-limit hold
//! ignored, and no endpoint at all when `[webhooks] listen` is not set.

mod common;

use std::time::Duration;

use common::webhooks_hub::*;
use switchboard::connectors::ConnectorError;

const SOON: Duration = Duration::from_secs(1);
/// How long a refused delivery is given to (wrongly) wake something.
const QUIET: Duration = Duration::from_millis(400);

#[tokio::test]
async fn meta_subscription_check_echoes_the_challenge_for_our_token_only() {
    let f = start(&full_section()).await;
    let good = format!(
        "/webhooks/meta?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444"
    );
    assert_eq!(f.get(&good).await, (200, "1158201444".to_string()));
    let wrong = "/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1";
    assert_eq!(f.get(wrong).await.0, 403);
    let no_token = "/webhooks/meta?hub.mode=subscribe&hub.challenge=1";
    assert_eq!(f.get(no_token).await.0, 403);
    assert_eq!(f.get("/webhooks/nope").await.0, 404);
    assert_eq!(
        f.get("/meta").await.0,
        404,
        "the prefix is part of the route"
    );
}

#[tokio::test]
async fn a_signed_meta_delivery_wakes_the_page_or_instagram_account_at_once() {
    let f = start(&full_section()).await;
    let body = meta_body("page", &["1234567890"]);
    let signed = Some(("X-Hub-Signature-256", meta_signature(APP_SECRET, &body)));
    assert_eq!(f.post("/webhooks/meta", signed, &body).await, 200);
    assert!(
        wait_until(SOON, || f.fb.calls() == 2).await,
        "the Page synced again"
    );
    assert_eq!((f.ig.calls(), f.x.calls()), (1, 1), "only the Page woke");

    let body = meta_body("instagram", &["17841400000000000"]);
    let signed = Some(("x-hub-signature-256", meta_signature(APP_SECRET, &body)));
    assert_eq!(f.post("/webhooks/meta", signed, &body).await, 200);
    assert!(
        wait_until(SOON, || f.ig.calls() == 2).await,
        "Instagram synced again"
    );
    assert_eq!(f.fb.calls(), 2);
    let status = f.status();
    assert_eq!(
        (status.received, status.accepted, status.rejected),
        (2, 2, 0)
    );
    assert!(status.last_at.is_some());
}

#[tokio::test]
async fn bad_forged_or_missing_meta_signatures_are_403_and_wake_nothing() {
    let f = start(&full_section()).await;
    let body = meta_body("page", &["1234567890"]);
    let other = meta_body("page", &["1234567891"]);
    let upper_name = Some(("X-HUB-SIGNATURE-256", meta_signature(APP_SECRET, &body)));
    assert_eq!(
        f.post("/webhooks/meta", upper_name, &body).await,
        200,
        "names ignore case"
    );
    assert!(wait_until(SOON, || f.fb.calls() == 2).await);
    let refused = [
        Some((
            "X-Hub-Signature-256",
            meta_signature("another secret", &body),
        )),
        Some(("X-Hub-Signature-256", meta_signature(APP_SECRET, &other))),
        Some((
            "X-Hub-Signature-256",
            meta_signature(APP_SECRET, &body).replace("sha256=", "SHA256="),
        )),
        Some((
            "X-Hub-Signature",
            meta_signature(APP_SECRET, &body).replace("sha256=", "sha1="),
        )),
        Some((
            "X-Hub-Signature-256",
            meta_signature(APP_SECRET, &body)[..70].to_string(),
        )),
        Some((
            "x-twitter-webhooks-signature",
            x_signature(APP_SECRET, &body),
        )),
        None,
    ];
    for header in refused {
        let shown = format!("{header:?}");
        assert_eq!(
            f.post("/webhooks/meta", header, &body).await,
            403,
            "{shown}"
        );
    }
    tokio::time::sleep(QUIET).await;
    assert_eq!(f.fb.calls(), 2, "no refused delivery woke the Page");
    let status = f.status();
    assert_eq!(
        (status.received, status.accepted, status.rejected),
        (8, 1, 7)
    );
}

#[tokio::test]
async fn an_oversized_body_is_413_before_anything_else() {
    let f = start(&full_section()).await;
    let mut body = meta_body("page", &["1234567890"]);
    body.resize(1024 * 1024 + 1, b' ');
    let signed = Some(("X-Hub-Signature-256", meta_signature(APP_SECRET, &body)));
    assert_eq!(f.post("/webhooks/meta", signed, &body).await, 413);
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        body.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let chunked = f
        .http
        .post(f.url("/webhooks/meta"))
        .header("X-Hub-Signature-256", meta_signature(APP_SECRET, &body))
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    assert_eq!(
        chunked.status(),
        413,
        "no length given: refused once past 1 MiB"
    );
    let mut exact = meta_body("page", &["1234567890"]);
    exact.resize(1024 * 1024, b' ');
    let signed = Some(("X-Hub-Signature-256", meta_signature(APP_SECRET, &exact)));
    assert_eq!(
        f.post("/webhooks/meta", signed, &exact).await,
        200,
        "1 MiB is allowed"
    );
    assert!(wait_until(SOON, || f.fb.calls() == 2).await);
    assert_eq!(f.status().rejected, 2);
}

#[tokio::test]
async fn ids_not_configured_here_are_200_and_counted() {
    let f = start(&full_section()).await;
    let body = meta_body("page", &["999", "1234567890", "998"]);
    let signed = Some(("X-Hub-Signature-256", meta_signature(APP_SECRET, &body)));
    assert_eq!(f.post("/webhooks/meta", signed, &body).await, 200);
    assert!(
        wait_until(SOON, || f.fb.calls() == 2).await,
        "the known one woke"
    );
    let body = meta_body("whatsapp_business_account", &["1234567890"]);
    let signed = Some(("X-Hub-Signature-256", meta_signature(APP_SECRET, &body)));
    assert_eq!(f.post("/webhooks/meta", signed, &body).await, 200);
    let body = meta_body("instagram", &["1234567890"]);
    let signed = Some(("X-Hub-Signature-256", meta_signature(APP_SECRET, &body)));
    assert_eq!(
        f.post("/webhooks/meta", signed, &body).await,
        200,
        "a Page id is not an IG id"
    );
    tokio::time::sleep(QUIET).await;
    assert_eq!((f.fb.calls(), f.ig.calls()), (2, 1));
    let status = f.status();
    assert_eq!(
        (status.accepted, status.unknown, status.rejected),
        (3, 4, 0)
    );
    assert!(
        status.describe().contains("4 for accounts not configured"),
        "{}",
        status.describe()
    );
}

#[tokio::test]
async fn x_crc_answers_the_documented_example() {
    // X's documented example: this consumer secret and crc_token; the answer computed
    // independently (Python's hmac and base64).
    let section = "[webhooks]\nlisten = \"127.0.0.1:0\"\n\
                   x_consumer_secret = \"z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu\"\n";
    let f = start(section).await;
    let (status, body) = f
        .get("/webhooks/x?crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553")
        .await;
    assert_eq!(status, 200);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"response_token": "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8="})
    );
    assert_eq!(f.get("/webhooks/x").await.0, 400, "no crc_token");
    let meta = format!(
        "/webhooks/meta?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1"
    );
    assert_eq!(
        f.get(&meta).await.0,
        404,
        "Meta is not configured: its route is absent"
    );
    assert_eq!(f.status().routes, ["x"]);
}

#[tokio::test]
async fn x_deliveries_are_checked_and_wake_the_user_they_are_for() {
    let f = start(&full_section()).await;
    let token = "some-crc-token";
    let (_, answer) = f.get(&format!("/webhooks/x?crc_token={token}")).await;
    let expected = x_signature(CONSUMER_SECRET, token.as_bytes());
    assert_eq!(
        answer,
        serde_json::json!({"response_token": expected}).to_string()
    );

    let body = br#"{"for_user_id":"2244994945","tweet_create_events":[{"id_str":"1"}]}"#;
    let forged = Some((
        "x-twitter-webhooks-signature",
        x_signature("not ours", body),
    ));
    assert_eq!(f.post("/webhooks/x", forged, body).await, 403);
    assert_eq!(f.post("/webhooks/x", None, body).await, 403);
    tokio::time::sleep(QUIET).await;
    assert_eq!(f.x.calls(), 1, "refused deliveries woke nothing");
    let signed = Some((
        "x-twitter-webhooks-signature",
        x_signature(CONSUMER_SECRET, body),
    ));
    assert_eq!(f.post("/webhooks/x", signed, body).await, 200);
    assert!(
        wait_until(SOON, || f.x.calls() == 2).await,
        "the X account synced again"
    );
    let other = br#"{"for_user_id":"1","direct_message_events":[]}"#;
    let signed = Some((
        "x-twitter-webhooks-signature",
        x_signature(CONSUMER_SECRET, other),
    ));
    assert_eq!(f.post("/webhooks/x", signed, other).await, 200);
    let status = f.status();
    assert_eq!(
        (status.accepted, status.rejected, status.unknown),
        (2, 2, 1)
    );
    assert_eq!((f.fb.calls(), f.ig.calls()), (1, 1));
}

#[tokio::test]
async fn a_wake_during_a_rate_limit_hold_is_ignored() {
    let f = start(&full_section()).await;
    let until = chrono::Utc::now() + chrono::Duration::hours(1);
    f.fb.fail_with(ConnectorError::RateLimited { until });
    let body = meta_body("page", &["1234567890"]);
    let sign = |body: &[u8]| Some(("X-Hub-Signature-256", meta_signature(APP_SECRET, body)));
    assert_eq!(f.post("/webhooks/meta", sign(&body), &body).await, 200);
    assert!(
        wait_until(SOON, || f.fb.calls() == 2).await,
        "the pass that met the limit"
    );
    assert!(
        wait_until(SOON, || matches!(
            f.hub.accounts().get("acme-fb").unwrap().state,
            switchboard::model::AccountState::RateLimited { .. }
        ))
        .await
    );
    assert_eq!(f.post("/webhooks/meta", sign(&body), &body).await, 200);
    tokio::time::sleep(QUIET).await;
    assert_eq!(f.fb.calls(), 2, "the hold is kept");
}

#[tokio::test]
async fn no_endpoint_without_listen() {
    let f = start("[webhooks]\nx_consumer_secret = \"s\"\n").await;
    assert!(f.server.is_none());
    assert!(f.hub.webhook_status().is_none());
    assert!(!f.hub.wake_account("nobody"));
    assert!(
        f.hub.wake_account("acme-x"),
        "the sync loops still register"
    );
}
