//! `[webhooks]`: the hub's opt-in HTTP endpoint for Meta and X webhooks (`hub::webhooks`).
//!
//! ```toml
//! [webhooks]
//! listen = "127.0.0.1:8788"          # absent: no endpoint (the default); polling only
//! path_prefix = "/webhooks"          # routes: {prefix}/meta and {prefix}/x
//! meta_app_secret_env = "META_APP_SECRET"    # or meta_app_secret / meta_app_secret_cmd
//! meta_verify_token_env = "META_VERIFY_TOKEN" # or meta_verify_token
//! x_consumer_secret_cmd = "pass show x/consumer-secret" # or x_consumer_secret / _env
//! ```
//!
//! The section is checked as it is read, so a mistake is refused with its file and line: a
//! listen address that is not `IP:port`, a prefix that is not a path, a secret given two
//! ways, a Meta route with only one of its two secrets, or an endpoint with no route at
//! all. Secrets are resolved when the endpoint starts (see `hub::webhooks::secrets`) and
//! never shown: `Debug` prints `***`.

use std::fmt;
use std::net::SocketAddr;

use serde::de::{self, Deserializer};
use serde::Deserialize;

/// The path prefix when the section does not give one.
pub const DEFAULT_PREFIX: &str = "/webhooks";

/// `[webhooks]`, checked.
#[derive(Clone, Deserialize)]
#[serde(try_from = "RawWebhooks")]
pub struct WebhooksConfig {
    /// Where the endpoint listens; `None`: no endpoint.
    pub listen: Option<SocketAddr>,
    /// The routes' common prefix, without a trailing `/` (`""` for the root).
    pub path_prefix: String,
    pub meta_app_secret: SecretSource,
    pub meta_verify_token: SecretSource,
    pub x_consumer_secret: SecretSource,
}

impl Default for WebhooksConfig {
    fn default() -> WebhooksConfig {
        WebhooksConfig {
            listen: None,
            path_prefix: DEFAULT_PREFIX.to_string(),
            meta_app_secret: SecretSource::default(),
            meta_verify_token: SecretSource::default(),
            x_consumer_secret: SecretSource::default(),
        }
    }
}

/// Where one secret comes from: the file, an environment variable or a command.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretSource {
    pub literal: Option<String>,
    pub env: Option<String>,
    pub cmd: Option<String>,
}

impl SecretSource {
    pub fn is_set(&self) -> bool {
        self.literal.is_some() || self.env.is_some() || self.cmd.is_some()
    }
}

impl WebhooksConfig {
    /// Whether the Meta routes are configured (app secret and verify token).
    pub fn meta_configured(&self) -> bool {
        self.meta_app_secret.is_set() && self.meta_verify_token.is_set()
    }

    /// Whether the X route is configured (consumer secret).
    pub fn x_configured(&self) -> bool {
        self.x_consumer_secret.is_set()
    }

    /// Whether the file itself holds a secret of this section.
    pub fn holds_literal_secret(&self) -> bool {
        [
            &self.meta_app_secret,
            &self.meta_verify_token,
            &self.x_consumer_secret,
        ]
        .iter()
        .any(|s| s.literal.is_some())
    }
}

impl fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |v: &Option<String>| v.as_ref().map(|_| "***");
        f.debug_struct("SecretSource")
            .field("literal", &shown(&self.literal))
            .field("env", &self.env)
            .field("cmd", &shown(&self.cmd))
            .finish()
    }
}

impl fmt::Debug for WebhooksConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhooksConfig")
            .field("listen", &self.listen)
            .field("path_prefix", &self.path_prefix)
            .field("meta_app_secret", &self.meta_app_secret)
            .field("meta_verify_token", &self.meta_verify_token)
            .field("x_consumer_secret", &self.x_consumer_secret)
            .finish()
    }
}

/// The section as written, before it is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWebhooks {
    listen: Option<ListenAddr>,
    path_prefix: Option<String>,
    meta_app_secret: Option<String>,
    meta_app_secret_env: Option<String>,
    meta_app_secret_cmd: Option<String>,
    meta_verify_token: Option<String>,
    meta_verify_token_env: Option<String>,
    x_consumer_secret: Option<String>,
    x_consumer_secret_env: Option<String>,
    x_consumer_secret_cmd: Option<String>,
}

impl TryFrom<RawWebhooks> for WebhooksConfig {
    type Error = String;

    fn try_from(raw: RawWebhooks) -> Result<WebhooksConfig, String> {
        let config = WebhooksConfig {
            listen: raw.listen.map(|l| l.0),
            path_prefix: prefix(raw.path_prefix.as_deref())?,
            meta_app_secret: source(
                "meta_app_secret",
                raw.meta_app_secret,
                raw.meta_app_secret_env,
                raw.meta_app_secret_cmd,
            )?,
            meta_verify_token: source(
                "meta_verify_token",
                raw.meta_verify_token,
                raw.meta_verify_token_env,
                None,
            )?,
            x_consumer_secret: source(
                "x_consumer_secret",
                raw.x_consumer_secret,
                raw.x_consumer_secret_env,
                raw.x_consumer_secret_cmd,
            )?,
        };
        config.check_routes()?;
        Ok(config)
    }
}

impl WebhooksConfig {
    /// Meta needs both of its secrets; an endpoint needs a route.
    fn check_routes(&self) -> Result<(), String> {
        match (
            self.meta_app_secret.is_set(),
            self.meta_verify_token.is_set(),
        ) {
            (true, false) => {
                return Err("webhooks: meta_app_secret is set but meta_verify_token is not \
                     (Meta's subscription check needs it): set meta_verify_token or meta_verify_token_env"
                    .into())
            }
            (false, true) => {
                return Err("webhooks: meta_verify_token is set but meta_app_secret is not \
                     (every Meta delivery is signed with it): set meta_app_secret, meta_app_secret_env or meta_app_secret_cmd"
                    .into())
            }
            _ => {}
        }
        if let Some(listen) = self.listen {
            if !self.meta_configured() && !self.x_configured() {
                return Err(format!(
                    "webhooks: listen = \"{listen}\" but no route has its secret: \
                     set meta_app_secret and meta_verify_token, or x_consumer_secret (each also as _env or _cmd)"
                ));
            }
        }
        Ok(())
    }
}

/// At most one of the three sources.
fn source(
    what: &str,
    literal: Option<String>,
    env: Option<String>,
    cmd: Option<String>,
) -> Result<SecretSource, String> {
    let source = SecretSource { literal, env, cmd };
    let given = [&source.literal, &source.env, &source.cmd]
        .iter()
        .filter(|s| s.is_some())
        .count();
    if given > 1 {
        return Err(format!(
            "webhooks: give only one of {what}, {what}_env{}",
            if what == "meta_verify_token" {
                String::new()
            } else {
                format!(" and {what}_cmd")
            }
        ));
    }
    if [&source.literal, &source.env, &source.cmd]
        .iter()
        .any(|s| s.as_deref().is_some_and(|v| v.trim().is_empty()))
    {
        return Err(format!("webhooks: {what} is empty"));
    }
    Ok(source)
}

/// `/webhooks` by default; a path of plain segments, kept without its trailing `/`.
fn prefix(given: Option<&str>) -> Result<String, String> {
    let Some(given) = given else {
        return Ok(DEFAULT_PREFIX.to_string());
    };
    let plain = |c: char| c.is_ascii_alphanumeric() || "-._~/".contains(c);
    if !given.starts_with('/') || !given.chars().all(plain) || given.contains("//") {
        return Err(format!(
            "webhooks.path_prefix: '{given}' is not a path: start with / and use letters, digits, - . _ ~ (e.g. \"/webhooks\")"
        ));
    }
    Ok(given.trim_end_matches('/').to_string())
}

/// `IP:port`, refused with an example otherwise.
struct ListenAddr(SocketAddr);

impl<'de> Deserialize<'de> for ListenAddr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ListenAddr, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.trim().parse().map(ListenAddr).map_err(|_| {
            de::Error::custom(format!(
                "webhooks.listen: '{text}' is not an address to listen on: write IP:port, e.g. \"127.0.0.1:8788\""
            ))
        })
    }
}

#[cfg(test)]
#[path = "webhooks_tests.rs"]
mod tests;
