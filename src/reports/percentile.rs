//! Median and 90th percentile of durations, the two figures every timing shows.
//!
//! The median of an even count is the mean of the two middle values (rounded down to the
//! second); the 90th percentile is the nearest-rank one (the smallest value at or above
//! 90 % of the values), so it is always a duration that really happened.

/// Median and p90 of `values` (seconds), `None` for both when there are none.
pub fn median_p90(values: &mut [i64]) -> (Option<i64>, Option<i64>) {
    values.sort_unstable();
    (median(values), nearest_rank(values, 90))
}

/// The median of sorted values.
pub fn median(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]).div_euclid(2)),
    }
}

/// The nearest-rank `percent` percentile of sorted values.
pub fn nearest_rank(sorted: &[i64], percent: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    Some(sorted[rank - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_even_and_empty() {
        assert_eq!(median_p90(&mut []), (None, None));
        assert_eq!(median_p90(&mut [7]), (Some(7), Some(7)));
        assert_eq!(median_p90(&mut [30, 10, 20]), (Some(20), Some(30)));
        assert_eq!(median_p90(&mut [40, 10, 30, 20]), (Some(25), Some(40)));
    }

    #[test]
    fn p90_is_the_nearest_rank() {
        let mut ten: Vec<i64> = (1..=10).rev().collect();
        assert_eq!(median_p90(&mut ten), (Some(5), Some(9)));
        let mut eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(median_p90(&mut eleven), (Some(6), Some(10)));
    }
}
