//! The account's X spend today (UTC), counted from the calls the connector makes with the
//! prices of `responses::pricing`: every read answer is charged per post, user and DM event
//! it returns, once per resource and UTC day as X does (the ids seen today are remembered,
//! up to [`MAX_REMEMBERED`]; past that, or after a restart, a repeat is counted again, so the
//! count errs high, never low), every write per request. A call that costs something is one
//! billed call. The hub reads it as [`Usage`] (`Meter::Spend`) after every pass and send,
//! saves it, and hands it back at start ([`SpendMeter::resume`]).

use std::collections::HashSet;
use std::sync::Mutex;

use chrono::{NaiveDate, Utc};

use crate::model::{Meter, Usage};
use crate::responses::pricing;

/// The most resource ids remembered for the day's de-duplication.
pub const MAX_REMEMBERED: usize = 100_000;

/// A billed resource a read returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource<'a> {
    Post(&'a str),
    User(&'a str),
    DmEvent(&'a str),
}

impl Resource<'_> {
    fn price(&self) -> u64 {
        match self {
            Resource::Post(_) => pricing::POST_READ,
            Resource::User(_) => pricing::USER_READ,
            Resource::DmEvent(_) => pricing::DM_EVENT_READ,
        }
    }

    fn key(&self) -> String {
        match self {
            Resource::Post(id) => format!("p{id}"),
            Resource::User(id) => format!("u{id}"),
            Resource::DmEvent(id) => format!("d{id}"),
        }
    }
}

/// The day's spend of one account.
pub struct SpendMeter {
    budget_micros: Option<u64>,
    state: Mutex<Day>,
}

#[derive(Default)]
struct Day {
    day: Option<NaiveDate>,
    micros: u64,
    calls: u64,
    seen: HashSet<String>,
}

impl SpendMeter {
    pub fn new(budget_micros: Option<u64>) -> SpendMeter {
        SpendMeter {
            budget_micros,
            state: Mutex::new(Day::default()),
        }
    }

    /// Charges one read answer for the resources it returned.
    pub fn read(&self, resources: &[Resource<'_>]) {
        let mut day = self.today();
        let mut micros = 0;
        for resource in resources {
            let key = resource.key();
            if day.seen.contains(&key) {
                continue;
            }
            if day.seen.len() < MAX_REMEMBERED {
                day.seen.insert(key);
            }
            micros += resource.price();
        }
        if micros > 0 {
            day.micros += micros;
            day.calls += 1;
        }
    }

    /// Charges one write request.
    pub fn write(&self, micros: u64) {
        let mut day = self.today();
        day.micros += micros;
        day.calls += 1;
    }

    /// Today's spend.
    pub fn usage(&self) -> Usage {
        let day = self.today();
        Usage {
            day: day.day.unwrap_or_else(today),
            meter: Meter::Spend {
                micros: day.micros,
                calls: day.calls,
                budget_micros: self.budget_micros,
            },
        }
    }

    /// Adds what a previous hub counted today (a count of another day, or of another meter,
    /// is ignored).
    pub fn resume(&self, saved: &Usage) {
        let Meter::Spend { micros, calls, .. } = saved.meter else {
            return;
        };
        let mut day = self.today();
        if day.day == Some(saved.day) {
            day.micros += micros;
            day.calls += calls;
        }
    }

    /// Today's count, started afresh when the UTC day changed.
    fn today(&self) -> std::sync::MutexGuard<'_, Day> {
        let mut day = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let now = today();
        if day.day != Some(now) {
            *day = Day {
                day: Some(now),
                ..Day::default()
            };
        }
        day
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spent(meter: &SpendMeter) -> (u64, u64) {
        match meter.usage().meter {
            Meter::Spend { micros, calls, .. } => (micros, calls),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_are_charged_per_resource_once_a_day_and_writes_per_request() {
        let meter = SpendMeter::new(Some(5_000_000));
        meter.read(&[
            Resource::Post("1"),
            Resource::Post("2"),
            Resource::User("9"),
        ]);
        assert_eq!(spent(&meter), (20_000, 1));
        meter.read(&[Resource::Post("1"), Resource::User("9")]);
        assert_eq!(
            spent(&meter),
            (20_000, 1),
            "the same resources again are free"
        );
        meter.read(&[Resource::DmEvent("1")]);
        assert_eq!(
            spent(&meter),
            (30_000, 2),
            "a DM event is not the post with its id"
        );
        meter.write(pricing::CONTENT_CREATE_WITH_URL);
        assert_eq!(spent(&meter), (230_000, 3));
        assert_eq!(
            meter.usage().describe(),
            "spent $0.23 of a $5.00 budget today (3 billed calls)"
        );
    }

    #[test]
    fn a_saved_count_of_today_is_resumed_and_another_day_s_is_not() {
        let meter = SpendMeter::new(None);
        let saved = |day: NaiveDate| Usage {
            day,
            meter: Meter::Spend {
                micros: 400_000,
                calls: 35,
                budget_micros: None,
            },
        };
        meter.resume(&saved(today().pred_opt().unwrap()));
        assert_eq!(spent(&meter), (0, 0));
        meter.resume(&saved(today()));
        meter.write(pricing::CONTENT_CREATE);
        meter.read(&[Resource::Post("1")]);
        assert_eq!(spent(&meter), (420_000, 37));
        assert_eq!(
            meter.usage().describe(),
            "spent $0.42 today (37 billed calls)"
        );
    }
}
