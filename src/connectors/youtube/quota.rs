//! YouTube's daily quota, counted by the connector: every call's documented cost (a list
//! read 1 unit, `comments.insert`, `setModerationStatus` and `delete` 50 each) is added to
//! the day's count, a day being the Pacific-time date (Google resets quotas at midnight
//! America/Los_Angeles, so the day is 23 or 25 hours long around a DST change).
//!
//! The count paces the sync: a reserve ([`RESERVE`], twenty replies' worth) is kept for
//! replies and moderation, what is left above it is spread over the hours left until the
//! reset ([`pause`]), and once only the reserve is left, polling stops until the reset.
//! The count is the connector's own (the API does not report it): a hub that restarts
//! resumes the saved one ([`Quota::resume`]), and a `quotaExceeded` answer sets it to the
//! limit ([`Quota::exhaust`]).

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::America::Los_Angeles;

use crate::model::{Meter, Usage};

/// The quota a Google Cloud project gets unless it asked for more.
pub const DEFAULT_DAILY_QUOTA: u64 = 10_000;
/// What a list call (`commentThreads.list`, `comments.list`) costs.
pub const LIST_COST: u64 = 1;
/// What a write (`comments.insert`, `setModerationStatus`, `comments.delete`) costs.
pub const WRITE_COST: u64 = 50;
/// Units kept for replies and moderation: polling stops before it eats into them.
pub const RESERVE: u64 = 20 * WRITE_COST;

/// The quota day `now` falls in: the date in Pacific time.
pub fn quota_day(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Los_Angeles).date_naive()
}

/// When the quota next resets: the coming midnight in Pacific time.
pub fn next_reset(now: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = quota_day(now).succ_opt().unwrap_or(NaiveDate::MAX);
    let midnight = tomorrow.and_hms_opt(0, 0, 0).unwrap_or_default();
    Los_Angeles
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        // Midnight never falls in a DST gap in Los Angeles (changes happen at 2:00).
        .unwrap_or(now + chrono::Duration::hours(24))
}

/// The pause between two polls with `left` units left at `now`, each poll costing about
/// `per_poll`: what is left above the [`RESERVE`] spread over the time to the reset, never
/// shorter than `configured`. `None`: only the reserve is left, do not poll until the reset.
pub fn pause(
    left: u64,
    per_poll: u64,
    now: DateTime<Utc>,
    configured: Duration,
) -> Option<Duration> {
    let spendable = left
        .checked_sub(RESERVE)
        .filter(|s| *s >= per_poll.max(1))?;
    let polls = spendable / per_poll.max(1);
    let until_reset = (next_reset(now) - now).to_std().unwrap_or_default();
    let spread = until_reset / u32::try_from(polls).unwrap_or(u32::MAX);
    Some(spread.max(configured))
}

/// The day's count, shared by every call of the connector.
#[derive(Debug)]
pub struct Quota {
    limit: u64,
    day: Mutex<(NaiveDate, u64)>,
}

impl Quota {
    pub fn new(limit: u64, now: DateTime<Utc>) -> Quota {
        Quota {
            limit,
            day: Mutex::new((quota_day(now), 0)),
        }
    }

    /// Adds a call's cost to the count of `now`'s day (a new day starts from zero).
    pub fn charge(&self, units: u64, now: DateTime<Utc>) {
        let mut day = self.day.lock().unwrap_or_else(|e| e.into_inner());
        Self::roll(&mut day, now);
        day.1 = day.1.saturating_add(units);
    }

    /// The platform said the quota is used up: the count says so too, for the day.
    pub fn exhaust(&self, now: DateTime<Utc>) {
        let mut day = self.day.lock().unwrap_or_else(|e| e.into_inner());
        Self::roll(&mut day, now);
        day.1 = day.1.max(self.limit);
    }

    /// Units left today.
    pub fn left(&self, now: DateTime<Utc>) -> u64 {
        let mut day = self.day.lock().unwrap_or_else(|e| e.into_inner());
        Self::roll(&mut day, now);
        self.limit.saturating_sub(day.1)
    }

    /// Takes up a count a previous hub saved, if it is of today and a quota (the larger
    /// count wins: calls made since the start are not forgotten).
    pub fn resume(&self, saved: &Usage, now: DateTime<Utc>) {
        let Meter::Quota { used, .. } = saved.meter else {
            return;
        };
        let mut day = self.day.lock().unwrap_or_else(|e| e.into_inner());
        Self::roll(&mut day, now);
        if saved.day == day.0 {
            day.1 = day.1.max(used);
        }
    }

    /// The day's count as the hub shows and saves it.
    pub fn usage(&self, now: DateTime<Utc>) -> Usage {
        let mut day = self.day.lock().unwrap_or_else(|e| e.into_inner());
        Self::roll(&mut day, now);
        Usage {
            day: day.0,
            meter: Meter::Quota {
                used: day.1,
                limit: self.limit,
            },
        }
    }

    fn roll(day: &mut (NaiveDate, u64), now: DateTime<Utc>) {
        let today = quota_day(now);
        if today != day.0 {
            *day = (today, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_day_is_the_pacific_date() {
        // 07:59 UTC in winter is 23:59 the day before in Los Angeles (UTC-8).
        assert_eq!(quota_day(at("2026-11-23T07:59:00Z")), date(2026, 11, 22));
        assert_eq!(quota_day(at("2026-11-23T08:00:00Z")), date(2026, 11, 23));
        // In summer (UTC-7) the day turns at 07:00 UTC.
        assert_eq!(quota_day(at("2026-07-01T06:59:59Z")), date(2026, 6, 30));
        assert_eq!(quota_day(at("2026-07-01T07:00:00Z")), date(2026, 7, 1));
    }

    #[test]
    fn the_reset_is_the_next_pacific_midnight_across_dst_changes() {
        assert_eq!(
            next_reset(at("2026-11-23T06:35:00Z")),
            at("2026-11-23T08:00:00Z")
        );
        assert_eq!(
            next_reset(at("2026-07-01T12:00:00Z")),
            at("2026-07-02T07:00:00Z")
        );
        // 2026-03-08 is 23 hours long in Los Angeles: PST midnight to PDT midnight.
        let spring = at("2026-03-08T08:00:00Z");
        assert_eq!(next_reset(spring), at("2026-03-09T07:00:00Z"));
        // 2026-11-01 is 25 hours long: PDT midnight to PST midnight.
        let autumn = at("2026-11-01T07:00:00Z");
        assert_eq!(next_reset(autumn), at("2026-11-02T08:00:00Z"));
    }

    #[test]
    fn polling_keeps_its_pace_while_the_quota_lasts_and_slows_when_low() {
        let minute = Duration::from_secs(60);
        let now = at("2026-11-23T08:00:00Z"); // a fresh day: 24 hours to go
        assert_eq!(pause(10_000, 2, now, minute), Some(minute));
        // 1,100 units, 1,000 reserved: 50 polls over 24 hours, one every 28.8 minutes.
        assert_eq!(
            pause(1_100, 2, now, minute),
            Some(Duration::from_secs(1_728))
        );
        // Only the reserve (or less than one poll above it) left: no polling.
        assert_eq!(pause(RESERVE, 2, now, minute), None);
        assert_eq!(pause(RESERVE + 1, 2, now, minute), None);
        assert_eq!(pause(500, 2, now, minute), None);
        // An hour before the reset, the same units go faster, but never under the setting.
        let late = at("2026-11-24T07:00:00Z");
        assert_eq!(pause(1_100, 2, late, minute), Some(Duration::from_secs(72)));
        assert_eq!(pause(9_000, 2, late, minute), Some(minute));
    }

    #[test]
    fn the_count_starts_over_each_pacific_day_and_resumes_only_the_same_day() {
        let morning = at("2026-11-23T16:00:00Z");
        let quota = Quota::new(10_000, morning);
        quota.charge(LIST_COST, morning);
        quota.charge(WRITE_COST, morning);
        assert_eq!(quota.left(morning), 9_949);
        let saved = quota.usage(morning);
        assert_eq!(saved.day, date(2026, 11, 23));
        let next_day = at("2026-11-24T08:00:00Z");
        assert_eq!(quota.left(next_day), 10_000);

        let restarted = Quota::new(10_000, morning);
        restarted.resume(&saved, morning);
        assert_eq!(restarted.left(morning), 9_949);
        let tomorrow = Quota::new(10_000, next_day);
        tomorrow.resume(&saved, next_day);
        assert_eq!(tomorrow.left(next_day), 10_000);

        restarted.exhaust(morning);
        assert_eq!(restarted.left(morning), 0);
    }
}
