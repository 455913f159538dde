//! Exponential backoff with full jitter between retries of a failed platform call: the
//! delay before attempt `n` is random in `[0, min(cap, base * 2^n)]`, so many accounts
//! failing together do not retry in lockstep.

use std::time::Duration;

use rand::Rng;

/// The retry schedule of one kind of call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
    /// Attempts in all, the first included.
    pub attempts: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
            attempts: 5,
        }
    }
}

impl Backoff {
    /// The ceiling of the delay before retry number `retry` (1 for the first retry).
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// A random delay before retry number `retry`, or `None` when no attempt is left.
    pub fn delay(&self, retry: u32, rng: &mut impl Rng) -> Option<Duration> {
        if retry >= self.attempts {
            return None;
        }
        let ceiling = self.ceiling(retry);
        Some(ceiling.mul_f64(rng.gen_range(0.0..=1.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn delays_grow_to_the_cap_and_stop_after_the_last_attempt() {
        let backoff = Backoff::default();
        assert_eq!(backoff.ceiling(1), Duration::from_secs(1));
        assert_eq!(backoff.ceiling(3), Duration::from_secs(4));
        assert_eq!(backoff.ceiling(40), Duration::from_secs(60));
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        for retry in 1..5 {
            let delay = backoff.delay(retry, &mut rng).unwrap();
            assert!(delay <= backoff.ceiling(retry));
        }
        assert_eq!(backoff.delay(5, &mut rng), None);
    }
}
