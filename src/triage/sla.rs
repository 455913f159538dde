//! Service levels: which `[[sla.targets]]` an item is under, when its first response and its
//! resolution fall due, and how an item's `sla_due` follows its life (arrival, our first
//! reply, resolution, reopening).
//!
//! **Which target.** Among the targets whose matchers (`platform`, `kind`, `tag`) all hold
//! for the item, the one with the most matchers wins; between equally specific targets, the
//! first in the file. A target without matchers is the default.
//!
//! **Counting.** `hours = "always"` adds the span as elapsed time (`1d` is 24 hours, DST or
//! not). `hours = "business"` counts only time inside the business window, read in the
//! `[sla]` zone: a window opens on each listed day at `start` and closes at `end` (the next
//! day when `end <= start`), so a DST night shortens or lengthens an overnight window and
//! a weekend counts nothing.
//!
//! **Life of `sla_due`** (`Item::sla_due`, which orders the queue): a customer's new item is
//! due its first response, counted from its arrival; once our first reply is sent, the
//! resolution, counted from the same start (`sla_since`); a resolved or spam item has none;
//! a reopened one is due a first response again, counted from the reopening.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

use crate::config::{Hours, SlaConfig};
use crate::model::{Item, Kind, Platform, Status};
use crate::team::oncall::weekly_window;

/// The longest search for enough business time (ten years of days): only reached by a
/// window that never opens, which validation refuses.
const MAX_DAYS: usize = 3660;

/// `[sla]` ready to answer for items.
#[derive(Clone, Debug)]
pub struct SlaPolicy {
    zone: Tz,
    business: Option<BusinessHours>,
    warn_before: Duration,
    targets: Vec<Target>,
}

#[derive(Clone, Debug)]
struct BusinessHours {
    days: Vec<Weekday>,
    start: NaiveTime,
    end: NaiveTime,
}

/// One promise, as the config wrote it.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// Its place in `[[sla.targets]]` (0-based), for messages.
    pub index: usize,
    pub platform: Option<Platform>,
    pub kind: Option<Kind>,
    pub tag: Option<String>,
    pub first_response: Option<Duration>,
    pub resolution: Option<Duration>,
    pub hours: Hours,
}

impl Target {
    fn matches(&self, item: &Item) -> bool {
        self.platform.as_ref().is_none_or(|p| *p == item.platform)
            && self.kind.is_none_or(|k| k == item.kind)
            && self.tag.as_ref().is_none_or(|t| item.tags.contains(t))
    }

    fn specificity(&self) -> usize {
        usize::from(self.platform.is_some())
            + usize::from(self.kind.is_some())
            + usize::from(self.tag.is_some())
    }
}

impl BusinessHours {
    /// The window that opens on local day `day`, as instants, if that is a working day.
    fn window(&self, zone: Tz, day: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        weekly_window(zone, day, &self.days, (self.start, self.end))
    }
}

impl SlaPolicy {
    /// The policy a (validated) `[sla]` section describes.
    pub fn from_config(config: &SlaConfig) -> SlaPolicy {
        SlaPolicy {
            zone: config.timezone.0,
            business: config.business_hours.as_ref().map(|h| BusinessHours {
                days: h.days.iter().map(|d| d.0).collect(),
                start: h.start.0,
                end: h.end.0,
            }),
            warn_before: config.warn_before.duration(),
            targets: config
                .targets
                .iter()
                .enumerate()
                .map(|(index, t)| Target {
                    index,
                    platform: t.platform.clone(),
                    kind: t.kind,
                    tag: t.tag.clone(),
                    first_response: t.first_response.map(|s| s.duration()),
                    resolution: t.resolution.map(|s| s.duration()),
                    hours: t.hours,
                })
                .collect(),
        }
    }

    /// How long before a due time the warning goes out.
    pub fn warn_before(&self) -> Duration {
        self.warn_before
    }

    /// The target an item is under: the most specific match, the first among equals.
    pub fn target_for(&self, item: &Item) -> Option<&Target> {
        let mut best: Option<&Target> = None;
        for target in self.targets.iter().filter(|t| t.matches(item)) {
            if best.is_none_or(|b| target.specificity() > b.specificity()) {
                best = Some(target);
            }
        }
        best
    }

    /// When the first response to `item` is due, counted from `since`.
    pub fn first_response_due(&self, item: &Item, since: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let target = self.target_for(item)?;
        self.add(since, target.first_response?, target.hours)
    }

    /// When `item` must be resolved, counted from `since`.
    pub fn resolution_due(&self, item: &Item, since: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let target = self.target_for(item)?;
        self.add(since, target.resolution?, target.hours)
    }

    /// `since` plus `span` counted in `hours` (business hours fall back to elapsed time
    /// only when none are configured, which validation refuses).
    pub fn add(&self, since: DateTime<Utc>, span: Duration, hours: Hours) -> Option<DateTime<Utc>> {
        match (hours, &self.business) {
            (Hours::Business, Some(business)) => self.add_business(since, span, business),
            _ => since.checked_add_signed(span),
        }
    }

    /// Walks the business windows from `since`, spending `span` inside them.
    fn add_business(
        &self,
        since: DateTime<Utc>,
        span: Duration,
        hours: &BusinessHours,
    ) -> Option<DateTime<Utc>> {
        let mut left = span;
        // The day before: an overnight window that opened yesterday may still be open.
        let mut day = since.with_timezone(&self.zone).date_naive().pred_opt()?;
        for _ in 0..MAX_DAYS {
            if let Some((open, close)) = hours.window(self.zone, day) {
                let start = open.max(since);
                if close > start {
                    let room = close - start;
                    if room >= left {
                        return Some(start + left);
                    }
                    left -= room;
                }
            }
            day = day.succ_opt()?;
        }
        None
    }

    /// A new item has arrived at `now`: a customer's active item starts its first-response
    /// clock. Returns whether `sla_due` changed.
    pub fn on_arrival(&self, item: &mut Item, now: DateTime<Utc>) -> bool {
        if item.from_brand || !item.status.is_active() || item.sla_due.is_some() {
            return false;
        }
        item.sla_since = Some(now);
        item.sla_due = self.first_response_due(item, now);
        item.sla_due.is_some()
    }

    /// The item's status went from `before` to what it is now, at `now`: resolved or spam
    /// clears the due time; reopened starts a new first-response clock.
    pub fn on_status_change(&self, item: &mut Item, before: Status, now: DateTime<Utc>) {
        if !item.status.is_active() {
            item.sla_due = None;
        } else if !before.is_active() && !item.from_brand {
            item.sla_since = Some(now);
            item.sla_due = self.first_response_due(item, now);
        }
    }

    /// Our reply to the item reached the platform at `now`: the first one is recorded, and
    /// an item still open is now due its resolution.
    pub fn on_reply_sent(&self, item: &mut Item, now: DateTime<Utc>) {
        if item.first_response_at.is_none() {
            item.first_response_at = Some(now);
        }
        if !item.status.is_active() {
            item.sla_due = None;
            return;
        }
        let since = item.sla_since.unwrap_or(item.received_at);
        item.sla_due = self.resolution_due(item, since);
    }
}

/// The policy for a config (`None` without `[sla]`: nothing is ever due).
pub fn policy(config: &crate::config::Config) -> Option<SlaPolicy> {
    config.sla.as_ref().map(SlaPolicy::from_config)
}

#[cfg(test)]
mod tests;
