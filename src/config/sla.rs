//! `[sla]`: the response times the team promises, as `config.toml` writes them, and the
//! paging keys `[oncall]` gains for breaches (`ack_timeout`, `backup`).
//!
//! Values are typed as they are read (spans, the IANA zone, days and `HH:MM` times shared
//! with `[oncall]`), so a typo is refused with its line; [`SlaConfig::validate`] checks what
//! depends on the rest (a business-hours target needs `[sla.business_hours]`, a target
//! promises something). What a target *means* for an item (which one applies, when it
//! falls due) is `triage::sla`.
//!
//! ```toml
//! [sla]
//! timezone = "Europe/Paris"        # business hours are read in it (default UTC)
//! warn_before = "15m"              # the warning before a breach (default 15m)
//! [sla.business_hours]
//! days = ["mon", "tue", "wed", "thu", "fri"]   # default: monday to friday
//! start = "09:00"
//! end = "18:00"                    # end <= start: the day runs past midnight
//! [[sla.targets]]                  # the most specific matching target wins
//! kind = "dm"                      # optional matchers: platform, kind, tag
//! first_response = "1h"
//! resolution = "1d"
//! hours = "always"                 # or "business": spans count working time only
//! ```

use chrono::Weekday;
use serde::Deserialize;

use super::{ClockTime, Day, Span, Zone};
use crate::model::{Kind, Platform};

/// `[sla]`: the zone and hours targets are counted in, the warning lead, the targets.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaConfig {
    #[serde(default = "utc")]
    pub timezone: Zone,
    #[serde(default)]
    pub business_hours: Option<BusinessHoursConfig>,
    #[serde(default = "fifteen_minutes")]
    pub warn_before: Span,
    #[serde(default)]
    pub targets: Vec<TargetConfig>,
}

/// `[sla.business_hours]`: the working window, starting on each of `days`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHoursConfig {
    #[serde(default = "weekdays")]
    pub days: Vec<Day>,
    pub start: ClockTime,
    pub end: ClockTime,
}

/// `[[sla.targets]]`: what is promised to the items it matches.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetConfig {
    #[serde(default)]
    pub platform: Option<Platform>,
    #[serde(default)]
    pub kind: Option<Kind>,
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub first_response: Option<Span>,
    #[serde(default)]
    pub resolution: Option<Span>,
    #[serde(default)]
    pub hours: Hours,
}

/// Which hours a target's spans count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Hours {
    /// Around the clock: `1d` is 24 hours.
    #[default]
    Always,
    /// Only inside `[sla.business_hours]`, in the `[sla]` time zone.
    Business,
}

/// One user or a list of them (`backup = "dave"` or `backup = ["dave", "erin"]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "OneOrMany")]
pub struct Users(pub Vec<String>);

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl From<OneOrMany> for Users {
    fn from(value: OneOrMany) -> Users {
        match value {
            OneOrMany::One(user) => Users(vec![user]),
            OneOrMany::Many(users) => Users(users),
        }
    }
}

fn utc() -> Zone {
    Zone(chrono_tz::UTC)
}

fn fifteen_minutes() -> Span {
    Span(chrono::Duration::minutes(15))
}

fn weekdays() -> Vec<Day> {
    use Weekday::*;
    [Mon, Tue, Wed, Thu, Fri].into_iter().map(Day).collect()
}

impl SlaConfig {
    /// Every target matches something sensible and promises something; business hours
    /// exist where a target counts them and have a day. Messages name the key.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(hours) = &self.business_hours {
            if hours.days.is_empty() {
                return Err("sla.business_hours.days is empty: list the working days, or leave days out for monday to friday".into());
            }
        }
        for (i, target) in self.targets.iter().enumerate() {
            let key = format!("sla.targets[{i}]");
            if target.first_response.is_none() && target.resolution.is_none() {
                return Err(format!(
                    "{key} promises nothing: give first_response, resolution or both"
                ));
            }
            if target.hours == Hours::Business && self.business_hours.is_none() {
                return Err(format!(
                    "{key}.hours = \"business\" needs [sla.business_hours] (days, start, end)"
                ));
            }
            if let Some(tag) = &target.tag {
                if tag.trim().is_empty() || tag.contains([' ', ',']) {
                    return Err(format!(
                        "{key}.tag '{tag}' is not a tag (no spaces or commas)"
                    ));
                }
            }
            if let Some(Platform::Other(name)) = &target.platform {
                return Err(format!(
                    "{key}.platform: unknown platform '{name}' (expected one of {})",
                    known_platforms()
                ));
            }
        }
        Ok(())
    }
}

fn known_platforms() -> String {
    Platform::KNOWN
        .iter()
        .map(|p| p.as_str().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `[oncall] backup` names configured users (when `[users]` are configured).
pub fn validate_backups(
    backups: &Users,
    users: &std::collections::BTreeMap<String, super::UserConfig>,
) -> Result<(), String> {
    for (i, user) in backups.0.iter().enumerate() {
        if user.trim().is_empty() {
            return Err(format!("oncall.backup[{i}] is empty"));
        }
        if !users.is_empty() && !users.contains_key(user) {
            return Err(format!("oncall.backup: no [users.{user}] is configured"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(Path::new("c.toml"), text).map_err(|e| e.to_string())
    }

    const SLA: &str = r#"
[sla]
timezone = "Europe/Paris"
[sla.business_hours]
start = "09:00"
end = "18:00"
[[sla.targets]]
first_response = "4h"
resolution = "2d"
[[sla.targets]]
kind = "dm"
platform = "x"
first_response = "1h"
hours = "business"
"#;

    #[test]
    fn targets_read_with_defaults() {
        let sla = parse(SLA).unwrap().sla.unwrap();
        assert_eq!(sla.timezone.0, chrono_tz::Europe::Paris);
        assert_eq!(sla.warn_before.to_string(), "15m");
        assert_eq!(sla.business_hours.unwrap().days.len(), 5);
        assert_eq!(sla.targets[0].hours, super::Hours::Always);
        assert_eq!(sla.targets[1].kind, Some(crate::model::Kind::Dm));
        assert_eq!(sla.targets[1].hours, super::Hours::Business);
        let bare = parse("[sla]\n").unwrap().sla.unwrap();
        assert_eq!(bare.timezone.0, chrono_tz::UTC);
    }

    #[test]
    fn mistakes_name_the_key_or_line() {
        for (text, expected) in [
            (
                SLA.replace("hours = \"business\"", "hours = \"office\""),
                "office",
            ),
            (
                SLA.replace("first_response = \"1h\"", "first_response = \"1 hour\""),
                "'1 hour' is not a span",
            ),
            (SLA.replace("kind = \"dm\"", "kind = \"tweet\""), "tweet"),
            (
                SLA.replace("platform = \"x\"", "platform = \"myspace\""),
                "sla.targets[1].platform: unknown platform 'myspace'",
            ),
            (
                SLA.replace("first_response = \"1h\"\n", ""),
                "sla.targets[1] promises nothing",
            ),
            (
                SLA.replace(
                    "[sla.business_hours]\nstart = \"09:00\"\nend = \"18:00\"\n",
                    "",
                ),
                "sla.targets[1].hours = \"business\" needs [sla.business_hours]",
            ),
            (
                SLA.replace("start = \"09:00\"", "start = \"9am\""),
                "invalid time of day '9am'",
            ),
            (
                SLA.replace(
                    "[sla.business_hours]\n",
                    "[sla.business_hours]\ndays = []\n",
                ),
                "sla.business_hours.days is empty",
            ),
            (
                SLA.replace("kind = \"dm\"", "tag = \"v ip\""),
                "sla.targets[1].tag 'v ip'",
            ),
            (SLA.replace("timezone", "zone"), "zone"),
        ] {
            let err = parse(&text).unwrap_err();
            assert!(err.contains(expected), "{err}\n--- wanted: {expected}");
        }
        let line = parse(&SLA.replace("\"2d\"", "\"2 days\"")).unwrap_err();
        assert!(line.contains("c.toml:9:"), "{line}");
    }

    #[test]
    fn oncall_backups_are_one_user_or_a_list_of_known_users() {
        let base = "[oncall]\ntimezone = \"UTC\"\nack_timeout = \"10m\"\n";
        let one = parse(&format!("{base}backup = \"dave\"\n")).unwrap();
        let oncall = one.oncall.unwrap();
        assert_eq!(oncall.backup.0, ["dave"]);
        assert_eq!(oncall.ack_timeout.unwrap().to_string(), "10m");
        let many = parse(&format!("{base}backup = [\"dave\", \"erin\"]\n")).unwrap();
        assert_eq!(many.oncall.unwrap().backup.0, ["dave", "erin"]);
        let users = "[users.dave]\n";
        let err = parse(&format!("{users}{base}backup = [\"dave\", \"erin\"]\n")).unwrap_err();
        assert!(err.contains("oncall.backup: no [users.erin]"), "{err}");
        let err = parse("[oncall]\ntimezone = \"UTC\"\nack_timeout = \"soon\"\n").unwrap_err();
        assert!(err.contains("c.toml:3:") && err.contains("'soon'"), "{err}");
    }
}
