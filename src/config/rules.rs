//! `[[rules]]` (routing rules, applied in order to every new item) and `[priority]` (who is
//! a VIP, which extra words count as negative).
//!
//! ```toml
//! [[rules]]
//! name = "legal-threat"
//! match = { words = ["avocat", "lawyer", "mise en demeure"], kind = ["dm", "mention"] }
//! escalate = "legal"           # an [escalations.NAME]
//! tag = ["legal"]
//! priority = "urgent"
//! assign = "team:legal"        # a user, or team:NAME (users whose team is NAME)
//! hide = "spam"                # or "troll": status spam, tagged
//! draft = "legal-holding"      # a canned response, kept as a draft (never sent alone)
//!
//! [priority]
//! vip = ["mastodon:claire@example.social", "bigcustomer"]
//! negative_words = ["inadmissible"]
//! ```
//!
//! Everything a rule names is checked at load ([`validate`]): an error says which rule
//! (`rules[2] (legal-threat).match.regex: ...`). Regexes are compiled once, here.

use std::collections::BTreeMap;

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use super::{AccountConfig, EscalationConfig, UserConfig};
use crate::model::{Kind, Priority};

/// Longest compiled regex program accepted (a hostile pattern cannot eat the hub's memory).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// One routing rule: conditions (all must hold) and actions.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    pub name: String,
    #[serde(rename = "match", default)]
    pub when: MatchConfig,
    /// Tags added (they add up across rules).
    #[serde(default)]
    pub tag: Vec<String>,
    /// An `[escalations.NAME]` to escalate to.
    #[serde(default)]
    pub escalate: Option<String>,
    /// `low`, `normal`, `high` or `urgent`: wins over the computed priority.
    #[serde(default)]
    pub priority: Option<String>,
    /// A user, or `team:NAME`.
    #[serde(default)]
    pub assign: Option<String>,
    /// `spam` or `troll`.
    #[serde(default)]
    pub hide: Option<String>,
    /// A canned response's name.
    #[serde(default)]
    pub draft: Option<String>,
}

/// What an item must be for a rule to fire: every condition given must hold; within one
/// condition, any of its values.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchConfig {
    #[serde(default)]
    pub platform: Strings,
    #[serde(default)]
    pub account: Strings,
    #[serde(default)]
    pub kind: Strings,
    /// Any of these words or phrases, whole words, ignoring case and accents.
    #[serde(default)]
    pub words: Strings,
    /// A regex over the text (case-insensitive unless it says `(?-i)`).
    #[serde(default)]
    pub regex: Option<Pattern>,
    /// Author handles (`handle` or `platform:handle`), or `vip` for the `[priority] vip` list.
    #[serde(default)]
    pub authors: Strings,
    /// Language tags (primary subtag compared: `fr` matches `fr-CA`).
    #[serde(default)]
    pub language: Strings,
}

impl MatchConfig {
    fn is_empty(&self) -> bool {
        self.platform.0.is_empty()
            && self.account.0.is_empty()
            && self.kind.0.is_empty()
            && self.words.0.is_empty()
            && self.regex.is_none()
            && self.authors.0.is_empty()
            && self.language.0.is_empty()
    }
}

/// `[priority]`: who counts as a VIP and which extra words are negative.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityConfig {
    /// Author handles, optionally `platform:handle`.
    #[serde(default)]
    pub vip: Vec<String>,
    /// Added to the built-in French and English lists.
    #[serde(default)]
    pub negative_words: Vec<String>,
}

/// A string or a list of strings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Strings(pub Vec<String>);

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StringsVisitor)
    }
}

struct StringsVisitor;

impl<'de> Visitor<'de> for StringsVisitor {
    type Value = Strings;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a list of strings")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Strings, E> {
        Ok(Strings(vec![value.to_string()]))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strings, A::Error> {
        let mut values = Vec::new();
        while let Some(value) = seq.next_element::<String>()? {
            values.push(value);
        }
        Ok(Strings(values))
    }
}

/// A regex as written, compiled when the config is read (an error is reported by
/// [`validate`] with the rule's name).
#[derive(Clone, Debug)]
pub struct Pattern {
    pub source: String,
    compiled: Result<regex::Regex, String>,
}

impl Pattern {
    pub fn new(source: &str) -> Pattern {
        let compiled = regex::RegexBuilder::new(source)
            .case_insensitive(true)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| e.to_string());
        Pattern {
            source: source.to_string(),
            compiled,
        }
    }

    /// The compiled regex (`None` only for a config that failed validation).
    pub fn regex(&self) -> Option<&regex::Regex> {
        self.compiled.as_ref().ok()
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Pattern::new(&String::deserialize(deserializer)?))
    }
}

/// What a rule may name, from the rest of the config.
pub struct Known<'a> {
    pub accounts: &'a [AccountConfig],
    pub users: &'a BTreeMap<String, UserConfig>,
    pub escalations: &'a BTreeMap<String, EscalationConfig>,
}

/// Checks every rule; the first problem is returned, naming the rule and the key.
pub fn validate(rules: &[RuleConfig], known: &Known<'_>) -> Result<(), String> {
    let mut names = BTreeMap::new();
    for (i, rule) in rules.iter().enumerate() {
        let at = format!("rules[{i}] ({})", rule.name);
        if rule.name.trim().is_empty() {
            return Err(format!("rules[{i}].name is empty"));
        }
        if let Some(first) = names.insert(rule.name.as_str(), i) {
            return Err(format!("{at}.name: rules[{first}] has the same name"));
        }
        validate_match(&rule.when, known, &at)?;
        validate_actions(rule, known, &at)?;
    }
    Ok(())
}

fn validate_match(when: &MatchConfig, known: &Known<'_>, at: &str) -> Result<(), String> {
    if when.is_empty() {
        return Err(format!(
            "{at}.match: give at least one condition (platform, account, kind, words, regex, authors, language)"
        ));
    }
    for kind in &when.kind.0 {
        kind.parse::<Kind>()
            .map_err(|e| format!("{at}.match.kind: {e}"))?;
    }
    for account in &when.account.0 {
        if !known.accounts.is_empty() && !known.accounts.iter().any(|a| &a.name == account) {
            return Err(format!(
                "{at}.match.account: no [[accounts]] is named '{account}'"
            ));
        }
    }
    for word in &when.words.0 {
        if !word.chars().any(char::is_alphanumeric) {
            return Err(format!(
                "{at}.match.words: '{word}' has no letters or digits to match"
            ));
        }
    }
    if let Some(pattern) = &when.regex {
        if let Err(e) = &pattern.compiled {
            return Err(format!("{at}.match.regex: {e}"));
        }
    }
    for (what, values) in [
        ("platform", &when.platform),
        ("authors", &when.authors),
        ("language", &when.language),
    ] {
        if values.0.iter().any(|v| v.trim().is_empty()) {
            return Err(format!("{at}.match.{what}: an empty value matches nothing"));
        }
    }
    Ok(())
}

fn validate_actions(rule: &RuleConfig, known: &Known<'_>, at: &str) -> Result<(), String> {
    let acts = !rule.tag.is_empty()
        || rule.escalate.is_some()
        || rule.priority.is_some()
        || rule.assign.is_some()
        || rule.hide.is_some()
        || rule.draft.is_some();
    if !acts {
        return Err(format!(
            "{at}: the rule does nothing (give tag, escalate, priority, assign, hide or draft)"
        ));
    }
    for tag in &rule.tag {
        if !super::escalation::is_word(tag) {
            return Err(format!(
                "{at}.tag: '{tag}' is not a tag (letters, digits, '-' and '_')"
            ));
        }
    }
    if let Some(name) = &rule.escalate {
        if !known.escalations.contains_key(name) {
            return Err(format!(
                "{at}.escalate: no [escalations.{name}] is configured"
            ));
        }
    }
    if let Some(priority) = &rule.priority {
        priority
            .parse::<Priority>()
            .map_err(|e| format!("{at}.priority: {e}"))?;
    }
    if let Some(assign) = &rule.assign {
        validate_assign(assign, known.users, at)?;
    }
    if let Some(hide) = &rule.hide {
        if !matches!(hide.as_str(), "spam" | "troll") {
            return Err(format!(
                "{at}.hide: '{hide}' is neither \"spam\" nor \"troll\""
            ));
        }
    }
    if rule.draft.as_ref().is_some_and(|d| d.trim().is_empty()) {
        return Err(format!("{at}.draft: name a canned response"));
    }
    Ok(())
}

fn validate_assign(
    assign: &str,
    users: &BTreeMap<String, UserConfig>,
    at: &str,
) -> Result<(), String> {
    match assign.strip_prefix("team:") {
        Some(team) => {
            if !users.values().any(|u| u.team.as_deref() == Some(team)) {
                return Err(format!(
                    "{at}.assign: no user is in team '{team}' ([users.NAME] team = \"{team}\")"
                ));
            }
        }
        None => {
            if !users.is_empty() && !users.contains_key(assign) {
                return Err(format!("{at}.assign: no [users.{assign}] is configured"));
            }
            if users.is_empty() && assign.trim().is_empty() {
                return Err(format!("{at}.assign: name a user"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
