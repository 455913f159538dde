//! `[notify.NAME]` channels and the `[smtp]` server email goes through.
//!
//! ```toml
//! [notify.legal-slack]
//! kind = "webhook"
//! url = "https://hooks.slack.com/services/..."
//! format = "slack"            # Slack/Mattermost incoming webhook; "json": the item as JSON
//!
//! [notify.legal-mail]
//! kind = "email"
//! to = ["legal@acme.example"]
//!
//! [smtp]
//! host = "smtp.acme.example"
//! port = 587
//! from = "switchboard@acme.example"
//! username = "switchboard"
//! password_env = "SMTP_PASSWORD"
//! starttls = true
//! ```
//!
//! A user's own channels (`[users.NAME] notify = [...]`) are where they are paged.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::UserConfig;

/// One place notifications go.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum NotifyConfig {
    /// An HTTP POST to `url`.
    Webhook {
        url: String,
        #[serde(default)]
        format: WebhookFormat,
    },
    /// An email to `to`, through `[smtp]`.
    Email { to: Vec<String> },
}

/// What a webhook's body looks like.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookFormat {
    /// `{"text": ...}`, which Slack and Mattermost incoming webhooks take.
    #[default]
    Slack,
    /// The notification with its item as JSON.
    Json,
}

/// `[smtp]`: the server email notifications are sent through.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default = "default_port")]
    pub port: u16,
    /// The sender address.
    pub from: String,
    #[serde(default)]
    pub username: Option<String>,
    /// The environment variable holding the password (never the password itself).
    #[serde(default)]
    pub password_env: Option<String>,
    /// Upgrade the connection with STARTTLS (default true).
    #[serde(default = "default_starttls")]
    pub starttls: bool,
}

fn default_port() -> u16 {
    587
}

fn default_starttls() -> bool {
    true
}

/// Webhook URLs are http(s) URLs, email channels have recipients and an `[smtp]` to go
/// through, and users' channels exist.
pub fn validate(
    channels: &BTreeMap<String, NotifyConfig>,
    smtp: Option<&SmtpConfig>,
    users: &BTreeMap<String, UserConfig>,
) -> Result<(), String> {
    for (name, channel) in channels {
        match channel {
            NotifyConfig::Webhook { url, .. } => {
                let parsed = reqwest::Url::parse(url)
                    .map_err(|e| format!("notify.{name}.url: '{url}' is not a URL ({e})"))?;
                if !matches!(parsed.scheme(), "http" | "https") {
                    return Err(format!(
                        "notify.{name}.url: '{url}' is not an http or https URL"
                    ));
                }
            }
            NotifyConfig::Email { to } => {
                if to.is_empty() {
                    return Err(format!("notify.{name}.to: name at least one address"));
                }
                if let Some(bad) = to.iter().find(|a| !looks_like_address(a)) {
                    return Err(format!("notify.{name}.to: '{bad}' is not an email address"));
                }
                if smtp.is_none() {
                    return Err(format!(
                        "notify.{name}: an email channel needs an [smtp] section to send through"
                    ));
                }
            }
        }
    }
    if let Some(smtp) = smtp {
        if !looks_like_address(&smtp.from) {
            return Err(format!(
                "smtp.from: '{}' is not an email address",
                smtp.from
            ));
        }
    }
    for (user, config) in users {
        if let Some(channel) = config.notify.iter().find(|c| !channels.contains_key(*c)) {
            return Err(format!(
                "users.{user}.notify: no [notify.{channel}] is configured"
            ));
        }
    }
    Ok(())
}

/// `local@domain` with no spaces or angle brackets: enough to catch a typo, not RFC 5322.
pub fn looks_like_address(address: &str) -> bool {
    match address.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !address
                    .chars()
                    .any(|c| c.is_whitespace() || "<>,;".contains(c))
        }
        None => false,
    }
}
