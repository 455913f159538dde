//! The time window a report covers: `[since, until)`, 7 days back from now unless asked,
//! and the buckets its volume-over-time is counted in.

use chrono::{DateTime, Duration, Utc};

/// The window when the caller names no start.
pub const DEFAULT_SPAN: Duration = Duration::days(7);
/// The longest window a report covers (a year of days keeps the sparkline bounded).
pub const MAX_SPAN: Duration = Duration::days(366);
/// Windows up to this long are counted per hour, longer ones per day.
const HOURLY_UP_TO: Duration = Duration::hours(48);

/// A checked report window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

impl Window {
    /// The window the caller asked for, `until` defaulting to `now` and `since` to 7 days
    /// before `until`. Refuses an empty, reversed or over-long window, naming it.
    pub fn new(
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Window, String> {
        let until = until.unwrap_or(now);
        let since = since.unwrap_or(until - DEFAULT_SPAN);
        if since >= until {
            return Err(format!(
                "the stats window is empty: since {} is not before until {}",
                since.to_rfc3339(),
                until.to_rfc3339()
            ));
        }
        if until - since > MAX_SPAN {
            return Err(format!(
                "the stats window is limited to {} days (asked from {})",
                MAX_SPAN.num_days(),
                since.to_rfc3339()
            ));
        }
        Ok(Window { since, until })
    }

    /// Whether `at` falls inside the window.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.since <= at && at < self.until
    }

    /// The bucket length: an hour for windows up to two days, else a day.
    pub fn bucket(&self) -> Duration {
        if self.until - self.since <= HOURLY_UP_TO {
            Duration::hours(1)
        } else {
            Duration::days(1)
        }
    }

    /// How many buckets cover the window (the last may be partial).
    pub fn buckets(&self) -> usize {
        let span = (self.until - self.since).num_seconds();
        let bucket = self.bucket().num_seconds();
        usize::try_from((span + bucket - 1) / bucket).unwrap_or(0)
    }

    /// The bucket `at` falls in, if it is inside the window.
    pub fn bucket_of(&self, at: DateTime<Utc>) -> Option<usize> {
        if !self.contains(at) {
            return None;
        }
        let offset = (at - self.since).num_seconds() / self.bucket().num_seconds();
        usize::try_from(offset).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn defaults_to_seven_days_of_daily_buckets() {
        let now = at("2026-11-23T12:00:00Z");
        let window = Window::new(None, None, now).unwrap();
        assert_eq!(window.since, at("2026-11-16T12:00:00Z"));
        assert_eq!(window.buckets(), 7);
        assert_eq!(window.bucket_of(at("2026-11-16T12:00:00Z")), Some(0));
        assert_eq!(window.bucket_of(at("2026-11-23T11:59:59Z")), Some(6));
        assert_eq!(window.bucket_of(now), None);
    }

    #[test]
    fn short_windows_count_hours_and_partial_buckets() {
        let now = at("2026-11-23T12:30:00Z");
        let window = Window::new(Some(now - Duration::minutes(150)), None, now).unwrap();
        assert_eq!(window.bucket(), Duration::hours(1));
        assert_eq!(window.buckets(), 3);
    }

    #[test]
    fn refuses_reversed_and_long_windows() {
        let now = at("2026-11-23T12:00:00Z");
        let err = Window::new(Some(now + Duration::hours(1)), None, now).unwrap_err();
        assert!(err.contains("empty"), "{err}");
        let err = Window::new(Some(now - Duration::days(400)), None, now).unwrap_err();
        assert!(err.contains("366 days"), "{err}");
    }
}
