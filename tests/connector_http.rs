//! The shared HTTP layer against the recorded real responses in `../shared/fixtures/` (read
//! in place): every rate-limit header the platforms sent is understood, and every `Link`
//! next page is found (and is refused for following when it points off the configured host).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use switchboard::connectors::http::{next_link, same_origin, RateLimit};

fn fixtures(platform: &str) -> Vec<(PathBuf, serde_json::Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures")
        .join(platform);
    let mut found: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let json = serde_json::from_str(&text).unwrap();
            (path, json)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn headers(exchange: &serde_json::Value) -> HeaderMap {
    let mut map = HeaderMap::new();
    if let Some(object) = exchange["response"]["headers"].as_object() {
        for (name, value) in object {
            if let (Ok(name), Some(Ok(value))) = (
                HeaderName::from_bytes(name.as_bytes()),
                value.as_str().map(HeaderValue::from_str),
            ) {
                map.insert(name, value);
            }
        }
    }
    map
}

fn recorded_at() -> DateTime<Utc> {
    "2026-08-01T13:50:00Z".parse().unwrap()
}

#[test]
fn every_recorded_rate_limit_header_is_understood() {
    let mut budgets = 0;
    for platform in [
        "mastodon",
        "x",
        "bluesky",
        "facebook",
        "instagram",
        "youtube",
    ] {
        for (path, exchange) in fixtures(platform) {
            let headers = headers(&exchange);
            let announced = headers
                .keys()
                .any(|k| k.as_str().contains("rate-limit") || k.as_str().contains("ratelimit"));
            let limit = RateLimit::from_headers(&headers, recorded_at());
            if announced {
                let budget = limit
                    .budget
                    .unwrap_or_else(|| panic!("{}: {headers:?}", path.display()));
                assert!(budget.reset.is_some(), "{}: reset not read", path.display());
                budgets += 1;
            }
        }
    }
    assert!(
        budgets >= 20,
        "the fixtures announce budgets: {budgets} read"
    );
}

#[test]
fn every_recorded_next_page_is_found_and_never_followed_off_the_configured_host() {
    let mut pages = 0;
    for (path, exchange) in fixtures("mastodon") {
        let link = exchange["response"]["headers"]["link"]
            .as_str()
            .unwrap_or("");
        if !link.contains("rel=\"next\"") {
            continue;
        }
        let next = next_link(link).unwrap_or_else(|| panic!("{}: {link}", path.display()));
        assert!(next.contains("max_id="), "{}: {next}", path.display());
        // Recorded against localhost:3000: never followed from a test server's origin.
        assert!(!same_origin("http://127.0.0.1:41234", &next));
        pages += 1;
    }
    assert!(pages >= 3, "{pages} next links");
}
