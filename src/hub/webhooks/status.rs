//! What the endpoint has done, for `doctor` and the `Status` answer: where it listens, which
//! routes answer, and its counters (deliveries received, accepted, rejected, naming no
//! account here, and when the last one was accepted).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The endpoint as the hub reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookStatus {
    /// The configured address.
    pub listen: String,
    /// Whether the endpoint is bound and answering.
    pub listening: bool,
    /// Why it is not, when it is not (the address is in use...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// The routes answering (`meta`, `x`).
    pub routes: Vec<String>,
    /// The routes answering 404, and why (not configured, a secret not found).
    #[serde(default)]
    pub down: Vec<RouteDown>,
    /// Deliveries (POSTs) on an answering route.
    pub received: u64,
    /// Deliveries signed right and read.
    pub accepted: u64,
    /// Deliveries refused: a bad or missing signature, too large, unreadable.
    pub rejected: u64,
    /// Targets (Meta entries, X `for_user_id`s) naming no account configured here.
    pub unknown: u64,
    /// When the last delivery was accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_at: Option<DateTime<Utc>>,
}

/// A route that answers 404, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteDown {
    pub route: String,
    pub why: String,
    /// Whether the config gives the route a secret (that could not be had): worth a look.
    #[serde(default)]
    pub configured: bool,
}

/// The live counters.
#[derive(Default)]
pub struct Counters {
    received: AtomicU64,
    accepted: AtomicU64,
    rejected: AtomicU64,
    unknown: AtomicU64,
    last_at: Mutex<Option<DateTime<Utc>>>,
}

impl Counters {
    pub fn received(&self) {
        self.received.fetch_add(1, Ordering::Relaxed);
    }

    pub fn accepted(&self, at: DateTime<Utc>) {
        self.accepted.fetch_add(1, Ordering::Relaxed);
        *self.last_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(at);
    }

    pub fn rejected(&self) {
        self.rejected.fetch_add(1, Ordering::Relaxed);
    }

    pub fn unknown(&self) {
        self.unknown.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters written into `status`.
    pub fn fill(&self, status: &mut WebhookStatus) {
        status.received = self.received.load(Ordering::Relaxed);
        status.accepted = self.accepted.load(Ordering::Relaxed);
        status.rejected = self.rejected.load(Ordering::Relaxed);
        status.unknown = self.unknown.load(Ordering::Relaxed);
        status.last_at = *self.last_at.lock().unwrap_or_else(|e| e.into_inner());
    }
}

impl WebhookStatus {
    /// `listening on 127.0.0.1:8788: meta, x; 12 received, 0 rejected` (with the routes
    /// down and the unknown targets when there are some): `doctor`'s line.
    pub fn describe(&self) -> String {
        if !self.listening {
            let why = self.problem.as_deref().unwrap_or("not started");
            return format!("not listening on {}: {why}", self.listen);
        }
        let routes = if self.routes.is_empty() {
            "no route".to_string()
        } else {
            self.routes.join(", ")
        };
        let mut text = format!("listening on {}: {routes}", self.listen);
        for down in &self.down {
            text.push_str(&format!("; {} answers 404 ({})", down.route, down.why));
        }
        text.push_str(&format!(
            "; {} received, {} rejected",
            self.received, self.rejected
        ));
        if self.unknown > 0 {
            text.push_str(&format!(", {} for accounts not configured", self.unknown));
        }
        if let Some(at) = self.last_at {
            text.push_str(&format!(
                "; last accepted {}",
                at.format("%Y-%m-%d %H:%M:%S UTC")
            ));
        }
        text
    }

    /// Whether something needs a look (not listening, a configured route down, refusals).
    pub fn needs_attention(&self) -> bool {
        !self.listening
            || self.rejected > 0
            || self
                .down
                .iter()
                .any(|d| !d.why.starts_with("not configured"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_doctor_line_names_routes_counts_and_what_is_down() {
        let counters = Counters::default();
        for _ in 0..12 {
            counters.received();
        }
        counters.rejected();
        counters.unknown();
        let mut status = WebhookStatus {
            listen: "127.0.0.1:8788".into(),
            listening: true,
            routes: vec!["meta".into()],
            down: vec![RouteDown {
                route: "x".into(),
                why: "not configured".into(),
                configured: false,
            }],
            ..WebhookStatus::default()
        };
        counters.fill(&mut status);
        assert_eq!(
            status.describe(),
            "listening on 127.0.0.1:8788: meta; x answers 404 (not configured); \
             12 received, 1 rejected, 1 for accounts not configured"
        );
        assert!(status.needs_attention(), "a rejected delivery");
        let down = WebhookStatus {
            listen: "127.0.0.1:8788".into(),
            problem: Some("Address already in use".into()),
            ..WebhookStatus::default()
        };
        assert_eq!(
            down.describe(),
            "not listening on 127.0.0.1:8788: Address already in use"
        );
    }
}
