//! Comments that @mention the account, as Meta's `mentions` webhook names them: Instagram
//! lists them nowhere, so polling alone never sees them. The hub's webhook endpoint hands
//! each signed Instagram entry to the connector ([`Connector::pushed`]); the ids of its
//! `mentions` changes wait here, and the next page the sync asks for reads each one
//! ([`InstagramConnector::mentioned_comment`]) as a `Kind::Mention` before the usual feeds.
//!
//! The ids live in memory only: a delivery that arrives while no hub runs, or one the hub
//! had not read before it stopped, is not brought in (Meta's webhooks are the only source).
//!
//! [`Connector::pushed`]: crate::connectors::Connector::pushed

use std::collections::BTreeSet;
use std::sync::Mutex;

use serde_json::Value;

use super::InstagramConnector;
use crate::connectors::{ConnectorError, Page, PayloadProblem};

/// The most comment ids kept waiting (a flood of deliveries cannot grow memory unbounded).
const MAX_WAITING: usize = 1_000;

/// Mentioned comments named by webhooks, not read yet.
#[derive(Default)]
pub struct PushedMentions(Mutex<BTreeSet<String>>);

impl PushedMentions {
    /// Keeps the comment ids of an entry's `mentions` changes
    /// (`{"changes": [{"field": "mentions", "value": {"comment_id": …}}]}`).
    pub fn note(&self, entry: &Value) {
        let ids = entry
            .get("changes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|change| change.get("field").and_then(Value::as_str) == Some("mentions"))
            .filter_map(|change| change.pointer("/value/comment_id"))
            .filter_map(|id| match id {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
        let mut waiting = self.lock();
        for id in ids {
            if waiting.len() < MAX_WAITING {
                waiting.insert(id);
            }
        }
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.lock()).into_iter().collect()
    }

    fn put_back(&self, ids: impl IntoIterator<Item = String>) {
        self.lock().extend(ids);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeSet<String>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl InstagramConnector {
    /// A page of the mentioned comments webhooks named since the last pass, if any: read
    /// one by one; a comment the platform refuses (deleted since, not a mention of ours) is a
    /// problem for the record, and a transient failure leaves the rest waiting for the next
    /// pass. The stored cursor is left as it is (`None`), and the usual feeds come next.
    pub(super) async fn read_pushed_mentions(&self) -> Result<Option<Page>, ConnectorError> {
        let mut waiting = self.pushed.take().into_iter();
        let mut page = Page {
            more: true,
            ..Page::default()
        };
        for id in waiting.by_ref() {
            match self.mentioned_comment(&id).await {
                Ok(item) => page.items.push(item),
                Err(ConnectorError::Refused(why)) => {
                    page.problems.push(PayloadProblem::new(why, &id));
                }
                Err(other) => {
                    self.pushed.put_back([id]);
                    self.pushed.put_back(waiting);
                    return match page.items.is_empty() && page.problems.is_empty() {
                        true => Err(other),
                        false => Ok(Some(page)),
                    };
                }
            }
        }
        Ok((!page.items.is_empty() || !page.problems.is_empty()).then_some(page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_mentions_changes_are_kept() {
        let pushed = PushedMentions::default();
        pushed.note(&json!({"id": "1784", "changes": [
            {"field": "mentions", "value": {"comment_id": "17967008497439572", "media_id": "1"}},
            {"field": "comments", "value": {"id": "999"}},
            {"field": "mentions", "value": {"comment_id": 42}},
            {"field": "mentions", "value": {}}
        ]}));
        pushed.note(&json!({"id": "1784", "messaging": []}));
        assert_eq!(pushed.take(), ["17967008497439572", "42"]);
        assert!(pushed.take().is_empty());
    }
}
