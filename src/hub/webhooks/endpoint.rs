//! [`Endpoint`]: what a request to the webhook server is answered with, free of the HTTP
//! plumbing (`server.rs`): the route it is for (a route that is down is 404, as is any
//! other path or method), the platform's handler (`meta.rs`, `x.rs`), and what an accepted
//! delivery does: wake the accounts it names, count the rest. Nothing here logs a body or
//! a secret; platform text in a log line is clipped and stripped of control characters.

use std::sync::Arc;

use super::routes::Routes;
use super::status::Counters;
use super::targets::{Target, Targets};
use super::{meta, x};
use crate::connectors::http::client::clip;
use crate::hub::Hub;

/// An answer: status, content type and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl Answer {
    pub fn text(status: u16, body: &str) -> Answer {
        Answer {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.to_string(),
        }
    }

    pub fn json(status: u16, body: &serde_json::Value) -> Answer {
        Answer {
            status,
            content_type: "application/json",
            body: body.to_string(),
        }
    }

    pub fn not_found() -> Answer {
        Answer::text(404, "not found")
    }
}

/// Which route a path is, when it answers.
pub enum Route {
    Meta,
    X,
}

/// The endpoint's state: the hub it wakes, its routes and keys, who it can wake, counters.
pub struct Endpoint {
    pub(super) hub: Arc<Hub>,
    pub(super) routes: Routes,
    pub(super) targets: Targets,
    pub(super) counters: Arc<Counters>,
}

impl Endpoint {
    /// The route `path` is, if it answers.
    pub fn route(&self, path: &str) -> Option<Route> {
        if path == self.routes.meta_path && self.routes.meta.is_some() {
            Some(Route::Meta)
        } else if path == self.routes.x_path && self.routes.x.is_some() {
            Some(Route::X)
        } else {
            None
        }
    }

    /// The answer to a GET (a subscription or CRC check).
    pub fn check(&self, route: &Route, query: &[(String, String)]) -> Answer {
        match (route, &self.routes.meta, &self.routes.x) {
            (Route::Meta, Some(keys), _) => meta::verify(keys, query),
            (Route::X, _, Some(key)) => x::crc(key, query),
            _ => Answer::not_found(),
        }
    }

    /// The answer to a POST whose body was read.
    pub fn deliver(&self, route: &Route, signature: Option<&str>, body: &[u8]) -> Answer {
        match (route, &self.routes.meta, &self.routes.x) {
            (Route::Meta, Some(keys), _) => meta::deliver(self, keys, signature, body),
            (Route::X, _, Some(key)) => x::deliver(self, key, signature, body),
            _ => Answer::not_found(),
        }
    }

    /// Counts a delivery on an answering route (before its body is read).
    pub fn received(&self) {
        self.counters.received();
    }

    /// Refuses a delivery: counted and logged, without its body.
    pub fn reject(&self, route: &str, status: u16, why: &str) -> Answer {
        self.counters.rejected();
        tracing::warn!(route, status, why, "webhook delivery rejected");
        Answer::text(status, why)
    }

    /// Accepts a delivery: wakes every account its targets name; the others are counted.
    pub fn accept(&self, route: &str, targets: &[Target<'_>]) -> Answer {
        self.counters.accepted(chrono::Utc::now());
        for target in targets {
            let accounts = self.targets.accounts(*target);
            if accounts.is_empty() {
                self.not_ours(route, &format!("{target:?}"), 1);
            }
            for account in accounts {
                if self.hub.wake_account(account) {
                    tracing::debug!(route, account, "webhook woke the account's sync");
                } else {
                    tracing::info!(route, account, "webhook for an account not syncing here");
                }
            }
        }
        Answer::text(200, "ok")
    }

    /// Hands a delivery's entry to the connector of each account `target` names, before
    /// they are woken (see `Connector::pushed`).
    pub fn hand_over(&self, target: Target<'_>, entry: &serde_json::Value) {
        let connectors = self.hub.connectors();
        for account in self.targets.accounts(target) {
            if let Some(connector) = connectors.get(account) {
                connector.pushed(entry);
            }
        }
    }

    /// Counts `n` targets naming no account here.
    pub fn not_ours(&self, route: &str, what: &str, n: usize) {
        for _ in 0..n {
            self.counters.unknown();
        }
        let what = clip(what);
        tracing::info!(route, what, n, "webhook for no account configured here");
    }
}

/// The query string's pairs, percent-decoded.
pub fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    let Some(query) = query else {
        return Vec::new();
    };
    match reqwest::Url::parse(&format!("http://webhook.invalid/?{query}")) {
        Ok(url) => url.query_pairs().into_owned().collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_decoded() {
        assert_eq!(
            query_pairs(Some("hub.mode=subscribe&hub.challenge=a%20b+c&x")),
            [
                ("hub.mode".to_string(), "subscribe".to_string()),
                ("hub.challenge".to_string(), "a b c".to_string()),
                ("x".to_string(), String::new()),
            ]
        );
        assert!(query_pairs(None).is_empty());
    }
}
