//! The routing rules engine: an item and its context in; which rules fire and why (each
//! condition that matched named, or the first that did not), and the merged outcome out.
//! Rules apply in order: the first rule that escalates, sets a priority, assigns, hides or
//! drafts wins that action; tags add up. Pure: the hub applies the outcome.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::fold::{Haystack, Needle};
use super::priority::{AuthorRef, Signals};
use crate::config::{MatchConfig, RuleConfig};
use crate::model::{Item, ItemId, Kind, Platform, Priority};

/// Longest piece of item text quoted in a reason.
const QUOTE: usize = 40;

/// One rule's verdict on an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleVerdict {
    pub rule: String,
    pub fired: bool,
    /// The conditions that matched (fired), or the first that did not.
    pub why: Vec<String>,
}

/// An action and the rule it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sourced<T> {
    pub rule: String,
    pub value: T,
}

/// What the fired rules do together.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub tags: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalate: Option<Sourced<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Sourced<Priority>>,
    /// A user or `team:NAME`, as the rule says (the hub picks the team member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Sourced<String>>,
    /// `spam` or `troll`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide: Option<Sourced<String>>,
    /// A canned response's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<Sourced<String>>,
}

impl Outcome {
    pub fn is_empty(&self) -> bool {
        *self == Outcome::default()
    }
}

/// Every rule's verdict, in order, and the merged outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub verdicts: Vec<RuleVerdict>,
    pub outcome: Outcome,
}

/// What routing does to an item: every rule's verdict in order, the merged outcome, and
/// the priority with its reasons (a rule's priority last, as `rule NAME: PRIORITY`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesReport {
    pub item: ItemId,
    pub verdicts: Vec<RuleVerdict>,
    pub outcome: Outcome,
    pub priority: Priority,
    pub priority_why: Vec<String>,
    /// Who `assign` gives the item to (for `team:NAME`, its least busy member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
}

/// Runs the rules on an item.
pub fn evaluate(rules: &[RuleConfig], item: &Item, signals: &Signals) -> Evaluation {
    evaluate_text(rules, item, &Haystack::new(&item.text), signals)
}

/// [`evaluate`] with the item's text prepared already (shared with the priority).
pub fn evaluate_text(
    rules: &[RuleConfig],
    item: &Item,
    text: &Haystack,
    signals: &Signals,
) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for rule in rules {
        let verdict = match check(&rule.when, item, text, signals) {
            Ok(why) => {
                merge(&mut evaluation.outcome, rule);
                RuleVerdict {
                    rule: rule.name.clone(),
                    fired: true,
                    why,
                }
            }
            Err(failed) => RuleVerdict {
                rule: rule.name.clone(),
                fired: false,
                why: vec![failed],
            },
        };
        evaluation.verdicts.push(verdict);
    }
    evaluation
}

/// Adds a fired rule's actions: tags add up, every other action is the first rule's.
fn merge(outcome: &mut Outcome, rule: &RuleConfig) {
    let from = |value: &String| Sourced {
        rule: rule.name.clone(),
        value: value.clone(),
    };
    outcome.tags.extend(rule.tag.iter().cloned());
    if outcome.escalate.is_none() {
        outcome.escalate = rule.escalate.as_ref().map(from);
    }
    if outcome.priority.is_none() {
        outcome.priority = rule
            .priority
            .as_ref()
            .and_then(|p| p.parse().ok())
            .map(|value| Sourced {
                rule: rule.name.clone(),
                value,
            });
    }
    if outcome.assign.is_none() {
        outcome.assign = rule.assign.as_ref().map(from);
    }
    if outcome.hide.is_none() {
        outcome.hide = rule.hide.as_ref().map(from);
    }
    if outcome.draft.is_none() {
        outcome.draft = rule.draft.as_ref().map(from);
    }
}

/// Every condition given must hold: the reasons they did, or the first that did not.
fn check(
    when: &MatchConfig,
    item: &Item,
    text: &Haystack,
    signals: &Signals,
) -> Result<Vec<String>, String> {
    let mut why = Vec::new();
    if !when.platform.0.is_empty() {
        why.push(platform(&when.platform.0, &item.platform)?);
    }
    if !when.account.0.is_empty() {
        why.push(one_of(
            "account",
            &when.account.0,
            &item.account,
            |a, b| a == b,
        )?);
    }
    if !when.kind.0.is_empty() {
        why.push(kind(&when.kind.0, item.kind)?);
    }
    if !when.language.0.is_empty() {
        why.push(language(&when.language.0, item.lang.as_deref())?);
    }
    if !when.authors.0.is_empty() {
        why.push(authors(&when.authors.0, item, signals)?);
    }
    if !when.words.0.is_empty() {
        why.push(words(&when.words.0, text)?);
    }
    if let Some(pattern) = &when.regex {
        why.push(regex(pattern, &item.text)?);
    }
    Ok(why)
}

fn one_of(
    what: &str,
    wanted: &[String],
    actual: &str,
    same: impl Fn(&str, &str) -> bool,
) -> Result<String, String> {
    match wanted.iter().find(|w| same(w, actual)) {
        Some(hit) => Ok(format!("{what}: {hit}")),
        None => Err(format!("{what}: {actual} is not {}", wanted.join(", "))),
    }
}

fn platform(wanted: &[String], actual: &Platform) -> Result<String, String> {
    one_of("platform", wanted, actual.as_str(), |w, a| {
        Platform::from(w.to_string()).as_str() == a
    })
}

fn kind(wanted: &[String], actual: Kind) -> Result<String, String> {
    one_of("kind", wanted, actual.as_str(), |w, a| {
        w.parse::<Kind>().is_ok_and(|k| k.as_str() == a)
    })
}

fn language(wanted: &[String], actual: Option<&str>) -> Result<String, String> {
    use crate::responses::language::primary;
    let Some(actual) = actual.and_then(primary) else {
        return Err(format!(
            "language: the item's is unknown (wanted {})",
            wanted.join(", ")
        ));
    };
    one_of("language", wanted, &actual, |w, a| {
        primary(w).as_deref() == Some(a)
    })
}

fn authors(wanted: &[String], item: &Item, signals: &Signals) -> Result<String, String> {
    for entry in wanted {
        if entry.eq_ignore_ascii_case("vip") {
            if signals.vip_of(item).is_some() {
                return Ok(format!("authors: vip (@{})", item.author.handle));
            }
        } else if AuthorRef::parse(entry).matches(item) {
            return Ok(format!("authors: {entry}"));
        }
    }
    Err(format!(
        "authors: @{} is not {}",
        item.author.handle,
        wanted.join(", ")
    ))
}

fn words(wanted: &[String], text: &Haystack) -> Result<String, String> {
    let hits: Vec<String> = wanted
        .iter()
        .filter(|w| text.contains(&Needle::new(w)))
        .map(|w| format!("\"{w}\""))
        .collect();
    if hits.is_empty() {
        let all: Vec<String> = wanted.iter().map(|w| format!("\"{w}\"")).collect();
        return Err(format!("words: none of {}", all.join(", ")));
    }
    Ok(format!("words: {}", hits.join(", ")))
}

fn regex(pattern: &crate::config::rules::Pattern, text: &str) -> Result<String, String> {
    let found = pattern.regex().and_then(|r| r.find(text));
    match found {
        Some(hit) => Ok(format!(
            "regex /{}/: \"{}\"",
            pattern.source,
            quote(hit.as_str())
        )),
        None => Err(format!("regex /{}/: no match", pattern.source)),
    }
}

/// At most [`QUOTE`] characters of item text.
fn quote(text: &str) -> String {
    let mut quoted: String = text.chars().take(QUOTE).collect();
    if text.chars().nth(QUOTE).is_some() {
        quoted.push('…');
    }
    quoted
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
