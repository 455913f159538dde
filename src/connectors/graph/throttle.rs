//! Meta's throttling headers, read on every answer so the connector slows down before the
//! platform refuses:
//!
//! - `X-App-Usage` / `X-Page-Usage` / `X-Ad-Account-Usage`: `{"call_count": 28,
//!   "total_time": 25, "total_cputime": 25}`, percentages of the allowance in use;
//! - `X-Business-Use-Case-Usage`: `{"<object id>": [{"type": "pages", "call_count": 100,
//!   "total_cputime": 25, "total_time": 25, "estimated_time_to_regain_access": 19}]}`, the
//!   same percentages per business object, and minutes until access comes back.
//!
//! The highest percentage becomes the account's usage (`Meter::Throttle`); at
//! [`HOLD_AT_PERCENT`] or with a time to regain access, calls are held until then.

use chrono::{DateTime, Duration, Utc};
use reqwest::header::HeaderMap;
use serde_json::Value;

use super::error::DEFAULT_THROTTLE_WAIT;

/// At this share of the allowance in use, the connector stops calling until it drops.
pub const HOLD_AT_PERCENT: u8 = 95;

/// What one answer's headers say about throttling.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Throttle {
    /// The highest percentage of any allowance in use, when a header said.
    pub percent: Option<u8>,
    /// When access comes back, when Meta estimated it.
    pub regain_at: Option<DateTime<Utc>>,
}

impl Throttle {
    /// Reads every usage header of an answer.
    pub fn from_headers(headers: &HeaderMap, now: DateTime<Utc>) -> Throttle {
        let mut throttle = Throttle::default();
        for name in ["x-app-usage", "x-page-usage", "x-ad-account-usage"] {
            if let Some(usage) = header_json(headers, name) {
                throttle.note(highest_percent(&usage), None, now);
            }
        }
        if let Some(buc) = header_json(headers, "x-business-use-case-usage") {
            for entry in buc
                .as_object()
                .into_iter()
                .flat_map(|o| o.values())
                .filter_map(Value::as_array)
                .flatten()
            {
                let minutes = entry
                    .get("estimated_time_to_regain_access")
                    .and_then(Value::as_i64);
                throttle.note(highest_percent(entry), minutes, now);
            }
        }
        throttle
    }

    /// Until when calls should be held, if at all.
    pub fn hold_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match (self.regain_at, self.percent) {
            (Some(at), _) if at > now => Some(at),
            (_, Some(p)) if p >= HOLD_AT_PERCENT => Some(now + DEFAULT_THROTTLE_WAIT),
            _ => None,
        }
    }

    fn note(&mut self, percent: Option<u8>, regain_minutes: Option<i64>, now: DateTime<Utc>) {
        if let Some(p) = percent {
            self.percent = Some(self.percent.map_or(p, |q| q.max(p)));
        }
        if let Some(minutes) = regain_minutes.filter(|m| *m > 0) {
            let at = now + Duration::minutes(minutes);
            self.regain_at = Some(self.regain_at.map_or(at, |t| t.max(at)));
        }
    }
}

fn header_json(headers: &HeaderMap, name: &str) -> Option<Value> {
    serde_json::from_str(headers.get(name)?.to_str().ok()?).ok()
}

/// The highest of `call_count`, `total_time`, `total_cputime` (percentages, capped at 100).
fn highest_percent(usage: &Value) -> Option<u8> {
    ["call_count", "total_time", "total_cputime"]
        .iter()
        .filter_map(|k| usage.get(*k).and_then(Value::as_u64))
        .max()
        .map(|p| p.min(100) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn now() -> DateTime<Utc> {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn app_usage_gives_the_highest_percentage() {
        let h = headers(&[(
            "x-app-usage",
            r#"{"call_count":28,"total_time":72,"total_cputime":25}"#,
        )]);
        let t = Throttle::from_headers(&h, now());
        assert_eq!(t.percent, Some(72));
        assert_eq!(t.hold_until(now()), None);
        let full = headers(&[("x-app-usage", r#"{"call_count":96}"#)]);
        assert_eq!(
            Throttle::from_headers(&full, now()).hold_until(now()),
            Some(now() + DEFAULT_THROTTLE_WAIT)
        );
    }

    #[test]
    fn business_use_case_usage_says_when_access_returns() {
        let h = headers(&[(
            "x-business-use-case-usage",
            r#"{"112233":[{"type":"pages","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":19}]}"#,
        )]);
        let t = Throttle::from_headers(&h, now());
        assert_eq!(t.percent, Some(100));
        assert_eq!(t.hold_until(now()), Some(now() + Duration::minutes(19)));
    }

    #[test]
    fn garbage_headers_say_nothing() {
        let h = headers(&[
            ("x-app-usage", "not json"),
            ("x-business-use-case-usage", "[]"),
        ]);
        assert_eq!(Throttle::from_headers(&h, now()), Throttle::default());
    }
}
