//! Where switchboard keeps things (`--home`, XDG dirs) and what `config.toml` says.
//!
//! Loading is all-or-nothing: a config that does not parse, or names an unknown key, is
//! refused with the file, line and field, and nothing runs on a half-read config.

mod escalation;
mod notify;
mod oncall;
mod paths;
pub mod rules;
mod sla;
mod span;
mod webhooks;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use escalation::EscalationConfig;
pub use notify::{NotificationsConfig, NotifyConfig, SmtpConfig, WebhookFormat};
pub use oncall::{
    ClockTime, Day, Handover, Moment, OnCallConfig, OverrideConfig, ShiftConfig, Zone,
};
pub use paths::Paths;
pub use rules::{MatchConfig, PriorityConfig, RuleConfig};
pub use sla::{BusinessHoursConfig, Hours, SlaConfig, TargetConfig, Users};
pub use span::Span;
pub use webhooks::{SecretSource, WebhooksConfig};

/// The whole configuration. Every section is optional: an empty file is a valid config.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub hub: HubConfig,
    #[serde(default)]
    pub brand: BrandConfig,
    #[serde(default)]
    pub accounts: Vec<AccountConfig>,
    #[serde(default)]
    pub users: BTreeMap<String, UserConfig>,
    #[serde(default)]
    pub ui: UiConfig,
    /// Saved views shown as extra tabs: name → query.
    #[serde(default)]
    pub views: BTreeMap<String, String>,
    /// The on-call rotation (see `oncall.rs`).
    #[serde(default)]
    pub oncall: Option<OnCallConfig>,
    /// What happens around a reply.
    #[serde(default)]
    pub replies: RepliesConfig,
    /// Who items are handed to beyond the CMs (`escalation.rs`).
    #[serde(default)]
    pub escalations: BTreeMap<String, EscalationConfig>,
    /// Where notifications go (`notify.rs`).
    #[serde(default)]
    pub notify: BTreeMap<String, NotifyConfig>,
    /// The mail server email channels send through.
    #[serde(default)]
    pub smtp: Option<SmtpConfig>,
    /// How notice deliveries are timed out and retried (`notify.rs`).
    #[serde(default)]
    pub notifications: NotificationsConfig,
    /// Response-time targets (`sla.rs`).
    #[serde(default)]
    pub sla: Option<SlaConfig>,
    /// Routing rules, applied in order to every new item (`rules.rs`).
    #[serde(default)]
    pub rules: Vec<RuleConfig>,
    /// VIP authors and extra negative words for the computed priority.
    #[serde(default)]
    pub priority: PriorityConfig,
    /// The hub's opt-in endpoint for Meta and X webhooks (`webhooks.rs`).
    #[serde(default)]
    pub webhooks: WebhooksConfig,
}

/// `[replies]`: what a sent reply does to its item.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepliesConfig {
    /// The item's status once our reply is on the platform (default `resolved`).
    #[serde(default)]
    pub after_send: AfterSend,
}

/// Where an answered item goes once the reply is sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AfterSend {
    /// Answered: done until the customer writes again (which reopens it).
    #[default]
    Resolved,
    /// Waiting on the customer: stays in the pending queue until someone resolves it.
    Pending,
}

/// `[hub]`: where the hub listens.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubConfig {
    /// The Unix socket path (default `<home>/hub.sock`).
    pub socket: Option<PathBuf>,
    /// A group that may connect (the socket is then mode 0660).
    pub socket_group: Option<String>,
    /// Set by `--socket` / `SWITCHBOARD_SOCKET`, never read from a file: attach to the hub
    /// on that socket and never host one in this process (a CM on a shared box).
    #[serde(skip)]
    pub attach_only: bool,
}

/// `[brand]`: who "we" are.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandConfig {
    #[serde(default = "default_brand")]
    pub name: String,
}

impl Default for BrandConfig {
    fn default() -> Self {
        BrandConfig {
            name: default_brand(),
        }
    }
}

fn default_brand() -> String {
    "Our brand".to_string()
}

/// `[[accounts]]`: one platform account switchboard syncs.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountConfig {
    pub name: String,
    pub platform: String,
    pub api_base: Option<String>,
    pub token: Option<String>,
    pub token_env: Option<String>,
    pub token_cmd: Option<String>,
    pub identifier: Option<String>,
    pub password: Option<String>,
    pub password_env: Option<String>,
    pub password_cmd: Option<String>,
    /// Seconds between polls (default 60; a streaming account polls as a fallback).
    pub poll_interval: Option<u64>,
    /// Seconds one platform call may take (default 30).
    pub timeout: Option<u64>,
    /// Whether to use the platform's push stream where it has one (default true).
    pub streaming: Option<bool>,
    /// Bluesky: where `chat.bsky.convo.*` calls go (default: `api_base`, the PDS, which
    /// proxies them to the chat service named by the `atproto-proxy` header).
    pub chat_api_base: Option<String>,
    /// Facebook and Instagram: the app may answer DMs with the `HUMAN_AGENT` tag, up to 7
    /// days after the customer's last message instead of 24 hours (default false).
    pub human_agent: Option<bool>,
    pub user_id: Option<String>,
    pub page_id: Option<String>,
    pub ig_user_id: Option<String>,
    /// Instagram: how the account's token was obtained, which picks the API host and the DM
    /// paths: `"facebook"` (Facebook Login, a Page access token of the linked Page, host
    /// graph.facebook.com; the default) or `"instagram"` (Instagram Login, an Instagram
    /// user token, host graph.instagram.com).
    pub login: Option<String>,
    pub channel_id: Option<String>,
    /// YouTube: the project's daily quota in units (default 10,000; Google grants more on
    /// request), which the connector counts against and paces its polling by.
    pub daily_quota: Option<u64>,
    /// X: a daily spend in US dollars past which `doctor` warns (80% of it) and the status
    /// shows the spend against it; nothing is refused.
    pub daily_budget: Option<f64>,
}

/// `[users.NAME]`: a person on the team.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    pub unix_user: Option<String>,
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub team: Option<String>,
    pub accounts: Option<Vec<String>>,
    #[serde(default)]
    pub requires_approval: bool,
    /// The `[notify.NAME]` channels this person is told and paged through.
    #[serde(default)]
    pub notify: Vec<String>,
}

/// `[ui]`: how the TUI looks and which keymap it uses.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiConfig {
    /// `default` (vim-style), `emacs`, or a path to a keymap file.
    pub keymap: Option<String>,
    /// Force the 16-colour palette.
    #[serde(default)]
    pub basic_colors: bool,
    /// Notices also raise a desktop notification (OSC 9 and OSC 777, which pass through
    /// SSH); off: the bell and the status bar only.
    #[serde(default = "yes")]
    pub desktop_notifications: bool,
}

impl Default for UiConfig {
    fn default() -> UiConfig {
        UiConfig {
            keymap: None,
            basic_colors: false,
            desktop_notifications: true,
        }
    }
}

fn yes() -> bool {
    true
}

/// A config file that cannot be used, with where and why.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid config {path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("invalid config {path}: {message}")]
    Rule { path: PathBuf, message: String },
}

impl Config {
    /// Reads the config file; a missing file is an empty config.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(source) => Err(ConfigError::Unreadable {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Parses and validates config text; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| line_col(text, span.start))
                .unwrap_or((1, 1));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        config.validate(path)?;
        Ok(config)
    }

    fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let rule = |message: String| ConfigError::Rule {
            path: path.to_path_buf(),
            message,
        };
        let mut seen = std::collections::BTreeSet::new();
        for (i, account) in self.accounts.iter().enumerate() {
            if account.name.trim().is_empty() {
                return Err(rule(format!("accounts[{i}].name is empty")));
            }
            for (what, given) in [
                (
                    "token",
                    [&account.token, &account.token_env, &account.token_cmd],
                ),
                (
                    "password",
                    [
                        &account.password,
                        &account.password_env,
                        &account.password_cmd,
                    ],
                ),
            ] {
                if given.iter().filter(|g| g.is_some()).count() > 1 {
                    return Err(rule(format!(
                        "accounts[{i}] ({}): give one of {what}, {what}_env and {what}_cmd",
                        account.name
                    )));
                }
            }
            if account.poll_interval == Some(0) || account.timeout == Some(0) {
                return Err(rule(format!(
                    "accounts[{i}] ({}): poll_interval and timeout are seconds, at least 1",
                    account.name
                )));
            }
            if let Some(base) = &account.api_base {
                if reqwest::Url::parse(base).is_err() {
                    return Err(rule(format!(
                        "accounts[{i}] ({}): api_base '{base}' is not a URL",
                        account.name
                    )));
                }
            }
            if !seen.insert(account.name.as_str()) {
                return Err(rule(format!(
                    "accounts[{i}].name: account '{}' is defined twice",
                    account.name
                )));
            }
        }
        self.validate_users(&rule)?;
        if let Some(oncall) = &self.oncall {
            oncall.validate(&self.users).map_err(rule)?;
        }
        if let Some(sla) = &self.sla {
            sla.validate().map_err(rule)?;
        }
        notify::validate(&self.notify, self.smtp.as_ref(), &self.users).map_err(rule)?;
        self.notifications.validate().map_err(rule)?;
        escalation::validate(&self.escalations, &self.users, &self.notify).map_err(rule)?;
        let known = rules::Known {
            accounts: &self.accounts,
            users: &self.users,
            escalations: &self.escalations,
        };
        rules::validate(&self.rules, &known).map_err(rule)?;
        for (name, query) in &self.views {
            crate::model::Query::parse(query).map_err(|e| rule(format!("views.{name}: {e}")))?;
        }
        Ok(())
    }
}

impl Config {
    /// Roles are known, Unix logins map to one user each, and named accounts exist (when
    /// accounts are configured at all: the demo's simulated accounts are not).
    fn validate_users(&self, rule: &dyn Fn(String) -> ConfigError) -> Result<(), ConfigError> {
        let mut logins = BTreeMap::new();
        for (name, user) in &self.users {
            if let Some(role) = &user.role {
                if crate::team::Role::parse(role).is_none() {
                    return Err(rule(format!(
                        "users.{name}.role: unknown role '{role}' (expected agent, approver or admin)"
                    )));
                }
            }
            let login = user.unix_user.as_deref().unwrap_or(name);
            if let Some(other) = logins.insert(login, name) {
                return Err(rule(format!(
                    "users.{name}.unix_user: Unix user '{login}' is already users.{other}"
                )));
            }
            for account in user.accounts.iter().flatten() {
                if !self.accounts.is_empty() && !self.accounts.iter().any(|a| &a.name == account) {
                    return Err(rule(format!(
                        "users.{name}.accounts: no [[accounts]] is named '{account}'"
                    )));
                }
            }
        }
        Ok(())
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_missing_configs_are_valid() {
        assert!(Config::parse(Path::new("c.toml"), "").is_ok());
        assert!(Config::load(Path::new("/nonexistent/switchboard.toml")).is_ok());
    }

    #[test]
    fn unknown_key_names_file_line_and_field() {
        let text = "[brand]\nname = \"Acme\"\n\n[hub]\nsokcet = \"/tmp/x\"\n";
        let err = Config::parse(Path::new("/h/config.toml"), text).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("invalid config /h/config.toml:5:"), "{msg}");
        assert!(msg.contains("sokcet"), "{msg}");
    }

    #[test]
    fn wrong_type_and_bad_view_query_are_refused() {
        let err = Config::parse(Path::new("c.toml"), "[[accounts]]\nname = 3\n").unwrap_err();
        assert!(err.to_string().contains("c.toml:2:"), "{err}");
        let err =
            Config::parse(Path::new("c.toml"), "[views]\nlate = \"status:closed\"\n").unwrap_err();
        assert!(err.to_string().contains("views.late"), "{err}");
    }

    #[test]
    fn an_account_takes_its_secret_from_one_source() {
        let text =
            "[[accounts]]\nname=\"a\"\nplatform=\"mastodon\"\ntoken=\"t\"\ntoken_env=\"T\"\n";
        let err = Config::parse(Path::new("c.toml"), text).unwrap_err();
        assert!(
            err.to_string()
                .contains("accounts[0] (a): give one of token, token_env and token_cmd"),
            "{err}"
        );
    }

    #[test]
    fn escalations_and_channels_name_what_exists() {
        let base = "[users.dana]\nrole = \"approver\"\nnotify = [\"pager\"]\n\
            [notify.pager]\nkind = \"webhook\"\nurl = \"http://127.0.0.1:9/hook\"\n";
        let ok = format!(
            "{base}[escalations.legal]\nowners = [\"dana\"]\nnotify = [\"pager\"]\nsla = \"2h\"\n"
        );
        let config = Config::parse(Path::new("c.toml"), &ok).unwrap();
        let legal = &config.escalations["legal"];
        assert_eq!(legal.sla.unwrap().to_string(), "2h");
        assert_eq!(config.users["dana"].notify, ["pager"]);
        for (text, expected) in [
            (
                format!("{base}[escalations.legal]\nowners = [\"erin\"]\n"),
                "escalations.legal.owners: no [users.erin]",
            ),
            (
                format!("{base}[escalations.legal]\nowners = [\"dana\"]\nnotify = [\"mail\"]\n"),
                "escalations.legal.notify: no [notify.mail]",
            ),
            (
                format!("{base}[escalations.\"le gal\"]\nowners = [\"dana\"]\n"),
                "escalations.le gal: a name is",
            ),
            (
                format!("{base}[escalations.legal]\nowners = [\"dana\"]\nsla = \"2 hours\"\n"),
                "'2 hours' is not a span",
            ),
            (
                format!("{base}[notify.mail]\nkind = \"email\"\nto = [\"legal@acme.test\"]\n"),
                "notify.mail: an email channel needs an [smtp]",
            ),
            (
                format!("{base}[notify.hook]\nkind = \"webhook\"\nurl = \"ftp://x\"\n"),
                "notify.hook.url: 'ftp://x' is not an http",
            ),
            (
                format!("{base}[notify.hook]\nkind = \"pigeon\"\n"),
                "pigeon",
            ),
        ] {
            let err = Config::parse(Path::new("c.toml"), &text)
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{err}\n--- wanted: {expected}");
        }
    }

    #[test]
    fn duplicate_accounts_are_refused() {
        let text =
            "[[accounts]]\nname=\"a\"\nplatform=\"x\"\n[[accounts]]\nname=\"a\"\nplatform=\"x\"\n";
        let err = Config::parse(Path::new("c.toml"), text).unwrap_err();
        assert!(err.to_string().contains("defined twice"), "{err}");
    }
}
