//! What a metered platform account has used of its day, so a CM sees it before the platform
//! says no: YouTube's quota units (10,000 a day by default, reset at midnight Pacific time),
//! X's pay-per-use spend (money per call), Meta's app throttling (a percentage of the app's
//! allowance, from `X-App-Usage`).
//!
//! The connector counts (it knows what each call costs); the hub copies the count onto the
//! account's [`super::AccountStatus`] after each pass and each send, so it is saved with the
//! account's state (a restarted hub resumes the day's count), shown by `doctor`, and in the
//! TUI's status bar.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One account's use of its platform's allowance on one accounting day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// The platform's accounting day (YouTube: the Pacific-time date; X: the UTC date).
    pub day: NaiveDate,
    #[serde(flatten)]
    pub meter: Meter,
}

/// What is counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "meter", rename_all = "snake_case")]
pub enum Meter {
    /// Quota units used of a daily limit (YouTube Data API).
    Quota { used: u64, limit: u64 },
    /// Money spent today, in millionths of a US dollar, over `calls` billed calls; `budget`
    /// is the daily budget the account configured, if any (X pay-per-use).
    Spend {
        micros: u64,
        calls: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        budget_micros: Option<u64>,
    },
    /// The highest percentage of the app's rate allowance Meta reports in use.
    Throttle { percent: u8 },
}

impl Usage {
    /// The units left today, for a quota.
    pub fn quota_left(&self) -> Option<u64> {
        match self.meter {
            Meter::Quota { used, limit } => Some(limit.saturating_sub(used)),
            _ => None,
        }
    }

    /// Whether the allowance is nearly used up (under a fifth of a quota or a budget left,
    /// or over 80% of Meta's allowance in use): worth a warning.
    pub fn is_low(&self) -> bool {
        match self.meter {
            Meter::Quota { used, limit } => used.saturating_mul(5) >= limit.saturating_mul(4),
            Meter::Spend {
                micros,
                budget_micros: Some(budget),
                ..
            } => micros.saturating_mul(5) >= budget.saturating_mul(4),
            Meter::Spend { .. } => false,
            Meter::Throttle { percent } => percent >= 80,
        }
    }

    /// A phrase for `doctor` and `sync`: "quota 9,850 of 10,000 units left today".
    pub fn describe(&self) -> String {
        match &self.meter {
            Meter::Quota { used, limit } => format!(
                "quota {} of {} units left today",
                thousands(limit.saturating_sub(*used)),
                thousands(*limit)
            ),
            Meter::Spend {
                micros,
                calls,
                budget_micros,
            } => {
                let budget = budget_micros
                    .map(|b| format!(" of a {} budget", dollars(b)))
                    .unwrap_or_default();
                format!(
                    "spent {}{budget} today ({calls} billed calls)",
                    dollars(*micros)
                )
            }
            Meter::Throttle { percent } => format!("{percent}% of Meta's rate allowance in use"),
        }
    }

    /// A few characters for the status bar: "9.9k left", "$1.23", "72%".
    pub fn badge(&self) -> String {
        match &self.meter {
            Meter::Quota { used, limit } => {
                format!("{} left", compact(limit.saturating_sub(*used)))
            }
            Meter::Spend { micros, .. } => dollars(*micros),
            Meter::Throttle { percent } => format!("{percent}%"),
        }
    }
}

/// `$1.23` (or `$0.0150` below a cent, where X's per-call prices live).
pub fn dollars(micros: u64) -> String {
    if micros > 0 && micros < 10_000 {
        format!("${:.4}", micros as f64 / 1e6)
    } else {
        format!("${:.2}", micros as f64 / 1e6)
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn compact(n: u64) -> String {
    if n >= 1_000 {
        format!("{:.1}k", n as f64 / 1e3)
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_quota_says_what_is_left() {
        let usage = Usage {
            day: day(),
            meter: Meter::Quota {
                used: 150,
                limit: 10_000,
            },
        };
        assert_eq!(usage.describe(), "quota 9,850 of 10,000 units left today");
        assert_eq!(usage.badge(), "9.8k left");
        assert_eq!(usage.quota_left(), Some(9_850));
        assert!(!usage.is_low());
        let low = Usage {
            meter: Meter::Quota {
                used: 8_000,
                limit: 10_000,
            },
            ..usage
        };
        assert!(low.is_low());
    }

    #[test]
    fn spend_is_in_dollars_with_cents_or_finer() {
        let usage = Usage {
            day: day(),
            meter: Meter::Spend {
                micros: 1_230_000,
                calls: 41,
                budget_micros: Some(5_000_000),
            },
        };
        assert_eq!(
            usage.describe(),
            "spent $1.23 of a $5.00 budget today (41 billed calls)"
        );
        assert_eq!(dollars(5_000), "$0.0050");
        assert_eq!(dollars(0), "$0.00");
    }

    #[test]
    fn usage_round_trips_through_json() {
        let usage = Usage {
            day: day(),
            meter: Meter::Throttle { percent: 72 },
        };
        let json = serde_json::to_string(&usage).unwrap();
        assert_eq!(serde_json::from_str::<Usage>(&json).unwrap(), usage);
        assert!(json.contains("\"meter\":\"throttle\""), "{json}");
    }
}
