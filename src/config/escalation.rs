//! `[escalations.NAME]`: who an item is handed to when it is beyond a CM (legal, brand, PR,
//! security), how they are told, and how soon they should answer.
//!
//! ```toml
//! [escalations.legal]
//! description = "Legal threats, GDPR requests, anything a lawyer must see"
//! owners = ["dana"]                       # users who answer it
//! notify = ["legal-slack", "legal-mail"]  # [notify.NAME] channels told at once
//! sla = "2h"                              # how soon an owner should answer
//! ```
//!
//! What depends on the rest of the config (owners are users, channels exist) is checked by
//! [`validate`].

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{NotifyConfig, Span, UserConfig};

/// One escalation target.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationConfig {
    /// What it is for, shown when a CM picks one.
    #[serde(default)]
    pub description: String,
    /// The users who answer it (at least one).
    pub owners: Vec<String>,
    /// The `[notify.NAME]` channels told when an item is escalated here.
    #[serde(default)]
    pub notify: Vec<String>,
    /// How soon an owner should answer.
    #[serde(default)]
    pub sla: Option<Span>,
}

/// Escalation names are tag-like words; owners are configured users (when the team is
/// configured at all) and channels are configured `[notify]` entries.
pub fn validate(
    escalations: &BTreeMap<String, EscalationConfig>,
    users: &BTreeMap<String, UserConfig>,
    channels: &BTreeMap<String, NotifyConfig>,
) -> Result<(), String> {
    for (name, escalation) in escalations {
        if !is_word(name) {
            return Err(format!(
                "escalations.{name}: a name is letters, digits, '-' and '_' (it becomes a tag)"
            ));
        }
        if escalation.owners.is_empty() {
            return Err(format!(
                "escalations.{name}.owners: name at least one user who answers it"
            ));
        }
        for owner in &escalation.owners {
            if !users.is_empty() && !users.contains_key(owner) {
                return Err(format!(
                    "escalations.{name}.owners: no [users.{owner}] is configured"
                ));
            }
        }
        for channel in &escalation.notify {
            if !channels.contains_key(channel) {
                return Err(format!(
                    "escalations.{name}.notify: no [notify.{channel}] is configured"
                ));
            }
        }
    }
    Ok(())
}

/// Letters (any script), digits, `-` and `_`: safe in a tag, a query and a file name.
pub fn is_word(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}
