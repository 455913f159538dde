//! A span of time as a config file writes it: `90s`, `30m`, `4h`, `2d`, `1w`.
//!
//! SLA targets, escalation answer times and paging delays are all spans; one type means one
//! spelling everywhere and one error message ("sla: '4 hours' is not a span ...").

use std::fmt;

use chrono::Duration;
use serde::de::{self, Deserializer};
use serde::Deserialize;

/// A positive duration, read from `<number><unit>` with unit `s`, `m`, `h`, `d` or `w`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span(pub Duration);

impl Span {
    /// Reads `90s`, `30m`, `4h`, `2d` or `1w`; `None` for anything else (zero included).
    pub fn parse(text: &str) -> Option<Span> {
        let text = text.trim();
        let (number, unit) = text.split_at_checked(text.len().checked_sub(1)?)?;
        let n = number.parse::<i64>().ok().filter(|n| *n > 0)?;
        let duration = match unit {
            "s" => Duration::try_seconds(n),
            "m" => Duration::try_minutes(n),
            "h" => Duration::try_hours(n),
            "d" => Duration::try_days(n),
            "w" => Duration::try_weeks(n),
            _ => None,
        }?;
        Some(Span(duration))
    }

    pub fn duration(self) -> Duration {
        self.0
    }
}

impl fmt::Display for Span {
    /// The largest unit that divides the span exactly (`2h`, `90m`, `45s`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.num_seconds();
        for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)] {
            if secs % size == 0 {
                return write!(f, "{}{unit}", secs / size);
            }
        }
        write!(f, "{secs}s")
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Span, D::Error> {
        let text = String::deserialize(deserializer)?;
        Span::parse(&text).ok_or_else(|| {
            de::Error::custom(format!(
                "'{text}' is not a span of time: write a number and a unit, e.g. 90s, 30m, 4h, 2d or 1w"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_and_print_in_their_largest_unit() {
        assert_eq!(Span::parse("30m"), Some(Span(Duration::minutes(30))));
        assert_eq!(Span::parse(" 2d "), Some(Span(Duration::days(2))));
        assert_eq!(Span::parse("90m").unwrap().to_string(), "90m");
        assert_eq!(Span::parse("120m").unwrap().to_string(), "2h");
        assert_eq!(Span::parse("45s").unwrap().to_string(), "45s");
        for bad in ["", "0h", "-1h", "4 hours", "h", "3y", "1.5h"] {
            assert_eq!(Span::parse(bad), None, "{bad}");
        }
    }
}
