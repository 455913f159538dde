//! The one way the connector calls the Data API: the account's token as a bearer, the
//! call's quota cost counted before it goes out (Google charges invalid requests too), the
//! answer judged by its error body (`errors`), and a used-up quota recorded as such.
//! Calls made for a sync pass are also added to the pass's cost, which paces polling.

use std::sync::atomic::Ordering;

use chrono::Utc;
use serde_json::Value;

use super::errors::{judge, Verdict};
use super::payload::List;
use super::YoutubeConnector;
use crate::connectors::http::{Answer, Call};
use crate::connectors::ConnectorError;

impl YoutubeConnector {
    /// Sends `call`, charging `cost` units: a success, or why not.
    pub(super) async fn call(&self, call: Call, cost: u64) -> Result<Answer, ConnectorError> {
        let answer = self.send(call, cost).await?;
        self.judged(answer)
    }

    /// Sends `call` with the token, charging `cost` units; 4xx answers come back to judge.
    async fn send(&self, call: Call, cost: u64) -> Result<Answer, ConnectorError> {
        self.quota.charge(cost, Utc::now());
        let call = call.bearer(&self.token).answer_client_errors();
        self.http.send(&call).await
    }

    /// The answer if it is a success; a used-up quota is recorded as such.
    fn judged(&self, answer: Answer) -> Result<Answer, ConnectorError> {
        let now = Utc::now();
        match judge(&answer.call, answer.status, &answer.body, now) {
            Verdict::Fine => Ok(answer),
            Verdict::QuotaExhausted(error) => {
                self.quota.exhaust(now);
                Err(error)
            }
            Verdict::Failed(error) => Err(error),
        }
    }

    /// Sends a call whose target may already be gone: a 404 is done, not an error (a
    /// repeated delete whose first answer was lost).
    pub(super) async fn call_unless_gone(
        &self,
        call: Call,
        cost: u64,
    ) -> Result<(), ConnectorError> {
        let answer = self.send(call, cost).await?;
        if answer.status == reqwest::StatusCode::NOT_FOUND {
            tracing::info!(call = %answer.call, "already gone");
            return Ok(());
        }
        self.judged(answer).map(drop)
    }

    /// A list read (1 unit) for the sync pass under way.
    pub(super) async fn pass_list(&self, call: Call) -> Result<(List, Value), ConnectorError> {
        self.pass_cost
            .fetch_add(super::quota::LIST_COST, Ordering::Relaxed);
        self.list(call).await
    }

    /// A list read (1 unit): the list and its raw body (for problems).
    pub(super) async fn list(&self, call: Call) -> Result<(List, Value), ConnectorError> {
        let answer = self.call(call, super::quota::LIST_COST).await?;
        let raw: Value = answer.json()?;
        let list = super::payload::read(&raw).ok_or_else(|| {
            ConnectorError::Transient(format!("{}: not a list answer", answer.call))
        })?;
        Ok((list, raw))
    }

    /// Ends a sync pass: its cost is what the next poll is expected to cost.
    pub(super) fn end_pass(&self) {
        let cost = self.pass_cost.swap(0, Ordering::Relaxed);
        self.last_pass_cost.store(cost.max(1), Ordering::Relaxed);
    }
}
