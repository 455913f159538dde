//! Rate-limit signals, as each platform sends them:
//!
//! - `Retry-After` (429, 503): delay in seconds, or an HTTP date;
//! - `X-RateLimit-Limit/Remaining/Reset` (Mastodon: reset as an ISO 8601 time; others: epoch
//!   seconds) and X's `x-rate-limit-*` (reset as epoch seconds);
//! - the IETF `RateLimit-Limit/Remaining/Reset` fields (reset as seconds from now) and their
//!   combined form `RateLimit: limit=100, remaining=0, reset=30`.
//!
//! A reset given as a bare number is read as epoch seconds when it is a plausible epoch
//! (after 2001), and as seconds from now otherwise.

use chrono::{DateTime, Duration, Utc};
use reqwest::header::HeaderMap;

/// Numbers below this are delays in seconds; above, epoch seconds (2001-09-09).
const EPOCH_THRESHOLD: i64 = 1_000_000_000;

/// A request budget the platform announced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub limit: Option<u64>,
    pub remaining: u64,
    pub reset: Option<DateTime<Utc>>,
}

/// What a response says about the rate limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Do not call again before this (from `Retry-After`).
    pub retry_after: Option<DateTime<Utc>>,
    /// The budget, when the platform announces one.
    pub budget: Option<Budget>,
}

impl RateLimit {
    /// Reads every known signal from a response's headers.
    pub fn from_headers(headers: &HeaderMap, now: DateTime<Utc>) -> RateLimit {
        RateLimit {
            retry_after: retry_after(headers, now),
            budget: x_ratelimit(headers, now).or_else(|| ietf_ratelimit(headers, now)),
        }
    }

    /// When the next call may go out: `None` means now. A refused call (429) without any
    /// signal waits `fallback`.
    pub fn wait_until(
        &self,
        refused: bool,
        now: DateTime<Utc>,
        fallback: Duration,
    ) -> Option<DateTime<Utc>> {
        let exhausted = self
            .budget
            .filter(|b| b.remaining == 0)
            .and_then(|b| b.reset);
        let until = self.retry_after.or(exhausted);
        match until {
            Some(t) if t > now => Some(t),
            Some(_) => None,
            None if refused => Some(now + fallback),
            None => None,
        }
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

/// `Retry-After`: seconds, or an HTTP date.
pub fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let value = header(headers, "retry-after")?;
    if let Ok(seconds) = value.parse::<i64>() {
        return Some(now + Duration::seconds(seconds.max(0)));
    }
    DateTime::parse_from_rfc2822(value)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `X-RateLimit-*` (Mastodon and most REST APIs) or X's `x-rate-limit-*`.
fn x_ratelimit(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Budget> {
    ["x-ratelimit-", "x-rate-limit-"].iter().find_map(|prefix| {
        let field = |name: &str| header(headers, &format!("{prefix}{name}"));
        Some(Budget {
            remaining: field("remaining")?.parse().ok()?,
            limit: field("limit").and_then(|v| v.parse().ok()),
            reset: field("reset").and_then(|v| reset_time(v, now)),
        })
    })
}

/// The IETF fields, separate or combined in one `RateLimit` header.
fn ietf_ratelimit(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Budget> {
    if let Some(remaining) = header(headers, "ratelimit-remaining") {
        return Some(Budget {
            remaining: remaining.parse().ok()?,
            limit: header(headers, "ratelimit-limit").and_then(first_number),
            reset: header(headers, "ratelimit-reset").and_then(|v| reset_time(v, now)),
        });
    }
    let combined = header(headers, "ratelimit")?;
    let part = |key: &str| {
        combined.split([',', ';']).find_map(|item| {
            let (k, v) = item.split_once('=')?;
            (k.trim() == key).then(|| v.trim().trim_matches('"'))
        })
    };
    Some(Budget {
        remaining: part("remaining")?.parse().ok()?,
        limit: part("limit").and_then(first_number),
        reset: part("reset").and_then(|v| reset_time(v, now)),
    })
}

/// `100` or `100, 100;w=60`: the first number.
fn first_number(value: &str) -> Option<u64> {
    value.split([',', ';']).next()?.trim().parse().ok()
}

/// A reset given as an ISO 8601 time, epoch seconds, or seconds from now.
pub fn reset_time(value: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if let Ok(number) = value.parse::<f64>() {
        let seconds = number.ceil() as i64;
        return if seconds >= EPOCH_THRESHOLD {
            DateTime::from_timestamp(seconds, 0)
        } else {
            Some(now + Duration::seconds(seconds.max(0)))
        };
    }
    DateTime::parse_from_rfc3339(value)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    fn now() -> DateTime<Utc> {
        "2026-11-22T12:00:00Z".parse().unwrap()
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn retry_after_in_seconds_or_as_an_http_date() {
        let h = headers(&[("Retry-After", "120")]);
        assert_eq!(retry_after(&h, now()), Some(now() + Duration::seconds(120)));
        let h = headers(&[("Retry-After", "Sun, 22 Nov 2026 12:05:00 GMT")]);
        assert_eq!(retry_after(&h, now()), Some(now() + Duration::minutes(5)));
        assert_eq!(
            retry_after(&headers(&[("Retry-After", "soon")]), now()),
            None
        );
    }

    #[test]
    fn mastodon_resets_at_an_iso_time_and_x_at_epoch_seconds() {
        let mastodon = headers(&[
            ("X-RateLimit-Limit", "300"),
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset", "2026-11-22T12:05:00.000Z"),
        ]);
        let limit = RateLimit::from_headers(&mastodon, now());
        let budget = limit.budget.unwrap();
        assert_eq!((budget.limit, budget.remaining), (Some(300), 0));
        assert_eq!(
            limit.wait_until(false, now(), Duration::seconds(60)),
            Some(now() + Duration::minutes(5))
        );
        let epoch = (now() + Duration::seconds(900)).timestamp().to_string();
        let x = headers(&[
            ("x-rate-limit-limit", "75"),
            ("x-rate-limit-remaining", "74"),
            ("x-rate-limit-reset", &epoch),
        ]);
        let limit = RateLimit::from_headers(&x, now());
        assert_eq!(
            limit.budget.unwrap().reset,
            Some(now() + Duration::seconds(900))
        );
        assert_eq!(
            limit.wait_until(false, now(), Duration::seconds(60)),
            None,
            "budget left"
        );
    }

    #[test]
    fn ietf_fields_separate_or_combined_reset_in_seconds() {
        let separate = headers(&[
            ("RateLimit-Limit", "100, 100;w=60"),
            ("RateLimit-Remaining", "0"),
            ("RateLimit-Reset", "30"),
        ]);
        let budget = RateLimit::from_headers(&separate, now()).budget.unwrap();
        assert_eq!(budget.limit, Some(100));
        assert_eq!(budget.reset, Some(now() + Duration::seconds(30)));
        let combined = headers(&[("RateLimit", "limit=10, remaining=0, reset=7")]);
        let budget = RateLimit::from_headers(&combined, now()).budget.unwrap();
        assert_eq!((budget.limit, budget.remaining), (Some(10), 0));
        assert_eq!(budget.reset, Some(now() + Duration::seconds(7)));
    }

    #[test]
    fn a_refusal_without_signals_waits_the_fallback_and_past_resets_wait_nothing() {
        let none = RateLimit::from_headers(&HeaderMap::new(), now());
        assert_eq!(
            none.wait_until(true, now(), Duration::seconds(60)),
            Some(now() + Duration::seconds(60))
        );
        assert_eq!(none.wait_until(false, now(), Duration::seconds(60)), None);
        let past = headers(&[("Retry-After", "Sun, 22 Nov 2026 11:00:00 GMT")]);
        let limit = RateLimit::from_headers(&past, now());
        assert_eq!(limit.wait_until(true, now(), Duration::seconds(60)), None);
    }

    #[test]
    fn garbage_values_are_no_signal() {
        let h = headers(&[
            ("X-RateLimit-Remaining", "lots"),
            ("X-RateLimit-Reset", "tomorrow"),
            ("RateLimit", "remaining"),
        ]);
        assert_eq!(RateLimit::from_headers(&h, now()), RateLimit::default());
    }
}
