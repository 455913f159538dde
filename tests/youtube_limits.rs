//! The YouTube connector's limits against a loopback Data API: the day's quota counted,
//! resumed the same Pacific day only, pacing the polls and stopping them at the reserve; a
//! used-up quota, a rate limit and a 429; an expired token; recorded and written error
//! bodies; payloads missing optional fields or unreadable; the account's required keys.

mod common;
mod youtube_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use switchboard::config::{AccountConfig, Config};
use switchboard::connectors::youtube::{next_reset, quota_day, YoutubeConnector};
use switchboard::connectors::{Connector, ConnectorError, Moderation, ReplyRequest};
use switchboard::model::{Meter, Usage};

use common::fake_api::*;
use common::quick_http_options;
use common::youtube_api::*;
use youtube_support::*;

#[tokio::test]
async fn the_quota_is_counted_resumed_the_same_day_only_and_slows_polling_when_low() {
    let world = start_youtube_world();
    let conn = connector(&world.base());
    let today = quota_day(Utc::now());
    let minute = Duration::from_secs(60);
    assert_eq!(
        conn.poll_interval(minute),
        minute,
        "a fresh day polls as configured"
    );

    let yesterday = Usage {
        day: today.pred_opt().unwrap(),
        meter: Meter::Quota {
            used: 9_999,
            limit: 10_000,
        },
    };
    conn.resume_usage(&yesterday);
    assert_eq!(used(&conn), 0, "another day's count is ignored");

    let saved = Usage {
        day: today,
        meter: Meter::Quota {
            used: 8_900,
            limit: 10_000,
        },
    };
    conn.resume_usage(&saved);
    let usage = conn.usage().unwrap();
    assert_eq!(usage.describe(), "quota 1,100 of 10,000 units left today");
    assert!(usage.is_low());

    let (items, _, _) = sync(&conn, None).await;
    assert_eq!(used(&conn), 8_904, "a pass of four calls counted on top");

    // One more pass (four units) above the reserve: the next poll waits for the reset.
    conn.resume_usage(&Usage {
        day: today,
        meter: Meter::Quota {
            used: 8_996,
            limit: 10_000,
        },
    });
    let to_reset = (next_reset(Utc::now()) - Utc::now()).to_std().unwrap();
    let pause = conn.poll_interval(minute);
    assert!(pause >= minute, "never faster than configured: {pause:?}");
    assert!(
        pause + Duration::from_secs(2) >= to_reset.max(minute) && pause <= to_reset.max(minute),
        "{pause:?} for {to_reset:?} to the reset"
    );

    // Only the reserve left: no call, rate-limited until the quota resets.
    conn.resume_usage(&Usage {
        day: today,
        meter: Meter::Quota {
            used: 9_000,
            limit: 10_000,
        },
    });
    world.api.clear();
    let error = conn.fetch_new(None).await.unwrap_err();
    assert_eq!(
        error,
        ConnectorError::RateLimited {
            until: next_reset(Utc::now())
        }
    );
    assert!(world.api.received().is_empty());
    let pause = conn.poll_interval(minute);
    assert!(
        pause + Duration::from_secs(2) >= to_reset && pause <= Duration::from_secs(25 * 3600),
        "no polling until the reset: {pause:?}"
    );
    // Replies still go out from the reserve.
    let item = stored(&items[0]);
    conn.send_reply(&ReplyRequest::new(item, "on it", "k"))
        .await
        .expect("the reserve is for replies");
    assert_eq!(used(&conn), 9_050);
}

#[tokio::test]
async fn a_used_up_quota_is_rate_limited_until_pacific_midnight() {
    let api = FakeApi::start(|_| {
        error(
            403,
            "quotaExceeded",
            "The request cannot be completed because you have exceeded your quota.",
        )
    });
    let conn = connector(&api.base());
    let error = conn.fetch_new(None).await.unwrap_err();
    assert_eq!(
        error,
        ConnectorError::RateLimited {
            until: next_reset(Utc::now())
        }
    );
    assert_eq!(conn.usage().unwrap().quota_left(), Some(0));
    assert_eq!(conn.usage().unwrap().badge(), "0 left");
}

#[tokio::test]
async fn a_rate_limit_is_a_short_hold_and_a_429_is_waited_out() {
    let api = FakeApi::start(|_| error(403, "rateLimitExceeded", "slow down"));
    let conn = connector(&api.base());
    let before = Utc::now();
    let ConnectorError::RateLimited { until } = conn.fetch_new(None).await.unwrap_err() else {
        panic!("a rate limit")
    };
    assert!(
        until > before && until < before + chrono::Duration::minutes(2),
        "{until}"
    );

    let channel = recorded_channel();
    let mut first = true;
    let api = FakeApi::start(move |_| {
        if std::mem::take(&mut first) {
            return error(429, "rateLimitExceeded", "too many").with_header("retry-after", "1");
        }
        Reply::json(
            200,
            &list(
                "youtube#commentThreadListResponse",
                channel.published.clone(),
                None,
            ),
        )
    });
    let conn = connector(&api.base());
    let page = conn
        .fetch_new(None)
        .await
        .expect("the 429 waited out, then the page");
    assert_eq!(page.items.len(), 5, "four threads, one inline reply");
    assert_eq!(
        api.received_at("GET", "/youtube/v3/commentThreads").len(),
        2
    );
}

#[tokio::test]
async fn an_expired_token_is_reported_as_such() {
    let world = start_youtube_world();
    let conn = YoutubeConnector::new(
        &config(&world.base(), "").clone_with_token("stale"),
        quick_http_options(),
    )
    .unwrap();
    let error = conn.fetch_new(None).await.unwrap_err();
    let ConnectorError::Auth(why) = &error else {
        panic!("{error}")
    };
    assert!(why.contains("token expired or revoked"), "{why}");
    assert!(
        why.starts_with("GET /youtube/v3/commentThreads: 401"),
        "{why}"
    );
    assert!(!why.contains("stale"), "never the token: {why}");
}

trait WithToken {
    fn clone_with_token(&self, token: &str) -> AccountConfig;
}

impl WithToken for AccountConfig {
    fn clone_with_token(&self, token: &str) -> AccountConfig {
        AccountConfig {
            token: Some(token.to_string()),
            ..self.clone()
        }
    }
}

#[tokio::test]
async fn error_bodies_give_their_reason() {
    let recorded = fixture("youtube", "error.json");
    let base = Arc::new(Mutex::new(String::new()));
    let b = Arc::clone(&base);
    let api = FakeApi::start(move |_| Reply::recorded(&recorded, &b.lock().unwrap()));
    *base.lock().unwrap() = api.base();
    let conn = connector(&api.base());
    let refused = conn.fetch_new(None).await.unwrap_err();
    assert_eq!(
        refused,
        ConnectorError::Refused(
            "GET /youtube/v3/commentThreads: 400 keyInvalid (Bad Request)".into()
        )
    );

    let world = start_youtube_world();
    let conn = connector(&world.base());
    let (items, _, _) = sync(&conn, None).await;
    world
        .api
        .set_handler(|_| error(403, "commentsDisabled", "The video has disabled comments."));
    let request = ReplyRequest::new(stored(&items[0]), "hello", "k");
    let refused = conn.send_reply(&request).await.unwrap_err();
    assert_eq!(
        refused,
        ConnectorError::Refused(
            "POST /youtube/v3/comments: 403 commentsDisabled (The video has disabled comments.)"
                .into()
        )
    );
    world
        .api
        .set_handler(|_| error(403, "forbidden", "\u{1b}]0;owned\u{7}Not allowed"));
    let refused = conn
        .moderate(&stored(&items[0]), &Moderation::Hide)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, ConnectorError::Refused(w) if w.contains("forbidden") && !w.contains('\u{1b}')),
        "{refused}"
    );
}

#[tokio::test]
async fn missing_optional_fields_are_fine_and_unreadable_threads_are_problems() {
    let api = FakeApi::start(|request| {
        let items = match request.param("moderationStatus") {
            Some("published") => vec![
                json!({"id": "UgzBARE", "snippet": {"topLevelComment": {"id": "UgzBARE", "snippet": {"textOriginal": "hi"}}}}),
                json!({"kind": "youtube#commentThread", "snippet": {"videoId": "v"}}),
                json!("not a thread"),
            ],
            _ => vec![],
        };
        Reply::json(200, &list("youtube#commentThreadListResponse", items, None))
    });
    let conn = connector(&api.base());
    let (items, problems, _) = sync(&conn, None).await;
    assert_eq!(ids(&items), ["UgzBARE"]);
    assert_eq!(items[0].author.id, "");
    assert_eq!(items[0].url, None);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems.iter().all(|p| p.starts_with("commentThreads:")),
        "{problems:?}"
    );
}

#[test]
fn an_account_needs_a_channel_id() {
    let text = "[[accounts]]\nname = \"acme-yt\"\nplatform = \"youtube\"\ntoken = \"t\"\n";
    let account = Config::parse(std::path::Path::new("c.toml"), text)
        .unwrap()
        .accounts[0]
        .clone();
    let Err(error) = YoutubeConnector::new(&account, quick_http_options()) else {
        panic!("built without a channel")
    };
    assert!(
        matches!(&error, ConnectorError::Refused(w) if w.contains("account acme-yt") && w.contains("channel_id")),
        "{error}"
    );
    let bad = AccountConfig {
        channel_id: Some("../x?y".into()),
        ..account.clone()
    };
    assert!(YoutubeConnector::new(&bad, quick_http_options()).is_err());
    let good = AccountConfig {
        channel_id: Some(CHANNEL.into()),
        ..account
    };
    assert!(
        YoutubeConnector::new(&good, quick_http_options()).is_ok(),
        "api_base defaults to googleapis"
    );
}
