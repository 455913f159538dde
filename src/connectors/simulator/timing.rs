//! When messages arrive: the backlog spread over the days before the start time (more
//! recent than old, quieter at night), and the live pace of the interactive demo (a few
//! seconds apart, with bursts).

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Timelike, Utc};

use super::dice::{self, Dice};

/// How far back the backlog reaches.
pub(crate) const BACKLOG_HOURS: i64 = 72;
/// The youngest backlog item is this old.
const NEWEST_BACKLOG_MS: u64 = 30_000;
/// The audience's clock is roughly Central European (UTC+1): quiet between midnight and 7.
const AUDIENCE_UTC_OFFSET_HOURS: i64 = 1;

/// `n` arrival times before `start`, oldest first.
pub(crate) fn backlog_times(rng: &mut Dice, start: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
    let mut times: Vec<DateTime<Utc>> = (0..n).map(|_| arrival_before(rng, start)).collect();
    times.sort();
    times
}

/// One arrival time: the younger of two uniform ages (so recent hours are busier), redrawn
/// with odds that follow the time of day.
fn arrival_before(rng: &mut Dice, start: DateTime<Utc>) -> DateTime<Utc> {
    let oldest = u64::try_from(BACKLOG_HOURS * 3_600_000).unwrap_or(u64::MAX);
    let mut at = start;
    for _ in 0..20 {
        let age = dice::between(rng, NEWEST_BACKLOG_MS, oldest).min(dice::between(
            rng,
            NEWEST_BACKLOG_MS,
            oldest,
        ));
        at = start - Duration::milliseconds(i64::try_from(age).unwrap_or(0));
        if dice::chance(rng, awake_odds(at)) {
            break;
        }
    }
    at
}

/// The odds (in percent) that someone writes at this time of day.
fn awake_odds(at: DateTime<Utc>) -> u32 {
    match (at + Duration::hours(AUDIENCE_UTC_OFFSET_HOURS)).hour() {
        0..=6 => 20,
        7..=8 => 60,
        9..=21 => 100,
        _ => 55,
    }
}

/// The rhythm of live arrivals.
#[derive(Default)]
pub(crate) struct LivePace {
    burst_left: u64,
}

impl LivePace {
    /// How long until the next live arrival: usually 1.5 to 9 seconds, sometimes a lull of
    /// up to 25 seconds, and now and then a burst of several messages under 1.5 s apart.
    pub fn next_gap(&mut self, rng: &mut Dice) -> StdDuration {
        let ms = if self.burst_left > 0 {
            self.burst_left -= 1;
            dice::between(rng, 250, 1_500)
        } else if dice::chance(rng, 12) {
            self.burst_left = dice::between(rng, 2, 6);
            dice::between(rng, 250, 1_500)
        } else if dice::chance(rng, 20) {
            dice::between(rng, 9_000, 25_000)
        } else {
            dice::between(rng, 1_500, 9_000)
        };
        StdDuration::from_millis(ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn backlog_is_sorted_and_inside_the_window() {
        let mut rng = Dice::seed_from_u64(1);
        let start: DateTime<Utc> = "2025-06-01T12:00:00Z".parse().unwrap();
        let times = backlog_times(&mut rng, start, 500);
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        assert!(times
            .iter()
            .all(|&t| t < start && start - t <= Duration::hours(BACKLOG_HOURS)));
        let night = times
            .iter()
            .filter(|t| (**t + Duration::hours(1)).hour() < 7)
            .count();
        assert!(night < 500 / 5, "{night} of 500 at night");
    }

    #[test]
    fn live_gaps_are_seconds_with_bursts() {
        let mut rng = Dice::seed_from_u64(2);
        let mut pace = LivePace::default();
        let gaps: Vec<StdDuration> = (0..1000).map(|_| pace.next_gap(&mut rng)).collect();
        assert!(gaps
            .iter()
            .all(|g| g.as_millis() >= 250 && g.as_secs() <= 25));
        let quick = gaps.iter().filter(|g| g.as_millis() < 1_500).count();
        assert!(quick > 100 && quick < 700, "{quick} quick gaps");
    }
}
