//! `[oncall]`: the team's rotation as `config.toml` writes it.
//!
//! Values are typed as they are read (an IANA time zone, `HH:MM` times, weekday names, RFC
//! 3339 or local date-times), so a typo is refused with its line and column; [`OnCallConfig::
//! validate`] then checks what depends on the rest of the config: the users exist and every
//! override ends after it starts. What the schedule *means* (who is on call when) is
//! `team::oncall`.
//!
//! ```toml
//! [oncall]
//! timezone = "Europe/Paris"
//! handover = "next"                 # or "pool"
//! [[oncall.shifts]]
//! user = "alice"
//! days = ["mon", "tue", "wed", "thu", "fri"]   # default: every day
//! start = "08:00"
//! end = "16:00"                     # end <= start: the shift runs past midnight
//! [[oncall.overrides]]
//! user = "carol"
//! from = "2026-11-24T08:00:00+01:00"
//! until = "2026-11-24T16:00:00+01:00"
//! ```
//!
//! Paging on an SLA breach (see `hub::sla_clock`) adds `ack_timeout = "15m"` (how long a
//! page waits for an acknowledgement, default 15m) and `backup = "dave"` or
//! `backup = ["dave", "erin"]` (who is paged next, in order).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDateTime, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::UserConfig;

/// `[oncall]`: the time zone shifts are written in, where a leaver's items go, the weekly
/// shifts and the one-off overrides.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnCallConfig {
    pub timezone: Zone,
    #[serde(default)]
    pub handover: Handover,
    #[serde(default)]
    pub shifts: Vec<ShiftConfig>,
    #[serde(default)]
    pub overrides: Vec<OverrideConfig>,
    /// How long a page waits for an acknowledgement before the backup is paged (default 15m).
    #[serde(default)]
    pub ack_timeout: Option<super::Span>,
    /// Who is paged when nobody acknowledges, tried in order.
    #[serde(default)]
    pub backup: super::sla::Users,
}

impl OnCallConfig {
    /// `ack_timeout`, or its default of 15 minutes.
    pub fn ack_timeout(&self) -> chrono::Duration {
        self.ack_timeout
            .map_or(chrono::Duration::minutes(15), |span| span.duration())
    }
}

/// Where the open items of someone whose shift ended go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Handover {
    /// To the first person on call right after the end (the pool when there is nobody).
    #[default]
    Next,
    /// Back to the unassigned pool.
    Pool,
}

impl Handover {
    pub fn as_str(self) -> &'static str {
        match self {
            Handover::Next => "next",
            Handover::Pool => "pool",
        }
    }
}

/// `[[oncall.shifts]]`: one person's weekly shift.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftConfig {
    pub user: String,
    /// The days the shift *starts* on.
    #[serde(default = "every_day")]
    pub days: Vec<Day>,
    pub start: ClockTime,
    /// At or before `start`: the shift ends the next day.
    pub end: ClockTime,
}

/// `[[oncall.overrides]]`: someone on call instead of the rotation for a while.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideConfig {
    pub user: String,
    pub from: Moment,
    pub until: Moment,
}

/// An IANA time zone (`Europe/Paris`, `UTC`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Zone(pub Tz);

impl TryFrom<String> for Zone {
    type Error = String;
    fn try_from(name: String) -> Result<Zone, String> {
        name.parse::<Tz>().map(Zone).map_err(|_| {
            format!("unknown time zone '{name}': use an IANA name such as Europe/Paris or UTC")
        })
    }
}

/// A day of the week: `mon` … `sun` (or the full English name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Day(pub Weekday);

impl TryFrom<String> for Day {
    type Error = String;
    fn try_from(name: String) -> Result<Day, String> {
        const DAYS: [(&str, Weekday); 7] = [
            ("mon", Weekday::Mon),
            ("tue", Weekday::Tue),
            ("wed", Weekday::Wed),
            ("thu", Weekday::Thu),
            ("fri", Weekday::Fri),
            ("sat", Weekday::Sat),
            ("sun", Weekday::Sun),
        ];
        let lower = name.trim().to_ascii_lowercase();
        DAYS.iter()
            .find(|(short, day)| lower == *short || lower == full_name(*day))
            .map(|(_, day)| Day(*day))
            .ok_or_else(|| format!("unknown day '{name}': use mon, tue, wed, thu, fri, sat or sun"))
    }
}

fn full_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

fn every_day() -> Vec<Day> {
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .map(Day)
    .collect()
}

/// A wall-clock time of day, `HH:MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct ClockTime(pub NaiveTime);

impl TryFrom<String> for ClockTime {
    type Error = String;
    fn try_from(text: String) -> Result<ClockTime, String> {
        NaiveTime::parse_from_str(text.trim(), "%H:%M")
            .map(ClockTime)
            .map_err(|_| format!("invalid time of day '{text}': use HH:MM, such as 08:00 or 22:30"))
    }
}

/// An instant as an override writes it: with an offset (`2026-11-24T08:00:00+01:00`), or a
/// local date-time (`2026-11-24T08:00`) read in the `[oncall]` time zone. Quoted or as a
/// TOML date-time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    Exact(DateTime<FixedOffset>),
    Local(NaiveDateTime),
}

const MOMENT_EXPECTED: &str =
    "a date-time such as 2026-11-24T08:00:00+01:00, or 2026-11-24T08:00 in the [oncall] timezone";

impl Moment {
    pub fn parse(text: &str) -> Result<Moment, String> {
        let text = text.trim();
        if let Ok(exact) = DateTime::parse_from_rfc3339(text) {
            return Ok(Moment::Exact(exact));
        }
        ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
            .map(Moment::Local)
            .ok_or_else(|| format!("invalid date-time '{text}': expected {MOMENT_EXPECTED}"))
    }

    /// The instant, reading a local date-time in `zone` (see `team::oncall::local_instant`).
    pub fn instant(self, zone: Tz) -> DateTime<Utc> {
        match self {
            Moment::Exact(at) => at.with_timezone(&Utc),
            Moment::Local(local) => crate::team::oncall::local_instant(zone, local),
        }
    }
}

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Moment, D::Error> {
        deserializer.deserialize_any(MomentVisitor)
    }
}

struct MomentVisitor;

impl<'de> Visitor<'de> for MomentVisitor {
    type Value = Moment;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(MOMENT_EXPECTED)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Moment, E> {
        Moment::parse(text).map_err(E::custom)
    }

    /// A TOML date-time arrives as a one-entry map holding its text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Moment, A::Error> {
        match map.next_entry::<String, String>()? {
            Some((_, text)) => Moment::parse(&text).map_err(de::Error::custom),
            None => Err(de::Error::custom(format!("expected {MOMENT_EXPECTED}"))),
        }
    }
}

impl OnCallConfig {
    /// Users exist (when `[users]` are configured), every shift has a day, every override
    /// ends after it starts. Messages name the key: `oncall.shifts[2].user: ...`.
    pub fn validate(&self, users: &BTreeMap<String, UserConfig>) -> Result<(), String> {
        let known = |key: &str, user: &str| -> Result<(), String> {
            if user.trim().is_empty() {
                return Err(format!("{key}.user is empty"));
            }
            if !users.is_empty() && !users.contains_key(user) {
                return Err(format!("{key}.user: no [users.{user}] is configured"));
            }
            Ok(())
        };
        for (i, shift) in self.shifts.iter().enumerate() {
            let key = format!("oncall.shifts[{i}]");
            known(&key, &shift.user)?;
            if shift.days.is_empty() {
                return Err(format!(
                    "{key}.days is empty: list the days the shift starts on, or leave days out for every day"
                ));
            }
        }
        super::sla::validate_backups(&self.backup, users)?;
        for (i, over) in self.overrides.iter().enumerate() {
            let key = format!("oncall.overrides[{i}]");
            known(&key, &over.user)?;
            let (from, until) = (
                over.from.instant(self.timezone.0),
                over.until.instant(self.timezone.0),
            );
            if until <= from {
                return Err(format!(
                    "{key}.until ({}) is not after from ({})",
                    until.to_rfc3339(),
                    from.to_rfc3339()
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(Path::new("c.toml"), text).map_err(|e| e.to_string())
    }

    const ROTA: &str = r#"
[oncall]
timezone = "Europe/Paris"
[[oncall.shifts]]
user = "alice"
days = ["mon", "Tuesday"]
start = "08:00"
end = "16:00"
[[oncall.overrides]]
user = "carol"
from = 2026-11-24T08:00:00+01:00
until = "2026-11-24T16:00"
"#;

    #[test]
    fn a_rotation_reads_with_typed_values_and_defaults() {
        let config = parse(ROTA).unwrap();
        let oncall = config.oncall.unwrap();
        assert_eq!(oncall.timezone.0, chrono_tz::Europe::Paris);
        assert_eq!(oncall.handover, super::Handover::Next);
        assert_eq!(oncall.shifts[0].days.len(), 2);
        let over = &oncall.overrides[0];
        let paris = oncall.timezone.0;
        assert_eq!(
            over.from.instant(paris).to_rfc3339(),
            "2026-11-24T07:00:00+00:00"
        );
        assert_eq!(
            over.until.instant(paris).to_rfc3339(),
            "2026-11-24T15:00:00+00:00"
        );
        let everyday = parse("[oncall]\ntimezone=\"UTC\"\n[[oncall.shifts]]\nuser=\"a\"\nstart=\"22:00\"\nend=\"06:00\"\n");
        assert_eq!(everyday.unwrap().oncall.unwrap().shifts[0].days.len(), 7);
    }

    #[test]
    fn typos_are_refused_with_line_and_what_is_expected() {
        let zone = parse("[oncall]\ntimezone = \"Europe/Pariss\"\n").unwrap_err();
        assert!(
            zone.contains("c.toml:2:") && zone.contains("unknown time zone 'Europe/Pariss'"),
            "{zone}"
        );
        let time = ROTA.replace("\"16:00\"", "\"4pm\"");
        let err = parse(&time).unwrap_err();
        assert!(err.contains("invalid time of day '4pm'"), "{err}");
        let day = ROTA.replace("\"mon\"", "\"lundi\"");
        assert!(parse(&day).unwrap_err().contains("unknown day 'lundi'"));
        let handover = ROTA.replace("[oncall]\n", "[oncall]\nhandover = \"later\"\n");
        assert!(parse(&handover).unwrap_err().contains("later"));
        let unknown = ROTA.replace("start = ", "begin = ");
        assert!(parse(&unknown).unwrap_err().contains("begin"));
        let moment = ROTA.replace("\"2026-11-24T16:00\"", "\"tomorrow\"");
        assert!(parse(&moment)
            .unwrap_err()
            .contains("invalid date-time 'tomorrow'"));
        let missing = parse("[oncall]\n").unwrap_err();
        assert!(missing.contains("timezone"), "{missing}");
    }

    #[test]
    fn rules_name_the_key() {
        let users = "[users.alice]\n[users.bob]\n";
        let err = parse(&format!("{users}{ROTA}")).unwrap_err();
        assert!(
            err.contains("oncall.overrides[0].user: no [users.carol] is configured"),
            "{err}"
        );
        let backwards = ROTA.replace("\"2026-11-24T16:00\"", "\"2026-11-24T07:00\"");
        let err = parse(&backwards).unwrap_err();
        assert!(err.contains("oncall.overrides[0].until"), "{err}");
        let no_days = ROTA.replace("[\"mon\", \"Tuesday\"]", "[]");
        assert!(parse(&no_days)
            .unwrap_err()
            .contains("oncall.shifts[0].days is empty"));
        let nobody = ROTA.replace("user = \"alice\"", "user = \" \"");
        assert!(parse(&nobody)
            .unwrap_err()
            .contains("oncall.shifts[0].user is empty"));
    }
}
