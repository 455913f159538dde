//! The computed priority of an item, with the reasons for it: points for the kind (a DM
//! above a mention above a comment), negative words (French and English built in, plus
//! `[priority] negative_words`), a VIP author and a repeat contact, turned into a priority;
//! then the SLA raises it (past due or due within 30 minutes: urgent; within 2 hours: at
//! least high). Pure: the caller gives the time and how many earlier items the author has.

use chrono::{DateTime, Duration, Utc};

use super::fold::{Haystack, Needle};
use crate::config::PriorityConfig;
use crate::model::{Item, Kind, Platform, Priority};

/// Points for a direct message, a mention, a comment.
const KIND_POINTS: [(Kind, i32); 3] = [(Kind::Dm, 2), (Kind::Mention, 1), (Kind::Comment, 0)];
const NEGATIVE_POINTS: i32 = 2;
const VIP_POINTS: i32 = 3;
const REPEAT_POINTS: i32 = 1;
/// Due within this (or past due): urgent.
const URGENT_WITHIN: Duration = Duration::minutes(30);
/// Due within this: at least high.
const HIGH_WITHIN: Duration = Duration::hours(2);

/// An author named in the config: `handle` or `platform:handle`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorRef {
    pub platform: Option<Platform>,
    pub handle: String,
}

impl AuthorRef {
    /// `mastodon:claire@example.social`, `@bigcustomer`, `bigcustomer`: the prefix is a
    /// platform only when it names a known one (a handle may hold a colon elsewhere).
    pub fn parse(text: &str) -> AuthorRef {
        if let Some((platform, handle)) = text.split_once(':') {
            let platform = Platform::from(platform.to_string());
            if !matches!(platform, Platform::Other(_)) {
                return AuthorRef {
                    platform: Some(platform),
                    handle: clean_handle(handle),
                };
            }
        }
        AuthorRef {
            platform: None,
            handle: clean_handle(text),
        }
    }

    /// Whether the item's author is this one (handles compared ignoring case and `@`).
    pub fn matches(&self, item: &Item) -> bool {
        self.platform.as_ref().is_none_or(|p| *p == item.platform)
            && !self.handle.is_empty()
            && clean_handle(&item.author.handle) == self.handle
    }
}

fn clean_handle(handle: &str) -> String {
    handle.trim().trim_start_matches('@').to_lowercase()
}

/// `[priority]` prepared once: VIPs and the negative words (built in and configured).
#[derive(Clone, Debug)]
pub struct Signals {
    pub vip: Vec<AuthorRef>,
    negative: Vec<(String, Needle)>,
}

impl Signals {
    pub fn new(config: &PriorityConfig) -> Signals {
        let words = super::words::built_in()
            .map(str::to_string)
            .chain(config.negative_words.iter().cloned());
        Signals {
            vip: config.vip.iter().map(|v| AuthorRef::parse(v)).collect(),
            negative: words.map(|w| (w.clone(), Needle::new(&w))).collect(),
        }
    }

    /// The VIP entry the item's author matches.
    pub fn vip_of(&self, item: &Item) -> Option<&AuthorRef> {
        self.vip.iter().find(|v| v.matches(item))
    }

    /// The negative words in a text, as configured, each once.
    pub fn negative_words(&self, text: &Haystack) -> Vec<&str> {
        let mut found: Vec<&str> = Vec::new();
        for (word, needle) in &self.negative {
            if text.contains(needle) && !found.contains(&word.as_str()) {
                found.push(word);
            }
        }
        found
    }
}

/// A priority and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub priority: Priority,
    pub reasons: Vec<String>,
}

/// The priority of `item` at `now`; `earlier` is how many earlier items its author has on
/// the account.
pub fn assess(item: &Item, now: DateTime<Utc>, earlier: usize, signals: &Signals) -> Assessment {
    assess_text(item, &Haystack::new(&item.text), now, earlier, signals)
}

/// [`assess`] with the item's text prepared already (shared with the rules).
pub fn assess_text(
    item: &Item,
    text: &Haystack,
    now: DateTime<Utc>,
    earlier: usize,
    signals: &Signals,
) -> Assessment {
    let mut reasons = Vec::new();
    let mut points = kind_points(item.kind);
    reasons.push(format!("{}: +{points}", kind_reason(item.kind)));
    let negative = signals.negative_words(text);
    if !negative.is_empty() {
        points += NEGATIVE_POINTS;
        let quoted: Vec<String> = negative.iter().map(|w| format!("\"{w}\"")).collect();
        reasons.push(format!(
            "negative words {}: +{NEGATIVE_POINTS}",
            quoted.join(", ")
        ));
    }
    if signals.vip_of(item).is_some() {
        points += VIP_POINTS;
        reasons.push(format!("VIP author @{}: +{VIP_POINTS}", item.author.handle));
    }
    if earlier > 0 {
        points += REPEAT_POINTS;
        let plural = if earlier == 1 { "" } else { "s" };
        reasons.push(format!(
            "repeat contact, {earlier} earlier message{plural}: +{REPEAT_POINTS}"
        ));
    }
    let mut priority = from_points(points);
    reasons.push(format!("{points} points: {priority}"));
    if let Some((floor, why)) = sla_floor(item.sla_due, now) {
        if floor > priority {
            priority = floor;
            reasons.push(format!("{why}: {floor}"));
        }
    }
    Assessment { priority, reasons }
}

fn kind_points(kind: Kind) -> i32 {
    KIND_POINTS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(0, |(_, p)| *p)
}

fn kind_reason(kind: Kind) -> &'static str {
    match kind {
        Kind::Dm => "direct message",
        Kind::Mention => "mention",
        Kind::Comment => "comment",
    }
}

/// 0: low, 1–2: normal, 3–4: high, 5 and more: urgent.
fn from_points(points: i32) -> Priority {
    match points {
        i32::MIN..=0 => Priority::Low,
        1..=2 => Priority::Normal,
        3..=4 => Priority::High,
        _ => Priority::Urgent,
    }
}

/// The least priority the SLA calls for, and why.
fn sla_floor(due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<(Priority, String)> {
    let left = due? - now;
    if left <= Duration::zero() {
        return Some((
            Priority::Urgent,
            format!("SLA breached {} ago", minutes(-left)),
        ));
    }
    if left <= URGENT_WITHIN {
        return Some((Priority::Urgent, format!("SLA due in {}", minutes(left))));
    }
    (left <= HIGH_WITHIN).then(|| (Priority::High, format!("SLA due in {}", minutes(left))))
}

fn minutes(span: Duration) -> String {
    let m = span.num_minutes();
    match m {
        0..=59 => format!("{m} min"),
        _ => format!("{}h {:02}m", m / 60, m % 60),
    }
}

#[cfg(test)]
#[path = "priority_tests.rs"]
mod tests;
