//! The Facebook Pages connector under Meta's limits and errors, against the loopback Page
//! world (tests/common/facebook_api.rs): `X-App-Usage` at 96% holds further calls,
//! `X-Business-Use-Case-Usage` says until when, throttling codes 4/17/32/613/80001 under a
//! 400 and under a 200, an expired token reported as expired, and the recorded error body.

mod common;

use chrono::{Duration, Utc};
use common::facebook_api::*;
use common::fake_api::{fixture, Reply};
use serde_json::json;
use switchboard::connectors::{Connector, ConnectorError};
use switchboard::model::Meter;

#[tokio::test]
async fn app_usage_at_96_percent_holds_further_calls() {
    let world = start_facebook_world_with(|_, path| {
        (path == format!("/{PAGE_ID}/feed")).then(|| {
            Reply::json(200, &json!({"data": []})).with_header(
                "x-app-usage",
                r#"{"call_count":96,"total_cputime":20,"total_time":30}"#,
            )
        })
    });
    let c = connector(&world);
    let page = c.fetch_new(None).await.unwrap();
    assert!(page.more);
    match c.usage().map(|u| u.meter) {
        Some(Meter::Throttle { percent }) => assert_eq!(percent, 96),
        other => panic!("{other:?}"),
    }
    let calls = world.api.received().len();
    let held = c.fetch_new(page.cursor.as_deref()).await;
    assert!(
        matches!(held, Err(ConnectorError::RateLimited { until }) if until > Utc::now()),
        "{held:?}"
    );
    assert_eq!(world.api.received().len(), calls, "no call while held");
}

#[tokio::test]
async fn business_use_case_usage_says_until_when() {
    let world = start_facebook_world_with(|_, _| {
        let buc = format!(
            r#"{{"{PAGE_ID}":[{{"type":"pages","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":7}}]}}"#
        );
        Some(
            graph_error(
                400,
                80001,
                "There have been too many calls to this Page account",
            )
            .with_header("x-business-use-case-usage", &buc),
        )
    });
    let c = connector(&world);
    let before = Utc::now();
    match c.fetch_new(None).await {
        Err(ConnectorError::RateLimited { until }) => {
            assert!(
                until >= before + Duration::minutes(7) - Duration::seconds(5),
                "{until}"
            );
            assert!(until <= Utc::now() + Duration::minutes(7), "{until}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn throttling_codes_under_400_and_under_200_are_rate_limits() {
    for status in [400, 200] {
        for code in [4, 17, 32, 613, 80001] {
            let world = start_facebook_world_with(move |_, _| {
                Some(graph_error(
                    status,
                    code,
                    "(#4) Application request limit reached",
                ))
            });
            let result = connector(&world).fetch_new(None).await;
            assert!(
                matches!(result, Err(ConnectorError::RateLimited { .. })),
                "code {code} under {status}: {result:?}"
            );
        }
    }
}

#[tokio::test]
async fn an_expired_token_is_reported_as_expired() {
    let world = start_facebook_world_with(|_, _| {
        Some(Reply::json(
            400,
            &json!({"error": {
            "message": "Error validating access token: Session has expired on Sunday, 22-Nov-26 10:00:00 PST.",
            "type": "OAuthException", "code": 190, "error_subcode": 463, "fbtrace_id": "A"}}),
        ))
    });
    match connector(&world).fetch_new(None).await {
        Err(ConnectorError::Auth(why)) => {
            assert!(why.contains("expired"), "{why}");
            assert!(why.contains("/feed"), "names the call: {why}");
            assert!(!why.contains("page-token"), "{why}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_recorded_error_body_under_a_200_is_refused_with_its_reason() {
    let world = start_facebook_world_with(|_, _| {
        Some(Reply::recorded(
            &fixture("facebook", "error.json"),
            "http://127.0.0.1",
        ))
    });
    match connector(&world).fetch_new(None).await {
        Err(ConnectorError::Refused(why)) => {
            assert!(why.contains("Pages Public Content Access"), "{why}");
            assert!(why.contains("code 100") && why.contains("/feed"), "{why}");
        }
        other => panic!("{other:?}"),
    }
}
