//! Turns `[[accounts]]` into connectors: one per account, by platform. An account whose
//! connector cannot be made (a platform without a connector yet, a missing secret, a bad
//! `api_base`) becomes a [`BuildProblem`], shown as that account's error state; the other
//! accounts still sync.

use std::sync::Arc;
use std::time::Duration;

use super::http::HttpOptions;
use super::{
    bluesky, facebook, instagram, mastodon, x, youtube, Connector, ConnectorError, Connectors,
};
use crate::config::{AccountConfig, Config};
use crate::model::Platform;

/// Seconds between polls when the account does not say.
pub const DEFAULT_POLL_SECS: u64 = 60;

/// An account left without a connector, and why.
#[derive(Clone, Debug)]
pub struct BuildProblem {
    pub account: String,
    pub platform: Platform,
    pub error: ConnectorError,
}

/// A connector for each configured account that can have one.
pub fn build_connectors(config: &Config) -> (Connectors, Vec<BuildProblem>) {
    let mut connectors = Connectors::default();
    let mut problems = Vec::new();
    for account in &config.accounts {
        match build(account) {
            Ok(connector) => connectors.add(connector),
            Err(error) => problems.push(BuildProblem {
                account: account.name.clone(),
                platform: Platform::from(account.platform.clone()),
                error,
            }),
        }
    }
    (connectors, problems)
}

fn build(account: &AccountConfig) -> Result<Arc<dyn Connector>, ConnectorError> {
    match Platform::from(account.platform.clone()) {
        Platform::Mastodon => mastodon::connect(account, http_options(account)),
        Platform::Bluesky => bluesky::connect(account, http_options(account)),
        Platform::Youtube => youtube::connect(account, http_options(account)),
        Platform::X => x::connect(account, http_options(account)),
        Platform::Facebook => facebook::connect(account, http_options(account)),
        Platform::Instagram => instagram::connect(account, http_options(account)),
        other => Err(ConnectorError::Unsupported(format!(
            "no connector for platform '{other}' yet"
        ))),
    }
}

/// The HTTP settings an account asks for.
pub fn http_options(account: &AccountConfig) -> HttpOptions {
    let mut options = HttpOptions::default();
    if let Some(seconds) = account.timeout {
        options.timeout = Duration::from_secs(seconds);
    }
    options
}

/// How often the account is polled.
pub fn poll_interval(account: &AccountConfig) -> Duration {
    Duration::from_secs(account.poll_interval.unwrap_or(DEFAULT_POLL_SECS))
}
