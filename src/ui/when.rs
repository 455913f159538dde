//! Reads the time a user types into the snooze prompt: a delay (`30m`, `2h`, `1d`, `1w`), a
//! time of day (`14:00`, the next one to come), a day (`tomorrow`, `mon`, `2026-12-01`,
//! optionally followed by a time; 09:00 when none), or an RFC 3339 timestamp. Days and times
//! of day are in the user's local time zone.

use chrono::{DateTime, Datelike, Duration, Local, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

/// Candidates the snooze prompt offers for completion.
pub const SUGGESTIONS: &[&str] = &[
    "30m",
    "1h",
    "2h",
    "4h",
    "tomorrow 09:00",
    "monday 09:00",
    "1w",
];

/// A snooze time that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot read \"{0}\" as a time (try 30m, 2h, 1d, 14:00, tomorrow 09:00, mon, 2026-12-01 10:00)"
)]
pub struct BadTime(pub String);

/// Parses `text` relative to now, in the local time zone.
pub fn parse_until(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, BadTime> {
    parse_until_in(text, now, &Local)
}

/// Parses `text` relative to `now`, reading days and times of day in `zone`.
pub fn parse_until_in<Tz: TimeZone>(
    text: &str,
    now: DateTime<Utc>,
    zone: &Tz,
) -> Result<DateTime<Utc>, BadTime> {
    let bad = || BadTime(text.to_string());
    let input = text.trim().to_ascii_lowercase();
    if input.is_empty() {
        return Err(bad());
    }
    if let Some(delay) = parse_delay(&input) {
        return Ok(now + delay);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text.trim()) {
        let at = at.with_timezone(&Utc);
        return if at > now { Ok(at) } else { Err(bad()) };
    }
    let local_now = now.with_timezone(zone);
    let today = local_now.date_naive();
    let mut words = input.split_whitespace();
    let first = words.next().ok_or_else(bad)?;
    let second = words.next();
    if words.next().is_some() {
        return Err(bad());
    }
    let (date, time) = match (parse_day(first, today), parse_time(first)) {
        (Some(date), _) => {
            let time = match second {
                Some(t) => parse_time(t).ok_or_else(bad)?,
                None => NaiveTime::from_hms_opt(9, 0, 0).ok_or_else(bad)?,
            };
            (date, time)
        }
        (None, Some(time)) if second.is_none() => {
            let date = if time > local_now.time() {
                today
            } else {
                today.succ_opt().ok_or_else(bad)?
            };
            (date, time)
        }
        _ => return Err(bad()),
    };
    zone.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .filter(|at| *at > now)
        .ok_or_else(bad)
}

fn parse_delay(input: &str) -> Option<Duration> {
    let unit_at = input.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = input.split_at(unit_at);
    let n: i64 = number.parse().ok()?;
    let delay = match unit.trim() {
        "m" | "min" | "mins" | "minute" | "minutes" => Duration::minutes(n),
        "h" | "hour" | "hours" => Duration::hours(n),
        "d" | "day" | "days" => Duration::days(n),
        "w" | "week" | "weeks" => Duration::weeks(n),
        _ => return None,
    };
    (n > 0).then_some(delay)
}

fn parse_day(word: &str, today: NaiveDate) -> Option<NaiveDate> {
    match word {
        "today" => return Some(today),
        "tomorrow" => return today.succ_opt(),
        _ => {}
    }
    if let Ok(date) = NaiveDate::parse_from_str(word, "%Y-%m-%d") {
        return Some(date);
    }
    let weekday = parse_weekday(word)?;
    let ahead = (7 + weekday.num_days_from_monday() as i64
        - today.weekday().num_days_from_monday() as i64)
        % 7;
    let ahead = if ahead == 0 { 7 } else { ahead };
    today.checked_add_signed(Duration::days(ahead))
}

fn parse_weekday(word: &str) -> Option<Weekday> {
    const DAYS: [(&str, Weekday); 7] = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    if word.len() < 3 {
        return None;
    }
    DAYS.iter()
        .find(|(name, _)| name.starts_with(word))
        .map(|(_, day)| *day)
}

fn parse_time(word: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(word, "%H:%M")
        .ok()
        .or_else(|| NaiveTime::parse_from_str(&format!("{word}:00"), "%H:%M").ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    // A Thursday, 15:30 UTC.
    fn now() -> DateTime<Utc> {
        "2026-11-19T15:30:00Z".parse().unwrap()
    }

    fn at(text: &str) -> String {
        parse_until_in(text, now(), &Utc).unwrap().to_rfc3339()
    }

    #[test]
    fn delays_and_times_of_day() {
        assert_eq!(at("30m"), "2026-11-19T16:00:00+00:00");
        assert_eq!(at("2h"), "2026-11-19T17:30:00+00:00");
        assert_eq!(at("1d"), "2026-11-20T15:30:00+00:00");
        assert_eq!(at("17:00"), "2026-11-19T17:00:00+00:00");
        assert_eq!(at("09:00"), "2026-11-20T09:00:00+00:00");
        assert_eq!(at("9"), "2026-11-20T09:00:00+00:00");
    }

    #[test]
    fn days_default_to_nine_and_weekdays_look_ahead() {
        assert_eq!(at("tomorrow"), "2026-11-20T09:00:00+00:00");
        assert_eq!(at("Tomorrow 14:00"), "2026-11-20T14:00:00+00:00");
        assert_eq!(at("mon"), "2026-11-23T09:00:00+00:00");
        assert_eq!(at("thursday 10:00"), "2026-11-26T10:00:00+00:00");
        assert_eq!(at("2026-12-01 10:00"), "2026-12-01T10:00:00+00:00");
        assert_eq!(at("2026-12-01T10:00:00Z"), "2026-12-01T10:00:00+00:00");
    }

    #[test]
    fn nonsense_and_the_past_are_refused() {
        for text in [
            "",
            "soon",
            "0m",
            "2020-01-01",
            "today 08:00",
            "mo",
            "tomorrow at 9",
        ] {
            let err = parse_until_in(text, now(), &Utc).unwrap_err();
            assert!(err.to_string().starts_with("cannot read"), "{text}: {err}");
        }
    }
}
