//! Reports: what the team did over a time window, computed from what the store holds.
//!
//! `stats` is a pure computation over bounded reads (see [`gather`]): the customer items
//! received in the window, the replies sent since it started, and the audit back to its
//! start, all within the caller's scope. [`compute`] turns those facts into the figures
//! `switchboard stats` prints and the dashboard draws: volume by platform, kind and time,
//! first-response and resolution times (median, p90), SLA met, per agent, and escalations
//! by name with their time to answer. The hub answers `Request::Stats` with it.

mod compute;
mod escalations;
pub mod format;
mod gather;
mod percentile;
mod report;
mod window;

#[cfg(test)]
mod tests;

pub use percentile::{median, nearest_rank};
pub use report::{AgentStats, EscalationStats, SlaSummary, StatsReport, Timing, Volume};
pub use window::{Window, DEFAULT_SPAN, MAX_SPAN};

use crate::store::{Result, Store};
use crate::team::Scope;

/// The report of `window` as `scope` sees it.
pub fn stats(store: &dyn Store, scope: &Scope, window: Window) -> Result<StatsReport> {
    let facts = gather::gather(store, scope, window)?;
    Ok(compute::compute(&facts, window, scope.sees_escalations()))
}
