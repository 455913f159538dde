//! The dates of `before:` and `after:`: an absolute UTC time, or an age measured back from
//! the time of matching (so a saved view `after:24h` always means the last day).

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};

/// A point in time a `before:`/`after:` term compares `created_at` with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DateBound {
    At(DateTime<Utc>),
    Ago(Age),
}

/// A relative age: `amount` units before now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Age {
    amount: u32,
    unit: AgeUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AgeUnit {
    Minutes,
    Hours,
    Days,
    Weeks,
}

impl AgeUnit {
    const ALL: [AgeUnit; 4] = [
        AgeUnit::Minutes,
        AgeUnit::Hours,
        AgeUnit::Days,
        AgeUnit::Weeks,
    ];

    fn suffix(self) -> char {
        match self {
            AgeUnit::Minutes => 'm',
            AgeUnit::Hours => 'h',
            AgeUnit::Days => 'd',
            AgeUnit::Weeks => 'w',
        }
    }

    fn minutes(self) -> i64 {
        match self {
            AgeUnit::Minutes => 1,
            AgeUnit::Hours => 60,
            AgeUnit::Days => 24 * 60,
            AgeUnit::Weeks => 7 * 24 * 60,
        }
    }
}

/// What a date value may look like, for error messages.
pub(super) const DATE_FORMS: &str =
    "expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] in UTC, or an age such as 30m, 24h, 7d or 2w";

impl DateBound {
    /// Parses a date value; `None` when it is none of the accepted forms.
    pub(super) fn parse(value: &str) -> Option<DateBound> {
        parse_age(value)
            .map(DateBound::Ago)
            .or_else(|| parse_absolute(value).map(DateBound::At))
    }

    /// The time this bound stands for when matching at `now`.
    pub(super) fn resolve(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            DateBound::At(at) => at,
            DateBound::Ago(age) => {
                // Any u32 count of weeks fits in a TimeDelta; the subtraction may still fall
                // before the earliest representable time, which then is the bound.
                let minutes = i64::from(age.amount) * age.unit.minutes();
                TimeDelta::try_minutes(minutes)
                    .and_then(|delta| now.checked_sub_signed(delta))
                    .unwrap_or(DateTime::<Utc>::MIN_UTC)
            }
        }
    }
}

fn parse_age(value: &str) -> Option<Age> {
    let suffix = value.chars().last()?;
    let unit = AgeUnit::ALL.into_iter().find(|u| u.suffix() == suffix)?;
    let digits = &value[..value.len() - 1];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let amount = digits.parse().ok()?;
    Some(Age { amount, unit })
}

fn parse_absolute(value: &str) -> Option<DateTime<Utc>> {
    let value = value.strip_suffix(['Z', 'z']).unwrap_or(value);
    if !value.as_bytes().first()?.is_ascii_digit() {
        return None;
    }
    let naive = match value.split_once(['T', 't']) {
        None => NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .ok()?
            .and_time(NaiveTime::MIN),
        Some((_, time)) if time.len() == 5 => {
            NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M").ok()?
        }
        Some(_) => NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S").ok()?,
    };
    Some(naive.and_utc())
}

impl fmt::Display for DateBound {
    /// The canonical form: the shortest of the accepted absolute forms that keeps the time.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateBound::Ago(age) => write!(f, "{}{}", age.amount, age.unit.suffix()),
            DateBound::At(at) => {
                let time = at.time();
                let format = if time == NaiveTime::MIN {
                    "%Y-%m-%d"
                } else if at.timestamp() % 60 == 0 {
                    "%Y-%m-%dT%H:%M"
                } else {
                    "%Y-%m-%dT%H:%M:%S"
                };
                write!(f, "{}", at.format(format))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn absolute_forms() {
        let cases = [
            ("2026-11-20", "2026-11-20T00:00:00Z"),
            ("2026-11-20T10:05", "2026-11-20T10:05:00Z"),
            ("2026-11-20T10:05:09", "2026-11-20T10:05:09Z"),
            ("2026-11-20T10:05:09Z", "2026-11-20T10:05:09Z"),
        ];
        for (value, expected) in cases {
            assert_eq!(
                DateBound::parse(value),
                Some(DateBound::At(at(expected))),
                "{value}"
            );
        }
    }

    #[test]
    fn ages_count_back_from_now() {
        let now = at("2026-11-20T12:00:00Z");
        let cases = [
            ("30m", "2026-11-20T11:30:00Z"),
            ("24h", "2026-11-19T12:00:00Z"),
            ("7d", "2026-11-13T12:00:00Z"),
            ("2w", "2026-11-06T12:00:00Z"),
            ("0d", "2026-11-20T12:00:00Z"),
        ];
        for (value, expected) in cases {
            let bound = DateBound::parse(value).unwrap();
            assert_eq!(bound.resolve(now), at(expected), "{value}");
        }
        let huge = DateBound::parse("4294967295w").unwrap();
        assert_eq!(huge.resolve(now), DateTime::<Utc>::MIN_UTC);
    }

    #[test]
    fn rejects_other_forms() {
        for value in [
            "yesterday",
            "7",
            "d",
            "7y",
            "-7d",
            "+7d",
            "99999999999d",
            "2026-13-01",
            "2026-02-30",
            "2026-11-20T25:00",
            "2026-11-20T10",
            "20261120",
            "2026-11-20 10:00",
        ] {
            assert_eq!(DateBound::parse(value), None, "{value}");
        }
    }

    #[test]
    fn displays_canonically() {
        for value in [
            "2026-11-20",
            "2026-11-20T10:05",
            "2026-11-20T10:05:09",
            "15m",
            "2w",
        ] {
            assert_eq!(DateBound::parse(value).unwrap().to_string(), value);
        }
        let midnight = DateBound::parse("2026-11-20T00:00:00").unwrap();
        assert_eq!(midnight.to_string(), "2026-11-20");
    }
}
