//! From facts to figures: volume, first-response and resolution times, SLA met, per agent.
//! Pure: the same facts always give the same report.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use super::escalations::escalation_stats;
use super::gather::{is_person, Done, Facts, Received};
use super::percentile::{median, median_p90};
use super::report::{AgentStats, SlaSummary, StatsReport, Timing, Volume};
use super::window::Window;
use crate::model::ItemId;

/// The report of `facts` over `window`.
pub fn compute(facts: &Facts, window: Window, escalations_shown: bool) -> StatsReport {
    let firsts = first_replies(&facts.items, &facts.replies);
    let resolved = last_resolutions(&facts.items, &facts.resolutions);
    StatsReport {
        since: window.since,
        until: window.until,
        volume: volume(&facts.items, window),
        first_response: timing(&facts.items, |id| firsts.get(&id).map(|(s, _)| *s)),
        resolution: timing(&facts.items, |id| resolved.get(&id).copied()),
        sla: sla(&facts.items, &firsts, window.until),
        agents: agents(facts, &firsts),
        escalations: escalation_stats(&facts.raised, &facts.answers),
        escalations_shown,
    }
}

fn volume(items: &[Received], window: Window) -> Volume {
    let mut volume = Volume {
        total: items.len() as u64,
        bucket_seconds: window.bucket().num_seconds(),
        over_time: vec![0; window.buckets()],
        ..Volume::default()
    };
    for item in items {
        *volume.by_platform.entry(item.platform.clone()).or_default() += 1;
        *volume.by_kind.entry(item.kind.as_str().into()).or_default() += 1;
        if let Some(slot) = window.bucket_of(item.received_at) {
            volume.over_time[slot] += 1;
        }
    }
    volume
}

/// Each item's first reply: seconds from its arrival, and who sent it.
fn first_replies(items: &[Received], replies: &[Done]) -> HashMap<ItemId, (i64, String)> {
    let arrived: HashMap<ItemId, DateTime<Utc>> =
        items.iter().map(|i| (i.id, i.received_at)).collect();
    let mut firsts = HashMap::new();
    for reply in replies {
        let Some(at) = arrived.get(&reply.item).filter(|at| **at <= reply.at) else {
            continue;
        };
        firsts
            .entry(reply.item)
            .or_insert_with(|| ((reply.at - *at).num_seconds(), reply.user.clone()));
    }
    firsts
}

/// Each item's last resolution in the window (a reopened item counts when it is resolved
/// again), as seconds from its arrival.
fn last_resolutions(items: &[Received], resolutions: &[Done]) -> HashMap<ItemId, i64> {
    let arrived: HashMap<ItemId, DateTime<Utc>> =
        items.iter().map(|i| (i.id, i.received_at)).collect();
    let mut last = HashMap::new();
    for done in resolutions {
        if let Some(at) = arrived.get(&done.item).filter(|at| **at <= done.at) {
            last.insert(done.item, (done.at - *at).num_seconds());
        }
    }
    last
}

fn timing(items: &[Received], measure: impl Fn(ItemId) -> Option<i64>) -> Timing {
    let mut values: Vec<i64> = items.iter().filter_map(|i| measure(i.id)).collect();
    let count = values.len() as u64;
    let (median_seconds, p90_seconds) = median_p90(&mut values);
    Timing {
        count,
        missing: items.len() as u64 - count,
        median_seconds,
        p90_seconds,
    }
}

/// First responses against due times; an item not answered yet is breached once its due
/// time is before the window's end, else pending.
fn sla(
    items: &[Received],
    firsts: &HashMap<ItemId, (i64, String)>,
    until: DateTime<Utc>,
) -> SlaSummary {
    let mut sla = SlaSummary::default();
    for item in items {
        let Some(due) = item.sla_due else {
            sla.without_due += 1;
            continue;
        };
        let answered = firsts
            .get(&item.id)
            .map(|(secs, _)| item.received_at + chrono::Duration::seconds(*secs));
        match answered {
            Some(at) if at <= due => sla.met += 1,
            Some(_) => sla.breached += 1,
            None if due < until => sla.breached += 1,
            None => sla.pending += 1,
        }
    }
    let decided = sla.met + sla.breached;
    sla.met_percent = (decided > 0).then(|| sla.met as f64 * 100.0 / decided as f64);
    sla
}

#[derive(Default)]
struct AgentTally {
    replies_sent: u64,
    resolved: u64,
    firsts: Vec<i64>,
}

fn agents(facts: &Facts, firsts: &HashMap<ItemId, (i64, String)>) -> Vec<AgentStats> {
    let mut tally: BTreeMap<String, AgentTally> = BTreeMap::new();
    let people = |done: &&Done| is_person(&done.user);
    for reply in facts.replies.iter().filter(people) {
        tally.entry(reply.user.clone()).or_default().replies_sent += 1;
    }
    for done in facts.resolutions.iter().filter(people) {
        tally.entry(done.user.clone()).or_default().resolved += 1;
    }
    for (secs, user) in firsts.values().filter(|(_, user)| is_person(user)) {
        tally.entry(user.clone()).or_default().firsts.push(*secs);
    }
    tally
        .into_iter()
        .map(|(user, mut t)| {
            t.firsts.sort_unstable();
            AgentStats {
                user,
                replies_sent: t.replies_sent,
                resolved: t.resolved,
                first_response_median_seconds: median(&t.firsts),
            }
        })
        .collect()
}
